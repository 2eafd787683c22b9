"""One editing session of one guide: each change is read from guide.yml, applied, and written back at once
(atomically, guide.md rendered again) while holding the library's lock, so a change is made to the guide as
another command (``vsop update``) left it and never written over its work; the guide.yml texts before each
change are kept in memory for undo."""

from __future__ import annotations

import threading
from pathlib import Path

from capture.files import atomic_write_text
from generator.edit.ops import Context, apply
from generator.errors import EditError
from generator.guide.model import Guide, ValueStream
from generator.guide.store import load_guide
from generator.library.layout import GuideFolder
from generator.library.lock import lock_root
from generator.library.rewrite import rewrite_guide
from generator.library.stage import guide_valuestream
from generator.library.swap import writing

UNDO_DEPTH = 200


class Session:
    """Changes to ``guide_file``, one at a time (the editor serves requests on several threads)."""

    def __init__(self, guide_file: Path) -> None:
        self.guide_file = guide_file
        self.folder = guide_file.parent
        self._folder = GuideFolder.of(guide_file)
        self._lock = threading.Lock()
        self._undo: list[tuple[str, str]] = []  # (guide.yml before a change, guide.yml after it)
        load_guide(guide_file)  # an invalid guide is refused before the editor starts

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def guide(self) -> Guide:
        return load_guide(self.guide_file)

    def change(self, request: object) -> Guide:
        """Apply ``request`` (see generator/edit/ops.py) and save; a bad request raises EditError."""
        with self._lock:
            context = Context(self.folder, self.valuestream)
            done = rewrite_guide(self.guide_file, lambda guide: apply(guide, request, context))
            if done.after != done.before:
                self._undo = [*self._undo[-(UNDO_DEPTH - 1) :], (done.before, done.after)]
            return done.guide

    def undo(self) -> Guide:
        """Put back guide.yml as it was before the last change, unless someone else changed it since."""
        with self._lock, writing(lock_root(self.folder)):
            if not self._undo:
                raise EditError("undo: nothing to undo in this editing session")
            before, after = self._undo[-1]
            if self.guide_file.read_text(encoding="utf-8") != after:
                self._undo.clear()
                raise EditError(
                    f"undo: {self.guide_file} was changed outside the editor since the last change (by hand "
                    "or by another command); undo would lose that, so the undo history is cleared"
                )
            atomic_write_text(self.guide_file, before)  # as it was, byte for byte (comments too)
            self._undo.pop()
            guide = self.guide()
            self._folder.write_page(guide)
            return guide

    def valuestream(self) -> ValueStream:
        """The value stream of the guide's library (GuideError when the guide is not in a library)."""
        return guide_valuestream(self.guide_file)
