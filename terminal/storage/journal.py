"""The audit journal: what the user asked for, what was sent and answered, and what the venue reported.

Every order intent is committed durably **before** its request leaves (``record_intent``), so an
order whose outcome is unknown after a crash is found again on the next start
(``unfinished_orders``) and reconciled by its client order id instead of being re-sent blindly
(DESIGN.md, "Numbers, time, identifiers"). Besides orders and fills it keeps a timeline of entries:
user actions, requests, responses, stream events about the user's orders, and the terminal's own
conclusions. One SQLite file (WAL) holds every profile; a ``Journal`` sees only its own profile.
It receives orders, fills and texts only, never credentials; texts pass through ``redact`` anyway.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from terminal.domain.decimals import to_plain
from terminal.domain.enums import OrderStatus
from terminal.domain.orders import Fill, Order
from terminal.domain.redaction import redact
from terminal.storage.journal_codec import (
    CodecError,
    EntryKind,
    JournalEntry,
    decode_entry,
    decode_fill,
    decode_order,
    encode_data,
    encode_fill,
    encode_order,
)
from terminal.storage.journal_schema import SCHEMA_VERSION, JournalError, open_journal

log = logging.getLogger("terminal.journal")

MAX_PROBLEMS = 50  # beyond this, further distinct problems are only logged
# CodecError is a ValueError, and so is sqlite3's refusal of a text with a lone surrogate;
# an integer beyond 64 bits is an OverflowError.
_WRITE_ERRORS = (sqlite3.Error, ValueError, OverflowError)


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _intent_text(order: Order, source: str) -> str:
    size = to_plain(order.quantity) if order.quantity > 0 else f"{to_plain(order.amount)} quote of"
    price = to_plain(order.price) if order.price is not None else "market"
    return f"place {order.side.value} {size} {order.symbol} @ {price} ({source})"


_OPEN_STATUSES = tuple(status.value for status in OrderStatus if not status.is_terminal)
_UPSERT_ORDER = """
    INSERT INTO orders (profile, client_order_id, symbol, status, created_ms, updated_ms, body)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (profile, client_order_id) DO UPDATE SET symbol = excluded.symbol, status = excluded.status,
        created_ms = excluded.created_ms, updated_ms = excluded.updated_ms, body = excluded.body
"""
_INSERT_FILL = """
    INSERT OR IGNORE INTO fills (profile, symbol, trade_id, client_order_id, time_ms, body) VALUES (?, ?, ?, ?, ?, ?)
