"""The coins the demo's wallet knows: chains, fees and limits, and deterministic deposit addresses.

The demo has no chain: an address is derived from the user, coin and chain, the same every time."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from terminal.demo.catalog import Listing, assets

D = Decimal
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
FIAT_ASSETS = frozenset({"USD", "HKD", "AED"})  # fiat: "asset": "USD" or "HKD" (004, "Get Fiat History")


# What an address on each chain looks like: a withdrawal to anything else is "Illegal withdrawal address".
_ADDRESS = {
    "evm": re.compile(r"0x[0-9a-fA-F]{40}"),
    "btc": re.compile(r"(bc1[02-9ac-hj-np-z]{11,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})"),
    "tron": re.compile(r"T[1-9A-HJ-NP-Za-km-z]{33}"),
    "sol": re.compile(r"[1-9A-HJ-NP-Za-km-z]{32,44}"),
}


@dataclass(frozen=True, slots=True)
class Chain:
    """One network a coin moves on, with the numbers of 004's "chainTypes" entries."""

    chain_type: str
    coin_type: str  # "CHAIN_TOKEN" for the chain's own coin, else the token standard ("ERC20_TOKEN")
    withdraw_fee: Decimal
    min_withdraw: Decimal
    max_withdraw: Decimal
    min_deposit: Decimal
    confirmations: int
    style: str  # address shape: "evm", "btc", "tron", "sol"

    def accepts(self, address: str) -> bool:
        return _ADDRESS[self.style].fullmatch(address) is not None


@dataclass(frozen=True, slots=True)
class Coin:
    coin_id: str
    full_name: str
    chains: tuple[Chain, ...]

    @property
    def fiat(self) -> bool:
        return self.coin_id in FIAT_ASSETS

    @property
    def token_type(self) -> str:
        return "FIAT" if self.fiat else (self.chains[0].coin_type if self.chains else "CHAIN_TOKEN")

    def chain(self, chain_type: str) -> Chain | None:
        """The chain named ``chain_type`` (case-insensitive: "Tron" or "TRON")."""
        wanted = chain_type.casefold()
        return next((c for c in self.chains if c.chain_type.casefold() == wanted), None)


def _erc20(min_withdraw: str, max_withdraw: str, fee: str) -> Chain:
    return Chain("ETH", "ERC20_TOKEN", D(fee), D(min_withdraw), D(max_withdraw), D(min_withdraw) / 10, 64, "evm")


_KNOWN: dict[str, Coin] = {
    coin.coin_id: coin
    for coin in (
        Coin(
            "BTC", "Bitcoin", (Chain("BTC", "CHAIN_TOKEN", D("0.00005"), D("0.0005"), D(100), D("0.0002"), 2, "btc"),)
        ),
        Coin(
            "ETH", "Ethereum", (Chain("ETH", "CHAIN_TOKEN", D("0.0008"), D("0.005"), D(2000), D("0.001"), 64, "evm"),)
        ),
        Coin(
            "USDT",
            "Tether USD",
            (
                _erc20("10", "1000000", "5"),
                Chain("Tron", "TRC20_TOKEN", D(1), D(10), D(1_000_000), D(1), 20, "tron"),
            ),
        ),
        Coin("SOL", "Solana", (Chain("SOL", "CHAIN_TOKEN", D("0.005"), D("0.05"), D(50_000), D("0.01"), 32, "sol"),)),
        Coin("HSK", "HashKey Platform Token", (_erc20("10", "2000000", "1"),)),
        Coin("USD", "US Dollar", ()),
        Coin("HKD", "Hong Kong Dollar", ()),
    )
}


def coin_of(asset: str) -> Coin:
    """The wallet description of ``asset``; an asset the table lacks moves as an ERC-20 token."""
    known = _KNOWN.get(asset)
    if known is not None:
        return known
    if asset in FIAT_ASSETS:
        return Coin(asset, asset, ())
    return Coin(asset, asset, (_erc20("1", "1000000", "0"),))


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def _encode(data: bytes, alphabet: str, length: int) -> str:
    number = int.from_bytes(data, "big")
    out = []
    for _ in range(length):
        number, digit = divmod(number, len(alphabet))
        out.append(alphabet[digit])
    return "".join(out)


def deposit_address(user_id: str, coin: str, chain: Chain) -> str:
    """The user's address for ``coin`` on ``chain``: shaped like the chain's, the same every time."""
    data = _digest("address", user_id, coin, chain.chain_type)
    if chain.style == "btc":
        return "bc1q" + _encode(data, _BECH32, 38)
    if chain.style == "tron":
        return "T" + _encode(data, _BASE58, 33)
    if chain.style == "sol":
        return _encode(data, _BASE58, 44)
    return "0x" + data.hex()[:40]


def transaction_id(chain: Chain | None, *parts: str) -> str:
    """A transaction hash shaped like the chain's ("0x" and 64 hex digits on EVM chains)."""
    digest = _digest("tx", *parts).hex()
    return "0x" + digest if chain is not None and chain.style == "evm" else digest


def listed_coins(listed: Iterable[Listing]) -> dict[str, Coin]:
    """The coins of every asset the exchange's symbols trade, by coin id, in catalog order."""
    return {asset: coin_of(asset) for asset in assets(tuple(listed))}
