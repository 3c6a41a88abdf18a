"""The site's only door into the pipeline: findings and typed records from one engine run.

Everything the rest of `validator.commands.site` reads is the plain site model this module returns, so a change
of the pipeline's API changes this module alone.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from ...engine import Settings, locate, run
from ...support.findings import LocatedFinding, Severity
from ...load.loader import LoadedDocument
from ...support.paths import REPO_ROOT
from ...reporters import cap_per_file
from ...support.text import MESSAGE_LIMIT, REASON, clip, visible
from ...record.typed import RecordContext
from .model import FindingView, Place, RecordPage, SiteModel
from .views import RecordFacts, anchor, anchor_of_named, record_page


def repository_path(path: Path, display: str) -> str:
    """The file's path in the repository (records/hunan/yanling.yaml), or as shown when it lies outside."""
    try:
        return Path(os.path.abspath(path)).relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return Path(display).as_posix()


def _finding_view(finding: LocatedFinding, path: str) -> FindingView:
    return FindingView(
        code=finding.code, name=finding.name, severity=finding.severity.value, message=clip(finding.message, MESSAGE_LIMIT),
        pointer=finding.pointer, place=Place(path, finding.line), acknowledged=finding.acknowledged,
        reason=None if finding.ack_reason is None else clip(finding.ack_reason, REASON),
    )


def _line_of(document: LoadedDocument):
    return lambda pointer: locate(document, pointer)[0]


def _reading_of(context: RecordContext):
    readings = {}
    for entry in context.quantities:
        reading = entry.reading
        if reading is not None:
            readings[entry.pointer] = (float(reading.number), reading.unit.canonical)
    return readings.get


def _anchor_of_id(context: RecordContext):
    quantity_pointers = {entry.pointer for entry in context.quantities}
    anchors = {entry.name_id: anchor(entry.pointer) for entry in reversed(context.quantities) if entry.name_id}
    for item_id, items in context.by_id.items():
        pointer = items[0].place.pointer
        if not pointer.startswith("/sources/"):
            anchors.setdefault(item_id, anchor_of_named(pointer, quantity_pointers))
    return lambda item_id: anchors.get(item_id, "")


def _count_left_out(page: RecordPage, every: list[LocatedFinding], kept: list[LocatedFinding], left_out) -> RecordPage:
    """What the page leaves out past FINDINGS_PER_FILE: its counts stay whole, and it says which codes."""
    if left_out:
        kept_ids = {id(f) for f in kept}
        dropped = [f for f in every if id(f) not in kept_ids]
        page.left_out = visible(left_out[0].sentence())
        page.left_out_acknowledged = sum(1 for f in dropped if f.acknowledged)
        page.left_out_open = sum(1 for f in dropped if not f.acknowledged and f.severity is not Severity.INFO)
    return page


class _PageNames:
    """counties/<code>.html, unique even where two files claim one code or a file has none."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def name(self, stem: str) -> str:
        candidate, n = stem, 1
        while candidate in self.used:
            n += 1
            candidate = f"{stem}-{n}"
        self.used.add(candidate)
        return f"counties/{candidate}.html"


def gather_site(files: list[tuple[Path, str]], today: date) -> SiteModel:
    settings = Settings(today=today, keep_records=True)
    result = run(files, settings)
    findings_by_file: dict[str, list[LocatedFinding]] = {}
    for finding in result.findings:
        findings_by_file.setdefault(finding.file, []).append(finding)
    paths = dict((display, path) for path, display in files)
    names = _PageNames()
    pages = []
    for checked in result.results:
        path, display = paths[checked.display], checked.display
        shown = repository_path(path, display)
        every = findings_by_file.get(display, [])
        kept, left_out = cap_per_file(every)
        findings = [_finding_view(f, shown) for f in kept]
        context = checked.context
        if context is None:
            slug = re.sub(r"[^a-z0-9]+", "-", Path(shown).stem.lower()).strip("-") or "record"
            page = RecordPage(page=names.name(f"file-{slug}"), path=shown, loaded=False, disk_path=str(path), findings=findings)
            pages.append(_count_left_out(page, every, kept, left_out))
            continue
        facts = RecordFacts(
            path=shown, line_of=_line_of(context.document), reading_of=_reading_of(context),
            anchor_of_id=_anchor_of_id(context), quantity_pointers=[entry.pointer for entry in context.quantities],
        )
        page = record_page(context.record, facts, names.name(context.record.division.code), findings)
        page.disk_path = str(path)
        page.coverage = checked.coverage
        pages.append(_count_left_out(page, every, kept, left_out))
    return SiteModel(pages=pages, today=today.isoformat())
