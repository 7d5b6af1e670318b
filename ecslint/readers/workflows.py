"""Which files a repository's GitHub workflows register with aws-actions/amazon-ecs-deploy-task-definition.

GitHub's guide to deploying to ECS keeps the task definition in the repository (made with
``describe-task-definition``), renders it with amazon-ecs-render-task-definition and registers it
with amazon-ecs-deploy-task-definition, which removes the describe-only fields and the empty
members first (docs/consumers.md).  A file named as the ``task-definition`` input of a step in a
workflow that uses the deploy action is registered by the action, so that is its consumer unless
``--target`` says otherwise.  The workflows are read as text (no YAML parser: they are only
searched), once per repository.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

_DEPLOY_ACTION = re.compile(r"aws-actions/amazon-ecs-deploy-task-definition@", re.IGNORECASE)
_TASK_DEFINITION_INPUT = re.compile(r"^[ \t]*task-definition:[ \t]*(['\"]?)([^'\"#\r\n]+?)\1[ \t]*(?:#.*)?$", re.M)
_MAX_WORKFLOW_BYTES = 1 << 20


def registered_by_deploy_action(path: str) -> bool:
    """Whether a workflow of the repository holding ``path`` registers it with the deploy action."""
    try:
        parent, file, name = _resolved_parent(path)
    except (OSError, RuntimeError, ValueError):
        return False
    root = _repository_root(parent)
    if root is None:
        return False
    deployed = _deployed_files(root)
    return bool(deployed) and (file or parent / name) in deployed


def in_repository(path: str) -> bool:
    """Whether ``path`` is inside a git repository (the only disk access for a file outside one)."""
    try:
        parent, _, _ = _resolved_parent(path)
        return _repository_root(parent) is not None
    except (OSError, RuntimeError, ValueError):
        return False


def _resolved_parent(path: str) -> tuple[Path, Path | None, str]:
    """The folder of ``Path(path).resolve()``, the resolved file when it had to be resolved (None
    when it is the folder's ``name``), and ``name``: a file that is not a symbolic link costs one
    ``lstat`` (its folder is resolved once per folder), not one per component of its path."""
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or os.path.islink(path):
        file = Path(path).resolve()
        return file.parent, file, name
    return _resolved_folder(os.path.join(os.getcwd(), folder)), None, name


@lru_cache(maxsize=256)
def _resolved_folder(folder: str) -> Path:
    """``Path(folder).resolve()`` once per folder: a file that is not a symbolic link then costs one
    ``lstat``, not one per component of its path (``Path.resolve`` cost 15 µs a file)."""
    return Path(folder).resolve()


@lru_cache(maxsize=256)
def _repository_root(folder: Path) -> Path | None:
    """The nearest folder holding ``.git`` (a folder or, in a worktree, a file); None outside one."""
    try:
        if (folder / ".git").exists():
            return folder
    except OSError:
        return None
    parent = folder.parent
    return None if parent == folder else _repository_root(parent)


@lru_cache(maxsize=64)
def _deployed_files(root: Path) -> frozenset[Path]:
    found: set[Path] = set()
    folder = root / ".github" / "workflows"
    try:
        workflows = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))
    except OSError:
        return frozenset()
    for workflow in workflows:
        try:
            if workflow.stat().st_size > _MAX_WORKFLOW_BYTES:
                continue
            text = workflow.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not _DEPLOY_ACTION.search(text):
            continue
        for match in _TASK_DEFINITION_INPUT.finditer(text):
            value = match.group(2).strip()
            if "${{" in value or not value:
                continue  # an earlier step's output (the render action's file): not a path in the repository
            try:
                found.add((root / value).resolve())
            except (OSError, RuntimeError, ValueError):
                continue
    return frozenset(found)
