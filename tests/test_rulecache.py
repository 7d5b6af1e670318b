from __future__ import annotations

import time
from pathlib import Path

import pytest

from ecslint.catalogue.cache import cached_rule_mappings


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ECSLINT_NO_CACHE", raising=False)
    folder = tmp_path / "rules" / "area"
    folder.mkdir(parents=True)
    (folder / "A.yaml").write_text("id: ORG001\nname: a\n")
    return tmp_path / "rules"


def test_parsed_once_then_read_from_the_cache(rules: Path, tmp_path: Path) -> None:
    first = cached_rule_mappings(rules)
    assert first == [(str(rules / "area" / "A.yaml"), {"id": "ORG001", "name": "a"})]
    [cache] = list((tmp_path / "cache" / "ecslint").glob("catalogue-*.json"))
    cache.write_text(cache.read_text().replace("ORG001", "ORG777"))  # prove the second read uses it
    assert cached_rule_mappings(rules) == [(str(rules / "area" / "A.yaml"), {"id": "ORG777", "name": "a"})]


def test_an_edited_rule_file_is_read_again(rules: Path, tmp_path: Path) -> None:
    cached_rule_mappings(rules)
    path = rules / "area" / "A.yaml"
    time.sleep(0.01)
    path.write_text("id: ORG002\nname: b\n")
    assert cached_rule_mappings(rules) == [(str(path), {"id": "ORG002", "name": "b"})]
    assert len(list((tmp_path / "cache" / "ecslint").glob("catalogue-*.json"))) == 1


def test_broken_files_and_opt_out_are_not_cached(rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (rules / "area" / "B.yaml").write_text("id: [unclosed\n")
    assert cached_rule_mappings(rules) is None
    (rules / "area" / "B.yaml").unlink()
    monkeypatch.setenv("ECSLINT_NO_CACHE", "1")
    assert cached_rule_mappings(rules) is None
    assert not (tmp_path / "cache" / "ecslint").exists()


def test_an_unwritable_cache_folder_is_not_an_error(
    rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cached_rule_mappings(rules) == [(str(rules / "area" / "A.yaml"), {"id": "ORG001", "name": "a"})]
