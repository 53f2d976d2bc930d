"""Stock market data: snapshots, depth of book (``depths/list``, the SDK's "quotes") and batch bars."""

from __future__ import annotations

import json
import random
from decimal import Decimal

from tests.support.webull.bars import DEFAULT_COUNT, TIMESPANS, bars_ending, max_count
from tests.support.webull.calls import Call
from tests.support.webull.errors import bad_parameter, rejected
from tests.support.webull.instruments import BY_SYMBOL, DATA_CATEGORIES, FakeInstrument, in_category
from tests.support.webull.market import Quote
from tests.support.webull.wire import JSON, bar_time, millis, text

MAX_SYMBOLS = 100
MAX_DEPTH = 50  # "For U.S. stocks, Level 2 supports up to 50 levels."
DEFAULT_DEPTH = 10  # "Level 2 becomes effective, with 10 levels by default."


def symbol_list(value: JSON) -> list[str]:
    """Symbols as a JSON list, a JSON-array string, or comma-separated text (all three are documented)."""
    if isinstance(value, str) and value.startswith("["):
        value = json.loads(value)
    if isinstance(value, list):
        return [str(item) for item in value if item]
    if isinstance(value, str):
        return [item for item in value.split(",") if item]
    return []


def instruments_for(symbols: list[str], category: str) -> list[FakeInstrument]:
    if category not in DATA_CATEGORIES:
        raise rejected("UNSUPPORTED_CATEGORY", "Unsupported CATEGORY.")
    if not symbols:
        raise bad_parameter("symbols is required")
    if len(symbols) > MAX_SYMBOLS:
        raise rejected("TOO_MANY_SYMBOLS", "Too many symbols in a single call.")
    found = [BY_SYMBOL.get(symbol) for symbol in symbols]
    if any(item is None or not in_category(item, category) for item in found):
        raise rejected("INVALID_SYMBOL", "Wrong symbol.")
    return [item for item in found if item is not None]


def level_size(quote: Quote, seed: int, side: str, level: int) -> Decimal:
    rng = random.Random(f"{seed}:{quote.instrument.symbol}:{quote.volume}:{quote.price}:{side}:{level}")
    return rng.randint(1, 20) * quote.instrument.lot_size


def snapshot_row(quote: Quote, seed: int) -> JSON:
    """SnapshotVo (reference: "List Stock Snapshots")."""
    change = quote.price - quote.pre_close
    return {
        "symbol": quote.instrument.symbol,
        "instrument_id": quote.instrument.instrument_id,
        "price": text(quote.price),
        "open": text(quote.open),
        "high": text(quote.high),
        "low": text(quote.low),
        "close": text(quote.price),
        "pre_close": text(quote.pre_close),
        "change": text(change),
        "change_ratio": text((change / quote.pre_close).quantize(Decimal("0.0001"))),
        "volume": str(quote.volume),
        "last_trade_time": millis(quote.updated_at),
        "ask": text(quote.ask),
        "ask_size": text(level_size(quote, seed, "ask", 1)),
        "bid": text(quote.bid),
        "bid_size": text(level_size(quote, seed, "bid", 1)),
        "lot_size": text(quote.instrument.lot_size),
    }


def snapshot(call: Call) -> JSON:
    chosen = instruments_for(symbol_list(call.query.get("symbols", "")), call.param("category"))
    quotes = call.state.market.quotes
    return [snapshot_row(quotes[item.symbol], call.state.config.seed) for item in chosen]


def depth_level(quote: Quote, seed: int, side: str, level: int) -> JSON:
    price = quote.above(quote.price, level) if side == "ask" else quote.below(quote.price, level)
    size = text(level_size(quote, seed, side, level))
    row: dict[str, JSON] = {"price": text(price), "size": size, "order": [{"mpid": "NSDQ", "size": size}]}
    if quote.instrument.market == "HK":
        row["broker"] = [{"bid": str(1000 + level), "name": f"FAKE BROKER {level}"}]
    return row


def depth(call: Call) -> JSON:
    (item,) = instruments_for([call.param("symbol")], call.param("category"))
    levels = call.query.get("depth") or str(DEFAULT_DEPTH)
    if not levels.isdigit() or not 1 <= int(levels) <= MAX_DEPTH:
        raise bad_parameter(f"depth must be 1..{MAX_DEPTH}")
    quote = call.state.market.quotes[item.symbol]
    seed = call.state.config.seed
    quote_levels = [level for level in range(1, int(levels) + 1) if quote.below(quote.price, level) > 0]
    return {
        "symbol": item.symbol,
        "instrument_id": item.instrument_id,
        "quote_time": str(millis(quote.updated_at)),
        "asks": [depth_level(quote, seed, "ask", level) for level in range(1, int(levels) + 1)],
        "bids": [depth_level(quote, seed, "bid", level) for level in quote_levels],
    }


def count_of(value: JSON, timespan: str) -> int:
    if value is None:
        return DEFAULT_COUNT
    if not str(value).isdigit() or not 1 <= int(str(value)) <= max_count(timespan):
        raise bad_parameter(f"count must be 1..{max_count(timespan)}")
    return int(str(value))


def epoch_ms(value: JSON, name: str) -> int:
    if not str(value).isdigit():
        raise bad_parameter(f"{name} must be a timestamp in milliseconds")
    return int(str(value))


def bars(call: Call) -> JSON:
    fields = call.fields()
    category = fields.get("category")
    timespan = fields.get("timespan")
    if not isinstance(category, str) or not isinstance(timespan, str):
        raise bad_parameter("category and timespan are required")
    chosen = instruments_for(symbol_list(fields.get("symbols")), category)
    if timespan not in TIMESPANS:
        raise rejected("UNSUPPORTED_TIMESPAN", "Unsupported candlestick type.")
    count = count_of(fields.get("count"), timespan)
    end = call.state.clock()
    if fields.get("end_time") is not None:
        end = min(end, epoch_ms(fields["end_time"], "end_time") / 1000)
    start = epoch_ms(fields["start_time"], "start_time") / 1000 if fields.get("start_time") is not None else None
    result = []
    for item in chosen:
        series = bars_ending(call.state.market.quotes[item.symbol], timespan, count, end, call.state.config.seed)
        rows = [
            {
                "time": bar_time(bar.start),
                "open": text(bar.open),
                "close": text(bar.close),
                "high": text(bar.high),
                "low": text(bar.low),
                "volume": str(bar.volume),
            }
            for bar in series
            if start is None or bar.start >= start
        ]
        result.append({"symbol": item.symbol, "instrument_id": item.instrument_id, "result": rows})
    return {"result": result}
