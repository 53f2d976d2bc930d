"""The soak program: a short run in its own process ends consistent, and the check it ends with
finds every kind of difference between the terminal's stores and the venue's state."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from terminal.domain.balance import Balance
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import Fill, Order
from terminal.soak.consistency import STATE_FILL_LIMIT, compare

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_soak_with_faults_ends_consistent(tmp_path: Path) -> None:
    report = tmp_path / "soak.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Seed 7 with a fault every 3 to 6 s: 500s and timeouts (executed or not), dropped sockets, a 429
    # window, an expired listen key and a paused stream within the half minute.
    command = [sys.executable, "-m", "terminal.soak", "--minutes", "0.5", "--seed", "7", "--fault-interval", "3-6"]
    done = subprocess.run(
        [*command, "--json", str(report)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr (end):\n{done.stderr[-4000:]}"
    assert "Traceback" not in done.stderr
    assert "verdict: CONSISTENT" in done.stdout
    data = orjson.loads(report.read_bytes())
    assert data["ok"] is True and data["consistent"] is True
    assert [c["consistent"] for c in data["consistency"]["checks"]] == [True, True]
    assert data["orders"]["placed"] >= 20
    assert data["orders"]["accepted"] > 0
    assert data["cancels"]["requested"] > 0
    assert data["faults"]["count"] >= 4
    assert {"drop-connections", "expire-listen-key"} <= set(data["faults"]["by_kind"])
    samples = data["memory"]
    assert len(samples) >= 3
    assert all(s["rss_mb"] > 0 for s in samples)
    assert samples[-1]["orders_held"] >= data["orders"]["placed"]
    assert data["errors"] == []


def test_a_bad_argument_is_a_sentence_not_a_traceback() -> None:
    command = [sys.executable, "-m", "terminal.soak", "--minutes", "0"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == "soak: the duration must be more than zero minutes"


# ---- the consistency check ----------------------------------------------------------------------


def _order(cid: str, status: OrderStatus, executed: str = "0") -> Order:
    return Order(
        "BTCUSDT",
        Side.BUY,
        OrderType.LIMIT,
        cid,
        quantity=Decimal("0.002"),
        price=Decimal("90000"),
        venue_status=status,
        executed_qty=Decimal(executed),
    )


def _row(cid: str, status: str, executed: str = "0") -> dict[str, Any]:
    return {"clientOrderId": cid, "status": status, "executedQty": executed, "origQty": "0.0020", "price": "90000.00"}


def _fill(trade_id: str, qty: str, time_ms: int = 2_000) -> Fill:
    return Fill(
        trade_id,
        "9",
        "a",
        "BTCUSDT",
        Side.BUY,
        Decimal(90000),
        Decimal(qty),
        Decimal("0.0000015"),
        "BTC",
        time_ms,
        True,
    )


def _trade(trade_id: str, qty: str, time_ms: int = 2_000) -> dict[str, Any]:
    return {
        "id": trade_id,
        "clientOrderId": "a",
        "price": "90000",
        "qty": qty,
        "commission": "0.0000015",
        "commissionAsset": "BTC",
        "time": str(time_ms),
    }


def test_agreeing_stores_have_no_differences() -> None:
    state = {
        "openOrders": [_row("a", "PARTIALLY_FILLED", "0.0010")],
        "fills": [_trade("t1", "0.001")],
        "balances": [{"asset": "BTC", "free": "1.5", "locked": "0"}, {"asset": "USDT", "free": "10", "locked": "90.0"}],
    }
    orders = [_order("a", OrderStatus.PARTIALLY_FILLED, "0.001"), _order("b", OrderStatus.CANCELED)]
    balances = {
        "BTC": Balance.of("BTC", Decimal("1.50"), Decimal(0)),
        "USDT": Balance.of("USDT", Decimal(10), Decimal(90)),
    }
    assert compare(orders, [_fill("t1", "0.0010")], balances, state) == []


def test_every_kind_of_difference_is_listed() -> None:
    state = {
        "openOrders": [_row("a", "PARTIALLY_FILLED", "0.0015"), _row("c", "NEW")],
        "fills": [_trade("t1", "0.001"), _trade("t3", "0.0005")],
        "balances": [{"asset": "BTC", "free": "1.5", "locked": "0"}],
    }
    orders = [
        _order("a", OrderStatus.PARTIALLY_FILLED, "0.001"),
        _order("b", OrderStatus.NEW),
        _order("c", OrderStatus.CANCELED),
    ]
    fills = [_fill("t1", "0.002"), _fill("t2", "0.001")]
    balances = {
        "BTC": Balance.of("BTC", Decimal("1.4"), Decimal("0.1")),
        "ETH": Balance.of("ETH", Decimal(1), Decimal(0)),
    }
    found = {str(d) for d in compare(orders, fills, balances, state)}
    assert found == {
        "order a: terminal executed 0.001; venue executed 0.0015",
        "order b: terminal shows it NEW; venue has no such open order",
        "order c: terminal shows it CANCELED; venue has it open (NEW, executed 0)",
        "fill t1: terminal quantity 0.002; venue quantity 0.001",
        "fill t2: terminal has 0.001 of a; venue has none",
        "fill t3: terminal has none; venue has 0.0005 of a",
        "balance BTC: terminal free 1.4 locked 0.1; venue free 1.5 locked 0",
        "balance ETH: terminal free 1 locked 0; venue has none",
    }


def test_fills_outside_what_the_venue_lists_are_not_compared() -> None:
    # The state lists at most STATE_FILL_LIMIT fills, newest first: older ones the terminal holds are not
    # missing at the venue; fills from before the session (``since_ms``) are not expected in the terminal.
    listed = [_trade(f"n{i}", "0.001", time_ms=10_000 + i) for i in range(STATE_FILL_LIMIT)]
    terminal = [_fill(f"n{i}", "0.001", time_ms=10_000 + i) for i in range(1, STATE_FILL_LIMIT)]
    older = _fill("old", "0.001", time_ms=5_000)
    state = {"openOrders": [], "fills": listed, "balances": []}
    assert compare([], [older, *terminal], {}, state) == []
    before_session = {"openOrders": [], "fills": [_trade("x", "0.001", time_ms=1_000)], "balances": []}
    assert compare([], [], {}, before_session, since_ms=2_000) == []
    assert [str(d) for d in compare([], [], {}, before_session)] == ["fill x: terminal has none; venue has 0.001 of a"]
