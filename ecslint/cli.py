"""The command line: arguments -> engine -> reporter -> exit code.

This is the only module that prints errors.  Exit codes: 0 nothing at or above
``--fail-on``; 1 findings at or above it; 2 usage error, unreadable input or internal
failure.  A Python traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ecslint import __version__
from ecslint.errors import EcslintError, UsageError

app = typer.Typer(
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


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


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


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (walked for .json/.yaml/.yml) or - for stdin.")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = OutputFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.")] = None,  # noqa: UP045
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe.")] = (
        FailOn.error
    ),
    color: Annotated[ColorMode, typer.Option("--color", help="Colour in text output.")] = ColorMode.auto,
    stdin_filename: Annotated[
        str, typer.Option("--stdin-filename", help="The name to report for standard input.")
    ] = "<stdin>",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes to the files, then report the rest.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the safe fixes as a unified diff; write nothing.")
    ] = False,
) -> None:
    """Check task definitions and report what is wrong, with file, line and column."""
    from ecslint.run import run_check

    use_color = _use_color(color, output)
    code = run_check(
        paths,
        output_format=output_format.value,
        output=output,
        fail_on=fail_on.value,
        color=use_color,
        stdin_name=stdin_filename,
        debug=debug,
        fix=fix,
        diff=diff,
    )
    raise typer.Exit(code)


def _use_color(mode: ColorMode, output: Path | None) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or output is not None or "NO_COLOR" in os.environ:
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


@app.command("rules")
def list_rules(
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List every rule of the catalogue."""
    from ecslint.explain import render_rule_list

    if output_format not in ("text", "json"):
        raise UsageError(f"--format must be text or json, not {output_format!r}")
    _write(render_rule_list(output_format))


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id (ECS101) or name (unsupported-fargate-size).")],
) -> None:
    """Explain one rule: what it checks, why it matters, examples and the AWS reference."""
    from ecslint.explain import render_rule

    _write(render_rule(rule))


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: one error boundary for the whole run."""
    try:  # typer >= 0.22 vendors click; older releases use click itself
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click.exceptions import ClickException  # type: ignore[no-redef,import-not-found,unused-ignore]

    arguments = sys.argv[1:] if argv is None else argv
    try:
        result = app(args=arguments, prog_name="ecslint", standalone_mode=False)
    except typer.Exit as exit_:
        return int(exit_.exit_code)
    except ClickException as error:
        error.show()
        return 2
    except typer.Abort:
        print("ecslint: aborted", file=sys.stderr)
        return 2
    except EcslintError as error:
        print(f"ecslint: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 2
    except Exception as error:
        if "--debug" in arguments:
            import traceback

            traceback.print_exc()
        print(
            f"ecslint: internal error: {type(error).__name__}: {error} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2
    return int(result) if isinstance(result, int) else 0
