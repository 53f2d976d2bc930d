"""A local fake of Longbridge's OpenAPI REST endpoints over loopback HTTP (uvicorn in its own thread), with a
thread-safe control API: tokens issued or expired, injected failures and lost answers, prices and fills."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import TracebackType

from tests.support.longbridge.accounts import FakeAccount, FakePosition, default_account
from tests.support.longbridge.app import create_app
from tests.support.longbridge.journal import RecordedRequest
from tests.support.longbridge.market import DEFAULT_PRICES, INSTRUMENTS
from tests.support.longbridge.orders import Execution, FakeOrder, OrderStatus
from tests.support.longbridge.ratelimit import Limit
from tests.support.longbridge.routes import PATHS, ROUTES
from tests.support.longbridge.state import FakeConfig, ServerState
from tests.support.longbridge.wire import LongbridgeError
from tests.support.threaded_asgi import HOST, ThreadedAsgi

__all__ = ["FakeAccount", "FakePosition", "Limit", "LongbridgeFakeServer", "OrderStatus"]


class LongbridgeFakeServer:
    """Longbridge's OpenAPI on ``http://127.0.0.1:PORT`` for one app key, with one valid access token
    (``token``) from the start."""

    def __init__(
        self,
        app_key: str = "lb-app-key-0001",
        app_secret: str = "lb-app-secret-0001",
        token: str = "lb-access-token-0001",
        *,
        token_expires_at: float | None = None,
        clock_skew: float = 30.0,
        api_limit: Limit | None = None,
        ip_limit: Limit | None = None,
        account: FakeAccount | None = None,
        prices: Mapping[str, Decimal | str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        config = FakeConfig(app_key, app_secret, clock_skew, api_limit, ip_limit)
        chosen = default_account() if account is None else copy.deepcopy(account)
        quoted = {**DEFAULT_PRICES, **{symbol: Decimal(price) for symbol, price in (prices or {}).items()}}
        self._state = ServerState(config, chosen, quoted, clock)
        self._state.tokens.add(token, token_expires_at)
        self.token = token
        self._released = threading.Event()
        self._app = create_app(self._state, self._released)
        self._http = ThreadedAsgi(self._app, "Longbridge fake server", on_stop=self._released.set)

    # -- life --------------------------------------------------------------------------------------------

    def start(self) -> LongbridgeFakeServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def __enter__(self) -> LongbridgeFakeServer:
        return self if self._http.running else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    # -- where and who -------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._http.port}"

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
        """Every token the fake knows, with its status: ``valid``, ``expired`` or ``invalidated``."""
        with self._state.lock:
            return self._state.tokens.statuses()

    def token_expires_at(self, token: str) -> float:
        with self._state.lock:
            return self._state.tokens.record(token).expires_at

    @property
    def account(self) -> FakeAccount:
        """A copy of the account as it is now (cash, positions, orders, executions)."""
        with self._state.lock:
            return copy.deepcopy(self._state.account)

    def order(self, order_id: str) -> FakeOrder:
        with self._state.lock:
            return copy.deepcopy(self._state.engine.find(order_id))

    @property
    def orders(self) -> list[FakeOrder]:
        with self._state.lock:
            return copy.deepcopy(list(self._state.account.orders.values()))

    @property
    def executions(self) -> list[Execution]:
        with self._state.lock:
            return copy.deepcopy(self._state.account.executions)

    def cash(self, currency: str) -> Decimal:
        with self._state.lock:
            return self._state.account.cash.get(currency, Decimal(0))

    def position(self, symbol: str) -> Decimal:
        with self._state.lock:
            held = self._state.account.positions.get(symbol)
            return held.quantity if held else Decimal(0)

    def price(self, symbol: str) -> Decimal:
        with self._state.lock:
            return self._state.market.last(symbol)

    # -- tokens --------------------------------------------------------------------------------------------

    def issue_token(self, expires_at: float | None = None) -> str:
        """A new valid token (default: 90 days from the fake's clock), as if taken from the developer site."""
        with self._state.lock:
            return self._state.tokens.issue(expires_at).token

    def expire_token(self, token: str) -> None:
        """The token's time ran out: its next use answers 401 / 401003 "token expired"."""
        with self._state.lock:
            self._state.tokens.expire(token)

    # -- limits and faults ---------------------------------------------------------------------------------

    def set_limits(self, api_limit: Limit | None = None, ip_limit: Limit | None = None) -> None:
        """Per app key and endpoint (429002) and per client address (429001); None turns one off."""
        with self._state.lock:
            self._state.config.api_limit, self._state.config.ip_limit = api_limit, ip_limit

    def fail_next(self, path: str, http_status: int, code: int, message: str, *, method: str | None = None) -> None:
        """Answer the next authenticated request to ``path`` (any method, or ``method``) with this error
        instead of handling it (queued, first in first out)."""
        _known(path, method)
        with self._state.lock:
            self._state.faults.fail_next(method, path, LongbridgeError(http_status, code, message))

    def swallow_next(self, path: str, *, method: str | None = None) -> None:
        """Handle the next authenticated request to ``path`` in full (an order IS placed) but never answer."""
        _known(path, method)
        with self._state.lock:
            self._state.faults.swallow_next(method, path)

    # -- market and orders ---------------------------------------------------------------------------------

    def set_price(self, symbol: str, price: Decimal | str) -> None:
        """Move the last price and fill the resting orders it reaches (at their limit price)."""
        if symbol not in INSTRUMENTS:
            raise KeyError(f"not a symbol this fake trades: {symbol}")
        with self._state.lock:
            self._state.market.prices[symbol] = Decimal(price)
            self._state.engine.match_all()

    def fill_order(
        self, order_id: str, quantity: Decimal | str | None = None, price: Decimal | str | None = None
    ) -> None:
        """Fill an open order (partly, with ``quantity``), at ``price`` or its limit or the last price."""
        with self._state.lock:
            order = self._state.engine.find(order_id)
            if not order.is_open:
                raise ValueError(f"order {order_id} is {order.status}, not open")
            at = Decimal(price) if price is not None else order.price
            at = at if at is not None else self._state.market.last(order.symbol)
            amount = Decimal(quantity) if quantity is not None else order.remaining
            self._state.engine.fill(order, amount, at)

    def reject_order(self, order_id: str, message: str = "rejected by the exchange") -> None:
        """The exchange refuses an open order after it was accepted: -> RejectedStatus with ``msg``."""
        with self._state.lock:
            order = self._state.engine.find(order_id)
            if not order.is_open:
                raise ValueError(f"order {order_id} is {order.status}, not open")
            self._state.engine.close(order, OrderStatus.REJECTED, message)

    def end_of_day(self) -> None:
        """The session closes: Day orders still open expire (ExpiredStatus); GTC and GTD orders stay."""
        with self._state.lock:
            self._state.engine.end_of_day()


def _known(path: str, method: str | None) -> None:
    if path not in PATHS or (method is not None and (method, path) not in ROUTES):
        raise ValueError(f"not an endpoint this fake serves: {method or '*'} {path}")
