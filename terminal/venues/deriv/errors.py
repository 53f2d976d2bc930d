"""Deriv's error answers (``{"error": {"code", "message"}}``) mapped to the shared exception tree, message kept."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from terminal.venues.errors import (
    AuthenticationError,
    InsufficientFunds,
    InvalidRequest,
    OrderRejected,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnknownOutcome,
    VenueError,
    VenueUnavailable,
)

# A RateLimit answer says which call was limited, not for how long; the venue's windows are per minute
# (website_status.api_call_limits ... "minutely").
DEFAULT_RATE_LIMIT_WAIT = 60.0

# Calls that change the account: when their answer is lost or the venue fails, whether they executed is unknown.
NON_IDEMPOTENT = frozenset({"buy", "sell"})

# The reference schemas do not enumerate error codes: these are the codes the venue is known to answer with,
# grouped by what the caller must do about them. An unlisted code is a plain VenueError.
_TABLE: Mapping[type[VenueError], tuple[str, ...]] = {
    # The token is wrong or expired, or a call needing an account came before authorize.
    AuthenticationError: ("InvalidToken", "AuthorizationRequired"),
    # The token is valid but lacks the scope (e.g. "trade") the call needs.
    PermissionDenied: ("PermissionDenied",),
    RateLimited: ("RateLimit",),
    InsufficientFunds: ("InsufficientBalance",),
    # A proposal, buy or sell refused for a trading rule: the price moved, the market is closed, the
    # contract's parameters are outside what is offered, the contract cannot be bought or sold now.
    OrderRejected: (
        "InvalidContractProposal",
        "PriceMoved",
        "ContractBuyValidationError",
        "ContractCreationFailure",
        "OfferingsValidationError",
        "InvalidOfferings",
        "MarketIsClosed",
        "InvalidBarrier",
        "InvalidSellContractProposal",
        "SellPriceMoved",
        "ContractValidationError",
        "InvalidtoBuy",
        "InvalidtoSell",
    ),
    # The request itself is wrong: fix it rather than retry.
    InvalidRequest: (
        "InputValidationFailed",
        "UnrecognisedRequest",
        "BadRequest",
        "InvalidSymbol",
        "AlreadySubscribed",
        "InvalidAppID",
    ),
    ServerError: ("WrongResponse", "InternalServerError"),
}

ERRORS: Mapping[str, type[VenueError]] = MappingProxyType(
    {code: kind for kind, codes in _TABLE.items() for code in codes}
)


def error_from_answer(answer: Mapping[str, Any], method: str = "") -> VenueError:
    """The exception for an answer carrying ``error``; ``method`` is the call it answers (buy, sell, ...)."""
    error = answer.get("error")
    if not isinstance(error, Mapping):
        return VenueError("", "the venue answered with an error it did not describe")
    code = str(error.get("code") or "")
    message = str(error.get("message") or "") or f"the venue refused the request ({code or 'no code'})"
    return error_for(code, message, method)


def error_for(code: str, message: str, method: str = "") -> VenueError:
    kind = ERRORS.get(code, VenueError)
    if kind is RateLimited:
        return RateLimited(code, message, retry_after=DEFAULT_RATE_LIMIT_WAIT)
    if kind is ServerError and method in NON_IDEMPOTENT:
        # The venue failed while handling a buy or a sell: it may have gone through.
        return UnknownOutcome(code, message)
    return kind(code, message)


def no_answer(method: str, why: str) -> VenueError:
    """A request was sent and its answer will not come (``why``): unknown for buy/sell, retryable otherwise.

    A read whose answer is lost changed nothing, so asking again is safe: ``ServerError``.
    """
    if method in NON_IDEMPOTENT:
        return UnknownOutcome("", f"the {method} was sent but {why}: whether it went through is not known")
    return ServerError("", f"the {method or 'request'} was sent but {why}; asking again is safe")


def link_lost(method: str, why: str) -> VenueError:
    """The connection dropped while a request waited for its answer.

    Unknown for buy/sell; a read is ``VenueUnavailable``: nothing changed, and the connection must come
    back before anything else is asked.
    """
    if method in NON_IDEMPOTENT:
        return UnknownOutcome(
            "", f"the connection dropped after the {method} was sent ({why}): its outcome is not known"
        )
    return VenueUnavailable("", f"the connection dropped before the {method or 'request'} was answered ({why})")
