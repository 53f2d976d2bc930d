"""What one soak run does: how long, how fast, on which symbols, with which seed."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SYMBOLS: tuple[str, ...] = ("BTCUSDT", "ETHUSDT")


@dataclass(frozen=True, slots=True)
class SoakSettings:
    minutes: float = 30.0
    seed: int = 1
    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    rate: float = 2.0  # order actions (placements and cancels) per second
    fault_interval: tuple[float, float] = (20.0, 60.0)  # seconds between faults, drawn uniformly
    sample_every: float = 10.0  # seconds between memory samples
    settle_timeout: float = 120.0  # how long orders may take to leave SUBMITTING / UNKNOWN / CANCEL_REQUESTED
    demo_rate: float | None = None  # the demo market's activity (None: its default)
    debug: bool = False  # tracebacks of unexpected errors in the log

    def __post_init__(self) -> None:
        if not self.minutes > 0:
            raise ValueError("the duration must be more than zero minutes")
        if not self.rate > 0:
            raise ValueError("the rate must be more than zero actions per second")
        low, high = self.fault_interval
        if not 0 < low <= high:
            raise ValueError("the fault interval must be two positive seconds, the smaller first")
        if not self.symbols:
            raise ValueError("at least one symbol is needed")

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0
