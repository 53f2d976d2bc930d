"""How a log record is written: one JSON object per line for the file, one plain line for people.

Both pass their whole output through ``redact`` again: the RedactingFilter cleans the message, but
exception text and stack traces are formatted later and may quote a secret too.
"""

from __future__ import annotations

import json
import logging
import time

import orjson

from terminal.domain.redaction import redact


def utc_timestamp(created: float) -> str:
    """ISO-8601 UTC with milliseconds: 2025-01-31T09:05:01.042Z."""
    seconds = int(created)
    millis = min(999, int((created - seconds) * 1000))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


class JsonLinesFormatter(logging.Formatter):
    """{"ts", "level", "logger", "message"} plus "exception" and "stack" when the record has them."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        try:
            return orjson.dumps(entry).decode()
        except orjson.JSONEncodeError:  # a lone surrogate in a message: json escapes what orjson refuses
            return json.dumps(entry)


class HumanFormatter(logging.Formatter):
    """Lines like "2025-01-31 10:05:01.042 WARNING  terminal.session: text" in local time, for the dock and stderr."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s.%(msecs)03d %(levelname)-8s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
