"""Webull's worked signing example (reference/SIGNING.md, "Webull"), byte for byte, and the rules around it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from terminal.venues.webull.signing import (
    body_digest,
    new_nonce,
    sign,
    signature,
    string_to_sign,
    utc_timestamp,
)

APP_KEY = "776da210ab4a452795d74e726ebd74b6"
APP_SECRET = "0f50a2e853334a9aae1a783bee120c1f"
HOST = "api.webull.com"
PATH = "/trade/place_order"
QUERY = {"a1": "webull", "a2": "123", "a3": "xxx", "q1": "yyy"}
TIMESTAMP = "2022-01-04T03:55:31Z"
NONCE = "48ef5afed43d4d91ae514aaeafbc29ba"
BODY = b'{"k1":123,"k2":"this is the api request body","k3":true,"k4":{"foo":[1,2]}}'
HEADERS = {
    "x-app-key": APP_KEY,
    "x-timestamp": TIMESTAMP,
    "x-signature-version": "1.0",
    "x-signature-algorithm": "HMAC-SHA1",
    "x-signature-nonce": NONCE,
}
BEFORE_ENCODING = (
    "/trade/place_order&a1=webull&a2=123&a3=xxx&host=api.webull.com&q1=yyy"
    "&x-app-key=776da210ab4a452795d74e726ebd74b6&x-signature-algorithm=HMAC-SHA1"
    "&x-signature-nonce=48ef5afed43d4d91ae514aaeafbc29ba&x-signature-version=1.0"
    "&x-timestamp=2022-01-04T03:55:31Z&E296C96787E1A309691CEF3692F5EEDD"
)
# Webull's signature page, step 5: "URL-encode str3 -> encoded_string".
ENCODED = (
    "%2Ftrade%2Fplace_order%26a1%3Dwebull%26a2%3D123%26a3%3Dxxx%26host%3Dapi.webull.com%26q1%3Dyyy"
    "%26x-app-key%3D776da210ab4a452795d74e726ebd74b6%26x-signature-algorithm%3DHMAC-SHA1"
    "%26x-signature-nonce%3D48ef5afed43d4d91ae514aaeafbc29ba%26x-signature-version%3D1.0"
    "%26x-timestamp%3D2022-01-04T03%3A55%3A31Z%26E296C96787E1A309691CEF3692F5EEDD"
)
SIGNATURE = "kvlS6opdZDhEBo5jq40nHYXaLvM="


def test_the_body_digest_is_upper_hex_md5() -> None:
    assert body_digest(BODY, "HMAC-SHA1") == "E296C96787E1A309691CEF3692F5EEDD"


def test_the_string_before_encoding_is_the_documents() -> None:
    assert string_to_sign(HOST, PATH, QUERY, BODY, HEADERS, "HMAC-SHA1") == BEFORE_ENCODING


def test_the_encoded_string_is_the_documents() -> None:
    assert quote(BEFORE_ENCODING, safe="") == ENCODED


def test_the_signature_is_the_documents() -> None:
    assert signature(BEFORE_ENCODING, APP_SECRET, "HMAC-SHA1") == SIGNATURE


def test_sign_returns_every_header_of_the_worked_example() -> None:
    headers = sign("POST", HOST, PATH, QUERY, BODY, APP_KEY, APP_SECRET, TIMESTAMP, NONCE, "HMAC-SHA1")
    assert headers == {**HEADERS, "x-signature": SIGNATURE, "x-version": "v2"}


def test_hmac_sha256_hashes_the_body_with_sha256() -> None:
    digest = body_digest(BODY, "HMAC-SHA256")
    assert digest is not None
    assert re.fullmatch(r"[0-9A-F]{64}", digest)
    headers = sign("POST", HOST, PATH, QUERY, BODY, APP_KEY, APP_SECRET, TIMESTAMP, NONCE)
    assert headers["x-signature-algorithm"] == "HMAC-SHA256"
    text = BEFORE_ENCODING.replace("HMAC-SHA1", "HMAC-SHA256").replace("E296C96787E1A309691CEF3692F5EEDD", digest)
    assert headers["x-signature"] == signature(text, APP_SECRET, "HMAC-SHA256")
    assert headers["x-signature"] != SIGNATURE


def test_an_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="HMAC-MD5"):
        sign("GET", HOST, PATH, None, None, APP_KEY, APP_SECRET, TIMESTAMP, NONCE, "HMAC-MD5")


def test_no_body_and_an_empty_body_add_no_digest_but_an_empty_object_does() -> None:
    without = string_to_sign(HOST, PATH, None, None, HEADERS, "HMAC-SHA1")
    assert without.endswith("&x-timestamp=2022-01-04T03:55:31Z")
    assert string_to_sign(HOST, PATH, None, b"", HEADERS, "HMAC-SHA1") == without
    with_object = string_to_sign(HOST, PATH, None, b"{}", HEADERS, "HMAC-SHA1")
    assert with_object == f"{without}&99914B932BD37A50B983C5E7C90AE93B"  # MD5("{}")


def test_a_query_key_equal_to_a_header_key_joins_both_values() -> None:
    text = string_to_sign(HOST, PATH, {"x-app-key": "mine", "host": "h"}, None, HEADERS, "HMAC-SHA1")
    assert f"x-app-key={APP_KEY}&mine&" in text
    assert "host=api.webull.com&h&" in text


def test_values_are_raw_and_keys_sorted_by_code_point() -> None:
    text = string_to_sign(HOST, "/p", {"b": "x y&z=1", "B": "é", "a": ""}, None, HEADERS, "HMAC-SHA1")
    assert text.startswith("/p&B=é&a=&b=x y&z=1&host=")


def test_a_path_must_be_absolute() -> None:
    with pytest.raises(ValueError, match="starts with"):
        string_to_sign(HOST, "trade", None, None, HEADERS, "HMAC-SHA1")


def test_the_timestamp_is_utc_to_the_second() -> None:
    hong_kong = timezone(timedelta(hours=8))
    assert utc_timestamp(datetime(2022, 1, 4, 11, 55, 31, 999_000, tzinfo=hong_kong)) == TIMESTAMP
    assert utc_timestamp(datetime(2022, 1, 4, 3, 55, 31, tzinfo=UTC)) == TIMESTAMP
    with pytest.raises(ValueError, match="time zone"):
        utc_timestamp(datetime(2022, 1, 4, 3, 55, 31))  # naive: the point of the test


def test_nonces_are_fresh_uuid_hex() -> None:
    nonces = {new_nonce() for _ in range(100)}
    assert len(nonces) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}", nonce) for nonce in nonces)
