"""Example replies from the source document (004, each endpoint's "Response Content"), as test data."""

from __future__ import annotations

ORDER_ACK = {
    "accountId": "1464567707961719552",
    "symbol": "ETHUSD",
    "symbolName": "ETHUSD",
    "clientOrderId": "99999888905",
    "orderId": "1563277167764290304",
    "transactTime": "1701093160541",
    "price": "1900",
    "origQty": "0.03",
    "executedQty": "0",
    "status": "NEW",
    "timeInForce": "GTC",
    "type": "LIMIT",
    "side": "BUY",
    "reqAmount": "0",
    "concentration": "",
}

BATCH = {
    "code": 0,
    "result": [
        {"code": "0000", "order": {**ORDER_ACK, "clientOrderId": "122455", "side": "SELL", "price": "35000"}},
        {"code": "0000", "order": {**ORDER_ACK, "clientOrderId": "122433", "side": "SELL", "price": "35000"}},
    ],
    "concentration": "",
}

CANCEL_ACK = {
    "accountId": "1464567707961719552",
    "symbol": "ETHUSD",
    "clientOrderId": "99999888912",
    "orderId": "1563291927536863744",
    "transactTime": "1701094920045",
    "price": "1900",
    "origQty": "1",
    "executedQty": "0",
    "status": "NEW",
    "timeInForce": "GTC",
    "type": "LIMIT",
    "side": "BUY",
}

QUERY_ORDER = {
    "accountId": "1649292498437183232",
    "exchangeId": "301",
    "symbol": "BTCUSDT",
    "symbolName": "BTCUSDT",
    "clientOrderId": "1766133332140288",
    "orderId": "2108873672953505280",
    "price": "0",
    "origQty": "0.1",
    "executedQty": "0.1",
    "cummulativeQuoteQty": "11292.24",
    "cumulativeQuoteQty": "11292.24",
    "avgPrice": "112922.4",
    "status": "FILLED",
    "timeInForce": "IOC",
    "type": "MARKET",
    "side": "SELL",
    "stopPrice": "0.0",
    "icebergQty": "0.0",
    "time": "1766133332319",
    "updateTime": "1766133332383",
    "isWorking": True,
    "reqAmount": "0",
    "feeCoin": "",
    "feeAmount": "0",
    "sumFeeAmount": "0",
    "ordCxlReason": "",
    "stpMode": "EXPIRE_TAKER",
}

OPEN_ORDERS = [
    {
        "accountId": "1464567707961719552",
        "exchangeId": "301",
        "symbol": "ETHUSD",
        "symbolName": "ETHUSD",
        "clientOrderId": "99999888913",
        "orderId": "1563293653459405312",
        "price": "1900",
        "origQty": "1",
        "executedQty": "0",
        "cummulativeQuoteQty": "0",
        "cumulativeQuoteQty": "0",
        "avgPrice": "0",
        "status": "NEW",
        "timeInForce": "GTC",
        "type": "LIMIT",
        "side": "BUY",
        "stopPrice": "0.0",
        "icebergQty": "0.0",
        "time": "1701095125789",
        "updateTime": "1701095125798",
        "isWorking": True,
        "reqAmount": "0",
    }
]

TRADE_ORDERS = [
    {**OPEN_ORDERS[0], "clientOrderId": "99999888912", "status": "CANCELED", "orderId": "1563291927536863744"},
    {
        **OPEN_ORDERS[0],
        "clientOrderId": "99999888911",
        "orderId": "1563291785660336640",
        "price": "0",
        "origQty": "0",
        "status": "CANCELED",
        "timeInForce": "IOC",
        "type": "MARKET",
        "reqAmount": "10",
    },
]

CANCEL_ALL = {"code": "0000", "message": "success", "timestamp": 1714406315538, "lastOrderId": 1470930457684189700}
CANCEL_BY_IDS = {
    "code": "0000",
    "result": [{"orderId": "1507155386372816640", "code": "0211"}, {"orderId": "1507155487740667904", "code": "0211"}],
}

VIP_INFO = {
    "code": 0,
    "vipLevel": "0",
    "tradeVol30Day": "0",
    "totalAssetBal": "0",
    "data": [
        {
            "symbol": "BTCUSDT",
            "productType": "Token-Token",
            "buyMakerFeeCurrency": "BTC",
            "buyTakerFeeCurrency": "BTC",
            "sellMakerFeeCurrency": "USDT",
            "sellTakerFeeCurrency": "USDT",
            "actualMakerRate": "0.0015",
            "actualTakerRate": "0.0015",
        },
        {
            "symbol": "USDTUSD",
            "productType": "Token-Fiat",
            "buyMakerFeeCurrency": "USD",
            "buyTakerFeeCurrency": "USD",
            "sellMakerFeeCurrency": "USD",
            "sellTakerFeeCurrency": "USD",
            "actualMakerRate": "0.0015",
            "actualTakerRate": "0.0015",
        },
    ],
    "updateTimestamp": "1740383504179",
}

