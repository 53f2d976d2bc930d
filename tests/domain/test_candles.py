"""Candle series: exact round trips, merges in any order equal a plain dictionary, cheap updates."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.candles import CandleSeries
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle

MINUTE = 60_000
D = Decimal


def candle(minute: int, close: str = "100.01", volume: str = "0.5") -> Candle:
    c = D(close)
    return Candle(minute * MINUTE, c, c + D("0.05"), c - D("0.05"), c, D(volume))


def series() -> CandleSeries:
    return CandleSeries("BTCUSDT", Interval.M1, D("0.01"), D("0.001"))


def test_values_read_back_exactly() -> None:
    s = series()
    s.update(candle(10, "95000.37", "1.234"))
    got = s.candle(-1)
    assert (got.open, got.high, got.low, got.close, got.volume) == (
        D("95000.37"),
        D("95000.42"),
        D("95000.32"),
        D("95000.37"),
        D("1.234"),
    )


def test_live_update_replaces_the_last_candle_then_appends() -> None:
    s = series()
    assert s.update(candle(1, "100.00")).appended == 1
    assert s.update(candle(1, "100.50")).replaced_last
    assert s.update(candle(2, "101.00")).appended == 1
    assert [c.close for c in (s.candle(0), s.candle(1))] == [D("100.50"), D("101.00")]


def test_older_pages_are_prepended_in_order() -> None:
    s = series()
    s.merge([candle(m) for m in range(1000, 1010)])
    change = s.merge([candle(m) for m in range(990, 1000)])
    assert change.prepended == 10
    assert list(s.times) == [m * MINUTE for m in range(990, 1010)]


def test_a_finer_price_refines_the_quantum_without_rounding_anything() -> None:
    s = series()
    s.update(candle(1, "100.01"))
    s.update(candle(2, "100.0125"))  # recorded under a finer tick
    assert s.price_quantum == D("0.0001")
    assert s.candle(0).close == D("100.01")
    assert s.candle(1).close == D("100.0125")


def test_gaps_are_found_and_filled() -> None:
    s = series()
    s.merge([candle(m) for m in (1, 2, 3, 7, 8)])
    assert s.gaps() == [(3 * MINUTE, 7 * MINUTE)]
    change = s.merge([candle(m) for m in (4, 5, 6)])
    assert change.inserted == 3
    assert s.gaps() == []
    assert list(s.times) == [m * MINUTE for m in range(1, 9)]


def test_float_views_for_drawing() -> None:
    s = series()
    s.merge([candle(1, "10.25"), candle(2, "10.50")])
    assert list(s.prices("close")) == [10.25, 10.5]
    assert list(s.volumes()) == [0.5, 0.5]


ops = st.lists(
    st.tuples(
        st.sampled_from(["update", "merge"]),
        st.lists(
            st.tuples(
                st.integers(0, 60),
                st.decimals(min_value=D("0.01"), max_value=D("99999"), places=3),
                st.decimals(min_value=0, max_value=D("1000"), places=4),
            ),
            min_size=1,
            max_size=8,
        ),
    ),
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_any_sequence_of_merges_equals_a_dictionary_by_open_time(operations: list[tuple[str, list]]) -> None:  # type: ignore[type-arg]
    s = series()
    model: dict[int, Candle] = {}
    for kind, rows in operations:
        batch = [Candle(m * MINUTE, p, p, p, p, v) for m, p, v in rows]
        if kind == "update":
            for c in batch:
                s.update(c)
                model[c.open_time_ms] = c
        else:
            s.merge(batch)
            # A merge applies its candles oldest first; the last of equal open times wins.
            for c in sorted(batch, key=lambda c: c.open_time_ms):
                model[c.open_time_ms] = c
    assert list(s.times) == sorted(model)
    for i, open_ms in enumerate(sorted(model)):
        got, want = s.candle(i), model[open_ms]
        assert (got.close, got.volume) == (want.close, want.volume)
