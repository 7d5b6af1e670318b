"""Hypothesis strategies for valid register-task-definition inputs (Fargate and EC2).

Every definition drawn here is one AWS accepts at registration and that launches, per
docs/facts.md: Fargate cpu/memory pairs from the size table (1.1, 1.2), awsvpc on
Fargate (3.1), host ports per network mode (3.2), members Fargate and Windows do not support
left out (3.3-3.5), an execution role wherever secrets, awslogs or ECR images need one (4.4),
well-formed secret references (4.2, 4.3), awslogs options (5.2), FireLens pairs (5.3), health
check ranges (6.1), dependsOn as a DAG with legal conditions (6.2), at least one essential
container (6.3), names, images, ARNs and tags (7.1-7.4).  Enumerations come from the schema.

``task_definitions()`` is the entry point; its keyword arguments narrow the launch type, the
operating system and the number of containers for the mutation tests.
"""

from __future__ import annotations

import json
import operator
import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from hypothesis import strategies as st

from ecslint.checks.identifiers import EXAMPLE_ACCOUNTS, text_placeholders
from ecslint.core.taskdef import is_unknown

Doc = dict[str, Any]
Launch = Literal["FARGATE", "EC2"]
Os = Literal["LINUX", "WINDOWS"]

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "task-definition.schema.json"


@cache
def schema_enum(name: str) -> tuple[str, ...]:
    """The ``enum`` of a ``$defs`` entry of the task-definition schema (botocore's values)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return tuple(schema["$defs"][name]["enum"])


# -- vocabularies ---------------------------------------------------------------------------

# docs/facts.md 1.1, written out here rather than imported from the checks under test:
# task cpu units -> the memory values (MiB) Fargate offers with it.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: (1024, 2048, 3072, 4096),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
    32768: (61440, 122880, 249856),
}
FARGATE_WINDOWS_CPUS = (1024, 2048, 4096)  # Windows containers: 1, 2 and 4 vCPU rows only

# Regions of the aws, aws-cn and aws-us-gov partitions (ARNs follow the partition).
REGIONS = (
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-gov-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "eu-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "me-central-1",
    "af-south-1",
    "il-central-1",
)
WORDS = (
    "api",
    "web",
    "worker",
    "app",
    "billing",
    "orders",
    "cart",
    "search",
    "auth",
    "users",
    "gateway",
    "frontend",
    "backend",
    "queue",
    "cron",
    "metrics",
    "reports",
    "static",
    "media",
    "mailer",
    "nginx",
    "redis",
    "proxy",
    "migrate",
    "init",
)
# docs/facts.md 3.5 / 3.1: Windows families on Fargate (live TDP) and on EC2 ([BOTO] OSFamily).
WINDOWS_FARGATE_FAMILIES = tuple(
    f
    for f in schema_enum("OSFamily")
    if f.startswith("WINDOWS_SERVER_20") and f[15:19] in ("2019", "2022", "2025") and f.endswith(("FULL", "CORE"))
)
WINDOWS_EC2_FAMILIES = tuple(f for f in schema_enum("OSFamily") if f.startswith("WINDOWS"))
ULIMIT_NAMES = schema_enum("UlimitName")
LOG_DRIVERS_EC2_LINUX = ("awslogs", "json-file", "syslog", "journald", "gelf", "fluentd", "splunk")
ECR_VARIANT = st.sampled_from(("standard", "standard", "fips", "dual-stack"))
OTHER_REGISTRIES = st.sampled_from(
    ("ghcr.io", "quay.io", "registry.gitlab.com", "registry.internal.net:5000", "localhost:5000", "10.0.0.5:5000")
)
CPU_FORMS = st.sampled_from(("units", "units", "vCPU", "vcpu"))
# docs/facts.md 7.4: tag keys and values match [\p{L}\p{Z}\p{N}_.:/=+\-@]*.
TAG_CHARACTERS = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Zs", "Zl", "Zp", "Nd", "Nl", "No"),
    include_characters="_.:/=+-@",
)
COMMANDS = st.sampled_from((("serve",), ("npm", "start"), ("sh", "-c", "exec ./run"))).map(list)
FARGATE_COMPATIBILITIES = st.sampled_from((("FARGATE",), ("FARGATE",), ("EC2", "FARGATE")))
RESERVED_HOST_PORTS = frozenset({22, 2375, 2376, 51678, 51679, 51680})

LOWER = string.ascii_lowercase + string.digits
ALNUM = string.ascii_letters + string.digits


def word(first: str, rest: str, max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    """A character of ``first`` then ``rest`` characters: min_size..max_size long (cheaper than from_regex)."""
    return st.builds(operator.add, st.sampled_from(first), st.text(rest, min_size=min_size - 1, max_size=max_size - 1))


BOOL = st.booleans()
_ONE_IN = {n: st.integers(0, n - 1) for n in range(2, 11)}


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in ``n`` draws."""
    return draw(_ONE_IN[n]) == 0


def real(text: str) -> bool:
    """No placeholder text ("change-me", "your_bucket", "<name>"): ECS304 reads those as left-over
    stand-ins, and Hypothesis likes to draw the very strings the code under test mentions."""
    return not text_placeholders(text) and not is_unknown(text)


