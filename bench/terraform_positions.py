"""ecslint's own HCL parser against python-hcl2's parse tree: the same positions? (issue 13)

    python bench/terraform_positions.py [FOLDER_OR_FILE ...]   (default: $ECSLINT_CORPUS/tf)

For every ``aws_ecs_task_definition`` resource, each attribute value, nested block attribute and
every node inside ``jsonencode(...)`` gets its offsets twice: from ``ecslint.readers.terraform``'s
tokenizer and parser, and from the lark tree that ``hcl2.parses_to_tree`` returns (python-hcl2's
dict output keeps no positions: its ``with_meta`` option is declared but unused in 8.1).  It prints
how many nodes agree, the ones that differ, and the time each parser took.  A measurement, not a
test: nothing here is run by the test suite.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import hcl2  # type: ignore[import-untyped,unused-ignore]
from lark import Token, Tree

from ecslint.core.pointer import escape
from ecslint.readers import terraform

Offsets = tuple[int, int, int, int]


def _trees(node: Tree, name: str) -> list[Tree]:
    return [child for child in node.children if isinstance(child, Tree) and child.data == name]


def _name(node: Tree) -> str:
    return str(next(node.scan_values(lambda value: isinstance(value, Token))))


def _key(node: Tree) -> str | None:
    inner = node.children[0]
    if isinstance(inner, Tree) and inner.data == "expr_term":
        inner = inner.children[0]
    if isinstance(inner, Tree) and inner.data == "identifier":
        return _name(inner)
    if isinstance(inner, Tree) and inner.data == "string":
        return "".join(str(t) for t in inner.scan_values(lambda v: isinstance(v, Token) and v.type == "STRING_CHARS"))
    return None


def _lark(term: Tree, pointer: str, out: dict[str, Offsets], key: tuple[int, int] = (-1, -1)) -> None:
    out[pointer] = (term.meta.start_pos, term.meta.end_pos, *key)
    inner = term
    if term.data == "expr_term" and len(term.children) == 1 and isinstance(term.children[0], Tree):
        inner = term.children[0]
    if inner.data == "object":
        for element in _trees(inner, "object_elem"):
            key_node = _trees(element, "object_elem_key")[0]
            text = _key(key_node)
            if text is not None:
                value = [child for child in element.children if isinstance(child, Tree)][-1]
                _lark(value, f"{pointer}/{escape(text)}", out, (key_node.meta.start_pos, key_node.meta.end_pos))
    elif inner.data == "tuple":
        for index, item in enumerate(_trees(inner, "expr_term")):
            _lark(item, f"{pointer}/{index}", out)
    elif inner.data == "function_call" and _name(_trees(inner, "identifier")[0]) == "jsonencode":
        arguments = _trees(inner, "arguments")
        if arguments:
            _lark(_trees(arguments[0], "expr_term")[0], pointer + "/()", out)


def _lark_body(block: Tree, prefix: str, out: dict[str, Offsets]) -> None:
    for item in _trees(block, "body")[0].children:
        if isinstance(item, Tree) and item.data == "attribute":
            _lark([child for child in item.children if isinstance(child, Tree)][-1], f"{prefix}/{_name(item)}", out)
        elif isinstance(item, Tree) and item.data == "block":
            _lark_body(item, f"{prefix}/{_name(item)}", out)


def _lark_resources(tree: Tree) -> Iterator[Tree]:
    for block in tree.find_data("block"):
        labels = _trees(block, "string")
        if _name(block) == "resource" and labels and _key(Tree("key", [labels[0]])) == terraform.RESOURCE_TYPE:
            yield block


def _ours(expr: terraform.Expr, pointer: str, out: dict[str, Offsets]) -> None:
    nodes: dict[str, terraform.NodeOffsets] = {}
    terraform.to_json(expr, pointer, nodes)
    if expr.kind == "call" and expr.name == "jsonencode" and expr.items:
        terraform.to_json(expr.items[0], pointer + "/()", nodes)
    for where, node in nodes.items():
        out[where] = (node.value_start, node.value_end, node.key_start, node.key_end)


def _ours_body(block: terraform.Block, prefix: str, out: dict[str, Offsets]) -> None:
    for item in block.body:
        if isinstance(item, terraform.Attribute):
            _ours(item.value, f"{prefix}/{item.name}", out)
        else:
            _ours_body(item, f"{prefix}/{item.type}", out)


def main(arguments: list[str]) -> None:
    corpus = Path(os.environ.get("ECSLINT_CORPUS") or Path(__file__).resolve().parents[2] / "shared/corpus/real")
    roots = [Path(argument) for argument in arguments] or [corpus / "tf"]
    paths = sorted(p for root in roots for p in (root.glob("*.tf") if root.is_dir() else [root]))
    files = nodes = same = 0
    differ: list[tuple[str, str, Offsets | None, Offsets | None]] = []
    ours_time = lark_time = 0.0
    for path in paths:
        text = path.read_text("utf-8")
        start = time.perf_counter()
        lark: dict[str, Offsets] = {}
        for number, block in enumerate(_lark_resources(hcl2.parses_to_tree(text))):
            _lark_body(block, f"/{number}", lark)
        middle = time.perf_counter()
        ours: dict[str, Offsets] = {}
        for number, ours_block in enumerate(terraform._task_blocks(text)):
            _ours_body(ours_block, f"/{number}", ours)
        ours_time, lark_time = ours_time + time.perf_counter() - middle, lark_time + middle - start
        files += 1
        for pointer in sorted(set(ours) | set(lark)):
            nodes += 1
            if ours.get(pointer) == lark.get(pointer):
                same += 1
            else:
                differ.append((path.name, pointer, ours.get(pointer), lark.get(pointer)))
    print(f"{files} files, {nodes} nodes: {same} at the same offsets, {len(differ)} not")
    print(f"parse time: ecslint's parser {ours_time * 1000:.0f} ms, hcl2.parses_to_tree {lark_time * 1000:.0f} ms")
    for name, pointer, ours_offsets, lark_offsets in differ:
        print(f"  {name} {pointer}: ecslint {ours_offsets}, hcl2 {lark_offsets}")


if __name__ == "__main__":
    main(sys.argv[1:])
