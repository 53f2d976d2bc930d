"""Trading fee rates and fee currencies per symbol, shaped like one row of 004's "Get VIP Information".

Token-Token pairs take the buy fee in the base asset and the sell fee in the quote asset (BTCUSDT:
"buyMakerFeeCurrency": "BTC", "sellMakerFeeCurrency": "USDT"); Token-Fiat pairs take both in the
quote asset (BTCHKD: "HKD" everywhere). A fee in the asset an order spends must be reserved on
entry on top of what the order pays, which ``reserve_rate`` tells.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.decimals import ZERO
from terminal.domain.enums import Side
from terminal.domain.instrument import Instrument


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """actualMakerRate / actualTakerRate and the four fee currencies of one symbol."""

    symbol: str
    product_type: str
    buy_maker_fee_currency: str
    buy_taker_fee_currency: str
    sell_maker_fee_currency: str
    sell_taker_fee_currency: str
    actual_maker_rate: Decimal
    actual_taker_rate: Decimal

    @classmethod
    def token_token(cls, instrument: Instrument, maker_rate: Decimal, taker_rate: Decimal) -> FeeSchedule:
        """Buy fees in the base asset, sell fees in the quote asset: each side pays in what it receives."""
        base, quote = instrument.base_asset, instrument.quote_asset
        return cls(instrument.symbol, "Token-Token", base, base, quote, quote, maker_rate, taker_rate)

    @classmethod
    def token_fiat(cls, instrument: Instrument, maker_rate: Decimal, taker_rate: Decimal) -> FeeSchedule:
        """Every fee in the quote (fiat) asset."""
        quote = instrument.quote_asset
        return cls(instrument.symbol, "Token-Fiat", quote, quote, quote, quote, maker_rate, taker_rate)

    def rate(self, is_maker: bool) -> Decimal:
        return self.actual_maker_rate if is_maker else self.actual_taker_rate

    def currency(self, side: Side, is_maker: bool) -> str:
        if side is Side.BUY:
            return self.buy_maker_fee_currency if is_maker else self.buy_taker_fee_currency
        return self.sell_maker_fee_currency if is_maker else self.sell_taker_fee_currency

    def reserve_rate(self, side: Side, spent_asset: str, *, may_make: bool, may_take: bool) -> Decimal:
        """The share of the spent amount to lock on top of it for fees charged in the spent asset."""
        out = ZERO
        if may_make and self.currency(side, True) == spent_asset:
            out = max(out, self.actual_maker_rate)
        if may_take and self.currency(side, False) == spent_asset:
            out = max(out, self.actual_taker_rate)
        return out

    def check(self, instrument: Instrument) -> None:
        """Refuse a schedule that does not fit ``instrument``: fees must be in one of its two assets."""
        assets = {instrument.base_asset, instrument.quote_asset}
        currencies = {
            self.buy_maker_fee_currency,
            self.buy_taker_fee_currency,
            self.sell_maker_fee_currency,
            self.sell_taker_fee_currency,
        }
        if self.symbol != instrument.symbol or not currencies <= assets:
            raise ValueError(f"fee schedule for {self.symbol} charges {sorted(currencies)}, not {sorted(assets)}")
        for rate in (self.actual_maker_rate, self.actual_taker_rate):
            if not 0 <= rate < 1:
                raise ValueError(f"fee rates of {self.symbol} must lie in [0, 1), not {rate}")
