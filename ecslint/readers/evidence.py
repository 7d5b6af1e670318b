"""What a file's own repository says about who registers it, and what a render step fills in.

A task definition file is registered by a tool, and the tool decides what a mistake means
(docs/consumers.md).  Without ``--target``, the repository holding the file (the nearest folder
with ``.git``) is read for evidence, once per repository, as text and within fixed bounds:

- a GitHub workflow that runs ``register-task-definition`` with ``--cli-input-json file://<the
  file>`` (or ``--cli-input-yaml``), as does a buildspec, a Jenkinsfile, a Makefile or a shell
  script: the AWS CLI registers it (``aws-cli``);
- a GitHub workflow that hands the file to aws-actions/amazon-ecs-deploy-task-definition
  (readers/workflows.py): ``deploy-action``;
- CodePipeline's ECS blue/green action (``CodeDeployToECS``): a ``TaskDefinitionTemplatePath``
  naming the file in a Terraform or CloudFormation pipeline definition, or an AppSpec file with
  an ECS ``TaskDefinition`` placeholder beside a file named ``taskdef.json`` (the action's
  default) or one a buildspec ships: ``codedeploy``;
- a step of aws-actions/amazon-ecs-render-task-definition naming the file and a container:
  what the step writes into that container (its image, log options, labels...) is known only at
  deploy time (``renders``);
- a Terraform ``templatefile("...")`` call, or a ``template = file("...")`` of a ``template_file``
  data source, naming the file: its ``${...}`` are Terraform's, filled at plan time
  (``templated_by``);
- ecspresso (kayac/ecspresso, a Go SDK v2 tool: ``go-sdk``): a step of
  cloudposse/github-action-deploy-ecspresso or -run-ecspresso naming the file as its
  ``taskdef-path``, or an ecspresso configuration file (``ecspresso*.yml``/``.yaml``/``.json``/
  ``.jsonnet``, or one in a ``.ecspresso`` folder) naming it as ``task_definition``.  ecspresso
  renders the ``{{ ... }}`` template expressions of the file at deploy time (``go_templates``); a
  cloudposse step given ``mirror_to_s3_bucket`` and ``use_partial_taskdefinition`` first merges
  the file into a task definition template it fetches from S3, so the file is a **partial**:
  what it lacks, the template may bring (``partial``; docs/consumers.md, docs/facts.md 27).

Nothing here is read for a file outside a git repository beyond finding that it is outside one.
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from ecslint.core.pointer import from_path
from ecslint.readers.workflows import _deployed_files, _repository_root

_MAX_FILE_BYTES = 1 << 20  # a bigger file is not a script or a pipeline definition
_MAX_FILES = 4000  # entries looked at in one repository's walk
_MAX_DEPTH = 8
_MAX_BYTES_READ = 32 << 20  # in all, per repository
# Patterns as text: compiled (and cached by ``re``) only when a repository is read, not at import.
_SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".terraform", "vendor", "__pycache__", ".venv", "venv", "dist"})

_REGISTER = r"register-task-definition\b"
_CLI_INPUT = r"--cli-input-(?:json|yaml)[ \t=]+[\"']?file://([^\s\"';)|&]+)"
_TEMPLATE_PATH = r"TaskDefinitionTemplatePath[\"']?[ \t]*[:=][ \t]*[\"']?([^\"'\s,}]+)"
_APPSPEC_TASK = r"TaskDefinition[\"']?[ \t]*:[ \t]*[\"']?<[A-Za-z0-9_.-]+>"
_RENDER_ACTION = "aws-actions/amazon-ecs-render-task-definition"
_DEPLOY_ACTION = "aws-actions/amazon-ecs-deploy-task-definition"
_STEP_OUTPUT = r"^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.task-definition\s*\}\}$"
# cloudposse's ecspresso actions, with the first release that merges a partial file into the
# template from S3 (docs/facts.md 27): an older release registers the file as it is.
_ECSPRESSO_ACTIONS = {
    "cloudposse/github-action-deploy-ecspresso": (0, 6, 0),
    "cloudposse/github-action-run-ecspresso": (0, 2, 0),
}
_INPUT_REFERENCE = r"^\$\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$"
_ECSPRESSO_TASK = r"""["']?task_definition["']?[ \t]*:[ \t]*["']?([^"'\s,}#]+)"""
_ECSPRESSO_SUFFIXES = (".yml", ".yaml", ".json", ".jsonnet")

# What a render step's inputs write into the container it names (action.yml and index.js of
# aws-actions/amazon-ecs-render-task-definition; docs/facts.md 24).
RENDER_INPUTS = (
    "image",
    "environment-variables",
    "log-configuration-log-driver",
    "log-configuration-options",
    "docker-labels",
    "secrets",
    "command",
    "env-files",
    "task-role-arn",
    "execution-role-arn",
)


class Render(NamedTuple):
    """A render step's effect on one container of a file: the inputs it gives and where it is."""

    container: str
    inputs: dict[str, str]  # input name (one of RENDER_INPUTS) -> its value as written
    workflow: str  # the workflow's path in the repository


class Evidence(NamedTuple):
    """What the repository says about one file: who registers it (None: nothing says) and why."""

    consumer: str | None
    basis: str
    renders: tuple[Render, ...] = ()
    filled: frozenset[str] = frozenset()  # placeholder names a sed step of the repository replaces in it
    assigned: frozenset[str] = frozenset()  # JSON pointers of the members a jq step of the repository sets
    templated_by: str = ""  # the .tf file that renders it with templatefile() (or a template_file data source)
    # ecspresso reads the file: its {{ ... }} template expressions are rendered at deploy time
    go_templates: bool = False
    # a step merges the file into a task definition template (docs/consumers.md): what it lacks is
    # unknown.  "" when not; else the basis.
    partial: str = ""
    # a step merges some file of the repository that ecslint could not name (its taskdef-path is
    # an expression or a file that is not there): the basis, for a file written for ecspresso
    partial_unnamed: str = ""


_NOTHING = Evidence(None, "")


class _Repository(NamedTuple):
    cli: dict[Path, str]  # file -> the script or workflow that registers it with the AWS CLI
    cli_names: tuple[tuple[tuple[str, ...], str], ...]  # (relative path parts, script) for suffix matches
    codedeploy: tuple[tuple[tuple[str, ...], str], ...]  # (TaskDefinitionTemplatePath parts, where)
    appspec: str | None  # an AppSpec with an ECS TaskDefinition placeholder, if any
    buildspec_names: frozenset[str]  # file names a buildspec mentions (its artifacts)
    renders: dict[Path, tuple[Render, ...]]
    deploy_workflows: dict[Path, str]
    filled: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()  # (file parts a sed names, its tokens)
    assigned: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()  # (file parts a jq names, its pointers)
    templated: tuple[tuple[str, str], ...] = ()  # (pattern of a path templatefile() renders, the .tf file)
    ecspresso: dict[Path, tuple[str, bool]] | None = None  # file -> (basis, whether it is merged as a partial)
    partial_unnamed: str = ""  # the basis of a partial step whose file is not named (see Evidence)


def evidence(path: str) -> Evidence:
    """What the repository holding ``path`` says about it; nothing outside a git repository."""
    try:
        file = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return _NOTHING
    root = _repository_root(file.parent)
    if root is None:
        return _NOTHING
    repository = _read_repository(root)
    try:
        parts = file.relative_to(root).parts
    except ValueError:
        return _NOTHING
    found = _consumer_evidence(file, parts, root, repository)
    filled, assigned = _named(parts, repository.filled), _named(parts, repository.assigned)
    if filled or assigned:
        found = found._replace(filled=filled, assigned=assigned)
    ecspresso = (repository.ecspresso or {}).get(file)
    if ecspresso is not None:  # whoever registers it, ecspresso renders it and the merge comes first
        basis, partial = ecspresso
        if found.consumer is None:
            found = found._replace(consumer="go-sdk", basis=basis)
        found = found._replace(go_templates=True, partial=basis if partial else "")
    elif repository.partial_unnamed:
        found = found._replace(partial_unnamed=repository.partial_unnamed)
    relative = "/".join(parts)
    for pattern, where in repository.templated:
        if re.fullmatch(pattern, relative):
            return found._replace(templated_by=where)
    return found


def _named(parts: tuple[str, ...], named: tuple[tuple[tuple[str, ...], frozenset[str]], ...]) -> frozenset[str]:
    """What the scripts naming a path that ``parts`` ends with say about it, together."""
    return frozenset(
        item
        for wanted, items in named
        if wanted and len(wanted) <= len(parts) and parts[len(parts) - len(wanted) :] == wanted
        for item in items
    )


def _consumer_evidence(file: Path, parts: tuple[str, ...], root: Path, repository: _Repository) -> Evidence:
    renders = repository.renders.get(file, ())
    script = repository.cli.get(file) or _suffix_match(parts, repository.cli_names)
    if script is not None:
        return Evidence("aws-cli", f"{script} registers it with the AWS CLI (register-task-definition)", renders)
    if file in repository.deploy_workflows or file in _deployed_files(root):
        workflow = repository.deploy_workflows.get(file, ".github/workflows")
        return Evidence("deploy-action", f"{workflow} hands it to amazon-ecs-deploy-task-definition", renders)
    where = _suffix_match(parts, repository.codedeploy)
    if where is not None:
        return Evidence("codedeploy", f"{where} names it as TaskDefinitionTemplatePath of CodeDeployToECS", renders)
    if repository.appspec is not None and (parts[-1] == "taskdef.json" or parts[-1] in repository.buildspec_names):
        basis = f"{repository.appspec} deploys it with CodeDeploy (an ECS TaskDefinition placeholder)"
        return Evidence("codedeploy", basis, renders)
    if renders:
        return Evidence(None, "", renders)
    return _NOTHING


def _suffix_match(parts: tuple[str, ...], named: tuple[tuple[tuple[str, ...], str], ...]) -> str | None:
    """The source naming a path that ``parts`` (a path in the repository) ends with."""
    for wanted, source in named:
        if wanted and len(wanted) <= len(parts) and parts[len(parts) - len(wanted) :] == wanted:
            return source
    return None


def _parts(value: str) -> tuple[str, ...]:
    """A path as written in a script or pipeline definition, as parts; () when it is not a plain path."""
    if not value or "$" in value or "{" in value or "*" in value or "\\" in value:
        return ()
    parts = tuple(part for part in PurePosixPath(value).parts if part not in (".", "/"))
    return () if ".." in parts else parts


@lru_cache(maxsize=64)
def _read_repository(root: Path) -> _Repository:
    cli: dict[Path, str] = {}
    cli_names: list[tuple[tuple[str, ...], str]] = []
    codedeploy: list[tuple[tuple[str, ...], str]] = []
    appspec: str | None = None
    buildspec_names: set[str] = set()
    renders: dict[Path, list[Render]] = {}
    deploy_workflows: dict[Path, str] = {}
    filled: list[tuple[tuple[str, ...], frozenset[str]]] = []
    assigned: list[tuple[tuple[str, ...], frozenset[str]]] = []
    templated: list[tuple[str, str]] = []
    ecspresso: dict[Path, tuple[str, bool]] = {}
    workflows: list[tuple[Path, str]] = []  # (workflow, its text): callers of a reusable workflow
    ecspresso_steps: list[tuple[str, str, object, bool]] = []  # (workflow, taskdef-path, its parsed data, partial)
    budget = _MAX_BYTES_READ
    for file, kind in _interesting_files(root):
        text = _read(file, _TF_NEEDED if file.suffix == ".tf" else _PIPELINE_NEEDED if kind == "pipeline" else None)
        if text is None:
            continue
        budget -= len(text)
        if budget < 0:
            break
        where = file.relative_to(root).as_posix()
        if kind in ("workflow", "script", "buildspec"):
            for value in _cli_registrations(text):
                parts = _parts(value)
                if not parts:
                    continue
                for base in (root, file.parent):
                    cli.setdefault((base / Path(*parts)).resolve(), where)
                cli_names.append((parts, where))
            filled += _sed_substitutions(text)
            assigned += _jq_assignments(text)
        if kind == "buildspec":
            buildspec_names.update(re.findall(r"[A-Za-z0-9_.-]+\.json", text))
        if kind == "appspec" and appspec is None and re.search(_APPSPEC_TASK, text):
            appspec = where
        if file.suffix == ".tf" and "template" in text:
            templated += _terraform_templates(text, file.parent.relative_to(root).as_posix(), where)
        if kind == "pipeline" and "CodeDeployToECS" in text:
            for match in re.finditer(_TEMPLATE_PATH, text):
                parts = _parts(match.group(1))
                if parts:
                    codedeploy.append((parts, where))
        if kind == "workflow":
            workflows.append((file, text))
            if "cloudposse/github-action-" in text:
                ecspresso_steps += _ecspresso_steps(text, where)
        if kind == "ecspresso" and "task_definition" in text:
            for match in re.finditer(_ECSPRESSO_TASK, text):
                value = match.group(1)  # relative to the configuration's folder (``..`` too)
                if _parts(value.replace("..", "up")):
                    configured = (file.parent / value).resolve()
                    ecspresso.setdefault(configured, (f"{where} names it as ecspresso's task_definition", False))
        if kind == "workflow" and (_RENDER_ACTION in text or _DEPLOY_ACTION in text):
            steps = _steps(text)
            if _DEPLOY_ACTION in text:
                for value in _task_definition_inputs(text, steps):
                    parts = _parts(value)
                    if parts:
                        deploy_workflows.setdefault((root / Path(*parts)).resolve(), where)
            for target, render in _render_steps(steps, where):
                parts = _parts(target)
                if parts:
                    renders.setdefault((root / Path(*parts)).resolve(), []).append(render)
    partial_unnamed = ""
    for where, value, data, partial in ecspresso_steps:
        named = [
            (root / Path(*parts)).resolve()
            for parts in map(_parts, _taskdef_paths(value, where, data, workflows))
            if parts
        ]
        for path in named:
            action = "merges it into a task definition template from S3 (use_partial_taskdefinition)"
            basis = f"{where} {action if partial else 'deploys it'} with cloudposse's ecspresso action"
            if partial or path not in ecspresso:
                ecspresso[path] = (basis, partial)
        if partial and not partial_unnamed and not any(path.is_file() for path in named):
            partial_unnamed = (
                f"{where} merges a file into a task definition template from S3 (use_partial_taskdefinition)"
                " with cloudposse's ecspresso action, and this file is written for ecspresso"
            )
    return _Repository(
        cli,
        tuple(cli_names),
        tuple(codedeploy),
        appspec,
        frozenset(buildspec_names),
        {file: tuple(found) for file, found in renders.items()},
        deploy_workflows,
        tuple(filled),
        tuple(assigned),
        tuple(templated),
        ecspresso,
        partial_unnamed,
    )


def _interesting_files(root: Path) -> list[tuple[Path, str]]:
    """The files of the repository that can say who registers a file, with their kind (bounded walk:
    at most ``_MAX_FILES`` entries, ``_MAX_DEPTH`` folders deep, in name order)."""
    found: list[tuple[Path, str]] = []
    seen = 0
    pending: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue
        in_workflows = depth[-2:] == (".github", "workflows")
        in_circleci = depth[-1:] == (".circleci",)
        in_ecspresso = bool(depth) and depth[-1] == ".ecspresso"
        below: list[tuple[str, tuple[str, ...]]] = []
        for entry in entries:
            name = entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_folder:
                if (
                    name not in _SKIPPED_FOLDERS
                    and (not name.startswith(".") or name in (".github", ".aws", ".circleci", ".ecspresso"))
                    and len(depth) < _MAX_DEPTH
                ):
                    below.append((entry.path, (*depth, name)))
                continue
            seen += 1
            if seen > _MAX_FILES:
                return found
            kind = _kind(name, in_workflows, in_circleci, in_ecspresso)
            if kind is not None:
                found.append((Path(entry.path), kind))
        pending.extend(reversed(below))  # depth first, in name order, as os.walk went
    return found


# Other CI systems' pipeline files, whose commands are shell lines (CircleCI's is .circleci/config.yml).
_CI_FILES = frozenset(
    {
        ".gitlab-ci.yml",
        ".gitlab-ci.yaml",
        "bitbucket-pipelines.yml",
        "bitbucket-pipelines.yaml",
        "azure-pipelines.yml",
        "azure-pipelines.yaml",
        "cloudbuild.yml",
        "cloudbuild.yaml",
        ".drone.yml",
        "taskfile.yml",
        "taskfile.yaml",
        "justfile",
    }
)


def _kind(name: str, in_workflows: bool, in_circleci: bool = False, in_ecspresso: bool = False) -> str | None:
    lower = name.lower()
    if not in_workflows and (in_ecspresso or lower.startswith("ecspresso")) and lower.endswith(_ECSPRESSO_SUFFIXES):
        return "ecspresso"  # an ecspresso configuration (its task_definition names a file)
    if in_workflows and lower.endswith((".yml", ".yaml")):
        return "workflow"
    if lower.startswith("buildspec") and lower.endswith((".yml", ".yaml")):
        return "buildspec"
    if lower in ("appspec.yml", "appspec.yaml", "appspec.json"):
        return "appspec"
    if lower.startswith("jenkinsfile") or lower in ("makefile", "gnumakefile") or lower.endswith((".sh", ".bash")):
        return "script"
    if lower in _CI_FILES or (in_circleci and lower in ("config.yml", "config.yaml")):
        return "script"  # another CI system's pipeline: its commands are read as a script's
    if lower.endswith(".tf"):
        return "pipeline"  # read only when it mentions CodeDeployToECS
    if lower.endswith((".yml", ".yaml", ".template", ".json")) and any(word in lower for word in _PIPELINE_WORDS):
        return "pipeline"  # a CloudFormation pipeline by its name: most JSON and YAML files are data
    return None


# What the name of a CloudFormation (or other YAML/JSON) pipeline definition holds: reading every
# JSON and YAML file of a repository on each start cost milliseconds for a consumer that changes
# little (a missed pipeline leaves the consumer unknown: warnings, never a false error).
_PIPELINE_WORDS = ("pipeline", "codedeploy", "deploy", "cfn", "cloudformation", "stack", "cicd")


_PIPELINE_NEEDED = (b"CodeDeployToECS",)
_TF_NEEDED = (b"CodeDeployToECS", b"templatefile(", b"template_file")


def _read(file: Path, needed: tuple[bytes, ...] | None = None) -> str | None:
    """The file's text; None when it is too big, unreadable, or (``needed``) holds none of those
    bytes: most of a repository's JSON and YAML files are no pipeline definitions, and are only
    searched."""
    try:
        with open(file, "rb") as handle:
            data = handle.read(_MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > _MAX_FILE_BYTES or (needed is not None and not any(word in data for word in needed)):
        return None
    return data.decode("utf-8", errors="replace")


def _command_lines(text: str, command: str) -> list[str]:
    """The lines of a script that run ``command`` (a pattern), each with its shell line
    continuations joined into it."""
    if not re.search(command, text):
        return []
    joined = re.sub(r"\\\r?\n", " ", text)
    return [line for line in joined.splitlines() if re.search(command, line)]


def _named_files(line: str, suffix: str = "") -> list[tuple[str, ...]]:
    """The parts of each JSON or YAML file (ending with ``suffix``) a command line names as a plain path."""
    return [
        parts
        for parts in (_parts(named) for named in re.findall(_NAMED_FILE, line))
        if parts and parts[-1].endswith(suffix)
    ]


def _cli_registrations(text: str) -> list[str]:
    """The files a script hands to ``register-task-definition`` with ``--cli-input-json file://...``."""
    return [found for line in _command_lines(text, _REGISTER) for found in re.findall(_CLI_INPUT, line)]


_SED = r"\bsed\b"
# One ``s`` command of a sed script: its delimiter, and the text it replaces.
_SED_COMMAND = r"""(?:^|[\s'";])s([|/#,:@!])((?:\\.|(?!\1).)+?)\1"""
_NAMED_FILE = r"""[A-Za-z0-9_./-]+\.(?:json|ya?ml)\b"""
# The placeholder forms a sed step fills in: <NAME>, ${NAME}, {{ NAME }}, #{NAME}, __NAME__, and a
# bare NAME written like a constant (ACCOUNT_ID).
_SED_TOKEN = (
    r"^(?:<([A-Za-z][A-Za-z0-9_.-]*)>|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"
    r"|#\{([A-Za-z_][A-Za-z0-9_]*)\}|__([A-Za-z][A-Za-z0-9_]*)__|([A-Z][A-Z0-9_]{2,}))$"
)


def _sed_substitutions(text: str) -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """(the parts of each JSON or YAML file a ``sed`` line names, the placeholder names it replaces).

    ``sed -e "s|<EXECUTION_ROLE_ARN>|$ROLE|g" -e 's/ACCOUNT_ID/'$ACCOUNT'/g' td.json > out.json``
    fills ``EXECUTION_ROLE_ARN`` and ``ACCOUNT_ID`` in td.json: they are known at deploy time, as a
    variable declared without a value is (docs/consumers.md).  A pattern that is a regular
    expression rather than a token is not a placeholder, and is left alone."""
    found: list[tuple[tuple[str, ...], frozenset[str]]] = []
    for line in _command_lines(text, _SED):
        names: set[str] = set()
        for match in re.finditer(_SED_COMMAND, line):
            pattern = re.sub(r"\\(\W)", r"\1", match.group(2))  # \< \. \$ ... written literally
            token = re.match(_SED_TOKEN, pattern)
            if token is not None:
                names.add(next(group for group in token.groups() if group))
        if names:
            found += [(parts, frozenset(names)) for parts in _named_files(line)]
    return found


_JQ = r"\bjq\b"
# An assignment of a jq filter to a plain path: .executionRoleArn = $role, .containerDefinitions[0].image = $i
# (an update, |=, keeps the member: not read)
_JQ_ASSIGNMENT = r"(?<![\w\]\)|])((?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[[0-9]+\])?)+)\s*=(?!=)"
# Filters whose paths are relative to something else (map(.image = $i)): not read.
_JQ_NESTED = r"\b(?:map|map_values|select|walk|with_entries|reduce|foreach|to_entries|paths)\b"


def _jq_assignments(text: str) -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """(the parts of each JSON file a ``jq`` line names, the pointers of the members it sets).

    ``jq --arg role "$ROLE" '.executionRoleArn = $role' td.json > out.json`` sets the execution
    role of td.json at deploy time: the member is a value known then, present whatever the file
    says.  Only plain paths (``.a.b[0].c``) are read; a filter that computes a path is not."""
    found: list[tuple[tuple[str, ...], frozenset[str]]] = []
    for line in _command_lines(text, _JQ):
        if re.search(_JQ_NESTED, line):
            continue
        pointers = frozenset(
            from_path(part for part in re.split(r"[.\[\]]+", path) if part) for path in re.findall(_JQ_ASSIGNMENT, line)
        )
        if pointers:
            found += [(parts, pointers) for parts in _named_files(line, ".json")]
    return found


def _load(text: str) -> object:
    """A workflow's data; None when it cannot be read."""
    from ecslint.readers.yamlio import safe_yaml

    try:
        data: object = safe_yaml().load(text)
    except Exception:  # a workflow ecslint cannot read says nothing
        return None
    return data


def _steps(text: str, data: object = None) -> list[dict[str, Any]]:
    """The steps of a workflow (each a mapping with ``uses``), their ``with`` inputs' ``${{ env.NAME }}``
    replaced from the workflow's, the job's and the step's ``env``; [] when it cannot be read."""
    if data is None:
        data = _load(text)
    steps: list[dict[str, Any]] = []
    _collect_steps(data, {}, steps, 0)
    return steps


def _ecspresso_steps(text: str, where: str) -> list[tuple[str, str, object, bool]]:
    """(workflow, taskdef-path, the workflow's data, partial) of each step of a workflow that runs
    cloudposse's deploy- or run-ecspresso action.  The step merges the file into the template from
    S3 when it gives both ``mirror_to_s3_bucket`` and ``use_partial_taskdefinition`` (the action's
    condition is that each is not empty, so ``'false'`` merges too; an expression may: taken as
    merging) and its release merges at all (a version tag older than the first that does, not)."""
    data = _load(text)
    found: list[tuple[str, str, object, bool]] = []
    for step in _steps(text, data):
        uses, inputs = step.get("uses"), step.get("with")
        if not isinstance(uses, str) or not isinstance(inputs, dict):
            continue
        action, _, ref = uses.strip().partition("@")
        since = _ECSPRESSO_ACTIONS.get(action.lower())
        value = inputs.get("taskdef-path")
        if since is None or not isinstance(value, str) or not value.strip():
            continue
        given = all(
            str(inputs.get(name) or "").strip() for name in ("mirror_to_s3_bucket", "use_partial_taskdefinition")
        )
        version = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", ref.strip())
        merges = version is None or tuple(int(part) for part in version.groups()) >= since
        found.append((where, value.strip(), data, given and merges))
    return found


def _taskdef_paths(value: str, where: str, data: object, workflows: list[tuple[Path, str]]) -> list[str]:
    """The paths a ``taskdef-path`` input can be: itself; for ``${{ inputs.NAME }}`` of a reusable
    workflow, the input's ``default`` and the values the repository's callers give it (``with:``)."""
    reference = re.match(_INPUT_REFERENCE, value)
    if reference is None:
        return [value]
    name = reference.group(1)
    found: list[str] = []
    trigger = data.get("on", data.get(True)) if isinstance(data, dict) else None  # YAML 1.1 reads on: as true
    call = trigger.get("workflow_call") if isinstance(trigger, dict) else None
    declared = call.get("inputs") if isinstance(call, dict) else None
    default = (
        declared.get(name, {}).get("default")
        if isinstance(declared, dict) and isinstance(declared.get(name), dict)
        else None
    )
    if isinstance(default, str):
        found.append(default)
    called = "/" + where  # callers write uses: ./.github/workflows/<file>
    for _, text in workflows:
        if where not in text:
            continue
        for job in _steps(text):
            uses, inputs = job.get("uses"), job.get("with")
            if isinstance(uses, str) and uses.strip().split("@")[0].endswith(called) and isinstance(inputs, dict):
                given = inputs.get(name)
                if isinstance(given, str) and "${{" not in given:
                    found.append(given.strip())
    return found


def _task_definition_inputs(text: str, steps: list[dict[str, Any]]) -> list[str]:
    """The ``task-definition`` inputs of a workflow's steps (as text when it cannot be parsed)."""
    if not steps:
        return re.findall(r"task-definition:[ \t]*[\"']?([^\"'#\s]+)", text)
    found: list[str] = []
    for step in steps:
        inputs = step.get("with")
        value = inputs.get("task-definition") if isinstance(inputs, dict) else None
        if isinstance(value, str):
            found.append(value.strip())
    return found


def _render_steps(steps: list[dict[str, Any]], where: str) -> list[tuple[str, Render]]:
    """(task-definition input, what it renders) for each render step of a workflow."""
    files_of: dict[str, str] = {}  # step id -> the file it renders (for chained steps)
    found: list[tuple[str, Render]] = []
    for step in steps:
        uses, inputs = step.get("uses"), step.get("with")
        if not isinstance(uses, str) or _RENDER_ACTION not in uses or not isinstance(inputs, dict):
            continue
        target = inputs.get("task-definition")
        if not isinstance(target, str):
            continue
        target = target.strip()
        chained = re.match(_STEP_OUTPUT, target)
        if chained is not None:
            if chained.group(1) not in files_of:
                continue
            target = files_of[chained.group(1)]
        if isinstance(step.get("id"), str):
            files_of[step["id"]] = target
        containers = inputs.get("container-name")
        if not isinstance(containers, str):
            continue
        given = {name: str(inputs[name]) for name in RENDER_INPUTS if inputs.get(name) not in (None, "")}
        if "${{" in containers:  # a secret or an input: the engine takes the container it can only be
            found.append((target, Render(containers.strip(), given, where)))
            continue
        for container in containers.split(","):
            if container.strip():
                found.append((target, Render(container.strip(), given, where)))
    return found


_ENV_REFERENCE = r"\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"


def _collect_steps(node: object, env: dict[str, str], steps: list[dict[str, Any]], depth: int) -> None:
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            _collect_steps(item, env, steps, depth + 1)
        return
    if not isinstance(node, dict):
        return
    own = node.get("env")
    if isinstance(own, dict):  # a workflow's, job's or step's env: seen by what it holds
        env = {**env, **{str(k): str(v) for k, v in own.items() if isinstance(v, str | int | float)}}
    if isinstance(node.get("uses"), str):
        inputs = node.get("with")
        if isinstance(inputs, dict):
            node = {**node, "with": {k: _resolved(v, env) for k, v in inputs.items()}}
        steps.append(node)
        return
    for key, value in node.items():
        if key != "env":
            _collect_steps(value, env, steps, depth + 1)


def _resolved(value: object, env: dict[str, str]) -> object:
    """``value`` with each ``${{ env.NAME }}`` the env defines replaced by its value."""
    if not isinstance(value, str) or "${{" not in value:
        return value
    return re.sub(_ENV_REFERENCE, lambda match: env.get(match.group(1), match.group(0)), value)


# The first argument of templatefile(), and the file() a template_file data source reads: a string
# literal, which may hold interpolations (``"${path.module}/containers.json"``).
_TERRAFORM_TEMPLATE = (
    r'\btemplatefile\(\s*"((?:[^"\\\n]|\\.)*)"'
    r'|\btemplate\s*=\s*file\(\s*"((?:[^"\\\n]|\\.)*)"'
)
_PATH_PREFIX = r"\$\{path\.(?:module|root|cwd)\}/*"
_INTERPOLATION = r"\$\{[^}]*\}"


def _terraform_templates(text: str, folder: str, where: str) -> list[tuple[str, str]]:
    """(pattern of each repository path a .tf file in ``folder`` renders as a template, ``where``).

    ``${path.module}`` is the .tf file's folder (``path.root`` and ``path.cwd`` are taken as the same,
    the usual case); any other interpolation (``${var.env}``) stands for any text within one name."""
    found: list[tuple[str, str]] = []
    for match in re.finditer(_TERRAFORM_TEMPLATE, text):
        written = match.group(1) if match.group(1) is not None else match.group(2)
        written = re.sub(f"^{_PATH_PREFIX}", "", written)
        if not written or written.startswith("/"):
            continue  # an absolute path is outside the repository
        pieces = re.split(_INTERPOLATION, written)
        joined = posixpath.normpath(posixpath.join(folder, "\0".join(pieces)))
        if joined.startswith(".."):
            continue
        found.append(("[^/]*".join(re.escape(piece) for piece in joined.split("\0")), where))
    return found
