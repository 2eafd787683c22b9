"""A small Qt window of the corpus (PySide6): stock booked into a warehouse, and moved between bins.

Run as ``python -m generator.sample.corpus.qtform``; prints what was booked or moved (never the PIN) on
stdout, where the driver checks it. Labels left of the fields (a QFormLayout), one above its field, a
combo box, a PIN field, a check box and buttons; each button answers with a message box.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

TITLE = "Northwind Stock"
WAREHOUSES = ("Main warehouse", "Returns depot", "Harbour store")


def said(text: str) -> None:
    print(text, flush=True)


def tell(parent: QWidget, title: str, text: str) -> None:
    """A message box closed by its one button, *Done* (a standard OK button would show an icon beside its
    text, which OCR reads as part of it)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.addButton("Done", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


class Booking(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.item, self.quantity, self.bin = QLineEdit(), QLineEdit(), QLineEdit()
        self.warehouse = QComboBox()
        self.warehouse.addItems(WAREHOUSES)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.label = QCheckBox("Print label")
        self.remarks = QLineEdit()
        form = QFormLayout()
        for text, field in (
            ("Item code", self.item),
            ("Quantity", self.quantity),
            ("Bin", self.bin),
            ("Warehouse", self.warehouse),
            ("Supervisor PIN", self.pin),
        ):
            form.addRow(text, field)
        form.addRow("", self.label)
        remarks = QLabel("Remarks")
        remarks.setBuddy(self.remarks)
        book = QPushButton("Book stock")
        book.clicked.connect(self.book)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(remarks)
        layout.addWidget(self.remarks)
        layout.addWidget(book)
        layout.addStretch()

    def book(self) -> None:
        tell(self, "Stock booked", f"{self.quantity.text()} x {self.item.text()} booked.")
        said(
            f"booked item={self.item.text()} quantity={self.quantity.text()} bin={self.bin.text()} "
            f"warehouse={self.warehouse.currentText()} label={self.label.isChecked()} "
            f"remarks={self.remarks.text()} pin={'set' if self.pin.text() else 'empty'}"
        )


class Transfer(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.source, self.target, self.units = QLineEdit(), QLineEdit(), QLineEdit()
        self.urgent = QCheckBox("Urgent")
        form = QFormLayout(self)
        form.addRow("From bin", self.source)
        form.addRow("To bin", self.target)
        form.addRow("Units", self.units)
        form.addRow("", self.urgent)
        move = QPushButton("Move units")
        move.clicked.connect(self.move_units)
        form.addRow("", move)

    def move_units(self) -> None:
        tell(self, "Units moved", f"{self.units.text()} units moved.")
        said(
            f"moved from={self.source.text()} to={self.target.text()} units={self.units.text()} "
            f"urgent={self.urgent.isChecked()}"
        )


def main() -> int:
    app = QApplication(sys.argv)
    app.setFont(QFont("DejaVu Sans", 11))
    window = QTabWidget()
    window.setWindowTitle(TITLE)
    window.addTab(Booking(), "Booking")
    window.addTab(Transfer(), "Transfer")
    window.move(80, 60)
    window.resize(620, 480)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
