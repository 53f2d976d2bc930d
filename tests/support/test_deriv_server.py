"""The Deriv test server speaks Deriv's protocol: checked with a plain websockets client, message by message."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus

from tests.support.deriv import trades
from tests.support.deriv.candles import CandleBook
from tests.support.deriv.market import Market, Tick
from tests.support.deriv.pricing import price
from tests.support.deriv.server import DerivTestServer, Grant
from tests.support.deriv.spec import parse_spec
from tests.support.deriv.standard import (
    APP_QUERY,
    READ_TOKEN,
    TRADE_LOGIN,
    TRADE_TOKEN,
    started_server,
)
from tests.support.deriv.state import ServerState
from tests.support.deriv.ticker import on_tick

# The deriv_server fixture, as any test module (or conftest) can load it.
pytest_plugins = ["tests.support.deriv.fixture"]

JSON = dict[str, Any]
CALL_5_TICKS: JSON = {
    "proposal": 1,
    "amount": 10,
    "basis": "stake",
    "contract_type": "CALL",
    "currency": "USD",
    "duration": 5,
    "duration_unit": "t",
    "symbol": "R_100",
}


class Client:
    """A websockets client that numbers its requests and keeps messages it was not waiting for."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self._req_ids = itertools.count(1)
        self._backlog: list[JSON] = []

    async def call(self, body: JSON, timeout: float = 5.0) -> JSON:
        """Send with a fresh req_id; the first message carrying it is the answer."""
        req_id = next(self._req_ids)
        await self.ws.send(orjson.dumps({**body, "req_id": req_id}).decode())
        return await self.wait(lambda message: message.get("req_id") == req_id, timeout)

    async def wait(self, wanted: Callable[[JSON], bool], timeout: float = 5.0) -> JSON:
        for index, kept in enumerate(self._backlog):
            if wanted(kept):
                return self._backlog.pop(index)
        async with asyncio.timeout(timeout):
            while True:
                message: JSON = orjson.loads(await self.ws.recv())
                if wanted(message):
                    return message
                self._backlog.append(message)

    async def stream(self, subscription_id: str, count: int, timeout: float = 5.0) -> list[JSON]:
        return [await self.wait(lambda m: _sub(m) == subscription_id, timeout) for _ in range(count)]

    async def silent(self, seconds: float, wanted: Callable[[JSON], bool]) -> bool:
        """True when nothing ``wanted`` arrives for ``seconds`` (what was received before does not count)."""
        self._backlog = [kept for kept in self._backlog if not wanted(kept)]
        with contextlib.suppress(TimeoutError):
            await self.wait(wanted, seconds)
            return False
        return True


@contextlib.asynccontextmanager
async def client(server: DerivTestServer, token: str | None = None) -> AsyncIterator[Client]:
    async with connect(server.url + APP_QUERY) as ws:
        deriv = Client(ws)
        if token is not None:
            answer = await deriv.call({"authorize": token})
            assert "error" not in answer, answer
        yield deriv


def _sub(message: JSON) -> str | None:
    subscription = message.get("subscription")
    return subscription["id"] if isinstance(subscription, dict) else None


def _error(message: JSON) -> str | None:
    error = message.get("error")
    return error["code"] if isinstance(error, dict) else None


async def _contract_final(deriv: Client, contract_id: int) -> JSON:
    def is_final(message: JSON) -> bool:
        contract = message.get("proposal_open_contract") or {}
        return contract.get("contract_id") == contract_id and contract.get("is_sold") == 1

    final: JSON = (await deriv.wait(is_final, 10.0))["proposal_open_contract"]
    return final


# -- utility calls, authorization, validation ------------------------------------------------------------------


