"""Every REST endpoint over real HTTP, compared with the document's example replies (004): the demo's
replies carry every key of the example with the same JSON type, and lists are filled where the
scenario fills them."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from terminal.demo.exchange import DemoExchange
from tests.demo.server.conftest import seed_book
from tests.demo.server.shapes import assert_shape
from tests.demo.server.signer import Signer
from tests.venues.hashkey import doc_examples as doc

# 004, "Get Sub Account Open Orders" and "Get Sub Account Trade Orders" (their example rows).
SUB_ACCOUNT_ORDER = {
    **doc.OPEN_ORDERS[0],
    "ordCxlReason": "",
    "stpMode": "EXPIRE_TAKER",
}
# 004, exchangeInfo's "coins" table (the example shows no coin).
COIN: dict[str, Any] = {
    "orgId": "9000",
    "coinId": "BTC",
    "coinName": "BTC",
    "coinFullName": "Bitcoin",
    "allowWithdraw": True,
    "allowDeposit": True,
    "tokenType": "CHAIN_TOKEN",
    "status": 1,
    "chainTypes": doc.COIN_INFO["chainTypes"],
}
LIMIT_BUY = (("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", "90000"))


def _load(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return orjson.loads(response.content)


async def _trade(exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient) -> dict[str, Any]:
    """A user who rests an order, buys at market, cancels an order, deposits, transfers and withdraws."""
    seed_book(exchange)
    resting = await signer.json("POST", "/api/v1.1/spot/order", *LIMIT_BUY, form=True)
    await signer.json(
        "POST",
        "/api/v1/spot/order",
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "MARKET"),
        ("quantity", "0.02"),
        form=True,
    )
    cancelled = await signer.json("POST", "/api/v1.1/spot/order", *LIMIT_BUY, form=True)
    await signer.json("DELETE", "/api/v1/spot/order", ("orderId", cancelled["orderId"]))
    user = exchange.user
    for coin, quantity in (("USDT", "500"), ("USD", "250")):
        answer = await http.post(
            "/_demo/deposit", json={"api_key": user.trading_key.key, "coin": coin, "quantity": quantity}
        )
        assert answer.status_code == 200, answer.text
    transfer = (
        ("fromAccountId", user.main_account),
        ("toAccountId", user.custody_account),
        ("coin", "USDT"),
        ("quantity", "100"),
    )
    await signer.json("POST", "/api/v1/account/assetTransfer", *transfer, form=True)
    return {"resting": resting, "user": user}


async def test_trading_endpoints_answer_like_the_document(
    exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient
) -> None:
    seed_book(exchange)
    created = await signer.json("POST", "/api/v1.1/spot/order", *LIMIT_BUY, form=True)
    assert_shape(created, doc.ORDER_ACK)
    assert created == {**created, "status": "NEW", "symbol": "BTCUSDT", "price": "90000", "origQty": "0.01"}
    v1 = await signer.json("POST", "/api/v1/spot/order", *LIMIT_BUY)
    assert_shape(v1, doc.ORDER_ACK)
    assert await signer.json("POST", "/api/v1/spot/orderTest", *LIMIT_BUY, form=True) == {}

    batch = _load(
        await signer.batch(
            [
                {
                    "symbol": "BTCUSDT",
                    "side": "SELL",
                    "type": "LIMIT",
                    "price": "99000",
                    "quantity": "0.01",
                    "newClientOrderId": "b-1",
                },
                {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "price": "89000", "quantity": "0.00001"},
            ]
        )
    )
    assert_shape({**batch, "result": batch["result"][:1]}, doc.BATCH)  # the failure has its own shape:
    assert batch["result"][0]["code"] == "0000" and batch["result"][0]["order"]["clientOrderId"] == "b-1"
    assert batch["result"][1] == {"code": "-1136", "msg": "Order quantity lower than the minimum"}

    query = await signer.json("GET", "/api/v1/spot/order", ("orderId", created["orderId"]))
    assert_shape(query, doc.QUERY_ORDER)
    open_orders = await signer.json("GET", "/api/v1/spot/openOrders")
    assert_shape(open_orders, doc.OPEN_ORDERS)
    assert len(open_orders) == 3

    cancelled = await signer.json("DELETE", "/api/v1/spot/order", ("orderId", created["orderId"]))
    assert_shape(cancelled, doc.CANCEL_ACK)
    assert cancelled["status"] == "NEW"  # as the example: the order when the cancel came
    by_ids = await signer.json("DELETE", "/api/v1/spot/cancelOrderByIds", ("ids", f"{v1['orderId']},123"))
    assert_shape(by_ids, doc.CANCEL_BY_IDS)
    assert by_ids == {"code": "0000", "result": [{"orderId": "123", "code": "0211"}]}
    assert await signer.json("DELETE", "/api/v1/spot/openOrders", ("symbol", "BTCUSDT")) == {"success": True}
    cancel_all = await signer.json("DELETE", "/api/v1/spot/cancelAllOpenOrders")
    assert_shape(cancel_all, doc.CANCEL_ALL)

    traded = await signer.json("GET", "/api/v1/spot/tradeOrders")
    assert_shape(traded, doc.TRADE_ORDERS)
    assert {o["status"] for o in traded} == {"CANCELED"}
    assert len(traded) == 3


async def test_account_endpoints_answer_like_the_document(
    exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient
) -> None:
    scenario = await _trade(exchange, signer, http)
    user = scenario["user"]
    vip = await signer.json("GET", "/api/v1/account/vipInfo")
    assert_shape(vip, doc.VIP_INFO)
    assert len(vip["data"]) == len(exchange.listings)
    account = await signer.json("GET", "/api/v1/account")
    assert_shape(account, doc.ACCOUNT)
    trades = await signer.json("GET", "/api/v1/account/trades")
    assert_shape(trades, doc.ACCOUNT_TRADES)
    assert trades
    types = await signer.json("GET", "/api/v1/account/type")
    assert_shape(types, doc.ACCOUNT_TYPE)
    assert [(t["accountId"], t["accountType"]) for t in types] == [
        (user.main_account, 1),
        (user.custody_account, 5),
        (user.fiat_account, 6),
    ]
    assert await signer.json("GET", "/api/v1/account/checkApiKey") == doc.API_KEY_TYPE
    transfer = await signer.json(
        "POST",
        "/api/v1/account/assetTransfer",
        ("fromAccountId", user.custody_account),
        ("toAccountId", user.main_account),
        ("coin", "USDT"),
        ("quantity", "5"),
        form=True,
    )
    assert_shape(transfer, doc.TRANSFER)
    fiat = await signer.json(
        "GET", "/api/v1/account/fiat/history", ("type", "deposit"), ("startTime", "0"), ("endTime", "99999999999999")
    )
    assert_shape(fiat, doc.FIAT_HISTORY)
    assert fiat
    flows = await signer.json(
        "GET",
        "/api/v1/account/balanceFlow",
        ("startTime", "0"),
        ("endTime", "99999999999999"),
        ("flowType", "51"),
        ("accountType", "1"),
    )
    assert_shape(flows, doc.BALANCE_FLOW)
    assert [f["change"] for f in flows] == ["5", "-100"]


async def test_sub_account_endpoints_answer_like_the_document(
    exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient
) -> None:
    await _trade(exchange, signer, http)
    main = ("subAccountId", exchange.user.main_account)
    open_orders = await signer.json("GET", "/api/v1/spot/subAccount/openOrders", main)
    assert_shape(open_orders, [SUB_ACCOUNT_ORDER])
    assert open_orders
    trade_orders = await signer.json("GET", "/api/v1/spot/subAccount/tradeOrders", main)
    assert_shape(trade_orders, [SUB_ACCOUNT_ORDER])
    assert trade_orders
    trades = await signer.json("GET", "/api/v1/subAccount/trades", main)
    assert_shape(trades, doc.SUB_ACCOUNT_TRADES)
    assert trades


async def test_wallet_endpoints_answer_like_the_document(
    exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient
) -> None:
    await _trade(exchange, signer, http)
    assert await signer.json("GET", "/api/v1/account/chainType", ("coinId", "USDT")) == doc.CHAIN_TYPE
    address = await signer.json("GET", "/api/v1/account/deposit/address", ("coin", "USDT"), ("chainType", "ETH"))
    assert_shape(address, doc.DEPOSIT_ADDRESS)
    deposits = await signer.json("GET", "/api/v1/account/depositOrders")
    assert_shape(deposits, doc.DEPOSIT_ORDERS)
    assert deposits
    auth = await signer.json(
        "POST",
        "/api/v1/account/authAddress",
        ("txid", deposits[0]["txId"]),
        ("institutionalName", "Acme"),
        ("exchangeName", "OKX"),
        ("isAddressOwner", "true"),
        form=True,
    )
    assert_shape(auth, doc.AUTH_ADDRESS)
    withdraw = await signer.json(
        "POST",
        "/api/v1/account/withdraw",
        ("coin", "USDT"),
        ("clientOrderId", "w1"),
        ("address", "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505"),
        ("quantity", "50"),
        ("chainType", "ETH"),
        form=True,
    )
    assert_shape(withdraw, doc.WITHDRAW)
    withdrawals = await signer.json("GET", "/api/v1/account/withdrawOrders")
    assert_shape(withdrawals, doc.WITHDRAW_ORDERS)
    assert withdrawals


async def test_public_endpoints_answer_like_the_document(
    exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient
) -> None:
    await _trade(exchange, signer, http)

    async def get(path: str, **params: str) -> Any:
        return _load(await http.get(path, params=params))

    info = await get("/api/v1/exchangeInfo")
    assert_shape(info, {**doc.EXCHANGE_INFO, "symbols": [], "coins": [COIN]})
    assert [s["symbol"] for s in info["symbols"]] == list(exchange.listings)
    for symbol in info["symbols"]:
        assert_shape(
            {k: v for k, v in symbol.items() if k != "filters"}, {k: v for k, v in doc.SYMBOL.items() if k != "filters"}
        )
        by_type = {f["filterType"]: f for f in symbol["filters"]}
        filters: list[dict[str, Any]] = doc.SYMBOL["filters"]  # type: ignore[assignment]
        for model in filters:
            assert_shape(by_type[model["filterType"]], model)
    assert_shape(await get("/api/v1/coinInfo", coinId="USDT"), doc.COIN_INFO)
    for path in ("/quote/v1/depth", "/quote/v1/depth/merged"):
        book = await get(path, symbol="BTCUSDT")
        assert_shape(book, doc.DEPTH)
        assert book["a"] and book["b"]
    trades = await get("/quote/v1/trades", symbol="BTCUSDT")
    assert_shape(trades, doc.TRADES)
    assert trades
    klines = await get("/quote/v1/klines", symbol="BTCUSDT", interval="1m")
    assert_shape(klines, doc.KLINES)
    assert klines
    tickers = await get("/quote/v1/ticker/24hr")
    assert_shape(tickers, doc.TICKER_24HR)
    assert [t["s"] for t in tickers] == ["BTCUSDT"]  # the only pair that traded
    assert_shape(await get("/quote/v1/ticker/price"), doc.TICKER_PRICE)
    assert_shape(await get("/quote/v1/ticker/bookTicker", symbol="BTCUSDT"), doc.BOOK_TICKER)
    assert await get("/api/v1/ping") == {}
    assert_shape(await get("/api/v1/time"), doc.SERVER_TIME)


async def test_listen_key_endpoints_answer_like_the_document(signer: Signer) -> None:
    created = await signer.json("POST", "/api/v1/userDataStream")
    assert_shape(created, doc.LISTEN_KEY)
    key = ("listenKey", created["listenKey"])
    assert await signer.json("PUT", "/api/v1/userDataStream", key, form=True) == {}
    assert await signer.json("DELETE", "/api/v1/userDataStream", key) == {}
    again = await signer.send("DELETE", "/api/v1/userDataStream", [key])
    assert (again.status_code, again.json()) == (
        400,
        {"code": "0001", "msg": "Required field listenKey missing or invalid"},
    )


ERROR_CASES = [
    ("/api/v1/spot/openOrders", [("symbol", "NOPE")], {"code": "0201", "msg": "Instrument not found"}),
    ("/api/v1/account", [("accountId", "1")], {"code": "-1160", "msg": "Account does not exist"}),
]


async def test_errors_carry_code_and_msg(signer: Signer) -> None:
    for path, params, error in ERROR_CASES:
        response = await signer.send("GET", path, params)
        assert (response.status_code, response.json()) == (400, error), path
