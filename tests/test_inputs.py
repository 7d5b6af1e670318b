from __future__ import annotations

import os
from pathlib import Path

from ecslint.readers.inputs import Input, InputError, collect


def test_walk_is_sorted_recursive_and_filtered(tmp_path: Path) -> None:
    for name in ("b.json", "a.yaml", "c.yml", "d.txt", ".hidden.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.json").write_text("{}")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "f.json").write_text("{}")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "g.json").write_text("{}")
    found = [item for item in collect([str(tmp_path)]) if isinstance(item, Input)]
    assert [Path(item.display).relative_to(tmp_path).as_posix() for item in found] == [
        "a.yaml",
        "b.json",
        "c.yml",
        "sub/e.json",
    ]
    assert not any(item.explicit for item in found)


def test_a_path_given_twice_is_checked_once(tmp_path: Path) -> None:
    path = tmp_path / "td.json"
    path.write_text("{}")
    items = list(collect([str(path), str(path), str(tmp_path), "-", "-"]))
    assert [(type(i).__name__, getattr(i, "explicit", None)) for i in items] == [("Input", True), ("Input", True)]
    assert isinstance(items[1], Input) and items[1].path is None


def test_missing_paths_and_broken_links_are_errors(tmp_path: Path) -> None:
    (tmp_path / "link.json").symlink_to(tmp_path / "gone.json")
    items = list(collect([str(tmp_path / "nope.json"), str(tmp_path / "link.json")]))
    assert [item.reason for item in items if isinstance(item, InputError)] == [
        "no such file or directory",
        "broken symbolic link",
    ]


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "td.json").write_text("{}")
    items = list(collect([str(tmp_path)]))
    assert [Path(i.display).name for i in items if isinstance(i, Input)] == ["td.json"]


def test_unreadable_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "td.json").write_text("{}")
    locked.chmod(0)
    try:
        items = list(collect([str(tmp_path)]))
    finally:
        locked.chmod(0o755)
    if os.geteuid() == 0:  # root reads everything
        assert any(isinstance(i, Input) for i in items)
    else:
        assert any(isinstance(i, InputError) for i in items)
