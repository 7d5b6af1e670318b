"""The typer application: every command, its options and its help.

``ecslint.cli.main.main`` is the entry point and error boundary; it runs the common
``ecslint check`` invocations through ``ecslint.cli.checkargs`` without importing this
module (typer costs a third of a cold start), and hands everything else here.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ecslint import __version__
from ecslint.catalogue.entries import Catalogue
from ecslint.cli.checkargs import MAX_JOBS
from ecslint.core.errors import UsageError

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}  # -h as --help on every command, as ruff and cfn-lint

app = typer.Typer(
    context_settings=HELP_OPTIONS,
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Lint Amazon ECS task definitions: find what AWS would reject or what would fail at launch.",
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    concise = "concise"
    gitlab = "gitlab"
    junit = "junit"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class Target(StrEnum):
    aws_cli = "aws-cli"
    deploy_action = "deploy-action"
    codedeploy = "codedeploy"
    cloudformation = "cloudformation"
    terraform = "terraform"
    go_sdk = "go-sdk"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ecslint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """ecslint checks ECS task definitions before they reach AWS."""


ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--config", help="Use this configuration file instead of looking for one."),
]
NoConfigOption = Annotated[
    bool, typer.Option("--no-config", "--isolated", help="Ignore every configuration file; use the defaults.")
]


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files, folders (walked for JSON, YAML and .tf) or - for stdin."),
    ],
    output_format: Annotated[
        Optional[OutputFormat],  # noqa: UP045
        typer.Option("--format", "-f", help="Report format [default: text].", show_default=False),
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.")] = None,  # noqa: UP045
    fail_on: Annotated[
        Optional[FailOn],  # noqa: UP045
        typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe [default: error]."),
    ] = None,
    color: Annotated[ColorMode, typer.Option("--color", help="Colour in text output.")] = ColorMode.auto,
    stdin_filename: Annotated[
        str, typer.Option("--stdin-filename", help="The name to report for standard input.")
    ] = "<stdin>",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Apply the safe fixes to the files, then report the rest; `--fix -`: stdin to stdout."
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the safe fixes as a unified diff; write nothing.")
    ] = False,
    config_file: ConfigOption = None,
    no_config: NoConfigOption = False,
    select: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--select", help="Check only these rules (ids, names, prefixes, consequences; replaces the file's)."
        ),
    ] = None,
    extend_select: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--extend-select", help="Check these rules as well."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--ignore", help="Do not check these rules."),
    ] = None,
    rules: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--rules", help="A folder of custom rule files (repeatable)."),
    ] = None,
    exclude: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--exclude", help="Skip walked files matching this glob (repeatable)."),
    ] = None,
    baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--baseline", help="Report only findings this baseline file does not record."),
    ] = None,
    write_baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--write-baseline", help="Record today's findings in this file and exit 0."),
    ] = None,
    report_unused_ignores: Annotated[
        bool, typer.Option("--report-unused-ignores", help="Report suppressions that suppress nothing (ECS090).")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            max=MAX_JOBS,
            help="Processes to check files with, at most one per file and per core; 0: all cores for many files.",
        ),
    ] = 0,
    only_task_definitions: Annotated[
        bool,
        typer.Option(
            "--only-task-definitions",
            help="Skip named files that are not task definitions, silently (as a pre-commit hook wants).",
        ),
    ] = False,
    aws: Annotated[
        bool,
        typer.Option(
            "--aws",
            help=(
                "Also check the live AWS account (read only): roles and what they may read, secrets, keys, "
                "images, log groups."
            ),
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the findings only: no summary, no warnings.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Say on stderr which configuration was used, what was walked, how long."),
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print how many findings each rule made instead of the findings.")
    ] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with findings (2 still means ecslint could not check).")
    ] = False,
    reports: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--report",
            metavar="FORMAT=PATH",
            help="Also write a report in FORMAT to PATH, from the same run (repeatable): --report sarif=ecslint.sarif.",
        ),
    ] = None,
    no_ignore: Annotated[
        bool, typer.Option("--no-ignore", help="Walk folders without honouring .gitignore and .ignore files.")
    ] = False,
    unsafe_fixes: Annotated[
        bool,
        typer.Option(
            "--unsafe-fixes",
            help="With --fix or --diff, the unsafe fixes too (type conversions, key renames, enum values).",
        ),
    ] = False,
    variables: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--var",
            help="NAME=VALUE: substitute a template variable before checking; NAME alone: known only at deploy time.",
        ),
    ] = None,
    vars_files: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--vars-file", help="A dotenv or JSON file of template variables (repeatable)."),
    ] = None,
    target: Annotated[
        Optional[Target],  # noqa: UP045
        typer.Option("--target", help="Who registers the files; default: the file's repository or kind decides."),
    ] = None,
) -> None:
    """Check task definitions and report what is wrong, with file, line and column."""
    from ecslint.cli.checkargs import CheckArguments, execute

    arguments = CheckArguments(
        paths=tuple(paths),
        output_format=output_format.value if output_format is not None else None,
        output=output,
        fail_on=fail_on.value if fail_on is not None else None,
        color=color.value,
        stdin_filename=stdin_filename,
        debug=debug,
        fix=fix,
        diff=diff,
        config_file=config_file,
        no_config=no_config,
        select=tuple(select) if select is not None else None,
        extend_select=tuple(extend_select) if extend_select is not None else None,
        ignore=tuple(ignore) if ignore is not None else None,
        rules=tuple(rules) if rules is not None else None,
        exclude=tuple(exclude) if exclude is not None else None,
        baseline=baseline,
        write_baseline=write_baseline,
        report_unused_ignores=report_unused_ignores,
        jobs=jobs,
        only_task_definitions=only_task_definitions,
        aws=aws,
        quiet=quiet,
        verbose=verbose,
        statistics=statistics,
        exit_zero=exit_zero,
        reports=tuple(reports) if reports is not None else None,
        no_ignore=no_ignore,
        unsafe_fixes=unsafe_fixes,
        variables=tuple(variables) if variables is not None else None,
        vars_files=tuple(vars_files) if vars_files is not None else None,
        target=target.value if target is not None else None,
    )
    raise typer.Exit(execute(arguments))


rules_app = typer.Typer(
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,
    help="List every rule of the catalogue; `ecslint rules test DIR` runs custom rules' examples.",
)
app.add_typer(rules_app, name="rules")


RulesDirOption = Annotated[
    Optional[list[Path]],  # noqa: UP045
    typer.Option("--rules", help="A folder of custom rule files (repeatable), besides the configured rules-dirs."),
]


def _catalogue(rules: list[Path] | None, config_file: Path | None, no_config: bool) -> tuple[Catalogue, bool]:
    """The catalogue `ecslint check` would use (built-in, plugin, custom rules); whether a rule file was broken."""
    from ecslint.catalogue.rulesets import build
    from ecslint.config.settings import load

    config = load(config_file, isolated=no_config).with_overrides(rules_dirs=rules)
    ruleset = build(config.rules_dirs)
    for warning in ruleset.warnings:
        print(f"ecslint: warning: {warning}", file=sys.stderr)
    for problem in ruleset.errors:
        print(f"ecslint: error: {problem}", file=sys.stderr)
    return ruleset.catalogue, bool(ruleset.errors)


@rules_app.callback()
def list_rules(
    context: typer.Context,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: RulesDirOption = None,
    config_file: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """List every rule of the catalogue; `ecslint rules test DIR` runs custom rules' examples."""
    if context.invoked_subcommand is not None:
        return
    from ecslint.cli.explain import render_rule_list

    if output_format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {output_format!r}")
    catalogue, broken = _catalogue(rules, config_file, no_config)
    _write(render_rule_list(output_format, catalogue))
    if broken:
        raise typer.Exit(2)


