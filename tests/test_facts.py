"""The facts the checks rest on, against the AWS API model that botocore bundles.

docs/facts.md is the project's record of what AWS accepts; the checks' tables are written from
it.  These tests read the ECS model of the pinned botocore (the test extra, as
schemas/generate.py does) and fail when the model documents something the project does not
know yet: a Fargate size the size table lacks, a task-definition or container-definition member
(or any shape they reach) that docs/facts.md section 8 does not list, an enum value section 8.1
does not list.  A failure is a prompt to review the new fact (Fargate support, Windows, the
rules it touches), record it in docs/facts.md with its source and date, and update the tables.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ecslint.checks.compute import EC2_TASK_CPU_RANGE
from ecslint.checks.fargate import FARGATE_SIZES

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "docs" / "facts.md"


@cache
def model_shapes() -> dict[str, Any]:
    pytest.importorskip("botocore", reason="botocore (the test extra) holds the ECS model")
    from tests.test_schema import load_generator

    model, _ = load_generator().load_model()
    shapes: dict[str, Any] = model["shapes"]
    return shapes


def _text(documentation: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", documentation))


def _mib(amount: str, unit: str | None) -> int:
    return int(float(amount) * 1024) if unit and unit.upper() == "GB" else int(amount)


_RANGE = re.compile(
    r"Between\s+(\d+)\s*(GB)?(?:\s*\([^)]*\))?\s+and\s+(\d+)\s*(GB)?(?:\s*\([^)]*\))?\s+"
    r"(?:in\s+increments\s+of\s+(\d+)\s*(GB)?(?:\s*\([^)]*\))?|in\s+(\d+)\s*(GB)?\s+increments)",
    re.IGNORECASE,
)
_LIST = re.compile(r"^\s*\d+\s*\([^)]*\)(?:\s*,\s*\d+\s*\([^)]*\))*\s*$")
_CPU = re.compile(r"Available\s+cpu\s+values?\s*:\s*(.+)$", re.IGNORECASE)


def documented_fargate_sizes(documentation: str) -> dict[int, set[int]]:
    """cpu -> memory values, read from the ``memory`` member's list of Fargate sizes.

    Raises AssertionError naming the item when an item is in a form this reader does not know,
    so a rewritten or extended table is looked at rather than skipped.
    """
    items = re.findall(r"<li>(.*?)</li>", documentation, re.DOTALL)
    sizes: dict[int, set[int]] = {}
    for item in items:
        text = " ".join(_text(item).split())
        text = re.sub(r"\s*This option requires .*$", "", text)
        if " - " not in text:
            raise AssertionError(f"a Fargate size item in a form this test cannot read: {text!r}")
        memory_text, cpu_text = text.rsplit(" - ", 1)
        cpu_match = _CPU.search(cpu_text)
        if cpu_match is None:
            raise AssertionError(f"a Fargate size item in a form this test cannot read: {text!r}")
        cpus = [int(n) for n in re.findall(r"(\d+)\s*\([^)]*vCPU\)", cpu_match.group(1))]
        range_match = _RANGE.search(memory_text)
        if range_match is not None:
            first, first_unit, last, last_unit, step, step_unit, step2, step2_unit = range_match.groups()
            low, high = _mib(first, first_unit), _mib(last, last_unit)
            step_mib = _mib(step, step_unit) if step else _mib(step2, step2_unit)
            memories = set(range(low, high + 1, step_mib))
        elif _LIST.match(memory_text):
            memories = {int(n) for n in re.findall(r"(\d+)\s*\(", memory_text)}
        else:
            raise AssertionError(f"a Fargate size item in a form this test cannot read: {text!r}")
        if not cpus or not memories:
            raise AssertionError(f"a Fargate size item in a form this test cannot read: {text!r}")
        for cpu in cpus:
            sizes.setdefault(cpu, set()).update(memories)
    return sizes


def test_the_reader_understands_the_forms_the_model_uses() -> None:
    documentation = (
        "<ul> <li> <p>512 (0.5 GB), 1024 (1 GB) - Available <code>cpu</code> values: 256 (.25 vCPU)</p> </li>"
        " <li> <p>Between 4096 (4 GB) and 6144 (6 GB) in increments of 1024 (1 GB) - Available"
        " <code>cpu</code> values: 2048 (2 vCPU)</p> </li>"
        " <li> <p>Between 16 GB and 24 GB in 4 GB increments - Available <code>cpu</code> values: 8192 (8 vCPU)</p>"
        " <p>This option requires Linux platform <code>1.4.0</code> or later.</p> </li> </ul>"
    )
    assert documented_fargate_sizes(documentation) == {
        256: {512, 1024},
        2048: {4096, 5120, 6144},
        8192: {16384, 20480, 24576},
    }
    with pytest.raises(AssertionError, match="cannot read"):
        documented_fargate_sizes("<li><p>60 GB, 120 GB or 244 GB with 32 vCPU</p></li>")


def test_every_fargate_size_the_model_documents_is_in_the_table() -> None:
    """A new size in botocore's RegisterTaskDefinitionRequest.memory text fails here (docs/facts.md 1.1)."""
    member = model_shapes()["RegisterTaskDefinitionRequest"]["members"]["memory"]
    documented = documented_fargate_sizes(member["documentation"])
    assert len(documented) >= 7, documented  # the reader found the table (seven rows in botocore 1.44.8)
    unknown = {
        cpu: sorted(memory - set(FARGATE_SIZES.get(cpu, ())))
        for cpu, memory in documented.items()
        if memory - set(FARGATE_SIZES.get(cpu, ()))
    }
    assert not unknown, (
        f"the API model documents Fargate sizes the table in ecslint/checks/fargate.py does not know: {unknown}; "
        "record them in docs/facts.md 1.1 with the source and date, then add them to the table"
    )


