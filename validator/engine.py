"""Run the pipeline over files: load -> structure -> typed record -> rules -> located findings.

`check_file` is the one function that takes a file to its typed record and its findings; validate,
export, diff and docs all go through it (by `run`), so no command parses a file twice. Per-file work
is a pure function of the file, so it can run in worker processes; what corpus-wide rules need from
each file travels back as compact `CorpusFacts`. Acknowledgements are applied last, after the corpus
rules, so that they can cover corpus findings too.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Callable, NamedTuple

from .corpus.facts import CorpusFacts, collect_facts
from .corpus.index import CorpusCache, cache_file as corpus_cache_file, file_key
from .support.findings import Finding, LocatedFinding, LocatedRelated
from .record.identity import id_path
from .load.loader import LoadedDocument, Position, load_document
from .support.paths import SEEDS_DIR
from .rules import CORPUS_RULES, RECORD_RULES, RULE_BY_CODE
from .rules.base import Rule
from .rules.coverage import coverage_counts
from .support.slotted import Slotted
from .structure.check import check_structure
from .support.text import MESSAGE_LIMIT, clip
from .record.typed import RecordContext, build_context
from .record.unit_cache import unit_cache
from .acknowledgements import acknowledging

# Below this many files, worker processes cost more to start than they save.
PARALLEL_THRESHOLD = 64


class Settings(NamedTuple):
    today: date
    seeds_dir: Path = SEEDS_DIR
    jobs: int = 0  # 0: as many as the machine has cores
    # Keep each file's loaded document and typed record in its result (export, diff, docs need them).
    keep_records: bool = False


class FileResult(Slotted):
    __slots__ = ("display", "findings", "acknowledgements", "facts", "schema_version", "document", "context", "new_units",
                 "coverage")

    def __init__(self, display: str, findings: list[LocatedFinding],
                 acknowledgements: list[acknowledging.Acknowledgement] | None = None, facts: CorpusFacts | None = None,
                 schema_version: str | None = None, document: LoadedDocument | None = None,
                 context: RecordContext | None = None, new_units: dict | None = None) -> None:
        self.display = display
        self.findings = findings
        self.acknowledgements = [] if acknowledgements is None else acknowledgements
        self.facts = facts
        self.schema_version = schema_version
        self.document = document  # kept only with Settings.keep_records
        self.context = context  # likewise; None where the record did not reach the rules
        self.new_units = {} if new_units is None else new_units  # a worker's new unit-cache answers, for the parent to write
        self.coverage: dict[str, int] | None = None  # text sources, their quantities, those accounted for (COVER001)


class ValidationRun(Slotted):
    __slots__ = ("files", "findings", "schema_versions", "results")

    def __init__(self, files: int, findings: list[LocatedFinding], schema_versions: list[str],
                 results: list[FileResult] | None = None) -> None:
        self.files = files
        self.findings = findings
        self.schema_versions = schema_versions
        self.results = [] if results is None else results


def locate(doc: LoadedDocument | None, pointer: str, at_key: bool = False) -> Position:
    """Where a pointer is in the file: its own position, else its nearest ancestor's."""
    if doc is None:
        return 1, 1
    if at_key and pointer in doc.key_positions:
        return doc.key_positions[pointer]
    while True:
        if pointer in doc.positions:
            return doc.positions[pointer]
        if not pointer:
            return 1, 1
        pointer = pointer.rpartition("/")[0]


# A snippet shows at most this much of a line.
SOURCE_LINE_LIMIT = 240


def _located(display: str, doc: LoadedDocument | None, finding: Finding, lines: list[str]) -> LocatedFinding:
    if finding.line is not None:
        line, column = finding.line, finding.column or 1
    else:
        line, column = locate(doc, finding.pointer, finding.at_key)
    rule = RULE_BY_CODE[finding.code]
    data = doc.data if doc is not None else None
    related = []
    for place in finding.related:
        if place.file is not None:  # another file: positioned by the corpus step or the rule itself
            related.append(LocatedRelated(place.role, place.file, place.line or 1, place.column or 1, place.pointer, ""))
            continue
        place_line, place_column = (place.line, place.column or 1) if place.line is not None else locate(doc, place.pointer)
        related.append(LocatedRelated(place.role, display, place_line, place_column, place.pointer, id_path(place.pointer, data)))
    return LocatedFinding(
        display, line, column, finding.pointer, finding.code, rule.name, rule.severity, clip(finding.message, MESSAGE_LIMIT),
        path=id_path(finding.pointer, data), related=related, ids=finding.ids, data=dict(finding.data),
        source_line=lines[line - 1][:SOURCE_LINE_LIMIT] if 0 < line <= len(lines) else None,
    )


