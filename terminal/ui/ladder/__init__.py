"""The depth ladder (DOM): a hand-painted price ladder of the active symbol, with one-click trading."""
