"""Checks on secrets, roles and the identifiers in ARNs and image URIs (docs/facts.md 4 and 7.2-7.3)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from ecslint.checks.identifiers import (
    REGION,
    Arn,
    Placeholder,
    PlaceholderKind,
    Span,
    account_kind,
    arn_placeholders,
    empty_field_span,
    image_placeholders,
    is_codedeploy_image,
    is_shell_variable,
    parse_arn,
    parse_ecr_host,
    region_placeholders,
    text_placeholders,
)
from ecslint.checks.registry import check
from ecslint.checks.strings import (
    AWSLOGS_REGION,
    CHECKED,
    IMAGE,
    OTHER,
    REFERENCE,
    SHELL,
    SIZE,
    UserString,
    user_strings,
)
from ecslint.core.model import Occurrence, Token, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import Container, TaskDef, is_intrinsic, is_unknown

# -- where secrets live -------------------------------------------------------------------


class SecretRef(NamedTuple):
    container: Container
    pointer: str  # of the valueFrom string
    value: str


def _secret_lists(container: Container) -> Iterator[tuple[str, object]]:
    """(pointer, list) of a container's ``secrets`` and ``logConfiguration.secretOptions``."""
    yield join(container.pointer, "secrets"), container.data.get("secrets")
    log = container.data.get("logConfiguration")
    if isinstance(log, dict):
        yield join(container.pointer, "logConfiguration", "secretOptions"), log.get("secretOptions")


def secret_references(td: TaskDef) -> list[SecretRef]:
    """Every string ``valueFrom`` in containers' secrets and log secretOptions (found once)."""
    return td.memo("secret_references", lambda: list(_secret_references(td)))


def _secret_references(td: TaskDef) -> Iterator[SecretRef]:
    for container in td.containers():
        for pointer, items in _secret_lists(container):
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                value = item.get("valueFrom") if isinstance(item, dict) else None
                if isinstance(value, str):
                    yield SecretRef(container, join(pointer, index, "valueFrom"), value)


# -- ECS301 invalid-secret-reference -------------------------------------------------------

# docs/facts.md 4.2: SSM parameter names (PutParameter rules).
_SSM_BAD_CHARACTERS = re.compile(r"[^A-Za-z0-9_.\-/]+")
_SSM_RESERVED = ("aws", "ssm")
# Namespaces AWS itself publishes under /aws/: readable, though nobody may create names there.
_SSM_AWS_NAMESPACES = ("aws/reference/secretsmanager/", "aws/service/")
_PARTITION = re.compile(r"^aws(?:-[a-z]+)*$")
_SECRET_SERVICES = ("ssm", "secretsmanager")


class Problem(NamedTuple):
    variant: str
    params: dict[str, object]
    substring: Span | None


def _ssm_name_problem(name: str, offset: int, in_arn: bool) -> Problem | None:
    """What is wrong with the SSM parameter name ``name`` found at ``offset`` in the value."""
    bad = _SSM_BAD_CHARACTERS.search(name)
    if bad is not None:
        start, end = bad.span()
        return Problem("ssm-characters", {"characters": bad.group()}, (offset + start, offset + end))
    if not in_arn and "/" in name and not name.startswith("/"):
        return Problem("ssm-missing-slash", {"name": name}, (offset, offset + len(name)))
    double = name.find("//")
    if double >= 0:
        return Problem("ssm-empty-level", {"name": name}, (offset + double, offset + double + 2))
    if name.endswith("/"):
        return Problem("ssm-empty-level", {"name": name}, (offset + len(name) - 1, offset + len(name)))
    path = name.removeprefix("/")
    base = offset + len(name) - len(path)
    lowered = path.lower()
    if lowered.startswith(_SSM_RESERVED) and not lowered.startswith(_SSM_AWS_NAMESPACES):
        return Problem("ssm-reserved-prefix", {"prefix": path[:3]}, (base, base + 3))
    return None


def _ssm_arn_problem(arn: Arn) -> Problem | None:
    resource, start = arn.resource, arn.resource_start
    if resource.startswith("parameter:"):
        return Problem("ssm-arn-colon", {}, (start + 9, start + 10))
    if not resource.startswith("parameter/"):
        return Problem("ssm-arn-resource", {"resource": resource}, (start, start + len(resource)))
    name = resource[len("parameter/") :]
    if name == "":
        return Problem("ssm-arn-no-name", {}, (start, start + len(resource)))
    if name.startswith("/"):
        return Problem("ssm-arn-double-slash", {}, (start + 9, start + 11))
    return _ssm_name_problem(name, start + len("parameter/"), in_arn=True)


