"""Venue adapters: signing, REST and stream clients, wire <-> domain mapping; asyncio only, no Qt."""
