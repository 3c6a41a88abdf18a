"""`county-records site`: build the static site in a folder beside --out, then put it in place.

The build writes only inside --out (and, while it runs, a hidden folder beside it). It replaces --out only
where an earlier build made it, which the marker file says, so a mistyped --out cannot delete a folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path, PurePosixPath

import yaml

from ...support.paths import REPO_ROOT, SEEDS_DIR, SEEDS_INDEX
from .charts import charts_for
from .gather import gather_site
from .model import DataCitation
from .render import (
    environment, render_compare, render_index, render_lines, render_record, render_source, source_copy, source_href_maker,
)
from .sources import site_sources

MARKER = ".county-records-site"
MARKER_TEXT = "Written by `county-records site`. The next build replaces this whole folder.\n"
# A record file larger than this is not copied into the site (the validator reads at most 1 MiB of one).
MAX_COPY_BYTES = 16 * 1024 * 1024


class SiteError(Exception):
    """A problem with the command's arguments or environment (exit status 2); the message says what to do."""


@dataclass(frozen=True, slots=True)
class BuiltSite:
    out: Path
    pages: int
    charts: int


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out(out: Path, input_folders: list[Path]) -> Path:
    """The absolute --out, or a SiteError that says why the build must not write there."""
    target = Path(os.path.abspath(out))
    if target.parent == target:
        raise SiteError(f"--out {out}: cannot replace a file system root; name a new folder")
    if target.is_symlink():
        raise SiteError(f"--out {out} is a symbolic link; name a real folder")
    if not target.parent.is_dir():
        raise SiteError(f"--out {out}: the folder {target.parent} does not exist; create it first")
    real = Path(os.path.realpath(target.parent)) / target.name
    for folder in input_folders:
        folder = Path(os.path.realpath(folder))
        if _inside(real, folder):
            raise SiteError(f"--out {out} is inside the records folder {folder}: the site's copies of the records would be read as records; write it elsewhere")
        if _inside(folder, real):
            raise SiteError(f"--out {out} contains the records folder {folder}; write the site elsewhere")
    if target.exists():
        if not target.is_dir():
            raise SiteError(f"--out {out} is a file, not a folder; name a new folder")
        marker = target / MARKER
        if not (marker.is_file() and not marker.is_symlink()) and any(target.iterdir()):
            raise SiteError(
                f"--out {out} is a folder that `county-records site` did not write (no {MARKER} in it); "
                "name a new folder, or remove this one yourself"
            )
    return target


def _read_record(source: str) -> bytes:
    """The record file's bytes, or a sentence saying why the site has no copy of it."""
    try:
        status = os.stat(source)
    except OSError as err:
        return f"The record file could not be read when the site was built: {err.strerror}.\n".encode()
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_COPY_BYTES:  # never read a FIFO or a huge file
        return b"The record file is not a regular file of a readable size; it is not copied.\n"
    with open(source, "rb") as handle:
        return handle.read(MAX_COPY_BYTES)


def build_date_of_repository() -> date:
    """The date a build shows: SOURCE_DATE_EPOCH's (the reproducible-builds convention), else the newest
    commit's, else today's; so two builds of one commit are the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date()
    try:
        done = subprocess.run(["git", "-C", str(REPO_ROOT), "log", "-1", "--format=%cs"], capture_output=True,
                              text=True, timeout=30)
        return date.fromisoformat(done.stdout.strip())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return date.today()


def data_citation() -> DataCitation | None:
    try:
        cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(cff, dict):
        return None
    authors = ", ".join(str(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names")))))
                        for a in cff.get("authors", []) if isinstance(a, dict))
    return DataCitation(str(cff.get("title", "")), authors, str(cff.get("version", "")), str(cff.get("license", "")))


def _seed_index() -> dict[str, dict]:
    try:
        data = yaml.safe_load(SEEDS_INDEX.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    entries = data.get("sources", []) if isinstance(data, dict) else []
    return {e["file"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("file"), str)}


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _copies(paths: list[str]) -> dict[str, str]:
    """Each record's copy in the site, distinct even for two files outside the repository with one name."""
    copies: dict[str, str] = {}
    used: set[str] = set()
    for path in paths:
        copy, n = source_copy(path), 1
        while copy in used:
            n += 1
            stem = PurePosixPath(source_copy(path))
            copy = str(stem.with_name(f"{stem.stem}-{n}{stem.suffix}"))
        used.add(copy)
        copies[path] = copy
    return copies


def _write_site(folder: Path, files: list[tuple[Path, str]], today: date, built_on: date,
                source_url_base: str | None) -> BuiltSite:
    env = environment()
    model = gather_site(files, today)
    model.built_on, model.citation = built_on.isoformat(), data_citation()
    copies = _copies([page.path for page in model.pages])
    sources = site_sources(model.pages, SEEDS_DIR, _seed_index())
    _write(folder / "index.html", render_index(env, model))
    _write(folder / "compare.html", render_compare(env, model))
    templates = resources.files("validator.commands.site").joinpath("templates")
    for name in ("site.css", "site.js"):
        _write(folder / name, templates.joinpath(name).read_bytes())
    chart_count = 0
    for page in model.pages:
        charts = charts_for(page) if page.loaded else []
        chart_count += len(charts)
        root = "../" * page.page.count("/")
        _write(folder / page.page, render_record(env, model, page, charts, source_href_maker(source_url_base, root, copies)))
        record = _read_record(page.disk_path)
        _write(folder / copies[page.path], record)
        copy = copies[page.path]
        _write(folder / (copy + ".html"), render_lines(env, model, page, copy, record.decode("utf-8", errors="replace")))
    for source in sources:
        _write(folder / source.page, render_source(env, model, source))
        if source.copy:
            _write(folder / source.copy, source.copy_text)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return BuiltSite(out=folder, pages=len(model.pages), charts=chart_count)


def _put_in_place(built: Path, target: Path) -> None:
    """Rename the finished build into place; an earlier build is moved aside first, then removed."""
    if not target.exists():
        built.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    aside = old / "site"
    target.rename(aside)
    try:
        built.rename(target)
    except OSError:
        aside.rename(target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def build_site(files: list[tuple[Path, str]], out: Path, *, today: date, built_on: date | None = None,
               source_url_base: str | None = None, input_folders: list[Path] = ()) -> BuiltSite:
    target = check_out(out, list(input_folders))
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        built = _write_site(building, files, today, built_on or build_date_of_repository(), source_url_base)
        os.chmod(building, 0o755)  # mkdtemp makes the folder private; a site is for reading
        _put_in_place(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return BuiltSite(out=target, pages=built.pages, charts=built.charts)
