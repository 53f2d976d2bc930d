"""Deriv's OAuth login: read the redirect's acctN/tokenN/curN, and receive it on a loopback address.

The authorization page: "redirected to the URL that you entered as the Redirect URL ... with the
user's session tokens": ``?acct1=cr799393&token1=a1-...&cur1=usd&acct2=vrtc1859315&token2=...``.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import html
import re
import socket
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from terminal.domain.redaction import register_secret
from terminal.venues.deriv.endpoints import oauth_url

HOST = "127.0.0.1"  # loopback only: the redirect carries the account tokens
DEFAULT_PATH = "/deriv/callback"
APP_NAME = "trading-terminal"

# authorize (send.json): "Authentication token", "pattern": "^[\\w\\-]{1,128}$"
_TOKEN = re.compile(r"^[\w\-]{1,128}$", re.ASCII)
# loginid in Deriv's request schemas: "^[A-Za-z]+[0-9]+$"
_LOGIN_ID = re.compile(r"^[A-Za-z]+[0-9]+$", re.ASCII)
# currency codes in authorize's answer: "^[a-zA-Z0-9]{2,20}$"
_CURRENCY = re.compile(r"^[a-zA-Z0-9]{2,20}$", re.ASCII)
# The browser sees the tokens in its address bar; keep them out of caches and Referer headers.
_PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@dataclass(frozen=True)
class OAuthAccount:
    """One account of the redirect: its login ID and currency (upper case) and its session token."""

    login_id: str
    token: str
    currency: str

    def __repr__(self) -> str:  # a token must not reach a log through a repr
        return f"OAuthAccount(login_id={self.login_id!r}, token=<redacted>, currency={self.currency!r})"


def is_token(text: str) -> bool:
    """Whether ``text`` can be a Deriv API or session token (authorize's pattern)."""
    return bool(_TOKEN.fullmatch(text))


def is_login_id(text: str) -> bool:
    """Whether ``text`` can be a Deriv login ID ("VRTC1234567", "CR799393")."""
    return bool(_LOGIN_ID.fullmatch(text))


def login_url(app_id: int, language: str | None = None) -> str:
    """The page where the user logs in to Deriv; Deriv then redirects to the app's registered URL."""
    return oauth_url(app_id, language)


def parse_redirect(query: str | Mapping[str, str]) -> list[OAuthAccount]:
    """The accounts of a redirect (its query string, whole URL, or parameters), in Deriv's order.

    Reads acct1/token1/cur1, acct2/... until the first number with neither; the stray spaces of the
    documentation's example ("acct1=cr799393& token1=...") are ignored. Raises ValueError with a
    sentence for an ``error`` redirect, a redirect without any account, or a malformed one.
    """
    params = _params(query)
    if "error" in params:
        detail = params.get("error_description") or params.get("message") or ""
        said = f"{params['error']}: {detail}" if detail else params["error"]
        raise ValueError(f"Deriv did not log you in ({said}).")
    accounts: list[OAuthAccount] = []
    n = 1
    while f"acct{n}" in params or f"token{n}" in params:
        login_id, token = params.get(f"acct{n}", ""), params.get(f"token{n}", "")
        if not login_id:
            raise ValueError(f"Deriv's redirect has a token for account {n} but no account ID.")
        if not is_login_id(login_id):
            raise ValueError(f"Deriv's redirect names an account {login_id!r} that is not a Deriv login ID.")
        if not token:
            raise ValueError(f"Deriv's redirect names account {login_id.upper()} without its token.")
        if not is_token(token):
            raise ValueError(
                f"The token Deriv sent for account {login_id.upper()} is not a Deriv token "
                "(1 to 128 letters, digits, _ or -)."
            )
        register_secret(token)
        currency = params.get(f"cur{n}", "")
        if currency and not _CURRENCY.fullmatch(currency):
            raise ValueError(f"Deriv's redirect gives account {login_id.upper()} an unknown currency {currency!r}.")
        accounts.append(OAuthAccount(login_id.upper(), token, currency.upper()))
        n += 1
    if not accounts:
        raise ValueError("Deriv's redirect carries no account and token: the login did not complete.")
    return accounts


def _params(query: str | Mapping[str, str]) -> dict[str, str]:
    if isinstance(query, str):
        text = query.strip()
        if "?" in text:
            text = text.split("?", 1)[1]
        text = text.split("#", 1)[0]
        pairs = parse_qsl(text, keep_blank_values=True)
    else:
        pairs = list(query.items())
    return {key.strip(): value.strip() for key, value in pairs}


class ReceiverError(OSError):
    """The loopback address cannot be listened on; ``str()`` is the sentence for the user."""

    def __init__(self, code: int | None, sentence: str) -> None:
        super().__init__(sentence)
        self.errno = code
        self.sentence = sentence

    def __str__(self) -> str:
        return self.sentence


class _Server(uvicorn.Server):
    """uvicorn without its SIGINT/SIGTERM handlers: the terminal keeps its own while a login waits."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class LoopbackReceiver:
    """A one-shot web page on http://127.0.0.1:PORT/PATH where Deriv's OAuth redirect lands.

    ``start`` binds (127.0.0.1 only) and returns the redirect URI to register with the app;
    ``accounts`` waits for the redirect; ``close`` stops serving. Runs inside the caller's loop.
    """

    def __init__(self) -> None:
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._result: asyncio.Future[list[OAuthAccount]] | None = None
        self.redirect_uri = ""

    async def start(self, port: int = 0, path: str = DEFAULT_PATH) -> str:
        """Listen on 127.0.0.1:``port`` (0: any free port); return the redirect URI bound."""
        if self._server is not None:
            raise RuntimeError("This receiver is already started")
        if not path.startswith("/"):
            raise ValueError(f"The callback path must start with '/', not {path!r}")
        sock = _bind(port)
        bound = sock.getsockname()[1]
        self._result = asyncio.get_running_loop().create_future()
        self._result.add_done_callback(_retrieve)  # a failed login nobody waited for is not an asyncio warning
        app = Starlette(routes=[Route(path, self._redirected, methods=["GET"])])
        config = uvicorn.Config(
            app,
            host=HOST,
            port=bound,
            log_level="warning",
            lifespan="off",
            access_log=False,  # an access line would carry the tokens of the query
            timeout_graceful_shutdown=2,
        )
        server = _Server(config)
        self._server = server
        self._task = asyncio.create_task(server.serve(sockets=[sock]), name="deriv-oauth-receiver")
        while not server.started:
            if self._task.done():
                await self.close()
                raise ReceiverError(None, f"The OAuth receiver on {HOST}:{bound} stopped while starting.")
            await asyncio.sleep(0.01)
        self.redirect_uri = f"http://{HOST}:{bound}{path}"
        return self.redirect_uri

    async def accounts(self, timeout: float) -> list[OAuthAccount]:
        """The accounts of the first redirect to the path.

        Raises ValueError (a sentence) when that redirect says the login failed, TimeoutError (a
        sentence) after ``timeout`` seconds, CancelledError if the receiver is closed meanwhile.
        """
        if self._result is None:
            raise RuntimeError("Start the receiver before waiting for the redirect")
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), timeout)
        except TimeoutError:
            raise TimeoutError(f"No login arrived from Deriv within {_duration(timeout)}.") from None

    async def close(self) -> None:
        """Stop serving; closing twice, or a receiver never started, is fine."""
        server, task = self._server, self._task
        self._server = self._task = None
        if self._result is not None and not self._result.done():
            self._result.cancel()
        if server is None or task is None:
            return
        server.should_exit = True
        # shield: a closer that is itself cancelled (a dialog closing) still lets uvicorn release the port
        with contextlib.suppress(Exception):  # the server's own failure is of no interest once it is stopped
            await asyncio.shield(task)

    async def _redirected(self, request: Request) -> Response:
        query = request.scope.get("query_string", b"").decode("latin-1")
        try:
            accounts = parse_redirect(query)
        except ValueError as exc:
            if self._result is not None and not self._result.done():
                self._result.set_exception(exc)
            return _page("Login failed", f"{exc} Return to {APP_NAME} and try again.", 400)
        if self._result is not None and not self._result.done():
            self._result.set_result(accounts)
        return _page("Logged in", f"You are logged in — return to {APP_NAME}.", 200)


def _bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port``, bound here so that a taken port is a sentence, not uvicorn's exit."""
    if not 0 <= port <= 65535:
        raise ValueError(f"The OAuth redirect port must be from 1 to 65535 (or 0 for any free port), not {port}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: no other program may share the port (and its tokens)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # POSIX: rebind at once after the last login, whose connections may linger in TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(16)
    except OSError as exc:
        sock.close()
        raise ReceiverError(exc.errno, _bind_failure(port, exc)) from None
    sock.setblocking(False)
    return sock


def _bind_failure(port: int, exc: OSError) -> str:
    if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):
        return (
            f"Port {port} on {HOST} is already in use by another program: close it, or choose another "
            "OAuth redirect port and register the new redirect URL with your Deriv app."
        )
    if exc.errno in (errno.EACCES, getattr(errno, "WSAEACCES", errno.EACCES)):
        return f"This system does not allow listening on port {port}: choose a port above 1024."
    return f"Cannot listen on {HOST}:{port} for Deriv's redirect ({exc.strerror or exc})."


def _page(title: str, sentence: str, status: int) -> HTMLResponse:
    body = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)} — {APP_NAME}</title></head>"
        f"<body style='font-family:sans-serif;margin:3em'><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(sentence)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status, headers=_PRIVATE)


def _retrieve(future: asyncio.Future[list[OAuthAccount]]) -> None:
    if not future.cancelled():
        future.exception()


def _duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} seconds"
