"""The tray's dialogs: start a recording (title and value-stream stage), add a note, show an error."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from generator.guide.model import ValueStream
from generator.tray.tasks import Request

START_TITLE = "vsop: start recording"
NOTE_TITLE = "vsop: add a note"
ERROR_TITLE = "vsop: error"
AUTOMATIC = "Match automatically"


class StartDialog(QDialog):
    """The guide's title (required) and its stage, from the library's value stream in flow order."""

    def __init__(self, valuestream: ValueStream, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(START_TITLE)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Record a new lead")
        self.stage = QComboBox()
        self.stage.addItem(AUTOMATIC, None)
        for stream in valuestream.streams:
            for stage in stream.stages:
                self.stage.addItem(f"{stage.name} ({stream.name})", stage.id)
        button = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(button.Ok | button.Cancel)
        self.ok = buttons.button(button.Ok)
        self.ok.setText("Start recording")
        self.ok.setDefault(True)  # Return starts from any field
        self.ok.setEnabled(False)
        self.title.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Guide title", self.title)
        form.addRow("Value-stream stage", self.stage)
        form.addRow(buttons)
        self.title.setFocus()

    def request(self) -> Request:
        stage = self.stage.currentData()
        return Request(self.title.text().strip(), stage if isinstance(stage, str) else None)


def ask_start(valuestream: ValueStream) -> Request | None:
    dialog = StartDialog(valuestream)
    return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_note() -> str | None:
    text, ok = QInputDialog.getText(None, NOTE_TITLE, "Note for the step being recorded:")
    return text.strip() if ok and text.strip() else None


def error_box(headline: str, details: str) -> QMessageBox:
    """A non-modal error window (the tray keeps working while it is open); the caller keeps it alive."""
    box = QMessageBox(QMessageBox.Icon.Critical, ERROR_TITLE, headline)
    box.setInformativeText(details)
    box.setModal(False)
    box.show()
    return box
