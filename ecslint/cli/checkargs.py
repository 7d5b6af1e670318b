"""The arguments of ``ecslint check``, and running the check with them.

``ecslint check`` runs on every commit, so its start-up matters: typer (with the click
it vendors) takes about a third of a cold start.  ``parse`` reads the invocations people
actually type -- paths, known options with well-formed values -- without typer; anything
else (``--help``, an unknown option, a bad value, a missing argument) returns ``None``
and the typer application in ``ecslint.cli.commands`` parses it and writes its usual
message.  Both parsers build the same ``CheckArguments`` (tests/test_checkargs.py
compares them on generated command lines, and checks that ``OPTIONS`` names exactly
the options typer declares).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal, NamedTuple

Kind = Literal["flag", "value", "multi"]


class CheckArguments(NamedTuple):
    """Everything ``ecslint check`` was given, as typed values (a NamedTuple: a dataclass of
    21 fields costs 2 ms to create at every start)."""

    paths: tuple[str, ...]
    output_format: str | None = None
    output: Path | None = None
    fail_on: str | None = None
    color: str = "auto"
    stdin_filename: str = "<stdin>"
    debug: bool = False
    fix: bool = False
    diff: bool = False
    config_file: Path | None = None
    no_config: bool = False
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    rules: tuple[Path, ...] | None = None
    exclude: tuple[str, ...] | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    report_unused_ignores: bool = False
    jobs: int = 0
    only_task_definitions: bool = False
    aws: bool = False
    quiet: bool = False
    verbose: bool = False
    statistics: bool = False
    exit_zero: bool = False
    reports: tuple[str, ...] | None = None
    no_ignore: bool = False
    unsafe_fixes: bool = False
    variables: tuple[str, ...] | None = None
    vars_files: tuple[Path, ...] | None = None
    target: str | None = None


class Option:
    """One option of ``ecslint check``: its spellings, the field it fills and how."""

    __slots__ = ("choices", "convert", "dest", "flags", "kind")

    def __init__(
        self,
        flags: tuple[str, ...],
        dest: str,
        kind: Kind = "value",
        *,
        choices: tuple[str, ...] = (),
        convert: Literal["str", "path", "count"] = "str",
    ) -> None:
        self.flags = flags
        self.dest = dest
        self.kind = kind
        self.choices = choices
        self.convert = convert


FORMATS = ("text", "json", "sarif", "github", "concise", "gitlab", "junit")
MAX_JOBS = 1024  # -j beyond this is refused (exit 2); the run never starts more than files or cores
FAIL_ON = ("error", "warning", "info", "never")
COLOR_MODES = ("auto", "always", "never")
# catalogue.entries.CONSUMERS
TARGETS = ("aws-cli", "deploy-action", "codedeploy", "cloudformation", "terraform", "go-sdk")

OPTIONS: tuple[Option, ...] = (
    Option(("--format", "-f"), "output_format", choices=FORMATS),
    Option(("--output", "-o"), "output", convert="path"),
    Option(("--fail-on",), "fail_on", choices=FAIL_ON),
    Option(("--color",), "color", choices=COLOR_MODES),
    Option(("--stdin-filename",), "stdin_filename"),
    Option(("--debug",), "debug", "flag"),
    Option(("--fix",), "fix", "flag"),
    Option(("--diff",), "diff", "flag"),
    Option(("--config",), "config_file", convert="path"),
    Option(("--no-config", "--isolated"), "no_config", "flag"),
    Option(("--select",), "select", "multi"),
    Option(("--extend-select",), "extend_select", "multi"),
    Option(("--ignore",), "ignore", "multi"),
    Option(("--rules",), "rules", "multi", convert="path"),
    Option(("--exclude",), "exclude", "multi"),
    Option(("--baseline",), "baseline", convert="path"),
    Option(("--write-baseline",), "write_baseline", convert="path"),
    Option(("--report-unused-ignores",), "report_unused_ignores", "flag"),
    Option(("--jobs", "-j"), "jobs", convert="count"),
    Option(("--only-task-definitions",), "only_task_definitions", "flag"),
    Option(("--aws",), "aws", "flag"),
    Option(("--quiet", "-q"), "quiet", "flag"),
    Option(("--verbose", "-v"), "verbose", "flag"),
    Option(("--statistics",), "statistics", "flag"),
    Option(("--exit-zero",), "exit_zero", "flag"),
    Option(("--report",), "reports", "multi"),
    Option(("--no-ignore",), "no_ignore", "flag"),
    Option(("--unsafe-fixes",), "unsafe_fixes", "flag"),
    Option(("--var",), "variables", "multi"),
    Option(("--vars-file",), "vars_files", "multi", convert="path"),
    Option(("--target",), "target", choices=TARGETS),
)

_BY_FLAG = {flag: option for option in OPTIONS for flag in option.flags}


def parse(argv: list[str]) -> CheckArguments | None:
    """The arguments after ``check``, or ``None`` when typer should parse them instead."""
    values: dict[str, object] = {}
    paths: list[str] = []
    position = 0
    while position < len(argv):
        token = argv[position]
        position += 1
        if token == "--":
            paths.extend(argv[position:])
            break
        if not token.startswith("-") or token == "-":
            paths.append(token)
            continue
        name, attached = _split(token)
        option = _BY_FLAG.get(name)
        if option is None:
            return None
        if option.kind == "flag":
            if attached is not None:
                return None
            values[option.dest] = True
            continue
        if attached is None:
            if position == len(argv):
                return None
            attached = argv[position]
            position += 1
        value = _convert(option, attached)
        if value is None:
            return None
        if option.kind == "multi":
            values[option.dest] = (*values.get(option.dest, ()), value)  # type: ignore[misc]
        else:
            values[option.dest] = value
    if not paths:
        return None
    return CheckArguments(paths=tuple(paths), **values)  # type: ignore[arg-type]


def _split(token: str) -> tuple[str, str | None]:
    if token.startswith("--"):
        name, equals, value = token.partition("=")
        return name, (value if equals else None)
    return token[:2], (token[2:] or None)


def _convert(option: Option, text: str) -> object | None:
    """The typed value, or ``None`` when typer should judge (and explain) it."""
    if text.startswith("-") and text != "-":
        return None  # click would take it as the value; an option-like value is rarely meant
    if option.choices:
        return text if text in option.choices else None
    if option.convert == "path":
        return Path(text) if text else None
    if option.convert == "count":  # 0 .. MAX_JOBS; anything else is typer's to refuse
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= MAX_JOBS else None
    return text


def execute(arguments: CheckArguments) -> int:
    """Run ``ecslint check``: configuration, then the run; the exit code."""
    from ecslint.cli.run import run_check
    from ecslint.config.settings import load

    config = load(arguments.config_file, isolated=arguments.no_config).with_overrides(
        select=arguments.select,
        extend_select=arguments.extend_select,
        ignore=arguments.ignore,
        fail_on=arguments.fail_on,
        output_format=arguments.output_format,
        rules_dirs=arguments.rules,
        exclude=arguments.exclude,
        baseline=arguments.baseline,
        report_unused_ignores=arguments.report_unused_ignores,
        variables=arguments.variables,
        vars_files=arguments.vars_files,
        target=arguments.target,
    )
    return run_check(
        list(arguments.paths),
        config=config,
        output=arguments.output,
        color=use_color(arguments.color, arguments.output),
        stdin_name=arguments.stdin_filename,
        debug=arguments.debug,
        fix=arguments.fix,
        diff=arguments.diff,
        write_baseline=arguments.write_baseline,
        jobs=arguments.jobs,
        only_task_definitions=arguments.only_task_definitions,
        aws=arguments.aws,
        quiet=arguments.quiet,
        verbose=arguments.verbose,
        statistics=arguments.statistics,
        exit_zero=arguments.exit_zero,
        reports=arguments.reports or (),
        no_ignore=arguments.no_ignore,
        unsafe_fixes=arguments.unsafe_fixes,
    )


def use_color(mode: str, output: Path | None) -> bool:
    """Whether text output is coloured: ``--color``, then ``NO_COLOR``, ``FORCE_COLOR``, a file, a terminal.

    ``NO_COLOR`` (https://no-color.org) and ``FORCE_COLOR`` (https://force-color.org) count
    when set to anything but the empty string; ``NO_COLOR`` wins when both are, and a report
    written to a file (``--output``) is coloured only with ``--color always``.
    """
    if mode == "always":
        return True
    if mode == "never" or output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
