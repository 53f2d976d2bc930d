"""The ladder's render model from hand-made books: grouping, cumulative sizes, bars, own orders, last trade."""

from __future__ import annotations

from decimal import Decimal as D

from terminal.domain.book import BookSide, OrderBook
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.market import PublicTrade
from terminal.domain.orders import Order
from terminal.ui.ladder.ladder_columns import Cell, Columns
from terminal.ui.ladder.ladder_model import PriceGrid, build_model, suggest_group, window

TICK, STEP = D("0.01"), D("0.00001")


def _book(bids: list[tuple[str, str]], asks: list[tuple[str, str]]) -> OrderBook:
    return OrderBook("BTCUSDT", BookSide(bids), BookSide(asks), 1, "1")


BOOK = _book(
    bids=[("100.03", "1"), ("100.02", "2"), ("100.01", "3"), ("99.99", "4")],
    asks=[("100.05", "1"), ("100.06", "2"), ("100.11", "5")],
)


def _order(
    cid: str, side: Side, price: str, qty: str, executed: str = "0", status: OrderStatus = OrderStatus.NEW
) -> Order:
    return Order(
        "BTCUSDT",
        side,
        OrderType.LIMIT,
        cid,
        quantity=D(qty),
        price=D(price),
        venue_status=status,
        executed_qty=D(executed),
    )


def test_the_grid_rounds_bids_down_and_asks_up_and_formats_with_the_tick() -> None:
    grid = PriceGrid(TICK, 5)
    assert grid.bid_row(D("100.04")) == grid.bid_row(D("100.00")) == 2000
    assert grid.ask_row(D("100.01")) == grid.ask_row(D("100.05")) == 2001
    assert grid.price(2001) == D("100.05") and grid.price_text(2001) == "100.05"
    assert PriceGrid(D("0.5"), 3).price_text(7) == "10.5"
    assert PriceGrid(D("1"), 1).price_text(95000) == "95000"


def test_grouping_sums_sizes_per_group_and_keeps_bids_below_asks() -> None:
    model = build_model(PriceGrid(TICK, 5), STEP, BOOK)
    assert {row: line.bid for row, line in model.rows.items() if line.bid} == {2000: D(6), 1999: D(4)}
    assert {row: line.ask for row, line in model.rows.items() if line.ask} == {2001: D(1), 2002: D(2), 2003: D(5)}
    assert (model.best_bid_row, model.best_ask_row) == (2000, 2001)
    assert (model.bid_rows, model.ask_rows) == (2, 3)
    assert model.rows[2000].bid_text == "6.00000" and model.grid.price_text(2000) == "100.00"
    ungrouped = build_model(PriceGrid(TICK, 1), STEP, BOOK)
    assert (ungrouped.best_bid_row, ungrouped.best_ask_row, ungrouped.bid_rows) == (10003, 10005, 4)
    assert ungrouped.is_spread(10004) and not ungrouped.is_spread(10003) and ungrouped.spread_text == "0.02"
    assert ungrouped.centre_row() == 10004


def test_cumulative_sizes_run_outwards_from_the_touch() -> None:
    model = build_model(PriceGrid(TICK, 5), STEP, BOOK)
    assert [model.rows[r].bid_cum for r in (2000, 1999)] == [D(6), D(10)]
    assert [model.rows[r].ask_cum for r in (2001, 2002, 2003)] == [D(1), D(3), D(8)]
    assert model.rows[2003].ask_cum_text == "8.00000"


def test_bars_are_proportional_to_the_largest_visible_size() -> None:
    model = build_model(PriceGrid(TICK, 1), STEP, BOOK)
    everything = window(model, top=10011, count=20)
    assert everything.scale == 5.0  # the ask of 5 at 100.11
    assert everything.bar(model.rows[10003].bid_size) == 0.2
    near = window(model, top=10006, count=4)  # 100.06 .. 100.03: the 5 is scrolled away
    assert near.scale == 2.0 and near.bar(model.rows[10005].ask_size) == 0.5
    assert near.rows[0] is model.rows[10006] and near.rows[2] is None  # 100.04: the spread
    assert window(model, top=0, count=3).scale == 0.0


def test_own_orders_are_summed_per_row_with_their_count_and_ids() -> None:
    orders = [
        _order("a", Side.BUY, "100.02", "0.5"),
        _order("b", Side.BUY, "100.01", "1", executed="0.25"),
        _order("c", Side.SELL, "100.07", "2"),
        _order("d", Side.BUY, "100.02", "9", status=OrderStatus.FILLED),  # no longer working: not shown
    ]
    model = build_model(PriceGrid(TICK, 5), STEP, BOOK, orders)
    buys = model.rows[2000]
    assert buys.own_buy == D("1.25") and buys.own_buy_ids == ("a", "b") and buys.own_buy_text == "1.25000 ×2"
    assert buys.own_buy_short == "1.25000"  # for a column too narrow for the count
    sells = model.rows[2002]  # 100.07 rounds up to 100.10
    assert sells.own_sell == D(2) and sells.own_sell_ids == ("c",) and sells.own_sell_text == "2.00000"
    assert model.rows[2002].ask == D(2)  # shares the row with the book's asks


def test_the_last_trade_sits_on_the_row_of_the_level_it_hit() -> None:
    grid = PriceGrid(TICK, 5)
    bought = PublicTrade("BTCUSDT", 1, D("100.06"), D("1"), buyer_is_maker=False)  # a buyer took the ask
    sold = PublicTrade("BTCUSDT", 1, D("100.02"), D("1"), buyer_is_maker=True)  # a seller hit the bid
    assert build_model(grid, STEP, BOOK, last=bought).last_row == 2002
    assert build_model(grid, STEP, BOOK, last=sold).last_row == 2000
    assert build_model(grid, STEP, None, last=sold).centre_row() == 2000  # no book: centre on the last trade


def test_the_suggested_grouping_gives_adjacent_levels_a_row_each() -> None:
    def spaced(gap: str) -> OrderBook:
        step = D(gap)
        return _book([(str(100 - i * step), "1") for i in range(5)], [(str(101 + i * step), "1") for i in range(5)])

    assert suggest_group(spaced("0.05"), TICK) == 5
    assert suggest_group(spaced("0.07"), TICK) == 5
    assert suggest_group(spaced("0.3"), TICK) == 20
    assert suggest_group(spaced("0.01"), TICK) == 1
    assert suggest_group(spaced("50"), TICK) == 1000  # the spin box's largest grouping
    assert suggest_group(_book([], []), TICK) == 1


def test_columns_split_the_width_and_map_clicks_to_sides() -> None:
    columns = Columns(700, 7)
    assert columns.edges[0] == 0 and columns.edges[-1] == 700
    assert columns.at(columns.centre(Cell.BID)) is Cell.BID and Cell.BID.side is Side.BUY
    assert columns.at(columns.centre(Cell.OWN_SELL)) is Cell.OWN_SELL and Cell.OWN_SELL.side is Side.SELL
    assert Cell.PRICE.side is None and columns.at(700) is None
    narrow = Columns(Columns.compact_width(7), 7)  # too narrow for all: the cumulative columns go first
    assert not narrow.shows(Cell.BID_CUM) and not narrow.shows(Cell.ASK_CUM) and narrow.shows(Cell.OWN_BUY)
    assert narrow.at(narrow.centre(Cell.BID)) is Cell.BID and narrow.at(narrow.lefts[Cell.ASK]) is Cell.ASK
