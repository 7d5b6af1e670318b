"""Tests for ecslint.checks.identifiers, plus whole-document tests of every built-in check:
the seed file, the real-world corpus, and a property test on generated documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import Rule, load_file
from ecslint.checks import registered
from ecslint.checks.identifiers import (
    ImageRef,
    Placeholder,
    account_kind,
    arn_placeholders,
    image_placeholders,
    is_codedeploy_image,
    iter_strings,
    parse_arn,
    parse_ecr_host,
    parse_image,
    region_kind,
    region_placeholders,
    template_spans,
    text_placeholders,
)
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import MISSING, join, resolve
from ecslint.core.taskdef import TaskDef, is_unknown
from tests.conftest import CORPUS as CORPUS_ROOT
from tests.conftest import SEED, needs_corpus
from tests.workcount import calls, grows_linearly

REPO = Path(__file__).resolve().parents[2]
CORPUS = CORPUS_ROOT / "json"
CONTAINER_LISTS = CORPUS_ROOT / "json-containers"

# -- image references ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", ImageRef(None, "nginx", None, None, None)),
        ("nginx:1.27", ImageRef(None, "nginx", "1.27", (6, 10), None)),
        ("library/nginx:latest", ImageRef(None, "library/nginx", "latest", (14, 20), None)),
        ("localhost:5000/app", ImageRef("localhost:5000", "app", None, None, None)),
        ("localhost:5000/app:7", ImageRef("localhost:5000", "app", "7", (19, 20), None)),
        ("localhost/app", ImageRef("localhost", "app", None, None, None)),
        ("localhost:5000", ImageRef(None, "localhost", "5000", (10, 14), None)),
        ("ghcr.io/org/app:v1", ImageRef("ghcr.io", "org/app", "v1", (16, 18), None)),
        ("org/app@sha256:abc", ImageRef(None, "org/app", None, None, "sha256:abc")),
        ("app:1.0@sha256:abc", ImageRef(None, "app", "1.0", (4, 7), "sha256:abc")),
        (
            "210987654321.dkr.ecr.us-east-1.amazonaws.com/team/app:2",
            ImageRef("210987654321.dkr.ecr.us-east-1.amazonaws.com", "team/app", "2", (54, 55), None),
        ),
        ("", ImageRef(None, "", None, None, None)),
    ],
)
def test_parse_image(image: str, expected: ImageRef) -> None:
    assert parse_image(image) == expected


def test_parse_ecr_host() -> None:
    host = parse_ecr_host("210987654321.dkr.ecr.ap-northeast-1.amazonaws.com/app:1")
    assert host is not None
    assert (host.registry_id, host.registry_id_span, host.region, host.region_span) == (
        "210987654321",
        (0, 12),
        "ap-northeast-1",
        (21, 35),
    )
    china = parse_ecr_host("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/app")
    assert china is not None and china.region == "cn-north-1"
    dual = parse_ecr_host("210987654321.dkr-ecr.us-west-2.on.aws/app")
    assert dual is not None and dual.region == "us-west-2"
    seed = parse_ecr_host("アカウントID.dkr.ecr.ap-northeast-1.amazonaws.com/postman/laravel:latest")
    assert seed is not None and seed.registry_id_span == (0, 7)
    for other in ("public.ecr.aws/nginx/nginx:1", "nginx", "example.com/app", "dkr.ecr.us-east-1.amazonaws.com"):
        assert parse_ecr_host(other) is None


# -- ARNs -------------------------------------------------------------------------------------


def test_parse_arn() -> None:
    arn = parse_arn("arn:aws:iam::210987654321:role/path/ecsTaskRole")
    assert arn is not None
    assert (arn.partition, arn.service, arn.region, arn.account, arn.resource) == (
        "aws",
        "iam",
        "",
        "210987654321",
        "role/path/ecsTaskRole",
    )
    assert (arn.partition_span, arn.service_span, arn.region_span, arn.account_span, arn.resource_start) == (
        (4, 7),
        (8, 11),
        (12, 12),
        (13, 25),
        26,
    )
    sm = parse_arn("arn:aws:secretsmanager:us-east-1:210987654321:secret:db-AbCdEf:username::")
    assert sm is not None and sm.resource == "secret:db-AbCdEf:username::"
    for not_arn in ("", "arn:aws:iam", "arn:aws:ssm:us-east-1:210987654321", "ARN:aws:iam::1:role/x", "role/x"):
        assert parse_arn(not_arn) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("210987654321", "valid"),
        ("000000000000", "valid"),
        ("123456789012", "example"),
        ("111122223333", "example"),
        ("aws", "aws"),
        ("", "empty"),
        ("ACCOUNT_ID", "placeholder"),
        ("<account-id>", "placeholder"),
        ("アカウントID", "placeholder"),
        ("xxxxxxxxxxxx", "placeholder"),
        ("{AWS_ID}", "placeholder"),
        ("ACCOUNT_ID_1", "placeholder"),
        ("12345678901", "invalid"),
        ("12345678901a", "invalid"),
        ("1234-5678-9012", "invalid"),
    ],
)
def test_account_kind(text: str, kind: str) -> None:
    assert account_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("us-east-1", "valid"),
        ("us-gov-west-1", "valid"),
        ("ap-southeast-5", "valid"),
        ("eu-isoe-west-1", "valid"),
        ("", "empty"),
        ("REGION", "placeholder"),
        ("AWS_REGION", "placeholder"),
        ("<region>", "placeholder"),
        ("your-region", "placeholder"),
        ("xx-xxxx-1", "placeholder"),
        ("リージョン", "placeholder"),
        ("us-east-1a", "invalid"),
        ("useast1", "invalid"),
    ],
)
def test_region_kind(text: str, kind: str) -> None:
    assert region_kind(text) == kind


# -- placeholders and templates -----------------------------------------------------------------


def test_arn_placeholders() -> None:
    assert arn_placeholders("arn:aws:ssm:REGION:<ACCOUNT_ID>:parameter/<name>") == (
        Placeholder("region", (12, 18), "REGION"),
        Placeholder("account", (19, 31), "<ACCOUNT_ID>"),
        Placeholder("text", (42, 48), "<name>"),
    )
    assert arn_placeholders("arn:aws:iam::210987654321:role/app") == ()
    assert arn_placeholders("arn:aws:s3:::bucket/app.env") == ()


def test_image_placeholders() -> None:
    assert image_placeholders("ACCOUNT_ID.dkr.ecr.REGION.amazonaws.com/app:1") == (
        Placeholder("account", (0, 10), "ACCOUNT_ID"),
        Placeholder("region", (19, 25), "REGION"),
    )
    assert image_placeholders("<IMAGE1_NAME>") == ()
    assert image_placeholders("nginx:1.27") == ()


def test_text_and_region_placeholders() -> None:
    assert text_placeholders("<TASK_ROLE_ARN>") == (Placeholder("text", (0, 15), "<TASK_ROLE_ARN>"),)
    assert text_placeholders("your_role") == (Placeholder("text", (0, 9), "your_role"),)
    assert text_placeholders("changeme") == (Placeholder("text", (0, 8), "changeme"),)
    assert text_placeholders("ecsTaskExecutionRole") == ()
    assert text_placeholders("changemember") == ()
    # a word that only contains one (a secret's JSON key "achangeme", found by test_valid_definitions)
    assert text_placeholders("achangeme") == text_placeholders("Exchange_me") == ()
    assert arn_placeholders("arn:aws-cn:secretsmanager:cn-north-1:081122247746:secret:a-000000:achangeme::") == ()
    assert text_placeholders("please_changeme") == (Placeholder("text", (7, 15), "changeme"),)
    assert region_placeholders("<AWS_REGION>") == (Placeholder("region", (0, 12), "<AWS_REGION>"),)
    assert region_placeholders("us-east-1") == ()


def test_template_helpers() -> None:
    assert template_spans("${A}-{{ b }}-<+c>") == [(0, 4), (5, 12), (13, 17)]
    assert template_spans("plain") == []
    assert is_unknown("<+artifacts.primary.image>") and is_unknown("${X}") and is_unknown({"Ref": "X"})
    assert not is_unknown("<IMAGE1_NAME>") and not is_unknown(3)
    assert is_codedeploy_image("<IMAGE1_NAME>") and not is_codedeploy_image("<ECR>/app:1")


def test_iter_strings() -> None:
    data: JSON = {"a": ["x", {"b/c": "y", "n": 1}], "cfn": {"Fn::Sub": "${Z}"}, "k": "z"}
    assert list(iter_strings(data)) == [("/a/0", "x"), ("/a/1/b~1c", "y"), ("/k", "z")]


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b/c", "~d", "Ref", "Fn::Sub", "image"]), children, max_size=3)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.sampled_from(["family", "cpu", "x/y", "revision", "status"]), _VALUES, max_size=4))
def test_the_strings_walk_is_iter_strings(data: dict[str, JSON]) -> None:
    """checks/strings.py walks with appends for speed; iter_strings is the plain statement of it."""
    from ecslint.checks.strings import _walk
    from ecslint.core.taskdef import READ_ONLY_FIELDS, TaskDef

    expected = [
        found
        for key, value in data.items()
        if key not in READ_ONLY_FIELDS
        for found in iter_strings(value, join("", key))
    ]
    assert _walk(TaskDef(data)) == expected


def test_many_placeholders_in_one_value_are_merged_in_linear_steps() -> None:
    def work(count: int) -> int:
        image_placeholders.cache_clear()
        return calls(image_placeholders, "123456789012.dkr.ecr.<region>.amazonaws.com/" + "<a>" * count)

    grows_linearly(work, 200)  # each text placeholder was compared with every one found before it
    image_placeholders.cache_clear()
    found = image_placeholders("123456789012.dkr.ecr.<region>.amazonaws.com/app:<a><b>")
    assert [(p.kind, p.text) for p in found] == [
        ("example-account", "123456789012"),
        ("region", "<region>"),
        ("text", "<a>"),
        ("text", "<b>"),
    ]


# -- whole documents: every check ----------------------------------------------------------------


def _rules_by_check() -> dict[str, Rule]:
    rules = [load_file(p) for p in sorted((REPO / "rules").rglob("*.yaml"))]
    return {rule.check: rule for rule in rules if rule.check}


RULES = _rules_by_check()


def run_all(data: dict[str, JSON]) -> Iterator[tuple[Rule, Violation]]:
    td = TaskDef(data)
    for name, function in sorted(registered().items()):
        rule = RULES.get(name)
        if rule is None:
            continue
        for violation in function(td):
            yield rule, violation


def assert_well_formed(data: dict[str, JSON], rule: Rule, violation: Violation) -> None:
    assert isinstance(violation, Violation)
    target = resolve(data, violation.pointer)
    assert target is not MISSING, (rule.id, violation.pointer)
    assert violation.variant in rule.messages, (rule.id, violation.variant)
    assert violation.at == "value"
    if violation.substring is not None:
        start, end = violation.substring
        assert isinstance(target, str) and 0 <= start < end <= len(target), (rule.id, violation)
    rule.message(violation.variant, violation.params)
    rule.hint(violation.variant, violation.params)


def test_every_check_has_a_catalogue_entry() -> None:
    ours = {name for name, function in registered().items() if function.__module__.startswith("ecslint.checks.")}
    assert ours <= set(RULES)


def _load_seed() -> dict[str, JSON]:
    text = SEED.read_text(encoding="utf-8")
    for quote in ("\u201c", "\u201d", "\u2033"):
        text = text.replace(quote, '"')
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_seed_file() -> None:
    data = _load_seed()
    found = sorted((rule.id, v.pointer, v.variant, v.substring) for rule, v in run_all(data))
    assert found == [
        ("ECS202", "/family", "default", (0, 4)),
        ("ECS210", "/containerDefinitions/0/image", "default", (61, 67)),
        # one placeholder account id in three values: one finding, which lists the three
        ("ECS304", "/taskRoleArn", "default-many", (13, 20)),
        # true, and below error: no health check, a writable root filesystem, no user (opt-in),
        # and the same role for the task and its execution
        ("ECS505", "/containerDefinitions/0/name", "default", None),
        ("ECS602", "/containerDefinitions/0/readonlyRootFilesystem", "default", None),
        ("ECS604", "/containerDefinitions/0", "default", None),
        ("ECS611", "/taskRoleArn", "default", None),
    ]
    for rule, violation in run_all(data):
        assert_well_formed(data, rule, violation)


def _corpus_documents() -> list[tuple[str, dict[str, JSON]]]:
    if not CORPUS.is_dir():
        return []
    documents = []
    for path in sorted(CORPUS.iterdir()):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict):
            data = data["taskDefinition"]
        if isinstance(data, dict):
            documents.append((path.name, data))
    return documents


CORPUS_DOCUMENTS = _corpus_documents()


@needs_corpus
def test_corpus_never_raises_and_findings_are_well_formed() -> None:
    assert len(CORPUS_DOCUMENTS) > 80
    for _name, data in CORPUS_DOCUMENTS:
        for rule, violation in run_all(data):
            assert_well_formed(data, rule, violation)


@needs_corpus
def test_container_definition_lists_never_raise() -> None:
    for path in sorted(CONTAINER_LISTS.iterdir()):
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        data: dict[str, JSON] = {"containerDefinitions": items}
        for rule, violation in run_all(data):
            assert_well_formed(data, rule, violation)


def _corpus_findings(prefix: str) -> list[tuple[str, str, str]]:
    for name, data in CORPUS_DOCUMENTS:
        if name.startswith(prefix):
            return sorted(
                (rule.id, v.pointer, v.variant) for rule, v in run_all(data) if rule.severity.label == "error"
            )
    pytest.skip(f"{prefix} not in the corpus")


@needs_corpus
def test_corpus_known_findings() -> None:
    # a real typo: 4192 instead of 4096 with 2048 CPU units
    assert _corpus_findings("govtechmy__hansards-dataproc") == [("ECS102", "/memory", "default")]
    # Fargate with awslogs and an empty executionRoleArn, options without group/region/prefix
    assert _corpus_findings("Poss111__mrbot") == [
        ("ECS401", "/containerDefinitions/0/logConfiguration/options", "default"),
        ("ECS403", "/containerDefinitions/0/logConfiguration/logDriver", "default"),
    ]
    # "{AWS_ID}" lost its "$": the template step will not render it
    assert _corpus_findings("Blue-Pix__deploy_fargate") == [("ECS304", "/taskRoleArn", "default")]


@needs_corpus
def test_corpus_false_positives_stay_fixed() -> None:
    # ".25 vcpu" / ".5 gb" read as 0.25 vCPU / 0.5 GB, a valid pair
    assert _corpus_findings("Abdelali12-codes__aws_ecs_codedeploy") == []
    # describe output: taskDefinitionArn is AWS's, not the user's
    pointers = {pointer for _, pointer, _ in _corpus_findings("5sfayas__php-nginx")}
    assert "/taskDefinitionArn" not in pointers
    # CodeDeploy <IMAGE1_NAME> images are deploy-time placeholders (ECS305 warning only)
    assert _corpus_findings("23prime__gokabot") == []


# -- property test: no check raises on task-definition-shaped data ----------------------------------

_STRINGS = st.sampled_from(
    [
        "",
        "/",
        "//",
        ":",
        "@",
        "arn:",
        "arn:aws:iam::",
        "arn:aws:iam:::role/x",
        "arn:aws:ssm:us-east-1:210987654321:parameter//x",
        "arn:aws:ssm:REGION:ACCOUNT_ID:parameter:x",
        "arn:aws:secretsmanager:us-east-1:1:secret:",
        "arn:aws:secretsmanager:us-east-1:210987654321:secret:a:b:c:d:e",
        "${X}",
        "{{ x }}",
        "<IMAGE1_NAME>",
        "<+x>",
        "<",
        "localhost:5000",
        "a:b@c",
        "アカウントID.dkr.ecr.REGION.amazonaws.com/a:latest",
        ".dkr.ecr..amazonaws.com/",
        "1 vCPU",
        ".5 GB",
        "0.3 vCPU",
        "256",
        "FARGATE",
        "EXTERNAL",
        "awslogs",
        "json-file",
        "awsvpc",
        "WINDOWS_SERVER_2022_CORE",
    ]
)
_TEXT = st.text(max_size=40) | _STRINGS
_SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | _TEXT
_ANY = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=12,
)


def _maybe(strategy: st.SearchStrategy[JSON]) -> st.SearchStrategy[JSON]:
    return strategy | _ANY


_SECRET = st.fixed_dictionaries({}, optional={"name": _maybe(_TEXT), "valueFrom": _maybe(_TEXT)})
_OPTIONS = st.dictionaries(
    st.sampled_from(["awslogs-group", "awslogs-region", "awslogs-stream-prefix", "mode"]) | _TEXT,
    _maybe(_TEXT),
    max_size=4,
)
_LOG = st.fixed_dictionaries(
    {},
    optional={
        "logDriver": _maybe(st.sampled_from(["awslogs", "splunk", "awsfirelens", "json-file", "fluentd"]) | _TEXT),
        "options": _maybe(_OPTIONS),
        "secretOptions": _maybe(st.lists(_maybe(_SECRET), max_size=3)),
    },
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _maybe(_TEXT),
        "image": _maybe(_TEXT),
        "essential": _maybe(st.booleans()),
        "secrets": _maybe(st.lists(_maybe(_SECRET), max_size=3)),
        "logConfiguration": _maybe(_LOG),
        "environment": _ANY,
        "command": _maybe(st.lists(_TEXT, max_size=3)),
        "repositoryCredentials": _maybe(st.fixed_dictionaries({"credentialsParameter": _TEXT})),
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "family": _maybe(_TEXT),
        "requiresCompatibilities": _maybe(
            st.lists(st.sampled_from(["EC2", "FARGATE", "EXTERNAL"]) | _TEXT, max_size=3)
        ),
        "networkMode": _maybe(_TEXT),
        "cpu": _maybe(_TEXT | st.integers(0, 20000)),
        "memory": _maybe(_TEXT | st.integers(0, 200000)),
        "runtimePlatform": _maybe(st.fixed_dictionaries({}, optional={"operatingSystemFamily": _maybe(_TEXT)})),
        "taskRoleArn": _maybe(_TEXT),
        "executionRoleArn": _maybe(_TEXT),
        "containerDefinitions": _maybe(st.lists(_maybe(_CONTAINER), max_size=3)),
        "taskDefinitionArn": _TEXT,
    },
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK)
def test_checks_never_raise_on_task_shaped_data(data: dict[str, JSON]) -> None:
    for rule, violation in run_all(data):
        assert_well_formed(data, rule, violation)


@pytest.mark.parametrize("text", ["¹", "٢٥٦", "２５６", "1 vCPU²", "٢ GB"])
def test_sizes_in_digits_other_than_ascii_are_not_sizes(text: str) -> None:
    """'¹'.isdigit() is true but int('¹') raises: AWS reads ASCII digits only."""
    from ecslint.core.taskdef import parse_cpu_units, parse_memory_mib

    assert parse_cpu_units(text) is None and parse_memory_mib(text) is None
