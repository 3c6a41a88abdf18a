"""How much of an input a message may show: every piece of record, seed or file-name text goes through clip().

Records and seeds come from anyone; a message that echoed a 100,000-character key would flood a
terminal, a log and a pull request's annotations. Each interpolated piece is clipped to a short
fixed length, and a whole message (which may list several pieces) to MESSAGE_LIMIT.

Reporters bound what they show too: every message to MESSAGE_LIMIT, an acknowledgement's reason to
REASON, at most FINDINGS_PER_FILE findings of one file (the rest counted by code), and visible()
writes control characters as escapes, so that no record can write to a terminal or a CI log.
"""

from __future__ import annotations

import re

# A name, id, key, tag, unit or value as written.
SHORT = 60
# A file name or path (records/<province>/<county>.yaml and the like).
PATH = 200
# A passage of a source quoted for comparison (QUOTE001's closest passage).
PASSAGE = 160
# Any whole message, whatever it lists.
MESSAGE_LIMIT = 1000
# An acknowledgement's reason, as a report shows it.
REASON = 500
# How many findings of one file a report shows; it counts the rest by code.
FINDINGS_PER_FILE = 200
ELLIPSIS = "..."
# Characters that steer a terminal or a reader rather than show: C0 and C1 controls (ESC starts CSI and
# OSC-8 sequences; CR and LF start forged lines), DEL, line and paragraph separators, and the
# bidirectional formatting characters that reorder what a line seems to say.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clip(text: object, limit: int = SHORT) -> str:
    """The text (or the value's str()) if it is at most `limit` characters, else its start and '...'."""
    if isinstance(text, int) and not isinstance(text, bool) and text.bit_length() > 4 * limit:
        # str() of a huge integer is slow (and refused past 4,300 digits); its length is what matters.
        return f"an integer of about {int(text.bit_length() * 0.30103) + 1} digits"
    shown = text if isinstance(text, str) else str(text)
    return shown if len(shown) <= limit else shown[:limit - len(ELLIPSIS)] + ELLIPSIS


def clip_repr(value: object, limit: int = SHORT) -> str:
    """repr() of a value, clipped: strings keep their quotes, and a long one says it was cut."""
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else repr(value[:limit - len(ELLIPSIS)]) + ELLIPSIS
    if isinstance(value, int) and not isinstance(value, bool):
        return clip(value, limit)
    return clip(repr(value), limit)


def plural(count: int, noun: str) -> str:
    """`1 file`, `2 files`: the count with its noun."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: object) -> str:
    """The text with every control character written as its escape (ESC as \\x1b, U+202E as \\u202e)."""
    return _CONTROL.sub(_escape, text if isinstance(text, str) else str(text))
