"""Which record files a command reads: the paths given (files and folders), the repository's other
records as a run's corpus context, the changed ones since a git revision, and the seeds they belong to."""

from __future__ import annotations

import os
from operator import attrgetter
from pathlib import Path

from ..support.paths import RECORD_SUFFIXES, RECORDS_DIR, REPO_ROOT, SEEDS_DIR, repository_around


_NAME = attrgetter("name")


class UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


def display_path(path: Path | str, here: str | None = None) -> str:
    """The path as given, relative to the current directory (or `here`) when it lies under it."""
    try:
        here = here or os.getcwd()
    except OSError:  # the current folder was removed
        return str(path)
    absolute = os.path.join(here, path) if not os.path.isabs(path) else os.fspath(path)
    if absolute.startswith(here.rstrip(os.sep) + os.sep):
        return absolute[len(here.rstrip(os.sep)) + 1:]
    return str(path)


def file_identity(path: Path | str, entry: os.DirEntry | None = None) -> object:
    """What makes two names one file: its device and inode (one stat, where realpath takes one per folder).
    `entry`: the file's directory entry where its folder was just listed (its stat follows a link, as os.stat does)."""
    try:
        info = entry.stat() if entry is not None else os.stat(path)
    except OSError:  # a link that cannot be followed (the loader reports it): named by where it leads
        return os.path.realpath(path)
    return info.st_dev, info.st_ino


def collect_record_files(arguments: list[str]) -> list[tuple[Path, str]]:
    """Files to check, in a stable order; folders are searched for *.yaml and *.yml."""
    return [(Path(path), shown) for shown, (path, _) in sorted(_listed(arguments).items())]


def _listed(arguments: list[str]) -> dict[str, tuple[str, object]]:
    """Display name -> (path as a string, file identity) of every record file the arguments name."""
    if not arguments:
        default = Path("records")
        arguments = [str(default if default.is_dir() else RECORDS_DIR)]
    files: dict[str, tuple[str, object]] = {}
    seen: set[object] = set()
    try:
        here = os.getcwd()  # once: a corpus of thousands of files is listed here
    except OSError:
        here = None

    def add(candidate: str, shown: str, entry: os.DirEntry | None = None) -> None:
        # One file named twice (records and records/hunan/.., or through a link) is checked once,
        # or corpus rules would find it a duplicate of itself.
        identity = file_identity(candidate, entry)
        if identity not in seen:
            seen.add(identity)
            files.setdefault(shown, (candidate, identity))

    def walk(folder: str) -> bool:
        """Add the record files under a folder as os.walk would find them (files first, then subfolders,
        sorted; no hidden ones; links to folders not followed), stat'ing each once through its entry."""
        # One display name per folder, as os.walk's callers made it: a subfolder may be the current folder
        # itself (`validate ..` from inside one), whose records are shown by their bare names.
        shown_folder = "" if not folder or (here and os.path.abspath(folder) == here) else display_path(folder, here)
        try:
            with os.scandir(folder or ".") as listing:
                entries = sorted(listing, key=_NAME)
        except OSError as err:  # a folder that cannot be listed: its records would go unchecked
            raise UsageError(f"cannot read folder {err.filename}: {err.strerror}") from None
        found = False
        subfolders = []
        # Joined by hand: os.path.join is a Python function, and a hook run joins thousands of names.
        prefix = folder if not folder or folder.endswith(os.sep) else folder + os.sep
        shown_prefix = shown_folder if not shown_folder or shown_folder.endswith(os.sep) else shown_folder + os.sep
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not entry.is_symlink():
                    subfolders.append(name)
            elif name.endswith(RECORD_SUFFIXES):
                add(prefix + name, shown_prefix + name, entry)
                found = True
        for name in subfolders:
            found = walk(prefix + name) or found
        return found

    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            # Strings, spelt as Path spells them (os.walk was given the Path): records//x, records/./x and
            # ./records are records/x and records, so a record's display name does not depend on how its
            # folder was typed (corpus rules order records by it).
            folder = os.fspath(path)
            if not walk("" if folder == "." else folder):  # an empty folder (or one named x.yaml) must not pass as a clean run
                raise UsageError(f"no record files (*.yaml, *.yml) in folder {argument}")
        elif os.path.lexists(path):  # a file, or a link that cannot be followed: the loader reports it
            add(os.fspath(path), display_path(path, here))  # as Path spells it: ./records/x.yaml is records/x.yaml
        else:
            raise UsageError(f"no such file or folder: {argument}")
    return files


def corpus_context(files: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """The repository's other records, where every file checked is one of its records (as the hook passes them).

    Corpus rules (duplicate codes, conflicting values, outliers) then compare the files with the whole
    corpus, so that the hook's verdict on a commit is CI's. A file outside the repository's records/
    is checked on its own: it is not one of the corpus's records. Paths are absolute strings (the
    corpus index's names): a hook run among thousands of records makes a Path only for a record whose
    index entry is stale.
    """
    records = RECORDS_DIR.resolve()
    if not files or not RECORDS_DIR.is_dir():
        return []
    if not all(Path(os.path.realpath(path)).is_relative_to(records) for path, _ in files):
        return []
    checked = {file_identity(path) for path, _ in files}
    listed = _listed([str(RECORDS_DIR)])
    return [(path, shown) for shown, (path, identity) in sorted(listed.items()) if identity not in checked]


def seeds_of(files: list[tuple[Path, str]]) -> Path:
    """The seeds of the repository the records belong to (not the one the validator was installed from)."""
    folders = {os.path.dirname(os.path.abspath(path)) for path, _ in files}  # a corpus has few folders, walked once each
    repositories = {repository_around(Path(folder)) for folder in folders} - {None}
    if len(repositories) > 1:
        shown = ", ".join(sorted(str(r) for r in repositories))
        raise UsageError(f"the records belong to several repositories ({shown}); validate one repository's records at a time")
    return next(iter(repositories)) / "seeds" if repositories else SEEDS_DIR


def changed_record_files(revision: str) -> list[tuple[Path, str]]:
    """The records changed since a git revision (added, modified, renamed, untracked), as validate finds files."""
    from ..commands.diff import DiffInputError, changed_since

    try:
        names = changed_since(revision, REPO_ROOT)
    except DiffInputError as err:
        raise UsageError(str(err)) from None
    present = [str(REPO_ROOT / name) for name in names if os.path.lexists(REPO_ROOT / name)]
    return collect_record_files(present) if present else []
