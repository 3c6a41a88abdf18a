"""county-records: schema, validator and curated dataset of county poverty-alleviation records."""

__version__ = "0.4.0"
