"""`county-records add-source`: a document lands in seeds/ byte for byte, under the documented name, with an index
entry appended as text, and a record pasting the printed snippet validates; what must not be added is refused
with nothing written. Every test works on a scratch copy of the repository (never on its seeds/)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from validator.commands.add_source import SourceDescription, SourceRefused, add_source
from validator.support.paths import REPO_ROOT

DOCUMENT = "Yanling report\r\nBy 2019, all 54 poor villages have withdrawn from poverty.\r\n炎陵县54个贫困村全部出列。\n"
RECORD_HEAD = ('schema_version: "1.1"\ndivision: {code: "430225", name_en: Yanling County, name_zh: 炎陵县, province: Hunan, '
               'prefecture: 株洲市, designations: [national_poverty_county]}\nsources:\n')
RECORD_TAIL = ('observations:\n  - {id: villages, metric: poor_villages, value: 54 villages, date: 2019, source: SOURCE, '
               'quote: "all 54 poor villages have withdrawn"}\n')
DESCRIPTION = SourceDescription(title="Yanling report", language="en", counties=("430225",))


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the repository's schema/ and seeds/ (the real index, comments and all) with an empty records/."""
    root = tmp_path / "repo"
    for name in ("schema", "seeds"):
        shutil.copytree(REPO_ROOT / name, root / name)
    (root / "records").mkdir()
    return root


def county_records(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "COUNTY_RECORDS_CACHE_DIR": str(root.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "validator", *arguments], cwd=root, env=environment,
                          capture_output=True, text=True, timeout=300)


def seeds_state(seeds: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in seeds.iterdir()}


def next_number(seeds: Path) -> int:
    return max(int(path.name.split("_")[0]) for path in seeds.glob("*_*")) + 1


def test_a_text_is_copied_unchanged_named_indexed_and_citable(scratch: Path, tmp_path: Path) -> None:
    document = tmp_path / "report.txt"
    document.write_bytes(DOCUMENT.encode("utf-8"))
    seeds = scratch / "seeds"
    index_before = (seeds / "index.yaml").read_text(encoding="utf-8")
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    expected_name = f"{next_number(seeds):03d}_{digest[:16]}.txt"
    title = "Yanling: 'a report', no. 2019"  # a colon, quotes and a number: must stay one string
    added = county_records(scratch, "add-source", str(document), "--title", title, "--publisher", "no",
                           "--published", "2019-12-30", "--language", "en", "--translated-from", "zh",
                           "--machine-translated", "--county", "430225", "--county", "430200",
                           "--url", "https://example.org/yanling?id=1")
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines()[0] == f"file: seeds/{expected_name}"
    assert (seeds / expected_name).read_bytes() == document.read_bytes()

    index_after = (seeds / "index.yaml").read_text(encoding="utf-8")
    assert index_after.startswith(index_before)  # comments and layout kept: only appended
    entry = yaml.safe_load(index_after)["sources"][-1]
    assert entry == {"file": expected_name, "sha256": digest, "title": title, "publisher": "no",
                     "published": "2019-12-30", "published_precision": "day", "url": "https://example.org/yanling?id=1",
                     "language": "en", "translated_from": "zh", "machine_translated": True, "counties": ["430225", "430200"]}

    snippet = added.stdout[added.stdout.index("  - id: "):]
    source_id = yaml.safe_load(snippet)[0]["id"]
    record = scratch / "records" / "hunan" / "yanling.yaml"
    record.parent.mkdir()
    record.write_text(RECORD_HEAD + snippet + RECORD_TAIL.replace("SOURCE", source_id), encoding="utf-8")
    validated = county_records(scratch, "validate", "--format", "json", str(record))
    findings = json.loads(validated.stdout)["findings"]
    assert [f["code"] for f in findings if f["code"].startswith(("QUOTE", "SCHEMA", "YAML"))] == []
    assert validated.returncode == 0, validated.stdout


def test_a_second_document_takes_the_next_number_and_a_csv_keeps_its_suffix(scratch: Path, tmp_path: Path) -> None:
    seeds = scratch / "seeds"
    first_number = next_number(seeds)
    (tmp_path / "a.txt").write_text("first document, 12 villages\n", encoding="utf-8")
    (tmp_path / "table.CSV").write_text("county,villages\n430225,54\n", encoding="utf-8")
    first = add_source(tmp_path / "a.txt", DESCRIPTION, seeds)
    second = add_source(tmp_path / "table.CSV", DESCRIPTION, seeds)
    assert first.file.startswith(f"{first_number:03d}_")
    assert second.file.startswith(f"{first_number + 1:03d}_") and second.file.endswith(".csv")
    assert [e["file"] for e in yaml.safe_load((seeds / "index.yaml").read_text(encoding="utf-8"))["sources"][-2:]] == [
        first.file, second.file]


