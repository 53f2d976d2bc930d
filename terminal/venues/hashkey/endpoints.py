"""Every REST endpoint of the source document, declared once: method, path, signing, pacing.

Rate classes follow 004, "Order Rate Limiting": "each API Key has a default rate limit of 2
requests per second for query-related endpoints, while order-related endpoints allow 10
requests per second"; assetTransfer "should be called no more than once per second". Public
market data carries no key; the terminal paces it on its own budget so it never starves the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from terminal.venues.ratelimit import Rate


class RateClass(StrEnum):
    ORDER = "order"
    QUERY = "query"
    TRANSFER = "transfer"
    PUBLIC = "public"


# Windows are 10% longer than the documented second: network jitter can bunch requests that left
# a second apart, and a 429 costs a whole minute of silence.
RATES: dict[str, Rate] = {
    RateClass.ORDER: Rate(10, 1.1),
    RateClass.QUERY: Rate(2, 1.1),
    RateClass.TRANSFER: Rate(1, 1.1),
    RateClass.PUBLIC: Rate(10, 1.1),
}

# Within the order budget cancels go first: a trader pulling orders must not wait behind new ones.
CANCEL_PRIORITY = 0
DEFAULT_PRIORITY = 1


class Body(StrEnum):
    """Where parameters travel (004, "General API Information")."""

    QUERY = "query"  # GET and DELETE: the query string
    FORM = "form"  # POST and PUT: an application/x-www-form-urlencoded body
    JSON = "json"  # batch orders: a JSON array body; timestamp and signature in the query


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: str
    path: str
    signed: bool
    rate_class: RateClass
    # Safe to send again automatically: reads, and writes whose repetition changes nothing.
    idempotent: bool
    priority: int = DEFAULT_PRIORITY

    @property
    def body(self) -> Body:
        if self.path.endswith("batchOrders"):
            return Body.JSON
        return Body.FORM if self.method in ("POST", "PUT") else Body.QUERY


def _signed(name: str, method: str, path: str, rate: RateClass, *, idempotent: bool | None = None) -> Endpoint:
    safe = method == "GET" if idempotent is None else idempotent
    priority = CANCEL_PRIORITY if method == "DELETE" and rate is RateClass.ORDER else DEFAULT_PRIORITY
    return Endpoint(name, method, path, True, rate, safe, priority)


def _public(name: str, path: str) -> Endpoint:
    return Endpoint(name, "GET", path, False, RateClass.PUBLIC, True)


_O, _Q = RateClass.ORDER, RateClass.QUERY

# Spot trading
TEST_ORDER = _signed("test_order", "POST", "/api/v1/spot/orderTest", _O, idempotent=True)  # validates only
CREATE_ORDER = _signed("create_order", "POST", "/api/v1.1/spot/order", _O)
CREATE_ORDER_V1 = _signed("create_order_v1", "POST", "/api/v1/spot/order", _O)
BATCH_ORDERS = _signed("batch_orders", "POST", "/api/v1.1/spot/batchOrders", _O)
CANCEL_ORDER = _signed("cancel_order", "DELETE", "/api/v1/spot/order", _O)
CANCEL_OPEN_ORDERS = _signed("cancel_open_orders", "DELETE", "/api/v1/spot/openOrders", _O)
CANCEL_ALL_OPEN_ORDERS = _signed("cancel_all_open_orders", "DELETE", "/api/v1/spot/cancelAllOpenOrders", _O)
CANCEL_ORDERS_BY_IDS = _signed("cancel_orders_by_ids", "DELETE", "/api/v1/spot/cancelOrderByIds", _O)
GET_ORDER = _signed("get_order", "GET", "/api/v1/spot/order", _Q)
OPEN_ORDERS = _signed("open_orders", "GET", "/api/v1/spot/openOrders", _Q)
TRADE_ORDERS = _signed("trade_orders", "GET", "/api/v1/spot/tradeOrders", _Q)
# Account
VIP_INFO = _signed("vip_info", "GET", "/api/v1/account/vipInfo", _Q)
ACCOUNT = _signed("account", "GET", "/api/v1/account", _Q)
ACCOUNT_TRADES = _signed("account_trades", "GET", "/api/v1/account/trades", _Q)
ACCOUNT_TYPE = _signed("account_type", "GET", "/api/v1/account/type", _Q)
ASSET_TRANSFER = _signed("asset_transfer", "POST", "/api/v1/account/assetTransfer", RateClass.TRANSFER)
API_KEY_TYPE = _signed("api_key_type", "GET", "/api/v1/account/checkApiKey", _Q)
FIAT_HISTORY = _signed("fiat_history", "GET", "/api/v1/account/fiat/history", _Q)
BALANCE_FLOW = _signed("balance_flow", "GET", "/api/v1/account/balanceFlow", _Q)
CHAIN_TYPE = _signed("chain_type", "GET", "/api/v1/account/chainType", _Q)
# The document lists coinId as coinInfo's only parameter, without timestamp: a public endpoint.
COIN_INFO = _public("coin_info", "/api/v1/coinInfo")
# Sub accounts
SUB_ACCOUNT_OPEN_ORDERS = _signed("sub_account_open_orders", "GET", "/api/v1/spot/subAccount/openOrders", _Q)
SUB_ACCOUNT_TRADE_ORDERS = _signed("sub_account_trade_orders", "GET", "/api/v1/spot/subAccount/tradeOrders", _Q)
SUB_ACCOUNT_TRADES = _signed("sub_account_trades", "GET", "/api/v1/subAccount/trades", _Q)
# Wallet
DEPOSIT_ADDRESS = _signed("deposit_address", "GET", "/api/v1/account/deposit/address", _Q)
DEPOSIT_ORDERS = _signed("deposit_orders", "GET", "/api/v1/account/depositOrders", _Q)
AUTH_ADDRESS = _signed("auth_address", "POST", "/api/v1/account/authAddress", _Q)
WITHDRAW = _signed("withdraw", "POST", "/api/v1/account/withdraw", _Q)
WITHDRAW_ORDERS = _signed("withdraw_orders", "GET", "/api/v1/account/withdrawOrders", _Q)
# Public market data
EXCHANGE_INFO = _public("exchange_info", "/api/v1/exchangeInfo")
DEPTH = _public("depth", "/quote/v1/depth")
MERGED_DEPTH = _public("merged_depth", "/quote/v1/depth/merged")
TRADES = _public("trades", "/quote/v1/trades")
KLINES = _public("klines", "/quote/v1/klines")
TICKER_24HR = _public("ticker_24hr", "/quote/v1/ticker/24hr")
TICKER_PRICE = _public("ticker_price", "/quote/v1/ticker/price")
BOOK_TICKER = _public("book_ticker", "/quote/v1/ticker/bookTicker")
PING = _public("ping", "/api/v1/ping")
TIME = _public("time", "/api/v1/time")
# User data stream (listen keys). Resetting or deleting a key twice changes nothing.
CREATE_LISTEN_KEY = _signed("create_listen_key", "POST", "/api/v1/userDataStream", _Q)
RESET_LISTEN_KEY = _signed("reset_listen_key", "PUT", "/api/v1/userDataStream", _Q, idempotent=True)
DELETE_LISTEN_KEY = _signed("delete_listen_key", "DELETE", "/api/v1/userDataStream", _Q, idempotent=True)

ALL: tuple[Endpoint, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Endpoint))
