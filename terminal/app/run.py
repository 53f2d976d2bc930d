"""The QApplication, the qasync loop, and the window's life from first frame to clean exit.

The window, the chart and the venue clients are imported only after the demo exchange (when the
profile to open uses it) has been launched, so that its start-up overlaps theirs (about 0.6 s).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from terminal.app.demo_process import DemoProcess
from terminal.storage.app_settings import SettingsStore
from terminal.storage.logs import setup_logging
from terminal.storage.paths import default_paths
from terminal.storage.profiles import Profile, ProfileBook, ProfileError, ProfileStore
from terminal.storage.profiles import Venue as VenueKind
from terminal.ui import theme
from terminal.ui.icon import app_icon

if TYPE_CHECKING:
    from terminal.app.controller import Controller
    from terminal.app.window import AppWindow

log = logging.getLogger("terminal.app")
COMMAND_LINE_PROFILE = "Command line"


def _command_line_profile(args: argparse.Namespace) -> Profile | None:
    if getattr(args, "longbridge_url", None):
        return Profile(
            name=COMMAND_LINE_PROFILE,
            venue=VenueKind.LONGBRIDGE,
            rest_url=args.longbridge_url,
            stream_url=getattr(args, "longbridge_quote_url", None) or None,
            api_key=args.api_key or "",
        )
    if getattr(args, "webull_url", None):
        return Profile(
            name=COMMAND_LINE_PROFILE,
            venue=VenueKind.WEBULL,
            rest_url=args.webull_url,
            api_key=args.api_key or "",
            account=getattr(args, "webull_account", None) or "",
        )
    if args.deriv_url:
        return Profile(
            name=COMMAND_LINE_PROFILE,
            venue=VenueKind.DERIV,
            stream_url=args.deriv_url,
            app_id=args.deriv_app_id,
            api_key=args.api_key or "",
        )
    if not args.rest_url:
        return None
    return Profile(
        name=COMMAND_LINE_PROFILE,
        venue=VenueKind.HASHKEY,
        rest_url=args.rest_url,
        stream_url=args.stream_url,
        api_key=args.api_key or "",
    )


def run(args: argparse.Namespace, secret: str | None, access_token: str | None = None) -> int:
    paths = default_paths().ensure()
    logs = setup_logging(paths, args.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        extra = _command_line_profile(args)
    except ProfileError as exc:
        print(f"trading-terminal: {exc}", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    app.setApplicationName("trading-terminal")
    # Wayland shows no window icon: compositors find it through the desktop entry this names.
    app.setDesktopFileName("trading-terminal")
    app.setQuitOnLastWindowClosed(False)
    settings = SettingsStore(paths.settings_file)
    theme.apply(app, args.theme or settings.load().theme)  # before any widget is built in its colours
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    demo_arguments = ["--rate", str(args.demo_rate)] if args.demo_rate else None
    demo = DemoProcess()
    if extra is None and _opens_the_demo(args, ProfileStore(paths.profiles_file).load()):
        demo.launch_soon(loop, demo_arguments)
    from terminal.app.controller import Controller
    from terminal.app.window import AppWindow
    from terminal.storage.secrets import SecretStore

    window = AppWindow(paths.window_settings_file)
    window.paths = paths  # where Help > Logs and journal points
    window.attach_log(logs.buffer)
    controller = Controller(
        window,
        ProfileStore(paths.profiles_file),
        SecretStore(),
        fps=args.fps,
        theme=args.theme,
        settings_store=settings,
        extra_profile=extra,
        secret_override=secret,
        demo_arguments=demo_arguments,
        journal_file=paths.journal_file,
        demo=demo,
        access_token=access_token,
    )
    if args.api_key and secret is None:
        log.warning("--api-key given without $TERMINAL_API_SECRET: market data only")
    with loop:
        code: int = loop.run_until_complete(_life(app, window, controller, args))
    logs.teardown()
    return code


def _opens_the_demo(args: argparse.Namespace, book: ProfileBook) -> bool:
    """Whether the profile the window opens first runs on the built-in demo exchange (as ``_life``
    chooses it: the one named on the command line if there is one, else the last one used)."""
    named = book.find(args.profile) if args.profile else None
    profile = named or book.current
    return profile.venue is VenueKind.DEMO and profile.custom_hosts is None


async def _life(app: QApplication, window: AppWindow, controller: Controller, args: argparse.Namespace) -> int:
    closing = asyncio.Event()
    window.closing_requested = closing
    window.show()
    profile = controller.find(args.profile) if args.profile else None
    if args.profile and profile is None and controller.extra is None:
        log.error("there is no profile named %r; opening %s", args.profile, controller.book.current.name)
    target = controller.extra or profile or controller.book.current
    if args.exit_after is not None:
        QTimer.singleShot(int(args.exit_after * 1000), lambda: _finish(window, args))
    opening = asyncio.ensure_future(controller.open(target))
    await closing.wait()
    if not opening.done():
        opening.cancel()
    await asyncio.gather(opening, return_exceptions=True)
    await controller.shutdown()
    window.closing_requested = None
    window.close()
    app.processEvents()
    return 0


def _finish(window: AppWindow, args: argparse.Namespace) -> None:
    if args.screenshot is not None:
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(args.screenshot), "PNG"):
            log.error("could not save the screenshot to %s", args.screenshot)
    window.close()
