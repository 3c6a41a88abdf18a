"""Numbers written in words: English ('fifty-four', 'one hundred and twenty', 'a dozen') and Chinese ('三万六千四百零二').

This module finds where such a number starts and ends, in one pass over the text with a bounded
look at each word; the libraries made for it say what the words are worth: text2num for English,
cn2an for Chinese numerals. Both are imported only when a text holds a number in words, so a run of
records written in digits never loads them.

English words form one number only where they follow its grammar: a tens word and a unit ('fifty-four',
'fifty four'), 'hundred' once in each group, and 'thousand', 'million', 'billion' in falling order,
with 'and' before a last part ('one hundred and twenty', 'two thousand and ten'). 'half', 'double' and
'twice' are no figure: 'half of the households' does not state 50.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache, lru_cache

UNIT_WORDS = {word: value for value, word in enumerate("zero one two three four five six seven eight nine".split())}
TEEN_WORDS = {word: value + 10 for value, word in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
TENS_WORDS = {word: (value + 2) * 10 for value, word in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
DOZEN = 12
# Every word that can start a number, for the quote scanner's search: 'a' only before hundred,
# thousand, million, billion or dozen ('a dozen households'); 'hundred' alone is 100, as it always was.
STARTING_WORDS = (*UNIT_WORDS, *TEEN_WORDS, *TENS_WORDS, "hundred", "dozen", "a")

# The longest English number this grammar reads has about twenty words; a run stops there.
MAX_WORDS = 24
# A Chinese numeral of a real statistic is a dozen characters (三千六百四十万二千八百); a longer run is not read.
MAX_CHINESE_CHARS = 24

CHINESE_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿")
# 千 before these is the prefix kilo- of a unit (千瓦 kilowatt, 千克 kilogram, 千米 kilometre), not a thousand.
KILO_UNITS = frozenset("瓦克米")

_LETTERS = re.compile(r"[A-Za-z]+")
_SPACES = re.compile(r"\s*")
_HYPHENS = frozenset("-\u2010\u2011")


def _kind(word: str) -> str | None:
    if word in UNIT_WORDS:
        return "unit"
    if word in TEEN_WORDS:
        return "teen"
    if word in TENS_WORDS:
        return "tens"
    if word in SCALE_WORDS:
        return "scale"
    return word if word in ("hundred", "dozen", "and", "a") else None


# Which kind of word may follow which inside one number (the state 'start' is before the first word).
_FOLLOWS = {
    "start": {"unit", "teen", "tens", "hundred", "dozen", "a"},
    "a": {"hundred", "scale", "dozen"},
    "unit": {"hundred", "scale"},
    "teen": {"hundred", "scale"},
    "tens": {"unit", "hundred", "scale"},
    "hundred": {"unit", "teen", "tens", "scale", "and"},
    "scale": {"unit", "teen", "tens", "and"},
    "and": {"unit", "teen", "tens"},
    "dozen": set(),
}


def english_number_at(text: str, start: int, fold_case: bool) -> tuple[int, Decimal] | None:
    """(end, value) of the English number in words that starts at `start`, or None where none does.

    `fold_case`: read 'Twenty-Five' too (quotes are prose); a record's value is written in lower case.
    """
    words: list[tuple[str, str, int, bool]] = []  # (word, kind, end, joined to the word before by a hyphen)
    position, state, scales, hundred_in_group, hyphen = start, "start", [], False, False
    group_start = 0  # where the words after the last scale word begin
    while len(words) < MAX_WORDS:
        match = _LETTERS.match(text, position)
        if match is None:
            break
        word = match.group().lower() if fold_case else match.group()  # ASCII letters: lower() folds ASCII case only
        kind = _kind(word)
        if kind is None or kind not in _FOLLOWS[state] or (hyphen and (state, kind) != ("tens", "unit")):
            break
        if kind == "scale" and scales and SCALE_WORDS[word] >= scales[-1]:
            del words[group_start:]  # 'one million two million' is two numbers: the first ends at its scale
            break
        if kind == "hundred" and hundred_in_group:
            while words and words[-1][1] in ("unit", "teen", "tens"):
                words.pop()  # 'one hundred two hundred': the second hundred takes its 'two' along
            break
        hundred_in_group = kind == "hundred" or (hundred_in_group and kind != "scale")
        if kind == "scale":
            scales.append(SCALE_WORDS[word])
            group_start = len(words) + 1
        words.append((word, kind, match.end(), hyphen))
        state = kind
        after = match.end()
        hyphen = text[after:after + 1] in _HYPHENS and kind == "tens"
        position = after + 1 if hyphen else _SPACES.match(text, after).end()
        if position == after:
            break  # words are separated by spaces or a tens word's hyphen
    while words and words[-1][1] in ("and", "a"):
        words.pop()  # 'one hundred and' ends at 'hundred'; 'a' alone is no number
    if not words:
        return None
    if words[-1][1] == "dozen":
        return words[-1][2], Decimal(DOZEN)
    if len(words) > 1:
        phrase = "".join(("-" if joined else " ") + ("one" if word == "a" else word) for word, _, _, joined in words)
        value = _english_value(phrase.strip())
        if value is not None:
            return words[-1][2], value
    first = _single_word_value(words[0][0])
    return None if first is None else (words[0][2], first)


@lru_cache(maxsize=4096)
def _english_value(phrase: str) -> Decimal | None:
    try:
        return Decimal(_text2num()(phrase, "en"))
    except Exception:  # text2num refuses what the grammar let through ('zero hundred'): the first word alone is read
        return None


def _single_word_value(word: str) -> Decimal | None:
    if word == "hundred":
        return Decimal(100)
    value = UNIT_WORDS.get(word, TEEN_WORDS.get(word, TENS_WORDS.get(word)))
    return None if value is None else Decimal(value)


@cache
def _text2num():
    from text_to_num import text2num  # imported here: only texts with numbers in words pay for it

    return text2num


def chinese_numeral_end(text: str, start: int) -> int:
    """Where the run of Chinese numeral characters from `start` ends (千 of 千瓦, 千克, 千米 is the unit's)."""
    end = start
    while end < len(text) and text[end] in CHINESE_NUMERALS:
        if text[end] == "千" and text[end + 1:end + 2] in KILO_UNITS:
            break
        end += 1
    return end


@lru_cache(maxsize=4096)  # a text repeats its small numerals (一, 两千); cn2an takes about 10 µs for each
def chinese_numeral_value(numeral: str) -> Decimal | None:
    """The value of a Chinese numeral such as 五十四, 两千 or 三万六千四百零二; None where it is none (百姓's 百)."""
    if not numeral or len(numeral) > MAX_CHINESE_CHARS:
        return None
    try:
        value = _cn2an()(numeral, "normal")
    except Exception:  # ValueError for what cn2an does not read; KeyError on some runs it does not expect ('万亿两')
        return None
    return Decimal(value) if isinstance(value, int) else None


@cache
def _cn2an():
    import cn2an  # imported here: only texts with Chinese numerals pay for it (about 0.1 s)

    return cn2an.cn2an
