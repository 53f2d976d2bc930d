"""HashKey wire format -> domain and model types (004: the response tables of each endpoint)."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.balance import Balance
from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus, OrderType, Side, StpMode, SymbolStatus, TimeInForce
from terminal.domain.instrument import (
    Instrument,
    LotSize,
    MinNotional,
    OpenQuote,
    PriceBand,
    PriceFilter,
    TradeAmount,
)
from terminal.domain.market import BookSnapshot, BookTicker, Candle, Level, PublicTrade, Ticker
from terminal.domain.orders import Fill, Order
from terminal.venues.errors import MalformedResponse
from terminal.venues.hashkey import models
from terminal.venues.wire import WireObject, as_decimal, as_int, as_list, malformed

# ---- instruments ---------------------------------------------------------------------------

_FLAG_FIELDS = (
    "retailAllowed",
    "piAllowed",
    "corporateAllowed",
    "omnibusAllowed",
    "icebergAllowed",
    "isAggregate",
    "allowMargin",
)


def instrument(entry: WireObject) -> Instrument:
    """One ``symbols[]`` entry of exchangeInfo, with every filter of the document."""
    filters = {f.text("filterType"): f for f in entry.objects("filters")}
    price = filters.get("PRICE_FILTER")
    lot = filters.get("LOT_SIZE")
    if price is None or lot is None:
        raise malformed(entry.path, "lacks its PRICE_FILTER or LOT_SIZE filter")
    tick = price.decimal("tickSize")
    step = lot.decimal("stepSize")
    if tick <= 0 or step <= 0:
        raise malformed(entry.path, "has a tickSize or stepSize that is not positive")
    notional = filters.get("MIN_NOTIONAL")
    amount = filters.get("TRADE_AMOUNT")
    limit = filters.get("LIMIT_TRADING")
    market = filters.get("MARKET_TRADING")
    quote = filters.get("OPEN_QUOTE")
    status_text = entry.text("status")
    try:
        status = SymbolStatus(status_text)
    except ValueError:
        # An unknown status is not a reason to trade: treat it as suspended.
        status = SymbolStatus.HALT
    return Instrument(
        symbol=entry.text("symbol"),
        name=entry.opt_text("symbolName"),
        status=status,
        base_asset=entry.text("baseAsset"),
        quote_asset=entry.text("quoteAsset"),
        base_precision=entry.opt_decimal("baseAssetPrecision"),
        quote_precision=entry.opt_decimal("quotePrecision"),
        price_filter=PriceFilter(
            tick_size=tick, min_price=price.opt_decimal("minPrice"), max_price=price.opt_decimal("maxPrice")
        ),
        lot_size=LotSize(
            min_qty=lot.decimal("minQty"),
            max_qty=lot.decimal("maxQty"),
            step_size=step,
            market_min_qty=lot.opt_decimal("marketOrderMinQty"),
            market_max_qty=lot.opt_decimal("marketOrderMaxQty"),
        ),
        min_notional=MinNotional(notional.decimal("minNotional")) if notional else None,
        trade_amount=TradeAmount(
            min_amount=amount.opt_decimal("minAmount"),
            max_amount=amount.opt_decimal("maxAmount"),
            market_min_amount=amount.opt_decimal("marketOrderMinAmount"),
            market_max_amount=amount.opt_decimal("marketOrderMaxAmount"),
            min_buy_price=amount.opt_decimal("minBuyPrice"),
        )
        if amount
        else None,
        limit_trading=PriceBand(
            buy_up_rate=limit.opt_decimal("buyPriceUpRate"),
            sell_down_rate=limit.opt_decimal("sellPriceDownRate"),
            max_open_orders=limit.opt_integer("maxEntrustNum") or None,
            max_sell_price=limit.opt_decimal("maxSellPrice"),
        )
        if limit
        else None,
        market_trading=PriceBand(
            buy_up_rate=market.opt_decimal("buyPriceUpRate"),
            sell_down_rate=market.opt_decimal("sellPriceDownRate"),
        )
        if market
        else None,
        open_quote=OpenQuote(
            no_market_start=quote.opt_integer("noAllowMarketStartTime"),
            no_market_end=quote.opt_integer("noAllowMarketEndTime"),
            limit_start=quote.opt_integer("limitOrderStartTime"),
            limit_end=quote.opt_integer("limitOrderEndTime"),
            limit_min_price=quote.opt_decimal("limitMinPrice") or ZERO,
            limit_max_price=quote.opt_decimal("limitMaxPrice") or ZERO,
        )
        if quote
        else None,
        flags={name: entry.flag(name, False) for name in _FLAG_FIELDS if entry.has(name)},
    )


def chain_info(item: WireObject) -> models.ChainInfo:
    return models.ChainInfo(
        chain_type=item.text("chainType"),
        withdraw_fee=item.opt_decimal("withdrawFee"),
        min_withdraw_quantity=item.opt_decimal("minWithdrawQuantity"),
        # The document spells it both "maxWithdrawQuantity" and "maxWIthdrawQuantity".
        max_withdraw_quantity=item.opt_decimal("maxWithdrawQuantity") or item.opt_decimal("maxWIthdrawQuantity"),
        min_deposit_quantity=item.opt_decimal("minDepositQuantity"),
        allow_deposit=item.flag("allowDeposit", False),
        allow_withdraw=item.flag("allowWithdraw", False),
    )


def coin(item: WireObject) -> models.Coin:
    return models.Coin(
        coin_id=item.text("coinId"),
        coin_name=item.opt_text("coinName"),
        full_name=item.opt_text("coinFullName"),
        allow_withdraw=item.flag("allowWithdraw", False),
        allow_deposit=item.flag("allowDeposit", False),
        token_type=item.opt_text("tokenType"),
        chain_types=tuple(chain_info(c) for c in item.objects("chainTypes")),
    )


def exchange_info(data: object) -> models.ExchangeInfo:
    """The whole exchangeInfo reply. A malformed symbol is skipped and reported, not fatal.

    The document shows a single symbol object as its example and describes the full reply as
    ``{timezone, serverTime, symbols[], coins[], ...}``; both shapes are accepted.
    """
    root = WireObject(data, "exchangeInfo")
    entries = root.objects("symbols") if root.has("symbols") else [WireObject(data, "exchangeInfo")]
    instruments: list[Instrument] = []
    skipped: list[str] = []
    for entry in entries:
        try:
            instruments.append(instrument(entry))
        except MalformedResponse as exc:
            skipped.append(exc.message)
    coins: list[models.Coin] = []
    for item in root.objects("coins"):
        try:
            coins.append(coin(item))
        except MalformedResponse as exc:
            skipped.append(exc.message)
    return models.ExchangeInfo(
        timezone=root.opt_text("timezone", "UTC"),
        server_time_ms=root.opt_integer("serverTime"),
        instruments=tuple(instruments),
        coins=tuple(coins),
        skipped=tuple(skipped),
    )


def coin_info(data: object) -> models.CoinInfo:
    root = WireObject(data, "coinInfo")
    return models.CoinInfo(
        timezone=root.opt_text("timezone", "UTC"),
        server_time_ms=root.opt_integer("serverTime"),
        coins=tuple(coin(c) for c in root.objects("coins")),
        chain_types=tuple(chain_info(c) for c in root.objects("chainTypes")),
    )


# ---- orders and fills -----------------------------------------------------------------------


def _price_of(item: WireObject, order_type: OrderType) -> Decimal | None:
    price = item.opt_decimal("price")
    if order_type is OrderType.MARKET or price is None or price <= 0:
        return None
    return price


def order(item: WireObject) -> Order:
    """An order from create/cancel/query/openOrders/tradeOrders replies."""
    order_type = item.enum("type", OrderType)
    status = item.enum("status", OrderStatus)
    if status.is_local:
        raise malformed(f"{item.path}.status", f"has a status the venue cannot send: {status}")
    stp = item.opt_text("stpMode")
    created = item.opt_integer("time") or item.opt_integer("transactTime")
    return Order(
        symbol=item.text("symbol"),
        side=item.enum("side", Side),
        type=order_type,
        client_order_id=item.text("clientOrderId"),
        order_id=item.text("orderId"),
        quantity=item.opt_decimal("origQty") or ZERO,
        price=_price_of(item, order_type),
        amount=item.opt_decimal("reqAmount") or ZERO,
        time_in_force=item.enum("timeInForce", TimeInForce) if item.has("timeInForce") else None,
        stp_mode=StpMode(stp) if stp in StpMode.__members__ else None,
        venue_status=status,
        local_status=status,
        executed_qty=item.opt_decimal("executedQty") or ZERO,
        # "cummulativeQuoteQty" is the older spelling the venue still sends beside the new one.
        cumulative_quote_qty=item.opt_decimal("cumulativeQuoteQty") or item.opt_decimal("cummulativeQuoteQty") or ZERO,
        avg_price=item.opt_decimal("avgPrice") or ZERO,
        created_ms=created,
        updated_ms=item.opt_integer("updateTime") or created,
        cancel_reason=item.opt_text("ordCxlReason"),
    )


def orders(data: object, path: str) -> list[Order]:
    return [order(item) for item in WireObject.items(data, path)]


def fill(item: WireObject) -> Fill:
    """One of the user's trades (``GET /api/v1/account/trades``, sub-account trades)."""
    return Fill(
        trade_id=item.text("id"),
        order_id=item.text("orderId"),
        client_order_id=item.opt_text("clientOrderId"),
        symbol=item.text("symbol"),
        side=Side.BUY if item.flag("isBuyer") else Side.SELL,
        price=item.decimal("price"),
        quantity=item.decimal("qty"),
        commission=item.opt_decimal("commission") or ZERO,
        commission_asset=item.opt_text("commissionAsset"),
        time_ms=item.integer("time"),
        is_maker=item.flag("isMaker", False),
    )


