"""Our signature against Webull's official SDK (``webull-openapi-python-sdk``) for generated requests.

The SDK's composer ``calc_signature(headers, host, uri, queries, body_params, key, secret, spec)``
(webull/core/auth/composer/default_signature_composer.py) always signs with HMAC-SHA256 in 3.x,
whatever ``signer_spec`` it is given, and draws its own timestamp and nonce: the test pins those
two through the functions it calls. For HMAC-SHA1 no SDK code path signs a whole request any
more, so the test composes the SDK's own building blocks (``_get_body_string`` with ``sha_hmac1``,
which takes the MD5 branch, ``_build_sign_string`` and ``_gen_signature``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webull.core.auth.algorithm import sha_hmac1
from webull.core.auth.composer import default_signature_composer as composer
from webull.core.utils import common

from terminal.venues.webull.signing import sign, utc_timestamp

HEADER_KEYS = ["x-app-key", "x-timestamp", "x-signature-version", "x-signature-algorithm", "x-signature-nonce", "host"]

# Lone surrogates cannot be encoded at all, by us or by the SDK.
text = st.text(st.characters(codec="utf-8"), max_size=12)
words = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
keys = st.one_of(words, st.sampled_from(HEADER_KEYS), st.sampled_from(["a", "b&c", "d=e", "f g", "ü"]))
paths = st.lists(words.map(lambda w: w.replace("/", "")), max_size=4).map(lambda parts: "/" + "/".join(parts))
hosts = st.sampled_from(["api.webull.hk", "api.webull.com", "api.sandbox.webull.hk", "127.0.0.1:8443"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
bodies = st.none() | st.dictionaries(text, json_values, max_size=4)
timestamps = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
nonces = st.one_of(st.uuids().map(lambda u: u.hex), words)
secrets = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40)


def _sdk_body_text(body: Any) -> bytes | None:
    """The bytes the SDK sends and hashes for ``body`` (core/utils/common.py, json_dumps_compact)."""
    return None if body is None else common.json_dumps_compact(body).encode("utf-8")


@contextmanager
def _sdk_clock(timestamp: str, nonce: str) -> Iterator[None]:
    """The SDK reads the time and draws a nonce itself (``common.get_iso_8601_date``, ``common.get_uuid``)."""
    with (
        patch.object(common, "get_iso_8601_date", lambda *_: timestamp),
        patch.object(common, "get_uuid", lambda: nonce),
    ):
        yield


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    host=hosts,
    path=paths,
    query=st.dictionaries(keys, text, max_size=5),
    body=bodies,
    app_key=secrets,
    app_secret=secrets,
    when=timestamps,
    nonce=nonces,
)
def test_hmac_sha256_equals_the_sdks_composer(
    host: str, path: str, query: dict[str, str], body: Any, app_key: str, app_secret: str, when: datetime, nonce: str
) -> None:
    timestamp = utc_timestamp(when)
    sdk_headers: dict[str, str] = {}
    with _sdk_clock(timestamp, nonce):
        expected = composer.calc_signature(sdk_headers, host, path, query, body, app_key, app_secret, None)
    ours = sign("POST", host, path, query, _sdk_body_text(body), app_key, app_secret, timestamp, nonce, "HMAC-SHA256")
    assert ours["x-signature"] == expected
    for name, value in sdk_headers.items():  # the SDK's own header values, name for name
        assert ours[name] == value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    host=hosts,
    path=paths,
    query=st.dictionaries(keys, text, max_size=5),
    body=bodies,
    app_key=secrets,
    app_secret=secrets,
    when=timestamps,
    nonce=nonces,
)
def test_hmac_sha1_equals_the_sdks_building_blocks(
    host: str, path: str, query: dict[str, str], body: Any, app_key: str, app_secret: str, when: datetime, nonce: str
) -> None:
    timestamp = utc_timestamp(when)
    params = {
        "x-app-key": app_key,
        "x-timestamp": timestamp,
        "x-signature-version": sha_hmac1.get_signer_version(),
        "x-signature-algorithm": sha_hmac1.get_signer_name(),
        "x-signature-nonce": nonce,
        "host": host,
    }
    for key, value in query.items():  # as calc_signature merges the query into the signed headers
        params[key] = f"{params[key]}&{value}" if key in params else value
    body_string = composer._get_body_string(body, sha_hmac1)
    expected = composer._gen_signature(composer._build_sign_string(params, path, body_string), app_secret, sha_hmac1)
    ours = sign("GET", host, path, query, _sdk_body_text(body), app_key, app_secret, timestamp, nonce, "HMAC-SHA1")
    assert ours["x-signature"] == expected


def test_the_oracle_reproduces_the_worked_example() -> None:
    """The SDK's SHA-1 blocks give the document's signature, so the oracle above is the right one."""
    body = json.loads('{"k1":123,"k2":"this is the api request body","k3":true,"k4":{"foo":[1,2]}}')
    params = {
        "a1": "webull",
        "a2": "123",
        "a3": "xxx",
        "q1": "yyy",
        "host": "api.webull.com",
        "x-app-key": "776da210ab4a452795d74e726ebd74b6",
        "x-signature-algorithm": "HMAC-SHA1",
        "x-signature-nonce": "48ef5afed43d4d91ae514aaeafbc29ba",
        "x-signature-version": "1.0",
        "x-timestamp": "2022-01-04T03:55:31Z",
    }
    text = composer._build_sign_string(params, "/trade/place_order", composer._get_body_string(body, sha_hmac1))
    assert (
        composer._gen_signature(text, "0f50a2e853334a9aae1a783bee120c1f", sha_hmac1) == "kvlS6opdZDhEBo5jq40nHYXaLvM="
    )
