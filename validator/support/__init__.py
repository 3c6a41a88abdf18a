"""What every step uses: findings, paths of the contract, text limits, atomic writes, the user cache,
and the seeds (source documents) with their passages.
"""

from .lazy import exporting

__getattr__ = exporting(__name__, {
    "Finding": "findings",
    "LocatedFinding": "findings",
})
