"""Schema v1's relations between figures: the part of validator/models/v1.py that says how figures relate.

A relation is checked by the SUM and PCT rules; its `kind` says which of these it is.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .additions import added_in
from .base import RecordModel
from .types import Id, NonEmptyStr


class RelationBase(RecordModel):
    id: Annotated[Id | None, added_in("1.1")] = None
    """An id, so that acknowledgements and reports can name the relation (schema 1.1; optional)."""


class TotalRelation(RelationBase):
    """Listed parts and their stated total ('a total of', items and their sum)."""

    kind: Literal["total"]
    total: Id
    parts: Annotated[list[Id], Field(min_length=1)]
    complete: bool = True
    """True where the parts are all there is; False where they are only some ('including')."""
    note: NonEmptyStr | None = None


class SubsetRelation(RelationBase):
    """A part stated 'of which' or 'including' inside a whole: never larger than it."""

    kind: Literal["subset"]
    part: Id
    whole: Id
    note: NonEmptyStr | None = None


class WithinRelation(RelationBase):
    """Money that lies inside other money the source states apart (schema 1.2): a project's investment inside
    the county's investment of the year, a line of a budget inside the budget. Where the source says
    'of which', use subset; `within` is the record's reading and says why in its note. MONEY002 checks that
    the part is not larger than the whole; exports mark the part, so that sums leave it out."""

    kind: Annotated[Literal["within"], added_in("1.2")]
    part: Id
    """The id of the inner money (a fund, or a money figure)."""
    whole: Id
    """The id of the money it lies inside."""
    note: Annotated[str, Field(min_length=20)]
    """Why the part lies inside the whole (at least a sentence): the words of the source that place it there."""


class SameFigureRelation(RelationBase):
    """The same figure stated more than once: every statement must agree."""

    kind: Literal["same"]
    items: Annotated[list[Id], Field(min_length=2)]
    note: NonEmptyStr | None = None


class PerUnitRelation(RelationBase):
    """A rate times a count gives a total (yuan per household x households = yuan)."""

    kind: Literal["per_unit"]
    rate: Id
    count: Id
    total: Id
    note: NonEmptyStr | None = None


class SharesCompleteRelation(RelationBase):
    """Shares that together are the whole: they add up to 100 %."""

    kind: Literal["shares_complete"]
    parts: Annotated[list[Id], Field(min_length=2)]
    note: NonEmptyStr | None = None


class RateCountPair(RecordModel):
    rate: Id
    count: Id


class ImpliedDenominatorRelation(RelationBase):
    """A rate stated at several dates with the count it applies to implies one denominator."""

    kind: Literal["implied_denominator"]
    pairs: Annotated[list[RateCountPair], Field(min_length=2)]
    note: NonEmptyStr | None = None


Relation = Annotated[
    TotalRelation | SubsetRelation | SameFigureRelation | PerUnitRelation
    | SharesCompleteRelation | ImpliedDenominatorRelation | WithinRelation,
    Field(discriminator="kind"),
]