def path_of(component: st.SearchStrategy[str], max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.lists(component, min_size=min_size, max_size=max_size).map("/".join)


_NAME = word(ALNUM + "_-", ALNUM + "_-", 32) | word(ALNUM + "_-", ALNUM + "_-", 255, min_size=200)
_WORD = st.sampled_from(WORDS)
_WORD_NAME = st.builds(lambda a, b, n: f"{a}-{b}{n}", _WORD, _WORD, st.sampled_from(("", "1", "2", "_v2")))
# A name with "__X__" in it reads as a template variable, which the reference checks leave alone;
# one with placeholder text ends up in bucket names and log groups, where ECS304 reports it.
NAMES = st.one_of(_WORD_NAME, _NAME).filter(real)
REGION = st.sampled_from(REGIONS)


def partition(region: str) -> str:
    """The ARN partition of a Region (docs/facts.md 7.3)."""
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def ecr_host(region: str, account: str, variant: str) -> str:
    """A private ECR registry host: standard, FIPS (US and GovCloud) or dual-stack (docs/facts.md 7.2)."""
    if region.startswith("cn-"):
        return f"{account}.dkr.ecr.{region}.amazonaws.com.cn"
    if variant == "fips" and region.startswith("us-"):
        return f"{account}.dkr.ecr-fips.{region}.amazonaws.com"
    if variant == "dual-stack":
        return f"{account}.dkr-ecr.{region}.on.aws"
    return f"{account}.dkr.ecr.{region}.amazonaws.com"


ACCOUNT = st.text("0123456789", min_size=12, max_size=12).filter(lambda a: a not in EXAMPLE_ACCOUNTS)
_LOWER = st.text(LOWER, min_size=1, max_size=10)
_COMPONENT = (
    _LOWER | st.builds(lambda a, sep, b: a + sep + b, _LOWER, st.sampled_from((".", "_", "__", "-", "--")), _LOWER)
).filter(real)
_TAG = st.one_of(
    word(ALNUM + "_", ALNUM + "_.-", 21).filter(real),
    st.builds(lambda a, b, c: f"{a}.{b}.{c}", *(st.integers(0, 30) for _ in range(3))),
)
_DIGEST = st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: f"sha256:{h}")
VARIABLE_NAME = word(string.ascii_letters + "_", ALNUM + "_", 25)
# Plain configuration values: no '$' (template variables), no '@' (URL credentials), short.
ENV_VALUE = st.one_of(
    st.sampled_from(("production", "staging", "8080", "true", "false", "info", "https://api.internal/v1", "")),
    st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:/=", max_size=30),
    # any text a person writes: accents, CJK, curly quotes, full-width punctuation, emoji
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
)
_SSM_PART = word(ALNUM + "_", ALNUM + "_.-", 15).filter(real)


def dns_label(text: str, default: str) -> str:
    """``text`` cut down to lower-case letters, digits and inner hyphens (a host or bucket name)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or default


def _not_reserved_ssm(name: str) -> bool:
    """SSM names may not start with aws or ssm in any case (docs/facts.md 4.2)."""
    return not name.lower().startswith(("aws", "ssm"))


# -- identifiers ------------------------------------------------------------------------------


_ROLE_NAME = word(ALNUM + "_+=,.@-", ALNUM + "_+=,.@-", 64).filter(real)
_ROLE_PATH_PART = word(ALNUM, ALNUM + "_+=,.@-!#%&*()[]^|~", 20).filter(real)


@st.composite
def role_arns(draw: st.DrawFn, region: str, account: str, name: str | None = None) -> str:
    """``arn:<partition>:iam::<account>:role/[path/]<name>`` (docs/facts.md 4.6, 7.3)."""
    role = name or draw(_ROLE_NAME)
    path = draw(st.sampled_from(("", "service-role/", "ecs/")) | path_of(_ROLE_PATH_PART, 3).map(lambda p: p + "/"))
    return f"arn:{partition(region)}:iam::{account}:role/{path}{role}"


@st.composite
def ssm_references(draw: st.DrawFn, region: str, account: str) -> str:
    """An SSM parameter name (flat or hierarchical) or ARN in the task's Region (docs/facts.md 4.2)."""
    # up to 15 levels (docs/facts.md 4.2); the first may not start with aws or ssm
    parts = draw(st.lists(_SSM_PART, min_size=1, max_size=15).filter(lambda p: _not_reserved_ssm(p[0])))
    path = "/".join(parts)
    form = draw(st.sampled_from(("flat", "path", "arn", "secretsmanager")))
    if form == "flat":
        return parts[0]
    if form == "secretsmanager":  # a Secrets Manager secret read through Parameter Store
        return f"/aws/reference/secretsmanager/{path}"
    if form == "path":
        return f"/{path}"
    return f"arn:{partition(region)}:ssm:{region}:{account}:parameter/{path}"


