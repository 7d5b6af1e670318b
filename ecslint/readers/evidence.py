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
  what it lacks, the template may bring (``partial``; docs/consumers.md, docs/facts.md 27);
- a ``sed``, ``envsubst`` or ``jq`` line of a script, workflow or buildspec naming the file: the
  placeholders it fills (``filled``), the members it sets (``assigned``) or deletes
  (``deleted``).  A file argument written with variables (``$TASKDEF``) is read where the
  script, Makefile, buildspec or workflow gives them a literal value (``_script_lines``).

Nothing here is read for a file outside a git repository beyond finding that it is outside one.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from collections.abc import Callable, Iterator
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
    filled: frozenset[str] = frozenset()  # placeholder names a sed or envsubst step of the repository replaces in it
    # JSON pointers of the members a jq step of the repository sets; a part EVERY stands for each
    # item of a list, NAMED + name for the item of that name (select(.name == "app"))
    assigned: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()  # JSON pointers of the members a jq step deletes (del(...))
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
    deleted: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()  # (file parts a jq names, what it deletes)


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
    deleted = _named(parts, repository.deleted)
    if _EVERY_VARIABLE in filled:  # an envsubst without SHELL-FORMAT: each variable the file holds
        filled = (filled - {_EVERY_VARIABLE}) | _variables_in(file)
    if filled or assigned or deleted:
        found = found._replace(filled=filled, assigned=assigned, deleted=deleted)
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
    deleted: list[tuple[tuple[str, ...], frozenset[str]]] = []
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
            flavour = "make" if file.name.lower() in ("makefile", "gnumakefile") else kind
            for value in _cli_registrations(text, flavour):
                parts = _parts(value)
                if not parts:
                    continue
                for base in (root, file.parent):
                    cli.setdefault((base / Path(*parts)).resolve(), where)
                cli_names.append((parts, where))
            assigned += _cli_options(text, flavour)
            filled += _sed_substitutions(text, flavour)
            filled += _envsubst_substitutions(text, flavour)
            for parts, (set_by_jq, deleted_by_jq) in _jq_edits(text, flavour):
                assigned += [(parts, set_by_jq)] if set_by_jq else []
                deleted += [(parts, deleted_by_jq)] if deleted_by_jq else []
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
        tuple(deleted),
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


def _command_lines(text: str, command: str, kind: str = "script") -> list[str]:
    """The lines of a script that run ``command`` (a pattern), each with its shell line
    continuations joined into it and the variables naming its files replaced (``_script_lines``)."""
    if not re.search(command, text):
        return []
    return [line for line in _script_lines(text, kind) if re.search(command, line)]


# The commands whose file arguments are read; a variable is looked up only on their lines.
_COMMANDS = r"register-task-definition\b|\bsed\b|\bjq\b|\benvsubst\b"
# A variable reference: ${NAME} or $NAME in a shell; $(NAME) or ${NAME} in a Makefile.
_VARIABLE = r"(?<![$\\])\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"
_MAKE_VARIABLE = r"(?<![$\\])\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|\(([A-Za-z_][A-Za-z0-9_]*)\))"
# A word of a command line that holds a variable and can name a file ($TASKDEF, ${DIR}/td.json,
# file://$OUT): a whole word, so the text of a sed script (s!<CPU>!${CPU}!g) is never one.
_FILE_WORD = (
    r"""(?<![^\s"'<>=|;(&])((?:[A-Za-z0-9_.~/@:+-]|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)"""
    r"""|\$[A-Za-z_][A-Za-z0-9_]*)+)(?=[\s"'<>|;)&]|$)"""
)
# NAME=value, export NAME=value (a line of a script, a run block or a buildspec's command list).
_SHELL_ASSIGNMENT = r"^\s*(?:-\s+)?(?:export\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$"
# VAR = value, VAR := value, VAR ?= value (a Makefile's variable, not a recipe line).
_MAKE_ASSIGNMENT = r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:\?|::?)?=[ \t]*(.*)$"
# A value that is one word: a literal path, maybe quoted, maybe built of other variables.
_ONE_WORD = (
    r"""^(?:"([^"`\\]*)"|'([^']*)'|((?:[^\s"'`;&|()<>#$]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([A-Za-z_][A-Za-z0-9_]*\))*))"""
    r"""\s*;?\s*(?:#.*)?$"""
)
_MAX_JOINED = 20  # lines a quoted jq program may span


