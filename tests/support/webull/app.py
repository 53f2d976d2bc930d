"""The fake's ASGI application: record every request, admit it (signature, headers, limits, token),
apply injected faults, run the handler, answer JSON or Webull's error envelope."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from tests.support.webull import errors
from tests.support.webull.calls import Call
from tests.support.webull.gate import Incoming, authenticate
from tests.support.webull.journal import RecordedRequest
from tests.support.webull.ratelimit import SHARED_GROUPS
from tests.support.webull.routes import ROUTES, Route
from tests.support.webull.state import ServerState
from tests.support.webull.wire import JSON, WebullError

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


@dataclass(frozen=True)
class Outcome:
    response: Response
    swallow: bool = False


def respond(body: JSON, status: int = 200) -> Response:
    return JSONResponse(body, status_code=status, headers={"x-request-id": uuid.uuid4().hex})


def decode_body(state: ServerState, incoming: Incoming) -> JSON:
    raw = incoming.record.body
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        state.journal.violation(incoming.record, "the body is not JSON")
        raise errors.bad_parameter("the request body is not valid JSON") from None


def limit_key(state: ServerState, route: Route, call: Call) -> tuple[str, tuple[str, ...]]:
    """The limit group and counter key of a request: per path, per market for order writes, shared
    across paths for market data."""
    group = route.limit or ""
    if group == "order-write":
        group = f"order-write:{order_market(state, call)}"
    scope = () if group in SHARED_GROUPS else (call.path,)
    return group, (state.config.app_key, *scope)


def order_market(state: ServerState, call: Call) -> str:
    """US or HK: the market of the order a write is about (US when nothing says)."""
    fields = call.body if isinstance(call.body, dict) else {}
    items = fields.get("new_orders") or fields.get("modify_orders")
    item = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else fields
    if isinstance(item.get("market"), str):
        return str(item["market"])
    account = state.accounts.get(str(fields.get("account_id")))
    order = account.orders.get(str(item.get("client_order_id"))) if account else None
    return order.market if order else "US"


def handle(state: ServerState, incoming: Incoming) -> Outcome:
    record = incoming.record
    route = ROUTES.get((record.method, record.path))
    if route is None:
        state.journal.violation(record, "no such route at Webull's gateway")
        return Outcome(respond({"error_msg": "404 Route Not Found"}, 404))
    with state.lock:
        try:
            version = authenticate(state, incoming)
            body = decode_body(state, incoming)
            legacy = route.paged_by_version and version == "v2"
            call = Call(state, record.path, dict(incoming.query_pairs), body, version, legacy)
            if route.limit and not state.limiter.allow(*limit_key(state, route, call)):
                raise errors.too_many_requests()
            if (
                route.needs_token
                and state.config.token_required
                and not state.tokens.use(record.headers.get("x-access-token"))
            ):
                raise errors.invalid_token()
            failure = state.faults.take_failure(record.path)
            if failure is not None:
                raise failure
            state.sync()
            result = route.handler(call)
            swallow = state.faults.take_swallow(record.path)
        except WebullError as error:
            return Outcome(respond(error.body(), error.status))
        except Exception as error:  # a bug of the fake: loud in violations, not a silent 500
            state.journal.violation(record, f"the fake itself failed: {error!r}")
            return Outcome(respond(errors.system_error().body(), 500))
    return Outcome(respond(result), swallow)


async def hold(request: Request, released: threading.Event) -> None:
    """Keep the request unanswered until the client gives up (or the server stops)."""
    while not released.is_set():
        if await request.is_disconnected():
            return
        await asyncio.sleep(0.02)


def create_app(state: ServerState, released: threading.Event) -> Starlette:
    async def endpoint(request: Request) -> Response:
        body = await request.body()
        pairs = parse_qsl(request.url.query, keep_blank_values=True)
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in request.headers.raw}
        record = RecordedRequest(request.method, request.url.path, dict(pairs), headers, body)
        state.journal.record(record)
        outcome = handle(state, Incoming(record, pairs, headers.get("host", "")))
        if outcome.swallow:
            await hold(request, released)
            return Response(status_code=503)
        return outcome.response

    return Starlette(routes=[StarletteRoute("/{path:path}", endpoint, methods=METHODS)])
