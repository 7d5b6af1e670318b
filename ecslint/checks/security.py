"""Checks for container and task hardening: privileges, users, host namespaces, capabilities,
plain-text secrets, roles, EFS encryption, the Docker socket and logging (rules/security).

Facts: docs/facts.md 3.4-3.5 (Windows and Fargate restrictions), 4.6 (roles), 7.8 (``user``
forms), 8 (EFS shapes); what Security Hub, AWS Config and the peer linters check, and where
they go wrong: docs/parity.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ecslint.checks.identifiers import Span, parse_arn, text_placeholders
from ecslint.checks.registry import check
from ecslint.checks.strings import CREDENTIAL_HINT, user_strings
from ecslint.core.model import JSON, Violation
from ecslint.core.numbers import digits_value
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_unknown


def _is_linux(td: TaskDef) -> bool:
    """The task is known to run Linux containers (False when the OS family is unknown)."""
    family = td.os_family
    return family is not None and not td.is_windows


# -- ECS601 privileged-container -----------------------------------------------------------


@check("privileged_container", container=("privileged",))
def privileged_container(td: TaskDef) -> Iterator[Violation]:
    """``privileged: true`` gives the container root access to the host."""
    for container in td.containers():
        if container.data.get("privileged") is True:
            yield Violation(join(container.pointer, "privileged"), {"container": container.label})


# -- ECS602 writable-root-filesystem ------------------------------------------------------


@check("writable_root_filesystem", task=("containerDefinitions",))
def writable_root_filesystem(td: TaskDef) -> Iterator[Violation]:
    """Linux containers should set ``readonlyRootFilesystem: true`` (missing counts as false)."""
    if not _is_linux(td):
        return
    for container in td.containers():
        value = container.data.get("readonlyRootFilesystem")
        params = {"container": container.label}
        if value is None:
            yield Violation(container.pointer, params, variant="missing")
        elif value is False:
            yield Violation(join(container.pointer, "readonlyRootFilesystem"), params)


# -- ECS603 root-user, ECS604 missing-user --------------------------------------------------

ROOT_USERS = frozenset({"root", "0"})


def root_user_span(user: str) -> Span | None:
    """The span of the user part of ``user[:group]`` when it names root (``root`` or UID 0)."""
    name = user.split(":", 1)[0]
    stripped = name.strip()
    if stripped in ROOT_USERS or (stripped.isascii() and stripped.isdigit() and digits_value(stripped) == 0):
        start = user.find(stripped)
        return (start, start + len(stripped))
    return None


@check("root_user", container=("user",))
def root_user(td: TaskDef) -> Iterator[Violation]:
    """``user`` that names root (``root``, ``0``, ``0:0``, ``root:root``)."""
    if td.is_windows:
        return
    for container in td.containers():
        user = container.data.get("user")
        if not isinstance(user, str) or is_unknown(user):
            continue
        span = root_user_span(user)
        if span is not None:
            params = {"container": container.label, "user": user}
            yield Violation(join(container.pointer, "user"), params, substring=span)


@check("missing_user", task=("containerDefinitions",))
def missing_user(td: TaskDef) -> Iterator[Violation]:
    """A Linux container without ``user`` runs as the image's default user, often root."""
    if not _is_linux(td):
        return
    for container in td.containers():
        user = container.data.get("user")
        if user is None or user == "":
            yield Violation(container.pointer, {"container": container.label})


def runs_as_root(container: Container) -> bool | None:
    """True when ``user`` is unset or names root; None when unknown."""
    user = container.data.get("user")
    if user is None or user == "":
        return True
    if not isinstance(user, str) or is_unknown(user):
        return None
    return root_user_span(user) is not None


# -- ECS605 host-network-mode, ECS606 host-pid-namespace, ECS607 host-ipc-namespace ---------


