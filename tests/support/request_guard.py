"""Order requests as they leave the terminal, and the rules each one must satisfy on arrival.

``WireRecorder`` sits under the venue client's httpx client (the last layer before the socket) and
keeps every request with the venue's answer. ``order_problems`` judges a recorded order request by
the venue's own published rules (the demo catalog) at the reference price the terminal judged it at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import orjson
import pytest

from terminal.demo.catalog import listings
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Order, OrderRequest
from terminal.domain.validation import validate_order
from terminal.session.order_manager import OrderManager
from terminal.venues.hashkey import venue as hashkey_venue
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport

# Where an order is placed (004, "Create Order" v1 and v1.1, "Create Multiple Orders").
ORDER_PATHS = frozenset({"/api/v1.1/spot/order", "/api/v1/spot/order"})
BATCH_PATH = "/api/v1.1/spot/batchOrders"
LISTEN_KEY_PATH = "/api/v1/userDataStream"

# The venue's answers to a request that breaks a rule of the instrument or of the request's shape
# (004, "Error Codes"; terminal/demo/errors.py maps each rule of validate_order to one of them).
# An order the terminal checked before sending may never earn one.
FILTER_CODES = frozenset(
    {
        "0001",  # required field missing or invalid
        "0201",  # instrument not found
        "0206",  # unsupported order type
        "0209",  # price precision (tick)
        "-1014",  # unsupported order combination
        "-1115",  # invalid timeInForce
        "-1123",  # invalid client order id
        "-1129",  # quantity and amount together
        "-1130",  # illegal parameter
        "-1135",  # quantity above the maximum
        "-1136",  # quantity below the minimum
        "-1137",  # quantity precision (step)
        "-1140",  # amount below the minimum (min notional)
        "-1148",  # amount precision
        "-1206",  # amount above the maximum
    }
)
# The LIMIT_TRADING band (-1132 above the buy ceiling, -1133 below the sell floor) is judged at the
# venue's last price when the order arrives, which may differ from the last trade the terminal had
# seen when it checked the order. Only an order priced this close to the band's edge (by the
# terminal's reference) may meet that race; anywhere else the code means the terminal let a bad
# price through.
BAND_CODES = frozenset({"-1132", "-1133"})
BAND_RACE = Decimal("0.005")

# The venue's rules: what the demo exchange lists (and so enforces), not the terminal's reading of it.
VENUE_RULES: dict[str, Instrument] = {listing.instrument.symbol: listing.instrument for listing in listings()}

_PLAIN_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class WireCall:
    """One HTTP request as it left, with the answer that came back (None: no answer arrived)."""

    method: str
    path: str
    query: str
    body: bytes
    status: int | None = None
    answer: Any = None

    @property
    def params(self) -> dict[str, str]:
        """Query and form parameters together (a signed POST carries them in its body)."""
        pairs = parse_qsl(self.query, keep_blank_values=True)
        if self.body and not self.body.lstrip().startswith((b"[", b"{")):
            pairs += parse_qsl(self.body.decode("ascii"), keep_blank_values=True)
        return dict(pairs)

    @property
    def error_code(self) -> str | None:
        """The venue's error code, None for a successful answer."""
        answer = self.answer
        code = answer.get("code") if isinstance(answer, dict) else None
        if self.status == 200 and (code is None or str(code) in ("", "0", "0000", "200")):
            return None
        return str(code) if code is not None else f"HTTP {self.status}"

    @property
    def places_orders(self) -> bool:
        return self.method == "POST" and (self.path in ORDER_PATHS or self.path == BATCH_PATH)


class WireRecorder(httpx.AsyncBaseTransport):
    """An httpx transport that passes each request to the real one and keeps a copy of both sides."""

    def __init__(self) -> None:
        # The pool HashKeyTransport asks its client for (a client ignores its limits when given a transport).
        limits = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=4.0)
        self._inner = httpx.AsyncHTTPTransport(limits=limits)
        self.calls: list[WireCall] = []
        self.in_flight = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = urlsplit(str(request.url))
        body = await request.aread()
        index = len(self.calls)
        self.calls.append(WireCall(request.method, url.path, url.query, body))
        self.in_flight += 1
        try:
            response = await self._inner.handle_async_request(request)
            try:
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
        finally:
            self.in_flight -= 1
        copy = httpx.Response(response.status_code, headers=response.headers, stream=httpx.ByteStream(raw))
        copy.read()
        try:
            answer: Any = orjson.loads(copy.content) if copy.content else None
        except orjson.JSONDecodeError:
            answer = copy.text
        self.calls[index] = replace(self.calls[index], status=response.status_code, answer=answer)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()

    def mark(self) -> int:
        return len(self.calls)

    def orders(self, since: int = 0) -> list[WireCall]:
        """Requests that place orders, from index ``since`` on."""
        return [call for call in self.calls[since:] if call.places_orders]

    def signatures(self) -> set[str]:
        return {call.params["signature"] for call in self.calls if call.params.get("signature")}

    def listen_keys(self) -> set[str]:
        """Every listen key the venue issued, and any the terminal named in a request."""
        keys = {call.params["listenKey"] for call in self.calls if call.params.get("listenKey")}
        for call in self.calls:
            if call.path == LISTEN_KEY_PATH and isinstance(call.answer, dict) and call.answer.get("listenKey"):
                keys.add(str(call.answer["listenKey"]))
        return keys


