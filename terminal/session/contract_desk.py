"""Buying and selling contracts: checked before anything leaves, journaled, every outcome accounted for.

The ticket's spec is priced by one live proposal stream; a buy takes that stream's latest price as
its maximum. A buy whose answer is lost is reconciled from the account statement (a buy is never
re-sent): either the purchase is found there and followed, or the statement shows none. Every
bought contract is followed (proposal_open_contract) until it is sold or settles.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from decimal import Decimal

from terminal.domain.contracts import ContractSpec, OpenContract, Purchase, Sale, Transaction, spec_problems
from terminal.domain.decimals import format_decimal
from terminal.domain.risk import RiskLimits
from terminal.session.audit import Audit
from terminal.session.contract_store import ContractStore
from terminal.session.messages import describe_error
from terminal.session.order_manager import RECONCILE_DELAYS, Notice
from terminal.storage.journal import JournalError
from terminal.venues.base import ContractEvent, ContractVenue, ProposalEvent, Watch
from terminal.venues.errors import UnknownOutcome, VenueError

log = logging.getLogger("terminal.contracts")

# The statement is conclusive about a buy once the venue has had this long to book it.
RECONCILE_GRACE_S = 10.0
CLOCK_SLACK_MS = 5_000  # our clock and the venue's may differ this much when matching a buy's time


class ContractDesk:
    def __init__(
        self,
        venue: ContractVenue,
        store: ContractStore,
        *,
        notify: Callable[[Notice], None],
        spawn: Callable[[Coroutine[object, object, None]], None],
        audit: Audit,
        blocked: Callable[[], str],
        limits: RiskLimits | None = None,
    ) -> None:
        self.venue = venue
        self.store = store
        self.limits = limits or RiskLimits()
        self._notify = notify
        self._spawn = spawn
        self._audit = audit
        self._blocked = blocked
        self._proposal: Watch | None = None
        self._followed: dict[int, Watch] = {}
        self._history_running = False
        self._history_again = False
        self.buying = False  # a buy is on its way: the ticket's Buy waits for it
        self.selling: set[int] = set()
        self.reconciling = 0  # buys whose outcome is being looked up

    # ---- pricing --------------------------------------------------------------------------------

    def price(self, spec: ContractSpec | None) -> None:
        """Price ``spec`` live (one proposal stream; the previous one is forgotten); None stops pricing."""
        if spec == self.store.pricing:
            return
        if self._proposal is not None:
            self._proposal.release()
            self._proposal = None
        self.store.set_pricing(spec)
        if spec is None:
            return
        try:
            self._proposal = self.venue.propose(spec)
        except VenueError as exc:  # e.g. the venue's limit of proposal streams
            self.store.apply(ProposalEvent(spec, None, describe_error(exc)))

    # ---- what the user may do -------------------------------------------------------------------

    def trade_refusal(self) -> str:
        """Why no contract may be bought now, in words; empty when it may."""
        permissions = self.venue.permissions
        if not permissions.can_trade:
            return permissions.reason or "this token may not trade"
        return f"trading is paused: {self._blocked()}" if self._blocked() else ""

    def buy_refusal(self, spec: ContractSpec) -> str:
        """Why ``spec`` cannot be bought at this moment (``trade_refusal``, its problems, no price yet)."""
        refusal = self.trade_refusal()
        if refusal:
            return refusal
        problems = spec_problems(spec)
        if problems:
            return "; ".join(problems)
        if self.buying:
            return "a buy is already on its way"
        event = self.store.proposal if self.store.pricing == spec else None
        if event is None:
            return "waiting for the venue's price"
        if event.quote is None:
            return event.error or "the venue does not price this contract"
        limit = self.limits.max_order_notional
        if limit is not None and event.quote.ask_price > limit:
            return f"the price {event.quote.ask_price} is over the risk limit of {limit} per order"
        return ""

    # ---- buying ---------------------------------------------------------------------------------

    async def buy(self, spec: ContractSpec) -> Purchase | None:
        """Buy ``spec`` at its latest price at most; None (and a notice saying why) when it is not bought."""
        refusal = self.buy_refusal(spec)
        if refusal:
            self._notify(Notice("error", f"Not bought: {refusal}."))
            return None
        event = self.store.proposal
        assert event is not None and event.quote is not None  # buy_refusal checked both
        quote = event.quote
        currency = spec.currency
        what = f"{spec.contract_type} {spec.symbol} ({quote.longcode})"
        try:  # the intent is durable before the request leaves, as for orders
            self._audit.action(f"buy {what} at most {quote.ask_price} {currency}", data={"proposal": quote.proposal_id})
            self._audit.flush()
        except JournalError as exc:
            self._notify(Notice("error", f"Not bought: the journal could not record it ({exc})."))
            return None
        self.buying = True
        sent_ms = int(time.time() * 1000)
        try:
            purchase = await self.venue.buy(quote)
        except UnknownOutcome as exc:
            self._audit.response(f"no answer to the buy: {exc}")
            self._notify(Notice("warning", f"The buy of {what}: {describe_error(exc)}"))
            self.reconciling += 1
            self._spawn(self._reconcile_buy(sent_ms, quote.ask_price, what))
            return None
        except VenueError as exc:
            self._audit.response(f"buy refused: {exc}")
            self._notify(Notice("error", f"Not bought: {describe_error(exc)}"))
            return None
        finally:
            self.buying = False
        self._audit.response(
            f"bought contract {purchase.contract_id} for {purchase.buy_price} {currency}",
            data={"contract_id": purchase.contract_id, "transaction_id": purchase.transaction_id},
        )
        self._notify(
            Notice(
                "info",
                f"Bought contract {purchase.contract_id} for {_money(purchase.buy_price, currency)} "
                f"(payout {_money(purchase.payout, currency)}): {purchase.longcode}",
                "fill",
            )
        )
        self.follow(purchase.contract_id)
        self._spawn(self.refresh_history())
        return purchase

    async def _reconcile_buy(self, sent_ms: int, price: Decimal, what: str) -> None:
        """Find the lost buy in the statement: follow it if it is there, say so if it is not. Never re-sent."""
        known = set(self.store.contracts) | {entry.contract_id for entry in self.store.portfolio}
        started = time.monotonic()
        attempt = 0
        try:
            while True:
                # The pace at which an order of unknown outcome is queried again, then every last one.
                await asyncio.sleep(RECONCILE_DELAYS[min(attempt, len(RECONCILE_DELAYS) - 1)])
                attempt += 1
                try:
                    lines = await self.venue.statement(limit=50, since_ms=sent_ms - CLOCK_SLACK_MS)
                except VenueError as exc:
                    log.info("reconciling a buy: the statement could not be read (%s); asking again", exc)
                    continue
                found = _purchase_in(lines, known, sent_ms, price)
                if found is not None and found.contract_id is not None:
                    self._audit.note(f"reconciled: the buy went through as contract {found.contract_id}")
                    self._notify(
                        Notice(
                            "info",
                            f"The buy of {what} went through: contract {found.contract_id} "
                            f"for {format_decimal(-found.amount)}.",
                            "fill",
                        )
                    )
                    self.follow(found.contract_id)
                    self._spawn(self.refresh_history())
                    return
                if time.monotonic() - started >= RECONCILE_GRACE_S:
                    self._audit.note("reconciled: the statement shows no such buy; nothing was bought")
                    self._notify(Notice("info", f"The buy of {what} did not go through: nothing was bought."))
                    return
        finally:
            self.reconciling -= 1

    # ---- selling --------------------------------------------------------------------------------

    async def sell(self, contract_id: int) -> Sale | None:
        """Sell an open contract at the market; None (and a notice saying why) when it is not sold."""
        contract = self.store.contracts.get(contract_id)
        permissions = self.venue.permissions
        if not permissions.can_trade:
            refusal = permissions.reason or "this token may not trade"
        elif contract is None or not contract.is_open:
            refusal = "the contract is no longer open"
        elif not contract.can_sell:
            refusal = "the venue does not offer to buy this contract back now"
        elif contract_id in self.selling:
            refusal = "a sale is already on its way"
        else:
            refusal = ""
        if refusal:
            self._notify(Notice("error", f"Contract {contract_id} not sold: {refusal}."))
            return None
        self.selling.add(contract_id)
        self._audit.action(f"sell contract {contract_id} at the market (bid {contract.bid_price if contract else '?'})")
        try:
            sale = await self.venue.sell(contract_id, Decimal(0))  # 0: at the market price, whatever it is now
        except UnknownOutcome as exc:
            # The contract's own stream says whether it was sold: it is followed until it closes.
            self._audit.response(f"no answer to the sale: {exc}")
            self._notify(Notice("warning", f"Selling contract {contract_id}: {describe_error(exc)}"))
            self.follow(contract_id)
            return None
        except VenueError as exc:
            self._audit.response(f"sale refused: {exc}")
            self._notify(Notice("error", f"Contract {contract_id} not sold: {describe_error(exc)}"))
            return None
        finally:
            self.selling.discard(contract_id)
        currency = contract.currency if contract else ""
        self._audit.response(f"sold contract {contract_id} for {sale.sold_for} {currency}")
        self._notify(Notice("info", f"Sold contract {contract_id} for {_money(sale.sold_for, currency)}.", "fill"))
        self._spawn(self.refresh_history())
        return sale

    # ---- following contracts --------------------------------------------------------------------

    def follow(self, contract_id: int) -> None:
        if contract_id not in self._followed:
            try:
                self._followed[contract_id] = self.venue.follow(contract_id)
            except VenueError as exc:
                self._notify(Notice("warning", f"Contract {contract_id} cannot be followed: {describe_error(exc)}"))

    def on_contract(self, event: ContractEvent, previous: OpenContract | None) -> None:
        """A contract's new state (already in the store): follow it while open, announce how it ended."""
        contract = event.contract
        if contract.is_open:
            self.follow(contract.contract_id)
            return
        watch = self._followed.pop(contract.contract_id, None)
        if watch is not None:
            watch.release()
        if previous is not None and previous.is_open:
            currency = contract.currency
            self._audit.event(f"contract {contract.contract_id} {contract.status}, profit {contract.profit} {currency}")
            self._notify(
                Notice(
                    "info",
                    f"Contract {contract.contract_id} {contract.status}: "
                    f"{'+' if contract.profit > 0 else ''}{_money(contract.profit, currency)}.",
                    "fill" if contract.status != "sold" else "order",
                )
            )
            self._spawn(self.refresh_history())

    @property
    def followed(self) -> set[int]:
        return set(self._followed)

    # ---- history --------------------------------------------------------------------------------

    async def refresh_history(self) -> None:
        """Portfolio, statement and profit table again (one refresh at a time; asked again meanwhile: once more)."""
        if self._history_running:
            self._history_again = True
            return
        self._history_running = True
        try:
            while True:
                self._history_again = False
                portfolio, statement, closed = await asyncio.gather(
                    self.venue.portfolio(), self.venue.statement(), self.venue.profit_table(), return_exceptions=True
                )
                errors = [r for r in (portfolio, statement, closed) if isinstance(r, BaseException)]
                self.store.set_history(
                    portfolio=portfolio if isinstance(portfolio, list) else None,
                    statement=statement if isinstance(statement, list) else None,
                    closed=closed if isinstance(closed, list) else None,
                )
                for error in errors:
                    if not isinstance(error, VenueError):
                        raise error
                    self._notify(Notice("warning", f"Could not load the account history: {describe_error(error)}"))
                if not self._history_again:
                    return
        finally:
            self._history_running = False

    def close(self) -> None:
        if self._proposal is not None:
            self._proposal.release()
            self._proposal = None
        for watch in self._followed.values():
            watch.release()
        self._followed.clear()


def _purchase_in(lines: list[Transaction], known: set[int], sent_ms: int, price: Decimal) -> Transaction | None:
    """The statement's buy that is ours: booked after we sent it, for no more than our price, not known before."""
    for line in lines:
        if (
            line.action == "buy"
            and line.contract_id is not None
            and line.contract_id not in known
            and line.time_ms >= sent_ms - CLOCK_SLACK_MS
            and -line.amount <= price
        ):
            return line
    return None


def _money(amount: Decimal, currency: str) -> str:
    return f"{format_decimal(amount, Decimal('0.01'), grouping=True)} {currency}".strip()
