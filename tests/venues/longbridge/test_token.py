"""The Longbridge access token: expiry, warning, the refresh call and what the app stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from terminal.venues.errors import MalformedResponse, UnknownOutcome
from terminal.venues.longbridge.errors import TokenExpired
from terminal.venues.longbridge.hosts import Hosts
from terminal.venues.longbridge.signing import sign
from terminal.venues.longbridge.token import (
    REFRESH_PATH,
    AccessToken,
    TokenClient,
    default_expiry,
    from_record,
    iso_ms,
    parse_refresh,
    to_record,
)
from terminal.venues.longbridge.transport import RATES, LongbridgeTransport
from terminal.venues.ratelimit import Rate, RateLimiter

OLD = "old-token-abcdef-123456"
NEW = "new-token-zyxwvu-987654"
SECRET = "lb-s3cr3t-s3cr3t-s3cr3t"
ROOMY = {name: Rate(1000, 0.01) for name in RATES}
EXPIRES = datetime(2022, 5, 14, 12, 13, 57, 859000, tzinfo=UTC)
ISSUED = datetime(2022, 4, 14, 12, 13, 57, 859000, tzinfo=UTC)

# refresh-token-api.legacy.md, "Response Example".
DOC_ANSWER = {
    "code": 0,
    "message": "",
    "data": {
        "token": NEW,
        "expired_at": "2022-05-14T12:13:57.859Z",
        "issued_at": "2022-04-14T12:13:57.859Z",
        "account_info": {"member_id": 123, "aaid": 13, "account_channel": "lb"},
    },
}


class Venue:
    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def _transport(venue: Venue) -> LongbridgeTransport:
    return LongbridgeTransport(
        Hosts("https://openapi.longportapp.com"),
        "lb-app-key-0123456789",
        SECRET,
        access_token=OLD,
        clock_ms=lambda: 1700000000000,
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(ROOMY),
        rates=ROOMY,
    )


def test_iso_ms_is_the_documented_form() -> None:
    assert iso_ms(datetime(2023, 4, 14, 12, 13, 57, 859999, tzinfo=UTC)) == "2023-04-14T12:13:57.859Z"
    assert iso_ms(datetime(2023, 4, 14, 20, 13, 57, tzinfo=timezone(timedelta(hours=8)))) == "2023-04-14T12:13:57.000Z"
    with pytest.raises(ValueError):
        iso_ms(datetime(2023, 4, 14))


def test_days_left_and_warning() -> None:
    token = AccessToken(OLD, EXPIRES)
    assert token.days_left(EXPIRES - timedelta(days=30)) == 30
    assert token.days_left(EXPIRES - timedelta(days=13, hours=23)) == 13
    assert token.days_left(EXPIRES + timedelta(hours=1)) == -1
    assert not token.needs_warning(EXPIRES - timedelta(days=15))
    assert token.needs_warning(EXPIRES - timedelta(days=14))
    assert token.needs_warning(EXPIRES - timedelta(days=2))
    assert token.needs_warning(EXPIRES + timedelta(days=1))  # expired: still warn
    assert not token.needs_warning(EXPIRES - timedelta(days=5), warn_days=3)
    assert token.is_expired(EXPIRES) and not token.is_expired(EXPIRES - timedelta(seconds=1))


def test_expiry_text() -> None:
    token = AccessToken(OLD, EXPIRES)
    assert token.expiry_text(EXPIRES - timedelta(days=12, hours=1)) == "expires 2022-05-14 (in 12 days)"
    assert token.expiry_text(EXPIRES - timedelta(days=1, hours=1)) == "expires 2022-05-14 (in 1 day)"
    assert token.expiry_text(EXPIRES - timedelta(hours=1)) == "expires 2022-05-14 (today)"
    assert token.expiry_text(EXPIRES) == "expired 2022-05-14"


def test_repr_hides_the_token() -> None:
    assert OLD not in repr(AccessToken(OLD, EXPIRES, ISSUED))


def test_parse_refresh_reads_the_documented_answer() -> None:
    token = parse_refresh(DOC_ANSWER["data"])
    assert token == AccessToken(NEW, EXPIRES, ISSUED)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"expired_at": "2022-05-14T12:13:57.859Z"},
        {"token": NEW},
        {"token": NEW, "expired_at": "next month"},
        {"token": NEW, "expired_at": "2022-05-14T12:13:57"},  # no zone
        {"token": "  ", "expired_at": "2022-05-14T12:13:57.859Z"},
    ],
)
def test_a_bad_refresh_answer_is_malformed(data: object) -> None:
    with pytest.raises(MalformedResponse):
        parse_refresh(data)


async def test_refresh_sends_the_documented_call_and_sets_the_new_token() -> None:
    venue = Venue(httpx.Response(200, json=DOC_ANSWER), httpx.Response(200, json={"code": 0, "data": {}}))
    transport = _transport(venue)
    async with transport:
        token = await TokenClient(transport).refresh(EXPIRES)
        await transport.request("GET", "/v1/asset/cash", idempotent=True)
    assert token == AccessToken(NEW, EXPIRES, ISSUED)
    assert transport.access_token == NEW
    refresh, after = venue.requests
    assert refresh.method == "GET"
    assert refresh.url.raw_path == f"{REFRESH_PATH}?expired_at=2022-05-14T12:13:57.859Z".encode()
    assert refresh.headers["authorization"] == OLD
    path, _, query = refresh.url.raw_path.decode().partition("?")
    assert refresh.headers["x-api-signature"] == sign(
        "GET", path, query, None, OLD, "lb-app-key-0123456789", SECRET, refresh.headers["x-timestamp"]
    )
    assert after.headers["authorization"] == NEW


async def test_a_lost_refresh_answer_is_an_unknown_outcome_sent_once() -> None:
    venue = Venue(httpx.ReadTimeout("timed out"))
    transport = _transport(venue)
    async with transport:
        with pytest.raises(UnknownOutcome):
            await TokenClient(transport).refresh(EXPIRES)
    assert len(venue.requests) == 1
    assert transport.access_token == OLD


async def test_refresh_with_an_expired_token_raises_token_expired() -> None:
    venue = Venue(httpx.Response(401, json={"code": 401003, "message": "token expired"}))
    transport = _transport(venue)
    async with transport:
        with pytest.raises(TokenExpired):
            await TokenClient(transport).refresh(EXPIRES)
    assert transport.access_token == OLD


def test_the_stored_record_round_trips() -> None:
    for token in (AccessToken(NEW, EXPIRES, ISSUED), AccessToken(NEW, EXPIRES)):
        assert from_record(to_record(token)) == token
    with pytest.raises(MalformedResponse):
        from_record("not json")
    with pytest.raises(MalformedResponse):
        from_record("[]")


def test_default_expiry_is_three_months() -> None:
    assert default_expiry(ISSUED) == ISSUED + timedelta(days=90)
