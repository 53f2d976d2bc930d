"""A contract venue in memory, for the contract widgets' unit tests only: it records what the desk asks,
and a test delivers the venue's answers through the session's sink, as a real venue's streams would.
The widgets, the session, its stores and its desk are the real ones; end-to-end tests use a Deriv test server."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal

from pytestqt.qtbot import QtBot

from terminal.domain.balance import Balance
from terminal.domain.contracts import (
    Account,
    ClosedContract,
    ContractSpec,
    ContractStatus,
    OpenContract,
    PortfolioEntry,
    Purchase,
    Quote,
    Sale,
    Transaction,
)
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle, PublicTrade
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.session.frame_clock import FrameClock
from terminal.session.session import Session
from terminal.venues.base import (
    AccountEvent,
    BalanceEvent,
    Capabilities,
    ContractEvent,
    EventSink,
    Fees,
    Permissions,
    ProposalEvent,
    Topic,
    TradesEvent,
    VenueEvent,
    VenueStatus,
)
from terminal.venues.errors import InvalidRequest, VenueError
from tests.support.qt import run

D = Decimal
NOW_MS = 1_700_000_000_000
READ_ONLY_REASON = "the token has no trade scope"


def instrument(symbol: str, name: str, pip: str = "0.01") -> Instrument:
    return Instrument(
        symbol=symbol,
        base_asset=symbol,
        quote_asset="USD",
        price_filter=PriceFilter(tick_size=D(pip)),
        lot_size=LotSize(min_qty=D("0.35"), max_qty=D(50000), step_size=D("0.01")),
        name=name,
        quote_precision=D("0.01"),
        order_types=(),
        group="Derived / Continuous Indices",
    )


class FakeWatch:
    def __init__(self, what: object) -> None:
        self.what = what
        self.released = False

    def release(self) -> None:
        self.released = True


@dataclass
class FakeContractVenue:
    """Implements what the session and its desk call on a ``ContractVenue``."""

    can_trade: bool = True
    capabilities: Capabilities = field(
        default_factory=lambda: Capabilities(venue="fake-deriv", order_book=False, contracts=True, tick_chart=True)
    )
    instruments: dict[str, Instrument] = field(
        default_factory=lambda: {
            "R_100": instrument("R_100", "Volatility 100 Index"),
            "1HZ10V": instrument("1HZ10V", "Volatility 10 (1s) Index"),
        }
    )
    fees: dict[str, Fees] = field(default_factory=dict)
    account: Account | None = None
    sink: EventSink | None = None
    watched: list[tuple[Topic, str]] = field(default_factory=list)
    proposals: list[tuple[ContractSpec, FakeWatch]] = field(default_factory=list)
    followed: list[int] = field(default_factory=list)
    bought: list[Quote] = field(default_factory=list)
    sold: list[tuple[int, Decimal]] = field(default_factory=list)
    buy_gate: asyncio.Event | None = None  # a buy waits for it: the test sees the ticket while it is on its way
    buy_error: VenueError | None = None
    sell_error: VenueError | None = None
    history_calls: int = 0
    portfolio_rows: list[PortfolioEntry] = field(default_factory=list)
    statement_rows: list[Transaction] = field(default_factory=list)
    closed_rows: list[ClosedContract] = field(default_factory=list)
    next_contract_id: int = 250_000_001

    permissions: Permissions = field(init=False)

    def __post_init__(self) -> None:
        scopes = ("read", "trade") if self.can_trade else ("read",)
        reason = "" if self.can_trade else READ_ONLY_REASON
        self.permissions = Permissions(True, self.can_trade, reason, account="VRTC42", scopes=scopes)

    def emit(self, event: VenueEvent) -> None:
        assert self.sink is not None, "the session has not started the venue"
        self.sink(event)

    @property
    def proposed(self) -> list[ContractSpec]:
        return [spec for spec, _ in self.proposals]

    # ---- Venue ------------------------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        self.sink = sink
        self.account = Account("VRTC42", "USD", True, self.permissions.scopes, D("10000"))
        sink(AccountEvent(self.account))
        sink(BalanceEvent((Balance.of("USD", D("10000"), D(0)),), complete=True))

    async def close(self) -> None:
        self.sink = None

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> FakeWatch:
        self.watched.append((topic, symbol))
        return FakeWatch((topic, symbol))

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        return []

    async def place(self, request: OrderRequest) -> Order:
        raise InvalidRequest("InputValidationFailed", "a contract venue takes no orders")

    async def cancel(self, client_order_id: str) -> Order:
        raise InvalidRequest("InputValidationFailed", "a contract venue takes no orders")

    async def cancel_all(self, symbol: str | None = None) -> None:
        return None

    async def query(self, client_order_id: str) -> Order:
        raise InvalidRequest("InputValidationFailed", "a contract venue takes no orders")

    async def open_orders(self) -> list[Order]:
        return []

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]:
        return []

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]:
        return []

    def status(self) -> VenueStatus:
        return VenueStatus()

    # ---- ContractVenue ----------------------------------------------------------------------

    def propose(self, spec: ContractSpec) -> FakeWatch:
        watch = FakeWatch(spec)
        self.proposals.append((spec, watch))
        return watch

    def follow(self, contract_id: int) -> FakeWatch:
        self.followed.append(contract_id)
        return FakeWatch(contract_id)

    async def buy(self, quote: Quote) -> Purchase:
        self.bought.append(quote)
        if self.buy_gate is not None:
            await self.buy_gate.wait()
        if self.buy_error is not None:
            raise self.buy_error
        contract_id = self.next_contract_id
        self.next_contract_id += 1
        return Purchase(contract_id, 500_000 + contract_id, quote.ask_price, quote.payout, quote.longcode, NOW_MS, D(0))

    async def sell(self, contract_id: int, price: Decimal) -> Sale:
        self.sold.append((contract_id, price))
        if self.sell_error is not None:
            raise self.sell_error
        return Sale(contract_id, D("7.25"), 900_000 + contract_id, D("10007.25"))

    async def portfolio(self) -> list[PortfolioEntry]:
        self.history_calls += 1
        return list(self.portfolio_rows)

    async def statement(self, limit: int = 100, since_ms: int | None = None) -> list[Transaction]:
        return list(self.statement_rows)

    async def profit_table(self, limit: int = 100) -> list[ClosedContract]:
        return list(self.closed_rows)


# ---- what tests build and send ----------------------------------------------------------------------


def quote(ask: str = "10", payout: str = "19.54", spot: str = "1234.56", longcode: str = "") -> Quote:
    text = longcode or f"Win payout if Volatility 100 Index after 5 ticks is strictly higher than entry spot. {ask}"
    return Quote("prop-1", D(ask), D(payout), D(spot), NOW_MS, text)


def tick(price: str, symbol: str = "R_100", at_ms: int = NOW_MS) -> TradesEvent:
    return TradesEvent(symbol, (PublicTrade(symbol, at_ms, D(price), D(0), False, str(at_ms)),))


def contract(
    contract_id: int,
    *,
    profit: str = "1.50",
    bid: str | None = "11.50",
    status: ContractStatus = ContractStatus.OPEN,
    can_sell: bool = True,
    bought_ms: int = NOW_MS,
    contract_type: str = "CALL",
) -> OpenContract:
    return OpenContract(
        contract_id=contract_id,
        symbol="R_100",
        contract_type=contract_type,
        currency="USD",
        buy_price=D("10"),
        payout=D("19.54"),
        bid_price=D(bid) if bid is not None and status is ContractStatus.OPEN else None,
        profit=D(profit),
        status=status,
        can_sell=can_sell and status is ContractStatus.OPEN,
        purchase_time_ms=bought_ms,
        expiry_time_ms=bought_ms + 300_000,
        sell_price=None if status is ContractStatus.OPEN else D(profit) + D(10),
        longcode="Win payout if Volatility 100 Index after 5 minutes is strictly higher than entry spot.",
        display_name="Volatility 100 Index",
    )


def contract_event(*args: object, **kwargs: object) -> ContractEvent:
    return ContractEvent(contract(*args, **kwargs))  # type: ignore[arg-type]


def proposal(spec: ContractSpec, answer: Quote | None = None, error: str = "") -> ProposalEvent:
    return ProposalEvent(spec, answer if answer is not None or error else quote(), error)


@dataclass
class Rig:
    """A live session over the fake venue; its frame clock is not running: a test calls ``frame()``."""

    session: Session
    venue: FakeContractVenue
    clock: FrameClock

    def frame(self) -> None:
        self.clock.tick()


def open_rig(qtbot: QtBot, venue: FakeContractVenue | None = None, symbol: str = "R_100") -> Rig:
    venue = venue or FakeContractVenue()
    clock = FrameClock(fps=60)
    session = Session(venue, "Fake Deriv", clock)
    assert run(qtbot, session.start())
    session.set_active_symbol(symbol)
    return Rig(session, venue, clock)


def close_rig(qtbot: QtBot, rig: Rig) -> None:
    run(qtbot, rig.session.close())