@check("host_network_mode", task=("networkMode",))
def host_network_mode(td: TaskDef) -> Iterator[Violation]:
    """``networkMode: host`` shares the instance's network stack; worse with root containers."""
    if td.network_mode != "host":
        return
    root = [c.label for c in td.containers() if runs_as_root(c)]
    if root:
        yield Violation("/networkMode", {"containers": ", ".join(root), "count": len(root)}, variant="root")
    else:
        yield Violation("/networkMode", {"containers": "", "count": 0})


def _host_namespace(td: TaskDef, member: str) -> Iterator[Violation]:
    """A task-level namespace mode set to ``host`` (pidMode and ipcMode are task fields)."""
    if td.is_partial:
        return
    if td.get(member) == "host":
        yield Violation(join("", member), {"member": member})


@check("host_pid_namespace", task=("pidMode",))
def host_pid_namespace(td: TaskDef) -> Iterator[Violation]:
    """``pidMode: host`` lets the task's containers see and signal every process on the host."""
    yield from _host_namespace(td, "pidMode")


@check("host_ipc_namespace", task=("ipcMode",))
def host_ipc_namespace(td: TaskDef) -> Iterator[Violation]:
    """``ipcMode: host`` shares the host's System V IPC and POSIX shared memory."""
    yield from _host_namespace(td, "ipcMode")


# -- ECS608 dangerous-capability ---------------------------------------------------------

# Linux capabilities that break container isolation, with what each one allows (capabilities(7)).
# SYS_PTRACE is left out: it is the one capability Fargate allows (docs/facts.md 3.4).
DANGEROUS_CAPABILITIES: dict[str, str] = {
    "ALL": "every capability, close to privileged mode",
    "SYS_ADMIN": "mounting file systems and most other administration; the usual container-escape route",
    "NET_ADMIN": "changing interfaces, routes and firewall rules of the network namespace",
    "SYS_MODULE": "loading modules into the host kernel",
    "SYS_RAWIO": "raw I/O on host devices and I/O ports",
    "SYS_BOOT": "rebooting the host",
    "SYS_TIME": "setting the host clock",
    "DAC_READ_SEARCH": "reading any file by handle, bypassing permissions",
    "BPF": "loading BPF programs into the kernel",
    "MAC_ADMIN": "changing the AppArmor or SELinux policy",
    "MAC_OVERRIDE": "bypassing the AppArmor or SELinux policy",
}


def capability_name(value: str) -> str:
    """``cap_sys_admin``, ``CAP_SYS_ADMIN`` and ``SYS_ADMIN`` all name SYS_ADMIN (Docker's reading)."""
    return value.strip().upper().removeprefix("CAP_")


@check("dangerous_capability", container=("linuxParameters",))
def dangerous_capability(td: TaskDef) -> Iterator[Violation]:
    """``linuxParameters.capabilities.add`` with a capability that breaks isolation."""
    for container in td.containers():
        linux = container.data.get("linuxParameters")
        capabilities = linux.get("capabilities") if isinstance(linux, dict) else None
        added = capabilities.get("add") if isinstance(capabilities, dict) else None
        if not isinstance(added, list):
            continue
        base = join(container.pointer, "linuxParameters", "capabilities", "add")
        for index, value in enumerate(added):
            if not isinstance(value, str) or is_unknown(value):
                continue
            name = capability_name(value)
            if name in DANGEROUS_CAPABILITIES:
                params = {"capability": name, "container": container.label, "risk": DANGEROUS_CAPABILITIES[name]}
                yield Violation(join(base, index), params)


# -- ECS609 plaintext-secret-in-environment ------------------------------------------------

