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


def _wheel_entries() -> list[tuple[str, dict[str, object]]]:
    """The built-in catalogue as hatch_build.py compiles it into the wheel (YAML -> JSON text)."""
    import json

    from ecslint.catalogue.entries import load_dir, rules_dir
    from ecslint.readers.yamlio import safe_yaml

    yaml = safe_yaml()
    root = rules_dir()
    assert load_dir(root)  # the folder holds the catalogue
    return [
        (path.relative_to(root.parent).as_posix(), json.loads(json.dumps(yaml.load(path.read_text("utf-8")))))
        for path in sorted(root.rglob("*.yaml"))
    ]


def test_the_pickled_catalogue_is_the_catalogue_built_from_its_json(tmp_path: Path) -> None:
    from ecslint.catalogue.entries import compile_rules, load_compiled_rules, rule_from_mapping

    entries = _wheel_entries()
    path = tmp_path / "catalogue.pickle"
    path.write_bytes(compile_rules(entries))
    loaded = load_compiled_rules(path)
    assert loaded == [rule_from_mapping(raw, source) for source, raw in entries]
    assert loaded is not None and len(loaded) == len(entries) > 100


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x04K\x01.", b"\x80\x04]\x94K\x01a."])
def test_a_broken_pickled_catalogue_is_not_used(tmp_path: Path, content: bytes) -> None:
    from ecslint.catalogue.entries import load_compiled_rules

    path = tmp_path / "catalogue.pickle"
    path.write_bytes(content)  # empty, not a pickle, the int 1, the list [1]
    assert load_compiled_rules(path) is None


def test_an_installed_ecslint_reads_the_pickled_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.catalogue import entries
    from ecslint.core import data

    first, *others = _wheel_entries()
    source, raw = first
    path = tmp_path / entries.COMPILED_RULES
    path.write_bytes(entries.compile_rules([(source, {**raw, "summary": "from the pickle"}), *others]))
    monkeypatch.setattr(data, "compiled_file", lambda name: path if name == entries.COMPILED_RULES else None)
    catalogue = entries.builtin.__wrapped__()  # not the process's cached catalogue
    assert catalogue.by_id[str(raw["id"])].summary == "from the pickle"
    assert len(catalogue) == len(others) + 1
