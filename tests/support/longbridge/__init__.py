"""A local fake of Longbridge's OpenAPI REST endpoints (signed HTTP over loopback) for end-to-end tests of
the terminal's Longbridge venue. It verifies every signature with its own implementation of the venue's
documented scheme and imports nothing from ``terminal``."""
