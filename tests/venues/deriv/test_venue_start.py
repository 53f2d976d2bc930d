"""Starting against the Deriv test server: authorize, account and permissions, symbols, balance, failures."""

from __future__ import annotations

import pytest

from terminal.domain.enums import SymbolStatus
from terminal.venues.base import (
    AccountEvent,
    BalanceEvent,
    ConnectionEvent,
    ConnectionState,
    Permissions,
    TickerEvent,
    trades_contracts,
)
from terminal.venues.deriv.venue import CAPABILITIES, NO_TOKEN, DerivVenue
from terminal.venues.errors import AuthenticationError, InvalidRequest, VenueUnavailable
from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import READ_LOGIN, READ_TOKEN, TRADE_LOGIN
from tests.venues.deriv.live import FAST_BACKOFF, EventLog, running, venue_for


async def test_a_trading_token(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        assert trades_contracts(venue)
        assert venue.account is not None
        assert venue.account.login_id == TRADE_LOGIN and venue.account.currency == "USD" and venue.account.is_virtual
        assert venue.permissions == Permissions(
            can_read=True,
            can_trade=True,
            reason="",
            account=f"{TRADE_LOGIN} · USD · virtual",
            scopes=("read", "trade", "trading_information"),
        )
        assert log.of(AccountEvent)[0].account == venue.account
        balance = await log.wait(BalanceEvent)
        assert balance.complete and balance.balances[0].asset == "USD" and balance.balances[0].free == 10000
        assert ConnectionEvent("deriv", ConnectionState.LIVE) in log.events
    (authorize,) = server.requests_of("authorize")
    assert authorize["authorize"] == "tok-trade-0001" and isinstance(authorize["req_id"], int)
    assert server.app_ids[0] == "1089"


async def test_a_read_only_token_may_not_trade(server: DerivTestServer) -> None:
    async with running(server, READ_TOKEN) as (venue, _):
        assert venue.account is not None and venue.account.login_id == READ_LOGIN
        assert not venue.permissions.can_trade and venue.permissions.can_read
        assert venue.permissions.reason == "the token has no trade scope (it has: read)"
        assert venue.permissions.scopes == ("read",)


async def test_without_a_token_market_data_only(server: DerivTestServer) -> None:
    async with running(server, None) as (venue, log):
        assert venue.account is None
        assert venue.permissions == Permissions(False, False, NO_TOKEN)
        assert venue.instruments and log.of(TickerEvent)
        assert not log.of(AccountEvent) and not log.of(BalanceEvent)
    assert server.requests_of("authorize") == [] and server.requests_of("balance") == []


async def test_instruments_and_tickers(server: DerivTestServer) -> None:
    async with running(server) as (venue, log):
        r100 = venue.instruments["R_100"]
        assert r100.name == "Volatility 100 Index" and r100.group.endswith(" / Continuous Indices")
        assert r100.quote_asset == "USD" and r100.order_types == () and r100.status is SymbolStatus.TRADING
        assert str(venue.instruments["frxEURUSD"].tick_size) == "0.00001"
        assert venue.instruments["frxUSDJPY"].status is SymbolStatus.HALT
        tickers = {e.ticker.symbol: e.ticker for e in log.of(TickerEvent)}
        assert set(tickers) == set(venue.instruments)
        assert tickers["R_100"].last.as_tuple().exponent == -2  # quantized to the pip
    assert venue.capabilities == CAPABILITIES
    assert not CAPABILITIES.order_book and CAPABILITIES.contracts and CAPABILITIES.max_depth == 0


async def test_tickers_are_refreshed_from_active_symbols(server: DerivTestServer) -> None:
    async with running(server, None, symbols_refresh=0.2) as (_, log):
        first = log.mark()
        await log.wait(TickerEvent, after=first + 1)
        await log.wait(TickerEvent, lambda e: e.ticker.symbol == "R_100", after=first + 5)
    assert len(server.requests_of("active_symbols")) >= 2


async def test_a_refused_token_fails_the_start(server: DerivTestServer) -> None:
    log = EventLog()
    venue = venue_for(server, "tok-nobody-0000")
    with pytest.raises(AuthenticationError) as raised:
        await venue.start(log)
    assert raised.value.code == "InvalidToken"
    assert log.states()[-1] is ConnectionState.FAILED
    assert len(server.requests_of("authorize")) == 1  # not tried again
    await venue.close()


async def test_an_unreachable_venue_fails_the_start() -> None:
    log = EventLog()
    venue = DerivVenue("ws://127.0.0.1:9/websockets/v3", 1089, None, backoff=FAST_BACKOFF, start_timeout=0.5)
    with pytest.raises(VenueUnavailable, match=r"could not be reached within 0\.5 s: cannot connect"):
        await venue.start(log)
    assert ConnectionState.RECONNECTING in log.states()


async def test_there_are_no_orders(server: DerivTestServer) -> None:
    async with running(server) as (venue, _):
        assert await venue.open_orders() == [] and await venue.order_history() == [] and await venue.fills() == []
        for call in (venue.cancel("x"), venue.cancel_all(), venue.query("x")):
            with pytest.raises(InvalidRequest, match="contracts, not orders"):
                await call
        assert venue.fees == {}
        status = venue.status()
        assert set(status.rate_headroom) == {"general", "pricing", "outcome"}
        assert status.rate_limited_for == 0
