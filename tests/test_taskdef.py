"""core/taskdef.py: what counts as a value known only at deploy time, and task sizes, read in linear steps."""

from __future__ import annotations

import pytest

from ecslint.core.taskdef import _CPU_VCPU, _MEMORY_GB, TEMPLATE_VARIABLE, is_unknown, parse_cpu_units, parse_memory_mib
from tests.workcount import grows_linearly, regex_steps


@pytest.mark.parametrize(
    "opener",
    ["{{", "${", "${{", "#{", "<+", "<%", "<%=", "$A", "__A", "@A", "%A", "{{ a", "${ a", "${{ a", "#{ a", "<+ a"],
)
def test_template_variable_search_is_linear(opener: str) -> None:
    # "{{" x n: every opener used to read on to the end of the text looking for "}}"
    grows_linearly(lambda n: regex_steps(TEMPLATE_VARIABLE, opener * n, "finditer"), 40)
    grows_linearly(lambda n: regex_steps(TEMPLATE_VARIABLE, opener * n + "}>%", "finditer"), 40)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("${IMAGE}", [(0, 8)]),
        ("${A:-$HOME}/x", [(0, 11)]),
        ("{{ image }}:{{tag}}", [(0, 11), (12, 19)]),
        ("{{{x}}", [(0, 6)]),
        ("{{ a {{ b }}", [(5, 12)]),  # the last opener before the closer; the text is unknown either way
        ("#{Version}", [(0, 10)]),
        ("<%= tag %>", [(0, 10)]),
        ("<+artifact.tag>", [(0, 15)]),
        ("__TAG__", [(0, 7)]),
        ("${{ secrets.REGISTRY }}/app:1", [(0, 23)]),  # a GitHub Actions expression, whole
        ("@VERSION@", [(0, 9)]),
        ("%STAGE%", [(0, 7)]),
        ("a@example.com", []),
        ("100%", []),
        ("$TAG", [(0, 4)]),
        ("{{ not closed", []),
        ("${" * 50, []),
        ("nginx:1.27", []),
    ],
)
def test_template_variables(text: str, spans: list[tuple[int, int]]) -> None:
    assert [m.span() for m in TEMPLATE_VARIABLE.finditer(text)] == spans
    assert is_unknown(text) is bool(spans)


@pytest.mark.parametrize("pattern", [_CPU_VCPU, _MEMORY_GB])
@pytest.mark.parametrize("tail", ["x", "GBx", " vcpux", ".", ".5x"])
def test_size_parsing_is_linear(pattern: object, tail: str) -> None:
    # "\d*\.?\d+" split a run of digits every way before failing: quadratic in the digits
    grows_linearly(lambda n: regex_steps(pattern, "9" * n + tail, "match"), 50)  # type: ignore[arg-type]
    grows_linearly(lambda n: regex_steps(pattern, "1." + "9" * n + tail, "match"), 50)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "cpu", "memory"),
    [
        ("1024", 1024, 1024),
        ("1 vCPU", 1024, None),
        (".5 vcpu", 512, None),
        ("0.25 vCPU", 256, None),
        ("2 GB", None, 2048),
        ("1.5gb", None, 1536),
        ("1. vCPU", None, None),
        ("1.2.3 GB", None, None),
        ("9" * 400 + " vCPU", None, None),  # a float that overflows to infinity is no size
        ("9" * 2000 + "x", None, None),
        (512, 512, 512),
        (True, None, None),
    ],
)
def test_sizes(value: object, cpu: int | None, memory: int | None) -> None:
    assert parse_cpu_units(value) == cpu
    assert parse_memory_mib(value) == memory
