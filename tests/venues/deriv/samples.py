"""Answers as Deriv sends them (shapes of the receive.json schemas; values like the live venue's)."""

from __future__ import annotations

from typing import Any

Answer = dict[str, Any]

LONGCODE = (
    "Win payout if Volatility 100 Index is strictly higher than entry spot at 1 minute after contract start time."
)


def active_symbols() -> Answer:
    return {
        "active_symbols": [
            {
                "allow_forward_starting": 1,
                "display_name": "Volatility 100 Index",
                "display_order": 1,
                "exchange_is_open": 1,
                "is_trading_suspended": 0,
                "market": "synthetic_index",
                "market_display_name": "Derived",
                "pip": 0.01,
                "spot": 1234.56,
                "spot_age": "1",
                "spot_percentage_change": "2.00",
                "spot_time": "1700000000",
                "subgroup": "synthetics",
                "subgroup_display_name": "Synthetics",
                "submarket": "random_index",
                "submarket_display_name": "Continuous Indices",
                "symbol": "R_100",
                "symbol_type": "stockindex",
            },
            {
                "allow_forward_starting": 0,
                "display_name": "EUR/USD",
                "display_order": 2,
                "exchange_is_open": 0,
                "is_trading_suspended": 0,
                "market": "forex",
                "market_display_name": "Forex",
                "pip": 0.00001,
                "spot": 1.08123,
                "spot_age": "3",
                "spot_percentage_change": "-0.25",
                "spot_time": "1699999990",
                "subgroup": "none",
                "subgroup_display_name": "None",
                "submarket": "major_pairs",
                "submarket_display_name": "Major Pairs",
                "symbol": "frxEURUSD",
                "symbol_type": "forex",
            },
            {
                "display_name": "Volatility 50 (1s) Index",
                "display_order": 3,
                "exchange_is_open": 1,
                "is_trading_suspended": 1,
                "market": "synthetic_index",
                "market_display_name": "Derived",
                "pip": 0.001,
                "spot": None,
                "subgroup": "synthetics",
                "subgroup_display_name": "Synthetics",
                "submarket": "random_index",
                "submarket_display_name": "Continuous Indices",
                "symbol": "1HZ50V",
                "symbol_type": "stockindex",
            },
        ],
        "echo_req": {"active_symbols": "brief", "req_id": 3},
        "msg_type": "active_symbols",
        "req_id": 3,
    }


def tick_history() -> Answer:
    return {
        "echo_req": {"ticks_history": "R_100", "style": "ticks", "end": "latest", "count": 3, "subscribe": 1},
        "history": {"prices": [1234.5, 1234.62, 1234.7], "times": [1700000000, 1700000002, 1700000004]},
        "msg_type": "history",
        "pip_size": 2,
        "req_id": 5,
        "subscription": {"id": "c84a793b-8a87-7999-ce10-9b22f7ceead3"},
    }


def tick() -> Answer:
    return {
        "echo_req": {"ticks_history": "R_100", "style": "ticks", "end": "latest", "count": 3, "subscribe": 1},
        "msg_type": "tick",
        "req_id": 5,
        "subscription": {"id": "c84a793b-8a87-7999-ce10-9b22f7ceead3"},
        "tick": {
            "ask": 1234.81,
            "bid": 1234.79,
            "epoch": 1700000006,
            "id": "c84a793b-8a87-7999-ce10-9b22f7ceead3",
            "pip_size": 2,
            "quote": 1234.8,
            "symbol": "R_100",
        },
    }


def candles() -> Answer:
    return {
        "candles": [
            {"close": 1234.9, "epoch": 1699999980, "high": 1235.01, "low": 1234.2, "open": 1234.25},
            {"close": 1235.5, "epoch": 1700000040, "high": 1235.5, "low": 1234.8, "open": 1234.9},
        ],
        "echo_req": {"ticks_history": "R_100", "style": "candles", "granularity": 60, "end": "latest", "count": 2},
        "msg_type": "candles",
        "pip_size": 2,
        "req_id": 6,
    }


