"""What a reader makes of a file: the parsed file, and each task definition found in it."""

from __future__ import annotations

from ecslint.core.model import JSON
from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.syntax import Located


class ParsedFile:
    """One file parsed: its text, data, syntax problems and how to locate pointers in it.

    ``lossless``: the text is exactly the file's bytes decoded as UTF-8 (so a fix can be
    written back).  ``documents``: set by sources that find their documents while parsing
    (Terraform).
    """

    __slots__ = ("data", "documents", "index", "locator", "lossless", "ok", "path", "problems", "syntax", "text")

    def __init__(
        self,
        path: str,
        text: str | None,
        data: JSON | None,
        ok: bool,
        problems: list[Located] | None = None,
        locator: Locator | None = None,
        index: TextIndex | None = None,
        syntax: str = "json",
        lossless: bool = False,
        documents: list[Document] | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.ok = ok
        self.problems = problems if problems is not None else []
        self.locator = locator
        self.index = index
        self.syntax = syntax
        self.lossless = lossless
        self.documents = documents


class Document:
    """One task definition found in a file, as the API's camelCase data (or a service that runs one).

    ``origin``: "register", "describe", "cloudformation", "containers" or "terraform"; "service"
    "service" or "run-task" for what uses a task definition: its ``task`` is the document of that
    task definition when the same file holds it, else ``uses`` names it (a family, ``family:revision``
    or an ARN) for the run to find among its other files;
    ``base``: where the definition sits in the file, as a pointer ("" or "/taskDefinition");
    ``label``: how messages name it when a file holds several (a CloudFormation logical id);
    ``renamed``: pointer in ``data`` -> pointer in the file, where the file spells keys differently;
    ``instances``: the instance keys a Terraform reference may name (``""`` without ``count`` or
    ``for_each``, ``[0]``, ``["web"]``), None when they are known only at plan time.
    """

    __slots__ = (
        "base",
        "data",
        "index",
        "instances",
        "label",
        "locator",
        "origin",
        "path",
        "renamed",
        "task",
        "uses",
    )

    def __init__(
        self,
        path: str,
        data: dict[str, JSON],
        origin: str,
        base: str,
        locator: Locator,
        index: TextIndex,
        label: str | None = None,
        renamed: dict[str, str] | None = None,
        task: Document | None = None,
        uses: str | None = None,
        instances: frozenset[str] | None = frozenset({""}),
    ) -> None:
        self.path = path
        self.data = data
        self.origin = origin
        self.base = base
        self.locator = locator
        self.index = index
        self.label = label
        self.renamed = renamed
        self.task = task
        self.uses = uses
        self.instances = instances

    def source_pointer(self, pointer: str) -> str:
        """Where ``pointer`` (into ``data``) lands in the file (or its nearest mapped ancestor)."""
        if self.renamed is None:
            return self.base + pointer
        probe, rest = pointer, ""
        while probe and probe not in self.renamed:
            probe, tail = probe.rsplit("/", 1)
            rest = "/" + tail + rest
        return self.base + self.renamed.get(probe, probe) + rest
