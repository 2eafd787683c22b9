"""OCR of crops of frames with tesseract.

Each crop is preprocessed so that tesseract sees dark text on white without the boxes around it, at a size
it reads well (see :func:`preprocess`). Many crops go through one tesseract process (the images of a list
file; the TSV tells them apart by ``page_num``), one process per core, each limited to one OpenMP
thread: tesseract's own threads only fight each other when several processes run. The words of each crop
are cached on disk, keyed by its pixels, the tesseract and Pillow versions and the settings (preprocessing
included, through ``PREPROCESS_VERSION``), so a re-run OCRs nothing and preprocesses nothing.

Tesseract is run directly rather than through ``pytesseract.image_to_data``, which takes one image per call
and cannot set the environment of the process it starts; the binary is the one pytesseract is configured
with (``pytesseract.pytesseract.tesseract_cmd``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageChops, ImageFilter, ImageOps

from capture.errors import BackendUnavailableError, VsopError
from capture.models import Rect
from generator.guide.model import Word
from generator.images.files import open_image
from generator.pipeline.label import is_mask_run

PREPROCESS_VERSION = 1  # bump when preprocessing or word filtering changes: cached words become stale
LANGUAGE = "eng"
TESS_CONFIG = ("-c", "tessedit_do_invert=0")  # preprocessing already made text dark on light
PAGES = "pages.txt"  # the images of one batch, one file name a line
PSM = 11  # sparse text: UI text is scattered labels, not paragraphs (3 and 6 read fewer labels)
SCALE = 2  # upscale factor; 3 reads no better and costs 1.5 times the time
PAD = 16  # px of white margin around the upscaled crop
BACKGROUND_WINDOW = 15  # px at half resolution: wider than a letter, narrower than a button
LINE_INK = 40  # ink strength (0-255) that counts as part of a line
LINE_RADIUS = (15, 12)  # a line is unbroken over 31 px across or 25 px down: longer than strokes of letters
BLOB = 5  # px: ink this thick all round is not a letter
MIN_WORD_CONF = 30.0
PAGE_COST = 20_000  # pixels' worth of reading each image costs however small (found by timing tesseract)
MIN_WORD_HEIGHT = 3  # px: a "word" flatter than this is a line

_MISSING = "tesseract not found: apt-get install tesseract-ocr"


@dataclass(frozen=True, slots=True)
class Crop:
    """A region of a frame to OCR; ``box`` is in frame pixels."""

    frame: Path
    box: Rect
    scale: int = SCALE  # 1 reads large regions twice as fast, at the cost of small text


@dataclass(frozen=True, slots=True)
class _Found:
    """A word in the pixels of its crop (before upscaling), as cached."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    line: int

    def placed(self, origin: tuple[int, int]) -> Word:
        box = Rect(origin[0] + self.left, origin[1] + self.top, self.width, self.height)
        return Word(self.text, self.conf, box, self.line)


@dataclass(frozen=True, slots=True)
class _Job:
    """A crop to read: the cache key, its grey pixels (None when the crop is empty) and the frame pixel of
    its top-left corner."""

    key: str
    crop: Image.Image | None
    origin: tuple[int, int]
    scale: int = SCALE


