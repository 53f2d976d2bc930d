"""Webull as the session sees it: accounts, stock instruments, polled market data and stock orders.

Webull's HTTP API has no public tape and this venue opens no quote or trade-event stream yet, so
everything is polled, within the transport's rate classes, and the capabilities and the status
stream's name (``STREAM``) say so:

- market data: one task per watched symbol and kind, shared by every watcher, every ``poll_interval``;
- the account: one task every ``account_interval`` reads balances, positions and open orders and
  reports what changed: ``BalanceEvent`` (cash, and each holding as a balance of its symbol),
  ``PositionEvent``, ``OrderEvent`` for an order whose state changed (an order that left the open
  list is looked up for its final state) and a ``FillEvent`` per rise of an order's executed
  quantity (one aggregated fill per increment: the API lists no single executions). A failed poll
  makes the stream STALE until one succeeds again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from terminal.domain.balance import Balance
from terminal.domain.book import OrderBook
from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus, OrderType, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.domain.securities import BrokerageAccount, OrderPreview, Position
from terminal.venues.account_poll import AccountAnnouncer, AccountPoller
from terminal.venues.base import (
    BboEvent,
    BookEvent,
    CandleEvent,
    Capabilities,
    ConnectionEvent,
    ConnectionState,
    EventSink,
    Fees,
    FillEvent,
    OrderEvent,
    OrderMissingEvent,
    Permissions,
    SubscriptionKey,
    SubscriptionStatus,
    TickerEvent,
    Topic,
    VenueEvent,
    VenueStatus,
)
from terminal.venues.errors import InvalidRequest, MalformedResponse, OrderNotFound, VenueError
from terminal.venues.ratelimit import Rate
from terminal.venues.webull import mapping
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.orders import cancel_body, new_client_order_id, new_order, place_body, replace_body
from terminal.venues.webull.transport import RateClass, WebullTransport
from terminal.venues.wire import WireObject

log = logging.getLogger("terminal.venues.webull")

CAPABILITIES = Capabilities(
    venue="Webull",
    order_book=True,
    order_types=(OrderType.LIMIT, OrderType.MARKET),
    # DAY (Webull's default, first) or GTC for a limit order; a market order is a DAY order.
    time_in_force={OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC), OrderType.MARKET: (TimeInForce.DAY,)},
    streaming_market_data=False,
    streaming_account=False,
    intervals=tuple(mapping.TIMESPANS),
    max_depth=50,  # "For U.S. stocks, Level 2 supports up to 50 levels."
    amend_orders=True,
    positions=True,
)

# The status stream of the polls (account and market data): the UI shows it by this name.
STREAM = "webull"
CATEGORY_OF_CURRENCY = {"USD": "US_STOCK", "HKD": "HK_STOCK"}
DEPTH_LEVELS = 10
PAGE_SIZE = 100
_SNAPSHOT_BATCH = 100  # "Too many symbols in a single call" above 100
_FINAL = frozenset({OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.PARTIALLY_CANCELED, OrderStatus.REJECTED})


class _NoWatch:
    """A watch on data Webull does not publish (the public tape): holds nothing."""

    def release(self) -> None:
        return None


@dataclass
class _Poll:
    """One polling task (snapshot, depth or bars of one symbol) and the topics watching it."""

    kind: str
    symbol: str
    interval: Interval | None
    topics: Counter[Topic] = field(default_factory=Counter)
    task: asyncio.Task[None] | None = None
    stale: bool = False
    last: object = None


@dataclass
class _PollWatch:
    venue: WebullVenue
    poll_id: tuple[str, str, Interval | None]
    topic: Topic
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.venue._unwatch(self.poll_id, self.topic)


@dataclass
class _Seen:
    """What was last reported of one order: its shape (for change detection) and what it executed."""

    shape: tuple[object, ...]
    executed: Decimal
    quote: Decimal
    final: bool


def _shape(order: Order) -> tuple[object, ...]:
    return (order.venue_status, order.executed_qty, order.quantity, order.price)


class WebullVenue:
    def __init__(
        self,
        hosts: Hosts,
        app_key: str,
        app_secret: str,
        access_token: str | None = None,
        *,
        token_required: bool = True,
        account_id: str | None = None,
        poll_interval: float = 2.0,
        account_interval: float = 3.0,
        symbols: Sequence[str] | None = None,
        rates: Mapping[str, Rate] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.transport = WebullTransport(
            hosts, app_key, app_secret, access_token=access_token, rates=rates, timeout=timeout
        )
        self.instruments: dict[str, Instrument] = {}
        self.fees: dict[str, Fees] = {}
        self.permissions = Permissions(can_read=False, can_trade=False, reason="not connected")
        self.account_id = account_id
        self.token_required = token_required  # False: the account trades without a 2FA access token
        self.currency = ""
        self.poll_interval = poll_interval
        self.account_interval = account_interval
        self.capabilities = replace(CAPABILITIES, poll_interval_s=poll_interval)
        self._symbols = tuple(symbols or ())
        self._sink: EventSink | None = None
        self._polls: dict[tuple[str, str, Interval | None], _Poll] = {}
        self._account_task: asyncio.Task[None] | None = None
        self._announcer = AccountAnnouncer(self._emit)
        self._poller = AccountPoller("Webull", STREAM, account_interval, self._poll_account, self._emit)
        self._seen: dict[str, _Seen] = {}  # by client order id: every order reported or followed

    # ---- lifecycle ----------------------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        """Choose the account, load its balances and the instruments it trades. Raises VenueError."""
        self._sink = sink
        self._emit(ConnectionEvent(STREAM, ConnectionState.CONNECTING))
        chosen = await self.accounts()
        if not chosen:
            raise InvalidRequest("", "this app key sees no Webull account")
        ids = [item.account_id for item in chosen]
        if self.account_id is None:
            self.account_id = ids[0]
        elif self.account_id not in ids:
            raise InvalidRequest("", f"account {self.account_id} is not one of this app key's: {', '.join(ids)}")
        balances = await self.balances()
        self.currency = balances[0].asset if balances else ""
        held = await self.positions()
        for order in await self.open_orders():  # followed from here on; their past is reconciliation's
            self._note(order)
        categories = [CATEGORY_OF_CURRENCY[b.asset] for b in balances if b.asset in CATEGORY_OF_CURRENCY]
        self.instruments = await self._load_instruments(categories or list(CATEGORY_OF_CURRENCY.values()))
        can_trade = self.transport.access_token is not None or not self.token_required
        self.permissions = Permissions(
            can_read=True,
            can_trade=can_trade,
            reason="" if can_trade else "no 2FA access token: Webull requires one to trade",
            account=self.account_id,
        )
        self._account_changed(balances, held, force=True)
        self._emit(ConnectionEvent(STREAM, ConnectionState.LIVE))
        self._account_task = asyncio.create_task(self._poller.run(), name="webull-poll-account")

    async def close(self) -> None:
        task, self._account_task = self._account_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        polls = list(self._polls.values())
        self._polls.clear()
        for poll in polls:
            if poll.task is not None:
                poll.task.cancel()
        for poll in polls:
            if poll.task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await poll.task
        await self.transport.aclose()
        self._emit(ConnectionEvent(STREAM, ConnectionState.CLOSED))

    def _emit(self, event: VenueEvent) -> None:
        if self._sink is not None:
            self._sink(event)

    def _account(self) -> str:
        if self.account_id is None:
            raise RuntimeError("the venue is not started")
        return self.account_id

    # ---- reference data -----------------------------------------------------------------------

    async def accounts(self) -> list[BrokerageAccount]:
        """The accounts this app key may trade; the chosen one carries its currency once started."""
        data = await self.transport.request(
            "GET", "/trading/accounts/list", rate_class=RateClass.ACCOUNT_LIST, idempotent=True
        )
        found = mapping.accounts(data)
        return [
            replace(item, currency=self.currency) if item.account_id == self.account_id and self.currency else item
            for item in found
        ]

    async def _load_instruments(self, categories: Sequence[str]) -> dict[str, Instrument]:
        rows: list[WireObject] = []
        for category in categories:
            query = {"category": category}
            if self._symbols:
                query["symbols"] = ",".join(self._symbols)
            key: str | None = None
            while True:
                page = dict(query, pagination_key=key) if key else query
                data = await self.transport.request(
                    "GET",
                    "/trading/instruments/stocks/profiles/list",
                    query=page,
                    rate_class=RateClass.INSTRUMENT,
                    idempotent=True,
                )
                found, key = mapping.page_rows(data, "instruments")
                rows.extend(found)
                if not key or not found:
                    break
        prices = await self._hk_prices([row for row in rows if row.opt_text("category") == "HK_STOCK"])
        result: dict[str, Instrument] = {}
        for row in rows:
            try:
                item = mapping.instrument(row, prices.get(row.opt_text("symbol")))
            except MalformedResponse as exc:
                log.warning("skipped an instrument Webull described badly: %s", exc.message)
                continue
            result[item.symbol] = item
        return result

    async def _hk_prices(self, rows: list[WireObject]) -> dict[str, Decimal]:
        """Last prices of HK stocks: HKEX's tick depends on the price, and the profile carries none."""
        symbols = [row.text("symbol") for row in rows]
        prices: dict[str, Decimal] = {}
        for start in range(0, len(symbols), _SNAPSHOT_BATCH):
            batch = symbols[start : start + _SNAPSHOT_BATCH]
            data = await self._snapshots(batch, "HK_STOCK")
            for row in mapping.snapshots(data):
                prices[row.text("symbol")] = row.decimal("price")
        return prices

    def _category(self, symbol: str) -> str:
        item = self.instruments.get(symbol)
        return item.group if item is not None and item.group else "US_STOCK"

    def _instrument(self, symbol: str) -> Instrument:
        item = self.instruments.get(symbol)
        if item is None:
            raise InvalidRequest("", f"{symbol} is not an instrument of this account")
        return item

    # ---- market data --------------------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> _PollWatch | _NoWatch:
        """Poll what ``topic`` needs; TRADES is a no-op (Webull publishes no public tape over HTTP)."""
        if topic is Topic.TRADES:
            return _NoWatch()
        if topic is Topic.CANDLES:
            if interval not in mapping.TIMESPANS:
                raise InvalidRequest("", f"Webull has no {interval} bars")
            poll_id: tuple[str, str, Interval | None] = ("bars", symbol, interval)
        elif topic is Topic.DEPTH:
            poll_id = ("depth", symbol, None)
        else:
            poll_id = ("snapshot", symbol, None)
        poll = self._polls.get(poll_id)
        if poll is None:
            poll = self._polls[poll_id] = _Poll(*poll_id)
            poll.task = asyncio.create_task(self._run(poll), name=f"webull-poll-{poll_id[0]}-{symbol}")
        poll.topics[topic] += 1
        return _PollWatch(self, poll_id, topic)

    def _unwatch(self, poll_id: tuple[str, str, Interval | None], topic: Topic) -> None:
        poll = self._polls.get(poll_id)
        if poll is None:
            return
        poll.topics[topic] -= 1
        if poll.topics[topic] <= 0:
            del poll.topics[topic]
        if not poll.topics:
            del self._polls[poll_id]
            if poll.task is not None:
                poll.task.cancel()

    async def _run(self, poll: _Poll) -> None:
        while True:
            try:
                await self._poll_once(poll)
                if poll.stale:
                    poll.stale = False
                    for topic in list(poll.topics):
                        self._emit(SubscriptionStatus(SubscriptionKey(topic, poll.symbol, poll.interval), False))
            except VenueError as exc:
                log.warning("polling %s of %s failed: %s", poll.kind, poll.symbol, exc)
                if not poll.stale:
                    poll.stale = True
                    for topic in list(poll.topics):
                        key = SubscriptionKey(topic, poll.symbol, poll.interval)
                        self._emit(SubscriptionStatus(key, True, exc.message or str(exc)))
            await asyncio.sleep(self.poll_interval)

    async def _poll_once(self, poll: _Poll) -> None:
        if poll.kind == "snapshot":
            rows = mapping.snapshots(await self._snapshots([poll.symbol], self._category(poll.symbol)))
            for row in rows:
                if row.opt_text("symbol") != poll.symbol:
                    continue
                ticker, quote = mapping.ticker(row), mapping.book_ticker(row)
                if (ticker, quote) == poll.last:
                    return
                poll.last = (ticker, quote)
                if Topic.TICKER in poll.topics:
                    self._emit(TickerEvent(ticker))
                if Topic.BBO in poll.topics:
                    self._emit(BboEvent(quote))
        elif poll.kind == "depth":
            book = await self.depth(poll.symbol)
            shape = (tuple(book.bids.top(DEPTH_LEVELS)), tuple(book.asks.top(DEPTH_LEVELS)), book.time_ms)
            if shape != poll.last:
                poll.last = shape
                self._emit(BookEvent(book))
        elif poll.interval is not None:
            latest = await self.candles(poll.symbol, poll.interval, limit=2)
            if latest and latest[-1] != poll.last:
                poll.last = latest[-1]
                self._emit(CandleEvent(poll.symbol, poll.interval, latest[-1]))

    async def _snapshots(self, symbols: Sequence[str], category: str) -> object:
        query = {"symbols": ",".join(symbols), "category": category}
        return await self.transport.request(
            "GET", "/market-data/stocks/snapshots/list", query=query, rate_class=RateClass.MARKET_DATA, idempotent=True
        )

    async def depth(self, symbol: str, levels: int = DEPTH_LEVELS) -> OrderBook:
        query = {"symbol": symbol, "category": self._category(symbol), "depth": str(levels)}
        data = await self.transport.request(
            "GET", "/market-data/stocks/depths/list", query=query, rate_class=RateClass.MARKET_DATA, idempotent=True
        )
        return mapping.order_book(data)

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        """Up to ``limit`` bars ending at ``end_ms`` (default: now), oldest first."""
        timespan = mapping.TIMESPANS.get(interval)
        if timespan is None:
            raise InvalidRequest("", f"Webull has no {interval} bars")
        body: dict[str, object] = {
            "symbols": [symbol],
            "category": self._category(symbol),
            "timespan": timespan,
            "count": str(max(1, min(limit, 1200))),  # "default 200, maximum limit 1200"
        }
        if end_ms is not None:
            body["end_time"] = str(end_ms)
        data = await self.transport.request(
            "POST", "/market-data/stocks/bars/list", json_body=body, rate_class=RateClass.MARKET_DATA, idempotent=True
        )
        return mapping.candles(data, symbol)

    # ---- trading ------------------------------------------------------------------------------

    async def preview(self, request: OrderRequest) -> OrderPreview:
        """Webull's estimate of what ``request`` would cost; no order is placed."""
        instrument = self._instrument(request.symbol)
        item = new_order(request, instrument, request.client_order_id or new_client_order_id())
        data = await self.transport.request(
            "POST",
            "/trading/orders/preview",
            json_body=place_body(self._account(), item),
            rate_class=RateClass.PREVIEW,
            idempotent=True,
        )
        return mapping.preview(data, instrument.quote_asset)

    async def place(self, request: OrderRequest) -> Order:
        """Send once; ``UnknownOutcome`` when the answer was lost (reconcile with ``query``)."""
        client_order_id = request.client_order_id or new_client_order_id()
        item = new_order(request, self._instrument(request.symbol), client_order_id)
        data = await self.transport.request(
            "POST",
            "/trading/orders/place",
            json_body=place_body(self._account(), item),
            rate_class=RateClass.ORDER,
            idempotent=False,
        )
        mapping.write_result(data, "place")
        return await self._report(client_order_id)

    async def replace(
        self, client_order_id: str, quantity: Decimal | None = None, price: Decimal | None = None
    ) -> Order:
        data = await self.transport.request(
            "POST",
            "/trading/orders/replace",
            json_body=replace_body(self._account(), client_order_id, quantity, price),
            rate_class=RateClass.ORDER,
            idempotent=False,
        )
        mapping.write_result(data, "replace")
        return await self._report(client_order_id)

    async def cancel(self, client_order_id: str) -> Order:
        data = await self.transport.request(
            "POST",
            "/trading/orders/cancel",
            json_body=cancel_body(self._account(), client_order_id),
            rate_class=RateClass.ORDER,
            idempotent=False,
        )
        mapping.write_result(data, "cancel")
        return await self._report(client_order_id)

    async def cancel_all(self, symbol: str | None = None) -> None:
        for order in await self.open_orders():
            if symbol is None or order.symbol == symbol:
                try:
                    await self.cancel(order.client_order_id)
                except OrderNotFound:
                    continue

    async def _report(self, client_order_id: str) -> Order:
        """The order as the venue now holds it, also handed to the sink (no order stream yet), with a
        fill for what it executed since last reported (the account poll then does not repeat it)."""
        order = await self.query(client_order_id)
        self._observe(order, always=True)
        return order

    def _note(self, order: Order) -> _Seen:
        """Follow ``order`` from its present state on, announcing nothing."""
        seen = _Seen(_shape(order), order.executed_qty, order.cumulative_quote_qty, order.status in _FINAL)
        self._seen[order.client_order_id] = seen
        return seen

    def _observe(self, order: Order, *, always: bool = False) -> None:
        """Report ``order`` if it changed since last reported (``always``: in any case), and a fill
        for any rise of its executed quantity. An older view than the last reported (executed less,
        or open after final) is dropped: answers of concurrent reads can arrive out of order."""
        seen = self._seen.get(order.client_order_id)
        final = order.status in _FINAL
        if seen is not None:
            if order.executed_qty < seen.executed or (seen.final and not final):
                return
            if not always and _shape(order) == seen.shape:
                return
        before_qty = seen.executed if seen is not None else ZERO
        before_quote = seen.quote if seen is not None else ZERO
        fill = mapping.fill_increment(
            order,
            before_qty,
            before_quote,
            self._instrument_currency(order.symbol),
            self.instruments.get(order.symbol),
        )
        self._seen[order.client_order_id] = _Seen(
            _shape(order),
            max(order.executed_qty, before_qty),
            order.cumulative_quote_qty if fill is not None or seen is None else seen.quote,
            final,
        )
        self._emit(OrderEvent(mapping.order_update(order), order))
        if fill is not None:
            self._emit(FillEvent(fill))

    async def query(self, client_order_id: str) -> Order:
        query = {"account_id": self._account(), "client_order_id": client_order_id}
        data = await self.transport.request(
            "GET", "/trading/orders/get", query=query, rate_class=RateClass.ORDER_QUERY, idempotent=True
        )
        return mapping.order(WireObject(data, "order"))

    async def _orders(self, path: str, limit: int) -> list[Order]:
        result: list[Order] = []
        key: str | None = None
        last: str | None = None
        while len(result) < limit:
            query = {"account_id": self._account(), "page_size": str(PAGE_SIZE)}
            if key:
                query["pagination_key"] = key
            if last:
                query["last_client_order_id"] = last
            data = await self.transport.request(
                "GET", path, query=query, rate_class=RateClass.ORDER_QUERY, idempotent=True
            )
            groups, key = mapping.order_groups(data, "orders")
            result.extend(mapping.order(group) for group in groups)
            if not groups:
                break
            if isinstance(data, list):  # the older form: a full page means there may be more
                if len(groups) < PAGE_SIZE:
                    break
                last = result[-1].client_order_id
            elif not key:
                break
        return result[:limit]

    async def open_orders(self) -> list[Order]:
        return await self._orders("/trading/orders/open-orders/list", 10_000)

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]:
        """Orders of the last 7 days (Webull's default window), newest first."""
        orders = await self._orders("/trading/orders/historical-orders/list", 10_000 if symbol else limit)
        return [o for o in orders if symbol is None or o.symbol == symbol][:limit]

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]:
        """One aggregated fill per order that executed (this API lists no single executions)."""
        result = []
        for order in await self.order_history(symbol, limit):
            if order.status in (OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED, OrderStatus.PARTIALLY_CANCELED):
                fill = mapping.fill_of(order, self._instrument_currency(order.symbol))
                if fill is not None:
                    result.append(fill)
        return result[:limit]

    def _instrument_currency(self, symbol: str) -> str:
        item = self.instruments.get(symbol)
        return item.quote_asset if item is not None else self.currency

    # ---- account ------------------------------------------------------------------------------

    async def balances(self) -> list[Balance]:
        query = {"account_id": self._account()}
        data = await self.transport.request(
            "GET", "/trading/assets/balances/get", query=query, rate_class=RateClass.ACCOUNT, idempotent=True
        )
        return mapping.balances(data)

    async def positions(self) -> list[Position]:
        """Every holding of the account, in the account's currency where a row names none."""
        query = {"account_id": self._account()}
        data = await self.transport.request(
            "GET", "/trading/assets/positions/list", query=query, rate_class=RateClass.ACCOUNT, idempotent=True
        )
        return mapping.positions(data, self.currency)

    def _account_changed(self, cash: list[Balance], held: list[Position], *, force: bool = False) -> None:
        """Announce balances (cash and holdings) and positions that differ from the last announced."""
        self._announcer.announce(mapping.account_balances(cash, held), tuple(held), force=force)

    async def _poll_account(self) -> None:
        cash = await self.balances()
        held = await self.positions()
        still_open = await self.open_orders()
        for order in still_open:
            self._observe(order)
        listed = {order.client_order_id for order in still_open}
        gone = [coid for coid, seen in self._seen.items() if not seen.final and coid not in listed]
        for client_order_id in gone:
            try:
                order = await self.query(client_order_id)
            except OrderNotFound as exc:
                seen = self._seen.get(client_order_id)
                if seen is not None and not seen.final:
                    seen.final = True
                    self._emit(OrderMissingEvent(client_order_id, exc.message or str(exc)))
                continue
            self._observe(order)
        self._account_changed(cash, held)

    # ---- status -------------------------------------------------------------------------------

    def status(self) -> VenueStatus:
        limiter = self.transport.limiter
        headroom = {str(c): limiter.status(c).headroom for c in (RateClass.ORDER, RateClass.MARKET_DATA)}
        queued = sum(limiter.status(c).queued for c in limiter.classes())
        paused = max((limiter.status(c).paused_for for c in limiter.classes()), default=0.0)
        return VenueStatus(
            rate_headroom=headroom, queued_requests=queued, rate_limited_for=paused, banned=limiter.banned
        )
