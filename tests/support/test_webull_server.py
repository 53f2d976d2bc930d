"""The Webull fake against Webull's own SDK: its signatures pass, broken ones are refused and recorded,
the 2FA token lives as seed 000 says, and orders, accounts and market data answer in the SDK's shapes."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from webull.core.auth.composer import default_signature_composer  # type: ignore[import-untyped]

from tests.support.webull.client_signing import signed_headers
from tests.support.webull.ratelimit import DEFAULT_LIMITS, Limit
from tests.support.webull.server import SignedHost, WebullFakeServer
from tests.support.webull.signature import ReceivedRequest, expected_signature, string_to_sign
from tests.support.webull.signed_client import SignedClient

US = "ACC-US-CASH-0001"
HK = "ACC-HK-MRGN-0002"


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(step_seconds=0) as fake:  # frozen prices: fills are predictable
        yield fake


@pytest.fixture
def client(server: WebullFakeServer) -> Iterator[SignedClient]:
    with SignedClient(server, token=server.issue_token()) as signed:
        yield signed


def envelope(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error_code"], body["message"]


def order(client_order_id: str, **fields: str) -> dict[str, str]:
    item = {
        "client_order_id": client_order_id,
        "combo_type": "NORMAL",
        "symbol": "AAPL",
        "instrument_type": "EQUITY",
        "market": "US",
        "order_type": "LIMIT",
        "limit_price": "150.00",
        "quantity": "2",
        "side": "BUY",
        "time_in_force": "DAY",
        "support_trading_session": "CORE",
        "entrust_type": "QTY",
    }
    return {**item, **fields}


def place(client: SignedClient, account_id: str = US, **fields: str) -> httpx.Response:
    coid = fields.pop("client_order_id", uuid.uuid4().hex)
    return client.post("/trading/orders/place", {"account_id": account_id, "new_orders": [order(coid, **fields)]})


def detail(client: SignedClient, client_order_id: str, account_id: str = US) -> dict[str, str]:
    answer = client.get("/trading/orders/get", {"account_id": account_id, "client_order_id": client_order_id})
    assert answer.status_code == 200, answer.text
    group = answer.json()
    assert group["client_order_id"] == client_order_id and group["combo_type"] == "NORMAL"
    item: dict[str, str] = group["orders"][0]
    return item


# -- signatures ------------------------------------------------------------------------------------------


def test_the_documented_worked_example_signs_as_published() -> None:
    example = ReceivedRequest(
        path="/trade/place_order",
        query=[("a1", "webull"), ("a2", "123"), ("a3", "xxx"), ("q1", "yyy")],
        headers={
            "x-app-key": "776da210ab4a452795d74e726ebd74b6",
            "x-timestamp": "2022-01-04T03:55:31Z",
            "x-signature-version": "1.0",
            "x-signature-algorithm": "HMAC-SHA1",
            "x-signature-nonce": "48ef5afed43d4d91ae514aaeafbc29ba",
        },
        body=b'{"k1":123,"k2":"this is the api request body","k3":true,"k4":{"foo":[1,2]}}',
        host="api.webull.com",
    )
    from webull.core.auth.algorithm import sha_hmac1  # type: ignore[import-untyped]

    assert string_to_sign(example, sha_hmac1).startswith("%2Ftrade%2Fplace_order%26a1%3Dwebull")
    assert expected_signature(example, "0f50a2e853334a9aae1a783bee120c1f") == "kvlS6opdZDhEBo5jq40nHYXaLvM="


@pytest.mark.parametrize("algorithm", ["HMAC-SHA1", "HMAC-SHA256"])
def test_a_signed_request_passes_with_either_algorithm(server: WebullFakeServer, algorithm: str) -> None:
    with SignedClient(server, algorithm=algorithm, token=server.issue_token()) as signed:
        assert signed.get("/openapi/config").json() == {"token_check_enabled": True}
        balance = signed.get("/trading/assets/balances/get", {"account_id": US})
        assert balance.status_code == 200
        previewed = signed.post("/trading/orders/preview", {"account_id": US, "new_orders": [order("p1")]})
        assert previewed.status_code == 200
    assert server.violations == []


def test_the_sdks_own_calc_signature_is_accepted(server: WebullFakeServer) -> None:
    path, body = "/auth/tokens/create", dict[str, str]()
    headers: dict[str, str] = {"x-version": "v3"}
    default_signature_composer.calc_signature(
        headers, server.signed_host, path, {}, body, server.app_key, server.app_secret, None
    )
    raw = json.dumps(body, separators=(",", ":")).encode()
    answer = httpx.post(server.url + path, content=raw, headers={**headers, "content-type": "application/json"})
    assert answer.status_code == 200 and answer.json()["status"] == "PENDING"
    assert headers["x-signature-algorithm"] == "HMAC-SHA256"
    assert server.violations == []


def test_a_wrong_signature_is_refused_and_recorded(client: SignedClient, server: WebullFakeServer) -> None:
    def tamper(headers: dict[str, str]) -> None:
        headers["x-signature"] = "AAAA" + headers["x-signature"][4:]

    answer = client.get("/trading/accounts/list", edit=tamper)
    assert envelope(answer) == (401, "UNAUTHORIZED", "Header x-signature is invalid.")
    assert len(server.violations) == 1 and "x-signature does not match" in server.violations[0]


def test_a_tampered_body_breaks_the_signature(client: SignedClient, server: WebullFakeServer) -> None:
    raw = json.dumps({"account_id": US, "new_orders": [order("t1")]}, separators=(",", ":")).encode()
    headers = signed_headers(
        host=server.signed_host,
        path="/trading/orders/place",
        query={},
        body=raw,
        app_key=server.app_key,
        app_secret=server.app_secret,
        token=client.token,
    )
    answer = httpx.post(server.url + "/trading/orders/place", content=raw.replace(b'"2"', b'"20"'), headers=headers)
    assert envelope(answer)[1] == "UNAUTHORIZED"
    assert "t1" not in server.accounts[US].orders


def test_a_stale_timestamp_is_refused(client: SignedClient, server: WebullFakeServer) -> None:
    stale = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))
    answer = client.get("/trading/accounts/list", timestamp=stale)
    assert envelope(answer) == (401, "ILLEGAL_TIMESTAMP", "Header x-timestamp is invalid.")
    assert "from the server's clock" in server.violations[0]


def test_a_timestamp_in_another_format_is_refused(client: SignedClient, server: WebullFakeServer) -> None:
    answer = client.get("/trading/accounts/list", timestamp=time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()))
    assert envelope(answer)[1] == "ILLEGAL_TIMESTAMP"
    assert server.violations


def test_a_reused_nonce_is_refused(client: SignedClient, server: WebullFakeServer) -> None:
    assert client.get("/trading/accounts/list", nonce="n-0001").status_code == 200
    answer = client.get("/trading/accounts/list", nonce="n-0001")
    assert envelope(answer)[:2] == (401, "UNAUTHORIZED")
    assert server.violations == ["GET /trading/accounts/list: x-signature-nonce 'n-0001' was used before"]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("x-app-key", "MISSING_APP_KEY"),
        ("x-signature", "MISSING_SIGNATURE"),
        ("x-signature-algorithm", "MISSING_ALGORITHM"),
        ("x-signature-nonce", "MISSING_NONCE"),
        ("x-timestamp", "MISSING_TIMESTAMP"),
        ("x-version", "MISSING_VERSION"),
        ("x-signature-version", "VERSION_NOT_SUPPORTED"),
    ],
)
def test_each_missing_header_has_its_code(
    client: SignedClient, server: WebullFakeServer, header: str, code: str
) -> None:
    answer = client.get("/trading/accounts/list", edit=lambda headers: headers.pop(header))
    assert envelope(answer)[:2] == (401, code)
    assert server.violations == [f"GET /trading/accounts/list: header {header} is missing"]


def test_other_header_mistakes(client: SignedClient, server: WebullFakeServer) -> None:
    def algorithm(headers: dict[str, str]) -> None:
        headers["x-signature-algorithm"] = "HMAC-MD5"

    def app_key(headers: dict[str, str]) -> None:
        headers["x-app-key"] = "someone-else"

    assert envelope(client.get("/trading/accounts/list", edit=algorithm))[1] == "SIGNATURE_ALGORITHM_NOT_SUPPORTED"
    assert envelope(client.get("/trading/accounts/list", edit=app_key))[:2] == (401, "UNAUTHORIZED")
    assert envelope(client.get("/trading/accounts/list", version="v9"))[1] == "UNSUPPORTED_API_VERSION"
    assert len(server.violations) == 3


def test_the_app_secret_must_not_travel(client: SignedClient, server: WebullFakeServer) -> None:
    answer = client.get("/trading/accounts/list", edit=lambda headers: headers.update({"x-app-secret": "sk"}))
    assert answer.status_code == 200  # seed 000's example sends it; the fake answers but records it
    assert server.violations == [
        "GET /trading/accounts/list: the app secret was sent as a header (it must never travel)"
    ]


def test_the_client_signs_the_bare_host_name(client: SignedClient, server: WebullFakeServer) -> None:
    assert server.signed_host == "127.0.0.1" and server.host == f"127.0.0.1:{server.url.rsplit(':', 1)[1]}"
    answer = client.get("/trading/accounts/list", host=server.host)
    assert envelope(answer)[1] == "UNAUTHORIZED"
    with WebullFakeServer(signed_host=SignedHost.WITH_PORT, token_required=False) as strict:
        with SignedClient(strict) as signed:
            assert strict.signed_host == strict.host
            assert signed.get("/trading/accounts/list").status_code == 200
        assert strict.violations == []


def test_query_values_are_signed_decoded(client: SignedClient, server: WebullFakeServer) -> None:
    query = {"symbols": "AAPL,MSFT", "category": "US_STOCK"}
    assert client.get("/market-data/stocks/snapshots/list", query).status_code == 200
    assert server.requests[-1].query == query
    assert server.violations == []


def test_an_unknown_path_is_the_gateways_404(client: SignedClient, server: WebullFakeServer) -> None:
    answer = client.get("/openapi/trade/order/open", {"account_id": US})
    assert answer.status_code == 404 and answer.json() == {"error_msg": "404 Route Not Found"}
    assert server.violations == ["GET /openapi/trade/order/open: no such route at Webull's gateway"]


# -- the 2FA token ---------------------------------------------------------------------------------------


def test_token_create_verify_check(server: WebullFakeServer) -> None:
    with SignedClient(server) as signed:
        assert signed.get("/openapi/config").json() == {"token_check_enabled": True}
        created = signed.post("/openapi/auth/token/create", {}).json()
        token = created["token"]
        assert created["status"] == "PENDING" and created["expires"] > time.time() * 1000
        assert signed.post("/openapi/auth/token/check", {"token": token}).json()["status"] == "PENDING"
        assert envelope(signed.get("/trading/accounts/list")) == (
            401,
            "INVALID_TOKEN",
            "Header x-access-token is missing or invalid.",
        )
        signed.token = token
        assert envelope(signed.get("/trading/accounts/list"))[1] == "INVALID_TOKEN"  # still PENDING
        server.verify_token(token)
        assert server.tokens == {token: "NORMAL"}
        assert signed.post("/auth/tokens/check", {"token": token}).json()["status"] == "NORMAL"
        assert signed.get("/trading/accounts/list").status_code == 200
        again = signed.post("/auth/tokens/create", {"token": token}).json()
        assert again["token"] == token and again["status"] == "NORMAL"  # the SDK re-sends its stored token
    assert server.violations == []


def test_tokens_expire_and_go_invalid() -> None:
    with WebullFakeServer(verify_timeout=0.3) as server, SignedClient(server) as signed:
        late = signed.post("/auth/tokens/create", {}).json()["token"]
        expired = signed.post("/auth/tokens/create", {}).json()["token"]
        dropped = signed.post("/auth/tokens/create", {}).json()["token"]
        server.expire_token(expired)
        server.verify_token(dropped)
        server.invalidate_token(dropped)
        assert signed.post("/auth/tokens/check", {"token": expired}).json()["status"] == "EXPIRED"
        assert signed.post("/auth/tokens/check", {"token": dropped}).json()["status"] == "INVALID"
        assert signed.post("/auth/tokens/check", {"token": "never-issued"}).json()["status"] == "INVALID"
        time.sleep(0.35)
        assert signed.post("/auth/tokens/check", {"token": late}).json()["status"] == "EXPIRED"
        with pytest.raises(ValueError, match="not PENDING"):
            server.verify_token(late)
        signed.token = dropped
        assert envelope(signed.get("/trading/accounts/list"))[1] == "INVALID_TOKEN"


def test_sandbox_tokens_are_normal_at_once() -> None:
    with WebullFakeServer(sandbox=True) as server, SignedClient(server) as signed:
        created = signed.post("/auth/tokens/create", {}).json()
        assert created["status"] == "NORMAL"
        signed.token = created["token"]
        assert signed.get("/trading/accounts/list").status_code == 200


def test_the_user_confirms_after_a_while() -> None:
    with WebullFakeServer(verify_after=0.2) as server, SignedClient(server) as signed:
        token = signed.post("/auth/tokens/create", {}).json()["token"]
        assert server.tokens[token] == "PENDING"
        time.sleep(0.25)
        assert signed.post("/auth/tokens/check", {"token": token}).json()["status"] == "NORMAL"


def test_no_token_needed_when_the_account_does_not_require_one() -> None:
    with WebullFakeServer(token_required=False) as server, SignedClient(server) as signed:
        assert signed.get("/openapi/config").json() == {"token_check_enabled": False}
        assert signed.get("/trading/accounts/list").status_code == 200


# -- accounts and market data ----------------------------------------------------------------------------


def test_accounts_balance_positions_instruments(client: SignedClient) -> None:
    accounts = client.get("/trading/accounts/list").json()
    assert [row["account_id"] for row in accounts] == [US, HK]
    assert accounts[0]["account_type"] == "CASH" and accounts[1]["account_class"] == "INDIVIDUAL_MRGN"
    balance = client.get("/trading/assets/balances/get", {"account_id": US}).json()
    assert balance["total_asset_currency"] == "USD" and balance["total_cash_balance"] == "100000.00"
    assert balance["account_currency_assets"][0]["buying_power"] == "100000.00"
    (position,) = client.get("/trading/assets/positions/list", {"account_id": US}).json()
    assert (position["symbol"], position["quantity"], position["cost_price"]) == ("AAPL", "10", "180.00")
    assert position["last_price"] == "190.00" and position["unrealized_profit_loss"] == "100.00"
    profiles = client.get("/trading/instruments/stocks/profiles/list", {"category": "HK_STOCK"}).json()
    assert [row["symbol"] for row in profiles["data"]] == ["00700", "09988"]
    assert profiles["data"][0]["lot_size"] == "100" and "pagination_key" not in profiles
    assert envelope(client.get("/trading/assets/balances/get", {"account_id": "not-mine"}))[:2] == (
        403,
        "ACCOUNT_ACCESS_DENIED",
    )


def test_snapshot_depth_and_bars(client: SignedClient, server: WebullFakeServer) -> None:
    rows = client.get("/market-data/stocks/snapshots/list", {"symbols": "AAPL,TSLA", "category": "US_STOCK"}).json()
    assert [row["symbol"] for row in rows] == ["AAPL", "TSLA"]
    assert (rows[0]["price"], rows[0]["bid"], rows[0]["ask"]) == ("190.00", "189.99", "190.01")
    book = client.get("/market-data/stocks/depths/list", {"symbol": "00700", "category": "HK_STOCK", "depth": "3"})
    asks, bids = book.json()["asks"], book.json()["bids"]
    assert [level["price"] for level in asks] == ["380.20", "380.40", "380.60"]
    assert [level["price"] for level in bids] == ["379.80", "379.60", "379.40"]
    assert all(Decimal(level["size"]) % 100 == 0 for level in asks + bids)
    body = {"symbols": ["AAPL", "MSFT"], "category": "US_STOCK", "timespan": "M5", "count": "50"}
    first = client.post("/market-data/stocks/bars/list", body).json()["result"]
    assert [series["symbol"] for series in first] == ["AAPL", "MSFT"]
    bars = first[0]["result"]
    assert len(bars) == 50 and bars[0]["close"] == "190.00"  # newest first, closing at the last price
    assert all(bars[i]["open"] == bars[i + 1]["close"] for i in range(49))
    assert all(Decimal(b["low"]) <= min(Decimal(b["open"]), Decimal(b["close"])) for b in bars)
    assert client.post("/market-data/stocks/bars/list", body).json()["result"] == first  # deterministic
    assert (
        envelope(client.post("/market-data/stocks/bars/list", {**body, "timespan": "M2"}))[1] == "UNSUPPORTED_TIMESPAN"
    )
    assert envelope(client.get("/market-data/stocks/snapshots/list", {"symbols": "ZZZZ", "category": "US_STOCK"}))[
        :2
    ] == (417, "INVALID_SYMBOL")
    assert server.violations == []


def test_prices_walk_deterministically() -> None:
    walks = []
    for _ in range(2):
        clock = iter(float(second) for second in range(10_000))
        fake = WebullFakeServer(seed=3, clock=clock.__next__)
        walks.append([fake.price("AAPL") for _ in range(20)])
    assert walks[0] == walks[1] and len(set(walks[0])) > 3
    assert all(price * 100 == int(price * 100) for price in walks[0])


# -- orders ----------------------------------------------------------------------------------------------


def test_order_round_trip(client: SignedClient, server: WebullFakeServer) -> None:
    preview = client.post("/trading/orders/preview", {"account_id": US, "new_orders": [order("round-1")]}).json()
    assert preview["estimated_cost"] == "300.00" and preview["estimated_transaction_fee"] == "0.00"
    assert "round-1" not in server.accounts[US].orders
    placed = place(client, client_order_id="round-1").json()
    assert placed["client_order_id"] == "round-1" and placed["order_id"]
    item = detail(client, "round-1")
    assert (item["status"], item["total_quantity"], item["limit_price"]) == ("SUBMITTED", "2", "150.00")
    assert server.accounts[US].buying_power() == Decimal("99700.00")
    change = {
        "account_id": US,
        "modify_orders": [{"client_order_id": "round-1", "quantity": "3", "limit_price": "151"}],
    }
    assert client.post("/trading/orders/replace", change).json()["order_id"] == placed["order_id"]
    item = detail(client, "round-1")
    assert (item["total_quantity"], item["limit_price"]) == ("3", "151.00")
    opened = client.get("/trading/orders/open-orders/list", {"account_id": US}).json()
    assert [group["client_order_id"] for group in opened["data"]] == ["round-1"]
    legacy = client.get("/trading/orders/open-orders/list", {"account_id": US, "page_size": "5"}, version="v2").json()
    assert isinstance(legacy, list) and legacy[0]["orders"][0]["client_order_id"] == "round-1"
    cancelled = client.post("/trading/orders/cancel", {"account_id": US, "client_order_id": "round-1"}).json()
    assert cancelled == placed
    assert detail(client, "round-1")["status"] == "CANCELLED"
    assert client.get("/trading/orders/open-orders/list", {"account_id": US}).json() == {"data": []}
    history = client.get("/trading/orders/historical-orders/list", {"account_id": US}).json()
    assert [group["orders"][0]["status"] for group in history["data"]] == ["CANCELLED"]
    again = client.post("/trading/orders/cancel", {"account_id": US, "client_order_id": "round-1"})
    assert envelope(again)[:2] == (417, "OPENAPI_ORDER_STATUS_NOT_ALLOW_CANCEL")
    assert server.violations == []


def test_market_orders_fill_at_the_quote(client: SignedClient, server: WebullFakeServer) -> None:
    place(client, client_order_id="buy-1", order_type="MARKET", limit_price="", quantity="5")
    item = detail(client, "buy-1")
    assert (item["status"], item["filled_quantity"], item["filled_price"]) == ("FILLED", "5", "190.01")
    place(client, client_order_id="sell-1", order_type="MARKET", side="SELL", quantity="15")
    assert detail(client, "sell-1")["filled_price"] == "189.99"
    account = server.accounts[US]
    assert "AAPL" not in account.positions
    assert account.cash == Decimal("100000.00") - 5 * Decimal("190.01") + 15 * Decimal("189.99")


def test_limit_orders_rest_until_the_price_reaches_them(client: SignedClient, server: WebullFakeServer) -> None:
    place(client, client_order_id="rest-1", limit_price="185.00", time_in_force="GTC")
    place(client, client_order_id="cross-1", limit_price="191.00")
    assert detail(client, "cross-1")["filled_price"] == "190.01"  # takes the ask when it arrives
    assert detail(client, "rest-1")["status"] == "SUBMITTED"
    server.set_price("AAPL", "184.98")
    item = detail(client, "rest-1")
    assert (item["status"], item["filled_price"]) == ("FILLED", "185.00")
    assert server.accounts[US].positions["AAPL"].quantity == 14


def test_partial_fills_and_end_of_day(client: SignedClient, server: WebullFakeServer) -> None:
    place(client, client_order_id="part-1", quantity="10", limit_price="180.00")
    place(client, client_order_id="gtc-1", quantity="1", limit_price="170.00", time_in_force="GTC")
    server.fill_order("part-1", quantity="4")
    item = detail(client, "part-1")
    assert (item["status"], item["filled_quantity"], item["remain_quantity"]) == ("PARTIAL_FILLED", "4", "6")
    server.end_of_day()
    assert detail(client, "part-1")["status"] == "CANCELLED"
    assert detail(client, "gtc-1")["status"] == "SUBMITTED"


def test_orders_the_venue_would_refuse(client: SignedClient, server: WebullFakeServer) -> None:
    assert envelope(place(client, quantity="1000"))[:2] == (417, "OPENAPI_INSUFFICIENT_BUYING_POWER")
    assert envelope(place(client, side="SELL", quantity="11"))[1] == "OPENAPI_INSUFFICIENT_POSITION"
    assert envelope(place(client, symbol="MSFT", side="SELL"))[1] == "OPENAPI_ORDER_SIDE_NOT_MATCH_WITH_POSITION"
    assert envelope(place(client, limit_price="150.005"))[1] == "OPENAPI_ORDER_PRICE_ILLEGAL"
    assert envelope(place(client, order_type="STOP_LOSS"))[:2] == (417, "INVALID_PARAMETER")
    assert place(client, client_order_id="dup-1").status_code == 200
    assert envelope(place(client, client_order_id="dup-1"))[1] == "OPENAPI_DUPLICATE_CLIENT_ORDER_ID"
    detail_missing = client.get("/trading/orders/get", {"account_id": US, "client_order_id": "nope"})
    assert envelope(detail_missing)[1] == "OPENAPI_ORDER_NOT_FOUND"
    assert envelope(place(client, client_order_id="x" * 33))[1] == "INVALID_PARAMETER"
    assert server.violations == []


def test_hong_kong_orders_use_board_lots_and_the_hk_ladder() -> None:
    limits = {**DEFAULT_LIMITS, "order-write:HK": Limit(100, 1.0)}  # the real 1/s would pace this test
    with (
        WebullFakeServer(token_required=False, rate_limits=limits, step_seconds=0) as server,
        SignedClient(server) as client,
    ):
        hong_kong_orders(client)
        assert server.violations == []


def hong_kong_orders(client: SignedClient) -> None:
    hk = {"symbol": "00700", "market": "HK", "quantity": "100"}
    assert envelope(place(client, HK, **hk, limit_price="379.80"))[1] == "INVALID_PARAMETER"  # no LIMIT in HK
    assert envelope(place(client, HK, **hk, order_type="ENHANCED_LIMIT", limit_price="379.90"))[1] == (
        "OPENAPI_ORDER_PRICE_ILLEGAL"
    )  # 0.2 ticks between 200 and 500
    assert envelope(place(client, HK, **{**hk, "quantity": "150"}, order_type="MARKET", limit_price=""))[1] == (
        "INVALID_PARAMETER"
    )
    assert envelope(place(client, US, **hk, order_type="MARKET", limit_price=""))[1] == "INVALID_PARAMETER"
    placed = place(client, HK, **hk, client_order_id="hk-1", order_type="ENHANCED_LIMIT", limit_price="379.80")
    assert placed.status_code == 200
    assert detail(client, "hk-1", HK)["limit_price"] == "379.80"


def test_pages_of_order_history(client: SignedClient) -> None:
    for index in range(12):
        place(client, client_order_id=f"page-{index:02d}", limit_price="100.00", quantity="1")
    first = client.get("/trading/orders/historical-orders/list", {"account_id": US}).json()
    assert len(first["data"]) == 10 and first["data"][0]["client_order_id"] == "page-11"
    rest = client.get(
        "/trading/orders/historical-orders/list", {"account_id": US, "pagination_key": first["pagination_key"]}
    ).json()
    assert [group["client_order_id"] for group in rest["data"]] == ["page-01", "page-00"]
    assert "pagination_key" not in rest


# -- faults and limits -----------------------------------------------------------------------------------


def test_fail_next_answers_the_next_valid_request_only(client: SignedClient, server: WebullFakeServer) -> None:
    server.fail_next("/trading/orders/place", 500, "SYSTEM_ERROR", "An unexpected error occurred.")
    assert envelope(place(client, client_order_id="f-1")) == (500, "SYSTEM_ERROR", "An unexpected error occurred.")
    assert "f-1" not in server.accounts[US].orders
    assert place(client, client_order_id="f-1").status_code == 200
    with pytest.raises(ValueError, match="not a path"):
        server.fail_next("/no/such/path", 500, "SYSTEM_ERROR", "x")


def test_swallow_next_places_the_order_but_never_answers(client: SignedClient, server: WebullFakeServer) -> None:
    server.swallow_next("/trading/orders/place")
    body = {"account_id": US, "new_orders": [order("lost-1")]}
    with pytest.raises(httpx.ReadTimeout):
        client.post("/trading/orders/place", body, timeout=0.3)
    assert detail(client, "lost-1")["status"] == "SUBMITTED"  # reconcile by client order id
    assert place(client, client_order_id="next-1").status_code == 200


def test_rate_limits_answer_429() -> None:
    limits = {**DEFAULT_LIMITS, "account": Limit(2, 60.0), "market-data": Limit(3, 60.0)}
    with (
        WebullFakeServer(token_required=False, rate_limits=limits, step_seconds=0) as server,
        SignedClient(server) as signed,
    ):
        assert [signed.get("/trading/accounts/list").status_code for _ in range(3)] == [200, 200, 429]
        assert envelope(signed.get("/trading/accounts/list"))[1] == "TOO_MANY_REQUESTS"
        assert signed.get("/trading/assets/positions/list", {"account_id": US}).status_code == 200  # per path
        query = {"symbols": "AAPL", "category": "US_STOCK"}
        snaps = [signed.get("/market-data/stocks/snapshots/list", query).status_code for _ in range(2)]
        depth = signed.get("/market-data/stocks/depths/list", {"symbol": "AAPL", "category": "US_STOCK"})
        assert snaps == [200, 200] and depth.status_code == 200
        assert signed.get("/market-data/stocks/snapshots/list", query).status_code == 429  # shared by market data
        hk = {"symbol": "00700", "market": "HK", "quantity": "100", "order_type": "MARKET", "limit_price": ""}
        assert place(signed, HK, **hk).status_code == 200
        assert envelope(place(signed, HK, **hk))[:2] == (429, "TOO_MANY_REQUESTS")  # HK orders: 1 per second
        assert place(signed, US, quantity="1").status_code == 200  # US orders: 15 per second
        assert server.violations == []


# -- the official SDK, end to end ------------------------------------------------------------------------


def test_the_official_sdk_runs_against_the_fake(
    server: WebullFakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webull.core.request as sdk_request  # type: ignore[import-untyped]
    from webull.core.client import ApiClient  # type: ignore[import-untyped]
    from webull.data.data_client import DataClient  # type: ignore[import-untyped]
    from webull.trade.trade_client import TradeClient  # type: ignore[import-untyped]

    monkeypatch.setattr(sdk_request, "_default_protocol_type", "http")
    monkeypatch.chdir(tmp_path)
    api = ApiClient(server.app_key, server.app_secret, "us", port=int(server.host.rsplit(":", 1)[1]))
    api.add_endpoint("us", "127.0.0.1")  # the SDK signs this, and connects to it with the port
    api.set_token_dir(str(tmp_path / "token"))
    api._stream_logger_set = True  # keep the SDK from adding log handlers and a log file
    token = server.issue_token()
    (tmp_path / "token").mkdir()
    (tmp_path / "token" / "token.txt").write_text(f"{token}\n0\nNORMAL\n")
    trade = TradeClient(api)  # config -> create (with the stored token) -> NORMAL
    assert api.get_token() == token
    assert [row["account_id"] for row in trade.account_v2.get_account_list().json()] == [US, HK]
    assert trade.account_v2.get_account_balance(US).json()["total_asset_currency"] == "USD"
    assert trade.account_v2.get_account_position(US).json()[0]["symbol"] == "AAPL"
    coid = uuid.uuid4().hex
    orders = [order(coid, limit_price="150", quantity="1")]
    assert trade.order_v3.preview_order(US, orders).json()["estimated_cost"] == "150.00"
    assert trade.order_v3.place_order(US, orders).json()["client_order_id"] == coid
    trade.order_v3.replace_order(US, [{"client_order_id": coid, "quantity": "2", "limit_price": "151"}])
    assert trade.order_v3.get_order_detail(US, coid).json()["orders"][0]["total_quantity"] == "2"
    assert trade.order_v3.get_order_open(US).json()[0]["client_order_id"] == coid  # x-version v2: a list
    assert trade.order_v3.list_order_open(US).json()["data"][0]["client_order_id"] == coid
    assert trade.order_v3.cancel_order(US, coid).json()["client_order_id"] == coid
    assert trade.order_v3.list_order_history(US).json()["data"][0]["orders"][0]["status"] == "CANCELLED"
    data = DataClient(api)
    assert [row["symbol"] for row in data.market_data.get_snapshot(["AAPL", "TSLA"], "US_STOCK").json()] == [
        "AAPL",
        "TSLA",
    ]
    assert len(data.market_data.get_quotes("AAPL", "US_STOCK", depth=5).json()["bids"]) == 5
    bars = data.market_data.get_batch_history_bar(["AAPL"], "US_STOCK", "D", 3).json()["result"][0]["result"]
    assert len(bars) == 3
    assert data.instrument.list_instruments("AAPL", "US_STOCK").json()["data"][0]["instrument_id"] == "913256135"
    assert server.violations == []
    assert {request.headers["x-signature-algorithm"] for request in server.requests} == {"HMAC-SHA256"}
