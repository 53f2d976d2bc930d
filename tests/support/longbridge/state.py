"""Everything one fake Longbridge server knows, behind one lock shared by its HTTP thread and the test."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tests.support.longbridge.accounts import FakeAccount
from tests.support.longbridge.engine import Engine
from tests.support.longbridge.faults import Faults
from tests.support.longbridge.journal import Journal
from tests.support.longbridge.market import Market
from tests.support.longbridge.ratelimit import Limit, RateLimiter
from tests.support.longbridge.timestamps import TimestampBook
from tests.support.longbridge.tokens import TokenBook


@dataclass
class FakeConfig:
    app_key: str
    app_secret: str
    clock_skew: float  # seconds either side of the server's clock an X-Timestamp may be
    api_limit: Limit | None  # per app key and path -> 429002
    ip_limit: Limit | None  # everything from one client -> 429001


class ServerState:
    def __init__(
        self, config: FakeConfig, account: FakeAccount, prices: dict[str, Decimal], clock: Callable[[], float]
    ) -> None:
        self.config = config
        self.clock = clock
        self.lock = threading.RLock()
        self.journal = Journal()
        self.faults = Faults()
        self.timestamps = TimestampBook(clock, config.clock_skew)
        self.limiter = RateLimiter(clock)
        self.tokens = TokenBook(clock)
        self.market = Market(prices)
        self.account = account
        self.engine = Engine(account, self.market, clock)
        # The user's watchlist groups (GET /v1/watchlist/groups, served on the REST host as Longbridge does).
        self.watchlist: list[tuple[str, list[str]]] = [("Mine", ["700.HK", "AAPL.US"]), ("HK", ["9988.HK"])]
