"""Admitting orders: every documented refusal, the order of the checks, and the funds locked on entry
(terminal/demo/admission.py, through MatchingEngine.place)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from terminal.demo.engine import MatchingEngine
from terminal.demo.errors import DemoError
from terminal.demo.fees import FeeSchedule
from terminal.domain.enums import OrderStatus, OrderType, Side, SymbolStatus, TimeInForce
from terminal.domain.instrument import Instrument, OpenQuote
from terminal.domain.orders import OrderRequest
from tests.demo.factory import BTCUSDT, MAKER_RATE, START, T0, TAKER_RATE, limit, make_engine, maker, market

D = Decimal


def engine_for(instrument: Instrument) -> MatchingEngine:
    engine = MatchingEngine([instrument], [FeeSchedule.token_token(instrument, MAKER_RATE, TAKER_RATE)], id_seed=1)
    engine.open_account("alice", START)
    return engine


def refused(
    engine: MatchingEngine, request: OrderRequest, account: str = "alice", reference_price: Decimal | None = None
) -> DemoError:
    before = (engine.balances(account), engine.open_orders(account))
    with pytest.raises(DemoError) as caught:
        engine.place(account, request, T0, reference_price)
    assert (engine.balances(account), engine.open_orders(account)) == before  # nothing changed
    return caught.value


@pytest.mark.parametrize(
    ("request_", "code", "message"),
    [
        (replace(limit(Side.BUY, "100", "1"), symbol="ETHUSDT"), "0201", "Instrument not found"),
        (replace(limit(Side.BUY, "100", "1"), price=None), "0001", "Required field price missing or invalid"),
        (replace(limit(Side.BUY, "100", "1"), quantity=None), "0001", "Required field quantity missing or invalid"),
        (limit(Side.BUY, "0", "1"), "0001", "Required field price missing or invalid"),
        (limit(Side.BUY, "100", "-1"), "0001", "Required field quantity missing or invalid"),
        (OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET), "0001", "Required field quantity missing or invalid"),
        (limit(Side.BUY, "100.001", "1"), "0209", "Invalid price precision"),
        (limit(Side.BUY, "100", "0.0015"), "-1137", "Order quantity precision too large"),
        (limit(Side.BUY, "100", "0.001"), "-1136", "Order quantity lower than the minimum"),
        (limit(Side.BUY, "100", "101"), "-1135", "Order quantity greater than the maximum"),
        (market(Side.SELL, qty="51"), "-1135", "Order quantity greater than the maximum"),
        (limit(Side.BUY, "0.01", "1"), "-1140", "Order amount lower than the minimum"),
        (market(Side.BUY, amount="0.5"), "-1140", "Order amount lower than the minimum"),
        (market(Side.BUY, amount="600000"), "-1206", "Order amount greater than the maximum"),
        (limit(Side.BUY, "20000", "60"), "-1206", "Order amount greater than the maximum"),
        (market(Side.BUY, qty="1", amount="100"), "-1129", None),
        (market(Side.SELL, amount="100"), "-1014", "Unsupported order combination"),
        (market(Side.BUY, amount="10.001"), "-1148", "Order amount precision too large"),
        (replace(limit(Side.BUY, "100", "1"), amount=D("5")), "-1130", "Illegal parameter 'amount'"),
        (replace(market(Side.BUY, qty="1"), price=D("100")), "-1130", "Illegal parameter 'price'"),
        (limit(Side.BUY, "100", "1", tif=TimeInForce.FOK, client_id="has space"), "-1123", "Invalid client order id"),
        (replace(market(Side.BUY, qty="1"), time_in_force=TimeInForce.GTC), "-1115", "Invalid timeInForce"),
        (replace(maker(Side.BUY, "100", "1"), time_in_force=TimeInForce.IOC), "-1115", "Invalid timeInForce"),
    ],
)
def test_request_rules(request_: OrderRequest, code: str, message: str | None) -> None:
    error = refused(make_engine(), request_)
    assert error.code == code
    assert error.http_status == 400
    if message is not None:
        assert error.message == message


def test_unknown_account() -> None:
    with pytest.raises(DemoError) as caught:
        make_engine().place("mallory", limit(Side.BUY, "100", "1"), T0)
    assert caught.value.code == "-1160"


def test_limit_price_band_around_the_reference() -> None:
    engine = make_engine()
    assert refused(engine, limit(Side.BUY, "110.01", "1"), reference_price=D("100")).code == "-1132"
    assert refused(engine, limit(Side.SELL, "89.99", "1"), reference_price=D("100")).code == "-1133"
    assert engine.place("alice", limit(Side.BUY, "110", "1"), T0, reference_price=D("100")).order.status == "NEW"


def test_last_trade_price_is_the_default_reference() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.SELL, "100", "1"), T0)
    engine.place("bob", limit(Side.BUY, "100", "1"), T0)
    assert engine.last_price("BTCUSDT") == D("100")
    assert refused(engine, limit(Side.BUY, "111", "1")).code == "-1132"


def test_limit_maker_that_would_take_is_rejected() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "101", "1"), T0)
    engine.place("bob", limit(Side.BUY, "99", "1"), T0)
    error = refused(engine, maker(Side.BUY, "101", "1"))
    assert (error.code, error.message) == (
        "-2010",
        "Limit maker order rejected: Improper price may cause immediate fill.",
    )
    assert refused(engine, maker(Side.SELL, "99", "1")).code == "-2010"
    assert engine.place("alice", maker(Side.BUY, "100.99", "1"), T0).order.status is OrderStatus.NEW


def test_order_type_not_offered() -> None:
    engine = engine_for(replace(BTCUSDT, order_types=(OrderType.LIMIT,)))
    assert refused(engine, market(Side.BUY, qty="1")).code == "0206"


@pytest.mark.parametrize(("status", "code"), [(SymbolStatus.IN_PREVIEW, "-1151"), (SymbolStatus.HALT, "-2020")])
def test_symbol_not_trading(status: SymbolStatus, code: str) -> None:
    assert refused(engine_for(replace(BTCUSDT, status=status)), limit(Side.BUY, "100", "1")).code == code


def test_market_orders_forbidden_in_the_opening_window() -> None:
    engine = engine_for(replace(BTCUSDT, open_quote=OpenQuote(no_market_start=T0 - 1, no_market_end=T0 + 1)))
    error = refused(engine, market(Side.BUY, qty="1"))
    assert (error.code, error.message) == ("-1194", "Market order creation forbidden")


def test_insufficient_asset() -> None:
    engine = make_engine()
    engine.open_account("poor", {"USDT": D("105"), "USD": D("100")})
    assert refused(engine, limit(Side.BUY, "100", "1.1"), account="poor").code == "0401"
    assert refused(engine, limit(Side.SELL, "100", "0.01"), account="poor").code == "0401"
    assert refused(engine, market(Side.BUY, amount="106"), account="poor").code == "0401"
    # A market buy by quantity locks against the top of the MARKET_TRADING band: 1 x 110 > 105.
    error = refused(engine, market(Side.BUY, qty="1"), account="poor", reference_price=D("100"))
    assert (error.code, error.message) == ("0401", "Insufficient asset")
    # A fee charged in the spent asset is reserved too: 100 USD + 0.2% taker fee > 100.
    assert refused(engine, limit(Side.BUY, "100", "1", symbol="BTCUSD"), account="poor").code == "0401"


def test_open_orders_limit() -> None:
    engine = make_engine()
    for i in range(20):  # LIMIT_TRADING maxEntrustNum of the test symbol
        engine.place("alice", limit(Side.BUY, str(50 + i), "1"), T0)
    error = refused(engine, limit(Side.BUY, "49", "1"))
    assert (error.code, error.message) == ("-2017", "Open orders exceeds the limit of the trading pair")
    engine.place("bob", limit(Side.BUY, "49", "1"), T0)  # per account
    engine.place("alice", limit(Side.BUY, "49", "1", symbol="BTCUSD"), T0)  # per symbol
    engine.cancel_all("alice", T0, symbol="BTCUSDT")
    assert engine.place("alice", limit(Side.BUY, "49", "1"), T0).order.is_open


def test_duplicate_client_order_id_even_after_the_order_finished() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.BUY, "100", "1", client_id="mine-1"), T0)
    error = refused(engine, limit(Side.BUY, "99", "1", client_id="mine-1"))
    assert (error.code, error.message) == ("-1141", "Duplicate order")
    engine.cancel("alice", T0, client_order_id="mine-1")
    assert refused(engine, limit(Side.BUY, "99", "1", client_id="mine-1")).code == "-1141"
    assert engine.place("bob", limit(Side.BUY, "99", "1", client_id="mine-1"), T0).order.client_order_id == "mine-1"


def test_request_errors_come_before_the_duplicate_check_and_the_duplicate_before_funds() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.BUY, "100", "1", client_id="x"), T0)
    assert refused(engine, limit(Side.BUY, "100.001", "1", client_id="x")).code == "0209"
    assert refused(engine, limit(Side.BUY, "10000", "99", client_id="x")).code == "-1141"


def test_a_refused_order_uses_no_id() -> None:
    engine, twin = make_engine(), make_engine()
    with pytest.raises(DemoError):
        engine.place("alice", limit(Side.BUY, "0", "1"), T0)
    assert engine.place("alice", limit(Side.BUY, "1", "1"), T0).order.order_id == (
        twin.place("alice", limit(Side.BUY, "1", "1"), T0).order.order_id
    )


def test_entry_locks() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.BUY, "100", "2"), T0)
    engine.place("alice", limit(Side.SELL, "120", "3"), T0)
    assert engine.ledger.locked("alice", "USDT") == D("200")
    assert engine.ledger.locked("alice", "BTC") == D("3")
    engine.place("alice", limit(Side.BUY, "100", "2", symbol="BTCUSD"), T0)
    # Token-Fiat buy: price x qty plus the larger of the maker and taker rates, both charged in USD.
    assert engine.ledger.locked("alice", "USD") == D("200") * (1 + TAKER_RATE)
    engine.place("bob", maker(Side.BUY, "100", "1", symbol="BTCUSD"), T0)
    assert engine.ledger.locked("bob", "USD") == D("100") * (1 + MAKER_RATE)  # a maker never takes


def test_generated_client_order_ids_are_unique_and_shaped_like_the_documents() -> None:
    engine = make_engine()
    first = engine.place("alice", limit(Side.BUY, "100", "1"), T0).order
    second = engine.place("alice", limit(Side.BUY, "100", "1"), T0).order
    assert first.client_order_id != second.client_order_id
    assert first.client_order_id.isdigit() and first.client_order_id.startswith(str(T0))
    # A client that picked the next generated id itself does not make the engine refuse its own.
    # The third order's own id is second + 1, so the fourth's generated id would be this one:
    third_id = f"{T0}{(int(second.order_id) + 2) % 1000:03d}"
    engine.place("alice", limit(Side.BUY, "100", "1", client_id=third_id), T0)
    fourth = engine.place("alice", limit(Side.BUY, "100", "1"), T0).order
    assert fourth.client_order_id == fourth.order_id