def fills(data: object, path: str) -> list[Fill]:
    return [fill(item) for item in WireObject.items(data, path)]


def batch_results(data: object) -> list[models.BatchOrderResult]:
    root = WireObject(data, "batchOrders")
    results: list[models.BatchOrderResult] = []
    for item in root.objects("result"):
        code = item.opt_text("code", "0000")
        placed = order(item.obj("order")) if item.has("order") else None
        results.append(models.BatchOrderResult(code=code, message=item.opt_text("msg"), order=placed))
    return results


def cancel_all_result(data: object) -> models.CancelAllResult:
    root = WireObject(data, "cancelAllOpenOrders")
    return models.CancelAllResult(
        code=root.opt_text("code"),
        message=root.opt_text("message"),
        timestamp_ms=root.opt_integer("timestamp"),
        last_order_id=root.opt_text("lastOrderId"),
    )


def cancel_failures(data: object) -> list[models.CancelFailure]:
    root = WireObject(data, "cancelOrderByIds")
    return [
        models.CancelFailure(order_id=item.text("orderId"), code=item.text("code")) for item in root.objects("result")
    ]


# ---- account --------------------------------------------------------------------------------


def account_balances(data: object) -> models.AccountBalances:
    root = WireObject(data, "account")
    balances = tuple(
        Balance(asset=b.text("asset"), free=b.decimal("free"), locked=b.decimal("locked"), total=b.decimal("total"))
        for b in root.objects("balances")
    )
    return models.AccountBalances(user_id=root.opt_text("userId"), balances=balances)


