"""``trading-terminal`` / ``python -m terminal``: parse the command line, then run the window on qasync."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from terminal import __version__
from terminal.app.demo_process import DEMO_FLAG
from terminal.storage.app_settings import FPS_MAX, FPS_MIN, THEME_NAMES

log = logging.getLogger("terminal.app")

SECRET_VARIABLE = "TERMINAL_API_SECRET"  # never a command-line argument: it would show in `ps`
TOKEN_VARIABLE = "TERMINAL_ACCESS_TOKEN"  # the Longbridge access token for --longbridge-url, likewise


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="trading-terminal", description="A desktop trading terminal.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="open this profile (default: the last one used, or Demo)")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit cleanly after this many seconds")
    parser.add_argument("--screenshot", type=Path, metavar="PATH", help="save a PNG of the window just before quitting")
    parser.add_argument("--rest-url", help="attach to a HashKey-compatible REST base URL (with --stream-url)")
    parser.add_argument(
        "--stream-url", help="the WebSocket base to which /quote/ws/v1, /quote/ws/v2, /api/v1/ws/… are appended"
    )
    parser.add_argument(
        "--api-key",
        help=f"API key for --rest-url, the Deriv account for --deriv-url, or the app key for --webull-url and "
        f"--longbridge-url; its secret (token, app secret) is read from ${SECRET_VARIABLE}",
    )
    parser.add_argument("--deriv-url", help="attach to a Deriv-protocol WebSocket endpoint (wss://…/websockets/v3)")
    parser.add_argument(
        "--webull-url", help="attach to a Webull-compatible HTTP API host (https://host[:port]; needs --api-key)"
    )
    parser.add_argument(
        "--longbridge-url",
        help=f"attach to a Longbridge-compatible OpenAPI host (https://host[:port]; needs --api-key; the access "
        f"token is read from ${TOKEN_VARIABLE}, taken as valid for 90 days)",
    )
    parser.add_argument(
        "--longbridge-quote-url", metavar="URL", help="the Longbridge quote socket (wss://…) for --longbridge-url"
    )
    parser.add_argument("--webull-account", metavar="ID", help="the Webull account to trade (default: the first)")
    parser.add_argument("--deriv-app-id", type=int, default=1089, help="the Deriv app id (default 1089, for testing)")
    parser.add_argument(
        "--fps", type=int, help=f"frame-rate cap of the display, {FPS_MIN}-{FPS_MAX} (default: Settings, else 60)"
    )
    parser.add_argument("--theme", choices=THEME_NAMES, help="colours for this run (default: Settings, else dark)")
    parser.add_argument("--log-level", default="INFO", help="level of the log file (default INFO)")
    parser.add_argument("--demo-rate", type=float, help="activity of the built-in demo exchange (actions/s/symbol)")
    args = parser.parse_args(argv)
    if bool(args.rest_url) != bool(args.stream_url):
        parser.error("--rest-url and --stream-url go together")
    if args.deriv_url and args.rest_url:
        parser.error("--deriv-url and --rest-url cannot go together")
    if sum(bool(url) for url in (args.rest_url, args.deriv_url, args.webull_url, args.longbridge_url)) > 1:
        parser.error("--rest-url, --deriv-url, --webull-url and --longbridge-url cannot go together")
    if args.api_key and not (args.rest_url or args.deriv_url or args.webull_url or args.longbridge_url):
        parser.error("--api-key needs --rest-url and --stream-url, --deriv-url, --webull-url or --longbridge-url")
    if args.longbridge_url and not args.api_key:
        parser.error(
            f"--longbridge-url needs --api-key (the app key; its secret in ${SECRET_VARIABLE}, the access token "
            f"in ${TOKEN_VARIABLE})"
        )
    if args.longbridge_quote_url and not args.longbridge_url:
        parser.error("--longbridge-quote-url needs --longbridge-url")
    if args.webull_url and not args.api_key:
        parser.error("--webull-url needs --api-key (the app key; its secret in $TERMINAL_API_SECRET)")
    if args.webull_account and not args.webull_url:
        parser.error("--webull-account needs --webull-url")
    if args.fps is not None and not FPS_MIN <= args.fps <= FPS_MAX:
        parser.error(f"--fps must be from {FPS_MIN} to {FPS_MAX}")
    if args.exit_after is not None and args.exit_after <= 0:
        parser.error("--exit-after needs a positive number of seconds")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [DEMO_FLAG]:  # the frozen application running its own demo exchange
        from terminal.demo.__main__ import main as demo_main

        return demo_main(argv[1:])
    args = parse_args(argv)
    from terminal.app.run import run

    return run(args, os.environ.get(SECRET_VARIABLE), os.environ.get(TOKEN_VARIABLE))
