"""The `county-records` command."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from . import __version__
from .paths import RECORDS_DIR

RECORD_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


def display_path(path: Path) -> str:
    """The path as given, relative to the current directory when it lies under it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def collect_record_files(arguments: list[str]) -> list[tuple[Path, str]]:
    """Files to check, in a stable order; folders are searched for *.yaml and *.yml."""
    if not arguments:
        default = Path("records")
        arguments = [str(default if default.is_dir() else RECORDS_DIR)]
    files: dict[str, Path] = {}
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            for folder, subfolders, names in os.walk(path, followlinks=False):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in sorted(names):
                    if name.endswith(RECORD_SUFFIXES) and not name.startswith("."):
                        candidate = Path(folder) / name
                        files.setdefault(display_path(candidate), candidate)
        elif os.path.lexists(path):  # a file, or a link that cannot be followed: the loader reports it
            files.setdefault(display_path(path), path)
        else:
            raise UsageError(f"no such file or folder: {argument}")
    return [(path, shown) for shown, path in sorted(files.items())]


def command_validate(options: argparse.Namespace) -> int:
    from .engine import Settings, run
    from .reporters import REPORTER_BY_NAME, summarise

    files = collect_record_files(options.paths)
    today = options.today or date.today()
    result = run(files, Settings(today=today, jobs=options.jobs))
    REPORTER_BY_NAME[options.format](result, sys.stdout)
    counts = summarise(result)
    failing = counts["errors"] + (counts["warnings"] if options.strict else 0)
    return 1 if failing else 0


def command_schema(options: argparse.Namespace) -> int:
    from .schema_export import write_schemas

    stale = write_schemas(check_only=options.check)
    for path in stale:
        print(f"{'stale' if options.check else 'wrote'}: {display_path(path)}")
    return 1 if (options.check and stale) else 0


def command_rules(options: argparse.Namespace) -> int:
    from .rules import ALL_RULES

    for rule in ALL_RULES:
        print(f"{rule.code:<10} {rule.severity.value:<8} {rule.name:<32} {rule.summary}")
    return 0


def command_explain(options: argparse.Namespace) -> int:
    from .rules import RULE_BY_CODE

    rule = RULE_BY_CODE.get(options.code.upper())
    if rule is None:
        raise UsageError(f"unknown rule code {options.code}; `county-records rules` lists them")
    print(rule.explain())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="county-records", description="Validate county poverty-alleviation records.")
    parser.add_argument("--version", action="version", version=f"county-records {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check records (default: records/)")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders")
    validate.add_argument("--format", choices=["text", "json", "github"], default="text")
    validate.add_argument("--strict", action="store_true", help="warnings fail the run too")
    validate.add_argument("--jobs", type=int, default=0, help="worker processes for many files (default: all cores)")
    validate.add_argument("--today", metavar="YYYY-MM-DD", type=date.fromisoformat, help="the date rules treat as today (default: the real one)")
    validate.set_defaults(handler=command_validate)

    schema = commands.add_parser("schema", help="regenerate the published JSON Schema from the models")
    schema.add_argument("--check", action="store_true", help="only report whether the committed schema is stale")
    schema.set_defaults(handler=command_schema)

    rules = commands.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=command_rules)

    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("code", metavar="CODE")
    explain.set_defaults(handler=command_explain)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    try:
        return options.handler(options)
    except UsageError as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `county-records validate | head` is fine
        return 0


if __name__ == "__main__":
    sys.exit(main())
