"""Counting the work a pattern does, so tests can assert that reading a text stays linear in its length."""

from __future__ import annotations

import re


class CountingPattern:
    """A compiled pattern that adds up how many characters its matches and searches cross, as a budget of work."""

    def __init__(self, pattern: re.Pattern, budget: list[int]) -> None:
        self.pattern, self.budget = pattern, budget

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        found = self.pattern.match(text, pos, len(text) if endpos is None else endpos)
        self.budget[0] += 1 + (found.end() - pos if found else 0)
        return found

    def search(self, text: str, pos: int = 0):
        found = self.pattern.search(text, pos)
        self.budget[0] += 1 + ((found.end() if found else len(text)) - pos)
        return found
