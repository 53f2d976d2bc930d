"""The per-user directories of the terminal; every file it writes lives under one of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "trading-terminal"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Config, data, log, cache and state directories, plus the files the storage layer names."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path
    state_dir: Path

    @property
    def profiles_file(self) -> Path:
        # DESIGN.md, Storage: profiles "in a settings file under platformdirs.user_config_dir".
        return self.config_dir / "profiles.json"

    @property
    def log_file(self) -> Path:
        # DESIGN.md, Storage: "JSON lines to a rotating file under platformdirs.user_log_dir".
        return self.log_dir / "terminal.jsonl"

    @property
    def journal_file(self) -> Path:
        # DESIGN.md, Storage: "The journal: SQLite (WAL) under platformdirs.user_data_dir".
        return self.data_dir / "journal.sqlite3"

    @property
    def settings_file(self) -> Path:
        """The application's settings (theme, frame rate, fill alerts): terminal/storage/app_settings.py."""
        return self.config_dir / "settings.json"

    @property
    def window_settings_file(self) -> Path:
        """An INI file for QSettings (window geometry, dock state), so it follows these paths too."""
        return self.config_dir / "window.ini"

    def all_dirs(self) -> tuple[Path, ...]:
        return (self.config_dir, self.data_dir, self.log_dir, self.cache_dir, self.state_dir)

    def ensure(self) -> AppPaths:
        """Create every directory (and its parents) that does not exist yet; return self."""
        for directory in self.all_dirs():
            directory.mkdir(parents=True, exist_ok=True)
        return self


def default_paths() -> AppPaths:
    """The platform's per-user directories, computed now (so XDG_* variables set before the call count).

    No app author and no roaming profile: on Windows everything sits under
    ``%LOCALAPPDATA%\\trading-terminal``; on Linux the XDG base directories are honoured, with logs
    under ``$XDG_STATE_HOME/trading-terminal/log``.
    """
    dirs = PlatformDirs(APP_NAME, appauthor=False, roaming=False)
    return AppPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        log_dir=Path(dirs.user_log_dir),
        cache_dir=Path(dirs.user_cache_dir),
        state_dir=Path(dirs.user_state_dir),
    )
