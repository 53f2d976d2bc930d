"""How a fake Webull server is set up: credentials, the token regime, clocks, limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from tests.support.webull.ratelimit import Limit


class SignedHost(StrEnum):
    """What the fake expects a client to sign as ``host``."""

    BARE = "bare"  # the host name without the port: what the SDK signs (its endpoint), the default
    WITH_PORT = "with-port"  # the Host header as sent, ``127.0.0.1:PORT`` (the older signature page)
    EITHER = "either"


@dataclass(frozen=True)
class FakeConfig:
    app_key: str
    app_secret: str
    token_required: bool
    sandbox: bool
    verify_timeout: float  # seconds a PENDING token waits for the app (5 minutes in seed 000)
    verify_after: float | None  # the fake user confirms in the app this long after creation, if set
    clock_skew: float  # largest accepted |x-timestamp - now|, seconds
    signed_host: SignedHost
    seed: int
    step_seconds: float  # one random-walk step per this many seconds; 0 freezes prices
    rate_limits: Mapping[str, Limit]
