"""The sample of vsop: Acme CRM (static pages in ``acme/``), scenarios performed in it and in mousepad,
the driver that performs them with real X input while ``vsop record`` runs, and one real recording of each
scenario (``recordings/``, shipped in the package). ``xsession`` holds the X session helpers (display,
xdotool, the recorder in a subprocess) that the driver, the tests and the benchmarks share.

Used by the tests, to make the recorded fixtures, and by ``vsop demo``."""

from pathlib import Path

RECORDINGS = Path(__file__).parent / "recordings"
"""One real recording per sample scenario: ``RECORDINGS / scenario.id``."""
