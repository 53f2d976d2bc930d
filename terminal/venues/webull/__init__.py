"""Webull OpenAPI (Hong Kong and US): signed REST requests and the 2FA access token (seeds 000, 001)."""
