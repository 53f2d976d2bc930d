"""``python -m terminal.demo``: serve the demo exchange on 127.0.0.1.

The first line of standard output is one JSON object with the URLs and the demo user's keys, so a
parent process (the terminal, a test) can read where to connect.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from decimal import Decimal, InvalidOperation

import orjson

from terminal.demo.catalog import DEFAULT_BALANCES, DEFAULT_SYMBOLS
from terminal.demo.exchange import DemoConfig
from terminal.demo.server.app import DemoServer


def _balance(text: str) -> tuple[str, Decimal]:
    asset, sep, amount = text.partition("=")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        value = Decimal(-1)
    if not sep or not asset or not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not ASSET=AMOUNT with a non-negative amount")
    return asset.upper(), value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m terminal.demo", description="A HashKey-compatible demo exchange.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the market and the keys (default 7)")
    parser.add_argument(
        "--rate", type=float, default=8.0, help="market activity: actions per second per symbol (default 8)"
    )
    parser.add_argument(
        "--symbols",
        default=",".join(DEFAULT_SYMBOLS),
        help=f"comma-separated symbols (default {','.join(DEFAULT_SYMBOLS)})",
    )
    parser.add_argument(
        "--balance",
        type=_balance,
        action="append",
        metavar="ASSET=AMOUNT",
        help="a starting balance of the demo user; repeat for several (default "
        + ", ".join(f"{k}={v}" for k, v in DEFAULT_BALANCES.items())
        + ")",
    )
    parser.add_argument("--history-days", type=int, default=30, help="days of 1-minute history (default 30)")
    parser.add_argument(
        "--feed-rate",
        type=float,
        default=0.0,
        metavar="N",
        help="load tests: push N public state messages per second (depth, bbo, realtimes, kline), shared "
        "equally by every subscription, whatever changed; trades follow the market (default 0: the venue's cadences)",
    )
    parser.add_argument("--quiet", action="store_true", help="no market simulation: an empty, still exchange")
    parser.add_argument("--log-level", default="WARNING", help="logging level (default WARNING)")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> int:
    balances = dict(args.balance) if args.balance else dict(DEFAULT_BALANCES)
    symbols = tuple(s.strip().upper() for s in args.symbols.split(",") if s.strip())
    try:
        config = DemoConfig(
            seed=args.seed,
            rate=args.rate,
            symbols=symbols,
            balances=balances,
            history_days=args.history_days,
            feed_rate=args.feed_rate,
        )
        server = DemoServer(config, port=args.port, simulate=not args.quiet)
    except ValueError as exc:
        print(f"demo exchange: {exc}", file=sys.stderr)
        return 2
    try:
        endpoints = await server.start()
    except (OSError, SystemExit) as exc:
        print(f"demo exchange: cannot listen on port {args.port}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(orjson.dumps(endpoints.as_dict()).decode() + "\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            try:
                loop.add_signal_handler(getattr(signal, name), stop.set)
            except NotImplementedError:  # Windows event loops
                signal.signal(getattr(signal, name), lambda *_: loop.call_soon_threadsafe(stop.set))
    watcher = asyncio.create_task(_exit_with_parent(stop))
    await server.serve_until(stop)
    watcher.cancel()
    return 0


async def _exit_with_parent(stop: asyncio.Event) -> None:
    """Stop when the process that started us is gone (a crashed terminal must not leave us running)."""
    parent = os.getppid()
    while not stop.is_set():
        await asyncio.sleep(1.0)
        if os.getppid() != parent:
            stop.set()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:
        return 0
    except SystemExit as exc:
        # uvicorn exits from inside its own task when it cannot start serving (a taken port, above
        # all); asyncio lets that past ``_serve``, so it is said here, as the last line of errors.
        print(f"demo exchange: cannot listen on port {args.port} (uvicorn exit status {exc.code})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
