from __future__ import annotations

import json
from pathlib import Path

from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.sources import TEMPLATE, documents, mentions_task_definition, parse

TD = {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}


def test_register_input_json() -> None:
    parsed = parse("td.json", json.dumps(TD).encode())
    [doc] = documents(parsed) or []
    assert (doc.origin, doc.base, doc.data) == ("register", "", TD)


def test_describe_output_is_unwrapped() -> None:
    wrapped = {"taskDefinition": {**TD, "revision": 3, "status": "ACTIVE"}, "tags": []}
    [doc] = documents(parse("out.json", json.dumps(wrapped).encode())) or []
    assert doc.origin == "describe" and doc.base == "/taskDefinition" and doc.data["revision"] == 3


def test_yaml_input_by_extension_and_by_sniffing() -> None:
    text = b"family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:1.27\n"
    for name in ("td.yaml", "td.yml", "<stdin>"):
        [doc] = documents(parse(name, text)) or []
        assert doc.data == TD, name
    assert parse("<stdin>", json.dumps(TD).encode()).syntax == "json"


def test_files_that_are_not_task_definitions() -> None:
    assert documents(parse("package.json", b'{"name": "x"}')) is None
    assert documents(parse("list.json", b"[1, 2]")) is None
    assert documents(parse("bad.json", b"{oops")) is None
    assert documents(parse("frag.json", b'{"cpu": "256"}'), fragment=True) is not None


def test_one_container_definition_on_its_own_is_checked_as_a_container_array() -> None:
    text = b'{"name": "api", "image": "example/api:1.0", "essential": true, "memory": "512"}'
    [doc] = documents(parse("api.json", text)) or []
    assert doc.origin == "containers" and doc.data["containerDefinitions"] == [json.loads(text)]
    assert doc.source_pointer("/containerDefinitions/0/memory") == "/memory"
    # "name" and "image" alone, or with a Kubernetes spelling, are not enough: many files have them
    assert documents(parse("pod.json", b'{"name": "api", "image": "example/api:1.0", "ports": []}')) is None
    assert documents(parse("x.json", b'{"name": "api", "essential": true}')) is None


def test_unparsable_files_that_mention_task_definitions_are_kept() -> None:
    assert mentions_task_definition(parse("td.json", b'{"containerDefinitions": [,]}'))
    assert not mentions_task_definition(parse("x.json", b"{oops"))


def test_json_locator_positions() -> None:
    text = '{\n  "family": "web",\n  "containerDefinitions": [\n    {"name": "web", "memory": 512}\n  ]\n}'
    index = TextIndex(text)
    locator = Locator(index, json_text=text)
    span = locator.span("/containerDefinitions/0/memory")
    assert span is not None and (span.start.line, span.start.column, span.end.column) == (4, 31, 34)
    key = locator.span("/family", at="key")
    assert key is not None and (key.start.line, key.start.column, key.end.column) == (2, 3, 11)
    # a container value points at its key; a missing member at its nearest existing ancestor
    container = locator.span("/containerDefinitions")
    assert container is not None and (container.start.line, container.start.column) == (3, 3)
    missing = locator.span("/containerDefinitions/0/cpu")
    assert missing is not None and (missing.start.line, missing.start.column) == (4, 5)
    root = locator.span("")
    assert root is not None and (root.start.line, root.start.column) == (1, 1)


def test_json_locator_substring_handles_escapes() -> None:
    text = '{"image": "a\\u00e9b:latest"}'
    locator = Locator(TextIndex(text), json_text=text)
    span = locator.span("/image", substring=(4, 10), value="aéb:latest")
    assert span is not None and (span.start.column, span.end.column) == (21, 27)
    assert text[span.start.column - 1 : span.end.column - 1] == "latest"


def test_a_tftpl_file_is_a_terraform_template_even_when_valid_json() -> None:
    text = b'[{"name": "${name}", "image": "${repo}:${tag}", "memory": 512}]'
    assert parse("containers.json.tftpl", text).syntax == TEMPLATE
    assert parse("containers.json", text).syntax == "json"  # read with file(), which renders nothing


def test_a_json_template_with_terraform_directives_is_not_called_invalid_json() -> None:
    text = b'[{"name": "app", "image": "${image}",\n  %{ if port != 0 ~}\n  "portMappings": [],\n  %{ endif ~}\n'
    text += b'  "essential": true}]'
    parsed = parse("containers.json", text)
    assert not parsed.ok and [(p.rule_id, p.violation.variant) for p in parsed.problems] == [("ECS222", "directives")]
    # without a ${...} it is no Terraform template: invalid JSON, said where
    assert [p.rule_id for p in parse("x.json", b'[{"name": "app", %{ if x } }]').problems] == ["ECS001"]


