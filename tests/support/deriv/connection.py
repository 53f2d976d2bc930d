"""One client connection's state: who it is logged in as, its subscriptions, the proposal ids it may buy,
its rate windows, and the queue of messages waiting to be written to it."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from websockets.asyncio.server import ServerConnection

from tests.support.deriv.limits import RateWindows
from tests.support.deriv.pricing import Quote
from tests.support.deriv.spec import ContractSpec
from tests.support.deriv.wire import DerivError, Request, new_id

OFFERS_PER_STREAM = 10  # a proposal id stays buyable while it is among its stream's last ten ...
OFFER_LIFETIME = 60.0  # ... and younger than a minute


class Stream(StrEnum):
    """Stream types, named as forget_all names them (an ohlc stream is "candles")."""

    TICKS = "ticks"
    CANDLES = "candles"
    PROPOSAL = "proposal"
    CONTRACT = "proposal_open_contract"
    BALANCE = "balance"
    STATUS = "website_status"


@dataclass(eq=False)
class Subscription:
    id: str
    stream: Stream
    request: Request  # the subscribing request: its echo_req and req_id go on every message
    schema: str  # the call whose receive.json judges this stream's messages
    symbol: str | None = None
    granularity: int = 60
    spec: ContractSpec | None = None
    contract_id: int | None = None
    login_id: str | None = None
    offers: deque[str] = field(default_factory=deque)  # this proposal stream's latest ids, oldest first


@dataclass(frozen=True)
class Offer:
    """A proposal id that a buy may name."""

    id: str
    quote: Quote
    created: float  # monotonic seconds


@dataclass(eq=False)
class Connection:
    ws: ServerConnection
    app_id: str
    last_seen: float  # monotonic seconds of the last message received
    outbox: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    login_id: str | None = None
    scopes: tuple[str, ...] = ()
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    offers: dict[str, Offer] = field(default_factory=dict)
    one_shot: deque[str] = field(default_factory=deque)  # ids of proposals asked without subscribe
    rates: RateWindows = field(default_factory=RateWindows)

    @property
    def app_id_number(self) -> int | None:
        return int(self.app_id) if self.app_id.isdigit() else None

    def remember(self, quote: Quote, ids: deque[str], now: float) -> str:
        """A new buyable id for the quote, pushing the oldest id of the same stream out."""
        offer = Offer(new_id(), quote, now)
        if len(ids) >= OFFERS_PER_STREAM:
            self.offers.pop(ids.popleft(), None)
        ids.append(offer.id)
        self.offers[offer.id] = offer
        return offer.id

    def offer(self, offer_id: str, now: float) -> Offer | None:
        """The offer if it is still buyable (the caller drops it from ``offers`` once bought)."""
        offer = self.offers.get(offer_id)
        if offer is None or now - offer.created > OFFER_LIFETIME:
            return None
        return offer

    def add(self, subscription: Subscription) -> Subscription:
        self.subscriptions[subscription.id] = subscription
        return subscription

    def forget(self, subscription_id: str) -> bool:
        subscription = self.subscriptions.pop(subscription_id, None)
        if subscription is None:
            return False
        for offer_id in subscription.offers:  # a forgotten proposal stream's ids are no longer buyable
            self.offers.pop(offer_id, None)
        return True

    def streams(self, stream: Stream) -> list[Subscription]:
        return [subscription for subscription in self.subscriptions.values() if subscription.stream == stream]


def ensure_new(existing: list[Subscription], what: str) -> None:
    """Deriv refuses a second identical stream on one connection."""
    if existing:
        raise DerivError("AlreadySubscribed", f"You are already subscribed to {what}.")
