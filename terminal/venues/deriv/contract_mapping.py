"""Deriv account and contract answers to domain objects: authorize, balance, proposal, buy, sell,
proposal_open_contract, portfolio, statement and profit_table."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from terminal.domain.balance import Balance
from terminal.domain.contracts import (
    Account,
    ClosedContract,
    ContractStatus,
    OpenContract,
    PortfolioEntry,
    Purchase,
    Quote,
    Sale,
    Transaction,
)
from terminal.domain.decimals import ZERO
from terminal.venues.deriv.mapping import at_pip, bit
from terminal.venues.wire import WireObject, as_list, malformed


def _ms(seconds: int) -> int:
    return seconds * 1000


# ---- the account ----------------------------------------------------------------------------------------


def account(answer: Mapping[str, Any]) -> Account:
    """Who an authorize answer says the token speaks for."""
    auth = WireObject(answer.get("authorize"), "authorize")
    login_id = auth.text("loginid")
    scopes = tuple(str(s) for s in as_list(auth.raw.get("scopes", []), "authorize.scopes"))
    others = tuple(
        item.text("loginid")
        for item in auth.objects("account_list")
        if item.has("loginid") and item.text("loginid") != login_id
    )
    return Account(
        login_id=login_id,
        currency=auth.opt_text("currency"),
        is_virtual=bit(auth, "is_virtual"),
        scopes=scopes,
        balance=auth.opt_decimal("balance") or ZERO,
        landing_company=auth.opt_text("landing_company_fullname") or auth.opt_text("landing_company_name"),
        other_accounts=others,
    )


def balance(answer: Mapping[str, Any]) -> Balance:
    """A balance message: the account's funds (nothing is locked: a bought contract's stake is spent)."""
    item = WireObject(answer.get("balance"), "balance")
    return Balance.of(item.text("currency"), item.decimal("balance"), ZERO)


# ---- pricing and trading ----------------------------------------------------------------------------------


def quote(answer: Mapping[str, Any], pip: Decimal | None = None) -> Quote:
    item = WireObject(answer.get("proposal"), "proposal")
    return Quote(
        proposal_id=item.text("id"),
        ask_price=item.decimal("ask_price"),
        payout=item.decimal("payout"),
        spot=at_pip(item.decimal("spot"), pip),
        spot_time_ms=_ms(item.integer("spot_time")),
        longcode=item.text("longcode"),
        date_start_ms=_ms(item.opt_integer("date_start")),
    )


def purchase(answer: Mapping[str, Any]) -> Purchase:
    item = WireObject(answer.get("buy"), "buy")
    return Purchase(
        contract_id=item.integer("contract_id"),
        transaction_id=item.integer("transaction_id"),
        buy_price=item.decimal("buy_price"),
        payout=item.decimal("payout"),
        longcode=item.text("longcode"),
        purchase_time_ms=_ms(item.integer("purchase_time")),
        balance_after=item.decimal("balance_after"),
    )


def sale(answer: Mapping[str, Any], contract_id: int) -> Sale:
    item = WireObject(answer.get("sell"), "sell")
    return Sale(
        contract_id=item.opt_integer("contract_id", contract_id),
        sold_for=item.decimal("sold_for"),
        transaction_id=item.integer("transaction_id"),
        balance_after=item.decimal("balance_after"),
    )


# proposal_open_contract.status: "open", "sold", "won", "lost", "cancelled" or null. A contract cancelled
# (deal cancellation) was bought back by the venue for its stake: it is closed as if sold.
_STATUS = {
    "open": ContractStatus.OPEN,
    "won": ContractStatus.WON,
    "lost": ContractStatus.LOST,
    "sold": ContractStatus.SOLD,
    "cancelled": ContractStatus.SOLD,
}


def _status(item: WireObject) -> ContractStatus:
    text = item.opt_text("status")
    if text:
        status = _STATUS.get(text)
        if status is None:
            raise malformed(f"{item.path}.status", f"has an unknown value {text!r:.40}")
        return status
    return ContractStatus.SOLD if bit(item, "is_sold") else ContractStatus.OPEN


def has_contract(answer: Mapping[str, Any]) -> bool:
    """Whether a proposal_open_contract answer describes a contract (it is ``{}`` when there is none)."""
    item = answer.get("proposal_open_contract")
    return isinstance(item, Mapping) and item.get("contract_id") is not None


def underlying(answer: Mapping[str, Any]) -> str:
    """The symbol a proposal_open_contract answer is about ("" when it does not say)."""
    item = answer.get("proposal_open_contract")
    symbol = item.get("underlying") if isinstance(item, Mapping) else None
    return symbol if isinstance(symbol, str) else ""


def open_contract(answer: Mapping[str, Any], pip: Decimal | None = None) -> OpenContract:
    item = WireObject(answer.get("proposal_open_contract"), "proposal_open_contract")
    status = _status(item)
    can_sell = bit(item, "is_valid_to_sell") and status is ContractStatus.OPEN
    entry = item.opt_decimal("entry_spot")
    if entry is None:
        entry = item.opt_decimal("entry_tick")
    current = item.opt_decimal("current_spot")
    buy_price = item.decimal("buy_price")
    bid = item.opt_decimal("bid_price")
    sold_for = item.opt_decimal("sell_price")
    profit = item.opt_decimal("profit")
    if profit is None:  # what selling (or the sale) pays, less what was paid
        profit = (sold_for if sold_for is not None else bid or ZERO) - buy_price
    return OpenContract(
        contract_id=item.integer("contract_id"),
        symbol=item.text("underlying"),
        contract_type=item.text("contract_type"),
        currency=item.text("currency"),
        buy_price=buy_price,
        payout=item.opt_decimal("payout") or ZERO,
        bid_price=bid if can_sell else None,
        profit=profit,
        status=status,
        can_sell=can_sell,
        purchase_time_ms=_ms(item.integer("purchase_time")),
        expiry_time_ms=_ms(item.opt_integer("date_expiry") or item.opt_integer("expiry_time")),
        entry_spot=at_pip(entry, pip) if entry is not None else None,
        current_spot=at_pip(current, pip) if current is not None else None,
        sell_price=sold_for,
        longcode=item.opt_text("longcode"),
        display_name=item.opt_text("display_name"),
    )


def is_final(contract: OpenContract) -> bool:
    """Whether the venue will say no more about a contract: it was sold or has settled."""
    return not contract.is_open


# ---- history ----------------------------------------------------------------------------------------------


def portfolio(answer: Mapping[str, Any]) -> list[PortfolioEntry]:
    body = WireObject(answer.get("portfolio"), "portfolio")
    return [
        PortfolioEntry(
            contract_id=item.integer("contract_id"),
            symbol=item.text("symbol"),
            contract_type=item.text("contract_type"),
            currency=item.text("currency"),
            buy_price=item.decimal("buy_price"),
            payout=item.decimal("payout"),
            purchase_time_ms=_ms(item.integer("purchase_time")),
            expiry_time_ms=_ms(item.opt_integer("expiry_time")),
            longcode=item.opt_text("longcode"),
            transaction_id=item.integer("transaction_id"),
        )
        for item in body.objects("contracts")
    ]


def statement(answer: Mapping[str, Any]) -> list[Transaction]:
    body = WireObject(answer.get("statement"), "statement")
    return [
        Transaction(
            transaction_id=item.integer("transaction_id"),
            time_ms=_ms(item.integer("transaction_time")),
            action=item.text("action_type"),
            amount=item.decimal("amount"),
            balance_after=item.decimal("balance_after"),
            contract_id=item.integer("contract_id") if item.has("contract_id") else None,
            longcode=item.opt_text("longcode"),
        )
        for item in body.objects("transactions")
    ]


def profit_table(answer: Mapping[str, Any]) -> list[ClosedContract]:
    body = WireObject(answer.get("profit_table"), "profit_table")
    return [
        ClosedContract(
            contract_id=item.integer("contract_id") if item.has("contract_id") else None,
            transaction_id=item.integer("transaction_id"),
            contract_type=item.opt_text("contract_type"),
            symbol=item.opt_text("underlying_symbol"),
            buy_price=item.decimal("buy_price"),
            sell_price=item.decimal("sell_price"),
            payout=item.opt_decimal("payout") or ZERO,
            purchase_time_ms=_ms(item.integer("purchase_time")),
            sell_time_ms=_ms(item.integer("sell_time")) if item.has("sell_time") else None,
            longcode=item.opt_text("longcode"),
        )
        for item in body.objects("transactions")
    ]
