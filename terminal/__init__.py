"""trading-terminal: a desktop trading terminal for people who trade by hand."""

__version__ = "0.1.0"
