"""The HashKey spot REST API, one typed method per endpoint of the source document (004).

Parameters are checked before anything is sent: a request the venue must refuse for its shape
(a limit order without a price, 21 orders in a batch, ...) raises ``InvalidRequest`` locally.
Instrument rules (tick, step, notional ...) are the caller's job: ``terminal.domain.validation``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from terminal.domain.enums import OrderType, Side
from terminal.domain.instrument import ALLOWED_TIME_IN_FORCE
from terminal.domain.intervals import Interval
from terminal.domain.market import BookSnapshot, BookTicker, Candle, PublicTrade, Ticker
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.domain.validation import CLIENT_ORDER_ID_PATTERN
from terminal.venues.errors import InvalidRequest, MalformedResponse
from terminal.venues.hashkey import endpoints as ep
from terminal.venues.hashkey import mapping, models
from terminal.venues.hashkey.transport import HashKeyTransport, Param, wire_value
from terminal.venues.wire import WireObject

# Batch and list limits of the source document.
MAX_BATCH_ORDERS = 20  # "Upper Limit: 20 orders/batch"
MAX_CANCEL_IDS = 100  # "Maximum of 100 orders in a single batch"
MAX_KLINES = 1000
MAX_DEPTH = 200
MAX_TRADES = 100
MAX_LIST = 1000


def _invalid(message: str) -> InvalidRequest:
    return InvalidRequest("", message)


def check_order_shape(request: OrderRequest) -> None:
    """Refuse an order whose parameters the venue could never accept (004, "Create Order v1.1")."""
    if not request.symbol:
        raise _invalid("an order needs a symbol")
    for name in ("quantity", "price", "amount"):
        value = getattr(request, name)
        if value is not None and (not value.is_finite() or value <= 0):
            raise _invalid(f"{name} must be a positive number")
    if request.type is OrderType.MARKET:
        if request.price is not None:
            raise _invalid("a market order takes no price")
        if (request.quantity is None) == (request.amount is None):
            raise _invalid("a market order needs either a quantity or an amount, not both")
        if request.amount is not None and request.side is Side.SELL:
            raise _invalid("a market sell takes a quantity, not an amount")
    else:
        if request.price is None or request.quantity is None:
            raise _invalid(f"a {request.type} order needs a price and a quantity")
        if request.amount is not None:
            raise _invalid(f"a {request.type} order takes no amount")
    if request.time_in_force is not None and request.time_in_force not in ALLOWED_TIME_IN_FORCE[request.type]:
        raise _invalid(f"{request.time_in_force} is not allowed for {request.type} orders")
    if request.client_order_id is not None and not CLIENT_ORDER_ID_PATTERN.fullmatch(request.client_order_id):
        raise _invalid("client order id must be 1 to 255 letters, digits or . _ : -")


def order_params(request: OrderRequest) -> list[Param]:
    """An order's parameters in the order of the document's examples."""
    check_order_shape(request)
    return [
        ("symbol", request.symbol),
        ("side", request.side),
        ("type", request.type),
        ("timeInForce", request.time_in_force),
        ("quantity", request.quantity),
        ("amount", request.amount),
        ("price", request.price),
        ("newClientOrderId", request.client_order_id),
        ("stpMode", request.stp_mode),
    ]


def _limit(value: int | None, maximum: int, what: str) -> int | None:
    if value is not None and not 1 <= value <= maximum:
        raise _invalid(f"{what} limit must be between 1 and {maximum}")
    return value


def _one_id(order_id: str | None, client_order_id: str | None) -> None:
    if not order_id and not client_order_id:
        raise _invalid("give an order id or a client order id")


class HashKeyRestClient:
    """Every REST endpoint of HashKey spot. Build it with a ``HashKeyTransport``."""

    def __init__(self, transport: HashKeyTransport) -> None:
        self.transport = transport

    def __repr__(self) -> str:
        return f"HashKeyRestClient({self.transport!r})"

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> HashKeyRestClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def _call(self, endpoint: ep.Endpoint, params: Sequence[Param] = (), **kw: Any) -> Any:
        return await self.transport.call(endpoint, params, **kw)

    # ---- spot trading ---------------------------------------------------------------------

    async def test_order(self, request: OrderRequest) -> None:
        """``POST /api/v1/spot/orderTest``: the venue validates the order without placing it."""
        await self._call(ep.TEST_ORDER, order_params(request))

    async def create_order(self, request: OrderRequest, *, v1_path: bool = False) -> Order:
        """``POST /api/v1.1/spot/order`` (or the v1 path ``/api/v1/spot/order``)."""
        data = await self._call(ep.CREATE_ORDER_V1 if v1_path else ep.CREATE_ORDER, order_params(request))
        return mapping.order(WireObject(data, "order"))

    async def batch_orders(self, requests: Sequence[OrderRequest]) -> list[models.BatchOrderResult]:
        """``POST /api/v1.1/spot/batchOrders``: up to 20 orders of one symbol, one result each."""
        if not 1 <= len(requests) <= MAX_BATCH_ORDERS:
            raise _invalid(f"a batch holds 1 to {MAX_BATCH_ORDERS} orders")
        if len({r.symbol for r in requests}) != 1:
            raise _invalid("all orders of a batch must be for the same symbol")
        body = [{key: wire_value(value) for key, value in order_params(r) if value is not None} for r in requests]
        data = await self._call(ep.BATCH_ORDERS, json_body=body)
        results = mapping.batch_results(data)
        if len(results) != len(requests):
            raise MalformedResponse("", f"batchOrders answered {len(results)} results for {len(requests)} orders")
        return results

    async def cancel_order(self, *, order_id: str | None = None, client_order_id: str | None = None) -> Order:
        """``DELETE /api/v1/spot/order`` by order id or client order id."""
        _one_id(order_id, client_order_id)
        data = await self._call(ep.CANCEL_ORDER, [("orderId", order_id), ("clientOrderId", client_order_id)])
        return mapping.order(WireObject(data, "cancelOrder"))

    async def cancel_open_orders(self, symbol: str, side: Side | None = None) -> bool:
        """``DELETE /api/v1/spot/openOrders``: every open order of one symbol (and side)."""
        if not symbol:
            raise _invalid("cancelling all orders of a symbol needs the symbol")
        data = await self._call(ep.CANCEL_OPEN_ORDERS, [("symbol", symbol), ("side", side)])
        return WireObject(data, "cancelOpenOrders").flag("success", True)

    async def cancel_all_open_orders(
        self,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        limit: int | None = None,
    ) -> models.CancelAllResult:
        """``DELETE /api/v1/spot/cancelAllOpenOrders``: up to 200 open orders on any symbol."""
        params = [
            ("symbol", symbol),
            ("side", side),
            ("fromOrderId", from_order_id),
            ("limit", _limit(limit, 200, "cancel")),
        ]
        return mapping.cancel_all_result(await self._call(ep.CANCEL_ALL_OPEN_ORDERS, params))

    async def cancel_orders_by_ids(self, order_ids: Sequence[str]) -> list[models.CancelFailure]:
        """``DELETE /api/v1/spot/cancelOrderByIds``: returns the orders that could not be cancelled."""
        if not 1 <= len(order_ids) <= MAX_CANCEL_IDS:
            raise _invalid(f"cancel by ids takes 1 to {MAX_CANCEL_IDS} order ids")
        if any(not oid.isdigit() for oid in order_ids):
            raise _invalid("order ids are digits")
        data = await self._call(ep.CANCEL_ORDERS_BY_IDS, [("ids", ",".join(order_ids))])
        return mapping.cancel_failures(data)

    async def get_order(
        self, *, order_id: str | None = None, client_order_id: str | None = None, account_id: str | None = None
    ) -> Order:
        """``GET /api/v1/spot/order`` by order id or client order id."""
        _one_id(order_id, client_order_id)
        params = [("orderId", order_id), ("origClientOrderId", client_order_id), ("accountId", account_id)]
        return mapping.order(WireObject(await self._call(ep.GET_ORDER, params), "order"))

    async def open_orders(
        self,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        limit: int | None = None,
    ) -> list[Order]:
        """``GET /api/v1/spot/openOrders``."""
        params = [
            ("fromOrderId", from_order_id),
            ("symbol", symbol),
            ("side", side),
            ("limit", _limit(limit, MAX_LIST, "open orders")),
        ]
        return mapping.orders(await self._call(ep.OPEN_ORDERS, params), "openOrders")

    async def trade_orders(
        self,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int | None = None,
    ) -> list[Order]:
        """``GET /api/v1/spot/tradeOrders``: finished and traded orders (last 90 days)."""
        params = [
            ("fromOrderId", from_order_id),
            ("symbol", symbol),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("side", side),
            ("limit", _limit(limit, MAX_LIST, "orders")),
        ]
        return mapping.orders(await self._call(ep.TRADE_ORDERS, params), "tradeOrders")

    # ---- account --------------------------------------------------------------------------

    async def vip_info(self, symbols: Sequence[str] | None = None) -> models.VipInfo:
        """``GET /api/v1/account/vipInfo``: VIP level and fee rates per symbol."""
        params = [("symbols", ",".join(symbols) if symbols else None)]
        return mapping.vip_info(await self._call(ep.VIP_INFO, params))

    async def account(self, account_id: str | None = None) -> models.AccountBalances:
        """``GET /api/v1/account``: balances."""
        return mapping.account_balances(await self._call(ep.ACCOUNT, [("accountId", account_id)]))

    async def account_trades(
        self,
        symbol: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        client_order_id: str | None = None,
        from_id: str | None = None,
        to_id: str | None = None,
        limit: int | None = None,
        account_id: str | None = None,
    ) -> list[Fill]:
        """``GET /api/v1/account/trades``: the user's fills, newest first."""
        params = [
            ("symbol", symbol),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("clientOrderId", client_order_id),
            ("fromId", from_id),
            ("toId", to_id),
            ("limit", _limit(limit, MAX_LIST, "trades")),
            ("accountId", account_id),
        ]
        return mapping.fills(await self._call(ep.ACCOUNT_TRADES, params), "account/trades")

    async def account_types(self) -> list[models.AccountTypeEntry]:
        """``GET /api/v1/account/type``."""
        return mapping.account_types(await self._call(ep.ACCOUNT_TYPE))

    async def asset_transfer(
        self,
        from_account_id: str,
        to_account_id: str,
        coin: str,
        quantity: Decimal,
        remark: str | None = None,
        client_order_id: str | None = None,
    ) -> models.TransferResult:
        """``POST /api/v1/account/assetTransfer`` between accounts of the same user."""
        if from_account_id == to_account_id:
            raise _invalid("a transfer needs two different accounts")
        if not quantity.is_finite() or quantity <= 0:
            raise _invalid("the transfer quantity must be positive")
        params = [
            ("fromAccountId", from_account_id),
            ("toAccountId", to_account_id),
            ("coin", coin),
            ("quantity", quantity),
            ("remark", remark),
            ("clientOrderId", client_order_id),
        ]
        return mapping.transfer_result(await self._call(ep.ASSET_TRANSFER, params))

    async def api_key_type(self) -> models.ApiKeyType:
        """``GET /api/v1/account/checkApiKey``: master or sub account key."""
        return mapping.api_key_type(await self._call(ep.API_KEY_TYPE))

    async def fiat_history(
        self,
        kind: str,
        start_ms: int,
        end_ms: int,
        status: str | None = None,
        channel: str | None = None,
        remark: str | None = None,
        limit: int | None = None,
    ) -> list[models.FiatOrder]:
        """``GET /api/v1/account/fiat/history``: ``kind`` (the document's ``type``) is deposit or withdraw."""
        if kind not in ("deposit", "withdraw"):
            raise _invalid('fiat history type is "deposit" or "withdraw"')
        params = [
            ("type", kind),
            ("status", status),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("channel", channel),
            ("remark", remark),
            ("limit", limit),
        ]
        return mapping.fiat_orders(await self._call(ep.FIAT_HISTORY, params))

    async def balance_flow(
        self,
        start_ms: int,
        end_ms: int,
        limit: int | None = None,
        flow_type: int | None = None,
        account_type: int | None = None,
    ) -> list[models.BalanceFlow]:
        """``GET /api/v1/account/balanceFlow``: the account's transaction history."""
        params = [
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("limit", _limit(limit, 500, "balance flow")),
            ("flowType", flow_type),
            ("accountType", account_type),
        ]
        return mapping.balance_flows(await self._call(ep.BALANCE_FLOW, params))

    # ---- wallet ---------------------------------------------------------------------------

    async def chain_types(self, coin_id: str) -> list[models.ChainTypes]:
        """``GET /api/v1/account/chainType``: the chains a coin moves on."""
        return mapping.chain_types(await self._call(ep.CHAIN_TYPE, [("coinId", coin_id)]))

    async def coin_info(self, coin_id: str) -> models.CoinInfo:
        """``GET /api/v1/coinInfo``."""
        return mapping.coin_info(await self._call(ep.COIN_INFO, [("coinId", coin_id)]))

    async def deposit_address(self, coin: str, chain_type: str) -> models.DepositAddress:
        """``GET /api/v1/account/deposit/address``."""
        params = [("coin", coin), ("chainType", chain_type)]
        return mapping.deposit_address(await self._call(ep.DEPOSIT_ADDRESS, params))

    async def deposit_orders(
        self, coin: str | None = None, start_ms: int | None = None, end_ms: int | None = None, limit: int | None = None
    ) -> list[models.DepositOrder]:
        """``GET /api/v1/account/depositOrders``."""
        params = [
            ("coin", coin),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("limit", _limit(limit, MAX_LIST, "deposit")),
        ]
        return mapping.deposit_orders(await self._call(ep.DEPOSIT_ORDERS, params))

    async def auth_address(
        self,
        txid: str,
        exchange_name: str,
        is_address_owner: bool,
        sender_first_name: str | None = None,
        sender_last_name: str | None = None,
        institutional_name: str | None = None,
    ) -> models.AuthAddressResult:
        """``POST /api/v1/account/authAddress``: declare the sender of a deposit."""
        if not institutional_name and not (sender_first_name and sender_last_name):
            raise _invalid("give an institution name, or the sender's first and last names")
        params = [
            ("txid", txid),
            ("senderLastName", sender_last_name),
            ("senderFirstName", sender_first_name),
            ("institutionalName", institutional_name),
            ("exchangeName", exchange_name),
            ("isAddressOwner", is_address_owner),
        ]
        return mapping.auth_address_result(await self._call(ep.AUTH_ADDRESS, params))

    async def withdraw(
        self,
        coin: str,
        client_order_id: str,
        address: str,
        quantity: Decimal,
        chain_type: str,
        address_ext: str | None = None,
        platform: str | None = None,
        memo: str | None = None,
    ) -> models.WithdrawResult:
        """``POST /api/v1/account/withdraw``."""
        if not quantity.is_finite() or quantity <= 0:
            raise _invalid("the withdrawal quantity must be positive")
        if memo is not None and not (memo.isalnum() and len(memo) <= 20):
            raise _invalid("a memo is at most 20 letters and digits")
        params = [
            ("coin", coin),
            ("clientOrderId", client_order_id),
            ("address", address),
            ("addressExt", address_ext),
            ("platform", platform),
            ("quantity", quantity),
            ("chainType", chain_type),
            ("memo", memo),
        ]
        return mapping.withdraw_result(await self._call(ep.WITHDRAW, params))

    async def withdraw_orders(
        self,
        coin: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        remark: str | None = None,
        limit: int | None = None,
        memo: str | None = None,
    ) -> list[models.WithdrawOrder]:
        """``GET /api/v1/account/withdrawOrders``."""
        params = [
            ("coin", coin),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("remark", remark),
            ("limit", _limit(limit, MAX_LIST, "withdrawal")),
            ("memo", memo),
        ]
        return mapping.withdraw_orders(await self._call(ep.WITHDRAW_ORDERS, params))

    # ---- sub accounts ---------------------------------------------------------------------

    async def sub_account_open_orders(
        self,
        sub_account_id: str,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        limit: int | None = None,
    ) -> list[Order]:
        """``GET /api/v1/spot/subAccount/openOrders``."""
        params = [
            ("subAccountId", sub_account_id),
            ("fromOrderId", from_order_id),
            ("side", side),
            ("symbol", symbol),
            ("limit", _limit(limit, 500, "sub-account orders")),
        ]
        return mapping.orders(await self._call(ep.SUB_ACCOUNT_OPEN_ORDERS, params), "subAccount/openOrders")

    async def sub_account_trade_orders(
        self,
        sub_account_id: str,
        symbol: str | None = None,
        side: Side | None = None,
        from_order_id: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        limit: int | None = None,
    ) -> list[Order]:
        """``GET /api/v1/spot/subAccount/tradeOrders``."""
        params = [
            ("subAccountId", sub_account_id),
            ("fromOrderId", from_order_id),
            ("side", side),
            ("symbol", symbol),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("limit", _limit(limit, 500, "sub-account orders")),
        ]
        return mapping.orders(await self._call(ep.SUB_ACCOUNT_TRADE_ORDERS, params), "subAccount/tradeOrders")

    async def sub_account_trades(
        self,
        sub_account_id: str | None = None,
        symbol: str | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        client_order_id: str | None = None,
        from_id: str | None = None,
        to_id: str | None = None,
        limit: int | None = None,
    ) -> list[Fill]:
        """``GET /api/v1/subAccount/trades``."""
        params = [
            ("symbol", symbol),
            ("subAccountId", sub_account_id),
            ("startTime", start_ms),
            ("endTime", end_ms),
            ("clientOrderId", client_order_id),
            ("fromId", from_id),
            ("toId", to_id),
            ("limit", _limit(limit, MAX_LIST, "trades")),
        ]
        return mapping.fills(await self._call(ep.SUB_ACCOUNT_TRADES, params), "subAccount/trades")

    # ---- public market data ---------------------------------------------------------------

    async def exchange_info(self, symbol: str | None = None, site: str | None = None) -> models.ExchangeInfo:
        """``GET /api/v1/exchangeInfo``: instruments with every trading rule."""
        return mapping.exchange_info(await self._call(ep.EXCHANGE_INFO, [("symbol", symbol), ("site", site)]))

    async def depth(self, symbol: str, limit: int | None = None) -> BookSnapshot:
        """``GET /quote/v1/depth``: up to 200 levels a side."""
        data = await self._call(ep.DEPTH, [("symbol", symbol), ("limit", _limit(limit, MAX_DEPTH, "depth"))])
        return mapping.book(symbol, data)

    async def merged_depth(self, symbol: str, limit: int | None = None, scale: int | None = None) -> BookSnapshot:
        """``GET /quote/v1/depth/merged``: levels aggregated by ``scale`` (0..5)."""
        if scale is not None and not 0 <= scale <= 5:
            raise _invalid("merged depth scale is 0 to 5")
        params = [("symbol", symbol), ("limit", _limit(limit, MAX_DEPTH, "depth")), ("scale", scale)]
        return mapping.book(symbol, await self._call(ep.MERGED_DEPTH, params), "depth/merged")

    async def recent_trades(self, symbol: str, limit: int | None = None) -> list[PublicTrade]:
        """``GET /quote/v1/trades``: up to the last 100 public trades."""
        data = await self._call(ep.TRADES, [("symbol", symbol), ("limit", _limit(limit, MAX_TRADES, "trades"))])
        return mapping.public_trades(symbol, data)

    async def klines(
        self,
        symbol: str,
        interval: Interval,
        limit: int | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> list[Candle]:
        """``GET /quote/v1/klines``: up to 1000 candles, oldest first."""
        params = [
            ("symbol", symbol),
            ("interval", Interval(interval)),
            ("limit", _limit(limit, MAX_KLINES, "klines")),
            ("startTime", start_ms),
            ("endTime", end_ms),
        ]
        return mapping.candles(await self._call(ep.KLINES, params))

    async def ticker_24hr(self, symbol: str | None = None, inst_type: str | None = None) -> list[Ticker]:
        """``GET /quote/v1/ticker/24hr``: rolling 24-hour statistics."""
        return mapping.tickers(await self._call(ep.TICKER_24HR, [("symbol", symbol), ("instType", inst_type)]))

    async def ticker_price(self, symbol: str | None = None) -> dict[str, Decimal]:
        """``GET /quote/v1/ticker/price``: the last price of one or every symbol."""
        return mapping.prices(await self._call(ep.TICKER_PRICE, [("symbol", symbol)]))

    async def book_ticker(self, symbol: str) -> list[BookTicker]:
        """``GET /quote/v1/ticker/bookTicker``: best bid and ask."""
        return mapping.book_tickers(await self._call(ep.BOOK_TICKER, [("symbol", symbol)]))

    # ---- misc and user data stream --------------------------------------------------------

    async def ping(self) -> None:
        """``GET /api/v1/ping``."""
        await self._call(ep.PING)

    async def server_time(self) -> int:
        """``GET /api/v1/time``: the venue's clock in ms."""
        return WireObject(await self._call(ep.TIME), "time").integer("serverTime")

    async def create_listen_key(self) -> str:
        """``POST /api/v1/userDataStream``: a key for the private stream, valid for 60 minutes."""
        return WireObject(await self._call(ep.CREATE_LISTEN_KEY), "userDataStream").text("listenKey")

    async def reset_listen_key(self, listen_key: str) -> None:
        """``PUT /api/v1/userDataStream``: extend a key to 60 minutes from now."""
        await self._call(ep.RESET_LISTEN_KEY, [("listenKey", listen_key)])

    async def delete_listen_key(self, listen_key: str, *, max_wait: float | None = None) -> None:
        """``DELETE /api/v1/userDataStream``; ``max_wait`` bounds the wait for the rate limiter."""
        await self._call(ep.DELETE_LISTEN_KEY, [("listenKey", listen_key)], max_wait=max_wait)
