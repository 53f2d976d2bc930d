"""The terminal's Webull transport and 2FA token client against the local Webull fake, which checks every
signature with Webull's own SDK code: the token flow of 000 (PENDING, verified in the app, NORMAL; EXPIRED;
INVALID; NORMAL at once in the sandbox) and a signed, token-carrying request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from terminal.venues.errors import AuthenticationError
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.token import AccessToken, TokenClient, TokenStatus, wait_for_verification
from terminal.venues.webull.transport import WebullTransport
from tests.support.webull.server import WebullFakeServer

ACCOUNTS = "/trading/accounts/list"


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    server = WebullFakeServer(verify_timeout=2.0, rate_limits={}).start()
    yield server
    server.stop()
    assert server.violations == []


@pytest.fixture
async def transport(server: WebullFakeServer) -> AsyncIterator[WebullTransport]:
    async with WebullTransport(Hosts(server.url), server.app_key, server.app_secret) as transport:
        yield transport


async def test_a_pending_token_verified_in_the_app_becomes_normal_and_opens_the_api(
    server: WebullFakeServer, transport: WebullTransport
) -> None:
    tokens = TokenClient(transport)
    assert await tokens.required() is True
    with pytest.raises(AuthenticationError):
        await transport.request("GET", ACCOUNTS, idempotent=True)  # no token yet
    created = await tokens.create()
    assert created.status is TokenStatus.PENDING and server.tokens[created.token] == "PENDING"
    polls: list[tuple[float, AccessToken]] = []

    def on_poll(seconds_left: float, token: AccessToken) -> None:
        polls.append((seconds_left, token))
        if len(polls) == 2:
            server.verify_token(created.token)  # the user taps "confirm" in the Webull app

    verified = await wait_for_verification(tokens, created, timeout=5.0, interval=0.1, on_poll=on_poll)
    assert verified.status is TokenStatus.NORMAL and verified.token == created.token
    assert polls[0][0] > polls[-1][0]  # the countdown runs down
    transport.set_access_token(verified.token)
    accounts = await transport.request("GET", ACCOUNTS, idempotent=True)
    assert isinstance(accounts, list) and {a["account_id"] for a in accounts} >= {"ACC-US-CASH-0001"}
    sent = [r for r in server.requests if r.path == ACCOUNTS][-1]
    assert sent.headers["x-access-token"] == verified.token


async def test_a_token_not_verified_in_time_expires(server: WebullFakeServer, transport: WebullTransport) -> None:
    tokens = TokenClient(transport)
    created = await tokens.create()
    server.expire_token(created.token)
    assert (await tokens.check(created.token)).status is TokenStatus.EXPIRED
    again = await tokens.create()  # "start again": a new token, a new SMS
    result = await wait_for_verification(tokens, again, timeout=0.5, interval=0.1)
    assert result.status is TokenStatus.EXPIRED  # still PENDING when the wait ran out


async def test_an_invalid_token_is_said_so(server: WebullFakeServer, transport: WebullTransport) -> None:
    tokens = TokenClient(transport)
    created = await tokens.create()
    server.verify_token(created.token)
    server.invalidate_token(created.token)  # e.g. 15 days unused
    assert (await tokens.check(created.token)).status is TokenStatus.INVALID
    assert (await tokens.check("never-issued")).status is TokenStatus.INVALID


async def test_in_the_sandbox_a_new_token_is_normal_at_once() -> None:
    server = WebullFakeServer(sandbox=True, rate_limits={}).start()
    try:
        async with WebullTransport(Hosts(server.url), server.app_key, server.app_secret) as transport:
            created = await TokenClient(transport).create()
            assert created.status is TokenStatus.NORMAL
    finally:
        server.stop()
    assert server.violations == []


async def test_both_signature_algorithms_pass_the_sdk_check(server: WebullFakeServer) -> None:
    for algorithm in ("HMAC-SHA1", "HMAC-SHA256"):
        hosts = Hosts(server.url)
        async with WebullTransport(hosts, server.app_key, server.app_secret, algorithm=algorithm) as transport:
            assert await TokenClient(transport).required() is True
    assert [r.headers["x-signature-algorithm"] for r in server.requests] == ["HMAC-SHA1", "HMAC-SHA256"]
