"""Account endpoints: account list, balance, positions, and the stock instrument profiles."""

from __future__ import annotations

from tests.support.webull import account_views
from tests.support.webull.calls import Call
from tests.support.webull.errors import bad_parameter
from tests.support.webull.instruments import INSTRUMENTS, PROFILE_CATEGORIES, FakeInstrument
from tests.support.webull.pagination import keyed_page
from tests.support.webull.wire import JSON


def accounts(call: Call) -> JSON:
    return [account_views.account_row(account) for account in call.state.accounts.values()]


def balance(call: Call) -> JSON:
    account = call.state.account(call.query.get("account_id"))
    return account_views.balance(account, call.state.market)


def positions(call: Call) -> JSON:
    account = call.state.account(call.query.get("account_id"))
    return [account_views.position_row(p, account, call.state.market) for p in account.positions.values()]


def instruments(call: Call) -> JSON:
    category = call.param("category")
    if category not in PROFILE_CATEGORIES:
        raise bad_parameter(f"category {category} is not supported")
    wanted = [symbol for symbol in call.query.get("symbols", "").split(",") if symbol]
    if len(wanted) > 100:
        raise bad_parameter("at most 100 symbols per query")
    rows = [i for i in INSTRUMENTS if i.category == category and (not wanted or i.symbol in wanted)]
    page, key = keyed_page(rows, call.query.get("pagination_key"), _ident)
    answer: dict[str, JSON] = {"data": [account_views.instrument_row(row) for row in page]}
    if key:
        answer["pagination_key"] = key
    return answer


def _ident(row: FakeInstrument) -> str:
    return row.instrument_id
