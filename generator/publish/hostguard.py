"""The port ``vsop serve`` gives out on a loopback address: a small TCP relay in front of the engine's own
live-reloading server (MkDocs or Zensical, which answer any Host), so that only requests naming the server by
a loopback name reach it.

A page of another site whose DNS name is rebound to 127.0.0.1 reaches the port, but its browser sends that
site's name as ``Host``; the relay answers it 403 (the check of generator/edit/guard.py) and the page reads
nothing: no guide, and no "Edit this guide" link with the launcher's token. A browser keeps a connection to
one host name, so the first request of a connection decides for all of it; the rest is relayed as bytes, the
engine's live reload included.

The engine's server itself, which would answer anyone, listens on a random address of 127.0.0.0/8 (where the
system has them all, as Linux and Windows do) at a random port, which vsop does not print: a rebound page
would have to guess one of 2^40 places, instead of scanning 65,535 ports of 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.parser import BytesHeaderParser

from generator.edit.guard import loopback_hosts, refuse_foreign_host
from generator.errors import SiteError

HEAD_LIMIT = 64 * 1024  # a request head longer than this is refused
HEAD_TIMEOUT_S = 10.0
ENGINE_START_S = 60.0  # how long a first request waits for the engine's server to listen
_CHUNK = 64 * 1024


def engine_address() -> tuple[str, int]:
    """A free place for the engine's server behind the relay: a random 127.x.y.z and port, or a random port
    of 127.0.0.1 where the system has no other loopback address (macOS)."""
    for address in (".".join(["127", *(str(b) for b in secrets.token_bytes(3))]), "127.0.0.1"):
        with socket.socket() as probe:
            try:
                probe.bind((address, 0))
            except OSError:
                continue  # not a local address here
            return address, int(probe.getsockname()[1])
    raise SiteError("127.0.0.1: no free port for the site's engine")


@contextmanager
def guarding(host: str, port: int, engine: tuple[str, int]) -> Iterator[None]:
    """Listen on ``host:port`` and relay requests naming it by a loopback name to the engine's server at
    ``engine`` until the block ends; a port in use is a SiteError that says what to do."""
    try:
        server = _Relay((host, port), engine, loopback_hosts(port, host))
    except OSError as exc:
        raise SiteError(
            f"{host}:{port}: cannot listen ({exc.strerror or exc}); is another vsop serve running? Stop it, "
            "or choose another --port"
        ) from None
    thread = threading.Thread(target=server.serve_forever, name="vsop-serve-guard", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], engine: tuple[str, int], hosts: frozenset[str]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Connection)
        self.engine = engine
        self.hosts = hosts


class _Connection(socketserver.BaseRequestHandler):
    server: _Relay
    request: socket.socket

    def handle(self) -> None:
        head = _read_head(self.request)
        if head is None:
            return
        host = BytesHeaderParser().parsebytes(head.partition(b"\r\n")[2]).get("Host") or ""
        refusal = refuse_foreign_host(host, self.server.hosts, "vsop serve")
        if refusal is not None:
            body = (refusal.message + "\n").encode("utf-8")
            self.request.sendall(
                f"HTTP/1.1 {refusal.status.value} {refusal.status.phrase}\r\nContent-Type: text/plain; "
                f"charset=utf-8\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            return
        engine = _connect(self.server.engine)
        if engine is None:
            body = b"the site's engine did not start; see the terminal of vsop serve\n"
            self.request.sendall(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
            )
            return
        with engine:
            engine.sendall(head)
            back = threading.Thread(target=_pump, args=(engine, self.request), daemon=True)
            back.start()
            _pump(self.request, engine)
            back.join()


def _read_head(client: socket.socket) -> bytes | None:
    """The request head (and whatever came with it), or None when the client sent no whole head in time."""
    client.settimeout(HEAD_TIMEOUT_S)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = client.recv(_CHUNK)
            if not chunk or len(data) > HEAD_LIMIT:
                return None
            data += chunk
    except OSError:
        return None
    client.settimeout(None)
    return data


def _connect(engine: tuple[str, int]) -> socket.socket | None:
    """A connection to the engine's server, waiting while it starts (None when it never listens)."""
    deadline = time.monotonic() + ENGINE_START_S
    while True:
        try:
            return socket.create_connection(engine, timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.1)


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copy ``source`` to ``target`` until either closes; then end both directions."""
    try:
        source.settimeout(None)
        while chunk := source.recv(_CHUNK):
            target.sendall(chunk)
    except OSError:
        pass  # the other side closed: the relay of this connection is over
    finally:
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
