"""Generate ``docs/rules.md`` from the rule catalogue.

``python -m ecslint.cli.docgen`` rewrites the page; ``python -m ecslint.cli.docgen --check`` exits 1
when the committed page differs from what the catalogue generates (``tests/test_docgen.py``
runs the same comparison).  The page renders the fields STYLE.md prescribes, in its order:
What it does, Why it matters, Example, Use instead, Known problems, Options, Fix safety and
AWS reference.  The output depends only on the catalogue, so it is deterministic.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ecslint.catalogue.entries import CONSEQUENCE_TEXT, Catalogue, Example, Rule, builtin
from ecslint.core.model import JSON
from ecslint.reporters.sarif import security_severity

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
REGENERATE = "python -m ecslint.cli.docgen"


_AREAS = (
    ("ECS0", "Syntax, schema and suppressions"),
    ("ECS1", "Compute, network and launch type"),
    ("ECS2", "Containers and references"),
    ("ECS3", "Secrets and IAM"),
    ("ECS4", "Logging"),
    ("ECS5", "Health and reliability"),
    ("ECS6", "Security"),
    ("ECS7", "Services and the task definitions they run"),
    ("ECS8", "The live AWS account (--aws)"),
)
_VISIBLE_WHITESPACE = {"\n", "\t"}


def render_rules_markdown(catalogue: Iterable[Rule]) -> str:
    """The whole ``docs/rules.md`` page for ``catalogue`` (a ``Catalogue`` or any rules)."""
    rules = sorted(catalogue, key=lambda rule: rule.id)
    lines = [
        "# ecslint rules",
        "",
        f"<!-- Generated from rules/**/*.yaml by `{REGENERATE}`. Do not edit by hand. -->",
        "",
        f"ecslint has {len(rules)} rules. `ecslint rules` lists them and `ecslint explain ID` prints one.",
        "Severity is how a finding is reported (`error`, `warning` or `info`); the consequence says what",
        "happens if the problem ships:",
        "",
        *(f"- `{name}`: {text}" for name, text in CONSEQUENCE_TEXT.items()),
        "",
    ]
    opt_in = [rule for rule in rules if rule.opt_in]
    if opt_in:
        ids = ", ".join(rule.id for rule in opt_in)
        lines += [f"Rules marked *opt-in* run only when selected by their exact id or name: {ids}.", ""]
    lines += ["## Index", ""]
    lines += _index(rules)
    for rule in rules:
        lines += ["", *_section(rule)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _index(rules: Sequence[Rule]) -> list[str]:
    lines: list[str] = []
    for prefix, title in _area_groups(rules):
        group = [rule for rule in rules if _area_of(rule) == prefix]
        lines += [f"### {title}", "", "| id | name | severity | consequence | summary |", "|---|---|---|---|---|"]
        for rule in group:
            name = f"`{rule.name}`" + (" (opt-in)" if rule.opt_in else "") + _status_note(rule)
            lines.append(
                f"| [{rule.id}](#{_anchor(rule)}) | {name} | {rule.severity.label} | {rule.consequence} "
                f"| {_cell(rule.summary)} |"
            )
        lines.append("")
    return lines[:-1] if lines else lines


def _area_of(rule: Rule) -> str:
    for prefix, _title in _AREAS:
        if rule.id.startswith(prefix):
            return prefix
    return ""


def _area_groups(rules: Sequence[Rule]) -> list[tuple[str, str]]:
    present = {_area_of(rule) for rule in rules}
    groups = [(prefix, title) for prefix, title in _AREAS if prefix in present]
    if "" in present:
        groups.append(("", "Other rules"))
    return groups


def _security_band(score: str) -> str:
    """GitHub's name for a security-severity score (docs/facts.md 13.1)."""
    value = float(score)
    return "critical" if value > 9.0 else "high" if value >= 7.0 else "medium" if value >= 4.0 else "low"


def _status_note(rule: Rule) -> str:
    return "" if rule.status == "stable" else f" ({rule.status})"


def _anchor(rule: Rule) -> str:
    """The anchor GitHub gives the heading ``ECS101 unsupported-fargate-size`` (SARIF's helpUri links it)."""
    return rule.anchor


def _cell(text: str) -> str:
    return _prose(" ".join(text.split())).replace("|", "\\|")


def _prose(text: str) -> str:
    """``text`` with the characters Markdown would take as HTML or emphasis escaped, outside code spans."""
    parts = re.split(r"(`[^`]*`)", text)
    for index in range(0, len(parts), 2):
        parts[index] = parts[index].replace("<", "&lt;").replace(">", "&gt;").replace("*", "\\*")
    return "".join(parts)


