"""Which files to check: command-line paths, folders walked, and standard input."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

SUFFIXES = (".json", ".yaml", ".yml", ".tf")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "cdk.out"})  # .terraform: a dot folder


class Input(NamedTuple):
    display: str  # the path as reported
    path: str | None  # where to read it (a str: 10,000 Path objects cost megabytes); None: standard input
    explicit: bool  # named on the command line rather than found by a walk


class InputError(NamedTuple):
    display: str
    reason: str


def collect(arguments: list[str], stdin_name: str = "<stdin>") -> Iterator[Input | InputError]:
    """Inputs in a stable order; each file once, however often (and by whatever name) it is given."""
    seen: set[object] = set()  # "-" and the (device, inode) of each file
    for argument in arguments:
        if argument == "-":
            if "-" not in seen:
                seen.add("-")
                yield Input(stdin_name, None, True)
            continue
        try:
            status = os.stat(argument)  # one system call answers exists, is_dir, is_file and identity
        except OSError as error:
            yield InputError(argument, _missing(argument, error))
            continue
        if stat.S_ISDIR(status.st_mode):
            yield from _walk(Path(argument), seen)
        elif not stat.S_ISREG(status.st_mode):
            yield InputError(argument, "not a regular file (a device, socket or pipe)")
        elif (status.st_dev, status.st_ino) not in seen:
            seen.add((status.st_dev, status.st_ino))
            yield Input(argument, argument, True)


def _missing(argument: str, error: OSError) -> str:
    if os.path.islink(argument):
        return "broken symbolic link"
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "no such file or directory"
    return error.strerror or str(error)


def _walk(root: Path, seen: set[object]) -> Iterator[Input | InputError]:
    errors: list[OSError] = []
    for directory, subdirectories, files in os.walk(root, onerror=errors.append, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if not name.lower().endswith(SUFFIXES) or name.startswith("."):
                continue
            path = os.path.join(directory, name)
            try:
                status = os.stat(path)
            except OSError:
                continue  # a broken link cannot be read
            key = (status.st_dev, status.st_ino)
            if not stat.S_ISREG(status.st_mode) or key in seen:  # a pipe would block the read
                continue
            seen.add(key)
            yield Input(path, path, False)
    for error in errors:
        yield InputError(str(error.filename or root), error.strerror or str(error))
