"""Webull request signing (reference/SIGNING.md, "Webull"; seed 001, "Required Request Headers").

Pure functions: the caller passes the exact body bytes it sends, the timestamp and the nonce, and
gets back the headers to add. Nothing here holds or logs a secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

HMAC_SHA1 = "HMAC-SHA1"
HMAC_SHA256 = "HMAC-SHA256"
# SIGNING.md: Webull's current SDK (3.x) signs with HMAC-SHA256 on every host.
DEFAULT_ALGORITHM = HMAC_SHA256
SIGNATURE_VERSION = "1.0"
# 001, "Required Request Headers": "x-version | Yes | Interface version (accepts v2)". Not signed.
API_VERSION = "v2"

# The HMAC of the string to sign, and the digest of the body (SIGNING.md, steps 4 and 6).
_ALGORITHMS: dict[str, tuple[str, str]] = {
    HMAC_SHA1: ("sha1", "md5"),
    HMAC_SHA256: ("sha256", "sha256"),
}


def check_algorithm(algorithm: str) -> str:
    """``algorithm`` if Webull defines it; ValueError otherwise."""
    if algorithm not in _ALGORITHMS:
        known = ", ".join(sorted(_ALGORITHMS))
        raise ValueError(f"unknown Webull signature algorithm {algorithm!r} (known: {known})")
    return algorithm


def utc_timestamp(now: datetime) -> str:
    """``x-timestamp``: "YYYY-MM-DDThh:mm:ssZ", UTC only (001, "Required Request Headers")."""
    if now.tzinfo is None:
        raise ValueError("a signing timestamp needs a time zone; naive datetimes are ambiguous")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_nonce() -> str:
    """``x-signature-nonce``: "Unique random string, regenerated for each request" (001)."""
    return uuid.uuid4().hex


def body_digest(body: bytes | None, algorithm: str) -> str | None:
    """Upper-hex MD5 (HMAC-SHA1) or SHA-256 (HMAC-SHA256) of the body; None when there is none.

    An empty body counts as none (Webull's signature page: "If the body is empty, omit str2")."""
    _, digest = _ALGORITHMS[check_algorithm(algorithm)]
    if not body:
        return None
    return hashlib.new(digest, body).hexdigest().upper()


def string_to_sign(
    host: str,
    path: str,
    query: Mapping[str, str] | None,
    body: bytes | None,
    signed_headers: Mapping[str, str],
    algorithm: str,
) -> str:
    """``path&k1=v1&k2=v2…[&DIGEST]`` before percent-encoding (SIGNING.md, steps 1 to 5).

    ``signed_headers`` are the five ``x-…`` headers; ``host`` joins them. Values are raw, not
    URL-encoded; a query key equal to a header key gets ``header_value&query_value``."""
    if not path.startswith("/"):
        raise ValueError(f"a request path starts with '/': {path!r}")
    params = {name.lower(): value for name, value in signed_headers.items()}
    params["host"] = host
    for key, value in (query or {}).items():
        params[key] = f"{params[key]}&{value}" if key in params else value
    joined = "&".join(f"{key}={params[key]}" for key in sorted(params))
    digest = body_digest(body, algorithm)
    return f"{path}&{joined}" if digest is None else f"{path}&{joined}&{digest}"


def signature(text: str, app_secret: str, algorithm: str) -> str:
    """base64(HMAC(key = app_secret + "&", msg = quote(text, safe=""))) (SIGNING.md, steps 5 and 6)."""
    mac, _ = _ALGORITHMS[check_algorithm(algorithm)]
    encoded = quote(text, safe="")
    raw = hmac.new(f"{app_secret}&".encode(), encoded.encode("ascii"), mac).digest()
    return base64.b64encode(raw).decode("ascii")


def sign(
    method: str,
    host: str,
    path: str,
    query: Mapping[str, str] | None,
    body: bytes | None,
    app_key: str,
    app_secret: str,
    timestamp: str,
    nonce: str,
    algorithm: str = DEFAULT_ALGORITHM,
    *,
    version: str = API_VERSION,
) -> dict[str, str]:
    """The headers that authenticate one request.

    ``host`` is the Host header's value (the name, with the port only when it is not the scheme's
    default); ``body`` the exact bytes sent, None for none. Webull does not sign the method: it is
    taken so that a call reads as the request it signs. ``x-access-token`` is added by the caller:
    it is not signed (SIGNING.md, step 1)."""
    if not method:
        raise ValueError("a request needs a method")
    headers = {
        "x-app-key": app_key,
        "x-timestamp": timestamp,
        "x-signature-version": SIGNATURE_VERSION,
        "x-signature-algorithm": check_algorithm(algorithm),
        "x-signature-nonce": nonce,
    }
    text = string_to_sign(host, path, query, body, headers, algorithm)
    headers["x-signature"] = signature(text, app_secret, algorithm)
    headers["x-version"] = version
    return headers
