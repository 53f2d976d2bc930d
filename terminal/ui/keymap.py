"""The keyboard-first trading keys: what each does, its default, and turning a profile's choices into keys.

Defaults use deliberate chords (Ctrl+Shift for anything that sends or cancels) so that a stray
key never trades; every one can be changed per profile in Settings ▸ Shortcuts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

PORTABLE = QKeySequence.SequenceFormat.PortableText
NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True, slots=True)
class KeyAction:
    id: str  # stored in the profile; never rename
    label: str
    default: str  # portable text ("Ctrl+Shift+B")


KEY_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("buy", "Buy: send the ticket's order as a buy", "Ctrl+Shift+B"),
    KeyAction("sell", "Sell: send the ticket's order as a sell", "Ctrl+Shift+S"),
    KeyAction("cancel_selected", "Cancel the selected open orders", "Ctrl+Del"),
    KeyAction("cancel_all", "Cancel all orders on the active symbol", "Ctrl+Shift+X"),
    KeyAction("kill_switch", "Kill switch: cancel everything, disarm one-click", "Ctrl+Shift+K"),
    KeyAction("focus_ticket", "Go to the ticket's quantity", "F2"),
    KeyAction("recentre", "Re-centre the ladder on the mid", "Ctrl+Shift+C"),
    KeyAction("next_symbol", "Next symbol (markets list order)", "Ctrl+PgDown"),
    KeyAction("previous_symbol", "Previous symbol", "Ctrl+PgUp"),
    KeyAction("next_interval", "Next chart interval (longer)", "Alt+Right"),
    KeyAction("previous_interval", "Previous chart interval (shorter)", "Alt+Left"),
)
BY_ID = {action.id: action for action in KEY_ACTIONS}


def parse_keys(text: str) -> QKeySequence | None:
    """One key sequence from portable text ("" is no key); None when Qt does not understand it."""
    if not text:
        return QKeySequence()
    sequence = QKeySequence.fromString(text, PORTABLE)
    if sequence.isEmpty() or sequence.count() != 1 or sequence.toString(PORTABLE) == "":
        return None
    return sequence


def resolve(stored: Mapping[str, str]) -> tuple[dict[str, QKeySequence], list[str]]:
    """Each action's key: the stored one when valid and not taken, else its default; and why any was not used.

    A stored key that clashes with another action's key is dropped for both's sake: the earlier
    action in ``KEY_ACTIONS`` keeps it, the later one falls back to its default (or none, if that
    too is taken).
    """
    problems: list[str] = []
    chosen: dict[str, QKeySequence] = {}
    for action in KEY_ACTIONS:
        text = stored.get(action.id, action.default)
        sequence = parse_keys(text)
        if sequence is None:
            problems.append(f'The shortcut "{text}" of "{action.label}" is not a key; the default is used.')
            sequence = QKeySequence(action.default)
        chosen[action.id] = sequence
    for action_id, problem in clashes(chosen).items():
        problems.append(problem)
        fallback = QKeySequence(BY_ID[action_id].default)
        taken = any(k == fallback for other, k in chosen.items() if other != action_id)
        chosen[action_id] = QKeySequence() if taken else fallback
    unknown = sorted(set(stored) - set(BY_ID))
    problems += [f"The shortcut for an unknown action {name!r} was ignored." for name in unknown]
    return chosen, problems


def clashes(keys: Mapping[str, QKeySequence]) -> dict[str, str]:
    """The actions whose key another action earlier in ``KEY_ACTIONS`` already has, with a sentence each."""
    owner: dict[str, str] = {}
    found: dict[str, str] = {}
    for action in KEY_ACTIONS:
        sequence = keys.get(action.id)
        if sequence is None or sequence.isEmpty():
            continue
        text = sequence.toString(PORTABLE)
        if text in owner:
            first = BY_ID[owner[text]].label
            found[action.id] = f'{sequence.toString(NATIVE)} is already "{first}"; "{action.label}" cannot have it too.'
        else:
            owner[text] = action.id
    return found


def to_stored(keys: Mapping[str, QKeySequence]) -> dict[str, str]:
    """What a profile stores: only the keys that differ from the defaults (so new defaults reach old profiles)."""
    return {
        action.id: keys[action.id].toString(PORTABLE)
        for action in KEY_ACTIONS
        if action.id in keys and keys[action.id].toString(PORTABLE) != QKeySequence(action.default).toString(PORTABLE)
    }
