"""Scrub signatures, listen keys and registered secrets from text bound for a log."""

from __future__ import annotations

import logging
import re
import threading

_MASK = "<redacted>"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(signature=)[^&\s'\"]+", re.IGNORECASE), rf"\1{_MASK}"),
    (re.compile(r"(listenKey[=:\"' ]+)[A-Za-z0-9_\-]{8,}", re.IGNORECASE), rf"\1{_MASK}"),
    (re.compile(r"(/api/v1/ws/)[^/?\s'\"]+"), rf"\1{_MASK}"),
    (re.compile(r"(x-hk-apikey['\"]?\s*[:=,]\s*b?['\"]?)[^'\"\s,})]+", re.IGNORECASE), rf"\1{_MASK}"),
)
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Remember a secret (API secret, token, key) so that ``redact`` removes it wherever it appears."""
    if len(value) >= 6:  # shorter values would mangle ordinary words
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, _MASK)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message through ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_LIBRARY_LOGGERS = ("httpx", "httpcore", "websockets", "websockets.client", "websockets.server", "uvicorn.access")


def protect_library_loggers() -> None:
    """Install the filter on loggers of libraries that print request URLs (httpx logs each URL)."""
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
