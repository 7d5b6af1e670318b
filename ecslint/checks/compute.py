"""Checks for the compute area (see rules/ for their catalogue entries)."""

from __future__ import annotations
