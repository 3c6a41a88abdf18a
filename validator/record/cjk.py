"""Chinese (and Japanese) characters: how the validator tells them apart without paying for it on English text.

A regular expression over these ranges takes several milliseconds to compile (re builds a table of
every character in them, in Python), which a one-file run would pay at import for English sources
that contain none. So the patterns are compiled on first use, and only for text that has a
character in the ranges at all, which `max()` tells at C speed.
"""

from __future__ import annotations

import re
from functools import cache

# Characters and punctuation written without spaces between words, and full-width forms.
CJK_CLASS = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# Ideographs only (unified, extension A, compatibility): what a word of one character is.
IDEOGRAPH_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FIRST_CJK = "\u3000"


def may_have_cjk(text: str) -> bool:
    """False where the text surely has no CJK character; True where it may have one."""
    return bool(text) and max(text) >= _FIRST_CJK


def has_cjk(text: str) -> bool:
    return may_have_cjk(text) and cjk_pattern().search(text) is not None


def is_cjk(char: str) -> bool:
    """Whether a single character (or an empty string: no) is in CJK_CLASS."""
    return len(char) == 1 and char >= _FIRST_CJK and cjk_pattern().match(char) is not None


@cache
def cjk_pattern() -> re.Pattern[str]:
    return re.compile(f"[{CJK_CLASS}]")


@cache
def space_beside_cjk_pattern() -> re.Pattern[str]:
    return re.compile(f" (?=[{CJK_CLASS}])|(?<=[{CJK_CLASS}]) ")
