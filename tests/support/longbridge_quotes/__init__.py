"""A fake Longbridge quote gateway (token over HTTP, binary WebSocket protocol) for the real SDK."""
