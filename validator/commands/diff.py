"""What changed in the data between two versions of the records: figures, findings, acknowledgements.

Both versions go through the same pipeline as `validate` (load -> structure -> typed record, and
the engine for findings). Things are matched by what they are, not where they stand: a figure is
its file plus the owning item's id and the field path (`observations[poor-households-2014]`), so
reordering a list changes nothing. This module computes; `diff_report` formats.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, Mapping, TypeVar

from ..engine import FileResult, Settings, run
from ..support.findings import Finding, LocatedFinding, Severity
from ..record.identity import id_path
from ..record.typed import cell_text
from ..load.loader import MAX_FILE_BYTES, LoadedDocument, read_bounded, too_large
from ..support.paths import REPO_ROOT, RECORD_SUFFIXES
from ..reporters import is_correction
from ..rules import ALL_RULES, RULE_BY_CODE

DEFAULT_PATHS = ("records",)
# Fields of a quantity whose difference is a change of the figure.
FIGURE_FIELDS = ("value", "qualifier", "upper", "curated", "quote", "cell")
# Findings that stop a file before its typed record: the first one says why its figures are unknown.
_STOPPING_CODES = frozenset(rule.code for rule in ALL_RULES if rule.stops)


class DiffInputError(Exception):
    """The revision or a path cannot be read (the command exits with status 2)."""


class VersionState(str, Enum):
    ABSENT = "absent"
    VALID = "valid"
    NOT_LOADED = "does not load"
    NOT_VALID = "does not validate"


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantity of a record, named by what it is rather than where it stands."""

    identity: str
    line: int
    value: str
    qualifier: str
    upper: str | None
    curated: str | None
    quote: str | None  # None where the figure cites a table's cell (schema 1.2)
    cell: str | None = None  # the cited cell: "source, row ROW, column COLUMN"


@dataclass(frozen=True, slots=True)
class FigureChange:
    old: Figure
    new: Figure
    fields: tuple[str, ...]  # which of FIGURE_FIELDS differ


@dataclass(frozen=True, slots=True)
class FindingEntry:
    code: str
    name: str
    severity: Severity
    identity: str  # the id path of the place the finding is at
    line: int
    message: str
    acknowledged: bool
    # How findings are matched: the rule, its place and its related places by id path, not the message,
    # so a finding whose numbers changed is the same finding (the figure's change says what changed).
    key: tuple
@dataclass(frozen=True, slots=True)
class AcknowledgementEntry:
    rule: str
    pointer: str
    identity: str  # of the pointer, so that reordering the acknowledged list or the data changes nothing
    reason: str
    line: int


@dataclass(slots=True)
class RecordVersion:
    """One file at one side of the comparison."""

    state: VersionState
    problem: FindingEntry | None = None  # the first finding that stopped loading or validation
    figures: dict[str, Figure] = field(default_factory=dict)
    acknowledgements: list[AcknowledgementEntry] = field(default_factory=list)
    findings: list[FindingEntry] = field(default_factory=list)


@dataclass(slots=True)
class FileDiff:
    file: str
    old: RecordVersion
    new: RecordVersion
    text_changed: bool = True
    figures_added: list[Figure] = field(default_factory=list)
    figures_removed: list[Figure] = field(default_factory=list)
    figures_changed: list[FigureChange] = field(default_factory=list)
    findings_appeared: list[FindingEntry] = field(default_factory=list)
    findings_gone: list[FindingEntry] = field(default_factory=list)
    # Curated readings (CORRECTION001, information): where a record now departs, or no longer departs, from its source.
    corrections_added: list[FindingEntry] = field(default_factory=list)
    corrections_removed: list[FindingEntry] = field(default_factory=list)
    acknowledgements_added: list[AcknowledgementEntry] = field(default_factory=list)
    acknowledgements_removed: list[AcknowledgementEntry] = field(default_factory=list)

    @property
    def figures_compared(self) -> bool:
        """False where one side exists but does not validate, so its figures are unknown."""
        return all(v.state in (VersionState.VALID, VersionState.ABSENT) for v in (self.old, self.new))

    @property
    def differs(self) -> bool:
        # An edit of a file that fails on both sides is listed: its figures cannot be shown, but it changed.
        if self.text_changed and not self.figures_compared:
            return True
        return self.old.state is not self.new.state or any((
            self.figures_added, self.figures_removed, self.figures_changed, self.findings_appeared,
            self.findings_gone, self.corrections_added, self.corrections_removed,
            self.acknowledgements_added, self.acknowledgements_removed,
        ))


