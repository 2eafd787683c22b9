"""A library on disk: its layout (``guides/<id>/``, the cache), a new library (``scaffold``), and the
operations that change a guide folder in place: its stage (``stage``), its review date (``review``)."""
