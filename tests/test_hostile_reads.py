"""Hostile reads: a pull request cannot make the validator read (and so print) a file outside the repository,
nor read without bound, nor spend unbounded work on the closest-passage search.

Each disclosure attack plants an outside file holding a unique marker, runs the command in a
subprocess inside a scratch repository, and checks that the marker appears in no output (standard
output and error of every format, and of `diff`), that the expected finding is there, that no
traceback is printed and that nothing was written.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rule_cases import FIXTURE_SEEDS, TODAY
from test_hostile_input import HANG_LIMIT_SECONDS, IS_ROOT, snapshot
from validator.support import passages
from validator.corpus.facts import CorpusFacts, ObservationFact
from validator.engine import Settings, run
from validator.load.loader import MAX_FILE_BYTES
from validator.support.paths import REPO_ROOT, SEEDS_DIR
from validator.rules.conflicts import _first_disjoint_earlier, conflicting_values
from validator.support.seeds import MAX_SEED_BYTES, SeedText, fold_whitespace

OUTSIDE_MARKER = "OUTSIDE-MARKER-c41f9e"
README_MARKER = "README-MARKER-7d02ab"
ENV_MARKER = "ENVIRON-MARKER-93e5d1"
QUOTE = "all 54 poor villages have withdrawn"
# Outside files hold the quote's words around the marker: had they been read, QUOTE001's closest passage would show it.
OUTSIDE_TEXT = f"all 54 poor villages {OUTSIDE_MARKER} have withdrawn {OUTSIDE_MARKER}\n"
HEADER = ('schema_version: "1.0"\ndivision: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, prefecture: 株洲市, '
          'designations: [national_poverty_county]}\n')


def _write_index(seeds: Path, names: list[str]) -> None:
    lines = ["sources:\n"]
    for name in names:
        digest = hashlib.sha256((seeds / name).read_bytes()).hexdigest()
        lines.append(f"  - file: {name}\n    sha256: {digest}\n")
    (seeds / "index.yaml").write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch repository (schema/, seeds/ with fixture.txt, records/) beside a folder of outside files."""
    root = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    (root / "seeds").mkdir()
    shutil.copyfile(FIXTURE_SEEDS / "fixture.txt", root / "seeds" / "fixture.txt")
    _write_index(root / "seeds", ["fixture.txt"])
    (root / "records").mkdir()
    (root / "README.md").write_text(f"all 54 poor villages {README_MARKER} have withdrawn\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(OUTSIDE_TEXT, encoding="utf-8")
    (tmp_path / "cache").mkdir()
    return root


def cli(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HOSTILE_ENVIRON_MARKER": ENV_MARKER,
                   "COUNTY_RECORDS_CACHE_DIR": str(root.parent / "cache")}
    completed = subprocess.run([sys.executable, "-m", "validator", *arguments], cwd=root, capture_output=True,
                               text=True, timeout=HANG_LIMIT_SECONDS, env=environment)
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def files_outside_the_cache(root: Path) -> tuple[dict, dict]:
    """The repository and the outside files (the unit cache, which the validator may write, is beside them)."""
    return snapshot(root), snapshot(root.parent / "outside")


def assert_no_disclosure(*outputs: str) -> None:
    markers = [OUTSIDE_MARKER, README_MARKER, ENV_MARKER]
    if Path("/etc/passwd").exists():
        markers.append(Path("/etc/passwd").read_text(errors="replace").splitlines()[0][:12])
    for output in outputs:
        for marker in markers:
            assert marker not in output, f"{marker} was printed"


# --- seeds: a source file must be a regular file inside seeds/ --------------------------------

def _plant_seeds(seeds: Path, outside: Path) -> dict[str, str | None]:
    """Hostile entries of seeds/; for each, the source `file` and None where the platform cannot build it."""
    planted: dict[str, str | None] = {}

    def link(name: str, target: str) -> None:
        (seeds / name).symlink_to(target)
        planted[name] = f"seeds/{name}"

    link("secret.txt", str(outside / "secret.txt"))
    link("readme.txt", "../README.md")
    link("hop.txt", "hop2.txt")
    link("hop2.txt", str(outside / "secret.txt"))
    link("passwd.txt", "/etc/passwd")
    link("environ.txt", "/proc/self/environ")
    link("zero.txt", "/dev/zero")
    if hasattr(os, "mkfifo"):
        os.mkfifo(seeds / "pipe.txt")
        planted["pipe.txt"] = "seeds/pipe.txt"
    (seeds / "folder.txt").mkdir()
    planted["folder.txt"] = "seeds/folder.txt"
    with open(seeds / "large.txt", "wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_SEED_BYTES + 1)
    planted["large.txt"] = "seeds/large.txt"
    planted["dotdot"] = "seeds/.."
    planted["nul"] = "seeds/fixture.txt\\0x"
    return planted


def _record_citing(files: list[str]) -> tuple[str, dict[str, int]]:
    """A record with one source per file (and s0, the fixture seed) and one quote from each; the line of each file."""
    lines = HEADER.splitlines(keepends=True) + ["sources:\n", "  - id: s0\n", "    file: seeds/fixture.txt\n",
                                                 "    title: Fixture\n", "    language: en\n"]
    line_of: dict[str, int] = {}
    for i, file in enumerate(files, start=1):
        lines += [f"  - id: s{i}\n"]
        line_of[file] = len(lines) + 1
        lines += [f'    file: "{file}"\n', f"    title: Source {i}\n", "    language: en\n"]
    lines.append("observations:\n")
    for i in range(len(files) + 1):
        lines.append(f'  - {{id: v{i}, metric: poor_villages, value: 54 villages, source: s{i}, quote: "{QUOTE}"}}\n')
    lines.append(f'  - {{id: typo, metric: poor_villages, value: 54 villages, source: s0, quote: "all 54 poor vilages have withdrawn"}}\n')
    return "".join(lines), line_of


def test_seed_files_that_are_not_regular_files_in_seeds_are_refused_unread(repo: Path) -> None:
    planted = _plant_seeds(repo / "seeds", repo.parent / "outside")
    files = [file for file in planted.values() if file]
    text, line_of = _record_citing(files)
    (repo / "records" / "hostile.yaml").write_text(text, encoding="utf-8")
    before = files_outside_the_cache(repo)
    outputs = [cli(repo, "validate", "--today", TODAY.isoformat(), "--format", fmt, "records") for fmt in ("text", "json", "github")]
    assert files_outside_the_cache(repo) == before, "the run wrote something"
    assert all(completed.returncode == 1 for completed in outputs)
    assert_no_disclosure(*(completed.stdout + completed.stderr for completed in outputs))
    findings = json.loads(outputs[1].stdout)["findings"]
    refused = sorted((f["line"], f["pointer"]) for f in findings if f["rule"] == "QUOTE006")
    assert refused == sorted((line_of[file], f"/sources/{i}/file") for i, file in enumerate(files, start=1))
    # The refused sources give no other QUOTE finding: not missing, not unlisted, their quotes not compared.
    noise = [f for f in findings if f["rule"] in ("QUOTE001", "QUOTE003", "QUOTE004") and f["pointer"] != "/observations/%d/quote" % (len(files) + 1)]
    assert noise == []
    # The one regular seed is still checked: the mistyped quote is reported, with its passage.
    [typo] = [f for f in findings if f["rule"] == "QUOTE001"]
    assert typo["message"].endswith('the closest passage is "all 54 poor villages have withdraw"')  # as long as the quote


def test_a_link_even_to_another_seed_inside_seeds_is_refused(repo: Path) -> None:
    # A seed is a regular file: whether a link's target lies inside is never asked, so no resolving can be fooled.
    (repo / "seeds" / "alias.txt").symlink_to("fixture.txt")
    _write_index(repo / "seeds", ["fixture.txt", "alias.txt"])
    text, line_of = _record_citing(["seeds/alias.txt"])
    (repo / "records" / "alias.yaml").write_text(text, encoding="utf-8")
    completed = cli(repo, "validate", "--today", TODAY.isoformat(), "records")
    assert f"alias.yaml:{line_of['seeds/alias.txt']}:" in completed.stdout
    assert "QUOTE006" in completed.stdout and "symbolic link" in completed.stdout


def test_an_index_that_links_out_of_seeds_is_not_read(repo: Path) -> None:
    outside_index = repo.parent / "outside" / "index.yaml"
    shutil.move(repo / "seeds" / "index.yaml", outside_index)  # lists fixture.txt with its right checksum
    (repo / "seeds" / "index.yaml").symlink_to(outside_index)
    text, _ = _record_citing([])
    (repo / "records" / "x.yaml").write_text(text, encoding="utf-8")
    completed = cli(repo, "validate", "--today", TODAY.isoformat(), "records")
    assert "QUOTE004" in completed.stdout and "seeds/fixture.txt is not listed in seeds/index.yaml" in completed.stdout


def test_diff_shows_refused_seeds_without_their_text(repo: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    text, _ = _record_citing([])
    (repo / "records" / "hostile.yaml").write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], cwd=repo, check=True)
    planted = _plant_seeds(repo / "seeds", repo.parent / "outside")
    text, _ = _record_citing([file for file in planted.values() if file])
    (repo / "records" / "hostile.yaml").write_text(text, encoding="utf-8")
    before = files_outside_the_cache(repo)
    outputs = [cli(repo, "diff", "HEAD", "--today", TODAY.isoformat(), "--format", fmt) for fmt in ("text", "github")]
    assert files_outside_the_cache(repo) == before
    assert all(completed.returncode == 0 for completed in outputs)
    assert all("QUOTE006" in completed.stdout for completed in outputs)
    assert_no_disclosure(*(completed.stdout + completed.stderr for completed in outputs))


# --- diff: worktree records are read with the loader's bounds ----------------------------------

def test_diff_does_not_read_worktree_records_through_links_or_without_bound(repo: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    text, _ = _record_citing([])
    for name in ("leak.yaml", "zero.yaml", "big.yaml"):
        (repo / "records" / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], cwd=repo, check=True)
    outside_record = repo.parent / "outside" / "record.yaml"
    outside_record.write_text(f'schema_version: "1.0"\n{OUTSIDE_MARKER}: {OUTSIDE_MARKER}\n', encoding="utf-8")
    for name, target in (("leak.yaml", str(outside_record)), ("zero.yaml", "/dev/zero"), ("readme.yaml", "../README.md")):
        (repo / "records" / name).unlink(missing_ok=True)
        (repo / "records" / name).symlink_to(target)
    with open(repo / "records" / "big.yaml", "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    before = files_outside_the_cache(repo)
    text_out = cli(repo, "diff", "HEAD", "--today", TODAY.isoformat())
    github_out = cli(repo, "diff", "HEAD", "--today", TODAY.isoformat(), "--format", "github")
    assert files_outside_the_cache(repo) == before
    assert text_out.returncode == 0 and github_out.returncode == 0
    assert_no_disclosure(text_out.stdout, text_out.stderr, github_out.stdout, github_out.stderr)
    blocks = {block.split("\n", 1)[0]: block for block in text_out.stdout.split("\nrecords/")}
    by_file = {name.removeprefix("records/"): block for name, block in blocks.items()}
    assert "YAML016" in by_file["leak.yaml"] and "link leading outside the repository" in by_file["leak.yaml"]
    assert "YAML016" in by_file["zero.yaml"]
    assert "YAML007" in by_file["big.yaml"]
    # ../README.md is inside the repository: read (it is no record), but not as a link out.
    assert "outside the repository" not in by_file["readme.yaml"]


# --- the closest-passage search: useful on typos, bounded in work ------------------------------

def _real_seeds() -> list[SeedText]:
    seeds = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        raw = path.read_bytes()
        seeds.append(SeedText(fold_whitespace(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()))
    return seeds


def test_a_quote_with_one_word_changed_finds_its_passage_in_the_real_seeds() -> None:
    generator = random.Random(9)
    budget = passages.reset_process_budget()
    tried = 0
    for seed in _real_seeds():
        words = list(re.finditer(r"\S+", seed.folded))
        for _ in range(40):
            length = generator.randint(10, 30)
            first = generator.randrange(0, len(words) - length)
            chosen = words[first:first + length]
            changed = generator.randrange(length)
            quote_words = [m.group() for m in chosen]
            quote_words[changed] = "zqxv" if quote_words[changed] != "zqxv" else "vxqz"
            quote = " ".join(quote_words)
            assert quote not in seed.folded
            found = passages.closest_passage(seed, quote)
            assert found.searched and found.passage is not None
            # The passage begins at a word: the quote's first word character.
            original = seed.folded[re.compile(r"\w").search(seed.folded, chosen[0].start()).start():]
            assert original.startswith(found.passage.removesuffix("...")), (quote, found.passage)
            tried += 1
    assert tried == 200
    assert budget.spent < budget.units


def _near_misses(seed: SeedText, count: int) -> list[str]:
    generator = random.Random(4000)
    words = seed.folded.split(" ")
    quotes = []
    for _ in range(count):
        first = generator.randrange(0, len(words) - 20)
        chosen = words[first:first + 20]
        chosen[generator.randrange(20)] = "zqxv"
        quotes.append(" ".join(chosen))
    return quotes


def test_four_thousand_near_miss_quotes_stay_within_the_budget() -> None:
    [seed, *_] = _real_seeds()
    budget = passages.reset_process_budget()
    results = [passages.closest_passage(seed, quote) for quote in _near_misses(seed, 4000)]
    assert budget.spent <= budget.units
    # Each search costs at most a fixed number of units, so all of these fit (they are ordinary quotes).
    assert all(r.searched for r in results)
    per_quote_bound = passages.PROBE_WORDS + passages.ANCHORS * passages.COMMON_WORD + passages.CANDIDATES * passages.PROBE_WORDS * 2 + len(passages.SHIFTS) * passages.PROBE_WORDS
    index_units = len(re.findall(r"\w+", seed.folded))
    assert budget.spent <= index_units + 4000 * per_quote_bound


def test_a_spent_budget_still_reports_the_quote_and_says_it_was_not_searched(tmp_path: Path) -> None:
    passages.reset_process_budget(units=0)
    try:
        record = HEADER + ("sources: [{id: s1, file: seeds/fixture.txt, title: Fixture, language: en}]\n"
                           "observations:\n  - {id: v, metric: poor_villages, value: 54 villages, quote: \"all 54 poor vilages\"}\n")
        (tmp_path / "r.yaml").write_text(record, encoding="utf-8")
        findings = run([(tmp_path / "r.yaml", "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)).findings
    finally:
        passages.reset_process_budget()
    [finding] = [f for f in findings if f.code == "QUOTE001"]
    assert "the closest passage was not searched" in finding.message


def test_a_large_seed_costs_its_index_once_and_then_bounded_searches() -> None:
    generator = random.Random(10)
    vocabulary = [f"w{n}" for n in range(5000)]
    text = " ".join(generator.choice(vocabulary) for _ in range(1_000_000))
    seed = SeedText(text, hashlib.sha256(text.encode()).hexdigest())
    budget = passages.reset_process_budget()
    first = passages.closest_passage(seed, "w1 w2 w3 zqxv w5 w6 w7 w8 w9 w10")
    assert first.searched
    after_index = budget.spent
    assert after_index >= 1_000_000  # the index: one unit a word, paid once
    for quote in ("w11 w12 zqxv w14", "w3 w3 w3 w3 w3 w3 w3 w3", "zqxv " * 1000):
        passages.closest_passage(seed, quote)
    per_quote_bound = passages.PROBE_WORDS + passages.ANCHORS * passages.COMMON_WORD + passages.CANDIDATES * passages.PROBE_WORDS * 2 + len(passages.SHIFTS) * passages.PROBE_WORDS
    assert budget.spent - after_index <= 3 * per_quote_bound


def test_a_seed_too_large_for_the_budget_is_not_indexed() -> None:
    text = "word " * 100
    seed = SeedText(text, "x" * 64)
    budget = passages.reset_process_budget(units=50)
    try:
        assert passages.closest_passage(seed, "word zqxv word") == passages.NOT_SEARCHED
        assert budget.spent == budget.units
    finally:
        passages.reset_process_budget()


@pytest.mark.skipif(not IS_ROOT and not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_seed_does_not_stall_the_run(repo: Path) -> None:
    os.mkfifo(repo / "seeds" / "stall.txt")
    text, _ = _record_citing(["seeds/stall.txt"])
    (repo / "records" / "x.yaml").write_text(text, encoding="utf-8")
    completed = cli(repo, "validate", "--today", TODAY.isoformat(), "records")
    assert "QUOTE006" in completed.stdout and "pipe" in completed.stdout


# --- CONFLICT001: n log n in identical dated observations ---------------------------------------

def _quadratic_conflicts(statements):
    """CONFLICT001 as it was: each later statement against every earlier one, the first disjoint named."""
    for index, (_, later) in enumerate(statements[1:], start=1):
        for earlier_index, (_, earlier) in enumerate(statements[:index]):
            if earlier.dimensionality == later.dimensionality and (later.low > earlier.high or earlier.low > later.high):
                yield index, earlier_index
                break


def _fact(low: float, high: float, dimensionality=(("[village]", 1.0),)) -> ObservationFact:
    return ObservationFact("/observations/0/value", "poor_villages", None, "2019", None, "54 villages", low, high, dimensionality, 1, 1, "observations[o].value")


_BOUND = st.one_of(st.integers(-5, 5).map(float), st.sampled_from([math.inf, -math.inf, math.nan]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_BOUND, _BOUND), max_size=30))
def test_conflicts_name_the_same_earlier_statement_as_the_quadratic_search(bounds) -> None:
    statements = [(f"r{i}.yaml", _fact(low, high)) for i, (low, high) in enumerate(bounds)]
    assert list(_first_disjoint_earlier(statements)) == list(_quadratic_conflicts(statements))


def test_thirty_thousand_identical_dated_observations_are_compared_in_n_log_n() -> None:
    facts = []
    for i in range(30_000):
        record = CorpusFacts("county", "430225", "Yanling County", "炎陵县", "Hunan", None)
        value = 54.0 if i % 2 else 45.0  # every other statement disagrees with the first
        record.observations = [_fact(value - 0.5, value + 0.5)]
        facts.append((f"records/r{i}.yaml", record))
    findings = list(conflicting_values.check(facts))
    # Every later statement disagrees with one of the first two, and names the first it disagrees with.
    assert len(findings) == 29_999
    for display, finding in findings:
        first_disagreeing = "r0" if int(display.removeprefix("records/r").removesuffix(".yaml")) % 2 else "r1"
        assert f"at records/{first_disagreeing}.yaml " in finding.message
