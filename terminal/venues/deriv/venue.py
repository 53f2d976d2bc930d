"""Deriv as the session sees it (a ``ContractVenue``): symbols, market data, the account and its contracts over
one connection. There are no orders: the order methods of ``Venue`` answer empty lists or refuse."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from terminal.domain.contracts import (
    Account,
    ClosedContract,
    ContractSpec,
    PortfolioEntry,
    Purchase,
    Quote,
    Sale,
    Transaction,
)
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle, Ticker
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.venues.base import (
    AccountEvent,
    BalanceEvent,
    Capabilities,
    ConnectionEvent,
    ContractEvent,
    ContractVenue,
    EventSink,
    Fees,
    Permissions,
    Topic,
    VenueEvent,
    VenueStatus,
    Watch,
)
from terminal.venues.deriv import calls, contract_mapping, mapping
from terminal.venues.deriv.connection import REQUEST_TIMEOUT, START_TIMEOUT, DerivConnection
from terminal.venues.deriv.contract_streams import DerivContractStreams
from terminal.venues.deriv.endpoints import DEFAULT_APP_ID, DEFAULT_LANGUAGE, DEFAULT_WS_URL, INTERVALS, stream_url
from terminal.venues.deriv.market import DerivMarket
from terminal.venues.deriv.subscriptions import Message, Subscription
from terminal.venues.errors import InvalidRequest, MalformedResponse, UnknownOutcome, VenueError
from terminal.venues.wire import WireObject
from terminal.venues.ws_link import Backoff, Heartbeat

log = logging.getLogger("terminal.venues.deriv")

CAPABILITIES = Capabilities(
    venue="Deriv",
    order_book=False,
    order_types=(),
    contracts=True,
    intervals=INTERVALS,
    max_depth=0,
    tick_chart=True,
)
SYMBOLS_REFRESH = 60.0  # seconds between active_symbols reads: market status and the tickers' spots
NO_ORDERS = "Deriv trades contracts, not orders"
NO_TOKEN = "no API token: market data only"
STREAM_TYPES = ("ticks", "candles", "proposal", "proposal_open_contract", "balance")


class DerivVenue:
    capabilities = CAPABILITIES

    def __init__(
        self,
        ws_url: str = DEFAULT_WS_URL,
        app_id: int = DEFAULT_APP_ID,
        token: str | None = None,
        *,
        language: str = DEFAULT_LANGUAGE,
        heartbeat: Heartbeat | None = None,
        backoff: Backoff | None = None,
        open_timeout: float = 10.0,
        request_timeout: float = REQUEST_TIMEOUT,
        start_timeout: float = START_TIMEOUT,
        symbols_refresh: float = SYMBOLS_REFRESH,
    ) -> None:
        self.url = stream_url(ws_url, app_id, language)
        self.has_token = bool(token)
        self.instruments: dict[str, Instrument] = {}
        self.fees: dict[str, Fees] = {}
        self.account: Account | None = None
        self.permissions = (
            Permissions(False, False, "not connected yet") if self.has_token else Permissions(False, False, NO_TOKEN)
        )
        self._sink: EventSink | None = None
        self._start_timeout = start_timeout
        self._symbols_refresh = symbols_refresh
        self._started = False
        self._balance: Subscription | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.connection = DerivConnection(
            self.url,
            token or None,
            self._on_connection_event,
            heartbeat=heartbeat,
            backoff=backoff,
            open_timeout=open_timeout,
            request_timeout=request_timeout,
            on_authorized=self._on_authorized,
            on_restored=self._on_restored,
        )
        self.market = DerivMarket(self.connection, self._emit, lambda: self.instruments)
        self.contracts = DerivContractStreams(self.connection, self._emit, lambda: self.instruments)

    # ---- lifecycle ------------------------------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        """Connect (authorized, with a token), load the symbols and their tickers, stream the balance and
        report the open contracts. Raises AuthenticationError for a refused token, VenueUnavailable when
        the venue cannot be reached; the connection then keeps itself alive."""
        self._sink = sink
        await self.connection.start(self._start_timeout)
        try:
            self._load_symbols(await self.connection.request(calls.active_symbols()))
            if self.has_token:
                self._balance = self.connection.open_stream(calls.balance, self._on_balance)
                await self._discover_contracts()
        except VenueError:
            await self.connection.close()
            raise
        self._spawn(self._refresh_symbols())
        self._started = True

    async def close(self) -> None:
        """Forget every stream (best effort, briefly) and close the connection."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.connection.live:
            await self.connection.forget_all(*STREAM_TYPES)
        await self.connection.close()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _emit(self, event: VenueEvent) -> None:
        if self._sink is not None:
            self._sink(event)

    def _on_connection_event(self, event: ConnectionEvent) -> None:
        self.market.on_connection(event)
        self.contracts.on_connection(event)
        self._emit(event)

    def _on_authorized(self, answer: Message) -> None:
        """After every authorize (each connection): who the token speaks for, and what it may do."""
        try:
            account = contract_mapping.account(answer)
        except MalformedResponse as exc:
            log.warning("could not read the authorize answer: %s", exc)
            self.permissions = Permissions(True, False, f"the venue's account answer could not be read ({exc})")
            return
        self.account = account
        scopes = account.scopes
        reason = "" if account.can_trade else f"the token has no trade scope (it has: {', '.join(scopes) or 'none'})"
        self.permissions = Permissions(True, account.can_trade, reason, account.describe(), scopes)
        self._emit(AccountEvent(account))

    def _on_restored(self) -> None:
        if self._started and self.has_token:
            self._spawn(self._discover_contracts())  # contracts may have been bought or closed while away

    # ---- symbols and tickers ----------------------------------------------------------------------------

    def _load_symbols(self, answer: Message) -> None:
        currency = self.account.currency if self.account else ""
        loaded: dict[str, Instrument] = {}
        tickers: list[Ticker] = []
        for item in WireObject.items(answer.get("active_symbols"), "active_symbols"):
            try:
                instrument = mapping.instrument(item, currency)
                ticker = mapping.symbol_ticker(item)
            except MalformedResponse as exc:
                log.warning("skipped a symbol the venue described badly: %s", exc)
                continue
            loaded[instrument.symbol] = instrument
            if ticker is not None:
                tickers.append(ticker)
        # In place, so that a reference to ``venue.instruments`` stays current (market status changes).
        for gone in set(self.instruments) - set(loaded):
            del self.instruments[gone]
        self.instruments.update(loaded)
        for ticker in tickers:
            self.market.set_ticker(ticker)

    async def _refresh_symbols(self) -> None:
        while True:
            await asyncio.sleep(self._symbols_refresh)
            try:
                self._load_symbols(await self.connection.request(calls.active_symbols()))
            except VenueError as exc:
                log.info("could not refresh the symbols: %s", exc)

    # ---- account --------------------------------------------------------------------------------------

    def _on_balance(self, message: Message) -> None:
        try:
            balance = contract_mapping.balance(message)
        except MalformedResponse as exc:
            log.warning("skipped a balance message: %s", exc)
            return
        if self.account is not None:
            self.account = dataclasses.replace(self.account, balance=balance.free)
        self._emit(BalanceEvent((balance,), complete=True))

    async def _discover_contracts(self) -> None:
        """Report every open contract (the session follows them): bought elsewhere, or before a reconnection."""
        try:
            entries = await self.portfolio()
            for entry in entries:
                answer = await self.connection.request(calls.open_contract(entry.contract_id))
                if contract_mapping.has_contract(answer):
                    pip = self._pip(contract_mapping.underlying(answer))
                    self._emit(ContractEvent(contract_mapping.open_contract(answer, pip)))
        except VenueError as exc:
            log.warning("could not list the open contracts: %s", exc)

    def _pip(self, symbol: str) -> Decimal | None:
        instrument = self.instruments.get(symbol)
        return instrument.tick_size if instrument else None

    # ---- market data ----------------------------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch:
        return self.market.watch(topic, symbol, interval)

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        """Up to ``limit`` candles ending at ``end_ms`` (default: now), oldest first."""
        answer = await self.connection.request(calls.candle_history(symbol, interval, end_ms=end_ms, count=limit))
        return mapping.history_candles(answer, interval, self._pip(symbol))

    # ---- contracts ------------------------------------------------------------------------------------

    def propose(self, spec: ContractSpec) -> Watch:
        return self.contracts.propose(spec)

    def follow(self, contract_id: int) -> Watch:
        return self.contracts.follow(contract_id)

    async def buy(self, quote: Quote) -> Purchase:
        """Buy at ``quote.ask_price`` at most (the venue refuses if the price moved above it)."""
        answer = await self.connection.request(calls.buy(quote.proposal_id, quote.ask_price))
        try:
            return contract_mapping.purchase(answer)
        except MalformedResponse as exc:  # the venue did answer: the buy may well have gone through
            raise UnknownOutcome("", f"the answer to the buy could not be read ({exc.message})") from None

    async def sell(self, contract_id: int, price: Decimal) -> Sale:
        """Sell for at least ``price`` (0: at the market)."""
        answer = await self.connection.request(calls.sell(contract_id, price))
        try:
            return contract_mapping.sale(answer, contract_id)
        except MalformedResponse as exc:
            raise UnknownOutcome("", f"the answer to the sale could not be read ({exc.message})") from None

    async def portfolio(self) -> list[PortfolioEntry]:
        return contract_mapping.portfolio(await self.connection.request(calls.portfolio()))

    async def statement(self, limit: int = 100, since_ms: int | None = None) -> list[Transaction]:
        return contract_mapping.statement(await self.connection.request(calls.statement(limit, since_ms)))

    async def profit_table(self, limit: int = 100) -> list[ClosedContract]:
        return contract_mapping.profit_table(await self.connection.request(calls.profit_table(limit)))

    # ---- the order methods of Venue: there are no orders ----------------------------------------------

    async def place(self, request: OrderRequest) -> Order:
        raise InvalidRequest("", NO_ORDERS)

    async def cancel(self, client_order_id: str) -> Order:
        raise InvalidRequest("", NO_ORDERS)

    async def cancel_all(self, symbol: str | None = None) -> None:
        raise InvalidRequest("", NO_ORDERS)

    async def query(self, client_order_id: str) -> Order:
        raise InvalidRequest("", NO_ORDERS)

    async def open_orders(self) -> list[Order]:
        return []

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]:
        return []

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]:
        return []

    # ---- status ---------------------------------------------------------------------------------------

    def status(self) -> VenueStatus:
        pacing = self.connection.pacer.status()
        return VenueStatus(
            round_trip_ms=self.connection.link.round_trip_ms,
            rate_headroom=pacing.headroom,
            queued_requests=pacing.queued,
            rate_limited_for=pacing.paused_for,
        )


if TYPE_CHECKING:

    def _is_contract_venue(venue: DerivVenue) -> ContractVenue:  # mypy checks the protocol here
        return venue