@dataclass(slots=True)
class CorpusDiff:
    revision: str
    files_compared: int
    files: list[FileDiff]  # only those that differ, by file name

    def totals(self) -> dict[str, int]:
        names = ("figures_added", "figures_removed", "figures_changed", "findings_appeared", "findings_gone",
                 "corrections_added", "corrections_removed",
                 "acknowledgements_added", "acknowledgements_removed")
        return {name: sum(len(getattr(f, name)) for f in self.files) for name in names}


def identify(pointer: str, data: object) -> str:
    """`/observations/3/value` -> `observations[poor-households-2014].value` (see validator/identity.py)."""
    return id_path(pointer, data)


def _finding_entry(finding: LocatedFinding) -> FindingEntry:
    related = tuple(sorted((r.role, r.file if r.file != finding.file else "", r.path or r.pointer) for r in finding.related))
    place = finding.path if finding.path or finding.pointer else f"line {finding.line}"
    return FindingEntry(
        finding.code, finding.name, finding.severity, finding.path, finding.line, finding.message, finding.acknowledged,
        (finding.code, place, related),
    )


def _line(doc: LoadedDocument, pointer: str) -> int:
    return doc.positions.get(pointer, (1, 1))[0]


def _typed_version(result: FileResult) -> RecordVersion:
    """State, figures and acknowledgements of one checked file; findings are added by the caller."""
    doc, context = result.document, result.context
    if doc is None or not doc.usable:
        return RecordVersion(VersionState.NOT_LOADED)
    if context is None or any(f.code in _STOPPING_CODES for f in result.findings):
        # Some of it does not fit its schema: the rules checked the rest, but its figures are not all known.
        return RecordVersion(VersionState.NOT_VALID)
    version = RecordVersion(VersionState.VALID)
    occurrences: Counter[str] = Counter()
    for entry in context.quantities:
        quantity = entry.quantity
        identity = entry.place.id_path
        # Two items sharing an id (itself REF001) must not hide each other's figures.
        occurrences[identity] += 1
        if occurrences[identity] > 1:
            identity += f"#{occurrences[identity]}"
        version.figures[identity] = Figure(
            identity, _line(doc, entry.pointer), quantity.value, quantity.qualifier, quantity.upper,
            quantity.curated.value if quantity.curated else None, quantity.quote, cell_text(quantity),
        )
    version.acknowledgements = [
        AcknowledgementEntry(a.rule, a.place, a.at if a.at is not None else identify(a.pointer or "", doc.data), a.reason, a.line)
        for a in result.acknowledgements
    ]
    return version


# A file of one side: its bytes, or the finding that says why they were not read (as `validate` reports it).
FileContent = bytes | Finding


def _unread_version(name: str, problem: Finding) -> RecordVersion:
    rule = RULE_BY_CODE[problem.code]
    located = LocatedFinding(name, problem.line or 1, problem.column or 1, "", problem.code, rule.name, rule.severity, problem.message)
    entry = _finding_entry(located)
    return RecordVersion(VersionState.NOT_LOADED, problem=entry, findings=[entry])


def check_versions(texts: Mapping[str, FileContent], folder: Path, settings: Settings) -> dict[str, RecordVersion]:
    """Every file of one side, checked in `folder` under its own relative name, each parsed once."""
    paths = {name: folder / name for name, content in texts.items() if isinstance(content, bytes)}
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(texts[name])
    result = run([(paths[name], name) for name in sorted(paths)], settings._replace(keep_records=True))
    versions = {r.display: _typed_version(r) for r in result.results}
    versions |= {name: _unread_version(name, content) for name, content in texts.items() if isinstance(content, Finding)}
    for finding in result.findings:
        version = versions[finding.file]
        entry = _finding_entry(finding)
        version.findings.append(entry)
        if version.state is not VersionState.VALID and version.problem is None and finding.code in _STOPPING_CODES:
            version.problem = entry
    return versions


Matched = TypeVar("Matched")


def unmatched(items: Iterable[Matched], others: Iterable[Matched], key: Callable[[Matched], object]) -> list[Matched]:
    """The items that no other item matches by key, counting repeats (a multiset difference)."""
    remaining = Counter(key(other) for other in others)
    left: list[Matched] = []
    for item in items:
        if remaining[key(item)]:
            remaining[key(item)] -= 1
        else:
            left.append(item)
    return left