def _comment(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("#", "//")) or stripped.startswith("- #")


def _quotes_joined(lines: list[str]) -> list[str]:
    """``lines`` with a jq program in single quotes that spans lines joined into its ``jq`` line
    (at most ``_MAX_JOINED`` lines)."""
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        call = re.search(_JQ, line)
        if call is not None and line[call.end() :].count("'") % 2 and not _comment(line):
            end = min(index + _MAX_JOINED, len(lines))
            while index < end and line.count("'") % 2:
                line += " " + lines[index].strip()
                index += 1
        joined.append(line)
    return joined


@lru_cache(maxsize=8)
def _script_lines(text: str, kind: str) -> tuple[str, ...]:
    """The lines of a script, workflow, buildspec or Makefile (``kind``: "make"), comment lines
    left out, each with its shell line continuations (and a quoted jq program's line breaks)
    joined into it, and each variable in a word of a command's arguments (``$TASKDEF``,
    ``${DIR}/td.json``) replaced by its value where the file gives it as a literal: an assignment
    earlier in the same script or run block, a Makefile variable, a buildspec's ``env:
    variables:``, the ``env:`` of a workflow, of the job and of the step that runs it.  A word
    with a variable that has no such value is left as it is, and names no file."""
    lines = _plain_lines(text)
    if "$" not in text:
        return tuple(lines)
    # the YAML is parsed (some milliseconds) only when a command names a file with a variable
    needed = kind in ("workflow", "buildspec") and any(
        "$" in line
        and re.search(_COMMANDS, line)
        and ("${{" in line or any("$" in word for word in re.findall(_FILE_WORD, line)))
        for line in lines
    )
    if needed and kind == "workflow":
        runs = _runs(text)
        if runs is not None:  # each run block with its step's env, a shell of its own
            return tuple(line for run, env in runs for line in _resolved_lines(_plain_lines(run), "script", env))
    return tuple(_resolved_lines(lines, kind, _yaml_env(text) if needed and kind == "buildspec" else {}))


def _plain_lines(text: str) -> list[str]:
    lines = re.sub(r"\\\r?\n", " ", text).splitlines()
    return [line for line in _quotes_joined(_folded_joined(lines)) if not _comment(line)]


# A YAML folded block scalar's first line (``- >``, ``script: >-``): a CI file's command written
# over several lines, which YAML joins with spaces.
_FOLDED_START = r"^(\s*)(?:-\s+|[A-Za-z0-9_.-]+:\s+)?>[-+]?\s*$"


def _folded_joined(lines: list[str]) -> list[str]:
    """``lines`` with each folded block scalar's lines joined into one, as YAML reads it."""
    if not any(line.rstrip().endswith((">", ">-", ">+")) for line in lines):
        return lines
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        start = re.match(_FOLDED_START, line)
        index += 1
        if start is None:
            joined.append(line)
            continue
        indent = len(start.group(1))
        block: list[str] = []
        while index < len(lines) and (
            not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent
        ):
            block.append(lines[index].strip())
            index += 1
        joined.append(line.rstrip()[: line.rstrip().rfind(">")] + " ".join(part for part in block if part))
    return joined


def _resolved_lines(lines: list[str], kind: str, outer: dict[str, str | None]) -> list[str]:
    """``lines`` with the variables of their commands' file words replaced (``_script_lines``);
    ``outer``: the values the script starts with (its env)."""
    make = kind == "make"
    reference = _MAKE_VARIABLE if make else _VARIABLE
    values: dict[str, str | None] = dict(outer)
    assignment = _MAKE_ASSIGNMENT if make else _SHELL_ASSIGNMENT
    if make:  # a Makefile's variables hold wherever they are set
        for line in lines:
            assigned = re.match(assignment, line)
            if assigned is not None:
                values[assigned.group(1)] = _literal(assigned.group(2).strip(), reference, values.get)
    found: list[str] = []
    for line in lines:
        if kind == "workflow" and re.match(r"\s*(?:-\s+)?run:", line):
            values = dict(outer)  # each step's run block is a shell of its own
        if not make:
            assigned = re.match(assignment, line)
            if assigned is not None:
                values[assigned.group(1)] = _literal(assigned.group(2).strip(), reference, values.get)
        if "$" in line and re.search(_COMMANDS, line):
            line = re.sub(_FILE_WORD, functools.partial(_file_word, reference=reference, value_of=values.get), line)
        found.append(line)
    return found


