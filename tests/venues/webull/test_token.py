"""The 2FA access token of seed 000 over fake HTTP answers, and the wait for verification on a virtual clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import orjson
import pytest

from terminal.venues.errors import AuthenticationError, MalformedResponse, ServerError, UnknownOutcome
from terminal.venues.ratelimit import Rate, RateLimiter
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.token import (
    DOCUMENTED_PATHS,
    SDK3_PATHS,
    AccessToken,
    TokenClient,
    TokenStatus,
    parse_token,
    wait_for_verification,
)
from terminal.venues.webull.transport import RATES, WebullTransport
from tests.support.fake_clock import FakeClock

TOKEN = "ccb071f764864b65a1fb48484e940a56"
EXPIRES_MS = 1755486723000
ROOMY = {name: Rate(100, rate.window) for name, rate in RATES.items()}


class Venue:
    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


async def _no_sleep(_: float) -> None:
    return None


def _client(venue: Venue, paths: object = DOCUMENTED_PATHS) -> TokenClient:
    transport = WebullTransport(
        Hosts("https://api.sandbox.webull.hk"),
        "wb-app-key-0123456789",
        "wb-s3cr3t-s3cr3t-s3cr3t",
        clock=lambda: datetime(2025, 11, 13, tzinfo=UTC),
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(ROOMY),
        rates=ROOMY,
        retry_sleep=_no_sleep,
    )
    return TokenClient(transport, paths)  # type: ignore[arg-type]


def _token(status: str = "PENDING", **extra: object) -> httpx.Response:
    return httpx.Response(200, json={"token": TOKEN, "expires": EXPIRES_MS, "status": status, **extra})


@pytest.mark.parametrize(
    ("answer", "required"),
    [
        ({"token_check_enabled": True}, True),
        ({"token_check_enabled": False}, False),
        ({}, False),
        ({"token_check_enabled": "true"}, True),
    ],
)
async def test_required_reads_the_config(answer: dict[str, object], required: bool) -> None:
    venue = Venue(httpx.Response(200, json=answer))
    assert await _client(venue).required() is required
    (request,) = venue.requests
    assert (request.method, request.url.path) == ("GET", "/openapi/config")
    assert request.content == b""


@pytest.mark.parametrize("answer", [[], {"token_check_enabled": "maybe"}, {"token_check_enabled": 1}])
async def test_a_config_of_another_shape_is_malformed(answer: object) -> None:
    with pytest.raises(MalformedResponse):
        await _client(Venue(httpx.Response(200, json=answer))).required()


async def test_create_posts_an_empty_object_once() -> None:
    venue = Venue(_token())
    token = await _client(venue).create()
    assert token == AccessToken(TOKEN, EXPIRES_MS, TokenStatus.PENDING)
    (request,) = venue.requests
    assert (request.method, request.url.path, request.content) == ("POST", "/openapi/auth/token/create", b"{}")
    assert request.headers["content-type"] == "application/json"


async def test_create_is_never_sent_twice() -> None:
    # Each create sends an SMS: an uncertain one is reported, not repeated.
    venue = Venue(httpx.Response(500, json={"error_code": "SYSTEM_ERROR", "message": "boom"}))
    with pytest.raises(UnknownOutcome):
        await _client(venue).create()
    assert len(venue.requests) == 1


async def test_check_posts_the_token_and_is_retried_as_a_read() -> None:
    venue = Venue(httpx.Response(503, json={"error_code": "SERVICE_NOT_AVAILABLE"}), _token("NORMAL"))
    token = await _client(venue).check(TOKEN)
    assert token.status is TokenStatus.NORMAL
    assert [r.url.path for r in venue.requests] == ["/openapi/auth/token/check"] * 2
    assert orjson.loads(venue.requests[-1].content) == {"token": TOKEN}


async def test_the_sdk_paths_can_be_chosen() -> None:
    venue = Venue(_token())
    client = _client(venue, SDK3_PATHS)
    await client.create()
    await client.check(TOKEN)
    assert [r.url.path for r in venue.requests] == ["/auth/tokens/create", "/auth/tokens/check"]


async def test_an_invalid_token_error_propagates() -> None:
    venue = Venue(
        httpx.Response(401, json={"error_code": "INVALID_TOKEN", "message": "Header x-access-token is invalid."})
    )
    with pytest.raises(AuthenticationError):
        await _client(venue).check(TOKEN)


@pytest.mark.parametrize(
    ("answer", "expires_ms"),
    [
        ({"expires": EXPIRES_MS}, EXPIRES_MS),  # milliseconds
        ({"expires": EXPIRES_MS // 1000}, EXPIRES_MS),  # seconds
        ({"expires": str(EXPIRES_MS)}, EXPIRES_MS),
        ({"expires_at": EXPIRES_MS}, EXPIRES_MS),  # Webull's current API reference
        ({"expires_at": EXPIRES_MS, "expires": 1}, EXPIRES_MS),
    ],
)
def test_expiry_in_seconds_or_milliseconds(answer: dict[str, object], expires_ms: int) -> None:
    assert parse_token({"token": TOKEN, "status": "NORMAL", **answer}).expires_ms == expires_ms


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("PENDING", TokenStatus.PENDING),
        ("normal", TokenStatus.NORMAL),
        (2, TokenStatus.INVALID),
        (3, TokenStatus.EXPIRED),
    ],
)
def test_statuses_by_name_or_the_sdks_number(raw: object, status: TokenStatus) -> None:
    assert parse_token({"token": TOKEN, "expires": EXPIRES_MS, "status": raw}).status is status


@pytest.mark.parametrize(
    "answer",
    [
        [],
        {"expires": EXPIRES_MS, "status": "NORMAL"},  # no token
        {"token": TOKEN, "status": "NORMAL"},  # no expiry
        {"token": TOKEN, "expires": 900, "status": "NORMAL"},  # not a timestamp
        {"token": TOKEN, "expires": True, "status": "NORMAL"},
        {"token": TOKEN, "expires": EXPIRES_MS, "status": "ACTIVE"},
        {"token": TOKEN, "expires": EXPIRES_MS, "status": 7},
    ],
)
def test_other_shapes_are_malformed(answer: object) -> None:
    with pytest.raises(MalformedResponse):
        parse_token(answer)


def test_a_check_answer_without_the_token_keeps_the_one_sent() -> None:
    assert parse_token({"expires": EXPIRES_MS, "status": "PENDING"}, TOKEN).token == TOKEN


def test_the_token_is_hidden_in_repr() -> None:
    assert TOKEN not in repr(AccessToken(TOKEN, EXPIRES_MS, TokenStatus.NORMAL))


class Checks:
    """Stands in for TokenClient.check: answers statuses (or failures) in turn, noting when it was asked."""

    def __init__(self, clock: FakeClock, *answers: str | Exception) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.asked_at: list[float] = []

    async def check(self, token: str) -> AccessToken:
        self.asked_at.append(self.clock.now())
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return AccessToken(token, EXPIRES_MS, TokenStatus(answer))


PENDING = AccessToken(TOKEN, EXPIRES_MS, TokenStatus.PENDING)


async def _run(
    checks: Checks, clock: FakeClock, token: AccessToken = PENDING, **kw: object
) -> tuple[AccessToken, list[float]]:
    polls: list[float] = []
    task = asyncio.create_task(
        wait_for_verification(checks, token, on_poll=lambda left, _: polls.append(left), clock=clock, **kw)  # type: ignore[arg-type]
    )
    await clock.advance(400)
    return await task, polls


async def test_polls_every_five_seconds_until_verified_with_a_countdown() -> None:
    clock = FakeClock()
    checks = Checks(clock, "PENDING", "PENDING", "NORMAL")
    token, polls = await _run(checks, clock)
    assert token.status is TokenStatus.NORMAL
    assert checks.asked_at == [5, 10, 15]
    assert polls == [300, 295, 290]


async def test_a_pending_token_runs_out_as_expired() -> None:
    clock = FakeClock()
    checks = Checks(clock, "PENDING")
    token, polls = await _run(checks, clock, timeout=12.0)
    assert token == AccessToken(TOKEN, EXPIRES_MS, TokenStatus.EXPIRED)
    assert checks.asked_at == [5, 10, 12]  # the last wait is cut to the deadline
    assert polls == [12, 7, 2]


@pytest.mark.parametrize("final", ["EXPIRED", "INVALID"])
async def test_a_final_status_ends_the_wait(final: str) -> None:
    clock = FakeClock()
    checks = Checks(clock, "PENDING", final)
    token, _ = await _run(checks, clock)
    assert token.status is TokenStatus(final)
    assert checks.asked_at == [5, 10]


async def test_an_already_active_token_is_not_checked() -> None:
    clock = FakeClock()
    checks = Checks(clock, "PENDING")
    active = AccessToken(TOKEN, EXPIRES_MS, TokenStatus.NORMAL)  # "Tokens created in the Sandbox ... NORMAL by default"
    token, polls = await _run(checks, clock, token=active)
    assert token is active
    assert (checks.asked_at, polls) == ([], [])


async def test_a_failed_check_does_not_stop_the_countdown() -> None:
    clock = FakeClock()
    checks = Checks(clock, ServerError("SYSTEM_ERROR", "boom", 500), "NORMAL")
    token, _ = await _run(checks, clock)
    assert token.status is TokenStatus.NORMAL
    assert checks.asked_at == [5, 10]


async def test_a_refused_check_ends_the_wait() -> None:
    clock = FakeClock()
    checks = Checks(clock, AuthenticationError("UNAUTHORIZED", "Header x-signature is invalid.", 401))
    with pytest.raises(AuthenticationError):
        await _run(checks, clock)


async def test_the_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="interval"):
        await wait_for_verification(Checks(FakeClock(), "PENDING"), PENDING, interval=0)
