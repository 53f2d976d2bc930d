"""HashKey as the session sees it: REST, both streams, instruments, fees and permissions in one object."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from terminal.domain.balance import Balance
from terminal.domain.enums import OrderType, Side
from terminal.domain.instrument import ALLOWED_TIME_IN_FORCE, Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.venues.base import Capabilities, EventSink, Fees, Permissions, Topic, VenueStatus
from terminal.venues.errors import AuthenticationError, OrderRejected, PermissionDenied, VenueError
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.endpoints import RateClass
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.market_stream import HashKeyMarketStream, Watch
from terminal.venues.hashkey.models import FeeRate
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from terminal.venues.hashkey.user_stream import HashKeyUserStream

log = logging.getLogger("terminal.venues.hashkey")

CAPABILITIES = Capabilities(
    venue="HashKey",
    order_book=True,
    order_types=(OrderType.LIMIT, OrderType.MARKET, OrderType.LIMIT_MAKER),
    time_in_force=ALLOWED_TIME_IN_FORCE,
    market_buy_by_amount=True,
    max_depth=200,
)


class HashKeyVenue:
    capabilities = CAPABILITIES

    def __init__(self, hosts: Hosts, credentials: Credentials | None = None, *, recv_window: int = 5000) -> None:
        self.hosts = hosts
        self.transport = HashKeyTransport(hosts.rest_url, credentials, recv_window=recv_window)
        self.rest = HashKeyRestClient(self.transport)
        self.instruments: dict[str, Instrument] = {}
        self.fees: dict[str, Fees] = {}
        self.permissions = Permissions(can_read=credentials is not None, can_trade=False, reason="no API key")
        self._market: HashKeyMarketStream | None = None
        self._user: HashKeyUserStream | None = None
        self._credentials = credentials

    @property
    def has_key(self) -> bool:
        return self._credentials is not None

    # ---- lifecycle ----------------------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        """Measure the clock, load the instruments, open the streams. Raises VenueError if the
        venue cannot be reached or refuses the key; the streams then keep themselves alive."""
        await self.transport.sync_clock()
        self.transport.start_clock_sync()
        info = await self.rest.exchange_info()
        for problem in info.skipped:
            log.warning("skipped a symbol the venue described badly: %s", problem)
        self.instruments = {i.symbol: i for i in info.instruments}
        self._market = HashKeyMarketStream(self.hosts, self.rest, sink)
        self._market.start()
        if self._credentials is not None:
            self.permissions = await self._check_permissions()
            await self._load_fees()
            self._user = HashKeyUserStream(self.hosts, self.rest, sink)
            self._user.start()

    async def close(self) -> None:
        """Close the streams (deleting the listen key) and the HTTP client."""
        if self._user is not None:
            await self._user.close()
        if self._market is not None:
            await self._market.close()
        await self.rest.aclose()

    async def check_key(self) -> tuple[Permissions, int]:
        """Test a key without opening streams: what it may do, and how many balances it sees."""
        if not self.instruments:
            self.instruments = {i.symbol: i for i in (await self.rest.exchange_info()).instruments}
        permissions = await self._check_permissions()
        balances = await self.rest.account()
        return permissions, len(balances.balances)

    async def _check_permissions(self) -> Permissions:
        """Whether the key can trade: checkApiKey says what account it is; a test order (validated,
        never placed) tells whether it may trade."""
        account = await self.rest.api_key_type()
        probe = self._probe_order()
        if probe is None:
            return Permissions(
                True, False, "no tradable symbol to check the key's permission with", account.account_type
            )
        try:
            await self.rest.test_order(probe)
        except (PermissionDenied, AuthenticationError) as exc:
            return Permissions(True, False, f"this API key may only read: {exc.message}", account.account_type)
        except OrderRejected:
            pass  # refused for a trading rule: the key itself may trade
        return Permissions(True, True, "", account.account_type)

    def _probe_order(self) -> OrderRequest | None:
        for instrument in self.instruments.values():
            if instrument.is_trading:
                qty = max(instrument.lot_size.min_qty, instrument.step_size)
                return OrderRequest(instrument.symbol, Side.BUY, OrderType.LIMIT, qty, instrument.tick_size)
        return None

    async def _load_fees(self) -> None:
        try:
            vip = await self.rest.vip_info()
        except VenueError as exc:
            log.warning("could not load fee rates: %s", exc)
            return
        self.fees = {symbol: _fees(rate) for symbol, rate in vip.fees.items()}

    # ---- market data --------------------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch:
        if self._market is None:
            raise RuntimeError("the venue is not started")
        return self._market.watch(topic, symbol, interval)

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        """Up to ``limit`` candles ending at ``end_ms`` (default: now), oldest first: one page of history."""
        return await self.rest.klines(symbol, interval, limit=limit, end_ms=end_ms)

    # ---- trading and account ------------------------------------------------------------------

    async def place(self, request: OrderRequest) -> Order:
        if request.client_order_id and self._user is not None:
            self._user.track(request.client_order_id)
        return await self.rest.create_order(request)

    async def cancel(self, client_order_id: str) -> Order:
        return await self.rest.cancel_order(client_order_id=client_order_id)

    async def cancel_all(self, symbol: str | None = None) -> None:
        if symbol is None:
            await self.rest.cancel_all_open_orders()
        else:
            await self.rest.cancel_open_orders(symbol)

    async def query(self, client_order_id: str) -> Order:
        return await self.rest.get_order(client_order_id=client_order_id)

    async def open_orders(self) -> list[Order]:
        return await self.rest.open_orders(limit=1000)

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]:
        return await self.rest.trade_orders(symbol=symbol, limit=limit)

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]:
        return await self.rest.account_trades(symbol=symbol, limit=limit)

    async def balances(self) -> Sequence[Balance]:
        return (await self.rest.account()).balances

    # ---- status -------------------------------------------------------------------------------

    def status(self) -> VenueStatus:
        limiter = self.transport.limiter
        headroom = {str(c): limiter.status(c).headroom for c in (RateClass.ORDER, RateClass.QUERY)}
        queued = sum(limiter.status(c).queued for c in limiter.classes())
        paused = max((limiter.status(c).paused_for for c in limiter.classes()), default=0.0)
        sample = self.transport.clock.sample
        return VenueStatus(
            round_trip_ms=self._market.round_trip_ms if self._market else None,
            clock_offset_ms=sample.offset_ms if sample else None,
            rate_headroom=headroom,
            queued_requests=queued,
            rate_limited_for=paused,
            banned=limiter.banned,
        )


def _fees(rate: FeeRate) -> Fees:
    return Fees(rate.maker_rate, rate.taker_rate, rate.buy_taker_fee_currency, rate.sell_taker_fee_currency)
