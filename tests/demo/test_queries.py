"""Paging and filters of the order and trade queries (terminal/demo/queries.py)."""

from __future__ import annotations

import pytest

from terminal.demo.errors import DemoError
from terminal.demo.queries import MAX_LIMIT, clamp_limit, parse_id


@pytest.mark.parametrize(
    ("limit", "expected"), [(None, 500), (0, 500), (-5, 500), (20, 20), (1000, 1000), (5000, MAX_LIMIT)]
)
def test_clamp_limit(limit: int | None, expected: int) -> None:
    assert clamp_limit(limit) == expected


def test_clamp_limit_with_other_bounds() -> None:
    assert clamp_limit(None, 100, 200) == 100
    assert clamp_limit(300, 100, 200) == 200


def test_parse_id() -> None:
    assert parse_id(None, "fromId") is None
    assert parse_id("", "fromId") is None
    assert parse_id("1470930457684189696", "fromId") == 1470930457684189696
    with pytest.raises(DemoError) as caught:
        parse_id("-1", "fromId")
    assert (caught.value.code, caught.value.message) == ("-1130", "Illegal parameter 'fromId'")
