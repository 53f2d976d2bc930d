"""Every endpoint's request as it arrives at a real loopback server: method, path, where each
parameter travels, content type, what is signed; and every documented reply decoded into types."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import orjson
import pytest

from terminal.domain.enums import OrderStatus, OrderType, Side, StpMode, SymbolStatus, TimeInForce
from terminal.domain.intervals import Interval
from terminal.domain.orders import OrderRequest
from terminal.venues.hashkey import endpoints as ep
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from tests.support.http_recorder import Recorded, Recorder, json_answer, recording_server
from tests.venues.hashkey import doc_examples as doc

API_KEY = "tAQfOrPIZAhym0qHISRt8EFvxPemdBm5j5WMlkm3Ke9aFp0EGWC2CGM8GHV4kCYW"
SECRET = "lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76"

Where = Literal["query", "form", "json", "public"]


@dataclass
class Case:
    endpoint: ep.Endpoint
    call: Callable[[HashKeyRestClient], Awaitable[Any]]
    params: dict[str, str]
    answer: object
    check: Callable[[Any], None] = lambda result: None
    json_body: list[dict[str, str]] | None = field(default=None)

    @property
    def where(self) -> Where:
        if not self.endpoint.signed:
            return "public"
        return {"query": "query", "form": "form", "json": "json"}[self.endpoint.body.value]  # type: ignore[return-value]


LIMIT_BUY = OrderRequest(
    "ETHUSD",
    Side.BUY,
    OrderType.LIMIT,
    quantity=Decimal("0.03"),
    price=Decimal("1900"),
    time_in_force=TimeInForce.GTC,
    client_order_id="99999888905",
    stp_mode=StpMode.EXPIRE_MAKER,
)
MARKET_BUY = OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, amount=Decimal("1000.5"))
ORDER_PARAMS = {
    "symbol": "ETHUSD",
    "side": "BUY",
    "type": "LIMIT",
    "timeInForce": "GTC",
    "quantity": "0.03",
    "price": "1900",
    "newClientOrderId": "99999888905",
    "stpMode": "EXPIRE_MAKER",
}


def _check_ack(order: Any) -> None:
    assert order.order_id == "1563277167764290304"
    assert order.status is OrderStatus.NEW
    assert order.price == Decimal("1900")
    assert order.quantity == Decimal("0.03")


def _check_filled_market(order: Any) -> None:
    assert order.status is OrderStatus.FILLED
    assert order.price is None
    assert order.executed_qty == Decimal("0.1")
    assert order.cumulative_quote_qty == Decimal("11292.24")
    assert order.average_price == Decimal("112922.4")
    assert order.stp_mode is StpMode.EXPIRE_TAKER


def _check_exchange_info(info: Any) -> None:
    (inst,) = info.instruments
    assert inst.symbol == "USDTAED"
    assert inst.status is SymbolStatus.TRADING
    assert inst.tick_size == Decimal("0.001")
    assert inst.lot_size.market_max_qty == Decimal("100000")
    assert inst.min_notional.min_notional == Decimal("1")
    assert inst.trade_amount.market_max_amount == Decimal("366660")
    assert inst.limit_trading.max_open_orders == 300
    assert inst.market_trading.sell_down_rate == Decimal("0.1")
    assert inst.open_quote.limit_end == 0
    assert inst.flags["retailAllowed"] is True
    assert info.skipped == ()


CASES: list[Case] = [
    Case(ep.TEST_ORDER, lambda c: c.test_order(LIMIT_BUY), ORDER_PARAMS, {}),
    Case(ep.CREATE_ORDER, lambda c: c.create_order(LIMIT_BUY), ORDER_PARAMS, doc.ORDER_ACK, _check_ack),
    Case(
        ep.CREATE_ORDER_V1, lambda c: c.create_order(LIMIT_BUY, v1_path=True), ORDER_PARAMS, doc.ORDER_ACK, _check_ack
    ),
    Case(
        ep.CREATE_ORDER,
        lambda c: c.create_order(MARKET_BUY),
        {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "amount": "1000.5"},
        {**doc.ORDER_ACK, "type": "MARKET", "price": "0", "reqAmount": "1000.5", "timeInForce": "IOC"},
        lambda o: (o.price is None and o.amount == Decimal("1000.5")) or pytest.fail("market ack"),
    ),
    Case(
        ep.BATCH_ORDERS,
        lambda c: c.batch_orders([LIMIT_BUY, LIMIT_BUY]),
        {},
        doc.BATCH,
        lambda r: [x.order.client_order_id for x in r] == ["122455", "122433"] or pytest.fail(str(r)),
        json_body=[ORDER_PARAMS, ORDER_PARAMS],
    ),
    Case(
        ep.CANCEL_ORDER,
        lambda c: c.cancel_order(client_order_id="99999888912"),
        {"clientOrderId": "99999888912"},
        doc.CANCEL_ACK,
        lambda o: o.order_id == "1563291927536863744" or pytest.fail(str(o)),
    ),
    Case(
        ep.CANCEL_OPEN_ORDERS,
        lambda c: c.cancel_open_orders("BTCUSDT", Side.SELL),
        {"symbol": "BTCUSDT", "side": "SELL"},
        {"success": True},
        lambda ok: ok is True or pytest.fail("success"),
    ),
    Case(
        ep.CANCEL_ALL_OPEN_ORDERS,
        lambda c: c.cancel_all_open_orders(limit=200),
        {"limit": "200"},
        doc.CANCEL_ALL,
        lambda r: r.last_order_id == "1470930457684189700" or pytest.fail(str(r)),
    ),
    Case(
        ep.CANCEL_ORDERS_BY_IDS,
        lambda c: c.cancel_orders_by_ids(["1507155386372816640", "1507155487740667904"]),
        {"ids": "1507155386372816640,1507155487740667904"},
        doc.CANCEL_BY_IDS,
        lambda r: [f.code for f in r] == ["0211", "0211"] or pytest.fail(str(r)),
    ),
    Case(
        ep.GET_ORDER,
        lambda c: c.get_order(client_order_id="1766133332140288"),
        {"origClientOrderId": "1766133332140288"},
        doc.QUERY_ORDER,
        _check_filled_market,
    ),
    Case(
        ep.OPEN_ORDERS,
        lambda c: c.open_orders(symbol="ETHUSD", limit=20),
        {"symbol": "ETHUSD", "limit": "20"},
        doc.OPEN_ORDERS,
        lambda r: r[0].status is OrderStatus.NEW or pytest.fail(str(r)),
    ),
    Case(
        ep.TRADE_ORDERS,
        lambda c: c.trade_orders(symbol="ETHUSD", start_ms=1, end_ms=2),
        {"symbol": "ETHUSD", "startTime": "1", "endTime": "2"},
        doc.TRADE_ORDERS,
        lambda r: (r[1].type is OrderType.MARKET and r[1].amount == Decimal("10")) or pytest.fail(str(r)),
    ),
    Case(
        ep.VIP_INFO,
        lambda c: c.vip_info(["BTCUSDT", "USDTUSD"]),
        {"symbols": "BTCUSDT,USDTUSD"},
        doc.VIP_INFO,
        lambda v: (
            (v.fees["BTCUSDT"].buy_maker_fee_currency == "BTC" and v.update_ms == 1740383504179) or pytest.fail(str(v))
        ),
    ),
    Case(
        ep.ACCOUNT,
        lambda c: c.account(),
        {},
        doc.ACCOUNT,
        lambda a: a.balances[1].total == Decimal("206381.2785765348009") or pytest.fail(str(a)),
    ),
    Case(
        ep.ACCOUNT_TRADES,
        lambda c: c.account_trades(symbol="BTCUSDT", limit=50),
        {"symbol": "BTCUSDT", "limit": "50"},
        doc.ACCOUNT_TRADES,
        lambda f: (f[0].side is Side.BUY and f[0].commission_asset == "BTC") or pytest.fail(str(f)),
    ),
    Case(
        ep.ACCOUNT_TYPE,
        lambda c: c.account_types(),
        {},
        doc.ACCOUNT_TYPE,
        lambda r: [t.account_type for t in r] == [1, 5] or pytest.fail(str(r)),
    ),
    Case(
        ep.ASSET_TRANSFER,
        lambda c: c.asset_transfer("1649292498437183232", "1649292498437183235", "USDT", Decimal("10")),
        {
            "fromAccountId": "1649292498437183232",
            "toAccountId": "1649292498437183235",
            "coin": "USDT",
            "quantity": "10",
        },
        doc.TRANSFER,
        lambda r: r.order_id == "2112647482861233664" or pytest.fail(str(r)),
    ),
    Case(
        ep.API_KEY_TYPE,
        lambda c: c.api_key_type(),
        {},
        doc.API_KEY_TYPE,
        lambda r: r.account_type == "Master Account" or pytest.fail(str(r)),
    ),
    Case(
        ep.FIAT_HISTORY,
        lambda c: c.fiat_history("withdraw", 1, 2, status="successful"),
        {"type": "withdraw", "status": "successful", "startTime": "1", "endTime": "2"},
        doc.FIAT_HISTORY,
        lambda r: r[0].net_amount == Decimal("105") or pytest.fail(str(r)),
    ),
    Case(
        ep.BALANCE_FLOW,
        lambda c: c.balance_flow(1, 2, flow_type=51, account_type=1),
        {"startTime": "1", "endTime": "2", "flowType": "51", "accountType": "1"},
        doc.BALANCE_FLOW,
        lambda r: r[0].change == Decimal("-10") or pytest.fail(str(r)),
    ),
    Case(
        ep.CHAIN_TYPE,
        lambda c: c.chain_types("USDT"),
        {"coinId": "USDT"},
        doc.CHAIN_TYPE,
        lambda r: r[0].chain_types == ("ETH", "Tron") or pytest.fail(str(r)),
    ),
    Case(
        ep.COIN_INFO,
        lambda c: c.coin_info("ETH"),
        {"coinId": "ETH"},
        doc.COIN_INFO,
        lambda r: (
            (r.coins[0].coin_id == "ETH" and r.chain_types[0].min_deposit_quantity == Decimal("0.002"))
            or pytest.fail(str(r))
        ),
    ),
    Case(
        ep.SUB_ACCOUNT_OPEN_ORDERS,
        lambda c: c.sub_account_open_orders("1650801631044854016", symbol="ETHUSD"),
        {"subAccountId": "1650801631044854016", "symbol": "ETHUSD"},
        doc.OPEN_ORDERS,
        lambda r: len(r) == 1 or pytest.fail(str(r)),
    ),
    Case(
        ep.SUB_ACCOUNT_TRADE_ORDERS,
        lambda c: c.sub_account_trade_orders("1650801631044854016", limit=500),
        {"subAccountId": "1650801631044854016", "limit": "500"},
        doc.TRADE_ORDERS,
        lambda r: len(r) == 2 or pytest.fail(str(r)),
    ),
    Case(
        ep.SUB_ACCOUNT_TRADES,
        lambda c: c.sub_account_trades("1650801631044854016"),
        {"subAccountId": "1650801631044854016"},
        doc.SUB_ACCOUNT_TRADES,
        lambda r: r[0].side is Side.SELL or pytest.fail(str(r)),
    ),
    Case(
        ep.DEPOSIT_ADDRESS,
        lambda c: c.deposit_address("USDT", "ETH"),
        {"coin": "USDT", "chainType": "ETH"},
        doc.DEPOSIT_ADDRESS,
        lambda r: r.required_confirm_times == 10 or pytest.fail(str(r)),
    ),
    Case(
        ep.DEPOSIT_ORDERS,
        lambda c: c.deposit_orders(coin="ETH_USDT"),
        {"coin": "ETH_USDT"},
        doc.DEPOSIT_ORDERS,
        lambda r: r[0].quantity == Decimal(5) or pytest.fail(str(r)),
    ),
    Case(
        ep.AUTH_ADDRESS,
        lambda c: c.auth_address("0xbd40", "Binance", True, sender_first_name="SHEN", sender_last_name="ZHANG"),
        {
            "txid": "0xbd40",
            "senderLastName": "ZHANG",
            "senderFirstName": "SHEN",
            "exchangeName": "Binance",
            "isAddressOwner": "true",
        },
        doc.AUTH_ADDRESS,
        lambda r: r.success is True or pytest.fail(str(r)),
    ),
    Case(
        ep.WITHDRAW,
        lambda c: c.withdraw("USDT", "w12912", "0x1323", Decimal("0.2"), "ETH", memo="123456"),
        {
            "coin": "USDT",
            "clientOrderId": "w12912",
            "address": "0x1323",
            "quantity": "0.2",
            "chainType": "ETH",
            "memo": "123456",
        },
        doc.WITHDRAW,
        lambda r: r.order_id == "W792076358865207296" or pytest.fail(str(r)),
    ),
    Case(
        ep.WITHDRAW_ORDERS,
        lambda c: c.withdraw_orders(coin="USDT", limit=10),
        {"coin": "USDT", "limit": "10"},
        doc.WITHDRAW_ORDERS,
        lambda r: (r[0].arrive_quantity is None and r[0].status == "withdrawing") or pytest.fail(str(r)),
    ),
    Case(ep.EXCHANGE_INFO, lambda c: c.exchange_info(), {}, doc.EXCHANGE_INFO, _check_exchange_info),
    Case(
        ep.DEPTH,
        lambda c: c.depth("BTCUSDT", limit=200),
        {"symbol": "BTCUSDT", "limit": "200"},
        doc.DEPTH,
        lambda b: (b.best_bid == Decimal("87473.15") and b.best_ask == Decimal("87474.35")) or pytest.fail(str(b)),
    ),
    Case(
        ep.MERGED_DEPTH,
        lambda c: c.merged_depth("BTCUSD", limit=10, scale=1),
        {"symbol": "BTCUSD", "limit": "10", "scale": "1"},
        doc.DEPTH,
        lambda b: len(b.bids) == 2 or pytest.fail(str(b)),
    ),
    Case(
        ep.TRADES,
        lambda c: c.recent_trades("ETHUSD", limit=100),
        {"symbol": "ETHUSD", "limit": "100"},
        doc.TRADES,
        lambda t: [x.aggressor for x in t] == [Side.BUY, Side.SELL] or pytest.fail(str(t)),
    ),
    Case(
        ep.KLINES,
        lambda c: c.klines("ETHUSDT", Interval.M1, limit=1000, start_ms=1478692862000, end_ms=1478696782000),
        {
            "symbol": "ETHUSDT",
            "interval": "1m",
            "limit": "1000",
            "startTime": "1478692862000",
            "endTime": "1478696782000",
        },
        doc.KLINES,
        lambda k: (k[1].quote_volume == Decimal("10.69218") and k[1].trades == 1) or pytest.fail(str(k)),
    ),
    Case(
        ep.TICKER_24HR,
        lambda c: c.ticker_24hr(inst_type="FUTURES"),
        {"instType": "FUTURES"},
        doc.TICKER_24HR,
        lambda t: t[0].best_ask == Decimal("89056.7") or pytest.fail(str(t)),
    ),
    Case(
        ep.TICKER_PRICE,
        lambda c: c.ticker_price("USDTUSD"),
        {"symbol": "USDTUSD"},
        doc.TICKER_PRICE,
        lambda p: p == {"USDTUSD": Decimal("0.9992")} or pytest.fail(str(p)),
    ),
    Case(
        ep.BOOK_TICKER,
        lambda c: c.book_ticker("BTCUSDT"),
        {"symbol": "BTCUSDT"},
        doc.BOOK_TICKER,
        lambda b: b[0].ask_qty == Decimal("0.00067") or pytest.fail(str(b)),
    ),
    Case(ep.PING, lambda c: c.ping(), {}, {}),
    Case(
        ep.TIME,
        lambda c: c.server_time(),
        {},
        doc.SERVER_TIME,
        lambda t: t == 1764229341307 or pytest.fail(str(t)),
    ),
    Case(
        ep.CREATE_LISTEN_KEY,
        lambda c: c.create_listen_key(),
        {},
        doc.LISTEN_KEY,
        lambda k: k == doc.LISTEN_KEY["listenKey"] or pytest.fail(k),
    ),
    Case(ep.RESET_LISTEN_KEY, lambda c: c.reset_listen_key("abc"), {"listenKey": "abc"}, {}),
    Case(ep.DELETE_LISTEN_KEY, lambda c: c.delete_listen_key("abc"), {"listenKey": "abc"}, {}),
]


@pytest.fixture
async def server() -> AsyncIterator[Recorder]:
    async with recording_server() as recorder:
        yield recorder


def _client(url: str) -> HashKeyRestClient:
    return HashKeyRestClient(HashKeyTransport(url, Credentials(API_KEY, SECRET), recv_window=5000, retry_attempts=1))


def _split_signature(signed: str) -> tuple[str, str]:
    head, sep, signature = signed.rpartition("&signature=")
    assert sep, f"no signature at the end of {signed!r}"
    assert "&" not in signature and "=" not in signature, "signature must be the last parameter"
    return head, signature


def _expected_signature(total: str) -> str:
    return hmac.new(SECRET.encode(), total.encode(), hashlib.sha256).hexdigest()


def _business(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if k not in ("recvWindow", "timestamp", "signature")}


def test_every_endpoint_has_a_case() -> None:
    covered = {case.endpoint.name for case in CASES}
    assert covered == {endpoint.name for endpoint in ep.ALL}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.endpoint.name}-{i}" for i, c in enumerate(CASES)])
async def test_request_construction(server: Recorder, case: Case) -> None:
    endpoint = case.endpoint
    server.on(endpoint.method, endpoint.path, json_answer(case.answer))
    async with _client(server.url) as client:
        result = await case.call(client)
    (request,) = server.hits(endpoint.method, endpoint.path)
    assert request.method == endpoint.method
    _check_placement(request, case)
    case.check(result)


def _check_placement(request: Recorded, case: Case) -> None:
    where = case.where
    if where == "public":
        assert "x-hk-apikey" not in request.headers
        assert request.body == b""
        assert "signature" not in request.query_params()
        assert request.query_params() == case.params
        return
    assert request.headers["x-hk-apikey"] == API_KEY
    if where == "query":
        assert request.body == b""
        total, signature = _split_signature(request.query)
        params = request.query_params()
    elif where == "form":
        assert request.query == ""
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        total, signature = _split_signature(request.body.decode())
        params = request.form_params()
    else:
        # Batch orders: JSON array body; only recvWindow and timestamp in the (signed) query.
        assert request.headers["content-type"] == "application/json"
        total, signature = _split_signature(request.query)
        params = request.query_params()
        assert orjson.loads(request.body) == case.json_body
        assert set(params) == {"recvWindow", "timestamp", "signature"}
    assert signature == _expected_signature(total)
    assert params["recvWindow"] == "5000"
    assert params["timestamp"].isdigit()
    assert _business(params) == case.params


async def test_commas_in_ids_stay_literal_in_what_is_signed_and_sent(server: Recorder) -> None:
    server.on("DELETE", ep.CANCEL_ORDERS_BY_IDS.path, json_answer({"code": "0000", "result": []}))
    async with _client(server.url) as client:
        assert await client.cancel_orders_by_ids(["1", "2", "3"]) == []
    (request,) = server.requests
    assert request.query.startswith("ids=1,2,3&")
    assert "%2C" not in request.query
