"""Shared test setup: Qt runs offscreen and every file the terminal writes goes to a temporary home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
