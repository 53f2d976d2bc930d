"""Contracts of a contract venue (Deriv): the ticket's live price, the account, open contracts, history.

Events land here at the venue's rate; ``flush`` (called by the frame clock) emits one
``ContractChange`` naming what changed since the last frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from terminal.domain.contracts import Account, ClosedContract, ContractSpec, OpenContract, PortfolioEntry, Transaction
from terminal.venues.base import AccountEvent, ContractEvent, ProposalEvent

HISTORY_LIMIT = 100  # lines of statement and profit table kept and shown


@dataclass
class ContractChange:
    quote: bool = False  # the priced spec or its quote changed
    contracts: set[int] = field(default_factory=set)  # contract ids whose state changed
    account: bool = False
    history: bool = False  # portfolio, statement or profit table

    def __bool__(self) -> bool:
        return bool(self.quote or self.contracts or self.account or self.history)


class ContractStore(QObject):
    changed = Signal(object)  # ContractChange

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account: Account | None = None
        self.pricing: ContractSpec | None = None  # what the ticket asks a price for
        self.proposal: ProposalEvent | None = None  # the latest answer for ``pricing``
        self.contracts: dict[int, OpenContract] = {}
        self.portfolio: list[PortfolioEntry] = []
        self.statement: list[Transaction] = []
        self.closed: list[ClosedContract] = []
        self._change = ContractChange()

    # ---- from the venue ---------------------------------------------------------------------------

    def apply(self, event: ProposalEvent | ContractEvent | AccountEvent) -> None:
        if isinstance(event, ProposalEvent):
            if event.spec == self.pricing:  # a late answer for a spec the ticket left is dropped
                self.proposal = event
                self._change.quote = True
        elif isinstance(event, ContractEvent):
            contract = event.contract
            if self.contracts.get(contract.contract_id) != contract:
                self.contracts[contract.contract_id] = contract
                self._change.contracts.add(contract.contract_id)
        else:
            self.account = event.account
            self._change.account = True

    def set_pricing(self, spec: ContractSpec | None) -> None:
        """The ticket now asks for ``spec``: the quote of the previous one no longer applies."""
        if spec != self.pricing:
            self.pricing = spec
            self.proposal = None
            self._change.quote = True

    def set_history(
        self,
        portfolio: list[PortfolioEntry] | None = None,
        statement: list[Transaction] | None = None,
        closed: list[ClosedContract] | None = None,
    ) -> None:
        if portfolio is not None:
            self.portfolio = portfolio
        if statement is not None:
            self.statement = statement[:HISTORY_LIMIT]
        if closed is not None:
            self.closed = closed[:HISTORY_LIMIT]
        self._change.history = True

    # ---- for the UI ---------------------------------------------------------------------------------

    @property
    def quote(self) -> ProposalEvent | None:
        """The latest price of the spec being priced (None until the venue answers)."""
        return self.proposal

    def open_contracts(self) -> list[OpenContract]:
        """Contracts still open, newest first."""
        return sorted(
            (c for c in self.contracts.values() if c.is_open), key=lambda c: (-c.purchase_time_ms, -c.contract_id)
        )

    def all_contracts(self) -> list[OpenContract]:
        """Every contract followed this session (open ones first, then the closed), newest first."""
        return sorted(self.contracts.values(), key=lambda c: (not c.is_open, -c.purchase_time_ms, -c.contract_id))

    def flush(self) -> None:
        if self._change:
            change, self._change = self._change, ContractChange()
            self.changed.emit(change)
