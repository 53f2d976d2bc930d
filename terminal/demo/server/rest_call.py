"""One REST request from arrival to answer: parameters, key, limits, signature, time, permission, faults.

A ``DemoError`` becomes its HTTP status with ``{"code", "msg"}``; any other exception a logged 500 (-1000)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from terminal.demo.errors import DemoError
from terminal.demo.exchange import DemoExchange, DemoUser
from terminal.demo.faults import OrderFailure
from terminal.demo.keys import ApiKey
from terminal.demo.server import auth
from terminal.demo.server.limits import KeyLimiter, RateClass, Refusal, limit_error, seconds_until
from terminal.demo.server.rest_errors import api_error, error_body
from terminal.demo.server.rest_params import Params, parse_pairs

log = logging.getLogger("terminal.demo.server.rest")

# How long an injected "timeout" holds a request before answering 504: longer than any client waits.
TIMEOUT_HOLD_S = 30.0


def json_response(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


def error_response(error: DemoError, headers: dict[str, str] | None = None) -> Response:
    return json_response(error_body(error), error.http_status, headers)


def unexpected_response() -> Response:
    return json_response(error_body(api_error("-1000")), 500)


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler gets: the exchange, the parameters, the caller's key (signed endpoints), the body."""

    exchange: DemoExchange
    params: Params
    key: ApiKey | None
    body: bytes
    now_ms: int

    @property
    def api_key(self) -> ApiKey:
        assert self.key is not None, "only signed endpoints ask for the key"
        return self.key

    @property
    def user(self) -> DemoUser:
        return self.exchange.user_of(self.api_key)

    @property
    def account_id(self) -> str:
        """The account the key trades: the user's main trading account."""
        return self.api_key.account_id

    def own_account(
        self, name: str = "accountId", *, required: bool = False, foreign: str = "0104", unknown: str = "-1160"
    ) -> str:
        """The account named by parameter ``name`` (when optional and absent: the key's own), which must
        be one of the user's: ``unknown`` (-1160 "Account does not exist") for an account that does not
        exist, ``foreign`` (0104 "accountId is not allowed") for another user's."""
        value = self.params.text(name) if required else self.params.get(name)
        if value is None:
            return self.account_id
        if any(value == account for account, _, _ in self.user.accounts()):
            return value
        raise api_error(foreign if self.exchange.engine.ledger.has(value) else unknown)


Handler = Callable[[Call], Any]


@dataclass(frozen=True, slots=True)
class Spec:
    """One endpoint: where it is, who may call it, which budget it spends, how its body is read."""

    method: str
    path: str
    handler: Handler
    signed: bool = True
    rate: RateClass = RateClass.QUERY
    writes: bool = False  # TRADE: refused to read-only keys
    places_orders: bool = False  # subject to the fail-orders fault
    json_body: bool = False  # batch orders: a JSON array, only the query string is signed


@dataclass(frozen=True, slots=True)
class Server:
    """What every endpoint shares: the exchange and the per-key limiter."""

    exchange: DemoExchange
    limiter: KeyLimiter


class RefusedError(Exception):
    """A request turned away before it was read: a 429 or 418 with its Retry-After."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.error.message)
        self.refusal = refusal


def endpoint(server: Server, spec: Spec) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint serving ``spec``."""

    async def serve(request: Request) -> Response:
        try:
            return await _serve(server, spec, request)
        except RefusedError as refused:
            return error_response(refused.refusal.error, refused.refusal.headers)
        except DemoError as error:
            return error_response(error)
        except Exception:
            log.exception("%s %s failed", spec.method, spec.path)
            return unexpected_response()

    return serve


async def _serve(server: Server, spec: Spec, request: Request) -> Response:
    exchange = server.exchange
    query: bytes = request.scope["query_string"]
    body = b"" if request.method == "GET" else await request.body()
    form = b"" if spec.json_body or not _is_form(request, body) else body
    params = Params(parse_pairs(query), parse_pairs(form))
    key = _authenticate(server, spec, request, query, form, params) if spec.signed else None
    call = Call(exchange, params, key, body if spec.json_body else b"", exchange.now_ms())
    failure = exchange.faults.take_order_failure() if spec.places_orders else None
    if failure is not None:
        return await _fail(call, spec, failure, request)
    return json_response(spec.handler(call))


def _authenticate(server: Server, spec: Spec, request: Request, query: bytes, form: bytes, params: Params) -> ApiKey:
    """The checks of a signed request, in order: key, limits, signature, timestamp, permission."""
    exchange = server.exchange
    _check_injected_limit(server, spec.rate)
    key = auth.api_key(exchange, request.headers)
    refusal = server.limiter.admit(key.key, spec.rate)
    if refusal is not None:
        raise RefusedError(refusal)
    auth.verify_signature(key, query, form)
    auth.check_timestamp(params, exchange.now_ms())
    if spec.writes and not key.can_trade:
        raise api_error("-1005")  # "READ-ONLY PERMISSION: read permission is used for data query interfaces"
    return key


def _check_injected_limit(server: Server, rate: RateClass) -> None:
    """The rate-limit fault: every signed request is answered 429 until it ends. These 429s do not
    count towards a ban: the fault tests how the terminal backs off, not whether it provokes a ban."""
    now = server.exchange.now_ms()
    until = server.exchange.faults.rate_limited_until_ms
    if server.exchange.faults.rate_limited(now):
        raise RefusedError(Refusal(429, limit_error(rate, server.limiter.limits), seconds_until(until, now)))


def _is_form(request: Request, body: bytes) -> bool:
    content_type = request.headers.get("content-type", "").lower()
    return content_type.startswith("application/x-www-form-urlencoded") or (bool(body) and not content_type)


async def _fail(call: Call, spec: Spec, failure: OrderFailure, request: Request) -> Response:
    """The fail-orders fault: "The execution status is uncertain, it could potentially be either
    successful or unsuccessful" (004, HTTP 5XX). With ``execute`` the order really is placed first."""
    if failure.execute:
        with contextlib.suppress(DemoError):
            spec.handler(call)
    if failure.status == "timeout":
        await _hold(request, TIMEOUT_HOLD_S)
        return error_response(api_error("-1007", http_status=504))
    code = "-1006" if failure.status == 500 else "-1007"
    return error_response(api_error(code, http_status=failure.status))


async def _hold(request: Request, seconds: float) -> None:
    """Keep the request unanswered for ``seconds``, or until its client gives up and disconnects."""

    async def disconnected() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(disconnected(), seconds)
