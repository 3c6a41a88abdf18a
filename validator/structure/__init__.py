"""Step 2, structure: the data against the published schema of the version the record declares
(jsonschema-rs), the models' positioned messages for what does not fit, the typed record of what does.
"""

from ..support.lazy import exporting

__getattr__ = exporting(__name__, {
    "check_structure": "check",
    "Structured": "check",
    "published_schema": "published",
})
