"""Live prices of contract specs (proposal) and of bought contracts (proposal_open_contract), shared per spec
and per contract; while the link is down every price is withdrawn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal

from terminal.domain.contracts import ContractSpec
from terminal.domain.instrument import Instrument
from terminal.venues.base import ConnectionEvent, ConnectionState, ContractEvent, EventSink, ProposalEvent
from terminal.venues.deriv import calls, contract_mapping
from terminal.venues.deriv.connection import DerivConnection
from terminal.venues.deriv.subscriptions import Hold, Message, SharedStreams, Subscription
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.venues.deriv.contracts")

PRICE_LOST = "the connection to Deriv was lost: waiting for a new price"


class DerivContractStreams:
    """Equal specs share one price stream; a contract is followed until it is sold or settles, then its stream
    is forgotten. While the link is down every price is withdrawn, so nothing is bought at a price from before."""

    def __init__(
        self,
        connection: DerivConnection,
        sink: EventSink,
        instruments: Callable[[], Mapping[str, Instrument]],
    ) -> None:
        self._connection = connection
        self._sink = sink
        self._instruments = instruments
        self._proposals: SharedStreams[ContractSpec] = SharedStreams()
        self._followed: SharedStreams[int] = SharedStreams()
        self._withdrawn: set[ContractSpec] = set()  # specs told PRICE_LOST and not priced since

    def _pip(self, symbol: str) -> Decimal | None:
        instrument = self._instruments().get(symbol)
        return instrument.tick_size if instrument else None

    # ---- prices -------------------------------------------------------------------------------------

    def propose(self, spec: ContractSpec) -> Hold:
        """Stream ``ProposalEvent``s for ``spec``; RateLimited when the venue's number of live prices is reached."""
        return self._proposals.hold(spec, lambda: self._open_proposal(spec))

    def _open_proposal(self, spec: ContractSpec) -> Subscription:
        def on_message(message: Message) -> None:
            try:
                quote = contract_mapping.quote(message, self._pip(spec.symbol))
            except VenueError as exc:
                log.warning("skipped a proposal: %s", exc)
                return
            self._withdrawn.discard(spec)
            self._sink(ProposalEvent(spec, quote))

        def on_error(error: VenueError) -> None:
            self._sink(ProposalEvent(spec, None, error=error.message))

        return self._connection.open_stream(lambda: calls.proposal(spec), on_message, on_error)

    def proposals(self) -> dict[ContractSpec, int]:
        return self._proposals.watchers()

    # ---- bought contracts ---------------------------------------------------------------------------

    def follow(self, contract_id: int) -> Hold:
        """Stream ``ContractEvent``s for a bought contract until released, sold or settled."""
        return self._followed.hold(contract_id, lambda: self._open_follow(contract_id))

    def _open_follow(self, contract_id: int) -> Subscription:
        opened: list[Subscription] = []

        def on_message(message: Message) -> None:
            if not contract_mapping.has_contract(message):
                return
            try:
                contract = contract_mapping.open_contract(message, self._pip(contract_mapping.underlying(message)))
            except VenueError as exc:
                log.warning("skipped an update of contract %s: %s", contract_id, exc)
                return
            self._sink(ContractEvent(contract))
            if contract_mapping.is_final(contract) and opened:
                self._connection.end(opened[0])  # sold or settled: the venue has nothing more to say

        def on_error(error: VenueError) -> None:
            log.warning("contract %s cannot be followed: %s", contract_id, error)

        subscription = self._connection.open_stream(lambda: calls.open_contract(contract_id), on_message, on_error)
        opened.append(subscription)
        return subscription

    def followed(self) -> dict[int, int]:
        return self._followed.watchers()

    # ---- connection states --------------------------------------------------------------------------

    def on_connection(self, event: ConnectionEvent) -> None:
        """The link left LIVE: the prices shown can no longer be bought; new ones come once it is back."""
        if event.state is ConnectionState.LIVE:
            return
        for spec, subscription in self._proposals.items():
            if subscription.live and spec not in self._withdrawn:
                self._withdrawn.add(spec)
                self._sink(ProposalEvent(spec, None, error=PRICE_LOST))
