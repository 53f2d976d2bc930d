"""Fault injection routes: failing orders (500, 503, a hang), clock skew, paused and silent streams,
expired listen keys, dropped connections, the deposit, the ground-truth state; loopback only."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from terminal.demo.exchange import DemoExchange
from terminal.demo.server.fault_routes import fault_routes
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import UnknownOutcome
from tests.demo.server.conftest import ClientFactory, D, client_for, make_app, seed_book
from tests.demo.server.signer import Signer
from tests.support.http_recorder import serve


def _order(client_id: str) -> OrderRequest:
    return OrderRequest(
        "BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D("0.01"), price=D(90000), client_order_id=client_id
    )


@pytest.mark.parametrize("status", [500, 503])
@pytest.mark.parametrize("execute", [True, False])
async def test_failed_orders_leave_the_outcome_unknown(
    http: httpx.AsyncClient, connect: ClientFactory, exchange: DemoExchange, status: int, execute: bool
) -> None:
    answer = await http.post("/_demo/fail-orders", json={"count": 1, "status": status, "execute": execute})
    assert answer.json() == {"pending": 1}
    client = connect(exchange.user.trading_key)
    with pytest.raises(UnknownOutcome) as unknown:
        await client.create_order(_order("f-1"))
    assert unknown.value.http_status == status
    assert unknown.value.code == ("-1006" if status == 500 else "-1007")
    # Reconciled by its client order id, as the terminal does: there exactly when it was executed.
    ids = [o.client_order_id for o in await client.open_orders()]
    assert ids == (["f-1"] if execute else [])
    assert (await client.create_order(_order("f-2"))).venue_status is OrderStatus.NEW  # one failure only


@pytest.mark.parametrize("execute", [True, False])
async def test_a_hung_order_request_times_out_the_client(
    url: str, http: httpx.AsyncClient, exchange: DemoExchange, execute: bool
) -> None:
    await http.post("/_demo/fail-orders", json={"count": 1, "status": "timeout", "execute": execute})
    seed_book(exchange)
    async with client_for(url, exchange.user.trading_key, timeout=0.3) as client:
        with pytest.raises(UnknownOutcome):
            await client.create_order(
                OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("0.01"), client_order_id="t-1")
            )
        fills = await client.account_trades()
    assert [f.client_order_id for f in fills] == (["t-1"] if execute else [])


async def test_failures_count_per_request_on_every_order_path(
    signer: Signer, http: httpx.AsyncClient, exchange: DemoExchange
) -> None:
    await http.post("/_demo/fail-orders", json={"count": 3, "status": 500, "execute": True})
    order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", "90000")]
    assert (await signer.send("GET", "/api/v1/spot/openOrders")).status_code == 200  # reads are not order-placing
    assert (await signer.send("POST", "/api/v1.1/spot/order", (), order)).status_code == 500
    assert (await signer.send("POST", "/api/v1/spot/order", (), order)).status_code == 500
    batch = await signer.batch([dict(order), dict(order)])
    assert (batch.status_code, batch.json()) == (500, {"code": "-1006", "msg": "Execution status unknown"})
    assert len(exchange.engine.open_orders(exchange.user.main_account)) == 4
    assert (await signer.send("POST", "/api/v1.1/spot/order", (), order)).status_code == 200


BAD_INPUT = [
    ("/_demo/fail-orders", b"{not json"),
    ("/_demo/fail-orders", b"[1, 2]"),
    ("/_demo/fail-orders", b'{"count": 1, "status": 404}'),
    ("/_demo/fail-orders", b'{"count": -1, "status": 500}'),
    ("/_demo/fail-orders", b'{"count": true, "status": 500}'),
    ("/_demo/fail-orders", b'{"count": 1, "status": 500, "execute": "yes"}'),
    ("/_demo/rate-limit", b'{"seconds": "ten"}'),
    ("/_demo/rate-limit", b'{"seconds": -1}'),
    ("/_demo/clock-skew", b'{"ms": 1.5}'),
    ("/_demo/pause-stream", b'{"topic": "news", "symbol": "BTCUSDT", "seconds": 5}'),
    ("/_demo/pause-stream", b'{"topic": "depth", "symbol": "NOPE", "seconds": 5}'),
    ("/_demo/silence", b"{}"),
    ("/_demo/expire-listen-key", b'{"listenKey": 7}'),
    ("/_demo/deposit", b'{"api_key": "nobody", "coin": "USDT", "quantity": "1"}'),
]


async def test_fault_routes_refuse_bad_input(http: httpx.AsyncClient, exchange: DemoExchange) -> None:
    for path, body in BAD_INPUT:
        response = await http.post(path, content=body, headers={"Content-Type": "application/json"})
        assert (response.status_code, set(response.json())) == (400, {"error"}), (path, body)
        assert exchange.faults.pending_order_failures == 0 and exchange.faults.clock_skew_ms == 0


async def test_deposit_refusals_are_the_documents(http: httpx.AsyncClient, exchange: DemoExchange) -> None:
    key = exchange.user.trading_key.key
    bad = await http.post("/_demo/deposit", json={"api_key": key, "coin": "DOGE", "quantity": "1"})
    assert (bad.status_code, bad.json()) == (400, {"code": "-4001", "msg": "Invalid asset"})
    garbage = await http.post("/_demo/deposit", json={"api_key": key, "coin": "BTC", "quantity": "lots"})
    assert garbage.status_code == 400


async def test_clock_skew_moves_the_server_time(http: httpx.AsyncClient, exchange: DemoExchange) -> None:
    answer = (await http.post("/_demo/clock-skew", json={"ms": -90_000})).json()
    assert answer["skewMs"] == -90_000 and exchange.faults.clock_skew_ms == -90_000
    server = (await http.get("/api/v1/time")).json()["serverTime"]
    assert abs(server - (exchange.now_ms())) < 1_000 and abs(server - answer["serverTime"]) < 1_000


async def test_stream_faults_set_the_state_the_websocket_side_reads(
    http: httpx.AsyncClient, exchange: DemoExchange
) -> None:
    assert (
        await http.post("/_demo/pause-stream", json={"topic": "depth", "symbol": "ETHUSDT", "seconds": 5})
    ).status_code == 200
    now = exchange.now_ms()
    assert exchange.faults.stream_paused("depth", "ETHUSDT", now)
    assert not exchange.faults.stream_paused("trade", "ETHUSDT", now)
    # Subscriptions open when the pause began fall silent; a new one gets data again.
    assert exchange.faults.stream_paused("depth", "ETHUSDT", now, subscribed_ms=now - 1_000)
    assert not exchange.faults.stream_paused("depth", "ETHUSDT", now + 1, subscribed_ms=now + 1_000)
    assert not exchange.faults.stream_paused("depth", "ETHUSDT", now + 5_001)
    assert (await http.post("/_demo/silence", json={"seconds": 2})).status_code == 200
    assert exchange.faults.silenced(exchange.now_ms()) and not exchange.faults.silenced(exchange.now_ms() + 2_001)


async def test_expire_listen_key(signer: Signer, http: httpx.AsyncClient, exchange: DemoExchange) -> None:
    key = (await signer.send("POST", "/api/v1/userDataStream")).json()["listenKey"]
    assert (await http.post("/_demo/expire-listen-key", json={"listenKey": key})).json() == {"expired": True}
    assert exchange.listen_keys.account_of(key, exchange.now_ms()) is None
    reset = await signer.send("PUT", "/api/v1/userDataStream", (), [("listenKey", key)])
    assert reset.json()["code"] == "0001"
    assert (await http.post("/_demo/expire-listen-key", json={"listenKey": "unknown"})).json() == {"expired": False}


async def test_drop_connections(http: httpx.AsyncClient, exchange: DemoExchange) -> None:
    assert (await http.post("/_demo/drop-connections")).json() == {"dropped": 0}
    closed: list[str] = []

    async def close() -> None:
        closed.append("private")

    exchange.connections.add("private", close)
    assert (await http.get("/_demo/state", params={"api_key": exchange.user.trading_key.key})).json()[
        "connections"
    ] == {
        "public_v1": 0,
        "public_v2": 0,
        "private": 1,
    }
    assert (await http.post("/_demo/drop-connections", content=b"")).json() == {"dropped": 1}
    assert closed == ["private"] and exchange.connections.counts()["private"] == 0


async def test_state_is_the_ground_truth_in_the_apis_shapes(
    signer: Signer, http: httpx.AsyncClient, exchange: DemoExchange
) -> None:
    seed_book(exchange)
    order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", "90000")]
    await signer.send("POST", "/api/v1.1/spot/order", (), order)
    await signer.send(
        "POST",
        "/api/v1.1/spot/order",
        (),
        [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.02")],
    )
    state = (await http.get("/_demo/state", params={"api_key": exchange.user.trading_key.key})).json()
    assert state["accountId"] == exchange.user.main_account
    assert state["openOrders"] == (await signer.send("GET", "/api/v1/spot/openOrders")).json()
    assert state["fills"] == (await signer.send("GET", "/api/v1/account/trades")).json()
    assert len(state["fills"]) == 1
    account = (await signer.send("GET", "/api/v1/account")).json()["balances"]
    assert state["balances"] == [{k: b[k] for k in ("asset", "free", "locked", "total")} for b in account]
    missing = await http.get("/_demo/state", params={"api_key": "nobody"})
    assert missing.status_code == 404 and "error" in missing.json()


async def test_fault_routes_serve_only_this_machine(exchange: DemoExchange) -> None:
    app = make_app(exchange)
    remote = httpx.ASGITransport(app=app, client=("192.0.2.7", 40_000))
    async with httpx.AsyncClient(transport=remote, base_url="http://demo") as far:
        for path in ("/_demo/drop-connections", "/_demo/clock-skew"):
            response = await far.post(path, json={"ms": 5})
            assert response.status_code == 403 and "error" in orjson.loads(response.content)
        assert (await far.get("/_demo/state", params={"api_key": exchange.user.trading_key.key})).status_code == 403
        assert (await far.get("/api/v1/ping")).status_code == 200  # the API itself is served to anyone
    assert exchange.faults.clock_skew_ms == 0
    assert len(fault_routes(exchange)) == 12


async def test_a_hung_request_ends_when_its_client_leaves(exchange: DemoExchange) -> None:
    """The server does not sit on a request its client abandoned, so it can shut down at once."""
    exchange.faults.fail_next_orders(1, "timeout", execute=False)
    order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", "90000")]
    loop = asyncio.get_running_loop()
    async with serve(make_app(exchange)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=0.2) as http:
            with pytest.raises(httpx.ReadTimeout):
                await Signer(http, exchange.user.trading_key).send("POST", "/api/v1.1/spot/order", (), order)
        stopping = loop.time()
    assert loop.time() - stopping < 2.0  # not the 30 s a client that stayed would wait