def _secretsmanager_arn_problem(arn: Arn) -> Problem | None:
    resource, start = arn.resource, arn.resource_start
    if not resource.startswith("secret:"):
        return Problem("sm-arn-resource", {"resource": resource}, (start, start + len(resource)))
    base = start + len("secret:")
    fields = resource[len("secret:") :].split(":")
    if fields[0] == "":
        return Problem("sm-no-name", {}, (start, start + len("secret:")))
    if len(fields) not in (1, 4):
        suffix_start = base + len(fields[0])
        end = start + len(resource)
        return Problem("sm-field-count", {"count": len(fields) - 1}, (suffix_start, end))
    if len(fields) == 4 and fields[2] and fields[3]:
        stage_start = base + len(fields[0]) + len(fields[1]) + 2
        return Problem("sm-stage-and-id", {"stage": fields[2], "id": fields[3]}, (stage_start, start + len(resource)))
    return None


def _arn_problem(value: str) -> Problem | None:
    arn = parse_arn(value)
    if arn is None:
        return Problem("arn-malformed", {}, None)
    if not _PARTITION.match(arn.partition):
        return Problem("arn-partition", {"partition": arn.partition}, arn.partition_span)
    if arn.service not in _SECRET_SERVICES:
        return Problem("arn-service", {"service": arn.service}, arn.service_span)
    if arn.region == "":
        return Problem("arn-region-missing", {}, empty_field_span(arn.region_span[0]))
    if not REGION.match(arn.region):
        return Problem("arn-region", {"region": arn.region}, arn.region_span)
    if arn.service == "ssm":
        return _ssm_arn_problem(arn)
    return _secretsmanager_arn_problem(arn)


def secret_reference_problem(value: str) -> Problem | None:
    """What is wrong with a secret's ``valueFrom`` (an SSM name or ARN, or a Secrets Manager ARN)."""
    if value.strip() == "":
        return Problem("empty", {}, None)
    if value.startswith("arn:"):
        return _arn_problem(value)
    return _ssm_name_problem(value, 0, in_arn=False)


def _reported_elsewhere(value: str) -> bool:
    """Template variables (ECS305) and placeholders (ECS304) are not judged again."""
    return is_unknown(value) or bool(text_placeholders(value))


@check("invalid_secret_reference", container=("secrets", "logConfiguration"))
def invalid_secret_reference(td: TaskDef) -> Iterator[Violation]:
    """A secret ``valueFrom`` must be an SSM parameter name or ARN, or a Secrets Manager ARN."""
    for ref in secret_references(td):
        if _reported_elsewhere(ref.value):
            continue
        problem = secret_reference_problem(ref.value)
        if problem is not None:
            params = {"value": ref.value, "container": ref.container.label, **problem.params}
            yield Violation(ref.pointer, params, variant=problem.variant, substring=problem.substring)


# -- ECS302 secret-region-mismatch ---------------------------------------------------------


def _secret_arn_region(value: str) -> tuple[str, Span] | None:
    if is_unknown(value):
        return None
    arn = parse_arn(value)
    if arn is None or arn.service not in _SECRET_SERVICES or not REGION.match(arn.region):
        return None
    return arn.region, arn.region_span


def image_region(container: Container) -> str | None:
    """The Region of the container's private ECR image, or None."""
    image = container.data.get("image")
    host = parse_ecr_host(image) if isinstance(image, str) and not is_unknown(image) else None
    if host is not None and REGION.match(host.region):
        return host.region
    return None


def secret_arn_regions(td: TaskDef) -> list[str]:
    """The Regions of the task's secret ARNs, in document order (found once)."""

    def regions() -> list[str]:
        found = (_secret_arn_region(ref.value) for ref in secret_references(td))
        return [item[0] for item in found if item is not None]

    return td.memo("secret_arn_regions", regions)


def majority_region(regions: list[str]) -> str | None:
    """The most frequent Region; among equals, the one seen first."""
    return _majority(regions)


def _task_regions(td: TaskDef) -> list[str]:
    """Regions the task uses outside its secrets: ECR image hosts, then awslogs-region options.

    Images come first so that, on a tie, the Region the images are pulled from wins.
    """
    regions = [found for container in td.containers() if (found := image_region(container)) is not None]
    for container in td.containers():
        log = container.data.get("logConfiguration")
        options = log.get("options") if isinstance(log, dict) else None
        region = options.get("awslogs-region") if isinstance(options, dict) else None
        if isinstance(region, str) and REGION.match(region):
            regions.append(region)
    return regions


def _majority(regions: list[str]) -> str | None:
    """The most frequent Region; among equals, the one seen first."""
    if not regions:
        return None
    counts = Counter(regions)
    best = max(counts.values())
    return next(region for region in regions if counts[region] == best)


