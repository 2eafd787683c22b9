"""Issue 13, privacy and security: nothing from outside the library is published, exported or copied (symbolic
links, ``..`` and ids that are paths are refused by the one check of generator/guide/paths.py), no script runs
on the built site, `vsop serve` answers only to its loopback names, and a recording keeps no user's path or
shape of a secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator.cli import main
from generator.errors import ExportError, GuideError, PathError
from generator.export.formats import export
from generator.guide.paths import inside, refuse_links
from generator.guide.store import load_guide, save_guide
from generator.library.layout import GUIDE_FILE, Library
from generator.publish.project import write_project
from generator.rerecord.update import update_guide
from tests.sitelib import SETTINGS, VALUESTREAM, add_guide

SECRET = b"root:x:0:0:the secret of another folder\n"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library of one hand-made guide (two steps with images, one full frame each) and, beside the library,
    a secret file and a secret PNG that no command may publish, export or copy."""
    lib = tmp_path / "lib"
    add_guide(lib, "g", "A guide", "inquiry", full_frames=True)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    Image.new("RGB", (40, 30), (1, 2, 3)).save(tmp_path / "secret.png")
    return lib


def files_with(root: Path, data: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and data in p.read_bytes()]


def link(path: Path, target: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to(target)


# The one check --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["../x.png", "/etc/passwd", "images/../../x.png", "", "a\\b.png", "c:x.png"])
def test_a_path_that_leaves_the_folder_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(PathError, match="not a path inside the folder"):
        inside(tmp_path, rel)


def test_a_link_on_the_way_or_at_the_end_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.png").write_bytes(b"a")
    (tmp_path / "images").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "b.png").symlink_to(tmp_path / "real" / "a.png")
    with pytest.raises(PathError, match=r"images: is a symbolic link"):
        inside(tmp_path, "images/a.png")
    with pytest.raises(PathError, match=r"b\.png: is a symbolic link"):
        inside(tmp_path, "real/b.png")
    assert inside(tmp_path, "real/a.png") == tmp_path / "real" / "a.png"
    with pytest.raises(PathError, match="images"):
        refuse_links(tmp_path)


# Build --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("images/s-0.png", "secret.txt"),
        ("images/s-0.png", "secret.png"),
        ("images/s-1-full.png", "secret.txt"),
    ],
)
def test_build_publishes_no_file_a_link_points_to(library: Path, name: str, target: str) -> None:
    """`ln -sf /etc/passwd LIB/guides/G/images/<step>.png; vsop build LIB` (also a PNG, a full frame, and a
    step with blur edits): the guide is left out, naming the link, and nothing of the target is published."""
    folder = library / "guides" / "g"
    link(folder / name, library.parent / target)
    guide = load_guide(folder / GUIDE_FILE)
    guide.steps[0].blur = [(0, 0, 5, 5)]
    save_guide(guide, folder / GUIDE_FILE)
    result = write_project(library, VALUESTREAM, SETTINGS, drafts=True)  # the edit made a draft: shown too
    assert result.guides == 0
    assert [f.path.parent.name for f in result.failures] == ["g"]
    assert "is a symbolic link" in result.failures[0].message and name in result.failures[0].message
    secret = (library.parent / target).read_bytes()
    assert files_with(result.path, secret) == []


