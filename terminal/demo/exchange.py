"""The demo exchange as one object: engine, market data, users and keys, streams' bus, faults.

The REST and WebSocket servers and the simulated market all act through it, so every trade, from
a user or an agent, reaches the candles, the tape and every stream the same way.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from terminal.demo.bus import Bus
from terminal.demo.catalog import DEFAULT_BALANCES, DEFAULT_SYMBOLS, Listing, listings
from terminal.demo.engine import MatchingEngine
from terminal.demo.errors import DemoError
from terminal.demo.events import BookChanged, Event, PublicTrade
from terminal.demo.faults import Connections, FaultState
from terminal.demo.feed_rate import FeedRate
from terminal.demo.keys import ApiKey, ListenKeys, random_token
from terminal.demo.market_data import MarketData
from terminal.demo.results import CancelAllResult, CancelByIdsResult, CancelResult, PlaceResult
from terminal.domain.enums import Side
from terminal.domain.market import BookSnapshot, BookTicker, Ticker
from terminal.domain.orders import OrderRequest

# Account and user ids look like the venue's (19 digits, e.g. "1649292498437183232").
_ID_BASE = 1_649_292_498_437_183_232

# 004, "Query Account Type": 1 main trading, 5 custody, 6 fiat.
MAIN, CUSTODY, FIAT = 1, 5, 6


def wall_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True, slots=True)
class DemoConfig:
    seed: int = 7
    rate: float = 8.0  # public messages per second per symbol the simulated market aims at
    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    balances: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_BALANCES))
    history_days: int = 30
    # Private stream heartbeat (004: "The websocket server will send a ping message every 30 seconds").
    ping_interval_s: float = 30.0
    pong_timeout_s: float = 60.0  # a private client that answers no ping for this long is dropped
    # Feed-rate mode (load tests): public state messages per second across every subscription; 0: off.
    feed_rate: float = 0.0


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One person at the exchange: three accounts and two keys on the main trading account."""

    user_id: str
    main_account: str
    custody_account: str
    fiat_account: str
    trading_key: ApiKey
    readonly_key: ApiKey

    def accounts(self) -> list[tuple[str, int, str]]:
        """(account id, type, label) as "Query Account Type" lists them."""
        return [
            (self.main_account, MAIN, "Main Trading Account"),
            (self.custody_account, CUSTODY, "Custody Account"),
            (self.fiat_account, FIAT, "Fiat Account"),
        ]


