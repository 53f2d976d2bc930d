"""The requests the terminal sends to Deriv, each shaped as its schema's send.json asks (amounts as JSON
numbers); ``req_id`` and ``subscribe`` are added by the connection."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from terminal.domain.contracts import ContractSpec
from terminal.domain.intervals import Interval
from terminal.venues.deriv.endpoints import GRANULARITY
from terminal.venues.errors import InvalidRequest

Payload = dict[str, Any]

# statement.limit: "maximum": 999; profit_table.limit: "maximum": 500 (send.json).
MAX_STATEMENT = 999
MAX_PROFIT_TABLE = 500
# The venue answers at most 5000 ticks or candles per ticks_history.
MAX_HISTORY = 5000


def method_of(payload: Payload) -> str:
    """A request's method: its first field ("The method name ... is always required")."""
    return next(iter(payload), "")


def number(value: Decimal) -> float | int:
    """A Decimal as a JSON number: an int when whole, else the float nearest to it."""
    return int(value) if value == value.to_integral_value() else float(value)


def authorize(token: str) -> Payload:
    return {"authorize": token}


def website_status() -> Payload:
    return {"website_status": 1}


def active_symbols() -> Payload:
    return {"active_symbols": "brief"}


def balance() -> Payload:
    return {"balance": 1}


def granularity(interval: Interval) -> int:
    seconds = GRANULARITY.get(interval)
    if seconds is None:
        offered = ", ".join(GRANULARITY)
        raise InvalidRequest("", f"Deriv has no {interval} candles (it offers {offered})")
    return seconds


def tick_history(symbol: str, count: int = 500) -> Payload:
    return {"ticks_history": symbol, "style": "ticks", "end": "latest", "count": max(1, min(count, MAX_HISTORY))}


def candle_history(symbol: str, interval: Interval, *, end_ms: int | None = None, count: int = 1000) -> Payload:
    return {
        "ticks_history": symbol,
        "style": "candles",
        "granularity": granularity(interval),
        "end": "latest" if end_ms is None else str(end_ms // 1000),
        "count": max(1, min(count, MAX_HISTORY)),
    }


def proposal(spec: ContractSpec) -> Payload:
    payload: Payload = {
        "proposal": 1,
        "amount": number(spec.amount),
        "basis": str(spec.basis),
        "contract_type": spec.contract_type,
        "currency": spec.currency,
        "duration": spec.duration,
        "duration_unit": str(spec.duration_unit),
        "symbol": spec.symbol,
    }
    if spec.barrier:
        payload["barrier"] = spec.barrier
    if spec.barrier2:
        payload["barrier2"] = spec.barrier2
    return payload


def buy(proposal_id: str, max_price: Decimal) -> Payload:
    # buy.price: "Maximum price at which to purchase the contract."
    return {"buy": proposal_id, "price": number(max_price)}


def sell(contract_id: int, min_price: Decimal) -> Payload:
    # sell.price: "Minimum price at which to sell the contract, or 0 for 'sell at market'."
    return {"sell": contract_id, "price": number(min_price)}


def open_contract(contract_id: int) -> Payload:
    return {"proposal_open_contract": 1, "contract_id": contract_id}


def portfolio() -> Payload:
    return {"portfolio": 1}


def statement(limit: int = 100, since_ms: int | None = None) -> Payload:
    payload: Payload = {"statement": 1, "description": 1, "limit": max(1, min(limit, MAX_STATEMENT))}
    if since_ms is not None:
        payload["date_from"] = max(0, since_ms // 1000)
    return payload


def profit_table(limit: int = 100) -> Payload:
    return {"profit_table": 1, "description": 1, "limit": max(1, min(limit, MAX_PROFIT_TABLE)), "sort": "DESC"}


def forget(stream_id: str) -> Payload:
    return {"forget": stream_id}


def forget_all(*stream_types: str) -> Payload:
    return {"forget_all": list(stream_types)}


def ping() -> Payload:
    return {"ping": 1}
