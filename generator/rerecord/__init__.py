"""A new recording of a guide's process: its steps aligned with the guide's (``align``), compared and merged
keeping every human edit (``compare``), and the guide updated to its next version (``update``)."""
