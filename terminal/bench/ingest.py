"""Stream ingest: decode + apply of recorded depth messages, against ccxt's order book as the peer.

Both sides get the same recorded v1 depth messages (the shape ccxt's HashKey stream handles) as
bytes, decode them with orjson, and apply them to a book. Ours keeps levels as sent and parses
what is read; ccxt converts every level to floats and rebuilds its sorted sides. A second figure
also reads the top 20 levels of each side per message, to show the cost of reading included.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from terminal.bench.report import Result, throughput
from terminal.domain.book import BookKeeper
from terminal.venues.base import BookEvent
from terminal.venues.hashkey.stream_wire import Decoded, decode_public

RECORDING = Path(__file__).resolve().parents[2] / "resources" / "bench" / "depth_v1_btcusdt.jsonl.gz"


def load_messages(path: Path = RECORDING) -> list[bytes]:
    with gzip.open(path, "rb") as handle:
        return [line.rstrip(b"\n") for line in handle if line.strip()]


def ours(read_levels: int = 0) -> Callable[[Sequence[bytes]], None]:
    def ingest(messages: Sequence[bytes]) -> None:
        keeper = BookKeeper()  # a fresh book each pass: a replay must not be refused as old versions
        for raw in messages:
            decoded = decode_public(orjson.loads(raw))
            if isinstance(decoded, Decoded):
                for event in decoded.events:
                    if isinstance(event, BookEvent):
                        accepted = keeper.apply(event.book)
                        assert accepted, "a recorded book was refused: the recording is out of order"
                        if read_levels:
                            event.book.bids.top(read_levels)
                            event.book.asks.top(read_levels)

    return ingest


def peer() -> Callable[[Sequence[bytes]], None] | None:
    """ccxt's own HashKey depth handler and order book, fed the same bytes; None if not installed."""
    try:
        import ccxt.pro
    except ImportError:
        return None
    exchange: Any = ccxt.pro.hashkey()

    class _Client:
        def resolve(self, *_: object) -> None:
            pass

    client = _Client()

    def ingest(messages: Sequence[bytes]) -> None:
        exchange.orderbooks = {}  # a fresh book each pass, as for ours
        handle = exchange.handle_order_book
        for raw in messages:
            handle(client, orjson.loads(raw))

    return ingest


def rate(ingest: Callable[[Sequence[bytes]], None], messages: Sequence[bytes], seconds: float) -> float:
    """Messages per second on this core: the best of repeated passes over the recording."""
    best = 0.0
    deadline = time.perf_counter() + seconds
    while True:
        started = time.perf_counter()
        ingest(messages)
        elapsed = time.perf_counter() - started
        best = max(best, len(messages) / elapsed)
        if time.perf_counter() >= deadline:
            return best


def run(quick: bool) -> list[Result]:
    messages = load_messages()
    seconds = 1.0 if quick else 8.0
    sides = [orjson.loads(raw)["data"][0] for raw in messages]
    levels = sum(len(side["b"]) + len(side["a"]) for side in sides) / (2 * len(sides))
    what = f"{len(messages)} recorded v1 depth messages, {levels:.0f} levels a side on average, one core"
    peer_ingest = peer()
    peer_rate = rate(peer_ingest, messages, seconds) if peer_ingest else None
    note = (
        "peer: ccxt.pro hashkey handle_order_book"
        if peer_ingest
        else "peer: ccxt not installed (pip install '.[bench]')"
    )
    return [
        throughput("ingest.depth_msgs_per_s", rate(ours(), messages, seconds), "msg/s", peer_rate, f"{what}; {note}"),
        throughput(
            "ingest.depth_msgs_per_s_read20",
            rate(ours(read_levels=20), messages, seconds),
            "msg/s",
            peer_rate,
            f"same, and the top 20 levels of each side read as Decimal per message; {note}",
        ),
    ]
