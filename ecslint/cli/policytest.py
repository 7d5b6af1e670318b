"""``ecslint rules test DIR``: run every custom rule's examples, so policies are tested in CI.

Each ``bad`` example must make its rule fire at exactly the ``expect`` pointers (and at the
given line and column, where an entry has them); each ``good`` example must leave the rule
silent.  Every rule needs at least one example of each kind.  Exit code: 0 all pass, 1 an
example failed, 2 a rule file is broken (reported with its path, line and column).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecslint.catalogue.entries import Catalogue, Example, Rule
from ecslint.core.errors import UsageError
from ecslint.engine.examples import check_example as run_example
from ecslint.engine.pipeline import Engine

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_-]*\}")


@dataclass(slots=True)
class Outcome:
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # broken rule files
    rules: int = 0
    examples: int = 0
    failures: int = 0

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else (1 if self.failures else 0)

    def report(self) -> str:
        summary = f"{self.rules} rules, {self.examples} examples: "
        summary += f"{self.failures} failed" if self.failures else "all passed"
        if self.errors:
            summary += f"; {len(self.errors)} rule file(s) could not be loaded"
        return "\n".join([*self.lines, "", summary]) + "\n"


def check_example(engine: Engine, rule: Rule, example: Example) -> str | None:
    """None when the example behaves as documented, else what went wrong."""
    result = run_example(engine, example)
    if result.internal_errors:
        return "; ".join(f"internal error: {error.message}" for error in result.internal_errors)
    own = [finding for finding in result.findings if finding.rule_id == rule.id]
    if example.kind == "good":
        if own:
            return "fired on a good example: " + "; ".join(f"{f.pointer or '/'}: {f.message}" for f in own)
        return None
    got = sorted(finding.pointer for finding in own)
    if got != sorted(example.expect):
        return f"expected findings at {_pointers(example.expect)}, got {_pointers(got) if got else 'none'}"
    for pointer, position in zip(example.expect, example.positions, strict=True):
        spans = [(f.span.start.line, f.span.start.column) for f in own if f.pointer == pointer and f.span]
        if position is not None and position not in spans:
            return f"at {pointer or '/'}: expected line/column {position}, got {spans}"
    unfilled = sorted({p for f in own for p in _PLACEHOLDER.findall(f.message)})
    if unfilled:
        return f"message placeholders left unfilled: {', '.join(unfilled)}"
    return None


def _pointers(pointers: Sequence[str]) -> str:
    return ", ".join(pointer or "/" for pointer in pointers)


def run(directories: Sequence[Path]) -> Outcome:
    from ecslint.catalogue.rulesets import build, load_custom

    for directory in directories:
        if not directory.is_dir():
            raise UsageError(f"{directory}: not a directory of rule files")
    base = build()
    outcome = Outcome(errors=list(base.errors))
    rules, errors = load_custom(directories, base.catalogue)
    outcome.errors += errors
    engine = Engine(Catalogue([*base.catalogue.rules, *rules]))
    for rule in rules:
        outcome.rules += 1
        problems: list[str] = []
        kinds = {example.kind for example in rule.examples}
        problems += [f"has no {kind} example" for kind in ("bad", "good") if kind not in kinds]
        for number, example in enumerate(rule.examples, 1):
            outcome.examples += 1
            problem = check_example(engine, rule, example)
            if problem is not None:
                problems.append(f"example {number} ({example.kind}): {problem}")
        outcome.failures += len(problems)
        if problems:
            outcome.lines += [f"FAIL {rule.id} {rule.name} ({rule.source})", *(f"  {p}" for p in problems)]
        else:
            outcome.lines.append(f"PASS {rule.id} {rule.name}: {len(rule.examples)} examples")
    return outcome
