"""Webull's 2FA access token before a session opens: a stored NORMAL token is reused silently; otherwise
the user must verify a new one in the Webull app (terminal/ui/dialogs/webull_token.py does that part).

Seed 000, "Token": "A valid Token can be reused ... we recommend storing the Token for future use."
The token lives in the keyring under (profile, ``access_token_key(app_key)``), never in a file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from terminal.storage.secrets import SecretStore, access_token_key
from terminal.venues.webull.token import AccessToken, TokenStatus

log = logging.getLogger("terminal.app.webull")

TOKEN_TIMEOUT = 300.0  # 000: "If verification is not completed within 5 minutes ... Verification Timeout"
POLL_INTERVAL = 5.0  # as Webull's SDK polls the check endpoint


class TokenEndpoints(Protocol):
    """What this module needs of terminal.venues.webull.token.TokenClient."""

    async def required(self) -> bool: ...

    async def check(self, token: str) -> AccessToken: ...


class TokenNeed(StrEnum):
    READY = "ready"  # a NORMAL token: send it as x-access-token
    NOT_REQUIRED = "not required"  # the account does not ask for one (GET /openapi/config)
    VERIFY = "verify"  # the user must verify a token in the Webull app: the dialog


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """What to do before connecting. ``token`` is the NORMAL token when READY, and for VERIFY a stored
    token still PENDING (wait for it rather than send another SMS) or None (create a new one)."""

    need: TokenNeed
    token: AccessToken | None = None
    reason: str = ""


def stored_token(secrets: SecretStore, profile: str, app_key: str) -> str | None:
    return secrets.get(profile, access_token_key(app_key)) or None


def store_token(secrets: SecretStore, profile: str, app_key: str, token: AccessToken) -> None:
    """Keep a verified (NORMAL) token for the next start."""
    if token.status is not TokenStatus.NORMAL:
        raise ValueError(f"only a NORMAL token is kept, not a {token.status.value} one")
    secrets.set(profile, access_token_key(app_key), token.token)


def forget_token(secrets: SecretStore, profile: str, app_key: str) -> None:
    secrets.delete(profile, access_token_key(app_key))


async def check_stored_token(client: TokenEndpoints, secrets: SecretStore, profile: str, app_key: str) -> TokenCheck:
    """The stored token checked with the venue: NORMAL → READY. Otherwise (none, EXPIRED, INVALID: it is
    forgotten) ask whether the account requires a token at all; if it does → VERIFY. Raises VenueError."""
    stored = stored_token(secrets, profile, app_key)
    reason = "no access token is stored for this app key"
    if stored is not None:
        checked = await client.check(stored)
        if checked.status is TokenStatus.NORMAL:
            log.info("reusing the stored Webull access token of %s", profile)
            return TokenCheck(TokenNeed.READY, checked)
        if checked.status is TokenStatus.PENDING:
            return TokenCheck(TokenNeed.VERIFY, checked, "the stored access token still waits for verification")
        forget_token(secrets, profile, app_key)
        reason = (
            "the stored access token expired before it was verified"
            if checked.status is TokenStatus.EXPIRED
            else "the stored access token is no longer valid (unused for 15 days, or unknown to Webull)"
        )
    if not await client.required():
        return TokenCheck(TokenNeed.NOT_REQUIRED, None, "this account does not require an access token")
    return TokenCheck(TokenNeed.VERIFY, None, reason)
