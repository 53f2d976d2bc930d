"""What a user connects with (venue, hosts, key ID, limits, preferences), never a secret.

DESIGN.md, Storage: "Profiles (venue, host, region, key id, risk limits, not secrets)". The risk
limits themselves are domain rules (terminal/domain/risk.py); RiskLimits is re-exported from here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeAlias, TypeVar
from urllib.parse import urlsplit

import orjson

from terminal.domain.risk import RiskLimits  # also importable from here; the limits live in the domain

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"

MAX_NAME_LENGTH = 64
MAX_KEY_LENGTH = 256
MAX_URL_LENGTH = 2048
RECV_WINDOW_MIN_MS = 1
RECV_WINDOW_MAX_MS = 60_000  # the venue's own bound (terminal/venues/hashkey/transport.py)
DEFAULT_RECV_WINDOW_MS = 5000
# 003: the public app id for testing (as terminal/venues/deriv/endpoints.py, which storage may not import)
DERIV_DEFAULT_APP_ID = 1089
MAX_APP_ID = 2**31 - 1

_E = TypeVar("_E", bound=StrEnum)


class ProfileError(ValueError):
    """A profile or a profile book that cannot be: the message is a sentence for the user."""


class Venue(StrEnum):
    """Venues a profile can point at; Longbridge joins as a member when it exists."""

    DEMO = "demo"  # the built-in exchange, started by the app
    HASHKEY = "hashkey"
    DERIV = "deriv"  # Deriv's WebSocket API: contracts, no order book
    WEBULL = "webull"  # Webull's HTTP OpenAPI: stocks, every request signed, a 2FA access token to trade
    LONGBRIDGE = "longbridge"  # Longbridge OpenAPI: signed REST trading, quotes over the SDK's socket


class Deployment(StrEnum):
    """HashKey deployments (same values as terminal/venues/hashkey/hosts.py, which storage may not import)."""

    PRO = "pro"  # HashKey MENA
    GLOBAL = "glb"  # HashKey Global


class Environment(StrEnum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"


class Region(StrEnum):
    """Webull regions (same values as terminal/venues/webull/hosts.py, which storage may not import)."""

    HK = "hk"  # Webull Securities (Hong Kong): the 2FA access token is mandatory
    US = "us"


class LongbridgeRegion(StrEnum):
    """Longbridge regions (same values as terminal/venues/longbridge/hosts.py, which storage may not import)."""

    GLOBAL = "global"  # https://openapi.longportapp.com
    CHINA = "cn"  # https://openapi.longportapp.cn


class SignatureAlgorithm(StrEnum):
    """How Webull requests are signed (terminal/venues/webull/signing.py; SHA256 is the current SDK's)."""

    HMAC_SHA256 = "HMAC-SHA256"
    HMAC_SHA1 = "HMAC-SHA1"


def _enum_value(kind: type[_E], value: object, what: str) -> _E:
    try:
        if isinstance(value, str):
            return kind(value)
    except ValueError:
        pass
    allowed = ", ".join(f'"{member.value}"' for member in kind)
    raise ProfileError(f"{what} must be one of {allowed}, not {value!r}")


def _check_text(value: object, what: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"{what} must be text, not {type(value).__name__}")
    if not value:
        raise ProfileError(f"{what} is empty")
    if len(value) > max_length:
        raise ProfileError(f"{what} is longer than {max_length} characters")
    if not value.isprintable():
        raise ProfileError(f"{what} {value!r} contains characters that cannot be shown (tabs, line breaks...)")
    if value != value.strip():
        raise ProfileError(f"{what} {value!r} starts or ends with a space")
    return value


def check_name(value: object) -> str:
    """A profile name: non-empty, printable, at most 64 characters, no leading or trailing space."""
    return _check_text(value, "The profile name", MAX_NAME_LENGTH)


def name_key(name: str) -> str:
    """What makes two names the same: Windows' credential store ignores case, so we do too."""
    return name.casefold()


def _check_url(value: object, schemes: tuple[str, ...], what: str) -> str:
    text = _check_text(value, what, MAX_URL_LENGTH)
    wanted = " or ".join(f"{scheme}://" for scheme in schemes)
    if any(character.isspace() for character in text):
        raise ProfileError(f"{what} {text!r} contains a space")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError as error:
        raise ProfileError(f"{what} {text!r} is not a valid URL ({error})") from None
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise ProfileError(f"{what} {text!r} must start with {wanted} and name a host")
    return text


def _check_bare_host(url: str, venue: str = "Webull") -> str:
    """Webull and Longbridge sign the path as the server sees it, so their endpoint may not carry one of its own."""
    parts = urlsplit(url)
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ProfileError(f"The {venue} endpoint {url!r} must be a bare host, without a path (https://host[:port])")
    return url


def _json_copy(value: object, where: str, depth: int = 0) -> JsonValue:
    """A fresh copy of a JSON-compatible value (tuples become lists); anything else is refused."""
    if depth > 64:
        raise ProfileError(f"{where} is nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if not -(2**63) <= value < 2**64:  # orjson's integer range
            raise ProfileError(f"{where} holds an integer too large to save")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ProfileError(f"{where} holds {value}, which JSON cannot store")
        return value
    if isinstance(value, list | tuple):
        return [_json_copy(item, where, depth + 1) for item in value]
    if isinstance(value, Mapping):
        copied: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ProfileError(f"{where} has a key {key!r} that is not text")
            copied[key] = _json_copy(item, where, depth + 1)
        return copied
    raise ProfileError(f"{where} holds a {type(value).__name__}, which is not JSON")


@dataclass(frozen=True, slots=True)
class Profile:
    """One way to connect. ``deployment``/``environment`` pick HashKey's hosts unless both custom URLs are set.

    For the demo venue, the custom URLs (when set) name an already running demo exchange; the
    deployment and environment are ignored. ``api_key`` is the key ID only: the secret lives in
    the keyring (terminal/storage/secrets.py). A Deriv profile has no REST URL: ``stream_url``
    alone (when set) replaces Deriv's WebSocket endpoint, ``app_id`` is the registered app, and
    ``api_key`` names the token (the account's login ID, e.g. VRTC1234567) whose value is in the
    keyring. ``ui`` holds per-profile UI preferences as JSON values; treat it as read-only and use
    ``with_ui`` to change it.

    A Webull profile picks its API host by ``region`` and ``environment``; ``rest_url`` alone (a
    bare host, no path) replaces it. ``api_key`` is the app key, ``algorithm`` what requests are
    signed with, ``account`` the Webull account ID to trade (empty: the first the key sees). The
    app secret and the 2FA access token are in the keyring (secrets.py, ``access_token_key``).

    A Longbridge profile picks its API host by ``longbridge_region``; ``rest_url`` alone (a bare host)
    replaces it and ``stream_url`` alone (ws:// or wss://) replaces the quote socket. ``api_key`` is the
    app key; the app secret and the access token (a JSON record with its expiry) are in the keyring.
    """

    name: str
    venue: Venue = Venue.DEMO
    deployment: Deployment = Deployment.PRO
    environment: Environment = Environment.SANDBOX
    rest_url: str | None = None
    stream_url: str | None = None
    api_key: str = ""
    recv_window: int = DEFAULT_RECV_WINDOW_MS
    app_id: int = DERIV_DEFAULT_APP_ID
    region: Region = Region.HK
    algorithm: SignatureAlgorithm = SignatureAlgorithm.HMAC_SHA256
    account: str = ""
    longbridge_region: LongbridgeRegion = LongbridgeRegion.GLOBAL
    risk: RiskLimits = field(default_factory=RiskLimits)
    ui: Mapping[str, JsonValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_name(self.name)
        object.__setattr__(self, "venue", _enum_value(Venue, self.venue, "The venue"))
        object.__setattr__(self, "deployment", _enum_value(Deployment, self.deployment, "The deployment"))
        object.__setattr__(self, "environment", _enum_value(Environment, self.environment, "The environment"))
        object.__setattr__(self, "region", _enum_value(Region, self.region, "The region"))
        object.__setattr__(
            self, "algorithm", _enum_value(SignatureAlgorithm, self.algorithm, "The signature algorithm")
        )
        object.__setattr__(
            self,
            "longbridge_region",
            _enum_value(LongbridgeRegion, self.longbridge_region, "The Longbridge region"),
        )
        if self.venue is Venue.DERIV:
            if self.rest_url is not None:
                raise ProfileError("A Deriv profile has no REST URL: Deriv speaks only WebSocket")
            if self.stream_url is not None:
                _check_url(self.stream_url, ("ws", "wss"), "The WebSocket endpoint")
        elif self.venue is Venue.WEBULL:
            if self.stream_url is not None:
                raise ProfileError("A Webull profile has no stream URL: set the API endpoint alone")
            if self.rest_url is not None:
                _check_bare_host(_check_url(self.rest_url, ("http", "https"), "The Webull endpoint"))
        elif self.venue is Venue.LONGBRIDGE:
            if self.rest_url is not None:
                _check_bare_host(_check_url(self.rest_url, ("http", "https"), "The Longbridge endpoint"), "Longbridge")
            if self.stream_url is not None:
                _check_url(self.stream_url, ("ws", "wss"), "The Longbridge quote socket")
        elif (self.rest_url is None) != (self.stream_url is None):
            raise ProfileError("Set both the REST URL and the stream URL, or neither")
        elif self.rest_url is not None:
            _check_url(self.rest_url, ("http", "https"), "The REST URL")
            _check_url(self.stream_url, ("ws", "wss"), "The stream URL")
        app_id = self.app_id
        if isinstance(app_id, bool) or not isinstance(app_id, int) or not 1 <= app_id <= MAX_APP_ID:
            raise ProfileError(f"The app ID must be a whole number from 1 to {MAX_APP_ID}, not {app_id!r}")
        if not isinstance(self.api_key, str):
            raise ProfileError(f"The API key ID must be text, not {type(self.api_key).__name__}")
        if self.api_key:
            _check_text(self.api_key, "The API key ID", MAX_KEY_LENGTH)
            # The keyring entry is "<profile>/<key ID>" (secrets.py): a slash or space would make it ambiguous.
            if "/" in self.api_key or any(character.isspace() for character in self.api_key):
                raise ProfileError("The API key ID may not contain a slash or a space")
        if not isinstance(self.account, str):
            raise ProfileError(f"The account ID must be text, not {type(self.account).__name__}")
        if self.account:
            _check_text(self.account, "The account ID", MAX_KEY_LENGTH)
            if any(character.isspace() for character in self.account):
                raise ProfileError("The account ID may not contain a space")
        window = self.recv_window
        if isinstance(window, bool) or not isinstance(window, int):
            raise ProfileError(f"recv_window must be a whole number of milliseconds, not {window!r}")
        if not RECV_WINDOW_MIN_MS <= window <= RECV_WINDOW_MAX_MS:
            raise ProfileError(
                f"recv_window must be between {RECV_WINDOW_MIN_MS} and {RECV_WINDOW_MAX_MS} ms, not {window}"
            )
        if not isinstance(self.risk, RiskLimits):
            raise ProfileError("risk must be a RiskLimits")
        if not isinstance(self.ui, Mapping):
            raise ProfileError("The UI preferences must be a mapping of names to JSON values")
        ui = _json_copy(self.ui, "The UI preferences")
        try:  # the last word on "JSON-serializable" belongs to the encoder that writes the file
            orjson.dumps(ui)
        except orjson.JSONEncodeError as error:
            raise ProfileError(f"The UI preferences cannot be saved ({error})") from None
        object.__setattr__(self, "ui", ui)

    def __hash__(self) -> int:  # equal profiles have equal names; risk and ui hold dicts
        return hash(self.name)

    @property
    def custom_hosts(self) -> tuple[str, str] | None:
        """(REST URL, stream URL) when both are set: they override deployment and environment.

        Always None for Longbridge, whose two overrides stand alone."""
        if self.rest_url is None or self.stream_url is None or self.venue is Venue.LONGBRIDGE:
            return None
        return self.rest_url, self.stream_url

    def with_ui(self, key: str, value: JsonValue) -> Profile:
        """A copy with one UI preference set (e.g. the default order size of a symbol)."""
        return replace(self, ui={**self.ui, key: value})
