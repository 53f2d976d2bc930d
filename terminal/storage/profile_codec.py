"""The profiles file format (version 1): JSON with a fixed key order, Decimals written as strings.

Decoding is forgiving per profile (a bad one is skipped with a sentence) and strict per document.
Fields added later within version 1 are optional: an older file without them reads as the defaults
(the risk "actions" and "cancel_on_disconnect_s"; Webull's "region", "algorithm" and "account";
Longbridge's "longbridge_region").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import orjson

from terminal.domain.decimals import DecimalParseError, parse_decimal, to_plain
from terminal.domain.risk import RiskLimit, RiskLimits, RiskLimitsError
from terminal.storage.profile_book import ProfileBook
from terminal.storage.profile_model import (
    DEFAULT_RECV_WINDOW_MS,
    DERIV_DEFAULT_APP_ID,
    Deployment,
    Environment,
    JsonValue,
    LongbridgeRegion,
    Profile,
    ProfileError,
    Region,
    SignatureAlgorithm,
    name_key,
)

FORMAT_VERSION = 1
_BOM = b"\xef\xbb\xbf"  # an editor's byte-order mark is not a reason to throw the file away


class DocumentError(Exception):
    """The whole file is unusable; the message completes the sentence "The profiles file <path> ..."."""


class NewerFormatError(Exception):
    """The file was written by a newer version of the terminal, in a format this one does not know."""

    def __init__(self, version: int) -> None:
        super().__init__(f"format version {version}")
        self.version = version


@dataclass(frozen=True, slots=True)
class Decoded:
    """The usable part of a file: valid profiles in order, and a sentence for everything dropped."""

    profiles: tuple[Profile, ...]
    last_used: str | None
    problems: list[str] = field(default_factory=list)


def encode_book(book: ProfileBook) -> bytes:
    document: dict[str, JsonValue] = {
        "version": FORMAT_VERSION,
        "last_used": book.last_used,
        "profiles": [encode_profile(profile) for profile in book.profiles],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def encode_profile(profile: Profile) -> dict[str, JsonValue]:
    risk = profile.risk
    return {
        "name": profile.name,
        "venue": profile.venue.value,
        "deployment": profile.deployment.value,
        "environment": profile.environment.value,
        "rest_url": profile.rest_url,
        "stream_url": profile.stream_url,
        "api_key": profile.api_key,
        "recv_window": profile.recv_window,
        "app_id": profile.app_id,
        "region": profile.region.value,
        "algorithm": profile.algorithm.value,
        "account": profile.account,
        "longbridge_region": profile.longbridge_region.value,
        "risk": {
            "max_order_notional": _plain(risk.max_order_notional),
            "max_quantity_per_symbol": {
                symbol: to_plain(quantity) for symbol, quantity in sorted(risk.max_quantity_per_symbol.items())
            },
            "max_price_distance_pct": _plain(risk.max_price_distance_pct),
            "max_open_orders": risk.max_open_orders,
            "actions": {limit.value: risk.action(limit).value for limit in RiskLimit},
            "cancel_on_disconnect_s": risk.cancel_on_disconnect_s,
        },
        "ui": _sorted(dict(profile.ui)),
    }


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else to_plain(value)


def _sorted(value: JsonValue) -> JsonValue:
    """User-made maps (UI preferences) get sorted keys so that the file does not churn between saves."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def decode_book(data: bytes) -> Decoded:
    """Decode a whole file. Raises DocumentError or NewerFormatError; a bad profile only adds a problem."""
    try:
        top = orjson.loads(data.removeprefix(_BOM))
    except orjson.JSONDecodeError as error:
        raise DocumentError(f"is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})") from None
    if not isinstance(top, dict):
        raise DocumentError(f"holds a JSON {_json_kind(top)} instead of an object")
    version = top.get("version")
    if version is None:
        raise DocumentError('has no "version"')
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DocumentError(f'has an unknown "version" {version!r}')
    if version > FORMAT_VERSION:
        raise NewerFormatError(version)
    raw_profiles = top.get("profiles")
    if not isinstance(raw_profiles, list):
        raise DocumentError(f'has no list of "profiles" (found {_json_kind(raw_profiles)})')
    if not raw_profiles:
        raise DocumentError("holds no profiles")
    problems: list[str] = []
    profiles: list[Profile] = []
    taken: dict[str, str] = {}
    for number, raw in enumerate(raw_profiles, start=1):
        label = _label(number, raw)
        try:
            profile = decode_profile(raw)
        except ProfileError as error:
            problems.append(f"{label} was skipped: {_sentence(str(error))}")
            continue
        key = name_key(profile.name)
        if key in taken:
            problems.append(f'{label} was skipped: its name repeats the profile "{taken[key]}" before it.')
            continue
        taken[key] = profile.name
        profiles.append(profile)
    last_used = top.get("last_used")
    if last_used is not None and not isinstance(last_used, str):
        problems.append(f'The last used profile was forgotten: "last_used" should be a name, not {last_used!r}.')
        last_used = None
    if last_used is not None and name_key(last_used) not in taken:
        last_used = None  # e.g. a skipped profile, already reported
    return Decoded(tuple(profiles), last_used, problems)


