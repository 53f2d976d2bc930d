"""The order gate: blocked limits refuse, confirm limits and repeats hold until confirmed, the rest pass."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.domain.risk import RiskAction, RiskBreach, RiskLimit
from terminal.session.order_gate import REPEAT, REPEAT_WINDOW_S, OrderGate, RepeatGuard, TicketError

D = Decimal
ORDER = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), D("95000"))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_same_order_within_the_window_is_a_repeat() -> None:
    guard = RepeatGuard()
    assert guard.repeat_age(ORDER, 100.0) is None
    guard.record(ORDER, 100.0)
    assert guard.repeat_age(ORDER, 100.4) == pytest.approx(0.4)
    assert guard.repeat_age(OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), D("95000.01")), 100.4) is None
    assert guard.repeat_age(ORDER, 100.0 + REPEAT_WINDOW_S) is None


def test_the_client_order_id_does_not_make_an_order_different() -> None:
    guard = RepeatGuard()
    guard.record(ORDER, 1.0)
    again = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), D("95000"), client_order_id="tt1")
    assert guard.repeat_age(again, 1.1) is not None


def test_orders_inside_every_limit_pass_without_a_question() -> None:
    gate = OrderGate(clock=Clock())
    assert gate.judge(ORDER, [], ()) == []


def test_a_blocked_limit_refuses_with_its_words() -> None:
    gate = OrderGate(clock=Clock())
    breach = RiskBreach(RiskLimit.NOTIONAL, RiskAction.BLOCK, "Notional 950 USDT is above your limit of 500 USDT")
    with pytest.raises(TicketError, match="Blocked by your risk limits: Notional 950 USDT"):
        gate.judge(ORDER, [breach], confirmed={"max_order_notional"})  # a block cannot be confirmed away


def test_confirm_limits_and_repeats_are_held_until_confirmed() -> None:
    clock = Clock()
    gate = OrderGate(clock=clock)
    breach = RiskBreach(RiskLimit.DISTANCE, RiskAction.CONFIRM, "Price 95,000 is 6% from the mid")
    concerns = gate.judge(ORDER, [breach], ())
    assert [c.key for c in concerns] == ["max_price_distance_pct"]
    assert gate.judge(ORDER, [breach], {"max_price_distance_pct"}) == []
    gate.sent(ORDER)
    clock.now += 0.3
    concerns = gate.judge(ORDER, [breach], {"max_price_distance_pct"})
    assert [c.key for c in concerns] == [REPEAT]
    assert "300 ms ago" in concerns[0].text
    assert gate.judge(ORDER, [breach], {"max_price_distance_pct", REPEAT}) == []
    clock.now += REPEAT_WINDOW_S
    assert gate.judge(ORDER, [], ()) == []


def test_confirmation_rules_of_the_settings_hold_a_users_order_until_confirmed() -> None:
    from terminal.domain.confirmation import ConfirmRule, Origin

    gate = OrderGate(clock=Clock())
    gate.confirm_rules = frozenset({ConfirmRule.KEYBOARD})
    held = gate.judge(ORDER, [], (), Origin.KEYBOARD)
    assert [c.key for c in held] == ["confirm:keyboard"]
    assert "buy and sell keys" in held[0].text
    assert gate.judge(ORDER, [], {"confirm:keyboard"}, Origin.KEYBOARD) == []
    assert gate.judge(ORDER, [], (), Origin.TICKET) == []  # another origin: not this rule
    assert gate.judge(ORDER, [], ()) == []  # a program's order (no origin) is never held
