"""QUOTE: every figure is traceable: its quote stands in its source, and its number stands in its quote."""

from __future__ import annotations

from typing import Iterator

from ..support.findings import Finding, Related, Severity
from ..record.numbers import numbers_in_text  # noqa: F401 - tests read quotes' numbers through this module
from ..record.quantities import ParsedQuantity
from ..record.quote_figures import QuoteFigure, figures_in_quote, may_state
from ..support.seeds import MAX_SEED_BYTES, SeedFile, SeedText, fold_whitespace, read_seed, seed_index
from ..support.text import clip
from ..record.typed import RecordContext, iter_quotes
from .base import rule


def _seed_of(context: RecordContext, file: str) -> SeedFile:
    return read_seed(context.seeds_dir, file.removeprefix("seeds/"))


def _closest_passage_note(seed: SeedText, quote: str, seed_file: str, budget) -> tuple[str, tuple[Related, ...]]:
    """What the message says of the closest passage, and the passage's place in the seed as a related place."""
    from ..support.passages import closest_passage  # here: only a quote that is not in its source needs it

    found = closest_passage(seed, quote, budget)
    if not found.searched:
        return "; the closest passage was not searched (this record's budget for that search is spent)", ()
    if found.passage is None:
        return ", and no passage of it shares a distinctive word with the quote", ()
    if found.position is None:
        return f"; the closest passage is \"{found.passage}\"", ()
    line, column = found.position
    return f"; the closest passage is \"{found.passage}\"", (Related("closest passage", file=seed_file, line=line, column=column),)


# Each look for a quote costs up to its source's length; a record may take this much in all (about a
# second here). A real record takes a few million (100 clauses in a 40 KB source); only a record made
# to be slow (thousands of distinct quotes against an 8 MiB seed: a minute) reaches it, and its
# remaining quotes then fail, unsearched, rather than pass unchecked.
QUOTE_SEARCH_BUDGET_CHARS = 2_000_000_000


@rule(
    "QUOTE001", "quote-not-in-source", Severity.ERROR,
    summary="A quote that does not occur in its source.",
    what=(
        "Looks for each quote in the text of its source (after folding each run of whitespace into one space, "
        "and away altogether beside a Chinese character: Chinese has no spaces between words, so a source's line "
        "break inside '4.28万亩' is no difference; and punctuation of either width: full-width forms fold as NFKC "
        "folds them, （），：；！？ to (),:;!?, and “” ‘’ to \" ', as copies of one page made by different tools differ) and reports a quote that is not there, naming the closest passage "
        "of the source (found by the quote's rarest words, each Chinese character counting as a word, within a "
        "fixed amount of work per record; past it the message says the passage was not searched). A clause quoted "
        "for several figures is looked for once; a record's distinct quotes may take "
        f"{QUOTE_SEARCH_BUDGET_CHARS:,} characters of searching in all (each costs up to its source's length), and "
        "quotes past that are reported as not looked for, so a record cannot make the check arbitrarily slow."
    ),
    why="A figure is only as trustworthy as the passage it comes from; a paraphrased or mistyped quote cannot be checked by a reviewer.",
    example="observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: \"all fifty-four poor villages withdrew\"\n",
    use_instead="observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: \"all 54 poor villages have withdrawn\"\n",
)
def quote_not_in_source(context: RecordContext) -> Iterator[Finding]:
    found: dict[tuple[str, str], bool] = {}  # one clause often backs several figures: looked for once
    notes: dict[tuple[str, str], tuple[str, tuple[Related, ...]]] = {}  # and its closest passage found once
    searched = 0
    passage_budget = None  # made when a quote first fails: most records have none
    for quoted, quote, source_id in iter_quotes(context):
        pointer = quoted.field("quote").pointer
        source = context.source_for(source_id)
        if source is None or source.file is None:
            continue  # REF003 reports an unknown source; QUOTE005 a source without a file
        text = _seed_of(context, source.file).text
        if text is None:
            continue  # QUOTE003 reports a missing file, QUOTE006 one that is not read
        if len(quote) > MAX_QUOTE_CHARS:
            continue  # QUOTE007
        folded = fold_whitespace(quote)
        key = (source.file, folded)
        if key not in found:
            if searched + len(text.folded) > QUOTE_SEARCH_BUDGET_CHARS:
                yield Finding(
                    f"the quote was not looked for in {clip(source.file)}: this record's quotes have used the "
                    f"{QUOTE_SEARCH_BUDGET_CHARS:,} characters of searching a record may take; split the record, "
                    "or quote each clause once", pointer=pointer)
                continue
            searched += len(text.folded)
            found[key] = folded in text.folded
        if not found[key]:
            if key not in notes:
                if passage_budget is None:
                    from ..support.passages import record_budget
                    passage_budget = record_budget()
                notes[key] = _closest_passage_note(text, folded, source.file, passage_budget)
            note, related = notes[key]
            yield Finding(f"the quote is not in {clip(source.file)}{note}", pointer=pointer, related=related)