def ohlc() -> Answer:
    # The stream's candle in progress: prices are strings here (unlike the candles of the first answer).
    return {
        "echo_req": {"ticks_history": "R_100", "style": "candles", "granularity": 60, "end": "latest", "subscribe": 1},
        "msg_type": "ohlc",
        "ohlc": {
            "close": "1235.62",
            "epoch": 1700000046,
            "granularity": 60,
            "high": "1235.70",
            "id": "2fb5d0ba-1d1b-4b36-c5ab-0f2d0d2e3e3e",
            "low": "1234.80",
            "open": "1234.90",
            "open_time": 1700000040,
            "pip_size": 2,
            "symbol": "R_100",
        },
        "req_id": 6,
        "subscription": {"id": "2fb5d0ba-1d1b-4b36-c5ab-0f2d0d2e3e3e"},
    }


def authorize() -> Answer:
    # The authorization page's example answer.
    return {
        "authorize": {
            "account_list": [
                {
                    "account_type": "trading",
                    "created_at": 1647509550,
                    "currency": "USD",
                    "is_disabled": 0,
                    "is_virtual": 0,
                    "landing_company_name": "svg",
                    "loginid": "CR799393",
                },
                {
                    "account_type": "trading",
                    "created_at": 1664132232,
                    "currency": "ETH",
                    "is_disabled": 0,
                    "is_virtual": 0,
                    "landing_company_name": "svg",
                    "loginid": "VRTC1859315",
                },
            ],
            "balance": 0,
            "country": "id",
            "currency": "USD",
            "email": "user_mail@email_provider.com",
            "fullname": " John Doe",
            "is_virtual": 0,
            "landing_company_fullname": "Deriv (SVG) LLC",
            "landing_company_name": "svg",
            "local_currencies": {"IDR": {"fractional_digits": 2}},
            "loginid": "CR799393",
            "preferred_language": "EN",
            "scopes": ["read", "trade", "trading_information", "payments", "admin"],
            "upgradeable_landing_companies": ["svg"],
            "user_id": 12345678,
        },
        "echo_req": {"authorize": "<not shown>", "req_id": 1},
        "msg_type": "authorize",
        "req_id": 1,
    }


def balance() -> Answer:
    return {
        "balance": {
            "balance": 9989.5,
            "currency": "USD",
            "id": "9f1a3b4c-0000-1111-2222-333344445555",
            "loginid": "VRTC1001",
        },
        "echo_req": {"balance": 1, "subscribe": 1},
        "msg_type": "balance",
        "req_id": 9,
        "subscription": {"id": "9f1a3b4c-0000-1111-2222-333344445555"},
    }


def proposal() -> Answer:
    return {
        "echo_req": {"proposal": 1, "amount": 10, "basis": "stake", "contract_type": "CALL", "currency": "USD"},
        "msg_type": "proposal",
        "proposal": {
            "ask_price": 10,
            "date_expiry": 1700000065,
            "date_start": 1700000005,
            "display_value": "10.00",
            "id": "7d8f6e55-93d2-0b1c-5a0e-2f4c1e9b6f31",
            "longcode": LONGCODE,
            "payout": 19.52,
            "spot": 1234.8,
            "spot_time": 1700000004,
        },
        "req_id": 11,
        "subscription": {"id": "7d8f6e55-93d2-0b1c-5a0e-2f4c1e9b6f31"},
    }


def buy() -> Answer:
    return {
        "buy": {
            "balance_after": 9990,
            "buy_price": 10,
            "contract_id": 11542203588,
            "longcode": LONGCODE,
            "payout": 19.52,
            "purchase_time": 1700000006,
            "shortcode": "CALL_R_100_19.52_1700000006_1700000066_S0P_0",
            "start_time": 1700000006,
            "transaction_id": 22814300001,
        },
        "echo_req": {"buy": "7d8f6e55-93d2-0b1c-5a0e-2f4c1e9b6f31", "price": 10},
        "msg_type": "buy",
        "req_id": 12,
    }


def sell() -> Answer:
    return {
        "echo_req": {"sell": 11542203588, "price": 0},
        "msg_type": "sell",
        "req_id": 13,
        "sell": {
            "balance_after": 10001.24,
            "contract_id": 11542203588,
            "reference_id": 22814300001,
            "sold_for": 11.24,
            "transaction_id": 22814300002,
        },
    }


