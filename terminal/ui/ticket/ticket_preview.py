"""The venue's own estimate of the ticket's order before it is placed (a broker that offers one,
``AmendingVenue.preview``): a button and the answer in words."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from terminal.domain.orders import OrderRequest
from terminal.domain.securities import OrderPreview
from terminal.session.messages import describe_error
from terminal.session.session import Session
from terminal.ui import formatting as fmt
from terminal.ui import theme
from terminal.ui.ticket.draft import Draft
from terminal.ui.ticket.ticket_layout import wrapping_label
from terminal.venues.base import amends_orders
from terminal.venues.errors import VenueError

ASKING = "Asking the venue for an estimate…"


def preview_text(preview: OrderPreview) -> str:
    """ "Estimated cost 1,234.56 USD · fee 0.00 USD"."""
    currency = f" {preview.currency}" if preview.currency else ""
    cost, fee = fmt.amount(preview.estimated_cost), fmt.amount(preview.estimated_fee)
    return f"Estimated cost {cost}{currency} · fee {fee}{currency}"


class OrderPreviewPanel(QWidget):
    """Hidden unless the session's venue previews orders; the answer is dropped once the ticket changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderPreview")
        self.button = QPushButton("Preview")
        self.button.setObjectName("previewButton")
        self.button.setToolTip("Ask the venue what this order would cost, without placing it")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.ask)
        self.result = wrapping_label("previewResult")
        self.result.setFont(theme.mono_font())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.result, 1)
        self.session: Session | None = None
        self.request: OrderRequest | None = None  # the ticket's valid order, if it has one
        self.hide()

    def set_session(self, session: Session | None) -> None:
        self.session = session
        self.request = None
        self._say("")
        self.setVisible(session is not None and amends_orders(session.venue))

    def on_checked(self, draft: Draft) -> None:
        """The ticket was checked again: an estimate of another order no longer applies."""
        request = draft.request
        if request != self.request:
            self.request = request
            self._say("")
        self.button.setEnabled(request is not None)

    def ask(self) -> None:
        session, request = self.session, self.request
        if session is None or request is None:
            return
        self._say(ASKING, muted=True)
        session.spawn(self._preview(session, request))

    async def _preview(self, session: Session, request: OrderRequest) -> None:
        venue = session.venue
        if not amends_orders(venue):
            return
        try:
            preview = await venue.preview(request)
        except VenueError as exc:
            text, failed = f"No estimate: {describe_error(exc)}", True
        else:
            text, failed = preview_text(preview), False
        if self.session is session and self.request == request:
            self._say(text, failed=failed)

    def _say(self, text: str, *, muted: bool = False, failed: bool = False) -> None:
        colours = theme.current()
        colour = colours.sell if failed else colours.muted if muted else colours.text
        self.result.setStyleSheet(f"color: {colour};")
        self.result.setText(text)
