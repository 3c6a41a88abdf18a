"""The quantities a text source writes, sentence by sentence: what COVER001 checks a record covers, and what
`county-records draft` proposes.

A quantity is read as QUOTE002 reads a quote's figures (quote_figures.py, over each sentence of the seed),
less the numbers that count nothing. quote_figures already passes over the words of number_idioms.py
(一是, 第三, 一村一品, 十三五); a source's sentences also hold numbers that name a time or a place in a list
rather than an amount, and these are not quantities either:

- a year: four digits from 1900 to 2100 with no unit word (2014, 2019年, 'in 2016');
- a day or month: a number before 月, 日 or 号, or beside an English month name ('November 28', '10 December');
- an English ordinal ('13th', '21st') and a label after 'No.' (meeting room No. 1);
- the English renderings of number_idioms' slogans ('Four Not Picks', 'Five-Year Plan', 'on the one hand', 'one-stop'), and 'one' as a pronoun ('no one', "one's");
- list numbering: (1), （一）, 1、, 一、 and '1.' where a sentence begins with it or a colon or semicolon comes before it.

Positions are offsets into the seed's folded text (SeedText.folded), where QUOTE001 finds quotes, so a
quote's place and a quantity's place are compared in one text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

from ..support.seeds import SeedText, fold_whitespace
from .quote_figures import QuoteFigure, figures_in_quote, fold_quote

# A sentence ends at a Chinese or English end mark; a point ends one only before a space (not 16.57, not No. 1).
# (The look-behinds follow the point: before it, they would be tried at every character.)
_SENTENCE_END = re.compile(r"[。！？!?]+[\"'”’)）]*|\.(?<![0-9]\.)(?<!\bNo\.)(?<!\bno\.)(?=\s)[\"'”’)）]*")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}|2100")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_MONTH_BEFORE = re.compile(rf"\b(?:{'|'.join(_MONTHS)})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{'|'.join(_MONTHS)})\b", re.IGNORECASE)
_ORDINAL_ENDING = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(r"\bNo\.\s*$", re.IGNORECASE)
_DATE_WORDS_AFTER = ("月", "日", "号")
# English renderings of number_idioms' words that count nothing (四个不摘, 十三五, 一方面), as the
# machine translations write them (docs/glossary.md).
_ENGLISH_NOT_QUANTITIES = ("four not picks", "two no worries", "three guarantees", "one village, one product",
                           "one village one product", "one hand", "one home, one policy", "one household, one policy", "one-stop", "two committees", "five-guarantee", "one's", "one another")
# 'one' as a pronoun: 'no one', 'any one' count nothing (as 'one's' and 'one another' above).
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?:no|any|every|some)\s*$", re.IGNORECASE)
_PLAN_AFTER = re.compile(r"^-year plan", re.IGNORECASE)
_LIST_OPEN = ("(", "（")
_LIST_CLOSE = (")", "）", "、")
_LIST_BEFORE = (":", "：", ";", "；")  # a list item may follow these inside a sentence


class Sentence(NamedTuple):
    start: int  # offset in the seed's folded text
    end: int
    text: str


class SourceQuantity(NamedTuple):
    """A quantity of a source: the figure as QUOTE002 reads it, where it stands and in which sentence."""

    start: int  # offset in the seed's folded text
    end: int
    figure: QuoteFigure
    sentence: Sentence


def _paragraphs(seed: SeedText) -> list[tuple[int, str]]:
    """(offset in the folded text, folded text) of each line of the file: a heading is no part of the next sentence."""
    found: list[tuple[int, str]] = []
    cursor = 0
    for line in (seed.raw or seed.folded).splitlines():
        folded = fold_whitespace(line)
        if not folded:
            continue
        at = seed.folded.find(folded, cursor)
        if at < 0:  # folding the line alone differs from folding it in the file: keep the rest as one
            return [*found, (cursor, seed.folded[cursor:])] if cursor < len(seed.folded) else found
        found.append((at, folded))
        cursor = at + len(folded)
    return found


@cache
def sentences_of(seed: SeedText) -> tuple[Sentence, ...]:
    """The seed's sentences, in order, each within one line of the file."""
    sentences: list[Sentence] = []
    for offset, paragraph in _paragraphs(seed):
        start = 0
        for end_mark in _SENTENCE_END.finditer(paragraph):
            sentences.append(_sentence(offset, paragraph, start, end_mark.end()))
            start = end_mark.end()
        if paragraph[start:].strip():
            sentences.append(_sentence(offset, paragraph, start, len(paragraph)))
    return tuple(sentence for sentence in sentences if sentence.text)


