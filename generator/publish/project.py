"""The MkDocs project of a library (``LIB/.vsop-cache/project``: ``mkdocs.yml`` and ``docs/``), written
incrementally: each page is rendered only when its key (a hash of everything it is made from) changed, images
are linked or copied only when changed, and files of guides that are gone are removed."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from capture.files import atomic_write, atomic_write_text
from generator.errors import ImageError, PathError
from generator.guide.model import LibrarySettings, Step, ValueStream
from generator.guide.paths import inside, is_own_file
from generator.images.annotate import full_image_name
from generator.images.edits import edited_png, has_image_edits
from generator.images.files import verify_image
from generator.library.layout import CACHE_DIR
from generator.library.scan import Entry, Failure, scan_library
from generator.publish import controlled, history, home_page, maturity_page, pages
from generator.render.environment import SITE_TEMPLATES, environment

PROJECT_DIR = Path(CACHE_DIR) / "project"
SERVE_DIR = Path(CACHE_DIR) / "serve"  # vsop serve's own project: its pages have Edit links
CONFIG = "mkdocs.yml"
DOCS = "docs"
BUILT = "site"  # where the engine builds inside the project (Zensical builds only inside its project)
MANIFEST = "manifest.json"  # beside docs/: page -> key of the inputs it was rendered from
ASSETS = ("vsop.css",)
# The code that shapes every page (the environment, filters, step wording, the guide page's context): every
# module of generator/render, so a new one is never left out; part of each page's key, with the templates.
_GENERATOR = Path(__file__).resolve().parents[1]
_RENDER_CODE = _GENERATOR / "render"
_IMAGE_CODE = _GENERATOR / "images" / "edits.py"

Progress = Callable[[str, int, int], None]
EditUrl = Callable[[str], str | None]  # guide id -> the address of its "Edit this guide" link, if any


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What ``site/mkdocs.yml.j2`` may use: the site's name and description and the nav in flow order."""

    site_name: str
    description: str | None
    streams: tuple[home_page.StreamView, ...]
    unassigned: tuple[str, ...]
    home: str = pages.HOME
    coverage: str = pages.COVERAGE
    maturity: str = pages.MATURITY


@dataclass(frozen=True, slots=True)
class ProjectResult:
    path: Path
    rendered: tuple[str, ...]  # pages rendered from their templates by this run
    reused: tuple[str, ...]  # pages whose inputs had not changed
    removed: tuple[str, ...]  # files of docs/ no longer wanted (guides deleted or failing)
    failures: tuple[Failure, ...]
    guides: int
    pending: tuple[str, ...] = ()  # ids of the guides whose current version awaits approval


@dataclass(slots=True)
class _Plan:
    pages: dict[str, tuple[str, Callable[[], str]]] = field(default_factory=dict)  # page -> (key, render)
    files: dict[str, Path] = field(default_factory=dict)  # docs-relative path -> source file
    edited: dict[str, tuple[str, Path, Step]] = field(default_factory=dict)  # path -> (key, image, step)


def project_path(library: Path) -> Path:
    return library / PROJECT_DIR


def write_project(
    library: Path,
    vs: ValueStream,
    settings: LibrarySettings,
    *,
    today: datetime.date | None = None,
    progress: Progress | None = None,
    folder: Path | None = None,
    edit_url: EditUrl | None = None,
    drafts: bool = False,
) -> ProjectResult:
    """Bring ``LIB/.vsop-cache/project`` (or ``folder``) up to date with the library's guides; see the module
    docstring. With ``edit_url`` each guide page has an "Edit this guide" link to that address. The site
    publishes approved versions, or with ``drafts`` every guide as it is (generator/publish/controlled.py)."""
    report = progress or (lambda stage, done, total: None)
    root = folder or project_path(library)
    docs = root / DOCS
    docs.mkdir(parents=True, exist_ok=True)
    scan = scan_library(library)
    chosen = controlled.select(library, scan.entries, settings, vs, drafts)
    entries, failures = _with_images(chosen.entries)
    site = pages.site_model(vs, settings, entries, today or datetime.date.today())
    site = dataclasses.replace(site, pending=chosen.pending, retired=chosen.retired)
    plan = _plan(site, edit_url or (lambda guide_id: None), chosen, drafts)
    manifest = _read_manifest(root)
    rendered, reused = [], []
    report("Rendering pages", 0, len(plan.pages))
    for done, (page, (key, render)) in enumerate(plan.pages.items(), 1):
        target = docs / page
        if manifest.get(page) == key and target.is_file():
            reused.append(page)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, render())
            rendered.append(page)
        report("Rendering pages", done, len(plan.pages))
    for rel, source in plan.files.items():
        _sync(source, docs / rel)
    for rel, (key, source, step) in plan.edited.items():
        if manifest.get(rel) != key or not (docs / rel).is_file():
            _write_bytes(docs / rel, edited_png(source, step))
    removed = _remove_unwanted(docs, set(plan.pages) | set(plan.files) | set(plan.edited))
    _write_if_changed(root / CONFIG, _config(site))
    keys = {p: k for p, (k, _r) in plan.pages.items()} | {p: k for p, (k, _s, _t) in plan.edited.items()}
    atomic_write_text(root / MANIFEST, json.dumps(keys, indent=0))
    pending = tuple(row.slug for row in chosen.pending)
    return ProjectResult(
        root, tuple(rendered), tuple(reused), tuple(removed), scan.failures + failures, len(entries), pending
    )


