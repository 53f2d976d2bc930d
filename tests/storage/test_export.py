"""CSV export: exact decimals, ISO UTC times, no formulas from text cells, and nothing half-written."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.orders import Fill, Order
from terminal.storage.export import (
    FILL_HEADER,
    ORDER_HEADER,
    ExportError,
    iso_time,
    write_fills_csv,
    write_orders_csv,
)

TIME_MS = 1_795_342_530_123  # 2026-11-22T10:15:30.123Z


def _order(**fields: object) -> Order:
    base: dict[str, object] = {
        "symbol": "BTCUSDT",
        "side": Side.SELL,
        "type": OrderType.LIMIT,
        "client_order_id": "c-1",
        "quantity": Decimal("0.00000001"),
        "price": Decimal("123456789.123456789"),
        "time_in_force": TimeInForce.IOC,
        "order_id": "1777",
        "venue_status": OrderStatus.PARTIALLY_CANCELED,
        "executed_qty": Decimal("0.000000005"),
        "cumulative_quote_qty": Decimal("0.61728394561728394"),
        "avg_price": Decimal("123456789.123456789"),
        "created_ms": TIME_MS,
        "updated_ms": TIME_MS + 877,
        "cancel_reason": "USER_CANCELED",
    }
    return Order(**{**base, **fields})  # type: ignore[arg-type]


def _fill(**fields: object) -> Fill:
    base: dict[str, object] = {
        "trade_id": "t-9",
        "order_id": "1777",
        "client_order_id": "c-1",
        "symbol": "BTCUSDT",
        "side": Side.BUY,
        "price": Decimal("123456789.123456789"),
        "quantity": Decimal("0.00000001"),
        "commission": Decimal("-0.0000000012"),  # a maker rebate
        "commission_asset": "USDT",
        "time_ms": TIME_MS,
        "is_maker": True,
    }
    return Fill(**{**base, **fields})  # type: ignore[arg-type]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_orders_are_written_with_exact_decimals_and_iso_times(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    market = Order("ETHUSDT", Side.BUY, OrderType.MARKET, "m-1", amount=Decimal("1E+2"))
    assert write_orders_csv(path, [_order(), market]) == 2
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(ORDER_HEADER)
    first, second = _read(path)
    assert first == {
        "time": "2026-11-22T10:15:30.123Z",
        "client_order_id": "c-1",
        "order_id": "1777",
        "symbol": "BTCUSDT",
        "side": "SELL",
        "type": "LIMIT",
        "time_in_force": "IOC",
        "price": "123456789.123456789",
        "quantity": "0.00000001",
        "amount": "0",
        "status": "PARTIALLY_CANCELED",
        "executed_qty": "0.000000005",
        "cumulative_quote_qty": "0.61728394561728394",
        "avg_price": "123456789.123456789",
        "updated_time": "2026-11-22T10:15:31.000Z",
        "reason": "USER_CANCELED",
    }
    assert (second["price"], second["amount"], second["time"], second["time_in_force"]) == ("", "100", "", "")
    assert (second["status"], second["avg_price"], second["order_id"]) == ("SUBMITTING", "", "")


def test_fills_are_written_with_exact_decimals_and_the_quote_value(tmp_path: Path) -> None:
    path = tmp_path / "fills.csv"
    assert write_fills_csv(path, iter([_fill(), _fill(trade_id="t-10", is_maker=False)])) == 2
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(FILL_HEADER)
    first, second = _read(path)
    assert first == {
        "time": "2026-11-22T10:15:30.123Z",
        "trade_id": "t-9",
        "order_id": "1777",
        "client_order_id": "c-1",
        "symbol": "BTCUSDT",
        "side": "BUY",
        "price": "123456789.123456789",
        "quantity": "0.00000001",
        "quote_qty": "1.23456789123456789",
        "fee": "-0.0000000012",
        "fee_asset": "USDT",
        "role": "maker",
    }
    assert second["role"] == "taker"


def test_iso_time_keeps_milliseconds_exactly() -> None:
    assert iso_time(0) == ""
    assert iso_time(1) == "1970-01-01T00:00:00.001Z"
    assert iso_time(TIME_MS) == "2026-11-22T10:15:30.123Z"
    assert iso_time(1_799_999_999_999) == "2027-01-15T07:59:59.999Z"


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_cells_that_start_like_a_formula_are_defused(tmp_path: Path, dangerous: str) -> None:
    path = tmp_path / "orders.csv"
    write_orders_csv(path, [_order(client_order_id=dangerous, reject_reason=dangerous, symbol="=cmd|' /C calc'!A0")])
    [row] = _read(path)
    assert row["client_order_id"] == f"'{dangerous}"
    assert row["reason"] == f"'{dangerous}"
    assert row["symbol"] == "'=cmd|' /C calc'!A0"


def test_negative_numbers_stay_numbers(tmp_path: Path) -> None:
    path = tmp_path / "fills.csv"
    write_fills_csv(path, [_fill(commission=Decimal("-5"), commission_asset="-USDT")])
    [row] = _read(path)
    assert row["fee"] == "-5"
    assert row["fee_asset"] == "'-USDT"


def test_nothing_is_left_behind_when_the_final_rename_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out" / "orders.csv"
    path.parent.mkdir()
    path.write_text("the previous export", encoding="utf-8")

    def refuse(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match=r"could not be written \(No space left on device\)\.$"):
        write_orders_csv(path, [_order()])
    assert list(path.parent.iterdir()) == [path]
    assert path.read_text(encoding="utf-8") == "the previous export"


def test_a_failing_source_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"

    def orders() -> Iterator[Order]:
        yield _order()
        raise RuntimeError("the journal went away")

    with pytest.raises(RuntimeError):
        write_orders_csv(path, orders())
    assert not path.exists()


def test_an_unwritable_path_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    with pytest.raises(ExportError, match="could not be written"):
        write_fills_csv(blocker / "fills.csv", [_fill()])


def test_an_empty_export_has_its_header(tmp_path: Path) -> None:
    path = tmp_path / "fills.csv"
    assert write_fills_csv(path, []) == 0
    assert path.read_bytes() == (",".join(FILL_HEADER) + "\r\n").encode()
