"""Template variables the user declared, substituted into a task definition before it is checked.

A repository's pipeline often renders its task definition before registering it (envsubst,
sed, jq, a render action).  ``--var NAME=VALUE``, ``--vars-file FILE`` and
``[tool.ecslint.variables]`` declare the variables, so ecslint checks what will be registered.
Each declared ``NAME`` is replaced where it is written as ``${NAME}``, ``$NAME``,
``{{ NAME }}``, ``<NAME>``, ``#{NAME}``, ``__NAME__``, ``@NAME@`` or ``%NAME%``, and, when the name is written like
a constant (no lower-case ASCII letter: ``ACCOUNT_ID``, ``アカウントID``), as a bare token too
(``arn:aws:iam::ACCOUNT_ID:role/web``), except in ``name`` members, where ``REGION`` is the
name of an environment variable rather than a placeholder.

A variable declared without a value is known only at deploy time: its occurrences become
``${NAME}``, which every rule treats as an unknown value, and ECS305 does not report it.

A token written where a JSON value belongs (``"cpu": <CPU>``, read by ``sources.py`` as a
``Token``) is replaced by its value parsed as JSON, as the rendered file would hold it:
``--var CPU=256`` gives the number 256, ``--var CPU='"256"'`` the string; a value that is not
JSON (``--var ROLE=arn:aws:iam::...``) is a string.

Substitution works on the parsed string values, never on the text: every pointer still names
the node in the user's file, so positions stay in the user's file.  The pointers of the
strings that changed are returned, so that the engine points at a changed value as a whole
and never writes a substituted value back as a fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from ecslint.core.errors import ConfigError
from ecslint.core.model import JSON, Token

Variables = Mapping[str, "str | None"]

# A name: anything but white space, "=", and the characters the template forms are made of.
_NAME = re.compile(r"^[^\s=${}<>#\"']+$")
_WORD = "A-Za-z0-9_"


class Substitution(NamedTuple):
    data: JSON
    changed: frozenset[str]  # pointers (in the data's own terms) of the strings that changed


def valid_name(name: str) -> bool:
    return _NAME.match(name) is not None


def _bare(name: str) -> bool:
    """Written like a constant, so a bare occurrence is a placeholder: ACCOUNT_ID, アカウントID."""
    return not any("a" <= c <= "z" for c in name) and any(c.isalpha() for c in name) and len(name) > 1


class Substituter:
    """The declared variables, compiled once; ``substitute`` applies them to one document."""

    def __init__(self, variables: Variables) -> None:
        self.variables = dict(variables)
        self.declared = frozenset(self.variables)
        names = sorted(self.variables, key=len, reverse=True)
        alternatives = "|".join(re.escape(name) for name in names)
        bare = "|".join(re.escape(name) for name in names if _bare(name))
        forms = [
            rf"\$\{{(?:{alternatives})\}}",
            rf"\{{\{{\s*(?:{alternatives})\s*\}}\}}",
            rf"<(?:{alternatives})>",
            rf"#\{{(?:{alternatives})\}}",
            rf"__(?:{alternatives})__",
            rf"@(?:{alternatives})@",
            rf"%(?:{alternatives})%",
            rf"\$(?:{alternatives})(?![{_WORD}])",
        ]
        # one pass, so that a substituted ``${NAME}`` (a variable without a value) is not substituted again
        self._forms = re.compile("|".join(forms)) if names else None
        if bare:
            forms.append(rf"(?<![{_WORD}])(?:{bare})(?![{_WORD}])")
        self._with_bare = re.compile("|".join(forms)) if names else None

    def _replacement(self, match: re.Match[str]) -> str:
        text = match.group()
        name = _name_in(text, self.variables)
        value = self.variables.get(name)
        return "${" + name + "}" if value is None else value

    def text(self, value: str, bare: bool = True) -> str:
        pattern = self._with_bare if bare else self._forms
        return pattern.sub(self._replacement, value) if pattern is not None else value

    def substitute(self, data: JSON) -> Substitution:
        changed: set[str] = set()
        return Substitution(self._walk(data, "", changed), frozenset(changed))

    def _walk(self, value: JSON, pointer: str, changed: set[str]) -> JSON:
        if isinstance(value, Token):
            return self._token(value, pointer, changed)
        if isinstance(value, str):
            new = self.text(value, bare=not pointer.endswith("/name"))
            if new != value:
                changed.add(pointer)
            return new
        if isinstance(value, dict):
            return {
                key: self._walk(item, pointer + "/" + key.replace("~", "~0").replace("/", "~1"), changed)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self._walk(item, f"{pointer}/{index}", changed) for index, item in enumerate(value)]
        return value

    def _token(self, token: Token, pointer: str, changed: set[str]) -> JSON:
        """A token written where a JSON value belongs (``"cpu": <CPU>``): a declared value is
        parsed as the JSON text the rendered file holds there (``256`` a number); a value that
        is not JSON is a string.  Undeclared or declared without a value, it stays unknown."""
        name = _name_in(token.written, self.variables)
        if name not in self.variables:
            return token
        value = self.variables[name]
        if value is None:
            return Token("${" + name + "}", token.written)
        changed.add(pointer)
        try:
            parsed: JSON = json.loads(value)
        except ValueError:
            return value
        return parsed


def _name_in(text: str, variables: Variables) -> str:
    """The variable a matched form names: ``${X}``, ``{{ X }}``, ``<X>``, ``#{X}``, ``__X__``, ``@X@``,
    ``%X%``, ``$X`` or ``X``."""
    if text in variables:
        return text
    for start, end in (("${", "}"), ("{{", "}}"), ("<", ">"), ("#{", "}"), ("__", "__"), ("@", "@"), ("%", "%")):
        if text.startswith(start) and text.endswith(end):
            inner = text[len(start) : len(text) - len(end)].strip()
            if inner in variables:
                return inner
    return text[1:]  # $X


# -- declaring variables ------------------------------------------------------------------


def assignment(text: str, where: str) -> tuple[str, str | None]:
    """``NAME=VALUE`` -> (NAME, VALUE); ``NAME`` alone -> (NAME, None): declared, value unknown."""
    name, equals, value = text.partition("=")
    name = name.strip()
    if not valid_name(name):
        raise ConfigError(f"{where}: {name or text!r} is not a variable name (expected NAME=VALUE or NAME)")
    return name, (value if equals else None)


def read_vars_file(path: Path) -> dict[str, str | None]:
    """A vars file: a JSON object (string values; null: no value), or dotenv lines ``NAME=VALUE``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"--vars-file: cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--vars-file: {path} is not UTF-8 text") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return _json_vars(path, text)
    return _dotenv_vars(path, text)


def _json_vars(path: Path, text: str) -> dict[str, str | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a JSON vars file must hold an object of NAME: value")
    found: dict[str, str | None] = {}
    for name, value in data.items():
        if not valid_name(name):
            raise ConfigError(f"{path}: {name!r} is not a variable name")
        if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
            kind = type(value).__name__
            raise ConfigError(f"{path}: {name}: the value must be a string, a number or null, not {kind}")
        found[name] = None if value is None else str(value)
    return found


def _dotenv_vars(path: Path, text: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        name, value = assignment(stripped, f"{path}:{number}")
        if value is not None:
            value = _dotenv_value(value.strip())
        found[name] = value
    return found


def _dotenv_value(value: str) -> str:
    """A dotenv value: quotes around it removed; after an unquoted value, `` # comment`` removed."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    comment = value.find(" #")
    return value[:comment].rstrip() if comment >= 0 else value
