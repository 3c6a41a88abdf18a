"""Numbers as sources write them, read one way for a record's value and for a quote.

'41,165,200', '1.34 million', '4116.52 ten thousand', '4.28万', '10.603513亿', '5 million 700 thousand',
'36 million 402 thousand and 800', 'fifty-four', 'one hundred and twenty', 'a dozen', '五十四', '两千',
'三万六千四百零二'. The quantity parser (quantities.py) reads a value's number with `number_at`; QUOTE002
reads every number of a quote with `numbers_in_text`; both go through the same readers below.

What a number can mean as written: half a unit of its last written digit. `105,700` is ±0.5 (a round
number is as exact as it is written: '20 %' is not 15 to 25 %), `1.34 million` ±5,000 (the scale word
applies to the digit); a compound's last part is exact in its scale (`5 million 700 thousand` ±500,
`36 million 402 thousand and 800` ±0.5); words and Chinese numerals name their places, so `twenty` is ±5
and `两千` ±500.

Every reader looks at each character a bounded number of times, with patterns of one character class
under one star: a text of a million spaces or digits costs what any million characters cost.
"""

from __future__ import annotations

import re
from decimal import Decimal

from typing import Iterator, NamedTuple

from .number_words import CHINESE_NUMERALS, KILO_UNITS, STARTING_WORDS, chinese_numeral_end, chinese_numeral_value, english_number_at

# No figure needs more than 20 digits (see rule UNIT005); a longer number is not read.
MAX_DIGITS = 20

SCALE_WORDS: dict[str, Decimal] = {
    "k": Decimal(10) ** 3, "thousand": Decimal(10) ** 3, "千": Decimal(10) ** 3,
    "wan": Decimal(10) ** 4, "ten thousand": Decimal(10) ** 4, "万": Decimal(10) ** 4,
    "million": Decimal(10) ** 6, "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7,
    "yi": Decimal(10) ** 8, "hundred million": Decimal(10) ** 8, "亿": Decimal(10) ** 8,
    "billion": Decimal(10) ** 9,
}
# The order the reader tries them: 千万 before 千; "k" counts only where no letter follows it, 千 only where
# no unit follows it (千瓦 is kilowatt).
_SCALE_ORDER = ("k", "thousand", "wan", "ten thousand", "million", "yi", "hundred million", "billion",
                "千万", "百万", "千", "万", "亿")
# A scale-less last part joins a compound only after 'thousand and': '402 thousand and 800'.
_SCALES_BEFORE_AND = frozenset({"thousand", "千"})

_SPACES = re.compile(r"\s*")
_DIGITS = re.compile(r"[0-9]*")
_ASCII_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CHINESE_CLASS = "".join(sorted(CHINESE_NUMERALS))
# Where a number in a quote may start: a digit after no digit or point (as in '2014' but not '1.5's 5), a
# number word at a word's start (ASCII case only: 'bıllion' is no word), a Chinese numeral starting a run.
_NUMBER_START = re.compile(
    r"(?<![0-9.])[0-9]"
    rf"|(?<![A-Za-z])(?ai:{'|'.join(sorted(STARTING_WORDS, key=len, reverse=True))})(?![A-Za-z])"
    rf"|(?<![{_CHINESE_CLASS}])[{_CHINESE_CLASS}]"
)


class Manner(NamedTuple):
    """How a number is read where it stands.

    A record's value is written to the curator's guide: it may have a sign, nothing numeric may follow its
    number ('1,2345' is refused, not read as 1,234), and its words are lower case. A quote is prose: it is
    read as far as it holds a number, and 'Million' or 'K' count as scale words (in ASCII case only).
    """

    signed: bool
    strict_end: bool
    fold_case: bool


VALUE = Manner(signed=True, strict_end=True, fold_case=False)
QUOTE = Manner(signed=False, strict_end=False, fold_case=True)


class WrittenNumber(NamedTuple):
    """A number as written from `start` to `end`, with what it can mean."""

    start: int
    end: int
    written: str  # text[start:end]: '1.34 million', '4.28万', '5 million 700 thousand'
    number_text: str  # as written, without a single scale word after it: '1.34', '5 million 700 thousand', 'fifty-four'
    scale_word: str | None  # the one scale word applied to number_text: 'million', '万'
    unscaled: Decimal  # number_text's value: 1.34 of '1.34 million'
    value: Decimal  # with the scale word applied: 1,340,000
    half_width: Decimal  # half a unit of the last written place, scale applied
    digits: int


