"""Errors that end a run with exit code 2.  Bad *task definitions* are findings, not errors."""

from __future__ import annotations


class EcslintError(Exception):
    """A problem with how ecslint was called or configured; printed as one line, exit 2."""


class UsageError(EcslintError):
    pass


class SourceError(EcslintError):
    """An input that cannot be read at all (missing, a directory loop, permission denied)."""


class RuleFileError(EcslintError):
    """A rule catalogue entry that is malformed or names a check that does not exist."""
