"""A profile's trading preferences: kept in its ``ui`` map, round-tripped through the profiles file, forgiving."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from terminal.domain.confirmation import DEFAULT_RULES, ConfirmRule
from terminal.storage.profiles import Profile, ProfileStore, default_book
from terminal.storage.trading_prefs import TradingPrefs, read_prefs, with_prefs

D = Decimal


def test_a_profile_without_preferences_reads_as_the_defaults() -> None:
    prefs, problems = read_prefs(Profile("Demo").ui)
    assert prefs == TradingPrefs() and problems == []
    assert prefs.confirm == DEFAULT_RULES


def test_preferences_survive_the_profiles_file_and_keep_other_ui_entries(tmp_path: Path) -> None:
    prefs = TradingPrefs(
        confirm=frozenset({ConfirmRule.MARKET, ConfirmRule.KEYBOARD}),
        default_sizes={"BTCUSDT": D("0.0150"), "ETHUSDT": D("1")},
        shortcuts={"buy": "F9", "sell": ""},
    )
    book = default_book()
    demo = book.get("Demo").with_ui("chart", "kept")
    book = book.update(with_prefs(demo, prefs))
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(book)
    loaded = store.load().get("Demo")
    assert read_prefs(loaded.ui) == (prefs, [])
    assert loaded.ui["chart"] == "kept"
    assert loaded.ui["default_sizes"] == {"BTCUSDT": "0.015", "ETHUSDT": "1"}  # as text: no float on the way


def test_bad_entries_are_dropped_one_by_one_with_sentences() -> None:
    ui = {
        "confirm": ["market", "sometimes"],
        "default_sizes": {"BTCUSDT": "0.01", "ETHUSDT": "-1", "SOLUSDT": "lots", "USDTUSD": 1.5},
        "shortcuts": {"buy": "F9", "sell": 7},
    }
    prefs, problems = read_prefs(ui)
    assert prefs.confirm == {ConfirmRule.MARKET}
    assert prefs.default_sizes == {"BTCUSDT": D("0.01")}
    assert prefs.shortcuts == {"buy": "F9"}
    assert len(problems) == 5
    assert any("'sometimes'" in p for p in problems)
    assert any("ETHUSDT" in p and "not above zero" in p for p in problems)
    assert any("SOLUSDT" in p and "not a number" in p for p in problems)
    assert any("USDTUSD" in p for p in problems)  # a float has lost digits already: refused
    assert any("'sell'" in p for p in problems)


def test_wrong_shapes_reset_that_preference_only() -> None:
    prefs, problems = read_prefs({"confirm": "all", "default_sizes": [1], "shortcuts": "F9"})
    assert prefs == TradingPrefs()
    assert len(problems) == 3
