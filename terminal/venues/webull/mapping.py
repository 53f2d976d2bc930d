"""Webull's answers (stock profiles, snapshots, depth, bars, orders, balances, positions) as domain objects.

Every number is parsed once, as a Decimal; an answer of the wrong shape raises ``MalformedResponse``
naming the field.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from terminal.domain.balance import Balance
from terminal.domain.book import BookSide, OrderBook
from terminal.domain.decimals import ZERO, quantize
from terminal.domain.enums import OrderStatus, OrderType, Side, SymbolStatus, TimeInForce
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.domain.intervals import Interval
from terminal.domain.market import BookTicker, Candle, Level, Ticker
from terminal.domain.orders import Fill, Order, OrderUpdate
from terminal.domain.securities import BrokerageAccount, OrderPreview, Position
from terminal.domain.tick_tables import hk_price_filter, us_price_filter
from terminal.venues.wire import WireObject, malformed

_MAX_QTY = Decimal(1_000_000_000)


# Webull's time in force (the SDK's webull/trade/common/order_tif.py: DAY, GTC): a limit order may
# rest until the end of the day or until cancelled, a market order is a DAY order. First: the default.
TIME_IN_FORCE_RULES: dict[OrderType, tuple[TimeInForce, ...]] = {
    OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
    OrderType.MARKET: (TimeInForce.DAY,),
}

# Interval -> BatchBarRequest.timespan (the SDK's webull/data/common/timespan.py).
TIMESPANS: dict[Interval, str] = {
    Interval.M1: "M1",
    Interval.M5: "M5",
    Interval.M15: "M15",
    Interval.M30: "M30",
    Interval.H1: "M60",
    Interval.H2: "M120",
    Interval.H4: "M240",
    Interval.D1: "D",
    Interval.W1: "W",
    Interval.MONTH: "M",
}

# OrderListItem.status -> domain status; CANCELLED with fills becomes PARTIALLY_CANCELED.
_STATUSES: dict[str, OrderStatus] = {
    "PENDING": OrderStatus.PENDING_NEW,
    "SUBMITTED": OrderStatus.NEW,
    "PARTIAL_FILLED": OrderStatus.PARTIALLY_FILLED,
    "FILLED": OrderStatus.FILLED,
    "CANCELLED": OrderStatus.CANCELED,
    "FAILED": OrderStatus.REJECTED,
}
# ENHANCED_LIMIT is Hong Kong's limit order (HK takes MARKET and ENHANCED_LIMIT, not LIMIT).
_ORDER_TYPES: dict[str, OrderType] = {
    "LIMIT": OrderType.LIMIT,
    "ENHANCED_LIMIT": OrderType.LIMIT,
    "MARKET": OrderType.MARKET,
}


def price_filter(category: str, price: Decimal | None) -> PriceFilter:
    """The price rule of a stock of ``category``: HKEX's spread table or the US sub-dollar rule, with
    ``tick_size`` the tick at ``price`` (the price it was loaded at; the profile answer carries none)."""
    return hk_price_filter(price) if category == "HK_STOCK" else us_price_filter(price)


def market_of(instrument: Instrument) -> str:
    """The ``market`` an order for ``instrument`` carries: HK or US (kept in ``group``)."""
    return "HK" if instrument.group == "HK_STOCK" else "US"


def epoch_ms(obj: WireObject, key: str) -> int:
    """A time in milliseconds, sent as a number or as digits."""
    return obj.integer(key)


def iso_ms(text: str, path: str) -> int:
    """``2021-12-28T09:00:09.945+0000`` (bars) or ``...Z`` as epoch milliseconds."""
    value = text.replace("Z", "+0000")
    for layout in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return round(datetime.strptime(value, layout).timestamp() * 1000)
        except ValueError:
            continue
    raise malformed(path, f"is not a time: {text!r:.40}")


# -- reference data ------------------------------------------------------------------------------


def page_rows(data: object, path: str) -> tuple[list[WireObject], str | None]:
    """The rows of a list answer, in the paged ``{data, pagination_key}`` form or the older bare list."""
    if isinstance(data, list):
        return WireObject.items(data, path), None
    page = WireObject(data, path)
    rows = WireObject.items(page.raw.get("data") or [], f"{path}.data")
    key = page.opt_text("pagination_key") or None
    return rows, key


def instrument(row: WireObject, price: Decimal | None = None) -> Instrument:
    """A stock profile (InstrumentStockDetailVO); ``price`` picks the tick of HK's ladder."""
    symbol = row.text("symbol")
    category = row.text("category")
    lot = row.opt_decimal("lot_size") or Decimal(1)
    if lot <= 0:
        raise malformed(f"{row.path}.lot_size", "should be positive")
    hk = category == "HK_STOCK"
    return Instrument(
        symbol=symbol,
        base_asset=symbol,
        quote_asset=row.text("currency"),
        price_filter=price_filter(category, price),
        lot_size=LotSize(min_qty=lot, max_qty=_MAX_QTY, step_size=lot),
        status=SymbolStatus.TRADING,
        name=row.opt_text("name"),
        base_precision=lot,
        order_types=(OrderType.LIMIT, OrderType.MARKET),
        group=category,
        time_in_force_rules=dict(TIME_IN_FORCE_RULES),
        flags={
            "shortable": row.flag("shortable", False),
            "fractionable": row.flag("fractionable", False),
            "marginable": row.flag("marginable", False),
            "hk": hk,
        },
    )


