"""The images an export may carry: files of the guide folder only, checked whole before they are used."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import ExportError, PathError
from generator.guide.paths import inside
from generator.images.files import verify_image


def guide_image(folder: Path, src: str) -> Path:
    """The file of an image link, which must be a file of the guide folder (generator/guide/paths.py: no
    ``..``, no symbolic link) and exist; returned resolved."""
    parts = urlsplit(src)
    try:
        if parts.scheme or parts.netloc:
            raise PathError(f"{src!r} is remote")
        image = inside(folder.resolve(), unquote(parts.path))
    except PathError as exc:
        raise ExportError(
            f"{folder}: image {src!r} is not a file of the guide ({exc}); an export embeds only images "
            "inside the guide folder (copy it into images/ and link it from there)"
        ) from None
    if not image.is_file():
        raise ExportError(f"{image}: image of the guide is missing; regenerate the guide or fix its image")
    verify_image(image)  # a damaged, truncated or huge image is refused, not embedded
    return image