class _MajorityWithoutOne:
    """``_majority`` of a list with one of its items left out, for each item in turn, in constant
    steps each (a thousand secrets are not each compared with a list of all the others)."""

    def __init__(self, regions: list[str]) -> None:
        self.regions = regions
        self.counts = Counter(regions)
        self.first: dict[str, int] = {}
        self.second: dict[str, int] = {}
        for place, region in enumerate(regions):
            if region not in self.first:
                self.first[region] = place
            elif region not in self.second:
                self.second[region] = place
        # the two front runners (most frequent, then seen first): whichever item is left out, the
        # majority of the rest is its own Region or the first of these that is another Region
        self.leaders = sorted(self.counts, key=lambda region: (-self.counts[region], self.first[region]))[:2]

    def without(self, place: int) -> str | None:
        left_out = self.regions[place]
        count = self.counts[left_out] - 1
        other = next((region for region in self.leaders if region != left_out), None)
        if count == 0:
            return other
        first = self.second[left_out] if self.first[left_out] == place else self.first[left_out]
        if other is None:
            return left_out
        if self.counts[other] > count or (self.counts[other] == count and self.first[other] < first):
            return other
        return left_out


@check("secret_region_mismatch", container=("secrets", "logConfiguration"))
def secret_region_mismatch(td: TaskDef) -> Iterator[Violation]:
    """A secret ARN in another Region than the one the rest of the task definition uses."""
    refs = [(ref, _secret_arn_region(ref.value)) for ref in secret_references(td)]
    task_regions = _task_regions(td)
    majority = _MajorityWithoutOne([*task_regions, *(found[0] for _, found in refs if found is not None)])
    place = len(task_regions)
    for ref, found in refs:
        if found is None:
            continue
        region, span = found
        expected = majority.without(place)  # the majority of every other Region the task uses
        place += 1
        if expected is not None and expected != region:
            params: dict[str, object] = {
                "value": ref.value,
                "region": region,
                "expected": expected,
                "container": ref.container.label,
            }
            yield Violation(ref.pointer, params, substring=span)


# -- ECS303 secrets-without-execution-role ---------------------------------------------------


@check("secrets_without_execution_role", container=("secrets", "logConfiguration"))
def secrets_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """Container secrets are fetched with the task execution role, so one must be set."""
    yield from role_findings(td, "secrets_without_execution_role")


# -- ECS304 placeholder-value, ECS306 invalid-account-id ------------------------------------


def _is_wildcard(text: str) -> bool:
    """``*`` or ``?`` in an ARN field: an IAM-style pattern (``arn:aws:sqs:*:*:jobs``), not a stand-in."""
    return "*" in text or "?" in text


def _placeholders(string: UserString) -> Sequence[Placeholder]:
    value, field = string.value, string.field
    if field == IMAGE:
        return image_placeholders(value)
    if value.startswith("arn:"):
        found = arn_placeholders(value)
        if field == REFERENCE:
            return found
        # Elsewhere (environment, dockerLabels, log options) the ARN is the application's own data,
        # where a wildcard account is a pattern the application matches, not a placeholder.
        return [p for p in found if not (p.kind == "account" and _is_wildcard(p.text))]
    if field == AWSLOGS_REGION:
        return region_placeholders(value)
    if field == REFERENCE:
        return text_placeholders(value)
    if field == SIZE:  # "<CPU>", "REPLACE_ME": the whole size is a placeholder (ECS102 has no form to judge)
        return [p for p in text_placeholders(value) if p.span == (0, len(value))]
    return ()


# What --var substitutes (ecslint/readers/variables.py): <NAME>, and NAME alone when written like a constant.
_DECLARABLE = re.compile(r"^<([^\s=${}<>#\"']+)>$|^([^\s=${}<>#\"'a-z]*[^\W\d_a-z][^\s=${}<>#\"'a-z]*)$")


def _how_to_declare(token: str) -> str:
    """The end of a hint: how to tell ecslint that a deploy step fills the placeholder in."""
    match = _DECLARABLE.match(token)
    if match is None:
        return ""
    name = match.group(1) or match.group(2)
    return f", or declare the variable your deploy step fills in: --var {name}=VALUE"


_PLACEHOLDER_VARIANTS = {"account": "default", "example-account": "example-account", "region": "region", "text": "text"}


# Where a token that stands for the whole value (``"<EXECUTION_ROLE_ARN>"``, or ``"cpu": <CPU>``
# outside a string) is an error: AWS checks these values when the task definition is registered
# or the task starts (docs/facts.md 23), so the file cannot be used as written.  Anywhere else a
# whole-value token is a template variable (ECS305): the value is merely unknown.
_VALIDATED = frozenset({REFERENCE, AWSLOGS_REGION, SIZE, CHECKED})
# A whole value that is one <UPPER_SNAKE> token: the form a sed step substitutes.
_WHOLE_TOKEN = re.compile(r"^<[A-Z][A-Z0-9_]*>$")
# In a name or an enum, where '<' can never be valid, <family> and <container-name> are the same
# placeholder in another case: one ECS304 that says so, not ECS202's "may contain only letters".
_CHECKED_TOKEN = re.compile(r"^<[A-Za-z][A-Za-z0-9_.-]*>$")
# Text members AWS passes on unchecked, where a quoted whole token is only a template variable
# (in a member that must be a number or a boolean, the quotes are the mistake: ECS021's).
_FREE_TEXT = re.compile(
    r"/(?:environment/\d+/value|dockerLabels/[^/]+|options/[^/]+|systemControls/\d+/value|tags/\d+/value)$"
)


