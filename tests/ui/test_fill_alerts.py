"""Fill alerts: which player and which notification route each platform gets, one chime per burst,
nothing when switched off, and the packaged chime is the file packaging/sounds.py makes."""

from __future__ import annotations

import wave
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from terminal.ui import fill_alerts
from terminal.ui.fill_alerts import (
    SOUND_GAP_S,
    FillAlerts,
    NotificationRoute,
    chime_path,
    choose_notification_route,
    notification_route,
    notify_send_args,
    sound_command,
)
from terminal.ui.icon import app_icon_path
from tests.support.scripts import packaging_script

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGED_WAV = ROOT / "terminal" / "assets" / "fill.wav"


def _sounds_script() -> ModuleType:
    return packaging_script("sounds")


def _which(*installed: str) -> fill_alerts.Which:
    return lambda name: f"/usr/bin/{name}" if name in installed else None


class Recorder:
    """Stands in for QProcess.startDetached, the clock and the beep: records instead of making noise."""

    def __init__(self, started: bool = True) -> None:
        self.launched: list[tuple[str, list[str]]] = []
        self.beeps = 0
        self.now = 100.0
        self.started = started

    def launch(self, program: str, arguments: list[str]) -> bool:
        self.launched.append((program, arguments))
        return self.started

    def beep(self) -> None:
        self.beeps += 1

    def clock(self) -> float:
        return self.now


def _alerts(
    recorder: Recorder,
    *installed: str,
    platform: str = "linux",
    route: NotificationRoute = "notify-send",
) -> FillAlerts:
    return FillAlerts(
        launch=recorder.launch,
        clock=recorder.clock,
        platform=platform,
        which=_which(*installed),
        route=route,
        beep=recorder.beep,
    )


# ---- choosing a player and a route ---------------------------------------------------------------


def test_linux_takes_the_first_player_found() -> None:
    assert sound_command("linux", _which("pw-play", "paplay", "aplay")) == ["/usr/bin/pw-play"]
    assert sound_command("linux", _which("paplay", "aplay")) == ["/usr/bin/paplay"]
    assert sound_command("linux", _which("aplay")) == ["/usr/bin/aplay", "-q"]
    assert sound_command("linux", _which()) is None


def test_macos_uses_afplay_and_windows_no_process() -> None:
    assert sound_command("darwin", _which("afplay")) == ["/usr/bin/afplay"]
    assert sound_command("darwin", _which("paplay")) is None  # not a Linux player on a Mac
    assert sound_command("win32", _which("afplay", "paplay")) is None  # winsound plays in process


def test_the_notification_route_prefers_the_tray() -> None:
    assert choose_notification_route(True, "linux", _which("notify-send")) == "tray"
    assert choose_notification_route(False, "linux", _which("notify-send")) == "notify-send"
    assert choose_notification_route(False, "linux", _which()) == "none"
    assert choose_notification_route(False, "darwin", _which("notify-send")) == "none"
    assert choose_notification_route(True, "win32", _which()) == "tray"
    assert choose_notification_route(False, "win32", _which()) == "none"


def test_the_live_route_is_one_of_the_three(qapp: QApplication) -> None:
    assert notification_route() in ("tray", "notify-send", "none")


def test_notify_send_gets_separate_arguments_and_no_shell() -> None:
    args = notify_send_args("Fill", "-0.5 BTC; rm -rf ~ at $(whoami)")
    assert args == [
        "--app-name=trading-terminal",
        f"--icon={app_icon_path()}",
        "--",
        "Fill",
        "-0.5 BTC; rm -rf ~ at $(whoami)",
    ]


# ---- FillAlerts -----------------------------------------------------------------------------------


def test_nothing_happens_when_both_are_off(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "pw-play", "notify-send")
    alerts.on_fill("Bought 0.01 BTCUSDT at 65000")
    alerts.set_options(sound=False, notify=False)
    alerts.on_fill("Bought 0.01 BTCUSDT at 65000")
    assert recorder.launched == []
    assert recorder.beeps == 0


def test_a_fill_plays_the_packaged_chime(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "paplay", "aplay")
    alerts.set_options(sound=True, notify=False)
    alerts.on_fill("Bought 0.01 BTCUSDT at 65000")
    assert recorder.launched == [("/usr/bin/paplay", [chime_path()])]
    assert Path(chime_path()).samefile(PACKAGED_WAV)


def test_a_burst_of_fills_is_one_chime(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "pw-play")
    alerts.set_options(sound=True, notify=False)
    for _ in range(20):
        alerts.on_fill("fill")
        recorder.now += 0.01
    assert len(recorder.launched) == 1
    recorder.now += SOUND_GAP_S
    alerts.on_fill("fill")
    assert len(recorder.launched) == 2


