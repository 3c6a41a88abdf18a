"""Measure `county-records validate` against its floor and a peer on the synthetic corpus.

For each corpus size N (benchmarks/corpus/N, made by generate_corpus.py), in one run and in
interleaved rounds (so that load from other processes hits every measurement alike):

1. floor   - a fresh Python that walks the folder and parses every file with
             yaml.load(..., Loader=yaml.CSafeLoader), nothing else;
2. peer    - check-jsonschema --schemafile schema/v1/county-record.schema.json FILES...
             (in batches under the argument limit; times summed). Above --peer-max-files the peer
             runs on an evenly spaced sample and its time is scaled to N (marked "extrapolated");
3. validate - county-records validate DIR, every rule, all cores (and --jobs 1 with --serial);
4. one file - county-records validate FILE, start to finish, as a pre-commit hook runs it
             (the median-sized file of the corpus), next to a fresh Python that only parses it;
             with bytecode cached as in a normal install (4), and without (4n), as this machine's
             shell runs it (PYTHONDONTWRITEBYTECODE=1 and an editable install).

Every command is a subprocess timed from spawn to exit; its CPU time and peak memory come from
os.wait4 (ru_maxrss of the largest process in its tree, not the sum over worker processes).
Reported figures are medians over the rounds. Then two bars on this machine, each in fresh
processes: PyYAML's pure-Python loader against the C loader on the real record nearest 50 KB,
and the start-up cost of the imports (pint's registry built from schema/units.txt among them).

    python benchmarks/run.py 1000 10000 [--runs 5] [--serial] [--json results.json]
    python benchmarks/run.py 1000 10000 --tree /tmp/snapshot --label "commit abc123"   # another checkout
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "benchmarks" / "corpus"
SCHEMA = REPO / "schema" / "v1" / "county-record.schema.json"
BIN = Path(sys.executable).parent
PYTHON = sys.executable

FLOOR_SCRIPT = """
import os, sys, yaml
count = 0
for folder, subfolders, names in os.walk(sys.argv[1]):
    subfolders.sort()
    for name in sorted(names):
        if name.endswith(('.yaml', '.yml')):
            with open(os.path.join(folder, name), 'rb') as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)
            count += 1
