"""YAML: problems the loader finds in the file itself, before any schema applies."""

from ..support.findings import Severity
from .base import catalogued

E = Severity.ERROR
_HEADER = 'schema_version: "1.0"\n'

RULES = [
    catalogued(
        "YAML001", "syntax-error", E, scope="load", stops=True, example_is_file=True,
        summary="The file is not well-formed YAML.",
        what=(
            "Reports the mistake where it is, for the slips curators make, and says what to type: no space after "
            "a key's colon (`date:2018`, which the parser blames on the next line), a key or list item indented "
            "unlike the ones it belongs with, a quote or bracket left open, a quote inside a quoted value, a "
            "missing comma between `{...}` entries, a value holding `: ` that is not quoted. Any other error is "
            "reported where the parser stopped, in its words. The parser's own words and position are in the "
            "JSON report's `data.libyaml`."
        ),
        why="Nothing in a file that does not parse can be checked; CI would otherwise report nothing useful.",
        example=_HEADER + "division: {code: \"430225\"\n",
        use_instead=_HEADER + "division: {code: \"430225\"}\n",
    ),
    catalogued(
        "YAML002", "duplicate-key", E, scope="load", stops=True, example_is_file=True,
        summary="A key appears twice in the same mapping.",
        what="Reports the second occurrence of a key, names the line of the first, and asks to delete or rename one.",
        why="YAML loaders silently keep one of the two values, so a curator's figure disappears without a trace.",
        example=_HEADER + "schema_version: \"1.0\"\n",
        use_instead=_HEADER,
    ),
    catalogued(
        "YAML003", "ambiguous-scalar", E, scope="load", example_is_file=True,
        summary="A plain scalar that YAML 1.1 and YAML 1.2 read differently.",
        what=(
            "Records are read with YAML 1.2 core-schema rules: `no` is a string, `0755` is the number 755. "
            "YAML 1.1 (PyYAML, many editors and tools) reads `yes`/`no`/`on`/`off` as booleans, `0755` as an "
            "octal number, `1_000` as 1000 and `1:20` as a sexagesimal 80. This rule reports every plain "
            "scalar whose two readings differ."
        ),
        why="A record must mean the same thing to every tool that reads it; the Norway problem (`no` becoming false) loses data silently.",
        example=_HEADER + "notes: {curation: no}\n",
        use_instead=_HEADER + "notes: {curation: \"no\"}\n",
    ),
    catalogued(
        "YAML004", "anchor-or-alias", E, scope="load", stops=True, example_is_file=True,
        summary="Anchors (&name) and aliases (*name) are not allowed.",
        what="Reports the first anchor or alias in the file and stops reading it.",
        why="Aliases hide where a value is stated and allow 'billion laughs' bombs that make loaders eat memory; a record states each figure where it belongs.",
        example=_HEADER + "notes: &n {curation: shared}\n",
        use_instead=_HEADER + "notes: {curation: shared}\n",
    ),
    catalogued(
        "YAML005", "tag-not-allowed", E, scope="load", stops=True, example_is_file=True,
        summary="Explicit tags (!!python/object, !!str, !custom, and a lone !) are not allowed.",
        what=(
            "Reports the first explicitly tagged node. The non-specific tag `!` is refused too: YAML 1.2 reads "
            "`! 12` as the text \"12\", PyYAML and the tools built on it as the number 12."
        ),
        why="Records hold plain data; tags are how unsafe loaders are made to construct objects or run code.",
        example=_HEADER + "notes: !!python/object:os.system {}\n",
        use_instead=_HEADER + "notes: {}\n",
    ),
    catalogued(
        "YAML006", "too-deep", E, scope="load", stops=True, example_is_file=True, examples_run=False,
        summary="Nesting deeper than the loader's limit (40 levels).",
        what="Reports the node that goes past the limit and stops reading the file.",
        why="A record needs fewer than ten levels; thousands of levels exist only to exhaust a parser's stack.",
        example="a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        use_instead=_HEADER,
    ),
    catalogued(
        "YAML007", "file-too-large", E, scope="load", stops=True, example_is_file=True, examples_run=False,
        summary="The file is larger than 1 MiB.",
        what="Reports a file over the size limit without parsing it.",
        why="The largest real record is a few tens of KiB; a larger file is a mistake or an attack, and parsing it costs every CI run.",
        example="(a file of more than 1,048,576 bytes)",
        use_instead="(split the figures into one record per county)",
    ),
    catalogued(
        "YAML008", "not-utf8", E, scope="load", stops=True, example_is_file=True, examples_run=False,
        summary="The file is not valid UTF-8.",
        what="Reports the line and column of the first byte that is not UTF-8.",
        why="Chinese names and quotes must survive every tool; GBK or Latin-1 bytes turn into mojibake.",
        example="name_zh: (bytes in GBK)",
        use_instead="name_zh: 炎陵县   # saved as UTF-8",
    ),
    catalogued(
        "YAML009", "byte-order-mark", E, scope="load", example_is_file=True, examples_run=False,
        summary="The file starts with a UTF-8 byte order mark.",
        what="Reports a BOM at the start of the file; the rest of the file is still checked.",
        why="A BOM is invisible in editors but breaks the `# yaml-language-server` line and some YAML tools.",
        example="(EF BB BF) schema_version: \"1.0\"",
        use_instead="schema_version: \"1.0\"   # saved as UTF-8 without BOM",
    ),
    catalogued(
        "YAML010", "tab-indentation", E, scope="load", stops=True, example_is_file=True,
        summary="A tab is used for indentation.",
        what="Reports the first tab the parser meets where indentation is; replace it with spaces.",
        why="YAML forbids tabs in indentation; parsers' own messages about them are cryptic.",
        example=_HEADER + "notes:\n\tcuration: tabbed\n",
        use_instead=_HEADER + "notes:\n  curation: spaced\n",
    ),
    catalogued(
        "YAML011", "empty-file", E, scope="load", stops=True, example_is_file=True,
        summary="The file holds no YAML document.",
        what="Reports a file that is empty or holds only comments.",
        why="An empty record is usually a failed save or a scaffold that was never filled in.",
        example="# nothing here yet\n",
        use_instead=_HEADER,
    ),
    catalogued(
        "YAML012", "multiple-documents", E, scope="load", stops=True, example_is_file=True,
        summary="The file holds more than one YAML document (---).",
        what="Reports the start of the second document.",
        why="A record is one document; a second one is ignored by most tools and its figures are lost.",
        example=_HEADER + "---\n" + _HEADER,
        use_instead=_HEADER,
    ),
    catalogued(
        "YAML013", "merge-key", E, scope="load", stops=True, example_is_file=True,
        summary="Merge keys (<<) are not allowed.",
        what="Reports a `<<` key.",
        why="Merge keys are a YAML 1.1 extension that YAML 1.2 tools read as an ordinary key; the two readings of the record differ.",
        example=_HEADER + "notes:\n  <<: {curation: merged}\n",
        use_instead=_HEADER + "notes:\n  curation: merged\n",
    ),
    catalogued(
        "YAML014", "complex-key", E, scope="load", stops=True, example_is_file=True,
        summary="A mapping key that is not a plain scalar.",
        what="Reports a key that is itself a mapping or a list.",
        why="Such keys have no JSON equivalent and no JSON pointer; no record needs them.",
        example=_HEADER + "? {a: 1}\n: value\n",
        use_instead=_HEADER + "notes: {curation: value}\n",
    ),
    catalogued(
        "YAML015", "binary-content", E, scope="load", stops=True, example_is_file=True, examples_run=False,
        summary="The file holds binary data (a NUL byte).",
        what="Reports a file that is not text.",
        why="An image or archive saved under a .yaml name is a mistake that must not pass silently.",
        example="(bytes of a PNG file)",
        use_instead="(a UTF-8 YAML record)",
    ),
    catalogued(
        "YAML016", "unreadable-file", E, scope="load", stops=True, example_is_file=True, examples_run=False,
        summary="The file cannot be read.",
        what="Reports a path that exists but cannot be opened (permissions, a broken link, a device).",
        why="CI must say which file it could not check instead of stopping with a traceback.",
        example="(a record with mode 000)",
        use_instead="(a readable record)",
    ),
    catalogued(
        "YAML017", "link-out-of-repository", E, scope="load", stops=True, example_is_file=True, examples_run=False,
        summary="A record that is a symbolic link to a file outside its repository.",
        what=(
            "Reports a record file that is a symbolic link whose target lies outside the repository the link is in "
            "(the folder above it with schema/ and seeds/), and does not read it. A link to a file inside the "
            "repository is read; a record outside any repository is the user's own choice and is read."
        ),
        why=(
            "A pull request can add records/x.yaml as a link to /etc/passwd or a key; reading it would put lines of "
            "that file into findings, annotations and CI logs."
        ),
        example="(records/hunan/x.yaml, a link to /etc/passwd)",
        use_instead="(records/hunan/x.yaml, a file; or a link to another record in the repository)",
    ),
]
