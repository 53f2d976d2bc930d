"""Which orders the user wants to confirm before they leave, by where they come from and their type.

The risk limits (risk.py) confirm what is too big or too far; these rules confirm by habit: some
traders want a yes for every order from the ticket, others only for market orders or one-click.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from terminal.domain.orders import OrderRequest


class Origin(StrEnum):
    """Where a user's order comes from (a program's orders, e.g. the soak test's, have none)."""

    TICKET = "ticket"
    ONE_CLICK = "one_click"  # an armed click on the ladder
    KEYBOARD = "keyboard"  # the buy and sell keys, which send the ticket's order


class ConfirmRule(StrEnum):
    """One habit of confirmation; the first three share their origin's value."""

    TICKET = "ticket"
    ONE_CLICK = "one_click"
    KEYBOARD = "keyboard"
    MARKET = "market"
    CANCEL_ALL = "cancel_all"  # not an order: the cancel-all buttons and key ask first


DEFAULT_RULES = frozenset({ConfirmRule.CANCEL_ALL})  # as before there were settings: only cancel all asks


RULE_LABELS: dict[ConfirmRule, str] = {
    ConfirmRule.TICKET: "Every order sent from the order ticket",
    ConfirmRule.KEYBOARD: "Every order sent with the buy and sell keys",
    ConfirmRule.ONE_CLICK: "Every one-click order from the ladder",
    ConfirmRule.MARKET: "Every market order, wherever it comes from",
    ConfirmRule.CANCEL_ALL: "Cancelling all orders of a symbol or of every symbol",
}

_REASONS: dict[ConfirmRule, str] = {
    ConfirmRule.TICKET: "You confirm every order from the order ticket (Settings).",
    ConfirmRule.KEYBOARD: "You confirm every order sent with the buy and sell keys (Settings).",
    ConfirmRule.ONE_CLICK: "You confirm every one-click order (Settings).",
    ConfirmRule.MARKET: "You confirm every market order (Settings).",
    ConfirmRule.CANCEL_ALL: "You confirm cancelling all orders (Settings).",
}


def rules_to_confirm(request: OrderRequest, origin: Origin | None, rules: Collection[ConfirmRule]) -> list[ConfirmRule]:
    """The rules among ``rules`` that hold ``request`` back until the user says yes (none for a program's order)."""
    if origin is None:
        return []
    held = [rule for rule in (ConfirmRule(origin.value),) if rule in rules]  # each origin has its rule
    # An at-auction order has no price either: it takes whatever the auction's price is, as a market order does.
    if not request.type.takes_price and ConfirmRule.MARKET in rules:
        held.append(ConfirmRule.MARKET)
    return held


def reason(rule: ConfirmRule) -> str:
    """The sentence the confirmation prompt shows for ``rule``."""
    return _REASONS[rule]


def concern_key(rule: ConfirmRule) -> str:
    """The key the order gate confirms ``rule`` under (apart from risk-limit keys and "repeat")."""
    return f"confirm:{rule.value}"
