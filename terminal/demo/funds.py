"""The money side of orders: what a resting order must keep locked, and how one fill moves balances.

A buy spends quote and receives base; a sell spends base and receives quote. The fee is charged in
the currency the fee schedule names for the side and role: taken from what is received, or paid
on top of what is spent (then out of the order's reserve). Every amount is exact (no rounding),
so the sum of all balances plus collected fees never changes.
"""

from __future__ import annotations

from decimal import Decimal

from terminal.demo.accounts import Ledger, LedgerError
from terminal.demo.exact import add, sub
from terminal.demo.fees import FeeSchedule
from terminal.demo.records import OrderRecord
from terminal.domain.decimals import ONE, ZERO, mul
from terminal.domain.enums import Side


def resting_need(side: Side, price: Decimal, leaves: Decimal, reserve_rate: Decimal) -> Decimal:
    """What a resting limit order with ``leaves`` unfilled must hold locked in the asset it spends."""
    spend = mul(price, leaves) if side is Side.BUY else leaves
    return mul(spend, ONE + reserve_rate) if reserve_rate else spend


def record_need(record: OrderRecord) -> Decimal:
    """``resting_need`` of a record on the book; a record off the book needs nothing."""
    if record.entry is None:
        return ZERO
    return resting_need(record.side, record.price, record.leaves_qty, record.reserve_rate)


def settle_fill(
    ledger: Ledger,
    fees: FeeSchedule,
    fee_account_id: str,
    record: OrderRecord,
    base_asset: str,
    quote_asset: str,
    price: Decimal,
    qty: Decimal,
    *,
    is_maker: bool,
) -> tuple[Decimal, str]:
    """Move the balances of ``record``'s side of one fill; return the commission and its asset."""
    notional = mul(price, qty)
    rate = fees.rate(is_maker)
    fee_asset = fees.currency(record.side, is_maker)
    fee = mul(qty if fee_asset == base_asset else notional, rate) if rate else ZERO
    if record.side is Side.BUY:
        spend_asset, spend, receive_asset, receive = quote_asset, notional, base_asset, qty
    else:
        spend_asset, spend, receive_asset, receive = base_asset, qty, quote_asset, notional
    if fee_asset == spend_asset:
        spend = add(spend, fee)
    else:
        receive = sub(receive, fee)
    if spend > record.locked:
        raise LedgerError(f"order {record.order_id} holds {record.locked} {spend_asset}, cannot pay {spend}")
    account = record.account_id
    ledger.spend_locked(account, spend_asset, spend)
    record.locked = sub(record.locked, spend)
    ledger.credit(account, receive_asset, receive)
    ledger.credit(fee_account_id, fee_asset, fee)
    return fee, fee_asset
