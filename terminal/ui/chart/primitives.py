"""Draw thousands of lines or rectangles from a numpy array in one QPainter call, without building a
Python object per shape (the array's memory is handed to Qt as a C array of QLineF / QRectF)."""

from __future__ import annotations

from typing import cast

import numpy as np
import numpy.typing as npt
import shiboken6
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter

FloatArray = npt.NDArray[np.float64]


def lines(x1: FloatArray, y1: FloatArray, x2: FloatArray, y2: FloatArray) -> FloatArray:
    """An (n, 4) array laid out as QLineF: x1, y1, x2, y2."""
    return np.ascontiguousarray(np.column_stack((x1, y1, x2, y2)), dtype=np.float64)


def rects(x: FloatArray, y: FloatArray, width: FloatArray, height: FloatArray) -> FloatArray:
    """An (n, 4) array laid out as QRectF: x, y, width, height."""
    return np.ascontiguousarray(np.column_stack((x, y, width, height)), dtype=np.float64)


def draw_lines(painter: QPainter, array: FloatArray) -> None:
    if len(array):
        _check(array)
        painter.drawLines(cast(QLineF, shiboken6.wrapInstance(array.ctypes.data, QLineF)), len(array))


def draw_rects(painter: QPainter, array: FloatArray) -> None:
    if len(array):
        _check(array)
        painter.drawRects(cast(QRectF, shiboken6.wrapInstance(array.ctypes.data, QRectF)), len(array))


def _check(array: FloatArray) -> None:
    # Qt reads n * 4 doubles from the first address: anything else would read past the buffer.
    if array.dtype != np.float64 or array.ndim != 2 or array.shape[1] != 4 or not array.flags.c_contiguous:
        raise ValueError("expected a C-contiguous (n, 4) float64 array")
