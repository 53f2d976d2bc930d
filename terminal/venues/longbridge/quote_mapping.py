"""The Longbridge SDK's quote objects (static info, depth, trades, quotes, candlesticks) as domain objects.

The SDK already parses the wire into ``Decimal`` and ``datetime``; this module only reshapes them, and
maps ``OpenApiException`` onto the venue error tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from longbridge.openapi import OpenApiException, Period, TradeDirection

from terminal.domain.book import BookSide, OrderBook
from terminal.domain.enums import OrderType, SymbolStatus, TimeInForce
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.domain.intervals import Interval
from terminal.domain.market import BookTicker, Candle, Level, PublicTrade, Ticker
from terminal.domain.tick_tables import hk_price_filter, us_price_filter
from terminal.venues.errors import InvalidRequest, ServerError, VenueError, VenueUnavailable
from terminal.venues.longbridge.errors import spec_for

_MAX_QTY = Decimal(1_000_000_000)


# Longbridge's order types per market (OpenAPI "Order Type": LO, ELO, MO, AO, ALO, ODD, SLO; the HK
# market takes ELO, AO, ALO, ODD and SLO, and no market order; the US market LO and MO).
HK_ORDER_TYPES: tuple[OrderType, ...] = (
    OrderType.LIMIT,
    OrderType.ENHANCED_LIMIT,
    OrderType.AT_AUCTION,
    OrderType.AT_AUCTION_LIMIT,
    OrderType.ODD_LOT,
    OrderType.SPECIAL_LIMIT,
)
US_ORDER_TYPES: tuple[OrderType, ...] = (OrderType.LIMIT, OrderType.MARKET)
# Limit orders may rest for the day or until cancelled; first: the default. The other types keep the
# domain's own rules (DAY).
TIME_IN_FORCE_RULES: dict[OrderType, tuple[TimeInForce, ...]] = {
    OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.ENHANCED_LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
}

PERIODS: dict[Interval, Any] = {
    Interval.M1: Period.Min_1,
    Interval.M3: Period.Min_3,
    Interval.M5: Period.Min_5,
    Interval.M15: Period.Min_15,
    Interval.M30: Period.Min_30,
    Interval.H1: Period.Min_60,
    Interval.H2: Period.Min_120,
    Interval.H4: Period.Min_240,
    Interval.D1: Period.Day,
    Interval.W1: Period.Week,
    Interval.MONTH: Period.Month,
}


def period_for(interval: Interval) -> Any:
    """The SDK's ``Period`` of ``interval``; InvalidRequest for one Longbridge does not serve (6h, 8h, 12h)."""
    try:
        return PERIODS[interval]
    except KeyError:
        raise InvalidRequest("", f"Longbridge has no {interval} candles") from None


def interval_for(period: object) -> Interval | None:
    for interval, known in PERIODS.items():
        if known == period:
            return interval
    return None


def market_of(symbol: str) -> str:
    """ "700.HK" -> "HK"; "AAPL.US" -> "US"."""
    return symbol.rsplit(".", 1)[-1].upper() if "." in symbol else ""


def price_filter(market: str, price: Decimal | None = None) -> PriceFilter:
    """HKEX's spread table, or the US cent with 0.0001 below one dollar. ``tick_size`` is the tick at
    ``price`` (the last price: what the ladder's rows step by), else the finest; ``tick_at(price)``
    gives any price's own tick."""
    return hk_price_filter(price) if market == "HK" else us_price_filter(price)


def instrument(info: Any, price: Decimal | None = None) -> Instrument:
    """A ``SecurityStaticInfo`` as an instrument: board lot, currency, name, tick rule and order types."""
    symbol = str(info.symbol)
    market = market_of(symbol)
    lot = Decimal(int(info.lot_size) or 1)
    name = str(info.name_en or info.name_hk or info.name_cn or "")
    return Instrument(
        symbol=symbol,
        base_asset=symbol,
        quote_asset=str(info.currency),
        price_filter=price_filter(market, price),
        lot_size=LotSize(min_qty=lot, max_qty=_MAX_QTY, step_size=lot),
        status=SymbolStatus.TRADING,
        name=name,
        base_precision=lot,
        order_types=HK_ORDER_TYPES if market == "HK" else US_ORDER_TYPES,
        group=market,
        time_in_force_rules=dict(TIME_IN_FORCE_RULES),
        flags={"hk": market == "HK"},
    )


