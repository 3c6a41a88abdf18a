"""Where a thing stands in its record: its JSON pointer and its id path, made together.

The typed record (validator/typed.py) is built by one walk, which gives every item its `Place`;
everything later speaks of an item by its place, and of a part of it by `place.field(name)`, so no
step counts list positions again. An item the schema step left out has no place: the walk never
renumbers the items after it.
"""

from __future__ import annotations

from typing import NamedTuple

from .identity import element_segment
from ..load.loader import child_pointer


class Place(NamedTuple):
    pointer: str  # /funds/3/amount: where the loader's positions are
    id_path: str  # funds[relocation].amount: what acknowledgements and readers name it by

    def field(self, name: str) -> Place:
        """The place of a field of the thing here."""
        return Place(child_pointer(self.pointer, name), f"{self.id_path}.{name}" if self.id_path else name)

    def element(self, index: int, element: object = None) -> Place:
        """The place of a list element here, at its position in the file, named by its id where it has one."""
        return Place(child_pointer(self.pointer, index), self.id_path + element_segment(element, index))


ROOT = Place("", "")
