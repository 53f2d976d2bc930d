"""A loopback HTTP server for tests that records every request exactly as it arrived.

Built on Starlette and uvicorn; each test scripts the answers per (method, path).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: str  # raw, exactly as received
    body: bytes
    headers: dict[str, str]

    def query_params(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def form_params(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))


Answer = Callable[[Recorded], Response]


def json_answer(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    body = orjson.dumps(data)
    return lambda _: Response(body, status_code=status, media_type="application/json", headers=headers)


@dataclass
class Recorder:
    answers: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""

    def on(self, method: str, path: str, *answers: Answer) -> None:
        """Answer the next requests to (method, path) in turn; the last answer repeats."""
        self.answers[(method, path)] = list(answers)

    def hits(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    async def _handle(self, request: Request) -> Response:
        recorded = Recorded(
            method=request.method,
            path=request.url.path,
            query=request.scope["query_string"].decode("latin-1"),
            body=await request.body(),
            headers={k.lower(): v for k, v in request.headers.items()},
        )
        self.requests.append(recorded)
        queue = self.answers.get((recorded.method, recorded.path))
        if not queue:
            return Response(b'{"code": -1, "msg": "no scripted answer"}', status_code=599)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        result = answer(recorded)
        if asyncio.iscoroutine(result):
            result = await result
        return result


@contextlib.asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[str]:
    """Serve ``app`` on an ephemeral loopback port; yield its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def recording_server() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    methods = ["GET", "POST", "PUT", "DELETE"]
    app = Starlette(routes=[Route("/{path:path}", recorder._handle, methods=methods)])
    async with serve(app) as url:
        recorder.url = url
        yield recorder
