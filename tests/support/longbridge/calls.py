"""One admitted request as a handler sees it: the state, the token it came with, query and body."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.longbridge.journal import RecordedRequest
from tests.support.longbridge.state import ServerState
from tests.support.longbridge.wire import JSON


@dataclass(frozen=True)
class Call:
    state: ServerState
    record: RecordedRequest
    token: str
    query: list[tuple[str, str]]
    body: JSON

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]

    def value(self, name: str) -> str | None:
        values = self.values(name)
        return values[-1] if values else None

    def violation(self, what: str) -> None:
        self.state.journal.violation(self.record, what)
