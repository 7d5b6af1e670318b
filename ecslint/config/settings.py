"""Configuration: a file (found by walking up, or ``--config FILE``) plus command-line flags -> ``Config``.

Settings are declared once, as data (``SETTINGS``), with their type and default; a value of
the wrong type, an unknown setting or a bad glob is a ``ConfigError`` that names the file,
line and column and, where it can, what was probably meant.  Rule ids and names are only
checked against the catalogue later (``selection.py``), once custom rules are loaded, but
each keeps the place it was written so that error can point there too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ecslint.config.files import RawConfig, Step
from ecslint.core.errors import ConfigError
from ecslint.core.model import JSON, Severity

FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "json", "sarif", "github", "concise", "gitlab", "junit")


class RuleRef(NamedTuple):
    """A rule id, name or prefix as the user wrote it, and where (``path:line:col`` or ``--select``)."""

    key: str
    where: str


class Layer(NamedTuple):
    """One level of rule selection: the file's, then the command line's on top of it (as ruff does)."""

    select: tuple[RuleRef, ...] | None = None
    extend_select: tuple[RuleRef, ...] = ()
    ignore: tuple[RuleRef, ...] = ()


class OptionValue(NamedTuple):
    rule: RuleRef
    option: str
    value: JSON
    where: str


class Config(NamedTuple):
    path: Path | None = None  # the file the settings came from; None: defaults only
    root: Path = Path()  # relative globs and paths start here (the current directory by default)
    layers: tuple[Layer, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[RuleRef, ...]], ...] = ()
    severity: tuple[tuple[RuleRef, Severity], ...] = ()
    rule_options: tuple[OptionValue, ...] = ()
    fail_on: str = "error"
    format: str = "text"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    rules_dirs: tuple[Path, ...] = ()
    baseline: Path | None = None
    report_unused_ignores: bool = False
    # declared template variables: name -> value, or None when the value is known only at deploy time
    variables: tuple[tuple[str, str | None], ...] = ()
    target: str | None = None  # who registers the files (docs/consumers.md); None: each file's kind decides

    def with_overrides(
        self,
        *,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        fail_on: str | None = None,
        output_format: str | None = None,
        rules_dirs: Sequence[Path] | None = None,
        exclude: Sequence[str] | None = None,
        baseline: Path | None = None,
        report_unused_ignores: bool | None = None,
        variables: Sequence[str] | None = None,
        vars_files: Sequence[Path] | None = None,
        target: str | None = None,
    ) -> Config:
        """The command line on top of the file: a flag given replaces (``--select``) or adds to the setting."""
        changes: dict[str, object] = {}
        layer = Layer(
            _flag_refs(select, "--select") if select else None,
            _flag_refs(extend_select, "--extend-select"),
            _flag_refs(ignore, "--ignore"),
        )
        if layer != Layer():
            changes["layers"] = (*self.layers, layer)
        if fail_on is not None:
            changes["fail_on"] = _choice(fail_on, FAIL_ON, "--fail-on")
        if output_format is not None:
            changes["format"] = _choice(output_format, FORMATS, "--format")
        if rules_dirs:
            changes["rules_dirs"] = (*self.rules_dirs, *(_existing_dir(path, "--rules") for path in rules_dirs))
        if exclude:
            for pattern in exclude:
                _check_glob(pattern, "--exclude")
            changes["exclude"] = (*self.exclude, *exclude)
        if baseline is not None:
            changes["baseline"] = baseline
        if report_unused_ignores:
            changes["report_unused_ignores"] = True
        if target is not None:
            from ecslint.catalogue.entries import CONSUMERS

            changes["target"] = _choice(target, CONSUMERS, "--target")
        if variables or vars_files:
            changes["variables"] = _declared_variables(self.variables, variables or (), vars_files or ())
        return self._replace(**changes)  # type: ignore[arg-type]


def _declared_variables(
    configured: tuple[tuple[str, str | None], ...], assignments: Sequence[str], files: Sequence[Path]
) -> tuple[tuple[str, str | None], ...]:
    """The configuration's variables, then each ``--vars-file``'s, then each ``--var``: later ones win."""
    from ecslint.readers.variables import assignment, read_vars_file

    merged = dict(configured)
    for path in files:
        merged.update(read_vars_file(path))
    for text in assignments:
        name, value = assignment(text, "--var")
        merged[name] = value
    return tuple(merged.items())


def _flag_refs(values: Sequence[str] | None, flag: str) -> tuple[RuleRef, ...]:
    refs: list[RuleRef] = []
    for value in values or ():
        refs.extend(RuleRef(part.strip(), flag) for part in value.replace(" ", ",").split(",") if part.strip())
    return tuple(refs)


def _choice(value: str, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}")
    return value


def _existing_dir(path: Path, where: str) -> Path:
    if not path.is_dir():
        raise ConfigError(f"{where}: {path} is not a directory")
    return path


def _check_glob(pattern: str, where: str) -> str:
    from ecslint.config.globs import compile_glob

    try:
        compile_glob(pattern)
    except ValueError as error:
        raise ConfigError(f"{where}: bad glob {pattern!r}: {error}") from None
    return pattern


def did_you_mean(word: str, choices: object) -> str:
    import difflib  # only on the error path: it costs 2 ms to import

    options = [str(choice) for choice in choices]  # type: ignore[attr-defined]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.replace("_", "-").lower(), options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# -- reading one file ---------------------------------------------------------------------


class _Reader:
    """Converts a ``RawConfig`` into ``Config`` fields, raising ``ConfigError`` with positions."""

    def __init__(self, raw: RawConfig) -> None:
        self.raw = raw
        self.root = raw.path.resolve().parent

    def fail(self, message: str, *path: Step, at_value: bool = False, value: object = None) -> ConfigError:
        return ConfigError(f"{self.raw.where(*path, at_value=at_value, value=value)}: {message}")

    def string(self, key: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string, not {_type_name(value)}", key, at_value=True)
        return value

    def boolean(self, key: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false, not {_type_name(value)}", key, at_value=True)
        return value

    def strings(self, key: str, value: object, *path: Step) -> tuple[str, ...]:
        where = path or (key,)
        if not isinstance(value, list):
            raise self.fail(f"{key} must be a list of strings, not {_type_name(value)}", *where, at_value=True)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(f"{key}: item {index + 1} must be a string, not {_type_name(item)}", *where, index)
        return tuple(value)

    def rules(self, key: str, value: object, *path: Step) -> tuple[RuleRef, ...]:
        where = path or (key,)
        items = self.strings(key, value, *where)
        return tuple(
            RuleRef(item.strip(), self.raw.where(*where, index, value=item)) for index, item in enumerate(items)
        )

    def globs(self, key: str, value: object) -> tuple[str, ...]:
        patterns = self.strings(key, value)
        for index, pattern in enumerate(patterns):
            self.glob(pattern, key, index)
        return patterns

    def glob(self, pattern: str, *path: Step) -> None:
        from ecslint.config.globs import compile_glob

        try:
            compile_glob(pattern)
        except ValueError as error:
            raise self.fail(f"bad glob {pattern!r}: {error}", *path, value=pattern) from None

    def choice(self, key: str, value: object, choices: tuple[str, ...]) -> str:
        text = self.string(key, value)
        if text not in choices:
            hint = did_you_mean(text, choices)
            raise self.fail(f"{key} must be one of {', '.join(choices)}, not {text!r}{hint}", key, at_value=True)
        return text

    def table(self, key: str, value: object) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.fail(f"{key} must be a table (mapping), not {_type_name(value)}", key, at_value=True)
        return value

    def path(self, key: str, value: object, *where: Step, directory: bool = False, inside: bool = False) -> Path:
        text = self.string(key, value)
        path = Path(text) if Path(text).is_absolute() else self.root / text
        if directory and not path.is_dir():
            raise self.fail(f"{key}: {text!r} is not a directory (paths are relative to this file)", *where, value=text)
        if inside and not path.resolve().is_relative_to(self.root):
            # A settings file comes with the repository: it does not send ecslint walking the disk.
            message = f"{key}: {text!r} is outside the project (the folder of this file); name it with --rules"
            raise self.fail(message, *where, value=text)
        return path


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), "null" if value is None else type(value).__name__)


def _select(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    fields["select"] = reader.rules(key, value)


def _extend_select(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    fields["extend_select"] = reader.rules(key, value)


def _ignore(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    fields["ignore"] = reader.rules(key, value)


def _per_file_ignores(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    entries: list[tuple[str, tuple[RuleRef, ...]]] = []
    for pattern, rules in reader.table(key, value).items():
        reader.glob(str(pattern), key, str(pattern))
        entries.append((str(pattern), reader.rules(f"{key}.{pattern}", rules, key, str(pattern))))
    fields["per_file_ignores"] = tuple(entries)


def _severity(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    overrides: list[tuple[RuleRef, Severity]] = []
    for rule, level in reader.table(key, value).items():
        where = (key, str(rule))
        try:
            severity = Severity.parse(level) if isinstance(level, str) else None
        except ValueError:
            severity = None
        if severity is None:
            raise reader.fail(f"{key}.{rule} must be error, warning or info, not {level!r}", *where, at_value=True)
        overrides.append((RuleRef(str(rule), reader.raw.where(*where)), severity))
    fields["severity"] = tuple(overrides)


def _rule_options(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    options: list[OptionValue] = []
    for rule, settings in reader.table(key, value).items():
        if not isinstance(settings, dict):
            raise reader.fail(f"{key}.{rule} must be a table of option = value", key, str(rule), at_value=True)
        ref = RuleRef(str(rule), reader.raw.where(key, str(rule)))
        for option, option_value in settings.items():
            where = reader.raw.where(key, str(rule), str(option))
            options.append(OptionValue(ref, str(option), option_value, where))
    fields["rule_options"] = tuple(options)


def _consumers() -> tuple[str, ...]:
    from ecslint.catalogue.entries import CONSUMERS

    return CONSUMERS


def _variables(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
    from ecslint.readers.variables import valid_name

    found: list[tuple[str, str | None]] = []
    for name, setting in reader.table(key, value).items():
        where = (key, str(name))
        if not valid_name(str(name)):
            raise reader.fail(f"{key}: {str(name)!r} is not a variable name", *where)
        if setting is True or setting is None:
            found.append((str(name), None))  # declared; its value is known only at deploy time
        elif isinstance(setting, str | int | float) and not isinstance(setting, bool):
            found.append((str(name), str(setting)))
        else:
            message = f"{key}.{name} must be a string (its value) or true (a value known only at deploy time)"
            raise reader.fail(f"{message}, not {_type_name(setting)}", *where, at_value=True)
    fields["variables"] = tuple(found)


def _simple(name: str, convert: Callable[[_Reader, str, object], object]) -> Callable[..., None]:
    def read(reader: _Reader, key: str, value: object, fields: dict[str, object]) -> None:
        fields[name] = convert(reader, key, value)

    return read


SETTINGS: dict[str, tuple[Callable[..., None], str]] = {
    "select": (_select, "rule ids, names or prefixes (ECS1) to check; default: all"),
    "extend-select": (_extend_select, "more rules on top of select"),
    "ignore": (_ignore, "rule ids, names or prefixes not to check"),
    "per-file-ignores": (_per_file_ignores, "glob -> rules not checked in matching files"),
    "severity": (_severity, "rule -> error, warning or info"),
    "fail-on": (_simple("fail_on", lambda r, k, v: r.choice(k, v, FAIL_ON)), "error, warning, info or never"),
    "format": (
        _simple("format", lambda r, k, v: r.choice(k, v, FORMATS)),
        "text, json, sarif, github, concise, gitlab or junit",
    ),
    "include": (_simple("include", lambda r, k, v: r.globs(k, v)), "globs a walked file must match"),
    "exclude": (_simple("exclude", lambda r, k, v: r.globs(k, v)), "globs of files and folders not walked"),
    "force-exclude": (_simple("force_exclude", lambda r, k, v: r.boolean(k, v)), "exclude named files too"),
    "rules": (_rule_options, "rule -> {option = value}"),
    "rules-dirs": (
        _simple(
            "rules_dirs",
            lambda r, k, v: tuple(
                r.path(k, item, k, index, directory=True, inside=True) for index, item in enumerate(r.strings(k, v))
            ),
        ),
        "folders of custom rule files",
    ),
    "baseline": (_simple("baseline", lambda r, k, v: r.path(k, v, k)), "a baseline file of accepted findings"),
    "report-unused-ignores": (
        _simple("report_unused_ignores", lambda r, k, v: r.boolean(k, v)),
        "report suppressions that suppress nothing",
    ),
    "target": (
        _simple("target", lambda r, k, v: r.choice(k, v, _consumers())),
        "who registers the files: aws-cli, deploy-action, cloudformation, terraform or go-sdk",
    ),
    "variables": (_variables, "template variable -> its value, or true when it is known only at deploy time"),
}


def from_raw(raw: RawConfig) -> Config:
    reader = _Reader(raw)
    fields: dict[str, object] = {}
    for key, value in raw.data.items():
        entry = SETTINGS.get(str(key))
        if entry is None:
            raise reader.fail(f"unknown setting {key!r}{did_you_mean(str(key), SETTINGS)}", str(key))
        entry[0](reader, str(key), value, fields)
    layer = Layer(
        fields.pop("select", None),  # type: ignore[arg-type]
        fields.pop("extend_select", ()),  # type: ignore[arg-type]
        fields.pop("ignore", ()),  # type: ignore[arg-type]
    )
    return Config(path=raw.path, root=reader.root, layers=(layer,), **fields)  # type: ignore[arg-type]


def load(config_file: Path | None = None, *, isolated: bool = False, start: Path | None = None) -> Config:
    """The configuration: ``config_file``, else the one found from ``start`` (the current directory) up."""
    from ecslint.config import files as configfile

    if isolated:
        return Config()
    path = config_file if config_file is not None else configfile.find((start or Path.cwd()).absolute())
    if path is None:
        return Config()
    return from_raw(configfile.read(path))