async def test_authorize_answers_the_account_and_masks_the_token(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        answer = await deriv.call({"authorize": TRADE_TOKEN})
        bad = await deriv.call({"authorize": "no-such-token"})
        ping = await deriv.call({"ping": 1})
        clock = await deriv.call({"time": 1})
    account = answer["authorize"]
    assert (account["loginid"], account["currency"], account["balance"]) == (TRADE_LOGIN, "USD", 10000)
    assert (account["is_virtual"], account["landing_company_name"]) == (1, "virtual")
    assert account["account_list"][0]["loginid"] == TRADE_LOGIN
    assert answer["echo_req"]["authorize"] == "<not shown>"
    assert bad["error"] == {"code": "InvalidToken", "message": "The token is invalid."}
    assert bad["msg_type"] == "authorize"
    assert ping["ping"] == "pong"
    assert abs(clock["time"] - time.time()) <= 2
    assert deriv_server.app_ids == ["1089"]
    assert [r["authorize"] for r in deriv_server.requests_of("authorize")] == [TRADE_TOKEN, "no-such-token"]
    assert deriv_server.violations == []


async def test_calls_need_a_login_and_the_right_scope(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        anonymous = await deriv.call({"balance": 1})
        await deriv.call({"authorize": READ_TOKEN})
        balance = await deriv.call({"balance": 1})
        proposal = await deriv.call(CALL_5_TICKS)
        buy = await deriv.call({"buy": proposal["proposal"]["id"], "price": 10})
        logout = await deriv.call({"logout": 1})
        after = await deriv.call({"portfolio": 1})
    assert anonymous["error"] == {"code": "AuthorizationRequired", "message": "Please log in."}
    assert balance["balance"]["loginid"] == "VRTC1002"
    assert buy["error"] == {"code": "PermissionDenied", "message": "Permission denied, requires trade scope(s)."}
    assert logout["logout"] == 1
    assert _error(after) == "AuthorizationRequired"
    assert deriv_server.violations == []


async def test_invalid_requests_are_answered_and_recorded(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        invalid = await deriv.call({"ticks": "R_100", "subscribe": 2})
        unknown = await deriv.call({"residence_list": 1})
        await deriv.ws.send("not json")
        garbage = await deriv.wait(lambda m: _error(m) == "BadRequest")
    assert invalid["error"]["code"] == "InputValidationFailed"
    assert "subscribe" in invalid["error"]["details"]
    assert invalid["msg_type"] == "tick"  # the ticks schema's msg_type
    assert (_error(unknown), unknown["msg_type"]) == ("UnrecognisedRequest", "error")
    assert garbage["msg_type"] == "error"
    violations = deriv_server.violations
    assert len(violations) == 3
    assert violations[0].startswith("request ticks: subscribe:")


# -- market data -----------------------------------------------------------------------------------------------


async def test_ticks_stream_until_forgotten(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        first = await deriv.call({"ticks": "R_50", "subscribe": 1})
        key = _sub(first)
        assert key is not None
        more = await deriv.stream(key, 3)
        again = await deriv.call({"ticks": "R_50"})
        closed = await deriv.call({"ticks": "frxUSDJPY"})
        assert deriv_server.subscriptions() == {key: "ticks"}
        forgot = await deriv.call({"forget": key})
        forgot_again = await deriv.call({"forget": key})
        quiet = await deriv.silent(0.4, lambda m: _sub(m) == key)
    ticks = [first["tick"], *(m["tick"] for m in more)]
    assert all(t["symbol"] == "R_50" and t["id"] == key and t["pip_size"] == 2 for t in ticks)
    assert all(t["bid"] < t["quote"] < t["ask"] for t in ticks)
    assert [t["epoch"] for t in ticks] == sorted(t["epoch"] for t in ticks)
    assert again["error"] == {"code": "AlreadySubscribed", "message": "You are already subscribed to R_50."}
    assert closed["error"] == {"code": "MarketIsClosed", "message": "This market is presently closed."}
    assert (forgot["forget"], forgot_again["forget"], quiet) == (1, 0, True)
    assert deriv_server.violations == []


async def test_candles_history_then_ohlc_stream(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        answer = await deriv.call(
            {
                "ticks_history": "R_100",
                "end": "latest",
                "count": 1000,
                "style": "candles",
                "granularity": 60,
                "subscribe": 1,
            }
        )
        key = _sub(answer)
        assert key is not None
        updates = [m["ohlc"] for m in await deriv.stream(key, 3)]
        daily = await deriv.call(
            {"ticks_history": "R_100", "end": "latest", "count": 5000, "style": "candles", "granularity": 86400}
        )
        ticks = await deriv.call({"ticks_history": "R_100", "end": "latest", "count": 50})
        cleared = await deriv.call({"forget_all": ["candles", "ticks"]})
    candles = answer["candles"]
    assert (len(candles), answer["msg_type"], answer["pip_size"]) == (1000, "candles", 2)
    assert [c["epoch"] for c in candles] == list(range(candles[0]["epoch"], candles[-1]["epoch"] + 60, 60))
    assert all(c["low"] <= min(c["open"], c["close"]) and c["high"] >= max(c["open"], c["close"]) for c in candles)
    assert len(daily["candles"]) == 5000
    last = updates[-1]
    assert isinstance(last["close"], str) and isinstance(last["open"], str)
    assert (last["granularity"], last["symbol"], last["id"]) == (60, "R_100", key)
    assert last["open_time"] == last["epoch"] - last["epoch"] % 60
    if last["open_time"] == candles[-1]["epoch"]:  # the live candle continues the history's last candle
        assert Decimal(last["open"]) == Decimal(str(candles[-1]["open"]))
    history = ticks["history"]
    assert (ticks["msg_type"], len(history["prices"]), len(history["times"])) == ("history", 50, 50)
    assert cleared["forget_all"] == [key]
    assert deriv_server.violations == []


def test_the_same_seed_gives_the_same_market_and_candles_join_the_ticks() -> None:
    one, two, other = (Market(seed, now=1_700_000_000) for seed in (3, 3, 4))
    assert one.ticks("R_100")[:500] == two.ticks("R_100")[:500] != other.ticks("R_100")[:500]
    for _ in range(30):
        one.advance(1_700_000_000)
    book = CandleBook(one)
    candles = book.candles("R_100", 300, end=1_700_000_000, count=2000)
    assert len(candles) == 2000
    assert all(older.close == newer.open for older, newer in itertools.pairwise(candles[:1900]))  # synthetic part
    assert candles[-1] == book.live("R_100", 300)
    assert candles[-1].close == one.last("R_100").quote
    later = book.candles("R_100", 60, end=1_700_000_000 + 3600, count=100)  # no tick in end's bucket yet
    assert len(later) == 100 and later[-1].open_time == 1_700_000_000 - 1_700_000_000 % 60


# -- trading ---------------------------------------------------------------------------------------------------


async def test_proposal_buy_follow_and_sell(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server, TRADE_TOKEN) as deriv:
        balance = await deriv.call({"balance": 1, "subscribe": 1})
        offer = await deriv.call({**CALL_5_TICKS, "duration": 2, "duration_unit": "m", "subscribe": 1})
        offer_key = _sub(offer)
        assert offer_key is not None
        repriced = (await deriv.stream(offer_key, 1))[0]["proposal"]
        bought = await deriv.call({"buy": repriced["id"], "price": repriced["ask_price"]})
        contract_id = bought["buy"]["contract_id"]
        update = await deriv.wait(lambda m: _sub(m) == _sub(balance) and m["balance"]["balance"] < 10000)
        follow = await deriv.call({"proposal_open_contract": 1, "contract_id": contract_id, "subscribe": 1})
        await deriv.wait(lambda m: (m.get("proposal_open_contract") or {}).get("is_valid_to_sell") == 1)
        sold = await deriv.call({"sell": contract_id, "price": 0})
        final = await _contract_final(deriv, contract_id)
        resold = await deriv.call({"sell": contract_id, "price": 0})
    proposal = offer["proposal"]
    assert proposal["payout"] == 19.5 and proposal["ask_price"] == 10
    assert proposal["longcode"].startswith("Win payout if Volatility 100 Index is strictly higher than entry spot")
    assert repriced["id"] != proposal["id"]
    assert bought["buy"]["buy_price"] == 10 and bought["buy"]["balance_after"] == 9990
    assert update["balance"]["balance"] == 9990
    assert follow["proposal_open_contract"]["contract_id"] == contract_id and _sub(follow) is not None
    assert sold["sell"]["contract_id"] == contract_id and 0 < sold["sell"]["sold_for"] < 19.5
    assert (final["status"], final["is_sold"], final["sell_price"]) == ("sold", 1, sold["sell"]["sold_for"])
    assert resold["error"] == {"code": "InvalidSellContractProposal", "message": "This contract has been sold."}
    assert _sub(follow) not in deriv_server.subscriptions()  # the final update ends the stream
    assert deriv_server.balance_of(TRADE_LOGIN) == Decimal("9990") + Decimal(str(sold["sell"]["sold_for"]))
    assert deriv_server.violations == []


async def test_a_tick_contract_settles_and_lands_in_statement_and_profit_table(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server, TRADE_TOKEN) as deriv:
        offer = await deriv.call(CALL_5_TICKS)
        bought = await deriv.call({"buy": offer["proposal"]["id"], "price": 10, "subscribe": 1})
        contract_id = bought["buy"]["contract_id"]
        final = await _contract_final(deriv, contract_id)
        statement = await deriv.call({"statement": 1, "description": 1, "limit": 2})
        profits = await deriv.call({"profit_table": 1, "description": 1})
        portfolio = await deriv.call({"portfolio": 1})
    won = final["status"] == "won"
    assert final["status"] in {"won", "lost"} and final["tick_count"] == 5 and len(final["tick_stream"]) == 6
    assert final["sell_price"] == (19.5 if won else 0)
    balance = Decimal("9990") + (Decimal("19.5") if won else 0)
    assert deriv_server.balance_of(TRADE_LOGIN) == balance
    sale, purchase = statement["statement"]["transactions"]
    assert (sale["action_type"], sale["reference_id"]) == ("sell", bought["buy"]["transaction_id"])
    assert (purchase["action_type"], purchase["amount"], purchase["contract_id"]) == ("buy", -10, contract_id)
    assert Decimal(str(sale["balance_after"])) == balance and "longcode" in sale
    row = profits["profit_table"]["transactions"][0]
    assert (row["contract_id"], row["buy_price"], row["sell_price"]) == (contract_id, 10, final["sell_price"])
    assert row["underlying_symbol"] == "R_100"
    assert portfolio["portfolio"]["contracts"] == []
    assert [c.status for c in deriv_server.contracts_of(TRADE_LOGIN)] == [final["status"]]
    assert deriv_server.violations == []


def test_a_time_contract_settles_on_its_expiry_tick() -> None:
    state = ServerState(seed=7, tick_interval=0.1, idle_timeout=120.0)
    state.bank.add_token("tok", Grant("VRTC9"), state.now())
    account, now, symbol = state.bank.account("VRTC9"), state.now(), state.market.symbol("R_100")
    fields = {"symbol": "R_100", "contract_type": "PUT", "currency": "USD", "amount": 10, "basis": "stake"}
    spec = parse_spec({**fields, "duration": 15, "duration_unit": "s"}, state.market, now)
    contract, _ = trades.buy(state, account, price(spec, state.market.last("R_100"), now), None)
    on_tick(state, symbol, Tick(now + 1, Decimal("1000.00")))  # the entry tick
    on_tick(state, symbol, Tick(contract.date_expiry - 1, Decimal("998.00")))
    assert contract.is_open and contract.barriers == (Decimal("1000.00"),)
    on_tick(state, symbol, Tick(contract.date_expiry, Decimal("999.50")))
    assert (contract.status, contract.sell_price) == ("won", contract.payout)
    assert account.balance == Decimal(10000) - 10 + contract.payout
    assert [line.action_type for line in account.statement] == ["virtual_credit", "buy", "sell"]


async def test_business_rules_of_proposal_and_buy(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server, TRADE_TOKEN) as deriv:
        small = await deriv.call({**CALL_5_TICKS, "amount": 0.2})
        no_barrier = await deriv.call({**CALL_5_TICKS, "contract_type": "ONETOUCH", "duration_unit": "m"})
        long = await deriv.call({**CALL_5_TICKS, "duration": 11})
        closed = await deriv.call({**CALL_5_TICKS, "symbol": "frxUSDJPY", "duration_unit": "m"})
        digit = await deriv.call({**CALL_5_TICKS, "contract_type": "DIGITMATCH", "barrier": "7"})
        unknown = await deriv.call({"buy": "f" * 32, "price": 10})
        cheap = await deriv.call({"buy": digit["proposal"]["id"], "price": 1})
        rich = await deriv.call({**CALL_5_TICKS, "amount": 10001})
        broke = await deriv.call({"buy": rich["proposal"]["id"], "price": 10001})
    assert small["error"] == {"code": "ContractBuyValidationError", "message": "Stake must be at least 0.35."}
    assert _error(no_barrier) == "ContractCreationFailure"
    assert long["error"] == {"code": "OfferingsValidationError", "message": "Trading is not offered for this duration."}
    assert _error(closed) == "MarketIsClosed"
    assert digit["proposal"]["payout"] > 90  # a one-in-ten chance pays about 9.75 times the stake
    assert unknown["error"] == {"code": "InvalidContractProposal", "message": "Proposal has expired or is not valid."}
    assert _error(cheap) == "PriceMoved"
    assert _error(broke) == "InsufficientBalance"
    assert deriv_server.contracts_of(TRADE_LOGIN) == []
    assert deriv_server.violations == []


# -- limits and faults -----------------------------------------------------------------------------------------


async def test_rate_limits_apply_per_minute_and_to_proposal_streams(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        watched = await deriv.call({"website_status": 1, "subscribe": 1})
        deriv_server.set_limits(general_per_minute=2, max_proposals=1)
        status = await deriv.wait(lambda m: _sub(m) == _sub(watched))
        symbols = await deriv.call({"active_symbols": "brief"})
        limited = await deriv.call({"active_symbols": "brief"})
        ping = await deriv.call({"ping": 1})
        first = await deriv.call({**CALL_5_TICKS, "subscribe": 1})
        second = await deriv.call({**CALL_5_TICKS, "amount": 20, "subscribe": 1})
    limits = status["website_status"]["api_call_limits"]
    assert limits["max_requestes_general"]["minutely"] == 2 and limits["max_proposal_subscription"]["max"] == 1
    assert "active_symbols" in symbols and len(symbols["active_symbols"]) == 5
    assert limited["error"] == {"code": "RateLimit", "message": "You have reached the rate limit for active_symbols."}
    assert ping["ping"] == "pong"
    assert _sub(first) is not None and _error(second) == "RateLimit"
    assert deriv_server.violations == []


async def test_fail_next_and_swallow_next(deriv_server: DerivTestServer) -> None:
    deriv_server.fail_next("buy", "InsufficientBalance", "Your account balance is insufficient for this transaction.")
    async with client(deriv_server, TRADE_TOKEN) as deriv:
        offer = await deriv.call({**CALL_5_TICKS, "duration": 2, "duration_unit": "m"})
        failed = await deriv.call({"buy": offer["proposal"]["id"], "price": 10})
        deriv_server.swallow_next("buy")
        await deriv.ws.send(orjson.dumps({"buy": offer["proposal"]["id"], "price": 10, "req_id": 99}).decode())
        unanswered = await deriv.silent(0.5, lambda m: m.get("msg_type") == "buy")
    assert failed["error"]["code"] == "InsufficientBalance"
    assert unanswered
    assert len(deriv_server.contracts_of(TRADE_LOGIN)) == 1  # swallowed, yet bought
    assert deriv_server.balance_of(TRADE_LOGIN) == Decimal("9990")
    assert len(deriv_server.requests_of("buy")) == 2
    assert deriv_server.violations == []


async def test_drop_connections_cuts_clients_like_a_network_drop(deriv_server: DerivTestServer) -> None:
    async with client(deriv_server) as deriv:
        await deriv.call({"ticks": "R_100"})
        assert deriv_server.connection_count == 1
        assert deriv_server.drop_connections() == 1
        with pytest.raises(ConnectionClosedError):
            while True:
                await deriv.ws.recv()
    for _ in range(50):
        if deriv_server.connection_count == 0:
            break
        await asyncio.sleep(0.02)
    assert deriv_server.connection_count == 0
    assert deriv_server.subscriptions() == {}


async def test_an_idle_connection_is_closed_and_pings_keep_it_open() -> None:
    server = started_server(idle_timeout=0.4)
    try:
        async with connect(server.url + APP_QUERY) as idle, connect(server.url + APP_QUERY) as busy:
            for _ in range(8):
                await busy.send('{"ping": 1}')
                await busy.recv()
                await asyncio.sleep(0.1)
            with pytest.raises(ConnectionClosed):
                await idle.recv()
            assert idle.close_code == 1000 and idle.close_reason == "idle timeout"
            await busy.send('{"ping": 1}')
            assert orjson.loads(await busy.recv())["ping"] == "pong"
    finally:
        server.stop()
    server.stop()  # idempotent
    assert server.violations == []


async def test_only_the_api_path_is_served_and_a_missing_app_id_is_reported(deriv_server: DerivTestServer) -> None:
    root = deriv_server.url.removesuffix("/websockets/v3")
    with pytest.raises(InvalidStatus) as refused:
        async with connect(root + "/other" + APP_QUERY):
            pass
    async with connect(deriv_server.url) as bare:
        await bare.send('{"ping": 1}')
        await bare.recv()
    assert refused.value.response.status_code == 404
    assert deriv_server.app_ids == [""]
    assert deriv_server.violations == ["connection without a numeric app_id: /websockets/v3"]


def test_a_grant_can_open_a_real_money_account() -> None:
    with DerivTestServer() as server:
        server.add_token("tok-real", Grant("CR90001", currency="EUR", virtual=False, balance=Decimal("25.50")))
        assert server.balance_of("CR90001") == Decimal("25.50")
        assert server.url.startswith("ws://127.0.0.1:") and server.url.endswith("/websockets/v3")
