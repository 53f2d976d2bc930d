"""The user's settings at work: loads them, applies them to the window, the frame clock and the session,
and saves what the Settings dialog changes, without a restart.

App-wide settings (theme, frame rate, fill alerts, the welcome panel) live in ``settings.json``; a
profile's (confirmations, default sizes, keys) in that profile (terminal/storage/trading_prefs.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from terminal.domain.confirmation import ConfirmRule
from terminal.session.frame_clock import FrameClock
from terminal.session.session import Session
from terminal.storage.app_settings import AppSettings, SettingsError, SettingsStore
from terminal.storage.profiles import Profile, ProfileError, ProfileStore, Venue
from terminal.storage.trading_prefs import TradingPrefs, read_prefs, with_prefs
from terminal.ui import theme
from terminal.ui.dialogs.settings import SettingsDialog, SettingsState
from terminal.ui.dialogs.shortcuts import WIDGET_KEYS, plain_text
from terminal.ui.keymap import PORTABLE, resolve
from terminal.ui.main_window import MainWindow

log = logging.getLogger("terminal.app")


class Preferences(QObject):
    """``theme``/``fps`` given on the command line win over the saved ones for this run only."""

    book_saved = Signal(object)  # ProfileBook: a profile's preferences were written

    def __init__(
        self,
        window: MainWindow,
        clock: FrameClock,
        settings_store: SettingsStore | None,
        profiles: ProfileStore,
        *,
        theme_name: str | None = None,
        fps: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.store = settings_store
        self.profiles = profiles
        self.settings = settings_store.load() if settings_store is not None else AppSettings()
        self.prefs = TradingPrefs()
        self.profile: Profile | None = None  # the saved profile whose preferences are applied (None: unsaved)
        self.dialog: SettingsDialog | None = None
        start = self.settings
        if theme_name is not None:
            start = replace(start, theme=theme_name)
        if fps is not None:
            start = replace(start, fps=fps)
        self.apply_settings(start)
        window.welcome.dismissed.connect(self._welcome_dismissed)
        window.theme_requested.connect(self.choose_theme)
        window.show_welcome(not self.settings.welcome_done)

    # ---- applying -----------------------------------------------------------------------------

    def apply_settings(self, settings: AppSettings) -> None:
        if theme.chosen() != settings.theme:  # applying re-polishes every widget: only for a change
            self.window.set_theme(settings.theme)
        self.clock.set_fps(settings.fps)
        self.window.fill_alerts.set_options(settings.fill_sound, settings.fill_notification)

    def apply_profile(self, profile: Profile | None, saved: bool, session: Session | None) -> None:
        """Use ``profile``'s confirmations, default sizes and keys (the defaults for an unsaved profile)."""
        prefs, problems = read_prefs(profile.ui) if profile is not None and saved else (TradingPrefs(), [])
        keys, key_problems = resolve(prefs.shortcuts)
        reserved = self._reserved_keys()
        for action_id, sequence in keys.items():
            used_by = reserved.get(sequence.toString(PORTABLE))
            if used_by and not sequence.isEmpty():  # a hand-edited file: the window's key wins
                key_problems.append(f"{sequence.toString(PORTABLE)} is {used_by!r}; {action_id} has no key.")
                keys[action_id] = QKeySequence()
        for problem in (*problems, *key_problems):
            log.warning("profile %s: %s", profile.name if profile else "?", problem)
        self.profile = profile if saved else None
        self.prefs = prefs
        self.window.keys.apply(keys)
        self.window.ticket.form.default_sizes = dict(prefs.default_sizes)
        self.window.orders.confirm_cancel_all = ConfirmRule.CANCEL_ALL in prefs.confirm
        if session is not None:
            session.manager.gate.confirm_rules = prefs.confirm
        if profile is not None:
            on_demo = profile.venue is Venue.DEMO and profile.custom_hosts is None
            venue = session.venue.capabilities.venue if session is not None else profile.venue.value
            contracts = session is not None and session.venue.capabilities.contracts
            self.window.welcome.set_demo(on_demo, profile.name, venue, contracts)

    # ---- the dialog ---------------------------------------------------------------------------

    def open_dialog(self) -> SettingsDialog:
        if self.dialog is not None:
            self.dialog.close()
        session = self.window.session
        state = SettingsState(
            settings=self.settings,
            prefs=self.prefs if self.profile is not None else None,
            keys=self.window.keys.keys(),
            profile=self.profile.name if self.profile is not None else self.window.profile or "no profile",
            instruments=dict(session.venue.instruments) if session is not None else {},
            active_symbol=session.active_symbol if session is not None else "",
            reserved=self._reserved_keys(),
            notification_route=self.window.fill_alerts.route,
        )
        self.dialog = SettingsDialog(state, self.save_and_apply, self.window)
        self.dialog.open()
        return self.dialog

    def _reserved_keys(self) -> dict[str, str]:
        """Keys the window's other actions (Help, Quit…) and its docks (Enter, Delete, Space…) use: a
        trading key may not take them (a window-wide key would silence the dock's own)."""
        ours = set(self.window.keys.actions.values())
        reserved: dict[str, str] = {}
        for key in WIDGET_KEYS:
            for code in key.keys:
                reserved[QKeySequence(code).toString(PORTABLE)] = f"{key.action} ({key.context})"
        for action in self.window.findChildren(QAction):
            if action in ours:
                continue
            for sequence in action.shortcuts():
                reserved[QKeySequence(sequence).toString(PORTABLE)] = plain_text(action)
        return reserved

    def save_and_apply(self, settings: AppSettings, prefs: TradingPrefs | None) -> str | None:
        """Save, then apply; a sentence when saving failed (then nothing changed)."""
        try:
            if self.store is not None and settings != self.settings:
                self.store.save(settings)
            profile = self.profile
            if prefs is not None and profile is not None and prefs != self.prefs:
                book = self.profiles.load()  # the latest file: another dialog may have changed other profiles
                current = book.find(profile.name)
                if current is None:
                    return f"The profile {profile.name} no longer exists; its settings were not saved."
                updated = with_prefs(current, prefs)
                book = book.update(updated)
                self.profiles.save(book)
                self.profile = updated
                self.book_saved.emit(book)
        except (SettingsError, ProfileError) as error:
            return str(error)
        self.settings = settings
        self.apply_settings(settings)
        if prefs is not None and self.profile is not None:
            self.apply_profile(self.profile, True, self.window.session)
        log.info("settings applied")
        return None

    def choose_theme(self, name: str) -> None:
        """View > Theme: the same as choosing it in Settings (applied and saved)."""
        failure = self.save_and_apply(replace(self.settings, theme=name), None)
        if failure:
            self.window.set_theme(name)  # still applied for this run
            self.window.toasts.show(failure, "warning")

    def _welcome_dismissed(self) -> None:
        if self.settings.welcome_done:
            return
        self.settings = replace(self.settings, welcome_done=True)
        if self.store is not None:
            try:
                self.store.save(self.settings)
            except SettingsError as error:
                log.warning("%s", error)
