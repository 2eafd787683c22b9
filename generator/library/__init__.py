"""A library on disk: its layout (``layout``: ``guides/<id>/``, the cache, writing guide.yml with guide.md,
replacing a folder whole), a new library (``scaffold``), and the operations that change a guide folder in
place: its stage (``stage``), its review date (``review``)."""
