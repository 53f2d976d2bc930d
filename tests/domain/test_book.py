"""The client-side book: lazy level parsing, and a version gate that never goes backwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.book import BookKeeper, BookSide, OrderBook, parse_version
from terminal.domain.decimals import DecimalParseError
from terminal.domain.market import BookSnapshot


def book(version: str, t: int = 0, bid: str = "100.5") -> OrderBook:
    return OrderBook("X", BookSide([[bid, "1"], ["100.4", "2"]]), BookSide([["100.6", "3"]]), t, version)


def test_levels_parse_when_read() -> None:
    b = book("1_1")
    assert b.best_bid == Decimal("100.5")
    assert b.bids.top(5) == [(Decimal("100.5"), Decimal(1)), (Decimal("100.4"), Decimal(2))]
    assert b.best_ask == Decimal("100.6")
    assert b.mid == Decimal("100.55")


def test_a_bad_level_fails_only_when_read_and_names_the_field() -> None:
    b = OrderBook("X", BookSide([["oops", "1"]]), BookSide([]), 0, "")
    assert len(b.bids) == 1
    with pytest.raises(DecimalParseError, match="price"):
        b.bids[0]


def test_versions_compare_numerically() -> None:
    assert parse_version("538222447_18") == (538222447, 18)
    assert parse_version("9_2") < parse_version("10_1")  # type: ignore[operator]
    assert parse_version("abc") is None


def test_out_of_order_and_duplicate_books_are_dropped() -> None:
    keeper = BookKeeper()
    assert keeper.apply(book("10_1"))
    assert not keeper.apply(book("10_1"))
    assert not keeper.apply(book("9_5"))
    assert keeper.apply(book("11_1"))
    assert keeper.dropped == 2


def test_a_rest_seed_without_version_yields_to_a_newer_stream_book() -> None:
    keeper = BookKeeper()
    seed = OrderBook.from_snapshot(BookSnapshot("X", ((Decimal(1), Decimal(1)),), (), 1000))
    assert keeper.apply(seed)
    assert not keeper.apply(book("5_1", t=999))
    assert keeper.apply(book("5_1", t=1001))


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3)), max_size=60))
def test_the_book_after_any_sequence_equals_a_naive_model(messages: list[tuple[int, int]]) -> None:
    keeper = BookKeeper()
    newest: tuple[int, int] | None = None
    for major, minor in messages:
        keeper.apply(book(f"{major}_{minor}", bid=f"{major}.{minor}"))
        if newest is None or (major, minor) > newest:
            newest = (major, minor)
    if newest is None:
        assert keeper.book is None
    else:
        assert keeper.book is not None
        assert keeper.book.version == f"{newest[0]}_{newest[1]}"
        assert keeper.book.best_bid == Decimal(f"{newest[0]}.{newest[1]}")
