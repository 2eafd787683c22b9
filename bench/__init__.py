"""The benchmarks of vsop, run from the repository's root as modules: ``python -m bench.capture``,
``python -m bench.generate``, ``python -m bench.ocr``, ``python -m bench.site`` (``--help`` for each).

As modules of this package they shadow nothing: a script run by its path would put bench/ first on the
import path, where ``capture.py`` hides the capture package and ``site.py`` the standard library's site.
"""