@st.composite
def secrets_manager_arns(draw: st.DrawFn, region: str, account: str, suffix: bool = True) -> str:
    """``arn:aws:secretsmanager:...:secret:<name>-<6 chars>`` with an optional json-key suffix (4.3)."""
    name = draw(path_of(word(ALNUM + "_+=.@-", ALNUM + "_+=.@-", 16).filter(real), 3))
    random_part = draw(
        st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=6, max_size=6)
    )
    arn = f"arn:{partition(region)}:secretsmanager:{region}:{account}:secret:{name}-{random_part}"
    if not suffix:
        return arn
    key = draw(word(string.ascii_letters + "_", ALNUM + "_", 16))
    version = draw(st.uuids().map(str))
    tail = draw(st.sampled_from(("", f":{key}::", f":{key}:AWSPREVIOUS:", "::AWSCURRENT:", f":::{version}")))
    return arn + tail


@st.composite
def images(draw: st.DrawFn, region: str, account: str) -> tuple[str, str]:
    """(image, kind) with kind "ecr" (private Amazon ECR), "hub" (Docker Hub) or "other" (7.2)."""
    kind = draw(st.sampled_from(("hub", "hub-org", "ecr", "ecr", "public-ecr", "other")))
    repository = draw(_COMPONENT)
    if kind == "hub":
        base = draw(st.sampled_from(("", "library/"))) + repository
    elif kind == "hub-org":
        base = f"{draw(_COMPONENT)}/{repository}"
    elif kind == "ecr":
        path = draw(st.lists(_COMPONENT, min_size=1, max_size=3))
        repo = "/".join(path)
        if len(repo) < 2:  # ECR repository names are 2..256 characters (docs/facts.md 7.2)
            repo += "0"
        base = f"{ecr_host(region, account, draw(ECR_VARIANT))}/{repo}"
    elif kind == "public-ecr":
        base = f"public.ecr.aws/{draw(_COMPONENT)}/{repository}"
    else:
        host = draw(OTHER_REGISTRIES)
        base = f"{host}/{draw(path_of(_COMPONENT, 3))}/{repository}"
    reference = draw(st.sampled_from(("tag", "tag", "digest", "both")))
    image = base
    if reference in ("tag", "both"):
        image += f":{draw(_TAG)}"
    if reference in ("digest", "both"):
        image += f"@{draw(_DIGEST)}"
    return image, "ecr" if kind == "ecr" else ("hub" if kind.startswith("hub") else "other")


# -- the task-level context a container is drawn in --------------------------------------------


@dataclass
class Context:
    launch: Launch
    os: Os
    network_mode: str  # the effective mode: awsvpc, bridge, host, none or "default" (Windows NAT)
    region: str
    account: str
    family: str
    execution_role: bool
    external: bool
    task_cpu: int | None
    task_memory: int | None
    names: list[str]
    essential: list[bool | None]
    volumes: list[str]
    ports: list[int]
    firelens: bool
    health: dict[int, bool] = field(default_factory=dict)

    @property
    def fargate(self) -> bool:
        return self.launch == "FARGATE"

    @property
    def linux(self) -> bool:
        return self.os == "LINUX"

    @property
    def needs_role_for_pull(self) -> bool:
        """Fargate and EXTERNAL pull ECR images and ship awslogs with the execution role (4.4)."""
        return self.fargate or self.external


# -- container members -------------------------------------------------------------------------


@st.composite
def health_checks(draw: st.DrawFn, ctx: Context) -> Doc:
    """A healthCheck within docs/facts.md 6.1 ranges, timeout below interval."""
    if ctx.linux:
        command = draw(
            st.sampled_from(
                [
                    ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                    ["CMD-SHELL", "wget -q --spider http://localhost:8080/health"],
                    ["CMD", "/bin/healthcheck"],
                    ["CMD", "/usr/bin/curl", "-f", "http://localhost/health"],
                    ["CMD", "pg_isready"],
                ]
            )
        )
    else:
        command = ["CMD-SHELL", 'powershell -command "exit 0"']
    health: Doc = {"command": command}
    interval = draw(st.none() | st.integers(5, 300))
    if interval is not None:
        health["interval"] = interval
    timeout = draw(st.none() | st.integers(2, min(60, (interval or 30) - 1)))
    if timeout is not None:
        health["timeout"] = timeout
    for key, low, high in (("retries", 1, 10), ("startPeriod", 0, 300)):
        value = draw(st.none() | st.integers(low, high))
        if value is not None:
            health[key] = value
    return health


@st.composite
def awslogs(draw: st.DrawFn, ctx: Context, name: str) -> Doc:
    """An awslogs configuration with group, Region and (on Fargate, required) stream prefix (5.2)."""
    group = draw(
        st.sampled_from((f"/ecs/{ctx.family}", f"/aws/ecs/{ctx.family}/{name}", ctx.family))
        | word(ALNUM + "_./#-", ALNUM + "_./#-", 60)
    )
    options: dict[str, str] = {"awslogs-group": group[:512], "awslogs-region": ctx.region}  # 512 at most
    if ctx.fargate or draw(BOOL):
        options["awslogs-stream-prefix"] = draw(st.sampled_from(("ecs", name, ctx.family)))
    if draw(BOOL):
        options["awslogs-create-group"] = draw(st.sampled_from(("true", "false")))
    mode = draw(st.sampled_from((None, "blocking", "non-blocking")))
    if mode is not None:
        options["mode"] = mode
        if mode == "non-blocking" and draw(BOOL):
            options["max-buffer-size"] = draw(st.sampled_from(("25m", "10m", "4m", "1g")))
    pattern = draw(st.sampled_from((None, "datetime", "multiline")))
    if pattern == "datetime":
        options["awslogs-datetime-format"] = "%Y-%m-%d %H:%M:%S"
    elif pattern == "multiline":
        options["awslogs-multiline-pattern"] = "^INFO"
    return {"logDriver": "awslogs", "options": options}


