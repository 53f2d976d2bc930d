"""The main window: every dock, the menus, the profile switcher, the status bar, and their wiring."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from terminal import __version__
from terminal.domain.securities import BrokerageAccount
from terminal.session.contract_store import ContractChange
from terminal.session.order_manager import Notice
from terminal.session.session import Session
from terminal.storage.log_buffer import LogBuffer
from terminal.storage.paths import AppPaths
from terminal.ui import theme
from terminal.ui.chart.chart_dock import ChartDock
from terminal.ui.dialogs.longbridge_setup import ExpiryLine
from terminal.ui.docks.balances import BalancesDock
from terminal.ui.docks.base import SessionDock
from terminal.ui.docks.history import HistoryDock
from terminal.ui.docks.log import LogDock
from terminal.ui.docks.markets import MarketsDock
from terminal.ui.docks.orders import OrdersDock
from terminal.ui.docks.trades import TradesDock
from terminal.ui.fill_alerts import FillAlerts
from terminal.ui.help_menu import HelpMenu
from terminal.ui.ladder.ladder_dock import LadderDock
from terminal.ui.rate_banner import RateBanner
from terminal.ui.status_bar import StatusBar
from terminal.ui.ticket.ticket_dock import TicketDock
from terminal.ui.toast import Toasts
from terminal.ui.trading_actions import TradingActions
from terminal.ui.trading_keys import TradingKeys
from terminal.ui.welcome import WelcomePanel
from terminal.venues.base import AmendingVenue, amends_orders
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.ui")

LAYOUT_VERSION = 2  # bump when docks change so that an old saved layout is not applied
DEFAULT_SYMBOL = "BTCUSDT"


class MainWindow(QMainWindow):
    profile_requested = Signal(str)  # the user picked another profile in the switcher
    edit_profiles_requested = Signal()
    risk_limits_requested = Signal()
    settings_requested = Signal()
    theme_requested = Signal(str)  # View > Theme: the app applies and saves it (as Settings does)
    account_requested = Signal(str)  # the account picker chose another account of the key (Webull)
    refresh_token_requested = Signal()  # "Refresh access token…" (Longbridge sessions only)

    def __init__(self, settings_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"trading-terminal {__version__}")
        self.resize(1600, 1000)
        self.setDockNestingEnabled(True)
        self._settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        placeholder = QWidget()
        placeholder.setMaximumSize(0, 0)
        self.setCentralWidget(placeholder)
        self.markets = MarketsDock(self)
        self.ticket = TicketDock(self)
        self.ladder = LadderDock(self)
        self.chart = ChartDock(self)
        self.orders = OrdersDock(self)
        self.balances = BalancesDock(self)
        self.trades = TradesDock(self)
        self.log = LogDock(self)
        self.docks: list[SessionDock] = [
            self.markets,
            self.ticket,
            self.ladder,
            self.chart,
            self.orders,
            self.balances,
            self.trades,
            self.log,
        ]
        self.history = HistoryDock(self)  # the journal's timeline: bound to a journal, not a session
        self._arrange()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.toasts = Toasts(self)
        self.actions_ = TradingActions(self)
        self.keys = TradingKeys(self)
        self.fill_alerts = FillAlerts(self)
        self.paths: AppPaths | None = None  # the app's directories, for Help > Logs and journal
        self._build_toolbar()
        self._build_welcome()
        self._default_state = self.saveState(LAYOUT_VERSION)  # with the tool bars, or a reset loses their lines
        self._build_menus()
        self._wire()
        self.session: Session | None = None
        self.profile = ""

    # ---- layout -------------------------------------------------------------------------------

    def _arrange(self) -> None:
        area = Qt.DockWidgetArea
        for corner, side in (
            (Qt.Corner.TopLeftCorner, area.LeftDockWidgetArea),
            (Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea),
            (Qt.Corner.TopRightCorner, area.RightDockWidgetArea),
            (Qt.Corner.BottomRightCorner, area.RightDockWidgetArea),
        ):
            self.setCorner(corner, side)
        self.addDockWidget(area.LeftDockWidgetArea, self.markets)
        self.addDockWidget(area.LeftDockWidgetArea, self.trades)
        self.addDockWidget(area.TopDockWidgetArea, self.chart)
        self.addDockWidget(area.BottomDockWidgetArea, self.orders)
        self.tabifyDockWidget(self.orders, self.balances)
        self.tabifyDockWidget(self.balances, self.log)
        self.tabifyDockWidget(self.log, self.history)
        self.orders.raise_()
        self.addDockWidget(area.RightDockWidgetArea, self.ladder)
        self.addDockWidget(area.RightDockWidgetArea, self.ticket)
        self.resizeDocks([self.markets, self.ladder], [300, 470], Qt.Orientation.Horizontal)
        self.resizeDocks([self.markets, self.trades], [480, 420], Qt.Orientation.Vertical)
        self.resizeDocks([self.ladder, self.ticket], [560, 380], Qt.Orientation.Vertical)
        self.resizeDocks([self.chart, self.orders], [620, 300], Qt.Orientation.Vertical)

    def _layout_key(self, profile: str) -> str:
        return f"layout/v{LAYOUT_VERSION}/{profile}"

    def save_layout(self) -> None:
        if not self.profile:
            return
        key = self._layout_key(self.profile)
        self._settings.setValue(f"{key}/geometry", self.saveGeometry())
        self._settings.setValue(f"{key}/state", self.saveState(LAYOUT_VERSION))
        self._settings.sync()

    def restore_layout(self, profile: str) -> bool:
        key = self._layout_key(profile)
        geometry = self._settings.value(f"{key}/geometry")
        state = self._settings.value(f"{key}/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION):
            self._keep_bars()
            return True
        self.reset_layout()
        return False

    def reset_layout(self) -> None:
        for dock in (*self.docks, self.history):
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self._keep_bars()

    def _keep_bars(self) -> None:
        """A restored layout also restores tool bars as they were when it was saved: show only what is wanted now."""
        if not self.toolBarBreak(self.welcome_bar):  # a layout saved before the panel existed
            self.insertToolBarBreak(self.welcome_bar)
        self.welcome_bar.setVisible(self._welcome_wanted)
        self.banner_bar.setVisible(self.rate_banner.shown)

    # ---- chrome -------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Profile", self)
        bar.setObjectName("profileToolBar")
        bar.setMovable(False)
        bar.addWidget(QLabel(" Profile: "))
        self.profiles = QComboBox()
        self.profiles.setMinimumWidth(220)
        self.profiles.activated.connect(lambda _: self.profile_requested.emit(self.profiles.currentText()))
        bar.addWidget(self.profiles)
        edit = QAction("Edit profiles…", self)
        edit.triggered.connect(self.edit_profiles_requested.emit)
        bar.addAction(edit)
        self.connection = QLabel()
        bar.addWidget(self.connection)
        self.account_label = QLabel()  # who a token-based venue (Deriv) is authorized as, and what it may do
        self.account_label.setObjectName("accountLabel")
        bar.addWidget(self.account_label)
        # A broker key that serves several accounts (Webull): pick the one this session trades.
        self.account_picker = QComboBox()
        self.account_picker.setObjectName("accountPicker")
        self.account_picker.setToolTip("The account of this key the session trades; choosing another re-opens it")
        self.account_picker.activated.connect(self._account_picked)
        self._account_picker_action = bar.addWidget(self.account_picker)
        self._account_picker_action.setVisible(False)
        self._accounts_task: asyncio.Task[None] | None = None
        # A token with an expiry (Longbridge): when it expires, and the action that refreshes it.
        self.token_label = QLabel()
        self.token_label.setObjectName("tokenExpiryLabel")
        bar.addWidget(self.token_label)
        self.refresh_token_action = QAction("Refresh access token…", self)
        self.refresh_token_action.setObjectName("refreshTokenAction")
        self.refresh_token_action.setToolTip("Ask Longbridge for a new access token valid 90 more days")
        self.refresh_token_action.triggered.connect(self.refresh_token_requested.emit)
        self.refresh_token_action.setVisible(False)
        bar.addAction(self.refresh_token_action)
        self._token_expiry: ExpiryLine | None = None
        theme.notifier().changed.connect(self._style_token_label)  # a bound method: gone with the window
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.actions_.kill)
        self._kill_button = bar.widgetForAction(self.actions_.kill)
        self._kill_button.setObjectName("killSwitchButton")
        self._style_kill_button(theme.current())
        theme.notifier().changed.connect(self._style_kill_button)
        self.addToolBar(bar)
        self.addToolBarBreak()
        self.banner_bar = QToolBar("Alerts", self)  # holds the rate-limit banner, shown only with it
        self.banner_bar.setObjectName("alertsToolBar")
        self.banner_bar.setMovable(False)
        self.rate_banner = RateBanner(self)
        self.banner_bar.addWidget(self.rate_banner)
        self.rate_banner.visibility_changed.connect(self.banner_bar.setVisible)
        self.banner_bar.hide()
        self.addToolBar(self.banner_bar)

    def _build_welcome(self) -> None:
        """The first-run panel, across the top; the app decides whether it shows (``show_welcome``)."""
        self.welcome_bar = QToolBar("Welcome", self)
        self.welcome_bar.setObjectName("welcomeToolBar")
        self.welcome_bar.setMovable(False)
        self.welcome_bar.toggleViewAction().setVisible(False)  # not a tool bar the user toggles
        self.welcome = WelcomePanel(self)
        self._welcome_action = self.welcome_bar.addWidget(self.welcome)
        self.welcome.dismissed.connect(lambda: self.show_welcome(False))
        self.welcome.add_key_requested.connect(self.edit_profiles_requested.emit)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.welcome_bar)
        self.insertToolBarBreak(self.welcome_bar)  # a line of its own, under the profile bar
        self._welcome_wanted = False
        self.welcome_bar.hide()

    def show_welcome(self, shown: bool = True) -> None:
        self._welcome_wanted = shown
        self._welcome_action.setVisible(shown)  # a tool bar's widget shows and hides through its action
        self.welcome_bar.setVisible(shown)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.actions_.export_orders)
        file_menu.addAction(self.actions_.export_fills)
        file_menu.addSeparator()
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setObjectName("settings")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.settings_requested.emit)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        trading = self.menuBar().addMenu("&Trading")
        keys = self.keys.actions
        for name in ("buy", "sell", "cancel_selected", "cancel_all"):
            trading.addAction(keys[name])
        trading.addSeparator()
        trading.addAction(self.actions_.kill)
        trading.addSeparator()
        self.risk_action = QAction("&Risk limits…", self)
        self.risk_action.triggered.connect(self.risk_limits_requested.emit)
        trading.addAction(self.risk_action)
        trading.addAction(self.refresh_token_action)
        view = self.menuBar().addMenu("&View")
        for dock in (*self.docks, self.history):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        navigate = view.addMenu("&Navigate")
        for name in (
            "focus_ticket",
            "recentre",
            "next_symbol",
            "previous_symbol",
            "next_interval",
            "previous_interval",
        ):
            navigate.addAction(keys[name])
        view.addSeparator()
        reset = QAction("&Reset layout", self)
        reset.triggered.connect(self.reset_layout)
        view.addAction(reset)
        themes = view.addMenu("&Theme")
        for name in theme.THEME_CHOICES:
            action = QAction("System (follow the desktop)" if name == "system" else name.capitalize(), self)
            action.setObjectName(f"theme_{name}")
            action.triggered.connect(lambda _=False, n=name: self.theme_requested.emit(n))
            themes.addAction(action)
        self.help_menu = HelpMenu(self)
        self.menuBar().addMenu(self.help_menu)

    def set_theme(self, name: str) -> None:
        """Apply ``name`` (dark, light, system); widgets that keep colours follow ``theme.notifier()``."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, name)

    def _style_kill_button(self, colours: theme.Theme) -> None:
        self._kill_button.setStyleSheet(
            f"QToolButton {{ background: {colours.sell}; color: white; font-weight: bold; padding: 2px 10px; }}"
        )

    def set_profiles(self, names: list[str], current: str) -> None:
        self.profiles.blockSignals(True)
        self.profiles.clear()
        self.profiles.addItems(names)
        if current in names:
            self.profiles.setCurrentText(current)
        self.profiles.blockSignals(False)

    def attach_log(self, buffer: LogBuffer) -> None:
        self.log.attach(buffer)

    # ---- the session --------------------------------------------------------------------------

    def bind(self, session: Session | None, profile: str, description: str = "") -> None:
        """Show ``session`` (None while switching); the layout of ``profile`` is restored."""
        if self.session is not None:
            self.session.notice.disconnect(self._on_notice)
            self.session.contracts.changed.disconnect(self._on_contracts)
        self.session = session
        self.profile = profile
        venue_name = session.venue.capabilities.venue if session else ""
        self.setWindowTitle(f"{profile} ({venue_name}) - trading-terminal" if session else "trading-terminal")
        self.connection.setText(f"  {description}" if description else "")
        for dock in self.docks:
            dock.bind(session)
        self.history.bind(session.journal if session is not None else None)
        self.status.bind(session)
        self.rate_banner.bind(session)
        self._show_account()
        self._show_brokerage_accounts(session)
        self.show_token_expiry(None)  # the controller shows it again for a session whose token expires
        if session is not None:
            session.notice.connect(self._on_notice)
            session.contracts.changed.connect(self._on_contracts)
            if not session.active_symbol:
                symbols = sorted(session.venue.instruments)
                if symbols:
                    session.set_active_symbol(DEFAULT_SYMBOL if DEFAULT_SYMBOL in symbols else symbols[0])

    def show_token_expiry(self, line: ExpiryLine | None) -> None:
        """The token's expiry next to the account ("Longbridge · token expires … (in 84 days)"), in the
        warning colour when due; None hides it and the refresh action (sessions without such a token)."""
        self._token_expiry = line
        self.token_label.setText(f"  {line.text}" if line is not None else "")
        self.refresh_token_action.setVisible(line is not None)
        self._style_token_label()

    def _style_token_label(self, _colours: object = None) -> None:
        line = self._token_expiry
        warn = line is not None and line.warn
        self.token_label.setStyleSheet(f"color: {theme.current().warn};" if warn else "")

    def _on_contracts(self, change: ContractChange) -> None:
        if change.account:
            self._show_account()

    def _show_account(self) -> None:
        """ "Account VRTC1001 · USD · virtual · scopes: read, trade" (venues whose token names an account)."""
        session = self.session
        account = session.contracts.account if session is not None else None
        if session is None or account is None:
            self.account_label.setText("")
            self.account_label.setToolTip("")
            return
        permissions = session.venue.permissions
        scopes = ", ".join(permissions.scopes or account.scopes) or "none"
        trading = "" if permissions.can_trade else f" (read only: {permissions.reason})"
        self.account_label.setText(f"  Account {account.describe()} · scopes: {scopes}{trading}")
        others = ", ".join(account.other_accounts)
        self.account_label.setToolTip(f"Other accounts of this login: {others}" if others else "")

    def _show_brokerage_accounts(self, session: Session | None) -> None:
        """For a venue whose key serves several accounts: the picker, filled from ``venue.accounts()``."""
        if self._accounts_task is not None:
            self._accounts_task.cancel()
            self._accounts_task = None
        self.account_picker.clear()
        self._account_picker_action.setVisible(False)
        if session is None or not amends_orders(session.venue):
            return
        self._accounts_task = asyncio.ensure_future(self._load_accounts(session, session.venue))

    async def _load_accounts(self, session: Session, venue: AmendingVenue) -> None:
        try:
            accounts = await venue.accounts()
        except VenueError as exc:
            if self.session is session:
                self.account_label.setText(f"  Accounts unavailable: {exc.message}")
            return
        if self.session is not session:
            return
        self.account_picker.clear()
        for account in accounts:
            self.account_picker.addItem(account_text(account), account.account_id)
        index = self.account_picker.findData(venue.account_id)
        if index >= 0:
            self.account_picker.setCurrentIndex(index)
        self._account_picker_action.setVisible(len(accounts) > 0)
        chosen = next((a for a in accounts if a.account_id == venue.account_id), None)
        permissions = venue.permissions
        trading = "" if permissions.can_trade else f" (read only: {permissions.reason})"
        label = account_line(chosen) if chosen is not None else (venue.account_id or "")
        self.account_label.setText(f"  Account {label}{trading}" if label else "")
        self.account_label.setToolTip(account_text(chosen) if chosen is not None else "")

    def _account_picked(self, index: int) -> None:
        session = self.session
        chosen = self.account_picker.itemData(index)
        if session is None or not isinstance(chosen, str) or not amends_orders(session.venue):
            return
        if chosen != session.venue.account_id:
            log.info("account %s chosen; re-opening the session on it", chosen)
            self.account_requested.emit(chosen)

    def _wire(self) -> None:
        self.ladder.price_picked.connect(self.ticket.set_price_and_side)
        self.ladder.order_requested.connect(self.actions_.one_click_order)
        self.ladder.cancel_requested.connect(self.actions_.one_click_cancel)
        self.orders.history_requested.connect(self.history.show_order)

    def _on_notice(self, notice: Notice) -> None:
        if notice.kind == "fill":
            self.toasts.show(notice.text, "fill")
            self.fill_alerts.on_fill(notice.text)
        elif notice.level == "error" and notice.kind == "order":
            self.toasts.show(notice.text, "error")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    def dock_by_name(self, name: str) -> QDockWidget | None:
        return next((d for d in self.docks if d.objectName() == name), None)


def account_text(account: BrokerageAccount) -> str:
    """ "ACC-US-CASH-0001 · CASH · USD" (its label, when it has one, instead of the ID)."""
    return account.describe()


def account_line(account: BrokerageAccount) -> str:
    """ "ACC-US-CASH-0001 · CASH · USD": the ID the venue knows it by, its kind and currency."""
    return " · ".join(part for part in (account.account_id, account.kind, account.currency) if part)
