"""ecslint: a linter and policy checker for Amazon ECS task definitions."""

from __future__ import annotations

__version__ = "0.1.0"
