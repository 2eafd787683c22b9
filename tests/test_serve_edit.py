"""The "Edit this guide" link of `vsop serve`: on served guide pages only, through the launcher (token, Host
header, guide ids) to the guide's editor, which is started once and closed when serving stops."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.guide.store import load_guide, save_guide
from generator.publish import launcher as launcher_module
from generator.publish import serve
from generator.publish.launcher import Launcher, launching
from generator.publish.project import SERVE_DIR
from tests.sitelib import add_guide
from tests.test_publish import fetch, free_port, wait_for

LINK = re.compile(r'href="(http://127\.0\.0\.1:(\d+)/edit/([a-z0-9-]+)\?token=([\w-]+))"')


def get(port: int, path: str, host: str | None = None) -> tuple[int, dict[str, str], str]:
    """One GET with exactly the Host header given (default ``127.0.0.1:port``), no redirect followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8")
    finally:
        connection.close()


def refuses_connections(port: int) -> bool:
    try:
        get(port, "/")
    except ConnectionRefusedError:
        return True
    return False


def open_page(url: str) -> tuple[int, str, str]:
    """GET ``url`` following redirects: (status, final URL, body)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.geturl(), response.read().decode("utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    add_guide(lib, "fine", "Fine guide", "inquiry")
    add_guide(lib, "other", "Other guide", None)
    return lib


@pytest.fixture
def launcher(library: Path) -> Iterator[Launcher]:
    with launching(library) as running:
        yield running


# The launcher alone -------------------------------------------------------------------------------------


def test_the_link_opens_the_guides_editor_once(launcher: Launcher, library: Path) -> None:
    url = launcher.edit_url("fine")
    assert url is not None
    path = url.removeprefix(f"http://127.0.0.1:{launcher.port}")
    status, headers, _body = get(launcher.port, path)
    assert status == 303
    editor = launcher.editors[(library / "guides" / "fine" / "guide.yml").resolve()]
    assert headers["Location"] == editor.url
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert get(launcher.port, path, host=f"localhost:{launcher.port}")[1]["Location"] == editor.url
    assert len(launcher.editors) == 1  # reused
    status, final, page = open_page(url)
    assert (status, final) == (200, editor.url) and "Fine guide" in page
    other = launcher.edit_url("other")
    assert other is not None and open_page(other)[1] != editor.url
    assert len(launcher.editors) == 2


def test_a_wrong_token_or_a_foreign_host_is_refused(launcher: Launcher) -> None:
    path = f"/edit/fine?token={launcher.token}"
    for wrong in (
        "/edit/fine",
        "/edit/fine?token=",
        "/edit/fine?token=wrong",
        f"/edit/fine?token={'x' * 32}",
    ):
        status, _headers, body = get(launcher.port, wrong)
        assert status == 403 and "token" in body, wrong
    port = launcher.port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1", f"127.0.0.2:{port}", ""):
        status, _headers, body = get(launcher.port, path, host=host)
        assert status == 403 and "Host" in body, host
    assert not launcher.editors


def test_unknown_and_malformed_ids_are_refused(launcher: Launcher, library: Path) -> None:
    (library / "guides" / "empty").mkdir()  # a folder without guide.yml is no guide
    token = f"?token={launcher.token}"
    for path in (
        "/edit/nope",
        "/edit/empty",
        "/edit/Fine",
        "/edit/fine/",
        "/edit/..%2Ffine",
        "/edit/../fine",
    ):
        status, _headers, body = get(launcher.port, path + token)
        assert status == 404 and "no guide" in body, path
    for path in ("/", "/fine", "/edit", "/file/guides/fine/guide.yml"):
        assert get(launcher.port, path + token)[0] == 404, path
    assert launcher.edit_url("Bad_Id") is None and launcher.edit_url("../x") is None
    assert not launcher.editors


def test_an_invalid_guide_is_refused_with_the_reason(launcher: Launcher, library: Path) -> None:
    (library / "guides" / "fine" / "guide.yml").write_text("title: [unclosed\n")
    status, _headers, body = get(launcher.port, f"/edit/fine?token={launcher.token}")
    assert status == 409 and "guide.yml" in body
    assert not launcher.editors


def test_closing_the_launcher_closes_its_editors(library: Path) -> None:
    with launching(library) as running:
        url = running.edit_url("fine")
        assert url is not None
        open_page(url)
        (editor,) = running.editors.values()
        port = running.port
    assert refuses_connections(editor.port) and refuses_connections(port)
    assert not editor.thread.is_alive()


# serve_site ----------------------------------------------------------------------------------------------


class _Engine:
    """Stands in for the engine's server: waits until told to stop, then is interrupted like by Ctrl+C."""

    stop = threading.Event()

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            self.stop.wait(30)
            raise KeyboardInterrupt
        return 0

    def terminate(self) -> None:
        pass


