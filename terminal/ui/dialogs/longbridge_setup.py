"""A Longbridge profile's hosts, and its access token in the keyring as a JSON record with its expiry.

Shared by the profile dialog and terminal/app/connect.py (the UI does not import the app layer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from terminal.storage.profiles import Profile
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.venues.errors import VenueError
from terminal.venues.longbridge.hosts import Hosts, Region, hosts_for
from terminal.venues.longbridge.token import WARN_DAYS, AccessToken, from_record, to_record

NEW_TOKEN_HINT = "create a new access token on Longbridge's developer site and enter it in Profiles"


def longbridge_hosts(profile: Profile) -> Hosts:
    """The profile's REST endpoint override, or its region's documented host."""
    return hosts_for(Region(profile.longbridge_region.value), profile.rest_url)


def stored_token(secrets: SecretStore, profile: str, app_key: str) -> AccessToken | None:
    """The token record kept for ``app_key``; None when there is none; ValueError in words when unreadable."""
    if not app_key:
        return None
    record = secrets.get(profile, access_token_key(app_key))
    if not record:
        return None
    try:
        return from_record(record)
    except (VenueError, ValueError) as exc:
        raise ValueError(
            f"the stored Longbridge access token of {profile} cannot be read ({exc}): {NEW_TOKEN_HINT}"
        ) from None


def store_token(secrets: SecretStore, profile: str, app_key: str, token: AccessToken) -> None:
    """Keep ``token`` (with its expiry) in the keyring next to the app secret."""
    secrets.set(profile, access_token_key(app_key), to_record(token))


def token_until(token: str, day: date) -> AccessToken:
    """A token typed by the user, valid until the end of ``day`` (UTC): the date Longbridge's page shows."""
    return AccessToken(token.strip(), datetime.combine(day, time(23, 59, 59), tzinfo=UTC))


def expired_message(profile: str, token: AccessToken) -> str:
    """Why an expired token cannot be refreshed: Longbridge refreshes only a token that is still valid."""
    day = token.expires_at.astimezone(UTC).strftime("%Y-%m-%d")
    return f"the Longbridge access token of {profile} expired on {day}: {NEW_TOKEN_HINT}"


@dataclass(frozen=True, slots=True)
class ExpiryLine:
    text: str  # "Longbridge · token expires 2027-02-14 (in 84 days)"
    warn: bool  # within WARN_DAYS days (or expired): shown in the warning colour, with a one-time notice


def expiry_line(token: AccessToken, now: datetime, venue: str = "Longbridge") -> ExpiryLine:
    return ExpiryLine(f"{venue} · token {token.expiry_text(now)}", token.needs_warning(now, WARN_DAYS))


def expiry_warning(token: AccessToken, now: datetime, venue: str = "Longbridge") -> str:
    """The one-time warning at session start."""
    return (
        f"The {venue} access token {token.expiry_text(now)}. Refresh it before then "
        "(Trading → Refresh access token…): an expired token cannot be refreshed."
    )
