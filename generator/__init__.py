"""Generator side of vsop: recording -> guide -> SOP site. Reads recordings only through
:func:`capture.load_recording`."""
