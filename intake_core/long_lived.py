"""What a server keeps for its whole life, kept out of Python's cyclic garbage collector (issue 18).

Python's collector looks, in a full collection, at every container object alive: Rasa with
the model loaded holds 572,000 of them (TensorFlow, the pipeline, the domain, the rules), the
action server with spaCy and jieba 409,000. A full collection took 230 ms in Rasa and 171 ms in
the action server on this machine, and under load Rasa made one every 80 turns or so, each
stopping every caller's turn under way (docs/performance.md). None of those objects ever
becomes garbage while the server runs.

``freeze()`` collects what start-up left behind, then moves every object alive into the
collector's permanent generation (``gc.freeze``), which collections skip: they then look only
at what the turns create (4 to 10 ms each). Reference counting frees frozen objects as usual;
only a frozen object in a reference cycle stays until ``thaw()``, which Rasa calls before it
loads another model (intake_dialogue/model_memory.py).
"""

from __future__ import annotations

import gc


def freeze() -> int:
    """Collects, then keeps every object now alive out of later collections; how many are."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def thaw() -> None:
    """Frozen objects back under the collector (before what they belong to is replaced)."""
    gc.unfreeze()
