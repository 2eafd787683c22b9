"""The corpus of vsop's accuracy benchmark: applications the sample never shows (web pages in ``web/``,
zenity dialogs, a Qt window in ``qtform.py``, a Tk window in ``tkform.py``), scenarios performed in them and
the steps expected (``scenarios``). Recorded by the sample driver; scored by ``bench/corpus.py`` and
``tests/test_corpus.py``."""

from pathlib import Path

WEB_PAGES = Path(__file__).parent / "web"
