"""Longbridge's envelope and every documented code mapped to the shared exception tree."""

from __future__ import annotations

import orjson
import pytest

from terminal.venues.errors import (
    AuthenticationError,
    ClockSkew,
    InvalidRequest,
    MalformedResponse,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnknownOutcome,
)
from terminal.venues.longbridge.errors import (
    DEFAULT_RATE_LIMIT_WAIT,
    ERRORS,
    InvalidApiKey,
    ReusedTimestamp,
    SignatureInvalid,
    TokenExpired,
    error_from_response,
    unwrap,
)


def test_403201_is_a_signature_failure_with_the_venue_message() -> None:
    error = error_from_response(403, {"code": 403201, "msg": "signature invalid"})
    assert type(error) is SignatureInvalid
    assert isinstance(error, AuthenticationError)
    assert (error.code, error.message, error.http_status) == ("403201", "signature invalid", 403)


def test_403202_is_a_reused_timestamp() -> None:
    error = error_from_response(403, {"code": 403202, "message": "duplicate request"})
    assert type(error) is ReusedTimestamp
    assert isinstance(error, ClockSkew)


def test_403202_on_a_state_changing_request_is_an_unknown_outcome() -> None:
    error = error_from_response(403, {"code": 403202, "message": "duplicate request"}, state_changing=True)
    assert type(error) is UnknownOutcome
    assert error.code == "403202"


def test_403203_is_a_bad_api_key() -> None:
    error = error_from_response(403, {"code": 403203, "message": "invalid app key"})
    assert type(error) is InvalidApiKey
    assert isinstance(error, AuthenticationError)


def test_401003_is_token_expired() -> None:
    error = error_from_response(401, {"code": 401003, "message": "token expired"})
    assert type(error) is TokenExpired
    assert isinstance(error, AuthenticationError)
    assert error.code == "401003"


@pytest.mark.parametrize("code", [429001, 429002])
def test_429xxx_is_rate_limited_with_a_wait(code: int) -> None:
    error = error_from_response(429, {"code": code, "message": "too many requests"})
    assert type(error) is RateLimited
    assert error.retry_after == DEFAULT_RATE_LIMIT_WAIT
    assert error_from_response(429, {"code": code}, retry_after=3.0).retry_after == 3.0  # type: ignore[attr-defined]


def test_an_undocumented_429_family_code_is_rate_limited_too() -> None:
    assert type(error_from_response(200, {"code": 429009, "message": "slow down"})) is RateLimited


def test_every_documented_code_is_in_the_table() -> None:
    assert set(ERRORS) == {403201, 403202, 403203, 401003, 429001, 429002}


def test_codes_map_even_under_a_200_and_a_string_code() -> None:
    assert type(error_from_response(200, {"code": "401003", "msg": "token expired"})) is TokenExpired


def test_the_documented_message_is_used_when_the_venue_sends_none() -> None:
    assert error_from_response(403, {"code": 403201}).message == "signature invalid"


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, AuthenticationError), (403, PermissionDenied), (400, InvalidRequest), (404, InvalidRequest)],
)
def test_http_status_fallbacks(status: int, kind: type[Exception]) -> None:
    error = error_from_response(status, {"code": 123456, "message": "something"})
    assert type(error) is kind
    assert error.code == "123456"


def test_a_bare_429_is_rate_limited() -> None:
    assert type(error_from_response(429, b"")) is RateLimited


def test_5xx_is_a_server_error_for_a_read_and_unknown_for_an_order() -> None:
    assert type(error_from_response(502, b"<html>bad gateway</html>")) is ServerError
    assert type(error_from_response(500, {"code": 500000, "message": "x"}, state_changing=True)) is UnknownOutcome


def test_an_undocumented_code_under_200_is_refused_as_invalid() -> None:
    error = error_from_response(200, {"code": 603001, "message": "symbol not found"})
    assert type(error) is InvalidRequest
    assert error.message == "symbol not found"


@pytest.mark.parametrize("body", [b"not json", b"", b"[1, 2]", b'{"data": {}}', b'{"code": true}'])
def test_a_non_envelope_answer_is_malformed(body: bytes) -> None:
    assert type(error_from_response(200, body)) is MalformedResponse


def test_a_non_envelope_answer_to_an_order_is_an_unknown_outcome() -> None:
    assert type(error_from_response(200, b"not json", state_changing=True)) is UnknownOutcome


def test_a_long_message_is_shortened() -> None:
    error = error_from_response(400, {"code": 1, "message": "x" * 1000})
    assert len(error.message) <= 300


def test_unwrap_returns_data_on_success_and_raises_otherwise() -> None:
    assert unwrap(200, orjson.dumps({"code": 0, "message": "", "data": {"a": 1}})) == {"a": 1}
    assert unwrap(200, {"code": 0, "msg": "success"}) is None
    with pytest.raises(TokenExpired):
        unwrap(401, {"code": 401003, "message": "token expired"})
    with pytest.raises(MalformedResponse):
        unwrap(200, b"<html>")
