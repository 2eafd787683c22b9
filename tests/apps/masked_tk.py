"""A small Tk window with a field that masks what is typed with asterisks (``Entry(show="*")``) under a
label that names no secret, and plain fields (Tk has no accessibility tree on Linux: no password role).

Run as ``python tests/apps/masked_tk.py``. Once its window shows it prints one JSON line: the centre of each
field and of the button, by label, in pixels from the top left corner of the window's inside.
"""

from __future__ import annotations

import json
import sys
import tkinter as tk

TITLE = "vsop masked tk"


def main() -> int:
    root = tk.Tk()
    root.title(TITLE)
    form = tk.Frame(root, padx=16, pady=12)
    rows = (("Approval code", {"show": "*"}), ("Seats", {}), ("Note", {}))
    widgets: dict[str, tk.Widget] = {}
    for row, (text, options) in enumerate(rows):
        tk.Label(form, text=text).grid(row=row, column=0, sticky="w", padx=(0, 12), pady=6)
        widgets[text] = tk.Entry(form, width=28, **options)
        widgets[text].grid(row=row, column=1, sticky="w", pady=6)
    widgets["Save"] = tk.Button(form, text="Save", width=8)
    widgets["Save"].grid(row=len(rows), column=1, sticky="e", pady=(10, 0))
    form.pack(fill="both", expand=True)
    root.geometry("+100+100")

    def tell() -> None:
        centres = {
            name: (
                w.winfo_rootx() - root.winfo_rootx() + w.winfo_width() // 2,
                w.winfo_rooty() - root.winfo_rooty() + w.winfo_height() // 2,
            )
            for name, w in widgets.items()
        }
        print(json.dumps(centres), flush=True)

    root.wait_visibility()
    root.after(100, tell)
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