# Names Security Hub ECS.8 / AWS Config ecs-no-environment-secrets match exactly, plus the
# session token that goes with them.
AWS_SECRET_NAMES = frozenset(
    {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ECS_ENGINE_AUTH_DATA"}
)
# Words that mark a secret: matched as whole words of the name ...
SECRET_WORDS = frozenset({"secret", "secrets", "token", "apikey", "passphrase", "credential", "credentials"})
# ... or inside a glued word (DBPASSWORD, MYSQL_ROOT_PASSWD) ...
SECRET_STEMS = ("password", "passwd")
# ... or as a pair of words (API_KEY, PRIVATE_KEY, ECS_ENGINE_AUTH_DATA).
SECRET_PHRASES = frozenset(
    {
        ("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"), ("master", "key"),
        ("encryption", "key"), ("signing", "key"), ("auth", "data"),
    }
)  # fmt: skip
# A word after the secret word that makes the variable a reference or metadata:
# TOKEN_URL, PASSWORD_FILE, SECRET_ARN, ACCESS_KEY_ID, JWT_SECRET_EXPIRES_IN.
REFERENCE_WORDS = frozenset(
    {
        "file", "path", "url", "uri", "arn", "id", "name", "endpoint", "host", "port", "type", "ttl",
        "expiry", "expire", "expires", "expiration", "length", "len", "min", "max", "enabled", "enable",
        "disabled", "header", "param", "parameter", "version", "dir", "directory", "location", "prefix",
        "field", "policy", "region", "timeout", "rotation", "required", "mode", "algorithm", "format",
        "count", "size", "lifetime", "duration", "seconds", "secs", "minutes", "hours", "days", "interval",
        "issuer", "audience", "store", "manager", "provider", "source", "bucket", "ref", "secretsmanager",
        "ssm", "kms",
    }
)  # fmt: skip
# Values that hold no secret: placeholders, switches, obvious dummies.
NOT_SECRET_VALUES = frozenset(
    {
        "changeme", "change_me", "change-me", "password", "secret", "token", "todo", "tbd", "none", "null",
        "nil", "dummy", "test", "example", "placeholder", "redacted", "true", "false", "yes", "no", "on", "off",
        "disabled", "enabled", "undefined", "default", "your_password", "xxx",
    }
)  # fmt: skip
# Words that mark a value as a stand-in: PLACEHOLDER_WILL_BE_REPLACED, <your-token>, FIXME.
_PLACEHOLDER_WORDS = re.compile(r"placeholder|replace|changeme|change_me|fixme|dummy|redacted|example", re.IGNORECASE)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# scheme://user:password@host (user and password are groups 1 and 2).
_URL_CREDENTIALS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@]*):([^/\s@]+)@")
_REFERENCE_VALUE = re.compile(r"^(?:arn:|/|\./|~/|file:|s3://|ssm:|secretsmanager:|https?://)", re.IGNORECASE)


def name_words(name: str) -> list[str]:
    """``dbPassword_FILE`` -> ``["db", "password", "file"]``."""
    return [word.lower() for word in _WORDS.findall(name)]


def _secret_word_end(words: list[str]) -> int | None:
    """Index just past the first word (or pair of words) that marks a secret, or None."""
    for index, word in enumerate(words):
        if (word, words[index + 1] if index + 1 < len(words) else "") in SECRET_PHRASES:
            return index + 2
        if word in SECRET_WORDS or any(stem in word for stem in SECRET_STEMS):
            return index + 1
        if word == "pwd" and len(words) > 1:  # PWD alone is the shell's working directory
            return index + 1
    return None


def secret_name(name: str) -> bool:
    """The variable name says it holds a secret, and no later word makes it a reference or metadata."""
    if name.upper() in AWS_SECRET_NAMES:
        return True
    words = name_words(name)
    end = _secret_word_end(words)
    return end is not None and not REFERENCE_WORDS & set(words[end:])


def _stand_in(text: str) -> bool:
    """An empty value, a placeholder, a template variable, a switch or a dummy such as ``xxxx``."""
    if len(text) < 4 or is_unknown(text) or text_placeholders(text) or _PLACEHOLDER_WORDS.search(text):
        return True
    return text.lower() in NOT_SECRET_VALUES or len(set(text)) == 1


