"""Recompute the signature a Webull request should carry, from the request as the fake received it,
with the official SDK's composer (webull/core/auth/composer/default_signature_composer.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

from webull.core.auth.algorithm import sha_hmac1, sha_hmac256_new  # type: ignore[import-untyped]
from webull.core.auth.composer import default_signature_composer as composer  # type: ignore[import-untyped]
from webull.core.utils import common  # type: ignore[import-untyped]

# The headers that take part in the signature besides ``host`` (x-signature and x-version do not).
SIGNED_HEADERS = ("x-app-key", "x-timestamp", "x-signature-version", "x-signature-algorithm", "x-signature-nonce")

# The SDK's signer modules by the name they declare in x-signature-algorithm. The composer picks the
# body digest by module: SHA-256 for sha_hmac256_new, MD5 for anything else (``_get_body_string``).
ALGORITHMS: dict[str, ModuleType] = {
    sha_hmac1.get_signer_name(): sha_hmac1,
    sha_hmac256_new.get_signer_name(): sha_hmac256_new,
}


@dataclass(frozen=True)
class ReceivedRequest:
    """What the signature covers, exactly as it arrived: decoded path and query, raw body bytes."""

    path: str
    query: Sequence[tuple[str, str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    host: str  # the host name the client must have signed


def sign_params(request: ReceivedRequest) -> dict[str, str]:
    """The key/value map the composer sorts: signing headers, ``host``, then every query parameter.

    Repeated query names are joined by ``&`` with their values in ascending order (the signature
    page, "Duplicate Parameter Names"); a query name equal to a header name gets ``header&query``
    (the composer's ``calc_signature``)."""
    params = {name: request.headers.get(name, "") for name in SIGNED_HEADERS}
    params["host"] = request.host
    grouped: dict[str, list[str]] = {}
    for name, value in request.query:
        grouped.setdefault(name, []).append(value)
    for name, values in grouped.items():
        value = "&".join(sorted(values))
        params[name] = f"{params[name]}&{value}" if name in params else value
    return params


def body_digest(body: bytes, signer: ModuleType) -> str | None:
    """Upper-hex digest of the body bytes as sent (none for an empty body), as ``_get_body_string`` does."""
    if not body:
        return None
    digest = common.sha256_hex(body) if signer is sha_hmac256_new else common.md5_hex(body)
    return str(digest).upper()


def string_to_sign(request: ReceivedRequest, signer: ModuleType) -> str:
    params = sign_params(request)
    return str(composer._build_sign_string(params, request.path, body_digest(request.body, signer)))


def expected_signature(request: ReceivedRequest, app_secret: str) -> str:
    """The signature for the request's declared algorithm; KeyError if the fake does not know it."""
    signer = ALGORITHMS[request.headers["x-signature-algorithm"]]
    return str(composer._gen_signature(string_to_sign(request, signer), app_secret, signer))
