"""The checks every request passes before a handler sees it: the app key, the signature (recomputed over
the request exactly as received), the timestamp window and its single use, then the access token."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.longbridge import wire
from tests.support.longbridge.journal import RecordedRequest
from tests.support.longbridge.signature import PREFIX, SignedParts, sent_signature, signature, string_to_sign
from tests.support.longbridge.state import ServerState
from tests.support.longbridge.timestamps import parse_timestamp
from tests.support.longbridge.tokens import TokenStatus
from tests.support.longbridge.wire import LongbridgeError


@dataclass(frozen=True)
class Incoming:
    record: RecordedRequest
    client: str  # the peer's address, for the per-IP limit


def reject(state: ServerState, record: RecordedRequest, error: LongbridgeError, what: str) -> LongbridgeError:
    state.journal.violation(record, what)
    return error


def authenticate(state: ServerState, record: RecordedRequest) -> str:
    """Check key, signature, timestamp and token; return the token. Raises LongbridgeError."""
    headers = record.headers
    key = headers.get("x-api-key", "")
    if key != state.config.app_key:
        raise reject(state, record, wire.apikey_illegal(), f"unknown X-Api-Key {key!r}")
    if "x-app-secret" in headers or state.config.app_secret in headers.values():
        state.journal.violation(record, "the app secret was sent in a header (it must never travel)")
    timestamp = headers.get("x-timestamp", "")
    moment = parse_timestamp(timestamp)
    if moment is None:
        raise reject(state, record, wire.duplicate_request(), f"X-Timestamp {timestamp!r} is not a timestamp")
    token = headers.get("authorization", "")
    check_signature(state, record, token, key, timestamp)
    skew = state.timestamps.skew(moment)
    if abs(skew) > state.config.clock_skew:
        what = (
            f"X-Timestamp {timestamp} is {skew:+.1f} s from the server's clock (window ±{state.config.clock_skew:g} s)"
        )
        raise reject(state, record, wire.duplicate_request(), what)
    # A replay is the same signed request again: the official SDK stamps whole seconds, so two different
    # requests may share a timestamp (their signatures differ); the terminal never repeats one at all.
    if not state.timestamps.first_use(key, f"{timestamp} {headers.get('x-api-signature', '')}"):
        raise reject(state, record, wire.duplicate_request(), f"X-Timestamp {timestamp} was already used")
    if not token:
        raise reject(state, record, wire.token_invalid(), "no Authorization header")
    status = state.tokens.status(token)
    if status is TokenStatus.EXPIRED:
        raise reject(state, record, wire.token_expired(), "the access token has expired")
    if status is not TokenStatus.VALID:
        what = "the access token was replaced by a refresh" if status else "an access token the venue never issued"
        raise reject(state, record, wire.token_invalid(), what)
    if record.body and not headers.get("content-type", "").startswith("application/json"):
        what = f"a body sent as {headers.get('content-type')!r}, not application/json"
        raise reject(state, record, wire.bad_parameter("Content-Type must be application/json"), what)
    return token


def check_signature(state: ServerState, record: RecordedRequest, token: str, key: str, timestamp: str) -> None:
    header = record.headers.get("x-api-signature", "")
    sent = sent_signature(header)
    if sent is None:
        what = f"X-Api-Signature {header!r} is not '{PREFIX}<lower-case hex>'"
        raise reject(state, record, wire.signature_invalid(), what)
    parts = SignedParts(record.method, record.path, record.query, token, key, timestamp, record.body)
    if sent != signature(parts, state.config.app_secret):
        what = f"X-Api-Signature does not match; the fake signed {string_to_sign(parts)!r}"
        raise reject(state, record, wire.signature_invalid(), what)