def secret_value(value: str) -> bool:
    """The value could be a secret: not a stand-in and not a reference (ARN, path, plain URL)."""
    text = value.strip()
    return not _stand_in(text) and _REFERENCE_VALUE.match(text) is None


def url_password_span(value: str) -> Span | None:
    """The password of ``scheme://user:password@host``, unless a stand-in or equal to the user."""
    match = _URL_CREDENTIALS.match(value)
    if match is None:
        return None
    user, password = match.group(1), match.group(2)
    if _stand_in(password) or password == user:
        return None
    return match.span(2)


class EnvVar(NamedTuple):
    container: Container
    pointer: str
    name: str
    value: str


def environment(td: TaskDef) -> list[EnvVar]:
    """Every ``environment`` entry whose name and value are strings (found once)."""
    return td.memo("environment", lambda: list(_environment(td)))


def _environment(td: TaskDef) -> Iterator[EnvVar]:
    for container in td.containers():
        items = container.data.get("environment")
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            name, value = item.get("name"), item.get("value")
            if isinstance(name, str) and isinstance(value, str):
                yield EnvVar(container, join(container.pointer, "environment", index), name, value)


@check("plaintext_secret_in_environment", container=("environment",))
def plaintext_secret_in_environment(td: TaskDef) -> Iterator[Violation]:
    """An environment variable whose name says secret, or a URL with an embedded password."""
    for var in environment(td):
        params = {"name": var.name, "container": var.container.label}
        if secret_name(var.name) and secret_value(var.value):
            variant = "aws" if var.name.upper() in AWS_SECRET_NAMES else "default"
            yield Violation(join(var.pointer, "name"), params, variant=variant)
            continue
        span = url_password_span(var.value)
        if span is not None:
            yield Violation(join(var.pointer, "value"), params, variant="url", substring=span)


# -- ECS610 hardcoded-credential -----------------------------------------------------------

# Credential formats that are unmistakable (the issuer's documented prefixes and lengths).
CREDENTIAL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aws-access-key", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("private-key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    (
        "github-token",
        re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])"),
    ),
    ("slack-token", re.compile(r"(?<![A-Za-z0-9-])xox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{10,}")),
)
CREDENTIAL_LABELS = {
    "aws-access-key": "an AWS access key id",
    "aws-secret-key": "an AWS secret access key",
    "private-key": "a private key",
    "github-token": "a GitHub token",
    "slack-token": "a Slack token",
}
_AWS_SECRET_KEY = re.compile(r"^[A-Za-z0-9/+]{40}$")


def credential_spans(text: str) -> list[tuple[str, Span]]:
    """Every unmistakable credential in ``text`` (AWS documentation examples are skipped)."""
    if CREDENTIAL_HINT.search(text) is None:  # one pass over the text instead of one per pattern
        return []
    found: list[tuple[str, Span]] = []
    for kind, pattern in CREDENTIAL_PATTERNS:
        for match in pattern.finditer(text):
            if "EXAMPLE" not in match.group().upper():
                found.append((kind, match.span()))
    return sorted(found, key=lambda item: item[1])


def _looks_like_secret_key(value: str) -> bool:
    if not _AWS_SECRET_KEY.match(value) or "EXAMPLE" in value.upper():
        return False
    return any(c.islower() for c in value) and any(c.isupper() for c in value) and any(c.isdigit() for c in value)


def _secret_key_pointers(td: TaskDef) -> Iterator[str]:
    """Environment values shaped like an AWS secret key, named so or beside an access key id."""
    by_container: dict[int, list[EnvVar]] = {}
    for var in environment(td):
        by_container.setdefault(var.container.index, []).append(var)
    for variables in by_container.values():
        has_key_id = any(kind == "aws-access-key" for v in variables for kind, _ in credential_spans(v.value))
        for var in variables:
            words = set(name_words(var.name))
            named = "secret" in words and bool(words & {"access", "key"})
            if _looks_like_secret_key(var.value) and (named or has_key_id):
                yield join(var.pointer, "value")


