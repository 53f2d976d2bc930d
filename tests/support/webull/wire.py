"""Webull's wire conventions for the fake: the JSON type, the error envelope, decimals and times as strings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

JSON = Any


@dataclass(eq=False)
class WebullError(Exception):
    """An answer in Webull's error envelope: ``{"error_code": ..., "message": ...}`` with an HTTP status."""

    status: int
    code: str
    message: str

    def body(self) -> dict[str, str]:
        return {"error_code": self.code, "message": self.message}

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


def text(value: Decimal) -> str:
    """A decimal as the venue writes it: plain digits, never an exponent."""
    return format(value, "f")


def millis(seconds: float) -> int:
    return round(seconds * 1000)


def _utc_millis(seconds: float, zone: str) -> str:
    whole, fraction = divmod(millis(seconds), 1000)
    return datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{fraction:03d}{zone}"


def iso_millis(seconds: float) -> str:
    """``2025-11-11T05:44:35.385Z``, the format of ``place_time_at`` and of order-history bounds."""
    return _utc_millis(seconds, "Z")


def bar_time(seconds: float) -> str:
    """``2021-12-28T09:00:09.945+0000``, the documented format of a bar's ``time``."""
    return _utc_millis(seconds, "+0000")


def parse_iso_millis(value: str) -> float:
    """Parse ``yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`` (milliseconds optional); ValueError if it is anything else."""
    for layout in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    raise ValueError(f"not an ISO-8601 UTC time: {value!r}")


def parse_date(value: str) -> float:
    """Parse ``yyyy-MM-dd`` (the legacy order-history bounds) as midnight UTC."""
    return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
