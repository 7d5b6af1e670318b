"""Tests for ecslint.checks.security: ECS601-ECS615."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import Check, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecslint.catalogue.entries import load_file
from ecslint.checks import security
from ecslint.checks.security import (
    DANGEROUS_CAPABILITIES,
    capability_name,
    dangerous_capability,
    docker_socket_mounted,
    efs_authorization_without_transit_encryption,
    efs_transit_encryption_disabled,
    hardcoded_credential,
    host_ipc_namespace,
    host_network_mode,
    host_pid_namespace,
    missing_log_configuration,
    missing_user,
    plaintext_secret_in_environment,
    privileged_container,
    root_user,
    secret_name,
    shared_task_and_execution_role,
    writable_root_filesystem,
)
from ecslint.core.model import JSON
from ecslint.core.pointer import MISSING, resolve
from ecslint.core.taskdef import TaskDef

C0 = "/containerDefinitions/0"
C1 = "/containerDefinitions/1"
WINDOWS: dict[str, JSON] = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}}


def task(*containers: dict[str, JSON], **members: JSON) -> dict[str, JSON]:
    items: list[JSON] = [{"name": f"c{i}", "image": "nginx:1.27", **c} for i, c in enumerate(containers)]
    return {"family": "web", "containerDefinitions": items, **members}


# -- ECS601 privileged-container ------------------------------------------------------------------


def test_privileged_container() -> None:
    data = task({"privileged": True}, {"privileged": False}, {"privileged": "true"}, {})
    assert run(privileged_container, data) == [(f"{C0}/privileged", "default", None)]
    (violation,) = privileged_container(TaskDef(data))
    assert violation.params == {"container": "c0"}


def test_privileged_ignores_the_misspelt_key_checkov_reads() -> None:
    assert run(privileged_container, task({"privilege": True})) == []


# -- ECS602 writable-root-filesystem --------------------------------------------------------------


def test_writable_root_filesystem() -> None:
    data = task({}, {"readonlyRootFilesystem": False}, {"readonlyRootFilesystem": True})
    assert run(writable_root_filesystem, data) == [
        (C0, "missing", None),
        (f"{C1}/readonlyRootFilesystem", "default", None),
    ]


@pytest.mark.parametrize(
    ("data", "origin"),
    [
        (task({}, **WINDOWS), "register"),
        (task({}, runtimePlatform={"operatingSystemFamily": "${OS}"}), "register"),
        (task({}), "containers"),
        (task({"readonlyRootFilesystem": {"Ref": "ReadOnly"}}), "register"),
    ],
)
def test_writable_root_filesystem_silent(data: dict[str, JSON], origin: str) -> None:
    assert run(writable_root_filesystem, data, origin) == []


# -- ECS603 root-user, ECS604 missing-user -------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "span"),
    [("root", (0, 4)), ("0", (0, 1)), ("0:0", (0, 1)), ("root:root", (0, 4)), ("000:1000", (0, 3)), (" root", (1, 5))],
)
def test_root_user(user: str, span: tuple[int, int]) -> None:
    assert run(root_user, task({"user": user})) == [(f"{C0}/user", "default", span)]


@pytest.mark.parametrize("user", ["1000", "1000:0", "nginx", "nobody:nogroup", "rootless", "${APP_USER}", 0, None])
def test_root_user_silent(user: JSON) -> None:
    assert run(root_user, task({"user": user})) == []


def test_root_user_skips_windows() -> None:
    assert run(root_user, task({"user": "root"}, **WINDOWS)) == []


def test_missing_user() -> None:
    data = task({}, {"user": ""}, {"user": "1000"}, {"user": "root"})
    assert run(missing_user, data) == [(C0, "default", None), (C1, "default", None)]


def test_missing_user_needs_a_known_linux_task() -> None:
    assert run(missing_user, task({}, **WINDOWS)) == []
    assert run(missing_user, task({}), origin="containers") == []


# -- ECS605-ECS607 host namespaces -------------------------------------------------------------------


def test_host_network_mode_names_root_containers() -> None:
    data = task({}, {"user": "1000"}, {"user": "0"}, networkMode="host")
    assert run(host_network_mode, data) == [("/networkMode", "root", None)]
    (violation,) = host_network_mode(TaskDef(data))
    assert violation.params == {"containers": "c0, c2", "count": 2}


def test_host_network_mode_without_root() -> None:
    data = task({"user": "1000", "privileged": False}, networkMode="host")
    assert run(host_network_mode, data) == [("/networkMode", "default", None)]


@pytest.mark.parametrize("mode", ["awsvpc", "bridge", None, "${MODE}", {"Ref": "Mode"}])
def test_host_network_mode_silent(mode: JSON) -> None:
    data = task({})
    if mode is not None:
        data["networkMode"] = mode
    assert run(host_network_mode, data) == []


def test_host_pid_and_ipc_namespaces_are_task_level() -> None:
    data = task({"pidMode": "host", "ipcMode": "host"})
    assert run(host_pid_namespace, data) == [] and run(host_ipc_namespace, data) == []
    data = task({}, pidMode="host", ipcMode="host")
    assert run(host_pid_namespace, data) == [("/pidMode", "default", None)]
    assert run(host_ipc_namespace, data) == [("/ipcMode", "default", None)]
    assert run(host_pid_namespace, task({}, pidMode="task", ipcMode="none")) == []
    assert run(host_ipc_namespace, task({}, pidMode="task", ipcMode="task")) == []


# -- ECS608 dangerous-capability -----------------------------------------------------------------------


def test_dangerous_capabilities() -> None:
    added: JSON = ["NET_ADMIN", "CHOWN", "cap_sys_admin", " ALL ", "SYS_PTRACE", "${CAP}", 7]
    data = task({"linuxParameters": {"capabilities": {"add": added, "drop": ["SYS_ADMIN"]}}})
    base = f"{C0}/linuxParameters/capabilities/add"
    assert run(dangerous_capability, data) == [
        (f"{base}/0", "default", None),
        (f"{base}/2", "default", None),
        (f"{base}/3", "default", None),
    ]
    names = [v.params["capability"] for v in dangerous_capability(TaskDef(data))]
    assert names == ["NET_ADMIN", "SYS_ADMIN", "ALL"]


def test_capability_table() -> None:
    assert capability_name("cap_net_admin") == "NET_ADMIN"
    assert {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE"} <= set(DANGEROUS_CAPABILITIES)
    assert "SYS_PTRACE" not in DANGEROUS_CAPABILITIES


@pytest.mark.parametrize("linux", [None, "x", {"capabilities": None}, {"capabilities": {"add": "SYS_ADMIN"}}])
def test_dangerous_capability_strange_shapes(linux: JSON) -> None:
    assert run(dangerous_capability, task({"linuxParameters": linux})) == []


# -- ECS609 plaintext-secret-in-environment --------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "dbPassword",
        "MYSQLPASSWORD",
        "MYSQL_ROOT_PASSWD",
        "db_pwd",
        "JWT_SECRET",
        "SECRET_KEY_BASE",
        "GITHUB_TOKEN",
        "OPENAI_API_KEY",
        "APIKey",
        "PRIVATE_KEY",
        "S3_ACCESS_KEY",
        "GOOGLE_CREDENTIALS",
        "aws_secret_access_key",
        "ECS_ENGINE_AUTH_DATA",
        "AWS_ACCESS_KEY_ID",
    ],
)
def test_secret_names(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PASSWORD_FILE",
        "TOKEN_URL",
        "DB_SECRET_ARN",
        "ACCESS_KEY_ID",
        "JWT_SECRET_EXPIRES_IN",
        "TOKEN_TYPE",
        "TOKENIZERS_PARALLELISM",
        "PWD",
        "SECRETS_MANAGER_REGION",
        "PASSWORD_MIN_LENGTH",
        "APP_ENV",
    ],
)
def test_not_secret_names(name: str) -> None:
    assert not secret_name(name)


def _env(*pairs: tuple[str, JSON]) -> dict[str, JSON]:
    return task({"environment": [{"name": n, "value": v} for n, v in pairs]})


def test_plaintext_secrets_in_environment() -> None:
    data = _env(
        ("DB_PASSWORD", "hunter2-prod"),
        ("AWS_SECRET_ACCESS_KEY", "q8Zk3v+Lr9mT2wXy7NcPaBdE5fGhJ1sKu4oVi6Rn"),
        ("DATABASE_URL", "postgres://app:s3cr3tpass@db.internal:5432/app"),
        ("APP_ENV", "production"),
    )
    env = f"{C0}/environment"
    assert run(plaintext_secret_in_environment, data) == [
        (f"{env}/0/name", "default", None),
        (f"{env}/1/name", "aws", None),
        (f"{env}/2/value", "url", (15, 25)),
    ]
    violation = next(iter(plaintext_secret_in_environment(TaskDef(data))))
    assert violation.params == {"name": "DB_PASSWORD", "container": "c0"}


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "changeme",
        "xxxxxxxx",
        "${DB_PASSWORD}",
        "<db-password>",
        "PLACEHOLDER_WILL_BE_REPLACED_BY_CI",
        "true",
        "/run/secrets/db",
        "arn:aws:secretsmanager:eu-west-1:210987654321:secret:db-AbCdEf",
        "https://vault.example.com/v1/db",
    ],
)
def test_stand_in_values_are_not_secrets(value: str) -> None:
    assert run(plaintext_secret_in_environment, _env(("DB_PASSWORD", value))) == []


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres:postgres@db:5432/app",
        "postgres://app:${DB_PASSWORD}@db:5432/app",
        "postgres://app@db:5432/app",
        "redis://:<password>@cache:6379",
        "https://example.com/a:b@c",
    ],
)
def test_url_without_a_real_password(url: str) -> None:
    assert run(plaintext_secret_in_environment, _env(("DATABASE_URL", url))) == []


@pytest.mark.parametrize("environment", [None, "A=B", [None, 1, {"name": "DB_PASSWORD"}, {"name": 1, "value": "x"}]])
def test_plaintext_secret_strange_shapes(environment: JSON) -> None:
    assert run(plaintext_secret_in_environment, task({"environment": environment})) == []


# -- ECS610 hardcoded-credential ---------------------------------------------------------------------

AKIA = "AKIA2OGYBAH6TESTQ7LN"
SECRET_KEY = "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"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
SLACK = "xoxb-210987654321-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"


def test_hardcoded_credentials() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----"
    data = _env(("S3_KEY", AKIA), ("S3_SECRET", SECRET_KEY), ("TLS_KEY", pem))
    container = data["containerDefinitions"][0]  # type: ignore[index]
    container["command"] = ["--token", f"x{GITHUB}", f"--slack={SLACK}"]  # type: ignore[index,call-overload]
    data["taskRoleArn"] = f"arn:aws:iam::210987654321:role/{AKIA}"
    env = f"{C0}/environment"
    assert sorted(run(hardcoded_credential, data)) == sorted(
        [
            (f"{env}/0/value", "aws-access-key", (0, 20)),
            (f"{env}/1/value", "aws-secret-key", None),
            (f"{env}/2/value", "private-key", (0, 31)),
            (f"{C0}/command/2", "slack-token", (8, 8 + len(SLACK))),
            ("/taskRoleArn", "aws-access-key", (31, 51)),
        ]
    )


def test_github_token_and_the_secret_key_named_so() -> None:
    data = _env(("GH", GITHUB), ("AWS_SECRET_ACCESS_KEY", SECRET_KEY))
    assert run(hardcoded_credential, data) == [
        (f"{C0}/environment/0/value", "github-token", (0, 40)),
        (f"{C0}/environment/1/value", "aws-secret-key", None),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AKIA2OGYBAH6TESTQ7LNX",
        "xoxb-your-token-here",
        "ghp_short",
        "-----BEGIN PUBLIC KEY-----",
    ],
)
def test_not_credentials(value: str) -> None:
    assert run(hardcoded_credential, _env(("SOMETHING", value))) == []


def test_unpaired_secret_key_shape_is_not_reported() -> None:
    assert run(hardcoded_credential, _env(("CHECKSUM", SECRET_KEY))) == []


def test_only_an_access_key_id_pairs_a_secret_key_shape() -> None:
    """A GitHub token beside a 40-character value does not make the value an AWS secret key."""
    assert run(hardcoded_credential, _env(("GH", GITHUB), ("CHECKSUM", SECRET_KEY))) == [
        (f"{C0}/environment/0/value", "github-token", (0, 40))
    ]


def test_hardcoded_credential_skips_describe_read_only_fields() -> None:
    data = task({}, taskDefinitionArn=f"arn:aws:ecs:eu-west-1:210987654321:task-definition/{AKIA}:1")
    assert run(hardcoded_credential, data) == []


# -- ECS611 shared-task-and-execution-role -------------------------------------------------------


@pytest.mark.parametrize(
    ("task_role", "execution_role"),
    [
        ("arn:aws:iam::210987654321:role/ecsTaskExecutionRole", "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"),
        ("ecsTaskExecutionRole", "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"),
        ("arn:aws:iam::210987654321:role/ecs/app", "arn:aws:iam::210987654321:role/other/app"),
        ("ECSTaskExecutionRole", "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"),  # IAM ignores case
    ],
)
def test_shared_roles(task_role: str, execution_role: str) -> None:
    data = task({}, taskRoleArn=task_role, executionRoleArn=execution_role)
    assert run(shared_task_and_execution_role, data) == [("/taskRoleArn", "default", None)]


@pytest.mark.parametrize(
    ("task_role", "execution_role"),
    [
        ("arn:aws:iam::210987654321:role/api-task", "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"),
        ("arn:aws:iam::210987654321:role/app", "arn:aws:iam::109876543210:role/app"),
        ("", ""),
        ("${ROLE}", "${ROLE}"),
        ({"Ref": "Role"}, {"Ref": "Role"}),
        (None, "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"),
    ],
)
def test_different_roles(task_role: JSON, execution_role: JSON) -> None:
    data = task({}, taskRoleArn=task_role, executionRoleArn=execution_role)
    assert run(shared_task_and_execution_role, data) == []


# -- ECS612/ECS613 EFS ------------------------------------------------------------------------------


def _efs(*configs: JSON) -> dict[str, JSON]:
    return task({}, volumes=[{"name": f"v{i}", "efsVolumeConfiguration": c} for i, c in enumerate(configs)])


def test_efs_transit_encryption() -> None:
    data = _efs(
        {"fileSystemId": "fs-1"},
        {"fileSystemId": "fs-1", "transitEncryption": "DISABLED"},
        {"fileSystemId": "fs-1", "transitEncryption": "ENABLED"},
        {"fileSystemId": "fs-1", "authorizationConfig": {"iam": "ENABLED"}},
        {"fileSystemId": "fs-1", "transitEncryption": "${TE}"},
        {"Ref": "Efs"},
    )
    assert run(efs_transit_encryption_disabled, data) == [
        ("/volumes/0/efsVolumeConfiguration", "missing", None),
        ("/volumes/1/efsVolumeConfiguration/transitEncryption", "default", None),
    ]
    assert run(efs_authorization_without_transit_encryption, data) == [
        ("/volumes/3/efsVolumeConfiguration", "iam-missing", None)
    ]


def test_efs_authorization_variants() -> None:
    data = _efs(
        {"transitEncryption": "DISABLED", "authorizationConfig": {"iam": "ENABLED"}},
        {"authorizationConfig": {"accessPointId": "fsap-0123"}},
        {"transitEncryption": "DISABLED", "authorizationConfig": {"accessPointId": "fsap-0123", "iam": "DISABLED"}},
        {"authorizationConfig": {"accessPointId": ""}},
        {"transitEncryption": "ENABLED", "authorizationConfig": {"accessPointId": "fsap-1", "iam": "ENABLED"}},
    )
    assert run(efs_authorization_without_transit_encryption, data) == [
        ("/volumes/0/efsVolumeConfiguration/transitEncryption", "iam", None),
        ("/volumes/1/efsVolumeConfiguration", "access-point-missing", None),
        ("/volumes/2/efsVolumeConfiguration/transitEncryption", "access-point", None),
    ]
    assert run(efs_transit_encryption_disabled, data) == [("/volumes/3/efsVolumeConfiguration", "missing", None)]


@pytest.mark.parametrize("volumes", [None, "x", [None, {"name": "a"}, {"efsVolumeConfiguration": "fs-1"}]])
def test_efs_strange_shapes(volumes: JSON) -> None:
    data = task({}, volumes=volumes)
    assert run(efs_transit_encryption_disabled, data) == []
    assert run(efs_authorization_without_transit_encryption, data) == []


# -- ECS614 docker-socket-mounted --------------------------------------------------------------------


def test_docker_socket_mounted() -> None:
    volumes: JSON = [
        {"name": "sock", "host": {"sourcePath": "/var/run/docker.sock"}},
        {"name": "run", "host": {"sourcePath": "/run/"}},
        {"name": "data", "host": {"sourcePath": "/srv/data"}},
        {"name": "scratch", "host": {}},
        {"name": "odd", "host": {"sourcePath": "//var//run/docker.sock"}},
    ]
    mounts: JSON = [
        {"sourceVolume": name, "containerPath": "/x"} for name in ("sock", "run", "data", "scratch", "odd", "nope")
    ]
    data = task({"mountPoints": mounts}, volumes=volumes)
    base = f"{C0}/mountPoints"
    assert run(docker_socket_mounted, data) == [
        (f"{base}/0/sourceVolume", "default", None),
        (f"{base}/1/sourceVolume", "parent", None),
        (f"{base}/4/sourceVolume", "default", None),
    ]


@pytest.mark.parametrize(
    "volumes",
    [
        None,
        [{"name": "sock", "host": {"sourcePath": "${SOCKET}"}}],
        [{"name": "sock", "host": "/var/run/docker.sock"}],
        [{"name": "sock", "host": {"sourcePath": ""}}],  # no host path: a Docker-managed volume
        [{"name": "sock", "host": {"sourcePath": "  "}}],
    ],
)
def test_docker_socket_silent(volumes: JSON) -> None:
    data = task({"mountPoints": [{"sourceVolume": "sock"}]}, volumes=volumes)
    assert run(docker_socket_mounted, data) == []


# -- ECS615 missing-log-configuration -------------------------------------------------------------


def test_missing_log_configuration() -> None:
    data = task({}, {"logConfiguration": {"logDriver": "awslogs"}}, {"logConfiguration": None})
    assert run(missing_log_configuration, data) == [(C0, "default", None), ("/containerDefinitions/2", "default", None)]


# -- every check: well-formed findings, never an exception ----------------------------------------------

RULES = {
    rule.check: rule
    for rule in (
        load_file(p) for p in sorted((Path(__file__).resolve().parents[2] / "rules" / "security").glob("*.yaml"))
    )
}
CHECKS: list[Check] = [getattr(security, name) for name in sorted(RULES) if name]

_TEXT = st.sampled_from(
    ["", "host", "root", "0:0", "ENABLED", "DISABLED", "SYS_ADMIN", "/var/run/docker.sock", "DB_PASSWORD", AKIA, "${X}"]
) | st.text(max_size=20)
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=10,
)
_CONTAINER = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT,
        "user": _ANY,
        "privileged": _ANY,
        "readonlyRootFilesystem": _ANY,
        "environment": st.lists(st.fixed_dictionaries({}, optional={"name": _TEXT, "value": _ANY}), max_size=3) | _ANY,
        "linuxParameters": st.fixed_dictionaries(
            {}, optional={"capabilities": st.fixed_dictionaries({}, optional={"add": _ANY})}
        )
        | _ANY,
        "mountPoints": st.lists(st.fixed_dictionaries({}, optional={"sourceVolume": _TEXT}), max_size=2) | _ANY,
        "logConfiguration": _ANY,
    },
)
_VOLUME = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXT,
        "host": st.fixed_dictionaries({}, optional={"sourcePath": _TEXT}) | _ANY,
        "efsVolumeConfiguration": st.fixed_dictionaries(
            {},
            optional={
                "transitEncryption": _ANY,
                "authorizationConfig": st.fixed_dictionaries({}, optional={"iam": _ANY, "accessPointId": _ANY}) | _ANY,
            },
        )
        | _ANY,
    },
)
_TASK = st.fixed_dictionaries(
    {},
    optional={
        "networkMode": _ANY,
        "pidMode": _ANY,
        "ipcMode": _ANY,
        "taskRoleArn": _ANY,
        "executionRoleArn": _ANY,
        "runtimePlatform": _ANY,
        "volumes": st.lists(_VOLUME | _ANY, max_size=3) | _ANY,
        "containerDefinitions": st.lists(_CONTAINER | _ANY, max_size=3) | _ANY,
    },
)


def test_every_security_check_has_its_rule() -> None:
    assert len(CHECKS) == 16


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TASK, st.sampled_from(["register", "describe", "cloudformation", "containers"]))
def test_security_checks_never_raise(data: dict[str, JSON], origin: str) -> None:
    for name, check in zip(sorted(RULES), CHECKS, strict=True):
        rule = RULES[name]
        for violation in check(TaskDef(data, origin)):
            target = resolve(data, violation.pointer)
            assert target is not MISSING, (rule.id, violation.pointer)
            assert violation.variant in rule.messages, (rule.id, violation.variant)
            if violation.substring is not None:
                start, end = violation.substring
                assert isinstance(target, str) and 0 <= start < end <= len(target), (rule.id, violation)
            rule.message(violation.variant, violation.params)


def test_windows_admin_user() -> None:
    from ecslint.checks.security import windows_admin_user

    data = {
        "family": "iis",
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"},
        "containerDefinitions": [
            {"name": "a", "image": "a:1"},
            {"name": "b", "image": "b:1", "user": "containeradministrator"},
            {"name": "c", "image": "c:1", "user": "ContainerUser"},
            {"name": "d", "image": "d:1", "user": "${WINDOWS_USER}"},
        ],
    }
    found = [(v.pointer, v.variant) for v in windows_admin_user(TaskDef(data))]
    assert found == [("/containerDefinitions/0", "missing"), ("/containerDefinitions/1/user", "default")]
    linux = {**data, "runtimePlatform": {"operatingSystemFamily": "LINUX"}}
    assert list(windows_admin_user(TaskDef(linux))) == []
    unknown = {**data, "runtimePlatform": {"operatingSystemFamily": "${OS}"}}
    assert list(windows_admin_user(TaskDef(unknown))) == []