def account(row: WireObject) -> BrokerageAccount:
    """One entry of the account list (AccountListResult); it names no currency."""
    return BrokerageAccount(
        account_id=row.text("account_id"),
        label=row.opt_text("account_label") or row.opt_text("account_number"),
        kind=row.opt_text("account_type"),
    )


def accounts(data: object) -> list[BrokerageAccount]:
    rows, _ = page_rows(data, "accounts")
    return [account(row) for row in rows]


# -- market data ---------------------------------------------------------------------------------


def ticker(row: WireObject) -> Ticker:
    """A snapshot (SnapshotVo) as session statistics: open, high and low are today's."""
    last = row.decimal("price")
    return Ticker(
        symbol=row.text("symbol"),
        time_ms=row.opt_integer("last_trade_time"),
        last=last,
        open=row.opt_decimal("open") or last,
        high=row.opt_decimal("high") or last,
        low=row.opt_decimal("low") or last,
        volume=row.opt_decimal("volume") or ZERO,
        quote_volume=ZERO,  # not in the snapshot
        best_bid=row.opt_decimal("bid"),
        best_ask=row.opt_decimal("ask"),
    )


def book_ticker(row: WireObject) -> BookTicker:
    return BookTicker(
        symbol=row.text("symbol"),
        bid=row.opt_decimal("bid"),
        bid_qty=row.opt_decimal("bid_size") or ZERO,
        ask=row.opt_decimal("ask"),
        ask_qty=row.opt_decimal("ask_size") or ZERO,
        time_ms=row.opt_integer("last_trade_time"),
    )


def snapshots(data: object) -> list[WireObject]:
    return WireObject.items(data, "snapshots")


def _levels(rows: list[WireObject]) -> tuple[Level, ...]:
    return tuple((row.decimal("price"), row.decimal("size")) for row in rows)


def order_book(data: object) -> OrderBook:
    """A depth answer: bids best first, asks best first."""
    answer = WireObject(data, "depth")
    bids = sorted(_levels(answer.objects("bids")), key=lambda level: level[0], reverse=True)
    asks = sorted(_levels(answer.objects("asks")), key=lambda level: level[0])
    time_ms = answer.opt_integer("quote_time")
    return OrderBook(answer.text("symbol"), BookSide.of(bids), BookSide.of(asks), time_ms, str(time_ms))


