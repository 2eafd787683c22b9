"""Every command over the bad-input corpus (tests/badinput/): each run in a process of its own, with a memory
ceiling, must end within 30 s and under 500 MB, without a traceback, with a message that names the file (and
its line where a line is to blame), non-zero unless the input is one vsop tolerates and says so, and with
every file that was there before byte for byte as it was."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.badinput.corpus import BUILD, CASES, EXPORT_HTML, GENERATE, STATUS, Case, make_library
from tests.conftest import missing_tool, need

LIMIT_S = 30.0
PEAK_MB = 500
CEILING = 3 << 30  # address space of a run: a bomb fails there rather than take the machine
DERIVED = {".vsop-cache", "site"}  # what vsop may make again at any time

# The child: a memory ceiling, vsop's own main(), and its peak memory (its own and its children's) reported.
RUNNER = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(os.environ["VSOP_TEST_CEILING"]),) * 2)
from generator.cli import main
try:
    code = main(sys.argv[1:])
finally:
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    with open(os.environ["VSOP_TEST_PEAK"], "w") as fh:
        fh.write(str(peak))
sys.exit(code)
"""


@dataclass(frozen=True, slots=True)
class Run:
    argv: tuple[str, ...]
    code: int | None  # None: killed after LIMIT_S
    err: str
    seconds: float
    peak_mb: float


class Runner:
    """``vsop`` commands run by tests/badinput/forkserver.py: each in a process of its own, forked from one
    that imported vsop once (the corpus would spend most of its time importing otherwise)."""

    def __init__(self, home: Path) -> None:
        env = {**_env(home), "PYTHONPATH": str(Path(__file__).parent.parent)}
        self.server = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "badinput" / "forkserver.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def __call__(self, argv: Sequence[str], cwd: Path) -> Run:
        assert self.server.stdin is not None and self.server.stdout is not None
        request = {"argv": list(argv), "cwd": str(cwd), "limit_s": LIMIT_S, "ceiling": CEILING}
        self.server.stdin.write(json.dumps(request) + "\n")
        self.server.stdin.flush()
        answer = json.loads(self.server.stdout.readline())
        return Run(tuple(argv), answer["code"], answer["err"], answer["seconds"], answer["peak_kb"] / 1024)

    def close(self) -> None:
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.close()
        self.server.wait(10)
        self.server.stdout.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    runner = Runner(tmp_path_factory.mktemp("home"))
    yield runner
    runner.close()


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env.pop("DISPLAY", None)
    return env


