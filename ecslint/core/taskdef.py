"""A read-only view of one task definition, for checks.

Checks receive a ``TaskDef`` and ask it what they need: launch types, network mode, OS
family, containers with their pointers.  Values that cannot be known before deploy time
(a CloudFormation intrinsic such as ``{"Ref": "Cpu"}``, a ``${VAR}`` template variable)
are *unknown*: ``is_unknown`` says so, and checks stay silent about them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ecslint.core.model import JSON, Token
from ecslint.core.numbers import digits_value

# ${VAR}, $VAR (upper-case shell style), {{ var }}, #{var}, <%= var %>, __VAR__, @VAR@ (autoconf
# style), %VAR% (Windows and Octopus style), Harness <+expr>:
# rendered by a deploy step before the definition is registered.  The body of ${...}, {{...}},
# #{...} and <+...> stops at the next opener as well as at the closer: a search then reads each
# character a bounded number of times ("{{" x 16,000 is linear, not quadratic), and a text holds
# a variable exactly when it did with bodies that ran on to the closer (the last opener before a
# closer matches either way).  Possessive repeats (*+, ++) never give back what they matched.
TEMPLATE_VARIABLE = re.compile(
    r"\$\{\{(?:[^{}]++|\{(?!\{))*+\}\}"  # a GitHub Actions expression, ${{ secrets.X }}, whole
    r"|\$\{(?:[^}$]++|\$(?!\{))*+\}"
    r"|\$[A-Z_][A-Z0-9_]*\b"
    r"|\{\{(?:[^{}]++|\{(?!\{))*+\}\}"
    r"|#\{(?:[^}#]++|#(?!\{))*+\}"
    r"|<%=?[^%]*%>"
    r"|__[A-Z][A-Z0-9_]*__"
    r"|@[A-Z][A-Z0-9_]*@"
    r"|%[A-Z][A-Z0-9_]*%"
    r"|<\+(?:[^<>]++|<(?!\+))*+>"
)

# A placeholder token that makes up a whole value written outside a string (``"cpu": <CPU>`` in
# JSON, ``cpu: <CPU>`` or ``cpu: {{ CPU }}`` in YAML): ``<NAME>``, ``${NAME}``, ``{{ NAME }}``,
# ``#{NAME}``, ``__NAME__``.
PLACEHOLDER_TOKEN = re.compile(
    r"<[A-Za-z_][A-Za-z0-9_.-]*>|\$\{[^{}\"\n]+\}|\{\{[^{}\"\n]+\}\}|#\{[^{}\"\n]+\}|__[A-Za-z][A-Za-z0-9_]*__"
)


def placeholder_token(written: str) -> Token:
    """The value of a token written outside a string: unknown (``${NAME}``) to every rule."""
    if TEMPLATE_VARIABLE.fullmatch(written):
        return Token(written, written)
    name = written
    for opener, closer in (("${", "}"), ("{{", "}}"), ("#{", "}"), ("__", "__"), ("<", ">")):
        if written.startswith(opener) and written.endswith(closer):
            name = written[len(opener) : len(written) - len(closer)].strip()
            break
    return Token("${" + name + "}", written)


T = TypeVar("T")


def is_intrinsic(value: object) -> bool:
    """A CloudFormation intrinsic function or reference: ``{"Ref": ...}``, ``{"Fn::Sub": ...}``."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        return isinstance(key, str) and (key in ("Ref", "Condition") or key.startswith("Fn::"))
    return False


def is_unknown(value: object) -> bool:
    """True when ``value`` is only known at deploy time, so no rule can judge it."""
    if isinstance(value, str):
        return TEMPLATE_VARIABLE.search(value) is not None
    return is_intrinsic(value)


class Container:
    """One container definition (an object) of the task, with its index and pointer."""

    __slots__ = ("data", "index", "pointer")

    def __init__(self, index: int, pointer: str, data: dict[str, JSON]) -> None:
        self.index = index
        self.pointer = pointer
        self.data = data

    @property
    def name(self) -> str | None:
        name = self.data.get("name")
        return name if isinstance(name, str) else None

    @property
    def label(self) -> str:
        """How messages name the container: its name, or its position when it has none."""
        return self.name if self.name else f"#{self.index}"

    @property
    def essential(self) -> bool | None:
        """``essential`` defaults to true when omitted; None when the value is unknown/invalid."""
        value = self.data.get("essential", True)
        return value if isinstance(value, bool) else None


