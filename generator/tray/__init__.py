"""``vsop tray``: the recorder in the notification area, for people who never open a terminal.

Pure logic, testable without Qt: ``state`` (states, menu, tooltip, stopwatch), ``jobs`` (background work
whose failure re-raises where the GUI asks for the result), ``tasks`` (library paths, the guide and the site
made in the background, the log), ``live`` (steps counted while recording). Qt (PySide6, the optional extra
``vsop[tray]``), imported only when the tray runs: ``qt`` (the import check), ``icons``, ``dialogs``,
``watch`` (the tray's windows told to the recorder's exclusion), ``app``. The command is in generator/cli/.
"""
