"""A cache of parsed rule files, so a source checkout does not re-parse YAML at every start.

Parsing the catalogue's YAML costs a quarter of a second; the cache holds the parsed
mappings as JSON in the user's cache folder (``$XDG_CACHE_HOME/ecslint`` or
``~/.cache/ecslint``), under a key made of every rule file's path, size and modification
time, so an edited rule is re-read at once.  ``ECSLINT_NO_CACHE=1`` turns it off.  A cache
that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

_VERSION = "1"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ecslint"


def _key(files: list[Path]) -> str:
    digest = hashlib.sha256(_VERSION.encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def cached_rule_mappings(directory: Path) -> list[tuple[str, dict[str, Any]]] | None:
    """(source, parsed mapping) for every rule file under ``directory``, or None to parse them."""
    if os.environ.get("ECSLINT_NO_CACHE"):
        return None
    try:
        files = sorted(directory.rglob("*.yaml"))
        cache = cache_dir() / f"catalogue-{_key(files)}.json"
    except OSError:
        return None
    try:
        entries = json.loads(cache.read_text("utf-8"))
        return [(str(source), raw) for source, raw in entries]
    except (OSError, ValueError, TypeError):
        pass
    entries = _parse(files)
    if entries is not None:
        _write(cache, entries)
    return entries


def _parse(files: list[Path]) -> list[tuple[str, dict[str, Any]]] | None:
    """The files' mappings; None when one of them is not a plain mapping (let the loader explain)."""
    from ecslint.readers.yamlio import safe_yaml

    yaml = safe_yaml()
    entries: list[tuple[str, dict[str, Any]]] = []
    for path in files:
        try:
            raw = yaml.load(path.read_text("utf-8"))
        except Exception:  # a broken rule file: the uncached loader reports it with its position
            return None
        if not isinstance(raw, dict):
            return None
        entries.append((str(path), raw))
    return entries


def _write(cache: Path, entries: list[tuple[str, dict[str, Any]]]) -> None:
    try:
        text = json.dumps(entries, ensure_ascii=False)
        cache.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".catalogue-", suffix=".json")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, cache)
        for stale in cache.parent.glob("catalogue-*.json"):
            if stale != cache:
                stale.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        return
