"""Which rules run, how severe they are, and with which options: a ``Config`` applied to a ``Catalogue``.

Selectors are rule ids (``ECS210``), names (``latest-image-tag``), id prefixes (``ECS2``,
``ORG``), consequences (``security``, ``style``...: every rule with that consequence) or
``ALL``.  Within one layer the most specific selector wins (id or name, then the longest
prefix, then a consequence, then ``ALL``) and ``ignore`` wins a tie; the command line's
layer comes after the file's, so ``--select`` starts again from scratch and
``--ignore``/``--extend-select`` adjust what the file chose (ruff's model).
Syntax rules are not narrowed by ``select`` (a file that does not parse is never silently
clean), only by ``ignore``.  A rule marked ``opt_in`` runs only when selected by its exact id
or name; deprecated rules likewise; removed rules never.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from ecslint.catalogue.entries import CONSEQUENCES, Catalogue, Rule
from ecslint.config.globs import compile_glob
from ecslint.config.settings import Config, Layer, OptionValue, RuleRef, did_you_mean
from ecslint.core.errors import ConfigError
from ecslint.core.model import JSON, Severity
from ecslint.readers.inputs import Input, InputError

EXACT = 1000


class Policy(NamedTuple):
    """The engine's view of the configuration."""

    catalogue: Catalogue
    enabled_ids: frozenset[str]
    per_file: tuple[tuple[str, frozenset[str]], ...] = ()
    root: Path = Path(".")

    def enabled(self, rule: Rule) -> bool:
        return rule.id in self.enabled_ids

    def ignored_for(self, path: str) -> frozenset[str]:
        """Rule ids ``per-file-ignores`` turns off for the file reported as ``path``."""
        if not self.per_file:
            return frozenset()
        relative = relative_path(path, self.root)
        ignored: set[str] = set()
        for pattern, ids in self.per_file:
            if compile_glob(pattern).matches(relative):
                ignored |= ids
        return frozenset(ignored)


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (or absolute, when it lies outside)."""
    candidate = Path(path)
    absolute = candidate if candidate.is_absolute() else Path.cwd() / candidate
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        try:
            return absolute.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            return absolute.as_posix()


def specificity(key: str, rule: Rule) -> int | None:
    """How specifically ``key`` names ``rule``: None (not at all), 0 (ALL), 1 (its consequence),
    1 + a prefix's length, or EXACT."""
    if key.upper() == "ALL":
        return 0
    if key.upper() == rule.id or key.lower() == rule.name:
        return EXACT
    if key.lower() == rule.consequence:
        return 1
    if rule.id.startswith(key.upper()) and key[:1].isalpha():
        return 1 + len(key)
    return None


def _matches(ref: RuleRef, catalogue: Catalogue, *, exact: bool = False) -> list[Rule]:
    levels = [(rule, specificity(ref.key, rule)) for rule in catalogue.rules]
    found = [rule for rule, level in levels if level is not None and (level == EXACT or not exact)]
    if not found:
        what = "rule id or name" if exact else "rule id, name or prefix"
        choices = [*catalogue.by_id, *catalogue.by_name, *([] if exact else CONSEQUENCES)]
        hint = did_you_mean(ref.key, choices) or "; `ecslint rules` lists them"
        raise ConfigError(f"{ref.where}: unknown {what} {ref.key!r}{hint}")
    return found


def _default(rule: Rule) -> bool:
    return rule.status not in ("removed", "deprecated") and not rule.opt_in


def _enabled(rule: Rule, layers: Iterable[Layer]) -> bool:
    state = _default(rule)
    for layer in layers:
        if layer.select is not None and rule.layer != "syntax":
            state = False
        best: tuple[int, bool] | None = None
        for refs, turn_on in ((layer.select or ()), True), (layer.extend_select, True), (layer.ignore, False):
            for ref in refs:
                level = specificity(ref.key, rule)
                if level is None:
                    continue
                if turn_on and level < EXACT and not _default(rule):
                    continue  # opt-in and deprecated rules need their exact id or name
                candidate = (level, not turn_on)  # ignore wins a tie
                if best is None or candidate > best:
                    best = candidate
        if best is not None:
            state = not best[1]
    return state and rule.status != "removed"


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "null"


def _options(rule: Rule, values: list[OptionValue]) -> dict[str, JSON]:
    options = dict(rule.options)
    for entry in values:
        if entry.option not in options:
            known = ", ".join(sorted(options)) or "none"
            hint = did_you_mean(entry.option, options)
            raise ConfigError(f"{entry.where}: {rule.id} has no option {entry.option!r}{hint} (its options: {known})")
        default = options[entry.option]
        if default is not None and _json_kind(default) != _json_kind(entry.value):
            raise ConfigError(
                f"{entry.where}: {rule.id} option {entry.option} must be {_json_kind(default)}, "
                f"not {_json_kind(entry.value)}"
            )
        options[entry.option] = entry.value
    return options


def configure(catalogue: Catalogue, config: Config) -> Policy:
    """Check every rule reference in ``config`` against ``catalogue`` and apply it."""
    for layer in config.layers:
        for ref in (*(layer.select or ()), *layer.extend_select, *layer.ignore):
            _matches(ref, catalogue)
    severities: dict[str, tuple[int, Severity]] = {}
    for ref, severity in config.severity:
        for rule in _matches(ref, catalogue):
            level = specificity(ref.key, rule) or 0
            if rule.id not in severities or level >= severities[rule.id][0]:
                severities[rule.id] = (level, severity)
    option_values: dict[str, list[OptionValue]] = {}
    for entry in config.rule_options:
        for rule in _matches(entry.rule, catalogue, exact=True):
            option_values.setdefault(rule.id, []).append(entry)
    rules: list[Rule] = []
    for rule in catalogue.rules:
        changes: dict[str, object] = {}
        if rule.id in severities:
            changes["severity"] = severities[rule.id][1]
            if rule.consumers:  # the user's severity holds whoever registers the file
                changes["consumers"] = {name: c._replace(severities={}) for name, c in rule.consumers.items()}
            if rule.severities:  # and whatever the message variant
                changes["severities"] = {}
        if rule.id in option_values:
            changes["options"] = _options(rule, option_values[rule.id])
        rules.append(rule._replace(**changes) if changes else rule)  # type: ignore[arg-type]
    configured = Catalogue(rules) if any(r is not o for r, o in zip(rules, catalogue.rules, strict=True)) else catalogue
    enabled = frozenset(rule.id for rule in configured.rules if _enabled(rule, config.layers))
    per_file = tuple(
        (pattern, frozenset(rule.id for ref in refs for rule in _matches(ref, catalogue)))
        for pattern, refs in config.per_file_ignores
    )
    return Policy(configured, enabled, per_file, config.root)


def selected(items: Iterable[Input | InputError], config: Config) -> Iterator[Input | InputError]:
    """``include``/``exclude`` applied: to walked files, and to named ones with ``force-exclude``."""
    if not config.include and not config.exclude:
        yield from items
        return
    from ecslint.config.globs import matches_any

    for item in items:
        if isinstance(item, InputError) or item.path is None or (item.explicit and not config.force_exclude):
            yield item
            continue
        relative = relative_path(item.display, config.root)
        if config.exclude and matches_any(relative, config.exclude):
            continue
        if config.include and not matches_any(relative, config.include):
            continue
        yield item
