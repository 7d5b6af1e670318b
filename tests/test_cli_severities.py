"""End-to-end: severities that follow the evidence of docs/facts.md 26 (issue 12, part B)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import GOOD, run

pytestmark = pytest.mark.slow  # each case runs the console script in a new process


def _check(tmp_path: Path, document: dict[str, Any]) -> tuple[int, dict[str, set[str]], dict[str, str]]:
    (tmp_path / "td.json").write_text(json.dumps(document, indent=2))
    result = run("check", "--no-config", "--format", "json", "td.json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    by_severity: dict[str, set[str]] = {}
    messages: dict[str, str] = {}
    for finding in json.loads(result.stdout)["findings"]:
        by_severity.setdefault(finding["severity"], set()).add(finding["rule"])
        messages[finding["rule"]] = finding["message"]
    return result.returncode, by_severity, messages


def test_unverified_outcomes_are_warnings_and_do_not_fail_the_run(tmp_path: Path) -> None:
    document = copy.deepcopy(GOOD)
    container = document["containerDefinitions"][0]
    # Docker runs no probe for a command without CMD or CMD-SHELL: the health stays UNKNOWN (26.13)
    container["healthCheck"] = {"command": ["wget -q -O /dev/null http://localhost/ || exit 1"]}
    # the documented 60..1800 seconds, with no refusal seen (26.14)
    container["restartPolicy"] = {"enabled": True, "restartAttemptPeriod": 30}
    code, found, messages = _check(tmp_path, document)
    assert {"ECS502", "ECS508"} <= found.get("warning", set())
    assert "error" not in found, found
    assert code == 0
    assert messages["ECS502"].endswith("instead of CMD or CMD-SHELL: Docker runs no health check")
    assert "the ECS API documents 60 to 1800 seconds" in messages["ECS508"]


def test_what_registration_refuses_stays_an_error(tmp_path: Path) -> None:
    document = copy.deepcopy(GOOD)
    container = document["containerDefinitions"][0]
    container["mountPoints"] = [{"sourceVolume": "cache", "containerPath": "/var/cache/nginx"}]  # Unknown volume
    container["logConfiguration"]["options"]["awslogs-group"] = "/ecs/web:*"  # contains invalid characters
    code, found, _ = _check(tmp_path, document)
    assert {"ECS236", "ECS412"} <= found.get("error", set())
    assert code == 1


def test_rules_lists_the_outcome_the_evidence_shows() -> None:
    listed = {rule["id"]: rule for rule in json.loads(run("rules", "--format", "json").stdout)}
    outcomes = {rule: (listed[rule]["severity"], listed[rule]["consequence"]) for rule in listed}
    # refused at registration (docs/facts.md 26.2, 26.3, 26.4, 26.9, 26.11), no longer "fails at launch"
    for rule in ("ECS235", "ECS236", "ECS239", "ECS410", "ECS412"):
        assert outcomes[rule] == ("error", "rejected"), rule
    # the task runs; its health or its restart limit is what is not as written (26.13, 26.14)
    assert outcomes["ECS502"] == outcomes["ECS508"] == ("warning", "reliability")
