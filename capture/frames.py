"""How a frame is stored: the lossless encodings a recorder can write under frames/, chosen by name.

Lossless WebP is the default since recording format 2: on real frames it is a third of the bytes of PNG at
zlib level 1 for no more CPU per frame, and it decodes faster (``python -m bench.frames`` measures every
candidate side by side; the README has the figures). PNG is still written on request (``vsop record
--frame-format png``) and every reader takes both: the file name's suffix says which one a frame is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, features

from capture.errors import BackendUnavailableError, VsopError

# Pillow's lossless WebP options: ``method`` 1 and ``quality`` 0 (libwebp's effort) cost what PNG at zlib
# level 1 costs; a higher quality halves a page of text again for twice the encoding CPU (method 0 is worse).
WEBP_OPTIONS: dict[str, object] = {"lossless": True, "method": 1, "quality": 0}
PNG_OPTIONS: dict[str, object] = {"compress_level": 1}


@dataclass(frozen=True, slots=True)
class FrameFormat:
    """One way of storing a frame: ``name`` on the command line, ``suffix`` of its files, Pillow's
    ``pillow`` format name and save ``options``."""

    name: str
    suffix: str
    pillow: str
    options: tuple[tuple[str, object], ...]

    def save(self, image: Image.Image, fh: BinaryIO) -> None:
        image.save(fh, format=self.pillow, **dict(self.options))

    def check(self) -> None:
        """Raise BackendUnavailableError (with the fix) when this Pillow cannot write the format."""
        if self.pillow == "WEBP" and not features.check("webp"):
            raise BackendUnavailableError(
                "frames: this Pillow was built without WebP support; install Pillow from PyPI "
                "(pip install --force-reinstall pillow) or record with --frame-format png"
            )


FORMATS: dict[str, FrameFormat] = {
    "webp": FrameFormat("webp", ".webp", "WEBP", tuple(WEBP_OPTIONS.items())),
    "png": FrameFormat("png", ".png", "PNG", tuple(PNG_OPTIONS.items())),
}
DEFAULT_FORMAT = "webp"
SUFFIXES = tuple(f.suffix for f in FORMATS.values())  # of every frame file a reader takes


def frame_format(name: str) -> FrameFormat:
    """The format called ``name``; a VsopError naming the choices for any other name."""
    try:
        return FORMATS[name]
    except KeyError:
        raise VsopError(
            f"frame format {name!r}: unknown; choose one of {', '.join(sorted(FORMATS))}"
        ) from None


def encode_grab(fmt: FrameFormat, raw: bytes | bytearray, size: tuple[int, int], fh: BinaryIO) -> None:
    """Encode a BGRX screen grab (what mss returns) into ``fh`` as ``fmt``, without its padding byte."""
    fmt.save(Image.frombuffer("RGB", size, raw, "raw", "BGRX", 0, 1), fh)
