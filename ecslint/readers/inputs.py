"""Which files to check: command-line paths, folders walked, and standard input."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ecslint.readers.ignorefiles import IgnoreRules, rules_above

SUFFIXES = (".json", ".yaml", ".yml", ".tf")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "cdk.out"})  # .terraform: a dot folder


class Input(NamedTuple):
    display: str  # the path as reported
    path: str | None  # where to read it (a str: 10,000 Path objects cost megabytes); None: standard input
    explicit: bool  # named on the command line rather than found by a walk


class InputError(NamedTuple):
    display: str
    reason: str


def collect(
    arguments: list[str],
    stdin_name: str = "<stdin>",
    *,
    respect_ignore: bool = True,
    ignored: list[str] | None = None,
) -> Iterator[Input | InputError]:
    """Inputs in a stable order; each file once, however often (and by whatever name) it is given.

    Folder walks skip what ``.gitignore`` and ``.ignore`` files ignore (``respect_ignore``), and
    add the files and folders skipped so to ``ignored``; files named on the command line are
    always checked.
    """
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
            yield from _walk(Path(argument), seen, respect_ignore, ignored)
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


def _walk(
    root: Path, seen: set[object], respect_ignore: bool = True, ignored: list[str] | None = None
) -> Iterator[Input | InputError]:
    errors: list[OSError] = []
    top = str(root)
    rules: dict[str, IgnoreRules] = {}  # folders still to walk (relative to the root): the rules they inherit
    for directory, subdirectories, files in os.walk(root, onerror=errors.append, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED_DIRS)
        here: IgnoreRules | None = None
        relative = ""
        if respect_ignore:
            relative = os.path.relpath(directory, top).replace(os.sep, "/") if directory != top else ""
            above = rules.pop(relative, None) if relative else rules_above(top)  # what its parent left it
            here = (above or IgnoreRules()).entering(directory, relative, files)
            below = relative + "/" if relative else ""
            if here.specs:  # git never looks inside an ignored folder
                kept = [d for d in subdirectories if not here.ignored(below + d, True)]
                if ignored is not None and len(kept) < len(subdirectories):
                    ignored.extend(os.path.join(directory, d) for d in subdirectories if d not in kept)
                subdirectories[:] = kept
            rules.update((below + d, here) for d in subdirectories)
        for name in sorted(files):
            if not name.lower().endswith(SUFFIXES) or name.startswith("."):
                continue
            if here is not None and here.specs and here.ignored((relative + "/" if relative else "") + name, False):
                if ignored is not None:
                    ignored.append(os.path.join(directory, name))
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


def read(path: str | None, limit: int) -> tuple[bytes, int | None]:
    """A file's bytes (``path`` None: standard input) and, when it holds more than ``limit``
    bytes, its size (-1 when unknown: a pipe) with no more than ``limit`` + 1 of its bytes.

    A regular file's size is known before reading (fstat), so an oversized file is not read at
    all; from a pipe at most ``limit`` + 1 bytes are read, so memory stays bounded either way.
    """
    if path is None:
        import sys

        return _read_bounded(sys.stdin.buffer, limit)
    with open(path, "rb") as handle:
        return _read_bounded(handle, limit)


def _read_bounded(handle: BinaryIO, limit: int) -> tuple[bytes, int | None]:
    known = -1
    try:
        status = os.fstat(handle.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's stand-in for stdin)
        pass
    else:
        if stat.S_ISREG(status.st_mode):
            known = status.st_size
            if known > limit:
                return b"", known
    raw = handle.read(limit + 1)
    if len(raw) > limit:  # a pipe, or a file that grew after fstat: how large is not known
        return raw, -1
    return raw, None
