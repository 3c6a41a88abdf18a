"""Step 3, the typed record: one walk makes every object an item with its place (pointer and id path),
and every quantity is parsed (numbers as written, units through pint).
"""

from ..support.lazy import exporting

__getattr__ = exporting(__name__, {
    "build_context": "typed",
    "RecordContext": "typed",
    "Place": "places",
    "parse_quantity": "quantities",
})
