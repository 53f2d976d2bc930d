"""The living market end to end, on a clock the tests drive: books, trades, candles, users' orders."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from decimal import Decimal

import pytest

from terminal.demo.agents import LADDER_DEPTH
from terminal.demo.exchange import DemoConfig, DemoExchange
from terminal.demo.market_data import MINUTE_MS
from terminal.demo.simulator import AGENT_BALANCE, MarketSimulator
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.intervals import Interval
from terminal.domain.market import PublicTrade
from terminal.domain.orders import OrderRequest

T0 = 1_760_000_017_345  # mid-minute


class Clock:
    def __init__(self, now_ms: int) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms


def _market(config: DemoConfig | None = None) -> tuple[DemoExchange, MarketSimulator, Clock]:
    clock = Clock(T0)
    exchange = DemoExchange(config, clock=clock)
    simulator = MarketSimulator(exchange)
    simulator.bootstrap()
    return exchange, simulator, clock


def _tape(exchange: DemoExchange) -> dict[str, list[PublicTrade]]:
    tape: dict[str, list[PublicTrade]] = defaultdict(list)
    for symbol in exchange.listings:
        exchange.bus.subscribe(("trade", symbol), tape[symbol].append)
    return tape


def _drive(simulator: MarketSimulator, clock: Clock, seconds: float, step_ms: int = 250) -> int:
    actions = 0
    for _ in range(int(seconds * 1000 / step_ms)):
        clock.now_ms += step_ms
        actions += simulator.step(clock.now_ms)
    return actions


def _assert_sane(exchange: DemoExchange, symbol: str, levels: int = 20) -> None:
    bids, asks = exchange.engine.book(symbol).depth()
    assert len(bids) >= levels, symbol
    assert len(asks) >= levels, symbol
    assert bids[0][0] < asks[0][0], symbol


def test_bootstrap_loads_a_month_of_history_and_fills_every_book() -> None:
    exchange, simulator, _ = _market()
    minute = T0 - T0 % MINUTE_MS
    for symbol, listing in exchange.listings.items():
        days = exchange.market.klines(symbol, Interval.D1, T0, limit=100)
        assert len(days) >= exchange.config.history_days
        recent = exchange.market.klines(symbol, Interval.M1, T0, limit=3)
        assert recent[-2].open_time_ms == minute - MINUTE_MS  # history ends with the previous minute
        close = recent[-2].close
        assert close == listing.start_price
        bids, asks = exchange.engine.book(symbol).depth()
        assert len(bids) == len(asks) == LADDER_DEPTH
        assert bids[0][0] < close < asks[0][0]
        geometry = simulator.geometry(symbol)
        assert (asks[0][0] - bids[0][0]) / geometry.tick <= 2 * geometry.gap + 1  # a few ticks (or levels)
        assert abs((asks[0][0] + bids[0][0]) / 2 - close) / close < Decimal("0.001")
        assert simulator.latent_price(symbol) == close
        for account in simulator.accounts(symbol):
            held = {b.asset: b.free + b.locked for b in exchange.engine.balances(account)}
            assert held[listing.instrument.base_asset] >= AGENT_BALANCE / 2
            assert held[listing.instrument.quote_asset] >= AGENT_BALANCE / 2


def test_bootstrap_is_done_once() -> None:
    exchange, simulator, _ = _market(DemoConfig(symbols=("SOLUSDT",)))
    orders = len(exchange.engine.book("SOLUSDT"))
    simulator.bootstrap()
    assert len(exchange.engine.book("SOLUSDT")) == orders


def test_the_market_trades_and_keeps_its_books_deep_and_its_candles_consistent() -> None:
    exchange, simulator, clock = _market()
    tape = _tape(exchange)
    for _ in range(4 * 150):  # two and a half simulated minutes
        clock.now_ms += 250
        simulator.step(clock.now_ms)
        for symbol in exchange.listings:
            book = exchange.engine.book(symbol)
            assert book.best_bid is not None and book.best_ask is not None
            assert book.best_bid < book.best_ask, symbol
    now = clock.now_ms
    minute = now - now % MINUTE_MS
    for symbol in exchange.listings:
        trades = tape[symbol]
        assert len(trades) > 100, symbol
        _assert_sane(exchange, symbol)
        for start in (minute - MINUTE_MS, minute):  # a whole minute and the one in progress
            candle = exchange.market.current_candle(symbol, Interval.M1, start)
            mine = [t for t in trades if start <= t.time_ms < start + MINUTE_MS]
            assert candle is not None and mine
            assert candle.volume == sum(t.quantity for t in mine)
            assert candle.trades == len(mine)
            assert candle.high == max(t.price for t in mine)
            assert candle.low == min(t.price for t in mine)
            assert candle.close == mine[-1].price
            assert candle.taker_buy_volume == sum(t.quantity for t in mine if not t.buyer_is_maker)
        ticker = exchange.ticker(symbol)
        assert ticker is not None
        assert ticker.last == trades[-1].price
        assert ticker.best_bid == exchange.engine.book(symbol).best_bid
        assert exchange.market.recent_trades(symbol, 1)[0] == trades[-1]


def test_the_price_wanders_around_the_latent_price() -> None:
    exchange, simulator, clock = _market(DemoConfig(symbols=("BTCUSDT", "SOLUSDT")))
    _drive(simulator, clock, 120)
    for symbol in exchange.listings:
        last = exchange.engine.last_price(symbol)
        assert last is not None
        assert abs(last - simulator.latent_price(symbol)) / last < Decimal("0.002")
        assert last != exchange.listings[symbol].start_price  # it moved


def test_actions_per_second_track_the_configured_rate() -> None:
    exchange, simulator, clock = _market(DemoConfig(rate=8.0))
    seconds = 120
    actions = _drive(simulator, clock, seconds)
    per_symbol = actions / seconds / len(exchange.listings)
    assert 7.0 < per_symbol < 9.0
    exchange, simulator, clock = _market(DemoConfig(rate=60.0, symbols=("ETHUSDT",)))
    assert 50.0 < _drive(simulator, clock, 30) / 30 < 70.0


def test_same_seed_and_clock_give_the_same_market_another_seed_does_not() -> None:
    def tape(seed: int) -> list[tuple[int, Decimal, Decimal, bool, str]]:
        exchange, simulator, clock = _market(DemoConfig(seed=seed, symbols=("BTCUSDT", "HSKUSDT")))
        trades = _tape(exchange)
        _drive(simulator, clock, 40, step_ms=333)
        return [(t.time_ms, t.price, t.quantity, t.buyer_is_maker, t.trade_id) for s in trades for t in trades[s]]

    first = tape(7)
    assert first
    assert tape(7) == first
    assert tape(8) != first


def test_a_users_market_buy_fills_against_the_makers() -> None:
    exchange, simulator, clock = _market(DemoConfig(symbols=("BTCUSDT",)))
    _drive(simulator, clock, 10)
    user = exchange.user.main_account
    best_ask = exchange.engine.book("BTCUSDT").best_ask
    assert best_ask is not None
    result = exchange.place(user, OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=Decimal("0.05")))
    assert result.order.status is OrderStatus.FILLED
    assert result.fills and all(best_ask <= fill.price < best_ask * Decimal("1.01") for fill in result.fills)
    maker = simulator.accounts("BTCUSDT")[0]
    sold = exchange.engine.account_trades(maker, symbol="BTCUSDT", limit=len(result.fills))
    assert {t.ticket_id for t in sold} == {f.ticket_id for f in result.fills}
    _drive(simulator, clock, 5)
    _assert_sane(exchange, "BTCUSDT")  # the makers refilled what the user took


def test_a_users_resting_limit_buy_below_the_market_gets_filled() -> None:
    exchange, simulator, clock = _market(DemoConfig(symbols=("SOLUSDT",)))
    book = exchange.engine.book("SOLUSDT")
    assert book.best_bid is not None
    price = book.best_bid - 3 * Decimal("0.01")
    user = exchange.user.main_account
    placed = exchange.place(user, OrderRequest("SOLUSDT", Side.BUY, OrderType.LIMIT, quantity=Decimal(2), price=price))
    assert placed.order.status is OrderStatus.NEW
    order_id = placed.order.order_id
    for _ in range(4 * 60):
        _drive(simulator, clock, 0.25)
        if exchange.engine.order(user, order_id=order_id).status is OrderStatus.FILLED:
            break
    order = exchange.engine.order(user, order_id=order_id)
    assert order.status is OrderStatus.FILLED
    assert order.executed_qty == Decimal(2)
    assert order.cumulative_quote_qty == 2 * price  # a resting order fills at its own price


def test_refused_agent_orders_are_logged_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    exchange, simulator, clock = _market(DemoConfig(symbols=("ETHUSDT",)))
    maker, taker = simulator.accounts("ETHUSDT")
    for account in (maker, taker):
        for asset in ("ETH", "USDT"):  # the agents go broke: every order they send is refused
            exchange.withdraw(account, asset, exchange.engine.ledger.free(account, asset))
    with caplog.at_level(logging.DEBUG, logger="terminal.demo.simulator"):
        actions = _drive(simulator, clock, 30)
    assert actions > 100
    assert any("refused" in record.getMessage() for record in caplog.records)


def test_the_schedule_survives_the_clock_being_set_back_and_long_stalls() -> None:
    exchange, simulator, clock = _market(DemoConfig(symbols=("HSKUSDT",), rate=20.0))
    _drive(simulator, clock, 5)
    clock.now_ms -= 10 * MINUTE_MS  # the exchange's clock set back
    assert 60 < _drive(simulator, clock, 5) < 140
    clock.now_ms += 3_600_000  # an hour without a step: skipped, not replayed
    assert simulator.step(clock.now_ms) < 100
    assert 60 < _drive(simulator, clock, 5) < 140
    _assert_sane(exchange, "HSKUSDT")


async def test_run_acts_in_real_time_until_stopped() -> None:
    exchange = DemoExchange(DemoConfig(rate=200.0, symbols=("SOLUSDT", "USDTUSD")))
    simulator = MarketSimulator(exchange)
    tape = _tape(exchange)
    stop = asyncio.Event()
    task = asyncio.create_task(simulator.run(stop))
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.wait_for(task, 2)
    assert task.done() and task.exception() is None
    assert len(tape["SOLUSDT"]) > 5 and len(tape["USDTUSD"]) > 5
    for symbol in exchange.listings:
        _assert_sane(exchange, symbol)
