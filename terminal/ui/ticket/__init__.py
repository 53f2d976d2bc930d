"""The order ticket: side, type, time in force, price and size, checked as the user types, sent on Enter."""

from terminal.ui.ticket.ticket_dock import TicketDock
from terminal.ui.ticket.ticket_form import TicketForm

__all__ = ["TicketDock", "TicketForm"]