"""
_INSERT_ENTRY = "INSERT INTO entries (profile, time_ms, kind, client_order_id, text, data) VALUES (?, ?, ?, ?, ?, ?)"


class Journal:
    """The journal of one profile in the SQLite file at ``path`` (normally ``AppPaths.journal_file``).

    Opening raises JournalError; afterwards only ``record_intent`` raises. Other write failures
    (disk full, file locked) are noted in ``problems`` and counted in ``failures``: the app keeps
    trading, and the user is told that the history may be incomplete.
    """

    def __init__(self, path: Path, profile: str, *, clock: Callable[[], int] = _wall_ms) -> None:
        self.path = path
        self.profile = profile
        self.problems: list[str] = []
        self._noted: set[str] = set()
        self._clock = clock
        self._failures = 0
        self._pending = 0  # rows written since the last commit
        self._connection, problem = open_journal(path, self._stamp)
        if problem:
            self._note(problem)

    def _stamp(self) -> str:
        return datetime.fromtimestamp(self._clock() // 1000, UTC).strftime("%Y%m%dT%H%M%SZ")

    # ---- problems -----------------------------------------------------------------------------

    @property
    def failures(self) -> int:
        """How many rows could not be saved since the journal was opened."""
        return self._failures

    @property
    def failed(self) -> bool:
        return self._failures > 0

    def _note(self, problem: str) -> None:
        if problem in self._noted:
            return
        self._noted.add(problem)
        log.warning("%s", problem)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def _write_failed(self, what: str, error: Exception, *, roll_back: bool = False) -> None:
        lost = 1
        if roll_back or isinstance(error, sqlite3.Error):
            # SQLite's advice after a failed write (full, busy, I/O): roll back, the transaction may
            # be half gone already; a stale read snapshot would also make every later write fail.
            lost += self._rollback()
        self._failures += lost
        self._note(f"The journal could not save {what} ({error}); the trading history may be incomplete.")

    # ---- writing ------------------------------------------------------------------------------

    def _execute(self, sql: str, parameters: tuple[object, ...]) -> sqlite3.Cursor:
        if not self._connection.in_transaction:
            self._connection.execute("BEGIN")
        cursor = self._connection.execute(sql, parameters)
        self._pending += 1
        return cursor

    def _upsert_order(self, order: Order) -> None:
        body = encode_order(order)
        row = (self.profile, order.client_order_id, order.symbol, order.status.value)
        self._execute(_UPSERT_ORDER, (*row, order.created_ms, order.updated_ms, body))

    def _insert_entry(
        self, kind: EntryKind, text: str, client_order_id: str, data: Mapping[str, object] | None
    ) -> None:
        encoded = redact(encode_data(data))
        self._execute(_INSERT_ENTRY, (self.profile, self._clock(), kind.value, client_order_id, redact(text), encoded))

    def _rollback(self) -> int:
        """Drop the open transaction; returns how many rows were lost with it."""
        lost, self._pending = self._pending, 0
        try:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
        except sqlite3.Error as error:  # closed, or the transaction is gone already
            log.debug("The journal could not roll back: %s", error)
        return lost

    def record_intent(self, order: Order, source: str) -> None:
        """Write ``order`` and an ACTION entry and commit durably now; raises JournalError.

        When it raises, the caller must not send the order: nothing would find it after a crash.
        """
        try:
            self._upsert_order(order)
            data = {"source": source, "type": order.type.value, "time_in_force": order.time_in_force}
            self._insert_entry(EntryKind.ACTION, _intent_text(order, source), order.client_order_id, data)
            self._connection.execute("COMMIT")
            self._pending = 0
        except _WRITE_ERRORS as error:
            self._write_failed(f"order {order.client_order_id}", error, roll_back=True)  # no half an intent
            raise JournalError(
                f"The journal could not record order {order.client_order_id} before sending it ({error})."
            ) from None

    def save_order(self, order: Order) -> None:
        """Insert or replace the order (committed by ``commit``); a failure is noted, never raised."""
        try:
            self._upsert_order(order)
        except _WRITE_ERRORS as error:
            self._write_failed(f"order {order.client_order_id}", error)

    def save_fill(self, fill: Fill) -> bool:
        """Keep a fill once; True when it was new (False when known already or when saving failed)."""
        row = (self.profile, fill.symbol, fill.trade_id, fill.client_order_id, fill.time_ms)
        try:
            cursor = self._execute(_INSERT_FILL, (*row, encode_fill(fill)))
        except _WRITE_ERRORS as error:
            self._write_failed(f"fill {fill.trade_id}", error)
            return False
        return cursor.rowcount == 1

    def record(
        self, kind: EntryKind, text: str, *, client_order_id: str = "", data: Mapping[str, object] | None = None
    ) -> None:
        """Append an entry to the timeline (committed by ``commit``); a failure is noted, never raised."""
        try:
            self._insert_entry(kind, text, client_order_id, data)
        except _WRITE_ERRORS as error:
            self._write_failed(f"a {kind.value} entry", error)

    def commit(self) -> None:
        """Make everything written since the last commit durable (cheap when nothing was written)."""
        try:
            if self._connection.in_transaction:
                self._connection.execute("COMMIT")
            self._pending = 0
        except sqlite3.Error as error:
            lost = self._rollback()
            if lost:
                self._failures += lost
                self._note(
                    f"The journal could not save the latest changes ({error}); the trading history may be incomplete."
                )

    # ---- reading ------------------------------------------------------------------------------

    def _rows(self, sql: str, parameters: tuple[object, ...]) -> list[Any]:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            self._note(f"The journal could not be read ({error}).")
            return []

    def _orders(self, rows: list[Any]) -> list[Order]:
        orders = []
        for client_order_id, body in rows:
            try:
                orders.append(decode_order(body))
            except (CodecError, TypeError) as error:
                self._note(f"Order {client_order_id!r} in the journal could not be read ({error}) and was skipped.")
        return orders

    def unfinished_orders(self) -> list[Order]:
        """Orders whose outcome is not final yet (to reconcile on start), oldest first."""
        marks = ", ".join("?" * len(_OPEN_STATUSES))
        sql = (
            f"SELECT client_order_id, body FROM orders WHERE profile = ? AND status IN ({marks}) "
            "ORDER BY created_ms, rowid"
        )
        orders = self._orders(self._rows(sql, (self.profile, *_OPEN_STATUSES)))
        return [order for order in orders if not order.status.is_terminal]

    def orders(self, since_ms: int = 0) -> list[Order]:
        """Orders created or updated at or after ``since_ms``, oldest first."""
        sql = (
            "SELECT client_order_id, body FROM orders WHERE profile = ? AND (created_ms >= ? OR updated_ms >= ?) "
            "ORDER BY created_ms, rowid"
        )
        return self._orders(self._rows(sql, (self.profile, since_ms, since_ms)))

    def fills(self, since_ms: int = 0) -> list[Fill]:
        """Fills at or after ``since_ms``, oldest first."""
        sql = "SELECT trade_id, body FROM fills WHERE profile = ? AND time_ms >= ? ORDER BY time_ms, rowid"
        fills = []
        for trade_id, body in self._rows(sql, (self.profile, since_ms)):
            try:
                fills.append(decode_fill(body))
            except (CodecError, TypeError) as error:
                self._note(f"Fill {trade_id!r} in the journal could not be read ({error}) and was skipped.")
        return fills

    def entries(
        self,
        *,
        client_order_id: str | None = None,
        search: str = "",
        kinds: Collection[EntryKind] = (),
        limit: int = 1000,
        after_id: int = 0,
    ) -> list[JournalEntry]:
        """The last ``limit`` entries that match, newest last.

        ``search`` is a substring of the text or the client order id (case-insensitive for ASCII);
        ``after_id`` keeps only entries newer than that id (for refreshing a view cheaply).
        """
        if limit <= 0:
            return []
        clauses = ["profile = ?"]
        parameters: list[object] = [self.profile]
        if client_order_id is not None:
            clauses.append("client_order_id = ?")
            parameters.append(client_order_id)
        if search:
            pattern = f"%{_escape_like(search)}%"
            clauses.append("(text LIKE ? ESCAPE '\\' OR client_order_id LIKE ? ESCAPE '\\')")
            parameters += [pattern, pattern]
        if kinds:
            clauses.append(f"kind IN ({', '.join('?' * len(kinds))})")
            parameters += [kind.value for kind in kinds]
        if after_id > 0:
            clauses.append("id > ?")
            parameters.append(after_id)
        sql = (
            "SELECT id, time_ms, kind, client_order_id, text, data FROM entries "
            f"WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ?"
        )
        rows = self._rows(sql, (*parameters, limit))
        return [entry for row in reversed(rows) if (entry := self._entry(row)) is not None]

    def _entry(self, row: tuple[Any, ...]) -> JournalEntry | None:
        try:
            return decode_entry(row)
        except CodecError as error:
            self._note(f"Journal entry {row[0]} could not be read ({error}) and was skipped.")
            return None

    # ---- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Commit what is pending and close the file; closing twice does nothing."""
        try:
            if self._connection.in_transaction:
                self.commit()
        except sqlite3.ProgrammingError:  # closed already
            return
        self._connection.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


__all__ = ["SCHEMA_VERSION", "EntryKind", "Journal", "JournalEntry", "JournalError"]