def vip_info(data: object) -> models.VipInfo:
    root = WireObject(data, "vipInfo")
    fees = {}
    for item in root.objects("data"):
        rate = models.FeeRate(
            symbol=item.text("symbol"),
            product_type=item.opt_text("productType"),
            maker_rate=item.decimal("actualMakerRate"),
            taker_rate=item.decimal("actualTakerRate"),
            buy_maker_fee_currency=item.opt_text("buyMakerFeeCurrency"),
            buy_taker_fee_currency=item.opt_text("buyTakerFeeCurrency"),
            sell_maker_fee_currency=item.opt_text("sellMakerFeeCurrency"),
            sell_taker_fee_currency=item.opt_text("sellTakerFeeCurrency"),
        )
        fees[rate.symbol] = rate
    return models.VipInfo(
        vip_level=root.opt_text("vipLevel", "0"),
        trade_volume_30d=root.opt_decimal("tradeVol30Day") or ZERO,
        total_asset_balance=root.opt_decimal("totalAssetBal") or ZERO,
        fees=fees,
        # The example says "updateTimestamp", the table "updateTimeStamp".
        update_ms=root.opt_integer("updateTimestamp") or root.opt_integer("updateTimeStamp"),
    )


def account_types(data: object) -> list[models.AccountTypeEntry]:
    return [
        models.AccountTypeEntry(
            account_id=item.text("accountId"),
            label=item.opt_text("accountLabel"),
            account_type=item.integer("accountType"),
            account_index=item.opt_integer("accountIndex"),
            user_id=item.opt_text("userId"),
        )
        for item in WireObject.items(data, "accountType")
    ]