def stamped(rule: Rule, finding: Finding) -> Finding:
    """The finding with its rule's code: a check never types its own code."""
    return finding._replace(code=rule.code)


def check_file(path: Path, display: str, settings: Settings) -> FileResult:
    doc = load_document(path)
    findings = list(doc.findings)
    result = FileResult(display=display, findings=[])
    if doc.usable:
        structured = check_structure(doc)
        findings.extend(structured.findings)
        model = structured.record
        if model is not None:
            result.schema_version = model.schema_version
            context = build_context(path, model, doc, settings.today, settings.seeds_dir, structured.left_out_ids)
            for rule in RECORD_RULES:
                findings.extend(stamped(rule, finding) for finding in rule.check(context))
            result.coverage = coverage_counts(context)
            result.facts = collect_facts(context, lambda pointer: locate(doc, pointer))
            result.acknowledgements = acknowledging.acknowledgements_of(model, doc, locate)
            if settings.keep_records:
                result.context = context
    if settings.keep_records:
        result.document = doc
    lines = doc.text.split("\n") if findings and doc.text else []
    result.findings = [_located(display, doc, f, lines) for f in findings]
    return result


def _check_file_star(job: tuple[Path, str, Settings]) -> FileResult:
    return check_file(*job)


def _check_file_in_worker(job: tuple[Path, str, Settings]) -> FileResult:
    result = check_file(*job)
    result.new_units = unit_cache().take_new()  # only the parent writes the cache, once
    return result


def _check_all(jobs: list[tuple[Path, str, Settings]], workers: int,
               progress: Callable[[int, int], None] | None) -> list[FileResult]:
    results: list[FileResult] = []
    if len(jobs) >= PARALLEL_THRESHOLD and workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # one-file runs need not import multiprocessing

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_check_file_in_worker, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
                unit_cache().merge(result.new_units)
                if result.facts is not None:
                    result.facts.shared()  # strings arrive from workers as copies: share them again
                results.append(result)
                if progress is not None:
                    progress(len(results), len(jobs))
    else:
        for job in jobs:
            results.append(_check_file_star(job))
            if progress is not None:
                progress(len(results), len(jobs))
    return results


def _corpus_findings(results: list[FileResult], focus: frozenset[str] | None = None,
                     context: list[tuple[str, CorpusFacts]] = (), order: dict[str, str] | None = None) -> list[FileResult]:
    """Corpus rules over every record; with a focus (the checked files of a run with context), a rule
    may leave out work whose findings could concern no focus record, and must give the same findings
    about the focus as a full run does. `context` are the other records' facts; a result is made only
    for those a finding lands on (a hook run among 2,000 records makes a few), and returned. `order`
    gives each display name the key records are ordered by (their absolute paths; else the name itself)."""
    # In file order, as a full run sees them: which of two records is "the second" must depend neither on
    # the run nor on the current folder (display names do), so by absolute path where `order` says it.
    facts = [(r.display, r.facts) for r in results if r.facts is not None] + [pair for pair in context if pair[1] is not None]
    order = order or {}
    facts.sort(key=lambda pair: order.get(pair[0], pair[0]))
    by_display = {r.display: r for r in results}
    context_facts = dict(context)
    made: list[FileResult] = []

    def facts_of(display: str) -> CorpusFacts | None:
        return by_display[display].facts if display in by_display else context_facts.get(display)

    for corpus_rule in CORPUS_RULES:
        for display, finding in corpus_rule.check(facts, focus):
            finding = stamped(corpus_rule, finding)
            if display not in by_display:
                by_display[display] = FileResult(display=display, findings=[], facts=context_facts[display])
                made.append(by_display[display])
            result = by_display[display]
            line, column, path = result.facts.place_of(finding.pointer) if result.facts else (1, 1, "")
            related = []
            for place in finding.related:
                other = facts_of(place.file or display)
                other_line, other_column, other_path = other.place_of(place.pointer) if other else (1, 1, "")
                related.append(LocatedRelated(place.role, place.file or display, other_line, other_column, place.pointer, other_path))
            rule = RULE_BY_CODE[finding.code]
            result.findings.append(LocatedFinding(
                display, line, column, finding.pointer, finding.code, rule.name, rule.severity, clip(finding.message, MESSAGE_LIMIT),
                path=path, related=related, ids=finding.ids, data=dict(finding.data),
            ))
    return made


