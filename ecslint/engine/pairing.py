"""Pairing across the files of a run: services and run-task requests with the task definitions they name.

``aws ecs create-service --cli-input-json file://service.json`` names its task definition by
family (``web``, ``web:42`` or an ARN); the task definition is usually another file of the same
repository.  While the run checks its files, ``note`` records which families each file defines
and which files hold usages that name one; once every file is checked, ``results`` checks each
such usage against the task definition it names, when exactly one file of the run defines that
family (the one in the usage's own folder, when several do).  Only the few files involved are
read again, so a run without services or run-task files pays nothing.

Terraform pairs by module, not by run: an ``aws_ecs_service`` whose ``task_definition`` refers to
an ``aws_ecs_task_definition`` of another ``.tf`` file is checked with the one resource of that
name among the ``.tf`` files of its folder (Terraform's module), read from disk whether or not they
are in the run (``_module``): once per folder, and only when such a service is checked.
"""

from __future__ import annotations

import os
import re
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
        self._modules: dict[str | None, list[Document]] = {}  # folder -> the module's task definitions
        self._unsaved: list[tuple[str, bytes]] = []  # .tf files of the run read from standard input

    def note(self, item: Item, display: str, path: str | None, result: FileResult, raw: bytes, explicit: bool) -> None:
        """Record one checked file.  ``path`` None: standard input, whose bytes are kept."""
        kept = raw if path is None else None
        if kept is not None and display.endswith(".tf"):
            self._unsaved.append((display, kept))
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
            find = self._task if not display.endswith(".tf") else self._terraform_task
            task = partial(find, folder=folder, found=found)
            result = self.engine.check_usages(display, raw, task, explicit=explicit)
            if not found:
                continue  # nothing to pair with in this run: the file was checked once, and that is all
            result.is_task_definition = False  # counted once, when it was checked first
            yield item, result, raw

    def _task(self, reference: str, folder: str | None, found: list[Document]) -> Document | None:
        task = self._find(reference, folder)
        if task is not None:
            found.append(task)
        return task

    def _terraform_task(self, reference: str, folder: str | None, found: list[Document]) -> Document | None:
        from ecslint.readers.terraform import is_task_reference, resolve

        if not is_task_reference(reference):
            return self._task(reference, folder, found)  # a family or an ARN (an event target's): by family
        if folder not in self._modules:
            self._modules[folder] = _module(folder) if folder is not None else _unsaved_module(self._unsaved)
        task = resolve(reference, self._modules[folder])
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


# Terraform's module: the .tf files of one folder, without hidden files and editor backups
# (docs/facts.md 20); override files are merged into the resources they name again.
_TASK_RESOURCE = rb'resource\s+"?aws_ecs_task_definition"?\s'  # compiled on first use (re caches it)


def _module(folder: str) -> list[Document]:
    """The task definitions of the module in ``folder``, each file read as a checked file is
    (bounded by the size limit; a file that is not a regular file, cannot be read or does not
    parse is left out without a finding: the run reports it when it is one of its files).  A
    resource an override file (``override.tf``, ``*_override.tf``) also declares is left out:
    Terraform merges the two, and the result is not this reader's to guess."""
    try:
        with os.scandir(folder or ".") as entries:
            names = sorted(entry.name for entry in entries if _is_configuration(entry.name) and entry.is_file())
    except OSError:
        return []
    files: list[tuple[str, bytes]] = []
    for name in names:
        path = os.path.join(folder, name)
        raw = _read(path)
        if raw is not None and re.search(_TASK_RESOURCE, raw):  # the cheap test before the parser
            files.append((path, raw))
    return _task_definitions(files)


def _unsaved_module(files: list[tuple[str, bytes]]) -> list[Document]:
    """Standard input's module: the .tf files the run read from standard input (catalogue examples)."""
    return _task_definitions([(name, raw) for name, raw in files if re.search(_TASK_RESOURCE, raw)])


def _task_definitions(files: list[tuple[str, bytes]]) -> list[Document]:
    found: list[Document] = []
    overridden: set[str | None] = set()
    for path, raw in files:
        parsed = parse(path, raw)
        tasks = [doc for doc in documents(parsed) or [] if doc.origin == "terraform"]
        if _is_override(os.path.basename(path)):
            overridden.update(doc.label for doc in tasks)
        else:
            found.extend(tasks)
    return [doc for doc in found if doc.label not in overridden]


def _is_configuration(name: str) -> bool:
    return name.endswith(".tf") and not (
        name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
    )


def _is_override(name: str) -> bool:
    stem = name[: -len(".tf")]
    return stem == "override" or stem.endswith("_override")
