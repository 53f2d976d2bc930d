"""Storage tests write only under a temporary home: HOME and every XDG base directory point into tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

XDG_VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


@pytest.fixture(autouse=True)
def temporary_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for variable in XDG_VARIABLES:
        monkeypatch.setenv(variable, str(tmp_path / "xdg" / variable.removeprefix("XDG_").lower()))
    return home


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    """Whatever a test installs with keyring.set_keyring is undone afterwards."""
    original: KeyringBackend = keyring.get_keyring()
    yield
    keyring.set_keyring(original)