def _context_facts(context_files: list[tuple[str, str]], settings: Settings) -> list[tuple[str, CorpusFacts | None]]:
    """The corpus facts of records that are not being checked, from the corpus index where it is current.

    `context_files` are (absolute path, display) as corpus_context lists them: the paths are the index's names.
    """
    index = CorpusCache(corpus_cache_file(settings.seeds_dir.parent / "records"))
    # Each file's key is taken before the file is read: one changed while it is read is then read again next run.
    keys = [file_key(path) for path, _ in context_files]
    found = [(display, index.get(path, key)) for (path, display), key in zip(context_files, keys)]
    # New, changed, or not in the index: read them (on all cores where there are many, as after an
    # upgrade, whose new contract starts a new index), and keep their facts for the next run.
    stale = [row for row, (_, facts) in enumerate(found) if facts is None]
    jobs = [(Path(context_files[row][0]), context_files[row][1], settings) for row in stale]
    for row, result in zip(stale, _check_all(jobs, settings.jobs or os.cpu_count() or 1, None)):
        index.put(context_files[row][0], keys[row], result.facts)
        found[row] = (result.display, result.facts)
    index.forget_missing({path for path, _ in context_files})
    index.flush()
    return found


def _concerns(finding: LocatedFinding, checked: set[str]) -> bool:
    """Whether a corpus finding is about a checked file: it is in one, or one takes part in it."""
    return finding.file in checked or any(place.file in checked for place in finding.related)


def run(files: list[tuple[Path, str]], settings: Settings, progress: Callable[[int, int], None] | None = None,
        context_files: list[tuple[str, str]] = ()) -> ValidationRun:
    """Check every file, then the corpus; `progress(done, total)` is called as files finish.

    `context_files` are the repository's other records: corpus rules compare the checked files with
    them too, and report what concerns a checked file (also where it makes another record the
    second holder of a code), but nothing else about them.
    """
    jobs = [(path, display, settings) for path, display in files]
    results = _check_all(jobs, settings.jobs or os.cpu_count() or 1, progress)
    context = _context_facts(list(context_files), settings) if context_files else []
    checked = {result.display for result in results}
    # Records are ordered by absolute path: context paths are absolute already (corpus_context).
    order = {display: os.path.abspath(path) for path, display in files} | {display: path for path, display in context_files}
    others = []
    for other in _corpus_findings(results, frozenset(checked) if context else None, context, order):
        other.findings = [f for f in other.findings if _concerns(f, checked)]
        if other.findings:
            # Its own acknowledgements may cover what lands on it, as in a full run; the index does not
            # keep them, so the few records a finding lands on are read again.
            other.acknowledgements = check_file(Path(order[other.display]), other.display, settings).acknowledgements
            others.append(other)
    results.extend(others)
    for result in results:
        acknowledging.apply(result.display, result.findings, result.acknowledgements)
    for other in others:  # what apply says of their acknowledgements (ACK001...) is not about the checked files
        other.findings = [f for f in other.findings if _concerns(f, checked)]
    all_findings = [finding for result in results for finding in result.findings]
    all_findings.sort(key=LocatedFinding.sort_key)
    versions = sorted({r.schema_version for r in results if r.schema_version})
    return ValidationRun(files=len(files), findings=all_findings, schema_versions=versions, results=results)
