"""The Python API: ``check`` a task definition in memory, ``check_paths`` files and folders.

    from ecslint import check

    for finding in check({"family": "web", "containerDefinitions": [...]}):
        print(finding.rule, finding.severity, finding.message)

The same engine, catalogue and configuration as ``ecslint check``; nothing here prints or
exits.  Problems with the call itself (a configuration that is wrong, a path that cannot be
read, a rule file that does not load) raise ``ecslint.core.errors.EcslintError`` subclasses;
problems with the task definition are findings.  docs/api.md documents it; the public names
are pinned by tests/test_api.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias

from ecslint.core.errors import EcslintError, SourceError
from ecslint.core.model import Finding as _CoreFinding
from ecslint.core.model import Fix, Place
from ecslint.reporters.json import fix_dict, place_dict

if TYPE_CHECKING:
    from ecslint.config.settings import Config
    from ecslint.engine.pipeline import Engine, FileResult

__all__ = ["ConfigLike", "Finding", "InternalCheckError", "check", "check_paths"]

SeverityName: TypeAlias = Literal["error", "warning", "info"]
# A configuration: a ``Config`` (``ecslint.config.settings.load``), the path of a settings file
# (.ecslint.toml, .ecslint.yaml, a pyproject.toml with [tool.ecslint]), or the settings as a
# mapping spelt as in .ecslint.toml ({"ignore": ["ECS505"]}); None: the built-in defaults.
ConfigLike: TypeAlias = "Config | Mapping[str, object] | str | os.PathLike[str] | None"


class Finding(NamedTuple):
    """One finding, with the fields of a finding in the JSON report (docs/output-formats.md).

    ``line``/``column`` (1-based, in code points) and ``end_line``/``end_column`` (exclusive)
    are None when the finding has no position in a text: a document given as a dict has none.
    ``fix`` is the safe or unsafe repair ``ecslint check --fix`` would apply, or None.
    """

    rule: str
    name: str
    severity: SeverityName
    message: str
    hint: str | None
    path: str
    pointer: str
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    fix: Fix | None = None
    occurrences: tuple[Place, ...] = ()  # every place, when the finding stands for several (``pointer``, ``span``)
    consumer: str | None = None  # who ecslint takes to register the file (docs/consumers.md)
    consumer_basis: str | None = None  # why it takes that one

    def to_dict(self) -> dict[str, object]:
        """The finding as the JSON report writes it (``endLine``, ``endColumn``, ``fix`` as an object)."""
        fix = self.fix
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "path": self.path,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "endLine": self.end_line,
            "endColumn": self.end_column,
            "fix": None if fix is None else fix_dict(fix),
            "occurrences": [place_dict(place) for place in self.occurrences] if self.occurrences else None,
            "consumer": {"name": self.consumer, "basis": self.consumer_basis} if self.consumer else None,
        }


class InternalCheckError(EcslintError):
    """A check crashed on this input (a bug in ecslint or a plugin): ``ecslint check`` exits 2 for it.

    ``findings`` holds what the other checks found.
    """

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


def check(
    document: Mapping[str, object] | str | bytes,
    *,
    path: str | os.PathLike[str] | None = None,
    config: ConfigLike = None,
) -> list[Finding]:
    """The findings for one document: a task definition (or CloudFormation template) as a dict,
    or the text of a JSON, YAML or Terraform file as ``str`` or ``bytes``.

    ``path`` names the document in findings; its suffix tells YAML (``.yaml``) and Terraform
    (``.tf``) from JSON, and ``per-file-ignores`` match it.  Without it the text's form is
    recognised from its content and findings say ``<document>``.
    """
    display = os.fspath(path) if path is not None else "<document>"
    positions = True
    if isinstance(document, bytes):
        raw = document
    elif isinstance(document, str):
        raw = document.encode("utf-8")
    elif isinstance(document, Mapping):
        try:
            raw = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise EcslintError(f"{display}: the document is not JSON data: {error}") from None
        positions = False  # lines of a text the caller never saw would mislead
    else:
        raise EcslintError(f"check() takes a dict, a str or bytes, not {type(document).__name__}")
    result = engine_for(_config(config)).check_bytes(display, raw, explicit=True)
    return _findings(result, positions)


def check_paths(paths: Iterable[str | os.PathLike[str]], *, config: ConfigLike = None) -> list[Finding]:
    """The findings for files and folders, as ``ecslint check PATH...`` finds them.

    Folders are walked as the command line walks them (``.json``, ``.yaml``, ``.yml``, ``.tf``;
    files that are not task definitions skipped; ``include``/``exclude`` honoured).  A path that
    does not exist or cannot be read raises ``SourceError``.
    """
    from ecslint.config.selection import selected
    from ecslint.readers.inputs import InputError, collect, read
    from ecslint.readers.sources import MAX_FILE_BYTES

    settings = _config(config)
    engine = engine_for(settings)
    found: list[Finding] = []
    crashed: InternalCheckError | None = None
    for item in selected(collect([os.fspath(p) for p in paths]), settings):
        if isinstance(item, InputError):
            raise SourceError(f"{item.display}: {item.reason}")
        if item.path is None:
            raise SourceError("'-' (standard input) is not a path: pass its text to check()")
        try:
            raw, size = read(item.path, MAX_FILE_BYTES)  # an oversized file is not read (ECS015)
        except OSError as error:
            raise SourceError(f"{item.display}: cannot read: {error.strerror or error}") from None
        try:
            found.extend(_findings(engine.check_bytes(item.display, raw, explicit=item.explicit, size=size), True))
        except InternalCheckError as error:  # the other files are still checked
            found.extend(error.findings)
            crashed = crashed or error
    if crashed is not None:
        raise InternalCheckError(str(crashed), found)
    return found


# -- machinery --------------------------------------------------------------------------------


def _config(config: ConfigLike) -> Config:
    from ecslint.config.settings import Config, from_raw, load

    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, str | os.PathLike):
        return load(Path(config))
    if isinstance(config, Mapping):
        from ecslint.config.files import Locator, RawConfig, Step

        class _NoPositions(Locator):
            def find(self, path: tuple[Step, ...], *, at_value: bool = False, value: object = None) -> tuple[int, int]:
                return (1, 1)

        return from_raw(RawConfig(Path.cwd() / "<config>", "config", config, _NoPositions()))
    raise EcslintError(f"config must be a Config, a path or a mapping, not {type(config).__name__}")


def engine_for(config: Config) -> Engine:
    """The engine for ``config``, built once per configuration (for ecslint's own layers: the language server)."""
    try:
        hash(config)
    except TypeError:  # rule options holding lists or tables
        return _build_engine(config)
    return _cached_engine(config)


@lru_cache(maxsize=8)
def _cached_engine(config: Config) -> Engine:
    return _build_engine(config)


def _build_engine(config: Config) -> Engine:
    import warnings

    from ecslint.catalogue.rulesets import build
    from ecslint.config.selection import configure
    from ecslint.engine.pipeline import UNUSED_SUPPRESSION, Engine

    ruleset = build(config.rules_dirs)
    for warning in ruleset.warnings:
        warnings.warn(f"ecslint: {warning}", stacklevel=4)
    if ruleset.errors:
        from ecslint.core.errors import RuleFileError

        raise RuleFileError("; ".join(ruleset.errors))
    if config.report_unused_ignores:
        config = config.with_overrides(extend_select=[UNUSED_SUPPRESSION])
    policy = configure(ruleset.catalogue, config)
    return Engine(
        policy.catalogue,
        policy.enabled,
        ignored_for=policy.ignored_for,
        variables=dict(config.variables),
        target=config.target,
    )


def _findings(result: FileResult, positions: bool) -> list[Finding]:
    findings = [_public(finding, positions) for finding in result.findings]
    if result.internal_errors:
        first = result.internal_errors[0]
        where = f" in rule {first.rule_id}" if first.rule_id else ""
        raise InternalCheckError(f"{first.path}: internal error{where}: {first.message}", findings)
    return findings


def _public(finding: _CoreFinding, positions: bool) -> Finding:
    span = finding.span if positions else None
    return Finding(
        rule=finding.rule_id,
        name=finding.rule_name,
        severity=finding.severity.label,  # type: ignore[arg-type]
        message=finding.message,
        hint=finding.hint,
        path=finding.path,
        pointer=finding.pointer,
        line=span.start.line if span else None,
        column=span.start.column if span else None,
        end_line=span.end.line if span else None,
        end_column=span.end.column if span else None,
        fix=finding.fix if positions else None,
        occurrences=finding.occurrences if positions else tuple(p._replace(span=None) for p in finding.occurrences),
        consumer=finding.consumer,
        consumer_basis=finding.consumer_basis,
    )
