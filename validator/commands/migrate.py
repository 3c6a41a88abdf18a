"""`county-records migrate --to VERSION`: move records forward to a newer minor version of the schema.

A migration changes exactly what its entry in schema/CHANGELOG.md says, and nothing else of the
file: it edits the text of the lines concerned in place (as `fix-acknowledgements` does), so
comments, key order, quoting, flow and block style and folded text stay byte for byte. (A YAML
round-trip writer was tried and re-indents or re-spaces records written in another style.) The
result is re-read with the validator's own loader, and a file is written, atomically, only if its
data is the old data with exactly the documented changes.

1.0 -> 1.1: the version string; acknowledgements named by `pointer:` (a list position) become `at:`
id paths, as `fix-acknowledgements` rewrites them (giving a relation on the way an id where needed).
1.1 -> 1.2: the version string only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from ..support.atomic import AtomicWriteError, write_atomically
from ..load.loader import LoadedDocument, load_text
from ..models import SCHEMA_VERSIONS, version_key
from .acknowledgement_paths import Rewrite, expected_data, load_record, plan_document


class MigrationError(Exception):
    """A record this command cannot move forward; the message says why and what to do."""


@dataclass(slots=True)
class Migration:
    """What the command did (or, with --check, would do) to one file."""

    display: str
    declared: str | None = None
    migrated_to: str | None = None  # None: left as it is
    acknowledgements: list[Rewrite] = field(default_factory=list)
    error: str | None = None


# A step's new text and the data it must hold, from the record as loaded.
Step = Callable[[LoadedDocument, Migration], tuple[str, dict]]


def _replace_version(doc: LoadedDocument, old: str, new: str) -> str:
    """The text with `schema_version`'s quoted value replaced, in the same quotes."""
    text = doc.text
    line, column = doc.positions["/schema_version"]
    index = sum(len(part) + 1 for part in text.split("\n")[:line - 1]) + column - 1  # lines as the loader counts them
    for quote in ('"', "'"):
        token = f"{quote}{old}{quote}"
        if text.startswith(token, index):
            return text[:index] + f"{quote}{new}{quote}" + text[index + len(token):]
    raise MigrationError("schema_version is not written as a quoted string on one line; edit it by hand")


def _to_1_1(doc: LoadedDocument, migration: Migration) -> tuple[str, dict]:
    rewrite, acknowledged_text = plan_document(doc, migration.display)
    if rewrite.error:
        raise MigrationError(rewrite.error)
    migration.acknowledgements.append(rewrite)
    expected = expected_data(doc.data, rewrite) if acknowledged_text is not None else copy.deepcopy(doc.data)
    if acknowledged_text is not None:  # the edits moved positions: find schema_version in the new text
        doc = load_text(acknowledged_text, LoadedDocument(path=doc.path, text=acknowledged_text))
    expected["schema_version"] = "1.1"
    return _replace_version(doc, "1.0", "1.1"), expected


def _to_1_2(doc: LoadedDocument, migration: Migration) -> tuple[str, dict]:
    """1.2 only adds: the version string is all that changes."""
    expected = copy.deepcopy(doc.data)
    expected["schema_version"] = "1.2"
    return _replace_version(doc, "1.1", "1.2"), expected


# From each version, the next one and the step that moves a record there: every version after the
# first is reached from the one before it (a test keeps this so).
STEPS: dict[str, tuple[str, Step]] = {"1.0": ("1.1", _to_1_1), "1.1": ("1.2", _to_1_2)}


def plan_migration(path: Path, display: str, target: str) -> tuple[Migration, bytes | None]:
    """What to change in one record to bring it to `target`, and its new bytes (None where nothing changes)."""
    migration = Migration(display)
    doc, before_text = load_record(path)
    if not doc.usable or not isinstance(doc.data, dict):
        migration.error = "the file does not load as a record; run `county-records validate` on it first"
        return migration, None
    declared = doc.data.get("schema_version")
    if declared not in SCHEMA_VERSIONS:
        migration.error = "the file declares no schema_version this validator knows (SCHEMA004, SCHEMA005); fix that first"
        return migration, None
    migration.declared = declared
    if version_key(declared) >= version_key(target):
        return migration, None
    text, version = doc.text, declared
    try:
        while version != target:
            version, step = STEPS[version]
            text, expected = step(doc, migration)
            doc = load_text(text, LoadedDocument(path=path, text=text))
            if not doc.usable or doc.data != expected:
                raise MigrationError("the migrated text would not hold the data it must; edit this file by hand")
    except MigrationError as err:
        migration.error = str(err)
        migration.acknowledgements.clear()  # none of it is done
        return migration, None
    migration.migrated_to = target
    return migration, before_text + text.encode("utf-8")


def migrate(files: list[tuple[Path, str]], target: str, check_only: bool) -> list[Migration]:
    migrations = []
    for path, display in files:
        migration, new_bytes = plan_migration(path, display, target)
        if new_bytes is not None and not check_only:
            try:
                write_atomically(path, lambda stream: stream.write(new_bytes))
            except AtomicWriteError as err:
                migration.error, migration.migrated_to = str(err), None
                migration.acknowledgements.clear()
        migrations.append(migration)
    return migrations


def report(migrations: list[Migration], target: str, check_only: bool, out: TextIO, err: TextIO) -> int:
    """What `migrate` prints: each change, each file left as it is for a reason, then a summary; the exit status."""
    give, rewrite_to, leave, move = ("would give", "would rewrite", "would leave", "would migrate") if check_only else ("gave", "rewrote", "left", "migrated")
    moved = [m for m in migrations if m.migrated_to]
    failed = [m for m in migrations if m.error]
    for migration in migrations:
        for rewrite in migration.acknowledgements:
            for pointer, new_id in rewrite.ids_added:
                out.write(f"{migration.display}: {give} {pointer} the id {new_id}\n")
            for pointer, path in rewrite.rewritten:
                out.write(f"{migration.display}: {rewrite_to} {pointer} to at: {path}\n")
            for pointer, why in rewrite.left:
                out.write(f"{migration.display}: {leave} {pointer} as it is: {why}\n")
        if migration.migrated_to:
            out.write(f"{migration.display}: {move} {migration.declared} -> {migration.migrated_to}\n")
        elif migration.declared and version_key(migration.declared) > version_key(target):
            out.write(f"{migration.display}: left as it is: it declares {migration.declared}, newer than {target}\n")
        if migration.error:
            err.write(f"{migration.display}: {migration.error}\n")
    current = len(migrations) - len(moved) - len(failed)
    out.write(f"{len(migrations)} file{'s' if len(migrations) != 1 else ''} checked: {len(moved)} "
              f"{'to migrate' if check_only else 'migrated'} to {target}, {current} left as they are, {len(failed)} could not be migrated\n")
    return 1 if failed or (check_only and moved) else 0