def test_build_publishes_no_guide_folder_that_is_a_link(library: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(library / "guides" / "g", outside)
    (library / "guides" / "h").symlink_to(outside)
    result = write_project(library, VALUESTREAM, SETTINGS)
    assert [f.path.parent.name for f in result.failures] == ["h"]
    assert not (result.path / "docs" / "guides" / "h").exists()


def test_vsop_build_exits_1_and_names_the_link(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link(library / "guides" / "g" / "images" / "s-0.png", library.parent / "secret.txt")
    assert main(["build", str(library)]) == 1
    assert "s-0.png: is a symbolic link" in capsys.readouterr().err
    assert files_with(library / "site", SECRET) == []


# Update -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["key.pem", "images/s-0.png", "notes"])
def test_update_refuses_a_guide_folder_with_a_link_and_changes_nothing(
    library: Path, recordings: Path, name: str
) -> None:
    """`vsop update` copied the guide's other files with copytree/copy2: a link to a private key became the
    key, ready to be committed. Now the update is refused, naming the link, before any work."""
    folder = library / "guides" / "g"
    target = library.parent / ("secret.txt" if name != "notes" else "")
    link(folder / name, target)
    before = {p: (p.is_symlink(), p.lstat().st_size) for p in folder.rglob("*")}
    with pytest.raises(PathError, match=f"{name}: is a symbolic link"):
        update_guide(folder / GUIDE_FILE, recordings / "new-lead")
    assert {p: (p.is_symlink(), p.lstat().st_size) for p in folder.rglob("*")} == before
    assert files_with(library, SECRET) == []
    assert sorted(p.name for p in (library / "guides").iterdir()) == ["g"]


# Ids and export -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../../outside/evil", "/tmp/evil", "a/b", "Evil", "..", ""])
def test_an_id_that_is_a_path_is_refused_where_guide_yml_is_read(library: Path, bad: str) -> None:
    guide_file = library / "guides" / "g" / GUIDE_FILE
    text = guide_file.read_text(encoding="utf-8").replace("id: g\n", f"id: {bad!r}\n", 1)
    text = text.replace("- id: s-1\n", f"- id: {bad!r}\n", 1)
    guide_file.write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as raised:
        load_guide(guide_file)
    message = str(raised.value)
    assert f"{GUIDE_FILE}:2: id: expected an id of lower-case letters" in message
    assert "steps[1].id: expected an id" in message


def test_export_of_an_id_that_is_a_path_writes_nothing(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`id: ../../../outside/evil` made `vsop export G --format md` write outside/evil.md three levels up."""
    guide_file = library / "guides" / "g" / GUIDE_FILE
    text = guide_file.read_text(encoding="utf-8")
    guide_file.write_text(text.replace("id: g\n", "id: ../../../outside/evil\n", 1), encoding="utf-8")
    cwd = tmp_path / "a" / "b" / "c"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    before = sorted(tmp_path.rglob("*"))
    assert main(["export", str(library / "guides" / "g"), "--format", "md"]) != 0
    assert "expected an id" in capsys.readouterr().err
    assert sorted(tmp_path.rglob("*")) == before
    with pytest.raises(GuideError, match="not a guide id"):
        Library(library).guide_folder("../../outside")


def test_md_export_keeps_an_images_folder_it_did_not_make(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "g.md"
    mine = tmp_path / "out" / "g-images"
    mine.mkdir(parents=True)
    (mine / "holiday.jpg").write_bytes(b"my own photo")
    with pytest.raises(ExportError, match="not made by vsop export"):
        export(library / "guides" / "g", "md", out)
    assert (mine / "holiday.jpg").read_bytes() == b"my own photo" and not out.exists()
    shutil.rmtree(mine)
    export(library / "guides" / "g", "md", out)
    export(library / "guides" / "g", "md", out)  # its own folder: replaced
    assert sorted(p.name for p in mine.iterdir()) == [".vsop-export", "s-0.png", "s-1.png"]


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_export_refuses_an_image_that_is_a_link(library: Path, tmp_path: Path, fmt: str) -> None:
    link(library / "guides" / "g" / "images" / "s-0.png", library.parent / "secret.png")
    with pytest.raises(ExportError, match="is a symbolic link"):
        export(library / "guides" / "g", fmt, tmp_path / "out")  # type: ignore[arg-type]
    assert files_with(tmp_path, (library.parent / "secret.png").read_bytes()) == [
        library.parent / "secret.png"
    ]


# Script on the site ---------------------------------------------------------------------------------------

PAYLOAD = (
    '<script>alert("s")</script> <img src=x onerror=alert("i")> [j](javascript:alert("j")) '
    '[e](JaVa&#x53;cript&#58;alert("e")) <javascript:alert("a")> '
    "![k](images/s-0.png){ onerror=\"alert('k')\" } "
    '`a<b` \\`<img src=y onerror=alert("b")>`'
)


def hostile_texts(library: Path) -> None:
    """A person's Markdown with script payloads in every place a guide holds one."""
    guide_file = library / "guides" / "g" / GUIDE_FILE
    guide = load_guide(guide_file)
    guide.purpose = f"Purpose {PAYLOAD}"
    guide.prerequisites = [f"Prerequisite {PAYLOAD}", f"Second\n\n    {PAYLOAD}"]
    guide.steps[0].text = f"Text {PAYLOAD}"
    guide.steps[0].note = f"Note {PAYLOAD}\n\n<div onmouseover=alert('d')>block</div>"
    save_guide(guide, guide_file)


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_script_runs_on_the_built_site(library: Path, tmp_path: Path, engine: str) -> None:
    """Raw HTML in purpose, prerequisites, a step's text and a note reached the page as <script>, <img
    onerror> and javascript: links; now it is shown as text and nothing of it runs, in headless Chromium."""
    from generator.publish import build_site
    from tests.conftest import CHROMIUM_FLAGS, chromium_binary, need
    from tests.sitelib import serve_folder

    need(chromium_binary())
    from playwright.sync_api import sync_playwright

    hostile_texts(library)
    # the edits made the guide a draft: the authors' site (--drafts) shows it, and must be as safe
    result = build_site(library, tmp_path / "site", engine, drafts=True)  # type: ignore[arg-type]
    assert result.ok, result.failures
    html = (result.out / "guides" / "g" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html.lower()
    home = (result.out / "index.html").read_text(encoding="utf-8")
    assert 'data-stage="' in home and 'style="width:' in home  # vsop's own HTML is kept whole
    with serve_folder(result.out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which(chromium_binary()), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url + "guides/g/index.html", wait_until="networkidle")
        article = page.locator("article")
        article.hover()
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        handlers = page.eval_on_selector_all(
            "article *",
            "es => es.flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))",
        )
        scripts = page.eval_on_selector_all("article script", "ss => ss.length")
        shown = article.inner_text()
        browser.close()
    assert dialogs == []
    assert [u for u in links if u.lower().startswith(("javascript:", "data:", "vbscript:"))] == []
    assert handlers == [] and scripts == 0
    for text in ('<script>alert("s")</script>', '<img src=x onerror=alert("i")>', "Purpose", "Prerequisite"):
        assert text in shown, text
    assert "a<b" in shown  # a code span keeps its text


@pytest.mark.ocr
def test_a_note_added_from_the_tray_is_text_too(tmp_path: Path, recordings: Path) -> None:
    """A note event (the tray's Add note) becomes the note of a step: its raw HTML is text in guide.md and on
    the page, like a note written in guide.yml."""
    import json

    from generator.pipeline.generate import Options, generate
    from generator.publish.project import write_project
    from tests.conftest import need

    need("tesseract")
    recording = tmp_path / "sign-in"
    shutil.copytree(recordings / "sign-in", recording)
    with (recording / "events.jsonl").open("a", encoding="utf-8") as events:
        events.write(json.dumps({"type": "note", "t": 1.5, "text": f"Tray {PAYLOAD}"}) + "\n")
    lib = tmp_path / "lib"
    folder = generate(recording, lib, Options(title="noted"))
    page = (folder / "guide.md").read_text(encoding="utf-8")
    assert "Tray &lt;script>" in page and "<script>" not in page and "<img src=x" not in page
    docs = write_project(lib, VALUESTREAM, SETTINGS, drafts=True).path / "docs"  # never approved
    assert "Tray &lt;script>" in (docs / "guides" / "noted" / "index.md").read_text(encoding="utf-8")


def test_every_output_gets_the_same_cleaning(library: Path, tmp_path: Path) -> None:
    """guide.md, the md export and the html export carry no raw HTML of a person's and no javascript: link."""
    hostile_texts(library)
    folder = library / "guides" / "g"
    html = export(folder, "html", tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html.lower()
    markdown = export(folder, "md", tmp_path / "g.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<img src=x" not in markdown and "&lt;script>" in markdown
    assert "`a<b`" in markdown


# vsop serve ------------------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, host: str) -> tuple[int, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        connection.close()


def _wait(check: object, timeout: float, what: str) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.2)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_answers_only_to_loopback_names_and_leaves_no_token(
    library: Path, tmp_path: Path, engine: str
) -> None:
    """A page using DNS rebinding sends its own name as Host: it read the guide page with the launcher's
    token. Now it gets 403; and the served project (which holds the token) is gone when serving stops."""
    import signal
    import subprocess
    import sys

    stale = library / ".vsop-cache" / "serve" / "docs" / "guides" / "g" / "index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("[Edit this guide](http://127.0.0.1:1/edit/g?token=stale-token)\n", encoding="utf-8")
    port = _free_port()
    argv = [sys.executable, "-m", "generator.cli", "serve", str(library), "--port", str(port)]
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen([*argv, "--engine", engine], stdout=log, stderr=log, start_new_session=True)
    try:
        page = "/guides/g/index.html"
        _wait(lambda: "token=" in _get(port, page, f"127.0.0.1:{port}")[1], 90, "the served guide page")
        assert "stale-token" not in _get(port, page, f"localhost:{port}")[1]
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.2:{port}", ""):
            status, body = _get(port, page, host)
            assert status == 403 and "token" not in body, host
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    tokens = [p for p in library.rglob("*") if p.is_file() and b"token=" in p.read_bytes()]
    assert tokens == [], tokens


# Recordings: no user's path, a private folder, no shape of a secret ---------------------------------------


@pytest.mark.ocr
def test_guide_yml_names_the_recording_relative_to_the_library(tmp_path: Path, recordings: Path) -> None:
    from generator.pipeline.generate import Options, generate
    from tests.conftest import need

    need("tesseract")
    lib = tmp_path / "lib"
    shutil.copytree(recordings / "sign-in", lib / "recordings" / "sign-in")
    inside_lib = generate(lib / "recordings" / "sign-in", lib, Options(title="inside"))
    outside = generate(recordings / "sign-in", lib, Options(title="outside"))
    assert load_guide(inside_lib / GUIDE_FILE).recorded["recording"] == "recordings/sign-in"
    assert load_guide(outside / GUIDE_FILE).recorded["recording"] == "sign-in"
    for folder in (inside_lib, outside):
        text = (folder / GUIDE_FILE).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and str(recordings) not in text


def test_a_recording_folder_that_existed_empty_becomes_private(tmp_path: Path) -> None:
    from capture.writer import RecordingWriter
    from tests.test_loader import make_meta

    out = tmp_path / "rec"
    out.mkdir(mode=0o755)
    out.chmod(0o755)
    writer = RecordingWriter(out, make_meta())
    writer.open()
    writer.close("2024-05-06T10:01:00+02:00")
    assert out.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("name", "char", "mods", "masked", "pressed", "typing", "told"),
    [
        ("shift", None, frozenset(), False, True, False, True),  # shift of its own: upper case
        (None, None, frozenset(), True, True, False, False),  # the first key of a run is recorded
        (None, None, frozenset(), True, True, True, True),  # the others would count the characters
        ("space", None, frozenset(), True, True, True, True),
        (None, None, frozenset(), True, False, False, True),  # a release
        ("backspace", None, frozenset(), False, True, True, True),  # an edit of the text
        ("backspace", None, frozenset({"ctrl"}), False, True, True, False),
        ("enter", None, frozenset(), False, True, True, False),
        ("ctrl_l", None, frozenset(), False, True, False, False),
    ],
)
def test_no_text_keeps_no_count_space_or_shift(
    name: str | None,
    char: str | None,
    mods: frozenset[str],
    masked: bool,
    pressed: bool,
    typing: bool,
    told: bool,
) -> None:
    from capture.keys import KeyId
    from capture.recorder import _tells_the_text

    assert _tells_the_text(KeyId(name, char), mods, masked, pressed, typing) is told
