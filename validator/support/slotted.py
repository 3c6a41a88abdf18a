"""A plain class with `__slots__` that prints and compares by its fields, as a dataclass does.

Dataclasses cost a one-file run ~20 ms on Python 3.11 (`import dataclasses` pulls in inspect, ast
and dis; each class exec's its generated methods), about a fifth of the run (issue 14). Immutable
value types are `typing.NamedTuple`s instead; the mutable ones, and those that must not look like
a sequence, subclass this and write their `__init__`.
"""

from __future__ import annotations


class Slotted:
    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        # As a tuple of fields, as a dataclass compares: the same NaN object equals itself.
        return self._fields() == other._fields() if type(other) is type(self) else NotImplemented

    __hash__ = None  # mutable, as a dataclass with eq and without frozen; an immutable one hashes _fields()