@st.composite
def log_configurations(draw: st.DrawFn, ctx: Context, index: int, name: str) -> Doc | None:
    """A log configuration the launch type supports (5.1); FireLens only when the task has a router."""
    if ctx.firelens and index == 1:
        return {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch", "region": ctx.region}}
    drivers: list[str] = []
    if ctx.execution_role or not ctx.needs_role_for_pull:
        drivers += ["awslogs", "awslogs", "awslogs"]
    if ctx.execution_role:
        drivers.append("splunk")
    if ctx.firelens and index > 1:
        drivers.append("awsfirelens")
    if not ctx.fargate:
        drivers += ["json-file"] if not ctx.linux else list(LOG_DRIVERS_EC2_LINUX[1:6])
    if not drivers or one_in(draw, 10):
        return None
    driver = draw(st.sampled_from(drivers))
    if driver == "awslogs":
        return draw(awslogs(ctx, name))
    if driver == "splunk":
        token = draw(ssm_references(ctx.region, ctx.account) | secrets_manager_arns(ctx.region, ctx.account))
        return {
            "logDriver": "splunk",
            "options": {"splunk-url": "https://splunk.internal.net:8088"},
            "secretOptions": [{"name": "splunk-token", "valueFrom": token}],
        }
    if driver == "awsfirelens":
        return {"logDriver": "awsfirelens", "options": {"Name": "firehose", "delivery_stream": ctx.family}}
    options = {"json-file": {"max-size": "10m", "max-file": "3"}, "fluentd": {"fluentd-address": "localhost:24224"}}
    result: Doc = {"logDriver": driver}
    if driver in options:
        result["options"] = options[driver]
    return result


@st.composite
def port_mappings(draw: st.DrawFn, ctx: Context, index: int) -> list[Doc]:
    """Port mappings for the network mode (3.2, 7.7); container ports are unique in the task."""
    if ctx.network_mode == "none" or not ctx.ports:
        return []
    count = draw(st.integers(0, min(3, len(ctx.ports))))
    mappings: list[Doc] = []
    for _ in range(count):
        port = ctx.ports.pop()
        mapping: Doc = {"containerPort": port}
        if ctx.network_mode == "bridge":
            host = draw(st.sampled_from((None, 0, port, port + 20000)))
            if host is not None and host not in RESERVED_HOST_PORTS:
                mapping["hostPort"] = host
        elif ctx.network_mode in ("awsvpc", "host", "default") and draw(BOOL):
            mapping["hostPort"] = port
        protocol = draw(st.sampled_from((None, "tcp", "udp")))
        if protocol is not None:
            mapping["protocol"] = protocol
        if draw(BOOL):
            mapping["name"] = f"{draw(st.sampled_from(WORDS))}-{port}"
            if protocol != "udp" and draw(BOOL):
                mapping["appProtocol"] = draw(st.sampled_from(schema_enum("ApplicationProtocol")))
        mappings.append(mapping)
    if mappings and mappings[-1].get("protocol", "tcp") == "tcp" and one_in(draw, 5):
        # the same port over UDP as well (DNS, QUIC): one mapping per port and protocol
        pair = {k: v for k, v in mappings[-1].items() if k in ("containerPort", "hostPort")}
        mappings.append({**pair, "protocol": "udp"})
    if ctx.linux and ctx.network_mode in ("bridge", "awsvpc") and one_in(draw, 6):
        first = 30000 + index * 1000  # a band of its own: ranges never overlap a port
        last = first + draw(st.integers(1, 500))
        mappings.append({"containerPortRange": f"{first}-{last}", "protocol": draw(st.sampled_from(("tcp", "udp")))})
    return mappings


@st.composite
def linux_parameters(draw: st.DrawFn, ctx: Context) -> Doc:
    """linuxParameters; on Fargate only SYS_PTRACE may be added and no devices, swap or shm (3.4)."""
    params: Doc = {}
    if draw(BOOL):
        params["initProcessEnabled"] = draw(BOOL)
    addable = ["SYS_PTRACE"] if ctx.fargate else ["SYS_PTRACE", "NET_BIND_SERVICE", "CHOWN", "NET_ADMIN", "SYS_TIME"]
    add = draw(st.lists(st.sampled_from(addable), unique=True, max_size=2))
    drop = draw(st.lists(st.sampled_from(("NET_RAW", "MKNOD", "SETFCAP", "AUDIT_WRITE")), unique=True, max_size=3))
    if add or drop:
        params["capabilities"] = {k: v for k, v in (("add", add), ("drop", drop)) if v}
    if not ctx.fargate:
        if draw(BOOL):
            params["sharedMemorySize"] = draw(st.integers(1, 1024))
        if draw(BOOL):
            size = draw(st.integers(1, 256))
            params["tmpfs"] = [{"containerPath": "/tmp", "size": size, "mountOptions": ["rw", "noexec"]}]
        if draw(BOOL):
            params["devices"] = [{"hostPath": "/dev/fuse", "containerPath": "/dev/fuse", "permissions": ["read"]}]
        if draw(BOOL):
            params["maxSwap"] = draw(st.integers(0, 4096))
            if draw(BOOL):
                params["swappiness"] = draw(st.integers(0, 100))
    return params


@st.composite
def resource_arns(draw: st.DrawFn, region: str, account: str) -> str:
    """ARNs an application reads from its environment: its own resources, or IAM-style patterns."""
    p = partition(region)
    name = draw(_COMPONENT)
    return draw(
        st.sampled_from(
            (
                f"arn:{p}:sqs:{region}:{account}:{name}",
                f"arn:{p}:sns:{region}:{account}:{name}",
                f"arn:{p}:dynamodb:{region}:{account}:table/{name}",
                f"arn:{p}:s3:::{dns_label(name, 'bucket')}/*",
                f"arn:{p}:iam::aws:policy/ReadOnlyAccess",
                f"arn:{p}:logs:{region}:*:log-group:/ecs/{name}:*",
                f"arn:{p}:execute-api:{region}:*:{name}/*",
                f"arn:{p}:sqs:*:*:{name}-*",
            )
        )
    )


@st.composite
def variables(draw: st.DrawFn, ctx: Context) -> tuple[list[Doc], list[Doc]]:
    """(environment, secrets) with unique names, none in both; secrets only with an execution role."""
    names = draw(st.lists(VARIABLE_NAME, unique_by=str.upper, max_size=8))
    split = draw(st.integers(0, len(names))) if ctx.execution_role else len(names)
    values = ENV_VALUE | resource_arns(ctx.region, ctx.account)
    environment = [{"name": n, "value": draw(values)} for n in names[:split]]
    secret_value = ssm_references(ctx.region, ctx.account) | secrets_manager_arns(ctx.region, ctx.account)
    secrets = [{"name": n, "valueFrom": draw(secret_value)} for n in names[split:]]
    return environment, secrets


@st.composite
def sizes(draw: st.DrawFn, ctx: Context) -> Doc:
    """Container cpu/memory/memoryReservation within the task's budget (docs/facts.md 2.2)."""
    n = len(ctx.names)
    result: Doc = {}
    cpu_share = (ctx.task_cpu // n) if ctx.task_cpu is not None else 4096
    if draw(BOOL):
        result["cpu"] = draw(st.integers(0, cpu_share))
    if ctx.task_memory is not None:
        share = ctx.task_memory // n
        kinds = ["none", "reservation", "memory", "both"]
        ceiling = ctx.task_memory
    else:
        share = 4096
        kinds = ["reservation", "memory", "both"]  # no task memory: one of them is required
        ceiling = 8192
    kind = draw(st.sampled_from(kinds))
    if kind == "reservation":
        result["memoryReservation"] = draw(st.integers(6, share))
    elif kind == "memory":
        result["memory"] = draw(st.integers(6, share))
    elif kind == "both":
        reservation = draw(st.integers(6, share))
        result["memoryReservation"] = reservation
        result["memory"] = draw(st.integers(reservation, max(reservation, ceiling)))
    return result


@st.composite
def container_definitions(draw: st.DrawFn, ctx: Context, index: int) -> Doc:
    name = ctx.names[index]
    container: Doc = {"name": name}
    router = ctx.firelens and index == 0
    if router:
        container["image"] = draw(
            st.sampled_from(
                [
                    "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
                    "amazon/aws-for-fluent-bit:2.32.2",
                    "fluent/fluentd:v1.16-1",
                ]
            )
        )
        kind = "other"
        options = {"enable-ecs-log-metadata": draw(st.sampled_from(("true", "false")))}
        if draw(BOOL):
            options["config-file-type"] = "file"
            options["config-file-value"] = "/fluent-bit/etc/extra.conf"
        elif not ctx.fargate and draw(BOOL):  # S3 config: not on Fargate (5.3)
            options["config-file-type"] = "s3"
            options["config-file-value"] = (
                f"arn:{partition(ctx.region)}:s3:::{dns_label(ctx.family, 'logs')}-logs/fluent-bit.conf"
            )
        container["firelensConfiguration"] = {
            "type": draw(st.sampled_from(("fluentbit", "fluentd"))),
            "options": options,
        }
    else:
        image, kind = draw(images(ctx.region, ctx.account))
        if kind == "ecr" and ctx.needs_role_for_pull and not ctx.execution_role:
            image, kind = f"public.ecr.aws/docker/library/{draw(_COMPONENT)}:{draw(_TAG)}", "other"
        container["image"] = image
    essential = ctx.essential[index]
    if essential is not None:
        container["essential"] = essential
    container.update(draw(sizes(ctx)))
    mappings = draw(port_mappings(ctx, index))
    if mappings:
        container["portMappings"] = mappings
    environment, secrets = draw(variables(ctx))
    if environment:
        container["environment"] = environment
    if secrets:
        container["secrets"] = secrets
    if draw(BOOL):
        health = draw(health_checks(ctx))
        container["healthCheck"] = health
        ctx.health[index] = True
    log = draw(log_configurations(ctx, index, name))
    if log is not None:
        container["logConfiguration"] = log
    # dependsOn: only on earlier containers, so the graph is a DAG (6.2).
    targets = draw(st.lists(st.integers(0, index - 1), unique=True, max_size=3)) if index else []
    depends: list[Doc] = []
    for target in targets:
        conditions = ["START"]
        if ctx.health.get(target):
            conditions.append("HEALTHY")
        if ctx.essential[target] is False:
            conditions += ["SUCCESS", "COMPLETE"]
        depends.append({"containerName": ctx.names[target], "condition": draw(st.sampled_from(conditions))})
    if depends:
        container["dependsOn"] = depends
    if index and one_in(draw, 5):
        source = draw(st.integers(0, index - 1))
        container["volumesFrom"] = [{"sourceContainer": ctx.names[source], "readOnly": draw(BOOL)}]
    if draw(BOOL) and ctx.volumes:
        chosen: list[str] = draw(st.lists(st.sampled_from(ctx.volumes), unique=True, min_size=1))
        root = "/mnt" if ctx.linux else "C:\\data"
        separator = "/" if ctx.linux else "\\"
        container["mountPoints"] = [
            {"sourceVolume": v, "containerPath": f"{root}{separator}{v}", "readOnly": draw(BOOL)} for v in chosen
        ]
    if ctx.linux:
        if ctx.network_mode == "bridge" and index and one_in(draw, 4):
            linked = ctx.names[draw(st.integers(0, index - 1))]
            alias = draw(st.sampled_from(("", ":db", ":cache", ":upstream")))
            container["links"] = [linked + alias]
        if draw(BOOL):
            container["user"] = draw(st.sampled_from(("1000", "1000:1000", "app", "nobody", "www-data:www-data")))
        if draw(BOOL):
            container["readonlyRootFilesystem"] = draw(BOOL)
        if draw(BOOL):
            limits = draw(st.lists(st.sampled_from(ULIMIT_NAMES), unique=True, min_size=1, max_size=3))
            ulimits = []
            for limit in limits:
                soft = draw(st.integers(0, 1048576))
                ulimits.append({"name": limit, "softLimit": soft, "hardLimit": draw(st.integers(soft, 1048576))})
            container["ulimits"] = ulimits
        if ctx.network_mode in ("awsvpc", "bridge") and one_in(draw, 6):
            container["systemControls"] = [{"namespace": "net.core.somaxconn", "value": "1024"}]
        if draw(BOOL):
            params = draw(linux_parameters(ctx))
            if params:
                container["linuxParameters"] = params
        if not ctx.fargate:
            if one_in(draw, 6):
                container["privileged"] = draw(BOOL)
            if ctx.network_mode in ("bridge", "host"):
                if one_in(draw, 4):
                    container["hostname"] = f"{dns_label(name, 'host')}.local"
                if one_in(draw, 4):
                    container["extraHosts"] = [{"hostname": "db.internal", "ipAddress": "10.0.0.12"}]
                if one_in(draw, 5):
                    container["dnsServers"] = ["10.0.0.2"]
                    container["dnsSearchDomains"] = ["internal.net"]
            if one_in(draw, 6):
                container["resourceRequirements"] = [{"type": "GPU", "value": str(draw(st.integers(1, 4)))}]
            if one_in(draw, 6):
                container["dockerSecurityOptions"] = ["no-new-privileges"]
    if draw(BOOL):
        container["command"] = draw(COMMANDS)
    if one_in(draw, 4):
        container["entryPoint"] = ["/docker-entrypoint.sh"] if ctx.linux else ["powershell", "-Command"]
    if one_in(draw, 4):
        container["workingDirectory"] = "/app" if ctx.linux else "C:\\app"
    for key in ("startTimeout", "stopTimeout"):
        if one_in(draw, 4):
            container[key] = draw(st.integers(2, 120))
    if one_in(draw, 5):
        container["dockerLabels"] = {"com.example.team": draw(_WORD), "version": draw(_TAG)}
    if one_in(draw, 6):
        container["restartPolicy"] = {
            "enabled": draw(BOOL),
            "ignoredExitCodes": draw(st.lists(st.integers(0, 255), unique=True, max_size=5)),
            "restartAttemptPeriod": draw(st.integers(60, 1800)),
        }
    if one_in(draw, 7):
        container["versionConsistency"] = draw(st.sampled_from(("enabled", "disabled")))
    if one_in(draw, 7):
        container["interactive"] = draw(BOOL)
        container["pseudoTerminal"] = draw(BOOL)
    if ctx.execution_role and kind != "ecr" and one_in(draw, 5):
        parameter = draw(
            secrets_manager_arns(ctx.region, ctx.account, suffix=False)
            | word(ALNUM + "/_+=.@-", ALNUM + "/_+=.@-", 40).filter(real)
        )
        container["repositoryCredentials"] = {"credentialsParameter": parameter}
    if ctx.execution_role and one_in(draw, 6):
        files = draw(st.lists(path_of(word(LOWER, LOWER + "_-", 10).filter(real), 3), max_size=3))
        bucket = f"{dns_label(ctx.family, 'config')}-env"
        container["environmentFiles"] = [
            {"value": f"arn:{partition(ctx.region)}:s3:::{bucket}/{f}.env", "type": "s3"} for f in files
        ]
    return container


# -- task level ---------------------------------------------------------------------------------


def _cpu_text(units: int, form: str) -> str:
    """Task cpu as CPU units ("1024") or, for whole vCPUs, "1 vCPU" / "1 vcpu" (docs/facts.md 1.2)."""
    if form != "units" and units % 1024 == 0:
        return f"{units // 1024} {form}"
    return str(units)


def _memory_text(mib: int, form: str) -> str:
    if form != "mib" and mib % 1024 == 0:
        return f"{mib // 1024} GB" if form == "gb" else f"{mib // 1024}GB"
    return str(mib)


@st.composite
def volumes(draw: st.DrawFn, ctx: Context, names: list[str]) -> list[Doc]:
    result: list[Doc] = []
    for name in names:
        kinds = ["bind", "efs"] if ctx.linux else ["bind"]
        if not ctx.fargate and ctx.linux:
            kinds += ["host", "docker"]
        kind = draw(st.sampled_from(kinds))
        volume: Doc = {"name": name}
        if kind == "bind" and draw(BOOL):
            volume["host"] = {}
        elif kind == "host":
            volume["host"] = {"sourcePath": f"/var/lib/{name}"}
        elif kind == "docker":
            scope = draw(st.sampled_from(("task", "shared")))
            config: Doc = {"scope": scope, "driver": "local"}
            if scope == "shared":
                config["autoprovision"] = draw(BOOL)
            volume["dockerVolumeConfiguration"] = config
        elif kind == "efs":
            efs: Doc = {"fileSystemId": f"fs-{draw(st.text('0123456789abcdef', min_size=8, max_size=17))}"}
            efs["transitEncryption"] = "ENABLED"
            if draw(BOOL):
                access_point = f"fsap-{draw(st.text('0123456789abcdef', min_size=17, max_size=17))}"
                efs["authorizationConfig"] = {
                    "accessPointId": access_point,
                    "iam": draw(st.sampled_from(("ENABLED", "DISABLED"))),
                }
            elif draw(BOOL):
                efs["rootDirectory"] = f"/exports/{name}"
            if draw(BOOL):
                efs["transitEncryptionPort"] = draw(st.integers(2049, 2999))
            volume["efsVolumeConfiguration"] = efs
        result.append(volume)
    return result


@st.composite
def tags(draw: st.DrawFn) -> list[Doc]:
    keys = draw(
        st.lists(
            st.one_of(
                word(ALNUM + "_.:/=+@-", ALNUM + "_.:/=+@-", 30), st.text(TAG_CHARACTERS, min_size=1, max_size=20)
            ).filter(lambda k: not k.lower().startswith("aws:") and k.strip() == k),
            unique=True,
            max_size=6,
        )
    )
    return [{"key": k, "value": draw(st.text(TAG_CHARACTERS, max_size=30))} for k in keys]


@st.composite
def task_definitions(
    draw: st.DrawFn,
    launch: Launch | None = None,
    os: Os | None = None,
    min_containers: int = 1,
    max_containers: int = 10,
) -> Doc:
    """A valid register-task-definition input (see the module docstring)."""
    launches: tuple[Launch, ...] = ("FARGATE", "EC2")
    systems: tuple[Os, ...] = ("LINUX", "LINUX", "LINUX", "WINDOWS")
    chosen_launch: Launch = launch if launch is not None else draw(st.sampled_from(launches))
    chosen_os: Os = os if os is not None else draw(st.sampled_from(systems))
    fargate = chosen_launch == "FARGATE"
    linux = chosen_os == "LINUX"
    region, account = draw(REGION), draw(ACCOUNT)
    family = draw(NAMES)
    td: Doc = {"family": family}

    # launch types, network mode, platform
    external = False
    if fargate:
        td["requiresCompatibilities"] = list(draw(FARGATE_COMPATIBILITIES))
        mode = "awsvpc"
        td["networkMode"] = mode
    else:
        external = linux and one_in(draw, 5)
        if external:
            td["requiresCompatibilities"] = ["EXTERNAL"]
        elif draw(BOOL):
            td["requiresCompatibilities"] = ["EC2"]
        modes = ["bridge", "host", "awsvpc", "none", None] if linux else [None, "awsvpc"]
        if external:
            modes = ["bridge", "host", "none", None]
        explicit = draw(st.sampled_from(modes))
        if explicit is not None:
            td["networkMode"] = explicit
        mode = explicit or ("bridge" if linux else "default")
    if linux:
        if draw(BOOL):
            platform: Doc = {"operatingSystemFamily": "LINUX"}
            if draw(BOOL):
                platform["cpuArchitecture"] = draw(st.sampled_from(schema_enum("CPUArchitecture")))
            td["runtimePlatform"] = platform
    else:
        families = WINDOWS_FARGATE_FAMILIES if fargate else WINDOWS_EC2_FAMILIES
        platform = {"operatingSystemFamily": draw(st.sampled_from(families))}
        if draw(BOOL):
            platform["cpuArchitecture"] = "X86_64"
        td["runtimePlatform"] = platform

    # task size
    task_cpu: int | None = None
    task_memory: int | None = None
    if fargate:
        cpus = FARGATE_WINDOWS_CPUS if not linux else tuple(FARGATE_SIZES)
        task_cpu = draw(st.sampled_from(cpus))
        task_memory = draw(st.sampled_from(FARGATE_SIZES[task_cpu]))
        td["cpu"] = _cpu_text(task_cpu, draw(CPU_FORMS))
        td["memory"] = _memory_text(task_memory, draw(st.sampled_from(("mib", "gb", "gb-compact"))))
    else:
        if draw(BOOL):
            task_cpu = draw(st.integers(128, 196608) | st.sampled_from((256, 512, 1024, 2048, 4096)))
            td["cpu"] = _cpu_text(task_cpu, draw(CPU_FORMS))
        if draw(BOOL):
            task_memory = draw(st.integers(128, 65536) | st.sampled_from((512, 1024, 2048, 3072)))
            td["memory"] = _memory_text(task_memory, draw(st.sampled_from(("mib", "gb"))))

    execution_role = not one_in(draw, 6)
    if execution_role:
        td["executionRoleArn"] = draw(
            role_arns(region, account, draw(st.sampled_from(("ecsTaskExecutionRole",)) | _ROLE_NAME))
        )
    if draw(BOOL):
        task_role_name = draw(st.sampled_from(("app-task-role", "TaskRole", "orders_service")) | _ROLE_NAME)
        td["taskRoleArn"] = draw(role_arns(region, account, task_role_name) | st.just(task_role_name))

    # containers
    # mostly small tasks (cheap to draw), often up to the limit of 10
    count = draw(
        st.integers(min_containers, max(min_containers, min(3, max_containers)))
        | st.integers(min_containers, max_containers)
    )
    names = draw(st.lists(NAMES, min_size=count, max_size=count, unique=True))
    essential = draw(st.lists(st.sampled_from((None, True, False)), min_size=count, max_size=count))
    if not any(flag is None or flag for flag in essential):
        essential[draw(st.integers(0, count - 1))] = draw(st.sampled_from((None, True)))
    volume_names = draw(
        st.lists(word(ALNUM + "_-", ALNUM + "_-", 20).filter(lambda n: not is_unknown(n)), unique=True, max_size=3)
    )
    ports = draw(st.lists(st.integers(1, 20000), unique=True, max_size=3 * count))
    firelens = linux and count >= 2 and one_in(draw, 5)
    if firelens:
        essential[0] = draw(st.sampled_from((None, True)))  # the log router should be essential (5.3)
    ctx = Context(
        launch=chosen_launch,
        os=chosen_os,
        network_mode=mode,
        region=region,
        account=account,
        family=family,
        execution_role=execution_role,
        external=external,
        task_cpu=task_cpu,
        task_memory=task_memory,
        names=names,
        essential=essential,
        volumes=volume_names,
        ports=ports,
        firelens=firelens,
    )
    td["containerDefinitions"] = [draw(container_definitions(ctx, i)) for i in range(count)]
    if volume_names:
        td["volumes"] = draw(volumes(ctx, volume_names))

    # other task-level members
    if linux:
        if fargate:
            if one_in(draw, 5):
                td["pidMode"] = "task"
            if draw(BOOL):
                td["ephemeralStorage"] = {"sizeInGiB": draw(st.integers(21, 200))}
        else:
            if one_in(draw, 5):
                td["pidMode"] = draw(st.sampled_from(schema_enum("PidMode")))
            if one_in(draw, 5):
                td["ipcMode"] = draw(st.sampled_from(schema_enum("IpcMode")))
            if one_in(draw, 5):
                td["placementConstraints"] = [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]
    task_tags = draw(tags())
    if task_tags:
        td["tags"] = task_tags
    if mode in ("awsvpc", "host") and one_in(draw, 7):
        td["enableFaultInjection"] = draw(BOOL)
    if linux and mode == "awsvpc" and one_in(draw, 8):
        td["proxyConfiguration"] = {  # App Mesh: the proxy is one of the task's containers
            "type": "APPMESH",
            "containerName": draw(st.sampled_from(names)),
            "properties": [
                {"name": "IgnoredUID", "value": "1337"},
                {"name": "ProxyIngressPort", "value": "15000"},
                {"name": "ProxyEgressPort", "value": "15001"},
                {"name": "AppPorts", "value": "8080"},
                {"name": "EgressIgnoredIPs", "value": "169.254.170.2,169.254.169.254"},
            ],
        }
    return td


def fargate_task_definitions(**kwargs: Any) -> st.SearchStrategy[Doc]:
    return task_definitions(launch="FARGATE", **kwargs)


def ec2_task_definitions(**kwargs: Any) -> st.SearchStrategy[Doc]:
    return task_definitions(launch="EC2", **kwargs)
