"""Per-user directories come from platformdirs and follow the XDG variables on Linux."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from terminal.storage.logs import setup_logging
from terminal.storage.paths import APP_NAME, AppPaths, default_paths
from terminal.storage.profiles import ProfileStore, default_book


def test_every_directory_is_named_after_the_app() -> None:
    paths = default_paths()
    for directory in paths.all_dirs():
        assert APP_NAME in directory.parts
    assert paths.profiles_file.parent == paths.config_dir
    assert paths.log_file == paths.log_dir / "terminal.jsonl"
    assert paths.window_settings_file.parent == paths.config_dir


def test_xdg_variables_move_every_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roots = {name: tmp_path / "moved" / name for name in ("config", "data", "state", "cache")}
    for name, root in roots.items():
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(root))
    paths = default_paths()  # computed now, after the variables changed
    if sys.platform.startswith("linux"):
        assert paths.config_dir == roots["config"] / APP_NAME
        assert paths.data_dir == roots["data"] / APP_NAME
        assert paths.state_dir == roots["state"] / APP_NAME
        assert paths.cache_dir == roots["cache"] / APP_NAME
        assert paths.log_dir.is_relative_to(roots["state"])  # user_log_dir follows XDG_STATE_HOME
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
        assert default_paths().config_dir == tmp_path / "elsewhere" / APP_NAME
    else:  # macOS and Windows use their own folders; the variables are for Linux
        assert all(APP_NAME in directory.parts for directory in paths.all_dirs())


def test_ensure_creates_every_directory_and_can_run_again(tmp_path: Path) -> None:
    paths = AppPaths(*(tmp_path / "a" / name for name in ("config", "data", "log", "cache", "state")))
    assert paths.ensure() is paths
    assert all(directory.is_dir() for directory in paths.all_dirs())
    paths.ensure()
    assert all(directory.is_dir() for directory in paths.all_dirs())


def test_the_storage_layer_writes_nothing_outside_these_directories(tmp_path: Path, temporary_home: Path) -> None:
    paths = default_paths().ensure()
    ProfileStore(paths.profiles_file).save(default_book())
    setup = setup_logging(paths)
    try:
        logging.getLogger("tests.storage.paths").info("hello")
    finally:
        setup.teardown()
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert paths.profiles_file in written
    assert paths.log_file in written
    roots = [tmp_path / "xdg"] if sys.platform.startswith("linux") else list(paths.all_dirs())
    assert all(any(path.is_relative_to(root) for root in roots) for path in written)
    if sys.platform.startswith("linux"):
        assert not any(temporary_home.rglob("*"))