class Overlong(NamedTuple):
    """Digits beyond MAX_DIGITS: where they are, never their value (a million digits would take seconds)."""

    start: int
    end: int
    number_text: str
    scale_word: str | None
    digits: int


def rounding_half_width(number_text: str) -> Decimal:
    """Half a unit of the last written digit: 98.92 -> 0.005; 105,700 -> 0.5; 8,164 -> 0.5; 1.34 -> 0.005.

    A round number is as exact as it is written: '20 %' is 19.5 to 20.5 %, not 15 to 25 %, and '100,000'
    is not anything from 50,000 to 150,000. Only a figure the source calls approximate (the qualifier
    `approximately`) is widened (quantities.APPROXIMATE_TOLERANCE).
    """
    digits = number_text.lstrip("+-").replace(",", "")
    decimals = len(digits.partition(".")[2])
    return Decimal(5) * Decimal(10) ** (-decimals - 1)


def _digits_end(text: str, start: int, manner: Manner) -> int | None:
    """Where digits written from `start` end: digits (or 1-3 digits then groups of ',ddd'), an optional
    fraction; in a value, then no digit, comma or point. None where no number is written there."""
    run_end = _DIGITS.match(text, start).end()
    if run_end == start:
        return None
    readings = []
    if run_end - start <= 3:  # thousands groups first, as a reader would: '41,165,200'
        end = run_end
        while text[end:end + 1] == "," and _DIGITS.match(text, end + 1, end + 4).end() == end + 4:
            end += 4
        if end > run_end:
            readings.append(end)
    readings.append(run_end)
    for end in readings:
        if text[end:end + 1] == "." and text[end + 1:end + 2] in _ASCII_DIGITS:
            end = _DIGITS.match(text, end + 1).end()
        if not manner.strict_end or end == len(text) or text[end] not in "0123456789,.":
            return end
    return None


# The scale words each first character can start, in the reader's order: most places start none.
_SCALES_BY_FIRST = {first: tuple(word for word in _SCALE_ORDER if word[0] == first) for first in {w[0] for w in _SCALE_ORDER}}


def _scale_word_at(text: str, position: int, manner: Manner) -> str | None:
    first = text[position:position + 1]
    if manner.fold_case and first.isascii():
        first = first.lower()
    for word in _SCALES_BY_FIRST.get(first, ()):
        candidate = text[position:position + len(word)]
        if manner.fold_case and candidate.isascii():
            candidate = candidate.lower()
        if candidate != word:
            continue
        after = text[position + len(word):position + len(word) + 1]
        if (word == "k" and after in _ASCII_LETTERS) or (word.endswith("千") and after in KILO_UNITS):
            continue  # 'kW', 'km', '千瓦': the unit's prefix
        return word
    return None


def _and_at(text: str, position: int, manner: Manner) -> int | None:
    """Where the next part starts after 'and ' at `position`, or None where no 'and' stands there."""
    word = text[position:position + 3]
    if (word.lower() if manner.fold_case and word.isascii() else word) != "and":
        return None
    after = _SPACES.match(text, position + 3).end()
    return after if after > position + 3 else None


def _count_digits(written: str) -> int:
    """The digits of a number as _digits_end delimits it: digits, thousands commas and at most one point."""
    return len(written) - written.count(",") - written.count(".")


