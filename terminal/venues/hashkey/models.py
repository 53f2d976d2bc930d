"""Typed replies of HashKey endpoints that have no domain equivalent (account admin, wallet, batches).

Trading and market data map to ``terminal.domain`` types instead (Order, Fill, Balance, Instrument,
BookSnapshot, Candle, ...). Field names follow the source document, in snake case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from terminal.domain.balance import Balance
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Order


@dataclass(frozen=True, slots=True)
class ChainInfo:
    chain_type: str
    withdraw_fee: Decimal | None = None
    min_withdraw_quantity: Decimal | None = None
    max_withdraw_quantity: Decimal | None = None
    min_deposit_quantity: Decimal | None = None
    allow_deposit: bool = False
    allow_withdraw: bool = False


@dataclass(frozen=True, slots=True)
class Coin:
    coin_id: str
    coin_name: str
    full_name: str = ""
    allow_withdraw: bool = False
    allow_deposit: bool = False
    token_type: str = ""
    chain_types: tuple[ChainInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class ExchangeInfo:
    """Instruments the terminal can trade, coins, and the symbols that could not be read."""

    timezone: str
    server_time_ms: int
    instruments: tuple[Instrument, ...]
    coins: tuple[Coin, ...] = ()
    skipped: tuple[str, ...] = ()  # one sentence per symbol entry that was malformed

    def instrument(self, symbol: str) -> Instrument | None:
        return next((i for i in self.instruments if i.symbol == symbol), None)


@dataclass(frozen=True, slots=True)
class CoinInfo:
    """``GET /api/v1/coinInfo``: the coins list and chain details."""

    timezone: str
    server_time_ms: int
    coins: tuple[Coin, ...]
    chain_types: tuple[ChainInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class FeeRate:
    """One symbol of ``GET /api/v1/account/vipInfo``."""

    symbol: str
    product_type: str
    maker_rate: Decimal
    taker_rate: Decimal
    buy_maker_fee_currency: str
    buy_taker_fee_currency: str
    sell_maker_fee_currency: str
    sell_taker_fee_currency: str


@dataclass(frozen=True, slots=True)
class VipInfo:
    vip_level: str
    trade_volume_30d: Decimal
    total_asset_balance: Decimal
    fees: dict[str, FeeRate] = field(default_factory=dict)
    update_ms: int = 0


@dataclass(frozen=True, slots=True)
class AccountBalances:
    user_id: str
    balances: tuple[Balance, ...]


@dataclass(frozen=True, slots=True)
class AccountTypeEntry:
    """``GET /api/v1/account/type``: 1 main trading, 5 custody, 6 fiat."""

    account_id: str
    label: str
    account_type: int
    account_index: int
    user_id: str


@dataclass(frozen=True, slots=True)
class ApiKeyType:
    """``GET /api/v1/account/checkApiKey``: "Master Account" or "Sub Account"."""

    account_type: str


@dataclass(frozen=True, slots=True)
class TransferResult:
    success: bool
    timestamp_ms: int
    client_order_id: str
    order_id: str


@dataclass(frozen=True, slots=True)
class FiatOrder:
    order_id: str
    type: str
    remark: str
    asset: str
    gross_amount: Decimal
    net_amount: Decimal
    fee: Decimal
    status: str
    created_ms: int
    updated_ms: int
    channel: str = ""
    client_order_id: str = ""


@dataclass(frozen=True, slots=True)
class BalanceFlow:
    id: str
    account_id: str
    coin: str
    flow_type_value: int
    flow_type: str
    change: Decimal
    total: Decimal
    created_ms: int
    symbol: str = ""
    flow_name: str = ""


@dataclass(frozen=True, slots=True)
class ChainTypes:
    coin_id: str
    coin_name: str
    chain_types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DepositAddress:
    can_deposit: bool
    address: str
    address_ext: str
    min_quantity: Decimal | None
    need_address_tag: bool
    required_confirm_times: int
    can_withdraw_confirm_times: int
    coin_type: str


@dataclass(frozen=True, slots=True)
class DepositOrder:
    time_ms: int
    coin: str
    coin_name: str
    address: str
    quantity: Decimal
    status: int
    tx_id: str


@dataclass(frozen=True, slots=True)
class AuthAddressResult:
    success: bool
    message: str
    timestamp_ms: int


@dataclass(frozen=True, slots=True)
class WithdrawResult:
    success: bool
    id: str
    order_id: str
    account_id: str


@dataclass(frozen=True, slots=True)
class WithdrawOrder:
    time_ms: int
    id: str
    coin: str
    address: str
    quantity: Decimal
    arrive_quantity: Decimal | None
    status: str
    tx_id: str
    fee_coin: str
    fee: Decimal | None
    remark: str = ""
    platform: str = ""
    memo: str = ""


@dataclass(frozen=True, slots=True)
class BatchOrderResult:
    """One item of ``POST /api/v1.1/spot/batchOrders``: an order, or the venue's code for it."""

    code: str
    message: str
    order: Order | None


@dataclass(frozen=True, slots=True)
class CancelAllResult:
    """``DELETE /api/v1/spot/cancelAllOpenOrders``: accepted, not necessarily completed."""

    code: str
    message: str
    timestamp_ms: int
    last_order_id: str


@dataclass(frozen=True, slots=True)
class CancelFailure:
    """One order ``cancelOrderByIds`` could not cancel, with the venue's code (e.g. 0211)."""

    order_id: str
    code: str
