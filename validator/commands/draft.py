"""`county-records draft`: a record drafted from one text source, proposing every quantity the source writes.

Each quantity (record/source_quantities.py: as QUOTE002 and COVER001 read them) becomes an observation:
the number as the source writes it, its sentence as the quote, and a metric and unit guessed from the
words of its clause (贫困户 / poor households, 贫困人口 / poor people, 贫困发生率 / poverty incidence, 公路 /
road, ...), or `TODO` where the words do not say, which the validator then reports until the curator
decides. A `date` is proposed only where the sentence, or its line, opens with one year (2019年，...,
'By the end of 2020, ...'); elsewhere the comment says `date: TODO` and DATE008 warns until the curator
gives the figure its time. A comment above each proposal names its line in the source and the words the
guesses came from.
It proposes; the curator confirms, corrects or drops each figure, and moves what the record leaves out to
`omissions` with a reason (COVER001 lists what is still unaccounted for). The draft goes to standard
output, or to a new file (written atomically, never over an existing one).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

import yaml

from ..models.vocabulary import metric_definitions
from ..record.numbers import QUOTE, WrittenNumber, number_at
from ..record.quantities import QuantityError, parse_quantity, parse_unit
from ..record.quote_figures import ANY_COUNT, fold_quote
from ..record.source_quantities import Sentence, SourceQuantity, quantities_of
from ..support.atomic import AtomicWriteError, write_text_atomically
from ..support.seeds import INDEX_NAME, SeedFile, SeedText, fold_whitespace, read_contained, read_seed

TODO = "TODO"
_CLAUSE_BREAK = re.compile(r"[,，;；:：、。!！?？]")

# Words of a clause that say what its figure measures, by the units the figure may have: (words, metric).
# The first rule whose word stands in the figure's clause (before it, or in its unit phrase) and whose
# metric fits the figure's unit wins; English words are matched in lower case.
METRIC_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("贫困发生率", "poverty incidence", "incidence of poverty"), "poverty_incidence"),
    (("出列", "withdrawn", "withdrew", "lifted out of poverty"), "poor_villages_exited"),
    (("贫困村", "poor village"), "poor_villages"),
    (("搬迁", "relocat", "resettle"), "relocated_households"),
    (("搬迁", "relocat", "resettle"), "relocated_people"),
    (("脱贫户", "减少贫困户", "households lifted out", "households were lifted out"), "households_lifted_out"),
    (("减少贫困人口", "脱贫人口", "people lifted out", "people were lifted out"), "people_lifted_out"),
    (("贫困户", "建档立卡户", "poor household", "registered household", "impoverished household",
      "poverty population"), "registered_poor_households"),
    (("贫困人口", "贫困群众", "建档立卡贫困人口", "poor people", "registered poor", "impoverished people", "poor population",
      "poverty population"),
     "registered_poor_people"),
    (("培训", "train"), "trained_people"),
    (("就业", "务工", "employ", "migrant work", "laborer", "labourer"), "workers"),
    (("扶贫车间", "workshop"), "workshops"),
    (("合作社", "cooperative"), "cooperatives"),
    (("安置点", "resettlement site", "relocation site"), "sites"),
    (("企业", "enterprise", "compan"), "enterprises"),
    (("项目", "project"), "projects"),
    (("光伏", "photovoltaic", " pv "), "pv_capacity"),
    (("公路", "道路", "road"), "road_length"),
    (("种植", "plant"), "area_planted"),
    (("贷款", "信贷", "loan", "credit"), "loans"),
    (("投入", "投资", "invest"), "investment"),
    (("资金", "fund"), "money"),
)


# Units as a value writes them after a number ('268 people', not '268 person').
_AS_WRITTEN = {"person": "people", "household": "households", "village": "villages", "township": "townships",
               "percent": "%", "workshop": "workshops", "site": "sites", "enterprise": "enterprises",
               "cooperative": "cooperatives", "project": "projects"}


class Proposal(NamedTuple):
    quantity: SourceQuantity
    metric: str  # a metric of the vocabulary, or TODO
    value: str  # number and unit, the unit TODO where neither the figure nor the metric gives one
    qualifier: str | None
    upper: str | None
    because: str  # the word the metric was guessed from, or why it was not


def _clause(quantity: SourceQuantity) -> str:
    """The words that may say what the figure measures: its clause up to the figure, and its unit phrase."""
    sentence = quantity.sentence
    before = sentence.text[:quantity.start - sentence.start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    return (before[breaks[-1].end():] if breaks else before) + quantity.figure.written


def _metric_fits(metric: str, units: tuple[str, ...]) -> bool:
    """Whether a figure written with these units may be of the metric (any metric where it writes none)."""
    if not units:
        return True
    dimension = parse_unit(metric_definitions()[metric].dimension).dimensionality
    for unit in units:
        if unit == ANY_COUNT:
            if len(dimension) == 1 and dimension[0][1] == 1.0 and dimension[0][0] not in ("[currency]", "[length]", "[mass]"):
                return True
            continue
        if parse_unit(unit).dimensionality == dimension:
            return True
    return False


def guess_metric(quantity: SourceQuantity) -> tuple[str, str]:
    """(metric, the word it was guessed from), or (TODO, why not)."""
    clause = _clause(quantity).lower()
    for words, metric in METRIC_WORDS:
        word = next((w for w in words if w in clause), None)
        if word is not None and _metric_fits(metric, quantity.figure.units):
            return metric, f"metric from '{word.strip()}'"
    return TODO, "metric: the words around it do not say"


# A year as a sentence opens with it: 2019年, 截至2020年底, 'In 2019', 'By the end of 2020'; not 2000户 or '2000 people'.
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})\s*年|\b(?:in|by|of|until|since|during)\s+((?:19|20)\d{2})\b(?![\d.,])",
                   re.IGNORECASE)
# An opening that starts a span rather than dating a figure: 'Since 2016', 2016年以来.
_SINCE = re.compile(r"since|以来|年来|起", re.IGNORECASE)
# The 'from' value of 由12.5%降至0.8% / 'from 2,310 to 8,970': a figure of an earlier time than the sentence's.
_FROM = re.compile(r"(?:由|从|\bfrom\b)(?:(?!至|到|\bto\b)[^,，;；]){0,12}$", re.IGNORECASE)
# Where an opening clause ends ('2019年、2020年分别...' lists its years: 、 does not end it).
_OPENING_END = re.compile(r"[,，;；:：。!！?？]")


def _opening(text: str) -> str:
    end = _OPENING_END.search(text)
    return text[:end.start()] if end else ""


def _opening_year(opening: str) -> tuple[int | None, str]:
    """The one year an opening clause writes, and how it is written; None where it writes none, several or a span."""
    matches = list(_YEAR.finditer(opening))
    if len({m.group(1) or m.group(2) for m in matches}) != 1 or _SINCE.search(opening):
        return None, ""
    return int(matches[0].group(1) or matches[0].group(2)), matches[0].group(0).strip()


def propose_date(quantity: SourceQuantity, line_text: str) -> tuple[int | None, str]:
    """(the year the figure's sentence, or its line, opens with; the words it came from), or (None, why not).

    Only an opening clause dates a figure, and only one that writes a single year and no figure of its own:
    a year elsewhere may belong to another figure (由2014年的2380元增加到2020年的9865元), and the title's year
    is the curator's reading, not the sentence's.
    """
    sentence = quantity.sentence
    before = sentence.text[:quantity.start - sentence.start]
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    if _FROM.search(before[clause_start:]):
        return None, "date: TODO, the figure is a 'from' value, of a time before the sentence's"
    openings = [_opening(sentence.text)]
    if not line_text.startswith(sentence.text):  # the sentence does not open its line: the line's opening heads it
        openings.append(_opening(line_text))
    for opening in openings:
        if opening is openings[0] and len(opening) >= len(before):
            continue  # the figure stands in the opening itself ('2019年、2020年分别脱贫2103人、786人')
        year, written = _opening_year(opening)
        if year is not None:
            return year, f"date from '{written}'"
    return None, "date: TODO, the sentence opens with no year"


def _number_as_written(written: str, unit_word: str | None) -> str:
    """The number (with its scale word and 多/余) of a figure's written text, without the unit phrase."""
    text = written[:-len(unit_word)].rstrip() if unit_word and written.endswith(unit_word) else written
    if re.search(r"[A-Za-z]", text):
        number = number_at(fold_quote(text), 0, QUOTE)
        if isinstance(number, WrittenNumber):
            return number.written
    return text


def _parses(value: str) -> bool:
    try:
        parse_quantity(value)
    except QuantityError:
        return False
    return True


def propose(quantity: SourceQuantity) -> Proposal:
    figure = quantity.figure
    metric, because = guess_metric(quantity)
    number = _number_as_written(figure.written, figure.unit_word)
    units = [_AS_WRITTEN.get(unit, unit) for unit in figure.units if unit != ANY_COUNT]
    if metric != TODO:
        dimension = metric_definitions()[metric].dimension
        units.append(_AS_WRITTEN.get(dimension, dimension))
    by_unit = [f"{number} {unit}" for unit in units]
    # A measure word (个, 家) counts anything: the metric's own unit says what.
    candidates = [*by_unit, figure.written] if figure.units == (ANY_COUNT,) else [figure.written, *by_unit]
    qualifier, upper = None, None
    if "range" in figure.qualifiers:  # 三五个: from the low end to the high end
        high = max(figure.matches)
        candidates = [f"{figure.number} {unit}" for unit in units]
        qualifier, upper = "range", next((f"{high} {unit}" for unit in units), None)
    value = next((candidate for candidate in candidates if _parses(candidate)), f"{number} {TODO}")
    if qualifier is None:
        for kind in ("more_than", "at_least", "approximately", "at_most", "less_than"):
            if kind in figure.qualifiers and not re.search("[多余]", figure.written):
                qualifier = kind
                break
    return Proposal(quantity, metric, value, qualifier, upper, because)


def _index_entry(seeds_dir: Path, name: str) -> dict:
    raw = read_contained(seeds_dir, INDEX_NAME)
    if isinstance(raw, SeedFile):
        return {}
    data = yaml.safe_load(raw.decode("utf-8", errors="replace")) or {}
    return next((entry for entry in data.get("sources", []) if isinstance(entry, dict) and entry.get("file") == name), {})


class DraftRefused(Exception):
    """No draft is written; the message says why and what to do."""


def seed_name(source: str, seeds_dir: Path) -> str:
    """The seed a source names: its file name (with or without seeds/), or the id add-source prints (s005)."""
    name = source.removeprefix("seeds/")
    match = re.fullmatch(r"s?(\d{3,})", name)
    if match:
        numbered = sorted(p.name for p in seeds_dir.glob(f"{match.group(1)}_*") if p.is_file())
        if len(numbered) != 1:
            raise DraftRefused(f"no seed numbered {match.group(1)} in {seeds_dir}; name the file, e.g. seeds/005_....txt")
        name = numbered[0]
    return name


def _as_written(seed: SeedText, sentence: Sentence) -> str:
    """The sentence as the file writes it (full-width punctuation kept), where it folds to the sentence read."""
    lines = seed.raw.split("\n")
    (first_line, first_column), (last_line, last_column) = seed.position_of(sentence.start), seed.position_of(sentence.end - 1)
    if first_line != last_line:
        return sentence.text
    written = lines[first_line - 1][first_column - 1:last_column]
    return written if fold_whitespace(written) == sentence.text else sentence.text


def _scalar(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def draft_text(source: str, code: str, seeds_dir: Path, output: Path | None = None) -> str:
    """The drafted record: the division from the reference list, the source from seeds/index.yaml, a proposal per quantity."""
    from .scaffold import default_path, skeleton_text
    from ..corpus.reference import reference_division

    division = reference_division(code)
    if division is None:
        raise DraftRefused(f"{code} is not a county-level code in schema/reference/counties.csv")
    name = seed_name(source, seeds_dir)
    seed = read_seed(seeds_dir, name)
    if seed.text is None:
        raise DraftRefused(f"seeds/{name} " + (seed.refusal or "does not exist") + "; add the document with `county-records add-source`")
    entry = _index_entry(seeds_dir, name)
    if not entry:
        raise DraftRefused(f"seeds/{name} is not listed in seeds/index.yaml; add it with `county-records add-source`")
    if name.lower().endswith(".csv"):
        raise DraftRefused(f"seeds/{name} is a table: a record cites its cells (`cell:`); draft proposes the figures of a text")
    source_id = f"s{match.group(1)}" if (match := re.match(r"(\d{3,})_", name)) else "s1"
    source_lines = [f"  - id: {source_id}", f"    file: seeds/{name}"]
    for key in ("title", "publisher", "published", "language", "translated_from", "machine_translated"):
        if entry.get(key) not in (None, False):
            source_lines.append(f"    {key}: {_scalar(entry[key])}")
    proposals = [propose(quantity) for quantity in quantities_of(seed.text)]
    raw_lines = seed.text.raw.split("\n")
    lines = []
    for number, proposal in enumerate(proposals, start=1):
        line, _ = seed.text.position_of(proposal.quantity.sentence.start)
        year, dated = propose_date(proposal.quantity, fold_whitespace(raw_lines[line - 1]))
        stem = proposal.metric.replace("_", "-") if proposal.metric != TODO else "figure"
        lines += [f"  # {proposal.quantity.figure.written} (line {line}; {proposal.because}; {dated})",
                  f"  - id: {stem}-{number}", f"    metric: {proposal.metric}", f"    value: {_scalar(proposal.value)}"]
        if proposal.qualifier:
            lines.append(f"    qualifier: {proposal.qualifier}")
        if proposal.upper:
            lines.append(f"    upper: {_scalar(proposal.upper)}")
        if year is not None:
            lines.append(f"    date: {year}")
        lines.append(f"    quote: {_scalar(_as_written(seed.text, proposal.quantity.sentence))}")
    skeleton = skeleton_text(division, output or default_path(division))
    head = (
        f"# Drafted by `county-records draft` from seeds/{name}: {len(proposals)} quantities the source writes, each\n"
        "# proposed as a figure with its sentence as the quote. Confirm each one (metric, unit, date, qualifier),\n"
        "# replace every TODO, drop what is not a figure of this county, and list what you leave out under\n"
        "# `omissions` with a reason; COVER001 names any quantity still unaccounted for.\n"
    )
    observations = "observations:\n" + "\n".join(lines) + "\n" if lines else "observations: []\n"
    body = skeleton.replace("sources: []\n", "sources:\n" + "\n".join(source_lines) + "\n").replace(
        "observations: []\n", observations + "omissions: []\n")
    body = re.sub(r"# Add the source document to seeds/.*\n# see CONTRIBUTING.md, 'Adding a county'.\n", "", body)
    first, _, rest = body.partition("\n")  # the editor's schema line stays first
    return f"{first}\n{head}{rest}"


def add_parser(commands: argparse._SubParsersAction) -> None:
    draft = commands.add_parser(
        "draft", help="draft a record from a text source: every quantity it writes, proposed for the curator to confirm",
        description="Propose every quantity the source writes as a figure (its number as written, its sentence as the "
        "quote, a metric and unit guessed from the words around it, or TODO), under the division of CODE.",
    )
    draft.add_argument("--source", required=True, metavar="ID", help="the seed: its file name in seeds/, or the id add-source printed (s005)")
    draft.add_argument("--code", required=True, metavar="CODE", help="six-digit code of the county the record is about")
    draft.add_argument("--output", metavar="FILE", help="write the draft to FILE (a new file; never over an existing one) instead of standard output")
    draft.set_defaults(handler=command_draft)


def command_draft(options: argparse.Namespace) -> int:
    from ..support.paths import SEEDS_DIR

    output = Path(options.output) if options.output else None
    try:
        text = draft_text(options.source, options.code, SEEDS_DIR, output)
        if output is None:
            sys.stdout.write(text)
            return 0
        write_text_atomically(output, text, overwrite=False)
    except DraftRefused as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"county-records: {output} already exists; it is not overwritten", file=sys.stderr)
        return 1
    except AtomicWriteError as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0
