"""What every reporter is given besides the findings, and the reporter's signature."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from ecslint.catalogue.entries import Catalogue
from ecslint.core.model import Finding


class ReportContext(NamedTuple):
    catalogue: Catalogue
    version: str
    color: bool = False
    files_checked: int = 0
    quiet: bool = False  # the findings only: no summary (``--quiet``)


Reporter = Callable[[Sequence[Finding], ReportContext], str]
