"""Instruments, fee schedules and engines the demo exchange's tests share."""

from __future__ import annotations

from decimal import Decimal

from terminal.demo.engine import MatchingEngine
from terminal.demo.fees import FeeSchedule
from terminal.domain.enums import OrderType, Side, StpMode, TimeInForce
from terminal.domain.instrument import Instrument, LotSize, MinNotional, PriceBand, PriceFilter, TradeAmount
from terminal.domain.orders import OrderRequest

D = Decimal
T0 = 1_700_000_000_000  # a plausible venue time, ms

BTCUSDT = Instrument(
    symbol="BTCUSDT",
    base_asset="BTC",
    quote_asset="USDT",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(
        min_qty=D("0.002"), max_qty=D("100"), step_size=D("0.001"), market_min_qty=D("0.002"), market_max_qty=D("50")
    ),
    quote_precision=D("0.01"),
    min_notional=MinNotional(D("0.1")),
    trade_amount=TradeAmount(
        min_amount=D("0.1"), max_amount=D("1000000"), market_min_amount=D("1"), market_max_amount=D("500000")
    ),
    limit_trading=PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.1"), max_open_orders=20),
    market_trading=PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.1")),
)

# Token-Fiat: every fee in the quote asset, so buys pay their fee on top of what they spend.
BTCUSD = Instrument(
    symbol="BTCUSD",
    base_asset="BTC",
    quote_asset="USD",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(min_qty=D("0.001"), max_qty=D("100"), step_size=D("0.001")),
    quote_precision=D("0.01"),
    limit_trading=PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.1"), max_open_orders=50),
)

MAKER_RATE = D("0.001")
TAKER_RATE = D("0.002")

START = {"BTC": D("100"), "USDT": D("1000000"), "USD": D("1000000")}


def make_engine(
    *, seed: int = 7, accounts: tuple[str, ...] = ("alice", "bob", "carol"), history_limit: int = 20_000
) -> MatchingEngine:
    engine = MatchingEngine(
        [BTCUSDT, BTCUSD],
        [
            FeeSchedule.token_token(BTCUSDT, MAKER_RATE, TAKER_RATE),
            FeeSchedule.token_fiat(BTCUSD, MAKER_RATE, TAKER_RATE),
        ],
        id_seed=seed,
        history_limit=history_limit,
    )
    for account in accounts:
        engine.open_account(account, START)
    return engine


def limit(
    side: Side,
    price: str,
    qty: str,
    *,
    symbol: str = "BTCUSDT",
    tif: TimeInForce | None = None,
    client_id: str | None = None,
    stp: StpMode | None = None,
) -> OrderRequest:
    return OrderRequest(
        symbol,
        side,
        OrderType.LIMIT,
        quantity=D(qty),
        price=D(price),
        time_in_force=tif,
        client_order_id=client_id,
        stp_mode=stp,
    )


def maker(side: Side, price: str, qty: str, *, symbol: str = "BTCUSDT") -> OrderRequest:
    return OrderRequest(symbol, side, OrderType.LIMIT_MAKER, quantity=D(qty), price=D(price))


def market(
    side: Side,
    *,
    qty: str | None = None,
    amount: str | None = None,
    symbol: str = "BTCUSDT",
    stp: StpMode | None = None,
) -> OrderRequest:
    return OrderRequest(
        symbol,
        side,
        OrderType.MARKET,
        quantity=D(qty) if qty else None,
        amount=D(amount) if amount else None,
        stp_mode=stp,
    )