@check("hardcoded_credential")
def hardcoded_credential(td: TaskDef) -> Iterator[Violation]:
    """An AWS key, private key or GitHub/Slack token written into the task definition."""
    strings = user_strings(td)
    if strings.may_hold_credentials:
        for string in strings:
            for kind, span in credential_spans(string.value):
                yield Violation(string.pointer, {"kind": CREDENTIAL_LABELS[kind]}, variant=kind, substring=span)
    for pointer in _secret_key_pointers(td):
        yield Violation(pointer, {"kind": CREDENTIAL_LABELS["aws-secret-key"]}, variant="aws-secret-key")


# -- ECS611 shared-task-and-execution-role ---------------------------------------------------


def role_identity(value: str) -> tuple[str | None, str]:
    """(account, role name) of a role ARN or a short role name (account None)."""
    arn = parse_arn(value)
    if arn is None:
        return None, value.rsplit("/", 1)[-1]
    return arn.account, arn.resource.rsplit("/", 1)[-1]


@check("shared_task_and_execution_role", task=("taskRoleArn",))
def shared_task_and_execution_role(td: TaskDef) -> Iterator[Violation]:
    """The containers' task role is the same role as the agent's execution role."""
    task_role, execution_role = td.get("taskRoleArn"), td.get("executionRoleArn")
    if not isinstance(task_role, str) or not isinstance(execution_role, str):
        return
    if not task_role.strip() or not execution_role.strip() or is_unknown(task_role) or is_unknown(execution_role):
        return
    task_account, task_name = role_identity(task_role)
    execution_account, execution_name = role_identity(execution_role)
    same_account = task_account is None or execution_account is None or task_account == execution_account
    # IAM does not distinguish role names by case: ecsTaskExecutionRole and ECSTaskExecutionRole are one role
    if same_account and task_name.lower() == execution_name.lower() and task_name:
        yield Violation("/taskRoleArn", {"role": task_name})


# -- ECS612 efs-transit-encryption-disabled, ECS613 efs-authorization-without-transit-encryption --


class EfsVolume(NamedTuple):
    pointer: str  # of efsVolumeConfiguration
    name: str
    config: dict[str, JSON]


def efs_volumes(td: TaskDef) -> Iterator[EfsVolume]:
    volumes = td.get("volumes")
    if not isinstance(volumes, list):
        return
    for index, volume in enumerate(volumes):
        config = volume.get("efsVolumeConfiguration") if isinstance(volume, dict) else None
        if isinstance(config, dict) and not is_unknown(config):
            name = volume.get("name") if isinstance(volume, dict) else None
            label = name if isinstance(name, str) and name else f"#{index}"
            yield EfsVolume(join("/volumes", index, "efsVolumeConfiguration"), label, config)


def _authorization(config: dict[str, JSON]) -> str | None:
    """What needs transit encryption: "iam" (IAM authorization) or "access-point"; else None."""
    auth = config.get("authorizationConfig")
    if not isinstance(auth, dict):
        return None
    if auth.get("iam") == "ENABLED":
        return "iam"
    access_point = auth.get("accessPointId")
    if (isinstance(access_point, str) and access_point.strip()) or is_unknown(access_point):
        return "access-point"
    return None


def _transit_pointer(volume: EfsVolume) -> tuple[str, str] | None:
    """(pointer, variant) when transit encryption is known to be off; None when on or unknown."""
    value = volume.config.get("transitEncryption")
    if value is None:
        return volume.pointer, "missing"
    if value == "DISABLED":
        return join(volume.pointer, "transitEncryption"), "default"
    return None


@check("efs_transit_encryption_disabled", task=("volumes",))
def efs_transit_encryption_disabled(td: TaskDef) -> Iterator[Violation]:
    """Every EFS volume should encrypt NFS traffic (``transitEncryption: ENABLED``)."""
    for volume in efs_volumes(td):
        found = _transit_pointer(volume)
        if found is not None and _authorization(volume.config) is None:
            yield Violation(found[0], {"volume": volume.name}, variant=found[1])


