"""The layout shows the architecture: layers as subpackages, imports only downwards, no circles.

docs/architecture.md draws the same map.  Every import statement counts, including those inside
functions (the lazy ones that keep start-up fast): a circle through a lazy import is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ecslint"

# layer -> the layers it may import (besides itself).  "ecslint" is the package root
# (``ecslint/__init__.py``: the version, and the API's names imported on first use).
ALLOWED: dict[str, set[str]] = {
    "ecslint": {"api"},
    "core": set(),
    "readers": {"core"},
    "schema": {"core"},
    "checks": {"core"},
    "catalogue": {"core", "readers", "checks"},
    "config": {"core", "readers", "catalogue"},
    "engine": {"core", "readers", "schema", "checks", "catalogue", "config"},
    "account": {"core"},
    "reporters": {"core", "catalogue"},
    "api": {"core", "readers", "schema", "checks", "catalogue", "config", "engine", "reporters"},
    "lsp": {"ecslint", "api", "core", "readers", "schema", "catalogue", "config"},
    "cli": {
        "lsp",
        "ecslint",
        "core",
        "readers",
        "schema",
        "checks",
        "catalogue",
        "config",
        "engine",
        "reporters",
        "account",
    },
    "__main__": {"cli"},
}
MAX_TOP_LEVEL_MODULES = 12


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The ecslint modules that ``name`` imports anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from ecslint.x import y`` imports the module ecslint.x.y when there is one.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        found.update(target for target in targets if target == "ecslint" or target.startswith("ecslint."))
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "ecslint"


def test_every_layer_is_known() -> None:
    layers = {_layer(name) for name in _modules()}
    assert layers <= set(ALLOWED), f"add the new layer to ALLOWED and docs/architecture.md: {layers - set(ALLOWED)}"


def test_imports_go_only_downwards() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _layer(target) != _layer(module) and _layer(target) not in ALLOWED[_layer(module)]
    ]
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_circle_of_imports() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_few_modules_directly_in_the_package() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_the_architecture_page_names_every_layer() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text("utf-8")
    missing = [layer for layer in ALLOWED if layer not in {"ecslint", "__main__"} and f"ecslint/{layer}/" not in page]
    assert not missing, missing


def test_comments_cite_sources_a_reader_has() -> None:
    """No code cites a folder outside the repository (the team's research notes live in docs/facts.md)."""
    outside = ("../shared", "AWS_FACTS.md", "PARITY.md")  # folders of one machine: test_self_contained.py
    roots = [PACKAGE, PACKAGE.parent / "rules", PACKAGE.parent / "schemas"]
    bad = [
        f"{path.relative_to(PACKAGE.parent)}: {word}"
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.suffix in {".py", ".yaml"}
        for word in outside
        if word in path.read_text("utf-8")
    ]
    assert not bad, bad
