"""The demo exchange's symbols: realistic HashKey-style filters, fee schedules and opening prices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.demo.fees import FeeSchedule
from terminal.domain.instrument import (
    Instrument,
    LotSize,
    MinNotional,
    OpenQuote,
    PriceBand,
    PriceFilter,
    TradeAmount,
)

D = Decimal


@dataclass(frozen=True, slots=True)
class Listing:
    """One symbol as the demo lists it: rules, fees, where its price starts and how it moves."""

    instrument: Instrument
    fees: FeeSchedule
    start_price: Decimal
    annual_volatility: float  # of the latent price process
    typical_qty: Decimal  # size of a typical taker order, for the simulated market


def _instrument(
    symbol: str,
    base: str,
    quote: str,
    *,
    tick: str,
    step: str,
    min_qty: str,
    max_qty: str,
    min_amount: str,
    max_amount: str,
    quote_precision: str,
) -> Instrument:
    return Instrument(
        symbol=symbol,
        name=symbol,
        base_asset=base,
        quote_asset=quote,
        base_precision=D(step),
        quote_precision=D(quote_precision),
        price_filter=PriceFilter(tick_size=D(tick), min_price=D(tick), max_price=D("10000000")),
        lot_size=LotSize(
            min_qty=D(min_qty),
            max_qty=D(max_qty),
            step_size=D(step),
            market_min_qty=D(min_qty),
            market_max_qty=D(max_qty) / 2,
        ),
        min_notional=MinNotional(D(min_amount)),
        trade_amount=TradeAmount(
            min_amount=D(min_amount),
            max_amount=D(max_amount),
            market_min_amount=D(min_amount),
            market_max_amount=D(max_amount) / 2,
            min_buy_price=D(0),
        ),
        limit_trading=PriceBand(
            buy_up_rate=D("0.1"), sell_down_rate=D("0.1"), max_open_orders=300, max_sell_price=D(0)
        ),
        market_trading=PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.1")),
        open_quote=OpenQuote(),
        flags={"retailAllowed": True, "piAllowed": True, "corporateAllowed": True, "omnibusAllowed": True},
    )


def _token(instrument: Instrument, rate: str) -> FeeSchedule:
    return FeeSchedule.token_token(instrument, D(rate), D(rate))


def _fiat(instrument: Instrument, rate: str) -> FeeSchedule:
    return FeeSchedule.token_fiat(instrument, D(rate), D(rate))


def _listings() -> tuple[Listing, ...]:
    btc = _instrument(
        "BTCUSDT", "BTC", "USDT", tick="0.01", step="0.00001", min_qty="0.0001", max_qty="100",
        min_amount="1", max_amount="5000000", quote_precision="0.00000001",
    )  # fmt: skip
    eth = _instrument(
        "ETHUSDT", "ETH", "USDT", tick="0.01", step="0.0001", min_qty="0.001", max_qty="2000",
        min_amount="1", max_amount="5000000", quote_precision="0.00000001",
    )  # fmt: skip
    sol = _instrument(
        "SOLUSDT", "SOL", "USDT", tick="0.01", step="0.001", min_qty="0.01", max_qty="50000",
        min_amount="1", max_amount="2000000", quote_precision="0.00000001",
    )  # fmt: skip
    ethbtc = _instrument(
        "ETHBTC", "ETH", "BTC", tick="0.00001", step="0.0001", min_qty="0.001", max_qty="2000",
        min_amount="0.00001", max_amount="100", quote_precision="0.00000001",
    )  # fmt: skip
    usdt = _instrument(
        "USDTUSD", "USDT", "USD", tick="0.0001", step="0.01", min_qty="1", max_qty="5000000",
        min_amount="1", max_amount="5000000", quote_precision="0.01",
    )  # fmt: skip
    hsk = _instrument(
        "HSKUSDT", "HSK", "USDT", tick="0.0001", step="0.01", min_qty="1", max_qty="2000000",
        min_amount="1", max_amount="1000000", quote_precision="0.00000001",
    )  # fmt: skip
    return (
        Listing(btc, _token(btc, "0.0015"), D("95000.00"), 0.55, D("0.02")),
        Listing(eth, _token(eth, "0.0015"), D("3200.00"), 0.70, D("0.4")),
        Listing(sol, _token(sol, "0.0015"), D("180.00"), 0.90, D("8")),
        Listing(ethbtc, _token(ethbtc, "0.0015"), D("0.03370"), 0.45, D("0.4")),
        Listing(usdt, _fiat(usdt, "0.0015"), D("1.0002"), 0.01, D("2500")),
        Listing(hsk, _token(hsk, "0.0012"), D("0.5500"), 1.10, D("2500")),
    )


LISTINGS: tuple[Listing, ...] = _listings()
DEFAULT_SYMBOLS: tuple[str, ...] = tuple(listing.instrument.symbol for listing in LISTINGS)

# What a new demo user holds (the example, plus USD so that every pair can be traded).
DEFAULT_BALANCES: dict[str, Decimal] = {"USDT": D(100_000), "BTC": D(2), "ETH": D(20), "USD": D(10_000)}


def listings(symbols: tuple[str, ...] | None = None) -> tuple[Listing, ...]:
    """The listings of ``symbols`` (all by default), in catalog order; unknown names are an error."""
    if symbols is None:
        return LISTINGS
    known = {listing.instrument.symbol: listing for listing in LISTINGS}
    unknown = [s for s in symbols if s not in known]
    if unknown:
        raise ValueError(f"unknown demo symbols {', '.join(unknown)}; choose from {', '.join(known)}")
    return tuple(known[s] for s in symbols)


def assets(chosen: tuple[Listing, ...]) -> list[str]:
    """Every asset the chosen symbols trade, in first-seen order."""
    out: list[str] = []
    for listing in chosen:
        for asset in (listing.instrument.base_asset, listing.instrument.quote_asset):
            if asset not in out:
                out.append(asset)
    return out
