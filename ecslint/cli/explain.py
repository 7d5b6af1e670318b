"""``ecslint rules`` and ``ecslint explain``: the catalogue rendered for people."""

from __future__ import annotations

import json

from ecslint.catalogue.entries import CONSEQUENCE_TEXT, UNKNOWN_CONSUMER, Catalogue, Rule, builtin
from ecslint.core.errors import UsageError


def render_rule_list(output_format: str = "text", catalogue: Catalogue | None = None) -> str:
    """Every rule of ``catalogue`` (the built-in one by default; with plugin and custom rules, the CLI's)."""
    rules = (catalogue or builtin()).rules
    if output_format == "json":
        entries = [
            {
                "id": rule.id,
                "name": rule.name,
                "severity": rule.severity.label,
                "consequence": rule.consequence,
                "summary": rule.summary,
                "help": rule.help_uri,
            }
            for rule in rules
        ]
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    width = max((len(rule.name) for rule in rules), default=10)
    lines = [f"{'ID':<7} {'NAME':<{width}} {'SEVERITY':<8} {'CONSEQUENCE':<15} SUMMARY"]
    lines += [
        f"{rule.id:<7} {rule.name:<{width}} {rule.severity.label:<8} {rule.consequence:<15} {rule.summary}"
        for rule in rules
    ]
    return "\n".join(lines) + f"\n\n{len(rules)} rules. Run `ecslint explain ID` for one rule in full.\n"


def _example_text(document: object, text: str | None) -> str:
    if text is not None:
        return text.rstrip("\n")
    return json.dumps(document, indent=2, ensure_ascii=False)


def render_rule(key: str, catalogue: Catalogue | None = None) -> str:
    rule = (catalogue or builtin()).find(key)
    if rule is None:
        raise UsageError(f"no rule {key!r}; `ecslint rules` lists them all")
    return explain_text(rule)


def explain_text(rule: Rule) -> str:
    consequence = CONSEQUENCE_TEXT[rule.consequence]
    parts = [
        f"{rule.id} {rule.name} ({rule.severity.label}, {rule.consequence})",
        "",
        "What it does",
        f"  {rule.summary}",
        "",
        "Why it matters",
        f"  {consequence} {rule.rationale}",
    ]
    for example in rule.examples:
        heading = "Example" if example.kind == "bad" else "Use instead"
        body = _example_text(example.document, example.text)
        parts += ["", heading, *("  " + line for line in body.splitlines())]
    if rule.known_problems:
        parts += ["", "Known problems", f"  {rule.known_problems}"]
    if rule.severities:  # some cases of the rule have their own severity (catalogue ``severities``)
        parts += ["", "Severity by case (the finding's message says which)"]
        parts += [f"  {variant}: {level.label}" for variant, level in rule.severities.items()]
        parts.append(f"  any other: {rule.severity.label}")
    severities = rule.severities_by_consumer()
    if severities:
        parts += ["", "Severity by who registers the file (--target; docs/consumers.md)"]
        for name, level, variants in severities:
            shown = "unknown (nothing names it)" if name == UNKNOWN_CONSUMER else name
            exceptions = "; ".join(f"{variant}: {other.label}" for variant, other in variants)
            parts.append(f"  {shown}: {level.label}" + (f" ({exceptions})" if exceptions else ""))
        parts.append(f"  any other: {rule.severity.label} (the rule's own severity)")
    if rule.consumers:
        parts += ["", "Who registers the file (--target; docs/consumers.md)"]
        parts += [f"  {name}: {levels}: {text}" for name, levels, text in rule.consumer_notes()]
    if rule.fix_safety:
        parts += ["", "Fix safety", f"  {rule.fix_safety}"]
    parts += ["", "AWS reference", *(f"  {url}" for url in rule.references)]
    return "\n".join(parts) + "\n"
