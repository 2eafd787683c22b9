"""Knows nothing: for headless use, and where no accessibility API is available."""

from __future__ import annotations

from capture.models import Element


class Backend:
    name = "dummy"

    def element_at(self, x: int, y: int, *, pid: int | None, timeout: float) -> Element | None:
        return None

    def focused(self, *, pid: int | None, timeout: float) -> Element | None:
        return None

    def exposes(self, pid: int) -> bool:
        return False

    def close(self) -> None:
        pass