async def recorded_venue(hosts: Hosts, credentials: Credentials, recorder: WireRecorder) -> hashkey_venue.HashKeyVenue:
    """A HashKey venue whose REST requests all pass through ``recorder`` (it is otherwise unchanged)."""
    venue = hashkey_venue.HashKeyVenue(hosts, credentials)
    await venue.transport.aclose()  # never used: replaced before anything was sent
    venue.transport = HashKeyTransport(hosts.rest_url, credentials, http_transport=recorder)
    venue.rest = HashKeyRestClient(venue.transport)
    return venue


def record_every_venue(monkeypatch: pytest.MonkeyPatch, recorder: WireRecorder) -> None:
    """Every HashKey venue built from now on (by the app's own code) sends through ``recorder``."""

    def transport(rest_url: str, credentials: Credentials | None = None, **options: Any) -> HashKeyTransport:
        return HashKeyTransport(rest_url, credentials, **options, http_transport=recorder)

    monkeypatch.setattr(hashkey_venue, "HashKeyTransport", transport)


class PlaceLog:
    """The reference price the order manager judges each order at (the centre of its price band).

    ``place`` checks the request against ``reference_price`` before its first await, so the value
    read here, just before, is the one the check used.
    """

    def __init__(self, manager: OrderManager, monkeypatch: pytest.MonkeyPatch) -> None:
        self._manager = manager
        self._place: Callable[..., Any] = manager.place
        self.by_client_id: dict[str, Decimal | None] = {}
        self.by_request: dict[OrderRequest, list[Decimal | None]] = {}
        self.calls = 0
        monkeypatch.setattr(manager, "place", self.place)

    async def place(self, request: OrderRequest, *args: Any, **options: Any) -> Order:
        self.calls += 1
        reference = self._manager.reference_price(request.symbol)
        self.by_request.setdefault(request, []).append(reference)
        order: Order = await self._place(request, *args, **options)
        self.by_client_id[order.client_order_id] = reference
        return order

    def references(self, request: OrderRequest) -> list[Decimal | None]:
        cid = request.client_order_id
        if cid is not None and cid in self.by_client_id:
            return [self.by_client_id[cid]]
        return self.by_request.get(replace(request, client_order_id=None), [])


def _decimal(params: dict[str, str], name: str, problems: list[str]) -> Decimal | None:
    text = params.get(name)
    if text is None:
        return None
    if not _PLAIN_DECIMAL.fullmatch(text):
        problems.append(f"{name}={text!r} is not a plain positive ASCII decimal")
        return None
    return Decimal(text)


def wire_request(params: dict[str, str], problems: list[str]) -> OrderRequest | None:
    """The order a request's parameters describe; what is malformed is added to ``problems``."""
    try:
        side, order_type = Side(params["side"]), OrderType(params["type"])
        tif = TimeInForce(params["timeInForce"]) if "timeInForce" in params else None
    except (KeyError, ValueError) as exc:
        problems.append(f"side, type or timeInForce missing or unknown: {exc}")
        return None
    return OrderRequest(
        symbol=params.get("symbol", ""),
        side=side,
        type=order_type,
        quantity=_decimal(params, "quantity", problems),
        price=_decimal(params, "price", problems),
        amount=_decimal(params, "amount", problems),
        time_in_force=tif,
        client_order_id=params.get("newClientOrderId"),
    )


def _near_band_edge(request: OrderRequest, instrument: Instrument, reference: Decimal | None) -> bool:
    band, price = instrument.limit_trading, request.price
    if band is None or price is None or reference is None:
        return False
    if request.side is Side.BUY:
        ceiling = band.buy_ceiling(reference)
        return ceiling is not None and price >= ceiling * (1 - BAND_RACE)
    floor = band.sell_floor(reference)
    return floor is not None and price <= floor * (1 + BAND_RACE)


References = Callable[[OrderRequest], Sequence[Decimal | None]]


def order_problems(call: WireCall, references_of: References) -> list[str]:
    """Why a recorded order request should never have left: its form, the venue's rules at the
    reference price(s) the terminal judged it at (``references_of``, e.g. ``PlaceLog.references``),
    and the venue's answer. Empty: it was fine."""
    if call.path == BATCH_PATH:
        return ["the terminal never sends batch orders, yet one left"]
    params = call.params
    problems: list[str] = []
    if not params.get("newClientOrderId"):
        problems.append("no client order id (the terminal gives every order one before it leaves)")
    request = wire_request(params, problems)
    if request is None:
        return problems
    instrument = VENUE_RULES.get(request.symbol)
    if instrument is None:
        return [*problems, f"unknown symbol {request.symbol!r}"]
    references = references_of(request)
    if not references:
        problems.append("the order manager never judged this order")
    now_ms = int(params["timestamp"]) if params.get("timestamp", "").isdigit() else None
    verdicts = [
        validate_order(request, instrument, reference_price=reference, now_ms=now_ms) for reference in references
    ] or [validate_order(request, instrument, now_ms=now_ms)]
    if all(verdicts):
        problems += [f"breaks {v.rule}: {v.message}" for v in verdicts[0]]
    code = call.error_code
    if code in FILTER_CODES:
        problems.append(f"the venue refused it for a rule: {call.answer}")
    elif code in BAND_CODES and not any(_near_band_edge(request, instrument, r) for r in references):
        problems.append(f"the venue refused its price band far from the band's edge: {call.answer}")
    return problems


def describe(call: WireCall) -> str:
    shown = {k: v for k, v in call.params.items() if k not in ("signature", "timestamp", "recvWindow")}
    return f"{call.method} {call.path} {shown} -> {call.status} {call.answer}"
