"""Runs ``vsop`` commands for tests/test_badinput.py, each in a process of its own, forked from this one once
vsop is imported (a fresh interpreter per command would spend most of the corpus's time importing).

Reads one JSON request per line on stdin: ``{"argv": [...], "cwd": "...", "limit_s": 30, "ceiling": bytes}``;
answers one JSON line: ``{"code": int or null (killed at the time limit), "err": stderr, "seconds": float,
"peak_kb": the child's peak resident memory, its children's included}``. Run as a script, not imported."""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time

import click

from generator.cli import cli, main

for _name in cli.list_commands(click.Context(cli)):  # the group imports a command when it runs: all now
    cli.get_command(click.Context(cli), _name)


def _child(argv: list[str], cwd: str, ceiling: int, err_fd: int) -> None:
    os.setsid()
    os.chdir(cwd)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(err_fd, 2)
    code = 70
    try:
        code = main(argv)
    except BaseException:  # the traceback is the finding: written where the test reads it
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve(request: dict[str, object]) -> dict[str, object]:
    argv = [str(a) for a in request["argv"]]  # type: ignore[attr-defined]
    limit = float(request.get("limit_s", 30))  # type: ignore[arg-type]
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(argv, str(request["cwd"]), int(request["ceiling"]), err.fileno())  # type: ignore[call-overload]
        code: int | None = None
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - started > limit:
                os.killpg(pid, signal.SIGKILL)
                _done, _status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.02)
        seconds = time.monotonic() - started
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return {"code": code, "err": text, "seconds": seconds, "peak_kb": usage.ru_maxrss}


if __name__ == "__main__":
    for line in sys.stdin:
        print(json.dumps(_serve(json.loads(line))), flush=True)
