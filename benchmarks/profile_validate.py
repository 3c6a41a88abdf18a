"""Where `county-records validate` spends its time: a profile and a stage breakdown.

Two views of one target (a folder or a file), both in this process with one worker:

- `profile` runs `county-records validate --jobs 1 TARGET` under cProfile, imports included
  (nothing of the validator is imported before), and prints the top functions by cumulative
  time and the time of each pipeline stage read from the profile. cProfile slows Python-level
  calls more than C code, so the shares lean towards the Python parts.
- `stages` times the steps of engine.check_file without a profiler (perf_counter around each
  step, rules one by one), after the imports and the caches of the first file are warm.
- `memory` measures (tracemalloc) what the main process keeps per file until the corpus rules
  run, by part of the per-file result.

    python benchmarks/profile_validate.py profile benchmarks/corpus/1000 [--top 30] [--save out.prof]
    python benchmarks/profile_validate.py stages benchmarks/corpus/1000
    python benchmarks/profile_validate.py memory benchmarks/corpus/1000

To profile another checkout (a snapshot of a commit), put it first on the path:
    PYTHONSAFEPATH=1 PYTHONPATH=/tmp/snapshot python benchmarks/profile_validate.py ...
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


_IMPORT_MACHINERY = re.compile(r"<frozen importlib|builtins\.(exec|__import__|__build_class__)|_handle_fromlist|importlib/__init__|:<module>$")


def _key_of(function) -> tuple[str, int, str]:
    code = function.__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def _cumulative(stats: pstats.Stats, filename_end: str, name: str) -> float:
    return sum(v[3] for (f, _, n), v in stats.stats.items() if n == name and f.endswith(filename_end))


def profile(target: str, top: int, save: Path | None) -> None:
    profiler = cProfile.Profile()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        start = time.perf_counter()
        profiler.enable()
        from validator.cli import main

        main(["validate", "--jobs", "1", target])
        profiler.disable()
        wall = time.perf_counter() - start
    if save:
        profiler.dump_stats(save)
    stats = pstats.Stats(profiler)
    total = _cumulative(stats, "validator/cli.py", "main") or wall
    print(f"## cProfile of `county-records validate --jobs 1 {target}` ({wall:.2f} s under the profiler)\n")
    print("Top functions by cumulative time (import machinery frames left out; their total is the imports row below):\n")
    print("```\n   ncalls   tottime   cumtime  function")
    shown = 0
    for (filename, line, name), (calls, primitive, tottime, cumtime, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):
        if _IMPORT_MACHINERY.search(f"{filename}:{name}"):
            continue
        where = filename.replace(str(REPO) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
        where = re.sub(r"^.*/lib/python3\.\d+/", "", where)
        count = f"{calls}/{primitive}" if calls != primitive else str(calls)
        print(f"{count:>9} {tottime:9.3f} {cumtime:9.3f}  {where}:{line}({name})")
        shown += 1
        if shown == top:
            break
    print("```\n")

    from validator.acknowledgements.acknowledging import apply as apply_acknowledgements
    from validator.reporters import reporter
    from validator.rules import CORPUS_RULES, RECORD_RULES

    def of(function) -> float:
        value = stats.stats.get(_key_of(function))
        return value[3] if value else 0.0

    rows = [
        ("imports (all `import`s, pint's included)", _cumulative(stats, "_bootstrap>", "_find_and_load")),
        ("pint registry build (when the unit cache misses)", _cumulative(stats, "validator/quantities.py", "unit_registry")),
        ("load: read + YAML event walk (loader.load_document)", _cumulative(stats, "validator/loader.py", "load_document")),
        ("  of which libyaml events (the event generator)",
         _cumulative(stats, "yaml/__init__.py", "parse") + _cumulative(stats, "validator/loader.py", "_events")),
        ("  of which plain-scalar resolution (scalar_value)", _cumulative(stats, "validator/loader.py", "scalar_value")),
        ("  of which tree and pointers (_TreeBuilder.add)", _cumulative(stats, "validator/loader.py", "add")),
        ("structure: published schema, pydantic only on failure (structure.check_structure)", _cumulative(stats, "validator/structure.py", "check_structure")),
        ("typed record (typed.build_context)", _cumulative(stats, "validator/typed.py", "build_context")),
        ("  of which id indexes (typed._index_ids)", _cumulative(stats, "validator/typed.py", "_index_ids")),
        ("record rules, all", sum(of(r.check) for r in RECORD_RULES)),
        ("  of which quote search in seeds (QUOTE001)", sum(of(r.check) for r in RECORD_RULES if r.code == "QUOTE001")),
        ("  of which closest passage for failed quotes", _cumulative(stats, "validator/passages.py", "closest_passage")),
        ("corpus facts (corpus.collect_facts)", _cumulative(stats, "validator/corpus.py", "collect_facts")),
        ("corpus rules, all", sum(of(r.check) for r in CORPUS_RULES)),
        ("locating findings (engine.locate)", _cumulative(stats, "validator/engine.py", "locate")),
        ("acknowledgements", of(apply_acknowledgements)),
        ("reporter (text)", of(reporter("text"))),
    ]
    print(f"Stages, cumulative seconds under the profiler (total {total:.2f} s; rows overlap where a stage imports):\n")
    print("| stage | s | share |\n|---|---:|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / total:.0%} |")
    rules = sorted(((of(r.check), r.code) for r in RECORD_RULES + CORPUS_RULES), reverse=True)[:8]
    print("\nCostliest rules: " + ", ".join(f"{code} {seconds:.3f} s" for seconds, code in rules))


def stages(target: str) -> None:
    """Time check_file's steps without a profiler; rules one by one."""
    started = time.perf_counter()
    from validator.load.record_files import collect_record_files
    from validator.corpus.facts import collect_facts
    from validator.engine import Settings, locate
    from validator.load.loader import load_document
    from validator.rules import CORPUS_RULES, RECORD_RULES
    from validator.structure.check import check_structure
    from validator.record.typed import build_context

    imported = time.perf_counter()
    settings = Settings(today=date.today())
    files = collect_record_files([target])
    spent: dict[str, float] = defaultdict(float)
    facts = []
    clock = time.perf_counter
    for path, display in files:
        t0 = clock()
        doc = load_document(path)
        t1 = clock()
        spent["load (YAML event walk)"] += t1 - t0
        if not doc.usable:
            continue
        structured = check_structure(doc)
        model = structured.record
        t2 = clock()
        spent["structure"] += t2 - t1
        if model is None:
            continue
        context = build_context(path, model, doc, settings.today, settings.seeds_dir)
        t3 = clock()
        spent["typed record"] += t3 - t2
        for rule in RECORD_RULES:
            t = clock()
            list(rule.check(context))
            spent[f"rule {rule.code}"] += clock() - t
        t4 = clock()
        facts.append((display, collect_facts(context, lambda pointer, doc=doc: locate(doc, pointer))))
        spent["corpus facts"] += clock() - t4
    t5 = clock()
    for rule in CORPUS_RULES:
        list(rule.check(facts))
    spent["corpus rules"] += clock() - t5
    total = clock() - started
    print(f"## Stages of {len(files)} files without a profiler ({total:.2f} s in all)\n")
    print("| stage | s | ms/file | share |\n|---|---:|---:|---:|")
    rows = [("imports", imported - started)]
    rule_total = sum(v for k, v in spent.items() if k.startswith("rule "))
    rows += [(k, v) for k, v in spent.items() if not k.startswith("rule ")] + [("record rules, all", rule_total)]
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / len(files) * 1000:.2f} | {seconds / total:.0%} |")
    costly = sorted(((v, k) for k, v in spent.items() if k.startswith("rule ")), reverse=True)[:6]
    print("\nCostliest record rules: " + ", ".join(f"{k.removeprefix('rule ')} {v:.3f} s" for v, k in costly))


