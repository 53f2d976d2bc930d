"""What changed, as the engine reports it, for a server to push on HashKey's private and public streams.

Private (per ``account_id``): ``ExecutionReport`` -> "executionReport", ``TicketInfo`` -> "ticketInfo",
``BalanceUpdate`` -> "outboundAccountInfo". Public (per symbol): ``PublicTrade`` (the domain's) -> the
"trade" topic, with ``buyer_is_maker`` as "m"; ``BookChanged`` says a symbol's depth/bbo must be re-sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.demo.records import AccountTrade, OrderView
from terminal.domain.balance import Balance
from terminal.domain.decimals import ZERO
from terminal.domain.market import PublicTrade


@dataclass(frozen=True, slots=True)
class ExecutionReport:
    """One change of one order (new, fill, cancel) with the details of the fill that caused it, if any.

    Stream fields: "X" ``order.status``, "l" ``last_qty``, "L" ``last_price``, "n" ``commission``,
    "N" ``commission_asset``, "d" ``execution_id``, "z"/"Z"/"V"/"r" from ``order``; "x" is
    ``order.ord_cxl_reason``. ``is_maker`` tells whether the last fill rested on the book.
    """

    account_id: str
    order: OrderView
    event_ms: int
    last_qty: Decimal = ZERO
    last_price: Decimal = ZERO
    commission: Decimal = ZERO
    commission_asset: str = ""
    execution_id: str = ""
    is_maker: bool = False


@dataclass(frozen=True, slots=True)
class TicketInfo:
    """One side of one match for its account ("ticketInfo": "T" ticket id, "o" order, "m" isMaker)."""

    trade: AccountTrade

    @property
    def account_id(self) -> str:
        return self.trade.account_id

    @property
    def event_ms(self) -> int:
        return self.trade.time_ms


@dataclass(frozen=True, slots=True)
class BalanceUpdate:
    """The balances of the assets an operation moved for one account (004: "containing the assets
    that may have been moved by the event that generated the balance change")."""

    account_id: str
    balances: tuple[Balance, ...]
    event_ms: int


@dataclass(frozen=True, slots=True)
class BookChanged:
    """``symbol``'s book changed: a server re-sends depth and best bid/offer."""

    symbol: str
    event_ms: int


Event = ExecutionReport | TicketInfo | BalanceUpdate | BookChanged | PublicTrade

PRIVATE_EVENTS = (ExecutionReport, TicketInfo, BalanceUpdate)

__all__ = ["PRIVATE_EVENTS", "BalanceUpdate", "BookChanged", "Event", "ExecutionReport", "PublicTrade", "TicketInfo"]
