"""Account endpoints (004, "Account"): balances, fees, fills, account types, transfers, fiat and flows."""

from __future__ import annotations

from decimal import Decimal

from terminal.demo.exact import add
from terminal.demo.exchange import CUSTODY, FIAT, MAIN, DemoExchange
from terminal.demo.server import wire
from terminal.demo.server.limits import RateClass
from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_errors import api_error, illegal
from terminal.demo.server.rest_flows import account_flows
from terminal.demo.server.rest_market import opt_symbol_param
from terminal.demo.server.rest_wallet_log import FLOW_TYPES, TRANSFER, wallet_log
from terminal.domain.decimals import ZERO, mul

TRADES_DEFAULT, TRADES_MAX = 500, 1000  # account trades: "Default 500, max 1000"
FLOWS_MAX = 500  # balanceFlow: "Up to 500"
FIAT_DEFAULT, FIAT_MAX = 500, 1000  # fiat history gives no numbers: as the other lists
MAX_TRANSFER_CLIENT_ID = 64  # "Client unique order identifier (up to 64 characters)"
DAY_MS = 86_400_000
USD_LIKE = frozenset({"USD", "USDT", "USDC"})
# 004, "Get Fiat History": the statuses each type may be asked for.
FIAT_STATUSES = {
    "deposit": ("under_review", "processing", "successful", "failed", "withdraw_return"),
    "withdraw": ("under_review", "processing", "successful", "failed", "return"),
}
FIAT_CHANNELS = ("auto", "manual")  # "default "auto""
CONTRACT = 3  # balanceFlow accountType 3: "Trading Account Record Contract" (the demo has none)


def usd_value(exchange: DemoExchange, asset: str, amount: Decimal) -> Decimal:
    """``amount`` of ``asset`` in USD at the last price (USD, USDT and USDC at par; unpriced: 0)."""
    if asset in USD_LIKE:
        return amount
    for quote in ("USDT", "USD"):
        if f"{asset}{quote}" in exchange.listings:
            price = exchange.last_price(f"{asset}{quote}")
            return mul(amount, price) if price is not None else ZERO
    return ZERO


def account_trade_rows(call: Call, account_id: str) -> list[wire.Json]:
    params = call.params
    trades = call.exchange.engine.account_trades(
        account_id,
        symbol=opt_symbol_param(call),
        client_order_id=params.get("clientOrderId"),
        from_id=params.get("fromId"),
        to_id=params.get("toId"),
        start_ms=params.opt_int("startTime"),
        end_ms=params.opt_int("endTime"),
        limit=params.limit(TRADES_DEFAULT, TRADES_MAX),
    )
    return [wire.account_trade(t) for t in trades]


def vip_info(call: Call) -> object:
    """VIP level 0 for everyone; the 30-day volume and the asset balance in USD, "Daily snapshot"."""
    exchange = call.exchange
    wanted = call.params.get("symbols")
    schedules = exchange.engine.fee_schedules(wanted.split(",") if wanted else None)
    volume = ZERO
    since = call.now_ms - 30 * DAY_MS
    for trade in exchange.engine.account_trades(call.account_id, start_ms=since, limit=TRADES_MAX):
        quote = exchange.engine.instrument(trade.symbol).quote_asset
        volume = add(volume, usd_value(exchange, quote, mul(trade.price, trade.qty)))
    assets = ZERO
    for account, _, _ in call.user.accounts():
        for item in exchange.engine.balances(account):
            assets = add(assets, usd_value(exchange, item.asset, item.total))
    return {
        "code": 0,
        "vipLevel": "0",
        "tradeVol30Day": wire.dec(volume),
        "totalAssetBal": wire.dec(assets),
        "data": [wire.fee_row(s) for s in schedules],
        "updateTimestamp": str(call.now_ms - call.now_ms % DAY_MS),
    }


def account(call: Call) -> object:
    account_id = call.own_account()
    return {
        "balances": [wire.balance(b) for b in call.exchange.engine.balances(account_id)],
        "userId": call.user.user_id,
    }


def account_trades(call: Call) -> object:
    return account_trade_rows(call, call.own_account())