def _scale_hint(figure: QuoteFigure, parsed: ParsedQuantity) -> str:
    if figure.scale_word and not parsed.scale_word:
        return f"was {figure.scale_word} lost?"
    if parsed.scale_word and not figure.scale_word:
        return f"the quote writes no {parsed.scale_word}."
    return f"is {parsed.scale_word} the quote's {figure.scale_word}?"


def _mismatch(figures: tuple[QuoteFigure, ...], parsed: ParsedQuantity, field: str) -> str:
    """What the finding says of a value no figure of the quote matches: the figure it most resembles."""
    said = f"the {field} says {clip(parsed.text)}"
    same_number = [f for f in figures if parsed.number in f.matches]
    if same_number:
        written = same_number[0]
        return (f"the quote writes {clip(written.written)}; {said}: {clip(written.unit_word)} is not "
                f"{clip(parsed.unit.canonical)}; record the unit the quote writes")
    same_digits = [f for f in figures if (parsed.unscaled in (f.unscaled, f.number) or parsed.number == f.unscaled)
                   and (f.scale_word or parsed.scale_word)]
    if same_digits:
        written = same_digits[0]
        return (f"the quote writes {clip(written.written)}; {said}: {_scale_hint(written, parsed)} Write the value "
                "as the quote writes it, and where the quote is a slip, record the curated reading with a note")
    written = ", ".join(clip(f.written) for f in figures[:3]) + (", ..." if len(figures) > 3 else "")
    return (f"{clip(parsed.written)} is not written in the quote" + (f" (it writes {written})" if figures else "")
            + "; quote the passage that states it, or mark the quantity `derived:` and say from what")