def candles(data: object, symbol: str) -> list[Candle]:
    """The bars of ``symbol`` in a batch-bars answer, oldest first."""
    groups = WireObject.items(data, "bars") if isinstance(data, list) else WireObject(data, "bars").objects("result")
    for group in groups:
        if group.text("symbol") != symbol:
            continue
        rows = group.objects("result")
        result = [
            Candle(
                open_time_ms=iso_ms(row.text("time"), f"{row.path}.time"),
                open=row.decimal("open"),
                high=row.decimal("high"),
                low=row.decimal("low"),
                close=row.decimal("close"),
                volume=row.opt_decimal("volume") or ZERO,
            )
            for row in rows
        ]
        return sorted(result, key=lambda candle: candle.open_time_ms)
    return []


# -- account -------------------------------------------------------------------------------------


def balances(data: object) -> list[Balance]:
    """Cash per currency (AssetsBalanceResult): free is cash less what open orders hold."""
    answer = WireObject(data, "balance")
    result = []
    for asset in answer.objects("account_currency_assets"):
        cash = asset.decimal("cash_balance")
        locked = asset.opt_decimal("frozen_amount") or ZERO
        result.append(Balance(asset=asset.text("currency"), free=cash - locked, locked=locked, total=cash))
    return result


# Quantity fields that, where an answer carries one, say what of a holding may be sold now.
_AVAILABLE_FIELDS = ("available_quantity", "sellable_quantity", "available_qty")


def position(row: WireObject, currency: str = "") -> Position:
    """One holding (AssetsPositionResult); ``currency`` where the row names none (the account's)."""
    available = None
    for name in _AVAILABLE_FIELDS:
        available = row.opt_decimal(name)
        if available is not None:
            break
    return Position(
        symbol=row.text("symbol"),
        quantity=row.decimal("quantity"),
        cost_price=row.opt_decimal("cost_price") or ZERO,
        last_price=row.opt_decimal("last_price") or ZERO,
        market_value=row.opt_decimal("market_value") or ZERO,
        currency=row.opt_text("currency") or currency,
        available=available,
    )


def positions(data: object, currency: str = "") -> list[Position]:
    rows, _ = page_rows(data, "positions")
    return [position(row, currency) for row in rows]


def position_balance(held: Position) -> Balance:
    """A holding as a balance of its symbol, so a sell ticket can check what it may sell: free is what
    may be sold now, locked the rest (shares resting sell orders already promise)."""
    free = min(max(held.sellable, ZERO), held.quantity)
    return Balance.of(held.symbol, free, held.quantity - free)


def account_balances(cash: list[Balance], held: list[Position]) -> tuple[Balance, ...]:
    """Cash per currency, then each holding as a balance of its symbol (complete: nothing else is held)."""
    return (*cash, *(position_balance(item) for item in held))


def _scalar_text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def preview(data: object, currency: str = "") -> OrderPreview:
    """OrderCommonPreviewResult: the estimated cost and fee; further scalar figures as details."""
    answer = WireObject(data, "preview")
    known = {"estimated_cost", "estimated_transaction_fee", "currency"}
    details = tuple(
        (name, _scalar_text(value))
        for name, value in answer.raw.items()
        if name not in known and isinstance(value, str | int | float | bool) and value != ""
    )
    return OrderPreview(
        estimated_cost=answer.decimal("estimated_cost"),
        estimated_fee=answer.opt_decimal("estimated_transaction_fee") or ZERO,
        currency=answer.opt_text("currency") or currency,
        details=details,
    )


# -- orders --------------------------------------------------------------------------------------


def order_item(group: WireObject) -> WireObject:
    """The single order of a NORMAL order group (OrderListResult)."""
    items = group.objects("orders")
    if not items:
        raise malformed(f"{group.path}.orders", "is empty")
    return items[0]


def order_groups(data: object, path: str) -> tuple[list[WireObject], str | None]:
    return page_rows(data, path)


def _status(item: WireObject, filled: Decimal) -> OrderStatus:
    wire = item.text("status")
    status = _STATUSES.get(wire)
    if status is None:
        raise malformed(f"{item.path}.status", f"has an unknown value {wire!r:.40}")
    if status is OrderStatus.CANCELED and filled > 0:
        return OrderStatus.PARTIALLY_CANCELED
    return status