def _refused(scratch: Path, document: Path, description: SourceDescription = DESCRIPTION) -> str:
    before = seeds_state(scratch / "seeds")
    with pytest.raises(SourceRefused) as refusal:
        add_source(document, description, scratch / "seeds")
    assert seeds_state(scratch / "seeds") == before, "a refused document changed seeds/"
    return str(refusal.value)


def test_a_document_already_in_seeds_is_refused_naming_the_seed(scratch: Path, tmp_path: Path) -> None:
    existing = sorted((scratch / "seeds").glob("*_*"))[0]
    copy = tmp_path / "again.txt"
    shutil.copyfile(existing, copy)
    assert existing.name in _refused(scratch, copy)


def test_a_seed_not_yet_in_the_index_is_no_new_document(scratch: Path, tmp_path: Path) -> None:
    (scratch / "seeds" / "dropped-here.txt").write_text("a page saved straight into seeds/\n", encoding="utf-8")
    shutil.copyfile(scratch / "seeds" / "dropped-here.txt", tmp_path / "page.txt")
    assert "dropped-here.txt" in _refused(scratch, tmp_path / "page.txt")


def test_a_folder_a_pipe_and_a_device_are_refused(scratch: Path, tmp_path: Path) -> None:
    assert "a folder" in _refused(scratch, tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in _refused(scratch, fifo)
    assert "not a regular file" in _refused(scratch, Path(os.devnull))


def test_text_that_is_not_utf8_is_refused(scratch: Path, tmp_path: Path) -> None:
    document = tmp_path / "gbk.txt"
    document.write_bytes("炎陵县54个贫困村全部出列。".encode("gbk"))
    assert "not UTF-8" in _refused(scratch, document)


def test_descriptions_a_record_could_not_hold_are_refused(scratch: Path, tmp_path: Path) -> None:
    document = tmp_path / "report.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    assert "--published" in _refused(scratch, document, DESCRIPTION._replace(published="2019-13"))
    assert "--url" in _refused(scratch, document, DESCRIPTION._replace(url="ftp://example.org/x"))
    assert "--county" in _refused(scratch, document, DESCRIPTION._replace(counties=("4302",)))
    assert "--translated-from" in _refused(scratch, document, DESCRIPTION._replace(machine_translated=True))
    assert "--title" in _refused(scratch, document, DESCRIPTION._replace(title="two\nlines"))


def test_an_index_that_does_not_end_with_its_sources_is_left_alone(scratch: Path, tmp_path: Path) -> None:
    index = scratch / "seeds" / "index.yaml"
    index.write_text(index.read_text(encoding="utf-8") + "maintainers: [someone]\n", encoding="utf-8")
    document = tmp_path / "report.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    assert "by hand" in _refused(scratch, document)


def test_when_the_index_cannot_be_written_the_copied_seed_is_removed(scratch: Path, tmp_path: Path) -> None:
    index = scratch / "seeds" / "index.yaml"
    kept = tmp_path / "index.yaml"
    index.rename(kept)
    index.symlink_to(kept)  # atomic writes refuse to replace a link
    document = tmp_path / "report.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    assert "symbolic link" in _refused(scratch, document)


def test_an_index_indented_otherwise_keeps_its_indentation(scratch: Path, tmp_path: Path) -> None:
    seeds = scratch / "seeds"
    for seed in seeds.glob("*_*"):
        seed.unlink()
    (seeds / "index.yaml").write_text("# sources, unindented\nsources:\n- file: a.txt\n  sha256: 00\n  counties:\n    - '430225'\n",
                                      encoding="utf-8")
    (tmp_path / "report.txt").write_text(DOCUMENT, encoding="utf-8")
    added = add_source(tmp_path / "report.txt", DESCRIPTION, seeds)
    text = (seeds / "index.yaml").read_text(encoding="utf-8")
    assert f"\n- file: {added.file}\n" in text
    assert [entry["file"] for entry in yaml.safe_load(text)["sources"]] == ["a.txt", added.file]