def test_without_a_player_it_beeps(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder)
    alerts.set_options(sound=True, notify=False)
    alerts.on_fill("fill")
    assert recorder.launched == []
    assert recorder.beeps == 1


def test_a_player_that_does_not_start_falls_back_to_the_beep(qapp: QApplication) -> None:
    recorder = Recorder(started=False)
    alerts = _alerts(recorder, "aplay")
    alerts.set_options(sound=True, notify=False)
    alerts.on_fill("fill")
    assert recorder.launched == [("/usr/bin/aplay", ["-q", chime_path()])]
    assert recorder.beeps == 1


def test_windows_plays_through_winsound(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    played: list[str] = []
    monkeypatch.setattr(fill_alerts, "_play_winsound", played.append)
    recorder = Recorder()
    alerts = _alerts(recorder, platform="win32", route="none")
    alerts.set_options(sound=True, notify=True)
    alerts.on_fill("fill")
    alerts.on_fill("fill")  # within the gap
    assert played == [chime_path()]
    assert recorder.launched == []
    assert recorder.beeps == 0


def test_a_notification_goes_through_notify_send(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "notify-send", "pw-play")
    alerts.set_options(sound=False, notify=True)
    alerts.on_fill("Sold 0.5 ETHUSDT at 3000")
    assert recorder.launched == [("/usr/bin/notify-send", notify_send_args("Fill", "Sold 0.5 ETHUSDT at 3000"))]


def test_a_burst_of_fills_is_gathered_into_one_more_notification(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "notify-send")
    alerts.set_options(sound=False, notify=True)
    for n in range(5):
        alerts.on_fill(f"fill {n}")
        recorder.now += 0.01
    assert len(recorder.launched) == 1
    alerts.flush()  # the timer's call at the end of the gap
    assert len(recorder.launched) == 2
    assert recorder.launched[1][1][-2:] == ["4 fills", "fill 4\n(and 3 more)"]
    alerts.flush()
    assert len(recorder.launched) == 2


def test_the_gathered_notification_is_shown_by_its_timer(qtbot: QtBot) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "notify-send")
    alerts.set_options(sound=False, notify=True)
    alerts.on_fill("first")
    recorder.now += fill_alerts.NOTIFY_GAP_S - 0.05  # the timer waits out the rest: 50 ms
    alerts.on_fill("second")
    qtbot.waitUntil(lambda: len(recorder.launched) == 2, timeout=2000)
    assert recorder.launched[1][1][-2:] == ["Fill", "second"]


def test_switching_notifications_off_drops_what_was_waiting(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, "notify-send")
    alerts.set_options(sound=False, notify=True)
    alerts.on_fill("first")
    alerts.on_fill("second")
    alerts.set_options(sound=False, notify=False)
    alerts.flush()
    assert len(recorder.launched) == 1


def test_no_notification_service_means_nothing_is_launched(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, route="none")
    alerts.set_options(sound=False, notify=True)
    alerts.on_fill("fill")
    assert recorder.launched == []
    assert alerts.tray is None


def test_the_tray_icon_exists_only_while_notifications_are_on(qapp: QApplication) -> None:
    recorder = Recorder()
    alerts = _alerts(recorder, route="tray")
    assert alerts.findChild(QSystemTrayIcon) is None  # made lazily
    alerts.set_options(sound=False, notify=True)
    tray = alerts.tray
    assert tray is not None
    assert tray.isVisible()
    assert not tray.icon().isNull()
    alerts.set_options(sound=True, notify=False)
    assert alerts.tray is tray
    assert not tray.isVisible()
    assert recorder.launched == []


# ---- the chime file -------------------------------------------------------------------------------


def test_the_chime_is_a_short_quiet_mono_wav() -> None:
    with wave.open(str(PACKAGED_WAV), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert wav.getcomptype() == "NONE"
        assert 0.2 <= wav.getnframes() / wav.getframerate() <= 0.3
        frames = wav.readframes(wav.getnframes())
    samples = [int.from_bytes(frames[i : i + 2], "little", signed=True) for i in range(0, len(frames), 2)]
    assert max(abs(s) for s in samples) < 32767 // 2  # quiet: no clipping, well under full scale
    assert samples[0] == 0 and samples[-1] == 0  # starts and ends silent: no click
    assert PACKAGED_WAV.stat().st_size < 20_000


def test_the_packaged_chime_is_what_the_script_makes(tmp_path: Path) -> None:
    script = _sounds_script()
    out = tmp_path / "fill.wav"
    assert script.main(["--out", str(out)]) == 0
    assert out.read_bytes() == PACKAGED_WAV.read_bytes(), "run python packaging/sounds.py"
