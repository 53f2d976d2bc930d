"""The ticket's words and sizes for the stock order types (no Qt): the submit button, the liquidity, odd-lot sizes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.ui.ticket.draft import TicketInput
from terminal.ui.ticket.sizing import Liquidity, SizeQuery, liquidity, percent_size
from terminal.ui.ticket.ticket_text import submit_label
from tests.ui.test_ticket_order_types import BOARD_LOTS

D = Decimal


def _label(order_type: OrderType, price: str | None) -> str:
    request = OrderRequest(
        "AAPL", Side.BUY, order_type, D(300), D(price) if price else None, time_in_force=TimeInForce.DAY
    )
    return submit_label(request, Side.BUY, BOARD_LOTS)


def test_the_submit_button_names_the_type() -> None:
    assert _label(OrderType.LIMIT, "181.00") == "Buy 300 AAPL at 181.00"
    assert _label(OrderType.ENHANCED_LIMIT, "181.00") == "Buy 300 AAPL at 181.00 (enhanced limit)"
    assert _label(OrderType.AT_AUCTION_LIMIT, "181.00") == "Buy 300 AAPL at 181.00 (at-auction limit)"
    assert _label(OrderType.SPECIAL_LIMIT, "181.00") == "Buy 300 AAPL at 181.00 (special limit)"
    assert _label(OrderType.AT_AUCTION, None) == "Buy 300 AAPL at auction"
    assert _label(OrderType.MARKET, None) == "Buy 300 AAPL at market"


@pytest.mark.parametrize("order_type", list(OrderType))
def test_the_ticket_reads_a_price_exactly_for_priced_types(order_type: OrderType) -> None:
    ticket = TicketInput("AAPL", Side.BUY, order_type, None, by_amount=True)
    assert ticket.uses_price is order_type.takes_price
    assert ticket.uses_amount is (order_type is OrderType.MARKET)  # buy by amount stays a market order's


def test_orders_that_never_rest_take() -> None:
    for order_type in (OrderType.MARKET, OrderType.AT_AUCTION, OrderType.SPECIAL_LIMIT):
        assert liquidity(Side.BUY, order_type, TimeInForce.DAY, D(1), None, None) is Liquidity.TAKER
    for order_type in (OrderType.ENHANCED_LIMIT, OrderType.ODD_LOT, OrderType.AT_AUCTION_LIMIT):
        assert liquidity(Side.BUY, order_type, TimeInForce.DAY, D(1), None, D(2)) is Liquidity.MAKER


def test_a_percentage_of_an_odd_lot_stays_below_one_board_lot() -> None:
    def size(percent: int, side: Side, order_type: OrderType = OrderType.ODD_LOT) -> Decimal | None:
        query = SizeQuery(percent, side, order_type, TimeInForce.DAY, False, D(10_000), D(100))
        return percent_size(query, BOARD_LOTS, None)

    assert size(25, Side.BUY) == D(25)  # 2,500 USD at 100: 25 shares
    assert size(100, Side.BUY) == D(99)  # 100 shares would be a whole lot
    assert size(100, Side.BUY, OrderType.LIMIT) == D(100)
    assert size(50, Side.SELL, OrderType.LIMIT) == D(5000)