def test_the_ec2_task_cpu_range_is_the_models() -> None:
    text = " ".join(_text(model_shapes()["RegisterTaskDefinitionRequest"]["members"]["cpu"]["documentation"]).split())
    match = re.search(r"between (\d+) CPU units .*? and (\d+) CPU units", text)
    assert match is not None, text
    assert (int(match.group(1)), int(match.group(2))) == EC2_TASK_CPU_RANGE  # docs/facts.md 2.1


def _section(number: str) -> str:
    text = FACTS.read_text(encoding="utf-8")
    start = re.search(rf"^#{{2,3}} {re.escape(number)}[ .]", text, re.MULTILINE)
    assert start is not None, f"docs/facts.md has no section {number}"
    end = re.search(r"^#{2,3} ", text[start.end() :], re.MULTILINE)
    return text[start.end() : start.end() + end.start()] if end else text[start.end() :]


def documented_members() -> dict[str, set[str]]:
    """Shape -> member names, from docs/facts.md section 8 (``- **Shape**: *a: str; b: int?; ...``)."""
    shapes: dict[str, set[str]] = {}
    for name, members in re.findall(r"^- \*\*(\w+)\*\*: (.*)$", _section("8"), re.MULTILINE):
        shapes[name] = {part.split(":", 1)[0].strip().lstrip("*") for part in members.split(";") if ":" in part}
    return shapes


def documented_enums() -> dict[str, set[str]]:
    """Enum shape -> values, from docs/facts.md section 8.1 (``- `Name`: a, b, c``)."""
    return {
        name: {value.strip() for value in values.split(",")}
        for name, values in re.findall(r"^- `(\w+)`: (.*)$", _section("8.1"), re.MULTILINE)
    }


def _reached(shapes: dict[str, Any], root: str) -> list[str]:
    """The structure shapes reachable from ``root``, in the order a walk meets them."""
    seen: list[str] = []
    stack = [root]
    while stack:
        name = stack.pop()
        shape = shapes[name]
        if shape["type"] == "structure":
            if name in seen:
                continue
            seen.append(name)
            stack.extend(member["shape"] for member in reversed(list(shape["members"].values())))
        elif shape["type"] == "list":
            stack.append(shape["member"]["shape"])
        elif shape["type"] == "map":
            stack.append(shape["value"]["shape"])
    return seen


