"""``vsop serve``: build the project, run the engine's own live-reloading server on it, and re-render the
guides into the project whenever the library changes (watchdog), so the browser reloads with the change.

Served on a loopback address, each guide page has an "Edit this guide" link to the launcher
(generator/publish/launcher.py), which starts that guide's editor; an edit saved there is rendered and
reloaded like any other change. The served project has its own folder (``LIB/.vsop-cache/serve``), so
``vsop build`` and ``vsop serve`` do not render each other's pages again; it is removed when serving stops.
On a loopback address, the port is vsop's own (generator/publish/hostguard.py): it answers only requests that
name it by a loopback name, and relays them to the engine's server."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from capture.errors import VsopError
from generator.errors import SiteError
from generator.library.layout import CACHE_DIR, GUIDES_DIR
from generator.library.scan import Failure
from generator.publish.engine import Engine, engine_command, engine_env
from generator.publish.hostguard import engine_address, guarding
from generator.publish.interrupts import Interrupts, interrupted_by_signals
from generator.publish.launcher import launching
from generator.publish.project import CONFIG, SERVE_DIR, EditUrl, write_project

QUIET_S = 0.3  # changes closer together than this are rendered once
STOP_S = 10.0  # how long the engine's server is given to stop before it is killed
Say = Callable[[str], None]


def serve_site(library: Path, host: str = "127.0.0.1", port: int = 8000, engine: Engine = "mkdocs") -> None:
    """Serve the SOP site of ``library`` on http://host:port/ with live reload until interrupted (Ctrl+C or
    SIGTERM, at any moment: generator/publish/interrupts.py), after which the engine's server is stopped and
    the served project removed; raises :class:`SiteError` when the engine's server stops by itself."""
    try:
        with interrupted_by_signals() as interrupts:
            code = _serve(library, host, port, engine, interrupts)
    except KeyboardInterrupt:
        return
    if code != 0:
        raise SiteError(f"{engine} serve stopped with exit status {code} (is port {port} free?)")


def _serve(library: Path, host: str, port: int, engine: Engine, interrupts: Interrupts) -> int:
    """Serve until the engine's server stops (its exit status is returned) or a KeyboardInterrupt; cleans
    up either way."""
    say: Say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    project = library / SERVE_DIR
    loopback = _is_loopback(host)
    inner = engine_address() if loopback else (host, port)  # behind the Host check (hostguard.py)
    argv = [*engine_command(engine, "serve"), "-f", str(project / CONFIG), "-a", "{}:{}".format(*inner)]
    with ExitStack() as stack:
        _forget_tokens(project)  # a killed serve left its launcher's token in the pages
        stack.callback(_forget_tokens, project)
        if loopback:
            stack.enter_context(guarding(host, port, inner))
            say(f"vsop: serving the site on http://{_url_host(host)}:{port}/ (Ctrl+C to stop)")
        else:
            _refuse_busy(host, port)  # before the engine, whose own failure is a 30-line traceback
        edit_url = stack.enter_context(launching(library)).edit_url if loopback else None
        render = _renderer(library, say, edit_url)
        render()
        stack.enter_context(_watching(library, render))
        with interrupts.held():  # the engine's process, once started, is always stopped
            server = subprocess.Popen(argv, env=engine_env())
            stack.callback(_stop, server)
        return server.wait()


def _refuse_busy(host: str, port: int) -> None:
    """SiteError when ``host:port`` cannot be listened on (in use, or not an address of this machine)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the engine's server does
            probe.bind(address)
    except OSError as exc:
        raise SiteError(
            f"{host}:{port}: cannot listen ({exc.strerror or exc}); is another server using the port? Stop "
            "it, or choose another --port"
        ) from None


def _forget_tokens(project: Path) -> None:
    """Remove the served project: its guide pages hold the "Edit this guide" links with the launcher's token
    (useless once the launcher stops, but not to be left lying in the library); the next serve, which has a
    new token, renders every guide page again anyway."""
    shutil.rmtree(project, ignore_errors=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _is_loopback(host: str) -> bool:
    """Whether only this machine reaches ``host``: the Edit links lead to 127.0.0.1, so the pages served to
    other machines have none (their token would be of no use there)."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _renderer(library: Path, say: Say, edit_url: EditUrl | None) -> Callable[[], None]:
    """Write the project again from the library as it is now; problems are said, serving goes on."""

    def render() -> None:
        from generator.valuestream.store import load_settings, load_valuestream

        try:
            vs, settings = load_valuestream(library), load_settings(library)
            result = write_project(
                library, vs, settings, folder=library / SERVE_DIR, edit_url=edit_url, drafts=True
            )
        except VsopError as exc:
            say(f"vsop: error: {exc}")
            return
        _say_failures(result.failures, say)
        if result.rendered:
            say(f"vsop: rendered {len(result.rendered)} page(s): {', '.join(result.rendered[:5])}")

    return render


def _say_failures(failures: tuple[Failure, ...], say: Say) -> None:
    for failure in failures:
        say(f"vsop: left out of the site: {failure.message}")


class _Changes(FileSystemEventHandler):
    """Notes changes to guides, valuestream.yml and vsop.yml; vsop's own cache and output are ignored."""

    def __init__(self, library: Path, changed: threading.Event) -> None:
        self.ignored = tuple(str(library.resolve() / p) for p in (CACHE_DIR, "site"))
        self.changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in paths:
            path = raw.decode() if isinstance(raw, bytes) else raw
            if path and not path.startswith(self.ignored) and event.event_type != "opened":
                self.changed.set()


@contextmanager
def _watching(library: Path, render: Callable[[], None]) -> Iterator[None]:
    changed, stop = threading.Event(), threading.Event()

    def loop() -> None:
        while not stop.is_set():
            if not changed.wait(0.5):
                continue
            while changed.is_set():  # wait until the writer is done
                changed.clear()
                stop.wait(QUIET_S)
            if not stop.is_set():
                render()

    handler = _Changes(library, changed)
    guides = library / GUIDES_DIR
    guides.mkdir(exist_ok=True)
    observer = Observer()
    observer.schedule(handler, str(library.resolve()), recursive=False)  # valuestream.yml, vsop.yml
    observer.schedule(handler, str(guides.resolve()), recursive=True)
    observer.start()
    worker = threading.Thread(target=loop, name="vsop-serve-render", daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        changed.set()  # wakes the loop, which sees ``stop``
        observer.stop()
        observer.join()
        worker.join()


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the engine's server (which a Ctrl+C in a terminal may have stopped already), killed if it must."""
    server.terminate()
    try:
        server.wait(timeout=STOP_S)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
