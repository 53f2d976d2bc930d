"""An account's balance flows (004, "Get Account Transaction History List"), newest first, with totals:
trades and fees from the engine's fills, transfers, deposits and withdrawals from the wallet log."""

from __future__ import annotations

from decimal import Decimal

from terminal.demo.exact import add, sub
from terminal.demo.exchange import DemoExchange
from terminal.demo.queries import MAX_LIMIT
from terminal.demo.records import AccountTrade
from terminal.demo.server.rest_wallet_log import FEE, TRADE, Flow, WalletLog
from terminal.domain.decimals import mul
from terminal.domain.enums import Side


def trade_flows(exchange: DemoExchange, trade: AccountTrade) -> list[Flow]:
    """What one fill moved: the base and quote legs (flowType 1) and the commission (flowType 2)."""
    instrument = exchange.engine.instrument(trade.symbol)
    notional = mul(trade.price, trade.qty)
    # copy_negate: exact, where unary minus would round to the context's precision.
    bought = trade.side is Side.BUY
    legs = [
        (instrument.base_asset, TRADE, trade.qty if bought else trade.qty.copy_negate()),
        (instrument.quote_asset, TRADE, notional.copy_negate() if bought else notional),
    ]
    if trade.commission:
        legs.append((trade.commission_asset, FEE, trade.commission.copy_negate()))
    base = int(trade.trade_id) * 4  # flow ids derived from the trade's, apart from the wallet log's
    return [
        Flow(str(base + k), base + k, trade.account_id, coin, kind, change, trade.time_ms, trade.symbol)
        for k, (coin, kind, change) in enumerate(legs)
    ]


def account_flows(exchange: DemoExchange, log: WalletLog, account_id: str) -> list[tuple[Flow, Decimal]]:
    """Every flow of ``account_id`` with the coin's total after it, newest first. Trades are taken
    from the newest 1,000 the engine returns in one query (more than a 500-row page can show)."""
    trades = exchange.engine.account_trades(account_id, limit=MAX_LIMIT)
    flows = [flow for trade in trades for flow in trade_flows(exchange, trade)]
    flows.extend(log.flows_of(account_id))
    flows.sort(key=lambda f: (f.time_ms, f.type_value in (TRADE, FEE), f.seq))
    ledger = exchange.engine.ledger
    totals: dict[str, Decimal] = {}
    out: list[tuple[Flow, Decimal]] = []
    for flow in reversed(flows):
        total = totals.get(flow.coin)
        if total is None:
            total = add(ledger.free(account_id, flow.coin), ledger.locked(account_id, flow.coin))
        out.append((flow, total))
        totals[flow.coin] = sub(total, flow.change)
    return out
