"""Who registers the file, said in the reports people read: for the findings it changes.

A finding's severity and wording can depend on the tool that registers the file (its consumer,
docs/consumers.md): ECS025 is an error for the AWS CLI and info for the GitHub deploy action.
JSON and SARIF carry the consumer in every finding; the text report says it once per file,
under the file's first finding whose rule the consumer changes, and the GitHub annotations and
JUnit test cases, each read on its own, under every such finding.
"""

from __future__ import annotations

from ecslint.catalogue.entries import UNKNOWN_CONSUMER, Catalogue
from ecslint.core.model import Finding


def consumer_note(finding: Finding, catalogue: Catalogue) -> str | None:
    """ "checked as registered by deploy-action: <why>" when the finding's rule depends on who
    registers the file; None otherwise (or when nothing says who does)."""
    rule = catalogue.by_id.get(finding.rule_id)
    if rule is None or not rule.depends_on_consumer(finding.consumer):
        return None
    who = "an unknown tool" if finding.consumer == UNKNOWN_CONSUMER else finding.consumer
    return f"checked as registered by {who}: {finding.consumer_basis}" if finding.consumer_basis else None


class OncePerFile:
    """The consumer note of each file, for the first of its findings that has one (the findings
    of a file come together, in report order)."""

    __slots__ = ("_catalogue", "_noted")

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._noted: str | None = None  # the path of the last file whose note was given

    def note(self, finding: Finding) -> str | None:
        if finding.path == self._noted:
            return None
        note = consumer_note(finding, self._catalogue)
        if note is not None:
            self._noted = finding.path
        return note