"""

ONE_FILE_FLOOR_SCRIPT = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"

LOADER_BAR_SCRIPT = """
import json, statistics, sys, time, yaml
from pathlib import Path
from validator.load.loader import LoadedDocument, load_text
text = Path(sys.argv[1]).read_text(encoding='utf-8')
def best(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter(); function(); times.append(time.perf_counter() - start)
    return statistics.median(times)
print(json.dumps({
    'pure_python': best(lambda: yaml.load(text, Loader=yaml.SafeLoader), 5),
    'c_loader': best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), 15),
    'c_events_only': best(lambda: sum(1 for _ in yaml.parse(text, Loader=yaml.CSafeLoader)), 15),
    'validator_loader': best(lambda: load_text(text, LoadedDocument(path=Path(sys.argv[1]))), 15),
}))
"""

STARTUP_SCRIPT = """
import json, time
marks = [('start', time.perf_counter())]
import yaml; marks.append(('import yaml', time.perf_counter()))
import pydantic; marks.append(('import pydantic', time.perf_counter()))
import validator.models.v1; marks.append(('schema models (validator.models.v1)', time.perf_counter()))
import validator.engine, validator.reporters, validator.cli; marks.append(('rules, engine, reporters', time.perf_counter()))
import pint; marks.append(('import pint (a validate run needs it only when the unit cache misses)', time.perf_counter()))
from validator.support.paths import UNITS_FILE
pint.UnitRegistry(str(UNITS_FILE), autoconvert_offset_to_baseunit=False); marks.append(('pint registry from schema/units.txt', time.perf_counter()))
print(json.dumps([(name, at - marks[i][1]) for i, (name, at) in enumerate(marks[1:])]))
"""


# Bytecode is cached as in a normal install (this machine's shell sets PYTHONDONTWRITEBYTECODE=1,
# which makes every start compile the validator's modules again); the cache lives outside the repo.
PYCACHE = Path(tempfile.gettempdir()) / "county-records-bench-pycache"
CACHED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": str(PYCACHE)}
UNCACHED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"} | {"PYTHONDONTWRITEBYTECODE": "1"}
TREE = REPO  # the validator measured; --tree points it at another checkout (e.g. `git archive` of a commit)


def use_tree(tree: Path) -> None:
    """Measure the validator (and its schema, seeds) of another checkout; the corpus stays here."""
    global TREE
    TREE = tree.resolve()
    # PYTHONSAFEPATH keeps the current folder (this repo) off sys.path, so PYTHONPATH decides.
    for env in (CACHED_ENV, UNCACHED_ENV):
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TREE), os.environ.get("PYTHONPATH")]))
        env["PYTHONSAFEPATH"] = "1"


def run_timed(command: list[str], stdout_path: Path | None = None, env: dict | None = None) -> dict:
    """Run a command to completion; wall time, CPU time and peak RSS of its process tree."""
    with tempfile.TemporaryFile() as errors, open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=errors, stdin=subprocess.DEVNULL, env=env or CACHED_ENV)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        error_text = errors.read().decode("utf-8", "replace")[-2000:]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024,
            "rc": process.returncode, "stderr": error_text}


def record_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def argument_batches(fixed: list[str], files: list[str]) -> list[list[str]]:
    """Split the file list so that each command line stays well under the system's limit."""
    limit = (os.sysconf("SC_ARG_MAX") - sum(len(k) + len(v) + 2 for k, v in os.environ.items())) // 2
    batches, current, size = [], [], sum(len(a) + 1 for a in fixed)
    for name in files:
        if current and size + len(name) + 1 > limit:
            batches.append(current)
            current, size = [], sum(len(a) + 1 for a in fixed)
        current.append(name)
        size += len(name) + 1
    if current:
        batches.append(current)
    return batches


def run_peer(files: list[str]) -> dict:
    fixed = [str(BIN / "check-jsonschema"), "--schemafile", str(TREE / SCHEMA.relative_to(REPO))]
    total = {"wall": 0.0, "cpu": 0.0, "maxrss_mb": 0.0, "rc": 0, "stderr": "", "batches": 0}
    for batch in argument_batches(fixed, files):
        result = run_timed(fixed + batch)
        total["wall"] += result["wall"]
        total["cpu"] += result["cpu"]
        total["maxrss_mb"] = max(total["maxrss_mb"], result["maxrss_mb"])
        total["rc"] = max(total["rc"], result["rc"])
        total["stderr"] += result["stderr"]
        total["batches"] += 1
    return total


def median_of(samples: list[dict]) -> dict:
    return {key: statistics.median(s[key] for s in samples) for key in ("wall", "cpu", "maxrss_mb")} | {
        "runs": len(samples), "walls": [round(s["wall"], 3) for s in samples], "rc": samples[-1]["rc"]}


