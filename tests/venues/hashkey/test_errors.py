"""HashKey error mapping: every row of the document's error table is mapped, and responses become the right class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terminal.venues.errors import (
    AuthenticationError,
    Banned,
    ClockSkew,
    InsufficientFunds,
    InvalidRequest,
    MalformedResponse,
    OrderNotFound,
    OrderRejected,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnknownOutcome,
    VenueError,
)
from terminal.venues.hashkey.errors import (
    DEFAULT_RATE_LIMIT_WAIT,
    ERRORS,
    INCORRECT_SIGNATURE,
    error_from_response,
    is_success_code,
    normalize_code,
    spec_for,
)

SEED = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds" / "004_89718b199f500c93.txt"
SUCCESS_ROWS = {"200", "0000"}


def _document_rows() -> list[tuple[str, int, str]]:
    """(code, HTTP status, message) for every row of the "Error Codes" table, wrapped rows joined."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| ERROR CODE | HTTP Status Code |"))
    rows: list[tuple[str, int, str]] = []
    i = start + 2  # skip the header and the |---| line
    while i < len(lines) and lines[i].startswith("|"):
        line = lines[i]
        if line.count("|") < 5:  # "| -1015 | 400 | Too many ... per %s |" continues on the next line
            i += 1
            line = line + " " + lines[i]
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        assert len(cells) == 4, line
        rows.append((cells[0], int(cells[1]), cells[2]))
        i += 1
    return rows


DOCUMENT_ROWS = _document_rows()
ERROR_ROWS = [row for row in DOCUMENT_ROWS if row[0] not in SUCCESS_ROWS]


def test_the_table_was_found_and_parsed() -> None:
    codes = [code for code, _, _ in DOCUMENT_ROWS]
    assert len(DOCUMENT_ROWS) == 169
    assert codes[:3] == ["200", "0000", "0001"]
    assert codes[-1] == "-5036"
    assert ("-1015", 400, "Too many new orders, current limit is %s orders per %s") in DOCUMENT_ROWS
    assert ("-5035", 400, "%s") in DOCUMENT_ROWS


@pytest.mark.parametrize(
    ("code", "http_status", "message"), ERROR_ROWS, ids=[f"{c}:{m[:30]}" for c, _, m in ERROR_ROWS]
)
def test_every_documented_code_is_mapped_with_its_documented_message(code: str, http_status: int, message: str) -> None:
    spec = spec_for(code, message)
    assert spec is not None, f"{code} is not mapped"
    assert spec.code == code
    assert spec.message == message
    assert spec.http_status == http_status
    assert issubclass(spec.kind, VenueError)
    assert spec.kind is not VenueError
    assert code in ERRORS


def test_no_code_is_mapped_that_the_document_does_not_list() -> None:
    documented = {code for code, _, _ in ERROR_ROWS}
    assert set(ERRORS) == documented
    assert len(ERRORS) == 166  # 167 error rows, code 0001 twice
    assert not SUCCESS_ROWS & set(ERRORS)
    for code, spec in ERRORS.items():
        assert spec.code == code


def test_code_0001_keeps_both_documented_meanings() -> None:
    rows = [(status, message) for code, status, message in ERROR_ROWS if code == "0001"]
    assert rows == [(400, "Required field %s missing or invalid"), (400, "Incorrect signature")]
    assert ERRORS["0001"].message == "Required field %s missing or invalid"
    assert ERRORS["0001"].kind is InvalidRequest
    assert INCORRECT_SIGNATURE.message == "Incorrect signature"
    assert INCORRECT_SIGNATURE.kind is AuthenticationError


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("0102", AuthenticationError),
        ("-1002", AuthenticationError),
        ("0202", PermissionDenied),
        ("-1186", PermissionDenied),
        ("-4009", PermissionDenied),
        ("0003", RateLimited),
        ("-1015", RateLimited),
        ("-3145", RateLimited),
        ("0401", InsufficientFunds),
        ("-4003", InsufficientFunds),
        ("-5023", InsufficientFunds),
        ("0210", OrderRejected),
        ("-1141", OrderRejected),
        ("-1156", OrderRejected),
        ("-2010", OrderRejected),
        ("-2011", OrderRejected),
        ("-3143", OrderRejected),
        ("0211", OrderNotFound),
        ("-1139", OrderNotFound),
        ("-1143", OrderNotFound),
        ("-1021", ClockSkew),
        ("-1006", UnknownOutcome),
        ("-1007", UnknownOutcome),
        ("-1146", UnknownOutcome),
        ("-1147", UnknownOutcome),
        ("-1000", ServerError),
        ("-1001", ServerError),
        ("-4011", ServerError),
        ("-1004", InvalidRequest),
        ("-1130", InvalidRequest),
        ("-2022", InvalidRequest),
        ("-5004", InvalidRequest),
    ],
)
def test_representative_classification(code: str, kind: type[VenueError]) -> None:
    assert ERRORS[code].kind is kind


