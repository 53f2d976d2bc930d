"""Properties of the engine under any sequence of orders and cancels from several accounts
(terminal/demo/engine.py): conservation, an uncrossed book, price-time priority, locks that match
open orders, fills within quantities, and determinism."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from terminal.demo.engine import MatchingEngine
from terminal.demo.errors import DemoError
from terminal.demo.records import OrderView
from terminal.domain.decimals import ONE, mul
from terminal.domain.enums import OrderType, Side, StpMode, TimeInForce
from terminal.domain.orders import OrderRequest
from tests.demo.factory import MAKER_RATE, START, T0, TAKER_RATE, make_engine

D = Decimal
ACCOUNTS = ("alice", "bob", "carol")
SYMBOLS = ("BTCUSDT", "BTCUSD")
ASSETS = ("BTC", "USDT", "USD")

prices = st.integers(min_value=190, max_value=210).map(lambda n: D(n) / 2)  # 95.0 .. 105.0 by 0.5
qtys = st.sampled_from(["0.002", "0.01", "0.25", "0.5", "1", "1.5", "3"]).map(D)
amounts = st.sampled_from(["1", "10.5", "99.99", "250", "1000"]).map(D)
references = st.sampled_from([None, D("100")])


@st.composite
def requests(draw: st.DrawFn) -> OrderRequest:
    symbol = draw(st.sampled_from(SYMBOLS))
    side = draw(st.sampled_from(list(Side)))
    kind = draw(st.sampled_from(["limit", "limit", "limit", "maker", "market_qty", "market_amount"]))
    stp = draw(st.sampled_from([None, StpMode.EXPIRE_TAKER, StpMode.EXPIRE_MAKER]))
    if kind == "limit":
        tif = draw(st.sampled_from([None, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]))
        return OrderRequest(symbol, side, OrderType.LIMIT, draw(qtys), draw(prices), time_in_force=tif, stp_mode=stp)
    if kind == "maker":
        return OrderRequest(symbol, side, OrderType.LIMIT_MAKER, draw(qtys), draw(prices), stp_mode=stp)
    if kind == "market_amount" and side is Side.BUY:
        return OrderRequest(symbol, side, OrderType.MARKET, amount=draw(amounts), stp_mode=stp)
    return OrderRequest(symbol, side, OrderType.MARKET, quantity=draw(qtys), stp_mode=stp)


def resting_need(order: OrderView) -> tuple[str, Decimal]:
    """What an open order must hold locked, from first principles."""
    if order.side is Side.SELL:
        return "BTC", order.leaves_qty
    quote = "USDT" if order.symbol == "BTCUSDT" else "USD"
    notional = mul(order.price, order.leaves_qty)
    if order.symbol == "BTCUSD":  # Token-Fiat: fees in USD reserved on top
        rate = MAKER_RATE if order.type is OrderType.LIMIT_MAKER else max(MAKER_RATE, TAKER_RATE)
        notional = mul(notional, ONE + rate)
    return quote, notional


def all_open(engine: MatchingEngine) -> list[OrderView]:
    return [o for account in ACCOUNTS for o in engine.open_orders(account, limit=1000)]


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.engine = make_engine(accounts=ACCOUNTS)
        self.now = T0
        self.totals = {asset: self.engine.ledger.total(asset) for asset in ASSETS}

    def tick(self) -> int:
        self.now += 1
        return self.now

    @rule(account=st.sampled_from(ACCOUNTS), request=requests(), reference=references)
    def place(self, account: str, request: OrderRequest, reference: Decimal | None) -> None:
        before = {o.order_id: o for o in all_open(self.engine)}
        balances = self.engine.balances(account)
        try:
            result = self.engine.place(account, request, self.tick(), reference)
        except DemoError:
            assert self.engine.balances(account) == balances
            assert {o.order_id for o in all_open(self.engine)} == set(before)
            return
        order = result.order
        assert order.executed_qty == sum((f.qty for f in result.fills), D(0))
        assert order.cumulative_quote_qty == sum((f.qty * f.price for f in result.fills), D(0))
        self.check_priority(before, request)

    def check_priority(self, before: dict[str, OrderView], request: OrderRequest) -> None:
        """Price-time priority: if a resting order was touched, every order ahead of it is gone."""
        ahead_side = request.side.opposite
        queue = sorted(
            (o for o in before.values() if o.symbol == request.symbol and o.side is ahead_side),
            key=lambda o: (-o.price if ahead_side is Side.BUY else o.price, int(o.order_id)),
        )
        after = {o.order_id: o for o in all_open(self.engine)}
        touched = [
            i
            for i, o in enumerate(queue)
            if self.engine.order(o.account_id, order_id=o.order_id).executed_qty > o.executed_qty
        ]
        if touched:
            for earlier in queue[: touched[-1]]:
                assert earlier.order_id not in after, f"{earlier.order_id} was skipped"

    @rule(account=st.sampled_from(ACCOUNTS), pick=st.integers(0, 1000))
    def cancel_one(self, account: str, pick: int) -> None:
        mine = self.engine.open_orders(account, limit=1000)
        if not mine:
            return
        target = mine[pick % len(mine)]
        order = self.engine.cancel(account, self.tick(), order_id=target.order_id).order
        assert not order.is_open and order.ord_cxl_reason == "USER_CANCEL"

    @rule(account=st.sampled_from(ACCOUNTS), symbol=st.sampled_from([None, *SYMBOLS]))
    def cancel_all(self, account: str, symbol: str | None) -> None:
        self.engine.cancel_all(account, self.tick(), symbol=symbol)
        assert self.engine.open_orders(account, symbol=symbol) == []

    @rule(account=st.sampled_from(ACCOUNTS), picks=st.lists(st.integers(0, 1000), max_size=4))
    def cancel_by_ids(self, account: str, picks: list[int]) -> None:
        everyone = all_open(self.engine)
        if not everyone:
            return
        ids = [everyone[p % len(everyone)].order_id for p in picks]
        result = self.engine.cancel_by_ids(account, self.tick(), ids)
        assert len(result.cancelled) + len(result.failures) == len(ids)

    @invariant()
    def funds_are_conserved(self) -> None:
        for asset in ASSETS:
            assert self.engine.ledger.total(asset) == self.totals[asset]
        for account in [*ACCOUNTS, self.engine.fee_account_id]:
            for balance in self.engine.balances(account):
                assert balance.free >= 0 and balance.locked >= 0

    @invariant()
    def books_are_not_crossed(self) -> None:
        for symbol in SYMBOLS:
            book = self.engine.book(symbol)
            if book.best_bid is not None and book.best_ask is not None:
                assert book.best_bid < book.best_ask

    @invariant()
    def locks_match_open_orders(self) -> None:
        needs = {(account, asset): D(0) for account in ACCOUNTS for asset in ASSETS}
        for order in all_open(self.engine):
            asset, need = resting_need(order)
            needs[(order.account_id, asset)] += need
        for (account, asset), need in needs.items():
            assert self.engine.ledger.locked(account, asset) == need, (account, asset)

    @invariant()
    def book_holds_exactly_the_open_orders(self) -> None:
        for symbol in SYMBOLS:
            for side in Side:
                levels: dict[Decimal, Decimal] = {}
                for order in all_open(self.engine):
                    if order.symbol == symbol and order.side is side:
                        levels[order.price] = levels.get(order.price, D(0)) + order.leaves_qty
                assert dict(self.engine.book(symbol).levels(side)) == levels

    @invariant()
    def fills_stay_within_quantities(self) -> None:
        for account in ACCOUNTS:
            for order in [
                *self.engine.open_orders(account, limit=1000),
                *self.engine.trade_orders(account, limit=1000),
            ]:
                if order.orig_qty > 0:
                    assert order.executed_qty <= order.orig_qty
                    assert (order.status == "FILLED") == (order.executed_qty == order.orig_qty)
                else:
                    quote = "USDT" if order.symbol == "BTCUSDT" else "USD"
                    fees = sum(
                        (
                            t.commission
                            for t in self.engine.account_trades(account, client_order_id=order.client_order_id)
                            if t.commission_asset == quote
                        ),
                        D(0),
                    )
                    assert order.cumulative_quote_qty + fees <= order.req_amount


EngineMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestEngineMachine = EngineMachine.TestCase


def run(seed: int, steps: list[tuple[str, OrderRequest, Decimal | None]]) -> list[object]:
    engine = make_engine(seed=seed, accounts=ACCOUNTS)
    out: list[object] = []
    for i, (account, request, reference) in enumerate(steps):
        try:
            out.append(engine.place(account, request, T0 + i, reference))
        except DemoError as error:
            out.append(error.code)
    out.append([engine.balances(a) for a in ACCOUNTS])
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACCOUNTS), requests(), references), max_size=30), st.integers(0, 99))
def test_same_seed_and_inputs_give_identical_ids_and_results(
    steps: list[tuple[str, OrderRequest, Decimal | None]], seed: int
) -> None:
    assert run(seed, steps) == run(seed, steps)


def test_starting_totals() -> None:
    engine = make_engine(accounts=ACCOUNTS)
    assert engine.ledger.total("BTC") == START["BTC"] * len(ACCOUNTS)
