"""Runs: someone performing a guide's process, checked against the guide (``vsop check``) and kept as run
records beside the guide (docs/runs-format.md)."""
