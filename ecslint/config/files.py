"""Finding and reading configuration files, and the positions of their keys and values.

``.ecslint.toml``, ``.ecslint.yaml`` (or ``.yml``) and ``pyproject.toml`` with a
``[tool.ecslint]`` table are looked for in the current directory and then in each parent,
as ruff and pre-commit users expect; the first directory that has one wins.  Nothing is
parsed (and neither tomllib nor ruamel.yaml imported) unless such a file exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ecslint.core.errors import ConfigError

CANDIDATES = (".ecslint.toml", ".ecslint.yaml", ".ecslint.yml", "pyproject.toml")
Step = str | int


class RawConfig(NamedTuple):
    """One configuration file's settings (the ``[tool.ecslint]`` table of a pyproject.toml)."""

    path: Path
    display: str  # the path as messages show it
    data: Mapping[str, object]
    locator: Locator

    def where(self, *path: Step, at_value: bool = False, value: object = None) -> str:
        line, column = self.locator.find(path, at_value=at_value, value=value)
        return f"{self.display}:{line}:{column}"


class Locator:
    """(line, column) of a setting, 1-based; the nearest known ancestor when the exact one is not found."""

    def find(self, path: tuple[Step, ...], *, at_value: bool = False, value: object = None) -> tuple[int, int]:
        raise NotImplementedError


def find(start: Path) -> Path | None:
    """The configuration file that governs ``start`` (a directory), or None."""
    for directory in (start, *start.parents):
        for name in CANDIDATES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _mentions_ecslint(candidate):
                return candidate
    return None


# A [tool.ecslint] header at the start of a line (after spaces, not after blank lines: "\s*" there
# read on through every blank line below each line start, quadratic in a file of blank lines).
_ECSLINT_TABLE = re.compile(r"^[^\S\n]*\[\s*tool\s*\.\s*ecslint\b", re.MULTILINE)


def _mentions_ecslint(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "ecslint" not in text:
        return False
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return _ECSLINT_TABLE.search(text) is not None  # let read() report it
    tool = data.get("tool")
    return isinstance(tool, dict) and "ecslint" in tool


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def read(path: Path) -> RawConfig:
    """Parse one configuration file (safe loading only); syntax errors are ``ConfigError`` with a position."""
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{display}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{display}: cannot read the configuration file: {error}") from None
    if path.suffix in (".yaml", ".yml"):
        return _read_yaml(path, display, text)
    if path.suffix != ".toml":
        raise ConfigError(f"{display}: a configuration file is .toml, .yaml or .yml (or pyproject.toml)")
    return _read_toml(path, display, text)


# -- TOML -----------------------------------------------------------------------------------

_TOML_ERROR = re.compile(r"^(?P<reason>.*?) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_KEY_PART = r"""(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"


@lru_cache(maxsize=1)
def _toml_keys() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Table headers, ``key =`` lines and inline-table keys: compiled when a TOML file is read
    (1.3 ms that a run without one does not pay)."""
    return (
        re.compile(rf"^[ \t]*\[\[?[ \t]*(?P<key>{_DOTTED})[ \t]*\]\]?", re.MULTILINE),
        re.compile(rf"^[ \t]*(?P<key>{_DOTTED})[ \t]*=[ \t]*", re.MULTILINE),
        re.compile(rf"[{{,][ \t]*(?P<key>{_DOTTED})[ \t]*=[ \t]*"),
    )


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, dotted)
    return tuple(part[1:-1] if part[:1] in "\"'" else part for part in parts)


def _read_toml(path: Path, display: str, text: str) -> RawConfig:
    import tomllib

    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_ERROR.match(str(error))
        if match:
            where = f"{display}:{match['line']}:{match['column']}"
            raise ConfigError(f"{where}: invalid TOML: {match['reason']}") from None
        raise ConfigError(f"{display}: invalid TOML: {error}") from None
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "ecslint")
        tool = data.get("tool")
        section = tool.get("ecslint") if isinstance(tool, dict) else None
        if section is None:
            raise ConfigError(f"{display}: has no [tool.ecslint] table")
        if not isinstance(section, dict):
            raise ConfigError(f"{display}: tool.ecslint must be a table")
        data = section
    return RawConfig(path, display, data, _TomlLocator(text, prefix))


class _TomlLocator(Locator):
    """Keys found by a scan of the text: tables, ``key = value`` lines and inline tables."""

    def __init__(self, text: str, prefix: tuple[str, ...]) -> None:
        self.text = text
        self.prefix = prefix
        self.keys: list[tuple[tuple[str, ...], int, int]] = []  # key path, key offset, value offset
        table: tuple[str, ...] = ()
        header, assign, inline_key = _toml_keys()
        for match in sorted([*header.finditer(text), *assign.finditer(text)], key=lambda m: m.start()):
            key = _split_key(match["key"])
            if match.re is header:
                table = key
                self.keys.append((table, match.start("key"), match.end()))
                continue
            full = table + key
            self.keys.append((full, match.start("key"), match.end()))
            line_end = text.find("\n", match.end())
            rest = text[match.end() : line_end if line_end >= 0 else len(text)]
            if rest.startswith("{"):
                for inner in inline_key.finditer(rest):
                    offset = match.end()
                    self.keys.append(
                        (full + _split_key(inner["key"]), offset + inner.start("key"), offset + inner.end())
                    )

    def find(self, path: tuple[Step, ...], *, at_value: bool = False, value: object = None) -> tuple[int, int]:
        names = self.prefix + tuple(str(step) for step in path if not isinstance(step, int))
        while names:
            found = [entry for entry in self.keys if entry[0] == names]
            if found:
                _, key_offset, value_offset = found[0]
                offset = value_offset if at_value else key_offset
                if isinstance(value, str):
                    offset = self._literal(value, value_offset, offset)
                return self._position(offset)
            names = names[:-1]
        return (1, 1)

    def _literal(self, value: str, start: int, default: int) -> int:
        following = [offset for _, offset, _ in self.keys if offset > start]
        end = min(following) if following else len(self.text)
        for quoted in (f'"{value}"', f"'{value}'"):
            found = self.text.find(quoted, start, end)
            if found >= 0:
                return found
        return default

    def _position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return (line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)


# -- YAML -----------------------------------------------------------------------------------


def _read_yaml(path: Path, display: str, text: str) -> RawConfig:
    from ecslint.core.errors import RuleFileError
    from ecslint.readers.yamlio import load_yaml_text

    try:
        data = load_yaml_text(text, display)
    except RuleFileError as error:
        raise ConfigError(str(error)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{display}:1:1: the configuration is a mapping of setting to value")
    return RawConfig(path, display, data, _YamlLocator(text))


class _YamlLocator(Locator):
    def __init__(self, text: str) -> None:
        self.text = text
        self._root: Any = None

    def find(self, path: tuple[Step, ...], *, at_value: bool = False, value: object = None) -> tuple[int, int]:
        from ecslint.readers.yamlio import node_mark, safe_yaml

        if self._root is None:
            self._root = safe_yaml().compose(self.text)
        return node_mark(self._root, path, at_value=at_value, last=False)
