"""The editor's HTTP server: token, Host header, files only from the guide folder, validated JSON changes, and
the `vsop edit --no-browser` command printing its URL first."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.edit import EditorServer, start_editor
from generator.guide.store import load_guide
from tests.test_edit import EVIL, make_guide


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[EditorServer]:
    server = start_editor(make_guide(tmp_path / "lib"), open_browser=False)
    yield server
    server.close()


def token_of(server: EditorServer) -> str:
    return urlsplit(server.url).query.removeprefix("token=")


def request(
    server: EditorServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
        if body is not None:
            sent["Content-Length"] = str(len(body))
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def post(server: EditorServer, change: Any, raw: bytes | None = None, **headers: str) -> tuple[int, Any]:
    sent = {"Content-Type": "application/json", "X-Vsop-Token": token_of(server), **headers}
    body = raw if raw is not None else json.dumps(change).encode()
    status, _headers, data = request(server, "POST", "/api/change", body, sent)
    return status, json.loads(data)


def test_the_page_needs_the_token(editor: EditorServer) -> None:
    assert request(editor, "GET", "/")[0] == 403
    assert request(editor, "GET", "/?token=wrong")[0] == 403
    assert request(editor, "GET", "/api/guide")[0] == 403
    status, headers, page = request(editor, "GET", f"/?token={token_of(editor)}")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert not any(name.lower().startswith("access-control-") for name in headers)
    text = page.decode()
    assert EVIL not in text and "&lt;img src=x onerror=alert(1)&gt;" in text  # a window title is text
    assert "<script>" not in text and " onclick=" not in text and " style=" not in text


def test_a_foreign_host_header_is_refused(editor: EditorServer) -> None:
    path = f"/?token={token_of(editor)}"
    for host in ("evil.example", f"evil.example:{editor.port}", "127.0.0.1", f"127.0.0.2:{editor.port}"):
        assert request(editor, "GET", path, headers={"Host": host})[0] == 403, host
    assert request(editor, "GET", path, headers={"Host": f"localhost:{editor.port}"})[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/file/../../etc/passwd",
        "/file/%2e%2e/%2e%2e/etc/passwd",
        "/file//etc/passwd",
        "/file/images/../../../../etc/passwd",
        "/file/..%5c..%5cetc%5cpasswd",
        "/file/guide.yml",
        "/file/link.png",
        "/published/nope.png",
    ],
)
def test_only_images_inside_the_guide_folder_are_served(editor: EditorServer, path: str) -> None:
    outside = editor.session.folder.parent.parent / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    (editor.session.folder / "link.png").symlink_to(outside)
    status, _headers, body = request(editor, "GET", f"{path}?token={token_of(editor)}")
    assert status in (403, 404)
    assert b"secret" not in body and b"root:" not in body


def test_images_are_served(editor: EditorServer) -> None:
    token = token_of(editor)
    status, headers, body = request(editor, "GET", f"/file/images/s-1.png?token={token}")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert body == (editor.session.folder / "images" / "s-1.png").read_bytes()
    assert request(editor, "GET", f"/published/s-1.png?token={token}")[0] == 200


def test_bad_changes_get_4xx_and_leave_guide_yml_as_it_was(editor: EditorServer) -> None:
    guide_file = editor.session.guide_file
    before = guide_file.read_bytes()
    assert post(editor, None, raw=b"{not json")[0] == 400
    assert post(editor, None, raw=b"\xff\xfe")[0] == 400
    status, answer = post(editor, {"op": "text", "step": "s-1", "text": ""})
    assert status == 400 and "found nothing" in answer["error"]
    assert post(editor, {"op": "blur", "step": "s-1", "boxes": [[0, 0, 9999, 5]]})[0] == 400
    assert (
        post(editor, {"op": "text", "step": "s-1", "text": "x"}, **{"Content-Type": "text/plain"})[0] == 415
    )
    assert post(editor, {"op": "text", "step": "s-1", "text": "x"}, Origin="http://evil.example")[0] == 403
    assert post(editor, {"op": "text", "step": "s-1", "text": "x"}, **{"X-Vsop-Token": "wrong"})[0] == 403
    assert request(editor, "PUT", f"/api/change?token={token_of(editor)}")[0] >= 400
    assert request(editor, "OPTIONS", f"/api/change?token={token_of(editor)}")[0] >= 400  # no CORS preflight
    assert guide_file.read_bytes() == before


def test_a_change_is_saved_at_once_and_undone(editor: EditorServer) -> None:
    guide_file = editor.session.guide_file
    before = guide_file.read_text(encoding="utf-8")
    status, answer = post(editor, {"op": "text", "step": "s-2", "text": "Click **Send**."})
    assert status == 200 and answer["can_undo"] is True
    assert load_guide(guide_file).steps[1].text == "Click **Send**."
    assert "Click **Send**." in (guide_file.parent / "guide.md").read_text(encoding="utf-8")
    sent = {"Content-Type": "application/json", "X-Vsop-Token": token_of(editor)}
    status, _headers, body = request(editor, "POST", "/api/undo", b"{}", sent)
    assert status == 200 and json.loads(body)["can_undo"] is False
    assert guide_file.read_text(encoding="utf-8") == before


def test_vsop_edit_no_browser_prints_the_url_first(tmp_path: Path) -> None:
    guide_file = make_guide(tmp_path / "lib")
    command = [sys.executable, "-m", "generator.cli", "edit", str(guide_file.parent), "--no-browser"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.query.startswith("token=")
        connection = http.client.HTTPConnection(parts.netloc, timeout=10)
        connection.request("GET", f"/?{parts.query}")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Editor stopped" in err


def test_an_invalid_guide_is_refused_before_the_editor_starts(tmp_path: Path) -> None:
    guide_file = make_guide(tmp_path / "lib")
    guide_file.write_text("schema: 1\nid: g\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "edit", str(guide_file), "--no-browser"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "guide.yml" in done.stderr
