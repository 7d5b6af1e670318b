"""Third-party checks through the ``ecslint.checks`` entry-point group, with a fake installed plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import ECSLINT, GOOD

PLUGIN = """\
from pathlib import Path

from ecslint.checks import check
from ecslint.core.model import Violation


@check("acme_family_prefix")
def acme_family_prefix(td):
    family = td.data.get("family")
    if isinstance(family, str) and not family.startswith("acme-"):
        yield Violation("/family", {"family": family})


def rules_dir():
    return Path(__file__).parent / "rules"
"""

RULE = """\
id: ACME100
name: family-without-acme-prefix
severity: error
consequence: style
summary: Checks that the family starts with acme-.
rationale: Acme's cost reports group services by the family prefix.
references: [https://wiki.acme.example/ecs-naming]
check: acme_family_prefix
message: "family '{family}' does not start with acme-"
examples:
  - bad: {family: web, containerDefinitions: []}
    expect: [/family]
  - good: {family: acme-web, containerDefinitions: []}
"""


def _distribution(site: Path, name: str, version: str, entry_points: str) -> None:
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[ecslint.checks]\n{entry_points}\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    package = site / "acme_ecslint"
    (package / "rules").mkdir(parents=True)
    (package / "__init__.py").write_text(PLUGIN)
    (package / "rules" / "ACME100-family-without-acme-prefix.yaml").write_text(RULE)
    _distribution(site, "acme-ecslint", "0.1", "acme = acme_ecslint:rules_dir")
    return site


def _run(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    result = subprocess.run(
        [str(ECSLINT), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_plugin_checks_and_rules_are_loaded(tmp_path: Path, site: Path) -> None:
    (tmp_path / "td.json").write_text(json.dumps(GOOD))
    result = _run(site, "check", "--no-config", "-f", "json", "td.json", cwd=tmp_path)
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "ACME100"]
    assert [(f["pointer"], f["message"]) for f in findings] == [("/family", "family 'web' does not start with acme-")]
    assert result.returncode == 1 and result.stderr == ""
    selected = _run(site, "check", "--no-config", "--select", "ACME", "-f", "json", "td.json", cwd=tmp_path)
    assert {f["rule"] for f in json.loads(selected.stdout)["findings"]} == {"ACME100"}
    tested = _run(site, "rules", "test", str(site / "acme_ecslint" / "rules"), cwd=tmp_path)
    assert tested.returncode == 2 and "already used by" in tested.stderr  # the plugin's rules are loaded already


def test_a_broken_plugin_is_a_warning_and_the_run_goes_on(tmp_path: Path, site: Path) -> None:
    _distribution(site, "broken-plugin", "0.2", "broken = broken_plugin_that_is_not_there")
    (tmp_path / "td.json").write_text(json.dumps(GOOD))
    result = _run(site, "check", "--no-config", "-f", "json", "td.json", cwd=tmp_path)
    assert "ecslint: warning: plugin 'broken' from broken-plugin 0.2 failed to load and is skipped" in result.stderr
    assert "ModuleNotFoundError" in result.stderr
    assert "ACME100" in {f["rule"] for f in json.loads(result.stdout)["findings"]}
    quiet = _run(site, "check", "--no-config", "-q", "-f", "json", "td.json", cwd=tmp_path)
    assert quiet.stderr == "" and quiet.stdout == result.stdout  # -q: the findings only


def test_a_plugin_module_registers_checks_on_import(tmp_path: Path, site: Path) -> None:
    custom = tmp_path / "rules"
    custom.mkdir()
    (custom / "ACME100.yaml").write_text(RULE.replace("ACME100", "ACME200").replace("family-without", "fam-without"))
    import shutil

    shutil.rmtree(next(site.glob("acme_ecslint-*.dist-info")))
    _distribution(site, "acme-ecslint", "0.1", "acme = acme_ecslint")  # the module itself: importing registers
    (tmp_path / "td.json").write_text(json.dumps(GOOD))
    result = _run(site, "check", "--no-config", "--rules", str(custom), "-f", "json", "td.json", cwd=tmp_path)
    assert result.stderr == ""
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} >= {"ACME200"}
    without = _run(tmp_path, "check", "--no-config", "--rules", str(custom), "td.json", cwd=tmp_path)
    assert without.returncode == 2 and "check 'acme_family_prefix' is not registered" in without.stderr


def test_plugins_in_process(monkeypatch: pytest.MonkeyPatch, site: Path) -> None:
    monkeypatch.syspath_prepend(str(site))
    from ecslint.catalogue import plugins

    plugins.load.cache_clear()
    try:
        loaded = plugins.load()
        assert loaded.rule_dirs == (site / "acme_ecslint" / "rules",)
        assert loaded.loaded == ("acme (acme-ecslint 0.1)",) and loaded.warnings == ()
    finally:
        plugins.load.cache_clear()
        from ecslint import checks

        checks._REGISTRY.pop("acme_family_prefix", None)
        sys.modules.pop("acme_ecslint", None)
