"""MONEY: what kind of money a figure in yuan is, and money that lies inside other money.

A county's funds add up only where the figures are funds (not income, loans, thresholds or prices), of
one stage, and none lies inside another that is counted too. The kind is read from where a figure is
and from its metric (`money_kind`); a `within` relation places money inside other money.
"""

from __future__ import annotations

from typing import Iterator

from ..models.vocabulary import METRIC_MONEY_KINDS, MONEY_KINDS
from ..record.typed import QuantityEntry, RecordContext
from ..support.findings import Finding, Severity
from ..support.text import clip
from .arithmetic import finding_ids, relations_of_kind, resolve, scale_slip_hint, slip_factor
from .base import rule

_CURRENCY = "[currency]"
# Where a figure is says what money it is: a fund's amount is a fund, a fund's per-unit standards standards.
_KIND_BY_FIGURE = {"fund_amount": "fund", "fund_standard": "standard"}


def is_money(entry: QuantityEntry) -> bool:
    """Whether the figure, as rules read it, is in yuan (a sum, or yuan per something)."""
    reading = entry.reading
    return reading is not None and any(d == _CURRENCY for d, _ in reading.unit.dimensionality)


def money_kind(entry: QuantityEntry) -> str | None:
    """The figure's kind of money: as the record states it, else from where it is, else from its metric."""
    stated = getattr(entry.quantity, "money_kind", None)
    if stated is not None:
        return stated
    return _KIND_BY_FIGURE.get(entry.holding.figure_kind) or METRIC_MONEY_KINDS.get(entry.metric or "")


def _declares_1_2_or_later(context: RecordContext) -> bool:
    major, _, minor = str(context.record.schema_version).partition(".")
    return (int(major), int(minor or 0)) >= (1, 2)


@rule(
    "MONEY001", "money-kind-unknown", Severity.WARNING,
    summary="A figure in yuan whose kind of money (fund, income, loan, standard, price) nothing says.",
    what=(
        "In a record of schema 1.2 or later, reports a figure in yuan (or yuan per something) whose `money_kind` "
        "is not stated and cannot be read from where it is (a fund's amount is a fund, a fund's standards are "
        "standards) or from its metric (" + ", ".join(f"{metric}: {kind}" for metric, kind in sorted(METRIC_MONEY_KINDS.items())[:6])
        + ", ...). The generic metrics `money` and `money_usd` say nothing, so such a figure states its kind: "
        + "; ".join(f"{kind} ({meaning})" for kind, meaning in MONEY_KINDS.items()) + ". Records of older "
        "versions, which cannot state the kind, are left alone."
    ),
    why=(
        "An analyst adding up a county's money keeps funds and leaves out tourism income, loans and the "
        "thresholds of an insurance policy: '300 million yuan of tourism income' and 'a self-paid cost above "
        "15,000 yuan' are in yuan like a fund, and without a kind they land in the sum beside the funds."
    ),
    example=(
        "schema_version: \"1.2\"\nobservations:\n  - {id: issued, metric: money, label: microcredit issued, value: 113 million yuan,\n"
        "     quote: \"issued a total of 113 million yuan in microcredits\"}\n"
    ),
    use_instead=(
        "schema_version: \"1.2\"\nobservations:\n  - {id: issued, metric: money, label: microcredit issued, value: 113 million yuan,\n"
        "     money_kind: loan, quote: \"issued a total of 113 million yuan in microcredits\"}\n"
    ),
)
def money_kind_unknown(context: RecordContext) -> Iterator[Finding]:
    if not _declares_1_2_or_later(context):
        return
    for entry in context.quantities:
        if is_money(entry) and money_kind(entry) is None:
            yield Finding(
                f"{clip(entry.reading.text)} is money, but of what kind? Say `money_kind`: "
                + ", ".join(MONEY_KINDS) + " (a fund's money belongs in funds, with its stage)",
                pointer=entry.place.field("value").pointer,
                ids=tuple(i for i in (entry.name_id,) if i),
                data={"value": entry.reading.text, "metric": entry.metric},
            )


