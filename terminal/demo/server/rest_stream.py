"""User data stream listen keys (004, "Create Listen Key", "Reset Listen Key", "Delete Listen Key").

A read-only key may create one: reading its own account's stream is reading."""

from __future__ import annotations

from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_errors import missing

PATH = "/api/v1/userDataStream"


def create_listen_key(call: Call) -> object:
    return {"listenKey": call.exchange.listen_keys.create(call.account_id, call.now_ms)}


def reset_listen_key(call: Call) -> object:
    if not call.exchange.listen_keys.reset(call.params.text("listenKey"), call.account_id, call.now_ms):
        raise missing("listenKey")
    return {}


def delete_listen_key(call: Call) -> object:
    if not call.exchange.listen_keys.delete(call.params.text("listenKey"), call.account_id):
        raise missing("listenKey")
    return {}


SPECS: tuple[Spec, ...] = (
    Spec("POST", PATH, create_listen_key),
    Spec("PUT", PATH, reset_listen_key),
    Spec("DELETE", PATH, delete_listen_key),
)
