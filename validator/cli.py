"""The `county-records` command."""

from __future__ import annotations

import argparse
import io
import os
import sys
from datetime import date
from pathlib import Path

from . import __version__
from .support.paths import RECORDS_DIR
from .load.record_files import (
    UsageError, changed_record_files, collect_record_files, corpus_context, display_path, seeds_of,
)


# A run over this many files shows progress, when standard error is a terminal (never in CI or a pipe).
PROGRESS_MIN_FILES = 200


def terminal_progress(total: int):
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return None
    step = max(1, total // 100)

    def show(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            sys.stderr.write(f"\rchecking {done}/{total} files" + ("\n" if done == total else ""))
            sys.stderr.flush()

    return show


def wants_color(choice: str, terminal: bool) -> bool:
    """--color auto: colour on a terminal, unless NO_COLOR is set (https://no-color.org) or TERM is dumb."""
    if choice != "auto":
        return choice == "always"
    return terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def command_validate(options: argparse.Namespace) -> int:
    from .engine import Settings, run
    from .reporters import ReportOptions, reporter, summarise

    if options.changed is not None:
        if options.paths:
            raise UsageError("give either --changed REV or paths, not both")
        files = changed_record_files(options.changed)
    else:
        files = collect_record_files(options.paths)
    context = corpus_context(files) if (options.paths or options.changed is not None) else []
    today = options.today or date.today()
    settings = Settings(today=today, jobs=options.jobs, seeds_dir=seeds_of(files))
    result = run(files, settings, progress=terminal_progress(len(files)), context_files=context)
    out = io.StringIO() if options.output_file else sys.stdout
    terminal = out.isatty()
    report_options = ReportOptions(
        show_acknowledgement=options.show_acknowledgement,
        color=wants_color(options.color, terminal),
        snippets=options.snippets == "always" or (options.snippets == "auto" and terminal),
        quiet=options.quiet,
        verbose=options.verbose,
    )
    reporter(options.format)(result, out, report_options)
    if options.output_file:
        from .support.atomic import AtomicWriteError, write_text_atomically

        try:
            write_text_atomically(Path(options.output_file), out.getvalue())
        except AtomicWriteError as err:
            raise UsageError(str(err)) from None
    counts = summarise(result)
    failing = counts["errors"] + (counts["warnings"] if options.strict else 0)
    return 1 if failing else 0


def command_schema(options: argparse.Namespace) -> int:
    from .commands.schema_export import write_schemas

    return _report_generated(write_schemas(check_only=options.check), options.check)


def _report_generated(differing: list[Path], check_only: bool) -> int:
    """What `schema` and `docs` say about the generated files they wrote or found stale."""
    for path in differing:
        print(f"{'stale' if check_only else 'wrote'}: {display_path(path)}")
    return 1 if (check_only and differing) else 0


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


def command_new(options: argparse.Namespace) -> int:
    from .commands.scaffold import ScaffoldError, write_from_reference, write_new_record

    if options.from_reference and options.out:
        raise UsageError("--out names one file; --from-reference writes records/<province>/<county>.yaml for each county")
    try:
        if options.from_reference:
            done = write_from_reference()
        else:
            path = write_new_record(options.code, Path(options.out) if options.out else None)
    except ScaffoldError as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 1
    if options.from_reference:
        for path in done.written:
            print(f"wrote {display_path(path)}")
        for why in done.skipped:
            print(f"no record: {why}")
        print(f"{len(done.written)} records written; {done.had_record} counties of the list already had one")
        return 0
    print(f"wrote {display_path(path)}: add its source and figures, then run `county-records validate {display_path(path)}`")
    return 0


def command_export(options: argparse.Namespace) -> int:
    from .support.atomic import AtomicWriteError, write_atomically
    from .engine import Settings
    from .commands.export import (ParquetUnavailable, as_utf8, export_table, write_csv, write_data_package, write_jsonl,
                                  write_parquet)

    if options.format in ("parquet", "datapackage") and not options.out:
        raise UsageError(f"--format {options.format} needs --out {'DIR' if options.format == 'datapackage' else 'FILE'}")
    files = collect_record_files(options.paths)
    table = export_table(files, Settings(today=date.today(), jobs=options.jobs))
    write_text = write_csv if options.format == "csv" else write_jsonl
    if not options.out:
        write_text(table, sys.stdout)
        return 0
    try:
        if options.format == "datapackage":
            write_data_package(table, Path(options.out))
        elif options.format == "parquet":
            write_atomically(Path(options.out), lambda stream: write_parquet(table, stream))
        else:
            write_atomically(Path(options.out), as_utf8(write_text, table))
    except ParquetUnavailable as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 2
    except AtomicWriteError as err:
        raise UsageError(str(err)) from None
    return 0


def command_docs(options: argparse.Namespace) -> int:
    from .commands.docs_gen import write_docs

    return _report_generated(write_docs(check_only=options.check), options.check)


def command_diff(options: argparse.Namespace) -> int:
    from .commands.diff import DiffInputError, compare_with_revision
    from .commands.diff_report import DIFF_REPORTER_BY_NAME
    from .engine import Settings

    try:
        changes = compare_with_revision(options.revision, options.paths, Settings(today=options.today or date.today()))
    except DiffInputError as err:
        raise UsageError(str(err)) from None
    DIFF_REPORTER_BY_NAME[options.format](changes, sys.stdout)
    return 0


def command_fix_acknowledgements(options: argparse.Namespace) -> int:
    from .commands.acknowledgement_paths import fix_acknowledgements

    rewrites = fix_acknowledgements(collect_record_files(options.paths), check_only=options.check)
    verb = "would rewrite" if options.check else "rewrote"
    pending = failed = 0
    for rewrite in rewrites:
        for pointer, new_id in rewrite.ids_added:
            print(f"{rewrite.display}: {'would give' if options.check else 'gave'} {pointer} the id {new_id}")
        for pointer, path in rewrite.rewritten:
            print(f"{rewrite.display}: {verb} {pointer} to at: {path}")
        for pointer, why in rewrite.left:
            print(f"{rewrite.display}: left {pointer} as it is: {why}")
        if rewrite.error:
            print(f"{rewrite.display}: {rewrite.error}", file=sys.stderr)
            failed += 1
        pending += len(rewrite.rewritten)
    return 1 if failed or (options.check and pending) else 0


def command_migrate(options: argparse.Namespace) -> int:
    from .commands.migrate import migrate, report

    migrations = migrate(collect_record_files(options.paths), options.to, check_only=options.check)
    return report(migrations, options.to, options.check, sys.stdout, sys.stderr)


def command_site(options: argparse.Namespace) -> int:
    from .commands.site import SiteError, build_site
    from .commands.site.render import TemplatesUnavailable

    files = collect_record_files(options.paths)
    # The site must not land among records: its copies of them would be read as records next time.
    folders = [Path(p) for p in options.paths if Path(p).is_dir()] + [RECORDS_DIR]
    try:
        built = build_site(files, Path(options.out), today=options.today or date.today(), built_on=options.build_date,
                           source_url_base=options.source_url_base, input_folders=folders)
    except (SiteError, TemplatesUnavailable) as err:
        raise UsageError(str(err)) from None
    print(f"wrote {display_path(built.out)}: index.html and {built.pages} record pages with {built.charts} charts")
    return 0


def _add_validate(commands: argparse._SubParsersAction) -> None:
    from .reporters import REPORTER_NAMES

    validate = commands.add_parser("validate", help="check records (default: records/)")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders")
    validate.add_argument("--format", choices=list(REPORTER_NAMES), default="text")
    validate.add_argument("--strict", action="store_true", help="warnings fail the run too")
    validate.add_argument("--changed", metavar="REV", help="check the records changed since a git revision (with the whole corpus as context)")
    validate.add_argument("--output-file", metavar="FILE", help="write the report to FILE (atomically) instead of standard output")
    validate.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                          help="colour the text report (auto: on a terminal, unless NO_COLOR is set)")
    validate.add_argument("--snippets", choices=["auto", "always", "never"], default="auto",
                          help="show the record's line under each finding, with a caret (auto: on a terminal)")
    how_much = validate.add_mutually_exclusive_group()
    how_much.add_argument("-q", "--quiet", action="store_true",
                          help="only what fails or warns: no acknowledged findings, corrections or summary (text); no summary (github)")
    how_much.add_argument("-v", "--verbose", action="store_true",
                          help="everything, acknowledged findings too (text; json and sarif always carry them)")
    validate.add_argument("--show-acknowledgement", action="store_true",
                          help="under each finding, the `acknowledged` entry that would acknowledge it (text format)")
    validate.add_argument("--jobs", type=int, default=0, help="worker processes for many files (default: all cores)")
    validate.add_argument("--today", metavar="YYYY-MM-DD", type=date.fromisoformat, help="the date rules treat as today (default: the real one)")
    validate.set_defaults(handler=command_validate)


def _add_schema(commands: argparse._SubParsersAction) -> None:
    schema = commands.add_parser("schema", help="regenerate the published JSON Schema from the models")
    schema.add_argument("--check", action="store_true", help="only report whether the committed schema is stale")
    schema.set_defaults(handler=command_schema)


def _add_rules(commands: argparse._SubParsersAction) -> None:
    rules = commands.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=command_rules)