class Ocr:
    """Reads the words in crops of frames; ``workers`` tesseract processes run at once (default: cores)."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        workers: int | None = None,
        frames: Callable[[Path], Image.Image | None] | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.frames = frames  # frames the caller decoded already, in grey (None: each read decodes its own)
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.runs = 0  # tesseract processes started, for tests and benchmarks
        self._binary = ""
        self._signature = ""  # tesseract version and settings, part of every cache key
        self._read: dict[str, list[_Found]] = {}  # the words of every crop read so far, by cache key
        self._lock = threading.Lock()
        self._reading: dict[str, Future[dict[str, list[_Found]]]] = {}  # crops another call is reading

    def read(self, crops: Sequence[Crop], workers: int | None = None) -> list[list[Word]]:
        """The words of each crop, with boxes in frame pixels, in the order of ``crops``; at most
        ``workers`` tesseract processes at once (default: the Ocr's). Calls may run at once, from several
        threads: a crop that one is reading, another waits for rather than reads again.

        ``line`` tells the text lines of one crop apart (tesseract's block, paragraph and line).
        """
        if not crops:
            return []
        self._find_tesseract()
        jobs = self._prepare(crops)
        found: dict[str, list[_Found]] = {"": []}
        for job in jobs:
            if job.key in found:
                continue
            cached = self._read.get(job.key)  # read by an earlier call: no file to open again
            if cached is not None or (cached := self._load(job.key)) is not None:
                found[job.key] = cached
        mine: Future[dict[str, list[_Found]]] = Future()
        with self._lock:
            theirs = {job.key: self._reading[job.key] for job in jobs if job.key in self._reading}
            todo = list(
                {job.key: job for job in jobs if job.key not in found and job.key not in theirs}.values()
            )
            self._reading.update((job.key, mine) for job in todo)
        try:
            read = self._recognize(todo, workers or self.workers)
            for job in todo:
                self._store(job.key, read[job.key])
            self._read.update(read)
            mine.set_result(read)
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        finally:
            with self._lock:
                for job in todo:
                    del self._reading[job.key]
        found.update(read)
        found.update((key, future.result()[key]) for key, future in theirs.items() if key not in found)
        self._read.update((job.key, found[job.key]) for job in jobs if job.key)
        return [[w.placed(job.origin) for w in found[job.key]] for job in jobs]

    def forget(self, secrets: Collection[str]) -> int:
        """Remove from the cache every crop read so far whose words show one of ``secrets`` (case-folded):
        a secret typed into a field that does not mask it must not stay on disk. Returns how many."""
        removed = 0
        for key, words in self._read.items():
            text = "".join(w.text for w in words).casefold()
            path = self._cache_file(key)
            if path is not None and any("".join(s.split()) in text for s in secrets):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _find_tesseract(self) -> None:
        if self._signature:
            return
        binary = shutil.which(_tesseract_cmd())
        if binary is None:
            raise BackendUnavailableError(_MISSING)
        result = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
        lines = (result.stdout or result.stderr).splitlines()
        if result.returncode != 0 or not lines:
            raise BackendUnavailableError(f"{binary} --version failed ({result.stderr.strip()}); {_MISSING}")
        self._binary = binary
        settings = f"{LANGUAGE}|psm {PSM}|preprocess {PREPROCESS_VERSION}|pillow {PIL.__version__}"
        self._signature = f"{lines[0].strip()}|{settings}"

    def _prepare(self, crops: Sequence[Crop]) -> list[_Job]:
        """The grey pixels of the crops, each frame decoded once, frames in parallel."""
        by_frame: dict[Path, list[int]] = {}
        for i, crop in enumerate(crops):
            by_frame.setdefault(crop.frame, []).append(i)
        jobs: dict[int, _Job] = {}
        with ThreadPoolExecutor(self.workers) as pool:
            groups = [[crops[i] for i in indexes] for indexes in by_frame.values()]
            for indexes, prepared in zip(
                by_frame.values(), pool.map(self._prepare_frame, groups), strict=True
            ):
                jobs.update(zip(indexes, prepared, strict=True))
        return [jobs[i] for i in range(len(crops))]

    def gray(self, path: Path) -> Image.Image:
        """The frame ``path`` in grey: as the caller decoded it already, else read now."""
        gray = self.frames(path) if self.frames is not None else None
        if gray is None:
            try:
                with open_image(path) as frame:
                    gray = frame.convert("L")
            except OSError as exc:
                raise VsopError(f"{path}: cannot read the frame to OCR it ({exc})") from exc
        return gray

    def _prepare_frame(self, crops: list[Crop]) -> list[_Job]:
        gray = self.gray(crops[0].frame)
        return [self._job(gray, crop.box, crop.scale) for crop in crops]

    def _job(self, gray: Image.Image, box: Rect, scale: int) -> _Job:
        """The crop clipped to the frame, keyed by its pixels and everything else its words depend on."""
        left, top = max(0, box.left), max(0, box.top)
        right, bottom = min(gray.width, box.left + box.width), min(gray.height, box.top + box.height)
        if right - left < 2 or bottom - top < 2:
            return _Job("", None, (left, top), scale)
        crop = gray.crop((left, top, right, bottom))
        digest = hashlib.sha256(f"{self._signature}|{crop.size}|{scale}|".encode())
        digest.update(crop.tobytes())
        return _Job(digest.hexdigest(), crop, (left, top), scale)

    def _recognize(self, jobs: list[_Job], workers: int) -> dict[str, list[_Found]]:
        """OCR in ``workers`` batches at once, one tesseract process per batch."""
        if not jobs:
            return {}
        count = min(workers, len(jobs))
        batches: list[list[_Job]] = [[] for _ in range(count)]
        loads = [0] * count
        for job in sorted(jobs, key=_size, reverse=True):  # the largest first, each to the lightest batch
            lightest = loads.index(min(loads))
            batches[lightest].append(job)
            loads[lightest] += _size(job)
        self.runs += count
        with tempfile.TemporaryDirectory(prefix="vsop-ocr-") as tmp, ThreadPoolExecutor(count) as pool:
            folders = [Path(tmp) / str(i) for i in range(count)]
            done = pool.map(self._run_batch, batches, folders)
            return {key: words for batch in done for key, words in batch.items()}

    def _run_batch(self, jobs: list[_Job], folder: Path) -> dict[str, list[_Found]]:
        folder.mkdir()
        images = [preprocess(job.crop, job.scale) for job in jobs if job.crop is not None]
        # a file per image, uncompressed (PGM): nothing to encode, and unlike the pages of one TIFF, which
        # Pillow appends by reading through all the pages before, each costs the same to write
        names = [f"{i}.pgm" for i in range(len(images))]
        for name, image in zip(names, images, strict=True):
            image.save(folder / name)
        (folder / PAGES).write_text("".join(f"{name}\n" for name in names), encoding="ascii")
        pages = _parse_tsv(self._tesseract(folder), len(jobs))
        return {job.key: _unscale(words, job.scale) for job, words in zip(jobs, pages, strict=True)}

    def _tesseract(self, folder: Path) -> str:
        argv = [self._binary, PAGES, "stdout", "--psm", str(PSM), "-l", LANGUAGE, *TESS_CONFIG, "tsv"]
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        result = subprocess.run(argv, cwd=folder, capture_output=True, env=env, check=False)
        if result.returncode != 0:
            error = result.stderr.decode("utf-8", "replace").strip()
            if "Failed loading language" in error:
                raise BackendUnavailableError(
                    f"tesseract has no '{LANGUAGE}' language data: apt-get install tesseract-ocr-{LANGUAGE}"
                )
            raise VsopError(f"tesseract failed (exit {result.returncode}): {error}")
        return result.stdout.decode("utf-8", "replace")

    def _cache_file(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / key[:2] / f"{key}.json"

    def _load(self, key: str) -> list[_Found] | None:
        path = self._cache_file(key)
        if path is None:
            return None
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            return [_Found(str(t), float(c), *map(int, rest)) for t, c, *rest in rows]
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):  # a damaged entry (a full disk, a hand edit): OCR the crop again
            return None

    def _store(self, key: str, words: list[_Found]) -> None:
        path = self._cache_file(key)
        if path is None:
            return
        rows = [[w.text, w.conf, w.left, w.top, w.width, w.height, w.line] for w in words]
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise VsopError(
                f"{path}: cannot write the OCR cache ({exc.strerror}); check its permissions"
            ) from exc


def _size(job: _Job) -> int:
    """How much there is to read in a crop, roughly: its pixels, upscaled."""
    return 0 if job.crop is None else job.crop.width * job.crop.height * job.scale * job.scale + PAGE_COST


def _tesseract_cmd() -> str:
    import pytesseract  # type: ignore[import-untyped]

    return str(pytesseract.pytesseract.tesseract_cmd)


def preprocess(gray: Image.Image, scale: int = SCALE) -> Image.Image:
    """Dark text on white whatever the colours, without the boxes around it, upscaled for tesseract.

    Why each step: tesseract 5 misses light-on-dark text, and a crop of a UI mixes both (a dark bar over a
    light page, white text on a blue button), so polarity is decided per pixel against the local background;
    tesseract drops text inside a frame (a button or a field border, a small dark tag), so solid blobs and
    long straight lines are erased; UI text is 8-10 px high, below what tesseract reads well, so it is
    upscaled; and tesseract skips text that touches the edge of the image, so a white margin is added.
    """
    ink = ink_strength(gray)
    text = ImageChops.subtract(remove_blobs(ink), line_mask(ink))
    if scale != 1:
        text = text.resize((text.width * scale, text.height * scale), Image.Resampling.LANCZOS)
    return ImageOps.expand(ImageOps.autocontrast(ImageChops.invert(text)), PAD, fill=255)


def ink_strength(gray: Image.Image) -> Image.Image:
    """How far each pixel is from its local background, the median around it: text is bright whatever its
    colour and the colour behind it. The median is taken at half resolution, which is 4 times cheaper."""
    small = gray.reduce(2)
    background = small.filter(ImageFilter.MedianFilter(BACKGROUND_WINDOW))
    return ImageChops.difference(gray, background.resize(gray.size, Image.Resampling.BICUBIC))


def line_mask(ink: Image.Image) -> Image.Image:
    """Unbroken horizontal and vertical runs of ink longer than a letter: borders, underlines.

    Found before blobs are erased (erasing them breaks the edges of boxes into pieces), applied after (what
    remains of a box once its solid parts are gone is these edges).
    """
    strong = ink.point(above(LINE_INK))
    lines = Image.new("L", ink.size, 0)
    for radius in ((LINE_RADIUS[0], 0), (0, LINE_RADIUS[1])):
        centres = strong.filter(ImageFilter.BoxBlur(radius)).point(above(249))
        run = centres.filter(ImageFilter.BoxBlur(radius)).point(above(0))  # to the ends
        lines = ImageChops.lighter(lines, run)
    return square_filter(lines, 3, ImageChops.lighter)


@functools.cache
def above(level: int) -> tuple[int, ...]:
    """The table for ``Image.point`` that makes a grey level above ``level`` white and the rest black (a
    table rather than a function: Pillow would call the function 256 times each time)."""
    return tuple(255 if v > level else 0 for v in range(256))


def remove_blobs(ink: Image.Image) -> Image.Image:
    """Erase ink thicker than a letter's stroke: icons, the body of a small box whose colour the background
    median missed, the corners of rounded buttons."""
    thick = square_filter(square_filter(ink, BLOB, ImageChops.darker), BLOB + 2, ImageChops.lighter)  # + rims
    return ImageChops.subtract(ink, thick)


def square_filter(
    image: Image.Image, size: int, pick: Callable[[Image.Image, Image.Image], Image.Image]
) -> Image.Image:
    """The min (``ImageChops.darker``) or max (``lighter``) over a size x size square around each pixel: the
    same pixels as Pillow's MinFilter/MaxFilter, but separable (a row pass, then a column pass of shifted
    copies), over ten times faster. Outside the image counts as neutral (white for a min, black for a max)."""
    r = size // 2
    neutral = 255 if pick is ImageChops.darker else 0
    padded = ImageOps.expand(image, r, fill=neutral)
    w, h = padded.size
    rows = padded.crop((0, 0, w - 2 * r, h))
    for dx in range(1, 2 * r + 1):
        rows = pick(rows, padded.crop((dx, 0, dx + w - 2 * r, h)))
    result = rows.crop((0, 0, w - 2 * r, h - 2 * r))
    for dy in range(1, 2 * r + 1):
        result = pick(result, rows.crop((0, dy, w - 2 * r, dy + h - 2 * r)))
    return result


def _parse_tsv(tsv: str, pages: int) -> list[list[_Found]]:
    """Words of each page (image) of a tesseract TSV, in upscaled pixels; ``line`` numbers each (block,
    paragraph, line) of a page."""
    words: list[list[_Found]] = [[] for _ in range(pages)]
    lines: list[dict[tuple[str, str, str], int]] = [{} for _ in range(pages)]
    seen = set()
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        page = int(row["page_num"]) - 1
        seen.add(page)
        text, conf = (row["text"] or "").strip(), float(row["conf"])
        if row["level"] != "5" or not is_word(text, conf):
            continue
        ids = lines[page]
        line = ids.setdefault((row["block_num"], row["par_num"], row["line_num"]), len(ids))
        box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        words[page].append(_Found(text, round(conf, 2), *box, line))
    if seen != set(range(pages)):
        raise VsopError(f"tesseract read {len(seen)} of {pages} images of a batch")
    return words


def _unscale(words: list[_Found], scale: int) -> list[_Found]:
    """Boxes in the crop's own pixels, without the words too thin to be text (the edge of a box)."""
    out = []
    for w in words:
        left, top = max(0, (w.left - PAD) // scale), max(0, (w.top - PAD) // scale)
        right = math.ceil((w.left + w.width - PAD) / scale)
        bottom = math.ceil((w.top + w.height - PAD) / scale)
        if right - left >= len(w.text) and bottom - top >= MIN_WORD_HEIGHT:
            out.append(_Found(w.text, w.conf, left, top, right - left, bottom - top, w.line))
    return out


def is_word(text: str, conf: float) -> bool:
    """Not junk: some text, fair confidence, and not only punctuation. Masking dots are kept whatever
    tesseract's confidence, so that a masked field can be told
    (:func:`generator.pipeline.label.looks_masked`)."""
    if is_mask_run(text):
        return True
    return conf >= MIN_WORD_CONF and any(unicodedata.category(c)[0] in "LN" for c in text)
