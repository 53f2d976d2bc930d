"""The WebSocket and OAuth addresses: app id and language in the query, whatever the base address holds."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from terminal.domain.intervals import Interval
from terminal.venues.deriv.endpoints import (
    DEFAULT_APP_ID,
    DEFAULT_WS_URL,
    GRANULARITY,
    INTERVALS,
    OAUTH_URL,
    oauth_url,
    stream_url,
)


def test_defaults_are_the_documented_ones() -> None:
    assert DEFAULT_WS_URL == "wss://ws.derivws.com/websockets/v3"
    assert DEFAULT_APP_ID == 1089
    assert OAUTH_URL == "https://oauth.deriv.com/oauth2/authorize"


def test_stream_url_appends_app_id_and_language() -> None:
    assert stream_url(DEFAULT_WS_URL, 1089) == "wss://ws.derivws.com/websockets/v3?app_id=1089&l=EN"
    assert (
        stream_url("ws://127.0.0.1:8765/websockets/v3", 42, "DE") == "ws://127.0.0.1:8765/websockets/v3?app_id=42&l=DE"
    )


def test_stream_url_keeps_other_parameters_and_replaces_its_own() -> None:
    url = stream_url("wss://example.test/websockets/v3?brand=deriv&app_id=1&l=FR", 1089, "EN")
    parts = urlsplit(url)
    assert parts.path == "/websockets/v3"
    assert parse_qs(parts.query) == {"brand": ["deriv"], "app_id": ["1089"], "l": ["EN"]}


def test_oauth_url() -> None:
    assert oauth_url(1089) == "https://oauth.deriv.com/oauth2/authorize?app_id=1089"
    assert oauth_url(1089, "ZH_CN") == "https://oauth.deriv.com/oauth2/authorize?app_id=1089&l=ZH_CN"


def test_granularities_are_the_schemas_and_match_the_intervals() -> None:
    allowed = {60, 120, 180, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400}  # ticks_history send.json
    assert set(GRANULARITY.values()) <= allowed
    for interval, seconds in GRANULARITY.items():
        assert interval.nominal_ms == seconds * 1000
    assert INTERVALS == (
        Interval.M1, Interval.M3, Interval.M5, Interval.M15, Interval.M30,
        Interval.H1, Interval.H2, Interval.H4, Interval.H8, Interval.D1,
    )  # fmt: skip
