"""The sample answers the mapping tests use are what the venue's receive.json schemas describe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.venues.deriv import samples
from tests.venues.deriv.schema_check import answer_problems

SAMPLES: list[tuple[str, Callable[[], dict[str, Any]]]] = [
    ("active_symbols", samples.active_symbols),
    ("ticks_history", samples.tick_history),
    ("ticks_history", samples.tick),
    ("ticks_history", samples.candles),
    ("ticks_history", samples.ohlc),
    ("ticks", samples.tick),
    ("authorize", samples.authorize),
    ("balance", samples.balance),
    ("proposal", samples.proposal),
    ("buy", samples.buy),
    ("sell", samples.sell),
    ("proposal_open_contract", samples.open_contract),
    ("portfolio", samples.portfolio),
    ("statement", samples.statement),
    ("profit_table", samples.profit_table),
]


@pytest.mark.parametrize(("method", "sample"), SAMPLES, ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_sample_is_valid(method: str, sample: Callable[[], dict[str, Any]]) -> None:
    assert answer_problems(method, sample()) == []
