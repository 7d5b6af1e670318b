"""The command line: argument parsing, the commands, the check run and the catalogue rendered for people.

The top layer: may import every other layer; nothing imports it.
"""

from __future__ import annotations

import gc

_collection_paused = False


def pause_collection() -> None:
    """Pause the cyclic garbage collector for the start-up of ``ecslint check`` in its own process.

    Start-up (imports, the catalogue, the schema) makes objects that live until exit and frees
    almost none, yet the collector walks them some 40 times: 5-10 ms of a 60 ms start.
    ``start_up_done`` resumes it before the first file is checked.
    """
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True


def start_up_done() -> None:
    """Start-up is over (``run_check`` has built its engine): what it made is frozen out of later
    collections (forked ``-j`` workers then share it untouched too) and the collector resumes for
    the files.  Nothing to do when ``pause_collection`` did not pause it."""
    global _collection_paused
    if _collection_paused:
        _collection_paused = False
        gc.freeze()
        gc.enable()
