"""Deriv OAuth: the redirect's accounts, and the loopback receiver over a real HTTP request."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from terminal.venues.deriv.endpoints import oauth_url
from terminal.venues.deriv.oauth import LoopbackReceiver, OAuthAccount, ReceiverError, login_url, parse_redirect

# The authorization page's example, with its stray spaces.
DOC_EXAMPLE = (
    "https://[YOUR_WEBSITE_URL]/redirect/?acct1=cr799393& token1=a1-f7pnteezo4jzhpxclctizt27hyeot&cur1=usd"
    "& acct2=vrtc1859315& token2=a1clwe3vfuuus5kraceykdsoqm4snfq& cur2=usd"
)


def test_the_documents_example_gives_both_accounts() -> None:
    assert parse_redirect(DOC_EXAMPLE) == [
        OAuthAccount("CR799393", "a1-f7pnteezo4jzhpxclctizt27hyeot", "USD"),
        OAuthAccount("VRTC1859315", "a1clwe3vfuuus5kraceykdsoqm4snfq", "USD"),
    ]


def test_a_query_string_or_a_mapping_is_read_alike() -> None:
    query = "acct1=vrtc1&token1=tok-1&cur1=usd&acct2=cr2&token2=tok_2&cur2=btc&acct3=mf3&token3=tok3&cur3=eur"
    accounts = parse_redirect(query)
    assert [a.login_id for a in accounts] == ["VRTC1", "CR2", "MF3"]
    assert [a.currency for a in accounts] == ["USD", "BTC", "EUR"]
    assert parse_redirect(dict(pair.split("=") for pair in query.split("&"))) == accounts


def test_reading_stops_at_the_first_gap() -> None:
    accounts = parse_redirect("acct1=cr1&token1=t-000001&cur1=usd&acct3=cr3&token3=t-000003")
    assert [a.login_id for a in accounts] == ["CR1"]


def test_a_missing_currency_is_empty() -> None:
    assert parse_redirect("acct1=cr1&token1=t-000001") == [OAuthAccount("CR1", "t-000001", "")]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("error=access_denied", "did not log you in (access_denied)"),
        ("error=invalid_app&error_description=Unknown app", "invalid_app: Unknown app"),
        ("", "no account"),
        ("state=x&code=y", "no account"),
        ("acct1=cr1&cur1=usd", "without its token"),
        ("token1=t-000001", "no account ID"),
        ("acct1=cr1&token1=not a token!", "not a Deriv token"),
        (f"acct1=cr1&token1={'a' * 129}", "not a Deriv token"),
        ("acct1=../etc&token1=t-000001", "not a Deriv login ID"),
        ("acct1=cr1&token1=t-000001&cur1=$$", "unknown currency"),
    ],
)
def test_a_bad_redirect_is_a_sentence(query: str, words: str) -> None:
    with pytest.raises(ValueError, match=r"^[A-Z].*\.$") as raised:
        parse_redirect(query)
    assert words in str(raised.value)


def test_a_token_never_shows_in_a_repr_or_an_error() -> None:
    account = parse_redirect("acct1=cr1&token1=secret-token-123")[0]
    assert "secret-token-123" not in repr(account)
    with pytest.raises(ValueError) as raised:
        parse_redirect("acct1=cr1&token1=secret token 123")
    assert "secret" not in str(raised.value)


def test_the_login_url_is_the_endpoints_one() -> None:
    assert login_url(1089) == oauth_url(1089) == "https://oauth.deriv.com/oauth2/authorize?app_id=1089"
    assert login_url(1089, "EN").endswith("&l=EN")


async def test_the_receiver_returns_the_accounts_and_tells_the_browser() -> None:
    receiver = LoopbackReceiver()
    uri = await receiver.start()
    assert uri.startswith("http://127.0.0.1:") and uri.endswith("/deriv/callback")
    waiting = asyncio.ensure_future(receiver.accounts(timeout=10))
    async with httpx.AsyncClient() as client:
        page = await client.get(f"{uri}?acct1=vrtc7&token1=a1-token-0007&cur1=usd")
        other = await client.get(uri.replace("/deriv/callback", "/favicon.ico"))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "You are logged in — return to trading-terminal" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert other.status_code == 404
    assert await waiting == [OAuthAccount("VRTC7", "a1-token-0007", "USD")]
    await receiver.close()


async def test_the_receiver_answers_a_failed_login_in_words() -> None:
    receiver = LoopbackReceiver()
    uri = await receiver.start(path="/cb")
    assert uri.endswith("/cb")
    async with httpx.AsyncClient() as client:
        page = await client.get(f"{uri}?error=access_denied")
    assert page.status_code == 400
    assert "did not log you in (access_denied)" in page.text
    with pytest.raises(ValueError, match="access_denied"):
        await receiver.accounts(timeout=5)
    await receiver.close()


async def test_the_wait_ends_with_a_sentence() -> None:
    receiver = LoopbackReceiver()
    await receiver.start()
    with pytest.raises(TimeoutError, match=r"No login arrived from Deriv within 0\.2 seconds"):
        await receiver.accounts(timeout=0.2)
    await receiver.close()


async def test_a_port_in_use_is_a_sentence() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        receiver = LoopbackReceiver()
        with pytest.raises(ReceiverError, match=f"Port {port} on 127.0.0.1 is already in use") as raised:
            await receiver.start(port)
        assert isinstance(raised.value, OSError)
        await receiver.close()


async def test_the_chosen_port_is_bound_on_loopback_only() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    receiver = LoopbackReceiver()
    assert await receiver.start(port) == f"http://127.0.0.1:{port}/deriv/callback"
    assert receiver._server is not None
    assert {s.getsockname()[0] for server in receiver._server.servers for s in server.sockets} == {"127.0.0.1"}
    await receiver.close()
    again = LoopbackReceiver()  # the port is free again at once
    assert await again.start(port) == f"http://127.0.0.1:{port}/deriv/callback"
    await again.close()


async def test_closing_is_idempotent_and_stops_serving() -> None:
    await LoopbackReceiver().close()  # never started
    receiver = LoopbackReceiver()
    uri = await receiver.start()
    waiting = asyncio.ensure_future(receiver.accounts(timeout=10))
    await receiver.close()
    await receiver.close()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(uri)


async def test_a_cancelled_close_still_frees_the_port() -> None:
    receiver = LoopbackReceiver()
    uri = await receiver.start()
    port = int(uri.split(":")[2].split("/")[0])
    closing = asyncio.ensure_future(receiver.close())
    await asyncio.sleep(0)
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    for _ in range(100):  # uvicorn finishes shutting down on its own
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
                probe.listen(1)
            except OSError:
                await asyncio.sleep(0.05)
                continue
        break
    else:
        pytest.fail(f"port {port} is still taken")
