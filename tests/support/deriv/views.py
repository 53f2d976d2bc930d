"""How contracts and statement lines look on the wire: proposal_open_contract, portfolio, statement and
profit_table rows, with only the fields their receive schemas allow."""

from __future__ import annotations

from decimal import Decimal

from tests.support.deriv.accounts import Transaction
from tests.support.deriv.contracts import Contract, sell_refusal, value
from tests.support.deriv.market import Tick
from tests.support.deriv.pricing import CENT
from tests.support.deriv.spec import DIGITS, TOUCH
from tests.support.deriv.wire import JSON, num


def contract_view(contract: Contract, now: int, subscription_id: str | None = None) -> JSON:
    spec, symbol = contract.spec, contract.symbol
    bid = value(contract, now)
    profit = bid - contract.buy_price
    refusal = sell_refusal(contract, now)
    view: JSON = {
        "bid_price": num(bid),
        "buy_price": num(contract.buy_price),
        "contract_id": contract.contract_id,
        "contract_type": spec.contract_type,
        "currency": spec.currency,
        "current_spot": num(contract.current.quote),
        "current_spot_display_value": symbol.format(contract.current.quote),
        "current_spot_time": contract.current.epoch,
        "date_expiry": contract.date_expiry,
        "date_settlement": contract.date_expiry,
        "date_start": contract.purchase_time,
        "display_name": symbol.display_name,
        "entry_spot": None,
        "entry_spot_display_value": None,
        "expiry_time": contract.date_expiry,
        "is_expired": int(contract.is_expired),
        "is_forward_starting": 0,
        "is_intraday": int(contract.date_expiry - contract.purchase_time <= 86400),
        "is_path_dependent": int(spec.contract_type in TOUCH),
        "is_settleable": 0,  # this server settles a contract on the tick that ends it
        "is_sold": int(not contract.is_open),
        "is_valid_to_cancel": 0,
        "is_valid_to_sell": int(refusal is None),
        "longcode": contract.longcode,
        "payout": num(contract.payout),
        "profit": num(profit),
        "profit_percentage": num((profit / contract.buy_price * 100).quantize(CENT)),
        "purchase_time": contract.purchase_time,
        "shortcode": contract.shortcode,
        "status": contract.status,
        "transaction_ids": {"buy": contract.buy_transaction_id},
        "underlying": symbol.code,
    }
    view.update(_barriers(contract))
    if refusal is not None and contract.is_open:
        view["validation_error"] = refusal
    if subscription_id is not None:
        view["id"] = subscription_id
    if contract.entry is not None:
        entry = contract.entry
        shown = symbol.format(entry.quote)
        view.update(entry_spot=num(entry.quote), entry_spot_display_value=shown, entry_tick=num(entry.quote),
                    entry_tick_display_value=shown, entry_tick_time=entry.epoch)  # fmt: skip
    if spec.ticks is not None:
        ticks: list[Tick] = [contract.entry, *contract.path] if contract.entry is not None else []
        view.update(
            tick_count=spec.ticks, tick_passed=len(contract.path), tick_stream=[_tick(contract, t) for t in ticks]
        )
    if not contract.is_open and contract.exit is not None:
        end, shown = contract.exit, symbol.format(contract.exit.quote)
        view.update(exit_tick=num(end.quote), exit_tick_display_value=shown, exit_tick_time=end.epoch,
                    sell_spot=num(end.quote), sell_spot_display_value=shown, sell_spot_time=end.epoch,
                    sell_price=num(contract.sell_price or Decimal(0)), sell_time=contract.sell_time)  # fmt: skip
        if contract.sell_transaction_id is not None:
            view["transaction_ids"]["sell"] = contract.sell_transaction_id
    return view


def portfolio_row(contract: Contract) -> JSON:
    return {
        "app_id": contract.app_id,
        "buy_price": num(contract.buy_price),
        "contract_id": contract.contract_id,
        "contract_type": contract.spec.contract_type,
        "currency": contract.spec.currency,
        "date_start": contract.purchase_time,
        "expiry_time": contract.date_expiry,
        "longcode": contract.longcode,
        "payout": num(contract.payout),
        "purchase_time": contract.purchase_time,
        "shortcode": contract.shortcode,
        "symbol": contract.symbol.code,
        "transaction_id": contract.buy_transaction_id,
    }


def statement_row(line: Transaction, description: bool) -> JSON:
    row: JSON = {
        "action_type": line.action_type,
        "amount": num(line.amount),
        "app_id": line.app_id,
        "balance_after": num(line.balance_after),
        "contract_id": line.contract_id,
        "payout": None if line.payout is None else num(line.payout),
        "reference_id": line.reference_id,
        "shortcode": line.shortcode,
        "transaction_id": line.transaction_id,
        "transaction_time": line.transaction_time,
    }
    if line.purchase_time is not None:
        row["purchase_time"] = line.purchase_time
    if description and line.longcode is not None:
        row["longcode"] = line.longcode
    return row


def profit_row(contract: Contract, description: bool) -> JSON:
    row: JSON = {
        "app_id": contract.app_id,
        "buy_price": num(contract.buy_price),
        "contract_id": contract.contract_id,
        "contract_type": contract.spec.contract_type,
        "payout": num(contract.payout),
        "purchase_time": contract.purchase_time,
        "sell_price": num(contract.sell_price or Decimal(0)),
        "sell_time": contract.sell_time,
        "shortcode": contract.shortcode,
        "transaction_id": contract.buy_transaction_id,
        "underlying_symbol": contract.symbol.code,
    }
    if description:
        row["longcode"] = contract.longcode
    return row


def _barriers(contract: Contract) -> JSON:
    spec, symbol = contract.spec, contract.symbol
    if spec.contract_type in DIGITS:
        return {"barrier": spec.barrier, "barrier_count": 1} if spec.barrier is not None else {}
    if len(contract.barriers) == 2:
        high, low = contract.barriers
        return {
            "barrier": None,
            "barrier_count": 2,
            "high_barrier": symbol.format(high),
            "low_barrier": symbol.format(low),
        }
    if len(contract.barriers) == 1:
        return {"barrier": symbol.format(contract.barriers[0]), "barrier_count": 1}
    return {"barrier": None}  # before the entry tick fixes it


def _tick(contract: Contract, tick: Tick) -> JSON:
    return {"epoch": tick.epoch, "tick": num(tick.quote), "tick_display_value": contract.symbol.format(tick.quote)}
