"""What a handler gets: the server state and one admitted request's decoded parameters."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.webull.errors import bad_parameter
from tests.support.webull.state import ServerState
from tests.support.webull.wire import JSON


@dataclass(frozen=True)
class Call:
    state: ServerState
    path: str
    query: dict[str, str]
    body: JSON  # the decoded JSON body, None for a GET
    version: str  # x-version
    legacy: bool  # answer in the older list-and-page_size form (x-version v2 or an older path)

    def fields(self) -> dict[str, JSON]:
        """The JSON object a POST must carry."""
        if not isinstance(self.body, dict):
            raise bad_parameter("the request body must be a JSON object")
        return self.body

    def param(self, name: str) -> str:
        value = self.query.get(name, "")
        if not value:
            raise bad_parameter(f"{name} is required")
        return value
