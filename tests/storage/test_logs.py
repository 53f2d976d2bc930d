"""Logging: JSON lines in a rotating file, warnings on stderr, a buffer for the dock, secrets never shown."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from terminal.domain.redaction import RedactingFilter, register_secret
from terminal.storage.log_buffer import LogBuffer, LogEntry
from terminal.storage.logs import LogSetup, setup_logging
from terminal.storage.paths import AppPaths

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
log = logging.getLogger("tests.storage.logs")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(*(tmp_path / name for name in ("config", "data", "log", "cache", "state")))


@pytest.fixture
def setup(paths: AppPaths) -> Iterator[LogSetup]:
    installed = setup_logging(paths, "DEBUG")
    yield installed
    installed.teardown()


def file_lines(path: Path) -> list[dict[str, str]]:
    return [orjson.loads(line) for line in path.read_text("utf-8").splitlines()]


def our_handlers() -> list[logging.Handler]:
    return [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactingFilter) for f in handler.filters)
    ]


def test_records_become_json_lines(setup: LogSetup, paths: AppPaths) -> None:
    log.info("connected to %s", "demo")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("it failed")
    lines = file_lines(paths.log_file)
    assert setup.log_file == paths.log_dir / "terminal.jsonl"
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("INFO", "tests.storage.logs", "connected to demo"),
        ("ERROR", "tests.storage.logs", "it failed"),
    ]
    assert all(TIMESTAMP.match(line["ts"]) for line in lines)
    assert "exception" not in lines[0]
    assert "ValueError: boom" in lines[1]["exception"]


def test_secrets_signatures_and_listen_keys_never_reach_the_file_or_the_buffer(
    capsys: pytest.CaptureFixture[str], setup: LogSetup, paths: AppPaths
) -> None:
    register_secret("api-secret-0123456789")
    log.info("GET https://h/api/v1/account?timestamp=1&signature=abc")
    logging.getLogger("httpx").warning("secret %s in a library's log", "api-secret-0123456789")
    logging.getLogger("some.other.library").info("listenKey=MKxPTRoLXBBhlRseAUaD")
    try:
        raise RuntimeError("refused key api-secret-0123456789")
    except RuntimeError:
        log.exception("signing failed")
    text = paths.log_file.read_text("utf-8")
    err = capsys.readouterr().err
    assert "signing failed" in err
    shown = "\n".join(entry.text for entry in setup.buffer.entries()) + err
    for output in (text, shown):
        assert "signature=abc" not in output
        assert "api-secret-0123456789" not in output
        assert "MKxPTRoLXBBhlRseAUaD" not in output
        assert "signature=<redacted>" in output
    assert len(file_lines(paths.log_file)) == 4


def test_the_file_rotates(paths: AppPaths) -> None:
    setup = setup_logging(paths, max_bytes=400, backup_count=2)
    try:
        for number in range(60):
            log.info("line %03d with some padding to fill the file", number)
    finally:
        setup.teardown()
    files = sorted(path.name for path in paths.log_dir.iterdir())
    assert files == ["terminal.jsonl", "terminal.jsonl.1", "terminal.jsonl.2"]
    for name in files:
        lines = file_lines(paths.log_dir / name)
        assert lines
        assert all(len(orjson.dumps(line)) < 400 for line in lines)
    assert file_lines(paths.log_file)[-1]["message"].startswith("line 059")


def test_only_warnings_go_to_stderr_in_plain_words(capsys: pytest.CaptureFixture[str], setup: LogSetup) -> None:
    log.info("routine")
    log.warning("look at %s", "this")
    err = capsys.readouterr().err
    assert "routine" not in err
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} WARNING  tests\.storage\.logs: look at this$", err, re.M)


def test_setting_up_twice_does_not_duplicate_and_teardown_restores(paths: AppPaths) -> None:
    root = logging.getLogger()
    level_before, handlers_before = root.level, list(root.handlers)
    first = setup_logging(paths, "DEBUG")
    second = setup_logging(paths, "WARNING")
    assert len(our_handlers()) == 3
    assert not first.active
    assert root.level == logging.WARNING
    log.warning("once")
    assert [entry.message for entry in second.buffer.entries()] == ["once"]
    assert file_lines(paths.log_file) == [file_lines(paths.log_file)[0]]
    second.teardown()
    second.teardown()
    first.teardown()
    assert (root.level, root.handlers) == (level_before, handlers_before)
    assert any(isinstance(f, RedactingFilter) for f in logging.getLogger("httpx").filters)


def test_an_unknown_level_is_refused(paths: AppPaths) -> None:
    with pytest.raises(ValueError, match="Unknown log level 'LOUD'"):
        setup_logging(paths, "LOUD")
    assert our_handlers() == []


def test_the_buffer_keeps_the_last_records_and_tells_listeners() -> None:
    buffer = LogBuffer(capacity=3)
    logger = logging.getLogger("tests.storage.buffer")
    logger.addHandler(buffer)
    logger.setLevel(logging.INFO)
    try:
        received: list[LogEntry] = []
        unsubscribe = buffer.add_listener(received.append)
        for number in range(5):
            logger.info("message %d", number)
        assert [entry.message for entry in buffer.entries()] == ["message 2", "message 3", "message 4"]
        assert [entry.message for entry in received] == [f"message {n}" for n in range(5)]
        assert received[0].level == "INFO"
        assert received[0].levelno == logging.INFO
        assert received[0].logger == "tests.storage.buffer"
        assert received[0].text.endswith("message 0")
        unsubscribe()
        logger.info("after")
        assert len(received) == 5
        buffer.clear()
        assert buffer.entries() == []
    finally:
        logger.removeHandler(buffer)


def test_a_failing_or_logging_listener_cannot_break_logging(capsys: pytest.CaptureFixture[str]) -> None:
    buffer = LogBuffer()
    logger = logging.getLogger("tests.storage.listeners")
    logger.addHandler(buffer)
    logger.propagate = False
    try:
        received: list[str] = []

        def broken(entry: LogEntry) -> None:
            raise RuntimeError("listener bug")

        def chatty(entry: LogEntry) -> None:
            received.append(entry.message)
            logger.warning("echo of %s", entry.message)  # would loop forever if passed back to listeners

        buffer.add_listener(broken)
        buffer.add_listener(chatty)
        logger.warning("first")
        assert received == ["first"]
        assert [entry.message for entry in buffer.entries()] == ["first", "echo of first"]
        assert "listener bug" in capsys.readouterr().err  # reported like any handler error
    finally:
        logger.removeHandler(buffer)
        logger.propagate = True