def measure_size(n: int, runs: int, serial: bool, peer_max_files: int, one_file_repeats: int) -> dict:
    folder = CORPUS / str(n)
    files = record_files(folder)
    if len(files) != n:
        raise SystemExit(f"{folder} holds {len(files)} records, not {n}: run benchmarks/generate_corpus.py {n}")
    relative = [str(p.relative_to(REPO)) for p in files]
    by_size = sorted(files, key=lambda p: (p.stat().st_size, str(p)))
    one_file = str(by_size[len(by_size) // 2].relative_to(REPO))
    peer_files = relative
    if peer_max_files and n > peer_max_files:
        step = n / peer_max_files
        peer_files = [relative[int(i * step)] for i in range(peer_max_files)]
    folder_arg = str(folder.relative_to(REPO))
    report_path = Path(tempfile.gettempdir()) / f"county-records-bench-{n}.txt"
    cases = {
        "floor": lambda: run_timed([PYTHON, "-c", FLOOR_SCRIPT, folder_arg]),
        "peer": lambda: run_peer(peer_files),
        "validate": lambda: run_timed([str(BIN / "county-records"), "validate", folder_arg], report_path),
    }
    if serial:
        cases["validate_serial"] = lambda: run_timed([str(BIN / "county-records"), "validate", "--jobs", "1", folder_arg])
    cases["one_file_floor"] = lambda: run_timed([PYTHON, "-c", ONE_FILE_FLOOR_SCRIPT, one_file])
    cases["one_file"] = lambda: run_timed([str(BIN / "county-records"), "validate", one_file])
    cases["one_file_uncached"] = lambda: run_timed([str(BIN / "county-records"), "validate", one_file], env=UNCACHED_ENV)
    # Warm the bytecode cache and the page cache once; not measured.
    run_timed([PYTHON, "-c", FLOOR_SCRIPT, folder_arg])
    run_timed([str(BIN / "county-records"), "validate", one_file])
    run_peer(peer_files[:1])
    samples: dict[str, list[dict]] = {name: [] for name in cases}
    for round_number in range(runs):
        for name, case in cases.items():
            for _ in range(one_file_repeats if name.startswith("one_file") else 1):
                result = case()
                if result["rc"] not in (0, 1):
                    raise SystemExit(f"{name} failed with status {result['rc']}:\n{result['stderr']}")
                samples[name].append(result)
            print(f"  N={n} round {round_number + 1}/{runs} {name}: {samples[name][-1]['wall']:.2f} s", file=sys.stderr)
    results = {name: median_of(s) for name, s in samples.items()}
    scale = n / len(peer_files)
    results["peer"]["files_measured"] = len(peer_files)
    results["peer"]["batches"] = samples["peer"][-1]["batches"]
    if scale != 1:
        results["peer"]["measured_wall"] = results["peer"]["wall"]
        results["peer"]["wall"] *= scale
        results["peer"]["cpu"] *= scale
    summary = report_path.read_text(encoding="utf-8").strip().splitlines()[-1] if report_path.exists() else ""
    return {
        "n": n, "bytes": sum(p.stat().st_size for p in files), "one_file": one_file,
        "one_file_bytes": (REPO / one_file).stat().st_size, "validate_summary": summary, "results": results,
    }


def nearest_record(target_bytes: int) -> Path:
    records = [p for p in (TREE / "records").rglob("*.yaml")]
    return min(records, key=lambda p: abs(p.stat().st_size - target_bytes))


def effective_cores(cores: int) -> float:
    """How many cores this run can have right now: CPU time over wall time of `cores` busy processes."""
    busy = "sum(i * i for i in range(4_000_000))"
    start = time.perf_counter()
    processes = [subprocess.Popen([PYTHON, "-c", busy]) for _ in range(cores)]
    cpu = sum(os.wait4(p.pid, 0)[2].ru_utime for p in processes)
    for p in processes:
        p.returncode = 0
    return cpu / (time.perf_counter() - start)


def measure_bars(repeats: int) -> dict:
    sample = nearest_record(50 * 1024)
    loader = json.loads(subprocess.run([PYTHON, "-c", LOADER_BAR_SCRIPT, str(sample)], cwd=REPO, check=True,
                                       capture_output=True, text=True, env=CACHED_ENV).stdout)
    startups = [json.loads(subprocess.run([PYTHON, "-c", STARTUP_SCRIPT], cwd=REPO, check=True,
                                          capture_output=True, text=True, env=CACHED_ENV).stdout) for _ in range(repeats + 1)][1:]
    startup = [(name, statistics.median(run[i][1] for run in startups)) for i, (name, _) in enumerate(startups[0])]
    bare = statistics.median(run_timed([PYTHON, "-c", "pass"])["wall"] for _ in range(repeats))
    probe = [PYTHON, "-c", "import validator; print(validator.__file__)"]
    if not subprocess.run(probe, cwd=REPO, env=CACHED_ENV, capture_output=True, text=True).stdout.startswith(str(TREE)):
        raise SystemExit(f"the validator imported is not the one under {TREE}")
    return {"loader_file": str(sample.relative_to(TREE)), "loader_file_bytes": sample.stat().st_size,
            "loader": loader, "startup": [("bare interpreter (python -c pass)", bare)] + startup}


def describe_tree() -> str:
    """The commit measured, and whether the work tree differs from it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(TREE), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return f"{TREE} (not a git checkout)"
    dirty = git("status", "--porcelain", "--", "validator", "schema", "seeds")
    return f"{TREE} at {commit}" + (" with uncommitted changes to validator/, schema/ or seeds/" if dirty else "")


def environment() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    versions = {}
    for package in ("PyYAML", "pydantic", "pydantic_core", "Pint", "check-jsonschema", "jsonschema", "ruamel.yaml", "ruamel.yaml.clib"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    import yaml

    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(memory_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(), "libyaml": yaml.__with_libyaml__,
            "versions": versions, "load_average": os.getloadavg()}


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def markdown(report: dict) -> str:
    env = report["environment"]
    lines = [
        f"Validator measured: {report['tree']}.",
        "",
        f"Machine: {env['cores']} cores, {env['cpu']}, {env['memory_gb']} GB; Python {env['python']}; "
        + ", ".join(f"{k} {v}" for k, v in env["versions"].items()) + f"; libyaml: {env['libyaml']}.",
        f"Shared machine: load average at start {', '.join(f'{x:.2f}' for x in env['load_average'])}; "
        f"effective cores available (CPU/wall of {env['cores']} busy processes) {env['effective_cores_before']:.2f} before the run, "
        f"{env['effective_cores_after']:.2f} after; the run took {env['benchmark_seconds'] / 60:.1f} min.",
        "",
        "| N | measurement | wall (s) | files/s | CPU (s) | CPU/wall | peak RSS (MB) | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {"floor": "(1) floor: CSafeLoader parse only", "peer": "(2) peer: check-jsonschema",
              "validate": "(3) county-records validate DIR", "validate_serial": "(3s) validate DIR --jobs 1",
              "one_file_floor": "(4f) python + CSafeLoader, one file", "one_file": "(4) county-records validate FILE",
              "one_file_uncached": "(4n) validate FILE, PYTHONDONTWRITEBYTECODE=1"}
    for size in report["sizes"]:
        n = size["n"]
        for name, result in size["results"].items():
            files = 1 if name.startswith("one_file") else n
            label = labels[name]
            if name == "peer" and result["files_measured"] != n:
                label += f" (extrapolated from {result['files_measured']} files)"
            lines.append(f"| {n:,} | {label} | {result['wall']:.3f} | {files / result['wall']:,.0f} | {result['cpu']:.2f} | "
                         f"{result['cpu'] / result['wall']:.2f} | {result['maxrss_mb']:.0f} | {result['runs']} |")
    lines += ["", "| N | (3)/(1) | (3)/(2) | (3s)/(3) speed-up | (4) ms | validate's summary |", "|---|---:|---:|---:|---:|---|"]
    for size in report["sizes"]:
        r = size["results"]
        speedup = f"{r['validate_serial']['wall'] / r['validate']['wall']:.2f}" if "validate_serial" in r else "-"
        lines.append(f"| {size['n']:,} | {r['validate']['wall'] / r['floor']['wall']:.2f} | {r['validate']['wall'] / r['peer']['wall']:.2f} | "
                     f"{speedup} | {r['one_file']['wall'] * 1000:.0f} | {size['validate_summary']} |")
    bars = report["bars"]
    loader = bars["loader"]
    lines += [
        "",
        f"Loader bar on {bars['loader_file']} ({bars['loader_file_bytes'] / 1024:.0f} KiB), in-process medians:",
        "",
        "| loader | ms | KiB/s |", "|---|---:|---:|",
    ]
    for name, label in (("pure_python", "yaml.load, SafeLoader (pure Python)"), ("c_loader", "yaml.load, CSafeLoader"),
                        ("c_events_only", "yaml.parse events only, CSafeLoader"), ("validator_loader", "validator.load.loader.load_text (event walk)")):
        lines.append(f"| {label} | {loader[name] * 1000:.1f} | {bars['loader_file_bytes'] / 1024 / loader[name]:,.0f} |")
    lines += ["", "Start-up, in a fresh interpreter, cumulative imports in this order (medians):", "", "| step | ms |", "|---|---:|"]
    for name, seconds in bars["startup"]:
        lines.append(f"| {name} | {seconds * 1000:.0f} |")
    lines += ["", "Targets:", ""]
    largest = max(report["sizes"], key=lambda s: s["n"])
    smallest = min(report["sizes"], key=lambda s: s["n"])
    r = largest["results"]
    lines.append(f"- (3) within 2x of (1) at N={largest['n']:,}: {r['validate']['wall'] / r['floor']['wall']:.2f}x, {verdict(r['validate']['wall'] <= 2 * r['floor']['wall'])}")
    lines.append(f"- (3) faster than (2) at N={largest['n']:,}: {r['validate']['wall']:.1f} s vs {r['peer']['wall']:.1f} s, {verdict(r['validate']['wall'] < r['peer']['wall'])}")
    lines.append(f"- (4) under 300 ms: {r['one_file']['wall'] * 1000:.0f} ms, {verdict(r['one_file']['wall'] < 0.3)}")
    if largest is not smallest:
        small, large = smallest["results"]["validate"]["maxrss_mb"], r["validate"]["maxrss_mb"]
        per_file_kib = (large - small) * 1024 / (largest["n"] - smallest["n"])
        lines.append(f"- peak memory flat in N: {small:.0f} MB at N={smallest['n']:,}, {large:.0f} MB at N={largest['n']:,}, "
                     f"{per_file_kib:.1f} KiB more per file, {verdict(per_file_kib < 1)} (met means under 1 KiB per file: a compact index)")
    utilisation = r["validate"]["cpu"] / r["validate"]["wall"]
    available = min(env["effective_cores_before"], env["effective_cores_after"])
    lines.append(f"- all {env['cores']} cores used: CPU/wall {utilisation:.2f} at N={largest['n']:,} with {available:.2f} cores available to the run, "
                 f"{verdict(utilisation >= 0.8 * env['cores'])} (met means at least 80% of the machine's cores)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=0, help="rounds per size (default: 5 up to N=1,000, else 3)")
    parser.add_argument("--serial", action="store_true", help="also measure --jobs 1 at every size (default: only up to N=1,000)")
    parser.add_argument("--peer-max-files", type=int, default=500, help="run the peer on a sample of this many files above it (0: all)")
    parser.add_argument("--one-file-repeats", type=int, default=3, help="one-file runs per round")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--tree", type=Path, help="measure the validator of this checkout (default: this repository)")
    parser.add_argument("--label", default="", help="what the measured tree is, for the report (e.g. the commit of a snapshot)")
    options = parser.parse_args(argv)
    if options.tree:
        use_tree(options.tree)
    report = {"environment": environment(), "sizes": [], "tree": options.label or describe_tree()}
    cores = report["environment"]["cores"]
    report["environment"]["effective_cores_before"] = effective_cores(cores)
    started = time.perf_counter()
    for n in options.sizes:
        runs = options.runs or (5 if n <= 1000 else 3)
        report["sizes"].append(measure_size(n, runs, options.serial or n <= 1000, options.peer_max_files, options.one_file_repeats))
    report["bars"] = measure_bars(5)
    report["environment"]["effective_cores_after"] = effective_cores(cores)
    report["environment"]["benchmark_seconds"] = time.perf_counter() - started
    if options.json:
        options.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
