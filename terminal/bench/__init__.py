"""Benchmarks: programs that print figures (``python -m terminal.bench``), never timed tests."""
