"""API secrets and tokens in the OS keyring, or in memory for this session when there is none.

DESIGN.md, Storage: "Secrets (API secrets, tokens) only in the OS keyring through keyring. No
plaintext fallback: with no keyring backend the app says so and keeps secrets for the session only."
"""

from __future__ import annotations

import logging

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import PasswordDeleteError

from terminal.domain.redaction import redact, register_secret

SERVICE = "trading-terminal"

log = logging.getLogger(__name__)

_HOW_TO_GET_ONE = (
    "API secrets are kept in memory for this session only and must be entered again next time. "
    "To keep them, install and unlock a Secret Service keyring such as GNOME Keyring or KWallet "
    "(on macOS and Windows the system keychain is used without any setup)."
)


def keyring_username(profile: str, key: str) -> str:
    """The keyring entry of a secret: "<profile name>/<key ID or token name>".

    Key IDs may not contain "/" (profile_model.py), so the entry names exactly one pair.
    """
    return f"{profile}/{key}"


ACCESS_TOKEN_SUFFIX = "#token"


def access_token_key(key: str) -> str:
    """The key under which a venue's access token is kept next to the secret of API key ``key``.

    Webull: the app secret is kept under (profile, app key), the 2FA access token under
    (profile, "<app key>#token"): the keyring entry "<profile>/<app key>#token". Renaming a profile
    moves both (terminal/ui/dialogs/profiles.py).
    """
    return f"{key}{ACCESS_TOKEN_SUFFIX}"


class SecretStore:
    """Secrets by (profile name, key): ``key`` is the API key ID, or a token's name for venues that use tokens.

    Each secret handled here is registered with the log redaction first, so no log can show it.
    The first keyring failure switches the store to memory for the rest of the process:
    ``available`` turns False and ``reason`` says why and what to do.
    """

    def __init__(self, backend: KeyringBackend | None = None, *, service: str = SERVICE) -> None:
        self._service = service
        self._memory: dict[tuple[str, str], str] = {}
        self.available = True
        self.reason = ""
        try:
            self._backend: KeyringBackend | None = backend if backend is not None else keyring.get_keyring()
        except Exception as error:  # choosing a backend runs third-party probes (D-Bus, COM); none may stop the app
            self._backend = None
            self._give_up(f"the keyring could not be opened: {_describe(error)}")
            return
        if _stores_nothing(self._backend):
            self._give_up("no keyring backend was found")

    @property
    def backend_name(self) -> str:
        """The keyring in use, for display ("SecretService Keyring", "macOS Keyring"...), or "memory"."""
        return type(self._backend).name if self.available and self._backend is not None else "memory"

    def get(self, profile: str, key: str) -> str | None:
        remembered = self._memory.get((profile, key))
        if remembered is not None or not self.available:
            return remembered
        assert self._backend is not None
        try:
            secret = self._backend.get_password(self._service, keyring_username(profile, key))
        except Exception as error:  # any backend failure (locked, absent D-Bus service...) means: no keyring
            self._give_up(f"reading from the keyring failed: {_describe(error)}")
            return None
        if secret is not None:
            register_secret(secret)
        return secret

    def set(self, profile: str, key: str, secret: str) -> None:
        register_secret(secret)
        if self.available:
            assert self._backend is not None
            try:
                self._backend.set_password(self._service, keyring_username(profile, key), secret)
            except Exception as error:  # any backend failure means: keep it for this session only
                self._give_up(f"writing to the keyring failed: {_describe(error)}")
            else:
                self._memory.pop((profile, key), None)
                return
        self._memory[(profile, key)] = secret

    def delete(self, profile: str, key: str) -> None:
        """Forget the secret; deleting one that does not exist is not an error."""
        self._memory.pop((profile, key), None)
        if not self.available:
            return
        assert self._backend is not None
        try:
            self._backend.delete_password(self._service, keyring_username(profile, key))
        except PasswordDeleteError:
            pass  # keyring's answer for "no such entry"
        except Exception as error:
            self._give_up(f"deleting from the keyring failed: {_describe(error)}")

    def move(self, old_profile: str, new_profile: str, key: str) -> None:
        """Carry a secret over to a renamed profile (the keyring entry is named after the profile)."""
        if old_profile == new_profile:
            return
        secret = self.get(old_profile, key)
        if secret is not None:
            self.set(new_profile, key, secret)
            self.delete(old_profile, key)

    def _give_up(self, why: str) -> None:
        if self.available:
            self.available = False
            # redact(): a backend's error text is shown to the user and must not echo a secret either
            self.reason = f"No usable system keyring ({redact(why)}). {_HOW_TO_GET_ONE}"
            log.warning("%s", self.reason)


def _stores_nothing(backend: KeyringBackend) -> bool:
    """The fail backend refuses everything; null and an empty chain "store" by forgetting: none is a keyring."""
    if isinstance(backend, chainer.ChainerBackend):
        return not backend.backends
    return isinstance(backend, fail.Keyring | null.Keyring)


def _describe(error: Exception) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
