"""How Chinese texts write approximate numbers and ranges, and numerals that are no quantity: one table.

| written | meaning | read as |
|---|---|---|
| 三五个, 两三个, 三四十, 七八十, 五六百 | 3 to 5; 2 to 3; 30 to 40; 70 to 80; 500 to 600 | a range: two adjacent numerals (and 三五), never 35 or 23 |
| 十几, 十多, 十余, 二十几 | more than 10, below 20 (11 to 19) | 多/余/几 after a number: above it, below the next step of its last place |
| 40多, 40余, 4700多, 1.2万余, 三十多万 | 41 to 49; 4,701 to 4,799; 12,000 to 13,000; 300,000 to 400,000 | the same, in the last place's step, then the scale word |
| 上百, 上千, 上万, 上亿 | 100, 1,000, 10,000, 10^8 or more | at least |
| 数十, 数百, 几千, 数万 | several tens, hundreds, thousands, ten-thousands | no figure a value can state: approximately |
| 九成, 八成以上, 三成 | 90 %; at least 80 %; 30 % | 成 counts tenths: a percentage (quote_figures.py) |
| 近, 将近, 接近 / 约, 大约, 左右, 上下 / 超过, 逾, 以上 / 不到, 不足, 以下 | nearly; about; more than; less than | qualifiers (quote_figures.py) |

Not quantities, though they hold numerals: 一线 (the front line), 一是/二是 (firstly, secondly), 第三 (an
ordinal), 一体 (integrated), 一批 (a batch), 一把手 (the top official), 一村一品 (one village, one
product), 两不愁三保障 (a slogan), 十三五 (the 13th Five-Year Plan) and the others in NOT_QUANTITIES.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import NamedTuple

# After a number: more than it, below the next step of its last place (40多 is 41 to 49).
FEW_SUFFIXES = frozenset("多余几")

_DIGIT_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLACES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 10**8}
_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿")

# Words whose numerals count nothing; a numeral after 第 is an ordinal.
NOT_QUANTITIES = (
    "一线", "一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是", "一体", "一批", "一大批",
    "一把手", "一村一品", "一户一策", "一村一策", "一乡一业", "两不愁", "三保障", "十三五", "十四五", "十二五", "一些",
    "一成不变", "一起", "一般", "一定", "一直", "一样", "一致", "一切", "一系列", "一方面", "一带一路", "一对一", "一步", "一道",
    "三农", "两委", "四个不摘", "五保", "千方百计", "百姓", "万一", "一站式", "一揽子", "一门", "一心", "一手",
    "两学一做", "三变", "一帮一", "一岗双责", "一肩挑", "两个", "一番", "一度", "一律", "一并", "一同", "一旦",
)
_ORDINAL_MARKS = frozenset("第")


class Idiom(NamedTuple):
    """A number written as a range or an approximation: what a value may state for it, and its qualifiers."""

    start: int
    end: int
    written: str
    low: Decimal
    high: Decimal  # may be infinite (上万: 10,000 or more)
    matches: frozenset[Decimal]  # the numbers a value or upper end may state for it
    qualifiers: frozenset[str]


def not_a_quantity_end(text: str, start: int) -> int | None:
    """Where the word that holds the numeral at `start` and counts nothing ends (一线, 一是, 第三, 一村一品);
    None where the numeral may be a figure."""
    if text[start:start + 1] not in _NUMERALS:
        return None
    if start > 0 and text[start - 1] in _ORDINAL_MARKS:
        return start + 1
    return next((start + len(word) for word in NOT_QUANTITIES if text.startswith(word, start)), None)


def idiom_at(text: str, start: int) -> Idiom | None:
    """The range or approximation written in Chinese numerals at `start`, or None where there is none."""
    first, second = text[start:start + 1], text[start + 1:start + 2]
    before = text[start - 1:start] if start > 0 else ""
    if before == "上" and first in _PLACES and first != "十":  # 上万: 10,000 or more
        low = Decimal(_PLACES[first])
        return Idiom(start - 1, start + 1, text[start - 1:start + 1], low, Decimal(math.inf), frozenset({low}),
                     frozenset({"at_least", "more_than"}))
    if before in ("数", "几") and first in _PLACES:  # 数万: several ten-thousands, no figure
        end = start + 1
        while text[end:end + 1] in _PLACES:
            end += 1
        return Idiom(start - 1, end, text[start - 1:end], Decimal(0), Decimal(math.inf), frozenset(),
                     frozenset({"approximately"}))
    if first not in _DIGIT_VALUES or second not in _DIGIT_VALUES:
        return None
    low, high = _DIGIT_VALUES[first], _DIGIT_VALUES[second]
    if not (high == low + 1 or (low, high) == (3, 5)) or first == "两" and high != 3:
        return None
    end = start + 2
    place = 1
    while text[end:end + 1] in _PLACES and _PLACES[text[end]] > place:
        place = _PLACES[text[end]] if place == 1 else place * _PLACES[text[end]]
        end += 1
    if text[end:end + 1] in _NUMERALS:
        return None  # 三四十五: not a range of two numerals
    low_value, high_value = Decimal(low * place), Decimal(high * place)
    return Idiom(start, end, text[start:end], low_value, high_value, frozenset({low_value, high_value}),
                 frozenset({"range", "approximately"}))
