"""Malformed requests get the document's 4xx code and message, never a 500: missing fields, garbage
numbers, unknown enums and symbols, broken batch bodies, unknown paths and wrong methods."""

from __future__ import annotations

import itertools
import logging

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from terminal.demo.exchange import DemoExchange
from terminal.demo.server.limits import KeyLimiter
from terminal.demo.server.rest import SPECS, json_error_handlers
from terminal.demo.server.rest_call import Call, Server, Spec, endpoint
from tests.demo.server.signer import Signer
from tests.support.http_recorder import serve

ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.01", "price": "90000"}


def _without(name: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in ORDER.items() if k != name]


def _with(**changes: str) -> list[tuple[str, str]]:
    return list({**ORDER, **changes}.items())


ORDER_CASES = [
    (_without("symbol"), "0001", "Required field symbol missing or invalid"),
    (_without("side"), "0001", "Required field side missing or invalid"),
    (_without("type"), "0001", "Required field type missing or invalid"),
    (_without("price"), "0001", "Required field price missing or invalid"),
    (_with(symbol=""), "0001", "Required field symbol missing or invalid"),
    (_with(quantity="abc"), "-1130", "Illegal parameter 'quantity'"),
    (_with(quantity="1e999999999"), "-1130", "Illegal parameter 'quantity'"),
    (_with(price="NaN"), "-1130", "Illegal parameter 'price'"),
    (_with(amount="--3"), "-1130", "Illegal parameter 'amount'"),
    (_with(side="UP"), "-1117", "Invalid order side"),
    (_with(type="STOP"), "0206", "Unsupported order type"),
    (_with(timeInForce="DAY"), "-1115", "Invalid timeInForce"),
    (_with(stpMode="NEVER"), "-1130", "Illegal parameter 'stpMode'"),
    (_with(symbol="NOPEUSDT"), "0201", "Instrument not found"),
    (_with(quantity="0.000001"), "-1137", "Order quantity precision too large"),
    (_with(price="90000.001"), "0209", "Invalid price precision"),
]


async def test_malformed_orders(signer: Signer) -> None:
    for params, code, msg in ORDER_CASES:
        for path in ("/api/v1.1/spot/order", "/api/v1/spot/orderTest"):
            response = await signer.send("POST", path, (), params)
            assert (response.status_code, response.json()) == (400, {"code": code, "msg": msg}), (path, params)


PUBLIC_CASES = [
    ("/quote/v1/depth", {}, "0001", "Required field symbol missing or invalid"),
    ("/quote/v1/depth", {"symbol": "NOPE"}, "0201", "Instrument not found"),
    ("/quote/v1/depth", {"symbol": "BTCUSDT", "limit": "many"}, "-1130", "Illegal parameter 'limit'"),
    ("/quote/v1/depth/merged", {"symbol": "BTCUSDT", "scale": "6"}, "-1130", "Illegal parameter 'scale'"),
    ("/quote/v1/klines", {"symbol": "BTCUSDT"}, "0001", "Required field interval missing or invalid"),
    ("/quote/v1/klines", {"symbol": "BTCUSDT", "interval": "7m"}, "-1130", "Illegal parameter 'interval'"),
    (
        "/quote/v1/klines",
        {"symbol": "BTCUSDT", "interval": "1m", "startTime": "x"},
        "-1130",
        "Illegal parameter 'startTime'",
    ),
    ("/quote/v1/ticker/24hr", {"instType": "BOND"}, "-1130", "Illegal parameter 'instType'"),
    ("/quote/v1/ticker/bookTicker", {}, "0001", "Required field symbol missing or invalid"),
    ("/api/v1/exchangeInfo", {"site": "MARS"}, "-1130", "Illegal parameter 'site'"),
    ("/api/v1/coinInfo", {"coinId": "DOGE"}, "-4001", "Invalid asset"),
]


async def test_malformed_public_requests(http: httpx.AsyncClient) -> None:
    for path, params, code, msg in PUBLIC_CASES:
        response = await http.get(path, params=params)
        assert (response.status_code, response.json()) == (400, {"code": code, "msg": msg}), (path, params)


