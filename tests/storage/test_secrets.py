"""Secrets go to the keyring, or stay in memory for the session when there is no usable keyring."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordSetError

from terminal.domain.redaction import redact
from terminal.storage.secrets import SERVICE, SecretStore, keyring_username
from tests.support.keyring import MemoryKeyring

pytestmark = pytest.mark.usefixtures("restore_keyring")


class LockedKeyring(MemoryKeyring):
    """A Secret Service that is there but locked: every use fails."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def files_containing(root: Path, text: str) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file() and text.encode() in path.read_bytes()]


def test_secrets_live_in_the_keyring_under_the_app_service() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = SecretStore()
    assert (store.available, store.reason) == (True, "")
    assert store.backend_name == MemoryKeyring.name
    store.set("HashKey MENA sandbox", "AK123", "s3cret-value-one")
    assert backend.entries == {(SERVICE, "HashKey MENA sandbox/AK123"): "s3cret-value-one"}
    assert store.get("HashKey MENA sandbox", "AK123") == "s3cret-value-one"
    assert store.get("HashKey MENA sandbox", "OTHER") is None
    assert SecretStore().get("HashKey MENA sandbox", "AK123") == "s3cret-value-one"  # another session finds it
    store.delete("HashKey MENA sandbox", "AK123")
    assert backend.entries == {}
    store.delete("HashKey MENA sandbox", "AK123")  # deleting what is gone is fine
    assert store.available


def test_every_secret_handled_is_registered_for_redaction() -> None:
    backend = MemoryKeyring()
    backend.entries[(SERVICE, keyring_username("P", "K"))] = "stored-earlier-secret"
    keyring.set_keyring(backend)
    store = SecretStore()
    store.set("P", "K2", "typed-in-secret-xyz")
    assert store.get("P", "K") == "stored-earlier-secret"
    assert redact("a typed-in-secret-xyz b stored-earlier-secret") == "a <redacted> b <redacted>"


def test_a_renamed_profile_takes_its_secret_along() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = SecretStore()
    store.set("Old", "K", "moving-secret-1")
    store.move("Old", "New", "K")
    assert backend.entries == {(SERVICE, "New/K"): "moving-secret-1"}
    store.move("New", "New", "K")
    store.move("Nobody", "Else", "K")
    assert backend.entries == {(SERVICE, "New/K"): "moving-secret-1"}


NO_KEYRING: list[KeyringBackend] = [fail.Keyring(), null.Keyring()]  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("backend", NO_KEYRING, ids=["fail", "null"])
def test_without_a_keyring_secrets_last_for_the_session_only(
    backend: KeyringBackend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(backend)
    store = SecretStore()
    assert not store.available
    assert store.backend_name == "memory"
    assert "no keyring backend was found" in store.reason
    assert "in memory for this session only" in store.reason
    assert "GNOME Keyring or KWallet" in store.reason
    assert "macOS and Windows" in store.reason
    store.set("Demo", "K", "session-only-secret")
    assert store.get("Demo", "K") == "session-only-secret"
    assert SecretStore().get("Demo", "K") is None  # a new session (process) starts empty
    assert files_containing(tmp_path, "session-only-secret") == []
    assert "session-only-secret" not in caplog.text
    store.delete("Demo", "K")
    assert store.get("Demo", "K") is None


def test_a_keyring_that_fails_on_use_switches_to_memory() -> None:
    keyring.set_keyring(LockedKeyring())
    store = SecretStore()
    assert store.reason == ""  # it looked fine until used
    assert store.get("P", "K") is None
    assert not store.available
    assert store.reason.startswith("No usable system keyring (reading from the keyring failed: KeyringLocked: ")
    store.set("P", "K", "kept-in-memory-1")
    assert store.get("P", "K") == "kept-in-memory-1"


def test_a_failed_write_keeps_the_secret_in_memory_and_never_shows_it() -> None:
    class EchoingKeyring(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise PasswordSetError(f"cannot store {password}")

    keyring.set_keyring(EchoingKeyring())
    store = SecretStore()
    store.set("P", "K", "echoed-secret-77")
    assert not store.available
    assert "echoed-secret-77" not in store.reason
    assert "writing to the keyring failed" in store.reason
    assert store.get("P", "K") == "echoed-secret-77"


def test_a_failing_delete_switches_to_memory_but_a_missing_entry_does_not() -> None:
    keyring.set_keyring(MemoryKeyring())
    store = SecretStore()
    store.delete("P", "nothing-here")
    assert store.available
    keyring.set_keyring(LockedKeyring())
    locked = SecretStore()
    locked.delete("P", "K")
    assert not locked.available
    assert "deleting from the keyring failed" in locked.reason


def test_a_backend_given_directly_is_used() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend, service="another-service")
    store.set("P", "K", "direct-secret-1")
    assert backend.entries == {("another-service", "P/K"): "direct-secret-1"}


def test_the_machines_own_keyring_is_described_either_way() -> None:
    # This machine may or may not have a usable keyring; only look, never write to it.
    store = SecretStore()
    assert store.available == (store.reason == "")
    assert store.available == (store.backend_name != "memory")
