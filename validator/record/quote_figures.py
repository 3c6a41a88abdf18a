"""The figures a quote writes: each number with its scale word, the unit word beside it and the qualifier words around it.

QUOTE002 compares a record's value with these, quantity to quantity: '5.5万亩' is 55,000 mu, so a value
of 5.5 mu does not match it, and '2456户5401人' writes 5401 people, not 5401 households. A figure
reads as a reader of the source reads it:

- the number (numbers.py reads digits, scale words, English number words and Chinese numerals);
- the idioms of Chinese numerals (number_idioms.py): 三五 (3 to 5), 七八十 (70 to 80), 十几, 40多, 4700余, 上万;
- the unit word right after it (after at most a few adjectives in English: '1,200 registered poor
  households'): a unit of schema/units.txt, an English noun of people or households ('farmers'), or a
  Chinese measure word. 个, 家, 所, 座, 条, 项 and the other measure words name no noun of their own, so
  they stand for any count;
- qualifier words before or after it: more than, over, nearly, about, 多, 余, 近, 约, 左右, 以上, 超过, 不到.

Where the quote writes no unit, none is assumed: the figure matches a value of any unit.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from .cjk import may_have_cjk
from .numbers import QUOTE, SCALE_WORDS, WrittenNumber, number_at, number_starts, step_of
from .number_idioms import FEW_SUFFIXES, Idiom, idiom_at, not_a_quantity_end
from .number_words import KILO_UNITS

# A unit word matching any count (a Chinese measure word that names no noun: 个贫困村, 10家合作社).
ANY_COUNT = "any count"

# Chinese unit and measure words after a number, longest first where one starts another (人次 before 人).
# Each maps to the units of schema/units.txt it may mean.
CHINESE_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "个百分点": ("percentage_point",), "百分点": ("percentage_point",),
    "平方公里": ("km2",), "平方米": ("m2",), "公里": ("km",), "千米": ("km",), "公顷": ("hectare",),
    "亩": ("mu",), "吨": ("tonne",), "公斤": ("kg",), "千克": ("kg",), "斤": ("jin",),
    "千瓦": ("kW",), "兆瓦": ("MW",), "元": ("yuan",), "美元": ("usd",),
    "人次": ("person_time",), "户": ("household",), "人": ("person",), "名": ("person",), "位": ("person",),
    "口": ("person", ANY_COUNT),  # people of a household (5户21口), or wells and ponds (水窖50口)
    "村": ("village",), "乡镇": ("township",), "个乡镇": ("township",), "个村": ("village",),
    "%": ("percent",),
    **{word: (ANY_COUNT,) for word in ("个", "家", "所", "座", "间", "条", "头", "只", "期", "次", "项", "处", "套", "羽")},
}
_LONGEST_CHINESE = max(len(word) for word in CHINESE_UNIT_WORDS)

# English unit words and nouns after a number; a plural 's' is taken off before the look-up.
ENGLISH_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "%": ("percent",), "percent": ("percent",), "per cent": ("percent",),
    "percentage point": ("percentage_point",),
    "yuan": ("yuan",), "rmb": ("yuan",), "dollar": ("usd",),
    "mu": ("mu",), "acre": ("mu", "acre"), "hectare": ("hectare",), "ha": ("hectare",),
    "km": ("km",), "kilometer": ("km",), "kilometre": ("km",), "square kilometer": ("km2",), "square kilometre": ("km2",),
    "meter": ("m",), "metre": ("m",), "square meter": ("m2",), "square metre": ("m2",),
    "ton": ("tonne",), "tonne": ("tonne",), "kg": ("kg",), "kilogram": ("kg",), "jin": ("jin",),
    "kw": ("kW",), "kilowatt": ("kW",), "mw": ("MW",), "megawatt": ("MW",),
    "household": ("household",), "family": ("household",), "families": ("household",),
    "person-time": ("person_time",), "person-times": ("person_time",), "person time": ("person_time",),
    **{noun: ("person",) for noun in (
        "people", "person", "persons", "farmer", "resident", "villager", "worker", "laborer", "labourer", "student",
        "child", "children", "cadre", "individual", "migrant", "pupil", "teacher", "doctor", "member", "trainee",
        "official", "volunteer", "beneficiary", "beneficiaries", "elderly", "men", "women", "population")},
    "village": ("village",), "township": ("township",), "town": ("township",),
}
_PLURAL_FORMS = frozenset({"people", "persons", "families", "children", "men", "women", "beneficiaries", "person-times"})
_ENGLISH_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")
# Words a unit noun may stand behind ('1,200 registered poor households'); any other word ends the look.
_ADJECTIVES = frozenset(
    "poor registered rural urban local new more extremely extreme impoverished relocated poverty-stricken "
    "archived filed identified old elderly left-behind disabled migrant surplus key needy stricken "
    "deeply deep ethnic minority severely severe administrative natural".split())
MAX_ADJECTIVES = 3

# Qualifier words, by the qualifier they support. Before the number (English and Chinese), then after it.
QUALIFIERS_BEFORE: dict[str, str] = {
    "more than": "more_than", "over": "more_than", "exceeding": "more_than", "exceeded": "more_than",
    "exceed": "more_than", "exceeds": "more_than",
    "in excess of": "more_than", "upwards of": "more_than",
    "at least": "at_least", "no less than": "at_least", "not less than": "at_least",
    "nearly": "at_most", "almost": "at_most", "close to": "at_most", "up to": "at_most", "at most": "at_most",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "about": "approximately", "approximately": "approximately", "around": "approximately", "roughly": "approximately",
    "some": "approximately", "an estimated": "approximately", "estimated": "approximately",
    "超过": "more_than", "逾": "more_than", "超": "more_than", "多达": "more_than",
    "近": "at_most", "将近": "at_most", "接近": "at_most", "不到": "less_than", "不足": "less_than",
    "约": "approximately", "大约": "approximately", "约为": "approximately", "大概": "approximately",
}
QUALIFIERS_AFTER: dict[str, str] = {
    "多": "more_than", "余": "more_than", "几": "more_than", "以上": "at_least", "or more": "at_least",
    "and more": "at_least", "plus": "at_least", "左右": "approximately", "上下": "approximately",
    "以下": "at_most", "以内": "at_most", "or less": "at_most", "or fewer": "at_most",
}
_ONE_OF = re.compile(r" of the\b", re.IGNORECASE)
_LOOK_BACK = 16  # characters before a number where its qualifier word may stand
# A negation before 'more than' makes it 'at most': "does not exceed 25 m2", "no land with more than 50 mu".
_NEGATIONS = re.compile(r"(?:\b(?:no|not|never)\b|不|没有|未)[^,.;:，。；：]{0,30}$", re.IGNORECASE)


class QuoteFigure(NamedTuple):
    """A figure of a quote: what it writes, and the numbers a value may state for it."""

    written: str  # number, scale word, idiom and unit word as the quote writes them: '5.5万亩', '40多人'
    number: Decimal  # the number with its scale word applied (the lower end of an idiom's range)
    unscaled: Decimal  # the number before its scale word: 5.5 of '5.5万亩'
    scale_word: str | None
    matches: frozenset[Decimal]  # what a value or upper end may state for it: the number, and an idiom's ends
    unit_word: str | None  # as written: '亩', 'households', '户'; None where the quote writes none
    units: tuple[str, ...]  # the units (schema/units.txt names, or ANY_COUNT) the unit word may mean
    qualifiers: frozenset[str]  # the qualifiers its words support: more_than, at_least, approximately, ...


def fold_quote(text: str) -> str:
    """The quote as figures are read from it: NFKC (full-width digits and ％ to ASCII)."""
    return unicodedata.normalize("NFKC", text) if may_have_cjk(text) else text


def _unit_after(text: str, position: int) -> tuple[int, str | None, tuple[str, ...]]:
    """(end, unit word, its units) of the unit word at `position` (after spaces); (position, None, ()) if none."""
    start = position
    while start < len(text) and text[start] == " ":
        start += 1
    for length in range(min(_LONGEST_CHINESE, len(text) - start), 0, -1):
        word = text[start:start + length]
        if word in CHINESE_UNIT_WORDS:
            return start + length, word, CHINESE_UNIT_WORDS[word]
    cursor, skipped = start, 0
    while skipped <= MAX_ADJECTIVES:
        match = _ENGLISH_WORD.match(text, cursor)
        if match is None:
            break
        word = match.group().lower()
        for phrase_end in (_two_words_end(text, match.end()), match.end()):
            if phrase_end is None:
                continue
            phrase = text[match.start():phrase_end].lower()
            for candidate in (phrase, phrase[:-1] if phrase.endswith("s") else None):
                if candidate in ENGLISH_UNIT_WORDS:
                    plural = candidate != phrase or phrase in _PLURAL_FORMS
                    if not _heads_its_phrase(text, phrase_end, plural):
                        return position, None, ()  # '10 township cultural stations', "630 farmers' cooperatives"
                    return phrase_end, text[match.start():phrase_end], ENGLISH_UNIT_WORDS[candidate]
        if word not in _ADJECTIVES:
            break
        skipped += 1
        cursor = match.end()
        while cursor < len(text) and text[cursor] == " ":
            cursor += 1
    return position, None, ()


# Words that may follow the noun a number counts; another word after it ('village schools') makes the
# noun a modifier of the phrase, whose head names what is counted, so the figure is read with no unit.
_AFTER_HEAD = frozenset(
    "and or of in on at to from with were was are is be been being have has had who that which per each a an the "
    "for by under into across out as than this these those their its it they we whose while but so all both "
    "respectively annually yearly every lifted got received benefited".split())


# Nouns of groups a plural noun may modify ('farmers cooperatives', 'villagers groups').
_GROUP_NOUNS = ("team", "cooperative", "group", "organization", "organisation", "association", "committee", "station",
                "school", "professional", "representative", "council", "congress", "doctor", "service", "center", "centre")


def _heads_its_phrase(text: str, end: int, plural: bool) -> bool:
    """Whether the noun ending at `end` heads its phrase: English modifiers are singular and go before the
    head ('10 township cultural stations'); a plural noun is the head unless a group noun or a possessive
    follows ("630 farmers' cooperatives")."""
    following = text[end:end + 1]
    if following in ("'", "\u2019"):
        return False
    match = _ENGLISH_WORD.match(text, end + 1) if following == " " else None
    if match is None:
        return True
    word = match.group().lower()
    if word in _AFTER_HEAD:
        return True
    return plural and not word.startswith(_GROUP_NOUNS)


def _two_words_end(text: str, end: int) -> int | None:
    if text[end:end + 1] != " ":
        return None
    match = _ENGLISH_WORD.match(text, end + 1)
    return match.end() if match else None


def _qualifiers_around(text: str, start: int, end: int) -> set[str]:
    found: set[str] = set()
    before = text[max(0, start - _LOOK_BACK):start].rstrip().lower()
    for words, qualifier in QUALIFIERS_BEFORE.items():
        if before.endswith(words) and (not words.isascii() or len(before) == len(words) or not before[-len(words) - 1].isalpha()):
            negated = qualifier == "more_than" and _NEGATIONS.search(text, max(0, start - 48), start - len(words)) is not None
            found.add("at_most" if negated else qualifier)
    after = text[end:end + 12].lstrip().lower()
    for words, qualifier in QUALIFIERS_AFTER.items():
        if after.startswith(words) and (not words.isascii() or not after[len(words):len(words) + 1].isalpha()):
            found.add(qualifier)
    return found


# 成 after a numeral counts tenths: 九成 is 90 %, 三成以上 at least 30 %. Not in 一成不变 or where 成 starts a
# word of its own after a figure (3户成功, 两成员).
_TENTHS_NUMERALS = frozenset("一二两三四五六七八九十")
_NOT_TENTHS_AFTER = frozenset("不立功为员本效果绩熟交长型品了")


def _tenths(text: str, start: int, number: WrittenNumber) -> tuple[QuoteFigure, int] | None:
    """The figure of 'N成' (N tenths, as a percentage) at `start`, or None where 成 does not follow a numeral."""
    end = number.end
    if (text[end:end + 1] != "成" or text[end + 1:end + 2] in _NOT_TENTHS_AFTER
            or not number.written or not set(number.written) <= _TENTHS_NUMERALS):
        return None
    percent = number.value * 10
    qualifiers = _qualifiers_around(text, start, end + 1)
    return QuoteFigure(text[start:end + 1], percent, percent, None, frozenset({percent}), "成", ("percent",),
                       frozenset(qualifiers)), end + 1


def _figure(text: str, start: int, number: WrittenNumber | Idiom) -> tuple[QuoteFigure, int]:
    """The figure of a number (or idiom) read at `start`: with a 多/余 after it, a scale word after that, a unit."""
    if isinstance(number, WrittenNumber):
        tenths = _tenths(text, start, number)
        if tenths is not None:
            return tenths
    end = number.end
    qualifiers: set[str] = set()
    if isinstance(number, Idiom):
        low, high, scale_word, unscaled = number.low, number.high, None, number.low
        matches = set(number.matches)
        qualifiers.update(number.qualifiers)
    else:
        low, high, scale_word, unscaled = number.value, number.value, number.scale_word, number.unscaled
        matches = {number.value}
        if text[end:end + 1] in FEW_SUFFIXES:
            step = step_of(number.number_text, unscaled) * (SCALE_WORDS[scale_word] if scale_word else 1)
            end += 1
            after = text[end:end + 1]
            if scale_word is None and (after in ("万", "亿") or (after == "千" and text[end + 1:end + 2] not in KILO_UNITS)):
                scale = SCALE_WORDS[text[end]]
                low, step, scale_word, end = low * scale, step * scale, text[end], end + 1
            high = low + step
            matches = {low, high} | ({low + 1, high - 1} if step > 1 else set())
            qualifiers.add("more_than")
    unit_end, unit_word, units = _unit_after(text, end)
    qualifiers |= _qualifiers_around(text, start, unit_end if unit_word else end)
    if low == 1 and _ONE_OF.match(text, end):
        qualifiers.add("at_least")  # 'one of the 20 poor towns': the group has at least this one
    if isinstance(number, WrittenNumber) and number.written.lower().endswith("dozen") and "more_than" in qualifiers:
        # 'more than a dozen' translates 十多 or 十几: 11 to 19, not 'more than 12'
        low = unscaled = Decimal(10)
        matches = {Decimal(10), Decimal(11), Decimal(19), Decimal(20)}
    written = text[start:unit_end if unit_word else end].strip()
    return QuoteFigure(written, low, unscaled, scale_word, frozenset(matches), unit_word, units, frozenset(qualifiers)), end


@lru_cache(maxsize=4096)  # a clause quoted for several figures is read once
def figures_in_quote(quote: str) -> tuple[QuoteFigure, ...]:
    """Every figure the quote writes, in order."""
    text = fold_quote(quote)
    figures: list[QuoteFigure] = []
    position = 0
    for start in number_starts(text):
        if start < position:
            continue
        idiom = idiom_at(text, start)
        if idiom is not None:
            figure, position = _figure(text, idiom.start, idiom)
            figures.append(figure)
            continue
        word_end = not_a_quantity_end(text, start)
        if word_end is not None:
            position = word_end
            continue
        number = number_at(text, start, QUOTE)
        if not isinstance(number, WrittenNumber):
            position = number.end if number is not None else start + 1
            continue
        figure, position = _figure(text, start, number)
        figures.append(figure)
    return tuple(figures)


_NOT_COUNTS = frozenset({"[currency]", "[usd_currency]", "[length]", "[mass]", "[time]", "[power]", "[percentage_point]"})


def may_state(figure: QuoteFigure, parsed) -> bool:
    """Whether a value (a ParsedQuantity) may be this figure: its number is one the figure matches, and its
    unit one the figure's unit word may mean. QUOTE002, QUOTE008/009, CELL001 and COVER001 all match so."""
    return abs(parsed.number) in figure.matches and unit_matches(figure, parsed.unit.dimensionality)


def unit_matches(figure: QuoteFigure, dimensionality: tuple[tuple[str, float], ...]) -> bool:
    """Whether a value of this dimensionality may be the figure: any where the quote writes no unit; else one
    the unit word may mean, itself or as the measured part of a rate (yuan of yuan/person/year)."""
    if not figure.units:
        return True
    return any(_unit_fits(unit, dimensionality) for unit in figure.units)


def _unit_fits(unit: str, dimensionality: tuple[tuple[str, float], ...]) -> bool:
    if unit == ANY_COUNT:
        return len(dimensionality) == 1 and dimensionality[0][1] == 1.0 and dimensionality[0][0] not in _NOT_COUNTS
    from .quantities import parse_unit  # here: quantities imports numbers, as this module does

    written = parse_unit(unit).dimensionality
    if not written or written == (("[percentage_point]", 1.0),):  # percent and percentage points: a ratio either way
        return not dimensionality or dimensionality == (("[percentage_point]", 1.0),)
    return all(part in dimensionality for part in written)
