"""A finding: what a rule (or the loader) says about one place in one record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one JSON pointer; positions are resolved by the engine, not the rule."""

    code: str
    message: str
    pointer: str = ""
    # Set only where a position is not a pointer's (syntax errors, bytes that are not UTF-8).
    line: int | None = None
    column: int | None = None
    # Where a rule knows the key rather than the value is at fault (unknown fields).
    at_key: bool = False


@dataclass(slots=True)
class LocatedFinding:
    """A finding placed in a file, with the severity the rule catalogue gives its code."""

    file: str
    line: int
    column: int
    pointer: str
    code: str
    name: str
    severity: Severity
    message: str
    acknowledged: bool = False
    ack_reason: str | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.message)


# How much of any input a message may repeat: enough to recognise it, never the whole of a hostile file.
EXCERPT_LIMIT = 60


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """The text as a message may quote it: whole when short, else its start and how long it is."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"
