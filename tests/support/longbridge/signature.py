"""The venue's request signature, recomputed from the request as the fake received it (how-to-access-api,
"Sign requests"): a canonical request, its SHA-1, then HMAC-SHA256 with the app secret."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

SIGNED_HEADERS = "authorization;x-api-key;x-timestamp"
PREFIX = f"HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}, Signature="


@dataclass(frozen=True)
class SignedParts:
    method: str
    path: str
    query: str  # exactly as received, undecoded
    token: str
    app_key: str
    timestamp: str
    body: bytes


def canonical_request(parts: SignedParts) -> str:
    text = (
        f"{parts.method.upper()}|{parts.path}|{parts.query}|"
        f"authorization:{parts.token}\nx-api-key:{parts.app_key}\nx-timestamp:{parts.timestamp}\n|{SIGNED_HEADERS}|"
    )
    if parts.body:
        text += hashlib.sha1(parts.body).hexdigest()
    return text


def string_to_sign(parts: SignedParts) -> str:
    return "HMAC-SHA256|" + hashlib.sha1(canonical_request(parts).encode()).hexdigest()


def signature(parts: SignedParts, app_secret: str) -> str:
    return hmac.new(app_secret.encode(), string_to_sign(parts).encode(), hashlib.sha256).hexdigest()


def header_value(parts: SignedParts, app_secret: str) -> str:
    return PREFIX + signature(parts, app_secret)


def sent_signature(header: str) -> str | None:
    """The hex signature of an ``X-Api-Signature`` header, or None if the header is not in the venue's form."""
    if not header.startswith(PREFIX):
        return None
    value = header[len(PREFIX) :]
    return value if value and all(c in "0123456789abcdef" for c in value) else None
