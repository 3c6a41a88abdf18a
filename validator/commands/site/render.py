"""HTML from the site model, through Jinja2 templates that escape everything they interpolate."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Callable
from urllib.parse import quote, urlsplit, urlunsplit

from .. import EXTRAS_INSTALL
from .keyfigures import KEY_METRICS, key_figures
from .model import ChartView, Place, RecordPage, SiteModel

QUALIFIERS = {
    "approximately": "about", "at_least": "at least", "more_than": "more than", "at_most": "at most",
    "less_than": "less than", "range": "from",
}


class TemplatesUnavailable(RuntimeError):
    """Jinja2 is not installed; the message says how to install it."""


def environment():
    try:
        import jinja2
    except ImportError as err:
        raise TemplatesUnavailable(f"the site needs Jinja2: {EXTRAS_INSTALL}") from err
    return jinja2.Environment(
        loader=jinja2.PackageLoader("validator.commands.site", "templates"),
        autoescape=True,  # every template here is HTML; the only unescaped text is the charts' SVG
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def source_copy(path: str) -> str:
    """Where the site keeps its copy of a record file: records/<path in the repository>."""
    parts = PurePosixPath(path).parts
    if PurePosixPath(path).is_absolute() or ".." in parts or not parts:
        return f"records/outside/{PurePosixPath(path).name or 'record.yaml'}"
    return "records/" + "/".join(parts[1:] if parts[0] == "records" else parts)


def encoded_path(path: str) -> str:
    """A relative path as a URL path: each segment percent-encoded, so `%2e%2e`, `#` or `?` in a folder's
    name stay part of that name instead of climbing a folder or starting a fragment or a query."""
    return "/".join(quote(segment, safe="", errors="surrogateescape") for segment in path.split("/"))


def source_href_maker(source_url_base: str | None, root: str, copies: dict[str, str]) -> Callable[[Place], str]:
    """A figure's link to its line: under --source-url-base when given, else to the copy inside the site."""
    base = None if source_url_base is None else urlsplit(source_url_base)

    def href(place: Place) -> str:
        if base is not None:
            folder = base.path if base.path.endswith("/") else base.path + "/"
            return urlunsplit((base.scheme, base.netloc, folder + encoded_path(place.path), base.query, f"L{place.line}"))
        return urlunsplit(("", "", root + encoded_path(copies[place.path] + ".html"), "", f"L{place.line}"))
    return href


def _common(model: SiteModel, root: str) -> dict:
    return {"root": root, "built_on": model.built_on, "citation": model.citation}


def index_order(model: SiteModel) -> list[RecordPage]:
    return sorted(model.pages, key=lambda p: (not p.loaded, p.province, p.level != "province", p.code, p.path))


def render_index(env, model: SiteModel) -> str:
    pages = index_order(model)
    loaded = [p for p in pages if p.loaded]
    return env.get_template("index.html").render(
        **_common(model, ""), pages=pages, provinces=sorted({p.province for p in loaded}),
        counties=sum(1 for p in loaded if p.level != "province"), province_records=sum(1 for p in loaded if p.level == "province"),
    )


NOT_RECORDED = "not recorded"


def render_compare(env, model: SiteModel) -> str:
    counties = [p for p in index_order(model) if p.loaded and p.level != "province"]
    # The batch year only: an approval's year (poverty_exit) may be the year after its batch.
    batch = {id(p): p.delisted_year.value if p.delisted_year else NOT_RECORDED for p in counties}
    years = sorted(set(batch.values()) - {NOT_RECORDED}) + ([NOT_RECORDED] if NOT_RECORDED in batch.values() else [])
    by_province: dict[str, dict[str, int]] = {}
    for page in counties:
        row = by_province.setdefault(page.province, {})
        row[batch[id(page)]] = row.get(batch[id(page)], 0) + 1
    indicators = [(page, {k.title: k for k in key_figures(page)}) for page in index_order(model) if page.loaded]
    return env.get_template("compare.html").render(
        **_common(model, ""), years=years, by_province=sorted(by_province.items()),
        indicators=[(page, keys) for page, keys in indicators if keys], key_titles=list(KEY_METRICS.values()),
    )


def render_record(env, model: SiteModel, page: RecordPage, charts: list[ChartView], source_href: Callable[[Place], str]) -> str:
    root = "../" * page.page.count("/")
    return env.get_template("record.html").render(
        **_common(model, root), page=page, charts=charts, file_place=Place(page.path, 1), keys=key_figures(page) if page.loaded else [],
        source_href=source_href, QUALIFIERS=QUALIFIERS, source_titles={s.id: s.title for s in page.sources},
    )


def render_lines(env, model: SiteModel, page: RecordPage, copy: str, text: str) -> str:
    """A record file as numbered lines, each with its anchor (#L42), so a "line 42" link opens the line."""
    root = "../" * copy.count("/")
    return env.get_template("lines.html").render(
        **_common(model, root), page=page, path=page.path, raw=PurePosixPath(copy).name, lines=text.splitlines(),
        page_href=root + page.page,
    )


def render_source(env, model: SiteModel, source) -> str:
    return env.get_template("source.html").render(**_common(model, "../"), source=source)
