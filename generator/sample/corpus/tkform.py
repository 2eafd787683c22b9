"""A small Tk window of the corpus (Python's tkinter): a customer's return registered at the goods-in desk.

Run as ``python -m generator.sample.corpus.tkform``; prints what was saved (never the password) on stdout,
where the driver checks it. Laid out as Tk programs are: a menu bar, a grid of labels left of their fields
(a classic sunken ``tk.Entry``, a ``ttk.Entry``, a read-only ``ttk.Combobox``, a ``tk.Spinbox``, a
password ``tk.Entry`` with ``show="*"``), a ``tk.Text`` under its label, a ``tk.Checkbutton`` and
``tk.Radiobutton`` s with their text to the right, and a row of buttons. Tk exposes no accessibility tree on
Linux: every step of it is named by OCR and the pixels.
"""

from __future__ import annotations

import sys
import tkinter as tk
from tkinter import ttk

TITLE = "Northwind Returns"
REASONS = ("Damaged in transit", "Wrong item", "Late delivery")
REMEDIES = ("Refund", "Replacement")


def said(text: str) -> None:
    print(text, flush=True)


class Returns(tk.Frame):
    def __init__(self, root: tk.Tk) -> None:
        super().__init__(root, padx=12, pady=10)
        self.status = tk.StringVar(value="Ready")
        self.customer = tk.Entry(self, width=28)
        self.order = ttk.Entry(self, width=28)
        self.reason = ttk.Combobox(self, values=REASONS, state="readonly", width=26)
        self.reason.current(0)
        self.quantity = tk.Spinbox(self, from_=1, to=99, width=6)
        self.quantity.delete(0, "end")  # no count until one is typed (or chosen with the arrows)
        self.password = tk.Entry(self, width=28, show="*")
        self.notes = tk.Text(self, width=40, height=3)
        self.restock = tk.BooleanVar(value=False)
        self.remedy = tk.StringVar(value=REMEDIES[0])
        self._grid()

    def _grid(self) -> None:
        rows = (
            ("Customer", self.customer),
            ("Order number", self.order),
            ("Reason", self.reason),
            ("Quantity", self.quantity),
            ("Manager password", self.password),
        )
        for row, (text, field) in enumerate(rows):
            tk.Label(self, text=text).grid(row=row, column=0, sticky="w", padx=(0, 10), pady=4)
            field.grid(row=row, column=1, sticky="w", pady=4)
        check = tk.Checkbutton(self, text="Restock the items", variable=self.restock)
        check.grid(row=5, column=1, sticky="w")
        remedies = tk.Frame(self)
        for value in REMEDIES:
            tk.Radiobutton(remedies, text=value, value=value, variable=self.remedy).pack(
                side="left", padx=(0, 12)
            )
        tk.Label(self, text="Remedy").grid(row=6, column=0, sticky="w", pady=4)
        remedies.grid(row=6, column=1, sticky="w", pady=4)
        tk.Label(self, text="Notes").grid(row=7, column=0, columnspan=2, sticky="w", pady=(8, 2))
        self.notes.grid(row=8, column=0, columnspan=2, sticky="w")
        buttons = tk.Frame(self)
        tk.Button(buttons, text="Save", width=8, command=self.save).pack(side="left", padx=(0, 8))
        tk.Button(buttons, text="Cancel", width=8, command=self.cancel).pack(side="left")
        buttons.grid(row=9, column=0, columnspan=2, sticky="e", pady=(12, 4))
        tk.Label(self, textvariable=self.status, anchor="w").grid(row=10, column=0, columnspan=2, sticky="we")

    def save(self) -> None:
        said(
            f"saved customer={self.customer.get()} order={self.order.get()} reason={self.reason.get()} "
            f"quantity={self.quantity.get()} restock={self.restock.get()} remedy={self.remedy.get()} "
            f"notes={self.notes.get('1.0', 'end-1c')} password={'set' if self.password.get() else 'empty'}"
        )
        self.status.set(f"Return for {self.order.get()} saved")

    def cancel(self) -> None:
        said("cancelled")
        self.clear()

    def new(self) -> None:
        said("new return")
        self.clear()

    def clear(self) -> None:
        for field in (self.customer, self.order, self.quantity, self.password):
            field.delete(0, "end")
        self.notes.delete("1.0", "end")
        self.reason.current(0)
        self.restock.set(False)
        self.remedy.set(REMEDIES[0])
        self.status.set("New return")


def menus(root: tk.Tk, form: Returns) -> tk.Menu:
    bar = tk.Menu(root)
    file = tk.Menu(bar, tearoff=False)
    file.add_command(label="New return", command=form.new)
    file.add_command(label="Save", command=form.save)
    file.add_separator()
    file.add_command(label="Quit", command=root.destroy)
    bar.add_cascade(label="File", menu=file)
    help_menu = tk.Menu(bar, tearoff=False)
    help_menu.add_command(label="About", command=lambda: form.status.set("Northwind Returns 1.0"))
    bar.add_cascade(label="Help", menu=help_menu)
    return bar


def main() -> int:
    root = tk.Tk()
    root.title(TITLE)
    form = Returns(root)
    form.pack(fill="both", expand=True)
    root.config(menu=menus(root, form))
    root.geometry("+80+60")
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
