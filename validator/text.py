"""Small text helpers shared by reporters and commands."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """`1 file`, `2 files`: the count with its noun."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
