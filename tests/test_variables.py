"""Template variables: --var, --vars-file and [tool.ecslint.variables] substituted before checking,
and Terraform template files read as templates (ecslint/readers/variables.py, readers/sources.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.core.errors import ConfigError
from ecslint.core.model import Token
from ecslint.readers.sources import PLACEHOLDERS, TEMPLATE, mask_interpolations, mask_placeholders, parse
from ecslint.readers.variables import Substituter, assignment, read_vars_file
from tests.test_cli import run

# -- substitution ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "rendered"),
    [
        ("${TAG}", "1.4.2"),
        ("$TAG", "1.4.2"),
        ("{{ TAG }}", "1.4.2"),
        ("{{TAG}}", "1.4.2"),
        ("<TAG>", "1.4.2"),
        ("#{TAG}", "1.4.2"),
        ("__TAG__", "1.4.2"),
        ("TAG", "1.4.2"),  # a bare token, since the name is written like a constant
        ("web:${TAG}-${TAG}", "web:1.4.2-1.4.2"),
        ("$TAGS", "$TAGS"),  # another variable
        ("MY_TAG", "MY_TAG"),  # part of another word
        ("${OTHER}", "${OTHER}"),  # not declared: left as written
    ],
)
def test_every_form_of_a_declared_variable_is_substituted(written: str, rendered: str) -> None:
    assert Substituter({"TAG": "1.4.2"}).text(written) == rendered


def test_lower_case_names_are_not_substituted_bare() -> None:
    substituter = Substituter({"tag": "1.4.2"})
    assert substituter.text("web:${tag}") == "web:1.4.2"
    assert substituter.text("my-tag-value") == "my-tag-value"


def test_a_variable_without_a_value_becomes_an_unknown_value() -> None:
    from ecslint.core.taskdef import is_unknown

    substituter = Substituter({"ACCOUNT_ID": None})
    rendered = substituter.text("arn:aws:iam::<ACCOUNT_ID>:role/web")
    assert rendered == "arn:aws:iam::${ACCOUNT_ID}:role/web"
    assert is_unknown(rendered)
    assert substituter.text("ACCOUNT_ID.dkr.ecr.eu-west-1.amazonaws.com/web:1") == (
        "${ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/web:1"
    )


def test_substitution_keeps_pointers_and_lists_the_changed_strings() -> None:
    data = {
        "family": "web",
        "taskRoleArn": "arn:aws:iam::ACCOUNT_ID:role/web",
        "containerDefinitions": [
            {
                "name": "web",
                "image": "ACCOUNT_ID.dkr.ecr.eu-west-1.amazonaws.com/web:1",
                "environment": [{"name": "REGION", "value": "REGION"}],
            }
        ],
    }
    result = Substituter({"ACCOUNT_ID": "210987654321", "REGION": "eu-west-1"}).substitute(data)
    assert result.changed == {
        "/taskRoleArn",
        "/containerDefinitions/0/image",
        "/containerDefinitions/0/environment/0/value",
    }
    assert isinstance(result.data, dict)
    container = result.data["containerDefinitions"][0]  # type: ignore[index,call-overload]
    # an environment variable *named* REGION is a name, not a placeholder
    assert container["environment"] == [{"name": "REGION", "value": "eu-west-1"}]
    assert data["taskRoleArn"] == "arn:aws:iam::ACCOUNT_ID:role/web"  # the parsed file is left alone


# -- declaring variables ----------------------------------------------------------------------------


def test_assignments() -> None:
    assert assignment("ACCOUNT_ID=210987654321", "--var") == ("ACCOUNT_ID", "210987654321")
    assert assignment("EMPTY=", "--var") == ("EMPTY", "")
    assert assignment("IMAGE_TAG", "--var") == ("IMAGE_TAG", None)
    assert assignment("URL=a=b", "--var") == ("URL", "a=b")
    with pytest.raises(ConfigError, match=r"^--var: '=x' is not a variable name"):
        assignment("=x", "--var")


def test_dotenv_vars_file(tmp_path: Path) -> None:
    path = tmp_path / "ci.env"
    path.write_text(
        "# rendered by the deploy job\n"
        "export ACCOUNT_ID=210987654321\n"
        'AWS_REGION="eu-west-1"\n'
        "IMAGE_TAG='1.4.2'\n"
        "DB_HOST=db.internal # the primary\n"
        "\n"
        "SECRET_SUFFIX\n",
        encoding="utf-8",
    )
    assert read_vars_file(path) == {
        "ACCOUNT_ID": "210987654321",
        "AWS_REGION": "eu-west-1",
        "IMAGE_TAG": "1.4.2",
        "DB_HOST": "db.internal",
        "SECRET_SUFFIX": None,
    }


def test_json_vars_file(tmp_path: Path) -> None:
    path = tmp_path / "vars.json"
    path.write_text(json.dumps({"ACCOUNT_ID": "210987654321", "PORT": 8080, "TAG": None}), encoding="utf-8")
    assert read_vars_file(path) == {"ACCOUNT_ID": "210987654321", "PORT": "8080", "TAG": None}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.env", "OK=1\nnot a name=2\n", r"bad\.env:2: 'not a name' is not a variable name"),
        ("bad.json", '{"A": [1]}', r"bad\.json: A: the value must be a string, a number or null, not list"),
        # Python 3.13's json names the comma (1:8), earlier ones the place after it (1:9)
        ("broken.json", '{"A": 1,}', r"broken\.json:1:[89]: invalid JSON"),
        ("list.json", "[1]", r"list\.json: a JSON vars file must hold an object"),
    ],
)
def test_bad_vars_files_are_config_errors_with_positions(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_vars_file(path)


# -- Terraform template files ---------------------------------------------------------------------


def test_interpolations_outside_strings_are_masked_in_place() -> None:
    text = '[{"name": "web", "cpu": ${cpu}, "memory": ${x}, "image": "${image}"}]'
    masked = mask_interpolations(text)
    assert masked == '[{"name": "web", "cpu": "${c}", "memory":"${}", "image": "${image}"}]'
    assert masked is not None and len(masked) == len(text)
    assert mask_interpolations('[%{ for c in cs }{"name": "${c}"}%{ endfor }]') is None
    assert mask_interpolations('{"cpu":${x}}') is None  # too short, nothing to borrow


def test_a_template_file_parses_with_positions_in_the_file() -> None:
    text = '[\n  {"name": "web", "image": "nginx:1.27", "cpu": ${cpu}, "memory": ${memory}}\n]\n'
    parsed = parse("container-definitions.json.tpl", text.encode())
    assert parsed.ok and parsed.syntax == TEMPLATE and parsed.problems == []
    assert parsed.locator is not None
    span = parsed.locator.span("/0/cpu")
    assert span is not None and (span.start.line, span.start.column, span.end.column) == (2, 49, 55)


def test_tokens_where_values_belong_are_masked_in_place() -> None:
    text = '{"cpu": <CPU>, "a": [__X__, {{ Y }}, #{Z}, ${W}], "<K>": "<IN_STRING>", "b": <B>\n}'
    masked = mask_placeholders(text)
    assert masked is not None
    out, tokens, first = masked
    assert tokens == ["<CPU>", "__X__", "{{ Y }}", "#{Z}", "${W}", "<B>"] and first == text.index("<CPU>")
    assert len(out) == len(text) and '"<K>": "<IN_STRING>"' in out  # strings are left alone
    assert json.loads(out)["cpu"] != "<CPU>"
    assert mask_placeholders('{"cpu": "<CPU>"}') is None  # nothing outside a string
    assert mask_placeholders("{<KEY>: 1}") is None  # a key is not where a value belongs
    assert mask_placeholders('{"cpu": <CPU>1}') is None  # not the whole value
    assert mask_placeholders('{"cpu": <CPU> "x": 1}') is not None  # a missing comma is the JSON reader's


def test_a_file_with_tokens_parses_as_a_template_with_positions_in_the_file() -> None:
    text = (
        '{\n  "family": "web",\n  "cpu": <CPU>,\n  "containerDefinitions": [{"name": "web", "memory": {{ MEM }}}]\n}\n'
    )
    parsed = parse("td.json", text.encode())
    assert parsed.ok and parsed.syntax == PLACEHOLDERS and parsed.problems == []
    assert isinstance(parsed.data, dict)
    cpu = parsed.data["cpu"]
    assert isinstance(cpu, Token) and cpu.written == "<CPU>" and cpu == "${CPU}"  # unknown to every rule
    memory = parsed.data["containerDefinitions"][0]["memory"]  # type: ignore[index, call-overload]
    assert isinstance(memory, Token) and memory.written == "{{ MEM }}"
    assert parsed.locator is not None
    span = parsed.locator.span("/cpu")
    assert span is not None and (span.start.line, span.start.column, span.end.column) == (3, 10, 15)


def test_a_file_invalid_for_another_reason_is_invalid_json_where_that_reason_is() -> None:
    text = '{\n  "cpu": <CPU>,\n  "memory": "512"\n  "family": "web"\n}\n'
    parsed = parse("td.json", text.encode())
    assert not parsed.ok
    [problem] = parsed.problems
    assert problem.rule_id == "ECS001" and problem.start == text.index('"family"')


@pytest.mark.parametrize(
    "text",
    [
        '{"family": "web" "x": 1, "cpu": <CPU>}',  # a missing comma
        '{"family": "web, "cpu": <CPU>}',  # a string that does not end where it should
        '{"family": web, "cpu": <CPU>}',  # a bare word that is no token
    ],
)
def test_a_defect_before_the_first_token_is_reported_as_in_a_file_without_tokens(text: str) -> None:
    parsed = parse("td.json", text.encode())
    plain = parse("td.json", text.replace("<CPU>", '"256"').encode())
    assert not parsed.ok and [(p.rule_id, p.start) for p in parsed.problems] == [
        (p.rule_id, p.start) for p in plain.problems
    ]


def test_typographic_quotes_and_tokens_both_read_as_the_file_means_them() -> None:
    text = '{\u201dfamily\u201d: \u201cweb\u201d, "cpu": <CPU>}'
    parsed = parse("td.json", text.encode())
    assert parsed.ok and parsed.syntax == PLACEHOLDERS and isinstance(parsed.data, dict)
    assert isinstance(parsed.data["cpu"], Token)
    assert [p.rule_id for p in parsed.problems] == ["ECS002"] and parsed.problems[0].violation.fix is not None


def test_a_declared_token_outside_a_string_is_replaced_by_its_value_read_as_json() -> None:
    data = {"cpu": Token("${CPU}", "<CPU>"), "memory": Token("${MEM}", "<MEM>"), "role": Token("${R}", "{{ R }}")}
    substituter = Substituter({"CPU": "256", "MEM": '"512"', "R": "arn:aws:iam::210987654321:role/web"})
    result = substituter.substitute(data)
    assert result.data == {"cpu": 256, "memory": "512", "role": "arn:aws:iam::210987654321:role/web"}
    assert result.changed == {"/cpu", "/memory", "/role"}
    unknown = Substituter({"CPU": None}).substitute(data).data
    assert isinstance(unknown, dict) and unknown["cpu"] == "${CPU}" and isinstance(unknown["cpu"], Token)
    assert unknown["memory"] is data["memory"]  # not declared: left as it is


class _Raw(str):
    """A token to write as it is, outside any string."""


_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)
_TOKENS = st.builds(
    lambda form, name: _Raw(form.format(name)),
    st.sampled_from(["<{}>", "${{{}}}", "{{{{ {} }}}}", "{{{{{}}}}}", "#{{{}}}", "__{}__"]),
    _NAMES,
)
_TEXT = st.text(st.characters(blacklist_categories=("Co", "Cs")), max_size=12)
_WITH_TOKENS = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT | _TOKENS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=25,
)


def _write(value: object, space: str) -> str:
    """JSON text of ``value`` with each token written bare where its value belongs."""
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, list):
        return "[" + space + ("," + space).join(_write(item, space) for item in value) + "]"
    if isinstance(value, dict):
        members = (json.dumps(key) + ":" + space + _write(item, space) for key, item in value.items())
        return "{" + space + ("," + space).join(members) + space + "}"
    return json.dumps(value)


def _expected(value: object) -> object:
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, list):
        return [_expected(item) for item in value]
    if isinstance(value, dict):
        return {key: _expected(item) for key, item in value.items()}
    return value


def _as_written(value: object) -> object:
    """The parsed data with each token as the file wrote it (Terraform's ${x} reads as a string)."""
    if isinstance(value, Token):
        return value.written
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    return value


@settings(max_examples=300, deadline=None)
@given(_WITH_TOKENS, st.sampled_from(["", " ", "\n  ", "\t"]))
def test_tokens_anywhere_a_value_belongs_never_make_a_file_invalid_json(value: object, space: str) -> None:
    text = _write(value, space)
    parsed = parse("td.json", text.encode())
    assert parsed.ok, (text, [(p.rule_id, p.start) for p in parsed.problems])
    assert not any(problem.rule_id == "ECS001" for problem in parsed.problems)
    if parsed.syntax == PLACEHOLDERS:  # else Terraform's reading of ${x}, or no token at all
        assert _as_written(parsed.data) == _expected(value)


# -- end to end -----------------------------------------------------------------------------------

TEMPLATED = """{
  "family": "web",
  "taskRoleArn": "arn:aws:iam::<ACCOUNT_ID>:role/web",
  "executionRoleArn": "arn:aws:iam::<ACCOUNT_ID>:role/web-execution",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "<ACCOUNT_ID>.dkr.ecr.eu-west-1.amazonaws.com/web:${IMAGE_TAG}",
      "essential": true
    }
  ]
}
"""


def _findings(*args: str, cwd: Path) -> list[tuple[str, int, int, str]]:
    result = run("check", "--format", "json", "--select", "ECS304,ECS305,ECS210,ECS611", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return [(f["rule"], f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_undeclared_placeholders_are_one_error_per_token_with_a_hint_to_declare_them(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(TEMPLATED, encoding="utf-8")
    result = run("check", "--select", "ECS304", "td.json", cwd=tmp_path)
    assert result.returncode == 1
    # the image holds a template variable as well (its tag): the placeholder in its registry id still counts
    message = "'<ACCOUNT_ID>' is a placeholder, not an AWS account id; 2 more on lines 4, 8"
    assert f"td.json:3:32: ECS304 error {message}" in result.stdout
    assert "declare the variable your deploy step fills in: --var ACCOUNT_ID=VALUE" in result.stdout


def test_declared_variables_are_substituted_and_positions_stay_in_the_file(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(TEMPLATED, encoding="utf-8")
    found = _findings("--var", "ACCOUNT_ID=210987654321", "--var", "IMAGE_TAG=latest", "td.json", cwd=tmp_path)
    # what CI will register: no placeholder left, and ':latest' is seen; the finding points at the
    # value in the user's file (the rendered value is longer than the written one)
    assert found == [
        (
            "ECS210",
            8,
            16,
            "image '210987654321.dkr.ecr.eu-west-1.amazonaws.com/web:latest' uses the mutable tag 'latest'",
        )
    ]


def test_declared_variables_without_a_value_are_unknown_values(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(TEMPLATED, encoding="utf-8")
    assert _findings("--var", "ACCOUNT_ID", "--var", "IMAGE_TAG", "td.json", cwd=tmp_path) == []
    # undeclared, the template variable is still reported (a warning), once for the file
    assert [f[0] for f in _findings("--var", "ACCOUNT_ID", "td.json", cwd=tmp_path)] == ["ECS305"]


def test_vars_file_and_configuration(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(TEMPLATED, encoding="utf-8")
    (tmp_path / "ci.env").write_text("ACCOUNT_ID=210987654321\nIMAGE_TAG=1.4.2\n", encoding="utf-8")
    assert _findings("--vars-file", "ci.env", "td.json", cwd=tmp_path) == []
    (tmp_path / ".ecslint.toml").write_text(
        '[variables]\nACCOUNT_ID = "210987654321"\nIMAGE_TAG = true\n', encoding="utf-8"
    )
    assert _findings("td.json", cwd=tmp_path) == []
    # the command line wins over the file
    assert [f[0] for f in _findings("--var", "IMAGE_TAG=latest", "td.json", cwd=tmp_path)] == ["ECS210"]


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (["--var", "=1"], None, "ecslint: error: --var: '=1' is not a variable name"),
        (["--vars-file", "missing.env"], None, "ecslint: error: --vars-file: cannot read missing.env"),
        (
            [],
            "[variables]\nTAG = [1]\n",
            "ecslint: error: .ecslint.toml:2:7: variables.TAG must be a string (its value) or true",
        ),
    ],
)
def test_bad_variables_exit_2_with_a_clear_message(
    tmp_path: Path, args: list[str], config: str | None, message: str
) -> None:
    (tmp_path / "td.json").write_text(TEMPLATED, encoding="utf-8")
    if config is not None:
        (tmp_path / ".ecslint.toml").write_text(config, encoding="utf-8")
    result = run("check", *args, "td.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert (tmp_path / "td.json").read_text(encoding="utf-8") == TEMPLATED  # never written


def test_a_terraform_template_file_named_explicitly_is_checked_as_a_template(tmp_path: Path) -> None:
    (tmp_path / "containers.json.tpl").write_text(
        '[\n  {"name": "web", "image": "nginx:${tag}", "cpu": ${cpu}, "memory": ${memory}, "essential": true}\n]\n',
        encoding="utf-8",
    )
    result = run("check", "--format", "json", "containers.json.tpl", cwd=tmp_path)
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    # before: ECS001 invalid JSON; now the file is read, and templatefile() fills in every ${...}
    assert not rules & {"ECS001", "ECS021", "ECS305"}, rules
    assert "ECS505" in rules  # checked: the container has no health check


def test_no_fix_writes_a_substituted_value_into_the_file(tmp_path: Path) -> None:
    text = '{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx:1.27",\n'
    text += ' "portMappings": [{"containerPort": "${PORT}"}]}]}\n'
    (tmp_path / "td.json").write_text(text, encoding="utf-8")
    result = run("check", "--format", "json", "--select", "ECS021", "--var", "PORT=8080", "td.json", cwd=tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    # the rendered "8080" is a string where an integer belongs: true of what will be registered,
    # but the fix would replace "${PORT}" in the template with 8080
    assert (finding["rule"], finding["line"], finding["column"], finding["fix"]) == ("ECS021", 2, 37, None)
    without = run("check", "--format", "json", "--select", "ECS021", "td.json", cwd=tmp_path)
    assert json.loads(without.stdout)["findings"] == []  # undeclared: unknown, not judged


def test_config_show_prints_variables_and_target_as_a_file_that_reads_back(tmp_path: Path) -> None:
    (tmp_path / ".ecslint.toml").write_text(
        'target = "terraform"\n[variables]\nACCOUNT_ID = "210987654321"\nTAG = true\n', encoding="utf-8"
    )
    shown = run("config", "--show", cwd=tmp_path).stdout
    assert 'target = "terraform"' in shown
    assert '[variables]\nACCOUNT_ID = "210987654321"\nTAG = true\n' in shown
    (tmp_path / ".ecslint.toml").write_text(shown, encoding="utf-8")
    assert run("config", "--show", cwd=tmp_path).stdout == shown


# -- placeholder tokens: what a token means where -------------------------------------------------

SED_TEMPLATE = """{
  "family": "shop",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": <CPU>,
  "memory": "512",
  "executionRoleArn": "<EXECUTION_ROLE_ARN>",
  "containerDefinitions": [
    {"name": "shop", "image": "nginx:1.27", "memoryReservation": <MEM_RESV>,
     "environment": [{"name": "ROLE", "value": "<EXECUTION_ROLE_ARN>"}, {"name": "STAGE", "value": "<STAGE>"}],
     "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/shop",
       "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "shop"}}}
  ]
}
"""


def _errors_and_tokens(*args: str, cwd: Path) -> list[tuple[str, str, int, int, str]]:
    result = run("check", "--format", "json", *args, "td.json", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    found = json.loads(result.stdout)["findings"]
    return [
        (f["rule"], f["severity"], f["line"], f["column"], f["message"])
        for f in found
        if f["severity"] == "error" or f["rule"] == "ECS305"
    ]


def test_a_sed_template_is_checked_not_reported_as_invalid_json(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(SED_TEMPLATE, encoding="utf-8")
    assert _errors_and_tokens(cwd=tmp_path) == [
        ("ECS304", "error", 5, 10, "'<CPU>' is placeholder text"),  # AWS checks a task size
        # a role ARN is checked; the same token in an environment value is the same mistake
        ("ECS304", "error", 7, 24, "'<EXECUTION_ROLE_ARN>' is placeholder text; 1 more on line 10"),
        (
            "ECS305",
            "warning",
            9,
            66,
            "template variables that ECS takes literally: '<MEM_RESV>', '<STAGE>' (2 occurrences on lines 9-10)",
        ),
    ]


def test_declared_tokens_outside_strings_are_checked_as_the_rendered_file_holds_them(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(SED_TEMPLATE, encoding="utf-8")
    role = "EXECUTION_ROLE_ARN=arn:aws:iam::210987654321:role/shop-execution"
    rendered = ["--var", role, "--var", "STAGE=prod", "--var", "MEM_RESV=256"]
    assert _errors_and_tokens(*rendered, "--var", 'CPU="256"', cwd=tmp_path) == []
    # sed would write 100 into "cpu": <CPU>: a Fargate size that does not exist, at the token
    assert _errors_and_tokens(*rendered, "--var", 'CPU="100"', cwd=tmp_path) == [
        ("ECS102", "error", 5, 10, "cpu 100 is not a Fargate task size")
    ]
    # a number where the API wants a string, as the rendered file would hold it (the AWS CLI refuses it)
    cli = ("--target", "aws-cli")
    assert [f[0] for f in _errors_and_tokens(*rendered, "--var", "CPU=256", *cli, cwd=tmp_path)] == ["ECS021"]
    # declared without a value: unknown, no rule reports it
    assert _errors_and_tokens("--var", "CPU", "--var", "EXECUTION_ROLE_ARN", "--var", "MEM_RESV", cwd=tmp_path) == [
        ("ECS305", "warning", 10, 101, "'<STAGE>' is a template variable that ECS takes literally")
    ]


def test_invalid_json_for_another_reason_is_still_ecs001_at_that_place(tmp_path: Path) -> None:
    (tmp_path / "td.json").write_text(SED_TEMPLATE.replace('"512",', '"512"'), encoding="utf-8")
    result = run("check", "td.json", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "td.json:7:3: ECS001 error invalid JSON" in result.stdout
    assert "ECS304" not in result.stdout


_FARGATE_AWSLOGS = """{{"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
 "cpu": {cpu}, "memory": "512", "executionRoleArn": {role},
 "containerDefinitions": [{{"name": "web", "image": {image},
   "logConfiguration": {{"logDriver": "awslogs", "options": {{"awslogs-group": "/ecs/web",
     "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web"}}}}}}]}}"""


@pytest.mark.parametrize("placeholder", ['"<{}>"', "<{}>", '"${{{}}}"', "{{{{ {} }}}}"])
def test_a_placeholder_value_is_unknown_to_every_rule_that_reads_it(placeholder: str) -> None:
    """No ECS403 when the execution role is a placeholder, no ECS102 on a placeholder cpu, no
    ECS208/ECS211 on a placeholder image: the token's own finding (ECS304 or ECS305) is the only one."""
    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    text = _FARGATE_AWSLOGS.format(
        cpu=placeholder.format("CPU"), role=placeholder.format("EXECUTION_ROLE_ARN"), image=placeholder.format("IMAGE")
    )
    result = Engine(builtin()).check_bytes("td.json", text.encode())
    rules = {finding.rule_id for finding in result.findings}
    assert not result.internal_errors
    assert rules & {"ECS001", "ECS021", "ECS102", "ECS114", "ECS208", "ECS211", "ECS307", "ECS308", "ECS403"} == set()
    assert rules & {"ECS304", "ECS305"}


def test_a_token_for_a_name_or_an_enum_is_one_placeholder_finding_not_a_schema_error() -> None:
    """RegisterTaskDefinition checks names and enums ("Family contains invalid characters."): a
    whole-value token there is ECS304's, and ECS202/ECS022 do not judge it again; a quoted token
    in a number field is still ECS021's (the quotes stay when sed fills it)."""
    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    text = """{"family": "<FAMILY>", "networkMode": "<NETWORK_MODE>", "requiresCompatibilities": ["<LAUNCH_TYPE>"],
      "containerDefinitions": [{"name": "<APP_NAME>", "image": "nginx:1.27", "memoryReservation": "<MEM>",
        "environment": [{"name": "APP", "value": "<APP_NAME>"}, {"name": "STAGE", "value": "<STAGE>"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "<LOG_GROUP>"}}}]}"""
    result = Engine(builtin()).check_bytes("td.json", text.encode())
    found = sorted((f.rule_id, f.message) for f in result.findings if f.rule_id in ("ECS304", "ECS305", "ECS021"))
    assert [(rule, message) for rule, message in found if rule == "ECS304"] == [
        ("ECS304", "'<APP_NAME>' is placeholder text; 1 more on line 3"),
        ("ECS304", "'<FAMILY>' is placeholder text"),
        ("ECS304", "'<LAUNCH_TYPE>' is placeholder text"),
        ("ECS304", "'<LOG_GROUP>' is placeholder text"),
        ("ECS304", "'<NETWORK_MODE>' is placeholder text"),
    ]
    assert ("ECS305", "'<STAGE>' is a template variable that ECS takes literally") in found
    assert [rule for rule, _ in found].count("ECS021") == 1
    assert not {f.rule_id for f in result.findings} & {"ECS022", "ECS202", "ECS412"}


def test_a_yaml_template_reads_its_bare_tokens_as_values_known_at_deploy_time(tmp_path: Path) -> None:
    """``memoryReservation: <MEM_RESV>`` is a string to YAML and ``{{ PORT }}`` a mapping: both are
    tokens a deploy step fills in, so neither is a type error or a null; --var fills them."""
    (tmp_path / "td.yaml").write_text(
        "family: shop\n"
        "cpu: <CPU>\n"
        "containerDefinitions:\n"
        "  - name: shop\n"
        "    image: nginx:1.27\n"
        "    memoryReservation: <MEM_RESV>\n"
        "    portMappings:\n"
        "      - containerPort: {{ PORT }}\n",
        encoding="utf-8",
    )
    result = run("check", "--format", "json", "td.yaml", cwd=tmp_path)
    found = [(f["rule"], f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert [f for f in found if f[0] in ("ECS304", "ECS305", "ECS021", "ECS026")] == [
        ("ECS304", 2, 6, "'<CPU>' is placeholder text"),
        (
            "ECS305",
            6,
            24,
            "template variables that ECS takes literally: '<MEM_RESV>', '{{ PORT }}' (2 occurrences on lines 6, 8)",
        ),
    ]
    declared = run("check", "--format", "json", "--var", "MEM_RESV=64", "--var", "PORT=x", "td.yaml", cwd=tmp_path)
    rendered = [(f["rule"], f["line"], f["message"]) for f in json.loads(declared.stdout)["findings"]]
    message = "'portMappings[0].containerPort' of container 'shop' must be an integer, not the string \"x\""
    assert ("ECS021", 8, message) in rendered


def test_fix_in_a_template_with_bare_tokens_keeps_the_tokens(tmp_path: Path) -> None:
    written = '{"family": "w", "cpu": <CPU>, "memory": 512, "containerDefinitions": [{"name": "w", "memory": <M>,}]}\n'
    (tmp_path / "td.json").write_text(written, encoding="utf-8")
    result = run("check", "--fix", "--var", "CPU=256", "--target", "aws-cli", "td.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # cpu 256, a number the AWS CLI refuses, is still there
    # the trailing comma and the number memory are fixed; the tokens stay, and no value a --var
    # gave (cpu 256, a number where a string belongs) is written into the file
    fixed = '{"family": "w", "cpu": <CPU>, "memory": "512", "containerDefinitions": [{"name": "w", "memory": <M>}]}\n'
    assert (tmp_path / "td.json").read_text(encoding="utf-8") == fixed


def _leaves(value: object, pointer: str = "") -> list[str]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _leaves(item, f"{pointer}/{key}")]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _leaves(item, f"{pointer}/{index}")]
    return [pointer]


@pytest.mark.parametrize("example", ["examples/fargate-web.json", "examples/ec2-worker.yaml"])
def test_a_bare_token_in_place_of_any_value_is_judged_by_no_other_rule(example: str) -> None:
    """Each value of a clean task definition replaced, in turn, by ``<FILLED_IN>`` where the value belongs:
    the token's own finding (ECS304 or ECS305) is the only new one (no rule judges an unknown value)."""
    import copy

    import yaml

    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    root = Path(__file__).resolve().parent.parent
    data = yaml.safe_load((root / example).read_text(encoding="utf-8"))
    engine = Engine(builtin())
    baseline = {f.rule_id for f in engine.check_bytes("td.json", json.dumps(data).encode()).findings}
    for pointer in _leaves(data):
        changed = copy.deepcopy(data)
        *parents, last = pointer.split("/")[1:]
        node = changed
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = "@TOKEN@"
        result = engine.check_bytes("td.json", json.dumps(changed).replace('"@TOKEN@"', "<FILLED_IN>").encode())
        assert not result.internal_errors
        new = {f.rule_id for f in result.findings} - baseline - {"ECS304", "ECS305"}
        assert not new, (pointer, new)


@pytest.mark.parametrize(
    ("cpu", "rule"),
    [
        ("<CPU>", "ECS304"),  # a placeholder, as "<CPU>" is
        ('"<CPU>"', "ECS304"),
        ("{{ CPU }}", "ECS305"),  # a template variable, as "{{ CPU }}" is
        ('"{{ CPU }}"', "ECS305"),
        ("#{CPU}", "ECS305"),
        ("__CPU__", "ECS305"),
    ],
)
def test_a_token_means_the_same_quoted_or_not(cpu: str, rule: str) -> None:
    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    text = '{"family": "web", "cpu": ' + cpu + ', "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}'
    result = Engine(builtin()).check_bytes("td.json", text.encode())
    assert [f.rule_id for f in result.findings if f.rule_id in ("ECS304", "ECS305", "ECS001")] == [rule]


def test_a_lower_case_token_in_a_name_is_a_placeholder_too() -> None:
    """`<family>` and `<container-name>` (the fresh-sample review's class): '<' is never valid in a
    name, so the value is the placeholder a script fills in, said by ECS304 with how to declare it;
    in free text the same lower-case form is left alone (`<none>` may be a real value there)."""
    from ecslint.catalogue.entries import builtin
    from ecslint.engine.pipeline import Engine

    text = """{"family": "<family>", "containerDefinitions": [{"name": "<container-name>", "image": "nginx:1.27",
      "memory": 256, "environment": [{"name": "MODE", "value": "<none>"}]}]}"""
    result = Engine(builtin()).check_bytes("td.json", text.encode())
    placeholders = sorted((f.rule_id, f.pointer, f.hint) for f in result.findings if f.rule_id in ("ECS304", "ECS305"))
    assert [(rule, pointer) for rule, pointer, _ in placeholders] == [
        ("ECS304", "/containerDefinitions/0/name"),
        ("ECS304", "/family"),
    ]
    assert "--var container-name=VALUE" in str(placeholders[0][2])
    assert "ECS202" not in {f.rule_id for f in result.findings}


def test_at_and_percent_forms_are_template_variables_and_can_be_declared(tmp_path: Path) -> None:
    """``@VERSION@`` (filled by a sed of autoconf style) and ``%STAGE%``: template variables, not an
    image digest or text; an e-mail address or "100%" is neither."""
    env = [{"name": "E", "value": "%STAGE%"}, {"name": "M", "value": "a@example.com"}, {"name": "P", "value": "100%"}]
    td = {
        "family": "w",
        "containerDefinitions": [{"name": "a", "image": "@VERSION@", "memory": 512, "environment": env}],
    }
    (tmp_path / "td.json").write_text(json.dumps(td), encoding="utf-8")
    found = json.loads(run("check", "--no-config", "-f", "json", "td.json", cwd=tmp_path).stdout)["findings"]
    errors = [f["rule"] for f in found if f["severity"] == "error"]
    variables = [f["message"] for f in found if f["rule"] == "ECS305"]
    assert errors == [] and variables == [
        "template variables that ECS takes literally: '@VERSION@', '%STAGE%' (2 occurrences on line 1)"
    ]
    declared = run(
        "check", "--no-config", "-f", "json", "--var", "VERSION=repo/app:1.2", "--var", "STAGE", "td.json", cwd=tmp_path
    )
    assert [
        f["rule"] for f in json.loads(declared.stdout)["findings"] if f["rule"] in ("ECS305", "ECS208", "ECS210")
    ] == []
