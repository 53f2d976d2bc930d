"""Longbridge request signing (reference/SIGNING.md, "Longbridge"; seed 002, "Sign requests").

Pure functions: the caller passes the exact query string and body bytes it sends and the
``X-Timestamp`` it sends; nothing here holds, logs or invents a secret or a time.

``X-Timestamp`` is sent as integer Unix **milliseconds** ("1700000000000"), the form of SIGNING.md's
known answer. Seed 002's sample writes ``str(time.time())`` ("1539095200.123", seconds): the server
signs whatever text it receives, so either verifies; milliseconds keep the value an integer we can
bump past the previous one (the transport never reuses a timestamp: 403202).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNED_HEADERS = "authorization;x-api-key;x-timestamp"
ALGORITHM = "HMAC-SHA256"
# Seed 002: 'headers['Content-Type'] = 'application/json; charset=utf-8''.
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def timestamp_text(timestamp: str | int) -> str:
    """The ``X-Timestamp`` text: an int is epoch milliseconds; a str is sent (and signed) verbatim."""
    if isinstance(timestamp, bool):
        raise TypeError("a timestamp is epoch milliseconds or the header's text, not a boolean")
    if isinstance(timestamp, int):
        if timestamp < 0:
            raise ValueError(f"a timestamp cannot be negative: {timestamp}")
        return str(timestamp)
    if not timestamp or timestamp != timestamp.strip():
        raise ValueError(f"an X-Timestamp is non-empty text without spaces: {timestamp!r}")
    return timestamp


def canonical_request(
    method: str,
    path: str,
    query_string: str,
    body: bytes | None,
    access_token: str,
    app_key: str,
    timestamp: str | int,
) -> str:
    """``METHOD|path|query|authorization:…\\nx-api-key:…\\nx-timestamp:…\\n|signed headers|[sha1hex(body)]``.

    ``query_string`` is exactly what goes after ``?`` on the wire (order and repeated keys kept,
    encoded as sent), "" for none. The body hash is added only for a non-empty body (seed 002:
    ``if body != ""``)."""
    if not method:
        raise ValueError("a request needs a method")
    if not path.startswith("/"):
        raise ValueError(f"a request path starts with '/': {path!r}")
    if query_string.startswith("?"):
        raise ValueError("the query string is signed without its leading '?'")
    text = (
        f"{method.upper()}|{path}|{query_string}|"
        f"authorization:{access_token}\nx-api-key:{app_key}\nx-timestamp:{timestamp_text(timestamp)}\n"
        f"|{SIGNED_HEADERS}|"
    )
    if body:
        text += hashlib.sha1(body).hexdigest()
    return text


def string_to_sign(canonical: str) -> str:
    """``"HMAC-SHA256|" + sha1hex(canonical)``: Longbridge hashes the canonical request with SHA-1 first."""
    return f"{ALGORITHM}|{hashlib.sha1(canonical.encode('utf-8')).hexdigest()}"


def signature_hex(text: str, app_secret: str) -> str:
    """Lower-hex HMAC-SHA256(key = app_secret, msg = the string to sign)."""
    return hmac.new(app_secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(
    method: str,
    path: str,
    query_string: str,
    body: bytes | None,
    access_token: str,
    app_key: str,
    app_secret: str,
    timestamp: str | int,
) -> str:
    """The ``X-Api-Signature`` header's value for one request.

    ``body`` is the exact bytes sent (None or b"" for none); ``timestamp`` the ``X-Timestamp`` sent
    (an int is epoch milliseconds, see the module docstring)."""
    canonical = canonical_request(method, path, query_string, body, access_token, app_key, timestamp)
    digest = signature_hex(string_to_sign(canonical), app_secret)
    return f"{ALGORITHM} SignedHeaders={SIGNED_HEADERS}, Signature={digest}"


def headers(
    method: str,
    path: str,
    query_string: str,
    body: bytes | None,
    access_token: str,
    app_key: str,
    app_secret: str,
    timestamp: str | int,
) -> dict[str, str]:
    """Every header that authenticates one request: ``X-Api-Key``, ``Authorization`` (the raw access
    token, no "Bearer": seed 002), ``X-Timestamp``, ``X-Api-Signature``, and ``Content-Type`` when
    there is a body."""
    result = {
        "X-Api-Key": app_key,
        "Authorization": access_token,
        "X-Timestamp": timestamp_text(timestamp),
        "X-Api-Signature": sign(method, path, query_string, body, access_token, app_key, app_secret, timestamp),
    }
    if body:
        result["Content-Type"] = JSON_CONTENT_TYPE
    return result
