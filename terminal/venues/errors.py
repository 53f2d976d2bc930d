"""The exception tree every venue raises (DESIGN.md, "Errors").

Each venue maps every documented error code to one of these classes and keeps the venue's
message. The session and UI decide what to do by class, never by parsing text:

- ``UnknownOutcome``: the request may or may not have executed. Reconcile, never re-send.
- ``VenueUnavailable``: the request could not be delivered; nothing happened at the venue.
- ``ServerError``: the venue failed to answer an idempotent request; retrying is safe.
"""

from __future__ import annotations


class VenueError(Exception):
    """A venue refused or failed a request. ``code`` is the venue's code as documented."""

    def __init__(self, code: str, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status

    def __str__(self) -> str:
        return f"{self.message} (code {self.code})" if self.code else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, http_status={self.http_status!r})"


class AuthenticationError(VenueError):
    """The key, signature or token was not accepted."""


class PermissionDenied(VenueError):
    """The credentials are valid but may not do this (read-only key, IP not whitelisted, ...)."""


class RateLimited(VenueError):
    """Too many requests; ``retry_after`` seconds before this class of request may go again."""

    def __init__(
        self, code: str, message: str, http_status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(code, message, http_status)
        self.retry_after = retry_after


class Banned(RateLimited):
    """The venue blocked us for ignoring rate limits (HTTP 418). Nothing may be sent."""


class InsufficientFunds(VenueError):
    """Not enough free balance for the request."""


class OrderRejected(VenueError):
    """The venue refused an order or a cancel for a trading rule."""


class OrderNotFound(VenueError):
    """The order does not exist, or is no longer open."""


class ClockSkew(VenueError):
    """The request's timestamp was outside the venue's accepted window."""


class InvalidRequest(VenueError):
    """The request was malformed or its parameters invalid."""


class UnknownOutcome(VenueError):
    """The request reached (or may have reached) the venue but its result is not known."""


class ServerError(VenueError):
    """The venue failed internally; for an idempotent request the call may be retried."""


class VenueUnavailable(VenueError):
    """The venue could not be reached; the request was not delivered."""


class MalformedResponse(VenueError):
    """The venue answered with something that does not match its documented shape."""
