"""HashKey WebSocket messages -> normalized venue events (004, "WEBSOCKET API").

Public v1 messages carry ``symbol``, ``topic`` and a ``data`` array; v2 messages carry ``topic``,
``params.symbol`` and a ``data`` object. Private messages are JSON arrays of events
(outboundAccountInfo, executionReport, ticketInfo); every element is an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from terminal.domain.balance import Balance
from terminal.domain.book import BookSide, OrderBook
from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.intervals import Interval
from terminal.domain.market import BookTicker, Candle, PublicTrade, Ticker
from terminal.domain.orders import Fill, Order, OrderUpdate
from terminal.venues.base import (
    BalanceEvent,
    BboEvent,
    BookEvent,
    CandleEvent,
    FillEvent,
    OrderEvent,
    SubscriptionKey,
    TickerEvent,
    Topic,
    TradesEvent,
    VenueEvent,
)
from terminal.venues.wire import WireObject

_V1_TOPICS = {"depth": Topic.DEPTH, "trade": Topic.TRADES, "kline": Topic.CANDLES, "realtimes": Topic.TICKER}
_V2_TOPICS = {**_V1_TOPICS, "bbo": Topic.BBO}
WIRE_TOPIC = {
    Topic.DEPTH: "depth",
    Topic.TRADES: "trade",
    Topic.CANDLES: "kline",
    Topic.TICKER: "realtimes",
    Topic.BBO: "bbo",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    """A data message: the subscription it belongs to and what it says."""

    key: SubscriptionKey
    events: tuple[VenueEvent, ...]


@dataclass(frozen=True, slots=True)
class Control:
    """A pong, a ping, or an error answer."""

    pong: int | None = None
    ping: int | None = None
    error: str = ""
    topic: str = ""
    symbol: str = ""


# ---- subscription requests ----------------------------------------------------------------------


def v1_request(key: SubscriptionKey, event: str) -> dict[str, object]:
    topic = WIRE_TOPIC[key.topic]
    if key.topic is Topic.CANDLES and key.interval is not None:
        topic = f"kline_{key.interval}"
    return {"symbol": key.symbol, "topic": topic, "event": event, "params": {"binary": False}}


def v2_request(key: SubscriptionKey, event: str) -> dict[str, object]:
    params: dict[str, object] = {"symbol": key.symbol}
    if key.topic is Topic.CANDLES and key.interval is not None:
        params["klineType"] = str(key.interval)
    return {"topic": WIRE_TOPIC[key.topic], "event": event, "params": params}


# ---- public messages ------------------------------------------------------------------------------


def decode_public(message: Any) -> Decoded | Control | None:
    """Decode one public message (v1 or v2); None for messages that carry nothing for us."""
    if not isinstance(message, Mapping):
        return None
    if "pong" in message:
        pong = message["pong"]
        return Control(pong=pong if isinstance(pong, int) else 0)
    if "ping" in message:
        ping = message["ping"]
        return Control(ping=ping if isinstance(ping, int) else 0)
    topic = message.get("topic")
    params = message.get("params") or {}
    if "code" in message and ("msg" in message or "message" in message) and "data" not in message:
        return Control(
            error=str(message.get("msg") or message.get("message")),
            topic=str(topic or ""),
            symbol=str(message.get("symbol") or (params.get("symbol") if isinstance(params, Mapping) else "") or ""),
        )
    data = message.get("data")
    if not isinstance(topic, str) or data is None or not isinstance(params, Mapping):
        return None
    if isinstance(data, list):  # v1
        symbol = message.get("symbol")
        kind = _V1_TOPICS.get(topic)
        rows = data
    else:  # v2
        symbol = params.get("symbol")
        kind = _V2_TOPICS.get(topic)
        rows = [data]
    if kind is None or not isinstance(symbol, str):
        return None
    interval = _interval(params.get("klineType")) if kind is Topic.CANDLES else None
    key = SubscriptionKey(kind, symbol, interval)
    first = bool(message.get("f"))
    if not rows:
        # A first trade message with no trades says "nothing traded lately": still a snapshot.
        return Decoded(key, (TradesEvent(symbol, (), snapshot=True),) if kind is Topic.TRADES and first else ())
    return Decoded(key, _events(key, rows, first))


def _interval(value: object) -> Interval | None:
    try:
        return Interval(str(value))
    except ValueError:
        return None


def _events(key: SubscriptionKey, rows: list[Any], first: bool) -> tuple[VenueEvent, ...]:
    symbol = key.symbol
    if key.topic is Topic.DEPTH:
        # The hot path: keep levels as sent; they are parsed when read (terminal.domain.book).
        row = rows[-1]
        book = OrderBook(
            symbol, BookSide(row.get("b") or ()), BookSide(row.get("a") or ()), int(row["t"]), str(row.get("v", ""))
        )
        return (BookEvent(book),)
    if key.topic is Topic.TRADES:
        trades = tuple(_trade(symbol, WireObject(row, "trade")) for row in rows)
        return (TradesEvent(symbol, trades, snapshot=first),)
    if key.topic is Topic.CANDLES:
        if key.interval is None:
            return ()
        interval = key.interval
        return tuple(CandleEvent(symbol, interval, _candle(WireObject(row, "kline"))) for row in rows)
    if key.topic is Topic.TICKER:
        return tuple(TickerEvent(_ticker(symbol, WireObject(row, "realtimes"))) for row in rows)
    row = WireObject(rows[-1], "bbo")
    quote = BookTicker(
        symbol=symbol,
        bid=row.opt_decimal("b"),
        bid_qty=row.opt_decimal("bz") or ZERO,
        ask=row.opt_decimal("a"),
        ask_qty=row.opt_decimal("az") or ZERO,
        time_ms=row.opt_integer("t"),
    )
    return (BboEvent(quote),)


def _trade(symbol: str, row: WireObject) -> PublicTrade:
    # reference/SIGNING.md: "m: true means the buyer is the maker, so the aggressor sold".
    return PublicTrade(
        symbol=symbol,
        time_ms=row.integer("t"),
        price=row.decimal("p"),
        quantity=row.decimal("q"),
        buyer_is_maker=row.flag("m", False),
        trade_id=row.opt_text("v"),
    )


def _candle(row: WireObject) -> Candle:
    return Candle(
        open_time_ms=row.integer("t"),
        open=row.decimal("o"),
        high=row.decimal("h"),
        low=row.decimal("l"),
        close=row.decimal("c"),
        volume=row.opt_decimal("v") or ZERO,
        quote_volume=row.opt_decimal("qv") or ZERO,
        trades=row.opt_integer("td"),
        taker_buy_volume=row.opt_decimal("tb") or ZERO,
        taker_buy_quote_volume=row.opt_decimal("tq") or ZERO,
    )


def _ticker(symbol: str, row: WireObject) -> Ticker:
    return Ticker(
        symbol=symbol,
        time_ms=row.opt_integer("t"),
        last=row.decimal("c"),
        open=row.decimal("o"),
        high=row.decimal("h"),
        low=row.decimal("l"),
        volume=row.opt_decimal("v") or ZERO,
        quote_volume=row.opt_decimal("qv") or ZERO,
    )


# ---- private messages -----------------------------------------------------------------------------


def decode_private(message: Any) -> tuple[list[VenueEvent], Control | None]:
    """Events of one private message (a JSON array), or the server's ping."""
    if isinstance(message, Mapping):
        if "ping" in message:
            ping = message["ping"]
            return [], Control(ping=ping if isinstance(ping, int) else 0)
        if "pong" in message:
            return [], Control(pong=0)
        return [], None
    if not isinstance(message, list):
        return [], None
    events: list[VenueEvent] = []
    for index, item in enumerate(message):
        row = WireObject(item, f"userData[{index}]")
        kind = row.opt_text("e")
        if kind == "outboundAccountInfo":
            events.append(_balances(row))
        elif kind == "executionReport":
            events.extend(_execution(row))
        # ticketInfo repeats what executionReport says of a fill, without the commission, and
        # custody/fiat account updates do not concern trading: neither is needed here.
    return events, None


