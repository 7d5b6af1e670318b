from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.core.errors import RuleFileError
from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.yamlio import load_yaml_text
from ecslint.readers.yamlsource import parse_yaml
from tests.workcount import grows_linearly, steps


def test_scalars_follow_yaml_1_2() -> None:
    result = parse_yaml("a: 1\nb: 2.5\nc: true\nd: null\ne: 0x1f\nf: '42'\ng: 2024-01-01\nh: yes\n")
    assert result.ok
    assert result.data == {"a": 1, "b": 2.5, "c": True, "d": None, "e": 31, "f": "42", "g": "2024-01-01", "h": "yes"}


def test_cloudformation_short_tags_become_intrinsics() -> None:
    result = parse_yaml("a: !Ref Cpu\nb: !GetAtt Role.Arn\nc: !Sub '${AWS::Region}'\nd: !Join [':', [a, b]]\n")
    assert result.data == {
        "a": {"Ref": "Cpu"},
        "b": {"Fn::GetAtt": ["Role", "Arn"]},
        "c": {"Fn::Sub": "${AWS::Region}"},
        "d": {"Fn::Join": [":", ["a", "b"]]},
    }


def test_python_tags_construct_nothing() -> None:
    result = parse_yaml("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert result.ok and result.data == {"a": ["echo hacked"]}


def test_merge_keys_and_aliases() -> None:
    result = parse_yaml("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n")
    assert result.data == {"base": {"x": 1, "y": 2}, "c": {"x": 1, "y": 3}}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    result = parse_yaml("\n".join(lines) + "\n")
    assert not result.ok
    assert result.problems[0].violation.variant == "alias-bomb"


def test_duplicate_keys_are_reported_and_the_last_kept() -> None:
    text = "family: web\nfamily: api\n"
    result = parse_yaml(text)
    assert result.data == {"family": "api"}
    [problem] = result.problems
    assert (problem.rule_id, problem.violation.pointer, problem.start) == ("ECS011", "/family", 12)


def test_syntax_error_has_a_position() -> None:
    result = parse_yaml("a: [1, 2\nb: 3\n")
    assert not result.ok
    assert result.problems[0].rule_id == "ECS012"


def test_locator_finds_keys_values_and_substrings() -> None:
    text = "family: web\ncontainerDefinitions:\n  - name: app\n    image: 'acct.dkr.ecr/x:latest'\n"
    result = parse_yaml(text)
    locator = Locator(TextIndex(text), yaml_root=result.root)
    span = locator.span("/containerDefinitions/0/image")
    assert span is not None and (span.start.line, span.start.column) == (4, 12)
    key = locator.span("/family", at="key")
    assert key is not None and (key.start.line, key.start.column, key.end.column) == (1, 1, 7)
    value = "acct.dkr.ecr/x:latest"
    sub = locator.span("/containerDefinitions/0/image", substring=(15, 21), value=value)
    assert sub is not None and (sub.start.column, sub.end.column) == (28, 34)
    missing = locator.span("/containerDefinitions/0/memory")
    assert missing is not None and missing.start.line == 3


def test_locating_every_key_of_a_large_mapping_takes_linear_steps() -> None:
    # each key was found by reading the mapping's keys from the first: quadratic for thousands
    def work(count: int) -> int:
        text = "family: web\n" + "".join(f"key{i}: {i}\n" for i in range(count)) + "family: api\n"
        locator = Locator(TextIndex(text), yaml_root=parse_yaml(text).root)
        return steps(lambda: [locator.span(f"/key{i}", at="key") for i in range(count)])

    grows_linearly(work, 300)
    text = "family: web\nimage: x\nfamily: api\n"
    locator = Locator(TextIndex(text), yaml_root=parse_yaml(text).root)
    found = locator.span("/family", at="key")
    assert found is not None and found.start.line == 3  # a repeated key: the last, which the data keeps


# YAML refuses raw control characters and lone surrogates that JSON text may carry
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))


@settings(max_examples=150)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(PRINTABLE, max_size=8),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(PRINTABLE, max_size=5), c, max_size=3),
        max_leaves=15,
    )
)
def test_json_is_yaml(value: object) -> None:
    # ensure_ascii=False: YAML does not join JSON's surrogate-pair escapes
    text = json.dumps(value, ensure_ascii=False)
    result = parse_yaml(text)
    assert result.ok, result.problems
    assert result.data == value


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("%YAML 1.3\n---\nfamily: x\n", 1),  # ruamel.yaml raised AssertionError
        ("%YAML 1.0\n---\nfamily: x\n", 1),
        ("---\nfamily: x\n%YAML 9.9\n", 3),  # KeyError, once a second document's directive is met
        ("---\n%YAML 1.99999999999999999999\nfamily: x\n", 2),
    ],
)
def test_an_unsupported_yaml_version_is_invalid_yaml_at_its_directive(text: str, line: int) -> None:
    result = parse_yaml(text)
    assert not result.ok
    [problem] = result.problems
    assert problem.rule_id == "ECS012" and "version" in problem.violation.params["reason"]
    assert text.count("\n", 0, problem.start) + 1 == line


def test_an_unsupported_yaml_version_in_a_rule_or_config_file_is_a_positioned_error() -> None:
    with pytest.raises(RuleFileError, match=r"^rule\.yaml:3:1: invalid YAML: unsupported YAML version %YAML 1\.3"):
        load_yaml_text("---\nid: ORG001\n%YAML 1.3\n", "rule.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int 0x\n", "x.yaml:1:4: invalid YAML: cannot read the value '0x'"),
        ("a: 1\nb: !!float .nan.\n", "x.yaml:2:4: invalid YAML: cannot read the value '.nan.'"),
    ],
)
def test_a_value_the_yaml_library_cannot_build_is_a_positioned_error(text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match="^" + re.escape(message)):
        load_yaml_text(text, "x.yaml")


@pytest.mark.parametrize(("text", "value"), [("---\n", None), ("1.5\n", 1.5), ("a\n", "a")])
def test_a_file_of_one_scalar_loads(text: str, value: object) -> None:
    assert load_yaml_text(text, "x.yaml") == value  # the caller says "a mapping" with its own words


def test_a_bare_placeholder_token_is_a_value_known_at_deploy_time() -> None:
    from ecslint.core.model import Token

    result = parse_yaml("cpu: <CPU>\nport: {{ PORT }}\nrole: '<ROLE>'\nname: <web\nlabel: {a: 1}\n")
    assert result.ok and isinstance(result.data, dict)
    cpu, port = result.data["cpu"], result.data["port"]
    assert isinstance(cpu, Token) and cpu.written == "<CPU>" and cpu == "${CPU}"
    assert isinstance(port, Token) and port.written == "{{ PORT }}"
    # quoted, it is text the file means as written; not a whole token, or a real mapping: as before
    assert not isinstance(result.data["role"], Token) and result.data["role"] == "<ROLE>"
    assert result.data["name"] == "<web" and result.data["label"] == {"a": 1}
