"""Step 1, load: a record file's bytes to data with the line and column of every JSON pointer (YAML 1.2),
and the list of files a command reads. A file that cannot be read is a finding, never an exception.
"""

from ..support.lazy import exporting

__getattr__ = exporting(__name__, {
    "load_document": "loader",
    "load_text": "loader",
    "LoadedDocument": "loader",
})