@rules_app.command("test")
def test_rules(
    directories: Annotated[list[Path], typer.Argument(help="Folders of custom rule files.")],
) -> None:
    """Run each custom rule's examples: bad ones must fire where `expect` says, good ones must not."""
    from ecslint.cli.policytest import run

    outcome = run(directories)
    for problem in outcome.errors:
        print(f"ecslint: error: {problem}", file=sys.stderr)
    _write(outcome.report())
    raise typer.Exit(outcome.exit_code)


@app.command("config")
def show_config(
    show: Annotated[bool, typer.Option("--show", help="Print the effective configuration (the default).")] = True,
    config_file: ConfigOption = None,
    no_config: NoConfigOption = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="toml or json.")] = "toml",
) -> None:
    """Print the effective configuration and the file it came from."""
    from ecslint.cli.configshow import render
    from ecslint.config.settings import load

    if output_format not in ("toml", "json"):
        raise UsageError(f"--format must be toml or json, not {output_format!r}")
    _write(render(load(config_file, isolated=no_config), output_format))


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id (ECS101) or name (unsupported-fargate-size).")],
    rules: RulesDirOption = None,
    config_file: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Explain one rule: what it checks, why it matters, examples and the AWS reference."""
    from ecslint.cli.explain import render_rule

    catalogue, broken = _catalogue(rules, config_file, no_config)
    _write(render_rule(rule, catalogue))
    if broken:
        raise typer.Exit(2)


@app.command()
def lsp() -> None:
    """Run the language server for editors (LSP over standard input and output)."""
    try:
        from ecslint.lsp.server import serve
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        raise UsageError("ecslint lsp needs pygls: pip install 'ecslint[lsp]'") from None
    serve()


def _write(text: str) -> None:
    from ecslint.cli.pipe import stdout_closed

    try:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `ecslint rules | head -1`: the reader has what it wanted
        stdout_closed()
