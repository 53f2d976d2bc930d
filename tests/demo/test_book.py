"""The price-time priority order book (terminal/demo/book.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.demo.book import BookOrder, OrderBook
from terminal.domain.enums import Side

D = Decimal


def order(order_id: str, side: Side, price: str, qty: str, account: str = "a") -> BookOrder:
    return BookOrder(order_id, account, side, D(price), D(qty))


def sample_book() -> OrderBook:
    book = OrderBook("BTCUSDT")
    for o in (
        order("1", Side.BUY, "99", "1"),
        order("2", Side.BUY, "100", "2"),
        order("3", Side.BUY, "100", "3"),
        order("4", Side.SELL, "101", "1"),
        order("5", Side.SELL, "102", "5"),
        order("6", Side.SELL, "101", "4"),
    ):
        book.add(o)
    return book


def test_best_prices_and_depth_best_first() -> None:
    book = sample_book()
    assert (book.best_bid, book.best_ask) == (D("100"), D("101"))
    bids, asks = book.depth()
    assert bids == [(D("100"), D("5")), (D("99"), D("1"))]
    assert asks == [(D("101"), D("5")), (D("102"), D("5"))]
    assert book.depth(1) == ([(D("100"), D("5"))], [(D("101"), D("5"))])
    assert len(book) == 6 and "3" in book and "9" not in book


def test_empty_book() -> None:
    book = OrderBook("BTCUSDT")
    assert (book.best_bid, book.best_ask) == (None, None)
    assert book.head(Side.BUY) is None
    assert book.depth() == ([], [])
    assert book.remove("1") is None


def test_head_is_fifo_within_the_best_level() -> None:
    book = sample_book()
    head = book.head(Side.BUY)
    assert head is not None and head.order_id == "2"
    assert [o.order_id for o in book.orders(Side.BUY)] == ["2", "3", "1"]
    assert [o.order_id for o in book.orders(Side.SELL)] == ["4", "6", "5"]


def test_remove_from_the_middle_keeps_the_queue_and_totals() -> None:
    book = sample_book()
    removed = book.remove("2")
    assert removed is not None and not removed.live
    head = book.head(Side.BUY)
    assert head is not None and head.order_id == "3"
    assert book.levels(Side.BUY) == [(D("100"), D("3")), (D("99"), D("1"))]
    assert book.get("2") is None


def test_removing_the_last_order_drops_the_level() -> None:
    book = sample_book()
    book.remove("1")
    assert book.levels(Side.BUY) == [(D("100"), D("5"))]
    book.remove("2")
    book.remove("3")
    assert book.best_bid is None


def test_partial_and_full_fills() -> None:
    book = sample_book()
    head = book.head(Side.SELL)
    assert head is not None
    book.fill(head, D("0.4"))
    assert head.qty == D("0.6") and book.levels(Side.SELL)[0] == (D("101"), D("4.6"))
    book.fill(head, D("0.6"))
    assert head.qty == 0 and "4" not in book
    nxt = book.head(Side.SELL)
    assert nxt is not None and nxt.order_id == "6"
    assert book.levels(Side.SELL)[0] == (D("101"), D("4"))


@pytest.mark.parametrize("qty", ["0", "1.5", "-1"])
def test_fill_refuses_impossible_quantities(qty: str) -> None:
    book = sample_book()
    head = book.head(Side.SELL)
    assert head is not None
    with pytest.raises(ValueError):
        book.fill(head, D(qty))


def test_add_refuses_duplicates_and_empty_orders() -> None:
    book = sample_book()
    with pytest.raises(ValueError):
        book.add(order("1", Side.BUY, "98", "1"))
    with pytest.raises(ValueError):
        book.add(order("7", Side.BUY, "98", "0"))


def test_equal_prices_with_different_exponents_share_a_level() -> None:
    book = OrderBook("BTCUSDT")
    book.add(order("1", Side.SELL, "101.0", "1"))
    book.add(order("2", Side.SELL, "101", "2"))
    assert book.levels(Side.SELL) == [(D("101"), D("3"))]


def test_many_cancels_inside_one_level_are_compacted() -> None:
    book = OrderBook("BTCUSDT")
    for i in range(1000):
        book.add(order(str(i), Side.BUY, "100", "1"))
    for i in range(1, 999):
        book.remove(str(i))
    assert [o.order_id for o in book.orders(Side.BUY)] == ["0", "999"]
    assert book.levels(Side.BUY) == [(D("100"), D("2"))]
    level = book._bids.levels[D("-100")]
    assert len(level.queue) < 100  # dead entries did not pile up


# A naive model: a list of live orders in arrival order; priority computed by sorting.
prices = st.integers(min_value=95, max_value=105).map(D)
qtys = st.integers(min_value=1, max_value=5).map(D)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(list(Side)), prices, qtys),
        st.tuples(st.just("remove"), st.integers(0, 60)),
        st.tuples(st.just("fill"), st.sampled_from(list(Side)), qtys),
    ),
    max_size=60,
)


@settings(max_examples=150)
@given(actions)
def test_book_matches_a_naive_model(steps: list[tuple[object, ...]]) -> None:
    book = OrderBook("X")
    model: list[BookOrder] = []  # arrival order
    next_id = 0

    def ranked(side: Side) -> list[BookOrder]:
        mine = [o for o in model if o.side is side]
        # sorted() is stable: equal prices keep arrival order.
        return sorted(mine, key=lambda o: -o.price if side is Side.BUY else o.price)

    for step in steps:
        if step[0] == "add":
            _, side, price, qty = step
            assert isinstance(side, Side) and isinstance(price, Decimal) and isinstance(qty, Decimal)
            entry = BookOrder(str(next_id), "a", side, price, qty)
            next_id += 1
            book.add(entry)
            model.append(BookOrder(entry.order_id, "a", side, price, qty))
        elif step[0] == "remove":
            target = str(step[1])
            removed = book.remove(target)
            expected = next((o for o in model if o.order_id == target), None)
            assert (removed is None) == (expected is None)
            if expected is not None:
                model.remove(expected)
        else:
            _, side, qty = step
            assert isinstance(side, Side) and isinstance(qty, Decimal)
            head = book.head(side)
            queue = ranked(side)
            assert (head is None) == (not queue)
            if head is not None:
                assert head.order_id == queue[0].order_id
                amount = min(qty, head.qty)
                book.fill(head, amount)
                queue[0].qty -= amount
                if queue[0].qty == 0:
                    model.remove(queue[0])
        for side in Side:
            queue = ranked(side)
            assert [o.order_id for o in book.orders(side)] == [o.order_id for o in queue]
            totals: dict[Decimal, Decimal] = {}
            for o in queue:
                totals[o.price] = totals.get(o.price, D(0)) + o.qty
            assert book.levels(side) == list(totals.items())
        assert len(book) == len(model)
