"""Requests and streams over Deriv's one WebSocket: answers matched by ``req_id``, streams by ``subscription.id``,
and the session (authorize, call limits, every stream) restored after each reconnection."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, replace
from typing import Any

from terminal.venues.base import ConnectionEvent, ConnectionState
from terminal.venues.deriv import calls
from terminal.venues.deriv.calls import Payload, method_of
from terminal.venues.deriv.errors import error_from_answer, link_lost, no_answer
from terminal.venues.deriv.rate_limits import Pacer, limits_from, rate_class_for
from terminal.venues.deriv.subscriptions import Message, Subscription
from terminal.venues.errors import (
    AuthenticationError,
    PermissionDenied,
    RateLimited,
    VenueError,
    VenueUnavailable,
)
from terminal.venues.ws_link import Backoff, Heartbeat, Link

log = logging.getLogger("terminal.venues.deriv")

STREAM = "deriv"
REQUEST_TIMEOUT = 15.0
START_TIMEOUT = 15.0
CLOSE_TIMEOUT = 2.0
# The venue drops a connection that stays silent for two minutes: a ping every 30 s keeps it well inside
# that, an answer is expected within 10 s, and 100 s without any message means the link is dead.
HEARTBEAT = Heartbeat(interval=30.0, timeout=10.0, idle_timeout=100.0)


@dataclass(slots=True)
class _Pending:
    method: str
    future: asyncio.Future[Message]
    subscription: Subscription | None = None


def _stream_id(message: Mapping[str, Any]) -> str | None:
    subscription = message.get("subscription")
    if isinstance(subscription, Mapping):
        stream_id = subscription.get("id")
        if isinstance(stream_id, str) and stream_id:
            return stream_id
    return None


class DerivConnection:
    """One authorized connection to Deriv, kept open and restored after every drop.

    Every (re)connection authorizes again with the token, reads the call limits (website_status) and
    subscribes every live stream again (each gets a new id) before the link reports LIVE. Requests are
    paced by class within the venue's limits; an answer that will not come becomes an error the caller
    can act on (``errors.no_answer`` / ``errors.link_lost``).
    """

    def __init__(
        self,
        url: str,
        token: str | None,
        sink: Callable[[ConnectionEvent], None],
        *,
        heartbeat: Heartbeat | None = None,
        backoff: Backoff | None = None,
        open_timeout: float = 10.0,
        request_timeout: float = REQUEST_TIMEOUT,
        pacer: Pacer | None = None,
        on_authorized: Callable[[Message], None] | None = None,
        on_restored: Callable[[], None] | None = None,
    ) -> None:
        self._token = token
        self._sink = sink
        self.request_timeout = request_timeout
        self.pacer = pacer or Pacer()
        self._on_authorized = on_authorized
        self._on_restored = on_restored
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._subscriptions: list[Subscription] = []  # live ones, subscribed again after a reconnection
        self._by_stream: dict[str, Subscription] = {}  # by the venue's subscription.id
        self._by_request: dict[int, Subscription] = {}  # by the req_id of the current subscribe request
        self._handlers: dict[str, Callable[[Message], None]] = {}  # by msg_type, for messages of no request
        self._tasks: set[asyncio.Task[None]] = set()
        self._first_live: asyncio.Future[None] | None = None
        self._failure: VenueError | None = None
        self._failure_reported = False
        self._closed = False
        self._last_reason = ""
        self.authorized: Message | None = None  # the latest authorize answer
        beat = heartbeat or HEARTBEAT
        if beat.ping is None:
            beat = replace(beat, ping=self._ping)
        self.link = Link(
            STREAM,
            self._url(url),
            on_message=self._on_message,
            sink=self._on_link_event,
            on_open=self._on_open,
            heartbeat=beat,
            backoff=backoff,
            open_timeout=open_timeout,
        )

    @staticmethod
    def _url(url: str) -> Callable[[], Coroutine[Any, Any, str]]:
        async def fixed() -> str:
            return url

        return fixed

    def _ping(self) -> Payload:
        return {**calls.ping(), "req_id": next(self._ids)}

    # ---- lifecycle ----------------------------------------------------------------------------------

    async def start(self, timeout: float = START_TIMEOUT) -> None:
        """Connect and wait until first LIVE (authorized, if there is a token).

        Raises what refused the token (AuthenticationError, PermissionDenied), or VenueUnavailable when the
        venue cannot be reached within ``timeout``; the connection is closed then.
        """
        self._first_live = asyncio.get_running_loop().create_future()
        self._failure = None
        self._failure_reported = False
        self._closed = False
        self.link.start()
        try:
            await asyncio.wait_for(asyncio.shield(self._first_live), timeout)
        except TimeoutError:
            await self.close()
            why = f": {self._last_reason}" if self._last_reason else ""
            raise VenueUnavailable("", f"Deriv could not be reached within {timeout:g} s{why}") from None
        except VenueError:
            await self.close()
            raise

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.link.close()

    @property
    def live(self) -> bool:
        return self.link.live

    @property
    def failure(self) -> VenueError | None:
        """Why the connection gave up for good (the token was refused), if it did."""
        return self._failure

    def on(self, msg_type: str, handler: Callable[[Message], None]) -> None:
        """Hand messages of ``msg_type`` that answer no request and belong to no stream to ``handler``."""
        self._handlers[msg_type] = handler

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        if self._closed:  # e.g. a watch released after close: there is nothing left to tell the venue
            coroutine.close()
            return
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ---- requests -----------------------------------------------------------------------------------

    async def request(self, payload: Payload, *, timeout: float | None = None) -> Message:
        """Send one request and return its answer.

        Raises VenueUnavailable when not connected (nothing was sent), the mapped error of an error answer,
        and when the answer will not come (timeout, link lost) UnknownOutcome for buy/sell, ServerError
        (timeout) or VenueUnavailable (link lost) for the rest, which change nothing and may be asked again.
        """
        return await self._exchange(payload, timeout=timeout)

    async def _exchange(
        self,
        payload: Payload,
        *,
        timeout: float | None = None,
        opening: bool = False,
        subscription: Subscription | None = None,
    ) -> Message:
        method = method_of(payload)
        wait = self.request_timeout if timeout is None else timeout
        # While a connection is being restored only the restoring requests go (opening=True).
        if not opening and not self.link.live:
            raise VenueUnavailable("", f"not connected to Deriv: the {method} was not sent")
        rate_class = rate_class_for(method)
        grant = await self.pacer.acquire(rate_class) if rate_class is not None else None
        req_id = next(self._ids)
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = _Pending(method, future, subscription)
        if subscription is not None:
            subscription.req_id = req_id
            self._by_request[req_id] = subscription
        try:
            if not opening and not self.link.live:
                raise VenueUnavailable("", f"the connection to Deriv dropped: the {method} was not sent")
            if not await self.link.send({**payload, "req_id": req_id}):
                raise VenueUnavailable("", f"not connected to Deriv: the {method} was not sent")
            try:
                return await asyncio.wait_for(future, wait)
            except TimeoutError:
                raise no_answer(method, f"no answer came within {wait:g} s") from None
        finally:
            self._pending.pop(req_id, None)
            if grant is not None:
                self.pacer.answered(grant)

    async def forget_all(self, *stream_types: str, timeout: float = CLOSE_TIMEOUT) -> None:
        """Stop every stream of these types at the venue (best effort: errors are logged)."""
        for subscription in list(self._subscriptions):
            if subscription.method in stream_types or _stream_type(subscription) in stream_types:
                subscription.ended = True
                self._drop(subscription)
                subscription.id = None  # forgotten below with the others
        try:
            await self._exchange(calls.forget_all(*stream_types), timeout=timeout, opening=True)
        except VenueError as exc:
            log.debug("forget_all %s: %s", stream_types, exc)

    # ---- streams ------------------------------------------------------------------------------------

    def open_stream(
        self,
        request: Callable[[], Payload],
        on_message: Callable[[Message], None],
        on_error: Callable[[VenueError], None] | None = None,
    ) -> Subscription:
        """Subscribe now (in the background) and after every reconnection until released.

        Every message of the stream, the first answer included, goes to ``on_message``; an error answer
        ends the stream and goes to ``on_error``. Raises RateLimited when the venue's limit of live
        proposal streams is reached.
        """
        subscription = Subscription(request, on_message, on_error, self._release)
        if subscription.method == "proposal":
            limit = self.pacer.limits.max_proposals
            if self.count("proposal") >= limit:
                raise RateLimited(
                    "", f"the venue allows {limit} live contract prices (proposals) at once; stop pricing one first"
                )
        self._subscriptions.append(subscription)
        if self.link.live:
            self.spawn(self._subscribe(subscription, opening=False))
        # Otherwise the next on_open subscribes it with the others.
        return subscription

    async def subscribe(
        self,
        request: Callable[[], Payload],
        on_message: Callable[[Message], None],
        on_error: Callable[[VenueError], None] | None = None,
    ) -> Subscription:
        """``open_stream`` and wait for the first answer; raises its error (the stream does not exist then)."""
        method = method_of(request())
        if not self.link.live:
            raise VenueUnavailable("", f"not connected to Deriv: the {method} stream was not opened")
        subscription = self.open_stream(request, on_message, on_error)
        try:
            # Twice the request timeout: the answer may have to wait for a reconnection to be sent again.
            await asyncio.wait_for(asyncio.shield(subscription.ready), 2 * self.request_timeout)
        except TimeoutError:
            subscription.release()
            raise no_answer(method, f"the stream did not start within {2 * self.request_timeout:g} s") from None
        return subscription

    def count(self, method: str) -> int:
        """Live streams of ``method``."""
        return sum(1 for s in self._subscriptions if s.live and s.method == method)

    def subscriptions(self) -> list[Subscription]:
        return [s for s in self._subscriptions if s.live]

    async def _subscribe(self, subscription: Subscription, *, opening: bool) -> None:
        """Send a subscription's request; errors end it and reach its ``on_error`` (a lost link does not)."""
        if not subscription.live:
            return
        try:
            await self._exchange({**subscription.request(), "subscribe": 1}, opening=opening, subscription=subscription)
        except VenueUnavailable:
            return  # the link dropped: the next on_open subscribes it again
        except VenueError as exc:
            if subscription.live:
                log.info("the %s stream was refused: %s", subscription.method, exc)
            self._end(subscription, exc)

    def _release(self, subscription: Subscription) -> None:
        stream_id = subscription.id
        self._drop(subscription)
        if not subscription.ready.done():
            subscription.ready.cancel()
        if stream_id is not None:
            self.spawn(self._forget(stream_id))
        # Without an id yet, the first answer is still to come: _deliver forgets the stream then.

    def _drop(self, subscription: Subscription) -> None:
        """Deliver nothing more to ``subscription`` (its subscribe answer, if pending, is still recognized)."""
        with contextlib.suppress(ValueError):
            self._subscriptions.remove(subscription)
        if subscription.id is not None:
            self._by_stream.pop(subscription.id, None)
            if subscription.req_id is not None:
                self._by_request.pop(subscription.req_id, None)

    def _end(self, subscription: Subscription, error: VenueError | None) -> None:
        """The venue ended a stream (an error answer, or its last message): it is not subscribed again."""
        was_live = subscription.live
        subscription.ended = True
        self._drop(subscription)
        if error is not None:
            if not subscription.ready.done():
                subscription.ready.set_exception(error)
            if was_live and subscription.on_error is not None:
                subscription.on_error(error)

    def end(self, subscription: Subscription) -> None:
        """The stream said its last word (e.g. a contract settled): forget it at the venue, deliver no more."""
        stream_id = subscription.id
        self._end(subscription, None)
        if stream_id is not None:
            self.spawn(self._forget(stream_id))

    async def _forget(self, stream_id: str) -> None:
        # Also while a connection is being restored (opening): a stream released then must not live on.
        try:
            await self._exchange(calls.forget(stream_id), timeout=CLOSE_TIMEOUT, opening=True)
        except VenueError as exc:
            log.debug("forget %s: %s", stream_id, exc)

    # ---- incoming -----------------------------------------------------------------------------------

    def _on_message(self, message: Any) -> None:
        if not isinstance(message, dict):
            log.warning("ignored a message that is not an object: %.120r", message)
            return
        req_id = message.get("req_id")
        if isinstance(req_id, int) and not isinstance(req_id, bool):
            pending = self._pending.get(req_id)
            if pending is not None and not pending.future.done():
                self._answer(pending, message)
                return
            subscription = self._by_request.get(req_id)
            if subscription is not None:
                self._deliver(subscription, message)
                return
        stream_id = _stream_id(message)
        if stream_id is not None:
            subscription = self._by_stream.get(stream_id)
            if subscription is not None:
                self._deliver(subscription, message)
                return
        msg_type = message.get("msg_type")
        if msg_type == "ping":
            self.link.pong()
            return
        handler = self._handlers.get(str(msg_type))
        if handler is not None:
            handler(message)
        else:
            log.debug("a %s message for no request or stream was dropped", msg_type)

    def _answer(self, pending: _Pending, message: Message) -> None:
        if "error" in message:
            error = error_from_answer(message, pending.method)
            if isinstance(error, RateLimited):
                rate_class = rate_class_for(pending.method)
                if rate_class is not None:
                    self.pacer.pause(rate_class, error.retry_after or 0.0)
            pending.future.set_exception(error)
            return
        pending.future.set_result(message)
        if pending.subscription is not None:
            self._deliver(pending.subscription, message)

    def _deliver(self, subscription: Subscription, message: Message) -> None:
        stream_id = _stream_id(message)
        if not subscription.live:
            # Released (or ended) before the venue said which stream it was: forget it now, once.
            if stream_id is not None and subscription.id is None:
                subscription.id = stream_id
                self.spawn(self._forget(stream_id))
            if subscription.req_id is not None:
                self._by_request.pop(subscription.req_id, None)
            return
        if "error" in message:  # the venue ended the stream (e.g. the market closed on a proposal)
            self._end(subscription, error_from_answer(message, subscription.method))
            return
        if stream_id is not None and subscription.id != stream_id:
            subscription.id = stream_id
            self._by_stream[stream_id] = subscription
        if not subscription.ready.done():
            subscription.ready.set_result(message)
        subscription.on_message(message)

    # ---- connection states --------------------------------------------------------------------------

    def _on_link_event(self, event: ConnectionEvent) -> None:
        if self._failure is not None:
            # The token was refused: nothing more is tried; closing the link reports why.
            if event.state is ConnectionState.CLOSED and not self._failure_reported:
                self._failure_reported = True
                self._sink(ConnectionEvent(event.stream, ConnectionState.FAILED, reason=self._failure.message))
            return
        if event.state is ConnectionState.LIVE:
            if self._first_live is not None and not self._first_live.done():
                self._first_live.set_result(None)
        else:
            if event.reason:
                self._last_reason = event.reason
            self._lost(event.reason or str(event.state))
        self._sink(event)

    def _lost(self, why: str) -> None:
        """The socket is gone: no answer will come to what is pending, and every stream id is void."""
        for pending in list(self._pending.values()):
            if not pending.future.done():
                pending.future.set_exception(link_lost(pending.method, why))
        self._by_stream.clear()
        self._by_request.clear()
        for subscription in self._subscriptions:
            subscription.id = None
            subscription.req_id = None

    async def _on_open(self) -> None:
        """Restore the session on a new socket: authorize, read the limits, subscribe every stream again."""
        if self._token:
            try:
                answer = await self._exchange(calls.authorize(self._token), opening=True)
            except (AuthenticationError, PermissionDenied) as exc:
                self._give_up(exc)
                raise
            self.authorized = answer
            if self._on_authorized is not None:
                self._on_authorized(answer)
        try:
            status = await self._exchange(calls.website_status(), opening=True)
            if self.pacer.apply(limits_from(status)):
                log.info("Deriv call limits: %s", self.pacer.limits)
        except VenueError as exc:  # the limits in force (at first the defaults) stay
            log.warning("could not read Deriv's call limits: %s", exc)
        # Streams opened while this runs are not LIVE-subscribed by open_stream: take them in the next round.
        while todo := [s for s in self._subscriptions if s.live and s.req_id is None]:
            await asyncio.gather(*(self._subscribe(s, opening=True) for s in todo))
        if self._on_restored is not None:
            self._on_restored()

    def _give_up(self, error: VenueError) -> None:
        """The token was refused: reconnecting cannot help. Stop, and tell whoever waits to start."""
        log.warning("Deriv refused the token: %s", error)
        self._failure = error
        if self._first_live is not None and not self._first_live.done():
            self._first_live.set_exception(error)
            self._first_live.add_done_callback(lambda f: f.exception())
        # Closing from inside on_open would cancel this very task: another task does it.
        self.spawn(self.link.close())


def _stream_type(subscription: Subscription) -> str:
    """The forget_all stream type of a subscription: ticks_history streams "ticks" or "candles"."""
    if subscription.method == "ticks_history":
        return "candles" if subscription.request().get("style") == "candles" else "ticks"
    return subscription.method
