"""The dock widgets of the main window; each shows part of the active session."""
