"""Decoding HashKey replies: the document's shapes, its spelling variants, and malformed input."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from terminal.domain.enums import OrderStatus, SymbolStatus
from terminal.domain.order_state import apply_update, new_order, report_of
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import MalformedResponse
from terminal.venues.hashkey import mapping
from terminal.venues.wire import WireObject
from tests.venues.hashkey import doc_examples as doc


def test_a_malformed_symbol_is_skipped_and_reported_not_fatal() -> None:
    broken = copy.deepcopy(doc.SYMBOL)
    broken["symbol"] = "BROKEN"
    broken["filters"][0]["tickSize"] = "abc"
    info = mapping.exchange_info({"symbols": [broken, doc.SYMBOL], "coins": []})
    assert [i.symbol for i in info.instruments] == ["USDTAED"]
    assert len(info.skipped) == 1
    assert "symbols[0].filters[0].tickSize" in info.skipped[0]


def test_a_symbol_without_lot_size_is_skipped() -> None:
    broken = copy.deepcopy(doc.SYMBOL)
    broken["filters"] = [f for f in broken["filters"] if f["filterType"] != "LOT_SIZE"]
    info = mapping.exchange_info({"symbols": [broken]})
    assert info.instruments == ()
    assert "LOT_SIZE" in info.skipped[0]


def test_an_unknown_symbol_status_is_not_tradable() -> None:
    odd = {**doc.SYMBOL, "status": "SOMETHING_NEW"}
    (inst,) = mapping.exchange_info({"symbols": [odd]}).instruments
    assert inst.status is SymbolStatus.HALT
    assert not inst.is_trading


def test_the_single_symbol_example_shape_is_accepted() -> None:
    info = mapping.exchange_info(doc.SYMBOL)
    assert [i.symbol for i in info.instruments] == ["USDTAED"]


def test_old_and_new_spelling_of_cumulative_quote_quantity() -> None:
    old_only = {k: v for k, v in doc.QUERY_ORDER.items() if k != "cumulativeQuoteQty"}
    assert mapping.order(WireObject(old_only, "o")).cumulative_quote_qty == Decimal("11292.24")


def test_an_order_with_an_unknown_status_is_malformed() -> None:
    with pytest.raises(MalformedResponse, match=r"o\.status has an unknown value"):
        mapping.order(WireObject({**doc.QUERY_ORDER, "status": "EXPIRED_IN_MATCH"}, "o"))


def test_a_venue_order_merges_into_the_terminals_order() -> None:
    venue = mapping.order(WireObject(doc.OPEN_ORDERS[0], "o"))
    request = OrderRequest(venue.symbol, venue.side, venue.type, venue.quantity, venue.price)
    mine = new_order(request, venue.client_order_id, now_ms=1)
    merged = apply_update(mine, report_of(venue))
    assert merged.status is OrderStatus.NEW
    assert merged.order_id == venue.order_id


def test_numbers_sent_as_json_numbers_keep_their_digits() -> None:
    book = mapping.book("X", {"t": 1, "b": [[0.1, 3]], "a": [["0.2", "1e-8"]]})
    assert book.bids == ((Decimal("0.1"), Decimal(3)),)
    assert book.asks[0][1] == Decimal("1e-8")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"t": 1, "b": [["1"]], "a": []}, r"depth\.b\[0\]"),
        ({"t": 1, "b": "x", "a": []}, r"depth\.b should be a list"),
        ([], r"depth should be an object"),
    ],
)
def test_broken_books_name_the_place(data: object, where: str) -> None:
    with pytest.raises(MalformedResponse, match=where):
        mapping.book("X", data)


def test_booleans_are_not_numbers_and_text_booleans_are_read() -> None:
    obj = WireObject({"n": True, "f": "false", "t": "1700000000000"}, "x")
    with pytest.raises(MalformedResponse, match=r"x\.n"):
        obj.integer("n")
    assert obj.flag("f") is False
    assert obj.integer("t") == 1_700_000_000_000
