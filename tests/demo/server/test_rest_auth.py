"""Signed requests: the HMAC over exactly what was received, the timestamp window, keys and permissions."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from terminal.demo.errors import DemoError
from terminal.demo.exchange import DemoExchange, wall_ms
from terminal.demo.keys import ApiKey
from terminal.demo.server import auth
from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import ClockSkew, PermissionDenied
from tests.demo.server.conftest import ClientFactory, D, seed_book
from tests.demo.server.signer import Signer, encode, hmac_hex

# 004, "Signature Authentication", and reference/SIGNING.md.
DOC_SECRET = "lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76"
DOC_QUERY = b"symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC"
DOC_BODY = b"quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000"
DOC_SIGNATURE_1 = "5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6"
DOC_SIGNATURE_3 = "885c9e3dd89ccd13408b25e6d54c2330703759d7494bea6dd5a3d1fd16ba3afa"
INCORRECT = {"code": "0001", "msg": "Incorrect signature"}
ORDER = [("symbol", "ETHBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC")]


def _doc_key() -> ApiKey:
    return ApiKey("tAQfOrPIZAhym0qHISRt8EFvxPemdBm5j5WMlkm3Ke9aFp0EGWC2CGM8GHV4kCYW", DOC_SECRET, "1", "1", True)


def _error(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, orjson.loads(response.content)


@pytest.mark.parametrize(
    ("query", "body"),
    [
        (DOC_QUERY + b"&" + DOC_BODY + b"&signature=" + DOC_SIGNATURE_1.encode(), b""),  # Example 1: query
        (b"", DOC_QUERY + b"&" + DOC_BODY + b"&signature=" + DOC_SIGNATURE_1.encode()),  # Example 2: body
        (DOC_QUERY, DOC_BODY + b"&signature=" + DOC_SIGNATURE_3.encode()),  # Example 3: query + body
        (DOC_QUERY, DOC_BODY + b"&signature=" + DOC_SIGNATURE_3.upper().encode()),  # "not case sensitive"
    ],
)
def test_the_documents_worked_examples_verify(query: bytes, body: bytes) -> None:
    auth.verify_signature(_doc_key(), query, body)


def test_a_signature_over_other_bytes_is_incorrect() -> None:
    with pytest.raises(DemoError) as error:
        auth.verify_signature(_doc_key(), DOC_QUERY + b"&" + DOC_BODY + b"&signature=" + DOC_SIGNATURE_3.encode(), b"")
    assert (error.value.code, error.value.message) == ("0001", "Incorrect signature")


async def test_signature_in_query_body_or_both(exchange: DemoExchange, signer: Signer) -> None:
    assert (await signer.send("GET", "/api/v1/account")).status_code == 200
    placed = await signer.send("POST", "/api/v1/spot/order", (), [*ORDER, ("quantity", "1"), ("price", "0.03")])
    assert placed.status_code == 200, placed.text
    # 004 Example 3: the order's first half in the query, the rest and the signature in the body.
    mixed = await signer.send("POST", "/api/v1/spot/order", ORDER, [("quantity", "1"), ("price", "0.031")])
    assert mixed.status_code == 200, mixed.text
    assert [o.price for o in exchange.engine.open_orders(exchange.user.main_account)] == [D("0.031"), D("0.03")]


async def test_the_query_wins_over_the_body(exchange: DemoExchange, signer: Signer) -> None:
    # "If there are parameters in both query string and request body, only the parameters of query string will be used."
    response = await signer.send(
        "POST", "/api/v1.1/spot/order", [*ORDER, ("price", "0.02")], [("quantity", "1"), ("price", "0.05")]
    )
    assert response.status_code == 200, response.text
    assert response.json()["price"] == "0.02"


async def test_tampered_reordered_or_reencoded_requests_are_refused(signer: Signer) -> None:
    stamp = encode(signer.stamp())
    query = f"symbol=BTCUSDT&side=BUY&{stamp}"
    signature = hmac_hex(signer.key.secret, query)
    good = await signer.raw("GET", "/api/v1/spot/openOrders", f"{query}&signature={signature}")
    assert good.status_code == 200
    tampered = await signer.raw(
        "GET", "/api/v1/spot/openOrders", f"symbol=ETHUSDT&side=BUY&{stamp}&signature={signature}"
    )
    assert _error(tampered) == (400, INCORRECT)
    reordered = await signer.raw(
        "GET", "/api/v1/spot/openOrders", f"side=BUY&symbol=BTCUSDT&{stamp}&signature={signature}"
    )
    assert _error(reordered) == (400, INCORRECT)
    # reference/SIGNING.md: "ids=1,2,3" keeps its commas literal in what is signed and sent.
    ids = f"ids=11,12&{stamp}"
    literal = await signer.raw(
        "DELETE", "/api/v1/spot/cancelOrderByIds", f"{ids}&signature={hmac_hex(signer.key.secret, ids)}"
    )
    assert literal.status_code == 200
    encoded = await signer.raw(
        "DELETE", "/api/v1/spot/cancelOrderByIds", f"ids=11%2C12&{stamp}&signature={hmac_hex(signer.key.secret, ids)}"
    )
    assert _error(encoded) == (400, INCORRECT)
    wrong = await signer.raw("GET", "/api/v1/account", f"{stamp}&signature={'0' * 64}")
    assert _error(wrong) == (400, INCORRECT)
    missing = await signer.raw("GET", "/api/v1/account", stamp)
    assert _error(missing) == (400, {"code": "0001", "msg": "Required field signature missing or invalid"})


async def test_the_signature_may_sit_anywhere(signer: Signer) -> None:
    stamp = encode(signer.stamp())
    signature = hmac_hex(signer.key.secret, f"symbol=BTCUSDT&{stamp}")
    response = await signer.raw("GET", "/api/v1/spot/openOrders", f"symbol=BTCUSDT&signature={signature}&{stamp}")
    assert response.status_code == 200, response.text


async def test_batch_orders_sign_only_the_query(exchange: DemoExchange, signer: Signer) -> None:
    response = await signer.batch(
        [{"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "price": "90000", "quantity": "0.01"}]
    )
    assert response.status_code == 200, response.text
    assert [r["code"] for r in response.json()["result"]] == ["0000"]


async def test_keys_are_required_and_checked(signer: Signer, http: httpx.AsyncClient, exchange: DemoExchange) -> None:
    no_key = await signer.send("GET", "/api/v1/account", headers={"X-HK-APIKEY": ""})
    assert _error(no_key) == (400, {"code": "-1002", "msg": "Unauthorized operation"})
    unknown = await signer.send("GET", "/api/v1/account", headers={"X-HK-APIKEY": "nobody"})
    assert _error(unknown) == (400, {"code": "0102", "msg": "Invalid APIKey"})
    # 004's tables name the header X-APIKEY.
    other_name = await signer.send(
        "GET", "/api/v1/account", headers={"X-HK-APIKEY": "", "X-APIKEY": exchange.user.trading_key.key}
    )
    assert other_name.status_code == 200
    public = await http.get("/quote/v1/depth", params={"symbol": "BTCUSDT"})
    assert public.status_code == 200


WINDOW_CASES = [
    (0, None, True),
    (800, None, True),  # ahead, within 1 s
    (1500, None, False),  # "within 1 second + serverTime"
    (-4000, None, True),
    (-6000, None, False),  # older than the default recvWindow of 5000
    (-6000, 10_000, True),
    (-11_000, 10_000, False),
]


async def test_the_timestamp_window(signer: Signer) -> None:
    for offset_ms, recv_window, accepted in WINDOW_CASES:
        response = await signer.send("GET", "/api/v1/account", timestamp=wall_ms() + offset_ms, recv_window=recv_window)
        if accepted:
            assert response.status_code == 200, (offset_ms, recv_window, response.text)
        else:
            refused = {"code": "-1021", "msg": "Timestamp for this request is outside of the recvWindow"}
            assert _error(response) == (400, refused), (offset_ms, recv_window)


async def test_timestamp_and_recv_window_must_be_numbers(signer: Signer) -> None:
    missing = await signer.send("GET", "/api/v1/account", stamp=False)
    assert _error(missing) == (400, {"code": "0001", "msg": "Required field timestamp missing or invalid"})
    garbage = await signer.send("GET", "/api/v1/account", [("timestamp", "soon")], stamp=False)
    assert _error(garbage) == (400, {"code": "0001", "msg": "Required field timestamp missing or invalid"})
    too_wide = await signer.send("GET", "/api/v1/account", recv_window=60_001)
    assert _error(too_wide) == (400, {"code": "-1130", "msg": "Illegal parameter 'recvWindow'"})


async def test_clock_skew_moves_the_window_and_a_synced_client_recovers(
    signer: Signer, http: httpx.AsyncClient, connect: ClientFactory, exchange: DemoExchange
) -> None:
    assert (await http.post("/_demo/clock-skew", json={"ms": 20_000})).status_code == 200
    assert _error(await signer.send("GET", "/api/v1/account"))[1] == {
        "code": "-1021",
        "msg": "Timestamp for this request is outside of the recvWindow",
    }
    client = connect(exchange.user.trading_key)
    assert abs(await client.server_time() - (wall_ms() + 20_000)) < 2_000
    with pytest.raises(ClockSkew):
        await client.create_order(
            OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D("0.01"), price=D(90000))
        )
    await client.transport.sync_clock()
    placed = await client.create_order(
        OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D("0.01"), price=D(90000))
    )
    assert placed.order_id
    await http.post("/_demo/clock-skew", json={"ms": -3_000})  # the server behind: our stamps are 3 s ahead
    assert _error(await signer.send("GET", "/api/v1/account"))[1]["code"] == "-1021"


async def test_a_read_only_key_reads_and_streams_but_never_trades(
    exchange: DemoExchange, http: httpx.AsyncClient, connect: ClientFactory
) -> None:
    seed_book(exchange)
    user = exchange.user
    reader = Signer(http, user.readonly_key)
    assert (await reader.send("GET", "/api/v1/account")).status_code == 200
    assert (await reader.send("GET", "/api/v1/spot/openOrders")).status_code == 200
    assert (await reader.send("POST", "/api/v1/userDataStream")).status_code == 200
    refused = {"code": "-1005", "msg": "No permission"}
    writes = [
        ("POST", "/api/v1.1/spot/order", [*ORDER, ("quantity", "1"), ("price", "0.03")]),
        ("POST", "/api/v1/spot/orderTest", [*ORDER, ("quantity", "1"), ("price", "0.03")]),
        ("DELETE", "/api/v1/spot/cancelAllOpenOrders", []),
        (
            "POST",
            "/api/v1/account/assetTransfer",
            [
                ("fromAccountId", user.main_account),
                ("toAccountId", user.custody_account),
                ("coin", "USDT"),
                ("quantity", "1"),
            ],
        ),
        (
            "POST",
            "/api/v1/account/withdraw",
            [
                ("coin", "USDT"),
                ("clientOrderId", "x"),
                ("quantity", "20"),
                ("chainType", "ETH"),
                ("address", "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505"),
            ],
        ),
    ]
    for method, path, params in writes:
        assert _error(await reader.send(method, path, params)) == (400, refused), path
    client = connect(user.readonly_key)
    with pytest.raises(PermissionDenied):
        await client.create_order(OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("0.01")))
    assert await client.create_listen_key()
    assert exchange.engine.open_orders(user.main_account) == []


async def test_a_form_body_needs_no_content_type_header(signer: Signer) -> None:
    body = encode([("symbol", "BTCUSDT"), *signer.stamp()])
    signed = f"{body}&signature={hmac_hex(signer.key.secret, body)}"
    response = await signer.http.request(
        "DELETE", "/api/v1/spot/openOrders", content=signed.encode(), headers={"X-HK-APIKEY": signer.key.key}
    )
    assert response.status_code == 200, response.text


async def test_a_third_party_style_delete_with_a_form_body(exchange: DemoExchange, signer: Signer) -> None:
    """As public clients (ccxt's HashKey) sign: timestamp first, every non-GET in a form body, DELETE too."""
    placed = await signer.json("POST", "/api/v1.1/spot/order", *ORDER, ("quantity", "1"), ("price", "0.03"), form=True)
    body = encode([("timestamp", str(wall_ms())), ("recvWindow", "5000"), ("orderId", placed["orderId"])])
    signed = f"{body}&signature={hmac_hex(signer.key.secret, body)}".encode()
    response = await signer.raw("DELETE", "/api/v1/spot/order", "", signed)
    assert response.status_code == 200, response.text
    assert exchange.engine.open_orders(exchange.user.main_account) == []
