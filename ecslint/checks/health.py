"""Checks on health checks, restart policies, stop timeouts and sidecars (docs/facts.md 6.1, 6.3, 6.5, 7.8)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecslint.checks.identifiers import parse_image
from ecslint.checks.registry import check
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_unknown

# docs/facts.md 6.1 ([BOTO] HealthCheck): member -> (lowest, highest, default when omitted).
# The timeout maximum is 60 in the botocore model (an issue text said 120; the model wins).
HEALTH_CHECK_RANGES: dict[str, tuple[int, int, int | None]] = {
    "interval": (5, 300, 30),
    "timeout": (2, 60, 5),
    "retries": (1, 10, 3),
    "startPeriod": (0, 300, None),
}
# docs/facts.md 6.5 and 7.8 ([BOTO] ContainerRestartPolicy).
RESTART_ATTEMPT_PERIOD = (60, 1800)
MAX_IGNORED_EXIT_CODES = 50
# Below this many seconds an application rarely finishes in-flight requests after SIGTERM
# (the ECS default is 30); a judgement, reported as info.
GRACEFUL_STOP_SECONDS = 10

_COMMAND_TYPES = ("CMD", "CMD-SHELL")
_DISABLE = "NONE"  # Docker's "no health check"; whether ECS accepts it is not documented
_SHELL_OPERATOR = re.compile(r"\|\||&&|[|;<>`]|\$\(")

# Well-known helper images (matched against the repository path, any registry) and what they are.
SIDECAR_IMAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:^|/)aws-otel-collector$"), "the AWS Distro for OpenTelemetry collector"),
    (re.compile(r"(?:^|/)(?:aws-for-)?fluent-bit$"), "Fluent Bit"),
    (re.compile(r"(?:^|/)datadog(?:hq)?/agent$"), "the Datadog agent"),
    (re.compile(r"(?:^|/)envoy$"), "Envoy"),
    (re.compile(r"(?:^|/)aws-xray-daemon$"), "the X-Ray daemon"),
    (re.compile(r"(?:^|/)cloudwatch-agent$"), "the CloudWatch agent"),
)


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _health_checks(td: TaskDef) -> Iterator[tuple[Container, str, dict[str, JSON]]]:
    """(container, pointer, healthCheck) for each container whose healthCheck is an object."""
    for container in td.containers():
        health = container.data.get("healthCheck")
        if isinstance(health, dict):
            yield container, join(container.pointer, "healthCheck"), health


# -- ECS501 health-check-out-of-range --------------------------------------------------------------


@check("health_check_out_of_range", container=("healthCheck",))
def health_check_out_of_range(td: TaskDef) -> Iterator[Violation]:
    """``interval`` 5-300, ``timeout`` 2-60, ``retries`` 1-10, ``startPeriod`` 0-300."""
    for container, pointer, health in _health_checks(td):
        for member, (low, high, _) in HEALTH_CHECK_RANGES.items():
            value = _integer(health.get(member))
            if value is not None and not low <= value <= high:
                params = {"member": member, "value": value, "low": low, "high": high, "container": container.label}
                yield Violation(join(pointer, member), params)


# -- ECS502 invalid-health-check-command, ECS503 shell-string-under-cmd -----------------------------


def _command(health: dict[str, JSON]) -> list[JSON] | None:
    command = health.get("command")
    return command if isinstance(command, list) else None


def _command_problem(command: list[JSON]) -> tuple[str, str, dict[str, object]] | None:
    """(variant, pointer suffix, params) when the command does not start CMD/CMD-SHELL + a command."""
    if not command:
        return "empty", "", {}
    first = command[0]
    if not isinstance(first, str) or is_unknown(first) or first == _DISABLE:
        return None
    if first in _COMMAND_TYPES:
        return ("no-command", "", {"type": first}) if len(command) == 1 else None
    if first.upper() in (*_COMMAND_TYPES, _DISABLE):
        return "case", "/0", {"first": first, "type": first.upper()}
    return "default", "/0", {"first": first}


@check("invalid_health_check_command", container=("healthCheck",))
def invalid_health_check_command(td: TaskDef) -> Iterator[Violation]:
    """``healthCheck.command`` starts with ``CMD`` or ``CMD-SHELL`` and then gives the command."""
    for container, pointer, health in _health_checks(td):
        command = _command(health)
        if command is None:
            continue
        problem = _command_problem(command)
        if problem is not None:
            variant, suffix, params = problem
            yield Violation(join(pointer, "command") + suffix, {"container": container.label, **params}, variant)


def _shell_argument(command: list[JSON]) -> tuple[int, str, str] | None:
    """(index, argument, variant) of the first argument under CMD that only a shell understands."""
    if len(command) == 2 and isinstance(command[1], str) and len(command[1].split()) > 1:
        return 1, command[1], "default"
    for index, argument in enumerate(command[1:], 1):
        if isinstance(argument, str) and not is_unknown(argument) and _SHELL_OPERATOR.search(argument):
            return index, argument, "operator"
    return None


@check("shell_string_under_cmd", container=("healthCheck",))
def shell_string_under_cmd(td: TaskDef) -> Iterator[Violation]:
    """``["CMD", "curl -f http://x || exit 1"]`` runs a program named after the whole string."""
    for container, pointer, health in _health_checks(td):
        command = _command(health)
        if not command or command[0] != "CMD":
            continue
        found = _shell_argument(command)
        if found is not None:
            index, argument, variant = found
            params = {"argument": argument, "container": container.label}
            yield Violation(join(pointer, "command", index), params, variant=variant)


# -- ECS504 health-check-timeout-not-below-interval ------------------------------------------------


def _effective(health: dict[str, JSON], member: str) -> int | None:
    """The member's value, its default when omitted, None when unknown or out of range."""
    low, high, default = HEALTH_CHECK_RANGES[member]
    if member not in health or health[member] is None:
        return default
    value = _integer(health[member])
    return value if value is not None and low <= value <= high else None


