"""Generates the fill chime (terminal/assets/fill.wav): two soft bell tones, a quarter of a second long.

Run ``python packaging/sounds.py`` after changing it and commit what it writes; a test re-generates it.
"""

from __future__ import annotations

import argparse
import io
import math
import wave
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "terminal" / "assets" / "fill.wav"
RATE = 22_050  # Hz, mono, 16-bit: plenty for a chime and keeps the file near 11 kB
DURATION_S = 0.25
PEAK = 0.2  # of full scale per note (about -14 dBFS): a quiet cue, not an alarm
ATTACK_S = 0.006  # long enough to avoid a click, short enough to sound struck
# (start s, frequency Hz): E6 then A6, a rising fourth that reads as "done" rather than "warning".
NOTES = ((0.0, 1318.51), (0.085, 1760.0))
OVERTONE = 0.18  # a little of the second harmonic gives a bell colour instead of a pure beep


def _sine(turns: float) -> float:
    """sin(2π·turns) from + and × only: libm's sin may differ in the last bit between platforms,
    and the committed file must re-generate byte for byte everywhere."""
    x = 2.0 * math.pi * (turns - math.floor(turns)) - math.pi  # in [-π, π); sin(x + π) = -sin(x)
    x2 = x * x
    term, total = x, x
    for n in range(3, 19, 2):  # Taylor series to x^17: error below 1e-7 on [-π, π]
        term *= -x2 / ((n - 1) * n)
        total += term
    return -total


def _envelope(t: float, start: float) -> float:
    """0 before ``start``; a smooth rise over ATTACK_S; then a cubic decay reaching 0 at the end (no click)."""
    if t < start:
        return 0.0
    rise = min(1.0, (t - start) / ATTACK_S)
    rise = rise * rise * (3.0 - 2.0 * rise)
    fall = 1.0 - max(0.0, t - start - ATTACK_S) / (DURATION_S - start - ATTACK_S)
    return rise * max(0.0, fall) ** 3


def samples() -> list[int]:
    """The chime as signed 16-bit samples."""
    frames = round(RATE * DURATION_S)
    out: list[int] = []
    for i in range(frames):
        t = i / RATE
        value = 0.0
        for start, frequency in NOTES:
            level = _envelope(t, start)
            if level:
                phase = (t - start) * frequency
                bell = _sine(phase) + OVERTONE * _sine(2.0 * phase) * level  # the overtone fades faster
                value += PEAK * level * bell
        out.append(max(-32768, min(32767, round(value * 32767))))
    return out


def chime() -> bytes:
    """The complete WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"".join(s.to_bytes(2, "little", signed=True) for s in samples()))
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the WAV goes (default: %(default)s)")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(chime())
    print(args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
