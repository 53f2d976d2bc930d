"""Longbridge as the session sees it: stock quotes streamed by a ``QuoteSource`` (the SDK, ``market.py``)
and the trading side over the signed REST API: orders, executions, balances and positions.

Longbridge has no client order id: the terminal's travels in the order's ``remark`` and the venue keeps
a map of client order id <-> order id. An order it does not know (a lost submit answer, another
session) is found by its remark in today's orders, then in past orders; an order placed elsewhere
without one is named ``LB-<order_id>``.

The account is polled (``streaming_account=False``; the trade API allows 30 calls in 30 s) every
``account_interval``: today's orders, and only when needed today's executions (an order executed more
than its fills so far account for), balances and positions (after an order changed, and every
``ASSET_EVERY`` polls). It reports what changed: ``OrderEvent`` for an order whose state changed,
then one ``FillEvent`` per new execution (Longbridge lists real executions, each with its trade id),
``BalanceEvent`` (cash per currency, and each holding as a balance of its symbol) and ``PositionEvent``.
A failed poll makes the stream STALE until one succeeds again; an expired access token makes it
FAILED (and trading not permitted) until ``refresh_token`` gives a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from terminal.domain.balance import Balance
from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.domain.securities import BrokerageAccount, OrderPreview, Position
from terminal.venues.account_poll import AccountAnnouncer, AccountPoller
from terminal.venues.base import (
    Capabilities,
    ConnectionEvent,
    ConnectionState,
    EventSink,
    Fees,
    FillEvent,
    OrderEvent,
    Permissions,
    Topic,
    VenueEvent,
    VenueStatus,
    Watch,
)
from terminal.venues.errors import InvalidRequest, MalformedResponse, OrderNotFound, UnknownOutcome, VenueError
from terminal.venues.longbridge import mapping
from terminal.venues.longbridge.errors import TokenExpired
from terminal.venues.longbridge.hosts import Hosts
from terminal.venues.longbridge.orders import (
    TIME_IN_FORCE_RULES,
    WIRE_ORDER_TYPES,
    cancel_query,
    new_client_order_id,
    order_id_of_foreign,
    replace_body,
    submit_body,
)
from terminal.venues.longbridge.quote_source import QuoteSource
from terminal.venues.longbridge.token import AccessToken, TokenClient
from terminal.venues.longbridge.transport import LongbridgeTransport, Query, RateClass
from terminal.venues.wire import WireObject

log = logging.getLogger("terminal.venues.longbridge")

CAPABILITIES = Capabilities(
    venue="Longbridge",
    order_book=True,
    order_types=tuple(WIRE_ORDER_TYPES),
    time_in_force=dict(TIME_IN_FORCE_RULES),
    streaming_market_data=True,
    streaming_account=False,
    # Longbridge's candle periods that are also the terminal's intervals.
    intervals=(
        Interval.M1,
        Interval.M3,
        Interval.M5,
        Interval.M15,
        Interval.M30,
        Interval.H1,
        Interval.H2,
        Interval.H4,
        Interval.D1,
        Interval.W1,
        Interval.MONTH,
    ),
    max_depth=10,
    poll_interval_s=0.0,  # market data streams; the account is polled (streaming_account=False)
    amend_orders=True,
    positions=True,
)

# The status stream of the account (the trading side): the UI shows it by this name.
STREAM = "longbridge"
TOKEN_EXPIRED_REASON = "access token expired: refresh it in Profiles"
ASSET_EVERY = 5  # balances and positions at least every this many account polls

ORDER_PATH = "/v1/trade/order"
TODAY_ORDERS_PATH = "/v1/trade/order/today"
HISTORY_ORDERS_PATH = "/v1/trade/order/history"
TODAY_EXECUTIONS_PATH = "/v1/trade/execution/today"
HISTORY_EXECUTIONS_PATH = "/v1/trade/execution/history"
ACCOUNT_PATH = "/v1/asset/account"
POSITIONS_PATH = "/v1/asset/stock"

_FINAL = frozenset({OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.PARTIALLY_CANCELED, OrderStatus.REJECTED})


@dataclass
class _Seen:
    """What was last reported of one order: its shape (for change detection) and whether it ended."""

    shape: tuple[object, ...]
    executed: Decimal
    final: bool


def _shape(order: Order) -> tuple[object, ...]:
    return (order.venue_status, order.executed_qty, order.quantity, order.price, order.cancel_pending)


class LongbridgeVenue:
    def __init__(
        self,
        hosts: Hosts,
        app_key: str,
        app_secret: str,
        token: AccessToken,
        *,
        quotes: QuoteSource,
        symbols: Sequence[str] = (),
        account_interval: float = 3.0,
        transport: LongbridgeTransport | None = None,
    ) -> None:
        self.transport = transport or LongbridgeTransport(hosts, app_key, app_secret, access_token=token.token)
        self.transport.set_access_token(token.token)
        self.quotes = quotes
        self.instruments: dict[str, Instrument] = {}
        self.fees: dict[str, Fees] = {}
        self.permissions = Permissions(can_read=False, can_trade=False, reason="not connected")
        self.capabilities = CAPABILITIES
        self.account_id: str | None = None
        self.account_interval = account_interval
        self._token = token
        self._symbols = tuple(symbols)
        self._sink: EventSink | None = None
        self._account_task: asyncio.Task[None] | None = None
        self._announcer = AccountAnnouncer(self._emit)
        self._poller = AccountPoller(
            "Longbridge",
            STREAM,
            account_interval,
            self._poll_account,
            self._emit,
            quiet=lambda exc: isinstance(exc, TokenExpired),  # FAILED was announced; use_token resumes
            held=lambda: self._token_failed,
        )
        self._token_failed = False
        self._polls = 0
        self._ids: dict[str, str] = {}  # client order id -> order id
        self._client_ids: dict[str, str] = {}  # order id -> client order id
        self._orders: dict[str, Order] = {}  # by order id: the latest view of every order seen
        self._seen: dict[str, _Seen] = {}  # by order id: what was last reported
        self._trades: set[str] = set()  # trade ids reported (or known at start)
        self._filled: dict[str, Decimal] = {}  # by order id: quantity its reported fills account for
        self._prices: dict[str, Decimal] = {}

    # ---- lifecycle ----------------------------------------------------------------------------

    @property
    def token(self) -> AccessToken:
        """The access token in use (after ``refresh_token``, the new one: the app stores it)."""
        return self._token

    async def start(self, sink: EventSink) -> None:
        """Start the quotes, load balances, positions, today's orders and the instruments the account
        trades or watches. Raises VenueError (TokenExpired after a FAILED event)."""
        self._sink = sink
        self._emit(ConnectionEvent(STREAM, ConnectionState.CONNECTING))
        await self.quotes.start(sink)
        cash = await self.balances()
        held_data = await self._positions_data()
        self.account_id = mapping.channel(held_data) or "lb"
        today = await self._today_orders()
        for order in today:
            self._note(order)
        for row in mapping.execution_rows(await self._get(TODAY_EXECUTIONS_PATH), "executions"):
            self._trades.add(row.text("trade_id"))  # known: what follows reports only newer ones
        try:
            watched = await self.quotes.watchlist()
        except VenueError as exc:
            log.warning("the Longbridge watchlist could not be read: %s", exc)
            watched = []
        wanted = dict.fromkeys(
            [*mapping.position_symbols(held_data), *(o.symbol for o in today), *self._symbols, *watched]
        )
        self.instruments = dict(await self.quotes.instruments(list(wanted)))
        held = await self._valued(held_data)
        self.permissions = Permissions(can_read=True, can_trade=True, account=self.account_id)
        self._account_changed(cash, held, force=True)
        self._emit(ConnectionEvent(STREAM, ConnectionState.LIVE))
        self._account_task = asyncio.create_task(self._poller.run(), name="longbridge-poll-account")

    async def close(self) -> None:
        task, self._account_task = self._account_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self.quotes.close()
        finally:
            await self.transport.aclose()
            self._emit(ConnectionEvent(STREAM, ConnectionState.CLOSED))

    def _emit(self, event: VenueEvent) -> None:
        if self._sink is not None:
            self._sink(event)

    # ---- token --------------------------------------------------------------------------------

    async def refresh_token(self, expired_at: datetime) -> AccessToken:
        """A new token valid until ``expired_at`` (the old one is dead from here on); the quotes
        reconnect with it. The caller stores it (keyring). A lost answer raises UnknownOutcome."""
        fresh = await TokenClient(self.transport).refresh(expired_at)
        await self.use_token(fresh)
        return fresh

    async def use_token(self, token: AccessToken) -> None:
        """Sign with ``token`` from now on (a refreshed one, or a new one from the developer site after
        the old expired); the quotes reconnect with it, and a FAILED account stream goes LIVE again."""
        self.transport.set_access_token(token.token)
        self._token = token
        await self.quotes.set_access_token(token.token)
        if self._token_failed:
            self._token_failed = False
            self.permissions = Permissions(can_read=True, can_trade=True, account=self.account_id or "")
            if self._sink is not None and self._account_task is not None:
                self._poller.stale = False
                self._emit(ConnectionEvent(STREAM, ConnectionState.LIVE))

    def _token_expired(self) -> None:
        if self._token_failed:
            return
        self._token_failed = True
        self.permissions = Permissions(
            can_read=False, can_trade=False, reason=TOKEN_EXPIRED_REASON, account=self.account_id or ""
        )
        self._emit(ConnectionEvent(STREAM, ConnectionState.FAILED, reason=TOKEN_EXPIRED_REASON))

    async def _request(
        self, method: str, path: str, *, query: Query | None = None, json_body: object = None, idempotent: bool
    ) -> object:
        try:
            return await self.transport.request(
                method, path, query=query, json_body=json_body, rate_class=RateClass.TRADE, idempotent=idempotent
            )
        except TokenExpired:
            self._token_expired()
            raise

    async def _get(self, path: str, query: Query | None = None) -> object:
        return await self._request("GET", path, query=query, idempotent=True)

    # ---- reference data -----------------------------------------------------------------------

    async def accounts(self) -> list[BrokerageAccount]:
        """The one account the token trades, by its channel ("lb")."""
        if self.account_id is None:
            self.account_id = mapping.channel(await self._positions_data()) or "lb"
        currencies = ", ".join(b.asset for b in self._announcer.balances or () if b.asset not in self.instruments)
        return [
            BrokerageAccount(
                account_id=self.account_id,
                label=f"Longbridge ({self.account_id})",
                kind="SECURITIES",
                currency=currencies,
            )
        ]

    async def _instrument(self, symbol: str) -> Instrument | None:
        """The rules of ``symbol``, loaded from the quotes when not yet known; None if they cannot be."""
        item = self.instruments.get(symbol)
        if item is None:
            try:
                found = await self.quotes.instruments([symbol])
            except VenueError as exc:
                log.warning("could not load %s from the quotes: %s", symbol, exc)
                return None
            self.instruments.update(found)
            item = found.get(symbol)
        return item

    def _currency(self, symbol: str) -> str:
        item = self.instruments.get(symbol)
        return item.quote_asset if item is not None else ""

    # ---- market data (the quotes) ---------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch:
        return self.quotes.watch(topic, symbol, interval)

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        return await self.quotes.candles(symbol, interval, end_ms=end_ms, limit=limit)

    # ---- trading ------------------------------------------------------------------------------

    async def preview(self, request: OrderRequest) -> OrderPreview:
        """An estimate made here (the venue's estimate endpoint is not used): price times quantity,
        at the last price for an order without one; the fee is not known (zero). Nothing is placed."""
        instrument = await self._instrument(request.symbol)
        submit_body(request, instrument, request.client_order_id or new_client_order_id())  # checks the request
        price = request.price if request.type.takes_price else None
        basis = "limit price"
        if price is None:
            price = (await self.quotes.last_prices([request.symbol])).get(request.symbol)
            basis = "last price"
        if price is None:
            raise InvalidRequest("", f"no price of {request.symbol} is known to estimate the order with")
        quantity = request.quantity or ZERO
        return OrderPreview(
            estimated_cost=price * quantity,
            estimated_fee=ZERO,
            currency=instrument.quote_asset if instrument is not None else "",
            details=(("basis", f"{basis} × quantity, estimated by the terminal"), ("price", str(price))),
        )

    async def place(self, request: OrderRequest) -> Order:
        """Send once; ``UnknownOutcome`` when the answer was lost (reconcile with ``query``: the order
        is found by its remark)."""
        client_order_id = request.client_order_id or new_client_order_id()
        body = submit_body(request, await self._instrument(request.symbol), client_order_id)
        data = await self._request("POST", ORDER_PATH, json_body=body, idempotent=False)
        try:
            order_id = WireObject(data, "submit").text("order_id")
        except MalformedResponse as exc:  # accepted, but no id to follow it by: reconcile by the remark
            raise UnknownOutcome("", f"the order was accepted but its id is unreadable: {exc.message}") from exc
        self._link(client_order_id, order_id)
        return await self._report(order_id, "placed")

    async def replace(
        self, client_order_id: str, quantity: Decimal | None = None, price: Decimal | None = None
    ) -> Order:
        """Change a working order's quantity and/or price (what is not given stays as it is)."""
        if quantity is None and price is None:
            raise InvalidRequest("", "a replace must change the quantity or the price")
        current = await self.query(client_order_id)
        if current.order_id is None or current.status.is_terminal:
            raise InvalidRequest("", f"order {client_order_id} is {current.status}: it cannot be changed")
        if price is not None and not current.type.takes_price:
            raise InvalidRequest("", f"a {current.type} order has no price to change")
        new_price = (price if price is not None else current.price) if current.type.takes_price else None
        body = replace_body(current.order_id, quantity if quantity is not None else current.quantity, new_price)
        await self._request("PUT", ORDER_PATH, json_body=body, idempotent=False)
        return await self._report(current.order_id, "replaced")

    async def cancel(self, client_order_id: str) -> Order:
        order_id = await self._order_id(client_order_id)
        await self._request("DELETE", ORDER_PATH, query=cancel_query(order_id), idempotent=False)
        return await self._report(order_id, "cancelled")

    async def cancel_all(self, symbol: str | None = None) -> None:
        for order in await self.open_orders():
            if symbol is None or order.symbol == symbol:
                try:
                    await self.cancel(order.client_order_id)
                except (OrderNotFound, InvalidRequest) as exc:
                    log.info("order %s was not cancelled: %s", order.client_order_id, exc)

    def _link(self, client_order_id: str, order_id: str) -> None:
        self._ids[client_order_id] = order_id
        self._client_ids[order_id] = client_order_id

    async def _report(self, order_id: str, what: str) -> Order:
        """The order as the venue now holds it after a write, also handed to the sink (there is no
        order stream) with its new executions. The write succeeded: if reading it back fails, the
        outcome is reported unknown, so that the caller reconciles by ``query``."""
        try:
            order = await self._detail(order_id)
            trades = await self._executions_if_needed([order], order_id)
        except VenueError as exc:
            raise UnknownOutcome(
                "", f"the order was {what} (order id {order_id}) but reading it back failed: {exc.message or exc}"
            ) from exc
        self._observe(order, trades, always=True)
        return order

    async def _order_id(self, client_order_id: str) -> str:
        known = self._ids.get(client_order_id) or order_id_of_foreign(client_order_id)
        if known is not None:
            return known
        found = await self._find_by_remark(client_order_id)
        if found.order_id is None:  # pragma: no cover - mapping.order always sets it
            raise OrderNotFound("", f"no Longbridge order has the client order id {client_order_id}")
        return found.order_id

    async def _find_by_remark(self, client_order_id: str) -> Order:
        """The newest order whose remark is ``client_order_id``: today's orders, then past orders."""
        for path in (TODAY_ORDERS_PATH, HISTORY_ORDERS_PATH):
            rows = mapping.order_rows(await self._get(path), "orders")
            matches = [row for row in rows if row.opt_text("remark") == client_order_id]
            if matches:
                order = max((mapping.order(row, self._client_ids) for row in matches), key=lambda o: o.created_ms)
                assert order.order_id is not None
                self._link(client_order_id, order.order_id)
                return replace(order, client_order_id=client_order_id)
        raise OrderNotFound("", f"no Longbridge order has the client order id {client_order_id}")

    async def _detail(self, order_id: str) -> Order:
        data = await self._get(ORDER_PATH, {"order_id": order_id})
        order = mapping.order(WireObject(data, "order"), self._client_ids)
        self._orders[order_id] = order
        return order

    async def query(self, client_order_id: str) -> Order:
        """The order placed under ``client_order_id``; found by its remark when its id is not known
        (how a lost submit answer is reconciled). OrderNotFound when no order has it."""
        known = self._ids.get(client_order_id) or order_id_of_foreign(client_order_id)
        if known is not None:
            return await self._detail(known)
        found = await self._find_by_remark(client_order_id)
        assert found.order_id is not None
        self._orders[found.order_id] = found
        return found

    async def _today_orders(self) -> list[Order]:
        orders = [
            mapping.order(row, self._client_ids)
            for row in mapping.order_rows(await self._get(TODAY_ORDERS_PATH), "orders")
        ]
        for order in orders:
            assert order.order_id is not None
            self._orders[order.order_id] = order
        return orders

    async def open_orders(self) -> list[Order]:
        """Working orders (every open order is among today's, whatever day it was placed)."""
        return [order for order in await self._today_orders() if order.status in mapping.OPEN_STATUSES]

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]:
        """Today's and past orders (the venue's default window: 90 days), newest first."""
        query = {"symbol": symbol} if symbol else None
        past = mapping.order_rows(await self._get(HISTORY_ORDERS_PATH, query), "orders")
        today = mapping.order_rows(await self._get(TODAY_ORDERS_PATH, query), "orders")
        merged: dict[str, Order] = {}
        for row in (*past, *today):  # today's view of an order is the fresher one
            order = mapping.order(row, self._client_ids)
            assert order.order_id is not None
            merged[order.order_id] = order
        self._orders.update(merged)
        return sorted(merged.values(), key=lambda o: o.created_ms, reverse=True)[:limit]

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]:
        """One fill per execution, today's and past ones, newest first."""
        query = {"symbol": symbol} if symbol else None
        past = mapping.execution_rows(await self._get(HISTORY_EXECUTIONS_PATH, query), "executions")
        today = mapping.execution_rows(await self._get(TODAY_EXECUTIONS_PATH, query), "executions")
        rows = {row.text("trade_id"): row for row in (*past, *today)}
        if any(row.text("order_id") not in self._orders for row in rows.values()):
            await self.order_history(symbol, 10_000)
        result = []
        for row in rows.values():
            placed = self._orders.get(row.text("order_id"))
            if placed is None:  # an order older than the order lists reach: its side is unknown
                log.warning("execution %s of an order no list holds is left out", row.text("trade_id"))
                continue
            result.append(mapping.fill(row, placed, placed.client_order_id, self._currency(placed.symbol)))
        return sorted(result, key=lambda f: f.time_ms, reverse=True)[:limit]

    # ---- what changed ---------------------------------------------------------------------------

    def _note(self, order: Order) -> None:
        """Follow ``order`` from its present state on, announcing nothing."""
        assert order.order_id is not None
        self._seen[order.order_id] = _Seen(_shape(order), order.executed_qty, order.status in _FINAL)
        self._filled[order.order_id] = order.executed_qty

    async def _executions_if_needed(self, orders: Sequence[Order], order_id: str | None = None) -> list[WireObject]:
        """Today's executions, read only when one of ``orders`` executed more than its fills account for."""
        if not any(o.order_id and o.executed_qty > self._filled.get(o.order_id, ZERO) for o in orders):
            return []
        query = {"order_id": order_id} if order_id else None
        return mapping.execution_rows(await self._get(TODAY_EXECUTIONS_PATH, query), "executions")

    def _observe(self, order: Order, trades: Sequence[WireObject], *, always: bool = False) -> bool:
        """Report ``order`` if it changed since last reported (``always``: in any case), then a fill per
        execution of it not reported yet. An older view than the last reported (executed less, or open
        after final) is dropped: answers of concurrent reads can arrive out of order. True if reported."""
        order_id = order.order_id
        assert order_id is not None
        seen = self._seen.get(order_id)
        final = order.status in _FINAL
        stale = seen is not None and (order.executed_qty < seen.executed or (seen.final and not final))
        changed = seen is None or _shape(order) != seen.shape
        reported = not stale and (always or changed)
        if reported:
            self._seen[order_id] = _Seen(_shape(order), order.executed_qty, final)
            self._emit(OrderEvent(mapping.order_update(order), order))
        for row in trades:
            if row.text("order_id") != order_id:
                continue
            trade_id = row.text("trade_id")
            if trade_id in self._trades:
                continue
            self._trades.add(trade_id)
            fill = mapping.fill(row, order, order.client_order_id, self._currency(order.symbol))
            self._filled[order_id] = self._filled.get(order_id, ZERO) + fill.quantity
            self._emit(FillEvent(fill))
        return reported

    # ---- account ------------------------------------------------------------------------------

    async def balances(self) -> list[Balance]:
        """Cash per currency: available cash free, frozen cash locked."""
        return mapping.cash_balances(await self._get(ACCOUNT_PATH))

    async def _positions_data(self) -> object:
        return await self._get(POSITIONS_PATH)

    async def _valued(self, data: object) -> list[Position]:
        symbols = mapping.position_symbols(data)
        if symbols:
            try:
                self._prices.update(await self.quotes.last_prices(symbols))
            except VenueError as exc:
                log.warning("holdings are valued at older prices: %s", exc)
        return mapping.positions(data, self._prices)

    async def positions(self) -> list[Position]:
        """Every holding, valued at the quotes' last prices."""
        return await self._valued(await self._positions_data())

    def _account_changed(self, cash: list[Balance], held: list[Position], *, force: bool = False) -> None:
        self._announcer.announce(mapping.account_balances(cash, held), tuple(held), force=force)

    async def _poll_account(self) -> None:
        self._polls += 1
        today = await self._today_orders()
        listed = {order.order_id for order in today}
        gone = [oid for oid, seen in self._seen.items() if not seen.final and oid not in listed]
        for order_id in gone:  # an order of an earlier day that ended: its final state
            try:
                today.append(await self._detail(order_id))
            except InvalidRequest as exc:
                log.warning("order %s could not be read: %s", order_id, exc)
        trades = await self._executions_if_needed(today)
        changed = False
        for order in today:
            changed = self._observe(order, trades) or changed
        if changed or self._polls % ASSET_EVERY == 0:
            cash = await self.balances()
            held = await self.positions()
            self._account_changed(cash, held)

    # ---- status -------------------------------------------------------------------------------

    def status(self) -> VenueStatus:
        limiter = self.transport.limiter
        headroom = {str(c): limiter.status(c).headroom for c in (RateClass.TRADE, RateClass.QUOTE)}
        queued = sum(limiter.status(c).queued for c in limiter.classes())
        paused = max((limiter.status(c).paused_for for c in limiter.classes()), default=0.0)
        return VenueStatus(
            rate_headroom=headroom, queued_requests=queued, rate_limited_for=paused, banned=limiter.banned
        )
