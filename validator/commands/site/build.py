"""`county-records site`: build the static site in a folder beside --out, then put it in place.

The build writes only inside --out (and, while it runs, a hidden folder beside it). It replaces --out only
where an earlier build made it, which the marker file says, so a mistyped --out cannot delete a folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path, PurePosixPath

from .charts import charts_for
from .gather import gather_site
from .render import environment, render_index, render_record, source_copy, source_href_maker

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


def _copy_record(source: str, destination: Path) -> None:
    try:
        status = os.stat(source)
    except OSError as err:
        destination.write_text(f"The record file could not be read when the site was built: {err.strerror}.\n", encoding="utf-8")
        return
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_COPY_BYTES:  # never read a FIFO or a huge file
        destination.write_text("The record file is not a regular file of a readable size; it is not copied.\n", encoding="utf-8")
        return
    shutil.copyfile(source, destination)


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


def _write_site(folder: Path, files: list[tuple[Path, str]], today: date, source_url_base: str | None) -> BuiltSite:
    env = environment()
    model = gather_site(files, today)
    copies = _copies([page.path for page in model.pages])
    (folder / "index.html").write_text(render_index(env, model), encoding="utf-8")
    (folder / "site.css").write_bytes(resources.files("validator.commands.site").joinpath("templates/site.css").read_bytes())
    chart_count = 0
    for page in model.pages:
        charts = charts_for(page) if page.loaded else []
        chart_count += len(charts)
        root = "../" * page.page.count("/")
        html = render_record(env, model, page, charts, source_href_maker(source_url_base, root, copies))
        destination = folder / page.page
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(html, encoding="utf-8")
        copy = folder / copies[page.path]
        copy.parent.mkdir(parents=True, exist_ok=True)
        _copy_record(page.disk_path, copy)
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


def build_site(files: list[tuple[Path, str]], out: Path, *, today: date, source_url_base: str | None = None,
               input_folders: list[Path] = ()) -> BuiltSite:
    target = check_out(out, list(input_folders))
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        built = _write_site(building, files, today, source_url_base)
        os.chmod(building, 0o755)  # mkdtemp makes the folder private; a site is for reading
        _put_in_place(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return BuiltSite(out=target, pages=built.pages, charts=built.charts)
