"""The contract ticket's and tables' words: money, local times, the account line, a quote's figures (no Qt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.contracts import CONTRACT_TYPE_BY_CODE, Account, Quote
from terminal.domain.decimals import format_decimal

MONEY_STEP = Decimal("0.01")  # the step the desk checks amounts against (spec_problems' default)


def money(value: Decimal | None, currency: str = "", *, signed: bool = False) -> str:
    """ "1,234.50 USD"; ``signed`` puts a "+" before gains."""
    if value is None:
        return ""
    text = format_decimal(value, MONEY_STEP, grouping=True)
    if signed and value > 0:
        text = f"+{text}"
    return f"{text} {currency}".strip()


def local_stamp(time_ms: int | None) -> str:
    """YYYY-MM-DD HH:MM:SS in the computer's time zone; blank for no time."""
    if not time_ms or time_ms <= 0:
        return ""
    return dt.datetime.fromtimestamp(time_ms / 1000).strftime("%Y-%m-%d %H:%M:%S")


def local_clock(time_ms: int) -> str:
    """HH:MM:SS in the computer's time zone."""
    return dt.datetime.fromtimestamp(time_ms / 1000).strftime("%H:%M:%S")


def type_label(code: str) -> str:
    """ "Rise" for CALL; a code the ticket does not know is shown as it is."""
    kind = CONTRACT_TYPE_BY_CODE.get(code)
    return kind.label if kind is not None else code


def account_line(account: Account | None, scopes: tuple[str, ...], balance: Decimal | None = None) -> str:
    """ "VRTC123 · USD · virtual · balance 10,000.00 USD · token: read, trade"."""
    if account is None:
        return "Account: waiting for the venue to authorize the token…"
    parts = [account.describe()]
    if balance is not None:
        parts.append(f"balance {money(balance, account.currency)}")
    granted = scopes or account.scopes
    parts.append(f"token: {', '.join(granted)}" if granted else "token: no scopes")
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class QuoteFigures:
    """What the quote panel shows of one price, in words."""

    cost: str
    payout: str
    profit: str  # "+9.54 USD (+95.40 %)"
    longcode: str


def quote_figures(quote: Quote, currency: str) -> QuoteFigures:
    profit = quote.payout - quote.ask_price
    ratio = f"{quote.return_ratio * 100:+.2f} %"
    return QuoteFigures(
        cost=money(quote.ask_price, currency),
        payout=money(quote.payout, currency),
        profit=f"{money(profit, currency, signed=True)} ({ratio})",
        longcode=quote.longcode,
    )


def buy_label(quote: Quote | None, currency: str, buying: bool) -> str:
    """ "Buy for 10.00 USD" (the quote's cost), "Buy" without one, "Buying…" while a buy is on its way."""
    if buying:
        return "Buying…"
    return f"Buy for {money(quote.ask_price, currency)}" if quote is not None else "Buy"


def sentence(text: str) -> str:
    """The desk's reasons are clauses ("waiting for the venue's price"): shown, they start with a capital."""
    return text[:1].upper() + text[1:] if text else text
