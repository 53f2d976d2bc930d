"""The private user stream against the real demo exchange: listen keys, order and fill events,
and reconciliation that leaves nothing missed when the link drops while orders fill."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.demo.exchange import DemoConfig
from terminal.demo.server.app import DemoServer
from terminal.domain.balance import Balance
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.order_state import apply_update
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.venues.base import BalanceEvent, ConnectionEvent, ConnectionState, FillEvent, OrderEvent, VenueEvent
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.listen_key import ListenKeyKeeper
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from terminal.venues.hashkey.user_stream import HashKeyUserStream
from terminal.venues.ws_link import Backoff
from tests.support.demo import EventLog, fault, running_demo

FAST = Backoff(initial=0.05, maximum=0.5, jitter=0.05, healthy_after=0.5)


@dataclass
class Mirror:
    """What a session would hold after applying the stream's events idempotently."""

    orders: dict[str, Order] = field(default_factory=dict)
    balances: dict[str, Balance] = field(default_factory=dict)
    fills: dict[str, Fill] = field(default_factory=dict)

    def __call__(self, event: VenueEvent) -> None:
        if isinstance(event, OrderEvent):
            known = self.orders.get(event.order.client_order_id)
            self.orders[event.order.client_order_id] = apply_update(known, event.update) if known else event.order
        elif isinstance(event, FillEvent):
            self.fills[event.fill.trade_id] = event.fill
        elif isinstance(event, BalanceEvent):
            if event.complete:
                self.balances.clear()
            self.balances.update({b.asset: b for b in event.balances})


@dataclass
class Rig:
    demo: DemoServer
    rest: HashKeyRestClient
    stream: HashKeyUserStream
    log: EventLog
    mirror: Mirror


@contextlib.asynccontextmanager
async def _rig(config: DemoConfig | None = None, keeper_reset: float | None = None) -> AsyncIterator[Rig]:
    async with running_demo(config) as demo:
        e = demo.endpoints
        assert e is not None
        hosts = Hosts(e.rest_url, e.stream_url)
        rest = HashKeyRestClient(HashKeyTransport(hosts.rest_url, Credentials(e.api_key, e.api_secret)))
        log, mirror = EventLog(), Mirror()

        def sink(event: VenueEvent) -> None:
            log(event)
            mirror(event)

        keeper = ListenKeyKeeper(rest, reset_every=keeper_reset) if keeper_reset else None
        stream = HashKeyUserStream(hosts, rest, sink, keeper=keeper, backoff=FAST)
        stream.start()
        try:
            await log.wait_for(_live, timeout=15)
            yield Rig(demo, rest, stream, log, mirror)
        finally:
            await stream.close()
            await rest.aclose()


def _live(event: VenueEvent) -> bool:
    return isinstance(event, ConnectionEvent) and event.state is ConnectionState.LIVE


def _best(rig: Rig, symbol: str) -> tuple[Decimal, Decimal]:
    quote = rig.demo.exchange.book_ticker(symbol)
    assert quote.bid is not None and quote.ask is not None
    return quote.bid, quote.ask


async def test_concurrent_callers_get_one_listen_key() -> None:
    async with running_demo(simulate=False) as demo:
        e = demo.endpoints
        assert e is not None
        rest = HashKeyRestClient(HashKeyTransport(e.rest_url, Credentials(e.api_key, e.api_secret)))
        keeper = ListenKeyKeeper(rest)
        keys = await asyncio.gather(*(keeper.get() for _ in range(5)))
        assert len(set(keys)) == 1
        assert keeper.created == 1
        await keeper.close()
        assert demo.exchange.listen_keys.account_of(keys[0], demo.exchange.now_ms()) is None  # deleted
        await rest.aclose()


async def test_orders_fills_and_balances_arrive_on_the_stream() -> None:
    async with _rig() as rig:
        bid, _ = _best(rig, "ETHUSDT")
        resting = OrderRequest(
            "ETHUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.01"), (bid * Decimal("0.95")).quantize(Decimal("0.01"))
        )
        placed = await rig.rest.create_order(resting)
        new = await rig.log.wait_for(
            lambda e: isinstance(e, OrderEvent) and e.order.client_order_id == placed.client_order_id
        )
        assert new.order.status is OrderStatus.NEW
        await rig.rest.cancel_order(client_order_id=placed.client_order_id)
        await rig.log.wait_for(
            lambda e: (
                isinstance(e, OrderEvent)
                and e.order.client_order_id == placed.client_order_id
                and e.order.status is OrderStatus.CANCELED
            )
        )
        market = await rig.rest.create_order(OrderRequest("ETHUSDT", Side.BUY, OrderType.MARKET, amount=Decimal(100)))
        fill = await rig.log.wait_for(lambda e: isinstance(e, FillEvent) and e.fill.order_id == market.order_id)
        assert fill.fill.side is Side.BUY and fill.fill.commission_asset == "ETH"
        balances = await rig.log.wait_for(lambda e: isinstance(e, BalanceEvent) and not e.complete)
        assert {b.asset for b in balances.balances} <= {"ETH", "USDT"}