def decode_profile(raw: object) -> Profile:
    if not isinstance(raw, dict):
        raise ProfileError(f"it is a JSON {_json_kind(raw)}, not an object")
    if "name" not in raw:
        raise ProfileError("it has no name")
    if "venue" not in raw:
        raise ProfileError("it has no venue")
    risk = raw.get("risk", {})
    if not isinstance(risk, dict):
        raise ProfileError(f'"risk" should be an object, not {_json_kind(risk)}')
    ui = raw.get("ui", {})
    if not isinstance(ui, dict):
        raise ProfileError(f'"ui" should be an object, not {_json_kind(ui)}')
    return Profile(
        name=_text(raw, "name"),
        venue=raw["venue"],
        deployment=raw.get("deployment", Deployment.PRO),
        environment=raw.get("environment", Environment.SANDBOX),
        rest_url=_optional_text(raw, "rest_url"),
        stream_url=_optional_text(raw, "stream_url"),
        api_key=_text(raw, "api_key", ""),
        recv_window=_whole(raw, "recv_window", DEFAULT_RECV_WINDOW_MS),
        app_id=_whole(raw, "app_id", DERIV_DEFAULT_APP_ID),
        region=raw.get("region", Region.HK),
        algorithm=raw.get("algorithm", SignatureAlgorithm.HMAC_SHA256),
        account=_text(raw, "account", ""),
        longbridge_region=raw.get("longbridge_region", LongbridgeRegion.GLOBAL),
        risk=_decode_risk(risk),
        ui=ui,
    )


def _decode_risk(raw: Mapping[str, object]) -> RiskLimits:
    quantities = raw.get("max_quantity_per_symbol") or {}
    if not isinstance(quantities, dict):
        raise ProfileError(f'"max_quantity_per_symbol" should be an object, not {_json_kind(quantities)}')
    max_open_orders = raw.get("max_open_orders")
    if max_open_orders is not None and (isinstance(max_open_orders, bool) or not isinstance(max_open_orders, int)):
        raise ProfileError(f'"max_open_orders" should be a whole number, not {max_open_orders!r}')
    actions = raw.get("actions") or {}
    if not isinstance(actions, dict):
        raise ProfileError(f'"actions" should be an object, not {_json_kind(actions)}')
    seconds = raw.get("cancel_on_disconnect_s")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)):
        raise ProfileError(f'"cancel_on_disconnect_s" should be a whole number of seconds or null, not {seconds!r}')
    try:
        return RiskLimits(
            max_order_notional=_optional_decimal(raw.get("max_order_notional"), "max_order_notional"),
            max_quantity_per_symbol={
                str(symbol): _decimal(quantity, f"max_quantity_per_symbol[{symbol}]")
                for symbol, quantity in quantities.items()
            },
            max_price_distance_pct=_optional_decimal(raw.get("max_price_distance_pct"), "max_price_distance_pct"),
            max_open_orders=max_open_orders,
            actions=actions,
            cancel_on_disconnect_s=seconds,
        )
    except RiskLimitsError as error:  # the reader of the file is told the same way as for any bad profile
        raise ProfileError(str(error)) from None


def _text(raw: Mapping[str, object], key: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise ProfileError(f'"{key}" should be text, not {value!r}')
    return value


def _optional_text(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None or value == "" else _text(raw, key)


def _whole(raw: Mapping[str, object], key: str, default: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProfileError(f'"{key}" should be a whole number, not {value!r}')
    return value


def _decimal(value: object, what: str) -> Decimal:
    # Written as strings; a number typed by hand is read through its text so that 0.1 stays 0.1.
    try:
        return parse_decimal(repr(value) if isinstance(value, float) else value, field=f'"{what}"')
    except DecimalParseError as error:
        raise ProfileError(str(error)) from None


def _optional_decimal(value: object, what: str) -> Decimal | None:
    return None if value is None else _decimal(value, what)


def _label(number: int, raw: object) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    if isinstance(name, str) and name and name.isprintable() and len(name) <= 64:
        return f'Profile {number} ("{name}")'
    return f"Profile {number}"


def _sentence(text: str) -> str:
    """An error message as the end of "... was skipped: <text>." ("The venue" becomes "the venue", "REST" stays)."""
    if len(text) > 1 and text[0].isupper() and (text[1].islower() or text[1] == " "):
        text = text[0].lower() + text[1:]
    return text if text.endswith(".") else f"{text}."


def _json_kind(value: object) -> str:
    kinds: tuple[tuple[type, str], ...] = (
        (bool, "true/false"),
        (dict, "object"),
        (list, "list"),
        (str, "text"),
        (int, "number"),
        (float, "number"),
    )
    if value is None:
        return "null"
    return next((kind for python_type, kind in kinds if isinstance(value, python_type)), type(value).__name__)
