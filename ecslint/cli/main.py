"""The entry point: arguments -> engine -> reporter -> exit code, inside one error boundary.

This is the only module that prints errors.  Exit codes: 0 nothing at or above
``--fail-on``; 1 findings at or above it; 2 usage error, unreadable input or internal
failure; 130 interrupted.  A Python traceback is shown only with ``--debug``.

``ecslint check`` with well-formed arguments is parsed by ``ecslint.cli.checkargs`` and
never imports typer; every other command line goes to the typer application in
``ecslint.cli.commands``.
"""

from __future__ import annotations

import sys

from ecslint.cli import pause_collection, start_up_done
from ecslint.core.errors import EcslintError


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    arguments = sys.argv[1:] if argv is None else argv
    if argv is None and arguments[:1] == ["check"]:  # the process is ecslint's own
        pause_collection()
    try:
        return _dispatch(arguments)
    except EcslintError as error:
        from ecslint.reporters.text import printable

        print(f"ecslint: error: {printable(str(error))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # a write the commands did not expect to fail (help text, a message)
        from ecslint.cli.pipe import stdout_closed

        stdout_closed()
        return 1
    except KeyboardInterrupt:
        print("ecslint: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if "--debug" in arguments:
            import traceback

            traceback.print_exc()
        print(
            f"ecslint: internal error: {type(error).__name__}: {error} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2
    finally:
        start_up_done()


def _dispatch(arguments: list[str]) -> int:
    if arguments[:1] == ["check"]:
        from ecslint.cli.checkargs import execute, parse

        parsed = parse(arguments[1:])
        if parsed is not None:
            return execute(parsed)
    return _run_typer(arguments)


def _run_typer(arguments: list[str]) -> int:
    import typer

    from ecslint.cli.commands import app

    try:  # typer >= 0.22 vendors click; older releases use click itself
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click.exceptions import ClickException  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]

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
    return int(result) if isinstance(result, int) else 0
