"""A local fake of Webull's OpenAPI over loopback HTTP (uvicorn in its own thread), with a thread-safe
control API: tokens confirmed or expired as the Webull app would, injected failures, set prices."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import TracebackType

from tests.support.threaded_asgi import HOST, ThreadedAsgi
from tests.support.webull.accounts import FakeAccount, FakePosition, default_accounts
from tests.support.webull.app import create_app
from tests.support.webull.config import FakeConfig, SignedHost
from tests.support.webull.journal import RecordedRequest
from tests.support.webull.ratelimit import DEFAULT_LIMITS, Limit
from tests.support.webull.routes import PATHS
from tests.support.webull.state import ServerState
from tests.support.webull.tokens import TokenStatus
from tests.support.webull.wire import WebullError

__all__ = ["FakeAccount", "FakePosition", "Limit", "SignedHost", "WebullFakeServer"]


class WebullFakeServer:
    """Webull's OpenAPI on ``http://127.0.0.1:PORT``.

    Clients sign ``host`` as the bare host name, ``127.0.0.1`` (``signed_host``): the official SDK signs
    its configured endpoint, without the port it connects to, while the Host header it sends carries
    the port. ``signed_host=SignedHost.WITH_PORT`` expects the Host header instead (the older signature
    page: "host:port"); on the real venue (port 443) the two are the same."""

    def __init__(
        self,
        app_key: str = "ak-test-0001",
        app_secret: str = "sk-test-0001",
        token_required: bool = True,
        verify_after: float | None = None,
        *,
        sandbox: bool = False,
        verify_timeout: float = 300.0,
        clock_skew: float = 60.0,
        signed_host: SignedHost = SignedHost.BARE,
        seed: int = 7,
        step_seconds: float = 1.0,
        rate_limits: Mapping[str, Limit] | None = None,
        accounts: Iterable[FakeAccount] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        config = FakeConfig(
            app_key=app_key,
            app_secret=app_secret,
            token_required=token_required,
            sandbox=sandbox,
            verify_timeout=verify_timeout,
            verify_after=verify_after,
            clock_skew=clock_skew,
            signed_host=signed_host,
            seed=seed,
            step_seconds=step_seconds,
            rate_limits=DEFAULT_LIMITS if rate_limits is None else rate_limits,
        )
        chosen = default_accounts() if accounts is None else [copy.deepcopy(account) for account in accounts]
        self._state = ServerState(config, chosen, clock)
        self._released = threading.Event()
        self._app = create_app(self._state, self._released)
        self._http = ThreadedAsgi(self._app, "Webull fake server", on_stop=self._released.set)

    # -- life --------------------------------------------------------------------------------------------

    def start(self) -> WebullFakeServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def __enter__(self) -> WebullFakeServer:
        return self if self._http.running else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    # -- where ---------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._http.port}"

    @property
    def host(self) -> str:
        """The Host header a client sends: ``127.0.0.1:PORT``."""
        return f"{HOST}:{self._http.port}"

    @property
    def signed_host(self) -> str:
        """What a client must sign as ``host`` under the default ``SignedHost.BARE``: ``127.0.0.1``."""
        return self.host if self._state.config.signed_host is SignedHost.WITH_PORT else HOST

    @property
    def app_key(self) -> str:
        return self._state.config.app_key

    @property
    def app_secret(self) -> str:
        return self._state.config.app_secret

    # -- observing -----------------------------------------------------------------------------------------

    @property
    def violations(self) -> list[str]:
        return self._state.journal.violations()

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._state.journal.requests()

    @property
    def tokens(self) -> dict[str, str]:
        with self._state.lock:
            return self._state.tokens.statuses()

    @property
    def accounts(self) -> dict[str, FakeAccount]:
        """Copies of the accounts as they are now (prices walked, resting orders matched)."""
        with self._state.lock:
            self._state.sync()
            return copy.deepcopy(self._state.accounts)

    def price(self, symbol: str) -> Decimal:
        with self._state.lock:
            self._state.sync()
            return self._state.market.quotes[symbol].price

    # -- tokens --------------------------------------------------------------------------------------------

    def verify_token(self, token: str) -> None:
        """The user typed the SMS code into the Webull app: PENDING -> NORMAL."""
        with self._state.lock:
            status = self._state.tokens.statuses().get(token)
            if status != TokenStatus.PENDING:
                raise ValueError(f"token {token!r} is {status}, not PENDING: nothing to verify")
            self._state.tokens.set_status(token, TokenStatus.NORMAL)

    def expire_token(self, token: str) -> None:
        """The 5-minute verification window ran out: -> EXPIRED."""
        with self._state.lock:
            self._state.tokens.set_status(token, TokenStatus.EXPIRED)

    def invalidate_token(self, token: str) -> None:
        """15 days without a call (or revoked): -> INVALID."""
        with self._state.lock:
            self._state.tokens.set_status(token, TokenStatus.INVALID)

    def issue_token(self) -> str:
        """A NORMAL token without the create/verify dance, for tests about something else."""
        with self._state.lock:
            return self._state.tokens.issue()

    # -- faults --------------------------------------------------------------------------------------------

    def fail_next(self, path: str, http_status: int, error_code: str, message: str) -> None:
        """Answer the next valid request to ``path`` with this error instead of handling it (queued)."""
        _known(path)
        with self._state.lock:
            self._state.faults.fail_next(path, WebullError(http_status, error_code, message))

    def swallow_next(self, path: str) -> None:
        """Handle the next valid request to ``path`` in full (an order IS placed) but never answer it."""
        _known(path)
        with self._state.lock:
            self._state.faults.swallow_next(path)

    # -- market and orders ---------------------------------------------------------------------------------

    def set_price(self, symbol: str, price: Decimal | str) -> None:
        """Move the last price (bid/ask one tick either side) and fill the resting orders it reaches."""
        with self._state.lock:
            self._state.sync()
            self._state.market.set_price(symbol, Decimal(price))
            self._state.engine.match_all()

    def fill_order(
        self, client_order_id: str, quantity: Decimal | str | None = None, price: Decimal | str | None = None
    ) -> None:
        """Fill an open order (partly, with ``quantity``), at ``price`` or its limit or the last price."""
        with self._state.lock:
            for account in self._state.accounts.values():
                order = account.orders.get(client_order_id)
                if order is not None and order.is_open:
                    at = Decimal(price) if price is not None else order.limit_price
                    at = at if at is not None else self._state.market.quotes[order.symbol].price
                    amount = Decimal(quantity) if quantity is not None else order.remaining
                    self._state.engine.fill(account, order, amount, at)
                    return
            raise KeyError(f"no open order {client_order_id!r}")

    def end_of_day(self) -> None:
        """The session closes: DAY orders still open are cancelled, GTC orders stay."""
        with self._state.lock:
            self._state.engine.end_of_day()


def _known(path: str) -> None:
    if path not in PATHS:
        raise ValueError(f"not a path this fake serves: {path}")