def _integer(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _next_part(text: str, end: int, scale_word: str, manner: Manner, digits_left: int) -> tuple[Decimal, str | None, int, int] | None:
    """(part, its scale word, where it ends, its digits) of a compound's next part after `end`, where the
    number written up to `end` closes with `scale_word`; None where the compound ends there."""
    part_start = _SPACES.match(text, end).end()
    if text[part_start:part_start + 1] not in _ASCII_DIGITS:
        part_start = _and_at(text, part_start, manner)
        if part_start is None or text[part_start:part_start + 1] not in _ASCII_DIGITS:
            return None
        after_and = True
    else:
        after_and = False
    part_end = _digits_end(text, part_start, manner)
    if part_end is None:
        return None
    written = text[part_start:part_end]
    if "." in written or _count_digits(written) > digits_left:
        return None
    next_at = _SPACES.match(text, part_end).end()
    next_scale = _scale_word_at(text, next_at, manner)
    previous = SCALE_WORDS[scale_word]
    if next_scale is None:  # a last part without a scale word: only after 'thousand and', below a thousand
        if not after_and or scale_word not in _SCALES_BEFORE_AND:
            return None
        part = _integer(written)
        return (part, None, part_end, _count_digits(written)) if part < previous else None
    if SCALE_WORDS[next_scale] >= previous:
        return None
    part = _integer(written)
    if part * SCALE_WORDS[next_scale] >= previous:
        return None
    return part, next_scale, next_at + len(next_scale), _count_digits(written)


def _digits_number_at(text: str, start: int, manner: Manner) -> WrittenNumber | Overlong | None:
    """Digits with an optional scale word, and the parts of a compound after them ('5 million 700 thousand')."""
    digits_start = start + 1 if manner.signed and text[start:start + 1] in ("-", "+") else start
    first_end = _digits_end(text, digits_start, manner)
    if first_end is None:
        return None
    scale_at = _SPACES.match(text, first_end).end()
    scale_word = _scale_word_at(text, scale_at, manner)
    end = first_end if scale_word is None else scale_at + len(scale_word)
    digits = _count_digits(text[digits_start:first_end])
    if digits > MAX_DIGITS:
        return Overlong(start, end, text[start:first_end], scale_word, digits)
    first_text = text[digits_start:first_end]
    parts = [(_integer(first_text), scale_word)]
    while scale_word is not None and "." not in first_text:  # a compound: each part an integer, scales falling
        following = _next_part(text, end, scale_word, manner, MAX_DIGITS - digits)
        if following is None:
            break
        part, scale_word, end, part_digits = following
        parts.append((part, scale_word))
        digits += part_digits
    sign = Decimal(-1) if text[start:digits_start] == "-" else Decimal(1)
    if len(parts) == 1:
        number_text = text[start:first_end]
        scale = SCALE_WORDS[scale_word] if scale_word else Decimal(1)
        unscaled = sign * parts[0][0]
        return WrittenNumber(start, end, text[start:end], number_text, scale_word, unscaled, unscaled * scale,
                             rounding_half_width(number_text) * scale, digits)
    value = sign * sum((part * (SCALE_WORDS[scale] if scale else 1) for part, scale in parts), Decimal(0))
    last_scale = SCALE_WORDS[parts[-1][1]] if parts[-1][1] else Decimal(1)
    return WrittenNumber(start, end, text[start:end], text[start:end], None, value, value, last_scale / 2, digits)


def _whole_number(start: int, end: int, text: str, value: Decimal) -> WrittenNumber:
    """A number in words or Chinese numerals: its places are named, so it is rounded at its last one."""
    figures = str(value)
    written = text[start:end]
    return WrittenNumber(start, end, written, written, None, value, value, _last_non_zero_place(figures) / 2, len(figures))


def number_at(text: str, start: int, manner: Manner) -> WrittenNumber | Overlong | None:
    """The number written from `start`: digits (with a sign in a value), English words or a Chinese numeral."""
    character = text[start:start + 1]
    if character in _ASCII_DIGITS or (manner.signed and character in ("-", "+")):
        return _digits_number_at(text, start, manner)
    if character in _ASCII_LETTERS:
        found = english_number_at(text, start, manner.fold_case)
        return None if found is None else _whole_number(start, found[0], text, found[1])
    if character in CHINESE_NUMERALS:
        end = chinese_numeral_end(text, start)
        value = chinese_numeral_value(text[start:end]) if end - start else None
        return None if value is None else _whole_number(start, end, text, value)
    return None


def number_starts(text: str) -> Iterator[int]:
    """Every place a number may start in the text, in order (a reader skips those inside the number before)."""
    position = 0
    while (start := _NUMBER_START.search(text, position)) is not None:
        yield start.start()
        position = start.end()


def step_of(number_text: str, value: Decimal) -> Decimal:
    """The unit of the last place a number names: what 多 or 余 after it counts in. 40 -> 10 (40多 is 41
    to 49), 4700 -> 100, 1.2 -> 0.1 (1.2万余 is 12,000 to 13,000), 十 -> 10, 两千 -> 1000."""
    figures = number_text if number_text[:1] in _ASCII_DIGITS else str(value)
    return rounding_half_width(figures) * 2 if "." in figures else _last_non_zero_place(figures)


def _last_non_zero_place(figures: str) -> Decimal:
    digits = figures.lstrip("+-").replace(",", "")
    stripped = digits.rstrip("0")
    return Decimal(10) ** (len(digits) - len(stripped) if stripped else 0)


def numbers_in_text(text: str) -> set[Decimal]:
    """Every number the text states: each with its scale word applied, and the number before a single scale word."""
    found: set[Decimal] = set()
    position = 0
    while (start := _NUMBER_START.search(text, position)) is not None:
        number = number_at(text, start.start(), QUOTE)
        if isinstance(number, WrittenNumber):
            found.update((number.unscaled, number.value))
        position = number.end if number is not None else start.end()
    return found