def open_contract(**changes: Any) -> Answer:
    body: dict[str, Any] = {
        "bid_price": 11.24,
        "buy_price": 10,
        "contract_id": 11542203588,
        "contract_type": "CALL",
        "currency": "USD",
        "current_spot": 1235.1,
        "current_spot_time": 1700000020,
        "date_expiry": 1700000066,
        "date_start": 1700000006,
        "display_name": "Volatility 100 Index",
        "entry_spot": 1234.8,
        "entry_tick": 1234.8,
        "is_expired": 0,
        "is_settleable": 0,
        "is_sold": 0,
        "is_valid_to_sell": 1,
        "longcode": LONGCODE,
        "payout": 19.52,
        "profit": 1.24,
        "profit_percentage": 12.4,
        "purchase_time": 1700000006,
        "shortcode": "CALL_R_100_19.52_1700000006_1700000066_S0P_0",
        "status": "open",
        "transaction_ids": {"buy": 22814300001},
        "underlying": "R_100",
    }
    return {
        "echo_req": {"proposal_open_contract": 1, "contract_id": 11542203588, "subscribe": 1},
        "msg_type": "proposal_open_contract",
        "proposal_open_contract": body | changes,
        "req_id": 14,
        "subscription": {"id": "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"},
    }


def portfolio() -> Answer:
    return {
        "echo_req": {"portfolio": 1},
        "msg_type": "portfolio",
        "portfolio": {
            "contracts": [
                {
                    "app_id": 1089,
                    "buy_price": 10,
                    "contract_id": 11542203588,
                    "contract_type": "CALL",
                    "currency": "USD",
                    "date_start": 1700000006,
                    "expiry_time": 1700000066,
                    "longcode": "Win payout if Volatility 100 Index is strictly higher than entry spot ...",
                    "payout": 19.52,
                    "purchase_time": 1700000006,
                    "shortcode": "CALL_R_100_19.52_1700000006_1700000066_S0P_0",
                    "symbol": "R_100",
                    "transaction_id": 22814300001,
                }
            ]
        },
        "req_id": 15,
    }


def statement() -> Answer:
    return {
        "echo_req": {"statement": 1, "description": 1, "limit": 100},
        "msg_type": "statement",
        "req_id": 16,
        "statement": {
            "count": 2,
            "transactions": [
                {
                    "action_type": "sell",
                    "amount": 11.24,
                    "app_id": 1089,
                    "balance_after": 10001.24,
                    "contract_id": 11542203588,
                    "longcode": "Win payout if Volatility 100 Index ...",
                    "payout": 19.52,
                    "purchase_time": 1700000006,
                    "reference_id": 22814300001,
                    "shortcode": "CALL_R_100_19.52_1700000006_1700000066_S0P_0",
                    "transaction_id": 22814300002,
                    "transaction_time": 1700000030,
                },
                {
                    "action_type": "deposit",
                    "amount": 10000,
                    "app_id": None,
                    "balance_after": 10000,
                    "contract_id": None,
                    "longcode": "Reset to default demo account balance.",
                    "payout": None,
                    "reference_id": None,
                    "transaction_id": 22814200000,
                    "transaction_time": 1699990000,
                },
            ],
        },
    }


def profit_table() -> Answer:
    return {
        "echo_req": {"profit_table": 1, "description": 1, "limit": 100, "sort": "DESC"},
        "msg_type": "profit_table",
        "profit_table": {
            "count": 1,
            "transactions": [
                {
                    "app_id": 1089,
                    "buy_price": 10,
                    "contract_id": 11542203588,
                    "contract_type": "CALL",
                    "duration_type": "minutes",
                    "longcode": "Win payout if Volatility 100 Index ...",
                    "payout": 19.52,
                    "purchase_time": 1700000006,
                    "sell_price": 11.24,
                    "sell_time": 1700000030,
                    "shortcode": "CALL_R_100_19.52_1700000006_1700000066_S0P_0",
                    "transaction_id": 22814300002,
                    "underlying_symbol": "R_100",
                }
            ],
        },
        "req_id": 17,
    }