@check("efs_authorization_without_transit_encryption", task=("volumes",))
def efs_authorization_without_transit_encryption(td: TaskDef) -> Iterator[Violation]:
    """EFS IAM authorization and access points require transit encryption."""
    for volume in efs_volumes(td):
        found = _transit_pointer(volume)
        reason = _authorization(volume.config)
        if found is not None and reason is not None:
            pointer, state = found
            variant = reason if state == "default" else f"{reason}-missing"
            yield Violation(pointer, {"volume": volume.name}, variant=variant)


# -- ECS614 docker-socket-mounted ------------------------------------------------------------

DOCKER_SOCKETS = frozenset({"/var/run/docker.sock", "/run/docker.sock"})
# Host directories that contain the socket.
DOCKER_SOCKET_PARENTS = frozenset({"/", "/run", "/var/run"})


def _host_paths(td: TaskDef) -> dict[str, str]:
    """Volume name -> host ``sourcePath`` for bind-mount volumes."""
    paths: dict[str, str] = {}
    volumes = td.get("volumes")
    if not isinstance(volumes, list):
        return paths
    for volume in volumes:
        if not isinstance(volume, dict):
            continue
        name, host = volume.get("name"), volume.get("host")
        source = host.get("sourcePath") if isinstance(host, dict) else None
        if isinstance(name, str) and isinstance(source, str) and not is_unknown(source):
            paths[name] = source
    return paths


def _socket_variant(source: str) -> str | None:
    if not source.strip():
        return None  # no host path: Docker makes the volume, nothing of the host is mounted
    path = "/" + source.strip().strip("/")
    path = re.sub(r"/+", "/", path)
    if path in DOCKER_SOCKETS:
        return "default"
    if path in DOCKER_SOCKET_PARENTS:
        return "parent"
    return None


@check("docker_socket_mounted", task=("volumes",))
def docker_socket_mounted(td: TaskDef) -> Iterator[Violation]:
    """A container mounts the host's Docker socket (or a directory holding it)."""
    paths = _host_paths(td)
    for container in td.containers():
        mounts = container.data.get("mountPoints")
        if not isinstance(mounts, list):
            continue
        for index, mount in enumerate(mounts):
            source = mount.get("sourceVolume") if isinstance(mount, dict) else None
            if not isinstance(source, str) or source not in paths:
                continue
            variant = _socket_variant(paths[source])
            if variant is not None:
                params = {"container": container.label, "volume": source, "sourcePath": paths[source]}
                yield Violation(join(container.pointer, "mountPoints", index, "sourceVolume"), params, variant=variant)


# -- ECS615 missing-log-configuration ----------------------------------------------------------


@check("missing_log_configuration", task=("containerDefinitions",))
def missing_log_configuration(td: TaskDef) -> Iterator[Violation]:
    """Every container should have a ``logConfiguration`` (Security Hub ECS.9)."""
    for container in td.containers():
        if container.data.get("logConfiguration") is None:
            yield Violation(container.pointer, {"container": container.label})


# -- ECS616 windows-admin-user -------------------------------------------------------------

# Security Hub ECS.21: Windows containers should not run as the built-in administrator.
WINDOWS_ADMIN_USERS = frozenset({"containeradministrator"})


@check("windows_admin_user", task=("runtimePlatform",))
def windows_admin_user(td: TaskDef) -> Iterator[Violation]:
    """A Windows container that runs as ContainerAdministrator, explicitly or by leaving ``user`` out."""
    if not td.is_windows:
        return
    for container in td.containers():
        user = container.data.get("user")
        if user is None or user == "":
            yield Violation(container.pointer, {"container": container.label}, variant="missing")
        elif isinstance(user, str) and not is_unknown(user) and user.strip().lower() in WINDOWS_ADMIN_USERS:
            yield Violation(join(container.pointer, "user"), {"container": container.label, "user": user})
