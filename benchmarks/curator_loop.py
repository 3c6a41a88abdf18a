"""Measure the curator's loop: one file, as the pre-commit hook validates it, against yamllint and check-jsonschema.

In one run and in interleaved rounds (so that load from other processes hits every measurement
alike; the order rotates from round to round), each a subprocess timed from spawn to exit, medians
reported:

1. python      - a fresh Python that does nothing (`python -c pass`): the floor of any Python tool;
2. yamllint    - `yamllint FILE` (its default rules);
3. jsonschema  - `check-jsonschema --schemafile schema/v1/county-record.schema.json FILE`;
4. one file    - `county-records validate FILE` in a copy of the repository's records/ (832 since issue 21), warm:
                 the unit cache and the corpus index filled by an earlier run, as on a curator's machine;
5. incremental - the same file in a repository of 2,000 records (generate_corpus.py), the file
                 changed before every round (as a commit changes it), the corpus index warm: what
                 the hook costs in a national-scale repository.

The targets (issue 14): (4) under 200 ms and at most (2); (5) within 1.5x of (4).

With `--baseline TREE` (a `git archive` of an earlier commit), (4) and (5) are also measured with
that tree's validator in the same rounds, so a change is compared with what it replaces under the
same load. Both validators then run as `python -m validator`, each with its own cache folder.

    python benchmarks/curator_loop.py [--runs 15] [--json out.json] [--baseline /tmp/snapshot]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RECORD = Path("records/guizhou/rongjiang.yaml")
CORPUS_SIZE = 2000


def timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):  # findings are fine; a crash is not a measurement
        raise SystemExit(f"{command[0]} failed ({completed.returncode}): {completed.stderr.decode()[-500:]}")
    return elapsed


def scratch_repository(folder: Path, records: Path | None) -> Path:
    for part in ("schema", "seeds"):
        shutil.copytree(REPO / part, folder / part)
    shutil.copytree(records or REPO / "records", folder / "records")
    return folder


def generated_records(folder: Path) -> Path:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), str(CORPUS_SIZE), "--out", str(folder)],
                   check=True, stdout=subprocess.DEVNULL)
    records = folder / str(CORPUS_SIZE)
    # The checked file is a real record among the generated ones, at its real path.
    (records / RECORD.parent).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / RECORD, records / RECORD.relative_to("records"))
    # As a checkout made earlier: the corpus index does not keep entries of files modified in the last
    # seconds (corpus_cache.RACY_NS), which would make the first measured round fill it.
    earlier = time.time() - 3600
    for path in records.rglob("*.yaml"):
        os.utime(path, (earlier, earlier))
    return records


def tree_validate(tree: Path, env: dict, cache: Path) -> tuple[list[str], dict]:
    """`validate RECORD` with the validator of `tree` (PYTHONSAFEPATH: the current folder is not on sys.path)."""
    return ([sys.executable, "-m", "validator", "validate", str(RECORD)],
            env | {"PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1", "COUNTY_RECORDS_CACHE_DIR": str(cache)})


def measure(runs: int, baseline: Path | None = None) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="county-records-loop-"))
    try:
        small = scratch_repository(scratch / "small", None)
        large = scratch_repository(scratch / "large", generated_records(scratch / "generated"))
        # As on a curator's machine: bytecode is cached (this machine's shell sets PYTHONDONTWRITEBYTECODE).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"COUNTY_RECORDS_CACHE_DIR": str(scratch / "cache")}
        validate, validate_env = [str(BIN / "county-records"), "validate", str(RECORD)], env
        if baseline is not None:
            validate, validate_env = tree_validate(REPO, env, scratch / "cache")
        commands = {
            "python": ([sys.executable, "-c", "pass"], small, env),
            "yamllint": ([str(BIN / "yamllint"), str(RECORD)], small, env),
            "jsonschema": ([str(BIN / "check-jsonschema"), "--schemafile", "schema/v1/county-record.schema.json", str(RECORD)], small, env),
            "one file": (validate, small, validate_env),
            "incremental": (validate, large, validate_env),
        }
        if baseline is not None:
            before, before_env = tree_validate(baseline.resolve(), env, scratch / "cache-baseline")
            commands["one file (baseline)"] = (before, small, before_env)
            commands["incremental (baseline)"] = (before, large, before_env)
        for command, cwd, command_env in commands.values():  # warm: caches filled, bytecode compiled
            timed(command, cwd, command_env)
        changed = large / RECORD
        original = changed.read_text(encoding="utf-8")
        samples: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for round_number in range(runs):
            # A different order each round (rotated): no command always runs right after the heaviest one
            # (check-jsonschema), whose caches and clock it would otherwise inherit.
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                command, cwd, command_env = commands[name]
                if name.startswith("incremental"):
                    changed.write_text(original + f"# round {round_number}\n", encoding="utf-8")
                samples[name].append(timed(command, cwd, command_env))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        return {
            "runs": runs, "corpus_size": CORPUS_SIZE, "file": str(RECORD), "medians_s": medians,
            "spread_s": {name: [min(v), max(v)] for name, v in samples.items()},
            "targets": {
                "one file under 200 ms": medians["one file"] < 0.200,
                "one file at most yamllint": medians["one file"] <= medians["yamllint"],
                "incremental within 1.5x of one file": medians["incremental"] <= 1.5 * medians["one file"],
            },
            "load_average": os.getloadavg(),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def markdown(report: dict) -> str:
    m = report["medians_s"]
    lines = [
        f"| measurement (median of {report['runs']} interleaved rounds) | wall ms | vs yamllint |",
        "|---|---:|---:|",
    ]
    for name in m:
        lines.append(f"| {name} | {m[name] * 1000:.0f} | {m[name] / m['yamllint']:.2f}x |")
    lines.append("")
    lines.append(f"incremental / one file: {m['incremental'] / m['one file']:.2f}x "
                 f"(one changed file among {report['corpus_size']:,} records); load average {report['load_average'][0]:.2f}")
    if "incremental (baseline)" in m:
        lines.append(f"baseline: incremental / one file {m['incremental (baseline)'] / m['one file (baseline)']:.2f}x")
    for target, met in report["targets"].items():
        lines.append(f"- {target}: {'met' if met else '**not met**'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--baseline", type=Path, help="also measure the validator of this checkout (a `git archive` of a commit)")
    options = parser.parse_args(argv)
    report = measure(options.runs, options.baseline)
    print(markdown(report))
    if options.json:
        options.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
