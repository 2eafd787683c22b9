"""Chromium found and started headless: the binary, the flags.

The PDF export prints with it; the sample driver and the tests start it too (in a window on a virtual display,
or headless), from here, so that every Chromium vsop starts is found, and quietened, the same way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from capture.errors import BackendUnavailableError

BINARIES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--no-sandbox",  # Chromium will not start as root without it; containers lack what its sandbox needs
    "--test-type",  # no "unsupported command-line flag: --no-sandbox" bar over the page
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-features=Translate",
    "--password-store=basic",  # no keyring prompt on a desktop without one
)
ACCESSIBLE = "--force-renderer-accessibility"  # expose the page's tree over AT-SPI / UI Automation


def find_chromium(needed_for: str = "vsop", instead: str = "") -> str:
    """The path of the first Chromium on PATH, or an error saying how to install one (``instead``: what the
    person can do without it, e.g. " or export --format html")."""
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    raise BackendUnavailableError(
        f"{needed_for} needs Chromium, but none of {', '.join(BINARIES)} is on PATH: install it "
        f"(Debian/Ubuntu: apt-get install chromium){instead}"
    )


def chromium_argv(
    binary: str, profile: Path, *extra: str, headless: bool = False, accessible: bool = False
) -> list[str]:
    """The command line of a Chromium with its own ``profile`` folder (so it shares nothing with a person's
    browser): ``FLAGS``, then ``extra`` (a window's place, the page to open, what to print). ``accessible``:
    for a Chromium that is recorded, its accessibility tree on from the start (Chromium reads the
    accessibility bus's enabled status only when it starts)."""
    mode = ["--headless"] if headless else []
    tree = [ACCESSIBLE] if accessible else []
    return [binary, *mode, *FLAGS, *tree, f"--user-data-dir={profile}", *extra]