def _time_in_force(item: WireObject) -> TimeInForce:
    """GTC as such; DAY, Webull's default, for DAY or an order that names none."""
    return TimeInForce.GTC if item.opt_text("time_in_force") == "GTC" else TimeInForce.DAY


def order(group: WireObject) -> Order:
    """An order group's order as the domain's ``Order``."""
    item = order_item(group)
    filled = item.opt_decimal("filled_quantity") or ZERO
    avg = item.opt_decimal("filled_price") or ZERO
    status = _status(item, filled)
    wire_type = item.text("order_type")
    kind = _ORDER_TYPES.get(wire_type)
    if kind is None:
        raise malformed(f"{item.path}.order_type", f"has an unknown value {wire_type!r:.40}")
    placed = item.opt_integer("place_time")
    return Order(
        symbol=item.text("symbol"),
        side=item.enum("side", Side),
        type=kind,
        client_order_id=item.opt_text("client_order_id") or group.text("client_order_id"),
        quantity=item.decimal("total_quantity"),
        price=item.opt_decimal("limit_price") if kind is OrderType.LIMIT else None,
        time_in_force=_time_in_force(item),
        order_id=item.opt_text("order_id") or None,
        venue_status=status,
        local_status=status,
        executed_qty=filled,
        cumulative_quote_qty=filled * avg,
        avg_price=avg,
        created_ms=placed,
        updated_ms=item.opt_integer("filled_time", placed),
        reject_reason=item.opt_text("reject_reason") if status is OrderStatus.REJECTED else "",
    )


def order_update(placed: Order) -> OrderUpdate:
    """The report of an order as the session's order manager takes it."""
    status = placed.venue_status or OrderStatus.NEW
    return OrderUpdate(
        client_order_id=placed.client_order_id,
        status=status,
        executed_qty=placed.executed_qty,
        cumulative_quote_qty=placed.cumulative_quote_qty,
        order_id=placed.order_id,
        avg_price=placed.avg_price or None,
        update_ms=placed.updated_ms,
    )


def fill_of(placed: Order, currency: str = "") -> Fill | None:
    """What an order executed, as one aggregated fill (Webull lists no executions over this API)."""
    return fill_increment(placed, ZERO, ZERO, currency)


def fill_increment(
    placed: Order,
    before_qty: Decimal,
    before_quote: Decimal,
    currency: str = "",
    instrument: Instrument | None = None,
) -> Fill | None:
    """What ``placed`` executed since it had executed ``before_qty`` for ``before_quote``, as one
    aggregated fill (this API lists no single executions); None when nothing more executed.

    The increment's price comes from the cumulative amounts. Webull writes the average price rounded,
    so a price derived from two averages is brought to the instrument's tick at that price; where no
    sensible price can be derived, the order's average price is used."""
    quantity = placed.executed_qty - before_qty
    if quantity <= 0 or placed.order_id is None:
        return None
    price = placed.avg_price
    if before_qty > 0:
        derived = (placed.cumulative_quote_qty - before_quote) / quantity
        if instrument is not None and derived > 0:
            derived = quantize(derived, instrument.tick_at(derived), ROUND_HALF_EVEN)
        if derived > 0:
            price = derived
    return Fill(
        trade_id=f"{placed.order_id}:{placed.executed_qty}",
        order_id=placed.order_id,
        client_order_id=placed.client_order_id,
        symbol=placed.symbol,
        side=placed.side,
        price=price,
        quantity=quantity,
        commission=ZERO,
        commission_asset=currency,
        time_ms=placed.updated_ms,
        is_maker=False,
    )


def write_result(data: object, path: str) -> tuple[str, str]:
    """(client_order_id, order_id) of a place/replace/cancel answer (OrderCommonWriteResult)."""
    answer = WireObject(data, path)
    return answer.text("client_order_id"), answer.opt_text("order_id")
