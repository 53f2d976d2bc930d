"""Public market data and connectivity (004, "Public Market Data", "Miscellaneous"): no key, no signature."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from terminal.demo.exact import add
from terminal.demo.exchange import DemoExchange
from terminal.demo.server import wire
from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_coins import listed_coins
from terminal.demo.server.rest_errors import api_error, illegal
from terminal.domain.decimals import ceil_to, floor_to
from terminal.domain.enums import Side
from terminal.domain.intervals import Interval
from terminal.domain.market import Level

DEPTH_DEFAULT, DEPTH_MAX = 100, 200  # "Maximum value is 200. Default is 100."
TRADES_DEFAULT, TRADES_MAX = 100, 100  # "Maximum value is 100. Default is 100."
# "Return the number of bars, the maximum value is 1000"; the document gives no default: 500, as
# the account lists' "Default 500".
KLINES_DEFAULT, KLINES_MAX = 500, 1000
MAX_SCALE = 5  # merged depth: "Level of layers 0,1,2,3,4,5"
SITES = ("BMU", "UAE")  # exchangeInfo: "Default value is BMU (Bermuda Exchange) Supported site: BMU, UAE"
INST_TYPES = ("SPOT", "FUTURES", "ANY")  # ticker/24hr: "SPOT: Default Value"


def known_symbol(exchange: DemoExchange, symbol: str) -> str:
    """``symbol`` if the exchange lists it, else 0201 "Instrument not found"."""
    if symbol not in exchange.listings:
        raise api_error("0201")
    return symbol


def symbol_param(call: Call) -> str:
    """The required ``symbol`` parameter: 0001 when absent, 0201 when unknown."""
    return known_symbol(call.exchange, call.params.text("symbol"))


def opt_symbol_param(call: Call) -> str | None:
    return symbol_param(call) if "symbol" in call.params else None


def symbols_asked(call: Call) -> list[str]:
    symbol = opt_symbol_param(call)
    return [symbol] if symbol is not None else list(call.exchange.listings)


def ping(_: Call) -> object:
    return {}


def server_time(call: Call) -> object:
    return {"serverTime": call.now_ms}


def exchange_info(call: Call) -> object:
    site = call.params.get("site") or "BMU"
    if site not in SITES:
        raise illegal("site")
    listings = call.exchange.listings
    return {
        "timezone": "UTC",
        "serverTime": call.now_ms,
        "brokerFilters": [],
        "symbols": [wire.symbol_info(listings[s].instrument, site) for s in symbols_asked(call)],
        "options": [],
        "contracts": [],
        "coins": [wire.coin(c) for c in listed_coins(listings.values()).values()],
        "site": site,
    }


def coin_info(call: Call) -> object:
    coin = listed_coins(call.exchange.listings.values()).get(call.params.text("coinId"))
    if coin is None:
        raise api_error("-4001")
    return {
        "timezone": "UTC",
        "serverTime": call.now_ms,
        "coins": [wire.coin_brief(coin)],
        "chainTypes": [wire.chain(c) for c in coin.chains],
    }


def depth(call: Call) -> object:
    symbol = symbol_param(call)
    return wire.depth(call.exchange.depth(symbol, call.params.limit(DEPTH_DEFAULT, DEPTH_MAX)))


def merged_depth(call: Call) -> object:
    """Levels aggregated into buckets of tick x 10^scale: bids rounded down, asks up, so a bucket's
    price is never better than the prices it holds."""
    symbol = symbol_param(call)
    limit = call.params.limit(DEPTH_DEFAULT, DEPTH_MAX)
    scale = call.params.opt_int("scale") or 0
    if not 0 <= scale <= MAX_SCALE:
        raise illegal("scale")
    bucket = call.exchange.engine.instrument(symbol).tick_size.scaleb(scale)
    book = call.exchange.engine.book(symbol)
    return {
        "t": call.now_ms,
        "b": wire.levels(merge_levels(book.levels(Side.BUY), bucket, Side.BUY, limit)),
        "a": wire.levels(merge_levels(book.levels(Side.SELL), bucket, Side.SELL, limit)),
    }


def merge_levels(levels: Iterable[Level], bucket: Decimal, side: Side, limit: int) -> list[Level]:
    """``levels`` (best first) summed per bucket, at most ``limit`` buckets."""
    out: list[Level] = []
    for price, qty in levels:
        key = floor_to(price, bucket) if side is Side.BUY else ceil_to(price, bucket)
        if out and out[-1][0] == key:
            out[-1] = (key, add(out[-1][1], qty))
        elif len(out) < limit:
            out.append((key, qty))
        else:
            break
    return out


def trades(call: Call) -> object:
    symbol = symbol_param(call)
    limit = call.params.limit(TRADES_DEFAULT, TRADES_MAX)
    return [wire.public_trade(t) for t in call.exchange.market.recent_trades(symbol, limit)]


def klines(call: Call) -> object:
    symbol = symbol_param(call)
    try:
        interval = Interval(call.params.text("interval"))
    except ValueError:
        raise illegal("interval") from None
    candles = call.exchange.market.klines(
        symbol,
        interval,
        call.now_ms,
        start_ms=call.params.opt_int("startTime"),
        end_ms=call.params.opt_int("endTime"),
        limit=call.params.limit(KLINES_DEFAULT, KLINES_MAX),
    )
    return [wire.kline(c) for c in candles]


def ticker_24hr(call: Call) -> object:
    inst_type = call.params.get("instType") or "SPOT"
    if inst_type not in INST_TYPES:
        raise illegal("instType")
    symbols = symbols_asked(call)
    if inst_type == "FUTURES":
        return []  # the demo lists spot pairs only
    # A pair that never traded has no 24-hour statistics yet and is left out, as ticker/price does.
    return [wire.ticker(t) for t in (call.exchange.ticker(s) for s in symbols) if t is not None]


def ticker_price(call: Call) -> object:
    out = []
    for symbol in symbols_asked(call):
        price = call.exchange.last_price(symbol)
        if price is not None:
            out.append(wire.price_ticker(symbol, price))
    return out


def book_ticker(call: Call) -> object:
    return [wire.book_ticker(call.exchange.book_ticker(symbol_param(call)))]


# "All market-related APIs do not require signature verification". coinInfo lists coinId as its only
# parameter (no timestamp): public too.
SPECS: tuple[Spec, ...] = (
    Spec("GET", "/api/v1/ping", ping, signed=False),
    Spec("GET", "/api/v1/time", server_time, signed=False),
    Spec("GET", "/api/v1/exchangeInfo", exchange_info, signed=False),
    Spec("GET", "/api/v1/coinInfo", coin_info, signed=False),
    Spec("GET", "/quote/v1/depth", depth, signed=False),
    Spec("GET", "/quote/v1/depth/merged", merged_depth, signed=False),
    Spec("GET", "/quote/v1/trades", trades, signed=False),
    Spec("GET", "/quote/v1/klines", klines, signed=False),
    Spec("GET", "/quote/v1/ticker/24hr", ticker_24hr, signed=False),
    Spec("GET", "/quote/v1/ticker/price", ticker_price, signed=False),
    Spec("GET", "/quote/v1/ticker/bookTicker", book_ticker, signed=False),
)