def _section(rule: Rule) -> list[str]:
    severity = rule.severity.label
    if rule.severities:  # some cases differ: "warning (error: docker)"
        severity += " (" + ", ".join(f"{level.label}: {variant}" for variant, level in rule.severities.items()) + ")"
    facts = [f"**Severity:** {severity}", f"**Consequence:** {rule.consequence}"]
    score = security_severity(rule)
    if score is not None:
        facts.append(f"**Security severity:** {score} ({_security_band(score)} in GitHub code scanning)")
    if rule.layer != "rules":
        facts.append(f"**Layer:** {rule.layer}")
    if rule.opt_in:
        facts.append("**Opt-in:** runs only when selected by id or name")
    if rule.status != "stable":
        facts.append(f"**Status:** {rule.status}")
    lines = [
        f"## {rule.id} {rule.name}",
        "",
        " · ".join(facts),
        "",
        "### What it does",
        "",
        _prose(rule.summary),
        "",
        "### Why it matters",
        "",
        _prose(f"{CONSEQUENCE_TEXT.get(rule.consequence, '')} {rule.rationale}".strip()),
    ]
    bad = [example for example in rule.examples if example.kind == "bad"]
    good = [example for example in rule.examples if example.kind == "good"]
    if bad:
        lines += ["", "### Example"]
        for example in bad:
            lines += ["", *_example(example)]
    if good:
        lines += ["", "### Use instead"]
        for example in good:
            lines += ["", *_example(example)]
    if rule.known_problems:
        lines += ["", "### Known problems", "", _prose(rule.known_problems)]
    if rule.consumers:
        lines += ["", "### Who registers the file", "", "See [consumers.md](consumers.md).", ""]
        lines += ["| consumer | severity | message |", "|---|---|---|"]
        lines += [f"| `{name}` | {levels} | {_cell(text)} |" for name, levels, text in rule.consumer_notes()]
    options = _options(rule)
    if options:
        lines += ["", "### Options", "", *options]
    if rule.fix_safety:
        lines += ["", "### Fix safety", "", _prose(rule.fix_safety)]
    lines += ["", "### AWS reference", "", *(f"- <{url}>" for url in rule.references)]
    return lines


def _example(example: Example) -> list[str]:
    notes: list[str] = []
    if example.text is not None:
        body, escaped = _visible(example.text.rstrip("\n"))
        language = _language(example.filename)
        if example.filename:
            notes.append(f"file `{example.filename}`")
        if example.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            notes.append(f"saved as {example.encoding}")
        if escaped:
            notes.append("invisible characters and bytes shown as `\\u` escapes")
    else:
        body = json.dumps(example.document, indent=2, ensure_ascii=False)
        language = "json"
        if example.filename:
            notes.append(f"checked as `{example.filename}`")
    if example.kind == "bad":
        notes.append("reported at " + ", ".join(f"`{pointer or '(document)'}`" for pointer in example.expect))
    fence = _fence(body)
    lines = [f"{fence}{language}", body, fence]
    if notes:
        lines += ["", "(" + "; ".join(notes) + ")"]
    for name, document in example.beside:  # the other files of the same run (a .tf file as its text)
        if isinstance(document, str):
            other, language, found = document.rstrip("\n"), _language(name), "with, in the same folder,"
        else:
            other, language = json.dumps(document, indent=2, ensure_ascii=False), "json"
            found = "checked in one run with"
        lines += ["", f"{found} `{name}`:", "", f"{_fence(other)}{language}", other, _fence(other)]
    return lines


def _language(filename: str | None) -> str:
    if filename is None:
        return "json"
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"json": "json", "yaml": "yaml", "yml": "yaml", "tf": "hcl", "hcl": "hcl"}.get(suffix, "text")


def _visible(text: str) -> tuple[str, bool]:
    """``text`` with control and invisible format characters written as ``\\uXXXX``."""
    out: list[str] = []
    escaped = False
    for char in text:
        if char not in _VISIBLE_WHITESPACE and unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04X}")
            escaped = True
        else:
            out.append(char)
    return "".join(out), escaped


def _fence(body: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=2)
    return "`" * max(3, longest + 1)


def _options(rule: Rule) -> list[str]:
    raw = rule.extra.get("options")
    if not isinstance(raw, dict) or not raw:
        return []
    lines: list[str] = []
    for name in sorted(raw):
        spec: JSON = raw[name]
        if isinstance(spec, dict) and "default" in spec:
            default, description = spec.get("default"), spec.get("description")
        else:
            default, description = spec, None
        text = f"- `{name}` (default `{json.dumps(default, ensure_ascii=False)}`)"
        if isinstance(description, str) and description.strip():
            text += ": " + _prose(" ".join(description.split()))
        lines.append(text)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecslint.cli.docgen", description="Generate docs/rules.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale instead of writing it")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the page to write (docs/rules.md)")
    args = parser.parse_args(argv)
    catalogue: Catalogue = builtin()
    text = render_rules_markdown(catalogue)
    output: Path = args.output
    try:
        current = output.read_text(encoding="utf-8")
    except OSError:
        current = None
    if args.check:
        if current != text:
            print(f"{output} is stale: run {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    if current != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {output} ({len(catalogue)} rules)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