def api_key_type(data: object) -> models.ApiKeyType:
    return models.ApiKeyType(account_type=WireObject(data, "checkApiKey").text("accountType"))


def transfer_result(data: object) -> models.TransferResult:
    root = WireObject(data, "assetTransfer")
    return models.TransferResult(
        success=root.flag("success"),
        timestamp_ms=root.opt_integer("timestamp"),
        client_order_id=root.opt_text("clientOrderId"),
        order_id=root.opt_text("orderId"),
    )


def fiat_orders(data: object) -> list[models.FiatOrder]:
    return [
        models.FiatOrder(
            order_id=item.text("orderId"),
            type=item.text("type"),
            remark=item.opt_text("remark"),
            asset=item.text("asset"),
            gross_amount=item.decimal("grossAmount"),
            net_amount=item.decimal("netAmount"),
            fee=item.opt_decimal("fee") or ZERO,
            status=item.text("status"),
            created_ms=item.opt_integer("createdTime"),
            updated_ms=item.opt_integer("updatedTime"),
            channel=item.opt_text("channel"),
            client_order_id=item.opt_text("clientOrderId"),
        )
        for item in WireObject.items(data, "fiat/history")
    ]


def balance_flows(data: object) -> list[models.BalanceFlow]:
    return [
        models.BalanceFlow(
            id=item.text("id"),
            account_id=item.text("accountId"),
            coin=item.text("coin"),
            flow_type_value=item.opt_integer("flowTypeValue"),
            flow_type=item.opt_text("flowType"),
            change=item.decimal("change"),
            total=item.decimal("total"),
            created_ms=item.opt_integer("created"),
            symbol=item.opt_text("symbol"),
            flow_name=item.opt_text("flowName"),
        )
        for item in WireObject.items(data, "balanceFlow")
    ]


# ---- wallet ---------------------------------------------------------------------------------


def chain_types(data: object) -> list[models.ChainTypes]:
    out = []
    for item in WireObject.items(data, "chainType"):
        names = as_list(item.raw.get("chainTypeList", []), f"{item.path}.chainTypeList")
        out.append(
            models.ChainTypes(
                coin_id=item.text("coinId"),
                coin_name=item.opt_text("coinName"),
                chain_types=tuple(str(name) for name in names),
            )
        )
    return out


def deposit_address(data: object) -> models.DepositAddress:
    root = WireObject(data, "deposit/address")
    return models.DepositAddress(
        can_deposit=root.flag("canDeposit", False),
        address=root.text("address"),
        address_ext=root.opt_text("addressExt"),
        min_quantity=root.opt_decimal("minQuantity"),
        need_address_tag=root.flag("needAddressTag", False),
        required_confirm_times=root.opt_integer("requiredConfirmTimes"),
        can_withdraw_confirm_times=root.opt_integer("canWithdrawConfirmTimes"),
        coin_type=root.opt_text("coinType"),
    )


def deposit_orders(data: object) -> list[models.DepositOrder]:
    return [
        models.DepositOrder(
            time_ms=item.integer("time"),
            coin=item.text("coin"),
            coin_name=item.opt_text("coinName"),
            address=item.opt_text("address"),
            quantity=item.decimal("quantity"),
            status=item.integer("status"),
            tx_id=item.opt_text("txId"),
        )
        for item in WireObject.items(data, "depositOrders")
    ]


def auth_address_result(data: object) -> models.AuthAddressResult:
    root = WireObject(data, "authAddress")
    return models.AuthAddressResult(
        success=root.flag("success"), message=root.opt_text("msg"), timestamp_ms=root.opt_integer("timestamp")
    )


def withdraw_result(data: object) -> models.WithdrawResult:
    root = WireObject(data, "withdraw")
    return models.WithdrawResult(
        success=root.flag("success"),
        id=root.opt_text("id"),
        order_id=root.opt_text("orderId"),
        account_id=root.opt_text("accountId"),
    )


