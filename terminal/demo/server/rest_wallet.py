"""Wallet endpoints (004, "Wallet"): chains, deposit addresses and history, address authentication,
withdrawals from the custody account and their history; and the demo's own deposit."""

from __future__ import annotations

from decimal import Decimal

from terminal.demo.exchange import DemoExchange, DemoUser
from terminal.demo.server import wire
from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_coins import Chain, Coin, deposit_address, listed_coins, transaction_id
from terminal.demo.server.rest_errors import api_error, illegal, missing
from terminal.demo.server.rest_wallet_log import (
    CUSTODY_DEPOSIT,
    CUSTODY_WITHDRAW,
    FIAT_DEPOSIT,
    DepositRecord,
    FiatRecord,
    WithdrawRecord,
    wallet_log,
)
from terminal.domain.decimals import DecimalParseError, parse_decimal

HISTORY_DEFAULT, HISTORY_MAX = 500, 1000  # deposit and withdraw history: "Default 500; Max 1000"
# "Platform Supported ... Not case sensitive": Binance, OKX, Bitget, Bybit.
PLATFORMS = ("BINANCE", "OKX", "BITGET", "BYBIT")
MAX_MEMO = 20  # "Only supports letters and numbers. Maximum of 20 characters."


def _coin(exchange: DemoExchange, coin_id: str) -> Coin:
    coin = listed_coins(exchange.listings.values()).get(coin_id)
    if coin is None:
        raise api_error("-4001")  # "Invalid asset"
    return coin


def _chain(coin: Coin, chain_type: str) -> Chain:
    chain = coin.chain(chain_type)
    if chain is None:
        raise illegal("chainType")
    return chain


def chain_types(call: Call) -> object:
    """The table adds "errorCode" and "errorMsg", "returned only when there is an error"."""
    coin_id = call.params.text("coinId")
    coin = listed_coins(call.exchange.listings.values()).get(coin_id)
    if coin is None:
        error = missing("coinId")
        return [
            {
                "coinId": coin_id,
                "coinName": coin_id,
                "chainTypeList": [],
                "errorCode": error.code,
                "errorMsg": error.message,
            }
        ]
    return [{"coinId": coin.coin_id, "coinName": coin.coin_id, "chainTypeList": [c.chain_type for c in coin.chains]}]


def deposit_address_of(call: Call) -> object:
    coin = _coin(call.exchange, call.params.text("coin"))
    chain = _chain(coin, call.params.text("chainType"))
    return {
        "canDeposit": True,
        "address": deposit_address(call.user.user_id, coin.coin_id, chain),
        "addressExt": "",
        "minQuantity": wire.dec(chain.min_deposit),
        "needAddressTag": False,
        "requiredConfirmTimes": chain.confirmations,
        "canWithdrawConfirmTimes": chain.confirmations,
        "coinType": chain.coin_type,
    }


def _in_range(time_ms: int, call: Call) -> bool:
    start, end = call.params.opt_int("startTime"), call.params.opt_int("endTime")
    return (start is None or time_ms >= start) and (end is None or time_ms <= end)


def deposit_orders(call: Call) -> object:
    """``coin`` is "Chain_Coin" in the example ("ETH_USDT"); a bare coin ("USDT") is taken too."""
    wanted = call.params.get("coin")
    chain_type, _, coin = wanted.rpartition("_") if wanted else ("", "", "")
    records = [
        r
        for r in reversed(wallet_log(call.exchange).deposits)
        if r.user_id == call.user.user_id
        and (not coin or r.coin == coin)
        and (not chain_type or r.chain_type.casefold() == chain_type.casefold())
        and _in_range(r.time_ms, call)
    ]
    return [wire.deposit(r) for r in records[: call.params.limit(HISTORY_DEFAULT, HISTORY_MAX)]]


def auth_address(call: Call) -> object:
    """Declares who sent a deposit: its txid must be one of the user's deposits."""
    params = call.params
    txid = params.text("txid")
    if "institutionalName" not in params and not ("senderFirstName" in params and "senderLastName" in params):
        raise missing("institutionalName")  # "Either institutionalName ... or both senderFirstName and senderLastName"
    params.text("exchangeName")
    params.flag("isAddressOwner")
    user = call.user
    if not any(r.tx_id == txid and r.user_id == user.user_id for r in wallet_log(call.exchange).deposits):
        raise api_error("-1212")  # "The order of deposit does not exist"
    return {"success": True, "msg": "", "timestamp": str(call.now_ms)}


def _withdraw_quantity(call: Call, chain: Chain) -> Decimal:
    try:
        quantity = parse_decimal(call.params.text("quantity"), field="quantity")
    except DecimalParseError:
        raise api_error("-1168") from None  # "Withdrawal amount characters are not valid"
    if quantity <= 0:
        raise api_error("-1165")  # "Withdrawal amount needs to be more than 0"
    if quantity < chain.min_withdraw:
        raise api_error("-1167")
    if quantity > chain.max_withdraw:
        raise api_error("-4019")  # "The withdraw exceeded the predefined maximum limit, and has been rejected"
    return quantity


