"""Build a synthetic corpus of N records from the real records, for the benchmarks.

Every synthetic record is a real county record (records/<province>/<county>.yaml, province
records excluded) with:

- its division moved to a real county of schema/reference/counties.csv (code, names, province,
  prefecture from the same row, so the CODE rules resolve); codes are unique per record;
- every id renamed (with a per-record suffix) and every reference to it renamed alike;
- every date shifted by the same whole number of years (0, -1 or -2), so dates keep their order
  and nothing moves into the future;
- quantities and quotes kept exactly as curated, so quotes are still found in the seeds and the
  numbers in them still match; relations, shares and sums hold (or fail) as in the real record.

A small deterministic fraction of records (`--perturb`, default 2%) gets one slip of the kind
curators make, so that rules have findings to report: a number that is not in its quote (QUOTE002,
and the sums that use it), a quote that is not in its source (QUOTE001, which also runs the
closest-passage search) or a period that runs backwards (DATE004).

The reference list holds 2,846 county-level codes; records beyond that get a code outside it
(same province prefix, prefecture digits 9x) and an acknowledgement of CODE003, so every record
is still checked by every rule and the run reports them as acknowledged.

Records are written with PyYAML's block style (comments and folded scalars of the originals are
not kept); the validator's loader must read them back to the same data with no finding (checked
for the first two copies of each template and every slip; `--check-all` checks every file).
The output is a pure function of the templates, N and the seed.

    python benchmarks/generate_corpus.py 1000 10000 [--seed 20240601] [--out benchmarks/corpus]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from validator.load.loader import load_document  # noqa: E402  (the same reading as the validator)

RECORDS = REPO / "records"
COUNTIES = REPO / "schema" / "reference" / "counties.csv"
HEADER = "# yaml-language-server: $schema=../../../../schema/v1/county-record.schema.json\n"

# Keys whose values are ids or references to ids in schema v1 (validator/models/v1.py).
ID_KEYS = frozenset({"id", "source", "funds", "applies_to", "parts", "part", "whole", "total", "items", "rate", "count"})
DATE_KEYS = frozenset({"date", "start", "end", "published", "deadline", "set_on", "baseline_date", "achieved_date", "as_of"})
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_NUMBER = re.compile(r"^([-+]?)([0-9][0-9,]*)(\.[0-9]+)?")


def load_templates(records_dir: Path) -> list[tuple[str, dict]]:
    """The county records that load cleanly, as (relative path, data), in a stable order."""
    templates = []
    for path in sorted(records_dir.rglob("*.yaml")):
        doc = load_document(path)
        data = doc.data if doc.usable else None
        if not isinstance(data, dict) or not isinstance(data.get("division"), dict):
            continue
        if data["division"].get("level", "county") != "county":
            continue
        # A record that quotes no text (the list of the 832's drafts cite only table cells)
        # exercises almost no rule; a corpus made of them would flatter every ratio.
        if "quote:" not in path.read_text(encoding="utf-8"):
            continue
        templates.append((str(path.relative_to(records_dir)), data))
    if not templates:
        raise SystemExit(f"no usable county records in {records_dir}")
    return templates


def load_reference() -> list[dict[str, str]]:
    with open(COUNTIES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def synthetic_codes(reference: list[dict[str, str]], count: int, rng: random.Random) -> list[str]:
    """Codes outside the reference list (prefecture digits 9x), for records beyond it."""
    known = {row["code"] for row in reference}
    prefixes = sorted({row["code"][:2] for row in reference})
    codes: list[str] = []
    for serial in range(100 * 100 * len(prefixes)):
        prefix = prefixes[serial % len(prefixes)]
        rest = serial // len(prefixes)
        code = f"{prefix}9{rest // 100 % 10}{rest % 100:02d}"
        if code not in known:
            codes.append(code)
        if len(codes) == count:
            break
    rng.shuffle(codes)
    return codes


def walk(node, visit, key: str | None = None):
    """Rebuild a tree of dicts and lists, passing every scalar (with its key) through `visit`."""
    if isinstance(node, dict):
        return {k: walk(v, visit, k) for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v, visit, key) for v in node]
    return visit(key, node)


def collect_ids(node, found: set[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.add(node["id"])
        for value in node.values():
            collect_ids(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_ids(value, found)


def shift_date(value, years: int):
    if isinstance(value, int) and not isinstance(value, bool):
        return value + years
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
        parts = value.split("-")
        parts[0] = f"{int(parts[0]) + years:04d}"
        if parts[1:] == ["02", "29"]:
            parts[2] = "28"  # a leap day may not exist in the shifted year
        return "-".join(parts)
    return value


def rename_and_shift(data: dict, suffix: str, years: int) -> dict:
    ids: set[str] = set()
    collect_ids(data, ids)
    renamed = {old: (old[: 80 - len(suffix) - 1] + "-" + suffix) for old in ids}

    def visit(key, value):
        if isinstance(value, str) and key in ID_KEYS and value in renamed:
            return renamed[value]
        if key in DATE_KEYS:
            return shift_date(value, years)
        return value

    return walk(data, visit)


def place(data: dict, row: dict[str, str], code: str) -> None:
    """Move the record's division to the county of the reference row (under `code`)."""
    division = data["division"]
    fields = {"code": code, "name_en": row["name_en"], "name_zh": row["name_zh"], "province": row["province_en"]}
    if row["prefecture_zh"]:
        fields["prefecture"] = row["prefecture_zh"]
    else:
        division.pop("prefecture", None)
    division.update(fields)


