"""The demo exchange's living market: history at start, then agents trading through the exchange.

Each symbol gets actions at random moments (a Poisson process at ``config.rate`` a second); at each,
its latent price moves on and one agent sends one order or cancel through ``DemoExchange``, so every
trade reaches candles, tape and streams exactly like a user's.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from terminal.demo.agents import Band, Crowd, Geometry, Intent, Maker, Post, Pull
from terminal.demo.catalog import Listing
from terminal.demo.errors import DemoError
from terminal.demo.exchange import DemoExchange
from terminal.demo.history import History, generate_history
from terminal.demo.price_process import Dynamics, LatentPrice, stream_seed
from terminal.demo.results import PlaceResult
from terminal.domain.enums import OrderStatus

log = logging.getLogger(__name__)

AGENT_BALANCE = Decimal(10**12)  # of every asset of an agent's symbol: they can never run short
MAX_BACKLOG_MS = 2_000  # after a longer stall the market skips ahead instead of replaying every action
SLICE_ACTIONS = 40  # ``run`` takes about this many actions between two yields to the event loop
BUSY_S = 0.025  # and sleeps after this much work in a row


@dataclass(slots=True)
class _Lane:
    """One symbol's market: its latent price, its agents and when they act next."""

    symbol: str
    latent: LatentPrice
    crowd: Crowd
    maker_account: str
    taker_account: str
    arrivals: random.Random
    next_due: float  # ms


