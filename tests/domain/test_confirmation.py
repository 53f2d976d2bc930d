"""Confirmation rules by origin and order type: a program's orders are never held, a user's by the rules chosen."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.confirmation import (
    DEFAULT_RULES,
    RULE_LABELS,
    ConfirmRule,
    Origin,
    concern_key,
    reason,
    rules_to_confirm,
)
from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import OrderRequest

LIMIT = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.01"), Decimal("95000"))
MARKET = OrderRequest("BTCUSDT", Side.SELL, OrderType.MARKET, Decimal("0.01"))
EVERY = frozenset(ConfirmRule)


def test_each_origin_is_held_by_its_own_rule_only() -> None:
    for origin in Origin:
        own = ConfirmRule(origin.value)
        assert rules_to_confirm(LIMIT, origin, {own}) == [own]
        assert rules_to_confirm(LIMIT, origin, EVERY - {own, ConfirmRule.MARKET}) == []


def test_market_orders_are_held_from_every_origin_but_not_limits() -> None:
    for origin in Origin:
        assert rules_to_confirm(MARKET, origin, {ConfirmRule.MARKET}) == [ConfirmRule.MARKET]
        assert rules_to_confirm(LIMIT, origin, {ConfirmRule.MARKET}) == []
    assert rules_to_confirm(MARKET, Origin.TICKET, EVERY) == [ConfirmRule.TICKET, ConfirmRule.MARKET]


def test_a_programs_orders_have_no_origin_and_are_never_held() -> None:
    assert rules_to_confirm(MARKET, None, EVERY) == []


def test_cancel_all_asks_by_default_and_every_rule_has_words_and_a_key() -> None:
    assert {ConfirmRule.CANCEL_ALL} == DEFAULT_RULES
    assert set(RULE_LABELS) == set(ConfirmRule)
    assert all("(Settings)" in reason(rule) for rule in ConfirmRule)
    assert len({concern_key(rule) for rule in ConfirmRule}) == len(ConfirmRule)
    assert concern_key(ConfirmRule.MARKET) == "confirm:market"
