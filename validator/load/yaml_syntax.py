"""What a YAML syntax error means to a curator: the mistake, where it is, and what to type.

libyaml says where it stopped reading, often a line after the mistake (`date:2018` is blamed on
the next key), in its own terms ("did not find expected key"). For the slips curators make (a key
or list item indented wrongly, no space after a colon, a tab, a quote or bracket left open, a quote
inside a quoted value) the mistake is found from the text around that place; anything else keeps
libyaml's words. libyaml's own text and position stay in the finding's data.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

from ..support.findings import Finding
from ..support.text import clip

# A record's key glued to its value: `date:2018`, `- id:s1` (not `http://x`, not a time such as `- 10:30`).
_GLUED_KEY = re.compile(r"^( *(?:- +)?)([A-Za-z_][A-Za-z0-9_-]*):(?=[^\s/])")
_KEY = re.compile(r"^(?:- +)?([^\s:#]+) *:(?:\s|$)")
_CLOSERS = {"while parsing a flow mapping": ("{", "}"), "while parsing a flow sequence": ("[", "]")}
_BLOCK_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")


class Place(NamedTuple):
    """A 0-based line and column, as libyaml's marks count, with the index into the text."""

    line: int
    column: int
    index: int

    @classmethod
    def of(cls, mark) -> Place | None:
        return cls(mark.line, mark.column, mark.index) if mark is not None else None


def syntax_error_finding(text: str, err: yaml.MarkedYAMLError) -> Finding:
    """YAML010 for a tab where indentation is, else YAML001 with the curator's mistake where it is found."""
    problem, context = err.problem or "invalid YAML", err.context or ""
    at, opened = Place.of(err.problem_mark or err.context_mark), Place.of(err.context_mark)
    data = {"libyaml": {"problem": problem, "context": context or None,
                        "line": at.line + 1 if at else None, "column": at.column + 1 if at else None}}
    if at is None:
        return Finding.of("YAML001", f"YAML syntax error: {clip(problem)}", line=1, column=1, data=data)
    # The parser knows what is indentation: a tab in a block scalar or a flow collection is not.
    if text[at.index:at.index + 1] == "\t":
        return Finding.of("YAML010", "a tab is used for indentation; YAML allows only spaces: replace the tab with "
                          "spaces", line=at.line + 1, column=at.column + 1, data=data)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if at.line >= len(lines):  # the end of the stream, past a line break the loader added for libyaml
        at = Place(len(lines) - 1, len(lines[-1]), len(text))
    explained = _explain(lines, text, problem, context, at, opened)
    if explained is None:
        message = f"YAML syntax error: {clip(problem)}" + (f" {clip(context)}" if context else "")
        return Finding.of("YAML001", message, line=at.line + 1, column=at.column + 1, data=data)
    message, line, column = explained
    return Finding.of("YAML001", message, line=line + 1, column=column + 1, data=data)


def _explain(lines: list[str], text: str, problem: str, context: str, at: Place,
             opened: Place | None) -> tuple[str, int, int] | None:
    if context == "while scanning a quoted scalar" and opened is not None:
        return _unclosed_quote(lines, opened)
    if problem.startswith("mapping values are not allowed") or problem == "could not find expected ':'":
        start = opened.line if opened is not None and context == "while scanning a simple key" else at.line
        glued = _glued_key(lines, start)
        if glued is not None:
            return glued
        if problem.startswith("mapping values are not allowed"):
            return _colon_in_value(lines, at) or _indentation(lines, at.line)
        return None
    quote = _after_a_closing_quote(lines, text, at)
    if quote is not None:
        return quote
    if context in _CLOSERS and opened is not None:
        return _open_bracket(lines, context, at, opened)
    if problem.startswith(_BLOCK_PROBLEMS) and _indent(lines[at.line]) == at.column:
        return _indentation(lines, at.line)
    return None


def _unclosed_quote(lines: list[str], opened: Place) -> tuple[str, int, int]:
    quote = lines[opened.line][opened.column]
    return (f"this {quote} is never closed: end the value with {quote} on this line (a {quote} inside the value "
            f"is written {_escaped(quote)})", opened.line, opened.column)


def _escaped(quote: str) -> str:
    return '\\"' if quote == '"' else "''"


def _after_a_closing_quote(lines: list[str], text: str, at: Place) -> tuple[str, int, int] | None:
    """The parser stopped just after a quoted value closed: the quote closed too early, or never on its line."""
    line = lines[at.line]
    before = line[:at.column].rstrip(" ")
    if not before or before[-1] not in "\"'" or len(before) == 1:
        return None
    quote, close = before[-1], len(before) - 1
    opener = text.rfind(quote, 0, at.index - (at.column - close))
    if opener == -1:
        return None
    opener_line = text.count("\n", 0, opener)
    if opener_line != at.line:
        column = opener - (text.rfind("\n", 0, opener) + 1)
        return _unclosed_quote(lines, Place(opener_line, column, opener))
    if len(before) != at.column:
        return None  # a space after the quote: a separate mistake (a missing comma), not this one
    rest = clip(line[at.column:].strip(), 40)
    other = "'" if quote == '"' else '"'
    return (f"the quoted value ends at this {quote}, and `{rest}` follows it: write a {quote} inside the value as "
            f"{_escaped(quote)}, or quote the whole value with {other}", at.line, close)