def run_wrapped(argv: Sequence[str], cwd: Path, wrap: Sequence[str]) -> Run:
    """``vsop argv`` started by ``wrap`` (a namespace of its own), in a process group killed after
    ``LIMIT_S``."""
    peak = cwd / "peak"
    env = {**_env(cwd / "home"), "VSOP_TEST_CEILING": str(CEILING), "VSOP_TEST_PEAK": str(peak)}
    started = time.monotonic()
    with subprocess.Popen(
        [*wrap, sys.executable, "-c", RUNNER, *argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            _out, err = proc.communicate(timeout=LIMIT_S)
            code: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _out, err = proc.communicate()
            code = None
    kb = int(peak.read_text()) if peak.exists() else 0
    return Run(tuple(argv), code, err, time.monotonic() - started, kb / 1024)


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file, link and FIFO under ``roots`` (not the derived folders) with its content or target."""
    found: dict[str, str] = {}
    for root in roots:
        for path in _walk(root):
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[str(path)] = f"link {os.readlink(path)}"
            elif stat.S_ISREG(mode):
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[str(path)] = f"mode {stat.S_IFMT(mode):o}"
    return found


def _walk(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.iterdir()):
        if path.name in DERIVED and path.parent == root:
            continue
        yield path
        if path.is_dir() and not path.is_symlink():
            yield from _walk(path)


def judge(case: Case, result: Run, before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What ``result`` did wrong, as lines for the failure report."""
    name = " ".join(result.argv)
    problems = []
    if result.code is None:
        problems.append(f"{name}: still running after {LIMIT_S:.0f} s (killed)")
    if "Traceback" in result.err:
        problems.append(f"{name}: traceback in stderr:\n{result.err[-3000:]}")
    if result.code == 0 and not case.tolerated:
        problems.append(f"{name}: exit 0 on a bad input; stderr: {result.err[-500:]!r}")
    pattern = re.escape(case.names) + (r":\d+" if case.line else "")
    if result.code is not None and not re.search(pattern, result.err):
        problems.append(f"{name}: stderr does not name {pattern!r}: {result.err[-1500:]!r}")
    if result.peak_mb > PEAK_MB:
        problems.append(f"{name}: peak memory {result.peak_mb:.0f} MB")
    changed = [p for p, v in before.items() if after.get(p) != v]
    if changed:
        problems.append(f"{name}: changed or removed {changed[:5]}")
    return problems


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory, recordings: Path, run: Runner) -> Path:
    """The OCR cache of the sample recording, read once: each case's generate then takes seconds."""
    need("tesseract")
    lib = tmp_path_factory.mktemp("warm") / "lib"
    make_library(lib)
    result = run(["generate", str(recordings / "sign-in"), "--library", str(lib)], lib.parent)
    assert result.code == 0, result.err
    return lib / ".vsop-cache"


def setup(tmp_path: Path, recordings: Path, cache: Path) -> tuple[Path, Path, Path]:
    lib, rec, out = tmp_path / "lib", tmp_path / "rec", tmp_path / "out"
    make_library(lib)
    shutil.copytree(cache, lib / ".vsop-cache")
    shutil.copytree(recordings / "sign-in", rec)
    out.mkdir()
    return lib, rec, out


def argv(command: Sequence[str], lib: Path, rec: Path, out: Path) -> list[str]:
    return [a.replace("LIB", str(lib)).replace("REC", str(rec)).replace("OUT", str(out)) for a in command]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(
    case: Case, tmp_path: Path, recordings: Path, warm_cache: Path, run: Runner
) -> None:
    lib, rec, out = setup(tmp_path, recordings, warm_cache)
    case.make(lib, rec)
    problems: list[str] = []
    for command in case.commands:
        before = snapshot(lib, rec)
        result = run(argv(command, lib, rec, out), tmp_path)
        problems += judge(case, result, before, snapshot(lib, rec))
    assert not problems, "\n".join(problems)


def test_the_valid_library_passes(tmp_path: Path, recordings: Path, warm_cache: Path, run: Runner) -> None:
    """The control: the library every case starts from is valid, so each refusal above is the input's."""
    lib, rec, out = setup(tmp_path, recordings, warm_cache)
    for command in (STATUS, BUILD, EXPORT_HTML):
        result = run(argv(command, lib, rec, out), tmp_path)
        assert result.code == 0, result.err
        assert result.peak_mb < PEAK_MB


# A library the file system refuses to write -----------------------------------------------------------


WRITING = (
    ("build", "LIB", "--out", "LIB/site2"),
    ("review", "g", "--library", "LIB", "--date", "2026-06-01"),
    ("stage", "g", "customer-inquiry", "--library", "LIB"),
    ("export", "g", "--library", "LIB", "--format", "md", "--out", "LIB/g.md"),
    GENERATE,
    ("update", "g", "REC", "--library", "LIB", "--force"),
)


def namespace(script: str, after: str = "") -> list[str]:
    """A command run as root of a user and mount namespace of its own, after ``script`` (sh) prepared its
    mounts, and followed by ``after``; skipped where the kernel allows no user namespace."""
    need("unshare", "mount")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        missing_tool(f"no user namespaces here ({probe.stderr.decode().strip()})")
    return ["unshare", "-rm", "sh", "-c", f'{script} || exit 99; "$@"; code=$?; {after}exit $code', "sh"]


@pytest.mark.parametrize("command", WRITING, ids=[f"{c[0]}-{i}" for i, c in enumerate(WRITING)])
def test_read_only_library_is_a_message(
    command: tuple[str, ...], tmp_path: Path, recordings: Path, warm_cache: Path
) -> None:
    lib, rec, out = setup(tmp_path, recordings, warm_cache)
    wrap = namespace(f"mount --bind {lib} {lib} && mount -o remount,bind,ro {lib} {lib}")
    result = run_wrapped(argv(command, lib, rec, out), tmp_path, wrap)
    assert result.code not in (0, 99, None), result
    assert "Traceback" not in result.err, result.err
    assert "read-only" in result.err.lower() and str(lib) in result.err, result.err


@pytest.mark.parametrize("command", WRITING, ids=[f"{c[0]}-{i}" for i, c in enumerate(WRITING)])
def test_full_disk_is_a_message_and_changes_nothing(
    command: tuple[str, ...], tmp_path: Path, recordings: Path, warm_cache: Path
) -> None:
    source, rec, out = setup(tmp_path, recordings, warm_cache)
    disk, kept = tmp_path / "disk", tmp_path / "kept"
    disk.mkdir()
    lib = disk / "lib"
    fill = (
        f"mount -t tmpfs -o size=8m tmpfs {disk} && cp -a {source} {lib} && "
        f"(dd if=/dev/zero of={disk}/fill bs=4k 2>/dev/null; true)"
    )
    result = run_wrapped(argv(command, lib, rec, out), tmp_path, namespace(fill, f"cp -a {lib} {kept}; "))
    assert result.code not in (0, 99, None), result
    assert "Traceback" not in result.err, result.err
    assert "no space left" in result.err.lower() and str(lib) in result.err, result.err
    before = {p.removeprefix(str(source)): v for p, v in snapshot(source).items()}
    after = {p.removeprefix(str(kept)): v for p, v in snapshot(kept).items()}
    assert {p: v for p, v in before.items() if after.get(p) != v} == {}
    assert [p for p in after if ".tmp" in p] == []


def test_the_editor_of_a_read_only_guide_answers(tmp_path: Path, recordings: Path, warm_cache: Path) -> None:
    """A save the file system refuses gets an HTTP answer with the reason, not a dropped connection."""
    lib, _rec, _out = setup(tmp_path, recordings, warm_cache)
    before = snapshot(lib)
    wrap = namespace(f"mount --bind {lib} {lib} && mount -o remount,bind,ro {lib} {lib}")
    argv = [*wrap, sys.executable, "-c", RUNNER, "edit", "g", "--library", str(lib), "--no-browser"]
    env = {
        **_env(tmp_path / "home"),
        "VSOP_TEST_CEILING": str(CEILING),
        "VSOP_TEST_PEAK": str(tmp_path / "p"),
    }
    with subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as proc:
        try:
            assert proc.stdout is not None
            url = urlsplit(proc.stdout.readline().strip())
            assert url.port is not None, proc.stderr.read() if proc.stderr else ""
            body = json.dumps({"op": "text", "step": "s-1", "text": "Type `Acme`."}).encode()
            connection = http.client.HTTPConnection("127.0.0.1", url.port, timeout=20)
            connection.request(
                "POST",
                "/api/change",
                body,
                {
                    "Content-Type": "application/json",
                    "X-Vsop-Token": parse_qs(url.query)["token"][0],
                    "Host": f"127.0.0.1:{url.port}",
                },
            )
            response = connection.getresponse()
            answer = json.loads(response.read())
            connection.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            _out, err = proc.communicate(timeout=LIMIT_S)
    assert response.status >= 400 and "read-only" in answer["error"].lower(), (response.status, answer)
    assert "Traceback" not in err
    assert snapshot(lib) == before


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path, host: str) -> None:
    make_library(tmp_path / "lib")
    with socket.socket() as busy:
        busy.bind((host, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_wrapped(
            ["serve", str(tmp_path / "lib"), "--host", host, "--port", str(port)], tmp_path, ()
        )
    assert result.code not in (0, None) and "Traceback" not in result.err
    assert f"{host}:{port}: cannot listen" in result.err and len(result.err.strip().splitlines()) <= 3, (
        result.err
    )
