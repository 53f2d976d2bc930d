"""One received frame, start to finish: parse it, find its method, check it against the schema, apply a fault
a test injected, the rate limits, the login and the token's scopes, then run the method's handler."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import orjson

from tests.support.deriv import handlers_account, handlers_market, handlers_public, handlers_trading
from tests.support.deriv.connection import Connection
from tests.support.deriv.limits import rate_class
from tests.support.deriv.schemas import METHODS, method_of, request_problems, schema_of
from tests.support.deriv.state import Context, ServerState
from tests.support.deriv.wire import JSON, DerivError, encode, make_request

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[Context], None]] = {
    **handlers_public.HANDLERS,
    **handlers_market.HANDLERS,
    **handlers_account.HANDLERS,
    **handlers_trading.HANDLERS,
}
assert set(HANDLERS) == METHODS, f"handlers and schemas differ: {set(HANDLERS) ^ METHODS}"

# The schema lets logout through without a login; this server, like the terminal's expectations, wants one.
NEEDS_LOGIN = frozenset({"logout"})


def dispatch(state: ServerState, conn: Connection, raw: str | bytes) -> None:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        state.journal.add_violation(f"received a frame that is not a JSON object: {raw[:80]!r}")
        _unchecked_error(conn, {}, "BadRequest", "The application sent an invalid request.")
        return
    state.journal.add_request(body)
    method = method_of(body)
    if method is None:
        state.journal.add_violation(f"received an unrecognised request with keys {sorted(body)}")
        _unchecked_error(conn, body, "UnrecognisedRequest", "Unrecognised request.")
        return
    ctx = Context(state, conn, make_request(body, method, schema_of(method).sensitive))
    problems = request_problems(method, body)
    if problems:
        for problem in problems:
            state.journal.add_violation(f"request {method}: {problem.field}: {problem.message}")
        fields = ", ".join(sorted({problem.field for problem in problems}))
        details = {problem.field: problem.message for problem in problems}
        ctx.fail(DerivError("InputValidationFailed", f"Input validation failed: {fields}", details))
        return
    if state.failures[method]:
        ctx.fail(state.failures[method].popleft())
        return
    if state.swallows[method] > 0:
        state.swallows[method] -= 1
        ctx.swallow = True
    try:
        _admit(state, conn, method)
        HANDLERS[method](ctx)
    except DerivError as error:
        ctx.fail(error)
    except Exception as error:  # a server bug: answer as Deriv would, and fail the test through violations
        log.exception("Deriv test server: %s failed", method)
        state.journal.add_violation(f"server error in {method}: {error!r}")
        ctx.fail(DerivError("InternalServerError", "Sorry, an error occurred while processing your request."))


def _admit(state: ServerState, conn: Connection, method: str) -> None:
    kind = rate_class(method)
    if kind is not None and not conn.rates.admit(kind, state.limits.per_minute(kind), time.monotonic()):
        raise DerivError("RateLimit", f"You have reached the rate limit for {method}.")
    schema = schema_of(method)
    if (schema.auth_required or method in NEEDS_LOGIN) and conn.login_id is None:
        raise DerivError("AuthorizationRequired", "Please log in.")
    if schema.auth_scopes and not set(schema.auth_scopes) & set(conn.scopes):
        raise DerivError("PermissionDenied", f"Permission denied, requires {' '.join(schema.auth_scopes)} scope(s).")


def _unchecked_error(conn: Connection, echo: JSON, code: str, message: str) -> None:
    # No method, so no schema to check against: Deriv answers these with msg_type "error".
    answer: JSON = {"echo_req": echo, "error": {"code": code, "message": message}, "msg_type": "error"}
    if isinstance(echo.get("req_id"), int):
        answer["req_id"] = echo["req_id"]
    conn.outbox.put_nowait(encode(answer))
