"""The keyboard-trading keymap: defaults, a stored key that is not a key, clashes, and what a profile stores."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from terminal.ui.keymap import BY_ID, KEY_ACTIONS, PORTABLE, clashes, parse_keys, resolve, to_stored


def _text(keys: dict[str, QKeySequence]) -> dict[str, str]:
    return {name: sequence.toString(PORTABLE) for name, sequence in keys.items()}


def test_the_defaults_are_distinct_single_keys_for_every_documented_action(qapp: object) -> None:
    ids = {action.id for action in KEY_ACTIONS}
    documented = {"buy", "sell", "cancel_selected", "cancel_all", "kill_switch", "recentre"}
    assert documented | {"next_symbol", "previous_symbol", "next_interval", "previous_interval"} <= ids
    keys, problems = resolve({})
    assert problems == []
    assert _text(keys) == {action.id: action.default for action in KEY_ACTIONS}
    assert len(set(_text(keys).values())) == len(KEY_ACTIONS)


def test_parse_keys_accepts_one_key_or_none_and_refuses_the_rest(qapp: object) -> None:
    assert parse_keys("") == QKeySequence()
    sequence = parse_keys("Ctrl+Alt+B")
    assert sequence is not None and sequence.toString(PORTABLE) == "Ctrl+Alt+B"
    assert parse_keys("Ctrl+Nonsense") is None
    assert parse_keys("Ctrl+B, Ctrl+C") is None  # a chord of two: the editor allows one


def test_a_stored_key_that_is_not_a_key_falls_back_to_the_default(qapp: object) -> None:
    keys, problems = resolve({"buy": "Hyper+Q", "mystery": "F3"})
    assert keys["buy"].toString(PORTABLE) == BY_ID["buy"].default
    assert len(problems) == 2 and "not a key" in problems[0] and "'mystery'" in problems[1]


def test_a_clash_keeps_the_earlier_action_and_the_later_one_gets_its_default_or_none(qapp: object) -> None:
    keys, problems = resolve({"recentre": "F9", "next_symbol": "F9"})
    assert keys["recentre"].toString(PORTABLE) == "F9"
    assert keys["next_symbol"].toString(PORTABLE) == BY_ID["next_symbol"].default
    keys, problems = resolve({"buy": BY_ID["sell"].default})  # sell's default is taken, and sell has no other
    assert keys["buy"].toString(PORTABLE) == BY_ID["sell"].default
    assert keys["sell"].isEmpty()
    assert "cannot have it too" in problems[0]


def test_clashes_name_both_actions(qapp: object) -> None:
    found = clashes({"buy": QKeySequence("F9"), "sell": QKeySequence("F9"), "recentre": QKeySequence()})
    assert list(found) == ["sell"]
    assert '"Buy: send' in found["sell"] and '"Sell: send' in found["sell"]


def test_a_profile_stores_only_the_keys_it_changed(qapp: object) -> None:
    keys, _ = resolve({})
    assert to_stored(keys) == {}
    keys["buy"] = QKeySequence("F9")
    keys["sell"] = QKeySequence()
    assert to_stored(keys) == {"buy": "F9", "sell": ""}
    assert _text(resolve(to_stored(keys))[0]) == _text(keys)