def withdraw_orders(data: object) -> list[models.WithdrawOrder]:
    return [
        models.WithdrawOrder(
            time_ms=item.integer("time"),
            id=item.text("id"),
            coin=item.text("coin"),
            address=item.opt_text("address"),
            quantity=item.decimal("quantity"),
            arrive_quantity=item.opt_decimal("arriveQuantity"),
            status=item.text("status"),
            tx_id=item.opt_text("txId"),
            fee_coin=item.opt_text("feeCoinId"),
            fee=item.opt_decimal("fee"),
            remark=item.opt_text("remark"),
            platform=item.opt_text("platform"),
            memo=item.opt_text("memo"),
        )
        for item in WireObject.items(data, "withdrawOrders")
    ]


# ---- market data ----------------------------------------------------------------------------


def _levels(data: object, path: str) -> tuple[Level, ...]:
    levels = []
    for i, raw in enumerate(as_list(data, path)):
        pair = as_list(raw, f"{path}[{i}]")
        if len(pair) < 2:
            raise malformed(f"{path}[{i}]", "should be [price, quantity]")
        levels.append((as_decimal(pair[0], f"{path}[{i}][0]"), as_decimal(pair[1], f"{path}[{i}][1]")))
    return tuple(levels)


def book(symbol: str, data: object, path: str = "depth") -> BookSnapshot:
    root = WireObject(data, path)
    return BookSnapshot(
        symbol=symbol,
        bids=_levels(root.raw.get("b", []), f"{path}.b"),
        asks=_levels(root.raw.get("a", []), f"{path}.a"),
        time_ms=root.opt_integer("t"),
    )


def public_trades(symbol: str, data: object) -> list[PublicTrade]:
    return [
        PublicTrade(
            symbol=symbol,
            time_ms=item.integer("t"),
            price=item.decimal("p"),
            quantity=item.decimal("q"),
            buyer_is_maker=item.flag("ibm", False),
            trade_id=item.opt_text("v"),
        )
        for item in WireObject.items(data, "trades")
    ]


def candles(data: object) -> list[Candle]:
    """Klines: ``[openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBase, takerQuote]``."""
    out = []
    for i, raw in enumerate(as_list(data, "klines")):
        path = f"klines[{i}]"
        row = as_list(raw, path)
        if len(row) < 6:
            raise malformed(path, "should have at least six fields")

        def at(index: int, row: list[object] = row, path: str = path) -> Decimal:
            return as_decimal(row[index], f"{path}[{index}]") if len(row) > index else ZERO

        out.append(
            Candle(
                open_time_ms=as_int(row[0], f"{path}[0]"),
                open=at(1),
                high=at(2),
                low=at(3),
                close=at(4),
                volume=at(5),
                close_time_ms=as_int(row[6], f"{path}[6]") if len(row) > 6 else 0,
                quote_volume=at(7),
                trades=as_int(row[8], f"{path}[8]") if len(row) > 8 else 0,
                taker_buy_volume=at(9),
                taker_buy_quote_volume=at(10),
            )
        )
    return out


def tickers(data: object) -> list[Ticker]:
    return [
        Ticker(
            symbol=item.text("s"),
            time_ms=item.opt_integer("t"),
            last=item.decimal("c"),
            open=item.decimal("o"),
            high=item.decimal("h"),
            low=item.decimal("l"),
            volume=item.opt_decimal("v") or ZERO,
            quote_volume=item.opt_decimal("qv") or ZERO,
            best_bid=item.opt_decimal("b"),
            best_ask=item.opt_decimal("a"),
        )
        for item in WireObject.items(data, "ticker/24hr")
    ]


def prices(data: object) -> dict[str, Decimal]:
    return {item.text("s"): item.decimal("p") for item in WireObject.items(data, "ticker/price")}


def book_tickers(data: object) -> list[BookTicker]:
    return [
        BookTicker(
            symbol=item.text("s"),
            bid=item.opt_decimal("b"),
            bid_qty=item.opt_decimal("bq") or ZERO,
            ask=item.opt_decimal("a"),
            ask_qty=item.opt_decimal("aq") or ZERO,
            time_ms=item.opt_integer("t"),
        )
        for item in WireObject.items(data, "ticker/bookTicker")
    ]
