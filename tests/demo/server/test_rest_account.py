"""Account and wallet records in detail: balance flows with running totals, VIP figures, transfers,
deposits and withdrawals and their histories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from terminal.demo.exchange import DemoExchange
from tests.demo.server.conftest import D, seed_book
from tests.demo.server.signer import Signer

FAR = "99999999999999"
ADDRESS = "0x05aad35f83e62b6323f55ea41efcfdd2f97bd505"


async def _flows(signer: Signer, *extra: tuple[str, str]) -> Any:
    return await signer.json("GET", "/api/v1/account/balanceFlow", ("startTime", "0"), ("endTime", FAR), *extra)


async def test_balance_flows_count_back_from_the_balance(exchange: DemoExchange, signer: Signer) -> None:
    seed_book(exchange)
    user = exchange.user
    await signer.json(
        "POST",
        "/api/v1.1/spot/order",
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "MARKET"),
        ("quantity", "0.6"),
        form=True,
    )  # two fills: 0.5 @ 95000.01, 0.1 @ 95000.02
    await signer.json(
        "POST",
        "/api/v1/account/assetTransfer",
        ("fromAccountId", user.main_account),
        ("toAccountId", user.custody_account),
        ("coin", "BTC"),
        ("quantity", "0.25"),
        form=True,
    )
    flows = await _flows(signer)
    assert [(f["coin"], f["flowTypeValue"], f["change"]) for f in flows] == [
        ("BTC", 51, "-0.25"),
        ("BTC", 2, "-0.00015"),
        ("USDT", 1, "-9500.002"),
        ("BTC", 1, "0.1"),
        ("BTC", 2, "-0.00075"),
        ("USDT", 1, "-47500.005"),
        ("BTC", 1, "0.5"),
    ]
    btc = [D(f["total"]) for f in flows if f["coin"] == "BTC"]
    assert btc[0] == D(2) + D("0.6") - D("0.0009") - D("0.25")  # the balance now
    assert btc[-1] == D("2.5")  # after the first fill
    for newer, older, change in zip(btc, btc[1:], [D(f["change"]) for f in flows if f["coin"] == "BTC"], strict=False):
        assert newer - change == older
    assert all(f.get("symbol") == "BTCUSDT" for f in flows if f["flowTypeValue"] in (1, 2))
    assert [f["change"] for f in await _flows(signer, ("flowType", "2"))] == ["-0.00015", "-0.00075"]
    assert len(await _flows(signer, ("flowType", "1"), ("limit", "3"))) == 3
    custody = await _flows(signer, ("accountType", "5"))
    assert [(f["accountId"], f["change"], f["total"]) for f in custody] == [(user.custody_account, "0.25", "0.25")]
    assert await _flows(signer, ("accountType", "3")) == []
    assert await signer.json("GET", "/api/v1/account/balanceFlow", ("startTime", "0"), ("endTime", "1")) == []


async def test_vip_info_reports_volume_and_assets(exchange: DemoExchange, signer: Signer) -> None:
    seed_book(exchange)
    await signer.json(
        "POST",
        "/api/v1.1/spot/order",
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "MARKET"),
        ("quantity", "0.1"),
        form=True,
    )
    vip = await signer.json("GET", "/api/v1/account/vipInfo", ("symbols", "BTCUSDT,NOPE"))
    assert vip["tradeVol30Day"] == "9500.001"
    assert [row["symbol"] for row in vip["data"]] == ["BTCUSDT"]
    # 100,000 USDT - 9,500.001 + 2.09985 BTC at 95,000.01 + 10,000 USD; ETH never traded: unpriced.
    expected = D(100_000) - D("9500.001") + D("2.09985") * D("95000.01") + D(10_000)
    assert D(vip["totalAssetBal"]) == expected


async def test_transfers_refuse_a_reused_client_order_id(exchange: DemoExchange, signer: Signer) -> None:
    user = exchange.user
    params = (
        ("fromAccountId", user.main_account),
        ("toAccountId", user.fiat_account),
        ("coin", "USD"),
        ("quantity", "1"),
        ("clientOrderId", "same"),
    )
    first = await signer.json("POST", "/api/v1/account/assetTransfer", *params, form=True)
    assert first["clientOrderId"] == "same" and first["orderId"].isdigit()
    again = await signer.send("POST", "/api/v1/account/assetTransfer", (), params)
    assert again.json() == {"code": "-1024", "msg": "Duplicate request"}
    assert exchange.engine.ledger.free(user.fiat_account, "USD") == D(1)


async def test_deposits_and_withdrawals_are_recorded(
    exchange: DemoExchange, signer: Signer, http: httpx.AsyncClient
) -> None:
    key = exchange.user.trading_key.key
    for coin, quantity, chain in (("USDT", "100", "Tron"), ("USDT", "40", "ETH"), ("BTC", "0.5", "")):
        answer = await http.post(
            "/_demo/deposit", json={"api_key": key, "coin": coin, "quantity": quantity, "chainType": chain}
        )
        assert answer.status_code == 200
    deposits = await signer.json("GET", "/api/v1/account/depositOrders")
    assert [(d["coin"], d["quantity"]) for d in deposits] == [("BTC", "0.5"), ("USDT", "40"), ("USDT", "100")]
    assert [
        d["quantity"] for d in await signer.json("GET", "/api/v1/account/depositOrders", ("coin", "Tron_USDT"))
    ] == ["100"]
    assert len(await signer.json("GET", "/api/v1/account/depositOrders", ("coin", "USDT"))) == 2
    assert await signer.json("GET", "/api/v1/account/depositOrders", ("limit", "1"), ("coin", "BTC")) == [deposits[0]]
    address = await signer.json("GET", "/api/v1/account/deposit/address", ("coin", "BTC"), ("chainType", "BTC"))
    assert deposits[0]["address"] == address["address"] and address["address"].startswith("bc1q")

    withdraw = (
        ("coin", "USDT"),
        ("clientOrderId", "w-9"),
        ("address", ADDRESS),
        ("quantity", "30"),
        ("chainType", "ETH"),
        ("platform", "binance"),
        ("memo", "abc123"),
        ("remark", "rent"),
    )
    done = await signer.json("POST", "/api/v1/account/withdraw", *withdraw, form=True)
    assert done["orderId"].startswith("W")
    again = await signer.send("POST", "/api/v1/account/withdraw", (), withdraw)
    assert again.json() == {"code": "-4013", "msg": "Withdraw repeatedly"}
    [record] = await signer.json("GET", "/api/v1/account/withdrawOrders", ("remark", "rent"))
    assert (record["quantity"], record["arriveQuantity"], record["fee"], record["platform"]) == (
        "30",
        "25",
        "5",
        "BINANCE",
    )
    assert await signer.json("GET", "/api/v1/account/withdrawOrders", ("coin", "BTC")) == []
    assert exchange.engine.ledger.free(exchange.user.custody_account, "USDT") == D(110)
    flows = await _flows(signer, ("accountType", "5"))
    assert [(f["flowType"], f["change"]) for f in flows][:2] == [
        ("CUSTODY_WITHDRAW", "-30"),
        ("CUSTODY_DEPOSIT", "0.5"),
    ]
    assert all(isinstance(Decimal(str(f["total"])), Decimal) for f in flows)
