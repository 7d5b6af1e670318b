"""Checks on containers' ``logConfiguration`` (docs/facts.md 4.4 and 5)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ecslint.checks.identifiers import REGION, region_kind
from ecslint.checks.registry import check
from ecslint.checks.secrets import image_region, majority_region, role_findings, secret_arn_regions, secret_references
from ecslint.core.model import JSON, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_unknown

# docs/facts.md 5.1: the LogDriver enum, and the drivers Fargate supports.
LOG_DRIVERS = frozenset({"json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"})
FARGATE_LOG_DRIVERS = ("awslogs", "splunk", "awsfirelens")
# docs/facts.md 5.2, in the order AWS's error message names them.
AWSLOGS_REQUIRED_OPTIONS = ("awslogs-region", "awslogs-group")
AWSLOGS_REQUIRED_ON_FARGATE = ("awslogs-stream-prefix",)


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


@check("awslogs_missing_options", container=("logConfiguration",))
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
        misspelled = _misspelled_options(options)  # ECS404 reports them: one mistake, one finding
        missing = [name for name in required if not _present(options, name) and name not in misspelled]
        if not missing:
            continue
        variant = "default" if any(name in AWSLOGS_REQUIRED_OPTIONS for name in missing) else "stream-prefix"
        yield Violation(pointer, {"missing": ", ".join(missing), "container": container.label}, variant=variant)


@check("unsupported_log_driver", container=("logConfiguration",))  # and FARGATE or EXTERNAL
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


@check("awslogs_without_execution_role", container=("logConfiguration",))  # and FARGATE or EXTERNAL
def awslogs_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """On Fargate and EXTERNAL, awslogs ships logs with the execution role, so one must be set."""
    yield from role_findings(td, "awslogs_without_execution_role")  # one finding for the missing role


# -- helpers for the option checks --------------------------------------------------------------


class LogOptions(NamedTuple):
    container: Container
    driver: str
    pointer: str  # of the options object
    options: dict[str, JSON]

    def text(self, name: str) -> str | None:
        """A known string option, or None when absent, not a string or unknown."""
        value = self.options.get(name)
        return value if isinstance(value, str) and not is_unknown(value) else None

    def at(self, name: str) -> str:
        return join(self.pointer, name)


def log_options(td: TaskDef, driver: str | None = None) -> list[LogOptions]:
    """Containers' log ``options`` objects (of one driver when ``driver`` is given), found once."""
    return td.memo(f"log_options:{driver}", lambda: list(_log_options(td, driver)))


def _log_options(td: TaskDef, driver: str | None) -> Iterator[LogOptions]:
    for container in td.containers():
        log = _log_configuration(container)
        found = _log_driver(container)
        if log is None or found is None or (driver is not None and found != driver):
            continue
        options = log.get("options")
        if isinstance(options, dict) and not is_unknown(options):
            yield LogOptions(container, found, join(container.pointer, "logConfiguration", "options"), options)


# -- ECS404 unknown-awslogs-option ---------------------------------------------------------------

# docs/facts.md 5.2: the options ECS documents for awslogs, including the generic mode options.
AWSLOGS_OPTIONS = (
    "awslogs-group",
    "awslogs-region",
    "awslogs-stream-prefix",
    "awslogs-create-group",
    "awslogs-datetime-format",
    "awslogs-multiline-pattern",
    "mode",
    "max-buffer-size",
)
# Options the Docker awslogs driver also accepts (moby daemon/logger/awslogs ValidateLogOpt).
DOCKER_AWSLOGS_OPTIONS = (
    "awslogs-endpoint",
    "awslogs-stream",
    "awslogs-create-stream",
    "awslogs-credentials-endpoint",
    "awslogs-force-flush-interval-seconds",
    "awslogs-max-buffered-events",
    "awslogs-format",
    "tag",
)
KNOWN_AWSLOGS_OPTIONS = frozenset(AWSLOGS_OPTIONS + DOCKER_AWSLOGS_OPTIONS)


def _suggestion(key: str) -> str | None:
    """The documented awslogs option an unknown key is a misspelling of, if any."""
    import difflib  # only for a finding: it costs 2 ms to import

    close = difflib.get_close_matches(key.lower(), AWSLOGS_OPTIONS, n=1, cutoff=0.6)
    return close[0] if close else None


def _misspelled_options(options: dict[str, JSON]) -> set[str]:
    """The documented options that unknown keys of ``options`` misspell (``awslogs-grup``)."""
    unknown = [key for key in options if key not in KNOWN_AWSLOGS_OPTIONS and not is_unknown(key)]
    return {suggestion for suggestion in map(_suggestion, unknown) if suggestion is not None}


