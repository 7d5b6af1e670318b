"""Applying fixes to a file's text, and writing the result atomically.

Fixes are replacements of code-point ranges of the decoded text.  Only fixes marked safe
are applied, unless the unsafe tier is asked for too (``--unsafe-fixes``: the type
conversions and key renames the hints spell out); overlapping ones are skipped (the next run
picks them up).  Everything else in
the file stays as it was: indentation, key order, line endings, non-ASCII text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ecslint.core.model import JSON, Finding, Replacement


def safe_replacements(findings: Iterable[Finding]) -> list[Replacement]:
    """The replacements of every safe fix, in order, without overlaps."""
    return [replacement for _, replacement in chosen_replacements(findings)]


def chosen_replacements(findings: Iterable[Finding], *, unsafe: bool = False) -> list[tuple[str, Replacement]]:
    """(rule id, replacement) of every fix applied: safe ones (and unsafe ones with ``unsafe``),
    in order, without overlaps."""
    candidates = sorted(
        ((f.rule_id, r) for f in findings if f.fix is not None and (f.fix.safe or unsafe) for r in f.fix.replacements),
        key=lambda item: (item[1].start, item[1].end),
    )
    chosen: list[tuple[str, Replacement]] = []
    end = -1
    for rule_id, replacement in candidates:
        if replacement.start < end or (chosen and replacement == chosen[-1][1]):
            continue
        chosen.append((rule_id, replacement))
        end = max(end, replacement.end)
    return chosen


def apply(text: str, replacements: Iterable[Replacement]) -> str:
    """``text`` with the (sorted, non-overlapping) replacements applied."""
    parts: list[str] = []
    position = 0
    for replacement in replacements:
        parts.append(text[position : replacement.start])
        parts.append(replacement.text)
        position = replacement.end
    parts.append(text[position:])
    return "".join(parts)


class UnsafeFixError(Exception):
    """The fixed text does not parse as the original did, or does not hold the intended values."""


def check_fixed(
    path: str, original: JSON | None, fixed: bytes, findings: Sequence[Finding], chosen: list[Replacement]
) -> None:
    """Raise ``UnsafeFixError`` unless ``fixed`` parses with the same reader as the original and
    (when the original parsed) holds the original's data with exactly the applied edits made.

    A fix must never turn a file that parses into one that does not, nor change a value it did
    not mean to (a YAML alias, a neighbouring key).
    """
    import copy
    import json

    from ecslint.core.pointer import parent, resolve, split
    from ecslint.readers.sources import parse

    after = parse(path, fixed)
    if not after.ok:
        raise UnsafeFixError("the fixed file would not parse; please report this")
    if original is None:
        return
    expected = copy.deepcopy(original)
    applied = set(chosen)
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.edits or not applied.issuperset(fix.replacements):
            continue  # not applied (unsafe without --unsafe-fixes, or overlapping another)
        for edit in fix.edits:
            container = resolve(expected, parent(edit.pointer))
            token = split(edit.pointer)[-1]
            if isinstance(container, dict) and edit.at == "key":
                if token in container:
                    container[edit.text] = container.pop(token)
            elif isinstance(container, dict):
                container[token] = json.loads(edit.text)
            elif isinstance(container, list) and token.isdigit() and int(token) < len(container):
                container[int(token)] = json.loads(edit.text)
    if after.data != expected:
        raise UnsafeFixError("the fixed file would not hold the intended values; please report this")


class FileChangedError(Exception):
    """The file changed on disk while it was being checked: it is not overwritten."""


def _holds(path: Path, expected: bytes) -> bool:
    """Whether the file still holds ``expected``: its size first, so a file that grew is not read."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size != len(expected):
            return False
        return handle.read(len(expected) + 1) == expected


def write_atomically(path: Path, data: bytes, expected: bytes) -> None:
    """Replace ``path`` with ``data`` unless its content is no longer ``expected``.

    The new content goes to a temporary file in the same folder (same file system), takes the
    original's permissions, and is renamed over the original: a reader never sees half a file.
    """
    import tempfile

    if not _holds(path, expected):
        raise FileChangedError(f"{path} changed while it was being checked; not fixed")
    mode = path.stat().st_mode & 0o7777
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".ecslint", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if not _holds(path, expected):
            raise FileChangedError(f"{path} changed while it was being checked; not fixed")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
