"""JUnit XML, for CI test reports (GitLab ``artifacts:reports:junit``, Jenkins, Azure DevOps).

::

    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="ecslint" tests="1" failures="1" errors="0">
      <testsuite name="ecslint" tests="1" failures="1" errors="0" skipped="0">
        <testcase name="ECS102 unsupported-fargate-size (3:13)" classname="td.json" file="td.json" line="3">
          <failure type="error" message="memory 4096 is not offered with cpu 256 on Fargate">td.json:3:13: ...</failure>
        </testcase>
      </testsuite>
    </testsuites>

One test suite per run and one failed test case per finding (as ruff does): GitLab lists each
failed case with its message and file, Jenkins groups the cases by ``classname`` (the file),
Azure DevOps shows one failed test per finding, and the counts are known only when the run
ends, which suits a report written while files are still being checked.  A run without
findings has one passing case, so that a CI system that refuses an empty report
(Jenkins' ``junit`` step does) accepts it.  Characters XML 1.0 cannot carry become U+FFFD.
A finding whose rule depends on who registers the file says who ecslint takes that to be, and
why, in its failure text after the hint (each test case is read on its own).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding, Severity
from ecslint.reporters.bidi import bidi_visible
from ecslint.reporters.consumer import consumer_note
from ecslint.reporters.context import ReportContext
from ecslint.reporters.text import _plural

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE_SPACE = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _clean(text: str) -> str:
    return bidi_visible(_NOT_XML.sub("\ufffd", text))


def _attribute(text: str) -> str:
    return quoteattr(_clean(text)).translate(_ATTRIBUTE_SPACE)


def testcase(finding: Finding, catalogue: Catalogue | None = None) -> str:
    """One finding as an indented ``<testcase>`` element with its ``<failure>``; with the catalogue,
    its text says who registers the file when the finding's rule depends on it."""
    where = finding.path
    position = ""
    line = ""
    if finding.span is not None:
        start = finding.span.start
        where = f"{where}:{start.line}:{start.column}"
        position = f" ({start.line}:{start.column})"
        line = f" line={_attribute(str(start.line))}"
    body = f"{where}: {finding.rule_id} {finding.severity.label} {finding.message}"
    if finding.hint:
        body += f"\nhint: {finding.hint}"
    note = consumer_note(finding, catalogue) if catalogue is not None else None
    if note:
        body += "\n" + note
    return (
        f"    <testcase name={_attribute(f'{finding.rule_id} {finding.rule_name}{position}')}"
        f" classname={_attribute(finding.path)} file={_attribute(finding.path)}{line}>\n"
        f"      <failure type={_attribute(finding.severity.label)} message={_attribute(finding.message)}>"
        f"{escape(_clean(body))}</failure>\n"
        "    </testcase>\n"
    )


def frame(counts: Mapping[Severity, int], files: int) -> tuple[str, str]:
    """The text before and after the test cases."""
    total = sum(counts.values())
    tests = total or 1
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="ecslint" tests="{tests}" failures="{total}" errors="0">\n'
        f'  <testsuite name="ecslint" tests="{tests}" failures="{total}" errors="0" skipped="0">\n'
    )
    if not total:
        name = _attribute(f"no problems found in {_plural(files, 'file', 'files')}")
        head += f'    <testcase name={name} classname="ecslint"/>\n'
    return head, "  </testsuite>\n</testsuites>\n"


def render(findings: Sequence[Finding], context: ReportContext) -> str:
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    head, tail = frame(counts, context.files_checked)
    return head + "".join(testcase(finding, context.catalogue) for finding in findings) + tail
