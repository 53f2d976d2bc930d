"""The application settings file: defaults, round trips, and a bad value replaced by its default with a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.storage.app_settings import AppSettings, SettingsError, SettingsStore, decode_settings, encode_settings


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = SettingsStore(tmp_path / "settings.json").load()
    assert settings == AppSettings()
    assert (settings.theme, settings.fps, settings.fill_sound, settings.welcome_done) == ("dark", 60, False, False)


def test_settings_round_trip_through_the_file(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "nested" / "settings.json")
    chosen = AppSettings(theme="system", fps=30, fill_sound=True, fill_notification=True, welcome_done=True)
    store.save(chosen)
    assert store.load() == chosen
    assert decode_settings(encode_settings(chosen)) == (chosen, [])


def test_each_bad_value_falls_back_alone_with_a_sentence() -> None:
    data = b'{"theme": "purple", "fps": 5, "fill_sound": "yes", "fill_notification": true, "unknown": 1}'
    settings, problems = decode_settings(data)
    assert settings == AppSettings(fill_notification=True)
    assert len(problems) == 3
    assert any("purple" in p and "dark, light, system" in p for p in problems)
    assert any("frame-rate cap" in p and "10 to 240" in p for p in problems)
    assert any("fill_sound must be true or false" in p for p in problems)


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_an_unusable_file_gives_the_defaults_with_a_sentence(data: bytes) -> None:
    settings, problems = decode_settings(data)
    assert settings == AppSettings()
    assert len(problems) == 1 and "defaults are used" in problems[0]


def test_the_fps_must_be_a_whole_number_in_range() -> None:
    for bad in (True, 9, 241, 30.0):
        with pytest.raises(ValueError, match="frame-rate cap"):
            AppSettings(fps=bad)  # type: ignore[arg-type]


def test_a_settings_file_that_cannot_be_written_says_where(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(SettingsError, match="could not be saved to"):
        SettingsStore(blocker / "settings.json").save(AppSettings())
