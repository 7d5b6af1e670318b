"""A baseline: today's findings, recorded so that a run reports only new ones.

``ecslint check --write-baseline FILE`` records every finding; ``--baseline FILE`` drops
the findings it records.  An entry is the rule id, the file (relative to the baseline's
folder, POSIX), the finding's JSON pointer and a fingerprint of the value there: no line
or column, so inserting lines or reformatting the file keeps matching, while changing the
offending value makes the finding new again.  Writing again keeps only what still fires,
so a fixed finding drops out.

The fingerprint covers every value the finding names: the one at its pointer and those at
the pointers it depends on (``Finding.depends``: the ``cpu`` of a Fargate memory finding), so
a recorded "memory 4096 is not offered with cpu 256" is new again once cpu is 16384.  Format 2
writes that fingerprint; a format-1 file (value at the pointer only) is still read, and its
entries are matched by the value at the pointer, as they were written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ecslint.config.selection import relative_path
from ecslint.core.errors import UsageError
from ecslint.core.model import JSON, Finding
from ecslint.core.pointer import MISSING, resolve

FORMAT = "ecslint-baseline"
VERSION = 2
READABLE_VERSIONS = (1, 2)


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    rule: str
    path: str
    pointer: str
    fingerprint: str
    legacy: bool = False  # from a format-1 file: the fingerprint is of the pointed value only


def _value_text(data: JSON | None, pointer: str) -> str:
    value = resolve(data, pointer) if data is not None else MISSING
    if value is MISSING:
        return "missing"
    if isinstance(value, dict):
        return "object:" + json.dumps(sorted(value), ensure_ascii=False)
    if isinstance(value, list):
        return "array"
    return json.dumps(value, ensure_ascii=False)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def value_fingerprint(data: JSON | None, pointer: str, depends: tuple[str, ...] = ()) -> str:
    """A short hash of what sits at ``pointer`` (a scalar's value, an object's keys, or "array")
    and at each of the ``depends`` pointers; without ``depends`` it is the format-1 fingerprint."""
    text = _value_text(data, pointer)
    for other in depends:
        text += "\x00" + other + "=" + _value_text(data, other)
    return _digest(text)


def entry(finding: Finding, data: JSON | None, base: Path) -> Entry:
    fingerprint = value_fingerprint(data, finding.pointer, finding.depends)
    return Entry(finding.rule_id, relative_path(finding.path, base), finding.pointer, fingerprint)


def _legacy_entry(finding: Finding, data: JSON | None, base: Path) -> Entry:
    fingerprint = value_fingerprint(data, finding.pointer)
    return Entry(finding.rule_id, relative_path(finding.path, base), finding.pointer, fingerprint, legacy=True)


def write(path: Path, findings: Iterable[tuple[Finding, JSON | None]]) -> int:
    """Record ``findings`` in ``path``; returns how many."""
    base = path.absolute().parent
    rows = sorted((entry(finding, data, base), finding.message) for finding, data in findings)
    document = {
        FORMAT: VERSION,
        "findings": [
            {"rule": e.rule, "path": e.path, "pointer": e.pointer, "fingerprint": e.fingerprint, "message": message}
            for e, message in rows
        ],
    }
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot write the baseline: {error.strerror or error}") from None
    return len(rows)


def read(path: Path) -> Counter[Entry]:
    """The entries of a baseline file; a missing or malformed one is an error (exit 2)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline not found (write one with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the baseline: {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}:{error.lineno}:{error.colno}: the baseline is not valid JSON: {error.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list) or FORMAT not in document:
        raise UsageError(f'{path}: not an ecslint baseline (expected {{"{FORMAT}": {VERSION}, "findings": [...]}})')
    version = document[FORMAT]
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise UsageError(
            f"{path}: baseline format {json.dumps(version)} is not one this ecslint reads "
            f"({', '.join(map(str, READABLE_VERSIONS))}); write it again with --write-baseline {path}"
        )
    entries: Counter[Entry] = Counter()
    for number, item in enumerate(document["findings"], 1):
        fields = ("rule", "path", "pointer", "fingerprint")
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in fields):
            raise UsageError(f"{path}: finding {number} needs the strings rule, path, pointer and fingerprint")
        entries[Entry(item["rule"], item["path"], item["pointer"], item["fingerprint"], legacy=version == 1)] += 1
    return entries


def new_findings(
    findings: Sequence[tuple[Finding, JSON | None]], baseline: Counter[Entry], base: Path
) -> list[Finding]:
    """The findings the baseline does not record (each entry absorbs one finding)."""
    remaining = Counter(baseline)
    has_legacy = any(key.legacy for key in remaining)
    kept: list[Finding] = []
    for finding, data in findings:
        key = entry(finding, data, base)
        if remaining[key] <= 0 and has_legacy:
            key = _legacy_entry(finding, data, base)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(finding)
    return kept