def withdraw(call: Call) -> object:
    """004, "Withdraw VA": the reply's accountId is the custody account ("1649292498437183235", the
    "Custody Account" of "Example how to use"), so withdrawals leave the custody account."""
    params, user, exchange = call.params, call.user, call.exchange
    coin = _coin(exchange, params.text("coin"))
    client_order_id = params.text("clientOrderId")
    address = params.text("address")
    chain = _chain(coin, params.text("chainType"))
    quantity = _withdraw_quantity(call, chain)
    if not chain.accepts(address):
        raise api_error("-1163")
    platform = (params.get("platform") or "").upper()
    if platform and platform not in PLATFORMS:
        raise illegal("platform")
    memo = params.get("memo") or ""
    if memo and not (memo.isascii() and memo.isalnum() and len(memo) <= MAX_MEMO):
        raise illegal("memo")
    log = wallet_log(exchange)
    if any(w.client_order_id == client_order_id and w.user_id == user.user_id for w in log.withdrawals):
        raise api_error("-4013")  # "Withdraw repeatedly"
    exchange.withdraw(user.custody_account, coin.coin_id, quantity)
    number = log.next_number()
    order_id = f"W{792_076_358_865_207_296 + number}"  # shaped like the example's "W792076358865207296"
    log.withdrawals.append(
        WithdrawRecord(
            order_id=order_id,
            user_id=user.user_id,
            account_id=user.custody_account,
            client_order_id=client_order_id,
            coin=coin.coin_id,
            chain_type=chain.chain_type,
            address=address,
            quantity=quantity,
            fee=chain.withdraw_fee,
            tx_id=transaction_id(chain, "withdraw", order_id),
            time_ms=call.now_ms,
            remark=params.get("remark") or "",
            platform=platform,
            memo=memo,
        )
    )
    log.add_flow(user.custody_account, coin.coin_id, CUSTODY_WITHDRAW, quantity.copy_negate(), call.now_ms)
    return {"success": True, "id": "0", "orderId": order_id, "accountId": user.custody_account}


def withdraw_orders(call: Call) -> object:
    params = call.params
    coin, remark, memo = params.get("coin"), params.get("remark"), params.get("memo")
    records = [
        r
        for r in reversed(wallet_log(call.exchange).withdrawals)
        if r.user_id == call.user.user_id
        and (coin is None or r.coin == coin)
        and (remark is None or r.remark == remark)
        and (memo is None or r.memo == memo)
        and _in_range(r.time_ms, call)
    ]
    return [wire.withdrawal(r) for r in records[: params.limit(HISTORY_DEFAULT, HISTORY_MAX)]]


def demo_deposit(exchange: DemoExchange, user: DemoUser, coin_id: str, quantity: Decimal, chain_type: str) -> object:
    """Fund ``user`` as a deposit would: a crypto coin into the custody account (recorded as a
    successful deposit), a fiat currency into the fiat account (a successful fiat deposit)."""
    coin = _coin(exchange, coin_id)
    if quantity <= 0:
        raise illegal("quantity")
    log = wallet_log(exchange)
    now = exchange.now_ms()
    number = log.next_number()
    if coin.fiat:
        exchange.deposit(user.fiat_account, coin.coin_id, quantity)
        order_id = f"NFD{773_922_940_306_722_816 + number}"  # as the example's "NFW773922940306722816"
        log.fiat.append(
            FiatRecord(
                order_id=order_id,
                user_id=user.user_id,
                account_id=user.fiat_account,
                kind="deposit",
                asset=coin.coin_id,
                gross_amount=quantity,
                fee=Decimal(0),
                status="successful",
                created_ms=now,
                updated_ms=now,
            )
        )
        log.add_flow(user.fiat_account, coin.coin_id, FIAT_DEPOSIT, quantity, now)
        return {"orderId": order_id, "accountId": user.fiat_account}
    chain = _chain(coin, chain_type or coin.chains[0].chain_type)
    exchange.deposit(user.custody_account, coin.coin_id, quantity)
    tx_id = transaction_id(chain, "deposit", user.user_id, str(number))
    address = deposit_address(user.user_id, coin.coin_id, chain)
    log.deposits.append(
        DepositRecord(user.user_id, user.custody_account, coin.coin_id, chain.chain_type, address, quantity, tx_id, now)
    )
    log.add_flow(user.custody_account, coin.coin_id, CUSTODY_DEPOSIT, quantity, now)
    return {"txId": tx_id, "accountId": user.custody_account}


SPECS: tuple[Spec, ...] = (
    Spec("GET", "/api/v1/account/chainType", chain_types),
    Spec("GET", "/api/v1/account/deposit/address", deposit_address_of),
    Spec("GET", "/api/v1/account/depositOrders", deposit_orders),
    Spec("POST", "/api/v1/account/authAddress", auth_address, writes=True),
    Spec("POST", "/api/v1/account/withdraw", withdraw, writes=True),
    Spec("GET", "/api/v1/account/withdrawOrders", withdraw_orders),
)
