"""The engine: runs the layers on each file and turns violations into findings.

    bytes -> syntax -> Document(s) -> schema -> rules -> Findings

Each layer speaks in pointers and rule ids; here they meet the catalogue (severity,
message, hint) and the locator (line and column).  A check that crashes becomes an
internal error naming the rule and the file; the other checks still run.  A crash anywhere
else while checking a file (reading its syntax, locating a finding) becomes an internal error
of that file alone, so the other files of a run keep their findings.  Last, the
configuration's per-file ignores and the file's own suppressions drop findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from ecslint import checks
from ecslint.catalogue.entries import UNKNOWN_CONSUMER, Catalogue, Rule
from ecslint.checks.registry import AccountCheckFunction, Trigger, UsageCheckFunction
from ecslint.config.suppressions import Suppression, from_comments, from_tags, from_terraform_tags
from ecslint.core.errors import RuleFileError
from ecslint.core.model import (
    JSON,
    Finding,
    Fix,
    Occurrence,
    Place,
    Position,
    Replacement,
    Span,
    ValueEdit,
    Violation,
)
from ecslint.core.pointer import from_path, resolve, split
from ecslint.core.taskdef import TaskDef, is_unknown
from ecslint.readers.document import Document, ParsedFile
from ecslint.readers.locate import TextIndex
from ecslint.readers.sources import REQUEST_KEYS, TEMPLATE, documents, mentions_task_definition, parse
from ecslint.readers.syntax import Located, line_ranges

if TYPE_CHECKING:
    from ecslint.core.account import Account
    from ecslint.readers.evidence import Render
    from ecslint.readers.variables import Substituter

NOT_A_TASK_DEFINITION = "ECS013"
USAGE_ORIGINS = frozenset({"service", "run-task"})
# What a usage check sees of a task definition that is not known: every member unknown.
_UNKNOWN_TASK = TaskDef({"containerDefinitions": "${unknown}"}, "containers")
UNUSED_SUPPRESSION = "ECS090"


class InternalError(NamedTuple):
    path: str
    rule_id: str  # "" when the crash was not in a rule's check
    message: str
    traceback: str
    in_rule_file: bool = False  # the rule's own file is at fault (message says where), not ecslint


def internal_error(path: str, error: BaseException, rule_id: str = "") -> InternalError:
    """The internal error ``error`` (being handled) as one of ``path``'s, with its traceback."""
    import traceback  # only here: it costs 2 ms to import

    return InternalError(path, rule_id, f"{type(error).__name__}: {error}", traceback.format_exc())


def failed_file(path: str, error: BaseException) -> FileResult:
    """The result of a file whose checking crashed: no findings, one internal error."""
    result = FileResult(path)
    result.internal_errors.append(internal_error(path, error))
    return result


