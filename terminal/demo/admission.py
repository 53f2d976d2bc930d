"""Admitting a new order: the venue's checks in the venue's order, the funds it locks, its ids.

Checks run as 004 documents them: the symbol (0201), every field rule of ``validate_order`` (the
first broken rule decides the code), a duplicate clientOrderId (-1141), the open-order limit
(-2017), then funds (0401). Only an order that passes everything gets an id and locks funds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.demo.errors import demo_error, error_for_violation
from terminal.demo.funds import resting_need
from terminal.demo.matching import reachable
from terminal.demo.records import OrderRecord
from terminal.demo.state import ExchangeState, Market
from terminal.domain.decimals import ONE, ZERO, mul
from terminal.domain.enums import OrderType, Side, StpMode, TimeInForce
from terminal.domain.instrument import DEFAULT_TIME_IN_FORCE, Instrument
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import validate_order

# Rules about the account's state rather than the request; the duplicate check comes before them.
_STATE_RULES = frozenset({"max_open_orders", "balance"})


@dataclass(frozen=True, slots=True)
class Admitted:
    """An accepted order, registered and funded, and the worst price it may trade at (None: any)."""

    record: OrderRecord
    limit_price: Decimal | None


def admit(
    state: ExchangeState,
    account_id: str,
    request: OrderRequest,
    now_ms: int,
    reference_price: Decimal | None,
) -> Admitted:
    """Check ``request`` and, if it passes, register it as a NEW order with its funds locked."""
    market = state.markets.get(request.symbol)
    if market is None:
        raise demo_error("0201")
    account = state.accounts.get(account_id)
    if account is None:
        raise demo_error("-1160")
    instrument = market.instrument
    reference = reference_price if reference_price is not None else market.last_price
    spent = instrument.spends(request.side)
    free = state.ledger.free(account_id, spent)
    book = market.book
    violations = validate_order(
        request,
        instrument,
        reference_price=reference,
        free_balance=free,
        best_bid=book.best_bid,
        best_ask=book.best_ask,
        open_orders=account.open_per_symbol.get(request.symbol, 0),
        now_ms=now_ms,
    )
    for violation in violations:
        if violation.rule not in _STATE_RULES:
            raise error_for_violation(violation, request, instrument)
    if request.client_order_id is not None and request.client_order_id in account.by_client:
        raise demo_error("-1141")
    if violations:
        raise error_for_violation(violations[0], request, instrument)

    stp = request.stp_mode or StpMode.EXPIRE_TAKER  # 004: "Default EXPIRE_TAKER if not specified."
    tif = request.time_in_force or DEFAULT_TIME_IN_FORCE[request.type]
    may_make = request.type is OrderType.LIMIT_MAKER or (request.type is OrderType.LIMIT and tif is TimeInForce.GTC)
    may_take = request.type is not OrderType.LIMIT_MAKER
    reserve = market.fees.reserve_rate(request.side, spent, may_make=may_make, may_take=may_take)
    lock, limit_price = _funding(market, account_id, request, stp, reserve, reference)
    if lock > free:
        raise demo_error("0401")

    order_id = state.ids.next_id()
    seq = int(order_id)
    record = OrderRecord(
        seq=seq,
        order_id=order_id,
        account_id=account_id,
        symbol=request.symbol,
        client_order_id=request.client_order_id or _client_order_id(state, account_id, order_id, seq, now_ms),
        side=request.side,
        type=request.type,
        time_in_force=tif,
        stp_mode=stp,
        price=request.price if request.type is not OrderType.MARKET and request.price is not None else ZERO,
        orig_qty=request.quantity or ZERO,
        req_amount=request.amount or ZERO,
        created_ms=now_ms,
        updated_ms=now_ms,
        avg_quantum=market.avg_quantum,
        spent_asset=spent,
        reserve_rate=reserve,
    )
    state.ledger.lock(account_id, spent, lock)
    record.locked = lock
    state.register(record)
    return Admitted(record, limit_price)


def _funding(
    market: Market,
    account_id: str,
    request: OrderRequest,
    stp: StpMode,
    reserve: Decimal,
    reference: Decimal | None,
) -> tuple[Decimal, Decimal | None]:
    """What the order locks on entry, and the worst price it may trade at."""
    qty = request.quantity or ZERO
    if request.type is not OrderType.MARKET:
        assert request.price is not None  # validate_order requires it
        return resting_need(request.side, request.price, qty, reserve), request.price
    bound = _market_bound(market.instrument, request.side, reference)
    if request.side is Side.SELL:
        return _with_reserve(qty, reserve), bound
    if request.amount is not None:
        # The quote amount is the whole budget, fees paid in quote included.
        return request.amount, bound
    if bound is not None:
        return _with_reserve(mul(qty, bound), reserve), bound
    # No band: lock what the book as it stands costs up to the worst price that fills the quantity.
    # Matching walks the book exactly as ``reachable`` does, so it never pays more than that.
    worst = reachable(market.book, Side.BUY, account_id, stp, None, qty)[1] or ZERO
    return _with_reserve(mul(qty, worst), reserve), None


def _market_bound(instrument: Instrument, side: Side, reference: Decimal | None) -> Decimal | None:
    """MARKET_TRADING: "Market buy cannot be higher than the mark price" (plus buyPriceUpRate), and
    "Market sell cannot be lower" (minus sellPriceDownRate). None without a band or a reference."""
    band = instrument.market_trading
    if band is None or reference is None or reference <= 0:
        return None
    return band.buy_ceiling(reference) if side is Side.BUY else band.sell_floor(reference)


def _with_reserve(amount: Decimal, reserve: Decimal) -> Decimal:
    return mul(amount, ONE + reserve) if reserve else amount


def _client_order_id(state: ExchangeState, account_id: str, order_id: str, seq: int, now_ms: int) -> str:
    """A generated clientOrderId shaped like the document's ("1690084460710352": ms and three digits)."""
    taken = state.accounts[account_id].by_client
    candidate = f"{now_ms}{seq % 1000:03d}"
    if candidate not in taken:
        return candidate
    suffix = 0
    candidate = order_id
    while candidate in taken:  # only if a client already chose these digits
        suffix += 1
        candidate = f"{order_id}-{suffix}"
    return candidate