def test_serving_writes_its_own_project_and_closes_the_editors_when_it_stops(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_popen = subprocess.Popen

    def popen(argv: list[str], **kwargs: object) -> object:  # git goes on running for real
        return _Engine() if "serve" in argv else real_popen(argv, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    _Engine.stop.clear()
    started: list[Launcher] = []
    real_launching = launcher_module.launching

    @contextmanager
    def recording(library: Path) -> Iterator[Launcher]:
        with real_launching(library) as running:
            started.append(running)
            yield running

    monkeypatch.setattr(serve, "launching", recording)
    thread = threading.Thread(target=serve.serve_site, args=(library,), kwargs={"port": free_port()})
    thread.start()
    page = library / SERVE_DIR / "docs" / "guides" / "fine" / "index.md"
    wait_for(lambda: page.is_file() and "Edit this guide" in page.read_text(), 30, "the served project")
    assert not (library / ".vsop-cache" / "project").exists()  # vsop build's project is left alone
    match = re.search(r"\((http://127\.0\.0\.1:\d+/edit/fine\?token=[\w-]+)\)", page.read_text())
    assert match is not None
    open_page(match.group(1))
    (running,) = started
    (editor,) = running.editors.values()
    _Engine.stop.set()
    thread.join(30)
    assert not thread.is_alive()
    assert refuses_connections(editor.port) and refuses_connections(running.port)


def test_no_edit_links_when_served_beyond_this_machine() -> None:
    assert serve._is_loopback("127.0.0.1") and serve._is_loopback("localhost") and serve._is_loopback("::1")
    assert not serve._is_loopback("0.0.0.0") and not serve._is_loopback("192.168.1.5")
    assert not serve._is_loopback("example.org")


# vsop serve for real -------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_served_guide_page_links_to_its_editor(library: Path, tmp_path: Path, engine: str) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "generator.cli", "serve", str(library), "--port", str(port)]
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen([*argv, "--engine", engine], stdout=log, stderr=log, start_new_session=True)
    try:
        page_url = f"http://127.0.0.1:{port}/guides/fine/index.html"
        wait_for(lambda: "Fine guide" in (fetch(page_url) or ""), 60, f"{page_url} to be served")
        match = LINK.search(fetch(page_url) or "")
        assert match is not None, "no Edit this guide link on the served page"
        link, launcher_port, guide_id, token = match.groups()
        assert guide_id == "fine" and "Edit this guide" in (fetch(page_url) or "")
        status, editor_url, editor_page = open_page(link)
        assert status == 200 and "Fine guide" in editor_page and editor_url != link
        assert get(int(launcher_port), f"/edit/fine?token={token}x")[0] == 403
        assert get(int(launcher_port), f"/edit/fine?token={token}", host="evil.example")[0] == 403
        assert get(int(launcher_port), f"/edit/nope?token={token}")[0] == 404
        guide_file = library / "guides" / "fine" / "guide.yml"  # an edit shows on the served page
        guide = load_guide(guide_file)
        guide.title = "Edited title"
        save_guide(guide, guide_file)
        wait_for(lambda: "Edited title" in (fetch(page_url) or ""), 60, "the edited title to be served")
        assert LINK.search(fetch(page_url) or "") is not None
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=15) == 0
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    editor_port = urlsplit(editor_url).port
    assert editor_port is not None
    assert refuses_connections(editor_port) and refuses_connections(int(launcher_port))
