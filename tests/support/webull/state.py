"""Everything one fake Webull server knows, behind one lock shared by its HTTP thread and the test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from tests.support.webull.accounts import FakeAccount
from tests.support.webull.config import FakeConfig
from tests.support.webull.engine import Engine
from tests.support.webull.errors import account_denied, bad_parameter
from tests.support.webull.faults import Faults
from tests.support.webull.journal import Journal
from tests.support.webull.market import Market
from tests.support.webull.nonces import NonceBook
from tests.support.webull.ratelimit import RateLimiter
from tests.support.webull.tokens import TokenBook
from tests.support.webull.wire import JSON


class ServerState:
    def __init__(self, config: FakeConfig, accounts: Iterable[FakeAccount], clock: Callable[[], float]) -> None:
        self.config = config
        self.clock = clock
        self.lock = threading.RLock()
        self.journal = Journal()
        self.faults = Faults()
        self.nonces = NonceBook(clock, keep=2 * config.clock_skew + 1)
        self.limiter = RateLimiter(clock, config.rate_limits)
        self.tokens = TokenBook(
            clock, sandbox=config.sandbox, verify_timeout=config.verify_timeout, verify_after=config.verify_after
        )
        self.market = Market(clock, seed=config.seed, step_seconds=config.step_seconds)
        self.accounts = {account.account_id: account for account in accounts}
        self.engine = Engine(self.accounts, self.market, clock)

    def sync(self) -> None:
        """Bring prices up to the clock and fill the resting orders they reach."""
        if self.market.sync():
            self.engine.match_all()

    def account(self, account_id: JSON) -> FakeAccount:
        if not isinstance(account_id, str) or not account_id:
            raise bad_parameter("account_id is required")
        account = self.accounts.get(account_id)
        if account is None:
            raise account_denied()
        return account
