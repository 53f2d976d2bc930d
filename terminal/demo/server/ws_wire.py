"""The demo exchange's WebSocket messages, field for field like 004's examples ("WEBSOCKET API"):
numbers as plain decimal strings, times in ms (ints on the public streams, strings on the private one)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from terminal.demo.events import BalanceUpdate, ExecutionReport, TicketInfo
from terminal.domain.decimals import quantize, to_plain
from terminal.domain.intervals import Interval
from terminal.domain.market import BookSnapshot, BookTicker, Candle, Level, PublicTrade, Ticker

Json = dict[str, Any]

EXCHANGE_ID = 301  # "e" of v1 realtimes and depth (004: "Exchange ID", always 301 in the examples)
RATIO_STEP = Decimal("0.0001")  # "m" of realtimes: a 24-hour change ratio with four decimals, e.g. "-0.0597"


# ---- errors and heartbeats ---------------------------------------------------------------------


def pong(now_ms: int) -> Json:
    # 004, "PublicStream Heartbeat": {"pong": <server's timestamp>}.
    return {"pong": now_ms}


def server_ping(now_ms: int, channel_id: str) -> Json:
    # 004, "PrivateStream Heartbeat": {"ping": 1748504490208, "channelId": "02ac86fffe5fdf52-..."}.
    return {"ping": now_ms, "channelId": channel_id}


def error(code: str, msg: str, echo: Json | None = None) -> Json:
    """A refused request: the request's own fields (symbol, topic, event, params, id) with the
    venue's error code and message (004, "Error Codes"), so a client can tell which request failed."""
    return {**(echo or {}), "code": code, "msg": msg}


# ---- public stream v1 ----------------------------------------------------------------------------


def v1_params(interval: Interval | None = None) -> Json:
    # Pushes echo the request's parameters as strings: {"realtimeInterval": "24h", "binary": "false"}.
    if interval is None:
        return {"realtimeInterval": "24h", "binary": "false"}
    return {"realtimeInterval": "24h", "klineType": str(interval), "binary": "false"}


def v1_message(
    symbol: str,
    symbol_name: str,
    topic: str,
    params: Json,
    data: list[Json],
    *,
    first: bool,
    send_time: int,
    channel_id: str | None = None,
) -> Json:
    message: Json = {
        "symbol": symbol,
        "symbolName": symbol_name,
        "topic": topic,
        "params": params,
        "data": data,
        "f": first,
        "sendTime": send_time,
    }
    if channel_id is not None:  # the document's depth push carries one; the others do not
        message["channelId"] = channel_id
    message["shared"] = False
    return message


def v1_kline(symbol: str, symbol_name: str, candle: Candle) -> Json:
    return {
        "t": candle.open_time_ms,
        "s": symbol,
        "sn": symbol_name,
        "c": to_plain(candle.close),
        "h": to_plain(candle.high),
        "l": to_plain(candle.low),
        "o": to_plain(candle.open),
        "v": to_plain(candle.volume),
        # "Closing timestamp": 0 while the candle is open, as in the document's example; every
        # candle pushed is the one in progress.
        "et": 0,
        "qv": to_plain(candle.quote_volume),
        "td": candle.trades,
        "tb": to_plain(candle.taker_buy_volume),
        "tq": to_plain(candle.taker_buy_quote_volume),
    }


def v1_realtimes(symbol: str, symbol_name: str, ticker: Ticker) -> Json:
    return {
        "t": ticker.time_ms,
        "s": symbol,
        "sn": symbol_name,
        "c": to_plain(ticker.last),
        "h": to_plain(ticker.high),
        "l": to_plain(ticker.low),
        "o": to_plain(ticker.open),
        "v": to_plain(ticker.volume),
        "qv": to_plain(ticker.quote_volume),
        "m": change_ratio(ticker),
        "e": EXCHANGE_ID,
    }


def trade(item: PublicTrade) -> Json:
    """One trade of the tape, v1 and v2 alike: "m" true when the buyer was the maker."""
    return {
        "v": item.trade_id,
        "t": item.time_ms,
        "p": to_plain(item.price),
        "q": to_plain(item.quantity),
        "m": item.buyer_is_maker,
    }


def v1_depth(snapshot: BookSnapshot) -> Json:
    return v1_depth_of(
        snapshot.symbol, snapshot.time_ms, snapshot.version, levels(snapshot.bids), levels(snapshot.asks)
    )


def v1_depth_of(symbol: str, time_ms: int, version: str, bids: list[list[str]], asks: list[list[str]]) -> Json:
    """v1 depth from levels already rendered (``levels``): "t" is the time of this push."""
    return {"e": EXCHANGE_ID, "s": symbol, "t": time_ms, "v": version, "b": bids, "a": asks, "o": 0}