def test_every_member_the_model_has_is_in_the_facts() -> None:
    """A member AWS adds to a task or container definition (or anything they reach) fails here."""
    shapes = model_shapes()
    documented = documented_members()
    new: list[str] = []
    gone: list[str] = []
    for name in _reached(shapes, "RegisterTaskDefinitionRequest"):
        model_members = set(shapes[name]["members"])
        known = documented.get(name)
        if known is None:
            new.append(f"{name} (the whole shape)")
            continue
        new += [f"{name}.{member}" for member in sorted(model_members - known)]
        gone += [f"{name}.{member}" for member in sorted(known - model_members)]
    assert not new, (
        f"the API model has members docs/facts.md section 8 does not list: {new}; review each (Fargate 3.4, "
        "Windows 3.5, the rules and checks it touches, describe output 8.2) and record it in docs/facts.md"
    )
    assert not gone, f"docs/facts.md section 8 lists members the API model no longer has: {gone}"


def test_every_enum_value_the_model_has_is_in_the_facts() -> None:
    """A new log driver, OS family, launch type... fails here until docs/facts.md 8.1 and the checks know it."""
    shapes = model_shapes()
    for name, values in documented_enums().items():
        assert name in shapes, f"docs/facts.md 8.1 lists {name}, which the API model does not have"
        model_values = set(shapes[name].get("enum", ()))
        assert model_values == values, (
            f"{name}: the model has {sorted(model_values - values)} that docs/facts.md 8.1 lacks, "
            f"and docs/facts.md 8.1 has {sorted(values - model_values)} that the model lacks"
        )
    reached = _reached(shapes, "RegisterTaskDefinitionRequest")
    used: set[str] = set()
    for name in reached:
        for member in shapes[name]["members"].values():
            shape = member["shape"]
            if shapes[shape]["type"] == "list":
                shape = shapes[shape]["member"]["shape"]
            if "enum" in shapes[shape]:
                used.add(shape)
    unlisted = sorted(used - set(documented_enums()))
    assert not unlisted, f"enums the model uses that docs/facts.md 8.1 does not list: {unlisted}"


_CITATION = re.compile(r"docs/facts\.md (\d+(?:\.\d+)?)")


def test_every_citation_of_the_facts_names_a_section_there() -> None:
    """Code and catalogue cite docs/facts.md by section; each cited section must exist."""
    text = FACTS.read_text(encoding="utf-8")
    sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[ .]", text, re.MULTILINE))
    cited = {
        (str(path.relative_to(ROOT)), number)
        for folder in ("ecslint", "rules", "schemas")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".py", ".yaml"}
        for number in _CITATION.findall(path.read_text(encoding="utf-8"))
    }
    assert cited
    dangling = sorted((path, number) for path, number in cited if number not in sections)
    assert not dangling, f"citations of docs/facts.md sections that do not exist: {dangling}"


def test_every_rule_that_can_be_an_error_cites_its_evidence() -> None:
    """An error says AWS rejects the file or the task fails: its catalogue entry cites the section of
    docs/facts.md that records the error text or behaviour, with its source and date (issue 12)."""
    uncited = []
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*severity: error\b", text, re.MULTILINE) and not _CITATION.search(text):
            uncited.append(path.name)
    assert not uncited, f"rules that can be errors without citing docs/facts.md: {uncited}"


def facts_size_table() -> dict[int, tuple[tuple[int, ...], bool]]:
    """cpu -> (memory values, offered for Windows), from the table in docs/facts.md 1.1."""
    table: dict[int, tuple[tuple[int, ...], bool]] = {}
    for line in _section("1.1").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].isdigit():
            continue
        memory = re.sub(r"\s*\([^)]*\)", "", cells[2])  # "(13 values)", "(60, 120, 244 GB)"
        stepped = re.fullmatch(r"(\d+)\.\.(\d+) step (\d+)", memory)
        if stepped:
            low, high, step = (int(group) for group in stepped.groups())
            values = tuple(range(low, high + 1, step))
        else:
            values = tuple(int(value) for value in memory.split(","))
        table[int(cells[0])] = (values, "Windows" in cells[3])
    return table


def test_the_size_table_is_the_one_in_the_facts() -> None:
    """ecslint/checks/fargate.py and docs/facts.md 1.1 say the same, row by row."""
    from ecslint.checks.fargate import FARGATE_WINDOWS_CPUS

    table = facts_size_table()
    assert {cpu: memory for cpu, (memory, _) in table.items()} == FARGATE_SIZES
    assert tuple(cpu for cpu, (_, windows) in table.items() if windows) == FARGATE_WINDOWS_CPUS
