"""Secrets, signatures and listen keys are scrubbed from log text."""

from __future__ import annotations

import logging

import pytest

from terminal.domain.redaction import RedactingFilter, redact, register_secret


def test_signatures_and_listen_keys_in_urls() -> None:
    text = (
        "GET http://h/api/v1/account?recvWindow=5000&timestamp=1&signature=abcdef0123 "
        "PUT listenKey=MKxPTRoLXBBhlRseAUaD ws://h/api/v1/ws/MKxPTRoLXBBhlRseAUaD?x=1"
    )
    cleaned = redact(text)
    assert "abcdef0123" not in cleaned
    assert "MKxPTRoLXBBhlRseAUaD" not in cleaned
    assert "timestamp=1" in cleaned


def test_registered_secrets_disappear_wherever_they_are() -> None:
    register_secret("very-secret-value-42")
    assert redact("key=very-secret-value-42, again very-secret-value-42") == "key=<redacted>, again <redacted>"


def test_the_filter_rewrites_formatted_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.redaction")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="tests.redaction"):
        logger.info("sent %s", "a=1&signature=deadbeef")
    assert "deadbeef" not in caplog.text
    assert "a=1&signature=<redacted>" in caplog.text