@check("health_check_timeout_not_below_interval", container=("healthCheck",))
def health_check_timeout_not_below_interval(td: TaskDef) -> Iterator[Violation]:
    """A probe that may run as long as the interval between probes overlaps the next one."""
    for container, pointer, health in _health_checks(td):
        interval, timeout = _effective(health, "interval"), _effective(health, "timeout")
        if interval is None or timeout is None or timeout < interval:
            continue
        member = "timeout" if "timeout" in health else "interval"
        params = {"timeout": timeout, "interval": interval, "container": container.label}
        yield Violation(
            join(pointer, member), params, depends=(join(pointer, "interval" if member == "timeout" else "timeout"),)
        )


# -- ECS505 essential-container-without-health-check ------------------------------------------------


def _container_anchor(container: Container) -> str:
    """Point at the container's name when it has one, else at the container."""
    return join(container.pointer, "name") if "name" in container.data else container.pointer


@check("essential_container_without_health_check", task=("containerDefinitions",))
def essential_container_without_health_check(td: TaskDef) -> Iterator[Violation]:
    """An essential container without ``healthCheck``: ECS only notices when its process exits."""
    for container in td.containers():
        if container.essential is not True or container.data.get("healthCheck") is not None:
            continue
        if _is_helper(container):
            continue  # log routers and agents are watched through the application they serve
        yield Violation(_container_anchor(container), {"container": container.label})


def _is_helper(container: Container) -> bool:
    """A FireLens log router or a well-known helper image."""
    if container.data.get("firelensConfiguration") is not None:
        return True
    image = container.data.get("image")
    return isinstance(image, str) and sidecar_kind(image) is not None


# -- ECS506 short-stop-timeout ------------------------------------------------------------------------


@check("short_stop_timeout", container=("stopTimeout",))
def short_stop_timeout(td: TaskDef) -> Iterator[Violation]:
    """A ``stopTimeout`` of a few seconds leaves little time for a graceful shutdown."""
    for container in td.containers():
        value = _integer(container.data.get("stopTimeout"))
        if value is not None and value < GRACEFUL_STOP_SECONDS:
            params = {"value": value, "threshold": GRACEFUL_STOP_SECONDS, "container": container.label}
            yield Violation(join(container.pointer, "stopTimeout"), params)


# -- ECS507 essential-sidecar -----------------------------------------------------------------------


def sidecar_kind(image: str) -> str | None:
    """What well-known helper ``image`` is, or None."""
    repository = parse_image(image).repository.lower()
    for pattern, kind in SIDECAR_IMAGES:
        if pattern.search(repository):
            return kind
    return None


def _sidecar(container: Container, proxy: str | None) -> str | None:
    """The helper a container runs, unless AWS wants it essential (log router, App Mesh proxy)."""
    image = container.data.get("image")
    if not isinstance(image, str) or is_unknown(image):
        return None
    if container.data.get("firelensConfiguration") is not None or container.name == proxy:
        return None
    if "appmesh" in parse_image(image).repository:
        return None
    return sidecar_kind(image)


@check("essential_sidecar", container=("image",))
def essential_sidecar(td: TaskDef) -> Iterator[Violation]:
    """A helper sidecar left essential stops the whole task when it exits."""
    proxy_config = td.get("proxyConfiguration")
    proxy = proxy_config.get("containerName") if isinstance(proxy_config, dict) else None
    proxy_name = proxy if isinstance(proxy, str) else None
    essential = [c for c in td.containers() if c.essential is True]
    sidecars = {c.index: _sidecar(c, proxy_name) for c in essential}
    if all(kind is not None for kind in sidecars.values()):
        return  # no essential application container would be left
    for container in essential:
        kind = sidecars[container.index]
        if kind is not None:
            image = container.data.get("image")
            params = {"container": container.label, "kind": kind, "image": image}
            yield Violation(
                join(container.pointer, "essential") if "essential" in container.data else _container_anchor(container),
                params,
            )


# -- ECS508 restart-policy-out-of-range -------------------------------------------------------------


@check("restart_policy_out_of_range", container=("restartPolicy",))
def restart_policy_out_of_range(td: TaskDef) -> Iterator[Violation]:
    """``restartAttemptPeriod`` 60-1800 seconds; at most 50 ``ignoredExitCodes``."""
    low, high = RESTART_ATTEMPT_PERIOD
    for container in td.containers():
        policy = container.data.get("restartPolicy")
        if not isinstance(policy, dict):
            continue
        pointer = join(container.pointer, "restartPolicy")
        period = _integer(policy.get("restartAttemptPeriod"))
        if period is not None and not low <= period <= high:
            params = {"value": period, "low": low, "high": high, "container": container.label}
            yield Violation(join(pointer, "restartAttemptPeriod"), params)
        codes = policy.get("ignoredExitCodes")
        if isinstance(codes, list) and len(codes) > MAX_IGNORED_EXIT_CODES:
            params = {"count": len(codes), "limit": MAX_IGNORED_EXIT_CODES, "container": container.label}
            yield Violation(join(pointer, "ignoredExitCodes"), params, variant="exit-codes")
