"""Dialogs of the main window (all non-modal: opened with open(), never exec())."""