def _add_explain(commands: argparse._SubParsersAction) -> None:
    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("code", metavar="CODE")
    explain.set_defaults(handler=command_explain)


def _add_new(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="write a record skeleton for a county from the reference list")
    which = new.add_mutually_exclusive_group(required=True)
    which.add_argument("--code", help="six-digit administrative code, e.g. 430225")
    which.add_argument("--from-reference", action="store_true",
                       help="a record for every county of the list of the 832 without one, citing its exit batch year")
    new.add_argument("--out", help="the file to write (default: records/<province>/<county>.yaml)")
    new.set_defaults(handler=command_new)


def _add_export(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="one tidy row per quantity, for analysis")
    export.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: records/)")
    export.add_argument("--format", choices=["csv", "jsonl", "parquet", "datapackage"], default="csv",
                        help="datapackage: a folder with the CSV table and datapackage.json (a Frictionless Table Schema)")
    export.add_argument("--out", help="write to this file (atomically) instead of standard output; "
                        "for datapackage, the folder to write (made if missing)")
    export.add_argument("--jobs", type=int, default=0, help=argparse.SUPPRESS)
    export.set_defaults(handler=command_export)


def _add_docs(commands: argparse._SubParsersAction) -> None:
    docs = commands.add_parser("docs", help="regenerate docs/schema.md and docs/rules.md")
    docs.add_argument("--check", action="store_true", help="only report whether the committed docs are stale")
    docs.set_defaults(handler=command_docs)


