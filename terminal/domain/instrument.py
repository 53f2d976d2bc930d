"""A tradable symbol and every trading rule the venue attaches to it (004, "Get Exchange Information").

Each filter of the source document is a dataclass; a venue without a given rule leaves it None.
Fields the document marks "Depreciated, no longer in-use" are kept (they are on the wire) but
are not enforced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from terminal.domain.decimals import ONE, ZERO, mul
from terminal.domain.enums import OrderType, Side, SymbolStatus, TimeInForce


@dataclass(frozen=True, slots=True)
class PriceFilter:
    """PRICE_FILTER: prices are multiples of ``tick_size``. min/max price are deprecated.

    Where the tick depends on the price (a stock exchange's spread table, e.g. HKEX), ``ladder``
    holds the bands as (highest price of the band, its tick), ascending, and ``top_tick`` the tick
    above the last band; ``tick_size`` is then the tick at the price the instrument was loaded at.
    """

    tick_size: Decimal
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    ladder: tuple[tuple[Decimal, Decimal], ...] = ()
    top_tick: Decimal | None = None

    def tick_at(self, price: Decimal) -> Decimal:
        """The tick a price of ``price`` must be a multiple of."""
        if not self.ladder:
            return self.tick_size
        for upper, tick in self.ladder:
            if price <= upper:
                return tick
        return self.top_tick if self.top_tick is not None else self.ladder[-1][1]


@dataclass(frozen=True, slots=True)
class LotSize:
    """LOT_SIZE: quantity bounds and step; separate bounds for market orders."""

    min_qty: Decimal
    max_qty: Decimal
    step_size: Decimal
    market_min_qty: Decimal | None = None
    market_max_qty: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MinNotional:
    """MIN_NOTIONAL: price x quantity of a limit order must reach ``min_notional``."""

    min_notional: Decimal


@dataclass(frozen=True, slots=True)
class TradeAmount:
    """TRADE_AMOUNT: turnover bounds for limit orders and cash-amount bounds for market orders."""

    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    market_min_amount: Decimal | None = None
    market_max_amount: Decimal | None = None
    min_buy_price: Decimal | None = None  # deprecated in the source document


@dataclass(frozen=True, slots=True)
class PriceBand:
    """LIMIT_TRADING / MARKET_TRADING: how far from the reference (mark) price an order may go.

    A buy may not be priced above ``reference * (1 + buy_up_rate)`` and a sell not below
    ``reference * (1 - sell_down_rate)``.
    """

    buy_up_rate: Decimal | None = None
    sell_down_rate: Decimal | None = None
    max_open_orders: int | None = None  # LIMIT_TRADING.maxEntrustNum
    max_sell_price: Decimal | None = None  # deprecated in the source document

    def buy_ceiling(self, reference: Decimal) -> Decimal | None:
        if self.buy_up_rate is None or self.buy_up_rate <= 0:
            return None
        return mul(reference, ONE + self.buy_up_rate)

    def sell_floor(self, reference: Decimal) -> Decimal | None:
        if self.sell_down_rate is None or self.sell_down_rate <= 0:
            return None
        return mul(reference, ONE - self.sell_down_rate)


@dataclass(frozen=True, slots=True)
class OpenQuote:
    """OPEN_QUOTE: windows around a listing's opening (ms epoch; 0 means "not set").

    Between ``no_market_start`` and ``no_market_end`` market orders are refused; between
    ``limit_start`` and ``limit_end`` limit prices must lie within [limit_min_price, limit_max_price].
    """

    no_market_start: int = 0
    no_market_end: int = 0
    limit_start: int = 0
    limit_end: int = 0
    limit_min_price: Decimal = ZERO
    limit_max_price: Decimal = ZERO

    def market_blocked(self, now_ms: int) -> bool:
        return self.no_market_end > 0 and self.no_market_start <= now_ms < self.no_market_end

    def limit_window_active(self, now_ms: int) -> bool:
        return self.limit_end > 0 and self.limit_start <= now_ms < self.limit_end


# Which time-in-force each order type accepts (004, "Create Order v1.1", timeInForce):
# "GTC" for Limit & Limit maker, "IOC" for Limit & Market, "FOK" for Limit.
# The stock types (Longbridge's ELO, AO, ALO, ODD, SLO) live only on stock venues, whose instruments
# state their own rules (``Instrument.time_in_force_rules``); these entries are the fallback: an
# auction order or a special limit lives for the day at most, the others may also stay until cancelled.
ALLOWED_TIME_IN_FORCE: dict[OrderType, tuple[TimeInForce, ...]] = {
    OrderType.LIMIT: (TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK),
    OrderType.MARKET: (TimeInForce.IOC,),
    OrderType.LIMIT_MAKER: (TimeInForce.GTC,),
    OrderType.ENHANCED_LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.AT_AUCTION: (TimeInForce.DAY,),
    OrderType.AT_AUCTION_LIMIT: (TimeInForce.DAY,),
    OrderType.ODD_LOT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.SPECIAL_LIMIT: (TimeInForce.DAY,),
}

DEFAULT_TIME_IN_FORCE: dict[OrderType, TimeInForce] = {
    OrderType.LIMIT: TimeInForce.GTC,
    OrderType.MARKET: TimeInForce.IOC,
    OrderType.LIMIT_MAKER: TimeInForce.GTC,
    OrderType.ENHANCED_LIMIT: TimeInForce.DAY,
    OrderType.AT_AUCTION: TimeInForce.DAY,
    OrderType.AT_AUCTION_LIMIT: TimeInForce.DAY,
    OrderType.ODD_LOT: TimeInForce.DAY,
    OrderType.SPECIAL_LIMIT: TimeInForce.DAY,
}


@dataclass(frozen=True, slots=True)
class Instrument:
    """A symbol with its assets, precisions and trading rules."""

    symbol: str
    base_asset: str
    quote_asset: str
    price_filter: PriceFilter
    lot_size: LotSize
    status: SymbolStatus = SymbolStatus.TRADING
    name: str = ""
    base_precision: Decimal | None = None
    quote_precision: Decimal | None = None
    min_notional: MinNotional | None = None
    trade_amount: TradeAmount | None = None
    limit_trading: PriceBand | None = None
    market_trading: PriceBand | None = None
    open_quote: OpenQuote | None = None
    order_types: tuple[OrderType, ...] = (OrderType.LIMIT, OrderType.MARKET, OrderType.LIMIT_MAKER)
    group: str = ""  # the venue's market and submarket ("Derived / Continuous Indices"), for grouping lists
    # The venue's own time-in-force rules per order type, first the default; empty: ALLOWED_TIME_IN_FORCE.
    time_in_force_rules: dict[OrderType, tuple[TimeInForce, ...]] = field(
        default_factory=dict, compare=False, hash=False
    )
    # Client-type permissions and unused flags from exchangeInfo, kept for display.
    flags: dict[str, bool] = field(default_factory=dict, compare=False, hash=False)

    @property
    def tick_size(self) -> Decimal:
        return self.price_filter.tick_size

    @property
    def step_size(self) -> Decimal:
        return self.lot_size.step_size

    @property
    def is_trading(self) -> bool:
        return self.status is SymbolStatus.TRADING

    @property
    def max_open_orders(self) -> int | None:
        return self.limit_trading.max_open_orders if self.limit_trading else None

    @property
    def amount_step(self) -> Decimal:
        """Step of a market order's quote amount: the quote asset's precision, else the tick."""
        return self.quote_precision or self.tick_size

    def quantity_step(self, order_type: OrderType) -> Decimal:
        """What an order's quantity is a multiple of: one share for an odd lot (1 to lot - 1 shares),
        else the step (a stock's board lot)."""
        return Decimal(1) if order_type is OrderType.ODD_LOT else self.step_size

    def time_in_force_for(self, order_type: OrderType) -> tuple[TimeInForce, ...]:
        if order_type not in self.order_types:
            return ()
        return self.time_in_force_rules.get(order_type, ALLOWED_TIME_IN_FORCE[order_type])

    def default_time_in_force(self, order_type: OrderType) -> TimeInForce:
        """What an order of ``order_type`` is sent with when the user picks nothing."""
        own = self.time_in_force_rules.get(order_type)
        return own[0] if own else DEFAULT_TIME_IN_FORCE[order_type]

    def tick_at(self, price: Decimal) -> Decimal:
        """The tick at ``price``: one tick, or the band of the venue's spread table that holds it."""
        return self.price_filter.tick_at(price)

    def spends(self, side: Side) -> str:
        """The asset an order of ``side`` locks: quote for buys, base for sells."""
        return self.quote_asset if side is Side.BUY else self.base_asset
