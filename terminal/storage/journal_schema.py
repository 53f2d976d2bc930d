"""The journal's SQLite file: connection settings, tables, schema version, and setting a broken file aside."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 1000

# One file serves every profile: each row names its profile and every query filters by it.
_TABLES = (
    """CREATE TABLE IF NOT EXISTS orders (
        profile TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        status TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (profile, client_order_id)
    )""",
    "CREATE INDEX IF NOT EXISTS orders_by_status ON orders (profile, status)",
    "CREATE INDEX IF NOT EXISTS orders_by_time ON orders (profile, created_ms)",
    """CREATE TABLE IF NOT EXISTS fills (
        profile TEXT NOT NULL,
        symbol TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (profile, symbol, trade_id)
    )""",
    "CREATE INDEX IF NOT EXISTS fills_by_time ON fills (profile, time_ms)",
    """CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        profile TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        client_order_id TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    )""",
    # Both end in the rowid (= id), so "newest first" within a profile or an order needs no sort.
    "CREATE INDEX IF NOT EXISTS entries_by_profile ON entries (profile)",
    "CREATE INDEX IF NOT EXISTS entries_by_order ON entries (profile, client_order_id)",
)

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class JournalError(Exception):
    """The journal cannot be opened or could not record an intent; the message is a sentence for the user."""


class NewerSchemaError(Exception):
    """The file was written by a newer version of the terminal; it must not be touched."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version}; this version reads {SCHEMA_VERSION}")
        self.version = version


def open_database(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly) with the schema in place.

    Raises sqlite3.Error (``is_corruption`` tells a broken file from a locked or unwritable one)
    or NewerSchemaError; the connection is closed again whenever it raises.
    """
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.text_factory = _lenient_text  # a hand-edited row with bad UTF-8 must not hide the others
    try:
        _prepare(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _user_version(connection: sqlite3.Connection) -> int:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    return int(version)


def _prepare(connection: sqlite3.Connection) -> None:
    version = _user_version(connection)  # the first read: raises for a file that is not a database
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # parses the schema: raises if damaged
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(version)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed intent survives a power cut, not only a crash of the app.
    connection.execute("PRAGMA synchronous = FULL")
    if version == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")  # another process may be creating the schema right now
    try:
        version = _user_version(connection)
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(version)
        for statement in _TABLES:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise


def is_corruption(error: sqlite3.Error) -> bool:
    """The file is damaged or no database at all (not merely locked, read-only or missing)."""
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def move_aside(path: Path, stamp: str) -> Path:
    """Rename a broken database (and its WAL files) to ``<name>.corrupt-<stamp>``; raises OSError.

    The WAL file goes too: replayed into a fresh database it would write the old file's pages.
    """
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():  # two broken files in one second: never overwrite the first
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def open_journal(path: Path, stamp: Callable[[], str]) -> tuple[sqlite3.Connection, str]:
    """Open (or create) the journal file; returns the connection and a problem sentence ("" if none).

    A damaged file is moved aside (named with ``stamp()``, the time now) and a new one started; a newer version's
    file, a locked or unwritable one raise JournalError and are left as they are.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise JournalError(
            f"The journal folder {path.parent} could not be created ({error.strerror or error})."
        ) from None
    try:
        return open_database(path), ""
    except NewerSchemaError as newer:
        raise JournalError(
            f"The journal {path} was written by a newer version of the terminal ({newer}). It was left as it is."
        ) from None
    except sqlite3.Error as error:
        if not is_corruption(error):
            raise JournalError(f"The journal {path} could not be opened ({error}).") from None
        reason = str(error)
    try:
        target = move_aside(path, stamp())
    except OSError as error:
        raise JournalError(
            f"The journal {path} is damaged ({reason}) and could not be moved aside ({error.strerror or error})."
        ) from None
    try:
        connection = open_database(path)
    except (sqlite3.Error, NewerSchemaError) as error:
        raise JournalError(f"A new journal could not be created at {path} ({error}).") from None
    kept = f"It was kept as {target} and a new, empty journal was started."
    return connection, f"The journal {path} could not be read ({reason}). {kept}"