def account_types(call: Call) -> object:
    user = call.user
    return [
        {"accountId": account, "accountLabel": label, "accountType": kind, "accountIndex": 0, "userId": user.user_id}
        for account, kind, label in user.accounts()
    ]


def check_api_key(_: Call) -> object:
    return {"accountType": "Master Account"}  # every demo key belongs to a main (master) account


def asset_transfer(call: Call) -> object:
    """Between the user's own accounts: -1172 / -1173 for an account that is not the user's."""
    params, user = call.params, call.user
    source = call.own_account("fromAccountId", required=True, foreign="-1172", unknown="-1172")
    target = call.own_account("toAccountId", required=True, foreign="-1173", unknown="-1173")
    coin = params.text("coin")
    quantity = params.decimal("quantity")
    if quantity <= 0:
        raise illegal("quantity")
    client_order_id = params.get("clientOrderId") or ""
    if len(client_order_id) > MAX_TRANSFER_CLIENT_ID:
        raise illegal("clientOrderId")
    log = wallet_log(call.exchange)
    if client_order_id and (user.user_id, client_order_id) in log.transfer_ids:
        raise api_error("-1024")
    call.exchange.transfer(source, target, coin, quantity)
    if client_order_id:
        log.transfer_ids.add((user.user_id, client_order_id))
    log.add_flow(source, coin, TRANSFER, quantity.copy_negate(), call.now_ms)
    log.add_flow(target, coin, TRANSFER, quantity, call.now_ms)
    order_id = str(2_112_647_482_861_233_664 + log.next_number())  # shaped like the example's
    return {"success": True, "timestamp": call.now_ms, "clientOrderId": client_order_id, "orderId": order_id}


def fiat_history(call: Call) -> object:
    params = call.params
    kind = params.text("type")
    if kind not in FIAT_STATUSES:
        raise api_error("-1177")
    status = params.get("status")
    if status is not None and status not in FIAT_STATUSES[kind]:
        raise api_error("-1175" if kind == "deposit" else "-1176")
    start, end = params.integer("startTime"), params.integer("endTime")
    channel = params.get("channel") or "auto"
    if channel not in FIAT_CHANNELS:
        raise illegal("channel")
    remark = params.get("remark")
    records = [
        r
        for r in reversed(wallet_log(call.exchange).fiat)
        if r.user_id == call.user.user_id
        and r.kind == kind
        and start <= r.created_ms <= end
        and (status is None or r.status == status)
        and r.channel == channel
        and (remark is None or r.remark == remark)
    ]
    return [wire.fiat_order(r) for r in records[: params.limit(FIAT_DEFAULT, FIAT_MAX)]]


def balance_flow(call: Call) -> object:
    params = call.params
    start, end = params.integer("startTime"), params.integer("endTime")
    limit = params.limit(FLOWS_MAX, FLOWS_MAX)
    flow_type = params.opt_int("flowType")
    if flow_type is not None and flow_type not in FLOW_TYPES:
        raise illegal("flowType")
    account_type = params.opt_int("accountType") or MAIN
    if account_type == CONTRACT:
        return []
    accounts = {kind: account for account, kind, _ in call.user.accounts()}
    if account_type not in (MAIN, CUSTODY, FIAT):
        raise illegal("accountType")
    rows = [
        wire.flow(flow, total)
        for flow, total in account_flows(call.exchange, wallet_log(call.exchange), accounts[account_type])
        if start <= flow.time_ms <= end and (flow_type is None or flow.type_value == flow_type)
    ]
    return rows[:limit]


SPECS: tuple[Spec, ...] = (
    Spec("GET", "/api/v1/account/vipInfo", vip_info),
    Spec("GET", "/api/v1/account", account),
    Spec("GET", "/api/v1/account/trades", account_trades),
    Spec("GET", "/api/v1/account/type", account_types),
    # "This endpoint should be called no more than once per second."
    Spec("POST", "/api/v1/account/assetTransfer", asset_transfer, rate=RateClass.TRANSFER, writes=True),
    Spec("GET", "/api/v1/account/checkApiKey", check_api_key),
    Spec("GET", "/api/v1/account/fiat/history", fiat_history),
    Spec("GET", "/api/v1/account/balanceFlow", balance_flow),
)
