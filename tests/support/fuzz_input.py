"""What a trader might type or paste into a numeric field, and entering it as keys or a paste.

Values worth trying (tick, step, the instrument's bounds, prices around the book) come from the
test; they are written the many ways people write numbers, or replaced by garbage.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from terminal.domain.decimals import decimals_of, to_plain

# Other scripts' digits: Python's Decimal reads every Unicode decimal digit, so these parse.
_DIGITS = {
    "arabic": "٠١٢٣٤٥٦٧٨٩",
    "fullwidth": "０１２３４５６７８９",
    "devanagari": "०१२३४५६७८९",
}

SPECIALS = (
    "",
    " ",
    "0",
    "-0",
    "0.0",
    "+0",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e5",
    "1E-5",
    "1e999999999",
    "1e-1001",
    "١٢",
    "١٢٫٥",
    "１２",
    "1,5",
    "1.2.3",
    ".",
    "-",
    "+",
    "e",
    "0x10",
    "½",
    "1/2",
    "1_000",
    "1__0",
    "9" * 40,
    "0." + "0" * 30 + "1",
    "1" + "0" * 25,
    "-95000",
    "95 000",
)

# Typed text has no control characters (a typed Enter or Tab is a key of its own), no surrogates.
_TYPED_CHARACTERS = st.characters(exclude_categories=["Cs", "Cc"])
_PASTED_CHARACTERS = st.characters(exclude_categories=["Cs"])


def _in_script(text: str, script: str) -> str:
    digits = _DIGITS[script]
    return "".join(digits[int(ch)] if ch.isascii() and ch.isdigit() else ch for ch in text)


def _written(value: Decimal, places: int) -> str:
    """With the instrument's decimals, or all of its own when it has more (rounding would hide them)."""
    return f"{value:.{places}f}" if decimals_of(value) <= places else to_plain(value)


def _styles(value: Decimal, places: int) -> list[str]:
    """``value`` written as people write numbers, right or wrong."""
    plain = to_plain(value)
    fixed = _written(value, places)
    return [
        fixed,
        plain + "000",
        f" {plain} ",
        "+" + plain,
        "-" + plain,
        f"{value:e}",
        f"{value:,.{places}f}",
        fixed.replace(".", ","),
        "00" + plain,
        plain + "0000000000000000000001" if "." in plain else plain + ".0000000000000000000001",
        _in_script(fixed, "arabic"),
        _in_script(fixed, "fullwidth"),
        _in_script(plain, "devanagari"),
        fixed.replace(".", "٫"),
    ]


def garbage(pasted: bool = False) -> st.SearchStrategy[str]:
    characters = _PASTED_CHARACTERS if pasted else _TYPED_CHARACTERS
    return st.one_of(
        st.sampled_from(SPECIALS),
        st.text(characters, max_size=24),
        st.text(st.sampled_from("0123456789.,-+eE _"), max_size=24),
    )


def plain_text(values: Sequence[Decimal], places: int) -> st.SearchStrategy[str]:
    """One of ``values``, written as the instrument writes it."""
    return st.sampled_from(list(values)).map(lambda v: _written(v, places))


def number_text(values: Sequence[Decimal], places: int, *, pasted: bool = False) -> st.SearchStrategy[str]:
    """Mostly one of ``values`` written plainly, often in another style, sometimes garbage."""
    chosen = st.sampled_from(list(values))
    plain = plain_text(values, places)
    styled = chosen.flatmap(lambda v: st.sampled_from(_styles(v, places)))
    return st.integers(0, 9).flatmap(lambda n: plain if n < 5 else styled if n < 8 else garbage(pasted))


def type_keys(edit: QLineEdit, text: str) -> None:
    """Select the field's text, delete it and type ``text`` key by key, as a user would."""
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    for ch in text:
        if " " <= ch <= "~":
            QTest.keyClicks(edit, ch)
            continue
        # QTest only types ASCII: other characters arrive as a key carrying its text (an input method's way).
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def paste(edit: QLineEdit, text: str) -> None:
    """Replace the field's text with ``text`` through the clipboard and Ctrl+V."""
    clipboard = QApplication.clipboard()
    clipboard.setText(text)
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
