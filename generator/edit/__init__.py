"""``vsop edit``: review and edit a guide in a local browser editor (see README, "Editing a guide").

``start_editor(guide_file, open_browser)`` starts one for other parts of vsop (the tray's "Review guide")."""

from generator.edit.server import EditorServer, start_editor

__all__ = ["EditorServer", "start_editor"]
