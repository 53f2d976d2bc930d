"""From a Longbridge profile to a venue: secret and token record from the keyring, errors in words, the
expiry warning, the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from terminal.app.connect import longbridge_connection
from terminal.app.main import parse_args
from terminal.app.run import COMMAND_LINE_PROFILE, _command_line_profile
from terminal.storage.profiles import Profile, Venue
from terminal.storage.secrets import SecretStore, access_token_key
from terminal.ui.dialogs.longbridge_setup import expiry_line, expiry_warning
from terminal.venues.longbridge.token import AccessToken, to_record
from terminal.venues.longbridge.venue import LongbridgeVenue
from tests.support.keyring import MemoryKeyring

NOW = datetime(2027, 1, 1, tzinfo=UTC)
PROFILE = Profile(
    "LB", Venue.LONGBRIDGE, api_key="AK-1", rest_url="http://127.0.0.1:8123", stream_url="ws://127.0.0.1:9000"
)


def _secrets(days: float | None = 60, record: str | None = None) -> SecretStore:
    secrets = SecretStore(MemoryKeyring())
    secrets.set("LB", "AK-1", "the-secret")
    if record is not None:
        secrets.set("LB", access_token_key("AK-1"), record)
    elif days is not None:
        secrets.set("LB", access_token_key("AK-1"), to_record(AccessToken("tok", NOW + timedelta(days=days))))
    return secrets


def test_the_venue_is_built_from_the_keyring() -> None:
    connection = longbridge_connection(PROFILE, _secrets(), None, now=NOW)
    venue = connection.venue
    assert isinstance(venue, LongbridgeVenue)
    assert venue.token.token == "tok" and venue.token.expires_at == NOW + timedelta(days=60)
    assert venue.transport.hosts.api_url == "http://127.0.0.1:8123"
    market = venue.quotes
    assert (market._http_url, market._quote_ws_url, market._token) == (  # type: ignore[attr-defined]
        "http://127.0.0.1:8123",
        "ws://127.0.0.1:9000",
        "tok",
    )
    assert connection.notice == "" and "http://127.0.0.1:8123" in connection.description


def test_a_token_due_within_14_days_comes_with_a_notice() -> None:
    connection = longbridge_connection(PROFILE, _secrets(days=5), None, now=NOW)
    assert "expires 2027-01-06 (in 5 days)" in connection.notice and "Refresh access token" in connection.notice


def test_a_given_token_wins_over_the_keyring() -> None:
    given = AccessToken("cli-token", NOW + timedelta(days=90))
    connection = longbridge_connection(PROFILE, _secrets(days=None), "cli-secret", given, now=NOW)
    assert connection.venue.token is given  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("profile", "secrets", "words"),
    [
        (Profile("LB", Venue.LONGBRIDGE), None, "has no app key"),
        (PROFILE, SecretStore(MemoryKeyring()), "no app secret for Longbridge app key"),
        (PROFILE, "no token", "no Longbridge access token for LB"),
        (PROFILE, "unreadable", "cannot be read"),
        (PROFILE, "expired", "expired on 2026-12-31: create a new access token on Longbridge's developer site"),
    ],
)
def test_what_is_missing_is_said_in_words(profile: Profile, secrets: object, words: str) -> None:
    store = {
        "no token": _secrets(days=None),
        "unreadable": _secrets(record="not json"),
        "expired": _secrets(days=-1),
    }.get(secrets if isinstance(secrets, str) else "", secrets if isinstance(secrets, SecretStore) else _secrets())
    with pytest.raises(ValueError) as caught:
        longbridge_connection(profile, store, None, now=NOW)
    assert words in str(caught.value)


def test_the_expiry_line_turns_to_a_warning_within_14_days() -> None:
    token = AccessToken("tok", NOW + timedelta(days=84))
    line = expiry_line(token, NOW)
    assert line.text == "Longbridge · token expires 2027-03-26 (in 84 days)" and not line.warn
    assert not expiry_line(token, NOW + timedelta(days=69)).warn  # 15 days left
    assert expiry_line(token, NOW + timedelta(days=70)).warn  # 14 days left
    assert expiry_line(token, NOW + timedelta(days=90)).text == "Longbridge · token expired 2027-03-26"
    assert "cannot be refreshed" in expiry_warning(token, NOW + timedelta(days=80))


def test_the_command_line_attaches_to_a_longbridge_host() -> None:
    args = parse_args(
        ["--longbridge-url", "http://127.0.0.1:8123", "--api-key", "AK1", "--longbridge-quote-url", "ws://h:9"]
    )
    profile = _command_line_profile(args)
    assert profile is not None
    assert (profile.name, profile.venue, profile.rest_url, profile.stream_url, profile.api_key) == (
        COMMAND_LINE_PROFILE,
        Venue.LONGBRIDGE,
        "http://127.0.0.1:8123",
        "ws://h:9",
        "AK1",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--longbridge-url", "http://h"], "--longbridge-url needs --api-key"),
        (["--longbridge-url", "http://h", "--webull-url", "http://h", "--api-key", "A"], "cannot go together"),
        (["--longbridge-quote-url", "ws://h"], "--longbridge-quote-url needs --longbridge-url"),
    ],
)
def test_bad_longbridge_flags_are_refused(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(argv)
    assert message in capsys.readouterr().err
