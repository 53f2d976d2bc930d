"""Market data calls: ticks (always a stream) and ticks_history (ticks or candles, optionally followed by a
tick or ohlc stream)."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.deriv.connection import Stream, Subscription, ensure_new
from tests.support.deriv.state import Context
from tests.support.deriv.streams import tick_body
from tests.support.deriv.symbols import Symbol
from tests.support.deriv.wire import DerivError, num

MAX_COUNT = 5000  # Deriv returns at most this many ticks or candles
DEFAULT_COUNT = 1000
DAY = 86400


def ticks(ctx: Context) -> None:
    wanted = ctx.request.body["ticks"]
    codes = [wanted] if isinstance(wanted, str) else list(wanted)
    if not codes:
        raise DerivError("InvalidSymbol", "Symbol  is invalid.")
    symbols = [ctx.state.market.symbol(code) for code in codes]
    for index, symbol in enumerate(symbols):
        if not symbol.is_open:
            raise DerivError("MarketIsClosed", "This market is presently closed.")
        ensure_new(_tick_streams(ctx, symbol), symbol.code)
        if symbol.code in codes[:index]:
            raise DerivError("AlreadySubscribed", f"You are already subscribed to {symbol.code}.")
    # Deriv's ticks call always streams; its first message is the latest tick.
    for symbol in symbols:
        subscription = ctx.subscribe(Stream.TICKS, symbol=symbol.code)
        ctx.reply("tick", tick_body(symbol, ctx.state.market.last(symbol.code), subscription.id), subscription.id)


def ticks_history(ctx: Context) -> None:
    body, market = ctx.request.body, ctx.state.market
    symbol = market.symbol(body["ticks_history"])
    end = ctx.state.now() if body["end"] == "latest" else int(body["end"])
    count = min(max(int(body.get("count", DEFAULT_COUNT)), 1), MAX_COUNT)
    # Without a count Deriv starts a day back; with one, the latest `count` up to `end` come back.
    start = int(body.get("start", end - DAY if "count" not in body else 0))
    if start > end:
        raise DerivError("InvalidStartEnd", "Start time must be before end time.")
    # A closed market answers with its history but streams nothing.
    subscribe = body.get("subscribe") == 1 and symbol.is_open
    if body.get("style", "ticks") == "candles":
        granularity = int(body.get("granularity", 60))
        candles = ctx.state.candles.candles(symbol.code, granularity, end, count, start)
        subscription_id = None
        if subscribe:
            same = [
                s for s in ctx.conn.streams(Stream.CANDLES) if s.symbol == symbol.code and s.granularity == granularity
            ]
            ensure_new(same, symbol.code)
            subscription_id = ctx.subscribe(Stream.CANDLES, symbol=symbol.code, granularity=granularity).id
        rows = [
            {"close": num(c.close), "epoch": c.open_time, "high": num(c.high), "low": num(c.low), "open": num(c.open)}
            for c in candles
        ]
        ctx.reply("candles", {"candles": rows, "pip_size": symbol.pip_size}, subscription_id)
        return
    window = market.window(symbol.code, start, end, count)
    subscription_id = None
    if subscribe:
        ensure_new(_tick_streams(ctx, symbol), symbol.code)
        subscription_id = ctx.subscribe(Stream.TICKS, symbol=symbol.code).id
    history = {"prices": [num(t.quote) for t in window], "times": [t.epoch for t in window]}
    ctx.reply("history", {"history": history, "pip_size": symbol.pip_size}, subscription_id)


def _tick_streams(ctx: Context, symbol: Symbol) -> list[Subscription]:
    # ticks and ticks_history (style ticks) feed the same stream: one of either per symbol.
    return [s for s in ctx.conn.streams(Stream.TICKS) if s.symbol == symbol.code]


HANDLERS: dict[str, Callable[[Context], None]] = {"ticks": ticks, "ticks_history": ticks_history}