@check("unknown_awslogs_option", container=("logConfiguration",))
def unknown_awslogs_option(td: TaskDef) -> Iterator[Violation]:
    """An awslogs option key that neither ECS nor the Docker awslogs driver knows."""
    for found in log_options(td, "awslogs"):
        for key in found.options:
            if key in KNOWN_AWSLOGS_OPTIONS or is_unknown(key):
                continue
            close = _suggestion(key)
            params = {"option": key, "container": found.container.label, "suggestion": close or ""}
            yield Violation(found.at(key), params, variant="suggestion" if close else "default")


# -- where Docker creates the containers (ECS405-ECS408) ---------------------------------------------


def docker_runs_it(td: TaskDef) -> bool:
    """The task runs only where the ECS agent creates its containers with Docker, which refuses
    log options its drivers do not accept (docs/facts.md 29): ``requiresCompatibilities`` says
    EC2 or EXTERNAL only. Without it ECS may find the task Fargate-compatible too."""
    compat = td.compatibilities
    given = isinstance(td.get("requiresCompatibilities"), list)
    return given and compat is not None and bool(compat) and compat <= {"EC2", "EXTERNAL"}


def _on_docker(td: TaskDef, variant: str) -> str:
    """The message variant, ``-docker`` added where Docker refuses the container (an error there)."""
    if not docker_runs_it(td):
        return variant
    return "docker" if variant == "default" else f"{variant}-docker"


# -- ECS405 awslogs-datetime-and-multiline --------------------------------------------------------


@check("awslogs_datetime_and_multiline", container=("logConfiguration",))
def awslogs_datetime_and_multiline(td: TaskDef) -> Iterator[Violation]:
    """awslogs-datetime-format and awslogs-multiline-pattern cannot be configured together."""
    for found in log_options(td, "awslogs"):
        if "awslogs-datetime-format" in found.options and "awslogs-multiline-pattern" in found.options:
            params = {"container": found.container.label}
            yield Violation(found.at("awslogs-multiline-pattern"), params, variant=_on_docker(td, "default"))


# -- ECS406 invalid-log-mode, ECS407 invalid-max-buffer-size -------------------------------------

LOG_MODES = ("blocking", "non-blocking")
# Docker's units.RAMInBytes: a number, an optional space, then an optional k/m/g/t/p, i and b.
_BUFFER_SIZE = re.compile(r"^\d+(?:\.\d+)* ?[kKmMgGtTpP]?[iI]?[bB]?$")


def _mode_suggestion(mode: str) -> str | None:
    letters = re.sub(r"[^a-z]", "", mode.lower())
    return next((known for known in LOG_MODES if known.replace("-", "") == letters), None)


@check("invalid_log_mode", container=("logConfiguration",))
def invalid_log_mode(td: TaskDef) -> Iterator[Violation]:
    """The ``mode`` log option must be ``blocking`` or ``non-blocking``."""
    for found in log_options(td):
        mode = found.text("mode")
        if mode is None or mode in LOG_MODES:
            continue
        suggestion = _mode_suggestion(mode)
        params = {"mode": mode, "container": found.container.label, "suggestion": suggestion or ""}
        yield Violation(found.at("mode"), params, variant=_on_docker(td, "suggestion" if suggestion else "default"))


@check("invalid_max_buffer_size", container=("logConfiguration",))
def invalid_max_buffer_size(td: TaskDef) -> Iterator[Violation]:
    """``max-buffer-size`` must be a size such as ``25m``, and only goes with non-blocking mode."""
    for found in log_options(td):
        size = found.text("max-buffer-size")
        if size is None:
            continue
        params = {"size": size, "container": found.container.label}
        if not _BUFFER_SIZE.match(size.strip()):
            yield Violation(found.at("max-buffer-size"), params, variant=_on_docker(td, "default"))
        elif found.text("mode") == "blocking":
            yield Violation(found.at("max-buffer-size"), params, variant=_on_docker(td, "blocking"))


# -- ECS408 invalid-awslogs-create-group -----------------------------------------------------------

# Go's strconv.ParseBool, which the Docker driver uses, also takes these spellings.
_GO_BOOLEANS = frozenset({"1", "t", "T", "TRUE", "True", "0", "f", "F", "FALSE", "False"})


@check("invalid_awslogs_create_group", container=("logConfiguration",))
def invalid_awslogs_create_group(td: TaskDef) -> Iterator[Violation]:
    """``awslogs-create-group`` must be the string ``"true"`` or ``"false"``."""
    for found in log_options(td, "awslogs"):
        value = found.text("awslogs-create-group")
        if value is None or value in ("true", "false"):
            continue
        # Docker reads Go's spellings ("True", "1"): refused only when strconv.ParseBool cannot read it
        variant = "spelling" if value in _GO_BOOLEANS else _on_docker(td, "default")
        yield Violation(found.at("awslogs-create-group"), {"value": value, "container": found.container.label}, variant)


# -- ECS409 awslogs-region-mismatch ---------------------------------------------------------------


