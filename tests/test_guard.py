"""The loopback guard alone (the editor's and the launcher's servers are attacked in test_edit_server.py and
test_serve_edit.py): who may talk to a server on 127.0.0.1."""

from __future__ import annotations

from email.message import Message
from http import HTTPStatus

import pytest

from generator.edit.guard import LoopbackGuard, Refusal, refuse_non_json

GUARD = LoopbackGuard.new(8123, "the editor", "open the URL that vsop edit printed")


def headers(**values: str) -> Message:
    message = Message()
    for name, value in values.items():
        message[name.replace("_", "-")] = value
    return message


def test_each_guard_has_its_own_token() -> None:
    other = LoopbackGuard.new(8123, "the editor", "")
    assert other.token != GUARD.token and len(GUARD.token) >= 32


def test_the_token_and_a_loopback_host_admit_a_request() -> None:
    assert GUARD.url("/edit/a") == f"http://127.0.0.1:8123/edit/a?token={GUARD.token}"
    for host in ("127.0.0.1:8123", "localhost:8123"):
        assert GUARD.admit(headers(Host=host), f"/edit/a?token={GUARD.token}") == "/edit/a"
        assert GUARD.admit(headers(Host=host, X_Vsop_Token=GUARD.token), "/api/change") == "/api/change"


@pytest.mark.parametrize(
    "target",
    ["/", "/?token=", "/?token=wrong", f"/?token={'x' * 32}", f"/?tok={GUARD.token}"],
    ids=["none", "empty", "wrong", "another", "misnamed"],  # the same in every xdist worker: no token in them
)
def test_a_missing_or_wrong_token_is_refused(target: str) -> None:
    assert GUARD.admit(headers(Host="127.0.0.1:8123"), target) == Refusal(
        HTTPStatus.FORBIDDEN, "token missing or wrong: open the URL that vsop edit printed"
    )


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8123", "127.0.0.1", "127.0.0.2:8123", ""])
def test_a_host_that_is_not_the_server_is_refused_even_with_the_token(host: str) -> None:
    refusal = GUARD.admit(headers(Host=host), f"/?token={GUARD.token}")
    assert refusal == Refusal(HTTPStatus.FORBIDDEN, f"Host {host!r}: the editor answers only to 127.0.0.1")
    assert isinstance(GUARD.admit(headers(), f"/?token={GUARD.token}"), Refusal)


def test_changes_come_only_from_the_servers_own_origin() -> None:
    page = "the editor's own page"
    assert GUARD.refuse_foreign_origin(headers(), page) is None  # a client that sends no Origin
    assert GUARD.refuse_foreign_origin(headers(Origin="http://127.0.0.1:8123"), page) is None
    assert GUARD.refuse_foreign_origin(headers(Origin="http://localhost:8123"), page) is None
    for origin in ("http://evil.example", "http://127.0.0.1:9999", "null"):
        refusal = GUARD.refuse_foreign_origin(headers(Origin=origin), page)
        assert refusal is not None and refusal.status == HTTPStatus.FORBIDDEN and origin in refusal.message


def test_a_change_must_be_declared_json() -> None:
    assert refuse_non_json(headers(Content_Type="application/json; charset=utf-8")) is None
    for sent in (headers(), headers(Content_Type="text/plain"), headers(Content_Type="multipart/form-data")):
        refusal = refuse_non_json(sent)
        assert refusal is not None and refusal.status == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