def memory(target: str) -> None:
    """What the main process keeps per file until the corpus rules have run, by part of FileResult."""
    import gc
    import pickle
    import tracemalloc

    from validator.load.record_files import collect_record_files
    from validator.engine import Settings, check_file

    files = collect_record_files([target])
    settings = Settings(today=date.today())
    check_file(*files[0], settings)  # caches (seeds, reference list, units) are not per file
    tracemalloc.start()
    gc.collect()
    base = tracemalloc.get_traced_memory()[0]
    # As the main process holds them: made in a worker, pickled across.
    results = [pickle.loads(pickle.dumps(check_file(path, display, settings))) for path, display in files]
    gc.collect()
    total = tracemalloc.get_traced_memory()[0] - base
    n = len(results)
    observations = sum(len(r.facts.observations) for r in results if r.facts)
    print(f"## Memory the main process keeps for {n} files\n")
    print(f"{total / 1e6:.1f} MB in all, {total / n / 1024:.1f} KiB per file ({observations / n:.1f} observation facts per file).\n")
    print("| part of FileResult | MB | KiB/file |\n|---|---:|---:|")
    for attribute, empty in (("facts", lambda: None), ("findings", list), ("acknowledgements", list)):
        before = tracemalloc.get_traced_memory()[0]
        for result in results:
            setattr(result, attribute, empty())
        gc.collect()
        freed = before - tracemalloc.get_traced_memory()[0]
        print(f"| {attribute} | {freed / 1e6:.1f} | {freed / n / 1024:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["profile", "stages", "memory"])
    parser.add_argument("target", help="a folder or a record file")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--save", type=Path, help="write the raw profile here (for snakeviz, pstats)")
    options = parser.parse_args(argv)
    os.chdir(REPO)
    if options.mode == "profile":
        profile(options.target, options.top, options.save)
    elif options.mode == "stages":
        stages(options.target)
    else:
        memory(options.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
