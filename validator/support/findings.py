"""A finding: what a rule (or the loader) says about one place in one record, as data.

Besides its message a finding carries the other places that take part in it (`related`: the whole of
a part, the first statement of a figure, the other record with the same code), the record ids it
concerns (`ids`) and the numbers it compared (`data`), so that reporters, `diff` and the site can use
them without reading the message.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from .slotted import Slotted


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # never fails a run: corrections, what a reviewer should see


class Related(NamedTuple):
    """Another place that takes part in a finding, and its role there (`whole`, `part`, `first statement`)."""

    role: str
    pointer: str = ""
    # Another file (as reported: a record's display name, or a seed's path); None: the finding's own record.
    file: str | None = None
    # Set only where a position is not a pointer's (a passage of a seed).
    line: int | None = None
    column: int | None = None


class _FindingFields(NamedTuple):
    message: str
    pointer: str
    code: str
    line: int | None
    column: int | None
    at_key: bool
    related: tuple[Related, ...]
    ids: tuple[str, ...]
    data: dict[str, object]


class Finding(_FindingFields):
    """One problem at one JSON pointer; positions are resolved by the engine, not the rule.

    A rule's check leaves `code` empty: the engine stamps the code of the rule that yielded it. The
    loader and the schema step, which are not rules' checks, name their catalogued code (`Finding.of`).
    """

    __slots__ = ()

    def __new__(cls, message: str, pointer: str = "", code: str = "", line: int | None = None,
                column: int | None = None, at_key: bool = False, related: tuple[Related, ...] = (),
                ids: tuple[str, ...] = (), data: dict[str, object] | None = None) -> Finding:
        # `line`/`column`: set only where a position is not a pointer's (syntax errors, bytes that are
        # not UTF-8); `at_key`: the key rather than the value is at fault (unknown fields). A NamedTuple
        # has no default factory: each finding gets its own `data`.
        return super().__new__(cls, message, pointer, code, line, column, at_key, related, ids, {} if data is None else data)

    @classmethod
    def of(cls, code: str, message: str, **fields) -> Finding:
        """A finding of a catalogued code raised by a pipeline step rather than by a rule's check."""
        return cls(message, code=code, **fields)


class LocatedRelated(NamedTuple):
    """A related place placed in a file."""

    role: str
    file: str
    line: int
    column: int
    pointer: str
    path: str  # the pointer as an id path (see validator/identity.py); empty outside records


class LocatedFinding(Slotted):
    """A finding placed in a file, with the name and severity the rule catalogue gives its code."""

    __slots__ = ("file", "line", "column", "pointer", "code", "name", "severity", "message", "acknowledged",
                 "ack_reason", "path", "related", "ids", "data", "source_line")

    def __init__(self, file: str, line: int, column: int, pointer: str, code: str, name: str, severity: Severity,
                 message: str, acknowledged: bool = False, ack_reason: str | None = None, path: str = "",
                 related: list[LocatedRelated] | None = None, ids: tuple[str, ...] = (),
                 data: dict[str, object] | None = None, source_line: str | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.acknowledged = acknowledged
        self.ack_reason = ack_reason
        self.path = path  # the pointer as an id path: how acknowledgements and `diff` name the place
        self.related = [] if related is None else related
        self.ids = ids
        self.data = {} if data is None else data
        self.source_line = source_line  # the record's line at the finding, for reporters that show it

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.message)

