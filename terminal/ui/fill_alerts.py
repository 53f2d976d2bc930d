"""A chime and a desktop notification when an order fills, each switched on in the settings.

No QtMultimedia and no threads: the chime plays through winsound's async mode or a detached
system player; notifications go through the tray icon or ``notify-send``.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import shutil
import sys
import time
from collections.abc import Callable
from importlib.resources import as_file, files
from typing import Literal

from PySide6.QtCore import QObject, QProcess, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from terminal.ui.icon import app_icon, app_icon_path

log = logging.getLogger("terminal.ui.fill_alerts")

Launch = Callable[[str, list[str]], bool]  # (program, arguments) -> started
Which = Callable[[str], str | None]
NotificationRoute = Literal["tray", "notify-send", "none"]

APP_NAME = "trading-terminal"
TITLE = "Fill"  # partial fills too: the body says which
SOUND_GAP_S = 0.3  # a burst of fills within this is one chime
NOTIFY_GAP_S = 2.0  # fills within this after a notification are gathered into the next one
# The first found wins: PipeWire's player, then PulseAudio's, then bare ALSA.
LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("pw-play",), ("paplay",), ("aplay", "-q"))


def sound_command(platform: str, which: Which = shutil.which) -> list[str] | None:
    """The player's argv for ``platform`` (a ``sys.platform`` value), to which the file is appended;
    None when no player process is used: Windows plays through winsound, elsewhere the beep is left."""
    if platform == "win32":
        return None
    candidates = (("afplay",),) if platform == "darwin" else LINUX_PLAYERS
    for program, *options in candidates:
        path = which(program)
        if path:
            return [path, *options]
    return None


def choose_notification_route(tray_messages: bool, platform: str, which: Which = shutil.which) -> NotificationRoute:
    """Tray messages where the desktop has a tray that shows them; else notify-send on freedesktop systems."""
    if tray_messages:
        return "tray"
    if platform not in ("win32", "darwin") and which("notify-send"):
        return "notify-send"
    return "none"


def notification_route() -> NotificationRoute:
    """The route on this desktop now (needs a QApplication); "none" means fills show in the window only."""
    tray = QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()
    return choose_notification_route(tray, sys.platform)


def notify_send_args(title: str, body: str) -> list[str]:
    """notify-send's arguments: separate argv items, never a shell; "--" so a body like "-0.5 BTC" is not an option."""
    return [f"--app-name={APP_NAME}", f"--icon={app_icon_path()}", "--", title, body]


def start_detached(program: str, arguments: list[str]) -> bool:
    """Start ``program`` without waiting for it: it outlives nothing of ours and blocks nothing."""
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)


_files = contextlib.ExitStack()
atexit.register(_files.close)


@functools.cache
def chime_path() -> str:
    """The packaged chime as a real file; a zipped package is extracted once and kept until exit,
    since a detached player opens the file after we return."""
    return str(_files.enter_context(as_file(files("terminal") / "assets" / "fill.wav")))


def _play_winsound(path: str) -> None:
    if sys.platform == "win32":
        import winsound

        # SND_ASYNC returns at once; SND_NODEFAULT: a missing file stays silent rather than dinging.
        winsound.PlaySound(path, winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)


class FillAlerts(QObject):
    """Call ``on_fill`` for every fill; it does what ``set_options`` switched on (both off at first)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        launch: Launch = start_detached,
        clock: Callable[[], float] = time.monotonic,
        platform: str = sys.platform,
        which: Which = shutil.which,
        route: NotificationRoute | None = None,
        beep: Callable[[], None] = QApplication.beep,
    ) -> None:
        super().__init__(parent)
        self._launch, self._clock, self._platform, self._which, self._beep = launch, clock, platform, which, beep
        self._route = route  # found on first need: it asks the desktop
        self.sound = False
        self.notify = False
        self._player: list[str] | None = None
        self._player_found = False
        self._last_sound: float | None = None
        self._last_notice: float | None = None
        self._pending: list[str] = []  # fills waiting for the notification gap to pass
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.tray: QSystemTrayIcon | None = None

    @property
    def route(self) -> NotificationRoute:
        if self._route is None:
            self._route = notification_route()
        return self._route

    def set_options(self, sound: bool, notify: bool) -> None:
        self.sound, self.notify = sound, notify
        if not notify:
            self._pending.clear()
            self._timer.stop()
        # Some platforms show tray messages only from a visible icon: it is there while notifications are on.
        if notify and self.route == "tray":
            if self.tray is None:
                self.tray = QSystemTrayIcon(app_icon(), self)
                self.tray.setToolTip(APP_NAME)
            self.tray.show()
        elif self.tray is not None:
            self.tray.hide()

    def on_fill(self, text: str) -> None:
        if self.sound:
            self._chime()
        if self.notify:
            self._notify(text)

    # ---- sound --------------------------------------------------------------------------------

    def _chime(self) -> None:
        now = self._clock()
        if self._last_sound is not None and now - self._last_sound < SOUND_GAP_S:
            return
        self._last_sound = now
        if self._platform == "win32":
            _play_winsound(chime_path())
            return
        if not self._player_found:  # players are not installed while the app runs: look once
            self._player, self._player_found = sound_command(self._platform, self._which), True
        if self._player and self._launch(self._player[0], [*self._player[1:], chime_path()]):
            return
        if self._player:
            log.debug("could not start %s; beeping instead", self._player[0])
        self._beep()

    # ---- notification -------------------------------------------------------------------------

    def _notify(self, text: str) -> None:
        now = self._clock()
        waited = None if self._last_notice is None else now - self._last_notice
        if waited is not None and waited < NOTIFY_GAP_S:
            # One bubble per gap: a burst of fills must not stack twenty of them.
            self._pending.append(text)
            if not self._timer.isActive():
                self._timer.start(round((NOTIFY_GAP_S - waited) * 1000))
            return
        self._show(TITLE, text)

    def flush(self) -> None:
        """Show the fills gathered during the gap as one notification (the timer calls this)."""
        if not self._pending or not self.notify:
            self._pending.clear()
            return
        pending, self._pending = self._pending, []
        body = pending[0] if len(pending) == 1 else f"{pending[-1]}\n(and {len(pending) - 1} more)"
        self._show(TITLE if len(pending) == 1 else f"{len(pending)} fills", body)

    def _show(self, title: str, body: str) -> None:
        self._last_notice = self._clock()
        route = self.route
        if route == "tray" and self.tray is not None:
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 5000)
        elif route == "notify-send":
            program = self._which("notify-send")
            if program and not self._launch(program, notify_send_args(title, body)):
                log.debug("could not start %s", program)
