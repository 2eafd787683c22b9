"""The "Edit this guide" links of ``vsop serve``: a small HTTP server on 127.0.0.1 that starts the editor of a
guide (generator/edit) when its link is followed and sends the browser there (303).

A link is ``http://127.0.0.1:PORT/edit/<guide id>?token=...`` with the launcher's own random token. Like the
editor (and through the same guard, generator/edit/guard.py), the launcher answers only requests carrying
that token and naming it ``127.0.0.1:PORT`` or ``localhost:PORT`` in their Host header, and only for ids of
guides of the library. Each guide's editor is started once and reused; all are closed with the launcher.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from capture.errors import VsopError
from generator.edit import EditorServer, start_editor
from generator.edit.guard import HOST, SAFE_HEADERS, LoopbackServer, Refusal
from generator.errors import SiteError
from generator.guide.paths import is_id
from generator.library.layout import GUIDE_FILE, GUIDES_DIR

CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@dataclass(slots=True)
class Launcher:
    """A running launcher: :meth:`edit_url` is the link of a guide; :meth:`close` stops it and its editors."""

    httpd: _Httpd
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.httpd.guard.port

    @property
    def token(self) -> str:
        return self.httpd.guard.token

    @property
    def editors(self) -> dict[Path, EditorServer]:
        """The editors started so far, by guide file (a copy)."""
        return self.httpd.editors.started()

    def edit_url(self, guide_id: str) -> str | None:
        """The address that opens the editor of guide ``guide_id``; None for an id it would refuse."""
        if not is_id(guide_id):
            return None
        return self.httpd.guard.url(f"/edit/{guide_id}")

    def close(self) -> None:
        self.httpd.stop(self.thread)
        self.httpd.editors.close()


def start_launcher(library: Path) -> Launcher:
    """Serve the launcher of ``library``'s editors on a free port of 127.0.0.1 in a background thread."""
    try:
        httpd = _Httpd(library / GUIDES_DIR)
    except OSError as exc:
        raise SiteError(f"{HOST}: cannot listen for the Edit links ({exc.strerror})") from None
    return Launcher(httpd, httpd.serve_in_thread("vsop-edit-launcher"))


@contextmanager
def launching(library: Path) -> Iterator[Launcher]:
    launcher = start_launcher(library)
    try:
        yield launcher
    finally:
        launcher.close()


@dataclass(slots=True)
class _Editors:
    """The editors started by the launcher's request threads, one per guide; none after :meth:`close`."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    running: dict[Path, EditorServer] = field(default_factory=dict)
    closed: bool = False

    def get(self, guide_file: Path) -> EditorServer | None:
        with self.lock:
            if self.closed:
                return None
            if guide_file not in self.running:
                self.running[guide_file] = start_editor(guide_file, open_browser=False)
            return self.running[guide_file]

    def started(self) -> dict[Path, EditorServer]:
        with self.lock:
            return dict(self.running)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            running, self.running = list(self.running.values()), {}
        for editor in running:
            editor.close()


class _Httpd(LoopbackServer):
    def __init__(self, guides: Path) -> None:
        super().__init__(0, _Handler, "the launcher", "follow the link of the served site")
        self.guides = guides.resolve()
        self.editors = _Editors()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Httpd

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        admitted = self.server.guard.admit(self.headers, self.path)
        if isinstance(admitted, Refusal):
            self._answer(admitted.status, admitted.message)
        else:
            self._launch(admitted)

    def _launch(self, path: str) -> None:
        if not path.startswith("/edit/"):
            self._answer(HTTPStatus.NOT_FOUND, f"{path!r}: expected /edit/<guide id>")
            return
        guide_id = path.removeprefix("/edit/")
        guide_file = self.server.guides / guide_id / GUIDE_FILE
        if not is_id(guide_id) or not guide_file.is_file():
            self._answer(HTTPStatus.NOT_FOUND, f"{guide_id!r}: no guide of the library has this id")
            return
        try:
            editor = self.server.editors.get(guide_file)
        except VsopError as exc:  # guide.yml invalid, or no port free
            self._answer(HTTPStatus.CONFLICT, str(exc))
            return
        if editor is None:
            self._answer(HTTPStatus.SERVICE_UNAVAILABLE, "the site is no longer served")
        else:
            self._answer(HTTPStatus.SEE_OTHER, f"Opening the editor of {guide_id}", editor.url)

    def _answer(self, status: HTTPStatus, message: str, location: str | None = None) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        for name, value in SAFE_HEADERS:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
