"""Sign requests to the fake the way Webull's SDK does (its composer helpers), for tests that play the
client with httpx: any algorithm, and a chosen timestamp or nonce when a test needs a bad one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from webull.core.auth.algorithm import sha_hmac1, sha_hmac256_new  # type: ignore[import-untyped]
from webull.core.auth.composer import default_signature_composer as composer  # type: ignore[import-untyped]
from webull.core.utils import common  # type: ignore[import-untyped]

SIGNERS = {"HMAC-SHA1": sha_hmac1, "HMAC-SHA256": sha_hmac256_new}


def now_timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_headers(
    *,
    host: str,
    path: str,
    query: Mapping[str, str],
    body: bytes | None,
    app_key: str,
    app_secret: str,
    algorithm: str = "HMAC-SHA1",
    timestamp: str | None = None,
    nonce: str | None = None,
    version: str = "v3",
    token: str | None = None,
) -> dict[str, str]:
    """Every header a Webull request needs, ``x-signature`` computed over exactly these values."""
    signer = SIGNERS[algorithm]
    headers = {
        "x-app-key": app_key,
        "x-timestamp": timestamp or now_timestamp(),
        "x-signature-version": "1.0",
        "x-signature-algorithm": algorithm,
        "x-signature-nonce": nonce or uuid.uuid4().hex,
    }
    params = {**headers, "host": host}
    for name, value in query.items():
        params[name] = f"{params[name]}&{value}" if name in params else value
    digest = None
    if body:
        digest = (common.sha256_hex(body) if signer is sha_hmac256_new else common.md5_hex(body)).upper()
    text = composer._build_sign_string(params, path, digest)
    headers["x-signature"] = composer._gen_signature(text, app_secret, signer)
    headers["x-version"] = version
    if token is not None:
        headers["x-access-token"] = token
    if body is not None:
        headers["content-type"] = "application/json"
    return headers
