"""Longbridge OpenAPI: signing, hosts, error mapping, the signed transport and the access token."""