def test_every_code_maps_to_exactly_one_class() -> None:
    kinds = {spec.kind for spec in ERRORS.values()}
    assert kinds == {
        AuthenticationError,
        PermissionDenied,
        RateLimited,
        InsufficientFunds,
        OrderRejected,
        OrderNotFound,
        ClockSkew,
        UnknownOutcome,
        ServerError,
        InvalidRequest,
    }


# normalize_code / is_success_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (-1021, "-1021"),
        ("-1021", "-1021"),
        (" -1021 ", "-1021"),
        ("0001", "0001"),
        (1, "0001"),
        ("1", "0001"),
        (401, "0401"),
        (200, "200"),
        ("200", "200"),
        (0, "0"),
        ("0", "0"),
        ("0000", "0000"),
        (-1021.0, "-1021"),
        (None, ""),
    ],
)
def test_normalize_code(raw: object, expected: str) -> None:
    assert normalize_code(raw) == expected


@pytest.mark.parametrize("raw", [0, "0", "0000", 200, "200", None, ""])
def test_success_codes(raw: object) -> None:
    assert is_success_code(raw) is True


@pytest.mark.parametrize("raw", [1, "0001", -1021, "-1021", 401, "0401", "-1000"])
def test_error_codes_are_not_success(raw: object) -> None:
    assert is_success_code(raw) is False


# error_from_response


def test_documented_code_keeps_the_venues_message() -> None:
    error = error_from_response(
        400, {"code": "-1021", "msg": "Timestamp for this request is outside of the recvWindow."}
    )
    assert type(error) is ClockSkew
    assert error.code == "-1021"
    assert error.message == "Timestamp for this request is outside of the recvWindow."
    assert error.http_status == 400


def test_documented_message_is_the_fallback_and_message_key_is_accepted() -> None:
    without = error_from_response(400, {"code": "0211"})
    assert type(without) is OrderNotFound
    assert without.message == "Order not found"
    with_message_key = error_from_response(400, {"code": "-1141", "message": "Duplicate order sent."})
    assert type(with_message_key) is OrderRejected
    assert with_message_key.message == "Duplicate order sent."


def test_int_and_str_codes_give_the_same_error() -> None:
    as_int = error_from_response(400, {"code": 401, "msg": "Insufficient asset"})
    as_str = error_from_response(400, {"code": "0401", "msg": "Insufficient asset"})
    assert type(as_int) is type(as_str) is InsufficientFunds
    assert as_int.code == as_str.code == "0401"
    negative = error_from_response(400, {"code": -1021, "msg": "x"})
    assert type(negative) is ClockSkew
    assert negative.code == "-1021"


def test_0001_is_told_apart_by_the_venues_text() -> None:
    signature = error_from_response(400, {"code": "0001", "msg": "Incorrect signature"})
    assert type(signature) is AuthenticationError
    assert signature.code == "0001"
    required = error_from_response(400, {"code": 1, "msg": "Required field quantity missing or invalid"})
    assert type(required) is InvalidRequest
    assert required.message == "Required field quantity missing or invalid"
    signature_field = error_from_response(400, {"code": "0001", "msg": "Required field signature missing or invalid"})
    assert type(signature_field) is InvalidRequest
    assert spec_for("0001") is ERRORS["0001"]
    assert spec_for(1, "INCORRECT SIGNATURE") is INCORRECT_SIGNATURE


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, AuthenticationError), (403, PermissionDenied), (404, InvalidRequest), (400, InvalidRequest)],
)
def test_unknown_code_falls_back_on_the_http_status(status: int, kind: type[VenueError]) -> None:
    error = error_from_response(status, {"code": "-9999", "msg": "Something new"})
    assert type(error) is kind
    assert error.code == "-9999"
    assert error.message == "Something new"
    assert error.http_status == status


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_unknown_code_on_5xx_is_a_server_error(status: int) -> None:
    error = error_from_response(status, {"code": "-9999", "msg": "boom"})
    assert type(error) is ServerError
    assert error.http_status == status


def test_http_429_is_rate_limited_with_the_documented_minute() -> None:
    error = error_from_response(429, {"code": "-1015", "msg": "Too many new orders, current limit is 10 orders per 1s"})
    assert type(error) is RateLimited
    assert isinstance(error, RateLimited)
    assert error.retry_after == DEFAULT_RATE_LIMIT_WAIT == 60.0
    assert error.message == "Too many new orders, current limit is 10 orders per 1s"
    with_header = error_from_response(429, "", retry_after=12.5)
    assert isinstance(with_header, RateLimited)
    assert with_header.retry_after == 12.5
    assert with_header.message == "HTTP 429 from the venue"


@pytest.mark.parametrize("code", ["0003", "-1015", "-3145"])
def test_rate_limit_codes_on_http_400_get_a_retry_after(code: str) -> None:
    error = error_from_response(400, {"code": code, "msg": "slow down"})
    assert type(error) is RateLimited
    assert isinstance(error, RateLimited)
    assert error.retry_after == 60.0
    hinted = error_from_response(400, {"code": code}, retry_after=5.0)
    assert isinstance(hinted, RateLimited)
    assert hinted.retry_after == 5.0