@rule(
    "MONEY002", "inner-money-exceeds-outer", Severity.ERROR,
    summary="Money a `within` relation places inside other money is larger than it.",
    what=(
        "For a `within` relation between two figures in yuan, reports a part whose least possible value exceeds "
        "the whole's greatest (rounding, qualifiers and curated readings as in SUM). A relation whose figures are "
        "not both money is MONEY003's."
    ),
    why=(
        "Placing the relocation project's 215.66 million yuan inside the county's 675.56 million invested in the "
        "year is a claim the numbers can refute: an inner amount larger than its outer one means a slipped scale "
        "word, or that the two are not what the record says, and sums that leave the inner money out would then "
        "lose money."
    ),
    example=(
        "schema_version: \"1.2\"\nfunds:\n  - {id: invested-all, label: all investment over five years, stage: invested,\n"
        "     amount: {value: 58.38 million yuan, quote: \"583.8 million yuan was invested in all\", derived: mistyped}}\n"
        "  - {id: relocation, label: relocation sites, stage: invested,\n"
        "     amount: {value: 215.66 million yuan, quote: \"an investment of 215.66 million yuan completed\"}}\n"
        "relations:\n  - kind: within\n    part: relocation\n    whole: invested-all\n"
        "    note: the relocation sites are among the projects all the investment paid for\n"
    ),
    use_instead=(
        "schema_version: \"1.2\"\nfunds:\n  - {id: invested-all, label: all investment over five years, stage: invested,\n"
        "     amount: {value: 583.8 million yuan, quote: \"583.8 million yuan was invested in all\"}}\n"
        "  - {id: relocation, label: relocation sites, stage: invested,\n"
        "     amount: {value: 215.66 million yuan, quote: \"an investment of 215.66 million yuan completed\"}}\n"
        "relations:\n  - kind: within\n    part: relocation\n    whole: invested-all\n"
        "    note: the relocation sites are among the projects all the investment paid for\n"
    ),
)
def inner_money_exceeds_outer(context: RecordContext) -> Iterator[Finding]:
    for pointer, relation in relations_of_kind(context, "within"):
        part, whole = resolve(context, relation.part), resolve(context, relation.whole)
        if part is None or whole is None or not (is_money(part.entry) and part.dimensionality == whole.dimensionality):
            continue  # REF002, UNIT001 or MONEY003 reports why
        if part.interval.exceeds(whole.interval):
            yield Finding(
                f"`{relation.part}` ({part.text}) is larger than `{relation.whole}` ({whole.text}), the money it is "
                "placed within" + scale_slip_hint(part.interval.midpoint, whole.interval.midpoint),
                pointer=pointer,
                related=(part.place("part"), whole.place("whole")),
                ids=finding_ids(relation.id, relation.part, relation.whole),
                data={"part": part.data(), "whole": whole.data(),
                      "factor": slip_factor(part.interval.midpoint, whole.interval.midpoint)},
            )


