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


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _walked(root: Path, *, respect_ignore: bool = True) -> list[str]:
    found = collect([str(root)], respect_ignore=respect_ignore)
    return [Path(item.display).relative_to(root).as_posix() for item in found if isinstance(item, Input)]


def test_walks_honour_gitignore_and_ignore_files_with_git_semantics(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "generated/\n*.tmp.json\n/top-only.json\n# a comment\n",
            ".ignore": "scratch.yaml\n",
            "a.json": "{}",
            "x.tmp.json": "{}",
            "top-only.json": "{}",
            "scratch.yaml": "{}",
            "generated/b.json": "{}",
            "generated/.gitignore": "!b.json\n",  # git never looks inside an ignored folder
            "sub/top-only.json": "{}",  # "/top-only.json" is anchored to the root's folder
            "sub/keep.tmp.json": "{}",
            "sub/drop.json": "{}",
            "sub/.gitignore": "!keep.tmp.json\ndrop.json\n",
            "sub/deeper/drop.json": "{}",  # a pattern without "/" matches at any depth below its folder
        },
    )
    assert _walked(tmp_path) == ["a.json", "sub/keep.tmp.json", "sub/top-only.json"]
    assert len(_walked(tmp_path, respect_ignore=False)) == 9


def test_ignore_files_above_the_walked_folder_count_inside_a_repository_only(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "deploy/old/\n*.bak.json\n", "deploy/a.json": "{}", "deploy/a.bak.json": "{}"})
    _tree(tmp_path, {"deploy/old/b.json": "{}", "deploy/new/c.json": "{}"})
    assert _walked(tmp_path / "deploy") == ["a.bak.json", "a.json", "new/c.json", "old/b.json"]  # no repository
    (tmp_path / ".git").mkdir()
    assert _walked(tmp_path / "deploy") == ["a.json", "new/c.json"]
    assert _walked(tmp_path / "deploy" / "new") == ["c.json"]
    assert _walked(tmp_path / "deploy" / "old") == ["b.json"]  # named, although ignored: walked


def test_files_named_on_the_command_line_are_checked_even_when_ignored(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "*.json\n", "td.json": "{}"})
    assert _walked(tmp_path) == []
    assert [item.display for item in collect([str(tmp_path / "td.json")])] == [str(tmp_path / "td.json")]


def test_walks_honour_the_repositorys_info_exclude_as_gits_weakest_source(tmp_path: Path) -> None:
    _tree(tmp_path, {".git/info/exclude": "local-*.json\nscratch/\n", "a.json": "{}", "local-b.json": "{}"})
    _tree(tmp_path, {"scratch/c.json": "{}", "deploy/local-d.json": "{}", "deploy/.gitignore": "!local-d.json\n"})
    assert _walked(tmp_path) == ["a.json", "deploy/local-d.json"]  # deploy/.gitignore is stronger
    assert _walked(tmp_path / "deploy") == ["local-d.json"]
    (tmp_path / "deploy" / ".gitignore").unlink()
    assert _walked(tmp_path / "deploy") == []  # the walked folder's path below the top is what exclude sees
    assert len(_walked(tmp_path, respect_ignore=False)) == 4


def test_a_worktrees_info_exclude_is_the_common_git_folders(tmp_path: Path) -> None:
    common = tmp_path / "main" / ".git"
    _tree(tmp_path, {"main/.git/info/exclude": "*.local.json\n", "main/.git/worktrees/wt/commondir": "../..\n"})
    _tree(tmp_path, {"wt/.git": f"gitdir: {common / 'worktrees' / 'wt'}\n", "wt/a.json": "{}", "wt/b.local.json": "{}"})
    assert _walked(tmp_path / "wt") == ["a.json"]
