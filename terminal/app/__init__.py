"""The application: command line, QApplication and qasync loop, profiles, the demo exchange process."""

from terminal.app.main import main

__all__ = ["main"]
