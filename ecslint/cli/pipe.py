"""A reader that stops early (``ecslint check . | head -1``) ends the run quietly."""

from __future__ import annotations

import os
import sys


def stdout_closed() -> None:
    """Point standard output at the null device after a ``BrokenPipeError``.

    As the Python documentation recommends (library/signal.html, "Note on SIGPIPE"): the
    interpreter's last flush of ``sys.stdout`` at exit would otherwise fail again and print
    "Exception ignored ... BrokenPipeError" on stderr.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor behind sys.stdout (tests): nothing to flush there
        pass
