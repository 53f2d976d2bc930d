"""Where Deriv is reached: the WebSocket address with its app id and language, and the OAuth page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from terminal.domain.intervals import Interval

# "wss://ws.derivws.com/websockets/v3?app_id=1089" (core-concepts/websocket): "leave as 1089 for testing".
DEFAULT_WS_URL = "wss://ws.derivws.com/websockets/v3"
DEFAULT_APP_ID = 1089
DEFAULT_LANGUAGE = "EN"
# "direct users to https://oauth.deriv.com/oauth2/authorize?app_id=your_app_id" (authorization page);
# "append the language code to the OAuth URL ... &l=ZH_CN" (003).
OAUTH_URL = "https://oauth.deriv.com/oauth2/authorize"

# ticks_history.granularity (send.json) accepts 60, 120, 180, 300, 600, 900, 1800, 3600, 7200, 14400,
# 28800 and 86400 seconds; these are the ones that are one of the terminal's intervals.
GRANULARITY: dict[Interval, int] = {
    Interval.M1: 60,
    Interval.M3: 180,
    Interval.M5: 300,
    Interval.M15: 900,
    Interval.M30: 1800,
    Interval.H1: 3600,
    Interval.H2: 7200,
    Interval.H4: 14400,
    Interval.H8: 28800,
    Interval.D1: 86400,
}
INTERVALS: tuple[Interval, ...] = tuple(GRANULARITY)


def _with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` set in its query (replacing any of the same name, keeping the others)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def stream_url(ws_url: str, app_id: int, language: str = DEFAULT_LANGUAGE) -> str:
    """The address to connect to: ``ws_url?app_id=..&l=..``."""
    return _with_query(ws_url, app_id=str(app_id), l=language)


def oauth_url(app_id: int, language: str | None = None) -> str:
    """The page where a user logs in and the venue redirects back with the account tokens."""
    if language:
        return _with_query(OAUTH_URL, app_id=str(app_id), l=language)
    return _with_query(OAUTH_URL, app_id=str(app_id))