def test_a_span_is_what_line_end_then_text_index_span_give() -> None:
    """Locator.span looks the start's line up once; its span is the one TextIndex.line_end then
    TextIndex.span give (ended at the end of the first line), on any text and offsets."""
    import random

    class Fixed(Locator):  # offsets given, not looked up
        found = (0, 0)

        def offsets(self, pointer: str, at: str = "value") -> tuple[int, int] | None:
            return self.found

    def two_lookups(index: TextIndex, start: int, end: int) -> object:
        line_end = index.line_end(start)
        if line_end < len(index.text) and end > line_end:
            end = line_end if line_end > start else start + 1
        return index.span(start, end)

    chance = random.Random(16)
    for _ in range(500):
        text = "".join(chance.choice('ab\n\r{"') for _ in range(chance.randint(0, 24)))
        index = TextIndex(text)
        for _ in range(10):
            start = chance.randint(-1, len(text) + 1)
            end = chance.randint(start - 1, len(text) + 2)
            locator = Fixed(index, json_text=text)
            locator.found = (start, end)
            assert locator.span("/x") == two_lookups(index, start, end), (text, start, end)


HANDLEBARS_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      ContainerDefinitions:
        - Name: app
          Image: nginx:1.27
          Environment:
            - Name: DB_USER
              Value: "\\{{resolve:secretsmanager:db:SecretString:username}}"
"""


def test_a_handlebars_escape_makes_a_yaml_file_a_template_not_invalid_yaml() -> None:
    """Takomo renders templates with Handlebars, whose "\\{{" is a literal "{{"; no YAML escape is "\\{"."""
    parsed = parse("templates/ecs.yml", HANDLEBARS_TEMPLATE.encode())
    assert parsed.ok and not parsed.problems
    assert parsed.syntax == "yaml"
    # the same length as written: positions after the escape are the file's own
    assert parsed.locator is not None
    span = parsed.locator.span("/Resources/Task/Properties/ContainerDefinitions/0/Environment/0/Value")
    assert span is not None and span.start.line == 12
    assert HANDLEBARS_TEMPLATE.splitlines()[11].index('"') + 1 == span.start.column
    # any other invalid escape is still invalid YAML
    broken = parse("templates/ecs.yml", HANDLEBARS_TEMPLATE.replace("\\{{", "\\q{{").encode())
    assert not broken.ok and [p.rule_id for p in broken.problems] == ["ECS012"]


def test_a_handlebars_template_end_to_end(tmp_path: Path) -> None:
    from tests.test_cli import run

    (tmp_path / "ecs.yml").write_text(HANDLEBARS_TEMPLATE)
    result = run("check", "--no-config", "--format", "json", str(tmp_path / "ecs.yml"))
    assert "ECS012" not in {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert result.returncode in (0, 1), result.stderr


def test_a_byte_order_mark_is_not_part_of_the_yaml_stream() -> None:
    """The decoder blanks a BOM to keep positions; YAML must not read that blank as indentation."""
    text = "family: web\ncontainerDefinitions:\n  - name: x\n    image: a:1\n"
    for marks in (1, 2):
        parsed = parse("td.yaml", ("\ufeff" * marks + text).encode())
        assert parsed.ok and parsed.data == parse("td.yaml", text.encode()).data
        assert [p.rule_id for p in parsed.problems] == ["ECS006"]
        assert parsed.locator is not None
        family = parsed.locator.span("/family")
        name = parsed.locator.span("/containerDefinitions/0/name")
        assert family is not None and (family.start.line, family.start.column) == (1, 9 + marks)
        assert name is not None and (name.start.line, name.start.column) == (3, 11)
    nested = parse("td.yaml", "\ufeffa:\n b: 1\n".encode())
    assert nested.data == {"a": {"b": 1}}
    # an error after the mark is where it is in the file: one character on from where it is without
    plain = {p.rule_id: p.start for p in parse("td.yaml", b"a: [1,\nb").problems}
    marked = {p.rule_id: p.start for p in parse("td.yaml", "\ufeffa: [1,\nb".encode()).problems}
    assert marked == {"ECS006": 0, "ECS012": plain["ECS012"] + 1}


def test_lists_of_named_things_that_are_not_containers_are_not_container_definitions() -> None:
    """Ansible plays and task files are YAML lists of named items: a folder walk must skip them."""
    play = "- name: Install Docker\n  hosts: web\n  tasks:\n    - name: apt\n      apt: {name: docker}\n"
    tasks = "- name: Install Docker\n  apt: {name: docker.io}\n  become: true\n- name: start\n  service: {name: d}\n"
    bare_names = "- name: a\n- name: b\n"
    for text in (play, tasks, bare_names):
        assert documents(parse("ansible/site.yml", text.encode())) is None, text
    # a container list with a mistake (no image) is still one
    found = documents(parse("containers.yml", b"- name: web\n  memory: 512\n"))
    assert found is not None and found[0].origin == "containers"
    found = documents(parse("containers.json", b'[{"name": "web", "image": "nginx:1.27"}]'))
    assert found is not None and found[0].origin == "containers"