SIGNED_CASES = [
    ("GET", "/api/v1/spot/order", [], "0001", "Required field orderId missing or invalid"),
    ("GET", "/api/v1/spot/order", [("orderId", "42")], "0211", "Order not found"),
    ("DELETE", "/api/v1/spot/order", [("orderId", "42")], "0211", "Order not found"),
    ("GET", "/api/v1/spot/openOrders", [("side", "LONG")], "-1117", "Invalid order side"),
    ("GET", "/api/v1/spot/tradeOrders", [("fromOrderId", "abc")], "-1130", "Illegal parameter 'fromOrderId'"),
    ("DELETE", "/api/v1/spot/openOrders", [], "0001", "Required field symbol missing or invalid"),
    ("DELETE", "/api/v1/spot/cancelOrderByIds", [("ids", ",")], "0001", "Required field ids missing or invalid"),
    (
        "DELETE",
        "/api/v1/spot/cancelOrderByIds",
        [("ids", ",".join(["1"] * 101))],
        "-2030",
        "Order batch size exceeds the limit",
    ),
    (
        "GET",
        "/api/v1/account/balanceFlow",
        [("endTime", "1")],
        "0001",
        "Required field startTime missing or invalid",
    ),
    (
        "GET",
        "/api/v1/account/balanceFlow",
        [("startTime", "0"), ("endTime", "1"), ("flowType", "3")],
        "-1130",
        "Illegal parameter 'flowType'",
    ),
    (
        "GET",
        "/api/v1/account/fiat/history",
        [("type", "gift"), ("startTime", "0"), ("endTime", "1")],
        "-1177",
        "Invalid fiat order type",
    ),
    (
        "GET",
        "/api/v1/account/fiat/history",
        [("type", "deposit"), ("status", "return"), ("startTime", "0"), ("endTime", "1")],
        "-1175",
        "Invalid fiat deposit status",
    ),
    (
        "GET",
        "/api/v1/account/deposit/address",
        [("coin", "USDT"), ("chainType", "SOL")],
        "-1130",
        "Illegal parameter 'chainType'",
    ),
    ("GET", "/api/v1/spot/subAccount/openOrders", [], "0001", "Required field subAccountId missing or invalid"),
    ("GET", "/api/v1/spot/subAccount/openOrders", [("subAccountId", "99")], "-1160", "Account does not exist"),
    (
        "POST",
        "/api/v1/account/assetTransfer",
        [("fromAccountId", "1"), ("toAccountId", "2"), ("coin", "USDT"), ("quantity", "1")],
        "-1172",
        "Invalid from account id",
    ),
    (
        "POST",
        "/api/v1/account/authAddress",
        [("txid", "0xabc"), ("exchangeName", "OKX"), ("isAddressOwner", "true")],
        "0001",
        "Required field institutionalName missing or invalid",
    ),
    (
        "POST",
        "/api/v1/account/authAddress",
        [("txid", "0xabc"), ("exchangeName", "OKX"), ("isAddressOwner", "true"), ("institutionalName", "Acme")],
        "-1212",
        "The order of deposit does not exist",
    ),
    (
        "POST",
        "/api/v1/account/withdraw",
        [
            ("coin", "USDT"),
            ("clientOrderId", "w"),
            ("address", "nowhere"),
            ("quantity", "20"),
            ("chainType", "ETH"),
        ],
        "-1163",
        "Illegal withdrawal address",
    ),
    (
        "POST",
        "/api/v1/account/withdraw",
        [("coin", "USDT"), ("clientOrderId", "w"), ("address", "x"), ("quantity", "1,5"), ("chainType", "ETH")],
        "-1168",
        "Illegal withdrawal amount",
    ),
    (
        "POST",
        "/api/v1/account/withdraw",
        [("coin", "USDT"), ("clientOrderId", "w"), ("address", "x"), ("quantity", "2"), ("chainType", "ETH")],
        "-1167",
        "Withdrawal amount less than the minimum",
    ),
    ("PUT", "/api/v1/userDataStream", [], "0001", "Required field listenKey missing or invalid"),
]


async def test_malformed_signed_requests(signer: Signer) -> None:
    for method, path, params, code, msg in SIGNED_CASES:
        response = await signer.send(method, path, params)
        assert (response.status_code, response.json()) == (400, {"code": code, "msg": msg}), (method, path, params)


async def test_a_transfer_within_one_account_or_beyond_the_balance(signer: Signer, exchange: DemoExchange) -> None:
    main, custody = exchange.user.main_account, exchange.user.custody_account
    same = await signer.send(
        "POST",
        "/api/v1/account/assetTransfer",
        [("fromAccountId", main), ("toAccountId", main), ("coin", "USDT"), ("quantity", "1")],
    )
    assert same.json() == {"code": "-1174", "msg": "Transfer not allowed between the same account"}
    broke = await signer.send(
        "POST",
        "/api/v1/account/assetTransfer",
        [("fromAccountId", custody), ("toAccountId", main), ("coin", "USDT"), ("quantity", "1")],
    )
    assert broke.json() == {"code": "-1161", "msg": "Balance transfer failed"}
    other = exchange.create_user({}).main_account
    foreign = await signer.send("GET", "/api/v1/account", [("accountId", other)])
    assert foreign.json() == {"code": "0104", "msg": "accountId is not allowed"}


