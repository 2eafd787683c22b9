"""Reading image files that anyone may have replaced: a decompression bomb (a small PNG of a billion pixels),
a truncated or damaged file, a FIFO or a device are refused with :class:`~generator.errors.ImageError`
naming the file, never a traceback, a hang or gigabytes of memory."""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

from PIL import Image

from capture.files import open_regular
from generator.errors import ImageError

MAX_PIXELS = 40_000_000  # an 8K screen is 33 million pixels; decoded, 40 million are 160 MB at most
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error, Image.DecompressionBombError)


def open_image(path: Path) -> Image.Image:
    """The image ``path``, decoded (its file is closed again)."""
    with open_regular(path, ImageError, "an image") as fh:
        image = _opened(path, fh)
        try:
            image.load()
        except _BROKEN as exc:
            raise _unreadable(path, exc) from None
    return image


def image_size(path: Path) -> tuple[int, int]:
    """The width and height of the image ``path``, read from its header only."""
    with open_regular(path, ImageError, "an image") as fh:
        width, height = _opened(path, fh).size
    return width, height


def verify_image(path: Path) -> tuple[int, int]:
    """The size of the image ``path`` once its whole file was checked (every chunk, without decoding): a
    truncated or damaged file is refused."""
    with open_regular(path, ImageError, "an image") as fh:
        image = _opened(path, fh)
        try:
            image.verify()
        except _BROKEN as exc:
            raise _unreadable(path, exc) from None
        width, height = image.size
    return width, height


def _opened(path: Path, fh: object) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fh)  # type: ignore[arg-type]
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_large(path, str(exc)) from None
    except _BROKEN as exc:
        raise _unreadable(path, exc) from None
    if image.width * image.height > MAX_PIXELS:
        raise _too_large(path, f"{image.width}x{image.height} pixels")
    return image


def _too_large(path: Path, found: str) -> ImageError:
    return ImageError(
        f"{path}: an image larger than vsop reads ({found}; at most {MAX_PIXELS:,} pixels): not a "
        "screenshot, perhaps a decompression bomb; put the step's own screenshot back"
    )


def _unreadable(path: Path, exc: BaseException) -> ImageError:
    return ImageError(
        f"{path}: not a readable image ({exc or type(exc).__name__}); the file is damaged, truncated or "
        "not an image: put the step's own screenshot back"
    )
