"""Everything the server knows, owned by its event loop: market, accounts, connections, the limits and
faults a test set; plus a thread-safe journal of requests and violations that the test thread reads."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass

from tests.support.deriv.accounts import Account, Bank
from tests.support.deriv.candles import CandleBook
from tests.support.deriv.connection import Connection, Stream, Subscription
from tests.support.deriv.limits import Limits
from tests.support.deriv.market import Market
from tests.support.deriv.schemas import message_problems
from tests.support.deriv.spec import ContractSpec
from tests.support.deriv.wire import JSON, DerivError, Request, encode, envelope, error_body, error_msg_type, new_id


class Journal:
    """What the test asserts on: written on the server's loop, read from the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[JSON] = []
        self._violations: list[str] = []
        self._app_ids: list[str] = []

    def add_request(self, request: JSON) -> None:
        with self._lock:
            self._requests.append(request)

    def add_violation(self, text: str) -> None:
        with self._lock:
            self._violations.append(text)

    def add_app_id(self, app_id: str) -> None:
        with self._lock:
            self._app_ids.append(app_id)

    def requests(self) -> list[JSON]:
        with self._lock:
            return list(self._requests)

    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def app_ids(self) -> list[str]:
        with self._lock:
            return list(self._app_ids)


class ServerState:
    def __init__(self, seed: int, tick_interval: float, idle_timeout: float) -> None:
        self.market = Market(seed, self.now())
        self.candles = CandleBook(self.market)
        self.bank = Bank()
        self.limits = Limits()
        self.journal = Journal()
        self.connections: list[Connection] = []
        self.failures: dict[str, deque[DerivError]] = defaultdict(deque)  # fail_next, per method, in order
        self.swallows: Counter[str] = Counter()  # swallow_next, per method
        self.tick_interval = tick_interval
        self.idle_timeout = idle_timeout

    @staticmethod
    def now() -> int:
        """Epoch seconds: Deriv's time unit on the wire."""
        return int(time.time())

    def emit(self, conn: Connection, message: JSON, schema: str) -> None:
        """Check a message against the receive schema of the call that caused it, then queue it."""
        for problem in message_problems(schema, message):
            kind = message.get("msg_type")
            self.journal.add_violation(f"sent {schema} ({kind}): {problem.field}: {problem.message}")
        conn.outbox.put_nowait(encode(message))

    def push(self, conn: Connection, subscription: Subscription, msg_type: str, body: JSON) -> None:
        """One message of a stream: the subscribing request's echo_req and req_id, and the subscription id."""
        self.emit(conn, envelope(subscription.request, msg_type, body, subscription.id), subscription.schema)

    def account_streams(self, stream: Stream, login_id: str) -> list[tuple[Connection, Subscription]]:
        return [(conn, sub) for conn in self.connections for sub in conn.streams(stream) if sub.login_id == login_id]


@dataclass
class Context:
    """One request being handled: where answers go and what they echo."""

    state: ServerState
    conn: Connection
    request: Request
    swallow: bool = False  # swallow_next: do the work, send no answer

    def reply(self, msg_type: str, body: JSON, subscription_id: str | None = None) -> None:
        if not self.swallow:
            self.state.emit(self.conn, envelope(self.request, msg_type, body, subscription_id), self.request.method)

    def fail(self, error: DerivError) -> None:
        if not self.swallow:
            message = envelope(self.request, error_msg_type(self.request), error_body(error))
            self.state.emit(self.conn, message, self.request.method)

    @property
    def account(self) -> Account:
        """The logged-in account (dispatch has already refused calls that need one without a login)."""
        if self.conn.login_id is None:
            raise DerivError("AuthorizationRequired", "Please log in.")
        return self.state.bank.account(self.conn.login_id)

    def subscribe(
        self,
        stream: Stream,
        *,
        schema: str | None = None,
        symbol: str | None = None,
        granularity: int = 60,
        spec: ContractSpec | None = None,
        contract_id: int | None = None,
        login_id: str | None = None,
    ) -> Subscription:
        subscription = Subscription(new_id(), stream, self.request, schema or self.request.method, symbol,
                                    granularity, spec, contract_id, login_id)  # fmt: skip
        return self.conn.add(subscription)
