"""A local fake of Webull's OpenAPI (signed REST over loopback HTTP) for end-to-end tests of the
terminal's Webull venue; it checks every request's signature with the official SDK's composer."""