ACCOUNT = {
    "balances": [
        {
            "asset": "BTC",
            "assetId": "BTC",
            "assetName": "BTC",
            "total": "61.206456639",
            "free": "61.051866639",
            "locked": "0.15459",
        },
        {
            "asset": "USDT",
            "assetId": "USDT",
            "assetName": "USDT",
            "total": "206381.2785765348009",
            "free": "206381.2785765348009",
            "locked": "0",
        },
    ],
    "userId": "1649292498445571840",
}

ACCOUNT_TRADES = [
    {
        "id": "2133553701515831040",
        "clientOrderId": "1769075420193253",
        "ticketId": "4636458470505791492",
        "symbol": "BTCUSDT",
        "symbolName": "BTCUSDT",
        "orderId": "2133553695652194048",
        "matchOrderId": "0",
        "price": "112935.08",
        "qty": "0.01098",
        "commission": "0.000013176",
        "commissionAsset": "BTC",
        "time": "1769075420311",
        "isBuyer": True,
        "isMaker": False,
        "fee": {
            "feeCoinId": "BTC",
            "feeCoinName": "BTC",
            "fee": "0.000013176",
            "originCoinId": "BTC",
            "originCoinName": "BTC",
            "originFee": "0.000013176",
        },
        "feeCoinId": "BTC",
        "feeAmount": "0.000013176",
        "makerRebate": "0",
        "hskDeduct": False,
        "hskDeductPrice": "",
    }
]

ACCOUNT_TYPE = [
    {
        "accountId": "1933473576343719680",
        "accountLabel": "Main Trading Account",
        "accountType": 1,
        "accountIndex": 0,
        "userId": "1933473576368885504",
    },
    {
        "accountId": "1933473576343719683",
        "accountLabel": "Custody Account",
        "accountType": 5,
        "accountIndex": 0,
        "userId": "1933473576368885504",
    },
]

TRANSFER = {"success": True, "timestamp": 1766583205575, "clientOrderId": "", "orderId": "2112647482861233664"}
API_KEY_TYPE = {"accountType": "Master Account"}
FIAT_HISTORY = [
    {
        "orderId": "NFW773922940306722816",
        "type": "withdraw",
        "remark": "/D773922971355262976",
        "asset": "USD",
        "grossAmount": "100",
        "netAmount": "105",
        "fee": "5",
        "status": "successful",
        "createdTime": "1762325607762",
        "updatedTime": "1762841797000",
        "channel": "auto",
        "clientOrderId": "1234567891104aab",
    }
]
BALANCE_FLOW = [
    {
        "id": "1676228025233055232",
        "accountId": "1649292498437183232",
        "coin": "USDT",
        "coinId": "USDT",
        "coinName": "USDT",
        "flowTypeValue": 51,
        "flowType": "USER_ACCOUNT_TRANSFER",
        "flowName": "",
        "change": "-10",
        "total": "398026.95",
        "created": "1714557952009",
    }
]
CHAIN_TYPE = [{"coinId": "USDT", "coinName": "USDT", "chainTypeList": ["ETH", "Tron"]}]
COIN_INFO = {
    "timezone": "UTC",
    "serverTime": 1727068513801,
    "coins": [
        {
            "orgId": "9001",
            "coinId": "ETH",
            "coinName": "ETH",
            "coinFullName": "ETH",
            "allowWithdraw": True,
            "allowDeposit": True,
        }
    ],
    "chainTypes": [
        {
            "chainType": "ETH",
            "withdrawFee": "0.0000001",
            "minWithdrawQuantity": "0.0000002",
            "maxWithdrawQuantity": "0",
            "minDepositQuantity": "0.002",
            "allowDeposit": True,
            "allowWithdraw": True,
        }
    ],
}
DEPOSIT_ADDRESS = {
    "canDeposit": True,
    "address": "0xD6bF65d473BFd760E20c7e120E9A4108a912D7c3",
    "addressExt": "",
    "minQuantity": "0.001",
    "needAddressTag": False,
    "requiredConfirmTimes": 10,
    "canWithdrawConfirmTimes": 10,
    "coinType": "ERC20_TOKEN",
}
DEPOSIT_ORDERS = [
    {
        "time": "1753238871066",
        "coin": "BTC",
        "coinName": "BTC",
        "address": "btctestsuc",
        "quantity": "5.00000000000000000000",
        "status": 1,
        "statusCode": "1",
        "txId": "ad504e3af44ec5e3d4af6a4c158c50cf5fdffe9006e4f8d7f00773378a5dea28",
    }
]
AUTH_ADDRESS = {"success": True, "msg": "", "timestamp": "1766633944895"}
WITHDRAW = {"success": True, "id": "0", "orderId": "W792076358865207296", "accountId": "1649292498437183235"}
WITHDRAW_ORDERS = [
    {
        "time": "1766653720032",
        "id": "W792076358865207296",
        "coin": "USDT",
        "coinId": "USDT",
        "coinName": "USDT",
        "address": "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505",
        "quantity": "10.00000000",
        "arriveQuantity": "",
        "status": "withdrawing",
        "txId": "",
        "addressUrl": "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505",
        "feeCoinId": "USDT",
        "feeCoinName": "USDT",
        "fee": "0.00000000",
        "remark": "",
        "platform": "",
        "memo": "",
    }
]
SUB_ACCOUNT_TRADES = [
    {
        **ACCOUNT_TRADES[0],
        "id": "2112668759961445888",
        "isBuyer": False,
        "commission": "3.653604252",
        "commissionAsset": "USDT",
    }
]

