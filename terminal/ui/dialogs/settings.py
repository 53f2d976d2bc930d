"""Settings: appearance and alerts for the whole app, confirmations, default sizes and keys for the profile.

Non-modal (``open``); Apply and OK hand the values to ``apply``, which saves them and applies them
at once (no restart) or returns a sentence saying why not, shown in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.confirmation import RULE_LABELS, ConfirmRule
from terminal.domain.instrument import Instrument
from terminal.storage.app_settings import FPS_MAX, FPS_MIN, THEME_NAMES, AppSettings
from terminal.storage.trading_prefs import TradingPrefs
from terminal.ui import theme
from terminal.ui.dialogs.settings_keys import KeysEditor
from terminal.ui.dialogs.settings_sizes import SizesEditor
from terminal.ui.keymap import to_stored

Apply = Callable[[AppSettings, TradingPrefs | None], str | None]
NOTIFY_ROUTES = {
    "tray": "Shown by the desktop's notification area.",
    "notify-send": "Shown through notify-send.",
    "none": "No desktop notification service was found: fills show in the window only.",
}


@dataclass(frozen=True, slots=True)
class SettingsState:
    """What the dialog opens with. ``prefs`` is None for a profile that is not saved (the command line's)."""

    settings: AppSettings
    prefs: TradingPrefs | None
    keys: Mapping[str, QKeySequence]
    profile: str
    instruments: Mapping[str, Instrument]
    active_symbol: str = ""
    reserved: Mapping[str, str] | None = None  # portable key text -> what else in the window uses it
    notification_route: str = "none"


class SettingsDialog(QDialog):
    def __init__(self, state: SettingsState, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.resize(620, 560)
        self._state = state
        self._apply = apply
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general(state), "General")
        self.tabs.addTab(self._scrolled(self._trading(state)), f"Trading: {state.profile}")
        self.keys = KeysEditor(state.keys, state.reserved or {})
        self.tabs.addTab(self._scrolled(self.keys), f"Shortcuts: {state.profile}")
        if state.prefs is None:  # nothing to save them in
            for index in (1, 2):
                self.tabs.setTabEnabled(index, False)
                self.tabs.setTabToolTip(index, "The command-line profile is not saved: open a saved profile.")
        self.problem = QLabel()
        self.problem.setObjectName("settingsProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept_if_applied)
        buttons.rejected.connect(self.reject)
        apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply_button is not None
        apply_button.clicked.connect(lambda _=False: self.apply())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    @staticmethod
    def _scrolled(page: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(page)
        return area

    def _general(self, state: SettingsState) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.theme = QComboBox()
        self.theme.setObjectName("settingsTheme")
        for name in THEME_NAMES:
            self.theme.addItem("System (follow the desktop)" if name == "system" else name.capitalize(), name)
        self.theme.setCurrentIndex(max(self.theme.findData(state.settings.theme), 0))
        form.addRow("Theme", self.theme)
        self.fps = QSpinBox()
        self.fps.setObjectName("settingsFps")
        self.fps.setRange(FPS_MIN, FPS_MAX)
        self.fps.setSuffix(" frames/s")
        self.fps.setValue(state.settings.fps)
        self.fps.setToolTip("How often the book, chart and tables redraw at most; lower saves CPU.")
        form.addRow("Frame-rate cap", self.fps)
        self.fill_sound = QCheckBox("Play a sound")
        self.fill_sound.setObjectName("settingsFillSound")
        self.fill_sound.setChecked(state.settings.fill_sound)
        self.fill_notification = QCheckBox("Show a desktop notification")
        self.fill_notification.setObjectName("settingsFillNotification")
        self.fill_notification.setChecked(state.settings.fill_notification)
        route = QLabel(NOTIFY_ROUTES.get(state.notification_route, ""))
        route.setWordWrap(True)
        route.setStyleSheet(f"color: {theme.current().muted};")
        form.addRow("On a fill", self.fill_sound)
        form.addRow("", self.fill_notification)
        form.addRow("", route)
        return page

    def _trading(self, state: SettingsState) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        prefs = state.prefs or TradingPrefs()
        confirm = QGroupBox("Ask before sending")
        confirm_layout = QVBoxLayout(confirm)
        self.confirm: dict[ConfirmRule, QCheckBox] = {}
        for rule in ConfirmRule:
            box = QCheckBox(RULE_LABELS[rule])
            box.setObjectName(f"confirm_{rule.value}")
            box.setChecked(rule in prefs.confirm)
            confirm_layout.addWidget(box)
            self.confirm[rule] = box
        note = QLabel("Your risk limits (Trading ▸ Risk limits) and a repeat of the last order ask as well.")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {theme.current().muted};")
        confirm_layout.addWidget(note)
        layout.addWidget(confirm)
        sizes_box = QGroupBox("Default order size")
        sizes_layout = QVBoxLayout(sizes_box)
        self.sizes = SizesEditor(prefs.default_sizes, state.instruments, state.active_symbol)
        sizes_layout.addWidget(self.sizes)
        layout.addWidget(sizes_box)
        layout.addStretch(1)
        return page

    # ---- applying -----------------------------------------------------------------------------

    def values(self) -> tuple[AppSettings, TradingPrefs | None, list[str]]:
        """What the dialog says now, and a sentence per problem (nothing is applied while there is one)."""
        settings = replace(
            self._state.settings,
            theme=str(self.theme.currentData()),
            fps=self.fps.value(),
            fill_sound=self.fill_sound.isChecked(),
            fill_notification=self.fill_notification.isChecked(),
        )
        if self._state.prefs is None:
            return settings, None, []
        sizes, problems = self.sizes.value()
        problems += self.keys.check()
        prefs = TradingPrefs(
            confirm=frozenset(rule for rule, box in self.confirm.items() if box.isChecked()),
            default_sizes=sizes or {},
            shortcuts=to_stored(self.keys.keys()),
        )
        return settings, prefs, problems

    def apply(self) -> bool:
        settings, prefs, problems = self.values()
        if not problems:
            failure = self._apply(settings, prefs)
            problems = [failure] if failure else []
        self.problem.setText("\n".join(problems))
        self.problem.setStyleSheet(f"color: {theme.current().warn};")
        self.problem.setVisible(bool(problems))
        return not problems

    def accept_if_applied(self) -> None:
        if self.apply():
            self.accept()
