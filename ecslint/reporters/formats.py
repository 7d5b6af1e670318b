"""The output formats by name, each reporter imported only when it is used."""

from __future__ import annotations

from ecslint.reporters.context import Reporter

FORMATS = ("text", "json", "sarif", "github", "concise", "gitlab", "junit")


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
    elif name == "concise":
        from ecslint.reporters.concise import render
    elif name == "gitlab":
        from ecslint.reporters.gitlab import render
    elif name == "junit":
        from ecslint.reporters.junit import render
    else:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return render
