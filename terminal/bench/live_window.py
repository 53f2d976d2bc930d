"""The whole terminal in this process (main window, every dock, controller, demo exchange child), as a
trader starts it, for the GUI benchmarks; its files go to a directory of the benchmark's own."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import httpx
from keyring.backends import null

from terminal.app.controller import Controller
from terminal.storage.profiles import ProfileStore
from terminal.storage.secrets import SecretStore
from terminal.ui.main_window import MainWindow

WINDOW_SIZE = (1600, 1000)


def offscreen() -> None:
    """Benchmarks draw offscreen unless told otherwise (call before the QApplication exists)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class LiveTerminal:
    window: MainWindow
    controller: Controller

    @property
    def rest_url(self) -> str:
        endpoints = self.controller.demo.endpoints
        assert endpoints is not None, "the demo exchange is not running"
        return endpoints.rest_url

    async def set_feed_rate(self, rate: float) -> None:
        """Ask the demo exchange to push its state topics at ``rate`` messages per second in all."""
        endpoints = self.controller.demo.endpoints
        assert endpoints is not None, "the demo exchange is not running"
        async with httpx.AsyncClient(timeout=10) as client:
            reply = await client.post(f"{endpoints.rest_url}/_demo/feed-rate", json={"rate": rate})
            reply.raise_for_status()

    async def close(self) -> None:
        await self.controller.shutdown()
        self.window.close()


async def open_terminal(directory: Path, demo_arguments: list[str]) -> LiveTerminal:
    """The Demo profile open on a demo exchange started with ``demo_arguments``; the keyring is not
    touched (secrets stay in memory)."""
    window = MainWindow(directory / "window.ini")
    window.resize(*WINDOW_SIZE)
    window.show()
    controller = Controller(
        window,
        ProfileStore(directory / "profiles.json"),
        SecretStore(null.Keyring()),  # type: ignore[no-untyped-call]
        demo_arguments=demo_arguments,
        journal_file=directory / "journal.sqlite3",
    )
    if not await controller.open(controller.book.current):
        await controller.shutdown()
        window.close()
        raise RuntimeError(f"the terminal did not connect: {window.status.session_label.text()}")
    await asyncio.sleep(0)
    return LiveTerminal(window, controller)
