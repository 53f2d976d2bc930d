"""A profile's trading preferences: which orders to confirm, default order sizes, keyboard shortcuts.

They live in the profile's ``ui`` map (profile_model.py), so each profile keeps its own: a demo
profile may trade on single keys while a real one confirms every order. Reading is forgiving: a
bad entry is dropped with a sentence, never the whole profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.domain.confirmation import DEFAULT_RULES, ConfirmRule
from terminal.domain.decimals import DecimalParseError, parse_decimal, to_plain
from terminal.storage.profile_model import JsonValue, Profile

CONFIRM, SIZES, KEYS = "confirm", "default_sizes", "shortcuts"
MAX_SHORTCUT_LENGTH = 64


@dataclass(frozen=True, slots=True)
class TradingPrefs:
    confirm: frozenset[ConfirmRule] = DEFAULT_RULES
    default_sizes: Mapping[str, Decimal] = field(default_factory=dict)  # symbol -> quantity, > 0
    shortcuts: Mapping[str, str] = field(default_factory=dict)  # action id -> portable key text; "" = none


def read_prefs(ui: Mapping[str, JsonValue]) -> tuple[TradingPrefs, list[str]]:
    """The preferences stored in a profile's ``ui`` map, and a sentence for each entry that was dropped."""
    problems: list[str] = []
    return TradingPrefs(
        _confirm(ui.get(CONFIRM), problems), _sizes(ui.get(SIZES), problems), _keys(ui.get(KEYS), problems)
    ), problems


def with_prefs(profile: Profile, prefs: TradingPrefs) -> Profile:
    """A copy of ``profile`` holding ``prefs`` (the other UI preferences are kept)."""
    confirm: list[JsonValue] = [rule.value for rule in ConfirmRule if rule in prefs.confirm]
    sizes: dict[str, JsonValue] = {symbol: to_plain(size) for symbol, size in sorted(prefs.default_sizes.items())}
    keys: dict[str, JsonValue] = dict(sorted(prefs.shortcuts.items()))
    return profile.with_ui(CONFIRM, confirm).with_ui(SIZES, sizes).with_ui(KEYS, keys)


def _confirm(raw: JsonValue, problems: list[str]) -> frozenset[ConfirmRule]:
    if raw is None:
        return DEFAULT_RULES
    if not isinstance(raw, list):
        problems.append(f'The order confirmations were reset: "{CONFIRM}" should be a list, not {raw!r}.')
        return DEFAULT_RULES
    rules: set[ConfirmRule] = set()
    for item in raw:
        try:
            rules.add(ConfirmRule(str(item)))
        except ValueError:
            problems.append(f"The unknown order confirmation {item!r} was dropped.")
    return frozenset(rules)


def _sizes(raw: JsonValue, problems: list[str]) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f'The default order sizes were reset: "{SIZES}" should be an object, not {raw!r}.')
        return {}
    sizes: dict[str, Decimal] = {}
    for symbol, value in raw.items():
        try:
            size = parse_decimal(value, field="it")
        except DecimalParseError as error:
            problems.append(f"The default size of {symbol} was dropped: {error}.")
            continue
        if size <= 0:
            problems.append(f"The default size of {symbol} was dropped: {to_plain(size)} is not above zero.")
            continue
        sizes[symbol] = size
    return sizes


def _keys(raw: JsonValue, problems: list[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f'The keyboard shortcuts were reset: "{KEYS}" should be an object, not {raw!r}.')
        return {}
    keys: dict[str, str] = {}
    for action, value in raw.items():
        if not isinstance(value, str) or len(value) > MAX_SHORTCUT_LENGTH:
            problems.append(f"The shortcut of {action!r} was reset: {value!r} is not a key sequence.")
            continue
        keys[action] = value
    return keys