def _sentence(offset: int, paragraph: str, start: int, end: int) -> Sentence:
    text = paragraph[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return Sentence(offset + start + lead, offset + start + lead + len(text), text)


def _in_english_idiom(text: str, start: int) -> bool:
    """Whether the number at `start` is a word of one of the English idioms that count nothing ('one home, one policy')."""
    window_start = max(0, start - 32)
    window = text[window_start:start + 32].lower()
    for phrase in _ENGLISH_NOT_QUANTITIES:
        at = window.find(phrase)
        while at >= 0:
            if window_start + at <= start < window_start + at + len(phrase):
                return True
            at = window.find(phrase, at + 1)
    return False


def counts_something(text: str, start: int, end: int, figure: QuoteFigure) -> bool:
    """Whether the figure written at text[start:end] is a quantity, not a year, a date, an ordinal or a list number."""
    before, after = text[:start], text[end:]
    bare = figure.unit_word is None and figure.scale_word is None
    if _in_english_idiom(text, start) or (bare and _PLAN_AFTER.match(after)):
        return False  # 'Four Not Picks', 'on the one hand', 'the 13th Five-Year Plan'
    if figure.written.lower() == "one" and _PRONOUN_ONE_BEFORE.search(before):
        return False
    if bare and _YEAR.fullmatch(figure.written):
        return False
    if bare and (after.startswith(_DATE_WORDS_AFTER) or _ORDINAL_ENDING.match(after) or _LABEL_BEFORE.search(before)):
        return False
    if bare and figure.number <= 31 and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)):
        return False
    lead = before.rstrip()
    opens = lead[-1:] in _LIST_OPEN and (lead[:-1].strip() == "" or lead[:-1].rstrip().endswith(_LIST_BEFORE))
    starts = lead == "" or lead.endswith(_LIST_BEFORE)
    if bare and after.startswith(_LIST_CLOSE) and (opens or starts):
        return False  # (1), （一）, 1、 beginning a sentence or after a colon or semicolon
    if bare and starts and after.startswith(". "):
        return False  # '1. ' beginning a sentence or after a colon
    return True


def _nfkc_map(text: str) -> tuple[str, list[int]]:
    """The text as figures are read from it, and for each of its characters the offset it came from."""
    folded = fold_quote(text)
    if len(folded) == len(text):
        return folded, list(range(len(text) + 1))
    pieces, origin = [], []
    for offset, character in enumerate(text):
        normal = unicodedata.normalize("NFKC", character)
        pieces.append(normal)
        origin.extend([offset] * len(normal))
    origin.append(len(text))
    return "".join(pieces), origin


def quantities_in_sentence(sentence: Sentence) -> list[SourceQuantity]:
    """The quantities the sentence writes, each with its place in the seed."""
    text, origin = _nfkc_map(sentence.text)
    found: list[SourceQuantity] = []
    cursor = 0
    for figure in figures_in_quote(sentence.text):
        at = text.find(figure.written, cursor)
        if at < 0:
            continue
        end = at + len(figure.written)
        cursor = end
        if counts_something(text, at, end, figure):
            found.append(SourceQuantity(sentence.start + origin[at], sentence.start + origin[end], figure, sentence))
    return found


@cache
def quantities_of(seed: SeedText) -> tuple[SourceQuantity, ...]:
    """Every quantity the seed writes, in order: read once per seed per process."""
    return tuple(quantity for sentence in sentences_of(seed) for quantity in quantities_in_sentence(sentence))


# A real quote stands in its source once or a few times; a hostile one ('的的的' in a long seed) could stand
# in it a million times, each a step of the loop below.
MAX_PLACES_PER_QUOTE = 100


def quote_spans(seed: SeedText, quote: str) -> list[tuple[int, int]]:
    """Where the quote stands in the seed's folded text (as QUOTE001 finds it): its first MAX_PLACES_PER_QUOTE places."""
    folded = fold_whitespace(quote)
    spans: list[tuple[int, int]] = []
    if not folded:
        return spans
    at = seed.folded.find(folded)
    while at >= 0 and len(spans) < MAX_PLACES_PER_QUOTE:
        spans.append((at, at + len(folded)))
        at = seed.folded.find(folded, at + 1)
    return spans
