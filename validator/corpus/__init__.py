"""Step 5, across the corpus: each record's compact facts, the index that keeps them between runs
(SQLite), and the reference list of county codes the corpus rules check against.
"""

from ..support.lazy import exporting

__getattr__ = exporting(__name__, {
    "collect_facts": "facts",
    "CorpusFacts": "facts",
    "CorpusCache": "index",
})