# "<n> vCPU", "<n> GB": n is 1, 1.5 or .5.  Written so that no digit can be read two ways (as
# "\d*\.?\d+" could: a long run of digits followed by "x" was split every way before failing).
_NUMBER = r"(\d++(?:\.\d++)?+|\.\d++)"
_CPU_VCPU = re.compile(rf"^\s*+{_NUMBER}\s*+vcpu\s*+$", re.IGNORECASE | re.ASCII)
_MEMORY_GB = re.compile(rf"^\s*+{_NUMBER}\s*+gb\s*+$", re.IGNORECASE | re.ASCII)


def _parse_size(value: object, unit: re.Pattern[str]) -> int | None:
    """An integer, a string of digits, or ``<n> <unit>`` with 1 unit = 1024 (None if neither)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            return digits_value(text)
        match = unit.match(text)
        if match:
            size = float(match.group(1)) * 1024
            return int(size) if size.is_integer() else None  # not infinity either ("9" x 400 " vCPU")
    return None


def parse_cpu_units(value: object) -> int | None:
    """Task ``cpu`` as CPU units: "1024" and "1 vCPU" both give 1024; None if not parseable."""
    return _parse_size(value, _CPU_VCPU)


def parse_memory_mib(value: object) -> int | None:
    """Task ``memory`` in MiB: "2048" and "2 GB" both give 2048; None if not parseable."""
    return _parse_size(value, _MEMORY_GB)


# docs/facts.md 8.2: fields of describe-task-definition output that ECS fills in, not the user.
READ_ONLY_FIELDS = frozenset(
    {
        "compatibilities",
        "deleteRequestedAt",
        "deregisteredAt",
        "registeredAt",
        "registeredBy",
        "requiresAttributes",
        "revision",
        "status",
        "taskDefinitionArn",
    }
)


class TaskDef:
    """The task definition a check looks at (register-task-definition shape, camelCase)."""

    __slots__ = ("_memo", "_others", "data", "declared", "origin", "source_bytes", "terraform_template")

    def __init__(
        self,
        data: dict[str, JSON],
        origin: str = "register",
        source_bytes: int | None = None,
        *,
        declared: frozenset[str] = frozenset(),
        terraform_template: bool = False,
        others: Callable[[], Sequence[TaskDef]] | None = None,
    ) -> None:
        self.data = data
        # The other task definitions of the same file (a CloudFormation template, a Terraform
        # file), made when a check first asks: a mistake repeated across them is one (ECS304).
        self._others = others
        # Template variables the user declared (``--var``): a ``${NAME}`` left in a value is one
        # declared without a value, known only at deploy time, which ECS305 does not report.
        self.declared = declared
        # Read from a Terraform template file (``${...}`` outside its strings): templatefile()
        # renders every ``${...}`` in it, as Terraform does in a .tf file.
        self.terraform_template = terraform_template
        # "register" (register-task-definition input), "describe" (the inner definition of
        # describe-task-definition output), "cloudformation", "terraform" or "containers".
        self.origin = origin
        # The size of the UTF-8 JSON file the definition was read from, when there is one: its
        # minified form can be no more than 4.5 times as long (see checks/containers.py).
        self.source_bytes = source_bytes
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per task definition: for what several checks derive alike."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def get(self, key: str) -> JSON:
        return self.data.get(key)

    @property
    def others(self) -> Sequence[TaskDef]:
        """The other task definitions of the file this one is read from (none for most files)."""
        return self._others() if self._others is not None else ()

    # -- launch type, network, platform -------------------------------------------------

    @property
    def is_partial(self) -> bool:
        """Only the container definitions are known (a Terraform ``container_definitions`` file):
        the task-level settings live elsewhere, so everything task-level is unknown."""
        return self.origin == "containers"

    @property
    def compatibilities(self) -> frozenset[str] | None:
        """``requiresCompatibilities`` (absent means EC2); None when unknown (found once: a dozen
        checks ask)."""
        memo = self._memo
        if "compatibilities" not in memo:
            memo["compatibilities"] = self._compatibilities()
        return memo["compatibilities"]  # type: ignore[return-value]

    def _compatibilities(self) -> frozenset[str] | None:
        if self.is_partial:
            return None
        value = self.data.get("requiresCompatibilities")
        if value is None:
            return frozenset({"EC2"})
        if not isinstance(value, list):
            return None
        names = [v for v in value if isinstance(v, str) and not is_unknown(v)]
        if len(names) != len(value):
            return None
        return frozenset(names) if names else frozenset({"EC2"})

    @property
    def requires_fargate(self) -> bool:
        """True only when FARGATE is known to be required (the Fargate rules then apply)."""
        compat = self.compatibilities
        return compat is not None and "FARGATE" in compat

    @property
    def network_mode(self) -> str | None:
        """The effective network mode: bridge when omitted (EC2 Linux); None when unknown.

        On Windows an omitted network mode means the default NAT network, reported as "default".
        """
        if self.is_partial:
            return None
        value = self.data.get("networkMode")
        if value is None:
            return "default" if self.is_windows else "bridge"
        if isinstance(value, str) and not is_unknown(value):
            return value
        return None

    @property
    def os_family(self) -> str | None:
        """The operating system family (absent means LINUX); None when unknown (found once)."""
        memo = self._memo
        if "os_family" not in memo:
            memo["os_family"] = self._os_family()
        return memo["os_family"]  # type: ignore[return-value]

    def _os_family(self) -> str | None:
        if self.is_partial:
            return None
        platform = self.data.get("runtimePlatform")
        if platform is None:
            return "LINUX"
        if not isinstance(platform, dict):
            return None
        family = platform.get("operatingSystemFamily", "LINUX")
        return family if isinstance(family, str) and not is_unknown(family) else None

    @property
    def is_windows(self) -> bool:
        family = self.os_family
        return family is not None and family.startswith("WINDOWS")

    # -- containers ---------------------------------------------------------------------

    def containers(self) -> tuple[Container, ...]:
        """Every container definition that is an object, with its pointer (built once)."""
        found = self._memo.get("containers")
        if found is None:
            value = self.data.get("containerDefinitions")
            found = self._memo["containers"] = (
                tuple(
                    Container(index, f"/containerDefinitions/{index}", item)
                    for index, item in enumerate(value)
                    if isinstance(item, dict)
                )
                if isinstance(value, list)
                else ()
            )
        return found  # type: ignore[return-value]

    def container_keys(self) -> frozenset[str]:
        """Every member name any container definition has (found once)."""
        found = self._memo.get("container_keys")
        if found is None:
            keys: set[str] = set()
            for container in self.containers():
                keys.update(key for key in container.data if isinstance(key, str))
            found = self._memo["container_keys"] = frozenset(keys)
        return found  # type: ignore[return-value]

    def container_named(self, name: str) -> Container | None:
        """The first container called ``name`` (looked up in a table built once)."""
        found = self._memo.get("containers_by_name")
        if found is None:
            by_name: dict[str, Container] = {}
            for container in self.containers():
                if container.name is not None:
                    by_name.setdefault(container.name, container)
            found = self._memo["containers_by_name"] = by_name
        return found.get(name)  # type: ignore[no-any-return, attr-defined]

    @property
    def launch_type_needing_execution_role(self) -> str | None:
        """FARGATE or EXTERNAL when the task may run there without an execution role.

        On those launch types the task execution role, not an instance role, pulls private ECR
        images and ships awslogs logs (docs/facts.md 4.4).  None when a role is set or unknown.
        """
        compat = self.compatibilities
        if compat is None or self.has_execution_role:
            return None
        return next((launch for launch in ("FARGATE", "EXTERNAL") if launch in compat), None)

    @property
    def has_execution_role(self) -> bool:
        """True when ``executionRoleArn`` is present and not empty (unknown counts as present)."""
        if self.is_partial:
            return True
        value = self.data.get("executionRoleArn")
        return value is not None and value != ""