class DemoExchange:
    def __init__(self, config: DemoConfig | None = None, *, clock: Callable[[], int] = wall_ms) -> None:
        self.config = config or DemoConfig()
        chosen = listings(self.config.symbols)
        self.listings: dict[str, Listing] = {listing.instrument.symbol: listing for listing in chosen}
        instruments = [listing.instrument for listing in chosen]
        self.engine = MatchingEngine(instruments, [listing.fees for listing in chosen], id_seed=self.config.seed)
        self.market = MarketData(instruments)
        self.bus = Bus()
        self.faults = FaultState()
        self.connections = Connections()
        self.feed = FeedRate(self.config.feed_rate)
        self._clock = clock
        self._rng = random.Random(self.config.seed)
        self.listen_keys = ListenKeys(random.Random(self.config.seed + 1))
        self._ids = itertools.count(_ID_BASE)
        self._keys: dict[str, ApiKey] = {}
        self.users: dict[str, DemoUser] = {}
        self._book_versions: dict[str, int] = dict.fromkeys(self.listings, 0)
        self.user = self.create_user(self.config.balances)

    # ---- time, users, keys ----------------------------------------------------------------

    def now_ms(self) -> int:
        """The exchange's clock: wall time, moved by any injected skew."""
        return self._clock() + self.faults.clock_skew_ms

    def _new_id(self) -> str:
        return str(next(self._ids))

    def open_account(self, balances: Mapping[str, Decimal] | None = None) -> str:
        """A bare trading account (the simulated market's agents use these)."""
        account_id = self._new_id()
        self.engine.open_account(account_id, balances)
        return account_id

    def create_user(self, balances: Mapping[str, Decimal]) -> DemoUser:
        """A user with main, custody and fiat accounts, a trading key and a read-only key."""
        user_id = self._new_id()
        main = self.open_account(balances)
        custody = self.open_account()
        fiat = self.open_account()
        trading = ApiKey(random_token(self._rng), random_token(self._rng), main, user_id, can_trade=True)
        readonly = ApiKey(random_token(self._rng), random_token(self._rng), main, user_id, can_trade=False)
        self._keys[trading.key] = trading
        self._keys[readonly.key] = readonly
        user = DemoUser(user_id, main, custody, fiat, trading, readonly)
        self.users[user_id] = user
        return user

    def api_key(self, key: str) -> ApiKey | None:
        return self._keys.get(key)

    def user_of(self, key: ApiKey) -> DemoUser:
        return self.users[key.user_id]

    # ---- trading: every change goes through _dispatch -------------------------------------

    def place(self, account_id: str, request: OrderRequest) -> PlaceResult:
        result = self.engine.place(account_id, request, self.now_ms())
        self._dispatch(result.events)
        return result

    def place_batch(self, account_id: str, requests: Sequence[OrderRequest]) -> list[PlaceResult | DemoError]:
        results = self.engine.place_batch(account_id, requests, self.now_ms())
        for result in results:
            if isinstance(result, PlaceResult):
                self._dispatch(result.events)
        return results

    def cancel(
        self, account_id: str, *, order_id: str | None = None, client_order_id: str | None = None
    ) -> CancelResult:
        result = self.engine.cancel(account_id, self.now_ms(), order_id=order_id, client_order_id=client_order_id)
        self._dispatch(result.events)
        return result

    def cancel_all(
        self,
        account_id: str,
        *,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        limit: int | None = None,
    ) -> CancelAllResult:
        result = self.engine.cancel_all(
            account_id, self.now_ms(), symbol=symbol, side=side, from_order_id=from_order_id, limit=limit
        )
        self._dispatch(result.events)
        return result

    def cancel_by_ids(self, account_id: str, ids: Sequence[str]) -> CancelByIdsResult:
        result = self.engine.cancel_by_ids(account_id, self.now_ms(), ids)
        self._dispatch(result.events)
        return result

    def transfer(self, from_account: str, to_account: str, asset: str, amount: Decimal) -> None:
        self._dispatch(self.engine.transfer(from_account, to_account, asset, amount, self.now_ms()))

    def withdraw(self, account_id: str, asset: str, amount: Decimal) -> None:
        self._dispatch(self.engine.withdraw(account_id, asset, amount, self.now_ms()))

    def deposit(self, account_id: str, asset: str, amount: Decimal) -> None:
        self._dispatch(self.engine.deposit(account_id, asset, amount, self.now_ms()))

    def _dispatch(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, PublicTrade):
                self.market.record_trade(event)
                self.bus.publish(("trade", event.symbol), event)
            elif isinstance(event, BookChanged):
                self._book_versions[event.symbol] += 1
                self.bus.publish(("book", event.symbol), event)
            else:
                self.bus.publish(("private", event.account_id), event)

    # ---- market views ---------------------------------------------------------------------

    def depth(self, symbol: str, limit: int | None = None) -> BookSnapshot:
        """The book's top ``limit`` levels a side, stamped with a version that grows with each change."""
        snapshot = self.engine.snapshot(symbol, self.now_ms(), limit)
        return replace(snapshot, version=self.book_version(symbol))

    def book_version(self, symbol: str) -> str:
        # Shaped like the venue's "v" ("538222447_18"): a sequence, then a part the venue says to ignore.
        return f"{self._book_versions[symbol]}_1"

    def book_ticker(self, symbol: str) -> BookTicker:
        book = self.engine.book(symbol)
        (bids, asks) = book.depth(1)
        bid, bid_qty = bids[0] if bids else (None, Decimal(0))
        ask, ask_qty = asks[0] if asks else (None, Decimal(0))
        return BookTicker(symbol, bid, bid_qty, ask, ask_qty, self.now_ms())

    def ticker(self, symbol: str) -> Ticker | None:
        """Rolling 24-hour statistics with the current best bid and ask."""
        stats = self.market.ticker(symbol, self.now_ms())
        if stats is None:
            return None
        top = self.book_ticker(symbol)
        return replace(stats, best_bid=top.bid, best_ask=top.ask)

    def last_price(self, symbol: str) -> Decimal | None:
        return self.engine.last_price(symbol) or self.market.last_price(symbol)
