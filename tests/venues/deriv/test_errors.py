"""Every mapped Deriv error code becomes its class with the venue's message; lost answers by call kind."""

from __future__ import annotations

import pytest

from terminal.venues.deriv.errors import (
    DEFAULT_RATE_LIMIT_WAIT,
    ERRORS,
    error_from_answer,
    link_lost,
    no_answer,
)
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

EXPECTED: dict[str, type[VenueError]] = {
    "InvalidToken": AuthenticationError,
    "AuthorizationRequired": AuthenticationError,
    "PermissionDenied": PermissionDenied,
    "RateLimit": RateLimited,
    "InsufficientBalance": InsufficientFunds,
    "InvalidContractProposal": OrderRejected,
    "PriceMoved": OrderRejected,
    "ContractBuyValidationError": OrderRejected,
    "ContractCreationFailure": OrderRejected,
    "OfferingsValidationError": OrderRejected,
    "InvalidOfferings": OrderRejected,
    "MarketIsClosed": OrderRejected,
    "InvalidBarrier": OrderRejected,
    "InvalidSellContractProposal": OrderRejected,
    "SellPriceMoved": OrderRejected,
    "ContractValidationError": OrderRejected,
    "InvalidtoBuy": OrderRejected,
    "InvalidtoSell": OrderRejected,
    "InputValidationFailed": InvalidRequest,
    "UnrecognisedRequest": InvalidRequest,
    "BadRequest": InvalidRequest,
    "InvalidSymbol": InvalidRequest,
    "AlreadySubscribed": InvalidRequest,
    "InvalidAppID": InvalidRequest,
    "WrongResponse": ServerError,
    "InternalServerError": ServerError,
}


def _answer(code: str, message: str, method: str = "proposal") -> dict[str, object]:
    return {"echo_req": {method: 1}, "error": {"code": code, "message": message}, "msg_type": method, "req_id": 3}


def test_the_table_is_exactly_the_expected_one() -> None:
    assert dict(ERRORS) == EXPECTED


@pytest.mark.parametrize(("code", "kind"), sorted(EXPECTED.items()))
def test_each_code_maps_to_its_class_keeping_the_message(code: str, kind: type[VenueError]) -> None:
    error = error_from_answer(_answer(code, f"The venue says {code}."), "proposal")
    assert type(error) is kind
    assert error.code == code
    assert error.message == f"The venue says {code}."


def test_rate_limit_waits_a_minute() -> None:
    error = error_from_answer(_answer("RateLimit", "You have reached the rate limit for proposal."))
    assert isinstance(error, RateLimited)
    assert error.retry_after == DEFAULT_RATE_LIMIT_WAIT == 60.0


@pytest.mark.parametrize("method", ["buy", "sell"])
@pytest.mark.parametrize("code", ["WrongResponse", "InternalServerError"])
def test_a_server_failure_on_buy_or_sell_leaves_the_outcome_unknown(method: str, code: str) -> None:
    error = error_from_answer(_answer(code, "Sorry, an error occurred while processing your request.", method), method)
    assert type(error) is UnknownOutcome
    assert error.code == code


def test_an_unknown_code_is_a_plain_venue_error_with_its_message() -> None:
    error = error_from_answer(_answer("SomethingNew", "Something new happened."))
    assert type(error) is VenueError
    assert str(error) == "Something new happened. (code SomethingNew)"


def test_an_error_without_a_message_still_says_something() -> None:
    error = error_from_answer({"error": {"code": "InvalidSymbol"}, "msg_type": "ticks_history"})
    assert type(error) is InvalidRequest
    assert "InvalidSymbol" in error.message
    assert type(error_from_answer({"error": "boom"})) is VenueError


@pytest.mark.parametrize("method", ["buy", "sell"])
def test_a_lost_answer_to_buy_or_sell_is_an_unknown_outcome(method: str) -> None:
    assert type(no_answer(method, "no answer came within 15 s")) is UnknownOutcome
    assert type(link_lost(method, "connection lost")) is UnknownOutcome


@pytest.mark.parametrize("method", ["proposal", "statement", "ticks_history", "portfolio"])
def test_a_lost_answer_to_a_read_may_be_asked_again(method: str) -> None:
    timeout = no_answer(method, "no answer came within 15 s")
    assert type(timeout) is ServerError
    assert "15 s" in timeout.message
    assert type(link_lost(method, "connection lost")) is VenueUnavailable