class FileResult:
    """What checking one file gave.  ``text``: the decoded text, when fixes can be written
    back to the file; ``data``: the parsed file (baseline fingerprints resolve pointers in it)."""

    __slots__ = (
        "basis",
        "consumer",
        "data",
        "families",
        "findings",
        "internal_errors",
        "is_task_definition",
        "parts",
        "path",
        "text",
        "uses",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.consumer: str | None = None  # who registers the file: what its findings mean
        self.basis: str | None = None  # why ecslint takes that consumer (docs/consumers.md)
        self.findings: list[Finding] = []
        self.internal_errors: list[InternalError] = []
        self.is_task_definition = True
        self.text: str | None = None
        self.data: JSON | None = None
        # For pairing across the files of a run: the families this file defines, and the task
        # definitions its services and run-task requests name (checked by ``check_usages``).
        self.families: list[str] = []
        self.uses: list[str] = []
        # The findings of violations with a ``per_file`` key, while the file is checked: those of
        # one rule and key, from its task definitions, become one finding (``_merge_parts``).
        self.parts: list[_Part] = []


RuleFilter = Callable[[Rule], bool]
PathFilter = Callable[[str], frozenset[str]]  # file path -> rule ids not reported there


def _all_rules(rule: Rule) -> bool:
    return rule.status not in ("removed", "deprecated")


_MAX_EXCERPT = 400  # longer lines (minified JSON) are not repeated under every finding on them


def _excerpt(index: TextIndex | None, span: Span | None) -> str | None:
    """The source line a finding starts on, for reporters to show; None for very long lines."""
    if index is None or span is None:
        return None
    if index.line_length(span.start.line) > _MAX_EXCERPT + 1:  # not copied out under each finding on it
        return None
    line = index.line_text(span.start.line)
    return line if len(line) <= _MAX_EXCERPT else None


def _located_fix(doc: Document, fix: Fix | None) -> Fix | None:
    """``fix`` with its value edits turned into replacements of the file's text (None if one cannot be)."""
    if fix is None or not fix.edits:
        return fix
    if doc.renamed is not None:  # CloudFormation, Terraform: the file does not spell values as the API does
        return None
    replacements = list(fix.replacements)
    edits: list[ValueEdit] = []
    for edit in fix.edits:
        pointer = doc.source_pointer(edit.pointer)
        if edit.at == "key":
            found = doc.locator.key_offsets(pointer)
            if found is None:
                return None
            quoted = doc.locator.index.text[found[0] : found[0] + 1] in ('"', "'")
            replacements.append(Replacement(found[0], found[1], json.dumps(edit.text) if quoted else edit.text))
            edits.append(ValueEdit(pointer, edit.text, at="key"))
            continue
        found = doc.locator.value_offsets(pointer)
        if found is None:
            return None
        replacements.append(Replacement(found[0], found[1], edit.text))
        edits.append(ValueEdit(pointer, edit.text))
    return Fix(fix.description, tuple(replacements), fix.safe, tuple(edits))  # edits: what --fix checks it wrote


class Engine:
    """Checks files against a catalogue; build once per process and reuse."""

    def __init__(
        self,
        catalogue: Catalogue,
        enabled: RuleFilter = _all_rules,
        *,
        ignored_for: PathFilter | None = None,
        account: Account | None = None,
        variables: Mapping[str, str | None] | None = None,
        target: str | None = None,
    ) -> None:
        self.catalogue = catalogue
        # who registers the files (--target); None: each file's own kind decides (default_consumer)
        self.target = target
        self.enabled = enabled
        self.ignored_for = ignored_for
        self.account = account  # the live account (--aws): its checks run only when there is one
        # declared template variables (--var, --vars-file, [tool.ecslint.variables]), substituted before checking
        self._substituter: Substituter | None = None
        self._declared: frozenset[str] = frozenset()
        if variables:
            from ecslint.readers.variables import Substituter

            self._substituter = Substituter(variables)
            self._declared = self._substituter.declared
        self._rule_layer = [rule for rule in catalogue.rules if rule.layer == "rules" and enabled(rule)]
        self._runners: list[tuple[Rule, Runner, Trigger | None]] | None = None
        self._usage_runners: list[tuple[Rule, UsageCheckFunction, bool]] | None = None
        self._account_runners: list[tuple[Rule, AccountCheckFunction]] | None = None
        self.use_triggers = True  # False runs every check on every document (tests compare the two)
        # read the repository holding a file for who registers it and what a render step fills
        # in (readers/evidence.py)
        self.find_workflows = True

    # -- one file -------------------------------------------------------------------------

    def check_bytes(
        self, path: str, raw: bytes, *, explicit: bool = True, fragment: bool = False, size: int | None = None
    ) -> FileResult:
        """All findings for one file.

        ``explicit``: the file was named on the command line (not found by a walk).
        ``fragment``: check any object as a task definition (the catalogue's examples).
        ``size``: the file's size when ``raw`` is not all of it (see ``readers.inputs.read``).
        A crash is an internal error of this file: the other files of a run are not affected.
        """
        try:
            return self._check_bytes(path, raw, explicit, fragment, size)
        except Exception as error:  # a bug must cost this file its findings, never the run
            return failed_file(path, error)

    def _check_bytes(self, path: str, raw: bytes, explicit: bool, fragment: bool, size: int | None) -> FileResult:
        result = FileResult(path)
        parsed = parse(path, raw, size)
        if parsed.lossless:
            result.text = parsed.text
        docs = documents(parsed, fragment=fragment)
        origin = docs[0].origin if docs else _unread_origin(parsed)
        choice = self._choose(path, origin, parsed.syntax, docs[0].data if docs else None)
        result.consumer, result.basis = choice.consumer, choice.basis
        if docs is None:
            if not parsed.ok and (explicit or mentions_task_definition(parsed)):
                self._add_syntax(result, parsed)
            elif parsed.ok and explicit:
                self._add_syntax(result, parsed)
                self._not_a_task_definition(result, parsed)
            else:
                result.is_task_definition = False
            return self._finish(result, parsed)
        self._add_syntax(result, parsed)
        # a JSON file read as UTF-8 bounds the size of the definitions it holds (ECS206/ECS207)
        json_bytes = len(raw) if parsed.syntax == "json" and parsed.lossless else None
        template = parsed.syntax == TEMPLATE or (
            parsed.syntax == "json" and "${" in (parsed.text or "") and self._rendered_by_terraform(path)
        )
        tasks = [doc for doc in docs if doc.origin not in USAGE_ORIGINS]
        siblings = _Siblings(self, tasks, template) if len(tasks) > 1 else None
        for doc in docs:
            plain = doc.origin in ("register", "describe")
            others = partial(siblings.others, doc) if siblings is not None and doc.origin not in USAGE_ORIGINS else None
            self._check_document(
                result, doc, json_bytes if plain else None, template, choice if plain else None, others
            )
        return self._finish(result, parsed)

    def check_usages(
        self, path: str, raw: bytes, find_task: Callable[[str], Document | None], *, explicit: bool = True
    ) -> FileResult:
        """The usage checks that need the task definition, for the services and run-task requests of
        a file whose task definitions are in other files of the run (``find_task``: a reference ->
        the task definition's document, or None).  The file's other findings came from ``check_bytes``.
        A crash is an internal error of this file, as in ``check_bytes``."""
        try:
            return self._check_usages(path, raw, find_task)
        except Exception as error:  # a bug must cost this file its findings, never the run
            return failed_file(path, error)

    def _check_usages(self, path: str, raw: bytes, find_task: Callable[[str], Document | None]) -> FileResult:
        result = FileResult(path)
        parsed = parse(path, raw)
        for doc in documents(parsed) or []:
            task = find_task(doc.uses) if doc.task is None and doc.uses is not None else None
            if task is not None:
                self._check_usage(result, doc, task, needs_task=True)
        return self._finish(result, parsed, unused=False)

    def _finish(self, result: FileResult, parsed: ParsedFile, *, unused: bool = True) -> FileResult:
        result.data = parsed.data if parsed.ok else None
        ignored = self.ignored_for(result.path) if self.ignored_for is not None else frozenset()
        if ignored:
            result.findings = [finding for finding in result.findings if finding.rule_id not in ignored]
        if not unused or result.uses:  # checks of this file run in two passes: no pass can judge a suppression
            ignored = ignored | frozenset(self.catalogue.by_id)
        groups = _part_groups(result)
        self._suppress(result, parsed, ignored)
        if groups:
            _merge_parts(result, groups)
        unique = {(f.rule_id, f.pointer, f.message, f.span): f for f in result.findings}
        result.findings = sorted(unique.values(), key=Finding.sort_key)
        return result

    def _rendered_by_terraform(self, path: str) -> bool:
        """Whether a Terraform file of the repository renders the file with templatefile(): its
        ``${...}`` are then Terraform's, known at plan time (readers/evidence.py)."""
        if not self.find_workflows or path.startswith("<"):
            return False
        from ecslint.readers.workflows import in_repository

        if not in_repository(path):
            return False
        from ecslint.readers.evidence import evidence

        return bool(evidence(path).templated_by)

    def _choose(self, path: str, origin: str | None, syntax: str | None = None, data: JSON | None = None) -> Choice:
        """Who registers the file and why: ``--target``; else what the repository holding it says
        (readers/evidence.py); else a CodeDeploy image placeholder; else its kind's tool, which
        for register input and describe output is unknown (docs/consumers.md)."""
        if origin not in ("register", "describe"):
            if self.target is not None:
                return Choice(self.target, _TARGET_BASIS)
            consumer = default_consumer(origin, syntax)
            return Choice(consumer, _KIND_BASIS.get(consumer, ""))
        found = None
        if self.find_workflows and not path.startswith("<"):  # <stdin>, <document>: no file, no repository
            from ecslint.readers.workflows import in_repository

            if in_repository(path):  # the evidence reader is imported only for a file in a repository
                from ecslint.readers.evidence import evidence

                found = evidence(path)
        renders = found.renders if found is not None else ()
        filled = found.filled if found is not None else frozenset[str]()
        assigned = found.assigned if found is not None else frozenset[str]()
        deleted = found.deleted if found is not None else frozenset[str]()
        go_templates, partial = (found.go_templates, found.partial) if found is not None else (False, "")
        if found is not None and found.partial_unnamed and found.consumer is None and _ecspresso_template(data):
            # a partial step whose file ecslint cannot name, and a file written for ecspresso
            found = found._replace(consumer="go-sdk", basis=found.partial_unnamed)
            go_templates, partial = True, found.partial_unnamed
        more = (go_templates, partial)
        if self.target is not None:
            return Choice(self.target, _TARGET_BASIS, renders, filled, assigned, *more, deleted=deleted)
        if found is not None and found.consumer is not None:
            return Choice(found.consumer, found.basis, renders, filled, assigned, *more, deleted=deleted)
        placeholder = _codedeploy_image(data)
        if placeholder is not None:
            basis = f"its image {placeholder} is CodeDeployToECS's placeholder"
            return Choice("codedeploy", basis, renders, filled, assigned, *more, deleted=deleted)
        return Choice(
            default_consumer(origin, syntax), _UNKNOWN_BASIS, renders, filled, assigned, *more, deleted=deleted
        )

    # -- layers ---------------------------------------------------------------------------

    def _add_syntax(self, result: FileResult, parsed: ParsedFile) -> None:
        index = parsed.index or TextIndex(parsed.text or "")
        for problem in parsed.problems:
            self._add_located(result, problem, index)

    def _add_located(self, result: FileResult, problem: Located, index: TextIndex | None) -> None:
        rule = self.catalogue.by_id.get(problem.rule_id)
        if rule is None or not self.enabled(rule):
            return
        span = index.span(problem.start, problem.end) if index is not None else None
        excerpt = _excerpt(index, span)
        violation = problem.violation
        consumer = result.consumer
        result.findings.append(
            Finding(
                rule_id=rule.id,
                rule_name=rule.name,
                severity=rule.severity_for(violation.variant, consumer),
                message=rule.message(violation.variant, violation.params, consumer),
                path=result.path,
                pointer=violation.pointer,
                span=span,
                hint=rule.hint(violation.variant, violation.params, consumer),
                excerpt=excerpt,
                fix=violation.fix,
                consumer=consumer,
                consumer_basis=result.basis,
            )
        )

    def _not_a_task_definition(self, result: FileResult, parsed: ParsedFile) -> None:
        kind = type(parsed.data).__name__
        described = {"dict": "an object", "list": "an array", "str": "a string"}.get(kind, "a " + kind)
        keys = ", ".join(sorted(parsed.data)[:5]) if isinstance(parsed.data, dict) else ""
        params = {"kind": described, "keys": keys or "none"}
        variant = "cloudformation" if isinstance(parsed.data, dict) and "Resources" in parsed.data else "default"
        if variant == "default" and isinstance(parsed.data, dict) and not REQUEST_KEYS.isdisjoint(parsed.data):
            variant = "request"  # update-service or run-task input without its task definition
        if isinstance(parsed.data, list):
            variant = "array"
        self._add_located(result, Located(NOT_A_TASK_DEFINITION, Violation("", params, variant), 0, 1), parsed.index)

    def _check_document(
        self,
        result: FileResult,
        doc: Document,
        source_bytes: int | None = None,
        template: bool = False,
        choice: Choice | None = None,
        others: Callable[[], list[TaskDef]] | None = None,
    ) -> None:
        from ecslint.schema.validation import validate

        if doc.origin in USAGE_ORIGINS:
            if doc.task is None and doc.uses is not None:
                result.uses.append(doc.uses)
            self._check_usage(result, doc, doc.task, needs_task=None if doc.task is not None else False)
            return
        family = doc.data.get("family")
        if isinstance(family, str) and family:
            result.families.append(family)
        data, changed = doc.data, frozenset[str]()
        if self._substituter is not None:
            substituted = self._substituter.substitute(doc.data)
            if isinstance(substituted.data, dict):
                data, changed = substituted.data, substituted.changed
        declared = self._declared
        if choice is not None and choice.filled - declared:  # what a sed step of the repository fills in
            data, changed, declared = _filled_by_scripts(data, changed, declared, choice.filled - declared)
        if choice is not None and choice.deleted:  # what a jq step of the repository deletes never reaches AWS
            data = _deleted_by_scripts(data, _within(choice.deleted, doc.base))
        if choice is not None and choice.assigned:  # what a jq step of the repository sets
            data, set_by_jq = _assigned_by_scripts(data, _within(choice.assigned, doc.base))
            if set_by_jq:
                changed, declared = changed | set_by_jq, declared | {_JQ_STEP}
        if choice is not None and (choice.renders or choice.consumer == "codedeploy"):
            data, filled = _filled_at_deploy_time(data, choice)
            if filled:
                changed, declared = changed | filled, declared | _DEPLOY_TIME_NAMES
        # members a partial lacks, which the template it is merged into may bring; maps it may add keys to
        merged, maps = frozenset[str](), frozenset[str]()
        if choice is not None and choice.go_templates:
            data, rendered = _rendered_by_ecspresso(data)
            if rendered:
                changed, declared = changed | rendered, declared | {_ECSPRESSO}
        written = data  # the partial as written: what the size rules measure
        if choice is not None and choice.partial:
            data, merged, maps = _merged_into_template(data)
            declared = declared | {_TEMPLATE}
        td = TaskDef(data, doc.origin, source_bytes, declared=declared, terraform_template=template, others=others)
        found: list[tuple[str, Violation]] = list(validate(data, doc.origin))
        if choice is not None and choice.renders:  # the workflows were read: what they do not fill stays empty
            found = [(rule_id, _unrendered(rule_id, violation)) for rule_id, violation in found]
        runners = self._runners if self._runners is not None else self.prepare()
        use_triggers = self.use_triggers
        # a set (not the keys view) lets each trigger's isdisjoint walk its own one or two names
        task_members, container_members = frozenset(td.data), td.container_keys()
        for rule, run, trigger in runners:
            if (  # Trigger.met, inlined: it is asked some hundred times a document
                use_triggers
                and trigger is not None
                and trigger.task.isdisjoint(task_members)
                and trigger.container.isdisjoint(container_members)
            ):
                continue  # none of the members the check needs is there
            try:
                if merged and rule.id in _SIZE_RULES:
                    violations = list(run(TaskDef(written, doc.origin, source_bytes, declared=declared)))
                else:
                    violations = list(run(td))
            except RuleFileError as error:  # a rule that cannot run (a runaway pattern): its file says why
                result.internal_errors.append(InternalError(doc.path, rule.id, str(error), "", in_rule_file=True))
                continue
            except Exception as error:  # a bug in a check must not stop the others
                result.internal_errors.append(internal_error(doc.path, error, rule.id))
                continue
            if violations:  # most checks find nothing: no generator to make for them
                found.extend((rule.id, violation) for violation in violations)
        if merged or maps:  # a finding on a member the partial lacks is about the template, not the file
            found = [
                (rule_id, v)
                for rule_id, v in found
                if rule_id not in _WHOLE_LIST_RULES and v.pointer not in maps and not _under_any(v.pointer, merged)
            ]
        for rule_id, violation in _uncovered(found):
            if changed:
                violation = _in_user_terms(violation, changed)
            self._add_violation(result, doc, rule_id, violation)
        if self.account is not None:
            self._check_account(result, doc, td, self.account, changed)

    def prepare(self) -> list[tuple[Rule, Runner, Trigger | None]]:
        """The task checks' runners, found once (their modules imported): ``-j`` calls it before it
        forks, so that each worker does not import the check modules again (nor compile the schema)."""
        if self._runners is None:
            from ecslint.schema.validation import prepare

            prepare()
            self._runners = [(rule, _runner(rule), _trigger(rule)) for rule in self._rule_layer if _is_task_rule(rule)]
        return self._runners

    def _check_account(
        self, result: FileResult, doc: Document, td: TaskDef, account: Account, changed: frozenset[str] = frozenset()
    ) -> None:
        """The checks that ask the live account about what the task definition names."""
        if self._account_runners is None:  # found once per engine, as the other runners are
            self._account_runners = [
                (rule, function)
                for rule in self._rule_layer
                if rule.check is not None and (function := checks.get_account(rule.check)) is not None
            ]
        for rule, function in self._account_runners:
            try:
                violations = list(function(td, account))
            except Exception as error:  # a bug in a check must not stop the others
                import traceback

                result.internal_errors.append(
                    InternalError(doc.path, rule.id, f"{type(error).__name__}: {error}", traceback.format_exc())
                )
                continue
            for violation in violations:
                self._add_violation(result, doc, rule.id, _in_user_terms(violation, changed) if changed else violation)

    def _check_usage(
        self, result: FileResult, doc: Document, task: Document | None, *, needs_task: bool | None
    ) -> None:
        """The usage checks on a service or run-task request and the task definition it uses.

        ``needs_task``: run only the checks that need the task definition (True), only those that
        do not (False), or all of them (None).  Without the task definition (``task`` None) the
        checks see one whose every member is unknown.
        """
        if self._usage_runners is None:
            self._usage_runners = []
            for rule in self._rule_layer:
                function = checks.get_usage(rule.check) if rule.check is not None else None
                if function is not None:
                    self._usage_runners.append((rule, function, checks.usage_needs_task(str(rule.check))))
        if task is None:
            needs_task = False
        taskdef = TaskDef(task.data, task.origin) if task is not None else _UNKNOWN_TASK
        task_label = (task.label or task.data.get("family") or "") if task is not None else ""
        from ecslint.core.usage import Usage

        usage = Usage(doc.data, taskdef, doc.label or doc.origin, str(task_label) or (doc.uses or ""), doc.origin)
        for rule, run, rule_needs_task in self._usage_runners:
            if needs_task is not None and rule_needs_task != needs_task:
                continue
            try:
                violations = list(run(usage))
            except Exception as error:  # a bug in a check must not stop the others
                import traceback

                result.internal_errors.append(
                    InternalError(doc.path, rule.id, f"{type(error).__name__}: {error}", traceback.format_exc())
                )
                continue
            for violation in violations:
                self._add_violation(result, doc, rule.id, violation)

    def _add_violation(self, result: FileResult, doc: Document, rule_id: str, violation: Violation) -> None:
        rule = self.catalogue.by_id.get(rule_id)
        if rule is None or not self.enabled(rule):
            return
        file_pointer = doc.source_pointer(violation.pointer)
        value = resolve(doc.data, violation.pointer) if violation.substring else None
        span: Span | None = doc.locator.span(file_pointer, violation.at, violation.substring, value)
        params = violation.params
        places: tuple[Place, ...] = ()
        if violation.occurrences:
            places = tuple(_place(doc, occurrence) for occurrence in violation.occurrences)
            params = {**params, **_occurrence_params(places)}
        if doc.origin in _ONE_CONSUMER_PER_FILE:
            consumer, basis = result.consumer, result.basis
        else:  # a service or run-task request: in a template or a .tf file, that tool sends it
            origin = doc.origin
            if doc.base.startswith("/Resources/"):
                origin = "cloudformation"
            elif doc.base.startswith("/resource/"):
                origin = "terraform"
            consumer, basis = self._choose(doc.path, origin)[:2]
        message = rule.message(violation.variant, params, consumer)
        finding = Finding(
            rule_id=rule.id,
            rule_name=rule.name,
            severity=rule.severity_for(violation.variant, consumer),
            message=f"{doc.label}: {message}" if doc.label else message,
            path=doc.path,
            pointer=file_pointer,
            span=span,
            hint=rule.hint(violation.variant, params, consumer),
            excerpt=_excerpt(doc.index, span),
            fix=_located_fix(doc, violation.fix),
            depends=tuple(doc.source_pointer(p) for p in violation.depends) if violation.depends else (),
            occurrences=places,
            consumer=consumer,
            consumer_basis=basis,
        )
        result.findings.append(finding)
        if violation.per_file is not None and rule.check is not None:
            merge = checks.merge(rule.check)
            if merge is not None:
                result.parts.append(
                    _Part(finding, rule, violation, doc.label, places or (Place(file_pointer, span),), merge)
                )

    # -- suppressions ---------------------------------------------------------------------

    def _suppress(self, result: FileResult, parsed: ParsedFile, ignored: frozenset[str]) -> None:
        found: list[Suppression] = []
        if parsed.syntax in ("yaml", "hcl") and parsed.text:
            found += from_comments(parsed.text, hcl=parsed.syntax == "hcl")
        if parsed.ok:
            found += from_tags(parsed.data)
        if parsed.syntax == "hcl" and parsed.documents:
            for document in parsed.documents:
                if document.origin == "terraform":
                    found += from_terraform_tags(document.data, document.base)
        if not found:
            return
        # Grouped by the line or scope they cover, each group indexed by rule: a finding looks up
        # only the groups that can cover it, and a key that has suppressed once is not marked
        # again (thousands of suppressions and findings are not paired off).
        by_line: dict[int, _Keys] = {}
        by_scope: dict[str, _Keys] = {}
        for suppression in found:
            if suppression.line is not None:
                by_line.setdefault(suppression.line, _Keys()).add(suppression)
            else:
                by_scope.setdefault(suppression.scope, _Keys()).add(suppression)
        kept: list[Finding] = []
        for finding in result.findings:
            line = finding.span.start.line if finding.span else None
            groups = [by_line[line]] if line in by_line else []
            if by_scope:
                groups += [by_scope[scope] for scope in _scopes(finding.pointer) if scope in by_scope]
            hit = False
            for group in groups:
                hit = group.use(finding.rule_id, finding.rule_name) or hit
            if not hit:
                kept.append(finding)
        result.findings = kept
        unused_rule = self.catalogue.by_id.get(UNUSED_SUPPRESSION)
        if unused_rule is None or not self.enabled(unused_rule) or UNUSED_SUPPRESSION in ignored:
            return
        for suppression in found:
            for key in suppression.rules:
                if key in suppression.used:
                    continue
                named = self.catalogue.find(key)
                if named is not None and (not self.enabled(named) or named.id in ignored):
                    continue  # a rule this run does not check: nothing to say about it
                self._add_unused(result, parsed, unused_rule, suppression, key, named is None)

    def _add_unused(
        self, result: FileResult, parsed: ParsedFile, rule: Rule, suppression: Suppression, key: str, unknown: bool
    ) -> None:
        span: Span | None = None
        pointer = suppression.tag_pointer or ""
        if suppression.comment_at is not None:
            line, column, length = suppression.comment_at
            span = Span(Position(line, column), Position(line, column + length))
        elif parsed.locator is not None and suppression.tag_pointer is not None:
            span = parsed.locator.span(suppression.tag_pointer)
        index = parsed.index
        variant = "unknown" if unknown else "default"
        params = {"rule": key, "kind": "comment" if suppression.comment_at else "tag"}
        result.findings.append(
            Finding(
                rule_id=rule.id,
                rule_name=rule.name,
                severity=rule.severity,
                message=rule.message(variant, params),
                path=result.path,
                pointer=pointer,
                span=span,
                hint=rule.hint(variant, params),
                excerpt=_excerpt(index, span),
            )
        )


class _Keys:
    """The rule keys of some suppressions, by the id (upper case) and the name (lower case) they match."""

    __slots__ = ("by_id", "by_name")

    def __init__(self) -> None:
        self.by_id: dict[str, list[tuple[Suppression, str]]] = {}
        self.by_name: dict[str, list[tuple[Suppression, str]]] = {}

    def add(self, suppression: Suppression) -> None:
        for key in suppression.rules:
            self.by_id.setdefault(key.upper(), []).append((suppression, key))
            self.by_name.setdefault(key.lower(), []).append((suppression, key))

    def use(self, rule_id: str, rule_name: str) -> bool:
        """Whether a key names this rule; each such key is marked used (once: then forgotten)."""
        hit = False
        for index, wanted in ((self.by_id, rule_id), (self.by_name, rule_name)):
            keys = index.get(wanted)
            if keys is not None:
                hit = True
                for suppression, key in keys:
                    suppression.used.add(key)
                index[wanted] = []
        return hit


def _scopes(pointer: str) -> list[str]:
    """The scopes a tag suppression may have that cover ``pointer``: "", each ancestor, itself."""
    scopes = [""]
    index = pointer.find("/", 1)
    while index > 0:
        scopes.append(pointer[:index])
        index = pointer.find("/", index + 1)
    if pointer:
        scopes.append(pointer)
    return scopes


# Origins whose file holds one task definition: the file's consumer is the document's.
_ONE_CONSUMER_PER_FILE = frozenset({"register", "describe", "containers"})

# Who registers a file of each kind, when --target does not say (docs/consumers.md): for register
# input and describe output nothing in the file says (the AWS CLI, the deploy action, CodePipeline).
_CONSUMER_OF_ORIGIN = {
    "register": UNKNOWN_CONSUMER,
    "describe": UNKNOWN_CONSUMER,
    "cloudformation": "cloudformation",
    "terraform": "terraform",
    "containers": "terraform",  # a bare container-definitions array is Terraform's container_definitions
}


# ECS023 on a container's image, in a file whose render steps ecslint read: none of them names
# that container, so the image is missing however the file is registered (an error for every
# consumer, where a file without any such evidence only plainly awaits a deploy step).
_UNRENDERED = {"image": "image-unrendered", "image-empty": "image-empty-unrendered"}


def _unrendered(rule_id: str, violation: Violation) -> Violation:
    if rule_id == "ECS023" and violation.variant in _UNRENDERED:
        return violation._replace(variant=_UNRENDERED[violation.variant])
    return violation


def _filled_by_scripts(
    data: dict[str, JSON], changed: frozenset[str], declared: frozenset[str], names: frozenset[str]
) -> tuple[dict[str, JSON], frozenset[str], frozenset[str]]:
    """``data`` with the placeholders a repository's ``sed`` step replaces made values known at
    deploy time, as variables declared without a value are (readers/evidence.py)."""
    from ecslint.readers.variables import Substituter

    substituted = Substituter(dict.fromkeys(sorted(names))).substitute(data)
    if not isinstance(substituted.data, dict):
        return data, changed, declared
    return substituted.data, changed | substituted.changed, declared | names


_JQ_STEP = "jq"


def _child(node: JSON, part: str) -> JSON:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and part.isdecimal() and int(part) < len(node):
        return node[int(part)]
    return None


def _set_child(node: JSON, part: str, value: JSON) -> bool:
    """Set a member of an object, or an existing item of a list; False when ``node`` has no such place."""
    if isinstance(node, dict):
        node[part] = value
        return True
    if isinstance(node, list) and part.isdecimal() and int(part) < len(node):
        node[int(part)] = value
        return True
    return False


def _assigned_by_scripts(data: dict[str, JSON], pointers: frozenset[str]) -> tuple[dict[str, JSON], frozenset[str]]:
    """``data`` with each member a repository's ``jq`` step sets (readers/evidence.py) made a value
    known at deploy time, present whatever the file says; a path whose parent the file lacks is
    left alone (jq would make it, but where it lands is not judged)."""
    changed: set[str] = set()
    root: dict[str, JSON] = dict(data)
    marker = "${" + _JQ_STEP + "}"
    for pointer, parent, last in _copied_parents(root, data, pointers):
        if _set_child(parent, last, marker):
            changed.add(pointer)
    return root, frozenset(changed)


def _copied_parents(
    root: dict[str, JSON], data: dict[str, JSON], pointers: frozenset[str]
) -> Iterator[tuple[str, JSON, str]]:
    """(pointer, its parent in ``root``, its last token) for each member ``pointers`` name in ``data``
    (``[]`` expanded), each container on the way copied into ``root`` so that changing the parent
    never changes the document itself; the parent is None where the file lacks it."""
    for pointer in sorted({found for given in pointers for found in _expanded(data, split(given))}):
        *path, last = split(pointer)
        parent: JSON = root
        for part in path:
            child = _child(parent, part)
            if not isinstance(child, dict | list):
                parent = None
                break
            copy: JSON = dict(child) if isinstance(child, dict) else list(child)
            _set_child(parent, part, copy)
            parent = copy
        yield pointer, parent, last


def _unread_origin(parsed: ParsedFile) -> str | None:
    """A file that could not be read still names CloudFormation as its consumer when its text says
    it is a template (``AWSTemplateFormatVersion``, an ``AWS::ECS::TaskDefinition`` resource)."""
    text = parsed.text
    if parsed.ok or not text:
        return None
    return "cloudformation" if "AWSTemplateFormatVersion" in text or "AWS::ECS::TaskDefinition" in text else None


# -- ecspresso and partial task definitions (docs/consumers.md, docs/facts.md 27) ---------------
# (patterns as text: compiled, and cached by re, only for a file ecspresso reads)

_ECSPRESSO = "ecspresso"
_TEMPLATE = "task-definition-template"
# A Go text/template action, as ecspresso's go-config renders it ({{ must_env `IMAGE` }}).
_GO_TEMPLATE = r"\{\{.*?\}\}"
# The template functions of ecspresso (go-config's env, must_env, json_escape; the plugins'):
# a value calling one is written for ecspresso.
_ECSPRESSO_FUNCTION = (
    r"\{\{-?\s*(?:must_env|env|json_escape|tfstate|tfstatef|ssm|secretsmanager_arn|cfn_output|cfn_export)\b"
)


def _strings(node: JSON) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _ecspresso_template(data: JSON | None) -> bool:
    """Whether a value of ``data`` calls one of ecspresso's template functions."""
    return any("{{" in text and re.search(_ECSPRESSO_FUNCTION, text) for text in _strings(data))


def _rendered_by_ecspresso(data: dict[str, JSON]) -> tuple[dict[str, JSON], frozenset[str]]:
    """``data`` with each ``{{ ... }}`` of its values, which ecspresso renders before registering
    (``{{ must_env `IMAGE` }}``), made a value known at deploy time; the pointers it changed."""
    from ecslint.core.pointer import escape

    changed: set[str] = set()
    marker = "${" + _ECSPRESSO + "}"

    def render(node: JSON, pointer: str) -> JSON:
        if isinstance(node, str):
            if "{{" not in node:
                return node
            text = re.sub(_GO_TEMPLATE, marker, node, flags=re.S)
            if text != node:
                changed.add(pointer)
            return text
        if isinstance(node, dict):
            return {key: render(value, f"{pointer}/{escape(key)}") for key, value in node.items()}
        if isinstance(node, list):
            return [render(item, f"{pointer}/{index}") for index, item in enumerate(node)]
        return node

    rendered = render(data, "")
    if not changed or not isinstance(rendered, dict):
        return data, frozenset()
    return rendered, frozenset(changed)


def _merged_into_template(data: dict[str, JSON]) -> tuple[dict[str, JSON], frozenset[str], frozenset[str]]:
    """``data``, a partial that a deploy step merges into a task definition template, with what the
    template may bring made values known at deploy time; the pointers of those values.

    The merge (docs/facts.md 27) takes the template's task members, then the partial's over them
    (a member the partial gives replaces the template's whole); containers are matched by name and
    merged member by member, objects inside them too (jq's ``*``), lists replaced.  So each member
    the task lacks, and each member a container or an object inside one lacks, is unknown; a map
    inside a container (log options, labels) may gain keys, so it is returned too.  A container's
    ``name`` and the ``containerDefinitions`` list are not made up (jq fails without them), nor a
    container's ``firelensConfiguration`` (which container is the log router is judged by presence).
    """
    from ecslint.schema.validation import load_schema

    definitions: dict[str, Any] = load_schema()["$defs"]
    marker = "${" + _TEMPLATE + "}"
    merged: set[str] = set()
    maps: set[str] = set()

    def shape(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = definitions.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
        return node

    def fill(value: dict[str, JSON], schema: Any, pointer: str, kept: frozenset[str]) -> dict[str, JSON]:
        from ecslint.core.pointer import escape

        schema = shape(schema)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        copy = dict(value)
        if not isinstance(properties, dict):  # a map: the template's keys are merged into it
            maps.add(pointer)
            return copy
        for member, member_schema in properties.items():
            at = f"{pointer}/{escape(member)}"
            if member not in copy:
                if member not in kept:
                    copy[member] = marker
                    merged.add(at)
            elif isinstance(copy[member], dict):
                copy[member] = fill(copy[member], member_schema, at, frozenset())  # type: ignore[arg-type]
        return copy

    task = dict(data)
    for member in definitions["RegisterTaskDefinitionRequest"]["properties"]:
        if member not in task and member != "containerDefinitions":
            task[member] = marker
            merged.add("/" + member)
    containers = task.get("containerDefinitions")
    if isinstance(containers, list) and not containers:  # the template's containers are kept
        task["containerDefinitions"] = marker
        merged.add("/containerDefinitions")
    elif isinstance(containers, list):
        container_schema = definitions["ContainerDefinition"]
        task["containerDefinitions"] = [
            fill(item, container_schema, f"/containerDefinitions/{index}", _NOT_MADE_UP)
            if isinstance(item, dict)
            else item
            for index, item in enumerate(containers)
        ]
    return task, frozenset(merged), frozenset(maps)


_NOT_MADE_UP = frozenset({"name", "firelensConfiguration"})
# In a partial, rules about the whole list of containers (the template's may add an essential
# one; two containers of one name are merged into one), and the size rules, which measure the
# file as written (the merged definition is bigger, never smaller).
_WHOLE_LIST_RULES = frozenset({"ECS201", "ECS204"})
_SIZE_RULES = frozenset({"ECS206", "ECS207"})


def _under_any(pointer: str, pointers: frozenset[str]) -> bool:
    """Whether ``pointer`` is one of ``pointers`` or below one."""
    if pointer in pointers:
        return True
    index = pointer.rfind("/")
    while index > 0:
        pointer = pointer[:index]
        if pointer in pointers:
            return True
        index = pointer.rfind("/")
    return False


def _expanded(data: JSON, parts: list[str]) -> list[str]:
    """The pointers a jq step's path stands for in ``data``: a part ``EVERY`` is each item of the
    list there, ``NAMED`` + name the item of that name (readers/evidence.py); [] when none is."""
    from ecslint.readers.evidence import EVERY, NAMED

    if not any(part.startswith(EVERY) for part in parts):
        return [from_path(parts)]
    found: list[str] = []
    at = next(index for index, part in enumerate(parts) if part.startswith(EVERY))
    items = resolve(data, from_path(parts[:at]))
    if isinstance(items, list):
        for index, item in enumerate(items):
            if parts[at] == EVERY or (isinstance(item, dict) and item.get("name") == parts[at][len(NAMED) :]):
                found += _expanded(data, [*parts[:at], str(index), *parts[at + 1 :]])
    return found


def _within(pointers: frozenset[str], base: str) -> frozenset[str]:
    """The pointers (of the file) that fall in the document at ``base`` (``/taskDefinition`` of
    describe output), made relative to it."""
    if not base:
        return pointers
    return frozenset(pointer[len(base) :] for pointer in pointers if pointer.startswith(base + "/"))


def _deleted_by_scripts(data: dict[str, JSON], pointers: frozenset[str]) -> dict[str, JSON]:
    """``data`` without the members a repository's ``jq`` step deletes (``del(.revision)``):
    they never reach AWS.  The document itself is never changed."""
    root: dict[str, JSON] = dict(data)
    for _, parent, last in _copied_parents(root, data, pointers):
        if isinstance(parent, dict):
            parent.pop(last, None)
    return root


def default_consumer(origin: str | None, syntax: str | None = None) -> str:
    """The consumer a file's kind implies when nothing else says: CloudFormation for a template,
    Terraform for its files, ``unknown`` for register input and describe output (any of the tools
    that register a plain file); the AWS CLI for a file that is not read as any of these."""
    if origin is not None:
        return _CONSUMER_OF_ORIGIN.get(origin, "aws-cli")
    return "terraform" if syntax in ("hcl", TEMPLATE) else "aws-cli"


class Choice(NamedTuple):
    """Who registers a file (a consumer), why ecslint takes it, and what render steps fill in."""

    consumer: str
    basis: str
    renders: tuple[Render, ...] = ()
    filled: frozenset[str] = frozenset()  # placeholder names a sed step of the repository fills in
    assigned: frozenset[str] = frozenset()  # pointers of the members a jq step of the repository sets
    go_templates: bool = False  # ecspresso renders the file's {{ ... }} expressions at deploy time
    partial: str = ""  # why the file is a partial a deploy step merges into a template ("" when not)
    deleted: frozenset[str] = frozenset()  # pointers of the members a jq step of the repository deletes


_TARGET_BASIS = "target (--target or the configuration)"
_UNKNOWN_BASIS = "nothing names who registers it (--target or target = ... in the configuration says)"
_KIND_BASIS = {
    "cloudformation": "a CloudFormation template",
    "terraform": "a Terraform file",
    "aws-cli": "not read as a task definition, a template or Terraform: the AWS CLI is assumed",
}

# A value filled in at deploy time is written ``${NAME}`` with NAME declared without a value, the
# way a variable declared without a value is (readers/variables.py): every rule treats it as
# unknown, and ECS305 does not report it as a template variable.
_RENDERED = "amazon-ecs-render-task-definition"
_CODEDEPLOY = "CodeDeployToECS"
_DEPLOY_TIME_NAMES = frozenset({_RENDERED, _CODEDEPLOY})
_PLACEHOLDER_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def _angle_placeholder(value: str) -> str | None:
    """NAME of a whole-value ``<NAME>``: what CodeDeployToECS replaces (Image1ContainerName NAME)."""
    name = value[1:-1] if len(value) > 2 and value[0] == "<" and value[-1] == ">" else ""
    return name if name and set(name) <= _PLACEHOLDER_CHARACTERS else None


def _codedeploy_convention(value: str) -> bool:
    """``<IMAGE1_NAME>`` (also ``<IMAGE>``, ``<IMAGE1>``, ``<IMAGE_NAME>``): the documented convention
    (docs/facts.md 24), not any angle-bracket token."""
    name = (_angle_placeholder(value) or "").upper()
    if not name.startswith("IMAGE"):
        return False
    rest = name[5:].removesuffix("_NAME")
    return rest.isdigit() or rest == ""


def _codedeploy_image(data: JSON | None) -> str | None:
    """The first container image that is CodeDeployToECS's documented placeholder, ``<IMAGE1_NAME>``."""
    containers = data.get("containerDefinitions") if isinstance(data, dict) else None
    if not isinstance(containers, list):
        return None
    for container in containers:
        image = container.get("image") if isinstance(container, dict) else None
        if isinstance(image, str) and _codedeploy_convention(image.strip()):
            return image.strip()
    return None


def _rendered_containers(render: Render, by_name: dict[JSON, int], containers: list[JSON]) -> list[int]:
    """The containers a render step writes into: the one its ``container-name`` names; when that is
    an expression only the workflow knows (``${{ secrets.CONTAINER }}``), the file's only container
    (the action fails unless the name matches one), or, of several, those whose image awaits it."""
    found = by_name.get(render.container)
    if found is not None:
        return [found]
    if "${{" not in render.container:
        return []
    indexes = [index for index, item in enumerate(containers) if isinstance(item, dict)]
    if len(indexes) <= 1:
        return indexes
    return [index for index in indexes if _awaits_image(containers[index])]


def _awaits_image(container: JSON) -> bool:
    image = container.get("image") if isinstance(container, dict) else None
    return image is None or (isinstance(image, str) and (not image.strip() or is_unknown(image) or "<" in image))


def _filled_at_deploy_time(data: dict[str, JSON], choice: Choice) -> tuple[dict[str, JSON], frozenset[str]]:
    """``data`` with what the deploy fills in (a render step's inputs, CodeDeployToECS's image
    placeholders) made unknown, and the pointers of the values that changed."""
    from ecslint.core.pointer import escape

    changed: set[str] = set()
    rendered = "${" + _RENDERED + "}"
    containers = data.get("containerDefinitions")
    if not isinstance(containers, list):
        return data, frozenset()
    task = dict(data)
    copies: list[JSON] = list(containers)
    by_name = {c.get("name"): i for i, c in enumerate(copies) if isinstance(c, dict) and isinstance(c.get("name"), str)}

    def container(index: int) -> dict[str, JSON]:
        item = copies[index]
        assert isinstance(item, dict)
        copy = copies[index] = dict(item)  # a copy of a copy keeps what was changed in it
        return copy

    def mark(pointer: str) -> None:
        changed.add(pointer)

    for index, item in enumerate(containers):
        image = item.get("image") if isinstance(item, dict) else None
        if choice.consumer == "codedeploy" and isinstance(image, str) and _angle_placeholder(image.strip()):
            container(index)["image"] = "${" + _CODEDEPLOY + "}"
            mark(f"/containerDefinitions/{index}/image")
    renders = [(render, index) for render in choice.renders for index in _rendered_containers(render, by_name, copies)]
    for render, index in renders:
        base = f"/containerDefinitions/{index}"
        inputs = render.inputs
        target = container(index)
        if "image" in inputs:
            target["image"] = rendered
            mark(base + "/image")
        if "command" in inputs:
            target["command"] = [rendered]
            mark(base + "/command")
        if "env-files" in inputs:
            target["environmentFiles"] = [{"value": rendered, "type": "s3"}]
            mark(base + "/environmentFiles")
        if "log-configuration-log-driver" in inputs or "log-configuration-options" in inputs:
            log = target.get("logConfiguration")
            log = dict(log) if isinstance(log, dict) else {}
            if "log-configuration-log-driver" in inputs:
                log["logDriver"] = rendered
                mark(base + "/logConfiguration/logDriver")
            options = log.get("options")
            options = dict(options) if isinstance(options, dict) else {}
            for key in _keys(inputs.get("log-configuration-options", "")):
                options[key] = rendered
                mark(f"{base}/logConfiguration/options/{escape(key)}")
            if options:
                log["options"] = options
            target["logConfiguration"] = log
        if "docker-labels" in inputs:
            labels = target.get("dockerLabels")
            labels = dict(labels) if isinstance(labels, dict) else {}
            for key in _keys(inputs["docker-labels"]):
                labels[key] = rendered
                mark(f"{base}/dockerLabels/{escape(key)}")
            target["dockerLabels"] = labels
        for name, member, field in _NAMED_ENTRIES:
            if name not in inputs:
                continue
            entries = target.get(member)
            entries = [dict(e) if isinstance(e, dict) else e for e in entries] if isinstance(entries, list) else []
            for key in _keys(inputs[name]):  # the ones the file names (one it lacks is added, not checked)
                at = next((i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("name") == key), None)
                if at is not None:
                    entry = entries[at]
                    assert isinstance(entry, dict)
                    entry[field] = rendered
                    mark(f"{base}/{member}/{at}/{field}")
            if isinstance(target.get(member), list):
                target[member] = entries
        for name, member in (("task-role-arn", "taskRoleArn"), ("execution-role-arn", "executionRoleArn")):
            if name in inputs:
                task[member] = rendered
                mark("/" + member)
    if not changed:
        return data, frozenset()
    task["containerDefinitions"] = copies
    return task, frozenset(changed)


_NAMED_ENTRIES = (("environment-variables", "environment", "value"), ("secrets", "secrets", "valueFrom"))


def _keys(text: str) -> list[str]:
    """The keys of a render input's ``KEY=value`` lines (none when the input is an expression)."""
    keys: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if "=" in line and "${{" not in line.split("=", 1)[0]:
            keys.append(line.split("=", 1)[0].strip())
    return [key for key in keys if key]


def _in_user_terms(violation: Violation, changed: frozenset[str]) -> Violation:
    """``violation`` about a value a declared variable changed: the whole value, as the user wrote it.

    Offsets into a substituted string are not offsets into the file's, and a fix computed from
    it would write the variable's value into the user's file: point at the whole value, no fix.
    """
    if violation.pointer in changed:
        violation = violation._replace(substring=None, fix=None)
    elif violation.fix is not None and any(edit.pointer in changed for edit in violation.fix.edits):
        violation = violation._replace(fix=None)
    if any(occurrence.pointer in changed for occurrence in violation.occurrences):
        occurrences = tuple(o._replace(substring=None) if o.pointer in changed else o for o in violation.occurrences)
        violation = violation._replace(occurrences=occurrences)
    return violation


def _uncovered(found: list[tuple[str, Violation]]) -> list[tuple[str, Violation]]:
    """``found`` without the violations another rule's violation already reports as a whole.

    A violation that ``covers`` a pointer (a read-only field, a value that is only a
    placeholder) is the finding for everything at or below it: a second rule's finding there
    (a null inside ``requiresAttributes``, ECS102 on a placeholder ``cpu``) is the same
    mistake again.  Two covering findings on the same node from different rules both stay.
    """
    covered = [(pointer, rule_id) for rule_id, violation in found for pointer in violation.covers]
    if not covered:
        return found
    kept: list[tuple[str, Violation]] = []
    for rule_id, violation in found:
        pointer = violation.pointer
        hidden = False
        for top, by in covered:
            if by == rule_id:
                continue
            if pointer.startswith(top + "/") or (pointer == top and top not in violation.covers):
                hidden = True
                break
        if not hidden:
            kept.append((rule_id, violation))
    return kept


class _Siblings:
    """The task definitions of a file of several (a CloudFormation template, a Terraform file), as
    each one's checks see the others: made on the first request, with the declared variables
    substituted as in ``Engine._check_document`` (its other substitutions are for files of one)."""

    __slots__ = ("_docs", "_engine", "_made", "_template")

    def __init__(self, engine: Engine, docs: list[Document], template: bool) -> None:
        self._engine = engine
        self._docs = docs
        self._template = template
        self._made: list[TaskDef] | None = None

    def others(self, doc: Document) -> list[TaskDef]:
        if self._made is None:
            self._made = [self._task(each) for each in self._docs]
        return [td for each, td in zip(self._docs, self._made, strict=True) if each is not doc]

    def _task(self, doc: Document) -> TaskDef:
        data, substituter = doc.data, self._engine._substituter
        if substituter is not None:
            substituted = substituter.substitute(doc.data)
            if isinstance(substituted.data, dict):
                data = substituted.data
        return TaskDef(data, doc.origin, declared=self._engine._declared, terraform_template=self._template)


class _Part(NamedTuple):
    """A finding of one task definition that may be part of one finding of the file (``per_file``)."""

    finding: Finding
    rule: Rule
    violation: Violation
    label: str | None  # how the file names the task definition (a CloudFormation logical id)
    places: tuple[Place, ...]  # every place, the finding's own first
    merge: checks.Merge


def _part_groups(result: FileResult) -> list[list[_Part]]:
    """The parts of ``result`` that make one finding each: of one rule, file, consumer and key; each
    group in file order, so its first part is where the one finding is reported."""
    parts, result.parts = result.parts, []  # not kept (nor sent back by a worker)
    groups: dict[tuple[str, str, str | None, str | None], list[_Part]] = {}
    for part in parts:
        key = (part.rule.id, part.finding.path, part.finding.consumer, part.violation.per_file)
        groups.setdefault(key, []).append(part)
    return [sorted(group, key=lambda part: part.finding.sort_key()) for group in groups.values() if len(group) > 1]


def _merge_parts(result: FileResult, groups: list[list[_Part]]) -> None:
    """One finding for each group, at its first part, with every place of the parts that are left.

    Suppressions were applied to each part, as to the finding of one task definition: one that
    hides the first part hides the group's finding (it is where the finding is reported); one
    that hides another part takes that task definition's places out of it.
    """
    kept = {id(finding) for finding in result.findings}
    gone: set[int] = set()
    merged: list[Finding] = []
    for group in groups:
        gone.update(id(part.finding) for part in group)
        if id(group[0].finding) not in kept:
            continue  # the finding, where it is reported, is suppressed
        left = [part for part in group if id(part.finding) in kept]
        merged.append(_merged(left) if len(left) > 1 else left[0].finding)
    if gone:
        result.findings = [finding for finding in result.findings if id(finding) not in gone] + merged


_LABELS_NAMED = 3  # how many task definitions a merged finding's message names before "and N more"


def _merged(parts: list[_Part]) -> Finding:
    first = parts[0]
    places = tuple(dict.fromkeys(place for part in parts for place in part.places))
    variant, params = first.merge([part.violation for part in parts], len(places))
    if len(places) > 1:
        params = {**params, **_occurrence_params(places)}
    rule, consumer = first.rule, first.finding.consumer
    message = rule.message(variant, params, consumer)
    labels = list(dict.fromkeys(part.label for part in parts if part.label))
    if labels:
        named = ", ".join(labels[:_LABELS_NAMED])
        if len(labels) > _LABELS_NAMED:
            named += f" and {len(labels) - _LABELS_NAMED} more"
        message = f"{named}: {message}"
    return first.finding._replace(
        severity=rule.severity_for(variant, consumer),
        message=message,
        hint=rule.hint(variant, params, consumer),
        occurrences=places if len(places) > 1 else (),
    )


def _place(doc: Document, occurrence: Occurrence) -> Place:
    pointer = doc.source_pointer(occurrence.pointer)
    value = resolve(doc.data, occurrence.pointer) if occurrence.substring else None
    return Place(pointer, doc.locator.span(pointer, occurrence.at, occurrence.substring, value))


def _occurrence_params(places: tuple[Place, ...]) -> dict[str, object]:
    """``count``, ``more``, ``lines`` (of the places after the first), ``all_lines`` and the same with a
    word in front (``on_lines``: "line 4" or "lines 4, 9"; ``on_all_lines``) for a message."""
    lines = [place.span.start.line for place in places if place.span is not None]
    first = lines[:1] if places and places[0].span is not None else []
    others, every = sorted(set(lines[len(first) :])), sorted(set(lines))
    return {
        "count": len(places),
        "more": len(places) - 1,
        "lines": line_ranges(others),
        "all_lines": line_ranges(every),
        "on_lines": _on_lines(others),  # "line 4" or "lines 4, 9"
        "on_all_lines": _on_lines(every),
    }


def _on_lines(lines: list[int]) -> str:
    return ("line " if len(lines) == 1 else "lines ") + line_ranges(lines)


Runner = Callable[[TaskDef], Iterable[Violation]]


def _runner(rule: Rule) -> Runner:
    """How the engine runs ``rule`` on a task definition: its Python check or its declaration."""
    if rule.check is None:
        from ecslint.catalogue.declarative import evaluate

        return partial(evaluate, rule)
    function = checks.get(rule.check)
    if function is None:
        message = f"{rule.source}: check {rule.check!r} is not registered"

        def unregistered(td: TaskDef) -> Iterable[Violation]:
            from ecslint.core.errors import RuleFileError

            raise RuleFileError(message)

        return unregistered
    if _takes_options(function):
        return partial(function, options=MappingProxyType(dict(rule.options)))  # type: ignore[call-arg]
    return function


def _is_task_rule(rule: Rule) -> bool:
    """A rule checked on each task definition by itself: declarative or a plain Python check."""
    return rule.check is None or checks.kind(rule.check) not in ("usage", "account")


def _trigger(rule: Rule) -> Trigger | None:
    return checks.trigger(rule.check) if rule.check is not None else None


def _takes_options(function: Callable[..., object]) -> bool:
    """Whether a Python check wants its rule's options (a parameter named ``options``)."""
    code = getattr(function, "__code__", None)
    if code is not None:  # a plain function: no need for inspect.signature
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        return "options" in names
    import inspect

    try:
        return "options" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
