"""The tray icon of each state, drawn with QPainter (no image files): a grey ring when idle, a red dot while
recording, two amber bars when paused, a blue ring with a gap while a guide or the site is being made."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from generator.tray.state import State

COLORS: dict[State, str] = {
    "idle": "#546e7a",
    "recording": "#d32f2f",
    "paused": "#f9a825",
    "generating": "#1976d2",
}
SIZES = (16, 22, 24, 32, 48, 64)


def state_icon(state: State) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(draw(state, size))
    return icon


def draw(state: State, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(COLORS[state])
    margin = size / 8
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    line = max(1.5, size / 8)
    if state == "recording":
        painter.setPen(QPen(QColor("white"), line / 2))
        painter.setBrush(color)
        painter.drawEllipse(box)
    elif state == "paused":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        bar = box.width() / 3
        painter.drawRoundedRect(QRectF(box.left(), box.top(), bar, box.height()), bar / 4, bar / 4)
        painter.drawRoundedRect(QRectF(box.right() - bar, box.top(), bar, box.height()), bar / 4, bar / 4)
    else:
        inner = box.adjusted(line / 2, line / 2, -line / 2, -line / 2)
        painter.setPen(QPen(color, line))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if state == "generating":
            painter.drawArc(inner, 90 * 16, -270 * 16)  # a ring with a gap: work going on
        else:
            painter.drawEllipse(inner)
            painter.setBrush(color)
            dot = inner.width() / 4
            painter.drawEllipse(inner.center(), dot, dot)
    painter.end()
    return pixmap