def _with_images(entries: tuple[Entry, ...]) -> tuple[tuple[Entry, ...], tuple[Failure, ...]]:
    """Guides whose shown steps' images all exist; the others fail, naming the step and the file."""
    good: list[Entry] = []
    failures: list[Failure] = []
    for entry in entries:
        missing = [
            f"step {s.id}: {problem}"
            for s in entry.guide.steps
            if s.dropped is None and s.image and (problem := _image_problem(entry.folder, s.image))
        ]
        if missing:
            path = entry.folder / "guide.yml"
            failures.append(Failure(path, f"{path}: " + "; ".join(missing)))
        else:
            good.append(entry)
    return tuple(good), tuple(failures)


def _image_problem(folder: Path, image: str) -> str | None:
    """Why ``image`` (with its full frame, if any) cannot be published: missing, or not the guide's own
    file (a symbolic link in the guide folder, or the folder itself one; generator/guide/paths.py)."""
    try:
        for name in (image, full_image_name(image)):
            path = inside(folder.parent, PurePosixPath(folder.name, name))
            if name == image and not path.is_file():
                return f"image {image} is missing"
            if path.is_file():
                verify_image(path)  # a damaged, truncated or huge image is left out, not published
    except (PathError, ImageError) as exc:
        return str(exc)
    return None


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0\1")
    return digest.hexdigest()


def _plan(site: pages.Site, edit_url: EditUrl, chosen: controlled.Selection, drafts: bool) -> _Plan:
    plan = _Plan()
    code = "\0".join(path.read_text(encoding="utf-8") for path in sorted(_RENDER_CODE.glob("*.py")))
    home = home_page.home_context(site)
    plan.pages[pages.HOME] = (
        _key(code, pages.template_sources("home"), _stable(home)),
        lambda: home_page.render_home(home),
    )
    stage_source = pages.template_sources("stage")
    for i, metrics in enumerate(site.metrics):
        ctx = pages.stage_context(site, i)
        plan.pages[pages.stage_page(metrics.stage.id)] = (
            _key(code, stage_source, _stable(ctx)),
            functools.partial(pages.render_stage, ctx),
        )
    cov = pages.coverage_context(site)
    plan.pages[pages.COVERAGE] = (
        _key(code, pages.template_sources("coverage"), _stable(cov)),
        lambda: pages.render_coverage(cov),
    )
    mat = maturity_page.maturity_context(site)
    plan.pages[pages.MATURITY] = (
        _key(code, pages.template_sources("maturity"), _stable(mat)),
        lambda: maturity_page.render_maturity(mat),
    )
    guide_source = pages.template_sources("guide")
    image_code = _IMAGE_CODE.read_text(encoding="utf-8")
    for entry in site.entries:
        folder = pages.guide_page(entry.slug).rpartition("/")[0]
        files = _guide_files(entry)
        links = pages.guide_links(site, entry, frozenset(files), edit_url(entry.slug))
        links = chosen.links(links, entry.slug)
        plan.pages[pages.guide_page(entry.slug)] = (
            _key(code, guide_source, entry.digest, _stable(links)),
            functools.partial(pages.render_guide, entry, links),
        )
        plan.files.update({f"{folder}/{name}": entry.folder / name for name in files})
        for step in entry.guide.steps:
            if step.dropped is None and step.image and has_image_edits(step):
                rel, source = f"{folder}/{step.image}", entry.folder / step.image
                plan.files.pop(rel, None)
                plan.edited[rel] = (_image_key(image_code, source, step), source, step)
    plan.files.update({name: SITE_TEMPLATES / name for name in ASSETS})
    _plan_history(site, plan, code, guide_source, edit_url, chosen, drafts)
    return plan


