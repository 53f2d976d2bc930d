"""What an order must pass before it may leave: the venue's rules, the user's risk limits, the repeat guard.

Three answers are possible. A broken rule or a limit set to "block" refuses the order
(``TicketError``). A limit set to "confirm", a confirmation the user asked for in the settings, or
the same order as one sent a moment ago (a double click, a repeating key), holds it until the user
confirms exactly those concerns
(``NeedsConfirmation``). Anything else passes without a dialog: only what is risky is confirmed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from terminal.domain.confirmation import ConfirmRule, Origin, concern_key, reason, rules_to_confirm
from terminal.domain.orders import OrderRequest
from terminal.domain.risk import RiskAction, RiskBreach, RiskLimits
from terminal.domain.validation import Violation

REPEAT_WINDOW_S = 1.5
REPEAT = "repeat"  # the concern key of a repeated order


class TicketError(Exception):
    """An order that may not be sent: its violations, or a reason (no permission, unknown symbol)."""

    def __init__(self, reason: str, violations: list[Violation] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.violations = violations or []


@dataclass(frozen=True, slots=True)
class Concern:
    """One reason to ask before sending: ``key`` names it (a risk limit, or ``REPEAT``)."""

    key: str
    text: str


class NeedsConfirmation(TicketError):
    """The order was held back: send it again with every concern's key confirmed to place it."""

    def __init__(self, concerns: list[Concern]) -> None:
        super().__init__(" ".join(concern.text for concern in concerns))
        self.concerns = concerns

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(concern.key for concern in self.concerns)


class RepeatGuard:
    """Remembers the orders sent in the last moments (time in monotonic seconds, passed in)."""

    def __init__(self, window_s: float = REPEAT_WINDOW_S) -> None:
        self.window_s = window_s
        self._sent: dict[OrderRequest, float] = {}

    def repeat_age(self, request: OrderRequest, now: float) -> float | None:
        """Seconds since the same order was sent, if within the window; None when it may go."""
        self._forget(now)
        sent = self._sent.get(_identity(request))
        return None if sent is None else now - sent

    def record(self, request: OrderRequest, now: float) -> None:
        self._forget(now)
        self._sent[_identity(request)] = now

    def _forget(self, now: float) -> None:
        for key in [key for key, at in self._sent.items() if not 0 <= now - at < self.window_s]:
            del self._sent[key]


def _identity(request: OrderRequest) -> OrderRequest:
    return replace(request, client_order_id=None)


class OrderGate:
    """Judges requests against risk limits and the repeat guard (the venue's rules are checked first,
    by the order manager, with ``validate_order``)."""

    def __init__(self, limits: RiskLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or RiskLimits()
        self.confirm_rules: frozenset[ConfirmRule] = frozenset()  # the user's settings (confirmation.py)
        self.repeats = RepeatGuard()
        self._clock = clock

    def judge(
        self,
        request: OrderRequest,
        breaches: list[RiskBreach],
        confirmed: Collection[str],
        origin: Origin | None = None,
    ) -> list[Concern]:
        """Raise TicketError for a blocked order; return the concerns still to be confirmed (none: send)."""
        concerns = self.judge_limits(breaches)
        for rule in rules_to_confirm(request, origin, self.confirm_rules):
            concerns.append(Concern(concern_key(rule), reason(rule)))
        age = self.repeats.repeat_age(request, self._clock())
        if age is not None:
            concerns.append(Concern(REPEAT, f"The same order was sent {age * 1000:.0f} ms ago; it was not sent again."))
        return [concern for concern in concerns if concern.key not in confirmed]

    def judge_limits(self, breaches: list[RiskBreach], confirmed: Collection[str] = ()) -> list[Concern]:
        """Raise TicketError for a limit set to block; the other breaches, less those ``confirmed``."""
        concerns: list[Concern] = []
        for breach in breaches:
            if breach.action is RiskAction.BLOCK:
                raise TicketError(f"Blocked by your risk limits: {breach.message}")
            concerns.append(Concern(str(breach.limit), breach.message))
        return [concern for concern in concerns if concern.key not in confirmed]

    def sent(self, request: OrderRequest) -> None:
        self.repeats.record(request, self._clock())
