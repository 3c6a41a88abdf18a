"""Step 6, acknowledgements: findings a record keeps on purpose, matched by rule and place after
every rule (the corpus's too) has run.
"""

from ..support.lazy import exporting

__getattr__ = exporting(__name__, {
    "apply": "acknowledging",
    "acknowledgements_of": "acknowledging",
})
