"""Checks for the security area (see rules/ for their catalogue entries)."""

from __future__ import annotations
