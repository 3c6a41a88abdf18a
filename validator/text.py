"""How much of an input a message may show: every piece of record, seed or file-name text goes through clip().

Records and seeds come from anyone; a message that echoed a 100,000-character key would flood a
terminal, a log and a pull request's annotations. Each interpolated piece is clipped to a short
fixed length, and a whole message (which may list several pieces) to MESSAGE_LIMIT.
"""

from __future__ import annotations

# A name, id, key, tag, unit or value as written.
SHORT = 60
# A file name or path (records/<province>/<county>.yaml and the like).
PATH = 200
# A passage of a source quoted for comparison (QUOTE001's closest passage).
PASSAGE = 160
# Any whole message, whatever it lists.
MESSAGE_LIMIT = 1000
ELLIPSIS = "..."


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
