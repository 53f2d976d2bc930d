"""Several terminals at once: five users place, cross and cancel concurrently through their own clients;
every answer is consistent with the exchange's books, and not a unit of any asset is created or lost."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from terminal.demo.exchange import DemoExchange, DemoUser
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.venues.hashkey.client import HashKeyRestClient
from tests.demo.server.conftest import ClientFactory, D, seed_book

ASSETS = ("BTC", "USDT", "ETH", "USD")


def _limit(side: Side, price: Decimal, qty: str = "0.01") -> OrderRequest:
    return OrderRequest("BTCUSDT", side, OrderType.LIMIT, quantity=D(qty), price=price)


async def _trade(client: HashKeyRestClient, i: int) -> None:
    resting = [
        await client.create_order(_limit(Side.BUY, D(94_000) - i)),
        await client.create_order(_limit(Side.SELL, D(96_000) + i)),
        await client.create_order(_limit(Side.BUY, D(93_000) - i)),
    ]
    side = Side.SELL if i % 2 else Side.BUY
    await client.create_order(_limit(side, D(95_000), "0.02"))  # crosses another user's, or rests
    await client.create_order(OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("0.01")))
    first, second = (order.order_id or "" for order in resting[:2])
    await client.cancel_order(order_id=first)
    assert await client.cancel_orders_by_ids([second]) == []
    results = await client.batch_orders([_limit(Side.SELL, D(97_000) + i), _limit(Side.SELL, D(97_500) + i)])
    assert [r.code for r in results] == ["0000", "0000"]


async def test_five_users_trading_at_once_stay_consistent(exchange: DemoExchange, connect: ClientFactory) -> None:
    seed_book(exchange, levels=20)
    users: list[DemoUser] = [exchange.create_user({"BTC": D(1), "USDT": D(200_000)}) for _ in range(5)]
    before = {asset: exchange.engine.ledger.total(asset) for asset in ASSETS}
    clients = [connect(user.trading_key) for user in users]

    await asyncio.gather(*(_trade(client, i) for i, client in enumerate(clients)))

    assert {asset: exchange.engine.ledger.total(asset) for asset in ASSETS} == before
    for user, client in zip(users, clients, strict=True):
        open_orders = await client.open_orders()
        assert {o.order_id for o in open_orders} == {v.order_id for v in exchange.engine.open_orders(user.main_account)}
        assert all(o.venue_status in (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED) for o in open_orders)
        assert len(open_orders) >= 3  # a bid, two batch asks (and a crossing order if it found no partner)
        seen = {b.asset: (b.free, b.locked) for b in (await client.account()).balances}
        assert seen == {b.asset: (b.free, b.locked) for b in exchange.engine.balances(user.main_account)}
        fills = await client.account_trades()
        assert sum(f.quantity for f in fills if f.side is Side.BUY) >= D("0.01")  # at least the market buy
