"""Errors that end a run with exit code 2.  Bad *task definitions* are findings, not errors."""

from __future__ import annotations


class EcslintError(Exception):
    """A problem with how ecslint was called or configured; printed as one line, exit 2."""


class UsageError(EcslintError):
    pass


class SourceError(EcslintError):
    """An input that cannot be read at all (missing, a directory loop, permission denied)."""


class RuleFileError(EcslintError):
    """A rule catalogue entry that is malformed or names a check that does not exist.

    ``field`` names the entry's key the problem is about (``("examples",)``), so a loader
    that knows the file's positions can say ``path:line:col``; ``detail`` is the message
    without the file name in front.
    """

    def __init__(self, message: str, *, field: tuple[str | int, ...] | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.detail = detail if detail is not None else message


class ConfigError(EcslintError):
    """A configuration file or option that is wrong: ``path:line:col: what, expected, did you mean``."""
