"""Fault injection (and the feed rate of load tests) on the server's own port: unsigned, loopback only, JSON.

The real venue has none of this; bad input is answered 400 {"error": ...}, a caller from elsewhere 403."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any, cast

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from terminal.demo.errors import DemoError
from terminal.demo.exchange import DemoExchange
from terminal.demo.faults import FailStatus
from terminal.demo.feed_rate import MAX_FEED_RATE
from terminal.demo.keys import ApiKey
from terminal.demo.queries import MAX_LIMIT
from terminal.demo.server import wire
from terminal.demo.server.rest_call import json_response
from terminal.demo.server.rest_errors import error_body
from terminal.demo.server.rest_wallet import demo_deposit
from terminal.domain.decimals import DecimalParseError, parse_decimal

LOOPBACK = frozenset({"127.0.0.1", "::1"})
FAIL_STATUSES: tuple[object, ...] = (500, 503, "timeout")
STREAM_TOPICS = ("depth", "trade", "kline", "realtimes", "bbo")


class FaultInputError(Exception):
    """The request to a fault route cannot be served: answered ``status`` (400) with this sentence."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


Body = dict[str, Any]
FaultHandler = Callable[[DemoExchange, Body, Request], Awaitable[object]]


def _route(exchange: DemoExchange, method: str, path: str, handler: FaultHandler) -> Route:
    async def serve(request: Request) -> Response:
        client = request.client
        if client is None or client.host not in LOOPBACK:
            return json_response({"error": "fault injection is only served to this machine"}, 403)
        try:
            body = await _json_object(request) if method == "POST" else {}
            return json_response(await handler(exchange, body, request))
        except FaultInputError as error:
            return json_response({"error": str(error)}, error.status)
        except DemoError as error:
            return json_response(error_body(error), error.http_status)

    return Route(path, serve, methods=[method])


async def _json_object(request: Request) -> Body:
    raw = await request.body()
    try:
        data = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        raise FaultInputError("the body is not JSON") from None
    if not isinstance(data, dict):
        raise FaultInputError("the body must be a JSON object")
    return data


def _number(body: Body, name: str, *, minimum: float | None = 0) -> float:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FaultInputError(f"{name} must be a number")
    if minimum is not None and value < minimum:
        raise FaultInputError(f"{name} must be at least {minimum}")
    return float(value)


def _integer(body: Body, name: str, *, minimum: int | None = 0) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FaultInputError(f"{name} must be an integer")
    if minimum is not None and value < minimum:
        raise FaultInputError(f"{name} must be at least {minimum}")
    return value