def epoch_ms(moment: dt.datetime) -> int:
    """The SDK's datetimes (aware, or naive UTC) as epoch milliseconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return round(moment.timestamp() * 1000)


def levels(rows: Sequence[Any]) -> tuple[Level, ...]:
    """Depth rows, best first, without the empty positions the SDK reports with no price."""
    ordered = sorted(rows, key=lambda row: int(row.position))
    return tuple((Decimal(row.price), Decimal(int(row.volume))) for row in ordered if row.price is not None)


def book(symbol: str, depth: Any, time_ms: int) -> OrderBook:
    """A ``SecurityDepth`` or ``PushDepth`` as a whole top-of-book (the SDK hands over both sides each time)."""
    return OrderBook(symbol, BookSide.of(levels(depth.bids)), BookSide.of(levels(depth.asks)), time_ms)


def book_ticker(order_book: OrderBook) -> BookTicker:
    bid = order_book.bids[0] if len(order_book.bids) else None
    ask = order_book.asks[0] if len(order_book.asks) else None
    return BookTicker(
        symbol=order_book.symbol,
        bid=bid[0] if bid else None,
        bid_qty=bid[1] if bid else Decimal(0),
        ask=ask[0] if ask else None,
        ask_qty=ask[1] if ask else Decimal(0),
        time_ms=order_book.time_ms,
    )


def trade(symbol: str, row: Any) -> PublicTrade:
    """A ``Trade``. Direction Up: the buyer took the offer (the seller was the maker); Down: the seller
    hit the bid; Neutral is counted as a buy."""
    return PublicTrade(
        symbol=symbol,
        time_ms=epoch_ms(row.timestamp),
        price=Decimal(row.price),
        quantity=Decimal(int(row.volume)),
        buyer_is_maker=row.direction == TradeDirection.Down,
    )


def ticker(symbol: str, quote: Any, best_bid: Decimal | None = None, best_ask: Decimal | None = None) -> Ticker:
    """A ``SecurityQuote`` or ``PushQuote`` (volume and turnover of the day so far)."""
    return Ticker(
        symbol=symbol,
        time_ms=epoch_ms(quote.timestamp),
        last=Decimal(quote.last_done),
        open=Decimal(quote.open),
        high=Decimal(quote.high),
        low=Decimal(quote.low),
        volume=Decimal(int(quote.volume)),
        quote_volume=Decimal(quote.turnover),
        best_bid=best_bid,
        best_ask=best_ask,
    )


def candle(row: Any) -> Candle:
    return Candle(
        open_time_ms=epoch_ms(row.timestamp),
        open=Decimal(row.open),
        high=Decimal(row.high),
        low=Decimal(row.low),
        close=Decimal(row.close),
        volume=Decimal(int(row.volume)),
        quote_volume=Decimal(row.turnover),
    )


def venue_error(exc: BaseException) -> VenueError:
    """An SDK failure as the venue error tree. ``OpenApiException`` carries Longbridge's code (the
    documented ones via ``errors.spec_for``) or none at all for a transport failure."""
    if isinstance(exc, VenueError):
        return exc
    if isinstance(exc, OpenApiException):
        code = getattr(exc, "code", None)
        message = str(getattr(exc, "message", "") or exc) or "Longbridge quote request failed"
        if isinstance(code, int) and code:
            spec = spec_for(code)
            if spec is not None:
                return spec.kind(str(code), message)
            return InvalidRequest(str(code), message) if code < 500000 else ServerError(str(code), message)
        return VenueUnavailable("", message)
    return VenueUnavailable("", f"Longbridge quotes failed: {exc}")