class MarketSimulator:
    """Drives every listed symbol of ``exchange``: ``bootstrap()`` once, then ``step`` or ``run``."""

    def __init__(self, exchange: DemoExchange) -> None:
        self.exchange = exchange
        self.rate = exchange.config.rate
        self._lanes: dict[str, _Lane] = {}
        self.histories: dict[str, History] = {}
        self._last_now = 0

    @property
    def symbols(self) -> list[str]:
        return list(self._lanes)

    def latent_price(self, symbol: str) -> Decimal:
        """The fair price the agents trade around (for tests and diagnostics)."""
        lane = self._lanes[symbol]
        return lane.crowd.geometry.price(round(lane.latent.price))

    def accounts(self, symbol: str) -> tuple[str, str]:
        """The maker's and the takers' account on ``symbol``."""
        lane = self._lanes[symbol]
        return lane.maker_account, lane.taker_account

    def maker(self, symbol: str) -> Maker:
        return self._lanes[symbol].crowd.maker

    def geometry(self, symbol: str) -> Geometry:
        return self._lanes[symbol].crowd.geometry

    def bootstrap(self) -> None:
        """Load history for every symbol, open the agents' accounts and fill every book with quotes."""
        if self._lanes:
            return
        exchange = self.exchange
        now = exchange.now_ms()
        for symbol, listing in exchange.listings.items():
            history = generate_history(
                listing, seed=exchange.config.seed, end_ms=now, days=exchange.config.history_days, rate=self.rate
            )
            exchange.market.load_history(symbol, history.start_ms, dict(history.columns))
            self.histories[symbol] = history
            lane = self._lane(listing, history.last_close, now)
            self._lanes[symbol] = lane
            exchange.bus.subscribe(("trade", symbol), self._on_trade(lane.crowd.maker))
            self._seed_book(lane, now)
        self._last_now = now

    def _lane(self, listing: Listing, last_close: int, now: int) -> _Lane:
        seed, symbol = self.exchange.config.seed, listing.instrument.symbol
        geometry = Geometry.of(listing, last_close, self.rate)
        dynamics = Dynamics.from_volatility(listing.annual_volatility)
        latent = LatentPrice(last_close, dynamics, random.Random(stream_seed(seed, symbol, "latent")), now)
        maker = Maker(geometry, random.Random(stream_seed(seed, symbol, "maker")))
        crowd = Crowd(geometry, maker, random.Random(stream_seed(seed, symbol, "crowd")))
        balances = {listing.instrument.base_asset: AGENT_BALANCE, listing.instrument.quote_asset: AGENT_BALANCE}
        arrivals = random.Random(stream_seed(seed, symbol, "arrivals"))
        lane = _Lane(symbol, latent, crowd, self.exchange.open_account(balances), "", arrivals, math.inf)
        lane.taker_account = self.exchange.open_account(balances)
        if self.rate > 0:
            lane.next_due = now + arrivals.expovariate(self.rate) * 1000
        return lane

    @staticmethod
    def _on_trade(maker: Maker) -> Callable[[object], None]:
        return lambda _trade: maker.touch()

    def _seed_book(self, lane: _Lane, now: int) -> None:
        book = self.exchange.engine.book(lane.symbol)
        p = lane.latent.advance(now)
        maker = lane.crowd.maker
        for _ in range(4 * maker.depth):
            intent = maker.upkeep(p, book, _NO_BAND)
            if not isinstance(intent, Post):
                break
            self._execute(lane, intent)

    def step(self, now_ms: int) -> int:
        """Take every action due up to ``now_ms``; returns how many were taken."""
        if now_ms < self._last_now:  # the exchange's clock was set back: the schedule moves with it
            for lane in self._lanes.values():
                lane.next_due -= self._last_now - now_ms
        self._last_now = now_ms
        return sum(self._advance(lane, now_ms) for lane in self._lanes.values())

    def _advance(self, lane: _Lane, now_ms: int) -> int:
        lane.next_due = max(lane.next_due, now_ms - MAX_BACKLOG_MS)
        book = self.exchange.engine.book(lane.symbol)
        engine = self.exchange.engine
        rate = self.rate
        taken = 0
        while lane.next_due <= now_ms:
            p = lane.latent.advance(int(lane.next_due))
            intent = lane.crowd.next_intent(p, book, engine.last_price(lane.symbol))
            if intent is not None:
                self._execute(lane, intent)
                taken += 1
            lane.next_due += lane.arrivals.expovariate(rate) * 1000
        return taken

    def _execute(self, lane: _Lane, intent: Intent) -> None:
        exchange = self.exchange
        try:
            if isinstance(intent, Post):
                self._post(lane, intent)
            elif isinstance(intent, Pull):
                lane.crowd.maker.forget(intent.side, intent.ticks)
                exchange.cancel(lane.maker_account, order_id=intent.order_id)
            else:
                exchange.place(lane.taker_account, intent.request)
        except DemoError as error:
            log.debug("%s: the exchange refused %s: %s", lane.symbol, intent, error)

    def _post(self, lane: _Lane, post: Post) -> None:
        exchange, maker = self.exchange, lane.crowd.maker
        if len(post.requests) == 1:
            results: list[PlaceResult | DemoError] = [exchange.place(lane.maker_account, post.requests[0])]
        else:
            results = exchange.place_batch(lane.maker_account, post.requests)
        for level, result in zip(post.levels, results, strict=True):
            if isinstance(result, DemoError):
                log.debug("%s: the exchange refused a quote at %s: %s", lane.symbol, level, result)
            elif result.order.status in _RESTING:
                maker.placed(post.side, level, result.order.order_id)

    def _skip_to(self, time_ms: float) -> None:
        for lane in self._lanes.values():
            lane.next_due = max(lane.next_due, time_ms)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Act in real time until ``stop`` is set: sleep briefly, then take the actions due by now.

        Catching up goes in slices of about ``SLICE_ACTIONS`` actions with a yield in between, and
        stops for a sleep after ``BUSY_S`` of work, so that a server on the same loop is never kept
        waiting long; a market the CPU cannot keep up with skips ahead instead of lagging.
        """
        self.bootstrap()
        total_rate = max(self.rate, 0.1) * max(len(self._lanes), 1)
        interval = min(0.05, max(0.005, 20 / total_rate))
        slice_ms = min(20.0, max(1.0, SLICE_ACTIONS * 1000 / total_rate))
        done = float(self.exchange.now_ms())
        self._skip_to(done)  # nothing is owed for the time before the loop started
        while stop is None or not stop.is_set():
            now = self.exchange.now_ms()
            if done < now - MAX_BACKLOG_MS:  # fallen behind: drop the backlog rather than replay it
                done = now - MAX_BACKLOG_MS
                self._skip_to(done)
            done = min(done, now)
            started = time.perf_counter()
            while done < now and time.perf_counter() - started < BUSY_S:
                done = min(now, done + slice_ms)
                try:
                    self.step(int(done))
                except Exception:  # the market must outlive a bug in any one action
                    log.exception("simulated market step failed")
                await asyncio.sleep(0)
                if stop is not None and stop.is_set():
                    return
            await asyncio.sleep(interval)


_RESTING = (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED)
_NO_BAND = Band(math.inf, 0.0)
