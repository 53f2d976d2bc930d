"""Longbridge signing: SIGNING.md's known answer byte for byte, bodies, and the query signed as sent."""

from __future__ import annotations

import hashlib

import pytest

from terminal.venues.longbridge.signing import (
    JSON_CONTENT_TYPE,
    canonical_request,
    headers,
    sign,
    string_to_sign,
    timestamp_text,
)

# reference/SIGNING.md, "Longbridge", known answer.
PATH = "/v1/asset/account"
QUERY = "currency=USD&currency=HKD"
KNOWN_STRING_TO_SIGN = "HMAC-SHA256|cb058d4b4a5559a4eefee0850e162ab4aeb1dc05"
KNOWN_SIGNATURE = (
    "HMAC-SHA256 SignedHeaders=authorization;x-api-key;x-timestamp, "
    "Signature=6816055d0ad4b02dcb07203e71b312709bfc3fb72c6a87336ac22f37102dd7b5"
)


def test_the_known_answer_canonical_request_and_string_to_sign() -> None:
    canonical = canonical_request("GET", PATH, QUERY, None, "token", "key", 1700000000000)
    assert canonical == (
        "GET|/v1/asset/account|currency=USD&currency=HKD|authorization:token\nx-api-key:key\n"
        "x-timestamp:1700000000000\n|authorization;x-api-key;x-timestamp|"
    )
    assert string_to_sign(canonical) == KNOWN_STRING_TO_SIGN


@pytest.mark.parametrize("timestamp", [1700000000000, "1700000000000"])
def test_the_known_answer_signature(timestamp: int | str) -> None:
    assert sign("GET", PATH, QUERY, None, "token", "key", "secret", timestamp) == KNOWN_SIGNATURE


def test_the_method_is_upper_cased_and_an_empty_body_is_no_body() -> None:
    assert sign("get", PATH, QUERY, b"", "token", "key", "secret", 1700000000000) == KNOWN_SIGNATURE


def test_a_body_adds_its_sha1_to_the_canonical_request() -> None:
    body = b'{"order_id":"683615454870679552"}'
    canonical = canonical_request("POST", "/v1/trade/order/submit", "", body, "token", "key", 1700000000000)
    assert canonical.endswith("|authorization;x-api-key;x-timestamp|" + hashlib.sha1(body).hexdigest())
    with_body = sign("POST", "/v1/trade/order/submit", "", body, "token", "key", "secret", 1700000000000)
    without = sign("POST", "/v1/trade/order/submit", "", None, "token", "key", "secret", 1700000000000)
    assert with_body != without
    # Any change of a body byte changes the signature.
    other = sign(
        "POST", "/v1/trade/order/submit", "", body.replace(b"5", b"6"), "token", "key", "secret", 1700000000000
    )
    assert other != with_body


def test_the_query_is_signed_exactly_as_sent() -> None:
    reordered = sign("GET", PATH, "currency=HKD&currency=USD", None, "token", "key", "secret", 1700000000000)
    single = sign("GET", PATH, "currency=USD", None, "token", "key", "secret", 1700000000000)
    encoded = sign("GET", PATH, "currency=USD&currency=HKD&x=a%3Ab", None, "token", "key", "secret", 1700000000000)
    assert len({reordered, single, encoded, KNOWN_SIGNATURE}) == 4


def test_the_seed_sample_timestamp_form_is_signed_verbatim() -> None:
    canonical = canonical_request("GET", "/v1/test", "", None, "t", "k", "1539095200.123")
    assert "x-timestamp:1539095200.123\n" in canonical


def test_headers_carry_everything_to_send() -> None:
    got = headers("GET", PATH, QUERY, None, "token", "key", "secret", 1700000000000)
    assert got == {
        "X-Api-Key": "key",
        "Authorization": "token",
        "X-Timestamp": "1700000000000",
        "X-Api-Signature": KNOWN_SIGNATURE,
    }
    with_body = headers("POST", "/v1/trade/order", "", b"{}", "token", "key", "secret", 1700000000001)
    assert with_body["Content-Type"] == JSON_CONTENT_TYPE
    assert with_body["X-Timestamp"] == "1700000000001"


@pytest.mark.parametrize("bad", ["", " 1700000000000", -1, True])
def test_a_bad_timestamp_is_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        timestamp_text(bad)  # type: ignore[arg-type]


def test_a_path_and_query_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError):
        sign("GET", "v1/asset", "", None, "t", "k", "s", 1)
    with pytest.raises(ValueError):
        sign("GET", "/v1/asset", "?a=1", None, "t", "k", "s", 1)
    with pytest.raises(ValueError):
        sign("", "/v1/asset", "", None, "t", "k", "s", 1)
