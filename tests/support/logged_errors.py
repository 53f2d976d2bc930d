"""Exceptions the app caught and logged instead of letting them escape (a guarded task, a slot that
logs its failure): a test that says "nothing crashed" must see these too, not only pytest-qt's."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class LoggedErrors(logging.Handler):
    """Keeps every record that carries a traceback, and asyncio's own error reports."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info is not None or record.name == "asyncio":
            self.records.append(record)

    def texts(self, since: int = 0) -> list[str]:
        out = []
        for record in self.records[since:]:
            text = f"{record.name}: {record.getMessage()}"
            if record.exc_info is not None:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            out.append(text)
        return out


@contextmanager
def logged_errors() -> Iterator[LoggedErrors]:
    """Collect error records of every logger (on the root: every record propagates to it) while inside."""
    handler = LoggedErrors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
