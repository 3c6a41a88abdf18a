"""The passage of a source most like a quote that is not in it, for QUOTE001's message, within a fixed budget.

difflib over the whole source cost seconds per quote on a large seed, and a record can hold
thousands of near-miss quotes. Instead each seed gets a word index (built once per process, when a
quote first fails against it): the quote's rarest words vote for where in the source the quote
would start, and the best few places are scored by the words they share with it. A mistyped word, number or ending
leaves the other words to find the passage. Every step is counted in work units against one budget
per record, within one per process; once it is spent the quote is still reported, with the search
said to be skipped. The index also keeps where each word stands in the file, so a passage's line and
column are found by bisection.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from ..record.cjk import IDEOGRAPH_CLASS
from .seeds import SeedText
from .text import PASSAGE, clip

# A word: a run of letters and digits, but each Chinese character on its own (Chinese has no spaces, so
# a whole sentence would otherwise be one word that a mistyped quote never shares).
# Compiled on first use (a failing quote): the ideograph ranges are slow to compile.
@cache
def _word_pattern() -> re.Pattern[str]:
    return re.compile(f"[^\\W{IDEOGRAPH_CLASS}]+|[{IDEOGRAPH_CLASS}]")


PROBE_WORDS = 64  # the quote's first words are the ones matched; a typo in a longer quote is still found
ANCHORS = 8  # the rarest words of the quote whose occurrences vote for a place
COMMON_WORD = 1000  # a word this frequent in the seed ("the") says nothing about the place
CANDIDATES = 8  # places with the most votes, scored word by word
# One unit is one word indexed, looked up, voted with or compared: about a second of work in all.
PROCESS_BUDGET_UNITS = 4_000_000
# What one record's failing quotes may spend, within the process's budget: a hostile record spends
# its own, not every later record's.
RECORD_BUDGET_UNITS = 2_000_000


@dataclass(slots=True)
class SearchBudget:
    units: int
    spent: int = 0
    within: SearchBudget | None = None  # a larger budget (the process's) that pays for these units too

    def take(self, units: int) -> bool:
        """Spend the units if they are left; once refused, every later request is refused too."""
        if self.spent + units > self.units or (self.within is not None and not self.within.take(units)):
            self.spent = self.units
            return False
        self.spent += units
        return True


@dataclass(slots=True)
class WordIndex:
    words: list[str]  # the seed's words, lower-cased, in order
    starts: array  # character offset of each word in the folded text
    positions: dict[str, list[int]] = field(default_factory=dict)  # word -> its indexes in `words`
    # Where each word is in the file: (line, column) by bisection, rather than by walking the text up to
    # it for each passage. Empty where folding joined words (the file's words are then not these).
    raw_starts: array = field(default_factory=lambda: array("q"))
    line_starts: array = field(default_factory=lambda: array("q"))

    def position_of(self, word: int) -> tuple[int, int] | None:
        """Line and column (1-based) in the file of the word's first character; None where not known."""
        if not self.raw_starts:
            return None
        offset = self.raw_starts[word]
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


@dataclass(frozen=True, slots=True)
class ClosestPassage:
    passage: str | None  # None: no word of the quote is a distinctive word of the source
    searched: bool = True
    offset: int | None = None  # where the passage starts in the seed's folded text
    position: tuple[int, int] | None = None  # its line and column in the file; None: the budget could not pay for it


NOT_SEARCHED = ClosestPassage(None, searched=False)
_budget = SearchBudget(PROCESS_BUDGET_UNITS)
_indexes: dict[str, WordIndex | None] = {}  # by the seed's sha256; None: the budget could not pay for it


def process_budget() -> SearchBudget:
    return _budget


def record_budget() -> SearchBudget:
    """A budget for one record's searches, drawn from the process's."""
    return SearchBudget(RECORD_BUDGET_UNITS, within=_budget)


def reset_process_budget(units: int = PROCESS_BUDGET_UNITS) -> SearchBudget:
    """A fresh budget and no indexes, as in a new process (for tests and benchmarks)."""
    global _budget
    _budget = SearchBudget(units)
    _indexes.clear()
    return _budget


def _word_index(seed: SeedText, budget: SearchBudget) -> WordIndex | None:
    if seed.actual_sha256 in _indexes:
        return _indexes[seed.actual_sha256]
    words = [word.lower() for word in _word_pattern().findall(seed.folded)]
    index = None
    if budget.take(len(words)):
        index = WordIndex(words, array("q", (match.start() for match in _word_pattern().finditer(seed.folded))))
        for position, word in enumerate(words):
            index.positions.setdefault(word, []).append(position)
        # Folding only joins or drops whitespace, so the file has the same words unless it joined two.
        raw_starts = array("q", (match.start() for match in _word_pattern().finditer(seed.raw))) if budget.take(len(words)) else ()
        if len(raw_starts) == len(words):
            index.raw_starts = raw_starts
            index.line_starts = array("q", [0, *(match.end() for match in re.finditer("\n", seed.raw))])
    _indexes[seed.actual_sha256] = index
    return index


SHIFTS = (0, -1, 1, -2, 2)


def _aligned_start(words: list[str], probe: list[str], place: int) -> int:
    """Where the passage begins: at the quote's first word found near its place (a typo may shift the rest)."""
    for i, word in enumerate(probe):
        for shift in SHIFTS:
            j = place + i + shift
            if 0 <= j < len(words) and words[j] == word:
                return max(0, j - i)
    return place


def closest_passage(seed: SeedText, quote: str, budget: SearchBudget | None = None) -> ClosestPassage:
    """The passage of the (folded) seed most like the (folded) quote, as long as the quote and clipped."""
    budget = budget or _budget
    index = _word_index(seed, budget)
    probe = [word.lower() for word in _word_pattern().findall(quote[: PROBE_WORDS * 32])[:PROBE_WORDS]]
    if index is None or not budget.take(len(probe)):
        return NOT_SEARCHED
    first_offset: dict[str, int] = {}
    for offset, word in enumerate(probe):
        first_offset.setdefault(word, offset)
    anchors = sorted(
        (len(index.positions[word]), word) for word in first_offset
        if word in index.positions and len(index.positions[word]) <= COMMON_WORD
    )[:ANCHORS]
    if not budget.take(sum(count for count, _ in anchors)):
        return NOT_SEARCHED
    votes: Counter[int] = Counter()
    for _, word in anchors:
        offset = first_offset[word]
        votes.update(max(0, position - offset) for position in index.positions[word])
    if not votes:
        return ClosestPassage(None)
    places = [place for place, _ in votes.most_common(CANDIDATES)]
    if not budget.take(len(places) * len(probe) * 2):
        return NOT_SEARCHED
    wanted = Counter(probe)

    def score(place: int) -> tuple[int, int]:
        # The words shared with the window, in any order: a typo that splits or joins words shifts the
        # rest of the quote by a word, which an in-place comparison would count as all wrong.
        shared = wanted & Counter(index.words[place:place + len(probe)])
        return sum(shared.values()), -place  # ties: the earlier place

    best = max(places, key=score)
    if not budget.take(len(SHIFTS) * len(probe)):
        return NOT_SEARCHED
    first_word = _aligned_start(index.words, probe, best)
    start = index.starts[first_word]
    position = index.position_of(first_word)
    return ClosestPassage(clip(seed.folded[start:start + len(quote)], PASSAGE), offset=start, position=position)