# ---- public stream v2 ----------------------------------------------------------------------------


def v2_message(topic: str, params: Json, data: Json) -> Json:
    return {"topic": topic, "params": params, "data": data}


def v2_kline(symbol: str, symbol_name: str, candle: Candle) -> Json:
    return {
        "t": candle.open_time_ms,
        "s": symbol,
        "sn": symbol_name,
        "c": to_plain(candle.close),
        "h": to_plain(candle.high),
        "l": to_plain(candle.low),
        "o": to_plain(candle.open),
        "v": to_plain(candle.volume),
    }


def v2_realtimes(symbol: str, ticker: Ticker) -> Json:
    return {
        "t": ticker.time_ms,
        "s": symbol,
        "o": to_plain(ticker.open),
        "h": to_plain(ticker.high),
        "l": to_plain(ticker.low),
        "c": to_plain(ticker.last),
        "v": to_plain(ticker.volume),
        "qv": to_plain(ticker.quote_volume),
        "m": change_ratio(ticker),
    }


def v2_depth(snapshot: BookSnapshot) -> Json:
    return v2_depth_of(
        snapshot.symbol, snapshot.time_ms, snapshot.version, levels(snapshot.bids), levels(snapshot.asks)
    )


def v2_depth_of(symbol: str, time_ms: int, version: str, bids: list[list[str]], asks: list[list[str]]) -> Json:
    """v2 depth from levels already rendered (``levels``): "t" is the time of this push."""
    return {"s": symbol, "t": time_ms, "v": version, "b": bids, "a": asks}


def v2_bbo(top: BookTicker) -> Json:
    # An empty side is sent as price "0" and size "0" (the document shows only full books).
    return {
        "s": top.symbol,
        "b": to_plain(top.bid) if top.bid is not None else "0",
        "bz": to_plain(top.bid_qty),
        "a": to_plain(top.ask) if top.ask is not None else "0",
        "az": to_plain(top.ask_qty),
        "t": top.time_ms,
    }


# ---- private stream ------------------------------------------------------------------------------


def account_info(event: BalanceUpdate) -> Json:
    return {
        "e": "outboundAccountInfo",
        "E": str(event.event_ms),
        "T": True,
        "W": True,
        "D": True,
        "B": [
            {"a": balance.asset, "f": to_plain(balance.free), "l": to_plain(balance.locked), "r": ""}
            for balance in event.balances
        ],
    }


def execution_report(event: ExecutionReport) -> Json:
    order = event.order
    return {
        "e": "executionReport",
        "E": str(event.event_ms),
        "s": order.symbol,
        "c": order.client_order_id,
        "S": str(order.side),
        "o": order.stream_type,
        "f": str(order.time_in_force),
        "q": to_plain(order.orig_qty),
        "p": to_plain(order.price),
        "X": str(order.status),
        "i": order.order_id,
        "l": to_plain(event.last_qty),
        "z": to_plain(order.executed_qty),
        "L": to_plain(event.last_price),
        "n": to_plain(event.commission),
        "N": event.commission_asset,
        "u": True,
        "w": not order.status.is_terminal,
        # The maker flag of the fill this report carries (false when it carries none).
        "m": event.is_maker,
        "O": str(order.time),
        "Z": to_plain(order.cumulative_quote_qty),
        "C": False,
        "v": "0",
        "reqAmt": to_plain(order.req_amount),
        "d": event.execution_id,
        "r": to_plain(order.leaves_qty),
        "V": to_plain(order.avg_price),
        "P": "0",
        "lo": False,
        "lt": "",
        "x": order.ord_cxl_reason,
    }


def ticket_info(event: TicketInfo) -> Json:
    fill = event.trade
    return {
        "e": "ticketInfo",
        "E": str(event.event_ms),
        "s": fill.symbol,
        "q": to_plain(fill.qty),
        "t": str(fill.time_ms),
        "p": to_plain(fill.price),
        "T": fill.ticket_id,
        "o": fill.order_id,
        "c": fill.client_order_id,
        "a": fill.account_id,
        "m": fill.is_maker,
        "S": str(fill.side),
    }


def private_event(event: BalanceUpdate | ExecutionReport | TicketInfo) -> list[Json]:
    """One private push: a JSON array holding one event."""
    if isinstance(event, BalanceUpdate):
        return [account_info(event)]
    if isinstance(event, ExecutionReport):
        return [execution_report(event)]
    return [ticket_info(event)]


# ---- shared pieces -------------------------------------------------------------------------------


def levels(side: tuple[Level, ...]) -> list[list[str]]:
    return [[to_plain(price), to_plain(qty)] for price, qty in side]


def change_ratio(ticker: Ticker) -> str:
    return f"{quantize(ticker.change_ratio, RATIO_STEP, ROUND_HALF_UP):.4f}"
