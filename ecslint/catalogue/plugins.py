"""Third-party checks and rules through the ``ecslint.checks`` entry-point group.

A distribution declares, in its ``pyproject.toml``::

    [project.entry-points."ecslint.checks"]
    acme = "acme_ecslint"            # a module: importing it registers its @check functions
    acme-rules = "acme_ecslint:rules_dir"   # or a callable returning rule folders

Each entry point is loaded on its own.  The object it names may be a module (importing it is
what registers its checks) or a callable; a callable is called with no arguments and may
return None, a folder of rule YAML files, or a list of them.  Those folders join the
catalogue like ``--rules`` folders (their ids must not clash with built-in rules).  An entry
point that fails to load is a warning naming its distribution and version; the run goes on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

GROUP = "ecslint.checks"


class Plugins(NamedTuple):
    rule_dirs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    loaded: tuple[str, ...] = ()  # "name (distribution version)"


def _origin(entry_point: object) -> str:
    dist = getattr(entry_point, "dist", None)
    if dist is None:
        return "an unknown distribution"
    return f"{dist.metadata['Name'] or dist.name} {dist.version}"


def _declared_anywhere() -> bool:
    """Whether any installed distribution declares an entry point of the group.

    A cheap look at the ``entry_points.txt`` files on ``sys.path`` (importlib.metadata costs
    about 10 ms to import, at every start, for a group that is usually empty).
    """
    import os
    import sys

    marker = f"[{GROUP}]"
    for entry in sys.path:
        try:
            names = [n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(entry or ".", name, "entry_points.txt"), encoding="utf-8") as handle:
                    if marker in handle.read():
                        return True
            except (OSError, UnicodeDecodeError):
                continue
    return False


@lru_cache(maxsize=1)
def load() -> Plugins:
    """Load every entry point of the group once per process."""
    if not _declared_anywhere():
        return Plugins()  # the built-in checks are imported when a lookup needs them
    from ecslint import checks

    checks.registered()  # the built-in checks first, so a plugin cannot take their names
    from importlib.metadata import entry_points

    dirs: list[Path] = []
    warnings: list[str] = []
    loaded: list[str] = []
    for entry_point in sorted(entry_points(group=GROUP), key=lambda ep: ep.name):
        origin = _origin(entry_point)
        try:
            target = entry_point.load()
            result = None if isinstance(target, ModuleType) or not callable(target) else target()
            found = _folders(result)
        except Exception as error:  # a broken plugin must not stop the run
            warnings.append(
                f"plugin {entry_point.name!r} from {origin} failed to load and is skipped: "
                f"{type(error).__name__}: {error}"
            )
            continue
        dirs.extend(found)
        loaded.append(f"{entry_point.name} ({origin})")
    return Plugins(tuple(dirs), tuple(warnings), tuple(loaded))


def _folders(result: object) -> list[Path]:
    if result is None:
        return []
    if isinstance(result, (str, Path)):
        items: list[object] = [result]
    elif isinstance(result, (list, tuple)):
        items = list(result)
    else:
        raise TypeError(f"expected None, a folder or a list of folders, not {type(result).__name__}")
    folders = [Path(item) for item in items if isinstance(item, (str, Path))]
    if len(folders) != len(items):
        raise TypeError("the rule folders must be paths")
    for folder in folders:
        if not folder.is_dir():
            raise FileNotFoundError(f"rule folder {folder} does not exist")
    return folders
