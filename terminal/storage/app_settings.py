"""Settings of the whole application (not of one profile): theme, frame-rate cap, fill alerts, first run.

A JSON file beside the profiles. Reading is forgiving field by field: a bad value falls back to
its default with a sentence saying so, and a missing or unreadable file gives the defaults.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from pathlib import Path

import orjson

from terminal.storage.atomic_file import write_atomically

log = logging.getLogger(__name__)

THEME_NAMES = ("dark", "light", "system")
FPS_MIN, FPS_MAX = 10, 240


class SettingsError(Exception):
    """The settings could not be saved; the message is a sentence for the user."""


@dataclass(frozen=True, slots=True)
class AppSettings:
    theme: str = "dark"  # one of THEME_NAMES; "system" follows the desktop's light or dark scheme
    fps: int = 60  # the frame-rate cap of the display (FrameClock)
    fill_sound: bool = False
    fill_notification: bool = False
    welcome_done: bool = False  # the first-run welcome panel was dismissed

    def __post_init__(self) -> None:
        if self.theme not in THEME_NAMES:
            raise ValueError(f"the theme must be one of {', '.join(THEME_NAMES)}, not {self.theme!r}")
        if isinstance(self.fps, bool) or not isinstance(self.fps, int) or not FPS_MIN <= self.fps <= FPS_MAX:
            raise ValueError(f"the frame-rate cap must be a whole number from {FPS_MIN} to {FPS_MAX}, not {self.fps!r}")
        for name in ("fill_sound", "fill_notification", "welcome_done"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, not {getattr(self, name)!r}")


def decode_settings(data: bytes) -> tuple[AppSettings, list[str]]:
    """The settings in ``data``, each bad field replaced by its default; and a sentence per problem."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        return AppSettings(), [f"the settings file is not valid JSON ({error.msg}); the defaults are used"]
    if not isinstance(raw, dict):
        return AppSettings(), ["the settings file does not hold a JSON object; the defaults are used"]
    settings = AppSettings()
    problems: list[str] = []
    for field in fields(AppSettings):
        if field.name not in raw:
            continue
        try:
            settings = replace(settings, **{field.name: raw[field.name]})
        except ValueError as error:
            problems.append(f"in the settings file, {error}; the default is used")
    return settings, problems


def encode_settings(settings: AppSettings) -> bytes:
    document = {field.name: getattr(settings, field.name) for field in fields(AppSettings)}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


class SettingsStore:
    """The settings file at ``path`` (normally ``AppPaths.settings_file``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> AppSettings:
        """The saved settings, or the defaults; never raises (problems are logged)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return AppSettings()
        except OSError as error:
            log.warning("the settings file %s could not be read (%s); the defaults are used", self.path, error)
            return AppSettings()
        settings, problems = decode_settings(data)
        for problem in problems:
            log.warning("%s (%s)", problem, self.path)
        return settings

    def save(self, settings: AppSettings) -> None:
        try:
            write_atomically(self.path, encode_settings(settings))
        except OSError as error:
            raise SettingsError(f"The settings could not be saved to {self.path} ({error.strerror or error})") from None