def _file_word(word: re.Match[str], reference: str, value_of: Any) -> str:
    return _expanded(word.group(1), reference, value_of) or word.group(1)


def _literal(value: str, reference: str, value_of: Any) -> str | None:
    """An assigned value that is one literal word (its variables replaced by theirs); None for
    anything else (a command substitution, a variable without a known value, several words)."""
    word = re.match(_ONE_WORD, value)
    if word is None:
        return None
    if word.group(2) is not None:
        return word.group(2)  # single quotes: taken as written
    return _expanded(word.group(1) if word.group(1) is not None else word.group(3), reference, value_of)


def _expanded(text: str, reference: str, value_of: Any) -> str | None:
    """``text`` with each variable replaced by its value; None when one of them has none."""
    if "$" not in text:
        return text
    if (reference == _VARIABLE and "$(" in text) or "`" in text:
        return None
    unknown = False

    def value(match: re.Match[str]) -> str:
        nonlocal unknown
        found = value_of(match.group(1) or match.group(2))
        if found is None:
            unknown = True
            return ""
        return str(found)

    expanded = re.sub(reference, value, text)
    return None if unknown or "$" in expanded else expanded


def _yaml_env(text: str) -> dict[str, str | None]:
    """The variables a buildspec's ``env: variables:`` give as literals."""
    data = _yaml(text)
    env = data.get("env") if isinstance(data, dict) else None
    variables = env.get("variables") if isinstance(env, dict) else None
    return _env_literals({}, variables) if isinstance(variables, dict) else {}


def _env_literals(env: dict[str, str | None], own: dict[Any, Any]) -> dict[str, str | None]:
    """``env`` with the variables of an ``env`` mapping added: a literal value, or None (a value
    GitHub or CodeBuild computes, ``${{ secrets.X }}``, is not known here)."""
    found = dict(env)
    for name, given in own.items():
        literal = str(given) if isinstance(given, str | int | float) and not isinstance(given, bool) else None
        if literal is not None and "${{" in literal:
            literal = str(_resolved(literal, {k: v for k, v in env.items() if v is not None}))
        found[str(name)] = literal if literal is not None and "$" not in literal and literal.strip() else None
    return found


def _runs(text: str) -> list[tuple[str, dict[str, str | None]]] | None:
    """Each ``run`` block of a workflow with the env its step sees (the workflow's, the job's and
    the step's ``env``), its ``${{ env.NAME }}`` replaced; None when the workflow cannot be read."""
    data = _yaml(text)
    if not isinstance(data, dict):
        return None
    runs: list[tuple[str, dict[str, str | None]]] = []
    for node, env in _with_env(data, "run", _env_literals):
        known = {name: value for name, value in env.items() if value is not None}
        runs.append((str(_resolved(node["run"], known)), env))
    return runs


def _with_env(
    node: object, key: str, merge: Callable[[Any, dict[Any, Any]], Any], env: Any = None, depth: int = 0
) -> Iterator[tuple[dict[str, Any], Any]]:
    """Each mapping of a workflow whose ``key`` (a step's ``run`` or ``uses``) is text, with the env
    it sees: the workflow's, the job's and the step's ``env``, each ``merge``d into the env above it."""
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            yield from _with_env(item, key, merge, env, depth + 1)
        return
    if not isinstance(node, dict):
        return
    env = {} if env is None else env
    own = node.get("env")
    if isinstance(own, dict):  # a workflow's, job's or step's env: seen by what it holds
        env = merge(env, own)
    if isinstance(node.get(key), str):
        yield node, env
        return
    for name, value in node.items():
        if name != "env":
            yield from _with_env(value, key, merge, env, depth + 1)


@lru_cache(maxsize=4)
def _yaml(text: str) -> Any:
    """A workflow or buildspec, parsed; None when it cannot be (it then says nothing)."""
    from ecslint.readers.yamlio import safe_yaml

    try:
        return safe_yaml().load(text)
    except Exception:  # a file ecslint cannot read says nothing
        return None


def _named_files(line: str, suffix: str = "") -> list[tuple[str, ...]]:
    """The parts of each JSON or YAML file (ending with ``suffix``) a command line names as a plain path."""
    return [
        parts
        for parts in (_parts(named) for named in re.findall(_NAMED_FILE, line))
        if parts and parts[-1].endswith(suffix)
    ]


