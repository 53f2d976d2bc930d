"""The agents' decisions on hand-made books: ladder geometry, filters and bands, informed and noise takers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from terminal.demo.agents import (
    LADDER_DEPTH,
    Band,
    Crowd,
    Geometry,
    Maker,
    Post,
    Pull,
    Take,
    informed_take,
    nice_gap,
    noise_take,
)
from terminal.demo.book import BookOrder, OrderBook
from terminal.demo.catalog import LISTINGS, Listing
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import validate_order

NO_BAND = Band.around(None, Geometry.of(LISTINGS[0], 9_500_000, 8.0))


def _listing(symbol: str) -> Listing:
    return next(listing for listing in LISTINGS if listing.instrument.symbol == symbol)


def _geometry(symbol: str, rate: float = 8.0) -> Geometry:
    listing = _listing(symbol)
    return Geometry.of(listing, float(listing.start_price / listing.instrument.tick_size), rate)


def _violations(listing: Listing, request: OrderRequest, reference: Decimal) -> list[str]:
    found = validate_order(request, listing.instrument, reference_price=reference)
    return [violation.message for violation in found]


def _rest(book: OrderBook, order_id: str, side: Side, price: str, qty: str) -> None:
    book.add(BookOrder(order_id, "someone", side, Decimal(price), Decimal(qty)))


def test_nice_gaps() -> None:
    assert [nice_gap(x) for x in (0.2, 1, 1.4, 1.6, 3, 4, 6, 8, 14, 250, 800)] == [
        1, 1, 1, 2, 2, 5, 5, 10, 10, 200, 1000
    ]  # fmt: skip


def test_the_ladder_is_finer_when_the_market_acts_faster() -> None:
    slow, fast = _geometry("BTCUSDT", 1.0), _geometry("BTCUSDT", 2000.0)
    assert slow.gap > fast.gap >= 1
    assert _geometry("USDTUSD").gap == 1  # a stable coin barely moves: every tick is a level
    assert _geometry("HSKUSDT").half_spread == 1


def test_fit_respects_every_quantity_and_value_limit() -> None:
    for listing in LISTINGS:
        geometry = _geometry(listing.instrument.symbol)
        reference = listing.start_price
        ticks = geometry.ticks(reference)
        for steps in (1, geometry.typical, 10**12):
            fitted = geometry.fit(steps, ticks)
            request = OrderRequest(
                listing.instrument.symbol,
                Side.BUY,
                OrderType.LIMIT,
                quantity=geometry.qty(fitted),
                price=geometry.price(ticks),
            )
            assert _violations(listing, request, reference) == []
        assert geometry.fit(geometry.typical, ticks) == geometry.typical


def test_the_band_keeps_orders_inside_ten_percent_of_the_last_price() -> None:
    geometry = _geometry("SOLUSDT")
    band = Band.around(Decimal("180.00"), geometry)
    assert band.clamp(Side.BUY, 25_000) == 19_800
    assert band.clamp(Side.SELL, 100) == 16_200
    assert band.allows(Side.BUY, 19_800) and not band.allows(Side.BUY, 19_801)
    assert band.allows(Side.SELL, 16_200) and not band.allows(Side.SELL, 16_199)
    assert NO_BAND.allows(Side.BUY, 10**12) and NO_BAND.allows(Side.SELL, 1)


def test_a_maker_fills_an_empty_book_with_a_tight_ladder() -> None:
    geometry = _geometry("SOLUSDT")
    maker = Maker(geometry, random.Random(1))
    book = OrderBook("SOLUSDT")
    p = 18_000.4
    posted = 0
    for n in range(200):
        intent = maker.upkeep(p, book, NO_BAND)
        if intent is None:
            break
        assert isinstance(intent, Post)
        for level, request in zip(intent.levels, intent.requests, strict=True):
            assert request.type is OrderType.LIMIT_MAKER
            assert request.price == geometry.price(level)
            assert _violations(_listing("SOLUSDT"), request, Decimal("180.00")) == []
            _rest(book, f"m{n}-{level}", intent.side, str(request.price), str(request.quantity))
            maker.placed(intent.side, level, f"m{n}-{level}")
            posted += 1
    assert posted == 2 * LADDER_DEPTH
    bids, asks = book.depth()
    assert len(bids) == len(asks) == LADDER_DEPTH
    assert bids[0][0] < Decimal("180.004") < asks[0][0]
    assert (asks[0][0] - bids[0][0]) / geometry.tick <= 2 * geometry.gap + 1  # a few ticks
    assert {b[0] - a[0] for a, b in zip(bids[1:], bids, strict=False)} == {geometry.gap * geometry.tick}


def test_a_maker_refills_what_takers_consumed_and_trims_what_the_price_left_behind() -> None:
    geometry = _geometry("HSKUSDT")
    maker = Maker(geometry, random.Random(2))
    book = OrderBook("HSKUSDT")

    def settle(p: float) -> int:
        count = 0
        while (intent := maker.upkeep(p, book, NO_BAND)) is not None:
            count += 1
            if isinstance(intent, Pull):
                book.remove(intent.order_id)
                maker.forget(intent.side, intent.ticks)
                continue
            assert isinstance(intent, Post)
            for level, request in zip(intent.levels, intent.requests, strict=True):
                order_id = f"{intent.side}{level}-{count}"
                _rest(book, order_id, intent.side, str(request.price), str(request.quantity))
                maker.placed(intent.side, level, order_id)
        return count

    settle(5500.5)
    best = book.head(Side.SELL)
    assert best is not None
    book.fill(best, best.qty)  # a taker took the best ask
    maker.touch()
    intent = maker.upkeep(5500.5, book, NO_BAND)
    assert isinstance(intent, Post) and intent.side is Side.SELL
    assert intent.requests[0].price == best.price
    settle(5500.5)
    settle(5540.5)  # the price rose 40 ticks: new levels above, the deepest bids cancelled
    bids, asks = book.depth()
    assert len(asks) >= LADDER_DEPTH
    assert LADDER_DEPTH <= len(bids) <= LADDER_DEPTH + maker.slack
    assert bids[0][0] < Decimal("0.55405") < asks[0][0]


def test_informed_traders_take_quotes_on_the_wrong_side_of_the_latent_price() -> None:
    geometry = _geometry("SOLUSDT")
    book = OrderBook("SOLUSDT")
    _rest(book, "a1", Side.SELL, "180.01", "1.5")
    _rest(book, "a2", Side.SELL, "180.02", "2")
    _rest(book, "a3", Side.SELL, "180.10", "4")
    _rest(book, "b1", Side.BUY, "179.90", "3")
    assert informed_take(geometry, 18_000.0, book, NO_BAND) is None
    take = informed_take(geometry, 18_005.3, book, NO_BAND)
    assert isinstance(take, Take) and take.informed
    request = take.request
    assert (request.side, request.type, request.time_in_force) == (Side.BUY, OrderType.LIMIT, TimeInForce.IOC)
    assert request.price == Decimal("180.05")
    assert request.quantity == Decimal("3.5")  # exactly what is priced below the latent price
    sell = informed_take(geometry, 17_980.0, book, NO_BAND)
    assert sell is not None and sell.request.side is Side.SELL and sell.request.price == Decimal("179.80")
    capped = informed_take(geometry, 18_005.3, book, Band.around(Decimal("163.68"), geometry))
    assert capped is not None and capped.request.price == Decimal("180.04")  # 163.68 x 1.1 = 180.048


@pytest.mark.parametrize("symbol", [listing.instrument.symbol for listing in LISTINGS])
def test_noise_takers_send_valid_market_and_ioc_orders_of_varied_size(symbol: str) -> None:
    listing = _listing(symbol)
    geometry = _geometry(symbol)
    rng = random.Random(9)
    p = float(listing.start_price / geometry.tick)
    book = OrderBook(symbol)
    _rest(book, "a", Side.SELL, str(geometry.price(round(p) + 1)), str(listing.typical_qty))
    _rest(book, "b", Side.BUY, str(geometry.price(round(p) - 1)), str(listing.typical_qty))
    band = Band.around(listing.start_price, geometry)
    kinds: set[tuple[Side, OrderType, bool]] = set()
    sizes: list[Decimal] = []
    for _ in range(400):
        take = noise_take(geometry, rng, p, book, band)
        assert take is not None and not take.informed
        request = take.request
        assert _violations(listing, request, listing.start_price) == []
        kinds.add((request.side, request.type, request.amount is not None))
        if request.quantity is not None:
            sizes.append(request.quantity)
    assert {(Side.BUY, OrderType.MARKET, False), (Side.BUY, OrderType.MARKET, True)} <= kinds
    assert {(Side.SELL, OrderType.MARKET, False), (Side.BUY, OrderType.LIMIT, False)} <= kinds
    assert (Side.SELL, OrderType.LIMIT, False) in kinds
    assert min(sizes) < listing.typical_qty < max(sizes)
    assert max(sizes) >= 3 * listing.typical_qty  # now and then a large order


def test_the_crowd_puts_informed_traders_first_then_the_maker_then_chance() -> None:
    geometry = _geometry("ETHBTC")
    crowd = Crowd(geometry, Maker(geometry, random.Random(3)), random.Random(4))
    book = OrderBook("ETHBTC")
    first = crowd.next_intent(3370.2, book, None)
    assert isinstance(first, Post)  # an empty book: the maker quotes
    _rest(book, "cheap", Side.SELL, "0.03360", "1")
    assert isinstance(crowd.next_intent(3370.2, book, None), Take)  # an ask below fair value is taken first
