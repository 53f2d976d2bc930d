"""The demo exchange's own routes (``/_demo/...``): inject a fault, read the ground truth of the account."""

from __future__ import annotations

from typing import Any

import httpx


class DemoAdminError(Exception):
    """A fault route or the state route did not answer as expected."""


class DemoAdmin:
    def __init__(self, rest_url: str, api_key: str, *, timeout: float = 15.0) -> None:
        self._api_key = api_key
        self._http = httpx.AsyncClient(base_url=rest_url, timeout=timeout)

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.post(path, json=body)
        except httpx.HTTPError as exc:
            raise DemoAdminError(f"{path}: {type(exc).__name__}: {exc}") from None
        return _object(path, response)

    async def state(self) -> dict[str, Any]:
        """Balances, open orders and fills of the demo user, as the exchange holds them now."""
        try:
            response = await self._http.get("/_demo/state", params={"api_key": self._api_key})
        except httpx.HTTPError as exc:
            raise DemoAdminError(f"/_demo/state: {type(exc).__name__}: {exc}") from None
        return _object("/_demo/state", response)

    async def aclose(self) -> None:
        await self._http.aclose()


def _object(path: str, response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise DemoAdminError(f"{path} answered {response.status_code}: {response.text[:200]}")
    data = response.json()
    if not isinstance(data, dict):
        raise DemoAdminError(f"{path} answered {type(data).__name__}, not an object")
    return data