def _open_bracket(lines: list[str], context: str, at: Place, opened: Place) -> tuple[str, int, int]:
    opener, closer = _CLOSERS[context]
    line = lines[at.line]
    if line[at.column:at.column + 1] in ("]", "}") and line[at.column] != closer:
        return (f"this `{line[at.column]}` does not close the `{opener}` on line {opened.line + 1}: close that with `{closer}`",
                at.line, at.column)
    if at.line == opened.line:
        key_start = len(line[:at.column].rstrip(" ").rsplit(" ", 1)[0]) + 1  # `{a: b c: d}`: the `c` read as part of `b`
        if line[at.column:at.column + 1] == ":" and 0 < key_start < at.column and line[:key_start].rstrip()[-1:] not in ",{[:":
            key = line[key_start:at.column].strip()
            return (f"a `,` is missing before `{clip(key)}`: separate the entries of the `{opener}` with commas",
                    at.line, key_start)
        return (f"expected `,` or `{closer}` here: separate the entries of the `{opener}` with commas, "
                f"and quote a value that holds a comma", at.line, at.column)
    return (f"this `{opener}` is never closed: end it with `{closer}` after its last entry",
            opened.line, opened.column)


def _glued_key(lines: list[str], line: int) -> tuple[str, int, int] | None:
    """`date:2018` on this line or the lines of the same plain scalar before it: no space after the colon."""
    for number in range(line, max(line - 5, -1), -1):
        match = _GLUED_KEY.match(lines[number])
        if match:
            key, colon = match[2], match.end() - 1
            value = lines[number][colon + 1:].strip()
            return (f"no space after the colon of `{clip(key)}`: write `{clip(key)}: {clip(value, 30)}` "
                    "(YAML needs a space after a key's colon)", number, colon)
        if number != line and _KEY.match(lines[number].strip()):
            return None  # a line with a key of its own ends the search
    return None


def _colon_in_value(lines: list[str], at: Place) -> tuple[str, int, int] | None:
    """`title: Report: Yanling`: a value holding `: ` must be quoted."""
    line = lines[at.line]
    match = _KEY.match(line.strip())
    if match is None or _indent(line) + line.strip().find(":") >= at.column:
        return None
    value = line[line.index(":", _indent(line)) + 1:].strip()
    return (f"the value of `{clip(match[1])}` holds `: `, which starts a key in YAML: quote the value, "
            f"`{clip(match[1])}: \"{clip(value, 40)}\"`", at.line, at.column)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indentation(lines: list[str], number: int) -> tuple[str, int, int] | None:
    """A key or list item whose indentation matches none of the mappings and lists it could belong to."""
    line = lines[number]
    indent, content = _indent(line), line.strip()
    is_item = content == "-" or content.startswith("- ")
    key = None if is_item else _KEY.match(content)
    name = key[1] if key else content.split(":")[0]
    levels: list[tuple[int, int, str | None]] = []  # (column, line number, key) of the lines it could belong with
    floor = len(line) + 1  # walking up, a line deeper than one already passed is inside an earlier sibling
    for previous in range(number - 1, -1, -1):
        text = lines[previous]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        column = _indent(text)
        if column >= floor:
            continue
        floor = column
        if stripped == "-" or stripped.startswith("- "):
            after_dash = stripped[1:].lstrip(" ")
            key = _KEY.match(after_dash)
            if is_item:
                levels.append((column, previous, None))
            elif key:
                levels.append((column + len(stripped) - len(after_dash), previous, key[1]))
        elif not is_item and (key := _KEY.match(stripped)):
            levels.append((column, previous, key[1]))
        if column == 0:
            break
    if not levels or any(level == indent for level, _, _ in levels):
        return None  # lined up with something it can belong to: the mistake is not its indentation
    level, previous, level_name = min(levels, key=lambda found: abs(found[0] - indent))  # the nearest line wins a tie
    if is_item:
        message = (f"this list item's `-` is indented by {_spaces(indent)} and the item above it (line {previous + 1}) "
                   f"by {level}: indent it by {_spaces(level)} so that the `-` signs line up")
    else:
        message = (f"`{clip(name)}` is indented by {_spaces(indent)} and `{clip(level_name)}` above it (line {previous + 1}) "
                   f"by {level}: indent `{clip(name)}` by {_spaces(level)} so that they line up")
    return message, number, indent


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"