def _cli_registrations(text: str, kind: str = "script") -> list[str]:
    """The files a script hands to ``register-task-definition`` with ``--cli-input-json file://...``."""
    return [found for line in _command_lines(text, _REGISTER, kind) for found in re.findall(_CLI_INPUT, line)]


# register-task-definition's own options, which the AWS CLI sets over what --cli-input-json gives.
_CLI_MEMBERS = {
    "family": "/family",
    "task-role-arn": "/taskRoleArn",
    "execution-role-arn": "/executionRoleArn",
    "network-mode": "/networkMode",
    "cpu": "/cpu",
    "memory": "/memory",
    "requires-compatibilities": "/requiresCompatibilities",
    "container-definitions": "/containerDefinitions",
    "volumes": "/volumes",
    "placement-constraints": "/placementConstraints",
    "tags": "/tags",
    "pid-mode": "/pidMode",
    "ipc-mode": "/ipcMode",
    "proxy-configuration": "/proxyConfiguration",
    "ephemeral-storage": "/ephemeralStorage",
    "runtime-platform": "/runtimePlatform",
}
_CLI_OPTION = r"(?<![\w-])--([a-z-]+)(?=[ \t=])"


def _cli_options(text: str, kind: str = "script") -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """(the parts of each file a ``register-task-definition`` line reads with ``--cli-input-json``,
    the pointers of the members its own options give): ``--family "$NAME"`` next to
    ``--cli-input-json file://td.json`` registers td.json with that family, whatever the file says."""
    found: list[tuple[tuple[str, ...], frozenset[str]]] = []
    for line in _command_lines(text, _REGISTER, kind):
        members = frozenset(_CLI_MEMBERS[name] for name in re.findall(_CLI_OPTION, line) if name in _CLI_MEMBERS)
        if not members:
            continue
        for value in re.findall(_CLI_INPUT, line):
            parts = _parts(value)
            if parts:
                found.append((parts, members))
    return found


_SED = r"\bsed\b"
# One ``s`` command of a sed script: its delimiter, and the text it replaces.
_SED_COMMAND = r"""(?:^|[\s'";])s([|/#,:@!])((?:\\.|(?!\1).)+?)\1"""
# A whole word (not the end of $DIR/td.json or ${DIR}/td.json, whose folder is not known).
_NAMED_FILE = r"""(?:(?<![^\s"'<>=|;(&])|(?<=file://))[A-Za-z0-9_./-]+\.(?:json|ya?ml)(?![\w./${}-])"""
# The placeholder forms a sed step fills in: <NAME>, ${NAME}, {{ NAME }}, #{NAME}, __NAME__, @NAME@,
# %NAME%, and a bare NAME written like a constant (ACCOUNT_ID).
_SED_TOKEN = (
    r"^(?:<([A-Za-z][A-Za-z0-9_.-]*)>|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"
    r"|#\{([A-Za-z_][A-Za-z0-9_]*)\}|__([A-Za-z][A-Za-z0-9_]*)__|@([A-Z][A-Z0-9_]*)@|%([A-Z][A-Z0-9_]*)%"
    r"|([A-Z][A-Z0-9_]{2,}))$"
)


def _sed_substitutions(text: str, kind: str = "script") -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """(the parts of each JSON or YAML file a ``sed`` line names, the placeholder names it replaces).

    ``sed -e "s|<EXECUTION_ROLE_ARN>|$ROLE|g" -e 's/ACCOUNT_ID/'$ACCOUNT'/g' td.json > out.json``
    fills ``EXECUTION_ROLE_ARN`` and ``ACCOUNT_ID`` in td.json: they are known at deploy time, as a
    variable declared without a value is (docs/consumers.md).  A pattern that is a regular
    expression rather than a token is not a placeholder, and is left alone."""
    found: list[tuple[tuple[str, ...], frozenset[str]]] = []
    for line in _command_lines(text, _SED, kind):
        names: set[str] = set()
        for match in re.finditer(_SED_COMMAND, line):
            pattern = re.sub(r"\\(\W)", r"\1", match.group(2))  # \< \. \$ ... written literally
            token = re.match(_SED_TOKEN, pattern)
            if token is not None:
                names.add(next(group for group in token.groups() if group))
        if names:
            found += [(parts, frozenset(names)) for parts in _named_files(line)]
    return found


