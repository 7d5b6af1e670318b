"""Where the bundled data lives: the rule catalogue and the generated JSON Schema.

In a wheel they are copied into ``ecslint/_data``; in a source checkout (and an editable
install) they are the top-level ``rules/`` and ``schemas/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _data_dir(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def rules_dir() -> Path:
    return _data_dir("rules")


def schemas_dir() -> Path:
    return _data_dir("schemas")


def compiled_file(name: str) -> Path | None:
    """A file compiled into the wheel at build time (``ecslint/_data/<name>``, see hatch_build.py);
    None in a source checkout or an editable install."""
    path = _PACKAGE / "_data" / name
    return path if path.is_file() else None


def compiled_catalogue() -> list[tuple[str, dict[str, object]]] | None:
    """The catalogue compiled into the wheel at build time: (source, rule mapping) pairs.

    None in a source checkout or an editable install, where the YAML files are read instead.
    """
    path = _PACKAGE / "_data" / "catalogue.json"
    if not path.is_file():
        return None
    import json

    entries = json.loads(path.read_text("utf-8"))
    return [(str(entry["source"]), entry["rule"]) for entry in entries]
