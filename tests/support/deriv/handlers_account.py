"""Account calls: authorize and logout, then balance, portfolio, statement and profit_table of the
logged-in account."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable

from tests.support.deriv.accounts import Account, Grant
from tests.support.deriv.connection import Connection, Stream, ensure_new
from tests.support.deriv.state import Context
from tests.support.deriv.streams import balance_body
from tests.support.deriv.views import portfolio_row, profit_row, statement_row
from tests.support.deriv.wire import JSON, DerivError, num

# Streams that belong to the logged-in account: they end when the connection logs out or switches account.
ACCOUNT_STREAMS = (Stream.BALANCE, Stream.CONTRACT)


def authorize(ctx: Context) -> None:
    grant = ctx.state.bank.tokens.get(ctx.request.body["authorize"])
    if grant is None:
        raise DerivError("InvalidToken", "The token is invalid.")
    account = ctx.state.bank.account(grant.login_id)
    if ctx.conn.login_id not in (None, account.login_id):
        _drop_account_streams(ctx.conn)
    ctx.conn.login_id, ctx.conn.scopes = account.login_id, grant.scopes
    ctx.reply("authorize", {"authorize": authorize_body(account, grant)})


def authorize_body(account: Account, grant: Grant) -> JSON:
    virtual = int(account.grant.virtual)
    entry: JSON = {
        "account_category": "trading",
        "account_type": "binary",
        "broker": account.login_id.rstrip("0123456789"),
        "created_at": account.created_at,
        "currency": account.currency,
        "currency_type": "fiat",
        "is_disabled": 0,
        "is_virtual": virtual,
        "landing_company_name": account.landing_company,
        "linked_to": [],
        "loginid": account.login_id,
    }
    return {
        "account_list": [entry],
        "balance": num(account.balance),
        "country": "gb",
        "currency": account.currency,
        "email": f"{account.login_id.lower()}@example.com",
        "fullname": account.grant.fullname,
        "is_virtual": virtual,
        "landing_company_fullname": "Deriv Limited" if virtual else "Deriv (SVG) LLC",
        "landing_company_name": account.landing_company,
        "linked_to": [],
        "local_currencies": {"GBP": {"fractional_digits": 2}},
        "loginid": account.login_id,
        "preferred_language": "EN",
        "scopes": list(grant.scopes),
        "upgradeable_landing_companies": ["svg"],
        "user_id": account.user_id,
    }


def logout(ctx: Context) -> None:
    _drop_account_streams(ctx.conn)
    ctx.conn.login_id, ctx.conn.scopes = None, ()
    ctx.reply("logout", {"logout": 1})


def balance(ctx: Context) -> None:
    account = ctx.account
    subscription_id = None
    if ctx.request.body.get("subscribe") == 1:
        ensure_new(ctx.conn.streams(Stream.BALANCE), "balance")
        subscription_id = ctx.subscribe(Stream.BALANCE, login_id=account.login_id).id
    ctx.reply("balance", balance_body(account, subscription_id), subscription_id)


def portfolio(ctx: Context) -> None:
    types = set(ctx.request.body.get("contract_type", ()))
    contracts = [
        c for c in ctx.account.contracts.values() if c.is_open and (not types or c.spec.contract_type in types)
    ]
    ctx.reply("portfolio", {"portfolio": {"contracts": [portfolio_row(c) for c in contracts]}})


def statement(ctx: Context) -> None:
    body = ctx.request.body
    lines = list(reversed(ctx.account.statement))  # newest first
    if "action_type" in body:
        lines = [line for line in lines if line.action_type == body["action_type"]]
    low, high = int(body.get("date_from", 0)), int(body.get("date_to", 9999999999))
    lines = [line for line in lines if low <= line.transaction_time <= high]
    offset, limit = int(body.get("offset", 0)), int(body.get("limit", 100))
    rows = [statement_row(line, body.get("description") == 1) for line in lines[offset : offset + limit]]
    ctx.reply("statement", {"statement": {"count": len(rows), "transactions": rows}})


def profit_table(ctx: Context) -> None:
    body = ctx.request.body
    types = set(body.get("contract_type", ()))
    low = _day_or_epoch(body.get("date_from"), end_of_day=False) or 0
    high = _day_or_epoch(body.get("date_to"), end_of_day=True) or 9999999999
    closed = [
        c
        for c in ctx.account.contracts.values()
        if not c.is_open and (not types or c.spec.contract_type in types) and low <= (c.sell_time or 0) <= high
    ]
    closed.sort(key=lambda c: (c.sell_time or 0, c.contract_id), reverse=body.get("sort", "DESC") == "DESC")
    offset, limit = int(body.get("offset", 0)), int(body.get("limit", 50))
    rows = [profit_row(c, body.get("description") == 1) for c in closed[offset : offset + limit]]
    ctx.reply("profit_table", {"profit_table": {"count": len(rows), "transactions": rows}})


def _day_or_epoch(text: str | None, *, end_of_day: bool) -> int | None:
    """profit_table dates are an epoch or a "YYYY-MM-DD" day (the whole day, for date_to)."""
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    try:
        day = calendar.timegm(time.strptime(text, "%Y-%m-%d"))
    except ValueError as error:
        raise DerivError("InputValidationFailed", f"Input validation failed: not a date: {text}") from error
    return day + 86399 if end_of_day else day


def _drop_account_streams(conn: Connection) -> None:
    for key in [key for key, sub in conn.subscriptions.items() if sub.stream in ACCOUNT_STREAMS]:
        conn.forget(key)


HANDLERS: dict[str, Callable[[Context], None]] = {
    "authorize": authorize,
    "logout": logout,
    "balance": balance,
    "portfolio": portfolio,
    "statement": statement,
    "profit_table": profit_table,
}
