"""The Longbridge fake: its verifier agrees with the documented known answer and an independent signer,
broken requests are refused with the venue's codes and recorded, tokens expire and refresh, and orders,
executions, balances and positions answer in the SDK's shapes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from tests.support.longbridge.server import Limit, LongbridgeFakeServer
from tests.support.longbridge.signature import SignedParts, signature, string_to_sign
from tests.support.longbridge.signed_client import SignedClient, sign

ORDER = "/v1/trade/order"


@pytest.fixture
def server() -> Iterator[LongbridgeFakeServer]:
    with LongbridgeFakeServer() as fake:
        yield fake


@pytest.fixture
def client(server: LongbridgeFakeServer) -> Iterator[SignedClient]:
    with SignedClient(server.url, server.app_key, server.app_secret, server.token) as signed:
        yield signed


def data(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == 0, body
    result: dict[str, object] = body["data"]
    return result


def error(response: httpx.Response) -> tuple[int, int]:
    return response.status_code, response.json()["code"]


def submit(client: SignedClient, timeout: float | None = None, **fields: str) -> httpx.Response:
    order = {
        "symbol": "700.HK",
        "order_type": "LO",
        "side": "Buy",
        "submitted_quantity": "100",
        "submitted_price": "310",
        "time_in_force": "Day",
        "remark": "test",
        **fields,
    }
    return client.post(ORDER, order, timeout=timeout)


def today(client: SignedClient, **query: str) -> list[dict[str, str]]:
    orders = data(client.get(f"{ORDER}/today", list(query.items())))["orders"]
    assert isinstance(orders, list)
    return orders


# -- signatures ------------------------------------------------------------------------------------------


def test_the_published_known_answer_from_the_fakes_verifier_and_the_client() -> None:
    parts = SignedParts("GET", "/v1/asset/account", "currency=USD&currency=HKD", "token", "key", "1700000000000", b"")
    assert string_to_sign(parts) == "HMAC-SHA256|cb058d4b4a5559a4eefee0850e162ab4aeb1dc05"
    expected = "6816055d0ad4b02dcb07203e71b312709bfc3fb72c6a87336ac22f37102dd7b5"
    assert signature(parts, "secret") == expected
    header = sign(
        "GET", "/v1/asset/account", "currency=USD&currency=HKD", "", "token", "key", "1700000000000", "secret"
    )
    assert header == f"HMAC-SHA256 SignedHeaders=authorization;x-api-key;x-timestamp, Signature={expected}"


def test_the_known_answer_request_is_admitted_end_to_end() -> None:
    with (
        LongbridgeFakeServer("key", "secret", "token", clock=lambda: 1_700_000_000.0) as fake,
        SignedClient(fake.url, "key", "secret", "token") as signed,
    ):
        query = [("currency", "USD"), ("currency", "HKD")]
        answer = signed.get("/v1/asset/account", query, timestamp="1700000000000")
        assert answer.status_code == 200, answer.text
        sent = fake.requests[-1]
        assert sent.query == "currency=USD&currency=HKD"
        assert sent.headers["x-api-signature"].endswith(
            "6816055d0ad4b02dcb07203e71b312709bfc3fb72c6a87336ac22f37102dd7b5"
        )
        assert {entry["currency"] for entry in data(answer)["list"]} == {"USD", "HKD"}  # type: ignore[attr-defined]
        assert fake.violations == []


def test_a_body_is_signed_by_its_sha1(client: SignedClient, server: LongbridgeFakeServer) -> None:
    assert data(submit(client))["order_id"]
    assert server.violations == []


def test_a_bad_signature_is_403201(client: SignedClient, server: LongbridgeFakeServer) -> None:
    def tamper(headers: dict[str, str]) -> None:
        headers["X-Api-Signature"] = headers["X-Api-Signature"][:-1] + (
            "0" if headers["X-Api-Signature"][-1] != "0" else "1"
        )

    assert error(client.get("/v1/asset/account", edit=tamper)) == (403, 403201)
    with SignedClient(server.url, server.app_key, "not-the-secret", server.token) as wrong:
        assert error(wrong.get("/v1/asset/account")) == (403, 403201)
    assert any("does not match" in v for v in server.violations)


def test_an_unknown_app_key_is_403203(server: LongbridgeFakeServer) -> None:
    with SignedClient(server.url, "someone-else", server.app_secret, server.token) as other:
        assert error(other.get("/v1/asset/account")) == (403, 403203)


def test_a_reused_or_stale_timestamp_is_403202(client: SignedClient, server: LongbridgeFakeServer) -> None:
    stamp = str(int(time.time() * 1000))
    assert client.get("/v1/asset/account", timestamp=stamp).status_code == 200
    assert error(client.get("/v1/asset/account", timestamp=stamp)) == (403, 403202)  # the same request replayed
    assert client.get("/v1/asset/stock", timestamp=stamp).status_code == 200  # another request, another signature
    old = str(int((time.time() - 120) * 1000))
    assert error(client.get("/v1/asset/account", timestamp=old)) == (403, 403202)
    assert client.get("/v1/asset/account", timestamp=f"{time.time() + 1:.3f}").status_code == 200  # seconds form
    assert any("already used" in v for v in server.violations)


def test_tokens_expire_unknown_ones_are_refused(client: SignedClient, server: LongbridgeFakeServer) -> None:
    assert error(client.get("/v1/asset/account", token="never-issued")) == (401, 401004)
    server.expire_token(server.token)
    assert error(client.get("/v1/asset/account")) == (401, 401003)
    assert server.tokens[server.token] == "expired"
    fresh = server.issue_token(time.time() + 3600)
    assert client.get("/v1/asset/account", token=fresh).status_code == 200


def test_refresh_issues_a_new_token_and_invalidates_the_old(client: SignedClient, server: LongbridgeFakeServer) -> None:
    assert error(client.get("/v1/token/refresh")) == (400, 602001)  # expired_at is required
    answer = data(client.get("/v1/token/refresh", [("expired_at", "2099-04-14T12:13:57.859Z")]))
    assert set(answer) == {"token", "expired_at", "issued_at", "account_info"}
    assert answer["expired_at"] == "2099-04-14T12:13:57.859Z"
    assert set(answer["account_info"]) == {"member_id", "aaid", "account_channel"}  # type: ignore[arg-type]
    new = str(answer["token"])
    assert server.tokens == {server.token: "invalidated", new: "valid"}
    assert error(client.get("/v1/asset/account")) == (401, 401004)
    assert client.get("/v1/asset/account", token=new).status_code == 200


# -- orders ----------------------------------------------------------------------------------------------


def test_submit_replace_cancel(client: SignedClient, server: LongbridgeFakeServer) -> None:
    order_id = str(data(submit(client))["order_id"])
    [order] = today(client, order_id=order_id)
    assert order["status"] == "NewStatus" and order["price"] == "310" and order["quantity"] == "100"
    assert order["symbol"] == "700.HK" and order["side"] == "Buy" and order["currency"] == "HKD"
    assert order["remark"] == "test" and order["executed_quantity"] == "0"
    assert data(client.put(ORDER, {"order_id": order_id, "quantity": "200", "price": "305.2"})) == {}
    [order] = today(client, order_id=order_id)
    assert (order["status"], order["quantity"], order["price"]) == ("ReplacedStatus", "200", "305.2")
    assert data(client.delete(ORDER, [("order_id", order_id)])) == {}
    assert today(client, order_id=order_id)[0]["status"] == "CanceledStatus"
    assert error(client.delete(ORDER, [("order_id", order_id)])) == (400, 603002)
    detail = data(client.get(ORDER, [("order_id", order_id)]))
    assert [step["status"] for step in detail["history"]] == ["NewStatus", "ReplacedStatus", "CanceledStatus"]  # type: ignore[attr-defined]
    assert server.violations == []


def test_invalid_orders_are_602001(client: SignedClient, server: LongbridgeFakeServer) -> None:
    assert error(submit(client, submitted_quantity="150")) == (400, 602001)  # not a lot of 100
    assert error(submit(client, submitted_price="310.1")) == (400, 602001)  # tick 0.2 between 200 and 500
    assert error(submit(client, side="BUY")) == (400, 602001)
    assert error(submit(client, time_in_force="GTD")) == (400, 602001)  # no expire_date
    assert error(submit(client, symbol="700")) == (400, 602001)
    assert error(
        client.post(
            ORDER,
            {
                "symbol": "AAPL.US",
                "order_type": "LO",
                "side": "Buy",
                "time_in_force": "Day",
                "submitted_quantity": 1,
                "submitted_price": "100",
            },
        )
    ) == (400, 602001)
    assert any("JSON number" in v for v in server.violations)
    assert error(
        client.post(
            ORDER,
            {
                "symbol": "AAPL.US",
                "order_type": "LO",
                "side": "Buy",
                "time_in_force": "Day",
                "quantity": "1",
                "submitted_price": "100",
            },
        )
    ) == (400, 602001)
    assert any("'quantity'" in v for v in server.violations)
    assert error(submit(client, submitted_quantity="100000")) == (400, 603003)  # 31 million HKD
    assert error(submit(client, side="Sell", submitted_quantity="300")) == (400, 603004)  # holds 200


def test_a_resting_order_fills_when_the_price_crosses(client: SignedClient, server: LongbridgeFakeServer) -> None:
    order_id = str(data(submit(client, submitted_price="300", submitted_quantity="200"))["order_id"])
    server.set_price("700.HK", "301")
    assert today(client, order_id=order_id)[0]["status"] == "NewStatus"
    server.set_price("700.HK", "299.8")
    [order] = today(client, order_id=order_id)
    assert (order["status"], order["executed_quantity"], order["executed_price"]) == ("FilledStatus", "200", "300.000")
    [trade] = data(client.get("/v1/trade/execution/today"))["trades"]  # type: ignore[misc]
    assert (trade["order_id"], trade["symbol"], trade["quantity"], trade["price"]) == (order_id, "700.HK", "200", "300")
    assert set(trade) == {"order_id", "trade_id", "symbol", "trade_done_at", "quantity", "price"}
    history = data(client.get("/v1/trade/execution/history", [("symbol", "700.HK")]))
    assert history["has_more"] is False and len(history["trades"]) == 1  # type: ignore[arg-type]
    assert len(data(client.get(f"{ORDER}/history", [("status", "FilledStatus")]))["orders"]) == 1  # type: ignore[arg-type]


def test_balance_and_positions_move_with_fills(client: SignedClient, server: LongbridgeFakeServer) -> None:
    [channel] = data(client.get("/v1/asset/stock"))["list"]  # type: ignore[misc]
    assert channel["account_channel"] == "lb"
    held = {p["symbol"]: (p["quantity"], p["cost_price"], p["market"]) for p in channel["stock_info"]}
    assert held == {"700.HK": ("200", "300.000", "HK"), "AAPL.US": ("10", "180.000", "US")}
    market = client.post(
        ORDER,
        {"symbol": "AAPL.US", "order_type": "MO", "side": "Buy", "submitted_quantity": "10", "time_in_force": "Day"},
    )
    order_id = str(data(market)["order_id"])
    assert today(client, order_id=order_id)[0]["status"] == "FilledStatus"  # at the last price, 190
    [usd] = data(client.get("/v1/asset/account", [("currency", "USD")]))["list"]  # type: ignore[misc]
    assert (usd["currency"], usd["total_cash"], usd["buy_power"]) == ("USD", "98100.00", "98100.00")
    assert {info["currency"] for info in usd["cash_infos"]} == {"HKD", "USD"}
    [channel] = data(client.get("/v1/asset/stock", [("symbol", "AAPL.US")]))["list"]  # type: ignore[misc]
    [apple] = channel["stock_info"]
    assert (apple["quantity"], apple["available_quantity"], apple["cost_price"]) == ("20", "20", "185.000")
    sell = str(data(submit(client, side="Sell", submitted_price="330", submitted_quantity="100"))["order_id"])
    [channel] = data(client.get("/v1/asset/stock", [("symbol", "700.HK")]))["list"]  # type: ignore[misc]
    assert channel["stock_info"][0]["available_quantity"] == "100"  # the resting sell holds 100
    server.fill_order(sell, quantity="100", price="330")
    assert server.position("700.HK") == 100 and server.cash("HKD") == Decimal("1033000.00")


def test_partial_fill_then_end_of_day(client: SignedClient, server: LongbridgeFakeServer) -> None:
    order_id = str(data(submit(client, submitted_quantity="300"))["order_id"])
    server.fill_order(order_id, quantity="100")
    assert today(client, order_id=order_id)[0]["status"] == "PartialFilledStatus"
    server.end_of_day()
    assert today(client, order_id=order_id)[0]["status"] == "ExpiredStatus"


# -- limits and faults -----------------------------------------------------------------------------------


def test_rate_limits_answer_429(client: SignedClient, server: LongbridgeFakeServer) -> None:
    server.set_limits(api_limit=Limit(2, 60.0))
    assert [client.get("/v1/asset/account").status_code for _ in range(3)] == [200, 200, 429]
    assert error(client.get("/v1/asset/account")) == (429, 429002)
    assert client.get("/v1/asset/stock").status_code == 200  # per endpoint
    server.set_limits(ip_limit=Limit(1, 60.0))
    assert client.get("/v1/asset/stock").status_code == 200
    assert error(client.get("/v1/asset/stock")) == (429, 429001)


def test_fail_next_answers_the_injected_error_once(client: SignedClient, server: LongbridgeFakeServer) -> None:
    server.fail_next(ORDER, 500, 500000, "internal error", method="POST")
    assert error(submit(client)) == (500, 500000)
    assert server.orders == []
    assert data(submit(client))["order_id"]
    assert server.violations == []
    with pytest.raises(ValueError, match="not an endpoint"):
        server.fail_next("/v1/nowhere", 500, 1, "x")


def test_swallow_next_places_the_order_but_never_answers(client: SignedClient, server: LongbridgeFakeServer) -> None:
    server.swallow_next(ORDER, method="POST")
    with pytest.raises(httpx.ReadTimeout):
        submit(client, remark="lost", timeout=0.3)
    [lost] = today(client)
    assert lost["remark"] == "lost" and lost["status"] == "NewStatus"  # reconcile from today's orders
    assert data(submit(client))["order_id"]
    assert server.violations == []


def test_unknown_endpoints_are_violations(client: SignedClient, server: LongbridgeFakeServer) -> None:
    assert client.post("/v1/trade/order/submit", {"order_id": "1"}).status_code == 404
    assert server.violations == ["POST /v1/trade/order/submit: no such endpoint at Longbridge's gateway"]