def quantities(node, pointer: str = ""):
    """(parent dict) of every quantity (a mapping with value and quote) in the record."""
    if isinstance(node, dict):
        if isinstance(node.get("value"), str) and isinstance(node.get("quote"), str) and "derived" not in node:
            yield node
        for key, value in node.items():
            yield from quantities(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quantities(value, f"{pointer}/{i}")


def perturb(data: dict, kind: str, rng: random.Random) -> str | None:
    """Introduce one slip of the given kind; return what was done, or None if the record has no place for it."""
    candidates = [q for q in quantities(data) if _NUMBER.match(q["value"])]
    if kind == "number-not-in-quote" and candidates:
        quantity = rng.choice(candidates)
        sign, digits, decimals = _NUMBER.match(quantity["value"]).groups()
        number = int(digits.replace(",", "")) * 7 + 3  # a number no quote in the corpus is likely to hold
        quantity["value"] = f"{sign}{number:,}{decimals or ''}{quantity['value'][_NUMBER.match(quantity['value']).end():]}"
        return "QUOTE002"
    if kind == "quote-not-in-source" and candidates:
        quantity = rng.choice(candidates)
        words = quantity["quote"].split(" ")
        if len(words) >= 4:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
            if " ".join(words) != quantity["quote"]:
                quantity["quote"] = " ".join(words)
                return "QUOTE001"
        quantity["quote"] = quantity["quote"] + " (paraphrased)"
        return "QUOTE001"
    if kind == "end-before-start":
        for group in ("programmes", "observations", "funds"):
            for item in data.get(group, []):
                period = item.get("period")
                if isinstance(period, dict) and period.get("start") != period.get("end"):
                    period["start"], period["end"] = period["end"], period["start"]
                    return "DATE004"
        programmes = data.get("programmes") or []
        if programmes and "date" not in programmes[0] and "period" not in programmes[0]:
            programmes[0]["period"] = {"start": 2019, "end": 2017}
            return "DATE004"
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def build(n: int, seed: int, out: Path, perturb_fraction: float, templates, reference, check_all: bool = False) -> dict:
    rng = random.Random(seed * 1_000_003 + n)
    rows = list(reference)
    rng.shuffle(rows)
    extra_codes = synthetic_codes(reference, max(0, n - len(rows)), rng)
    order = list(range(len(templates)))
    rng.shuffle(order)
    kinds = ["number-not-in-quote", "quote-not-in-source", "end-before-start"]
    # Slip kinds take turns over the chosen records, so each kind is about a third of them.
    perturbed = {i: kinds[rank % len(kinds)] for rank, i in enumerate(sorted(rng.sample(range(n), round(n * perturb_fraction))))}
    if out.exists():
        shutil.rmtree(out)
    stats = {"records": n, "templates": len(templates), "real_codes": 0, "synthetic_codes": 0, "perturbed": {}, "bytes": 0}
    for i in range(n):
        name, template = templates[order[i % len(order)]]
        record_rng = random.Random(f"{seed}-{n}-{i}")
        data = rename_and_shift(template, suffix=f"{i:05d}", years=-record_rng.randrange(3))
        if i < len(rows):
            row, code = rows[i], rows[i]["code"]
            stats["real_codes"] += 1
        else:
            row, code = rows[i % len(rows)], extra_codes[i - len(rows)]
            stats["synthetic_codes"] += 1
            data.setdefault("acknowledged", []).append({
                "rule": "CODE003", "pointer": "/division/code",
                "reason": "Synthetic benchmark record: the reference list has fewer counties than the corpus has records.",
            })
        place(data, row, code)
        if i in perturbed:
            # The chosen kind first; a record with no place for it (no period, say) takes the next kind.
            start = kinds.index(perturbed[i])
            for kind in kinds[start:] + kinds[:start]:
                done = perturb(data, kind, record_rng)
                if done:
                    stats["perturbed"][done] = stats["perturbed"].get(done, 0) + 1
                    break
        text = HEADER + f"# synthetic, from records/{name}\n" + yaml.dump(
            data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
        path = out / slug(row["province_en"]) / f"{slug(row['name_en'])}-{code}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        stats["bytes"] += len(text.encode("utf-8"))
        if i < 2 * len(templates) or i in perturbed or check_all:
            check_round_trip(path, data)
    return stats


def check_round_trip(path: Path, data: dict) -> None:
    """The validator's loader must read the file back to the same data, with no finding."""
    doc = load_document(path)
    if doc.findings or doc.data != data:
        raise SystemExit(f"{path}: does not read back as written ({[f.code for f in doc.findings]})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--perturb", type=float, default=0.02, help="fraction of records given one slip")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "corpus")
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--check-all", action="store_true",
                        help="read every file back (default: the first two copies of each template and every slip)")
    options = parser.parse_args(argv)
    templates = load_templates(options.records)
    reference = load_reference()
    for n in options.sizes:
        stats = build(n, options.seed, options.out / str(n), options.perturb, templates, reference, options.check_all)
        print(f"{options.out / str(n)}: {stats['records']} records from {stats['templates']} templates, "
              f"{stats['bytes'] / 1e6:.1f} MB, codes {stats['real_codes']} real + {stats['synthetic_codes']} synthetic, "
              f"slips {stats['perturbed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
