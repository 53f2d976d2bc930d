"""Random order activity through the terminal's order manager: resting and marketable limits,
market orders, cancels and the occasional cancel-all, every outcome counted.

Prices follow the live book and quantities vary, so no two tickets are alike (the repeat guard
has nothing to hold back); whatever the terminal still refuses is counted as refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.domain.decimals import ceil_to, div, floor_to, mul
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest
from terminal.session.order_gate import TicketError
from terminal.session.session import Session

log = logging.getLogger("terminal.soak")

MAX_IN_FLIGHT = 8  # actions awaiting the venue at once; more are skipped, not queued
MAX_WORKING = 40  # resting orders kept at most: past this, new resting orders give way to cancels

# Action weights: a resting limit, a marketable limit, a market order, a cancel, a cancel-all.
WEIGHTS: dict[str, float] = {"rest": 0.40, "take": 0.15, "market": 0.15, "cancel": 0.29, "cancel_all": 0.01}


@dataclass
class ActivityStats:
    """What the activity asked for and what became of it."""

    placed: int = 0  # handed to the venue (not refused by the terminal)
    accepted: int = 0  # acknowledged by the venue
    rejected: int = 0  # refused by the venue
    unknown: list[str] = field(default_factory=list)  # client order ids whose outcome was uncertain
    refused: int = 0  # refused by the terminal before anything was sent
    refused_reasons: Counter[str] = field(default_factory=Counter)
    rejected_reasons: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)  # placements by kind (rest, take, maker, market)
    cancels: int = 0
    cancels_refused: int = 0
    cancel_alls: int = 0
    cancel_alls_refused: int = 0
    skipped: int = 0  # ticks with no book to price from, or with too many actions in flight
    errors: list[str] = field(default_factory=list)  # anything unexpected: the run fails


class Trader:
    def __init__(self, session: Session, symbols: tuple[str, ...], rng: random.Random, *, debug: bool = False) -> None:
        self._session = session
        self._symbols = symbols
        self._rng = rng
        self._debug = debug
        self._tasks: set[asyncio.Task[None]] = set()
        self.stats = ActivityStats()

    async def run(self, stop: asyncio.Event, rate: float) -> None:
        """One action about every ``1 / rate`` seconds (jittered) until ``stop`` is set."""
        while not stop.is_set():
            delay = self._rng.uniform(0.5, 1.5) / rate
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                break
            if len(self._tasks) >= MAX_IN_FLIGHT:
                self.stats.skipped += 1
                continue
            action = self._next_action()
            if action is None:
                self.stats.skipped += 1
                continue
            task = asyncio.create_task(self._guard(action))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float) -> int:
        """Wait for the actions still in flight; returns how many did not finish in time (cancelled)."""
        if not self._tasks:
            return 0
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return len(pending)

    # ---- choosing ------------------------------------------------------------------------------

    def _next_action(self) -> Coroutine[object, object, None] | None:
        rng = self._rng
        symbol = rng.choice(self._symbols)
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        working = self._cancellable()
        if kind == "rest" and len(working) >= MAX_WORKING:
            kind = "cancel"
        if kind == "cancel":
            if not working:
                kind = "rest"
            else:
                return self._cancel(rng.choice(working))
        if kind == "cancel_all":
            return self._cancel_all(symbol)
        request = self._request(kind, symbol)
        if request is None:
            return None
        label = "maker" if request.type is OrderType.LIMIT_MAKER else kind
        return self._place(label, request)

    def _cancellable(self) -> list[str]:
        return [
            o.client_order_id
            for o in self._session.orders.working()
            if o.status is not OrderStatus.CANCEL_REQUESTED and not o.cancel_pending
        ]

    def _request(self, kind: str, symbol: str) -> OrderRequest | None:
        instrument = self._session.venue.instruments.get(symbol)
        book = self._session.market.books.get(symbol)
        if instrument is None or book is None or book.best_bid is None or book.best_ask is None:
            return None
        rng = self._rng
        side = rng.choice((Side.BUY, Side.SELL))
        tick = instrument.tick_size
        touch = book.best_bid if side is Side.BUY else book.best_ask
        qty = _quantity(instrument, touch, rng)
        if kind == "rest":
            away = Decimal(str(round(rng.uniform(0.0005, 0.02), 5)))
            if side is Side.BUY:
                price = floor_to(mul(book.best_bid, 1 - away), tick)
            else:
                price = ceil_to(mul(book.best_ask, 1 + away), tick)
            if rng.random() < 0.25:
                return OrderRequest(symbol, side, OrderType.LIMIT_MAKER, qty, price)
            return OrderRequest(symbol, side, OrderType.LIMIT, qty, price, time_in_force=TimeInForce.GTC)
        if kind == "take":
            through = Decimal(str(round(rng.uniform(0.0, 0.003), 5)))
            if side is Side.BUY:
                price = ceil_to(mul(book.best_ask, 1 + through), tick)
            else:
                price = floor_to(mul(book.best_bid, 1 - through), tick)
            tif = rng.choice((TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK))
            return OrderRequest(symbol, side, OrderType.LIMIT, qty, price, time_in_force=tif)
        if side is Side.BUY:
            amount = ceil_to(mul(qty, book.best_ask), instrument.amount_step)
            return OrderRequest(symbol, side, OrderType.MARKET, amount=amount)
        return OrderRequest(symbol, side, OrderType.MARKET, quantity=qty)

    # ---- acting --------------------------------------------------------------------------------

    async def _guard(self, action: Coroutine[object, object, None]) -> None:
        try:
            await action
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.stats.errors.append(f"{type(exc).__name__}: {exc}")
            log.error("an order action failed unexpectedly: %s: %s", type(exc).__name__, exc, exc_info=self._debug)

    async def _place(self, kind: str, request: OrderRequest) -> None:
        stats = self.stats
        try:
            order = await self._session.manager.place(request)
        except TicketError as exc:
            stats.refused += 1
            stats.refused_reasons[_refusal(exc)] += 1
            return
        stats.placed += 1
        stats.by_kind[kind] += 1
        if order.status is OrderStatus.UNKNOWN:
            stats.unknown.append(order.client_order_id)
        elif order.status is OrderStatus.REJECTED:
            stats.rejected += 1
            stats.rejected_reasons[_short(order.reject_reason)] += 1
        else:
            stats.accepted += 1

    async def _cancel(self, client_order_id: str) -> None:
        self.stats.cancels += 1
        try:
            await self._session.manager.cancel(client_order_id)
        except TicketError as exc:
            self.stats.cancels_refused += 1
            log.info("cancel of %s refused: %s", client_order_id, exc.reason)

    async def _cancel_all(self, symbol: str) -> None:
        self.stats.cancel_alls += 1
        try:
            count = await self._session.manager.cancel_all(symbol)
        except TicketError as exc:
            self.stats.cancel_alls_refused += 1
            log.info("cancel-all of %s refused: %s", symbol, exc.reason)
            return
        log.info("cancel-all of %s: %d working orders", symbol, count)


def _quantity(instrument: Instrument, price: Decimal, rng: random.Random) -> Decimal:
    """A few times the smallest valid quantity, with a random number of extra steps."""
    step = instrument.step_size
    minimums = [Decimal(0)]
    if instrument.min_notional is not None:
        minimums.append(instrument.min_notional.min_notional)
    amounts = instrument.trade_amount
    if amounts is not None:
        minimums += [a for a in (amounts.min_amount, amounts.market_min_amount) if a is not None]
    by_value = ceil_to(div(max(minimums) * Decimal("1.5"), price), step)
    lot = instrument.lot_size
    smallest = max(lot.min_qty, lot.market_min_qty or lot.min_qty, by_value, step)
    return smallest * rng.randint(1, 25) + step * rng.randint(0, 9)


def _refusal(exc: TicketError) -> str:
    if exc.violations:
        return exc.violations[0].rule
    name = type(exc).__name__
    return _short(exc.reason) if name == "TicketError" else name


def _short(reason: str) -> str:
    """A reason shortened to its first clause, so that counts group alike reasons."""
    head = re.split(r"[:;.(]", reason, maxsplit=1)[0].strip()
    return head[:60] or "no reason given"
