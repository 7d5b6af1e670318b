"""docs/rules.md is generated from the catalogue and must not go stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecslint.catalogue.entries import Rule, builtin
from ecslint.cli import docgen
from ecslint.cli.explain import explain_text

CATALOGUE = builtin()
PAGE = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
GENERATED = docgen.render_rules_markdown(CATALOGUE)
SECTION_HEADINGS = ("What it does", "Why it matters", "Example", "Use instead", "AWS reference")


def test_committed_page_is_current() -> None:
    committed = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
    assert committed == GENERATED, "docs/rules.md is stale: run python -m ecslint.cli.docgen"


def test_output_is_deterministic() -> None:
    assert docgen.render_rules_markdown(reversed(CATALOGUE.rules)) == GENERATED


def test_index_has_one_row_per_rule_in_id_order() -> None:
    rows = re.findall(r"^\| \[([A-Z]+[0-9]{3})\]\(#([a-z0-9-]+)\) \| `([a-z0-9-]+)`", GENERATED, re.MULTILINE)
    assert [row[0] for row in rows] == [rule.id for rule in CATALOGUE.rules]
    headings = set(re.findall(r"^## ([A-Z]+[0-9]{3} [a-z0-9-]+)$", GENERATED, re.MULTILINE))
    for rule_id, anchor, name in rows:
        assert name == CATALOGUE[rule_id].name
        assert anchor == f"{rule_id} {name}".lower().replace(" ", "-")
        assert f"{rule_id} {name}" in headings


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=lambda rule: rule.id)
def test_each_section_has_the_style_headings_in_order(rule: Rule) -> None:
    start = GENERATED.index(f"\n## {rule.id} {rule.name}\n")
    end = GENERATED.find("\n## ", start + 1)
    section = GENERATED[start : end if end != -1 else None]
    found = re.findall(r"^### (.+)$", section, re.MULTILINE)
    expected = [heading for heading in SECTION_HEADINGS if heading in found]
    assert [heading for heading in found if heading in SECTION_HEADINGS] == expected
    assert {"What it does", "Why it matters", "AWS reference"} <= set(found)
    assert ("Example" in found) == any(example.kind == "bad" for example in rule.examples)
    assert ("Use instead" in found) == any(example.kind == "good" for example in rule.examples)
    for url in rule.references:
        assert f"<{url}>" in section


def test_check_mode_reports_a_stale_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "rules.md"
    assert docgen.main(["--check", "--output", str(page)]) == 1
    assert "stale: run python -m ecslint.cli.docgen" in capsys.readouterr().err
    assert docgen.main(["--output", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == GENERATED
    assert docgen.main(["--check", "--output", str(page)]) == 0


def test_consequence_wording_matches_explain() -> None:
    for rule in CATALOGUE.rules:
        assert docgen.CONSEQUENCE_TEXT[rule.consequence] in explain_text(rule)


def test_a_rule_whose_cases_differ_in_severity_says_so() -> None:
    # ECS405 is an error where Docker creates the containers (EC2, EXTERNAL), a warning elsewhere
    rule = CATALOGUE.by_id["ECS405"]
    assert "Severity by case (the finding's message says which)\n  docker: error\n  any other: warning" in explain_text(
        rule
    )
    assert "**Severity:** warning (error: docker)" in GENERATED
