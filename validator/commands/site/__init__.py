"""A static site of the records: every figure with its quote, its correction and its findings, on a page.

`build_site` is the entry point; `gather` is the only module here that reads the pipeline.
"""

from .build import BuiltSite, SiteError, build_site

__all__ = ["BuiltSite", "SiteError", "build_site"]