@check("awslogs_region_mismatch", container=("logConfiguration",))
def awslogs_region_mismatch(td: TaskDef) -> Iterator[Violation]:
    """awslogs-region differs from the Region of the container's ECR image and the task's secrets."""
    secrets = secret_arn_regions(td)
    for found in log_options(td, "awslogs"):
        region = found.text("awslogs-region")
        if region is None or not REGION.match(region):
            continue
        image = image_region(found.container)
        others = ([image] if image else []) + secrets
        expected = majority_region(others)
        if expected is not None and region not in others:
            params = {"region": region, "expected": expected, "container": found.container.label}
            # the expected Region comes from the image and the secrets: a baseline fingerprints them too
            depends = (join(found.container.pointer, "image"), *(ref.pointer for ref in secret_references(td)))
            yield Violation(found.at("awslogs-region"), params, depends=depends)


# -- ECS410 splunk-missing-options ------------------------------------------------------------------

# docs/facts.md 5.2: the splunk driver needs both, in options or (the token, usually) secretOptions.
SPLUNK_REQUIRED_OPTIONS = ("splunk-url", "splunk-token")


def _secret_option_names(log: dict[str, JSON]) -> set[str] | None:
    """Names given in ``secretOptions``; None when they cannot be known."""
    items = log.get("secretOptions")
    if items is None:
        return set()
    if not isinstance(items, list):
        return None
    names: set[str] = set()
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or is_unknown(name):
            return None
        names.add(name)
    return names


@check("splunk_missing_options", container=("logConfiguration",))
def splunk_missing_options(td: TaskDef) -> Iterator[Violation]:
    """The splunk log driver needs ``splunk-url`` and ``splunk-token``."""
    for container in td.containers():
        log = _log_configuration(container)
        if log is None or _log_driver(container) != "splunk":
            continue
        options = log.get("options")
        secret_names = _secret_option_names(log)
        if secret_names is None or (options is not None and (not isinstance(options, dict) or is_unknown(options))):
            continue
        given = options if isinstance(options, dict) else {}
        missing = [name for name in SPLUNK_REQUIRED_OPTIONS if not _present(given, name) and name not in secret_names]
        if missing:
            member = ("logConfiguration", "options") if options is not None else ("logConfiguration",)
            params = {"missing": ", ".join(missing), "container": container.label}
            yield Violation(join(container.pointer, *member), params)


# -- ECS411 firelens-s3-config-on-fargate ------------------------------------------------------------


@check("firelens_s3_config_on_fargate", container=("firelensConfiguration",))  # and FARGATE
def firelens_s3_config_on_fargate(td: TaskDef) -> Iterator[Violation]:
    """Fargate's FireLens reads its custom configuration only from a file in the image."""
    if not td.requires_fargate:
        return
    for container in td.containers():
        firelens = container.data.get("firelensConfiguration")
        options = firelens.get("options") if isinstance(firelens, dict) else None
        if isinstance(options, dict) and options.get("config-file-type") == "s3":
            pointer = join(container.pointer, "firelensConfiguration", "options", "config-file-type")
            yield Violation(pointer, {"container": container.label})


# -- ECS412 invalid-log-group-name ----------------------------------------------------------------

# botocore logs model, LogGroupName: 1..512 characters matching [\.\-_/#A-Za-z0-9]+.
LOG_GROUP_NAME_MAX = 512
_LOG_GROUP_BAD = re.compile(r"[^.\-_/#A-Za-z0-9]+")


@check("invalid_log_group_name", container=("logConfiguration",))
def invalid_log_group_name(td: TaskDef) -> Iterator[Violation]:
    """awslogs-group must be a CloudWatch Logs group name: 1-512 of letters, digits and ._-/#."""
    for found in log_options(td, "awslogs"):
        group = found.text("awslogs-group")
        if group is None or group == "":
            continue
        params: dict[str, object] = {"group": group, "container": found.container.label}
        bad = _LOG_GROUP_BAD.search(group)
        if bad is not None:
            params["characters"] = bad.group()
            yield Violation(found.at("awslogs-group"), params, substring=bad.span())
        elif len(group) > LOG_GROUP_NAME_MAX:
            params["length"] = len(group)
            yield Violation(found.at("awslogs-group"), params, variant="length")


# -- ECS413 invalid-awslogs-region ------------------------------------------------------------------


@check("invalid_awslogs_region", container=("logConfiguration",))
def invalid_awslogs_region(td: TaskDef) -> Iterator[Violation]:
    """awslogs-region must be a Region code: the driver fails at start without an endpoint (docs/facts.md 23)."""
    for found in log_options(td, "awslogs"):
        region = found.text("awslogs-region")
        if region is None or region_kind(region) != "invalid" or REGION.match(region.lower()):
            continue  # absent (ECS401), a placeholder (ECS304), or a code in upper case
        yield Violation(found.at("awslogs-region"), {"region": region, "container": found.container.label})
