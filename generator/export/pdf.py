"""Printing an HTML file to PDF with headless Chromium (found and flagged by ``browser``), the one renderer
that lays out the export like the browser shows it (CSS page size, ``break-inside: avoid``)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from generator.errors import ExportError
from generator.export.browser import chromium_argv, find_chromium

PRINT_FLAGS = ("--no-pdf-header-footer",)


def print_pdf(page: Path, pdf: Path, timeout: float = 120.0) -> None:
    """Print ``page`` (a local HTML file) to ``pdf``; Chromium is killed if it takes over ``timeout`` s."""
    binary = find_chromium("PDF export", " or export --format html and print that from a browser")
    with tempfile.TemporaryDirectory(prefix="vsop-chromium-") as profile:
        printing = (*PRINT_FLAGS, f"--print-to-pdf={pdf}", page.as_uri())
        argv = chromium_argv(binary, Path(profile), *printing, headless=True)
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
        )  # fmt: skip
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise ExportError(
                f"{binary} did not print the PDF within {timeout:.0f} s and was stopped; try again, or "
                "export --format html and print that from a browser"
            ) from None
        finally:
            _kill(proc)  # helpers Chromium started (zygote, crash handler) go with it
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        stderr = err.decode("utf-8", "replace").strip()[-2000:] or "(nothing on stderr)"
        raise ExportError(f"{binary} failed to print the PDF (exit code {proc.returncode}):\n{stderr}")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group of ``proc`` (its own session) and reap ``proc``."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()
    proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()
