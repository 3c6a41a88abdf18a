"""What a rule is: a code, a name, a severity, its documentation and (for most) a check."""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from ..support.findings import Finding, Severity

RecordCheck = Callable[..., Iterable[Finding]]


class Rule(NamedTuple):
    """One entry of the rule catalogue.

    `scope` says who raises it: "record" and "corpus" rules have a `check`; "load", "schema",
    "engine" codes are raised by those pipeline steps and are catalogued here for their docs.
    `example` fails and `use_instead` passes; both are YAML snippets that follow the standard
    record header (see tests/rules/header.yaml) unless `example_is_file` says they are whole files.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    use_instead: str
    scope: str = "record"
    check: RecordCheck | None = None
    example_is_file: bool = False
    examples_run: bool = True
    # A finding of this code stops the file's later steps: its data is not what the curator wrote
    # (load), or it does not fit the schema (schema), so no rule can read it.
    stops: bool = False

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def explain(self) -> str:
        """The rule's documentation as `county-records explain` prints it (Markdown)."""
        return "\n".join([
            f"# {self.code} ({self.name})",
            "",
            f"Severity: {self.severity.value}. {self.summary}",
            "",
            "## What it does",
            self.what.strip(),
            "",
            "## Why it matters",
            self.why.strip(),
            "",
            "## Example",
            "```yaml",
            self.example.strip("\n"),
            "```",
            "",
            "## Use instead",
            "```yaml",
            self.use_instead.strip("\n"),
            "```",
            "",
        ])


def rule(code: str, name: str, severity: Severity, *, summary: str, what: str, why: str,
         example: str, use_instead: str, scope: str = "record", **options) -> Callable[[RecordCheck], Rule]:
    """Declare a rule around its check function."""

    def wrap(check: RecordCheck) -> Rule:
        return Rule(code, name, severity, summary, what, why, example, use_instead, scope, check, **options)

    return wrap


def catalogued(code: str, name: str, severity: Severity, *, summary: str, what: str, why: str,
               example: str, use_instead: str, scope: str, **options) -> Rule:
    """A code raised by a pipeline step (loader, schema, engine) rather than by a check."""
    return Rule(code, name, severity, summary, what, why, example, use_instead, scope, None, **options)
