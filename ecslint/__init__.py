"""ecslint: a linter and policy checker for Amazon ECS task definitions.

``from ecslint import check, check_paths`` is the Python API (``ecslint/api/``, docs/api.md).
It is imported on first use, so ``ecslint check`` starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecslint.api import Finding, check, check_paths

__version__ = "0.1.0"
__all__ = ["Finding", "__version__", "check", "check_paths"]
_API = frozenset({"Finding", "check", "check_paths"})


def __getattr__(name: str) -> object:
    if name in _API:
        from ecslint import api

        return getattr(api, name)
    raise AttributeError(f"module 'ecslint' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
