"""HTML from the site model, through Jinja2 templates that escape everything they interpolate."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Callable
from urllib.parse import quote, urlsplit, urlunsplit

from .. import EXTRAS_INSTALL
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
        return urlunsplit(("", "", root + encoded_path(copies[place.path]), "", f"L{place.line}"))
    return href


def render_index(env, model: SiteModel) -> str:
    pages = sorted(model.pages, key=lambda p: (not p.loaded, p.province, p.level != "province", p.code, p.path))
    loaded = [p for p in pages if p.loaded]
    return env.get_template("index.html").render(
        root="", today=model.today, pages=pages,
        counties=sum(1 for p in loaded if p.level != "province"), provinces=sum(1 for p in loaded if p.level == "province"),
    )


def render_record(env, model: SiteModel, page: RecordPage, charts: list[ChartView], source_href: Callable[[Place], str]) -> str:
    depth = page.page.count("/")
    return env.get_template("record.html").render(
        root="../" * depth, today=model.today, page=page, charts=charts, file_place=Place(page.path, 1),
        source_href=source_href, QUALIFIERS=QUALIFIERS,
    )
