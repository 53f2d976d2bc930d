"""Each parameter of each endpoint, alone set to garbage among otherwise valid ones: the handler answers
or refuses with a documented error (``DemoError``), and never raises anything else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terminal.demo.errors import DemoError
from terminal.demo.exchange import DemoExchange
from terminal.demo.server.rest import SPECS
from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_params import Params
from terminal.demo.server.rest_wallet import demo_deposit
from tests.demo.server.conftest import seed_book

GARBAGE = ["", "NaN", "-1", "0", "1e999999", "99999999999999999999999", "💥", "x" * 300, "BTCUSDT", "true", ",", "1.5"]


def _baseline(exchange: DemoExchange) -> dict[str, str]:
    user = exchange.user
    deposit: Any = demo_deposit(exchange, user, "USDT", Decimal(5000), "ETH")
    listen_key = exchange.listen_keys.create(user.main_account, exchange.now_ms())
    return {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "quantity": "0.01",
        "price": "90000",
        "timeInForce": "GTC",
        "stpMode": "EXPIRE_TAKER",
        "orderId": "1",
        "ids": "1,2",
        "limit": "10",
        "startTime": "0",
        "endTime": "99999999999999",
        "accountId": user.main_account,
        "subAccountId": user.main_account,
        "coin": "USDT",
        "coinId": "USDT",
        "chainType": "ETH",
        "address": "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505",
        "listenKey": listen_key,
        "interval": "1m",
        "scale": "1",
        "instType": "SPOT",
        "symbols": "BTCUSDT",
        "fromAccountId": user.main_account,
        "toAccountId": user.custody_account,
        "flowType": "51",
        "accountType": "1",
        "txid": deposit["txId"],
        "isAddressOwner": "true",
        "site": "BMU",
        "channel": "auto",
        "exchangeName": "OKX",
        "institutionalName": "Acme",
        "platform": "OKX",
        "memo": "123",
        "remark": "r",
        "clientOrderId": "c1",
        "newClientOrderId": "n1",
        "origClientOrderId": "n1",
    }


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.method} {s.path}")
def test_one_garbage_parameter_at_a_time(spec: Spec) -> None:
    exchange = DemoExchange()
    seed_book(exchange)
    baseline = _baseline(exchange)
    key = exchange.user.trading_key
    for name in baseline:
        for value in GARBAGE:
            params = Params({**baseline, name: value}.items())
            body = value.encode() if spec.json_body else b""
            call = Call(exchange, params, key, body, exchange.now_ms())
            try:
                spec.handler(call)
            except DemoError as error:
                assert error.http_status == 400 and error.code and error.message