def _add_fix_acknowledgements(commands: argparse._SubParsersAction) -> None:
    fix = commands.add_parser("fix-acknowledgements", help="rewrite acknowledgements named by pointer to id paths (at:) in schema 1.1 records (1.0 ones: use migrate)")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: records/)")
    fix.add_argument("--check", action="store_true", help="only report what would change; exit 1 if anything would")
    fix.set_defaults(handler=command_fix_acknowledgements)


def _add_migrate(commands: argparse._SubParsersAction) -> None:
    from .models import SCHEMA_VERSIONS

    migrate = commands.add_parser("migrate", help="move records to a newer minor version of the schema (see schema/CHANGELOG.md)")
    migrate.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: records/)")
    migrate.add_argument("--to", required=True, choices=SCHEMA_VERSIONS[1:], help="the version to move the records to")
    migrate.add_argument("--check", action="store_true", help="only report what would change; exit 1 if anything would")
    migrate.set_defaults(handler=command_migrate)


def _add_diff(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser("diff", help="what changed in the data since a git revision: figures, findings, acknowledgements")
    diff.add_argument("revision", metavar="REV", help="the git revision to compare the working tree with, e.g. origin/main")
    diff.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: records/)")
    diff.add_argument("--format", choices=["text", "github"], default="text", help="text, or Markdown for a GitHub job summary")
    diff.add_argument("--today", metavar="YYYY-MM-DD", type=date.fromisoformat, help="the date rules treat as today (default: the real one)")
    diff.set_defaults(handler=command_diff)


def _add_site(commands: argparse._SubParsersAction) -> None:
    site = commands.add_parser("site", help="write a static site: every figure with its quote, correction and findings")
    site.add_argument("paths", nargs="*", metavar="PATH", help="record files or folders (default: records/)")
    site.add_argument("--out", required=True, metavar="DIR", help="the folder to write (replaced only if an earlier build wrote it)")
    site.add_argument("--source-url-base", metavar="URL", help="prefix of links to record lines, e.g. a repository's blob URL ending in /; "
                      "default: the copies of the records inside the site")
    site.add_argument("--today", metavar="YYYY-MM-DD", type=date.fromisoformat, help="the date rules treat as today (default: the real one)")
    site.add_argument("--build-date", metavar="YYYY-MM-DD", type=date.fromisoformat,
                      help="the date the footer gives (default: SOURCE_DATE_EPOCH's, else the newest commit's)")
    site.set_defaults(handler=command_site)


def _add_add_source(commands: argparse._SubParsersAction) -> None:
    from .commands.add_source import add_parser

    add_parser(commands)


def _add_draft(commands: argparse._SubParsersAction) -> None:
    from .commands.draft import add_parser

    add_parser(commands)


# Every command and the function that adds its parser: a run builds only the parser it needs
# (argparse looks up translations on disk for every argument; all of them cost a pre-commit run milliseconds).
COMMAND_PARSERS = {
    "validate": _add_validate,
    "schema": _add_schema,
    "rules": _add_rules,
    "explain": _add_explain,
    "new": _add_new,
    "export": _add_export,
    "docs": _add_docs,
    "fix-acknowledgements": _add_fix_acknowledgements,
    "migrate": _add_migrate,
    "diff": _add_diff,
    "site": _add_site,
    "add-source": _add_add_source,
    "draft": _add_draft,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's, or, given a command's name, only that one's."""
    parser = argparse.ArgumentParser(prog="county-records", description="Validate county poverty-alleviation records.")
    parser.add_argument("--version", action="version", version=f"county-records {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add in COMMAND_PARSERS.items():
        if only is None or name == only:
            add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    parser = build_parser(only=arguments[0] if arguments and arguments[0] in COMMAND_PARSERS else None)
    options = parser.parse_args(arguments)
    from .support.paths import UNITS_FILE

    if not UNITS_FILE.is_file():
        print(
            "county-records: no county-records repository here (schema/units.txt and seeds/ not found in this "
            "folder or above it); run it inside a clone of the repository",
            file=sys.stderr,
        )
        return 2
    try:
        return options.handler(options)
    except UsageError as err:
        print(f"county-records: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `county-records validate | head` is fine
        return 0
    finally:
        from .record.unit_cache import unit_cache

        unit_cache().flush()  # the answers pint gave this run, written once


if __name__ == "__main__":
    sys.exit(main())
