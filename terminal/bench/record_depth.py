"""Record the depth messages the ingest benchmark replays: ``python -m terminal.bench.record_depth``.

The demo exchange's market runs on a simulated clock at a brisk pace and every book change of
BTCUSDT is rendered by the demo's own v1 depth message builder, exactly as its WebSocket server
would send it (top 200 levels a side at most). Deterministic: the same seed gives the same file.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import orjson

from terminal.bench.ingest import RECORDING
from terminal.demo.exchange import DemoConfig, DemoExchange
from terminal.demo.server import ws_wire
from terminal.demo.simulator import MarketSimulator

START_MS = 1_767_225_600_000  # 2026-01-01 00:00 UTC, any fixed time will do


def record(count: int, seed: int, symbol: str = "BTCUSDT") -> list[bytes]:
    now = [START_MS]
    exchange = DemoExchange(DemoConfig(seed=seed, rate=200.0, symbols=(symbol,), history_days=1), clock=lambda: now[0])
    simulator = MarketSimulator(exchange)
    simulator.bootstrap()
    name = exchange.listings[symbol].instrument.name or symbol
    messages: list[bytes] = []
    version = ""
    while len(messages) < count:
        now[0] += 5
        simulator.step(now[0])
        snapshot = exchange.depth(symbol, 200)
        if snapshot.version == version:
            continue
        version = snapshot.version
        data = ws_wire.v1_depth(snapshot)
        message = ws_wire.v1_message(
            symbol, name, "depth", ws_wire.v1_params(), [data], first=not messages, send_time=now[0], channel_id="bench"
        )
        messages.append(orjson.dumps(message))
    return messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m terminal.bench.record_depth")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=RECORDING)
    args = parser.parse_args(argv)
    messages = record(args.count, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wb", compresslevel=9) as handle:
        for message in messages:
            handle.write(message + b"\n")
    print(f"wrote {len(messages)} messages to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