async def test_fills_while_the_link_is_down_are_reconciled_to_the_venues_truth() -> None:
    async with _rig() as rig:
        exchange = rig.demo.exchange
        bid, _ = _best(rig, "BTCUSDT")
        price = bid - Decimal(50)
        placed = await rig.rest.create_order(
            OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.05"), price, time_in_force=TimeInForce.GTC)
        )
        rig.stream.track(placed.client_order_id)
        await rig.log.wait_for(
            lambda e: isinstance(e, OrderEvent) and e.order.client_order_id == placed.client_order_id
        )
        mark = rig.log.mark()
        # Every socket drops; before the terminal is back, a seller fills the order completely.
        await fault(rig.demo, "/_demo/drop-connections", {})
        seller = exchange.open_account({"BTC": Decimal(10)})
        exchange.place(
            seller,
            OrderRequest("BTCUSDT", Side.SELL, OrderType.LIMIT, Decimal("5"), price, time_in_force=TimeInForce.IOC),
        )
        await rig.log.wait_for(_live, after=mark, timeout=20)
        truth = await fault(rig.demo, f"/_demo/state?api_key={rig.demo.endpoints.api_key}")  # type: ignore[union-attr]
        mine = rig.mirror
        assert mine.orders[placed.client_order_id].status is OrderStatus.FILLED
        assert mine.orders[placed.client_order_id].executed_qty == Decimal("0.05")
        working = {cid for cid, order in mine.orders.items() if order.status.is_working}
        assert working == {o["clientOrderId"] for o in truth["openOrders"]}
        assert {b["asset"]: (Decimal(b["free"]), Decimal(b["locked"])) for b in truth["balances"]} == {
            asset: (b.free, b.locked) for asset, b in mine.balances.items()
        }
        assert set(mine.fills) == {f["id"] for f in truth["fills"]}


async def test_an_expired_listen_key_is_replaced_and_the_stream_resumes() -> None:
    async with _rig() as rig:
        first = rig.stream.keeper.key
        assert first is not None
        mark = rig.log.mark()
        await fault(rig.demo, "/_demo/expire-listen-key", {"listenKey": first})
        await rig.log.wait_for(_live, after=mark, timeout=20)
        assert rig.stream.keeper.key not in (None, first)
        assert rig.stream.keeper.created == 2


async def test_the_listen_key_is_kept_alive() -> None:
    async with _rig(keeper_reset=0.2) as rig:
        key = rig.stream.keeper.key
        assert key is not None
        listen = rig.demo.exchange.listen_keys
        before = listen.expires_at(key)
        assert before is not None
        for _ in range(40):
            await asyncio.sleep(0.1)
            after = listen.expires_at(key)
            if after is not None and after > before:
                break
        assert after is not None and after > before


async def test_server_pings_are_answered_so_the_link_stays_up() -> None:
    config = DemoConfig(seed=3, history_days=2, ping_interval_s=0.2, pong_timeout_s=0.7)
    async with _rig(config) as rig:
        mark = rig.log.mark()
        await asyncio.sleep(2.0)  # ten server pings: a silent client would have been dropped twice
        drops = [e for e in rig.log.events[mark:] if isinstance(e, ConnectionEvent)]
        assert drops == []
        assert rig.stream.link.live


async def test_a_listen_key_refused_with_429_is_retried_not_fatal() -> None:
    async with _rig() as rig:
        first = rig.stream.keeper.key
        assert first is not None
        mark = rig.log.mark()
        # The key expires and every signed request is refused for a moment: making a new key fails.
        await fault(rig.demo, "/_demo/rate-limit", {"seconds": 1})
        await fault(rig.demo, "/_demo/expire-listen-key", {"listenKey": first})
        await rig.log.wait_for(_live, after=mark, timeout=30)
        states = [e.state for e in rig.log.events[mark:] if isinstance(e, ConnectionEvent)]
        assert ConnectionState.FAILED not in states
        assert ConnectionState.RECONNECTING in states
        assert rig.stream.keeper.key not in (None, first)