def _plan_history(
    site: pages.Site,
    plan: _Plan,
    code: str,
    guide_source: str,
    edit_url: EditUrl,
    chosen: controlled.Selection,
    drafts: bool,
) -> None:
    """A page for each earlier version of a guide that git has, linked from the guide's revision history:
    every one with ``drafts``, else the approved ones, superseded (generator/publish/controlled.py)."""
    if not site.entries:
        return
    earlier = history.earlier_versions(chosen.library, site.entries) if drafts else chosen.superseded
    for entry in site.entries:
        versions = earlier.get(entry.slug, ())
        if not versions:
            continue
        page = pages.guide_page(entry.slug)
        key, _render = plan.pages[page]
        links = pages.guide_links(site, entry, frozenset(_guide_files(entry)), edit_url(entry.slug))
        links = chosen.links(links, entry.slug)
        old_pages = {e.version: pages.version_page(entry.slug, e.version) for e in versions}
        links = dataclasses.replace(
            links, history=tuple((v, pages.link(page, p)) for v, p in old_pages.items())
        )
        plan.pages[page] = (
            _key(key, _stable(links.history)),
            functools.partial(pages.render_guide, entry, links),
        )
        for old in versions:
            _plan_version(site, plan, entry, old, old_pages[old.version], _key(code, guide_source), chosen)


def _plan_version(
    site: pages.Site,
    plan: _Plan,
    entry: Entry,
    old: history.Earlier,
    page: str,
    source: str,
    chosen: controlled.Selection,
) -> None:
    files = [name for name in history.published_images(old.guide) if is_own_file(old.folder, name)]
    links = pages.guide_links(site, entry, frozenset(files))
    links = dataclasses.replace(
        links,
        map_url=pages.link(page, pages.HOME),
        stage_url=pages.link(page, pages.stage_page(entry.guide.stage or "")) if links.stage_url else None,
        current=(entry.guide.version, pages.link(page, pages.guide_page(entry.slug))),
        runs=None,  # the runs are shown on the current version's page
    )
    links = chosen.earlier_links(links, entry.slug, old.guide)
    old_entry = Entry(old.folder, old.guide, old.commit)
    plan.pages[page] = (
        _key(source, old.commit, _stable(links)),
        functools.partial(pages.render_guide, old_entry, links),
    )
    folder = page.rpartition("/")[0]
    plan.files.update({f"{folder}/{name}": old.folder / name for name in files})


def _stable(value: object) -> str:
    """``value`` as a page's key holds it: its ``repr`` with every set in sorted order, the same in every
    process (a set's own order changes with the hash seed of the process, which would render every page
    again at each build)."""
    return repr(_canonical(value))


def _canonical(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, tuple((f.name, _canonical(getattr(value, f.name))) for f in fields))
    if isinstance(value, (set, frozenset)):
        return ("set", sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, dict):
        return tuple((_canonical(k), _canonical(v)) for k, v in value.items())
    return value


def _image_key(code: str, source: Path, step: Step) -> str:
    """What an edited image is made of: the code drawing it, its source file (size, time) and the edits."""
    info = source.stat()
    edits = repr((step.blur, step.crop, step.box if "box" in step.edited else None))
    return _key(code, f"{info.st_size}:{info.st_mtime_ns}", edits)


def _guide_files(entry: Entry) -> list[str]:
    """The images a guide page shows, with each one's full frame where it exists (click to enlarge); an
    edited image is published without its full frame (see generator/render/guide_page.py)."""
    files: list[str] = []
    for step in entry.guide.steps:
        if step.dropped is None and step.image:
            files.append(step.image)
            full = full_image_name(step.image)
            if not has_image_edits(step) and is_own_file(entry.folder, full):
                files.append(full)
    return list(dict.fromkeys(files))


def _sync(source: Path, target: Path) -> None:
    """Make ``target`` a hard link to (or else a copy of) ``source`` unless it already is one."""
    try:
        have = target.stat()
        want = source.stat()
        if (have.st_size, have.st_mtime_ns) == (want.st_size, want.st_mtime_ns):
            return
        target.unlink()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_bytes(target: Path, data: bytes) -> None:
    """A new file (never writing through a hard link to a guide's image: the rename replaces the link)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda fh: fh.write(data))


def _remove_unwanted(docs: Path, wanted: set[str]) -> list[str]:
    removed = []
    for path in sorted(docs.rglob("*"), reverse=True):  # children before their folders
        rel = path.relative_to(docs).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif rel not in wanted:
            path.unlink()
            removed.append(rel)
    return sorted(removed)


def _read_manifest(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _config(site: pages.Site) -> str:
    guides = {e.slug: e.guide.stage for e in site.entries}
    known = {s.id for s in site.vs.stages}
    cfg = SiteConfig(
        site_name=site.settings.site_name,
        description=site.settings.description,
        streams=home_page.stream_views(site),
        unassigned=tuple(pages.guide_page(slug) for slug, s in guides.items() if s not in known),
    )
    return environment().get_template("mkdocs.yml.j2").render(cfg=cfg)


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    atomic_write_text(path, text)
