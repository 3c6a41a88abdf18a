"""A finding: what a rule (or the loader) says about one place in one record, as data.

Besides its message a finding carries the other places that take part in it (`related`: the whole of
a part, the first statement of a figure, the other record with the same code), the record ids it
concerns (`ids`) and the numbers it compared (`data`), so that reporters, `diff` and the site can use
them without reading the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # never fails a run: corrections, what a reviewer should see


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that takes part in a finding, and its role there (`whole`, `part`, `first statement`)."""

    role: str
    pointer: str = ""
    # Another file (as reported: a record's display name, or a seed's path); None: the finding's own record.
    file: str | None = None
    # Set only where a position is not a pointer's (a passage of a seed).
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one JSON pointer; positions are resolved by the engine, not the rule.

    A rule's check leaves `code` empty: the engine stamps the code of the rule that yielded it. The
    loader and the schema step, which are not rules' checks, name their catalogued code (`Finding.of`).
    """

    message: str
    pointer: str = ""
    code: str = ""
    # Set only where a position is not a pointer's (syntax errors, bytes that are not UTF-8).
    line: int | None = None
    column: int | None = None
    # Where a rule knows the key rather than the value is at fault (unknown fields).
    at_key: bool = False
    related: tuple[Related, ...] = ()
    ids: tuple[str, ...] = ()
    data: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, message: str, **fields) -> Finding:
        """A finding of a catalogued code raised by a pipeline step rather than by a rule's check."""
        return cls(message, code=code, **fields)


@dataclass(frozen=True, slots=True)
class LocatedRelated:
    """A related place placed in a file."""

    role: str
    file: str
    line: int
    column: int
    pointer: str
    path: str  # the pointer as an id path (see validator/identity.py); empty outside records


@dataclass(slots=True)
class LocatedFinding:
    """A finding placed in a file, with the name and severity the rule catalogue gives its code."""

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
    path: str = ""  # the pointer as an id path: how acknowledgements and `diff` name the place
    related: list[LocatedRelated] = field(default_factory=list)
    ids: tuple[str, ...] = ()
    data: dict[str, object] = field(default_factory=dict)
    source_line: str | None = None  # the record's line at the finding, for reporters that show it

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.message)