_ENVSUBST = r"\benvsubst\b"
# envsubst's arguments: its options, then its SHELL-FORMAT if it has one (GNU gettext manual: only
# the variables SHELL-FORMAT names are replaced, all of them without it; docs/facts.md 31).
_ENVSUBST_CALL = r"""\benvsubst\b((?:[ \t]+-[-A-Za-z]+)*)(?:[ \t]+('[^']*'|"[^"]*"|[^\s<>|;&]+))?"""
_SHELL_FORMAT_NAME = r"\$\{?([A-Za-z_][A-Za-z0-9_]*)"
_ENVSUBST_REFERENCE = r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"
_EVERY_VARIABLE = "$"  # in what an envsubst fills: each variable of the file (no name is "$")


def _envsubst_substitutions(text: str, kind: str = "script") -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """(the parts of each JSON or YAML file an ``envsubst`` pipeline names, the variables it replaces).

    ``envsubst < td.json > out.json`` (also ``cat td.json | envsubst | tee out.json``) replaces
    every ``${NAME}`` and ``$NAME`` of td.json (``_EVERY_VARIABLE``); ``envsubst '${IMAGE} $TAG'``
    only those its SHELL-FORMAT names.  A SHELL-FORMAT the shell expands first (``"$VARS"``) is
    not known, and the pipeline says nothing."""
    found: list[tuple[tuple[str, ...], frozenset[str]]] = []
    for line in _command_lines(text, _ENVSUBST, kind):
        for command in re.split(r"&&|\|\||;", line):  # each pipeline of the line
            call = re.search(_ENVSUBST_CALL, command)
            if call is None or re.search(r"(?:^|\s)(?:-[A-Za-z]*[vhV]|--(?:variables|help|version))\b", call.group(1)):
                continue  # --variables lists the names and replaces nothing
            shell_format = call.group(2)
            if shell_format is None:
                names = {_EVERY_VARIABLE}
            elif shell_format.startswith("'"):
                names = set(re.findall(_SHELL_FORMAT_NAME, shell_format))
            elif shell_format.startswith('"') and not re.search(r"(?<!\\)\$", shell_format):
                names = set(re.findall(r"\\" + _SHELL_FORMAT_NAME, shell_format))
            else:
                continue  # expanded by the shell before envsubst sees it: not known
            if names:
                found += [(parts, frozenset(names)) for parts in _named_files(command)]
    return found


def _variables_in(file: Path) -> frozenset[str]:
    """The names of the ``${NAME}`` and ``$NAME`` references of a file, as envsubst finds them."""
    text = _read(file)
    if text is None or "$" not in text:
        return frozenset()
    return frozenset(braced or bare for braced, bare in re.findall(_ENVSUBST_REFERENCE, text))


_JQ = r"\bjq\b"
# Parts of the pointers a jq step edits, beside member names and indexes: each item of a list
# (.containerDefinitions[], map(...)), and the item of a name (select(.name == "app")).
EVERY = "*"
NAMED = "*name="
# Options that take arguments, and those that make the input something else than the file
# (--null-input, --slurp) or the program something ecslint does not see (--from-file).
_JQ_TWO_ARGUMENTS = frozenset({"--arg", "--argjson", "--slurpfile", "--rawfile"})
_JQ_ONE_ARGUMENT = frozenset({"--indent"})
_JQ_UNREAD = frozenset({"--null-input", "--slurp", "--from-file", "--args", "--jsonargs", "--stream", "--seq"})
# One step of a plain path: .name, ."name", [0], [], ["name"]
_JQ_PATH_STEP = (
    r"""\s*(?:\.([A-Za-z_][A-Za-z0-9_]*)|\."((?:[^"\\]|\\.)*)"|\.?\[\s*([0-9]+)\s*\]|\.?\[\s*\]"""
    r"""|\.?\[\s*"((?:[^"\\]|\\.)*)"\s*\])"""
)
_JQ_SELECT_NAME = r"""^select\(\s*\.name\s*==\s*"([A-Za-z0-9_-]+)"\s*\)$"""
_JQ_IF_NAME = r"""^if\s+\.name\s*==\s*"([A-Za-z0-9_-]+)"\s+then\s+(.+?)\s+else\s+\.\s+end$"""
_JQ_VALUE = r"""^(?:\$[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?)$"""

