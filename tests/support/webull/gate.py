"""The checks every request passes before a handler sees it: the headers of seed 001, the signature
(recomputed with the SDK's composer), the timestamp window and the nonce. Each failure is recorded as
a violation and answered in Webull's error envelope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tests.support.webull import errors
from tests.support.webull.config import SignedHost
from tests.support.webull.journal import RecordedRequest
from tests.support.webull.signature import ALGORITHMS, ReceivedRequest, expected_signature, string_to_sign
from tests.support.webull.state import ServerState
from tests.support.webull.wire import WebullError

REQUIRED_HEADERS = (
    "x-app-key",
    "x-timestamp",
    "x-signature",
    "x-signature-algorithm",
    "x-signature-version",
    "x-signature-nonce",
    "x-version",
)
API_VERSIONS = frozenset({"v2", "v3"})  # "API interface version. Supported values: `v2`, `v3`."
TIMESTAMP_LAYOUT = "%Y-%m-%dT%H:%M:%SZ"  # "YYYY-MM-DDThh:mm:ssZ (UTC only)"


@dataclass(frozen=True)
class Incoming:
    record: RecordedRequest
    query_pairs: list[tuple[str, str]]
    host_header: str


def bare_host(host_header: str) -> str:
    """``127.0.0.1:8080`` -> ``127.0.0.1``; ``[::1]:8080`` -> ``[::1]``."""
    head, _, port = host_header.rpartition(":")
    return head if head and port.isdigit() and not host_header.endswith("]") else host_header


def signed_hosts(state: ServerState, host_header: str) -> list[str]:
    mode = state.config.signed_host
    if mode is SignedHost.BARE:
        return [bare_host(host_header)]
    if mode is SignedHost.WITH_PORT:
        return [host_header]
    return list(dict.fromkeys([bare_host(host_header), host_header]))


def reject(state: ServerState, incoming: Incoming, error: WebullError, what: str) -> WebullError:
    state.journal.violation(incoming.record, what)
    return error


def authenticate(state: ServerState, incoming: Incoming) -> str:
    """Check signature, headers, timestamp and nonce; return the x-version. Raises WebullError."""
    headers = incoming.record.headers
    for name in REQUIRED_HEADERS:
        if not headers.get(name):
            raise reject(state, incoming, errors.missing_header(name), f"header {name} is missing")
    if "x-app-secret" in headers:
        state.journal.violation(incoming.record, "the app secret was sent as a header (it must never travel)")
    if headers["x-app-key"] != state.config.app_key:
        raise reject(state, incoming, errors.invalid_credentials(), f"unknown x-app-key {headers['x-app-key']!r}")
    algorithm = headers["x-signature-algorithm"]
    if algorithm not in ALGORITHMS:
        raise reject(state, incoming, errors.algorithm_not_supported(), f"x-signature-algorithm {algorithm!r}")
    if headers["x-signature-version"] != "1.0":
        version = headers["x-signature-version"]
        raise reject(state, incoming, errors.version_not_supported(), f"x-signature-version {version!r}")
    check_timestamp(state, incoming, headers["x-timestamp"])
    check_signature(state, incoming)
    if not state.nonces.first_use(headers["x-signature-nonce"]):
        nonce = headers["x-signature-nonce"]
        raise reject(state, incoming, errors.reused_nonce(), f"x-signature-nonce {nonce!r} was used before")
    if headers["x-version"] not in API_VERSIONS:
        raise reject(state, incoming, errors.unsupported_api_version(), f"x-version {headers['x-version']!r}")
    if incoming.record.body and not headers.get("content-type", "").startswith("application/json"):
        error = errors.bad_parameter("Content-Type must be application/json")
        raise reject(state, incoming, error, f"body sent as {headers.get('content-type')!r}, not application/json")
    return headers["x-version"]


def check_timestamp(state: ServerState, incoming: Incoming, value: str) -> None:
    try:
        moment = datetime.strptime(value, TIMESTAMP_LAYOUT).replace(tzinfo=UTC).timestamp()
    except ValueError:
        what = f"x-timestamp {value!r} is not YYYY-MM-DDThh:mm:ssZ"
        raise reject(state, incoming, errors.illegal_timestamp(), what) from None
    skew = moment - state.clock()
    if abs(skew) > state.config.clock_skew:
        what = f"x-timestamp {value!r} is {skew:+.0f} s from the server's clock (window ±{state.config.clock_skew:g} s)"
        raise reject(state, incoming, errors.illegal_timestamp(), what)


def check_signature(state: ServerState, incoming: Incoming) -> None:
    record = incoming.record
    sent = record.headers["x-signature"]
    tried: list[str] = []
    for host in signed_hosts(state, incoming.host_header):
        received = ReceivedRequest(record.path, incoming.query_pairs, record.headers, record.body, host)
        if expected_signature(received, state.config.app_secret) == sent:
            return
        tried.append(string_to_sign(received, ALGORITHMS[record.headers["x-signature-algorithm"]]))
    what = "x-signature does not match; the fake signed " + " or ".join(repr(text) for text in tried)
    raise reject(state, incoming, errors.invalid_signature(), what)