def _acknowledgement_key(ack: AcknowledgementEntry) -> tuple[str, str, str]:
    return ack.rule, ack.identity, ack.reason


def diff_file(name: str, old: RecordVersion, new: RecordVersion, text_changed: bool = True) -> FileDiff:
    result = FileDiff(name, old, new, text_changed)
    if result.figures_compared:
        result.figures_added = [f for key, f in new.figures.items() if key not in old.figures]
        result.figures_removed = [f for key, f in old.figures.items() if key not in new.figures]
        for key, figure in new.figures.items():
            before = old.figures.get(key)
            changed = tuple(n for n in FIGURE_FIELDS if before is not None and getattr(before, n) != getattr(figure, n))
            if changed:
                result.figures_changed.append(FigureChange(before, figure, changed))
    appeared = unmatched(new.findings, old.findings, lambda f: f.key)
    gone = unmatched(old.findings, new.findings, lambda f: f.key)
    # Coverage findings (COVER001) are findings here: a change that leaves a quantity unaccounted for says so.
    result.findings_appeared = [f for f in appeared if not is_correction(f)]
    result.findings_gone = [f for f in gone if not is_correction(f)]
    result.corrections_added = [f for f in appeared if is_correction(f)]
    result.corrections_removed = [f for f in gone if is_correction(f)]
    result.acknowledgements_added = unmatched(new.acknowledgements, old.acknowledgements, _acknowledgement_key)
    result.acknowledgements_removed = unmatched(old.acknowledgements, new.acknowledgements, _acknowledgement_key)
    return result


def compare(old: Mapping[str, FileContent], new: Mapping[str, FileContent], settings: Settings, revision: str = "") -> CorpusDiff:
    """Compare two sets of record files, each a map from a relative file name to its bytes (or why they are unread)."""
    with tempfile.TemporaryDirectory(prefix="county-records-diff-") as scratch:
        old_versions = check_versions(old, Path(scratch) / "old", settings)
        new_versions = check_versions(new, Path(scratch) / "new", settings)
    absent = RecordVersion(VersionState.ABSENT)
    names = sorted(set(old) | set(new))
    diffs = [
        diff_file(name, old_versions.get(name, absent), new_versions.get(name, absent), old.get(name) != new.get(name))
        for name in names
    ]
    return CorpusDiff(revision, len(names), [d for d in diffs if d.differs])


def is_record_name(name: str) -> bool:
    """Record files as `validate` finds them in folders: *.yaml and *.yml, nothing hidden."""
    return name.endswith(RECORD_SUFFIXES) and not any(part.startswith(".") for part in name.split("/"))


