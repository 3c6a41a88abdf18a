"""Run the pipeline over files: load -> structure -> typed record -> rules -> located findings.

Per-file work is a pure function of the file (`check_file`), so it can run in worker processes;
what corpus-wide rules need from each file travels back as compact `CorpusFacts`. Acknowledgements
are applied last, after the corpus rules, so that they can cover corpus findings too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .corpus import CorpusFacts, collect_facts
from .findings import Finding, LocatedFinding, excerpt
from .loader import LoadedDocument, Position, load_document
from .paths import SEEDS_DIR
from .rules import CORPUS_RULES, RECORD_RULES, RULE_BY_CODE
from .structure import check_structure
from .typed import build_context

# Below this many files, worker processes cost more to start than they save.
PARALLEL_THRESHOLD = 64


@dataclass(frozen=True, slots=True)
class Settings:
    today: date
    seeds_dir: Path = SEEDS_DIR
    jobs: int = 0  # 0: as many as the machine has cores


@dataclass(slots=True)
class Acknowledgement:
    rule: str
    pointer: str
    reason: str
    line: int
    column: int
    own_pointer: str


@dataclass(slots=True)
class FileResult:
    display: str
    findings: list[LocatedFinding]
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    facts: CorpusFacts | None = None
    schema_version: str | None = None


@dataclass(slots=True)
class ValidationRun:
    files: int
    findings: list[LocatedFinding]
    schema_versions: list[str]


def locate(doc: LoadedDocument | None, finding: Finding) -> Position:
    if finding.line is not None:
        return finding.line, finding.column or 1
    if doc is None:
        return 1, 1
    pointer = finding.pointer
    if finding.at_key and pointer in doc.key_positions:
        return doc.key_positions[pointer]
    while True:
        if pointer in doc.positions:
            return doc.positions[pointer]
        if not pointer:
            return 1, 1
        pointer = pointer.rpartition("/")[0]


def _located(display: str, doc: LoadedDocument | None, finding: Finding) -> LocatedFinding:
    line, column = locate(doc, finding)
    rule = RULE_BY_CODE[finding.code]
    return LocatedFinding(display, line, column, finding.pointer, finding.code, rule.name, rule.severity, finding.message)


def check_file(path: Path, display: str, settings: Settings) -> FileResult:
    doc = load_document(path)
    findings = list(doc.findings)
    result = FileResult(display=display, findings=[])
    if doc.usable:
        model, schema_findings = check_structure(doc)
        findings.extend(schema_findings)
        if model is not None:
            result.schema_version = model.schema_version
            context = build_context(path, model, doc, settings.today, settings.seeds_dir)
            for rule in RECORD_RULES:
                findings.extend(rule.check(context))
            result.facts = collect_facts(context, lambda pointer: locate(doc, Finding("", "", pointer=pointer)))
            result.acknowledgements = [
                Acknowledgement(a.rule, a.pointer, a.reason, *locate(doc, Finding("", "", pointer=f"/acknowledged/{i}")), f"/acknowledged/{i}")
                for i, a in enumerate(model.acknowledged)
            ]
    result.findings = [_located(display, doc, f) for f in findings]
    return result


def _check_file_star(job: tuple[Path, str, Settings]) -> FileResult:
    return check_file(*job)


# Pointers that name the whole record: an acknowledgement there would cover every finding of its rule.
_WHOLE_RECORD_POINTERS = frozenset({"", "/"})


def acknowledges(ack: Acknowledgement, finding: LocatedFinding) -> bool:
    """Whether the acknowledgement covers the finding: the same rule, at its pointer or inside it."""
    return finding.code == ack.rule and (finding.pointer == ack.pointer or finding.pointer.startswith(ack.pointer + "/"))


def _engine_finding(result: FileResult, ack: Acknowledgement, code: str, message: str) -> LocatedFinding:
    rule = RULE_BY_CODE[code]
    return LocatedFinding(result.display, ack.line, ack.column, ack.own_pointer, code, rule.name, rule.severity, message)


def apply_acknowledgements(result: FileResult) -> None:
    """Mark acknowledged findings; report acknowledgements too broad to hold (ACK002) or that match nothing (ACK001)."""
    for ack in result.acknowledgements:
        if ack.pointer in _WHOLE_RECORD_POINTERS:
            result.findings.append(_engine_finding(
                result, ack, "ACK002",
                f"acknowledgement of {ack.rule} with pointer \"{ack.pointer}\" names the whole record, so it would cover every "
                f"{ack.rule} finding, including the next one; give the pointer of the finding it keeps",
            ))
            continue
        matched = False
        for finding in result.findings:
            if acknowledges(ack, finding):
                finding.acknowledged = True
                finding.ack_reason = ack.reason
                matched = True
        if not matched:
            result.findings.append(_engine_finding(
                result, ack, "ACK001", f"acknowledgement of {ack.rule} at {excerpt(ack.pointer)} matches no finding; remove it",
            ))


def run(files: list[tuple[Path, str]], settings: Settings, progress: Callable[[int, int], None] | None = None) -> ValidationRun:
    """Check every file, then the corpus; `progress(done, total)` is called as files finish."""
    jobs = [(path, display, settings) for path, display in files]
    workers = settings.jobs or os.cpu_count() or 1
    results: list[FileResult] = []
    if len(jobs) >= PARALLEL_THRESHOLD and workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # one-file runs need not import multiprocessing

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_check_file_star, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
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
    facts = [(r.display, r.facts) for r in results if r.facts is not None]
    by_display = {r.display: r for r in results}
    for corpus_rule in CORPUS_RULES:
        for display, finding in corpus_rule.check(facts):
            result = by_display[display]
            line, column = result.facts.position_of(finding.pointer) if result.facts else (1, 1)
            rule = RULE_BY_CODE[finding.code]
            result.findings.append(LocatedFinding(display, line, column, finding.pointer, finding.code, rule.name, rule.severity, finding.message))
    all_findings: list[LocatedFinding] = []
    for result in results:
        apply_acknowledgements(result)
        all_findings.extend(result.findings)
    all_findings.sort(key=LocatedFinding.sort_key)
    versions = sorted({r.schema_version for r in results if r.schema_version})
    return ValidationRun(files=len(results), findings=all_findings, schema_versions=versions)
