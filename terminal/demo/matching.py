"""Crossing an incoming order with the book: price-time priority, self-trade prevention, fills.

The taker takes the head of the opposite side while its price is acceptable: at or better than the
taker's limit price, or within the MARKET_TRADING band for market orders. Each fill trades at the
resting (maker) order's price. When the head belongs to the taker's own account, the taker's
stpMode decides (004, "Create Order v1.1"): EXPIRE_TAKER ends the taker, EXPIRE_MAKER cancels
the resting order and goes on.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from terminal.demo.book import BookOrder, OrderBook
from terminal.demo.exact import add
from terminal.demo.funds import settle_fill
from terminal.demo.records import SELF_TRADE_CANCEL, AccountTrade, OrderRecord
from terminal.demo.state import ExchangeState, Market, Op
from terminal.domain.decimals import ONE, div, floor_to, mul
from terminal.domain.enums import OrderStatus, Side, StpMode
from terminal.domain.market import PublicTrade


class Stop(Enum):
    """Why matching ended."""

    FILLED = "FILLED"  # the whole quantity traded
    NO_LIQUIDITY = "NO_LIQUIDITY"  # no more resting orders at an acceptable price
    SELF_TRADE = "SELF_TRADE"  # EXPIRE_TAKER met the account's own resting order
    BUDGET = "BUDGET"  # a market buy by amount cannot afford one more step


def _acceptable(side: Side, price: Decimal, limit_price: Decimal | None) -> bool:
    if limit_price is None:
        return True
    return price <= limit_price if side is Side.BUY else price >= limit_price


def reachable(
    book: OrderBook, side: Side, account_id: str, stp: StpMode, limit_price: Decimal | None, qty: Decimal
) -> tuple[Decimal, Decimal | None]:
    """How much of ``qty`` an order of ``side`` could fill now, and the worst price it would pay.

    Own resting orders are never counted: EXPIRE_TAKER stops at the first, EXPIRE_MAKER cancels them.
    Used for FOK ("fill or kill") and to bound a market buy by quantity that has no price band.
    """
    total = Decimal(0)
    worst: Decimal | None = None
    for entry in book.orders(side.opposite):
        if not _acceptable(side, entry.price, limit_price) or total >= qty:
            break
        if entry.account_id == account_id:
            if stp is StpMode.EXPIRE_TAKER:
                break
            continue
        total += entry.qty
        worst = entry.price
    return min(total, qty), worst


def match(
    state: ExchangeState, op: Op, taker: OrderRecord, limit_price: Decimal | None
) -> tuple[Stop, list[AccountTrade]]:
    """Trade ``taker`` against the book until it is filled or may trade no further."""
    market = state.markets[taker.symbol]
    book = market.book
    opposite = taker.side.opposite
    by_amount = taker.orig_qty <= 0
    fills: list[AccountTrade] = []
    unit_cost = ONE
    if by_amount and market.fees.currency(taker.side, False) == taker.spent_asset:
        unit_cost += market.fees.actual_taker_rate  # the fee is paid out of the amount
    step = market.instrument.step_size
    while True:
        if not by_amount and taker.executed_qty >= taker.orig_qty:
            return Stop.FILLED, fills
        entry = book.head(opposite)
        if entry is None or not _acceptable(taker.side, entry.price, limit_price):
            return Stop.NO_LIQUIDITY, fills
        if entry.account_id == taker.account_id:
            if taker.stp_mode is StpMode.EXPIRE_TAKER:
                return Stop.SELF_TRADE, fills
            state.cancel(op, state.orders[entry.order_id], SELF_TRADE_CANCEL)
            continue
        if by_amount:
            unit = mul(entry.price, unit_cost)
            affordable = floor_to(div(taker.locked, unit), step)
            if mul(unit, affordable) > taker.locked:  # the quotient rounded up onto a step
                affordable -= step
            qty = min(affordable, entry.qty)
            if qty <= 0:
                return Stop.BUDGET, fills
        else:
            qty = min(taker.orig_qty - taker.executed_qty, entry.qty)
        fills.append(_execute(state, op, market, taker, entry, qty))


def _execute(
    state: ExchangeState, op: Op, market: Market, taker: OrderRecord, entry: BookOrder, qty: Decimal
) -> AccountTrade:
    """One fill of ``qty`` at the resting order's price; returns the taker's side of it."""
    maker = state.orders[entry.order_id]
    price = entry.price
    ticket = state.ids.next_ticket()
    taker_trade = _settle(state, op, market, taker, ticket, price, qty, is_maker=False)
    maker_trade = _settle(state, op, market, maker, ticket, price, qty, is_maker=True)
    market.book.fill(entry, qty)
    market.last_price = price
    op.books[market.instrument.symbol] = None

    if maker.executed_qty >= maker.orig_qty:
        maker.status = OrderStatus.FILLED
        maker.entry = None  # the book dropped it with its last fill
        state.close(op, maker)
    else:
        maker.status = OrderStatus.PARTIALLY_FILLED
        state.release_excess(maker)
    taker.status = OrderStatus.FILLED if 0 < taker.orig_qty <= taker.executed_qty else OrderStatus.PARTIALLY_FILLED

    state.report(op, maker, maker_trade)
    state.report(op, taker, taker_trade)
    # 004, "trade" topic: "m": "true: buyer is the maker false: buyer is the taker".
    op.events.append(PublicTrade(market.instrument.symbol, op.now_ms, price, qty, taker.side is Side.SELL, ticket))
    return taker_trade


def _settle(
    state: ExchangeState,
    op: Op,
    market: Market,
    record: OrderRecord,
    ticket: str,
    price: Decimal,
    qty: Decimal,
    *,
    is_maker: bool,
) -> AccountTrade:
    """Move one side's balances, update its order and keep its trade record."""
    instrument = market.instrument
    commission, commission_asset = settle_fill(
        state.ledger,
        market.fees,
        state.fee_account_id,
        record,
        instrument.base_asset,
        instrument.quote_asset,
        price,
        qty,
        is_maker=is_maker,
    )
    record.executed_qty += qty
    record.cumulative_quote_qty = add(record.cumulative_quote_qty, mul(price, qty))
    record.updated_ms = op.now_ms
    trade = AccountTrade(
        trade_id=state.ids.next_id(),
        ticket_id=ticket,
        account_id=record.account_id,
        order_id=record.order_id,
        client_order_id=record.client_order_id,
        symbol=record.symbol,
        side=record.side,
        price=price,
        qty=qty,
        commission=commission,
        commission_asset=commission_asset,
        time_ms=op.now_ms,
        is_maker=is_maker,
    )
    state.accounts[record.account_id].trades.append(trade)
    return trade
