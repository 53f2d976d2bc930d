"""Where the logs and the journal live, with buttons that open their folders in the file manager."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the platform's file manager (creating it first: these are our own directories)."""
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class LocationsDialog(QDialog):
    """The log folder, the log file and the journal file; non-modal."""

    def __init__(self, log_dir: Path, log_file: Path, journal_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("locationsDialog")
        self.setWindowTitle("Logs and journal")
        self.log_dir = log_dir
        self.journal_dir = journal_file.parent
        form = QFormLayout()
        for name, path in (("Log folder", log_dir), ("Log file", log_file), ("Journal", journal_file)):
            label = QLabel(str(path))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{name}:", label)
        self.open_logs = QPushButton("Open log folder")
        self.open_logs.clicked.connect(lambda: open_folder(self.log_dir))
        self.open_journal = QPushButton("Open journal folder")
        self.open_journal.clicked.connect(lambda: open_folder(self.journal_dir))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_logs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_journal, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The log is JSON lines, rotated; the journal is SQLite (one file for every profile)."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(label.text() for label in self.findChildren(QLabel))
