"""The value stream of a library: ``valuestream.yml`` and ``vsop.yml`` read and validated (``store``, with the
built-in defaults in ``data/``), and the automatic link of a recording to a stage (``match``)."""
