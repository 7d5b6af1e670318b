"""``.gitignore`` and ``.ignore`` files, honoured by folder walks as git, ripgrep and ruff honour them.

Each ignore file applies to the paths below its own folder, with git's pattern rules
(``pathspec``'s ``GitIgnoreSpec``): the files of the walked folders, and, inside a git
repository, those of the folders between the repository's top and the walked folder.  A
deeper file's patterns come after a shallower one's, and ``.ignore`` after ``.gitignore`` in
the same folder (ripgrep's order), so the last pattern that matches decides, and ``!pattern``
can bring a file back unless a folder above it is ignored (git never looks inside an
ignored folder).  The repository's own ``info/exclude`` (``.git/info/exclude``, or the common
git folder's for a worktree) comes before every ignore file, as in git, where it is the
weakest source.  A folder named on the command line is walked even when the files above
it ignore it (ripgrep and ruff do the same); its own ignore files still count.
``pathspec`` is imported only when an ignore file is found.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

IGNORE_FILES = (".gitignore", ".ignore")


class _Spec(NamedTuple):
    scope: str  # the folder it applies below, relative to the walked folder, "/"-separated ("" for all)
    prefix: str  # put before the path below ``scope`` (a parent folder's file sees the walked folder's path)
    spec: GitIgnoreSpec


class IgnoreRules(NamedTuple):
    """The ignore files that apply in one folder of a walk, shallowest first."""

    specs: tuple[_Spec, ...] = ()

    def ignored(self, relative: str, is_dir: bool) -> bool:
        """Whether the path (relative to the walked folder, "/"-separated; "" for that folder) is ignored."""
        decision = False
        for scope, prefix, spec in self.specs:
            if scope:
                if not relative.startswith(scope + "/"):
                    continue
                below = relative[len(scope) + 1 :]
            else:
                below = relative
            path = (prefix + below).rstrip("/")
            result = spec.check_file(path + "/" if is_dir else path)
            if result.include is not None:
                decision = result.include
        return decision

    def entering(self, directory: str, relative: str, names: Iterable[str]) -> IgnoreRules:
        """The rules inside ``directory`` (``relative`` to the walked folder), whose entries are ``names``."""
        found = [name for name in IGNORE_FILES if name in names]
        if not found:
            return self
        specs = [_Spec(relative, "", spec) for spec in _read(directory, found)]
        return IgnoreRules((*self.specs, *specs))


def rules_above(root: str) -> IgnoreRules:
    """The ignore files of the folders above ``root`` up to its git repository's top (none outside one)."""
    here = os.path.abspath(root)
    chain: list[str] = []
    folder = here
    while True:
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")):
            break
        if parent == folder:
            return IgnoreRules()  # not in a repository: only the walked folders' own files count
        chain.append(parent)
        folder = parent
    specs: list[_Spec] = []
    exclude = _exclude_file(os.path.join(folder, ".git"))
    if exclude is not None:
        prefix = "" if folder == here else os.path.relpath(here, folder).replace(os.sep, "/") + "/"
        specs.extend(_Spec("", prefix, spec) for spec in _read(os.path.dirname(exclude), [os.path.basename(exclude)]))
    for directory in reversed(chain):
        names = [name for name in IGNORE_FILES if os.path.isfile(os.path.join(directory, name))]
        if names:
            prefix = os.path.relpath(here, directory).replace(os.sep, "/") + "/"
            specs.extend(_Spec("", prefix, spec) for spec in _read(directory, names))
    rules = IgnoreRules(tuple(specs))
    if specs and rules.ignored("", True):
        return IgnoreRules()  # the folder was named although ignored: walk it, as ripgrep and ruff do
    return rules


def _exclude_file(git: str) -> str | None:
    """``info/exclude`` of the git folder ``git`` (a worktree's ``.git`` file names its folder, whose
    ``commondir`` names the shared one); None when there is none."""
    try:
        if os.path.isfile(git):
            with open(git, encoding="utf-8", errors="replace") as file:
                line = file.read(4096).strip()
            if not line.startswith("gitdir:"):
                return None
            git = os.path.join(os.path.dirname(git), line[len("gitdir:") :].strip())
            common = os.path.join(git, "commondir")
            if os.path.isfile(common):
                with open(common, encoding="utf-8", errors="replace") as file:
                    git = os.path.join(git, file.read(4096).strip())
        exclude = os.path.join(git, "info", "exclude")
        return exclude if os.path.isfile(exclude) else None
    except OSError:
        return None


def _read(directory: str, names: list[str]) -> list[GitIgnoreSpec]:
    from pathspec import GitIgnoreSpec

    specs = []
    for name in names:
        try:
            with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as file:
                specs.append(GitIgnoreSpec.from_lines(file.read().splitlines()))
        except OSError:
            continue  # an unreadable ignore file ignores nothing, as git treats it
    return specs
