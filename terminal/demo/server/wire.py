"""Engine, market and wallet objects as the JSON of the document's REST replies (004, "Response Content"):
decimals in plain notation, timestamps as strings or numbers exactly as each example has them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from terminal.demo.fees import FeeSchedule
from terminal.demo.records import AccountTrade, OrderView
from terminal.demo.server.rest_coins import Chain, Coin
from terminal.demo.server.rest_wallet_log import FLOW_TYPES, DepositRecord, FiatRecord, Flow, WithdrawRecord
from terminal.domain.balance import Balance
from terminal.domain.decimals import ZERO, to_plain
from terminal.domain.instrument import Instrument
from terminal.domain.market import BookSnapshot, BookTicker, Candle, Level, PublicTrade, Ticker

Json = dict[str, Any]

EXCHANGE_ID = "301"  # "exchangeId": "301" in every example


def dec(value: Decimal | None) -> str:
    """A decimal on the wire; an absent one as "0" (the examples' "feeAmount": "0")."""
    return to_plain(value if value is not None else ZERO)


def opt_price(value: Decimal | None) -> str:
    """A price that may not exist (an empty side of the book) as "": the venue's "none"."""
    return "" if value is None else to_plain(value)


# ---- orders ------------------------------------------------------------------------------------


def _order_core(view: OrderView) -> Json:
    return {
        "accountId": view.account_id,
        "symbol": view.symbol,
        "symbolName": view.symbol,
        "clientOrderId": view.client_order_id,
        "orderId": view.order_id,
        "transactTime": str(view.transact_time),
        "price": dec(view.price),
        "origQty": dec(view.orig_qty),
        "executedQty": dec(view.executed_qty),
        "status": str(view.status),
        "timeInForce": str(view.time_in_force),
        "type": str(view.type),
        "side": str(view.side),
        "reqAmount": dec(view.req_amount),
    }


def order_ack(view: OrderView) -> Json:
    """ "Create Order v1.1" (and the v1 path)."""
    return {**_order_core(view), "concentration": ""}


def batch_order(view: OrderView) -> Json:
    """One ``result[].order`` of "Create Multiple orders": the create reply without "concentration"."""
    return _order_core(view)


def cancel_ack(view: OrderView) -> Json:
    """ "Cancel Order": the order as it stood when the cancel arrived (the example's "status": "NEW")."""
    core = _order_core(view)
    for name in ("symbolName", "reqAmount"):
        del core[name]
    return core


def order_row(view: OrderView) -> Json:
    """One order of "Get Current Open Orders", "Get All Traded Orders" and the sub-account lists."""
    return {
        "accountId": view.account_id,
        "exchangeId": EXCHANGE_ID,
        "symbol": view.symbol,
        "symbolName": view.symbol,
        "clientOrderId": view.client_order_id,
        "orderId": view.order_id,
        "price": dec(view.price),
        "origQty": dec(view.orig_qty),
        "executedQty": dec(view.executed_qty),
        "cummulativeQuoteQty": dec(view.cumulative_quote_qty),  # the older spelling, still sent
        "cumulativeQuoteQty": dec(view.cumulative_quote_qty),
        "avgPrice": dec(view.avg_price),
        "status": str(view.status),
        "timeInForce": str(view.time_in_force),
        "type": str(view.type),
        "side": str(view.side),
        "stopPrice": "0.0",  # "Not used"
        "icebergQty": "0.0",  # "Not used"
        "time": str(view.time),
        "updateTime": str(view.update_time),
        "isWorking": True,  # "Not used"
        "reqAmount": dec(view.req_amount),
        "ordCxlReason": view.ord_cxl_reason,
        "stpMode": str(view.stp_mode),
    }


def order_detail(view: OrderView) -> Json:
    """ "Query Order": the list row plus the deprecated fee fields ("will return Null" / "will return 0")."""
    row = order_row(view)
    stp = {"ordCxlReason": row.pop("ordCxlReason"), "stpMode": row.pop("stpMode")}
    return {**row, "feeCoin": "", "feeAmount": "0", "sumFeeAmount": "0", **stp}


def account_trade(trade: AccountTrade) -> Json:
    """One trade of "Get Account Trade List" (and "Get Sub Account Trades")."""
    commission = dec(trade.commission)
    asset = trade.commission_asset
    return {
        "id": trade.trade_id,
        "clientOrderId": trade.client_order_id,
        "ticketId": trade.ticket_id,
        "symbol": trade.symbol,
        "symbolName": trade.symbol,
        "orderId": trade.order_id,
        "matchOrderId": "0",  # "//Ignore"
        "price": dec(trade.price),
        "qty": dec(trade.qty),
        "commission": commission,
        "commissionAsset": asset,
        "time": str(trade.time_ms),
        "isBuyer": trade.is_buyer,
        "isMaker": trade.is_maker,
        "fee": {
            "feeCoinId": asset,
            "feeCoinName": asset,
            "fee": commission,
            "originCoinId": asset,
            "originCoinName": asset,
            "originFee": commission,
        },
        "feeCoinId": asset,
        "feeAmount": commission,
        "makerRebate": "0",
        "hskDeduct": False,
        "hskDeductPrice": "",
    }


# ---- account -----------------------------------------------------------------------------------


def balance(item: Balance) -> Json:
    return {
        "asset": item.asset,
        "assetId": item.asset,
        "assetName": item.asset,
        "total": dec(item.total),
        "free": dec(item.free),
        "locked": dec(item.locked),
    }


def fee_row(schedule: FeeSchedule) -> Json:
    """One ``data`` entry of "Get VIP Information"."""
    return {
        "symbol": schedule.symbol,
        "productType": schedule.product_type,
        "buyMakerFeeCurrency": schedule.buy_maker_fee_currency,
        "buyTakerFeeCurrency": schedule.buy_taker_fee_currency,
        "sellMakerFeeCurrency": schedule.sell_maker_fee_currency,
        "sellTakerFeeCurrency": schedule.sell_taker_fee_currency,
        "actualMakerRate": dec(schedule.actual_maker_rate),
        "actualTakerRate": dec(schedule.actual_taker_rate),
    }


def flow(item: Flow, total: Decimal) -> Json:
    """One row of "Get Account Transaction History List"; ``total`` is the coin's balance after it."""
    row: Json = {
        "id": item.flow_id,
        "accountId": item.account_id,
        "coin": item.coin,
        "coinId": item.coin,
        "coinName": item.coin,
        "flowTypeValue": item.type_value,
        "flowType": FLOW_TYPES[item.type_value],
        "flowName": "",
        "change": dec(item.change),
        "total": dec(total),
        "created": str(item.time_ms),
    }
    if item.symbol:
        row["symbol"] = item.symbol
    return row


def fiat_order(record: FiatRecord) -> Json:
    return {
        "orderId": record.order_id,
        "type": record.kind,
        "remark": record.remark,
        "asset": record.asset,
        "grossAmount": dec(record.gross_amount),
        "netAmount": dec(record.net_amount),
        "fee": dec(record.fee),
        "status": record.status,
        "createdTime": str(record.created_ms),
        "updatedTime": str(record.updated_ms),
        "channel": record.channel,
        "clientOrderId": record.client_order_id,
    }


# ---- wallet ------------------------------------------------------------------------------------


def chain(item: Chain) -> Json:
    return {
        "chainType": item.chain_type,
        "withdrawFee": dec(item.withdraw_fee),
        "minWithdrawQuantity": dec(item.min_withdraw),
        "maxWithdrawQuantity": dec(item.max_withdraw),
        "minDepositQuantity": dec(item.min_deposit),
        "allowDeposit": True,
        "allowWithdraw": True,
    }


def coin_brief(item: Coin) -> Json:
    """A coin as "Get Coin Information" lists it."""
    allowed = bool(item.chains)
    return {
        "orgId": "9000",
        "coinId": item.coin_id,
        "coinName": item.coin_id,
        "coinFullName": item.full_name,
        "allowWithdraw": allowed,
        "allowDeposit": allowed,
    }


def coin(item: Coin) -> Json:
    """A coin as exchangeInfo's ``coins`` lists it, with its chains."""
    return {
        **coin_brief(item),
        "tokenType": item.token_type,
        "status": 1,
        "chainTypes": [chain(c) for c in item.chains],
    }


def deposit(record: DepositRecord) -> Json:
    return {
        "time": str(record.time_ms),
        "coin": record.coin,
        "coinName": record.coin,
        "address": record.address,
        "quantity": dec(record.quantity),
        "status": record.status,
        "statusCode": str(record.status),
        "txId": record.tx_id,
    }


def withdrawal(record: WithdrawRecord) -> Json:
    return {
        "time": str(record.time_ms),
        "id": record.order_id,
        "coin": record.coin,
        "coinId": record.coin,
        "coinName": record.coin,
        "address": record.address,
        "quantity": dec(record.quantity),
        "arriveQuantity": dec(record.arrive_quantity),
        "status": record.status,
        "txId": record.tx_id,
        "addressUrl": record.address,
        "feeCoinId": record.coin,
        "feeCoinName": record.coin,
        "fee": dec(record.fee),
        "remark": record.remark,
        "platform": record.platform,
        "memo": record.memo,
    }


# ---- market data -------------------------------------------------------------------------------


def _filters(instrument: Instrument) -> list[Json]:
    """The seven filters of the exchangeInfo example, in its order; an absent rule as zeros."""
    price, lot = instrument.price_filter, instrument.lot_size
    amount, notional = instrument.trade_amount, instrument.min_notional
    limit, market, quote = instrument.limit_trading, instrument.market_trading, instrument.open_quote
    return [
        {
            "minPrice": dec(price.min_price or price.tick_size),
            "maxPrice": dec(price.max_price),
            "tickSize": dec(price.tick_size),
            "filterType": "PRICE_FILTER",
        },
        {
            "minQty": dec(lot.min_qty),
            "maxQty": dec(lot.max_qty),
            "stepSize": dec(lot.step_size),
            "marketOrderMinQty": dec(lot.market_min_qty or lot.min_qty),
            "marketOrderMaxQty": dec(lot.market_max_qty or lot.max_qty),
            "filterType": "LOT_SIZE",
        },
        {"minNotional": dec(notional.min_notional if notional else None), "filterType": "MIN_NOTIONAL"},
        {
            "minAmount": dec(amount.min_amount if amount else None),
            "maxAmount": dec(amount.max_amount if amount else None),
            "minBuyPrice": dec(amount.min_buy_price if amount else None),
            "marketOrderMinAmount": dec(amount.market_min_amount if amount else None),
            "marketOrderMaxAmount": dec(amount.market_max_amount if amount else None),
            "filterType": "TRADE_AMOUNT",
        },
        {
            "maxSellPrice": dec(limit.max_sell_price if limit else None),
            "buyPriceUpRate": dec(limit.buy_up_rate if limit else None),
            "sellPriceDownRate": dec(limit.sell_down_rate if limit else None),
            "maxEntrustNum": (limit.max_open_orders or 0) if limit else 0,
            "filterType": "LIMIT_TRADING",
        },
        {
            "buyPriceUpRate": dec(market.buy_up_rate if market else None),
            "sellPriceDownRate": dec(market.sell_down_rate if market else None),
            "filterType": "MARKET_TRADING",
        },
        {
            "noAllowMarketStartTime": str(quote.no_market_start if quote else 0),
            "noAllowMarketEndTime": str(quote.no_market_end if quote else 0),
            "limitOrderStartTime": str(quote.limit_start if quote else 0),
            "limitOrderEndTime": str(quote.limit_end if quote else 0),
            "limitMinPrice": dec(quote.limit_min_price if quote else None),
            "limitMaxPrice": dec(quote.limit_max_price if quote else None),
            "filterType": "OPEN_QUOTE",
        },
    ]


_FLAGS = ("retailAllowed", "piAllowed", "corporateAllowed", "omnibusAllowed")


def symbol_info(instrument: Instrument, site: str) -> Json:
    """One ``symbols`` entry of exchangeInfo, shaped as the document's example."""
    return {
        "symbol": instrument.symbol,
        "symbolName": instrument.name or instrument.symbol,
        "status": str(instrument.status),
        "baseAsset": instrument.base_asset,
        "baseAssetName": instrument.base_asset,
        "baseAssetPrecision": dec(instrument.base_precision or instrument.step_size),
        "baseUcid": "",
        "quoteAsset": instrument.quote_asset,
        "quoteAssetName": instrument.quote_asset,
        "quotePrecision": dec(instrument.quote_precision or instrument.tick_size),
        "quoteUcid": "",
        **{name: instrument.flags.get(name, True) for name in _FLAGS},
        "icebergAllowed": False,  # "Currently not in use"
        "isAggregate": False,
        "allowMargin": False,
        "filters": _filters(instrument),
        "site": site,
        "tradeStatus": "TRADABLE" if instrument.is_trading else "UNTRADABLE",
    }


def levels(items: Iterable[Level]) -> list[list[str]]:
    return [[dec(price), dec(qty)] for price, qty in items]


def depth(snapshot: BookSnapshot) -> Json:
    return {"t": snapshot.time_ms, "b": levels(snapshot.bids), "a": levels(snapshot.asks)}


def public_trade(trade: PublicTrade) -> Json:
    # "ibm": "true: buyer's maker order false: seller's maker order".
    return {"t": trade.time_ms, "p": dec(trade.price), "q": dec(trade.quantity), "ibm": trade.buyer_is_maker}


def kline(candle: Candle) -> list[object]:
    """[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBase, takerQuote]."""
    return [
        candle.open_time_ms,
        dec(candle.open),
        dec(candle.high),
        dec(candle.low),
        dec(candle.close),
        dec(candle.volume),
        candle.close_time_ms,
        dec(candle.quote_volume),
        candle.trades,
        dec(candle.taker_buy_volume),
        dec(candle.taker_buy_quote_volume),
    ]


def ticker(item: Ticker) -> Json:
    return {
        "t": item.time_ms,
        "s": item.symbol,
        "c": dec(item.last),
        "h": dec(item.high),
        "l": dec(item.low),
        "o": dec(item.open),
        "b": opt_price(item.best_bid),
        "a": opt_price(item.best_ask),
        "v": dec(item.volume),
        "qv": dec(item.quote_volume),
        "it": "SPOT",
    }


def price_ticker(symbol: str, price: Decimal) -> Json:
    return {"s": symbol, "p": dec(price)}


def book_ticker(item: BookTicker) -> Json:
    return {
        "s": item.symbol,
        "b": opt_price(item.bid),
        "bq": dec(item.bid_qty),
        "a": opt_price(item.ask),
        "aq": dec(item.ask_qty),
        "t": item.time_ms,
    }
