"""Deterministic order, execution and ticket ids (terminal/demo/ids.py)."""

from __future__ import annotations

import pytest

from terminal.demo.ids import IdGenerator


def test_ids_are_19_digits_and_strictly_increasing() -> None:
    ids = IdGenerator(seed=42)
    values = [ids.next_id() for _ in range(1000)]
    assert all(len(v) == 19 and v.isdigit() for v in values)
    assert values == sorted(values)
    assert [int(v) for v in values] == sorted(int(v) for v in values)
    assert len(set(values)) == len(values)


def test_tickets_are_their_own_sequence() -> None:
    ids = IdGenerator(seed=42)
    first_order, first_ticket, second_ticket = ids.next_id(), ids.next_ticket(), ids.next_ticket()
    assert first_ticket.startswith("4") and first_order.startswith("1")
    assert int(second_ticket) == int(first_ticket) + 1
    assert len(first_ticket) == 19


def test_same_seed_same_ids_other_seed_other_ids() -> None:
    a, b, c = IdGenerator(seed=1), IdGenerator(seed=1), IdGenerator(seed=2)
    run_a = [a.next_id() for _ in range(5)] + [a.next_ticket()]
    run_b = [b.next_id() for _ in range(5)] + [b.next_ticket()]
    run_c = [c.next_id() for _ in range(5)] + [c.next_ticket()]
    assert run_a == run_b
    assert not set(run_a) & set(run_c)


def test_counter_exhaustion_raises() -> None:
    ids = IdGenerator(seed=0, _next=10**12 - 1)
    with pytest.raises(OverflowError):
        ids.next_id()