SYMBOL = {
    "symbol": "USDTAED",
    "symbolName": "USDTAED",
    "status": "TRADING",
    "baseAsset": "USDT",
    "baseAssetName": "USDT",
    "baseAssetPrecision": "0.01",
    "baseUcid": "825",
    "quoteAsset": "AED",
    "quoteAssetName": "AED",
    "quotePrecision": "0.00001",
    "quoteUcid": "",
    "retailAllowed": True,
    "piAllowed": True,
    "corporateAllowed": True,
    "omnibusAllowed": True,
    "icebergAllowed": False,
    "isAggregate": False,
    "allowMargin": False,
    "filters": [
        {"minPrice": "0.001", "maxPrice": "100000.00000000", "tickSize": "0.001", "filterType": "PRICE_FILTER"},
        {
            "minQty": "0.3",
            "maxQty": "200000",
            "stepSize": "0.01",
            "marketOrderMinQty": "0.3",
            "marketOrderMaxQty": "100000",
            "filterType": "LOT_SIZE",
        },
        {"minNotional": "1", "filterType": "MIN_NOTIONAL"},
        {
            "minAmount": "1",
            "maxAmount": "733320",
            "minBuyPrice": "0",
            "marketOrderMinAmount": "1",
            "marketOrderMaxAmount": "366660",
            "filterType": "TRADE_AMOUNT",
        },
        {
            "maxSellPrice": "0",
            "buyPriceUpRate": "0.1",
            "sellPriceDownRate": "0.1",
            "maxEntrustNum": 300,
            "filterType": "LIMIT_TRADING",
        },
        {"buyPriceUpRate": "0.1", "sellPriceDownRate": "0.1", "filterType": "MARKET_TRADING"},
        {
            "noAllowMarketStartTime": "0",
            "noAllowMarketEndTime": "0",
            "limitOrderStartTime": "0",
            "limitOrderEndTime": "0",
            "limitMinPrice": "0",
            "limitMaxPrice": "0",
            "filterType": "OPEN_QUOTE",
        },
    ],
    "site": "UAE",
}
EXCHANGE_INFO = {"timezone": "UTC", "serverTime": 1690084771517, "symbols": [SYMBOL], "coins": [], "site": "BMU"}

DEPTH = {
    "t": 1764059245287,
    "b": [["87473.15", "0.05805"], ["87473.14", "0.01143"]],
    "a": [["87474.35", "0.00114"], ["87476.61", "0.00045"]],
}
TRADES = [
    {"t": 1764059593000, "p": "87371.47", "q": "0.02", "ibm": False},
    {"t": 1764059594244, "p": "87380.06", "q": "0.01", "ibm": True},
]
KLINES = [
    [1766718300000, "89037.52", "89037.52", "89037.52", "89037.52", "0", 0, "0", 0, "0", "0"],
    [1766718420000, "89101.5", "89101.5", "89101.5", "89101.5", "0.00012", 0, "10.69218", 1, "0.00012", "10.69218"],
]
TICKER_24HR = [
    {
        "t": 1766718180001,
        "s": "BTCUSDT-PERPETUAL",
        "c": "89164.2",
        "h": "89323.6",
        "l": "86850.6",
        "o": "87828.6",
        "b": "89056.6",
        "a": "89056.7",
        "v": "823",
        "qv": "72224.7966",
        "it": "FUTURES",
    }
]
TICKER_PRICE = [{"s": "USDTUSD", "p": "0.9992"}]
BOOK_TICKER = [{"s": "BTCUSDT", "b": "89110.8", "bq": "0.00067", "a": "89110.81", "aq": "0.00067", "t": 1766718404772}]
SERVER_TIME = {"serverTime": 1764229341307}
LISTEN_KEY = {"listenKey": "MKxPTRoLXBBhlRseAUaDyWyZVjiNxCVqcaUasZidmByckGjUcLBKKcopKbvUfORD"}
