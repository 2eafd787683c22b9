"""Perform a sample scenario for real and record it with ``vsop record``.

Chromium runs the Acme CRM pages in app mode; mousepad is a real GTK editor. Elements are located through the
DevTools protocol (a CSS selector's box in the page) or by OCR (menus, dialogs, a select's open list), and
every input is real X input from xdotool: the recorder sees exactly what it would see of a person.

``python -m generator.sample.driver --record-fixtures generator/sample/recordings`` re-records the
recordings shipped in the package (``vsop demo --live`` records the same into a library).
``... --record-long tests/fixtures/recordings/long-session`` records the Chromium scenarios one after another
in one 1920x1080 recording, the long recording of ``bench/generate.py``.

The display, X input, waiting and ``vsop record`` in a subprocess come from ``generator.sample.xsession``
(shared with the tests and the benchmarks). The modules, from the bottom up: ``errors``; ``screen_text``
(OCR); ``websocket`` and ``devtools``; ``chromium_launch``, ``page_scripts`` and ``chromium``;
``desktop_app`` (what the next two share); ``mousepad``; ``program`` (any program a scenario starts: the
corpus's zenity dialogs and Qt window); ``apps`` (the interface of all three); ``perform``; ``completeness``
(what a recording, finished or still being written, holds of its scenario); ``long_session``; ``recording``;
``cli``.
"""

from generator.sample.driver.apps import AppSession, session
from generator.sample.driver.chromium import Chromium
from generator.sample.driver.chromium_launch import ACME, page_url
from generator.sample.driver.cli import main
from generator.sample.driver.completeness import presses, problems, typed, wait_written, window_titles
from generator.sample.driver.devtools import DevTools
from generator.sample.driver.errors import DevToolsError, DriverError
from generator.sample.driver.long_session import TOPBAR, session_scenario
from generator.sample.driver.mousepad import Mousepad
from generator.sample.driver.perform import perform
from generator.sample.driver.recording import record_fixtures, record_scenario, record_session, store
from generator.sample.driver.screen_text import TextLine, click_text, locate_text, read_lines

__all__ = [
    "ACME",
    "TOPBAR",
    "AppSession",
    "Chromium",
    "DevTools",
    "DevToolsError",
    "DriverError",
    "Mousepad",
    "TextLine",
    "click_text",
    "locate_text",
    "main",
    "page_url",
    "perform",
    "presses",
    "problems",
    "read_lines",
    "record_fixtures",
    "record_scenario",
    "record_session",
    "session",
    "session_scenario",
    "store",
    "typed",
    "wait_written",
    "window_titles",
]