def _balances(row: WireObject) -> BalanceEvent:
    balances = []
    for item in row.objects("B"):
        free, locked = item.decimal("f"), item.opt_decimal("l") or ZERO
        balances.append(Balance(asset=item.text("a"), free=free, locked=locked, total=free + locked))
    return BalanceEvent(tuple(balances), complete=False)


def _execution(row: WireObject) -> list[VenueEvent]:
    wire_type = row.text("o")
    # 004, executionReport example: a market buy by quote amount is reported as "MARKET_OF_QUOTE".
    order_type = OrderType.MARKET if wire_type.startswith("MARKET") else OrderType(wire_type)
    status = row.enum("X", OrderStatus)
    side = row.enum("S", Side)
    updated = row.opt_integer("E")
    price = row.opt_decimal("p")
    order = Order(
        symbol=row.text("s"),
        side=side,
        type=order_type,
        client_order_id=row.text("c"),
        order_id=row.text("i"),
        quantity=row.opt_decimal("q") or ZERO,
        price=price if price and order_type is not OrderType.MARKET else None,
        amount=row.opt_decimal("reqAmt") or ZERO,
        time_in_force=row.enum("f", TimeInForce) if row.has("f") else None,
        venue_status=status,
        local_status=status,
        executed_qty=row.opt_decimal("z") or ZERO,
        cumulative_quote_qty=row.opt_decimal("Z") or ZERO,
        avg_price=row.opt_decimal("V") or ZERO,
        created_ms=row.opt_integer("O") or updated,
        updated_ms=updated,
        cancel_reason=row.opt_text("x"),
    )
    update = OrderUpdate(
        client_order_id=order.client_order_id,
        status=status,
        executed_qty=order.executed_qty,
        cumulative_quote_qty=order.cumulative_quote_qty,
        order_id=order.order_id,
        avg_price=order.avg_price or None,
        update_ms=updated,
        cancel_reason=order.cancel_reason,
    )
    events: list[VenueEvent] = [OrderEvent(update, order)]
    last_qty = row.opt_decimal("l") or ZERO
    if last_qty > 0 and row.has("d"):
        fill = Fill(
            trade_id=row.text("d"),
            order_id=order.order_id or "",
            client_order_id=order.client_order_id,
            symbol=order.symbol,
            side=side,
            price=row.decimal("L"),
            quantity=last_qty,
            commission=row.opt_decimal("n") or ZERO,
            commission_asset=row.opt_text("N"),
            time_ms=updated,
            is_maker=row.flag("m", False),
        )
        events.append(FillEvent(fill))
    return events
