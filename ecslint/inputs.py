"""Which files to check: command-line paths, folders walked, and standard input."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

SUFFIXES = (".json", ".yaml", ".yml", ".tf")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "cdk.out"})  # .terraform: a dot folder


class Input(NamedTuple):
    display: str  # the path as reported
    path: Path | None  # None: standard input
    explicit: bool  # named on the command line rather than found by a walk


class InputError(NamedTuple):
    display: str
    reason: str


def collect(arguments: list[str], stdin_name: str = "<stdin>") -> Iterator[Input | InputError]:
    """Inputs in a stable order; each file once, however often it is named."""
    seen: set[str] = set()
    for argument in arguments:
        if argument == "-":
            if "-" not in seen:
                seen.add("-")
                yield Input(stdin_name, None, True)
            continue
        path = Path(argument)
        if path.is_dir():
            yield from _walk(path, seen)
        elif path.exists() and not path.is_file():
            yield InputError(argument, "not a regular file (a device, socket or pipe)")
        elif path.exists():
            key = _identity(path)
            if key not in seen:
                seen.add(key)
                yield Input(argument, path, True)
        elif path.is_symlink():
            yield InputError(argument, "broken symbolic link")
        else:
            yield InputError(argument, "no such file or directory")


def _identity(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _walk(root: Path, seen: set[str]) -> Iterator[Input | InputError]:
    errors: list[OSError] = []
    for directory, subdirectories, files in os.walk(root, onerror=errors.append, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if not name.lower().endswith(SUFFIXES) or name.startswith("."):
                continue
            path = Path(directory) / name
            if not path.is_file():  # a pipe would block the read, a broken link cannot be read
                continue
            key = _identity(path)
            if key in seen:
                continue
            seen.add(key)
            yield Input(str(path), path, False)
    for error in errors:
        yield InputError(str(error.filename or root), error.strerror or str(error))
