"""The soak program (``python -m terminal.soak``): a long run of random trading with faults injected,
memory sampled over time, and a final check that the terminal agrees with the venue."""
