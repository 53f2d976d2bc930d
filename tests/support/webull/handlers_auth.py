"""The configuration and token endpoints: ``GET /openapi/config`` and Create / Check Token."""

from __future__ import annotations

from tests.support.webull.calls import Call
from tests.support.webull.errors import bad_parameter
from tests.support.webull.wire import JSON


def config(call: Call) -> JSON:
    # webull/core/http/initializer/client_initializer.py reads ``token_check_enabled``.
    return {"token_check_enabled": call.state.config.token_required}


def create_token(call: Call) -> JSON:
    previous = call.fields().get("token")
    return call.state.tokens.create(previous if isinstance(previous, str) and previous else None).body()


def check_token(call: Call) -> JSON:
    token = call.fields().get("token")
    if not isinstance(token, str) or not token:
        raise bad_parameter("token is required")
    return call.state.tokens.check(token).body()
