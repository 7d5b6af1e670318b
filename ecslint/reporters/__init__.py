"""Reporters: pure functions of the findings.  ``render(findings, context) -> str``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from ecslint.catalogue import Catalogue
from ecslint.model import Finding


class ReportContext(NamedTuple):
    catalogue: Catalogue
    version: str
    color: bool = False
    files_checked: int = 0


Reporter = Callable[[Sequence[Finding], ReportContext], str]

FORMATS = ("text", "json", "sarif", "github")


def get_reporter(name: str) -> Reporter:
    """The reporter for ``name`` (one of ``FORMATS``), imported only when used."""
    if name == "text":
        from ecslint.reporters.text import render
    elif name == "json":
        from ecslint.reporters.json import render
    elif name == "sarif":
        from ecslint.reporters.sarif import render
    elif name == "github":
        from ecslint.reporters.github import render
    else:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return render
