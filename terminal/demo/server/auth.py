"""Who sent a signed request, and whether it is intact and fresh (004, "Authentication").

The HMAC is checked over the bytes exactly as received, only the ``signature`` parameter taken out."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import unquote_plus

from terminal.demo.errors import DemoError
from terminal.demo.exchange import DemoExchange
from terminal.demo.keys import ApiKey
from terminal.demo.server.rest_errors import INCORRECT_SIGNATURE, api_error, illegal, missing
from terminal.demo.server.rest_params import Params

# 004 names the header "X-HK-APIKEY" in its examples and "X-APIKEY" in its tables: both are accepted.
API_KEY_HEADERS = ("x-hk-apikey", "x-apikey")
SIGNATURE = "signature"
# "If recvWindow is not sent as part of the request, the default value is 5000".
DEFAULT_RECV_WINDOW = 5000
MAX_RECV_WINDOW = 60_000  # not in 004; the common ceiling of this API family
# "If your timestamp is ahead of serverTime it needs to be within 1 second + serverTime".
MAX_AHEAD_MS = 1000


def api_key(exchange: DemoExchange, headers: Mapping[str, str]) -> ApiKey:
    """The key of the request's API key header: -1002 without one, 0102 for an unknown one."""
    value = next((headers[name] for name in API_KEY_HEADERS if headers.get(name)), None)
    if value is None:
        raise api_error("-1002")
    key = exchange.api_key(value.strip())
    if key is None:
        raise api_error("0102")
    return key


def strip_signature(raw: bytes) -> tuple[bytes, str | None]:
    """``raw`` without its ``signature`` parameter(s), and the first signature found."""
    kept: list[bytes] = []
    found: str | None = None
    for segment in raw.split(b"&") if raw else []:
        name, _, value = segment.partition(b"=")
        if unquote_plus(name.decode("utf-8", "replace")) == SIGNATURE:
            if found is None:
                found = unquote_plus(value.decode("utf-8", "replace"))
            continue
        kept.append(segment)
    return b"&".join(kept), found


def sign(secret: str, total_params: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), total_params, hashlib.sha256).hexdigest()


def verify_signature(key: ApiKey, query: bytes, body: bytes) -> None:
    """Check the signature found in the query (which wins, as for every parameter) or the body.

    004: "totalParams refers to concatenation of the query string and the request body"; "Use your
    secretKey as the key and totalParams as the value"; "Signature is not case sensitive".
    """
    query_rest, in_query = strip_signature(query)
    body_rest, in_body = strip_signature(body)
    given = in_query if in_query is not None else in_body
    if not given:
        raise missing(SIGNATURE)
    expected = sign(key.secret, query_rest + body_rest)
    if not hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode("utf-8")):
        raise DemoError("0001", INCORRECT_SIGNATURE)


def check_timestamp(params: Params, server_ms: int) -> None:
    """004: ``if (timestamp < (serverTime + 1000) && (serverTime - timestamp) <= recvWindow)`` process."""
    text = params.text("timestamp")
    try:
        timestamp = int(text)
    except ValueError:
        raise missing("timestamp") from None
    window = params.opt_int("recvWindow")
    if window is None:
        window = DEFAULT_RECV_WINDOW
    elif not 0 < window <= MAX_RECV_WINDOW:
        raise illegal("recvWindow")
    if not (timestamp < server_ms + MAX_AHEAD_MS and server_ms - timestamp <= window):
        raise api_error("-1021")
