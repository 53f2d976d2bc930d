"""The right-hand axes (prices, volumes): pyqtgraph's tick levels, with ticks already on a coarser level
found by a sorted search instead of an all-pairs isclose (~0.2 ms per call, made by axis and grid)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from terminal.ui.chart.lean_axis import LeanAxis

FloatArray = npt.NDArray[np.float64]


def level_values(low: float, high: float, spacing: float, coarser: FloatArray) -> FloatArray:
    """Multiples of ``spacing`` in low..high, less those within a hundredth of a spacing of a tick in
    ``coarser`` (sorted): pyqtgraph's arithmetic and rule, to the last bit."""
    start = math.ceil(low / spacing) * spacing
    values = np.arange(max(0, int((high - start) / spacing) + 1), dtype=np.float64) * spacing + start
    if len(coarser) == 0 or len(values) == 0:
        return values
    tolerance = spacing * 0.01
    at = np.searchsorted(coarser, values)
    below = coarser[np.clip(at - 1, 0, len(coarser) - 1)]
    above = coarser[np.clip(at, 0, len(coarser) - 1)]
    taken = (np.abs(values - below) <= tolerance) | (np.abs(values - above) <= tolerance)
    return values[~taken]


class ValueAxis(LeanAxis):
    """A right-hand axis; the price pane's major ticks also place the grid's horizontal lines."""

    def __init__(self) -> None:
        super().__init__("right")

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        low, high = sorted((minVal, maxVal))
        levels: list[tuple[float, list[float]]] = []
        if not (math.isfinite(low) and math.isfinite(high)) or high <= low or size <= 0:
            return levels
        seen = np.zeros(0, dtype=np.float64)
        for spacing, _ in self.tickSpacing(low, high, size):
            values = level_values(low, high, spacing, seen)
            levels.append((spacing, values.tolist()))
            seen = np.sort(np.concatenate((seen, values)))
        return levels