def test_http_418_is_banned() -> None:
    error = error_from_response(418, None)
    assert type(error) is Banned
    assert error.http_status == 418
    assert error.message == "HTTP 418 from the venue"
    with_body = error_from_response(418, {"code": "0003", "msg": "IP banned"})
    assert type(with_body) is Banned
    assert with_body.message == "IP banned"


def test_5xx_is_a_server_error_unless_placing_an_order() -> None:
    plain = error_from_response(500, {"code": "-1001", "msg": "Internal error"})
    assert type(plain) is ServerError
    order = error_from_response(500, {"code": "-1001", "msg": "Internal error"}, placing_order=True)
    assert type(order) is UnknownOutcome
    assert order.code == "-1001"
    empty = error_from_response(503, None, placing_order=True)
    assert type(empty) is UnknownOutcome
    assert empty.code == "503"


def test_5xx_with_a_documented_client_code_is_still_a_server_error() -> None:
    error = error_from_response(500, {"code": "-1021", "msg": "x"})
    assert type(error) is ServerError
    assert error.code == "-1021"


def test_5xx_with_an_unknown_outcome_code_stays_unknown_outcome() -> None:
    error = error_from_response(504, {"code": "-1007", "msg": "Timeout waiting for response from server"})
    assert type(error) is UnknownOutcome


@pytest.mark.parametrize("code", ["-1000", "-1001", "-4011", -1001])
def test_server_error_codes_become_unknown_outcome_when_placing_an_order(code: object) -> None:
    assert type(error_from_response(400, {"code": code, "msg": "x"})) is ServerError
    assert type(error_from_response(400, {"code": code, "msg": "x"}, placing_order=True)) is UnknownOutcome


def test_unknown_outcome_codes_stay_unknown_outcome_either_way() -> None:
    for placing_order in (False, True):
        error = error_from_response(400, {"code": "-1146"}, placing_order=placing_order)
        assert type(error) is UnknownOutcome
        assert error.message == "Order creation timeout"


def test_documented_rejections_are_not_made_unknown_by_placing_order() -> None:
    error = error_from_response(400, {"code": "-1156", "msg": "Limit maker rejected"}, placing_order=True)
    assert type(error) is OrderRejected


def test_html_body_never_crashes_and_stays_short() -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 100_000 + "</body></html>"
    error = error_from_response(502, page)
    assert type(error) is ServerError
    assert error.message == "HTTP 502 from the venue"
    assert error.code == "502"
    on_order = error_from_response(502, page, placing_order=True)
    assert type(on_order) is UnknownOutcome
    forbidden = error_from_response(403, page)
    assert type(forbidden) is PermissionDenied
    assert len(forbidden.message) <= 210


def test_plain_text_body_is_truncated() -> None:
    error = error_from_response(400, "nope " * 1000)
    assert type(error) is InvalidRequest
    assert error.message.startswith("HTTP 400 from the venue: nope nope")
    assert len(error.message) <= 240


def test_huge_venue_message_is_truncated() -> None:
    error = error_from_response(400, {"code": "-1004", "msg": "y" * 10_000})
    assert type(error) is InvalidRequest
    assert 0 < len(error.message) <= 200


def test_json_text_body_is_decoded() -> None:
    error = error_from_response(400, json.dumps({"code": "-1021", "msg": "skew"}))
    assert type(error) is ClockSkew
    assert error.message == "skew"
    raw = error_from_response(400, b'{"code": -2011, "msg": "cancel rejected"}')
    assert type(raw) is OrderRejected


@pytest.mark.parametrize("body", [None, [], [{"code": "-1021"}], 42, "", {}])
def test_bodies_without_an_error_object_fall_back_on_the_status(body: object) -> None:
    error = error_from_response(400, body)
    assert type(error) is InvalidRequest
    assert error.code == "400"
    assert error.message.startswith("HTTP 400 from the venue")
    assert type(error_from_response(500, body)) is ServerError


def test_success_code_in_an_error_status_is_ignored() -> None:
    error = error_from_response(401, {"code": 0, "msg": "Unauthorized"})
    assert type(error) is AuthenticationError
    assert error.code == "401"
    assert error.message == "Unauthorized"


def test_undocumented_body_on_a_success_status() -> None:
    error = error_from_response(200, {"code": "-9999", "msg": "odd"})
    assert type(error) is MalformedResponse
    assert type(error_from_response(200, {"code": "-9999"}, placing_order=True)) is UnknownOutcome
    documented = error_from_response(200, {"code": "-1141", "msg": "Duplicate order"})
    assert type(documented) is OrderRejected  # batch endpoints answer 200 with a code per item


def test_errors_render_for_the_ui() -> None:
    error = error_from_response(400, {"code": "-1021", "msg": "Timestamp outside recvWindow"})
    assert str(error) == "Timestamp outside recvWindow (code -1021)"
    assert "ClockSkew" in repr(error)
