"""A running connection to one venue: stores, the order manager, the frame clock (Qt signals live here)."""
