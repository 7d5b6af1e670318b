"""docs/parity.md may only point at rules that exist."""

from __future__ import annotations

import re
from pathlib import Path

from ecslint.catalogue.entries import builtin, load_dir

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "parity.md"
TEXT = PAGE.read_text(encoding="utf-8")
STATUSES = {"covered", "partly", "not applicable", "not yet"}


def test_every_builtin_rule_id_mentioned_exists() -> None:
    mentioned = set(re.findall(r"\bECS[0-9]{3}\b", TEXT))
    assert mentioned, "docs/parity.md mentions no ecslint rule"
    missing = sorted(mentioned - set(builtin().by_id))
    assert not missing, f"docs/parity.md names rules that are not in the catalogue: {missing}"


def test_every_example_policy_mentioned_exists() -> None:
    mentioned = set(re.findall(r"\bORG[0-9]{3}\b", TEXT))
    policies = {rule.id for rule in load_dir(ROOT / "examples" / "policies")}
    missing = sorted(mentioned - policies)
    assert not missing, f"docs/parity.md names example policies that do not exist: {missing}"


def _rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and cells[3] in STATUSES:
            rows.append(cells)
    return rows


def test_mapping_rows_name_a_rule_unless_nothing_covers_them() -> None:
    rows = _rows(TEXT)
    assert len(rows) > 100
    for cells in rows:
        has_rule = re.search(r"\bECS[0-9]{3}\b", cells[2]) is not None
        if cells[3] in ("covered", "partly"):
            assert has_rule, f"'{cells[0]}' is {cells[3]} but names no rule"
        elif cells[3] == "not yet":
            assert cells[2] == "none" and cells[4], f"'{cells[0]}' is not yet covered: say none and why"


def test_summary_totals_match_the_rows() -> None:
    peers, union = TEXT.split("\n## Union of check ideas\n")
    totals = re.findall(r"^\| \*\*total\*\* \| (.+) \|$", TEXT, re.MULTILINE)
    assert len(totals) == 2
    for part, total in zip((peers, union), totals, strict=True):
        rows = _rows(part)
        statuses = [cells[3] for cells in rows]
        expected = [len(rows), *(statuses.count(s) for s in ("covered", "partly", "not applicable", "not yet"))]
        assert [int(cell.strip(" *")) for cell in total.split("|")] == expected
