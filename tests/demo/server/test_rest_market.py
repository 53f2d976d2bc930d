"""Public market data in detail: default and maximum page sizes, merged depth buckets, kline rows,
tickers of traded and untraded pairs, and the document's own sample client."""

from __future__ import annotations

import hashlib
import hmac
import time
from decimal import Decimal
from urllib.parse import urlencode

import httpx
import pytest

from terminal.demo.exchange import DemoExchange
from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import OrderRequest
from tests.demo.server.conftest import D, seed_book


def _ladder(exchange: DemoExchange, count: int) -> None:
    """``count`` bids and asks a tick apart, of quantities 0.001 x level (makers hold at most 300 orders each)."""
    tick = D("0.01")
    for i in range(1, count + 1):
        if i % 100 == 1:
            maker = exchange.create_user({"BTC": D(1000), "USDT": D(10**9)})
        qty = D("0.001") * i
        for side, price in ((Side.SELL, D(95_000) + tick * i), (Side.BUY, D(95_000) - tick * i)):
            exchange.place(
                maker.main_account, OrderRequest("BTCUSDT", side, OrderType.LIMIT, quantity=qty, price=price)
            )


async def test_depth_pages(exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    _ladder(exchange, 250)

    async def sizes(**params: str) -> tuple[int, int]:
        book = (await http.get("/quote/v1/depth", params={"symbol": "BTCUSDT", **params})).json()
        return len(book["b"]), len(book["a"])

    assert await sizes() == (100, 100)  # "Default is 100"
    assert await sizes(limit="300") == (200, 200)  # "Maximum value is 200"
    assert await sizes(limit="3") == (3, 3)
    book = (await http.get("/quote/v1/depth", params={"symbol": "BTCUSDT", "limit": "2"})).json()
    assert book["b"] == [["94999.99", "0.001"], ["94999.98", "0.002"]]
    assert book["a"] == [["95000.01", "0.001"], ["95000.02", "0.002"]]
    assert isinstance(book["t"], int)


async def test_merged_depth_buckets_round_away_from_the_spread(exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    _ladder(exchange, 25)
    merged = (await http.get("/quote/v1/depth/merged", params={"symbol": "BTCUSDT", "scale": "1", "limit": "3"})).json()
    # Buckets of 0.1: bids 94999.99..94999.90 round down to 94999.9, asks 95000.01..95000.10 up to 95000.1.
    assert merged["b"] == [["94999.9", "0.055"], ["94999.8", "0.155"], ["94999.7", "0.115"]]
    assert merged["a"] == [["95000.1", "0.055"], ["95000.2", "0.155"], ["95000.3", "0.115"]]
    two = (await http.get("/quote/v1/depth/merged", params={"symbol": "BTCUSDT", "scale": "1", "limit": "2"})).json()
    assert two["a"] == merged["a"][:2]
    plain = (await http.get("/quote/v1/depth/merged", params={"symbol": "BTCUSDT", "limit": "2"})).json()
    assert plain["b"] == [["94999.99", "0.001"], ["94999.98", "0.002"]]  # scale 0: the tick itself
    total = sum(
        Decimal(q)
        for _, q in (await http.get("/quote/v1/depth/merged", params={"symbol": "BTCUSDT", "scale": "5"})).json()["a"]
    )
    assert total == sum(D("0.001") * i for i in range(1, 26))


async def test_trades_and_klines(exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    maker = seed_book(exchange, levels=60)
    taker = exchange.create_user({"USDT": D(10**7), "BTC": D(100)})
    for i in range(120):
        side = Side.BUY if i % 2 else Side.SELL
        exchange.place(taker.main_account, OrderRequest("BTCUSDT", side, OrderType.MARKET, quantity=D("0.001")))
    trades = (await http.get("/quote/v1/trades", params={"symbol": "BTCUSDT"})).json()
    assert len(trades) == 100  # "Maximum value is 100. Default is 100."
    assert [t["ibm"] for t in trades[-2:]] == [True, False]  # a taker sell hit a buyer's maker order
    assert [t["t"] for t in trades] == sorted(t["t"] for t in trades)
    assert len((await http.get("/quote/v1/trades", params={"symbol": "BTCUSDT", "limit": "5"})).json()) == 5
    rows = (await http.get("/quote/v1/klines", params={"symbol": "BTCUSDT", "interval": "1m"})).json()
    assert 1 <= len(rows) <= 2
    last = rows[-1]
    assert last[6] == last[0] + 59_999 and isinstance(last[8], int)
    assert sum(r[8] for r in rows) == 120
    assert Decimal(last[9]) <= Decimal(last[5])  # taker buy volume within the volume
    assert maker.user_id


async def test_tickers_of_traded_and_untraded_pairs(exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    seed_book(exchange)
    taker = exchange.create_user({"USDT": D(10**6)})
    exchange.place(taker.main_account, OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("0.1")))
    [ticker] = (await http.get("/quote/v1/ticker/24hr", params={"symbol": "BTCUSDT"})).json()
    assert (ticker["c"], ticker["v"], ticker["b"], ticker["it"]) == ("95000.01", "0.1", "94999.99", "SPOT")
    assert (await http.get("/quote/v1/ticker/24hr", params={"symbol": "ETHUSDT"})).json() == []
    assert (await http.get("/quote/v1/ticker/24hr", params={"instType": "FUTURES"})).json() == []
    assert (await http.get("/quote/v1/ticker/price")).json() == [{"s": "BTCUSDT", "p": "95000.01"}]
    [empty] = (await http.get("/quote/v1/ticker/bookTicker", params={"symbol": "ETHUSDT"})).json()
    assert (empty["b"], empty["bq"], empty["a"], empty["aq"]) == ("", "0", "", "0")


async def test_exchange_info_by_symbol_and_site(http: httpx.AsyncClient) -> None:
    info = (await http.get("/api/v1/exchangeInfo", params={"symbol": "ETHBTC", "site": "UAE"})).json()
    assert [s["symbol"] for s in info["symbols"]] == ["ETHBTC"]
    assert info["site"] == info["symbols"][0]["site"] == "UAE"
    price_filter = info["symbols"][0]["filters"][0]
    assert price_filter == {
        "minPrice": "0.00001",
        "maxPrice": "10000000",
        "tickSize": "0.00001",
        "filterType": "PRICE_FILTER",
    }
    usdt = next(c for c in info["coins"] if c["coinId"] == "USDT")
    assert [c["chainType"] for c in usdt["chainTypes"]] == ["ETH", "Tron"]


@pytest.mark.parametrize("path", ["/api/v1/ping", "/api/v1/time"])
async def test_connectivity_needs_nothing(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"


async def test_the_documents_sample_client_works(exchange: DemoExchange, http: httpx.AsyncClient) -> None:
    """004, "Get Started": the Python samples, as written (urlencode for the form, f-strings for the query)."""
    key = exchange.user.trading_key
    headers = {"X-HK-APIKEY": key.key, "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}

    def signature(content: str) -> str:
        return hmac.new(key.secret.encode("utf-8"), content.encode("utf-8"), hashlib.sha256).hexdigest()

    data: dict[str, object] = {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "price": "85000",
        "quantity": "0.01",
        "timestamp": int(time.time() * 1000),
    }
    data["signature"] = signature(urlencode(data))
    placed = await http.post("/api/v1.1/spot/order", headers=headers, data=data)
    assert placed.status_code == 200, placed.text
    assert placed.json()["status"] == "NEW"
    query = "&".join(f"{k}={v}" for k, v in {"timestamp": int(time.time() * 1000)}.items())
    account = await http.get(f"/api/v1/account?{query}&signature={signature(query)}", headers=headers)
    assert account.status_code == 200 and account.json()["userId"] == exchange.user.user_id