class _Places(NamedTuple):
    string: UserString
    found: Placeholder
    whole: bool  # a Token (the value outside a string) or a value that is only the placeholder


def _placeholder_tokens(td: TaskDef) -> dict[str, list[_Places]]:
    """Each placeholder token ECS304 reports, with every place it occurs (memoised: ECS305 leaves them).

    A whole-value token where AWS does not check the value is the same mistake as that token
    where it does, in this task definition or in another of the file (the engine makes the
    file's violations of one token one finding)."""
    return td.memo("placeholder_tokens", lambda: _find_placeholder_tokens(td))


def _find_placeholder_tokens(td: TaskDef) -> dict[str, list[_Places]]:
    own, elsewhere = _own_placeholder_tokens(td)
    tokens = {token: list(places) for token, places in own.items()}
    in_file: set[str] | None = None  # the tokens the other task definitions of the file report
    for string, written in elsewhere:  # the same token where it is not checked: the same mistake
        if written not in tokens:
            if in_file is None:
                in_file = {token for other in td.others for token in _own_placeholder_tokens(other)[0]}
            if written not in in_file:
                continue
        found = Placeholder("text", (0, len(string.value)), written)
        tokens.setdefault(written, []).append(_Places(string, found, True))
    return tokens


def _own_placeholder_tokens(td: TaskDef) -> tuple[dict[str, list[_Places]], list[tuple[UserString, str]]]:
    """The tokens where AWS checks the value, and the whole-value tokens elsewhere (memoised: the
    other task definitions of the file ask too)."""
    return td.memo("own_placeholder_tokens", lambda: _find_own_placeholder_tokens(td))


def _find_own_placeholder_tokens(td: TaskDef) -> tuple[dict[str, list[_Places]], list[tuple[UserString, str]]]:
    tokens: dict[str, list[_Places]] = {}
    elsewhere: list[tuple[UserString, str]] = []  # whole-value tokens outside the validated fields
    for string in user_strings(td):
        value = string.value
        if isinstance(value, Token):
            if td.declared and _declared(value, (0, len(value)), td.declared):
                continue  # declared without a value: known only at deploy time
            if string.field in _VALIDATED and value.written.startswith("<"):
                # <NAME> outside a string means what "<NAME>" means there; ${NAME}, {{ NAME }}... are
                # template variables wherever they are (ECS305), quoted or not
                kind: PlaceholderKind = "region" if string.field == AWSLOGS_REGION else "text"
                found = Placeholder(kind, (0, len(value)), value.written)
                tokens.setdefault(value.written, []).append(_Places(string, found, True))
            else:
                elsewhere.append((string, value.written))
            continue
        if string.field == OTHER and not value.startswith("arn:"):
            if _WHOLE_TOKEN.match(value):
                elsewhere.append((string, value))
            continue
        if string.field == CHECKED:  # a name or an enum: only a value that is one token is a placeholder
            if _CHECKED_TOKEN.match(value):
                found = Placeholder("text", (0, len(value)), value)
                tokens.setdefault(value, []).append(_Places(string, found, True))
            continue
        for found in _placeholders(string):
            if string.template and _overlaps(found.span, string.template):
                continue  # a template variable (ECS305's), or a field a variable fills in: unknown
            whole = found.span == (0, len(value))
            tokens.setdefault(found.text, []).append(_Places(string, found, whole))
    return tokens, elsewhere


def _merge_placeholders(violations: Sequence[Violation], count: int) -> tuple[str, Mapping[str, object]]:
    """One token in several task definitions of a file: the first one's finding, for every place."""
    first = violations[0]
    variant = first.variant.removesuffix("-many")
    return (variant + "-many" if count > 1 else variant), first.params


@check("placeholder_value", merge=_merge_placeholders)
def placeholder_value(td: TaskDef) -> Iterator[Violation]:
    """Placeholder text (``<account-id>``, ``ACCOUNT_ID``, ``REGION``...) left in an ARN, image URI or size.

    One violation per placeholder token, at its first occurrence, with every occurrence: a
    token pasted into eleven ARNs is one mistake.  A value that is only the placeholder is
    covered: no other rule judges it again.  The same token in the other task definitions of
    the file is the same mistake too: the engine makes them one finding (``per_file``).
    """
    for token, places in _placeholder_tokens(td).items():
        string, found, _ = places[0]
        params: dict[str, object] = {"placeholder": token, "value": _shown(string), "declare": _how_to_declare(token)}
        variant = _PLACEHOLDER_VARIANTS[found.kind]
        occurrences: tuple[Occurrence, ...] = ()
        if len(places) > 1:
            variant += "-many"
            occurrences = tuple(Occurrence(s.pointer, substring=_substring(s, p)) for s, p, _ in places)
        covers = tuple(s.pointer for s, _, whole in places if whole)
        yield Violation(
            string.pointer,
            params,
            variant=variant,
            substring=_substring(string, found),
            occurrences=occurrences,
            covers=covers,
            per_file=token,
        )


