"""Deriv: contracts (proposal -> buy -> follow -> sell) and market data over one WebSocket JSON API."""
