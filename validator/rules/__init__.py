"""The rule catalogue: every code the validator can report, in one registry.

A code is never reused and a renamed rule keeps its code. Families are modules; each exports RULES.
"""

from __future__ import annotations

from . import acknowledgements, cells, codes, corrections, conflicts, coverage, crossfigures, crossmoney, crossunits, crossfunds, dates, lists, money, outliers, quotes, references, schema_shape, shares, sums, units, yaml_input
from .base import Rule

_FAMILIES = [yaml_input, schema_shape, units, quotes, references, sums, shares, crossfigures, crossmoney, crossunits, crossfunds, money, dates, lists, codes, cells, conflicts, outliers, corrections, coverage, acknowledgements]

ALL_RULES: list[Rule] = [rule for family in _FAMILIES for rule in family.RULES]
RULE_BY_CODE: dict[str, Rule] = {}
for _rule in ALL_RULES:
    assert _rule.code not in RULE_BY_CODE, f"rule code {_rule.code} is registered twice"
    RULE_BY_CODE[_rule.code] = _rule
assert len({r.name for r in ALL_RULES}) == len(ALL_RULES), "rule names must be unique"

RECORD_RULES = [r for r in ALL_RULES if r.scope == "record"]
CORPUS_RULES = [r for r in ALL_RULES if r.scope == "corpus"]
