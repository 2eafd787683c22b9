"""The tray's own windows told to the recorder's :class:`capture.exclusion.Exclusion`, from Qt's events on
the GUI thread: where each top-level window (menu, dialog, message) is while shown, when one has the
keyboard, and where the icon is."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from capture.exclusion import Exclusion
from capture.models import Rect

ICON = "icon"


class WindowWatch(QObject):
    def __init__(self, exclusion: Exclusion) -> None:
        super().__init__()
        self.exclusion = exclusion
        self.focused: dict[str, QWidget] = {}  # windows told to have the keyboard, until told otherwise

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(obj, QWidget) and obj.isWindow():
            self._window(obj, event.type())
        return False

    def _window(self, widget: QWidget, kind: QEvent.Type) -> None:
        key = f"window-{id(widget)}"
        shown = (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize)
        if kind in shown and widget.isVisible():
            self.exclusion.show(key, _rect(widget.frameGeometry(), widget.devicePixelRatioF()))
            if isinstance(widget, QMenu):
                self._focus(key, widget)  # an open menu grabs the keyboard
        elif kind == QEvent.Type.Hide:
            self.exclusion.hide(key)
            self._blur(key)
        elif kind == QEvent.Type.WindowActivate and widget.isVisible():
            self._focus(key, widget)
        elif kind == QEvent.Type.WindowDeactivate:
            self._blur(key)

    def _focus(self, key: str, widget: QWidget) -> None:
        self.focused[key] = widget
        self.exclusion.focus(key)

    def _blur(self, key: str) -> None:
        self.focused.pop(key, None)
        self.exclusion.blur(key)

    def settle(self) -> None:
        """End the keyboard span of a window that is gone or no longer active though no event said so (an
        activation can arrive after the window closed); called on every tick."""
        for key, widget in list(self.focused.items()):
            try:
                holds = widget.isVisible() and (isinstance(widget, QMenu) or widget.isActiveWindow())
            except RuntimeError:  # the Qt object was deleted
                holds = False
            if not holds:
                self._blur(key)

    def icon(self, icon: QSystemTrayIcon, ratio: float) -> None:
        """Where the tray icon is now (the tray host may move it); nothing while it is not docked."""
        geometry = icon.geometry()
        if geometry.isValid() and geometry.width() > 0:
            self.exclusion.show(ICON, _rect(geometry, ratio))


def _rect(geometry: QRect, ratio: float) -> Rect:
    """A Qt rectangle (device-independent pixels) in the physical pixels the recorder uses."""
    return Rect(
        round(geometry.x() * ratio),
        round(geometry.y() * ratio),
        round(geometry.width() * ratio),
        round(geometry.height() * ratio),
    )
