"""Checks on containers' ``logConfiguration`` (AWS_FACTS.md 4.4 and 5)."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.checks import check
from ecslint.model import JSON, Violation
from ecslint.pointer import join
from ecslint.taskdef import Container, TaskDef, is_unknown

# AWS_FACTS.md 5.1: the LogDriver enum, and the drivers Fargate supports.
LOG_DRIVERS = frozenset({"json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"})
FARGATE_LOG_DRIVERS = ("awslogs", "splunk", "awsfirelens")
# AWS_FACTS.md 5.2, in the order AWS's error message names them.
AWSLOGS_REQUIRED_OPTIONS = ("awslogs-region", "awslogs-group")
AWSLOGS_REQUIRED_ON_FARGATE = ("awslogs-stream-prefix",)
# AWS_FACTS.md 4.4: launch types where awslogs is driven by the task execution role.
EXECUTION_ROLE_LAUNCH_TYPES = ("FARGATE", "EXTERNAL")


def _log_configuration(container: Container) -> dict[str, JSON] | None:
    log = container.data.get("logConfiguration")
    return log if isinstance(log, dict) else None


def _log_driver(container: Container) -> str | None:
    """The container's known log driver, or None when absent, unknown or not in the enum."""
    log = _log_configuration(container)
    driver = log.get("logDriver") if log is not None else None
    if isinstance(driver, str) and driver in LOG_DRIVERS:
        return driver
    return None


def _present(options: dict[str, JSON], name: str) -> bool:
    value = options.get(name)
    return value is not None and value != ""


@check("awslogs_missing_options")
def awslogs_missing_options(td: TaskDef) -> Iterator[Violation]:
    """awslogs needs ``awslogs-group`` and ``awslogs-region``; on Fargate also ``awslogs-stream-prefix``."""
    required = AWSLOGS_REQUIRED_OPTIONS + (AWSLOGS_REQUIRED_ON_FARGATE if td.requires_fargate else ())
    for container in td.containers():
        log = _log_configuration(container)
        if log is None or _log_driver(container) != "awslogs":
            continue
        options = log.get("options")
        if options is None:
            options, pointer = {}, join(container.pointer, "logConfiguration")
        elif isinstance(options, dict) and not is_unknown(options):
            pointer = join(container.pointer, "logConfiguration", "options")
        else:
            continue
        missing = [name for name in required if not _present(options, name)]
        if not missing:
            continue
        variant = "default" if any(name in AWSLOGS_REQUIRED_OPTIONS for name in missing) else "stream-prefix"
        yield Violation(pointer, {"missing": ", ".join(missing), "container": container.label}, variant=variant)


@check("unsupported_log_driver")
def unsupported_log_driver(td: TaskDef) -> Iterator[Violation]:
    """Fargate supports only the awslogs, splunk and awsfirelens log drivers."""
    if not td.requires_fargate:
        return
    for container in td.containers():
        driver = _log_driver(container)
        if driver is not None and driver not in FARGATE_LOG_DRIVERS:
            pointer = join(container.pointer, "logConfiguration", "logDriver")
            params: dict[str, object] = {
                "logDriver": driver,
                "container": container.label,
                "allowed": ", ".join(FARGATE_LOG_DRIVERS),
            }
            yield Violation(pointer, params)


@check("awslogs_without_execution_role")
def awslogs_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """On Fargate and EXTERNAL, awslogs ships logs with the execution role, so one must be set."""
    compat = td.compatibilities
    launch_types = [t for t in EXECUTION_ROLE_LAUNCH_TYPES if compat is not None and t in compat]
    if not launch_types or td.has_execution_role:
        return
    variant = "default" if launch_types[0] == "FARGATE" else "external"
    for container in td.containers():
        if _log_driver(container) == "awslogs":
            pointer = join(container.pointer, "logConfiguration", "logDriver")
            yield Violation(pointer, {"container": container.label, "launchType": launch_types[0]}, variant=variant)
