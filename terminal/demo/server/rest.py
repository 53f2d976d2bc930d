"""The REST API of the demo exchange as Starlette routes, and the JSON error answers an app should use.

Compose: ``Starlette(routes=fault_routes(ex) + rest_routes(ex) + ..., exception_handlers=json_error_handlers())``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from terminal.demo.exchange import DemoExchange
from terminal.demo.server import rest_account, rest_market, rest_stream, rest_subaccount, rest_trading, rest_wallet
from terminal.demo.server.limits import KeyLimiter, Limits
from terminal.demo.server.rest_call import Server, Spec, endpoint, json_response, log, unexpected_response
from terminal.demo.server.rest_errors import api_error, error_body

SPECS: tuple[Spec, ...] = (
    rest_market.SPECS
    + rest_trading.SPECS
    + rest_account.SPECS
    + rest_subaccount.SPECS
    + rest_wallet.SPECS
    + rest_stream.SPECS
)


def rest_routes(exchange: DemoExchange, *, limits: Limits | None = None) -> list[BaseRoute]:
    """One route per endpoint. ``limits`` replaces the documented per-key rates (tests that need many
    quick calls). Limits run on the exchange's clock without the injected skew: a skew moves the
    venue's idea of "now", not the length of a second."""
    limiter = KeyLimiter(lambda: exchange.now_ms() - exchange.faults.clock_skew_ms, limits)
    server = Server(exchange, limiter)
    return [Route(spec.path, endpoint(server, spec), methods=[spec.method]) for spec in SPECS]


ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]


async def _unknown_path(_: Request, __: Exception) -> Response:
    return json_response(error_body(api_error("-1020")), 404)


async def _wrong_method(_: Request, exc: Exception) -> Response:
    headers = exc.headers if isinstance(exc, HTTPException) else None
    return json_response(error_body(api_error("-1020")), 405, dict(headers) if headers else None)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return unexpected_response()


def json_error_handlers() -> dict[Any, ExceptionHandler]:
    """404 and 405 as {"code": "-1020", "msg": "Unsupported operation"}; anything unhandled as a 500
    with {"code": "-1000", "msg": "An unknown error occurred while processing the request"}."""
    return {404: _unknown_path, 405: _wrong_method, 500: _server_error}
