"""Pairing across the files of a run: services and run-task requests with the task definitions they name.

``aws ecs create-service --cli-input-json file://service.json`` names its task definition by
family (``web``, ``web:42`` or an ARN); the task definition is usually another file of the same
repository.  While the run checks its files, ``note`` records which families each file defines
and which files hold usages that name one; once every file is checked, ``results`` checks each
such usage against the task definition it names, when exactly one file of the run defines that
family (the one in the usage's own folder, when several do).  Only the few files involved are
read again, so a run without services or run-task files pays nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from typing import Generic, TypeVar

from ecslint.core.taskdef import is_unknown
from ecslint.engine.pipeline import Engine, FileResult
from ecslint.readers.document import Document
from ecslint.readers.inputs import read
from ecslint.readers.sources import MAX_FILE_BYTES, documents, parse

Item = TypeVar("Item")


def family_of(reference: str) -> str | None:
    """The family a ``taskDefinition`` reference names: ``web``, ``web:42`` or an ARN ending in ``/web:42``."""
    if is_unknown(reference):
        return None
    name = reference
    if reference.startswith("arn:"):
        _, found, name = reference.partition(":task-definition/")
        if not found:
            return None
    family, _, revision = name.partition(":")
    if revision and not revision.isdecimal():
        return None
    return family or None


class Pairing(Generic[Item]):
    """Collects what pairing needs while files are checked, then checks the usages."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._defined: dict[str, list[tuple[Item, str | None, bytes | None]]] = {}
        self._pending: list[tuple[Item, str, str | None, bytes | None, bool]] = []
        self._documents: dict[int, list[Document]] = {}

    def note(self, item: Item, display: str, path: str | None, result: FileResult, raw: bytes, explicit: bool) -> None:
        """Record one checked file.  ``path`` None: standard input, whose bytes are kept."""
        kept = raw if path is None else None
        for family in result.families:
            self._defined.setdefault(family, []).append((item, path, kept))
        if result.uses:
            self._pending.append((item, display, path, kept, explicit))

    def results(self) -> Iterator[tuple[Item, FileResult, bytes]]:
        """The findings of the checks that needed a task definition from another file."""
        for item, display, path, kept, explicit in self._pending:
            raw = kept if kept is not None else _read(path)
            if raw is None:
                continue
            folder = os.path.dirname(path) if path is not None else None
            found: list[Document] = []
            result = self.engine.check_usages(
                display, raw, partial(self._task, folder=folder, found=found), explicit=explicit
            )
            if not found:
                continue  # nothing to pair with in this run: the file was checked once, and that is all
            result.is_task_definition = False  # counted once, when it was checked first
            yield item, result, raw

    def _task(self, reference: str, folder: str | None, found: list[Document]) -> Document | None:
        task = self._find(reference, folder)
        if task is not None:
            found.append(task)
        return task

    def _find(self, reference: str, folder: str | None) -> Document | None:
        family = family_of(reference)
        candidates = self._defined.get(family, []) if family is not None else []
        if len(candidates) > 1:
            candidates = [c for c in candidates if c[1] is not None and os.path.dirname(c[1]) == folder]
        if len(candidates) != 1:
            return None  # not in this run, or ambiguous: nothing is guessed
        _item, path, kept = candidates[0]
        key = id(candidates[0])
        if key not in self._documents:
            raw = kept if kept is not None else _read(path)
            parsed = parse(path or "-", raw) if raw is not None else None
            self._documents[key] = (documents(parsed) or []) if parsed is not None else []
        return next((doc for doc in self._documents[key] if doc.data.get("family") == family), None)


def _read(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        raw, size = read(path, MAX_FILE_BYTES)  # never more than the limit (it may have grown since)
    except OSError:
        return None  # the file went away since it was checked: its usages stay unpaired
    return raw if size is None else None