@rule(
    "QUOTE002", "number-not-in-quote", Severity.ERROR,
    summary="A quantity that its quote does not write: another number, scale word or unit.",
    what=(
        "Reads every figure of the quote as the source writes it (validator/quote_figures.py): the number "
        "(digits, alone or with a scale word: k, thousand, ten thousand, wan, million, hundred million, yi, "
        "billion, 千, 万, 亿, 百万; compound phrases such as '5 million 700 thousand' and '36 million 402 thousand "
        "and 800'; numbers in words, 'fifty-four', 'a dozen'; Chinese numerals, 五十四, 两千), the ranges and "
        "approximations of Chinese numerals (三五 is 3 to 5, 七八十 70 to 80, 十几 and 十多 11 to 19, 40多 41 to 49, "
        "4700余 4,701 to 4,799, 上万 10,000 or more; see docs/numbers.md), the unit word beside it (户, 人, 元, 亩, "
        "公里, %, households, people, farmers, yuan, mu, acres, km; a measure word such as 个 or 家 stands for any "
        "count) and its qualifier words (more than, over, nearly, about, 多, 余, 近, 约, 左右). The value (and "
        "upper end) must be one of these figures: the same number with its scale word applied, and a unit the "
        "quote's unit word may mean where it writes one (yuan of a rate in yuan/person/year counts). 41,165,200 "
        "yuan matches '41,165,200 yuan', '4116.52万元' and '41.1652 million yuan'; 5.5 mu does not match '5.5万亩' "
        "(55,000 mu), 5,401 households does not match '2456户5401人', 150 billion yuan not '150 million yuan'. "
        "Where the quote writes no unit, none is assumed; where it writes the number twice with different "
        "units, either matches. A figure written as an idiom matches its own number and its ends (40多人: 40, "
        "41, 49 or 50 people). The message names the figure the quote writes. A slip of the source itself is "
        "recorded as a curated reading (the stated value as the quote writes it, `curated:` with a note); a "
        "quantity marked `derived` (with what it is derived from) is exempt."
    ),
    why=(
        "The quote is the proof of the number, and a number is its scale and its unit too: a translation that "
        "loses 万 or turns people into households keeps every digit, so comparing digits alone lets the slip pass."
    ),
    example="observations:\n  - id: peach-area\n    metric: area_planted\n    value: 5.5 mu\n    quote: \"全县种植黄桃5.5万亩\"\n",
    use_instead="observations:\n  - id: peach-area\n    metric: area_planted\n    value: 5.5万亩\n    quote: \"全县种植黄桃5.5万亩\"\n",
)
def number_not_in_quote(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        if entry.quantity.quote is None:
            continue  # cited to a table's cell: CELL001 reads it
        if entry.quantity.derived is not None or len(entry.quantity.quote) > MAX_QUOTE_CHARS:
            continue  # QUOTE007 reports a quote too long to be one clause
        figures = figures_in_quote(entry.quantity.quote)
        for parsed, field in ((entry.stated, "value"), (entry.upper, "upper")):
            if parsed is None:
                continue
            if any(may_state(figure, parsed) for figure in figures):
                continue
            yield Finding(_mismatch(figures, parsed._replace(number=abs(parsed.number), unscaled=abs(parsed.unscaled)), field),
                          pointer=entry.place.field(field).pointer)


# The quote's words that support each qualifier a value may have (quote_figures.py reads them).
def _figures_matching(quote: str, parsed: ParsedQuantity) -> list[QuoteFigure]:
    """The figures of the quote a value may state, as QUOTE002 matches them: its number, and a fitting unit."""
    return [f for f in figures_in_quote(quote) if may_state(f, parsed)]


QUALIFIER_SUPPORT = {
    "more_than": ("more_than", "at_least"), "at_least": ("at_least", "more_than"),
    "approximately": ("approximately", "at_most", "range"), "at_most": ("at_most", "less_than"),
    "less_than": ("less_than", "at_most"),
}
QUALIFIER_WORDS = "more than, over, at least, nearly, about, 多, 余, 近, 约, 左右, 以上, 超过, 不到"


@rule(
    "QUOTE008", "qualifier-not-in-quote", Severity.ERROR,
    summary="A qualifier (more than, about, at most) that no word of the quote supports.",
    what=(
        "For a quantity whose qualifier is more_than, at_least, approximately, at_most or less_than, looks at the "
        "figures of its quote that match its value (as QUOTE002 matches them) and reports it where none has a "
        f"word that supports the qualifier ({QUALIFIER_WORDS}, and 以下, 不足, less than, up to, around). "
        "'More than' is supported by more than, over, 多, 余, 以上, 超过, 逾; 'at least' by the same; "
        "'approximately' by about, around, nearly, 约, 左右, 近; 'at most' and 'less than' by nearly, up to, "
        "less than, 近, 不到, 不足, 以下. A value written as an idiom (40多人) carries its own reading. A quantity "
        "marked `derived` is exempt, and so is one whose value QUOTE002 already reports."
    ),
    why=(
        "A qualifier changes what a figure can mean: 'more than 10,000' is never 9,000, 'about 5,000' may be "
        "5,400. One the source does not state lets a relation pass or fail on a reading the source never gave."
    ),
    example="observations:\n  - id: trained\n    metric: people\n    value: 5000人\n    qualifier: more_than\n    quote: \"全年培训农民5000人左右\"\n",
    use_instead="observations:\n  - id: trained\n    metric: people\n    value: 5000人\n    qualifier: approximately\n    quote: \"全年培训农民5000人左右\"\n",
)
def qualifier_not_in_quote(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        qualifier = entry.quantity.qualifier
        parsed = entry.stated
        if qualifier not in QUALIFIER_SUPPORT or parsed is None or entry.quantity.derived is not None or entry.quantity.quote is None:
            continue
        if parsed.few_step is not None or len(entry.quantity.quote) > MAX_QUOTE_CHARS:
            continue
        matching = _figures_matching(entry.quantity.quote, parsed)
        if not matching or any(set(QUALIFIER_SUPPORT[qualifier]) & f.qualifiers for f in matching):
            continue
        said = "; ".join(f"{clip(f.written)}" + (f" ({', '.join(sorted(f.qualifiers))})" if f.qualifiers else "")
                         for f in matching[:3])
        yield Finding(f"the qualifier is {qualifier}, but the quote writes {said} with no word for it ({QUALIFIER_WORDS}); "
                      "give the qualifier the quote's words support", pointer=entry.place.field("qualifier").pointer)


@rule(
    "QUOTE009", "qualifier-dropped", Severity.WARNING,
    summary="A value recorded as exact where its quote writes it with more than, nearly, about, 多, 余, 近 or 约.",
    what=(
        "For a quantity with no qualifier (exact), looks at the figures of its quote that match its value (as QUOTE002 "
        "matches them) and warns where every one of them carries a qualifier word: 3万余亩 recorded as `3万亩`, "
        "近18万头 as `18万头`, 'more than 6,000 households' as `6,000 households`. The finding names the words and "
        "the qualifier they support. A value written as the quote writes it (`3万余亩`, `40多人`), a quantity marked "
        "`derived`, a curated reading with a qualifier of its own, and a quote that also writes the number bare are left alone."
    ),
    why=(
        "A qualifier the record drops makes a bound look like a count: 'more than 6,000' recorded as 6,000 passes a "
        "sum it should fail, and an analyst adds it as exact. It was the commonest slip the blind generalisation check "
        "found unreported (three of six misses)."
    ),
    example="observations:\n  - id: trained\n    metric: people\n    value: 5000人\n    quote: \"全年培训农民5000人左右\"\n",
    use_instead="observations:\n  - id: trained\n    metric: people\n    value: 5000人\n    qualifier: approximately\n    quote: \"全年培训农民5000人左右\"\n",
)
def qualifier_dropped(context: RecordContext) -> Iterator[Finding]:
    for entry in context.quantities:
        quantity, parsed = entry.quantity, entry.stated
        if quantity.qualifier != "exact" or parsed is None or quantity.derived is not None or parsed.few_step is not None or quantity.quote is None:
            continue
        if entry.curated is not None and quantity.curated.qualifier is not None or len(quantity.quote) > MAX_QUOTE_CHARS:
            continue
        matching = _figures_matching(quantity.quote, parsed)
        if not matching or not all(f.qualifiers & _DROPPABLE for f in matching):
            continue
        supported = sorted(set.intersection(*(set(f.qualifiers & _DROPPABLE) for f in matching)) or matching[0].qualifiers & _DROPPABLE)
        said = "; ".join(clip(f.written) for f in matching[:3])
        yield Finding(f"the quote writes {said} with a word for {' or '.join(supported)} ({QUALIFIER_WORDS}), but the value "
                      "is recorded as exact; "
                      f"give it `qualifier: {supported[0]}`, or write the value as the quote does",
                      pointer=entry.place.field("value").pointer)


# Qualifiers a quote's words give that a value recorded as exact drops (a range idiom's ends are QUOTE002's).
_DROPPABLE = frozenset({"more_than", "at_least", "at_most", "less_than", "approximately"})


@rule(
    "QUOTE003", "source-file-missing", Severity.ERROR,
    summary="A source whose file is not in seeds/.",
    what="Reports a source whose `file` does not exist in seeds/.",
    why="Quotes can only be checked against a source that is in the repository.",
    example="sources:\n  - id: s2\n    file: seeds/no-such-file.txt\n    title: Missing\n    language: en\n",
    use_instead="sources:\n  - id: s2\n    file: seeds/fixture.txt\n    title: Present\n    language: en\n",
)
def source_file_missing(context: RecordContext) -> Iterator[Finding]:
    for source in context.record.sources:
        if source.file is not None and _seed_of(context, source.file).missing:
            yield Finding(f"{clip(source.file)} does not exist; add the document to seeds/ (and to seeds/index.yaml)", pointer=source.place.field("file").pointer)


@rule(
    "QUOTE004", "source-checksum-mismatch", Severity.ERROR,
    summary="A source file that does not match the checksum in seeds/index.yaml, or is not listed there.",
    what="Compares the sha256 of each cited source file with the one recorded in seeds/index.yaml.",
    why="Sources are never edited: a changed seed would let a quote be made to fit. The index's checksum proves the file is the one that was archived.",
    example="sources:\n  - id: s2\n    file: seeds/unlisted.txt\n    title: Not in the index\n    language: en\n",
    use_instead="sources:\n  - id: s2\n    file: seeds/fixture.txt\n    title: In the index\n    language: en\n",
)
def source_checksum_mismatch(context: RecordContext) -> Iterator[Finding]:
    index = seed_index(context.seeds_dir)
    for source in context.record.sources:
        if source.file is None:
            continue
        text = _seed_of(context, source.file).text
        if text is None:
            continue  # QUOTE003 or QUOTE006
        entry = index.get(source.file.removeprefix("seeds/"))
        if entry is None:
            yield Finding(f"{clip(source.file)} is not listed in seeds/index.yaml; add it with its sha256", pointer=source.place.field("file").pointer)
        elif entry.sha256 != text.actual_sha256:
            yield Finding(f"{clip(source.file)} does not match its sha256 in seeds/index.yaml: the source was changed; restore it", pointer=source.place.field("file").pointer)


@rule(
    "QUOTE005", "source-not-archived", Severity.ERROR,
    summary="A source with a URL but no file in seeds/, so its quotes cannot be checked.",
    what=(
        "Reports a source that has no `file`: its quotes and numbers are not verified against any text. It is an "
        "error, not a warning, because CI fails only on errors: as a warning, a source made only of a URL let any "
        "invented quote through unchecked."
    ),
    why="Web pages change and vanish; a figure is checkable only against an archived copy.",
    example="sources:\n  - id: s2\n    url: https://example.org/report\n    title: Online only\n    language: en\n",
    use_instead="sources:\n  - id: s2\n    file: seeds/fixture.txt\n    url: https://example.org/report\n    title: Archived\n    language: en\n",
)
def source_not_archived(context: RecordContext) -> Iterator[Finding]:
    for source in context.record.sources:
        if source.file is None:
            yield Finding(f"source {clip(source.id)} has no file in seeds/, so its quotes cannot be checked: archive the "
                          "document there (and in seeds/index.yaml) and name it in `file`", pointer=source.place.pointer)


@rule(
    "QUOTE006", "source-not-a-seed-file", Severity.ERROR,
    summary="A source file that is not a regular file inside a real seeds/ folder (a link, a device), or is too large to read.",
    what=(
        f"Reports a source whose `file` is not a regular file in a real seeds/ folder at the repository's root: "
        f"a symbolic link (to /etc/passwd, /proc/self/environ, ../README.md or even another seed), a seeds/ folder "
        f"that is itself a link (to .git or a folder outside), `seeds/..`, a folder, a named pipe, a device, a name "
        f"with a NUL byte, or a file larger than {MAX_SEED_BYTES // (1024 * 1024)} MiB. Links are refused without "
        "being followed. The file is not read, so its quotes are not checked against it (QUOTE001 and QUOTE004 skip it)."
    ),
    why=(
        "Records come from anyone; a source that is a link to a file outside the repository would have that file "
        "read and quoted back in the validator's messages, and a device would be read until memory runs out."
    ),
    example="sources:\n  - id: s1\n    file: seeds/..\n    title: The repository's root folder\n    language: en\n",
    use_instead="sources:\n  - id: s1\n    file: seeds/fixture.txt\n    title: A document in seeds/\n    language: en\n",
)
def source_not_a_seed_file(context: RecordContext) -> Iterator[Finding]:
    for source in context.record.sources:
        refusal = None if source.file is None else _seed_of(context, source.file).refusal
        if refusal is not None:
            yield Finding(f"{clip(source.file)} is not read: {refusal}; a source must be a regular file in seeds/ (not a link)",
                pointer=source.place.field("file").pointer,
            )


# Five times the longest quote of the records (215 characters): a quote is the clause that states the figure.
MAX_QUOTE_CHARS = 1_000


@rule(
    "QUOTE007", "quote-too-long", Severity.ERROR,
    summary=f"A quote longer than {MAX_QUOTE_CHARS:,} characters.",
    what=(
        f"Reports a quote of more than {MAX_QUOTE_CHARS:,} characters. Such a quote is not looked for in its source "
        "(QUOTE001) nor read for numbers (QUOTE002): a quote is the clause that states the figure, and reading a "
        "megabyte of text as numbers costs seconds."
    ),
    why="A reviewer checks a figure against the few words that state it; a paragraph-long quote proves nothing about which number it means.",
    example="observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: \"" + "all 54 poor villages have withdrawn " * 30 + "\"\n",
    use_instead="observations:\n  - id: poor-villages\n    metric: poor_villages\n    value: 54 villages\n    quote: \"all 54 poor villages have withdrawn\"\n",
)
def quote_too_long(context: RecordContext) -> Iterator[Finding]:
    for quoted, quote, _source in iter_quotes(context):
        pointer = quoted.field("quote").pointer
        if len(quote) > MAX_QUOTE_CHARS:
            yield Finding(f"the quote has {len(quote):,} characters; quote only the clause that states the figure "
                          f"(at most {MAX_QUOTE_CHARS:,})", pointer=pointer, data={"length": len(quote)})


RULES = [quote_not_in_source, number_not_in_quote, qualifier_not_in_quote, qualifier_dropped, source_file_missing, source_checksum_mismatch, source_not_archived,
         source_not_a_seed_file, quote_too_long]