BATCH_CASES = [
    (b"[{", "-1004", "Bad request"),
    (b'{"symbol": "BTCUSDT"}', "-1004", "Bad request"),
    (b"[]", "-1004", "Bad request"),
    (b"[" + b",".join([b'{"symbol": "BTCUSDT"}'] * 21) + b"]", "-2022", "Order batch size exceeds the limit"),
    (b'[{"symbol": "BTCUSDT"}, {"symbol": "ETHUSDT"}]', "-1130", "Illegal parameter 'symbol'"),
]


async def test_malformed_batches(signer: Signer) -> None:
    for body, code, msg in BATCH_CASES:
        response = await signer.batch(body)
        assert (response.status_code, response.json()) == (400, {"code": code, "msg": msg}), body[:40]


async def test_a_batch_answers_each_malformed_order_alone(signer: Signer) -> None:
    good = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "price": 90000, "quantity": 0.01}
    body = orjson.dumps([7, {"symbol": "BTCUSDT", "side": ["BUY"]}, good])
    response = await signer.batch(body)
    assert response.status_code == 200
    result = response.json()["result"]
    assert result[:2] == [{"code": "-1004", "msg": "Bad request"}, {"code": "-1130", "msg": "Illegal parameter 'side'"}]
    assert result[2]["code"] == "0000" and result[2]["order"]["price"] == "90000"


async def test_unknown_paths_and_wrong_methods_answer_json(http: httpx.AsyncClient) -> None:
    missing = await http.get("/api/v1/nothing")
    assert (missing.status_code, missing.json()) == (404, {"code": "-1020", "msg": "Unsupported operation"})
    wrong = await http.get("/api/v1.1/spot/batchOrders")
    assert (wrong.status_code, wrong.json()) == (405, {"code": "-1020", "msg": "Unsupported operation"})
    assert "POST" in wrong.headers["Allow"]
    assert (await http.patch("/api/v1/spot/order")).status_code == 405


GARBAGE = ["", "NaN", "-1", "1e999999", "💥", "0", "x" * 300, "BTCUSDT", "%ZZ", "true"]
NAMES = sorted(
    {
        "symbol",
        "side",
        "type",
        "quantity",
        "price",
        "amount",
        "timeInForce",
        "stpMode",
        "newClientOrderId",
        "orderId",
        "clientOrderId",
        "origClientOrderId",
        "ids",
        "limit",
        "fromOrderId",
        "startTime",
        "endTime",
        "fromId",
        "toId",
        "accountId",
        "subAccountId",
        "coin",
        "coinId",
        "chainType",
        "address",
        "listenKey",
        "interval",
        "scale",
        "instType",
        "symbols",
        "fromAccountId",
        "toAccountId",
        "flowType",
        "accountType",
        "txid",
        "isAddressOwner",
        "site",
        "status",
        "channel",
        "exchangeName",
        "institutionalName",
        "platform",
        "memo",
        "remark",
    }
)


async def test_garbage_everywhere_is_refused_over_http(signer: Signer) -> None:
    for value, spec in itertools.product(GARBAGE, SPECS):
        params = [(name, value) for name in NAMES]
        if spec.json_body:
            response = await signer.batch(value.encode())
        elif spec.method in ("POST", "PUT"):
            response = await signer.send(spec.method, spec.path, (), params)
        else:
            response = await signer.send(spec.method, spec.path, params)
        assert response.status_code in (200, 400), (spec.path, value, response.text)
        body = response.json()
        assert response.status_code == 200 or set(body) == {"code", "msg"}, (spec.path, value, body)


async def test_raw_bytes_that_are_not_utf8_are_refused_not_crashed(signer: Signer) -> None:
    response = await signer.raw("GET", "/api/v1/account", "timestamp=%FF%FE&signature=\xff")
    assert response.status_code == 400 and response.json()["code"] == "0001"


async def test_an_unexpected_failure_is_a_logged_500(exchange: DemoExchange, caplog: pytest.LogCaptureFixture) -> None:
    """The safety net itself, with a handler that fails on purpose (no real endpoint may do this)."""

    def broken(_: Call) -> object:
        raise RuntimeError("boom")

    server = Server(exchange, KeyLimiter(exchange.now_ms))
    app = Starlette(
        routes=[Route("/broken", endpoint(server, Spec("GET", "/broken", broken, signed=False)))],
        exception_handlers=json_error_handlers(),
    )
    async with serve(app) as base, httpx.AsyncClient(base_url=base) as http:
        with caplog.at_level(logging.ERROR, logger="terminal.demo.server.rest"):
            response = await http.get("/broken")
    assert (response.status_code, response.json()) == (
        500,
        {"code": "-1000", "msg": "An unknown error occurred while processing the request"},
    )
    assert "boom" in caplog.text
