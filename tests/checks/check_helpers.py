"""What the check tests share: run one check on a document and list what it found."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ecslint.core.model import JSON, Violation
from ecslint.core.taskdef import TaskDef

Check = Callable[[TaskDef], Iterable[Violation]]
Found = tuple[str, str, tuple[int, int] | None]


def run(check: Check, data: dict[str, JSON], origin: str = "register") -> list[Found]:
    """(pointer, variant, substring) of each violation ``check`` yields on ``data``."""
    return [(v.pointer, v.variant, v.substring) for v in check(TaskDef(data, origin))]
