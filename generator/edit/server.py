"""The editor's HTTP server on 127.0.0.1: one page, its script and style, the guide's images, and a JSON API
whose every change is saved to guide.yml at once (generator/edit/session.py).

Only requests that carry the session's token and name the server by its loopback address are answered, and
changes must be ``application/json`` POSTs from the editor's own origin (generator/edit/guard.py, shared with
the launcher of ``vsop serve``). Files are served only from inside the guide folder.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import sys
import threading
import traceback
import webbrowser
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from generator.edit.guard import HOST, SAFE_HEADERS, LoopbackServer, Refusal, refuse_non_json
from generator.edit.page import render_page
from generator.edit.session import Session
from generator.errors import EditError, GuideError, PathError, ValueStreamError, explained, http_status
from generator.guide.model import Guide, ValueStream
from generator.guide.paths import inside, is_own_file
from generator.guide.store import load_guide
from generator.images.edits import edited_png, has_image_edits
from generator.render.environment import TEMPLATES

STATIC = TEMPLATES / "editor"
ASSETS = {"editor.js": "text/javascript; charset=utf-8", "editor.css": "text/css; charset=utf-8"}
IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_BODY = 1 << 20
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(slots=True)
class EditorServer:
    """A running editor: ``url`` (with its token) opens it; :meth:`close` stops it."""

    url: str
    session: Session
    httpd: _Httpd
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def wait(self) -> None:
        """Block until the server is closed (from another thread) or Ctrl+C."""
        while self.thread.is_alive():
            self.thread.join(0.5)

    def close(self) -> None:
        self.httpd.stop(self.thread)


def start_editor(guide_file: Path, open_browser: bool = True, port: int = 0) -> EditorServer:
    """Serve the editor of ``guide_file`` on 127.0.0.1 (``port`` 0: a free one) in a background thread and
    open it in the browser unless ``open_browser`` is false. An invalid guide is refused before it starts."""
    load_guide(guide_file)  # refused as named (resolved, a link to /dev/zero would be named /dev/zero)
    session = Session(guide_file.resolve())
    try:
        httpd = _Httpd(port, _Handler, "the editor", "open the URL that vsop edit printed")
    except OSError as exc:
        raise EditError(f"{HOST}:{port}: cannot listen ({exc.strerror}); choose another --port") from None
    httpd.session = session
    server = EditorServer(httpd.guard.url("/"), session, httpd, httpd.serve_in_thread("vsop-editor"))
    if open_browser:
        webbrowser.open(server.url)
    return server


class _Httpd(LoopbackServer):
    session: Session


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Httpd
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and errors, not every image request

    # Dispatch ----------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        path = self._checked()
        if path is None:
            return
        try:
            self._get(path)
        except Exception as exc:  # guide.yml invalid or gone, an image unreadable, a disk error: answered
            self._fail(exc)

    def _get(self, path: str) -> None:
        if path == "/":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self._page().encode("utf-8"))
        elif path.startswith("/static/") and path.removeprefix("/static/") in ASSETS:
            name = path.removeprefix("/static/")
            self._send(HTTPStatus.OK, ASSETS[name], (STATIC / name).read_bytes())
        elif path.startswith("/file/"):
            self._file(unquote(path.removeprefix("/file/")))
        elif path.startswith("/published/") and path.endswith(".png"):
            self._published(unquote(path.removeprefix("/published/").removesuffix(".png")))
        elif path == "/api/guide":
            self._json(HTTPStatus.OK, self._state(self.server.session.guide()))
        else:
            self._error(HTTPStatus.NOT_FOUND, f"{path}: no such page in the editor")

    def do_POST(self) -> None:
        path = self._checked()
        if path is None:
            return
        foreign = self.server.guard.refuse_foreign_origin(self.headers, "the editor's own page")
        if foreign is not None:
            self._refuse(foreign)
            return
        if path not in ("/api/change", "/api/undo"):
            self._error(HTTPStatus.NOT_FOUND, f"{path}: no such API; expected /api/change or /api/undo")
            return
        body = self._body()
        if body is _NO_BODY:
            return
        session = self.server.session
        try:
            guide = session.change(body) if path == "/api/change" else session.undo()
        except Exception as exc:  # a refused change (400), guide.yml invalid or gone (409), a disk error
            self._fail(exc)
        else:
            self._json(HTTPStatus.OK, self._state(guide))

    # Checks ------------------------------------------------------------------------------------------

    def _checked(self) -> str | None:
        """The request's path when its Host and token are right; otherwise answers 403 and returns None."""
        admitted = self.server.guard.admit(self.headers, self.path)
        if isinstance(admitted, Refusal):
            self._refuse(admitted)
            return None
        return admitted

    def _body(self) -> object:
        not_json = refuse_non_json(self.headers)
        if not_json is not None:
            self._refuse(not_json)
            return _NO_BODY
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._error(HTTPStatus.LENGTH_REQUIRED, "expected a Content-Length")
            return _NO_BODY
        if not 0 <= length <= MAX_BODY:
            self._error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"expected at most {MAX_BODY} bytes, found {length}"
            )
            return _NO_BODY
        raw = self.rfile.read(length)
        try:
            return cast(object, json.loads(raw.decode("utf-8")) if raw.strip() else {})
        except (UnicodeDecodeError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"request: expected JSON, found invalid JSON ({exc})")
        except RecursionError:
            self._error(HTTPStatus.BAD_REQUEST, "request: expected a change, found JSON nested too deeply")
        return _NO_BODY

    # Answers -----------------------------------------------------------------------------------------

    def _page(self) -> str:
        session = self.server.session
        return render_page(
            session.guide(),
            session.guide_file,
            self.server.guard.token,
            session.can_undo,
            self._valuestream(),
        )

    def _valuestream(self) -> ValueStream | None:
        try:
            return self.server.session.valuestream()
        except (GuideError, ValueStreamError):
            return None  # not in a library, or its valuestream.yml is broken: no stage choice

    def _file(self, rel: str) -> None:
        try:
            path = inside(self.server.session.folder, rel)
        except PathError:
            self._error(HTTPStatus.FORBIDDEN, f"{rel!r}: only files inside the guide folder are served")
            return
        if path.suffix.lower() not in IMAGES or not path.is_file():
            self._error(HTTPStatus.NOT_FOUND, f"{rel!r}: no such image in the guide folder")
        else:
            self._send(HTTPStatus.OK, IMAGES[path.suffix.lower()], path.read_bytes())

    def _published(self, step_id: str) -> None:
        session = self.server.session
        step = next((s for s in session.guide().steps if s.id == step_id), None)
        if step is None or step.image is None:
            self._error(HTTPStatus.NOT_FOUND, f"{step_id!r}: no step with a screenshot has this id")
            return
        if not is_own_file(session.folder, step.image):
            self._error(HTTPStatus.NOT_FOUND, f"{step.image}: the screenshot of {step_id} is missing")
            return
        path = session.folder / step.image
        data = edited_png(path, step) if has_image_edits(step) else path.read_bytes()
        self._send(HTTPStatus.OK, IMAGES.get(path.suffix.lower(), "image/png"), data)

    def _state(self, guide: Guide) -> dict[str, Any]:
        return {"guide": dataclasses.asdict(guide), "can_undo": self.server.session.can_undo}

    def _json(self, status: HTTPStatus, data: object) -> None:
        self._send(status, "application/json", json.dumps(data).encode("utf-8"))

    def _fail(self, exc: Exception) -> None:
        """Answer what went wrong (generator/errors.py: ``explained``, ``http_status``); an error that is a
        bug is answered 500 too, and its traceback goes to the terminal."""
        error = explained(exc)
        if error is None:
            traceback.print_exception(exc, file=sys.stderr)
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the editor failed ({exc!r}); see its terminal")
        else:
            self._error(HTTPStatus(http_status(error)), str(error))

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._json(status, {"error": message})

    def _refuse(self, refusal: Refusal) -> None:
        self._error(refusal.status, refusal.message)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        for name, value in SAFE_HEADERS:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


_NO_BODY = object()