def _shown(string: UserString) -> str:
    """A value as the file writes it (a token outside a string as the token)."""
    value = string.value
    return value.written if isinstance(value, Token) else value


def _substring(string: UserString, found: Placeholder) -> Span | None:
    """Where in the value the placeholder is; None for a token outside a string (the whole node)."""
    return None if isinstance(string.value, Token) else found.span


def _overlaps(span: Span, others: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


# Services whose ARNs always carry an account id (an empty one is a mistake, not a convention).
_ACCOUNT_SERVICES = frozenset({"iam", "ssm", "secretsmanager"})


def _account_field(string: UserString) -> tuple[str, str, Span] | None:
    """(kind of value, account text, span) for an ARN's account or an ECR image's registry id."""
    value = string.value
    if string.field == IMAGE:
        host = parse_ecr_host(value) if not is_codedeploy_image(value) else None
        return ("registry", host.registry_id, host.registry_id_span) if host is not None else None
    arn = parse_arn(value)
    if arn is None:
        return None
    if arn.account == "" and arn.service in _ACCOUNT_SERVICES:
        return "arn-missing", "", empty_field_span(arn.account_span[0])
    return "arn", arn.account, arn.account_span


@check("invalid_account_id")
def invalid_account_id(td: TaskDef) -> Iterator[Violation]:
    """An ARN account field or ECR registry id that is not 12 digits (and not a placeholder)."""
    for string in user_strings(td):
        if string.template or (string.field != IMAGE and not string.value.startswith("arn:")):
            continue
        found = _account_field(string)
        if found is None:
            continue
        kind, account, span = found
        value = string.value
        if kind == "arn-missing":
            yield Violation(string.pointer, {"account": account, "value": value}, variant="missing", substring=span)
        elif account_kind(account) == "invalid":
            variant = "registry" if kind == "registry" else "default"
            params = {"account": account, "length": len(account), "value": value}
            yield Violation(string.pointer, params, variant=variant, substring=span)


# -- ECS305 template-variable ---------------------------------------------------------------


def _template_variables(string: UserString) -> list[Span]:
    spans = string.template
    if string.field == SHELL:  # commands run through a shell, which expands $VAR and ${VAR} itself
        spans = [span for span in spans if not is_shell_variable(string.value[span[0] : span[1]])]
    return spans


def _merge_template_variables(violations: Sequence[Violation], count: int) -> tuple[str, Mapping[str, object]]:
    """The template variables of several task definitions of a file: one finding names them all."""
    first = violations[0]
    if count <= 1:
        return first.variant, first.params
    if all(violation.variant.startswith("codedeploy") for violation in violations):
        return "codedeploy-many", first.params
    names = [name for violation in violations for name in _names(violation.params)]
    return "several", _variables_params(names, str(first.params.get("value", "")))


def _names(params: Mapping[str, object]) -> tuple[str, ...]:
    names = params.get("found")
    return tuple(str(name) for name in names) if isinstance(names, tuple) else ()


def _variables_params(found: Sequence[str], value: str) -> dict[str, object]:
    """The message values of an ECS305 finding: the variables by name (the first six), and how many."""
    names = list(dict.fromkeys(found))
    shown = ", ".join(f"'{name}'" for name in names[:_VARIABLES_NAMED])
    if len(names) > _VARIABLES_NAMED:
        shown += f" and {len(names) - _VARIABLES_NAMED} more"
    return {"variable": names[0], "variables": shown, "value": value, "names": len(names), "found": tuple(names)}


@check("template_variable", merge=_merge_template_variables)
def template_variable(td: TaskDef) -> Iterator[Violation]:
    """Strings that still hold template variables, which ECS would take literally.

    One violation per task definition lists the variables, at the first, with every
    occurrence: a template is one decision (render it before registering), not one per value.
    CodeDeploy's image placeholders (``<IMAGE1_NAME>``) are among them; alone, the message
    says they are the blue/green deployment's.  The engine makes the violations of the task
    definitions of one file one finding (``per_file``).
    A token where a value belongs (``"memoryReservation": <MEM>``) and a value that is one
    ``<UPPER_SNAKE>`` token outside the fields AWS checks are template variables too, unless
    ECS304 reports the same token where AWS checks it: one finding per token.
    """
    places: list[tuple[UserString, Span | None, str]] = []
    images = 0  # how many of the places are CodeDeploy image placeholders
    claimed = _placeholder_tokens(td)
    for string in user_strings(td):
        value = string.value
        if isinstance(value, Token):
            if string.field == IMAGE and is_codedeploy_image(value.written):
                places.append((string, None, value.written))
                images += 1
                continue
            if value.written not in claimed and not (td.declared and _declared(value, (0, len(value)), td.declared)):
                places.append((string, None, value.written))
            continue
        if string.field == IMAGE and is_codedeploy_image(value):
            places.append((string, None, _shown(string)))
            images += 1
            continue
        if not string.template:
            if (
                string.field == OTHER
                and _WHOLE_TOKEN.match(value)
                and value not in claimed
                and _FREE_TEXT.search(string.pointer)
            ):
                places.append((string, (0, len(value)), value))
            continue
        spans = _template_variables(string)
        if td.declared:  # ${NAME} left by a variable declared without a value: known at deploy time
            spans = [span for span in spans if not _declared(value, span, td.declared)]
        if td.origin == "terraform" or td.terraform_template:
            # Terraform itself resolves ${...} (interpolations, templatefile placeholders) at plan time
            spans = [span for span in spans if not value.startswith("${", span[0])]
        if td.origin == "cloudformation":
            # a dynamic reference, {{resolve:secretsmanager:...}}, CloudFormation resolves when it deploys
            spans = [span for span in spans if not value.startswith("{{resolve:", span[0])]
        places.extend((string, span, value[span[0] : span[1]]) for span in spans)
    if not places:
        return
    first, span, _ = places[0]
    params = _variables_params([text for _, _, text in places], _shown(first))
    many = len(places) > 1
    occurrences = tuple(Occurrence(string.pointer, substring=found) for string, found, _ in places) if many else ()
    if images == len(places):  # only blue/green image placeholders
        variant = "codedeploy-many" if many else "codedeploy"
    else:
        variant = "several" if many else "default"
    yield Violation(first.pointer, params, variant=variant, substring=span, occurrences=occurrences, per_file="")


def _declared(value: str, span: Span, declared: frozenset[str]) -> bool:
    return value.startswith("${", span[0]) and value[span[0] + 2 : span[1] - 1] in declared


_VARIABLES_NAMED = 6  # how many distinct variables an ECS305 message names before "and N more"


# -- ECS307 invalid-role-arn, ECS308 execution-role-not-arn ----------------------------------

# docs/facts.md 4.6 and 7.3 (botocore IAM model: roleNameType, pathType).
ROLE_FIELDS = ("taskRoleArn", "executionRoleArn")
ROLE_NAME_MAX = 64
ROLE_PATH_MAX = 512
_ROLE_NAME_BAD = re.compile(r"[^A-Za-z0-9_+=,.@-]+")
_ROLE_PATH_BAD = re.compile(r"[^\x21-\x7e]+")


def _role_name_problem(name: str, offset: int) -> Problem | None:
    """What is wrong with an IAM role name found at ``offset``."""
    if name == "":
        return Problem("no-name", {}, None)
    bad = _ROLE_NAME_BAD.search(name)
    if bad is not None:
        start, end = bad.span()
        return Problem("name-characters", {"characters": bad.group(), "name": name}, (offset + start, offset + end))
    if len(name) > ROLE_NAME_MAX:
        return Problem("name-length", {"name": name, "length": len(name)}, (offset, offset + len(name)))
    return None


def _role_resource_problem(arn: Arn) -> Problem | None:
    resource, start = arn.resource, arn.resource_start
    if not resource.startswith("role/"):
        kind = resource.split("/", 1)[0]
        return Problem("resource", {"resource": kind}, (start, start + max(len(kind), 1)))
    path, _, name = resource[len("role") :].rpartition("/")
    path_start = start + len("role")
    bad = _ROLE_PATH_BAD.search(path)
    if bad is not None:
        span = (path_start + bad.start(), path_start + bad.end())
        return Problem("path-characters", {"characters": bad.group()}, span)
    if len(path) + 1 > ROLE_PATH_MAX:
        return Problem("path-length", {"length": len(path) + 1}, (path_start, path_start + len(path) + 1))
    if name == "":
        return Problem("no-name", {}, (start, start + len(resource)))
    return _role_name_problem(name, start + len(resource) - len(name))


def role_arn_problem(value: str) -> Problem | None:
    """What is wrong with an IAM role ARN (the account field is ECS306's to judge)."""
    arn = parse_arn(value)
    if arn is None:
        return Problem("malformed", {}, None)
    if not _PARTITION.match(arn.partition):
        return Problem("partition", {"partition": arn.partition}, arn.partition_span)
    if arn.service != "iam":
        return Problem("service", {"service": arn.service}, arn.service_span)
    if arn.region != "":
        return Problem("region", {"region": arn.region}, arn.region_span)
    return _role_resource_problem(arn)


# REPLACE_EXECUTION_ROLE_ARN, TASK_ROLE: a deploy script's stand-in, not a role name.
_CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def _role_values(td: TaskDef) -> Iterator[tuple[str, str, str]]:
    """(field, pointer, value) of the role fields that hold a string ECS304/ECS305 leave alone."""
    for member in ROLE_FIELDS:
        value = td.get(member)
        if not isinstance(value, str) or not value.strip() or _reported_elsewhere(value):
            continue
        if not _CONSTANT_NAME.match(value):
            yield member, join("", member), value


@check("invalid_role_arn", task=("taskRoleArn", "executionRoleArn"))
def invalid_role_arn(td: TaskDef) -> Iterator[Violation]:
    """taskRoleArn / executionRoleArn that is not an IAM role ARN (or, for the task role, a role name)."""
    for member, pointer, value in _role_values(td):
        if value.startswith("arn:"):
            problem = role_arn_problem(value)
        elif member == "taskRoleArn":
            problem = _role_name_problem(value, 0)
        else:
            continue  # a name in executionRoleArn: ECS308
        if problem is not None:
            params = {"member": member, "value": value, **problem.params}
            yield Violation(pointer, params, variant=problem.variant, substring=problem.substring)


@check("execution_role_not_arn", task=("executionRoleArn",))
def execution_role_not_arn(td: TaskDef) -> Iterator[Violation]:
    """executionRoleArn given as a bare role name, where the API documents a full ARN."""
    for member, pointer, value in _role_values(td):
        if member == "executionRoleArn" and not value.startswith("arn:"):
            yield Violation(pointer, {"value": value})


# -- ECS309-ECS311: features that need the task execution role --------------------------------


def uses_repository_credentials(container: Container) -> bool:
    """``repositoryCredentials`` with a credentialsParameter (a skeleton's empty one is not use)."""
    credentials = container.data.get("repositoryCredentials")
    if credentials is None:
        return False
    if not isinstance(credentials, dict) or is_intrinsic(credentials):
        return True
    value = credentials.get("credentialsParameter")
    return value is not None and value != ""


def _ecr_registry_span(container: Container) -> Span | None:
    """The span of the private ECR registry host in the container's image, or None."""
    image = container.data.get("image")
    if not isinstance(image, str) or is_unknown(image) or is_codedeploy_image(image):
        return None
    if parse_ecr_host(image) is None:
        return None
    return (0, image.index("/")) if "/" in image else None


@check("repository_credentials_without_execution_role", container=("repositoryCredentials",))
def repository_credentials_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """Private registry credentials are read from Secrets Manager with the task execution role."""
    yield from role_findings(td, "repository_credentials_without_execution_role")


@check("ecr_image_without_execution_role", task=("requiresCompatibilities",))
def ecr_image_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """On Fargate and EXTERNAL, a private ECR image is pulled with the task execution role."""
    yield from role_findings(td, "ecr_image_without_execution_role")


@check("environment_files_without_execution_role", container=("environmentFiles",))
def environment_files_without_execution_role(td: TaskDef) -> Iterator[Violation]:
    """environmentFiles are downloaded from S3 with the task execution role."""
    yield from role_findings(td, "environment_files_without_execution_role")


# -- the missing execution role: one finding, whatever needs it ---------------------------------

# The checks that report a member needing the task execution role when the task has none
# (docs/facts.md 4.4), in the order that chooses the one reporting it: the errors first, ECS311
# (a warning) last.  One mistake, the missing role, gives one finding, which names every place.
ROLE_CHECKS = (
    "secrets_without_execution_role",  # ECS303
    "repository_credentials_without_execution_role",  # ECS309
    "awslogs_without_execution_role",  # ECS403
    "ecr_image_without_execution_role",  # ECS310
    "environment_files_without_execution_role",  # ECS311
)


class RoleNeed(NamedTuple):
    check: str  # one of ROLE_CHECKS
    violation: Violation


def execution_role_needs(td: TaskDef) -> list[RoleNeed]:
    """Every member that needs the execution role the task lacks, the reporting check's first (found once)."""
    return td.memo("execution_role_needs", lambda: sorted(_role_needs(td), key=lambda n: ROLE_CHECKS.index(n.check)))


def _role_needs(td: TaskDef) -> Iterator[RoleNeed]:
    if td.has_execution_role:
        return
    launch_type = td.launch_type_needing_execution_role  # FARGATE or EXTERNAL: awslogs and ECR need it too
    on = "default" if launch_type == "FARGATE" else "external"
    for container in td.containers():
        for pointer, items in _secret_lists(container):
            if isinstance(items, list) and items:
                variant = "default" if pointer.endswith("/secrets") else "secretOptions"
                params = {"container": container.label, "count": len(items)}
                yield RoleNeed(ROLE_CHECKS[0], Violation(pointer, params, variant=variant))
        if uses_repository_credentials(container):
            pointer = join(container.pointer, "repositoryCredentials")
            yield RoleNeed(ROLE_CHECKS[1], Violation(pointer, {"container": container.label}))
        log = container.data.get("logConfiguration")
        if launch_type is not None and isinstance(log, dict) and log.get("logDriver") == "awslogs":
            pointer = join(container.pointer, "logConfiguration", "logDriver")
            params = {"container": container.label, "launchType": launch_type}
            yield RoleNeed(ROLE_CHECKS[2], Violation(pointer, params, variant=on))
        span = _ecr_registry_span(container) if launch_type is not None else None
        if span is not None:
            params = {"container": container.label, "launchType": launch_type}
            yield RoleNeed(
                ROLE_CHECKS[3], Violation(join(container.pointer, "image"), params, variant=on, substring=span)
            )
        files = container.data.get("environmentFiles")
        if isinstance(files, list) and files:
            params = {"container": container.label, "count": len(files)}
            yield RoleNeed(ROLE_CHECKS[4], Violation(join(container.pointer, "environmentFiles"), params))


def role_findings(td: TaskDef, check_name: str) -> Iterator[Violation]:
    """The finding of ``check_name`` about the missing execution role: none when an earlier check of
    ROLE_CHECKS reports it; else one, at its first place, whose occurrences are every place that needs
    the role (the message variant ``<variant>-more`` counts the others)."""
    needs = execution_role_needs(td)
    if not needs or needs[0].check != check_name:
        return
    first = needs[0].violation
    if len(needs) == 1:
        yield first
        return
    occurrences = tuple(Occurrence(need.violation.pointer, substring=need.violation.substring) for need in needs)
    yield first._replace(variant=f"{first.variant}-more", occurrences=occurrences)


# -- ECS312 repository-credentials-on-ecr-image, ECS313 invalid-credentials-parameter --------


@check("repository_credentials_on_ecr_image", container=("repositoryCredentials",))
def repository_credentials_on_ecr_image(td: TaskDef) -> Iterator[Violation]:
    """repositoryCredentials is for registries outside AWS; ECR pulls use IAM."""
    for container in td.containers():
        if not uses_repository_credentials(container) or _ecr_registry_span(container) is None:
            continue
        yield Violation(join(container.pointer, "repositoryCredentials"), {"container": container.label})


# Secrets Manager secret names (botocore secretsmanager NameType: 1..512; allowed characters
# from the CreateSecret documentation).
SECRET_NAME_MAX = 512
_SECRET_NAME_BAD = re.compile(r"[^A-Za-z0-9/_+=.@-]+")


def _secret_name_problem(value: str) -> Problem | None:
    bad = _SECRET_NAME_BAD.search(value)
    if bad is not None:
        return Problem("name-characters", {"characters": bad.group()}, bad.span())
    if len(value) > SECRET_NAME_MAX:
        return Problem("name-length", {"length": len(value)}, (0, len(value)))
    return None


def credentials_parameter_problem(value: str) -> Problem | None:
    """What is wrong with ``credentialsParameter``: a Secrets Manager secret ARN or name."""
    if not value.startswith("arn:"):
        return _secret_name_problem(value)
    arn = parse_arn(value)
    if arn is None:
        return Problem("arn-malformed", {}, None)
    if not _PARTITION.match(arn.partition):
        return Problem("arn-partition", {"partition": arn.partition}, arn.partition_span)
    if arn.service != "secretsmanager":
        return Problem("arn-service", {"service": arn.service}, arn.service_span)
    if arn.region == "":
        return Problem("arn-region-missing", {}, empty_field_span(arn.region_span[0]))
    if not REGION.match(arn.region):
        return Problem("arn-region", {"region": arn.region}, arn.region_span)
    resource, start = arn.resource, arn.resource_start
    if not resource.startswith("secret:"):
        return Problem("sm-arn-resource", {"resource": resource}, (start, start + max(len(resource), 1)))
    if resource == "secret:":
        return Problem("sm-no-name", {}, (start, start + len(resource)))
    if ":" in resource[len("secret:") :]:
        colon = resource.index(":", len("secret:"))
        return Problem("sm-suffix", {}, (start + colon, start + len(resource)))
    return None


@check("invalid_credentials_parameter", container=("repositoryCredentials",))
def invalid_credentials_parameter(td: TaskDef) -> Iterator[Violation]:
    """repositoryCredentials.credentialsParameter must be a Secrets Manager secret ARN or name."""
    for container in td.containers():
        credentials = container.data.get("repositoryCredentials")
        value = credentials.get("credentialsParameter") if isinstance(credentials, dict) else None
        if not isinstance(value, str) or not value.strip() or _reported_elsewhere(value):
            continue  # an empty one is a skeleton's (deploy tools drop it)
        problem = credentials_parameter_problem(value)
        if problem is not None:
            pointer = join(container.pointer, "repositoryCredentials", "credentialsParameter")
            params = {"value": value, "container": container.label, **problem.params}
            yield Violation(pointer, params, variant=problem.variant, substring=problem.substring)
