"""The fake's ASGI application: record every request, admit it (limits, key, signature, timestamp, token),
apply injected faults, run the handler, answer in the ``{code, message, data}`` envelope."""

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

from tests.support.longbridge import wire
from tests.support.longbridge.calls import Call
from tests.support.longbridge.gate import Incoming, authenticate
from tests.support.longbridge.journal import RecordedRequest
from tests.support.longbridge.routes import ROUTES
from tests.support.longbridge.state import ServerState
from tests.support.longbridge.wire import JSON, LongbridgeError

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


@dataclass(frozen=True)
class Outcome:
    response: Response
    swallow: bool = False


def respond(body: JSON, status: int = 200) -> Response:
    return JSONResponse(body, status_code=status, headers={"x-request-id": uuid.uuid4().hex})


def decode_body(state: ServerState, record: RecordedRequest) -> JSON:
    if not record.body:
        return None
    try:
        return json.loads(record.body)
    except ValueError:
        state.journal.violation(record, "the body is not JSON")
        raise wire.bad_parameter("the request body is not valid JSON") from None


def handle(state: ServerState, incoming: Incoming) -> Outcome:
    record = incoming.record
    handler = ROUTES.get((record.method, record.path))
    if handler is None:
        state.journal.violation(record, "no such endpoint at Longbridge's gateway")
        error = wire.not_found()
        return Outcome(respond(error.body(), error.status))
    config = state.config
    with state.lock:
        try:
            if not state.limiter.allow(config.ip_limit, ("ip", incoming.client)):
                raise wire.ip_rate_limited()
            token = authenticate(state, record)
            if not state.limiter.allow(config.api_limit, ("api", config.app_key, record.method, record.path)):
                raise wire.api_rate_limited()
            body = decode_body(state, record)
            pairs = parse_qsl(record.query, keep_blank_values=True)
            call = Call(state, record, token, pairs, body)
            failure = state.faults.take_failure(record.method, record.path)
            if failure is not None:
                raise failure
            result = handler(call)
            swallow = state.faults.take_swallow(record.method, record.path)
        except LongbridgeError as error:
            return Outcome(respond(error.body(), error.status))
        except Exception as error:  # a bug of the fake: loud in violations, not a silent 500
            state.journal.violation(record, f"the fake itself failed: {error!r}")
            error_500 = wire.internal_error()
            return Outcome(respond(error_500.body(), error_500.status))
    return Outcome(respond(wire.ok(result)), swallow)


async def hold(request: Request, released: threading.Event) -> None:
    """Keep the request unanswered until the client gives up (or the server stops)."""
    while not released.is_set():
        if await request.is_disconnected():
            return
        await asyncio.sleep(0.02)


def create_app(state: ServerState, released: threading.Event) -> Starlette:
    async def endpoint(request: Request) -> Response:
        body = await request.body()
        scope = request.scope
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if isinstance(raw_path, bytes) else request.url.path
        query = scope.get("query_string", b"").decode("latin-1")
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in request.headers.raw}
        record = RecordedRequest(request.method, path, query, headers, body)
        state.journal.record(record)
        client = request.client.host if request.client else ""
        outcome = handle(state, Incoming(record, client))
        if outcome.swallow:
            await hold(request, released)
            return Response(status_code=503)
        return outcome.response

    return Starlette(routes=[StarletteRoute("/{path:path}", endpoint, methods=METHODS)])
