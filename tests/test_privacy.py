"""Privacy: the records identify no private person, by name or by the details around their story.

A private person's age, health, family situation or exact location (village, community, town) next to
their story identifies them as surely as a name (CONTRIBUTING.md, "Privacy"). These checks read every
string of every record (labels, names, descriptions, notes, curated notes, reasons, list items, quotes)
and every YAML comment. They are patterns, so each is narrowed to what describes one person: aggregate
statements (coverage rates, serious-illness insurance, counts of people with disabilities, a village's
figures) must pass. The synthetic cases below prove that every check can fail and that aggregates pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from validator.load.loader import LoadedDocument, load_document, load_text
from validator.support.paths import RECORDS_DIR

RECORD_FILES = sorted(RECORDS_DIR.rglob("*.yaml"))

# --- Who a clause is about -------------------------------------------------------------------------
# Pronouns and kinship words: aggregate statements speak of "households" and "people", not "her".
_PERSONAL_WORD = re.compile(r"\b(?:he|she|his|her|him|husband|wife|son|daughter)\b", re.I)
# One person or one household: "one poor household", "a registered poor worker", "the example ranger".
_ONE_PERSON = (
    r"\b(?:one|a|an|the\s+example|this)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:household|family|worker|labou?rer|villager|farmer|resident|grower|owner|rider|person|ranger"
    r"|member|administrator|man|woman|beneficiary|patient)\b"
)
_ONE_PERSON_RE = re.compile(_ONE_PERSON, re.I)
# What makes a clause a statement about many: counted groups, programmes, rates and standards.
_AGGREGATE = re.compile(
    r"\b(?:patients|people|persons|residents|households|recipients|women|men|students|villagers|workers"
    r"|insurance|insured|screening|screened|coverage|covered|programmes?|programs?|polic(?:y|ies)"
    r"|schemes?|rates?|standards?|thresholds?|subsid(?:y|ies)|per\s+(?:household|person|capita))\b",
    re.I,
)

# --- (a) age -----------------------------------------------------------------------------------------
# "aged 57", "age of 57", "his age (57)", but not a range or bound ("aged 16-60", "aged 60 and over")
# nor an average.
_AGE = re.compile(
    r"(?<!average )(?<!mean )\b(?:aged?|age\s+of)\W{0,3}\d{1,3}\b"
    r"(?!\s*(?:[-–~+]|to\s+\d|and\s+(?:above|over|older|under|below|younger)"
    r"|or\s+(?:above|over|older|more|under|below|younger)))",
    re.I,
)
# The compound adjective of one person ("a 57-year-old farmer"); a group is "57-year-olds".
_YEAR_OLD = re.compile(r"\b\d{1,3}[- ]year[- ]old\b", re.I)
# 57岁, but not a bound or range (60岁以上, 16-60岁).
_SUI = re.compile(r"(?<![\d\-–~至到])\d{1,3}岁(?!以上|以下|及以上|及以下|至|到|[-–~])")

# --- (b) health --------------------------------------------------------------------------------------
# Conditions and treatments that, outside an aggregate statement, are one person's medical history.
_TREATMENT = re.compile(
    r"\b(?:dialysis|haemodialysis|hemodialysis|uraemia|uremia|uremic|cysts?|tumou?rs?|cancer|leuka?emia"
    r"|paraly[sz]ed|paralysis|rheumatoid|surgery|surgical|hospitali[sz]ed|amputated|amputation)\b"
    r"|\b(?:his|her|had\s+an?|underwent\s+an?|undergo(?:es)?\s+an?|needs?\s+an?|needed\s+an?)\s+operation\b"
    r"|\boperation\s+(?:costs?|fees?|expenses?|bills?)\b"
    r"|\bdisabled\s+(?:son|daughter|husband|wife|father|mother|child|parent|brother|sister|person|man"
    r"|woman|worker|villager|farmer)\b"
    r"|\b(?:is|was|has\s+been|had\s+been|became)\s+disabled\b|\b(?:his|her)\s+disability\b"
    r"|透析|尿毒症|手术|瘫痪|癌",
    re.I,
)
# General words, used of aggregates as often as of one person: only a personal clause is flagged.
_ILLNESS = re.compile(
    r"\b(?:ill|illness(?:es)?|sick(?:ness)?|diseases?|injured|injury|suffer(?:s|ed|ing)?\s+from)\b|患|病",
    re.I,
)

# --- family situation ----------------------------------------------------------------------------
_FAMILY = re.compile(
    r"\bwidow(?:ed|er)?\b(?!\s+(?:elderly|people|persons|households|women|men)\b)"
    r"|\b(?:his|her)\s+(?:late\s+|only\s+|elderly\s+|sick\s+|disabled\s+)?(?:wife|husband|sons?|daughters?"
    r"|child|children|parents?(?:-in-law)?|mother|father|grandchildren|grandson|granddaughter)\b"
    r"|\bthe\s+(?:two|three|four|five|six|[2-9])\s+children\b"
    r"|\b(?:only|sole)\s+(?:labou?r(?:er)?|labou?r\s+force|breadwinner|earner)\b",
    re.I,
)

# --- exact location next to one person's story ---------------------------------------------------
_PLACE = r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s+(?:Village|Community|Town|Township|Street|Hamlet)\b"
# The place name is matched case-sensitively (a proper noun); the person in any case ("The example ...").
_LOCATED_PERSON = re.compile(rf"(?i:{_ONE_PERSON})[^.;]{{0,80}}?{_PLACE}|{_PLACE}[^.;]{{0,80}}?(?i:{_ONE_PERSON})")

_CLAUSE_END = re.compile(r"(?<=[.;!?。；])\s+|\n")


def _clause_is_personal(clause: str) -> bool:
    if _PERSONAL_WORD.search(clause):
        return True
    return bool(_ONE_PERSON_RE.search(clause)) and not _AGGREGATE.search(clause)


def identifying_details(text: str) -> list[str]:
    """The kinds of identifying detail in `text`: age, health, family, location."""
    kinds = []
    if _AGE.search(text) or _YEAR_OLD.search(text) or _SUI.search(text):
        kinds.append("age")
    for clause in _CLAUSE_END.split(text):
        personal = _clause_is_personal(clause)
        aggregate = not personal and _AGGREGATE.search(clause)
        if (_TREATMENT.search(clause) and not aggregate) or (_ILLNESS.search(clause) and personal):
            kinds.append("health")
            break
    if _FAMILY.search(text):
        kinds.append("family")
    if _LOCATED_PERSON.search(text):
        kinds.append("location")
    return kinds


# --- What a record says: every string and every comment -------------------------------------------
def strings(node: object, pointer: str = "") -> list[tuple[str, str]]:
    """(JSON pointer, text) of every string value in the loaded data."""
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in strings(value, f"{pointer}/{key}")]
    if isinstance(node, list):
        return [item for index, value in enumerate(node) for item in strings(value, f"{pointer}/{index}")]
    return [(pointer, node)] if isinstance(node, str) else []


def comments(text: str) -> list[tuple[int, str]]:
    """(line, comment) of every YAML comment: a '#' outside every token the scanner reads."""
    found: list[tuple[int, str]] = []

    def collect(start: int, end: int) -> None:
        for match in re.finditer(r"#[^\n]*", text[start:end]):
            found.append((text.count("\n", 0, start + match.start()) + 1, match.group()))

    previous_end = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        start, end = token.start_mark.index, token.end_mark.index
        collect(previous_end, start)
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            # A comment may follow a block scalar's indicator ("key: >- # why"), inside the token's span.
            line_end = text.find("\n", start, end)
            indicator_line = text[start:line_end if line_end >= 0 else end]
            comment = re.search(r"\s#[^\n]*", indicator_line)
            if comment:
                found.append((text.count("\n", 0, start) + 1, comment.group().lstrip()))
        previous_end = max(previous_end, end)
    collect(previous_end, len(text))
    return found


def violations(document: LoadedDocument) -> list[str]:
    texts = strings(document.data) + [(f"comment on line {line}", comment) for line, comment in comments(document.text)]
    # Name where and what kind, never the text: a failing run must not copy the details into a CI log.
    return [f"{where}: {kind}" for where, text in texts for kind in identifying_details(text)]


def _load(text: str) -> LoadedDocument:
    document = load_text(text, LoadedDocument(path=Path("synthetic.yaml"), text=text))
    assert document.usable, document.findings
    return document


@pytest.mark.parametrize("path", RECORD_FILES, ids=[str(p.relative_to(RECORDS_DIR)) for p in RECORD_FILES])
def test_record_holds_no_detail_that_identifies_a_private_person(path: Path) -> None:
    document = load_document(path)
    assert document.usable, document.findings
    assert violations(document) == []


# Each case: a small YAML text and the kinds of detail it must be flagged for. Names and places are
# invented; the field each sits in varies, to show that every string and every comment is read.
FLAGGED = {
    "age-year-old-in-label": ("label: income of a 63-year-old farmer\n", ["age"]),
    "age-aged-in-note": ("notes: {omitted: 'The grower, aged 57, is not named.'}\n", ["age"]),
    "age-in-brackets-in-note": ("notes: {omitted: 'The rider is named with his age (47); both are left out.'}\n", ["age"]),
    "age-of-in-description": ("description: a worker at the age of 52 found a job\n", ["age"]),
    "age-chinese": ("name: 一名52岁的村民\n", ["age"]),
    "age-in-comment": ("# the rider (aged 31) is not named\nvalue: 3 people\n", ["age"]),
    "age-after-block-indicator": ("description: >- # the owner is 61-year-old\n  a plan\n", ["age"]),
    "health-dialysis-in-quote": ("quote: \"one villager needs dialysis twice a week\"\n", ["health"]),
    "health-operation-cost": ("label: operation cost of one household member\n", ["health"]),
    "health-surgery-despite-insurance": ("label: the insurance paid after her surgery\n", ["health"]),
    "health-disabled-relative": ("reason: the household has a disabled son\n", ["health"]),
    "health-hospitalised-tumour": ("quote: 'She was hospitalised with a tumour.'\n", ["health"]),
    "health-illness-of-one-household": ("items: [one poor household's illness]\n", ["health"]),
    "health-injured-worker": ("note: he was injured and could not work\n", ["health"]),
    "health-chinese": ("description: 家人需要透析\n", ["health"]),
    "family-widowed": ("label: income of one widowed farmer\n", ["family"]),
    "family-spouse": ("description: His wife looks after the goats.\n", ["family"]),
    "family-children": ("quote: \"the two children are at school\"\n", ["family"]),
    "family-only-labour": ("note: the only labor force of the household\n", ["family"]),
    "location-household-village": ("label: goats of one poor household in Example Village\n", ["location"]),
    "location-in-brackets": ("description: The example worker (Sample Village, Test Town) is anonymous.\n", ["location"]),
    "location-place-first": ("label: in Example Community, a registered poor resident earns 900 yuan\n", ["location"]),
    "location-in-comment": ("value: 5 mu  # one farmer of Sample Village\n", ["location"]),
    "several-kinds": ("label: a 70-year-old widowed farmer of Example Village after her operation\n",
                      ["age", "health", "family", "location"]),
}

# Aggregate statements the records legitimately hold: they must pass.
AGGREGATE = {
    "coverage-rate": "label: medical insurance coverage 100 %\n",
    "serious-illness-insurance": "quote: serious illness insurance for registered poor people\n",
    "people-with-disabilities": "label: 24 policies for people with disabilities and assistance for the disabled\n",
    "disabled-persons-count": "label: disabled persons trained in handicrafts\n",
    "illness-poverty-count": "quote: 3,484 people who fell into poverty through illness\n",
    "chronic-diseases": "description: free medicines for people with mild chronic diseases\n",
    "cancer-screening": "label: cervical cancer screening for 5,000 women\n",
    "dialysis-patients": "label: uremia patients given free dialysis\n",
    "hospitalization-rate": "label: hospitalization reimbursement rate raised by 10 %\n",
    "heart-disease-screening": "quote: more than 10,000 people were screened for congenital heart disease\n",
    "operation-of-a-station": "description: the station was put into operation; its operation and maintenance\n",
    "age-range": "label: labourers aged 16-60 and people aged 60 and over\n",
    "average-age": "note: the average age of 45 for cadres\n",
    "year-olds": "label: 60-year-olds covered by the pension\n",
    "age-bound-chinese": "name: 60岁以上老人\n",
    "village-figure": "label: Example Village built 3 km of road\n",
    "poor-villages": "quote: all 54 poor villages have withdrawn\n",
    "villagers-of-a-village": "label: income increase for villagers of Example Village\n",
    "township-cooperative": "description: A township cooperative (Sample Township Cooperative) makes baskets.\n",
    "their-children": "description: Relocated households work while looking after their children.\n",
    "households-in-named-villages": "description: 6 poor households in Example Village and Sample Village run inns.\n",
    "anonymous-household": "label: goats raised by one poor household\n",
    "personal-quote-without-details": "quote: \"he invested in his own 10 mu of forest\"\n",
    "hash-in-scalars": "quote: \"No. #3 workshop\"\nid: a#b\n",
}


@pytest.mark.parametrize("text, kinds", FLAGGED.values(), ids=FLAGGED.keys())
def test_identifying_details_are_flagged(text: str, kinds: list[str]) -> None:
    found = violations(_load(text))
    assert sorted({entry.rsplit(": ", 1)[1] for entry in found}) == sorted(kinds), found


@pytest.mark.parametrize("text", AGGREGATE.values(), ids=AGGREGATE.keys())
def test_aggregate_statements_pass(text: str) -> None:
    assert violations(_load(text)) == []


def test_comments_are_found_wherever_yaml_allows_them() -> None:
    text = (
        "# first line\n"
        "a: \"x # inside a quoted scalar\"  # after a value\n"
        "b: plain#not-a-comment\n"
        "c: {d: 1, # inside a flow mapping\n"
        "    e: 2}\n"
        "f: >- # after a block indicator\n"
        "  folded # text, not a comment\n"
        "# last line\n"
    )
    assert comments(text) == [
        (1, "# first line"),
        (2, "# after a value"),
        (4, "# inside a flow mapping"),
        (6, "# after a block indicator"),
        (8, "# last line"),
    ]


def test_every_string_is_walked_with_its_pointer() -> None:
    document = _load("a: x\nb: [y, {c: z}]\nd: 1\ne: {f: [w]}\n")
    assert strings(document.data) == [("/a", "x"), ("/b/0", "y"), ("/b/1/c", "z"), ("/e/f/0", "w")]
