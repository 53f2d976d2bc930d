"""Orders and executions as the fake keeps them, and their wire views (the SDK's ``Order``, ``OrderDetail``
and ``Execution``: rust/src/trade/types.rs of longportapp/openapi)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from tests.support.longbridge.market import Instrument
from tests.support.longbridge.wire import JSON, fixed, seconds_text, text


class OrderStatus(StrEnum):
    NEW = "NewStatus"
    PARTIAL_FILLED = "PartialFilledStatus"
    FILLED = "FilledStatus"
    REPLACED = "ReplacedStatus"
    CANCELED = "CanceledStatus"
    REJECTED = "RejectedStatus"
    EXPIRED = "ExpiredStatus"


OPEN_STATUSES = frozenset({OrderStatus.NEW, OrderStatus.PARTIAL_FILLED, OrderStatus.REPLACED})


@dataclass
class HistoryEntry:
    price: Decimal
    quantity: Decimal
    status: OrderStatus
    msg: str
    time: float


@dataclass
class Execution:
    order_id: str
    trade_id: str
    symbol: str
    trade_done_at: float
    quantity: Decimal
    price: Decimal

    def wire(self) -> JSON:
        return {
            "order_id": self.order_id,
            "trade_id": self.trade_id,
            "symbol": self.symbol,
            "trade_done_at": seconds_text(self.trade_done_at),
            "quantity": text(self.quantity),
            "price": text(self.price),
        }


@dataclass
class FakeOrder:
    order_id: str
    instrument: Instrument
    side: str  # Buy | Sell
    order_type: str  # LO | ELO | ALO | AO | ODD | SLO | MO
    time_in_force: str  # Day | GTC | GTD
    quantity: Decimal
    price: Decimal | None
    submitted_at: float
    expire_date: str = ""
    outside_rth: str = ""
    remark: str = ""
    status: OrderStatus = OrderStatus.NEW
    executed_quantity: Decimal = Decimal(0)
    executed_value: Decimal = Decimal(0)
    last_done: Decimal | None = None
    updated_at: float = 0.0
    msg: str = ""
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def symbol(self) -> str:
        return self.instrument.symbol

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.executed_quantity

    @property
    def executed_price(self) -> Decimal:
        return self.executed_value / self.executed_quantity if self.executed_quantity else Decimal(0)

    def wire(self) -> JSON:
        """One ``Order`` of /v1/trade/order/today and /v1/trade/order/history."""
        return {
            "order_id": self.order_id,
            "status": str(self.status),
            "stock_name": self.instrument.name,
            "quantity": text(self.quantity),
            "executed_quantity": text(self.executed_quantity),
            "price": text(self.price) if self.price is not None else "",
            "executed_price": fixed(self.executed_price),
            "submitted_at": seconds_text(self.submitted_at),
            "side": self.side,
            "symbol": self.symbol,
            "order_type": self.order_type,
            "last_done": text(self.last_done) if self.last_done is not None else "",
            "trigger_price": "",
            "msg": self.msg,
            "tag": "GTC" if self.time_in_force != "Day" else "Normal",
            "time_in_force": self.time_in_force,
            "expire_date": self.expire_date,
            "updated_at": seconds_text(self.updated_at or self.submitted_at),
            "trigger_at": "0",
            "trailing_amount": "",
            "trailing_percent": "",
            "limit_offset": "",
            "trigger_status": "NOT_USED",
            "currency": self.instrument.currency,
            "outside_rth": self.outside_rth or "UnknownOutsideRth",
            "limit_depth_level": 0,
            "trigger_count": 0,
            "monitor_price": "",
            "remark": self.remark,
        }

    def detail(self) -> JSON:
        """``OrderDetail`` of GET /v1/trade/order: the order plus its history and charges."""
        item = self.wire()
        item.update(
            {
                "free_status": "None",
                "free_amount": "",
                "free_currency": "",
                "deductions_status": "NONE",
                "deductions_amount": "",
                "deductions_currency": "",
                "platform_deducted_status": "NONE",
                "platform_deducted_amount": "",
                "platform_deducted_currency": "",
                "history": [
                    {
                        "price": text(entry.price),
                        "quantity": text(entry.quantity),
                        "status": str(entry.status),
                        "msg": entry.msg,
                        "time": seconds_text(entry.time),
                    }
                    for entry in self.history
                ],
                "charge_detail": {"total_amount": "0", "currency": self.instrument.currency, "items": []},
            }
        )
        return item
