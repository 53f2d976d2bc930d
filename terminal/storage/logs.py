"""Logging for the whole app: JSON lines to a rotating file, warnings to stderr, recent lines for the log dock.

DESIGN.md, Storage: "stdlib logging, human-readable to the log dock, JSON lines to a rotating file
under platformdirs.user_log_dir; a filter redacts secrets, signatures and listen keys."
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from terminal.domain.redaction import RedactingFilter, protect_library_loggers
from terminal.storage.log_buffer import LogBuffer
from terminal.storage.log_format import HumanFormatter, JsonLinesFormatter
from terminal.storage.paths import AppPaths

MAX_FILE_BYTES = 5 * 1024 * 1024
BACKUP_FILES = 5
BUFFER_LINES = 2000


@dataclass(slots=True, eq=False)
class LogSetup:
    """What ``setup_logging`` installed on the root logger; ``teardown`` takes it all back."""

    log_file: Path
    buffer: LogBuffer
    handlers: tuple[logging.Handler, ...]
    previous_level: int
    active: bool = field(default=True)

    def teardown(self) -> None:
        """Remove and close the handlers, restore the root level. Safe to call twice."""
        if not self.active:
            return
        self.active = False
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(self.previous_level)
        if self in _installed:
            _installed.remove(self)


class CurrentStderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record comes: test runners swap it, pythonw has none."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        stream = sys.stderr
        if stream is None:
            return
        self.stream = stream
        super().emit(record)


_installed: list[LogSetup] = []  # at most one: the setup in force


def setup_logging(
    paths: AppPaths,
    level: str = "INFO",
    *,
    max_bytes: int = MAX_FILE_BYTES,
    backup_count: int = BACKUP_FILES,
    buffer_size: int = BUFFER_LINES,
) -> LogSetup:
    """Install the terminal's handlers on the root logger at ``level``, replacing any earlier setup.

    Raises ValueError for an unknown level name and OSError when the log directory cannot be made.
    """
    numeric_level = logging.getLevelNamesMapping().get(level.upper())
    if numeric_level is None:
        raise ValueError(f"Unknown log level {level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    previous_level = _installed[0].previous_level if _installed else logging.getLogger().level
    for earlier in tuple(_installed):
        earlier.teardown()  # calling setup twice must not duplicate handlers
    paths.log_dir.mkdir(parents=True, exist_ok=True)

    file_handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    file_handler.setFormatter(JsonLinesFormatter())
    stderr_handler = CurrentStderrHandler()
    stderr_handler.setLevel(logging.WARNING)
    stderr_handler.setFormatter(HumanFormatter())
    buffer = LogBuffer(buffer_size)
    buffer.setFormatter(HumanFormatter())
    handlers: tuple[logging.Handler, ...] = (file_handler, stderr_handler, buffer)

    root = logging.getLogger()
    for handler in handlers:
        # A filter on a handler sees records of every logger (one on a logger sees only that logger's own).
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(numeric_level)
    protect_library_loggers()
    setup = LogSetup(paths.log_file, buffer, handlers, previous_level)
    _installed.append(setup)
    return setup