@rule(
    "MONEY003", "within-not-money", Severity.ERROR,
    summary="A `within` relation between figures that are not both money of one dimension.",
    what=(
        "Reports a `within` relation whose part or whole is not a figure in yuan, or whose two figures are not of "
        "one dimension (yuan against yuan per household)."
    ),
    why=(
        "`within` places money inside money so that sums leave the inner money out; between counts it checks "
        "nothing a `subset` does not, and between a sum and a per-unit standard it compares what cannot be compared."
    ),
    example=(
        "schema_version: \"1.2\"\nobservations:\n  - {id: households, metric: households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "relations:\n  - {kind: within, part: poor, whole: households, note: the registered poor households are among all households}\n"
    ),
    use_instead=(
        "observations:\n  - {id: households, metric: households, value: \"8,164 households\", quote: \"from 8,164 households\"}\n"
        "  - {id: poor, metric: registered_poor_households, value: \"4,811 households\", quote: \"A total of 4,811 households\"}\n"
        "relations:\n  - {kind: subset, part: poor, whole: households, note: the registered poor households are among all households}\n"
    ),
)
def within_not_money(context: RecordContext) -> Iterator[Finding]:
    for pointer, relation in relations_of_kind(context, "within"):
        pair = [resolve(context, relation.part), resolve(context, relation.whole)]
        if any(figure is None for figure in pair):
            continue  # REF002 or UNIT001 reports why
        not_money = [figure for figure in pair if not is_money(figure.entry)]
        if not_money or pair[0].dimensionality != pair[1].dimensionality:
            shown = ", ".join(figure.text for figure in pair)
            why = "are not both money" if not_money else "are not of one dimension"
            yield Finding(
                f"this `within` relation's figures ({shown}) {why}: `within` places money in yuan inside money in yuan; "
                "use `subset` for other figures",
                pointer=pointer,
                related=tuple(figure.place(role) for figure, role in zip(pair, ("part", "whole"), strict=True)),
                ids=finding_ids(relation.id, relation.part, relation.whole),
            )


# A fund's amount is money provided; a fund may be of loan money (microcredit put into a project), never of income,
# a standard or a price.
_FUND_AMOUNT_KINDS = ("fund", "loan")


def _kind_misfit(entry: QuantityEntry, stated: str) -> str | None:
    """Why a stated money kind does not fit its figure, or None."""
    if not is_money(entry):
        return "it is not a figure in yuan"
    if entry.holding.figure_kind == "fund_amount" and stated not in _FUND_AMOUNT_KINDS:
        return f"a fund's amount is money provided ({' or '.join(_FUND_AMOUNT_KINDS)}); record {stated} as an observation or output"
    by_metric = METRIC_MONEY_KINDS.get(entry.metric or "")
    if by_metric is not None and by_metric != stated:
        return f"its metric {entry.metric} is {by_metric} money; choose the metric that says what it is"
    return None


@rule(
    "MONEY004", "money-kind-does-not-fit", Severity.WARNING,
    summary="A stated `money_kind` on a figure that is not money, or that its metric or its place contradicts.",
    what=(
        "Reports a `money_kind` stated on a figure that is not in yuan; on a fund's amount, a kind other than "
        + " or ".join(_FUND_AMOUNT_KINDS) + "; and a kind that differs from the one the figure's metric says "
        "(metric loans is loan money, revenue income, investment fund, ...)."
    ),
    why=(
        "Sums keep or leave out money by its kind: a fund's amount marked income, or a loan marked fund, puts "
        "money in the wrong sum, and a kind on a count of households says the curator meant another figure."
    ),
    example=(
        "schema_version: \"1.2\"\nobservations:\n  - {id: issued, metric: loans, value: 113 million yuan, money_kind: fund,\n"
        "     quote: \"issued a total of 113 million yuan in microcredits\"}\n"
    ),
    use_instead=(
        "schema_version: \"1.2\"\nobservations:\n  - {id: issued, metric: loans, value: 113 million yuan,\n"
        "     quote: \"issued a total of 113 million yuan in microcredits\"}\n"
    ),
)
def money_kind_does_not_fit(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        stated = getattr(entry.quantity, "money_kind", None)
        misfit = None if stated is None or entry.reading is None else _kind_misfit(entry, stated)
        if misfit is not None:
            yield Finding(
                f"money_kind {stated} does not fit {clip(entry.reading.text)}: {misfit}",
                pointer=entry.place.field("money_kind").pointer,
                ids=tuple(i for i in (entry.name_id,) if i),
                data={"money_kind": stated, "metric": entry.metric},
            )


RULES = [money_kind_unknown, inner_money_exceeds_outer, within_not_money, money_kind_does_not_fit]