_SHELL_OPERATORS = frozenset("|;&<>()")

Edits = tuple[frozenset[str], frozenset[str]]  # (pointers set, pointers deleted)


def _jq_edits(text: str, kind: str = "script") -> list[tuple[tuple[str, ...], Edits]]:
    """(the parts of each JSON file a ``jq`` line names, the members its program sets and deletes).

    ``jq --arg role "$ROLE" '.executionRoleArn = $role' td.json > out.json`` sets the execution
    role of td.json at deploy time: the member is a value known then, present whatever the file
    says.  ``del(.revision, .status)`` deletes members, which never reach AWS.  A program is read
    only when each of its steps is one of: an assignment to a path (``.a.b[0].c = $x``, an update
    ``|=`` to a variable or a literal), an update of each item of a list
    (``.containerDefinitions[] |= (.image = $x)``, ``|= map(...)``) or of the item of a name
    (``select(.name == "app")``), ``del(path, ...)``, and ``.taskDefinition`` first (describe
    output).  A line with any other jq program says nothing: no evidence is no evidence."""
    found: list[tuple[tuple[str, ...], Edits]] = []
    for line in _command_lines(text, _JQ, kind):
        set_on_line: set[str] = set()
        deleted_on_line: set[str] = set()
        readable = True
        for call in re.finditer(_JQ, line):
            program = _jq_program_of(line[call.end() :])
            if program == "":
                continue  # no program: jq installed or looked for, not run on a file
            edits = _jq_program(program, ()) if program is not None else None
            if edits is None:
                readable = False
                break
            set_on_line.update(edits[0])
            deleted_on_line.update(edits[1])
        if readable and (set_on_line or deleted_on_line):
            edits = (frozenset(set_on_line), frozenset(deleted_on_line))
            found += [(parts, edits) for parts in _named_files(line, ".json")]
    return found


def _jq_program_of(arguments: str) -> str | None:
    """The program of a jq command (its first argument that is no option); "" when it has none,
    None when it is not read (from a file, on null or slurped input, or the words cannot be split)."""
    import shlex

    lexer = shlex.shlex(arguments, posix=True, punctuation_chars="".join(sorted(_SHELL_OPERATORS)))
    lexer.whitespace_split = True
    try:
        words = list(lexer)
    except ValueError:  # an unclosed quote
        return None
    index = 0
    while index < len(words):
        word = words[index]
        if set(word) <= _SHELL_OPERATORS:
            return ""  # the end of the jq command
        if word in _JQ_TWO_ARGUMENTS:
            index += 3
        elif word in _JQ_ONE_ARGUMENT:
            index += 2
        elif word in _JQ_UNREAD or (re.match(r"^-[A-Za-z]+$", word) and set(word[1:]) & set("nfs")):
            return None
        elif word.startswith("-") and len(word) > 1:
            index += 1
        else:
            return word
    return ""


def _jq_program(program: str, base: tuple[str, ...]) -> Edits | None:
    """What a jq program, applied at ``base``, sets and deletes; None when it does anything else."""
    terms = _jq_split(program, "|")
    if terms is None:
        return None
    set_here: set[str] = set()
    deleted_here: set[str] = set()
    for index, term in enumerate(terms):
        term = term.strip()
        if term == ".":
            continue
        if index == 0 and not base and term == ".taskDefinition":
            base = ("taskDefinition",)  # the describe output's task definition: what follows edits it
            continue
        edits = _jq_term(term, base)
        if edits is None:
            return None
        set_here.update(edits[0])
        deleted_here.update(edits[1])
    return frozenset(set_here), frozenset(deleted_here)