def _text(body: Body, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise FaultInputError(f"{name} must be a non-empty string")
    return value


def _key(exchange: DemoExchange, value: str | None, status: int = 400) -> ApiKey:
    key = exchange.api_key(value) if value else None
    if key is None:
        raise FaultInputError("unknown api_key", status)
    return key


async def drop_connections(exchange: DemoExchange, _: Body, __: Request) -> object:
    """Close every WebSocket connection."""
    return {"dropped": await exchange.connections.drop_all()}


async def fail_orders(exchange: DemoExchange, body: Body, _: Request) -> object:
    """The next ``count`` order-placing requests fail with HTTP 500 or 503, or hang ("timeout");
    with ``execute`` the order is placed before the failure is answered."""
    count = _integer(body, "count")
    status = body.get("status")
    if status not in FAIL_STATUSES or isinstance(status, bool):
        raise FaultInputError('status must be 500, 503 or "timeout"')
    execute = body.get("execute", False)
    if not isinstance(execute, bool):
        raise FaultInputError("execute must be true or false")
    exchange.faults.fail_next_orders(count, cast(FailStatus, status), execute)
    return {"pending": exchange.faults.pending_order_failures}


async def rate_limit(exchange: DemoExchange, body: Body, _: Request) -> object:
    """Every signed request is answered 429 for ``seconds``."""
    until = exchange.now_ms() + round(_number(body, "seconds") * 1000)
    exchange.faults.rate_limited_until_ms = until
    return {"until": until}


async def clock_skew(exchange: DemoExchange, body: Body, _: Request) -> object:
    """The server clock runs ``ms`` ahead (negative: behind)."""
    exchange.faults.clock_skew_ms = _integer(body, "ms", minimum=None)
    return {"serverTime": exchange.now_ms(), "skewMs": exchange.faults.clock_skew_ms}


async def pause_stream(exchange: DemoExchange, body: Body, _: Request) -> object:
    """The subscriptions to one public stream (topic and symbol) open now stay silent for ``seconds``;
    a new subscription gets data again (a quietly dead venue subscription, healed by resubscribing)."""
    topic, symbol = _text(body, "topic"), _text(body, "symbol")
    if topic not in STREAM_TOPICS:
        raise FaultInputError(f"topic must be one of {', '.join(STREAM_TOPICS)}")
    if symbol not in exchange.listings:
        raise FaultInputError(f"unknown symbol {symbol}")
    now = exchange.now_ms()
    until = now + round(_number(body, "seconds") * 1000)
    exchange.faults.pause_stream(topic, symbol, until, since_ms=now)
    return {"until": until}


async def silence(exchange: DemoExchange, body: Body, _: Request) -> object:
    """Public WebSocket endpoints answer no pings and send nothing for ``seconds``."""
    until = exchange.now_ms() + round(_number(body, "seconds") * 1000)
    exchange.faults.silent_until_ms = until
    return {"until": until}


async def refuse_streams(exchange: DemoExchange, body: Body, _: Request) -> object:
    """Every WebSocket handshake (public and private) is refused with HTTP 403 for ``seconds``, and
    the connections open now are dropped: the streams stay down while REST still answers.
    ``{"seconds": 0}`` ends the refusal."""
    seconds = _number(body, "seconds")
    until = exchange.now_ms() + round(seconds * 1000)
    # Refuse first, then drop: a client that reconnects at once must already be turned away.
    exchange.faults.streams_refused_until_ms = until
    dropped = await exchange.connections.drop_all() if seconds > 0 else 0
    return {"until": until, "dropped": dropped}


async def set_feed_rate(exchange: DemoExchange, body: Body, request: Request) -> object:
    """Feed-rate mode (load tests): ``rate`` public state messages per second, shared equally by every
    depth, bbo, realtimes and kline subscription of every public connection, each a fresh render of
    the current state; trades still follow the market. ``{"rate": 0}`` returns to the venue's cadences.
    Takes effect within 100 ms."""
    rate = _number(body, "rate")
    if rate > MAX_FEED_RATE:
        raise FaultInputError(f"rate must be at most {MAX_FEED_RATE:g}")
    exchange.feed.set(rate)
    return await feed_rate_state(exchange, body, request)


async def feed_rate_state(exchange: DemoExchange, _: Body, __: Request) -> object:
    """The feed rate, how many subscriptions share it, and each one's share (messages per second)."""
    feed = exchange.feed
    return {"rate": feed.rate, "subscriptions": feed.subscriptions, "perSubscription": feed.share}


async def expire_listen_key(exchange: DemoExchange, body: Body, _: Request) -> object:
    listen_key = _text(body, "listenKey")
    known = exchange.listen_keys.expires_at(listen_key) is not None
    exchange.listen_keys.expire_now(listen_key)
    return {"expired": known}


async def deposit(exchange: DemoExchange, body: Body, _: Request) -> object:
    """Fund a user: a coin into the custody account, a fiat currency into the fiat account."""
    key = _key(exchange, _text(body, "api_key"))
    quantity = body.get("quantity")
    try:
        amount = parse_decimal(quantity if isinstance(quantity, str | int) else repr(quantity), field="quantity")
    except DecimalParseError as error:
        raise FaultInputError(str(error)) from None
    chain = body.get("chainType", "")
    if not isinstance(chain, str):
        raise FaultInputError("chainType must be a string")
    return demo_deposit(exchange, exchange.user_of(key), _text(body, "coin"), amount, chain)


async def state(exchange: DemoExchange, _: Body, request: Request) -> object:
    """The ground truth of one key's account, in the REST API's shapes."""
    key = _key(exchange, request.query_params.get("api_key"), 404)
    account = key.account_id
    engine = exchange.engine
    return {
        "accountId": account,
        "balances": [
            {"asset": b.asset, "free": wire.dec(b.free), "locked": wire.dec(b.locked), "total": wire.dec(b.total)}
            for b in engine.balances(account)
        ],
        "openOrders": [wire.order_row(v) for v in engine.open_orders(account, limit=MAX_LIMIT)],
        "fills": [wire.account_trade(t) for t in engine.account_trades(account, limit=MAX_LIMIT)],
        "connections": exchange.connections.counts(),
    }


def fault_routes(exchange: DemoExchange) -> list[BaseRoute]:
    routes: list[tuple[str, str, FaultHandler]] = [
        ("POST", "/_demo/drop-connections", drop_connections),
        ("POST", "/_demo/fail-orders", fail_orders),
        ("POST", "/_demo/rate-limit", rate_limit),
        ("POST", "/_demo/clock-skew", clock_skew),
        ("POST", "/_demo/pause-stream", pause_stream),
        ("POST", "/_demo/silence", silence),
        ("POST", "/_demo/refuse-streams", refuse_streams),
        ("POST", "/_demo/expire-listen-key", expire_listen_key),
        ("POST", "/_demo/feed-rate", set_feed_rate),
        ("GET", "/_demo/feed-rate", feed_rate_state),
        ("POST", "/_demo/deposit", deposit),
        ("GET", "/_demo/state", state),
    ]
    return [_route(exchange, method, path, handler) for method, path, handler in routes]
