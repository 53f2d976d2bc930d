"""Before a Webull session opens: a stored NORMAL token is reused without the dialog; otherwise the
verification is needed (a stored PENDING token is resumed, an EXPIRED or INVALID one is forgotten).
Also how connect() builds the venue: app secret and token from the keyring, no secret said in words."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from terminal.app.connect import connect, webull_hosts
from terminal.app.demo_process import DemoProcess
from terminal.app.main import parse_args
from terminal.app.run import COMMAND_LINE_PROFILE, _command_line_profile
from terminal.app.webull_auth import TokenNeed, check_stored_token, store_token, stored_token
from terminal.storage.profiles import Environment, Profile, Region, SignatureAlgorithm, Venue
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.venues.ratelimit import Rate
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.token import TokenClient, TokenStatus
from terminal.venues.webull.transport import RATES, WebullTransport
from terminal.venues.webull.venue import WebullVenue
from tests.support.keyring import MemoryKeyring
from tests.support.webull.server import WebullFakeServer

FAST = {name: Rate(100, 1.0) for name in RATES}
PROFILE = "Webull test"


@pytest.fixture
def server() -> Iterator[WebullFakeServer]:
    with WebullFakeServer(rate_limits={}, verify_timeout=30.0) as fake:
        yield fake
    assert fake.violations == []


@pytest.fixture
async def tokens(server: WebullFakeServer) -> AsyncIterator[TokenClient]:
    async with WebullTransport(Hosts(server.url), server.app_key, server.app_secret, rates=FAST) as transport:
        yield TokenClient(transport)


def _secrets() -> SecretStore:
    return SecretStore(MemoryKeyring())


def _creates(server: WebullFakeServer) -> int:
    return sum(1 for request in server.requests if request.path.endswith("/create"))


async def test_a_stored_normal_token_is_reused_without_the_dialog(
    server: WebullFakeServer, tokens: TokenClient
) -> None:
    secrets = _secrets()
    secrets.set(PROFILE, access_token_key(server.app_key), server.issue_token())
    check = await check_stored_token(tokens, secrets, PROFILE, server.app_key)
    assert check.need is TokenNeed.READY
    assert check.token is not None and check.token.status is TokenStatus.NORMAL
    assert _creates(server) == 0


async def test_without_a_stored_token_the_verification_is_needed(server: WebullFakeServer, tokens: TokenClient) -> None:
    check = await check_stored_token(tokens, _secrets(), PROFILE, server.app_key)
    assert (check.need, check.token) == (TokenNeed.VERIFY, None)
    assert "no access token is stored" in check.reason


async def test_an_invalid_stored_token_is_forgotten_and_a_new_one_needed(
    server: WebullFakeServer, tokens: TokenClient
) -> None:
    secrets = _secrets()
    old = server.issue_token()
    server.invalidate_token(old)  # 15 days unused
    secrets.set(PROFILE, access_token_key(server.app_key), old)
    check = await check_stored_token(tokens, secrets, PROFILE, server.app_key)
    assert (check.need, check.token) == (TokenNeed.VERIFY, None)  # None: the dialog creates a new one
    assert "no longer valid" in check.reason
    assert stored_token(secrets, PROFILE, server.app_key) is None


async def test_an_expired_stored_token_is_forgotten(server: WebullFakeServer, tokens: TokenClient) -> None:
    secrets = _secrets()
    created = await tokens.create()
    server.expire_token(created.token)
    secrets.set(PROFILE, access_token_key(server.app_key), created.token)
    check = await check_stored_token(tokens, secrets, PROFILE, server.app_key)
    assert (check.need, check.token) == (TokenNeed.VERIFY, None)
    assert "expired" in check.reason


async def test_a_stored_pending_token_is_resumed_rather_than_a_new_sms(
    server: WebullFakeServer, tokens: TokenClient
) -> None:
    secrets = _secrets()
    created = await tokens.create()
    secrets.set(PROFILE, access_token_key(server.app_key), created.token)
    check = await check_stored_token(tokens, secrets, PROFILE, server.app_key)
    assert check.need is TokenNeed.VERIFY
    assert check.token is not None and (check.token.token, check.token.status) == (created.token, TokenStatus.PENDING)
    assert _creates(server) == 1


async def test_an_account_without_2fa_needs_no_token() -> None:
    with WebullFakeServer(token_required=False, rate_limits={}) as server:
        async with WebullTransport(Hosts(server.url), server.app_key, server.app_secret, rates=FAST) as transport:
            check = await check_stored_token(TokenClient(transport), _secrets(), PROFILE, server.app_key)
    assert check.need is TokenNeed.NOT_REQUIRED


async def test_only_a_normal_token_is_stored(server: WebullFakeServer, tokens: TokenClient) -> None:
    secrets = _secrets()
    pending = await tokens.create()
    with pytest.raises(ValueError, match="only a NORMAL token"):
        store_token(secrets, PROFILE, server.app_key, pending)


# --- connect ---------------------------------------------------------------------------------------


def _profile(url: str, **changes: object) -> Profile:
    fields: dict[str, object] = {"api_key": "ak-test-0001", "rest_url": url, **changes}
    return Profile(PROFILE, Venue.WEBULL, **fields)  # type: ignore[arg-type]


async def test_connect_builds_a_webull_venue_with_the_secret_and_token_from_the_keyring() -> None:
    secrets = _secrets()
    secrets.set(PROFILE, "ak-test-0001", "sk-test-0001")
    secrets.set(PROFILE, access_token_key("ak-test-0001"), "tok-1")
    profile = _profile("http://127.0.0.1:9", account="ACC-HK-MRGN-0002", algorithm="HMAC-SHA1")
    connection = await connect(profile, secrets, DemoProcess())
    venue = connection.venue
    assert isinstance(venue, WebullVenue)
    assert venue.transport.access_token == "tok-1"
    assert venue.transport.algorithm == "HMAC-SHA1"
    assert venue.account_id == "ACC-HK-MRGN-0002"
    assert connection.notice == ""
    given = await connect(profile, secrets, DemoProcess(), access_token="tok-2")
    assert isinstance(given.venue, WebullVenue) and given.venue.transport.access_token == "tok-2"
    await venue.transport.aclose()
    await given.venue.transport.aclose()


async def test_without_a_token_connect_says_read_only() -> None:
    secrets = _secrets()
    connection = await connect(_profile("http://127.0.0.1:9"), secrets, DemoProcess(), secret_override="sk")
    assert isinstance(connection.venue, WebullVenue) and connection.venue.transport.access_token is None
    assert "read only" in connection.notice
    await connection.venue.transport.aclose()


async def test_without_an_app_secret_webull_cannot_connect_and_says_why() -> None:
    with pytest.raises(ValueError, match="no app secret for Webull app key ak-tes… in the keyring: Webull signs"):
        await connect(_profile("http://127.0.0.1:9"), _secrets(), DemoProcess())
    with pytest.raises(ValueError, match="has no app key"):
        await connect(_profile("http://127.0.0.1:9", api_key=""), _secrets(), DemoProcess())


def test_hosts_follow_region_environment_and_override() -> None:
    hk = Profile("W", Venue.WEBULL, region=Region.HK, environment=Environment.SANDBOX)
    assert webull_hosts(hk).api_url == "https://api.sandbox.webull.hk"
    us = Profile("W", Venue.WEBULL, region=Region.US, environment=Environment.PRODUCTION)
    assert webull_hosts(us).api_url == "https://api.webull.com"
    sha1 = Profile("W", Venue.WEBULL, algorithm=SignatureAlgorithm.HMAC_SHA1, rest_url="http://127.0.0.1:8123")
    assert (webull_hosts(sha1).api_url, webull_hosts(sha1).algorithm) == ("http://127.0.0.1:8123", "HMAC-SHA1")


def test_the_command_line_attaches_to_a_webull_host() -> None:
    args = parse_args(["--webull-url", "http://127.0.0.1:8123", "--api-key", "AK1", "--webull-account", "ACC-1"])
    profile = _command_line_profile(args)
    assert profile is not None
    assert (profile.name, profile.venue, profile.rest_url, profile.api_key, profile.account) == (
        COMMAND_LINE_PROFILE,
        Venue.WEBULL,
        "http://127.0.0.1:8123",
        "AK1",
        "ACC-1",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--webull-url", "http://h"], "--webull-url needs --api-key"),
        (["--webull-url", "http://h", "--api-key", "A", "--deriv-url", "wss://d"], "cannot go together"),
        (["--webull-account", "ACC"], "--webull-account needs --webull-url"),
    ],
)
def test_bad_webull_flags_are_refused(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(argv)
    assert message in capsys.readouterr().err