def _jq_term(term: str, base: tuple[str, ...]) -> Edits | None:
    if term.startswith("(") and term.endswith(")") and _jq_split(term[1:-1], "|") is not None:
        return _jq_program(term[1:-1], base)
    call = re.match(r"^(del|map)\s*\((.*)\)$", term, re.DOTALL)
    if call is not None and _jq_split(call.group(2), ",") is not None:
        if call.group(1) == "map":
            return _jq_program(call.group(2), (*base, EVERY))
        paths = [_jq_path(path) for path in _jq_split(call.group(2), ",") or []]
        if not paths or any(path is None for path in paths):
            return None
        return frozenset(), frozenset(_jq_pointer((*base, *path)) for path in paths if path is not None)
    named = re.match(_JQ_IF_NAME, term, re.DOTALL)
    if named is not None and base and base[-1] == EVERY:
        return _jq_program(named.group(2), (*base[:-1], NAMED + named.group(1)))
    operator = _jq_assignment(term)
    if operator is None:
        return None
    left, update, right = operator
    path = _jq_left(left)
    if path is None:
        return None
    at = (*base, *path)
    if re.match(_JQ_VALUE, right) or (not update and right != "null"):
        return frozenset({_jq_pointer(at)}), frozenset()
    return _jq_program(right, at) if update else None


def _jq_left(text: str) -> tuple[str, ...] | None:
    """The path an assignment sets: a plain path, or ``(.list[] | select(.name == "x") | .path)``."""
    text = text.strip()
    if not (text.startswith("(") and text.endswith(")")):
        return _jq_path(text)
    terms = [term.strip() for term in _jq_split(text[1:-1], "|") or []]
    if len(terms) not in (2, 3):
        return None
    items, select = _jq_path(terms[0]), re.match(_JQ_SELECT_NAME, terms[1])
    rest = _jq_path(terms[2]) if len(terms) == 3 else ()
    if items is None or not items or items[-1] != EVERY or select is None or rest is None:
        return None
    return (*items[:-1], NAMED + select.group(1), *rest)


def _jq_path(text: str) -> tuple[str, ...] | None:
    """The parts of a plain jq path (``.a."b-c"[0][]``; ``[]`` is EVERY); None when it is no path."""
    text = text.strip()
    if text == ".":
        return ()
    parts: list[str] = []
    at = 0
    while at < len(text):
        step = re.compile(_JQ_PATH_STEP).match(text, at)
        if step is None or step.end() == at:
            return None
        name, quoted, index, key = step.groups()
        parts.append(next((part for part in (name, quoted, index, key) if part is not None), EVERY))
        at = step.end()
    return tuple(parts) if parts else None


def _jq_pointer(parts: tuple[str, ...]) -> str:
    """The pointer of a path in the file (``/taskDefinition/...`` in describe output: the engine
    applies it to the task definition there, readers/document.py's ``base``)."""
    return from_path(parts)


def _jq_assignment(term: str) -> tuple[str, bool, str] | None:
    """(left side, whether it is an update ``|=``, right side) of a top-level assignment."""
    depth, quoted, at = 0, False, 0
    while at < len(term):
        char = term[at]
        if quoted:
            at += 2 if char == "\\" else 1
            quoted = quoted and char != '"'
            continue
        if char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "=" and depth == 0:
            before, after = term[at - 1 : at], term[at + 1 : at + 2]
            if after == "=" or before in ("=", "!", "<", ">"):
                at += 2 if after == "=" else 1
                continue
            if before in ("+", "-", "*", "/", "%"):
                return None  # an arithmetic update: the value comes from the old one
            left = term[: at - 1] if before == "|" else term[:at]
            return left, before == "|", term[at + 1 :].strip()
        at += 1
    return None


def _jq_split(text: str, separator: str) -> list[str] | None:
    """``text`` split at each top-level ``separator`` (``|`` not of ``|=``, or ``,``); None when its
    brackets or strings do not close."""
    pieces: list[str] = []
    depth, quoted, start, at = 0, False, 0, 0
    while at < len(text):
        char = text[at]
        if quoted:
            if char == "\\":
                at += 2
                continue
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif char == separator and depth == 0 and text[at + 1 : at + 2] != "=":
            pieces.append(text[start:at])
            start = at + 1
        at += 1
    if depth or quoted:
        return None
    pieces.append(text[start:])
    return pieces


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
        data = _yaml(text)
    steps: list[dict[str, Any]] = []
    for node, env in _with_env(data, "uses", _env_strings):
        inputs = node.get("with")
        steps.append(
            {**node, "with": {k: _resolved(v, env) for k, v in inputs.items()}} if isinstance(inputs, dict) else node
        )
    return steps


def _env_strings(env: dict[str, str], own: dict[Any, Any]) -> dict[str, str]:
    """``env`` with each scalar of an ``env`` mapping added, as text."""
    return {**env, **{str(k): str(v) for k, v in own.items() if isinstance(v, str | int | float)}}


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
