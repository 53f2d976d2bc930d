"""The Qt user interface: main window, docks, painted widgets, dialogs, theme."""
