"""Client requests of the public streams, parsed and checked (004, "Public Market Data Stream")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import orjson

from terminal.demo.errors import MESSAGES
from terminal.domain.intervals import Interval

V1_TOPICS = frozenset({"kline", "realtimes", "trade", "depth"})
V2_TOPICS = frozenset({"kline", "realtimes", "trade", "depth", "bbo"})
EVENTS = frozenset({"sub", "cancel", "cancel_all"})


class RequestError(Exception):
    def __init__(self, code: str, msg: str, echo: dict[str, Any] | None = None) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.echo = echo or {}


def bad_request(echo: dict[str, Any] | None = None) -> RequestError:
    return RequestError("-1004", "Bad request", echo)


def missing(name: str, echo: dict[str, Any]) -> RequestError:
    return RequestError("0001", MESSAGES["0001"] % name, echo)


def illegal(name: str, echo: dict[str, Any]) -> RequestError:
    return RequestError("-1130", MESSAGES["-1130"] % f"'{name}'", echo)


def unknown_symbol(symbol: str, echo: dict[str, Any]) -> RequestError:
    return RequestError("0201", MESSAGES["0201"], {**echo, "symbol": symbol})


def unsupported(echo: dict[str, Any]) -> RequestError:
    # 004, "Error Codes": -1020 "Unsupported operation". Zipped binary pushes are not served.
    return RequestError("-1020", "Unsupported operation", echo)


@dataclass(frozen=True, slots=True)
class Ping:
    pass


@dataclass(frozen=True, slots=True)
class Ignored:
    """A message that needs no answer (a client's pong)."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """A sub, cancel or cancel_all: ``symbols`` known to the exchange, ``refused`` the others."""

    event: str
    topic: str = ""
    symbols: tuple[str, ...] = ()
    interval: Interval | None = None
    echo: dict[str, Any] = field(default_factory=dict)
    refused: tuple[RequestError, ...] = ()


Request = Ping | Ignored | Subscription


def decode(text: str) -> dict[str, Any]:
    try:
        message = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise bad_request() from None
    if not isinstance(message, dict):
        raise bad_request()
    return message


def parse_v1(text: str, known: Collection[str]) -> Request:
    """{"symbol": "BTCUSDT", "topic": "kline_1m", "event": "sub", "params": {"binary": false}, "id": 1}.

    Several symbols may be given comma-separated. Events: "sub", "cancel", and "cancel_all" (as the
    document's sample client sends it). A refused request raises ``RequestError`` with the venue's code.
    """
    message = decode(text)
    if "ping" in message:
        return Ping()
    if "pong" in message:
        return Ignored()
    echo = _echo(message, ("symbol", "topic", "event", "params", "id"))
    event = _event(message, echo)
    if event == "cancel_all":
        return Subscription(event, echo=echo)
    params = message.get("params", {})
    if not isinstance(params, dict):
        raise illegal("params", echo)
    if params.get("binary") in (True, "true"):
        raise unsupported(echo)
    topic, interval = _v1_topic(message.get("topic"), echo)
    raw = message.get("symbol")
    if not isinstance(raw, str) or not raw.strip():
        raise missing("symbol", echo)
    names = [name.strip() for name in raw.split(",") if name.strip()]
    symbols = tuple(name for name in names if name in known)
    refused = tuple(unknown_symbol(name, echo) for name in names if name not in known)
    return Subscription(event, topic, symbols, interval, echo, refused)


def parse_v2(text: str, known: Collection[str]) -> Request:
    """{"topic": "kline", "event": "sub", "params": {"symbol": "BTCUSDT", "klineType": "1m"}}."""
    message = decode(text)
    if "ping" in message:
        return Ping()
    if "pong" in message:
        return Ignored()
    echo = _echo(message, ("topic", "event", "params", "id"))
    event = _event(message, echo)
    if event == "cancel_all":
        return Subscription(event, echo=echo)
    topic = message.get("topic")
    if not isinstance(topic, str) or not topic:
        raise missing("topic", echo)
    if topic not in V2_TOPICS:
        raise illegal("topic", echo)
    params = message.get("params")
    if not isinstance(params, dict):
        raise missing("params", echo)
    symbol = params.get("symbol")
    if not isinstance(symbol, str) or not symbol:
        raise missing("symbol", echo)
    interval = None
    if topic == "kline":
        kline_type = params.get("klineType")
        if not isinstance(kline_type, str) or not kline_type:
            raise missing("klineType", echo)
        interval = _interval(kline_type)
        if interval is None:
            raise illegal("klineType", echo)
    if symbol not in known:
        return Subscription(event, topic, (), interval, echo, (unknown_symbol(symbol, echo),))
    return Subscription(event, topic, (symbol,), interval, echo)


def _echo(message: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The request's own fields, for its error answer."""
    return {name: message[name] for name in names if name in message}


def _event(message: dict[str, Any], echo: dict[str, Any]) -> str:
    event = message.get("event")
    if not isinstance(event, str) or not event:
        raise missing("event", echo)
    if event not in EVENTS:
        raise illegal("event", echo)
    return event


def _v1_topic(topic: object, echo: dict[str, Any]) -> tuple[str, Interval | None]:
    if not isinstance(topic, str) or not topic:
        raise missing("topic", echo)
    if topic.startswith("kline_"):
        interval = _interval(topic.removeprefix("kline_"))
        if interval is None:
            raise illegal("topic", echo)
        return "kline", interval
    if topic not in V1_TOPICS or topic == "kline":
        raise illegal("topic", echo)
    return topic, None


def _interval(value: str) -> Interval | None:
    try:
        return Interval(value)
    except ValueError:
        return None
