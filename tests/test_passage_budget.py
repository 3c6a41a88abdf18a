"""QUOTE001's closest-passage look-up costs a bounded amount of work per failing quote and per record:
finding each passage's line walked the source up to it (23 s for a record of near-miss quotes
against a large source), and one record could spend the search budget of every record after it.

Work is counted (lines run in passages.py and seeds.py), never timed.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from rule_cases import FIXTURE_SEEDS, TODAY, build_record
from validator.support import passages, seeds
from validator.engine import Settings, run
from work_budget import LinesRun

SEED_WORDS = 20_000


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """seeds/big.txt: SEED_WORDS words of a large vocabulary, twelve to a line."""
    generator = random.Random(7)
    words = [f"w{generator.randrange(5000)}" for _ in range(SEED_WORDS)]
    folder = tmp_path / "seeds"
    folder.mkdir()
    text = "\n".join(" ".join(words[i:i + 12]) for i in range(0, len(words), 12)) + "\n"
    (folder / "big.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (folder / "index.yaml").write_text(f"sources:\n  - file: big.txt\n    sha256: {digest}\n", encoding="utf-8")
    passages.reset_process_budget()
    yield folder
    passages.reset_process_budget()


def _near_misses(seeds_dir: Path, count: int) -> list[str]:
    """Quotes of ten words near the end of the seed, one word changed: each is found at the end."""
    words = (seeds_dir / "big.txt").read_text(encoding="utf-8").split()
    quotes = []
    for n in range(count):
        chosen = words[len(words) - 500 + n % 240 * 2:][:10]
        chosen[4] = f"zq{n}"
        quotes.append(" ".join(chosen))
    return quotes


def _record(quotes: list[str]) -> str:
    lines = ["sources: [{id: s1, file: seeds/big.txt, title: Big, language: en}]", "observations:"]
    lines += [f'  - {{id: o{n}, metric: poor_villages, value: 5 villages, quote: "5 {quote}"}}' for n, quote in enumerate(quotes)]
    return build_record("\n".join(lines) + "\n").text


def _run(folder: Path, records: list[str], seeds_dir: Path) -> list:
    folder.mkdir()
    files = []
    for n, text in enumerate(records):
        (folder / f"r{n}.yaml").write_text(text, encoding="utf-8")
        files.append((folder / f"r{n}.yaml", f"r{n}.yaml"))
    return run(files, Settings(today=TODAY, seeds_dir=seeds_dir, jobs=1)).findings


def _work(folder: Path, quotes: list[str], seeds_dir: Path) -> int:
    passages.reset_process_budget()
    with LinesRun(passages, seeds) as work:
        findings = _run(folder, [_record(quotes)], seeds_dir)
    found = [f for f in findings if f.code == "QUOTE001"]
    assert len(found) == len(quotes) and all("the closest passage is" in f.message and f.related for f in found)
    return work.count


def test_a_closest_passage_is_placed_in_its_file_without_walking_the_file_up_to_it(tmp_path: Path, seeds_dir: Path) -> None:
    quotes = _near_misses(seeds_dir, 80)
    few, many = _work(tmp_path / "few", quotes[:20], seeds_dir), _work(tmp_path / "many", quotes, seeds_dir)
    per_quote = (many - few) / 60
    # Walking to the end of the seed for each passage costs a few lines a word.
    assert per_quote < SEED_WORDS / 10


def test_one_records_failing_quotes_leave_the_next_record_its_own_search(tmp_path: Path, seeds_dir: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    quotes = _near_misses(seeds_dir, 400)
    # Enough for the index and some searches, not for four hundred.
    monkeypatch.setattr(passages, "RECORD_BUDGET_UNITS", 3 * SEED_WORDS)
    findings = _run(tmp_path / "run", [_record(quotes), _record(quotes[:1])], seeds_dir)
    first = [f for f in findings if f.code == "QUOTE001" and f.file == "r0.yaml"]
    [second] = [f for f in findings if f.code == "QUOTE001" and f.file == "r1.yaml"]
    assert "the closest passage is" in first[0].message
    assert "the closest passage was not searched (this record's budget" in first[-1].message
    assert "the closest passage is" in second.message


@pytest.mark.parametrize("name", ["fixture.txt", "eryuan.txt", "chinese.txt", "translated-numbers.txt"])
def test_a_words_place_in_the_file_is_where_the_seed_places_its_folded_offset(name: str) -> None:
    seed = seeds.read_seed(FIXTURE_SEEDS, name).text
    index = passages._word_index(seed, passages.SearchBudget(10 * len(seed.folded)))
    assert len(index.raw_starts) == len(index.words)
    for word, start in enumerate(index.starts):
        assert index.position_of(word) == seed.position_of(start), index.words[word]
