"""The effective catalogue: built-in rules, plugin rules and the user's rule folders.

Custom rule files use the built-in catalogue's format.  A broken file (bad YAML, a missing
field, an id that a built-in rule already has, a ``check`` nobody registered, a schema that
does not compile) is an error naming its path, line and column; the other rules still load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ecslint.catalogue.entries import Catalogue, Rule, builtin, load_file, located
from ecslint.core.errors import RuleFileError

SUFFIXES = (".yaml", ".yml")


class RuleSet(NamedTuple):
    catalogue: Catalogue
    errors: tuple[str, ...] = ()  # "path:line:col: message", one per broken rule file
    warnings: tuple[str, ...] = ()
    custom: tuple[Rule, ...] = ()


def rule_files(directory: Path) -> list[Path]:
    """The rule files below ``directory``, symbolic links to folders not followed; a folder that
    cannot be listed, or vanishes during the walk, is passed over."""
    import os

    found: list[Path] = []
    for folder, _, names in os.walk(directory, onerror=lambda error: None):
        for name in names:
            if os.path.splitext(name)[1] in SUFFIXES:
                path = Path(folder, name)
                if path.is_file():
                    found.append(path)
    return sorted(found)


def load_custom(directories: Iterable[Path], base: Catalogue) -> tuple[list[Rule], list[str]]:
    """Rules from ``directories`` that can run beside ``base``, and an error line for each broken file."""
    rules: list[Rule] = []
    errors: list[str] = []
    ids: dict[str, str] = {rule.id: "a built-in rule" for rule in base.rules}
    names: dict[str, str] = {rule.name: "a built-in rule" for rule in base.rules}
    seen: set[Path] = set()
    for directory in directories:
        for path in rule_files(directory):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                rule = load_file(path)
                _check_runnable(rule)
                if rule.id in ids:
                    raise RuleFileError("", field=("id",), detail=f"id {rule.id} is already used by {ids[rule.id]}")
                if rule.name in names:
                    raise RuleFileError(
                        "", field=("name",), detail=f"name {rule.name} is already used by {names[rule.name]}"
                    )
            except RuleFileError as error:
                if not path.exists():
                    continue  # removed while the folder was walked: nothing to load
                errors.append(str(_with_position(error, path)))
                continue
            ids[rule.id] = str(path)
            names[rule.name] = str(path)
            rules.append(rule)
    return rules, errors


def _with_position(error: RuleFileError, path: Path) -> RuleFileError:
    if str(error).startswith(f"{path}:") and str(error)[len(str(path)) + 1 : len(str(path)) + 2].isdigit():
        return error  # load_file placed it already
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return error
    return located(error, path, text)


# What a declarative rule's message may name (see ecslint.catalogue.declarative._params), besides its options.
DECLARATIVE_FIELDS = frozenset({"value", "pointer", "container", "index", "family"})
_PLACEHOLDER = re.compile(r"^(?![0-9]+$)[A-Za-z0-9_][A-Za-z0-9_-]*$")


def _check_templates(rule: Rule) -> None:
    """Every placeholder of every message and hint is a plain name the rule provides; a template
    that ``str.format_map`` would fail on at check time is refused when the rule loads."""
    from string import Formatter

    provided = None if rule.check is not None else DECLARATIVE_FIELDS | set(rule.options)
    for key, texts in (("message", rule.messages), ("hint", rule.hints)):
        for variant, template in texts.items():
            field = (key,) if variant == "default" and len(texts) == 1 else (key, variant)
            try:
                parts = list(Formatter().parse(template))
            except ValueError as error:
                detail = f"'{key}' is not a valid template ({error}); write a literal brace as {{{{ or }}}}"
                raise RuleFileError("", field=field, detail=detail) from None
            for _, name, spec, conversion in parts:
                if name is None:
                    continue
                if not _PLACEHOLDER.match(name):
                    detail = f"'{key}': placeholder {{{name}}} must be a plain name such as {{container}} or {{value}}"
                    raise RuleFileError("", field=field, detail=detail)
                if spec or conversion not in (None, "s", "r", "a"):  # a format depends on the value's type
                    shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                    detail = f"'{key}': placeholder {{{shown}}} takes no format; write {{{name}}} (or {{{name}!r}})"
                    raise RuleFileError("", field=field, detail=detail)
                if provided is not None and name not in provided:
                    known = ", ".join(f"{{{known}}}" for known in sorted(provided))
                    detail = f"'{key}': placeholder {{{name}}} is not a value this rule provides ({known})"
                    raise RuleFileError("", field=field, detail=detail)


def _check_examples(rule: Rule) -> None:
    """Every text example names a text encoding that can write its text (``rules test`` writes it)."""
    import codecs

    for index, example in enumerate(rule.examples):
        at = ("examples", index, "encoding")
        try:
            known = getattr(codecs.lookup(example.encoding), "_is_text_encoding", True)
        except LookupError:
            known = False
        if not known:
            detail = f"example {index + 1}: 'encoding' {example.encoding!r} is not a text encoding"
            raise RuleFileError("", field=at, detail=detail)
        if example.text is not None:
            try:
                example.text.encode(example.encoding)
            except UnicodeEncodeError as error:
                detail = f"example {index + 1}: its text cannot be written in {example.encoding} ({error.reason})"
                raise RuleFileError("", field=at, detail=detail) from None


def _check_runnable(rule: Rule) -> None:
    from ecslint import checks
    from ecslint.catalogue.declarative import validate

    _check_templates(rule)
    _check_examples(rule)
    if rule.check is not None and not any(
        find(rule.check) for find in (checks.get, checks.get_usage, checks.get_account)
    ):
        raise RuleFileError(
            "", field=("check",), detail=f"check {rule.check!r} is not registered (by ecslint or an installed plugin)"
        )
    validate(rule)


def build(rules_dirs: Iterable[Path] = (), *, plugins: bool = True) -> RuleSet:
    """Built-in + plugin + custom rules, with the errors and warnings met on the way."""
    base = builtin()
    plugin_dirs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    if plugins:
        from ecslint.catalogue import plugins as plugin_loader

        loaded = plugin_loader.load()
        plugin_dirs, warnings = loaded.rule_dirs, loaded.warnings
    custom, errors = load_custom([*plugin_dirs, *rules_dirs], base)
    catalogue = Catalogue([*base.rules, *custom]) if custom else base
    return RuleSet(catalogue, tuple(errors), warnings, tuple(custom))
