"""Who may talk to a vsop server on 127.0.0.1: the editor's (generator/edit/server.py) and the launcher of its
"Edit this guide" links (generator/publish/launcher.py).

Listening on the loopback address keeps other machines out, not other pages of the person's own browser. So a
request is answered only when it carries the server's random per-session token (``?token=`` or the
``X-Vsop-Token`` header) and names the server by its loopback address in ``Host`` (``127.0.0.1:PORT`` or
``localhost:PORT``: a page on another site that rebinds its DNS name to 127.0.0.1 sends its own name and is
refused). A change must also come from the server's own origin, as ``application/json`` (which a form on
another site cannot send without a CORS preflight, and no CORS header is ever sent). Each answer carries
headers that keep it out of other pages, caches and referrers.
"""

from __future__ import annotations

import hmac
import http.server
import secrets
import threading
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Vsop-Token"
# Sent with every answer besides its own Content-Security-Policy.
SAFE_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is not answered: the status to send and a message that says how to get it right."""

    status: HTTPStatus
    message: str


@dataclass(frozen=True, slots=True)
class LoopbackGuard:
    """The token and the names of one server listening on ``127.0.0.1:port``.

    ``who`` names the server in a refusal ("the editor"); ``hint`` says where the right token is found
    ("open the URL that vsop edit printed").
    """

    port: int
    token: str
    who: str
    hint: str

    @classmethod
    def new(cls, port: int, who: str, hint: str) -> LoopbackGuard:
        """A guard with a fresh random token for the server bound to ``port``."""
        return cls(port, secrets.token_urlsafe(24), who, hint)

    @property
    def hosts(self) -> frozenset[str]:
        """The Host headers (and Origin authorities) that name this server."""
        return loopback_hosts(self.port)

    def url(self, path: str) -> str:
        """The address of ``path`` on this server, with the token."""
        return f"http://{HOST}:{self.port}{path}?token={self.token}"

    def admit(self, headers: Message, target: str) -> str | Refusal:
        """The path of a request for ``target`` (its request line's path and query) when its Host names this
        server and it carries the token; otherwise a 403 refusal."""
        foreign = refuse_foreign_host(headers.get("Host") or "", self.hosts, self.who)
        if foreign is not None:
            return foreign
        url = urlsplit(target)
        given = headers.get(TOKEN_HEADER) or next(iter(parse_qs(url.query).get("token", [])), "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return Refusal(HTTPStatus.FORBIDDEN, f"token missing or wrong: {self.hint}")
        return url.path

    def refuse_foreign_origin(self, headers: Message, what: str) -> Refusal | None:
        """A 403 refusal when the request names an ``Origin`` other than this server; ``what`` is the page
        a change must come from."""
        origin = headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc not in self.hosts:
            return Refusal(HTTPStatus.FORBIDDEN, f"Origin {origin}: changes come only from {what}")
        return None


def loopback_hosts(port: int, host: str = HOST) -> frozenset[str]:
    """The Host headers (and Origin authorities) that name a server listening on the loopback ``host``:
    ``127.0.0.1:port`` and ``localhost:port``, and ``host:port`` itself (``[::1]:port`` for ``::1``)."""
    own = f"[{host}]" if ":" in host else host
    return frozenset({f"{HOST}:{port}", f"localhost:{port}", f"{own}:{port}"})


def refuse_foreign_host(host: str, hosts: frozenset[str], who: str) -> Refusal | None:
    """A 403 refusal when the ``Host`` header ``host`` is not one of ``hosts`` (a page of another site whose
    DNS name was rebound to 127.0.0.1 sends its own name)."""
    if host in hosts:
        return None
    return Refusal(HTTPStatus.FORBIDDEN, f"Host {host!r}: {who} answers only to {HOST}")


def refuse_non_json(headers: Message) -> Refusal | None:
    """A 415 refusal when a body is not declared ``application/json``."""
    if (headers.get("Content-Type") or "").startswith("application/json"):
        return None
    return Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "expected a JSON body (Content-Type: application/json)")


class LoopbackServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server on ``127.0.0.1:port`` (0: a free one) with the guard of the port it got."""

    daemon_threads = True

    def __init__(
        self, port: int, handler: type[http.server.BaseHTTPRequestHandler], who: str, hint: str
    ) -> None:
        super().__init__((HOST, port), handler)
        self.guard = LoopbackGuard.new(int(self.server_address[1]), who, hint)

    def serve_in_thread(self, name: str) -> threading.Thread:
        """Serve from a daemon thread named ``name``, returned for :meth:`stop`."""
        thread = threading.Thread(target=self.serve_forever, name=name, daemon=True)
        thread.start()
        return thread

    def stop(self, thread: threading.Thread) -> None:
        """Stop serving, close the socket and wait for ``thread`` (from :meth:`serve_in_thread`)."""
        self.shutdown()
        self.server_close()
        thread.join()
