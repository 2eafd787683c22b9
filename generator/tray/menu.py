"""The tray's context menu: its entries, enabled as :func:`generator.tray.state.menu` says."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from generator.tray.state import Menu

ENTRIES = (
    ("start", "Start recording..."),
    ("pause", "Pause"),
    ("stop", "Stop and create guide"),
    ("note", "Add note..."),
    ("review", "Review guide..."),
    (None, None),
    ("site", "Open SOP site"),
    ("folder", "Open library folder"),
    (None, None),
    ("quit", "Quit"),
)


class TrayMenu(QMenu):
    def __init__(self, handlers: dict[str, Callable[[], None]]) -> None:
        super().__init__()
        self.actions_by_name: dict[str, QAction] = {}
        for name, label in ENTRIES:
            if name is None or label is None:
                self.addSeparator()
                continue
            action = self.addAction(label)
            action.triggered.connect(handlers[name])
            self.actions_by_name[name] = action

    def update_for(self, menu: Menu) -> None:
        for name, action in self.actions_by_name.items():
            action.setEnabled(bool(getattr(menu, name)))
        self.actions_by_name["pause"].setText(menu.pause_label)
