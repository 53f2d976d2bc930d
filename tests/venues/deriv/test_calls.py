"""Every request the venue sends validates against its send.json (with req_id and subscribe as sent)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terminal.domain.contracts import CONTRACT_TYPES, BarrierKind, Basis, ContractSpec, DurationUnit
from terminal.domain.intervals import Interval
from terminal.venues.deriv import calls
from terminal.venues.deriv.endpoints import GRANULARITY
from terminal.venues.errors import InvalidRequest
from tests.venues.deriv.schema_check import request_problems


def _check(payload: dict[str, Any], *, subscribe: bool = False) -> None:
    method = calls.method_of(payload)
    sent = {**payload, "req_id": 7} | ({"subscribe": 1} if subscribe else {})
    assert request_problems(method, sent) == []


def _spec(kind: str = "CALL", **changes: Any) -> ContractSpec:
    base: dict[str, Any] = {
        "symbol": "R_100",
        "contract_type": kind,
        "amount": Decimal("10.5"),
        "basis": Basis.STAKE,
        "duration": 5,
        "duration_unit": DurationUnit.TICKS,
        "currency": "USD",
    }
    return ContractSpec(**(base | changes))


def test_method_of_is_the_first_field() -> None:
    assert calls.method_of({"ticks_history": "R_50", "style": "ticks"}) == "ticks_history"
    assert calls.method_of({}) == ""


def test_numbers_go_out_as_json_numbers() -> None:
    assert calls.number(Decimal("100")) == 100 and isinstance(calls.number(Decimal("100")), int)
    assert calls.number(Decimal("10.50")) == 10.5 and isinstance(calls.number(Decimal("10.50")), float)


@pytest.mark.parametrize(
    "payload",
    [
        calls.authorize("a1-f7pnteezo4jzhpxclctizt27hyeot"),
        calls.website_status(),
        calls.active_symbols(),
        calls.portfolio(),
        calls.statement(),
        calls.statement(limit=5000, since_ms=1_700_000_000_123),
        calls.profit_table(),
        calls.profit_table(limit=10_000),
        calls.forget("c84a793b-8a87-7999-ce10-9b22f7ceead3"),
        calls.forget_all("ticks", "candles", "proposal", "proposal_open_contract", "balance"),
        calls.ping(),
        calls.sell(11542203588, Decimal("0")),
        calls.sell(11542203588, Decimal("12.34")),
        calls.buy("uw2mk7no3oktoRVVsB4Dz7TQnFfABuFDgO95dlxfMxRuPUsz", Decimal("10.52")),
        calls.candle_history("R_50", Interval.H1, end_ms=1_700_000_000_999, count=100_000),
        calls.tick_history("R_50", 500),
    ],
    ids=calls.method_of,
)
def test_requests_validate(payload: dict[str, Any]) -> None:
    _check(payload)


@pytest.mark.parametrize(
    "payload",
    [
        calls.balance(),
        calls.tick_history("R_50", 500),
        calls.candle_history("1HZ100V", Interval.M1, count=2),
        calls.open_contract(11111111),
        calls.proposal(_spec()),
    ],
    ids=calls.method_of,
)
def test_subscriptions_validate(payload: dict[str, Any]) -> None:
    _check(payload, subscribe=True)


@pytest.mark.parametrize("interval", list(GRANULARITY))
def test_every_interval_is_a_granularity_the_schema_accepts(interval: Interval) -> None:
    payload = calls.candle_history("R_50", interval)
    assert payload["granularity"] == interval.nominal_ms // 1000
    _check(payload, subscribe=True)


@pytest.mark.parametrize("interval", [Interval.H6, Interval.H12, Interval.W1, Interval.MONTH])
def test_an_interval_without_candles_is_refused(interval: Interval) -> None:
    with pytest.raises(InvalidRequest, match=r"no .* candles"):
        calls.candle_history("R_50", interval)


@pytest.mark.parametrize("kind", CONTRACT_TYPES, ids=lambda kind: kind.code)
def test_every_ticket_contract_type_validates(kind: Any) -> None:
    barriers: dict[str, Any] = {}
    if kind.barrier_kind is BarrierKind.DIGIT:
        barriers = {"barrier": "5"}
    elif kind.barriers == 1:
        barriers = {"barrier": "+0.1"}
    elif kind.barriers == 2:
        barriers = {"barrier": "+0.5", "barrier2": "-0.5"}
    spec = _spec(kind.code, duration_unit=kind.units[0], duration=5, **barriers)
    payload = calls.proposal(spec)
    assert payload["contract_type"] == kind.code
    assert ("barrier" in payload) == bool(barriers)
    assert ("barrier2" in payload) == (kind.barriers == 2)
    _check(payload, subscribe=True)


def test_proposal_fields() -> None:
    payload = calls.proposal(_spec(amount=Decimal("100"), basis=Basis.PAYOUT, duration_unit=DurationUnit.SECONDS))
    assert payload == {
        "proposal": 1,
        "amount": 100,
        "basis": "payout",
        "contract_type": "CALL",
        "currency": "USD",
        "duration": 5,
        "duration_unit": "s",
        "symbol": "R_100",
    }


def test_history_calls_clamp_to_the_schemas_bounds() -> None:
    assert calls.statement(limit=5000)["limit"] == 999
    assert calls.statement(since_ms=1_700_000_000_999)["date_from"] == 1_700_000_000
    assert calls.profit_table(limit=5000) == {"profit_table": 1, "description": 1, "limit": 500, "sort": "DESC"}
    assert calls.candle_history("R_50", Interval.M1, end_ms=1_700_000_000_999)["end"] == "1700000000"
    assert calls.candle_history("R_50", Interval.M1)["end"] == "latest"
