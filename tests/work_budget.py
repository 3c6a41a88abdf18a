"""Counting the work a pattern does, so tests can assert that reading a text stays linear in its length."""

from __future__ import annotations

import re
import sys


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


class LinesRun:
    """Counts the lines Python runs in the given modules while active: work, measured without a clock.

    A loop's line counts once per pass, so the count grows with a quadratic loop as the loop does;
    frames of other modules are not traced line by line.
    """

    def __init__(self, *modules) -> None:
        self.files = {module.__file__ for module in modules}
        self.count = 0

    def _trace(self, frame, event, arg):
        if frame.f_code.co_filename not in self.files:
            return None
        if event == "line":
            self.count += 1
        return self._trace

    def __enter__(self) -> "LinesRun":
        self._previous = sys.gettrace()
        sys.settrace(self._trace)
        return self

    def __exit__(self, *exc) -> None:
        sys.settrace(self._previous)
