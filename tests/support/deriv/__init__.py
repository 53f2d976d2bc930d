"""A local server that speaks Deriv's WebSocket API (checked against the official schemas), so the
terminal's Deriv venue can be tested end to end on loopback."""