def _git(repo_root: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    try:
        completed = subprocess.run(
            ["git", "--literal-pathspecs", *arguments], cwd=repo_root, input=stdin, capture_output=True, check=False
        )
    except OSError as err:
        raise DiffInputError(f"cannot run git: {err.strerror or err}") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise DiffInputError(f"git {arguments[0]} failed: {detail[-1] if detail else 'exit status ' + str(completed.returncode)}")
    return completed.stdout


def resolve_commit(revision: str, repo_root: Path) -> str:
    """The id of the commit a revision the user gave names: later git calls get the id, never the text typed,
    so a ref named `--output=FILE` cannot be read as an option."""
    try:
        return _git(repo_root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").decode().strip()
    except DiffInputError:
        raise DiffInputError(f"unknown revision {revision!r}: not a commit of the repository at {repo_root}") from None


def _read_blobs(repo_root: Path, objects: dict[str, str]) -> dict[str, FileContent]:
    """The contents of the blobs (file name -> object id), read in one `git cat-file --batch` by id.

    Each answer is framed by its header's exact size and checked against the id asked for, so no
    content (a commit's message, a file name with a line break) is ever taken for a header.
    """
    if not objects:
        return {}
    output = _git(repo_root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in objects.values()).encode("ascii"))
    texts: dict[str, FileContent] = {}
    offset = 0
    for name, oid in objects.items():
        header_end = output.find(b"\n", offset)
        header = output[offset:header_end].decode("ascii", errors="replace").split(" ")
        if header_end < 0 or header[0] != oid or len(header) != 3 or header[1] != "blob" or not header[2].isdigit():
            raise DiffInputError(f"git cat-file gave an answer that is not the blob asked for ({oid}, {name!r})")
        size, offset = int(header[2]), header_end + 1
        # Reported as the loader reports a file over its limit, and not written to the scratch folder.
        texts[name] = output[offset:offset + size] if size <= MAX_FILE_BYTES else too_large()
        offset += size + 1  # the content, then the newline that ends each answer
    return texts


def _blobs_listed(listing: bytes) -> dict[str, str]:
    """Record files and their blob ids from `git ls-tree -r -z`; a submodule entry (a commit) is no record file."""
    blobs = {}
    for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
        info, _, name = entry.partition("\t")
        _mode, kind, oid = (info.split(" ") + ["", "", ""])[:3]
        if kind == "blob" and is_record_name(name):
            blobs[name] = oid
    return blobs


def read_revision(revision: str, pathspecs: list[str], repo_root: Path) -> dict[str, FileContent]:
    """The record files under the pathspecs (relative to the repository root) at the revision."""
    commit = resolve_commit(revision, repo_root)
    listing = _git(repo_root, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", *pathspecs)
    return _read_blobs(repo_root, _blobs_listed(listing))


def read_worktree_file(repo_root: Path, name: str) -> FileContent | None:
    """A record file as it is now (None: deleted), read with the loader's bounds and never through a link out of the repository."""
    root = os.path.realpath(repo_root)
    path = os.path.join(root, name)
    if not os.path.lexists(path):
        return None
    real = os.path.realpath(path)
    if os.path.commonpath([root, real]) != root:
        return Finding.of("YAML016", "the file cannot be read: it is a link leading outside the repository", line=1, column=1)
    return read_bounded(real, follow_links=False)


def read_worktree(pathspecs: list[str], repo_root: Path) -> dict[str, FileContent]:
    """The record files under the pathspecs as they are now: tracked or new, not ignored, not deleted, not submodules."""
    tracked = _git(repo_root, "ls-files", "-z", "--stage", "--", *pathspecs).decode("utf-8", errors="surrogateescape")
    untracked = _git(repo_root, "ls-files", "-z", "--others", "--exclude-standard", "--", *pathspecs)
    listed = [name for info, _, name in (entry.partition("\t") for entry in tracked.split("\0")) if not info.startswith("160000 ")]
    listed += untracked.decode("utf-8", errors="surrogateescape").split("\0")
    names = sorted({name for name in listed if name and is_record_name(name)})
    contents = {name: read_worktree_file(repo_root, name) for name in names}
    return {name: content for name, content in contents.items() if content is not None}


def changed_since(revision: str, repo_root: Path, pathspecs: tuple[str, ...] = DEFAULT_PATHS) -> list[str]:
    """Record files (relative to the repository) added, changed or renamed since the revision, or new and untracked."""
    commit = resolve_commit(revision, repo_root)
    changed = _git(repo_root, "diff", "--name-only", "-z", "--diff-filter=ACMRT", "--end-of-options", commit, "--", *pathspecs)
    untracked = _git(repo_root, "ls-files", "-z", "--others", "--exclude-standard", "--", *pathspecs)
    names = {name for blob in (changed, untracked) for name in blob.decode("utf-8", errors="surrogateescape").split("\0")}
    return sorted(name for name in names if name and is_record_name(name))


def repository_paths(arguments: list[str], repo_root: Path) -> list[str]:
    """Command-line paths (relative to the current directory) as paths relative to the repository root."""
    if not arguments:
        return list(DEFAULT_PATHS)
    root = repo_root.resolve()
    relative = []
    for argument in arguments:
        try:
            relative.append(Path(os.path.abspath(argument)).relative_to(root).as_posix())
        except ValueError:
            raise DiffInputError(f"{argument} is outside the repository at {root}") from None
    return relative


def compare_with_revision(revision: str, arguments: list[str], settings: Settings, repo_root: Path = REPO_ROOT) -> CorpusDiff:
    """The records at the revision against the working tree (default: records/)."""
    pathspecs = repository_paths(arguments, repo_root)
    old = read_revision(revision, pathspecs, repo_root)
    new = read_worktree(pathspecs, repo_root)
    for pathspec in pathspecs:
        if not (repo_root / pathspec).exists() and not any(n == pathspec or n.startswith(pathspec.rstrip("/") + "/") for n in old):
            raise DiffInputError(f"no such file or folder, now or at {revision}: {pathspec}")
    return compare(old, new, settings, revision)
