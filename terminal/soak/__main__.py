"""``python -m terminal.soak``: random trading with faults injected against the demo exchange, memory
sampled over time, then the consistency check; prints a report, optionally writes it as JSON.

Exit status 0 when the terminal and the venue agree and nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from terminal.domain.redaction import RedactingFilter, protect_library_loggers
from terminal.soak.report import text, write_json
from terminal.soak.run import SoakError, run_soak
from terminal.soak.settings import DEFAULT_SYMBOLS, SoakSettings
from terminal.storage.log_format import HumanFormatter
from terminal.storage.logs import CurrentStderrHandler


def _symbols(value: str) -> tuple[str, ...]:
    symbols = tuple(dict.fromkeys(s.strip().upper() for s in value.split(",") if s.strip()))
    if not symbols:
        raise argparse.ArgumentTypeError("give at least one symbol, e.g. BTCUSDT,ETHUSDT")
    return symbols


def _interval(value: str) -> tuple[float, float]:
    low, sep, high = value.partition("-")
    try:
        bounds = (float(low), float(high if sep else low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not SECONDS or MIN-MAX seconds") from None
    if not 0 < bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"{value!r}: the seconds must be positive, the smaller first")
    return bounds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m terminal.soak",
        description="Random order activity with faults injected against the demo exchange; reports memory "
        "over time and whether the terminal ends up agreeing with the venue.",
    )
    parser.add_argument("--minutes", type=float, default=30.0, help="how long to trade (default 30)")
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the activity, the faults and the market (default 1)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON")
    parser.add_argument(
        "--symbols",
        type=_symbols,
        default=DEFAULT_SYMBOLS,
        help=f"comma-separated symbols of the demo exchange (default {','.join(DEFAULT_SYMBOLS)})",
    )
    parser.add_argument(
        "--rate", type=float, default=2.0, metavar="ORDERS_PER_S", help="order actions per second (default 2)"
    )
    parser.add_argument(
        "--fault-interval",
        type=_interval,
        default=(20.0, 60.0),
        metavar="MIN-MAX",
        help="seconds between injected faults, drawn uniformly (default 20-60)",
    )
    parser.add_argument("--sample-every", type=float, default=10.0, metavar="SECONDS", help="memory sample interval")
    parser.add_argument("--demo-rate", type=float, help="the demo market's activity per symbol (default: its own)")
    parser.add_argument("--log-level", default="INFO", help="log level on standard error (default INFO)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    return parser.parse_args(argv)


class _OneLineFormatter(HumanFormatter):
    """Without --debug an exception is logged as its type and message, never as a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            text = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record = logging.makeLogRecord({**record.__dict__, "msg": text, "args": None, "exc_info": None})
            record.exc_text = None
        return super().format(record)


def _setup_logging(level: str, debug: bool) -> None:
    """The terminal's human log format and redaction, on standard error only: no log file is written."""
    handler = CurrentStderrHandler()
    handler.setFormatter(HumanFormatter() if debug else _OneLineFormatter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    protect_library_loggers()
    logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = SoakSettings(
            minutes=args.minutes,
            seed=args.seed,
            symbols=args.symbols,
            rate=args.rate,
            fault_interval=args.fault_interval,
            sample_every=args.sample_every,
            demo_rate=args.demo_rate,
            debug=args.debug,
        )
        _setup_logging(args.log_level.upper(), args.debug)
    except ValueError as exc:
        print(f"soak: {exc}", file=sys.stderr)
        return 2
    try:
        result = run_soak(settings)
    except SoakError as exc:
        print(f"soak: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("soak: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"soak: unexpected error: {type(exc).__name__}: {exc} (--debug shows the traceback)", file=sys.stderr)
        return 1
    print(text(result), flush=True)
    if args.json is not None:
        try:
            write_json(args.json, result)
        except OSError as exc:
            print(f"soak: could not write {args.json}: {exc}", file=sys.stderr)
            return 1
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
