"""Settings ▸ Shortcuts: a key editor per keyboard-trading action, with clashes refused in words."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGridLayout, QKeySequenceEdit, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.ui import theme
from terminal.ui.keymap import KEY_ACTIONS, NATIVE, PORTABLE, clashes


class KeysEditor(QWidget):
    """``keys`` are the profile's current keys; ``reserved`` maps other keys of the window to what they do."""

    def __init__(
        self, keys: Mapping[str, QKeySequence], reserved: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutKeys")
        self._reserved = dict(reserved)
        self.edits: dict[str, QKeySequenceEdit] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for number, action in enumerate(KEY_ACTIONS):
            edit = QKeySequenceEdit(keys.get(action.id, QKeySequence(action.default)))
            edit.setObjectName(f"keys_{action.id}")
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            edit.keySequenceChanged.connect(lambda _sequence: self.check())
            reset = QPushButton("Default")
            reset.setToolTip(f"Back to {QKeySequence(action.default).toString(NATIVE)}")
            reset.clicked.connect(lambda _=False, e=edit, d=action.default: e.setKeySequence(QKeySequence(d)))
            grid.addWidget(QLabel(action.label), number, 0)
            grid.addWidget(edit, number, 1)
            grid.addWidget(reset, number, 2)
            self.edits[action.id] = edit
        self.all_defaults = QPushButton("All to defaults")
        self.all_defaults.clicked.connect(self.reset_all)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        note = QLabel("Click a field and press the keys. Saved with this profile; shown in Help ▸ Keyboard shortcuts.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.all_defaults)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def reset_all(self) -> None:
        for action in KEY_ACTIONS:
            self.edits[action.id].setKeySequence(QKeySequence(action.default))

    def keys(self) -> dict[str, QKeySequence]:
        return {action_id: edit.keySequence() for action_id, edit in self.edits.items()}

    def check(self) -> list[str]:
        """Sentences for each key taken twice or taken by the window; shown below the editors."""
        keys = self.keys()
        problems = list(clashes(keys).values())
        for action in KEY_ACTIONS:
            sequence = keys[action.id]
            used_by = self._reserved.get(sequence.toString(PORTABLE)) if not sequence.isEmpty() else None
            if used_by:
                problems.append(
                    f'{sequence.toString(NATIVE)} is already "{used_by}"; choose another for "{action.label}".'
                )
        self.problem.setText("\n".join(problems))
        self.problem.setStyleSheet(f"color: {theme.current().warn};")
        self.problem.setVisible(bool(problems))
        return problems
