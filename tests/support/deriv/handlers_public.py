"""Calls anyone may make without logging in that touch no market data stream: ping, time, website_status,
active_symbols, forget and forget_all."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.deriv.connection import Stream, ensure_new
from tests.support.deriv.market import Market
from tests.support.deriv.state import Context
from tests.support.deriv.streams import status_body
from tests.support.deriv.symbols import Symbol
from tests.support.deriv.wire import JSON, num


def ping(ctx: Context) -> None:
    ctx.reply("ping", {"ping": "pong"})


def server_time(ctx: Context) -> None:
    ctx.reply("time", {"time": ctx.state.now()})


def website_status(ctx: Context) -> None:
    subscription_id = None
    if ctx.request.body.get("subscribe") == 1:
        ensure_new(ctx.conn.streams(Stream.STATUS), "website_status")
        subscription_id = ctx.subscribe(Stream.STATUS).id
    ctx.reply("website_status", status_body(ctx.state.limits), subscription_id)


def active_symbols(ctx: Context) -> None:
    full = ctx.request.body["active_symbols"] == "full"
    market = ctx.state.market
    rows = [symbol_row(symbol, market, ctx.state.now(), full) for symbol in market.symbols.values()]
    ctx.reply("active_symbols", {"active_symbols": rows})


def symbol_row(symbol: Symbol, market: Market, now: int, full: bool) -> JSON:
    last, first = market.last(symbol.code), market.first(symbol.code)
    change = (last.quote - first.quote) / first.quote * 100
    row: JSON = {
        "allow_forward_starting": 0,
        "display_name": symbol.display_name,
        "display_order": symbol.display_order,
        "exchange_is_open": int(symbol.is_open),
        "is_trading_suspended": 0,
        "market": symbol.market,
        "market_display_name": symbol.market_display_name,
        "pip": num(symbol.pip),
        "spot": num(last.quote),
        "spot_age": str(max(0, now - last.epoch)),
        "spot_percentage_change": f"{change:.2f}",
        "spot_time": str(last.epoch),
        "subgroup": symbol.subgroup,
        "subgroup_display_name": symbol.subgroup_display_name,
        "submarket": symbol.submarket,
        "submarket_display_name": symbol.submarket_display_name,
        "symbol": symbol.code,
        "symbol_type": symbol.symbol_type,
    }
    if full:
        row.update(delay_amount=0, exchange_name=symbol.exchange_name, intraday_interval_minutes=1,
                   quoted_currency_symbol=symbol.quoted_currency_symbol)  # fmt: skip
    return row


def forget(ctx: Context) -> None:
    ctx.reply("forget", {"forget": int(ctx.conn.forget(ctx.request.body["forget"]))})


def forget_all(ctx: Context) -> None:
    wanted = ctx.request.body["forget_all"]
    names = {wanted} if isinstance(wanted, str) else set(wanted)
    ids = [key for key, subscription in ctx.conn.subscriptions.items() if subscription.stream.value in names]
    for key in ids:
        ctx.conn.forget(key)
    ctx.reply("forget_all", {"forget_all": ids})


HANDLERS: dict[str, Callable[[Context], None]] = {
    "ping": ping,
    "time": server_time,
    "website_status": website_status,
    "active_symbols": active_symbols,
    "forget": forget,
    "forget_all": forget_all,
}
