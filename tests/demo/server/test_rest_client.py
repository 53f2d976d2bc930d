"""The terminal's own HashKey client against the demo exchange, unchanged but for the base URL: all 42
endpoints answer, and what they answer makes sense (placed orders show, cancels remove, fills move money)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from terminal.demo.exchange import DemoExchange
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.intervals import Interval
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import InsufficientFunds, OrderRejected, PermissionDenied, VenueError
from terminal.venues.hashkey import endpoints
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.models import AccountBalances
from tests.demo.server.conftest import ClientFactory, client_for, make_app, seed_book
from tests.support.http_recorder import serve

D = Decimal
FAR = 99_999_999_999_999


def limit(side: Side, price: str, qty: str = "0.01", client_id: str | None = None) -> OrderRequest:
    return OrderRequest("BTCUSDT", side, OrderType.LIMIT, quantity=D(qty), price=D(price), client_order_id=client_id)


def balance(account: AccountBalances, asset: str) -> Decimal:
    return next(b.total for b in account.balances if b.asset == asset)


async def _trading(client: HashKeyRestClient, exchange: DemoExchange) -> None:
    seed_book(exchange)
    await client.test_order(limit(Side.BUY, "90000"))
    with pytest.raises(OrderRejected) as rejected:
        await client.test_order(limit(Side.BUY, "90000", qty="0.00001"))
    assert rejected.value.code == "-1136"
    assert await client.open_orders() == []  # the test placed nothing

    placed = await client.create_order(limit(Side.BUY, "90000", client_id="rest-1"))
    assert placed.venue_status is OrderStatus.NEW and placed.client_order_id == "rest-1"
    assert [o.order_id for o in await client.open_orders()] == [placed.order_id]
    assert (await client.get_order(client_order_id="rest-1")).order_id == placed.order_id
    await client.cancel_order(order_id=placed.order_id)
    assert await client.open_orders() == []
    assert (await client.get_order(order_id=placed.order_id)).venue_status is OrderStatus.CANCELED

    before = await client.account()
    bought = await client.create_order(
        OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("0.1")), v1_path=True
    )
    assert bought.venue_status is OrderStatus.FILLED
    fills = await client.account_trades(symbol="BTCUSDT")
    assert {f.order_id for f in fills} == {bought.order_id}
    assert sum(f.quantity for f in fills) == D("0.1")
    after = await client.account()
    spent = sum(f.price * f.quantity for f in fills)
    assert balance(after, "USDT") == balance(before, "USDT") - spent
    assert balance(after, "BTC") == balance(before, "BTC") + D("0.1") - sum(f.commission for f in fills)

    results = await client.batch_orders([limit(Side.BUY, "89000"), limit(Side.BUY, "89001", qty="0.00001")])
    assert [r.code for r in results] == ["0000", "-1136"]
    batched = results[0].order
    assert batched is not None and batched.order_id is not None
    failures = await client.cancel_orders_by_ids([batched.order_id, "1"])
    assert [(f.order_id, f.code) for f in failures] == [("1", "0211")]
    await client.create_order(limit(Side.BUY, "88000"))
    assert await client.cancel_open_orders("BTCUSDT") is True
    await client.create_order(limit(Side.SELL, "99000"))
    cancel_all = await client.cancel_all_open_orders()
    assert cancel_all.code == "0000" and cancel_all.last_order_id != "0"
    assert await client.open_orders() == []
    finished = await client.trade_orders(symbol="BTCUSDT")
    assert {o.venue_status for o in finished} == {OrderStatus.CANCELED, OrderStatus.FILLED}
    assert len(finished) == 5


async def _account(client: HashKeyRestClient, exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    user = exchange.user
    vip = await client.vip_info()
    assert vip.fees["BTCUSDT"].maker_rate == D("0.0015")
    assert set((await client.vip_info(["ETHUSDT"])).fees) == {"ETHUSDT"}
    types = await client.account_types()
    assert [(t.account_id, t.account_type) for t in types] == [
        (user.main_account, 1),
        (user.custody_account, 5),
        (user.fiat_account, 6),
    ]
    assert (await client.api_key_type()).account_type == "Master Account"
    transfer = await client.asset_transfer(
        user.main_account, user.custody_account, "USDT", D(1000), client_order_id="t1"
    )
    assert transfer.success and transfer.client_order_id == "t1"
    assert balance(await client.account(user.custody_account), "USDT") == D(1000)
    flows = await client.balance_flow(0, FAR, flow_type=51, account_type=5)
    assert [(f.change, f.total) for f in flows] == [(D(1000), D(1000))]
    deposit = await http.post("/_demo/deposit", json={"api_key": user.trading_key.key, "coin": "USD", "quantity": 75})
    assert deposit.status_code == 200
    fiat = await client.fiat_history("deposit", 0, FAR)
    assert [(f.asset, f.gross_amount, f.status) for f in fiat] == [("USD", D(75), "successful")]
    assert await client.fiat_history("withdraw", 0, FAR) == []


async def _wallet(client: HashKeyRestClient, exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    user = exchange.user
    chains = await client.chain_types("USDT")
    assert chains[0].chain_types == ("ETH", "Tron")
    info = await client.coin_info("BTC")
    assert [c.coin_id for c in info.coins] == ["BTC"] and info.chain_types[0].chain_type == "BTC"
    address = await client.deposit_address("USDT", "Tron")
    assert address.address.startswith("T") and address.address == (await client.deposit_address("USDT", "Tron")).address
    assert address.address != (await client.deposit_address("USDT", "ETH")).address
    answer = await http.post(
        "/_demo/deposit", json={"api_key": user.trading_key.key, "coin": "USDT", "quantity": "300", "chainType": "Tron"}
    )
    assert answer.status_code == 200
    deposits = await client.deposit_orders()
    assert [(d.coin, d.quantity, d.status, d.address) for d in deposits] == [("USDT", D(300), 4, address.address)]
    assert (await client.deposit_orders(coin="ETH_USDT")) == []
    assert (await client.auth_address(deposits[0].tx_id, "OKX", True, institutional_name="Acme")).success
    custody = balance(await client.account(user.custody_account), "USDT")
    withdrawn = await client.withdraw("USDT", "w-1", "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505", D(120), "ETH")
    assert withdrawn.success and withdrawn.account_id == user.custody_account
    assert balance(await client.account(user.custody_account), "USDT") == custody - 120
    [record] = await client.withdraw_orders()
    assert (record.id, record.quantity, record.arrive_quantity) == (withdrawn.order_id, D(120), D(115))
    with pytest.raises(InsufficientFunds):
        await client.withdraw("USDT", "w-2", "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505", D(500_000), "ETH")


async def _sub_accounts(client: HashKeyRestClient, exchange: DemoExchange) -> None:
    main = exchange.user.main_account
    placed = await client.create_order(limit(Side.BUY, "80000"))
    assert [o.order_id for o in await client.sub_account_open_orders(main)] == [placed.order_id]
    await client.cancel_order(order_id=placed.order_id)
    assert placed.order_id in {o.order_id for o in await client.sub_account_trade_orders(main)}
    assert await client.sub_account_trades() == []
    assert await client.sub_account_trades(main) == await client.account_trades()
    other = exchange.create_user({}).main_account
    with pytest.raises(PermissionDenied) as foreign:
        await client.sub_account_open_orders(other)
    assert foreign.value.code == "0104"
    with pytest.raises(VenueError) as unknown:
        await client.sub_account_trade_orders("123")
    assert unknown.value.code == "-1160"


async def _market(client: HashKeyRestClient, exchange: DemoExchange) -> None:
    info = await client.exchange_info()
    assert [i.symbol for i in info.instruments] == list(exchange.listings) and not info.skipped
    btc = info.instrument("BTCUSDT")
    assert btc is not None and btc == exchange.engine.instrument("BTCUSDT")
    assert {c.coin_id for c in info.coins} >= {"BTC", "USDT", "ETH"}
    book = await client.depth("BTCUSDT", limit=2)
    assert len(book.bids) == 2 and book.asks[0][0] > book.bids[0][0]
    merged = await client.merged_depth("BTCUSDT", scale=3)  # buckets of 10 USDT
    assert all(price % 10 == 0 for price, _ in merged.bids + merged.asks)
    trades = await client.recent_trades("BTCUSDT")
    assert trades and all(t.symbol == "BTCUSDT" for t in trades)
    candles = await client.klines("BTCUSDT", Interval.M1, limit=5)
    assert candles[-1].close == trades[-1].price
    tickers = await client.ticker_24hr("BTCUSDT")
    assert tickers[0].last == trades[-1].price
    assert (await client.ticker_price())["BTCUSDT"] == trades[-1].price
    [top] = await client.book_ticker("BTCUSDT")
    assert (top.bid, top.ask) == (book.bids[0][0], book.asks[0][0])
    await client.ping()
    assert abs(await client.server_time() - exchange.now_ms()) < 5_000


async def _stream(client: HashKeyRestClient, exchange: DemoExchange) -> None:
    key = await client.create_listen_key()
    assert exchange.listen_keys.account_of(key, exchange.now_ms()) == exchange.user.main_account
    await client.reset_listen_key(key)
    await client.delete_listen_key(key)
    assert exchange.listen_keys.account_of(key, exchange.now_ms()) is None


class Recording:
    """ASGI middleware noting the (method, path, status) of every answer in ``seen``."""

    def __init__(self, app: ASGIApp, seen: set[tuple[str, str, int]]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seen.add((scope["method"], scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, noting)


@pytest.fixture
async def recorded(exchange: DemoExchange) -> AsyncIterator[tuple[str, set[tuple[str, str, int]]]]:
    seen: set[tuple[str, str, int]] = set()
    app = make_app(exchange)
    app.add_middleware(Recording, seen=seen)
    async with serve(app) as base:
        yield base, seen


async def test_trading(connect: ClientFactory, exchange: DemoExchange) -> None:
    await _trading(connect(exchange.user.trading_key), exchange)


async def test_account(connect: ClientFactory, exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    await _account(connect(exchange.user.trading_key), exchange, http)


async def test_wallet(connect: ClientFactory, exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    await _wallet(connect(exchange.user.trading_key), exchange, http)


async def test_sub_accounts(connect: ClientFactory, exchange: DemoExchange) -> None:
    await _sub_accounts(connect(exchange.user.trading_key), exchange)


async def test_market_data(connect: ClientFactory, exchange: DemoExchange) -> None:
    client = connect(exchange.user.trading_key)
    seed_book(exchange)
    await client.create_order(OrderRequest("BTCUSDT", Side.SELL, OrderType.MARKET, quantity=D("0.3")))
    await _market(client, exchange)


async def test_listen_keys(connect: ClientFactory, exchange: DemoExchange) -> None:
    await _stream(connect(exchange.user.trading_key), exchange)


async def test_every_endpoint_of_the_client_answers(
    exchange: DemoExchange, recorded: tuple[str, set[tuple[str, str, int]]]
) -> None:
    base, seen = recorded
    async with httpx.AsyncClient(base_url=base) as http, client_for(base, exchange.user.trading_key) as client:
        await _trading(client, exchange)
        await _account(client, exchange, http)
        await _wallet(client, exchange, http)
        await _sub_accounts(client, exchange)
        await _market(client, exchange)
        await _stream(client, exchange)
    answered = {(method, path) for method, path, status in seen if status == 200}
    wanted = {(e.method, e.path) for e in endpoints.ALL}
    assert len(endpoints.ALL) == 42
    assert wanted <= answered, sorted(wanted - answered)
