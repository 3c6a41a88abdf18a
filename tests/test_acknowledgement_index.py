"""Acknowledgements find their findings through an index by rule and place, not by asking every
finding about every entry: a record with thousands of each took 13 to 43 s.

Work is counted (lines run in acknowledging.py and identity.py), never timed.
"""

from __future__ import annotations

from pathlib import Path

from rule_cases import FIXTURE_SEEDS, TODAY, build_record
from validator.acknowledgements import acknowledging
from validator.record import identity
from validator.engine import Settings, run
from work_budget import LinesRun

def _record(count: int, by_pointer: bool) -> str:
    """`count` figures whose number is not in their quote (QUOTE002), each acknowledged."""
    lines = ["observations:"]
    lines += [f'  - {{id: o{n}, metric: poor_villages, value: "{1000 + n} villages", quote: "all 54 poor villages have withdrawn"}}'
              for n in range(count)]
    lines.append("acknowledged:")
    for n in range(count):
        place = f"pointer: /observations/{n}/value" if by_pointer else f"at: 'observations[o{n}].value'"
        lines.append(f"  - {{rule: QUOTE002, {place}, reason: The source states it so.}}")
    return build_record("\n".join(lines) + "\n").text


def _checked(folder: Path, count: int, by_pointer: bool) -> tuple[list, int]:
    folder.mkdir()
    (folder / "r.yaml").write_text(_record(count, by_pointer), encoding="utf-8")
    with LinesRun(acknowledging, identity) as work:
        findings = run([(folder / "r.yaml", "r.yaml")], Settings(today=TODAY, seeds_dir=FIXTURE_SEEDS, jobs=1)).findings
    quote002 = [f for f in findings if f.code == "QUOTE002"]
    assert len(quote002) == count and all(f.acknowledged for f in quote002)
    assert not [f for f in findings if f.code.startswith("ACK")]
    return findings, work.count


def test_acknowledgements_by_id_path_cost_work_in_proportion_to_the_record(tmp_path: Path) -> None:
    _, small = _checked(tmp_path / "small", 200, by_pointer=False)
    _, large = _checked(tmp_path / "large", 800, by_pointer=False)
    assert large < 6 * small  # four times the entries and findings; every pair would be sixteen


def test_acknowledgements_by_pointer_cost_work_in_proportion_to_the_record(tmp_path: Path) -> None:
    _, small = _checked(tmp_path / "small", 200, by_pointer=True)
    _, large = _checked(tmp_path / "large", 800, by_pointer=True)
    assert large < 6 * small
