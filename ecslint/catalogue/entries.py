"""The rule catalogue: one YAML entry per rule under ``rules/<area>/<id>-<name>.yaml``.

The catalogue is the one source of truth for a rule's id, name, severity, consequence,
documentation, examples and logic.  It drives the engine, ``ecslint rules``,
``ecslint explain``, the SARIF ``tool.driver.rules`` and the generated docs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ecslint.core.data import rules_dir
from ecslint.core.errors import RuleFileError
from ecslint.core.model import JSON, Severity
from ecslint.core.numbers import showable, shown

# What each consequence means, as ``ecslint explain`` and docs/rules.md say it.
CONSEQUENCE_TEXT = {
    "rejected": "ECS rejects the task definition when it is registered.",
    "deploy-rejected": "ECS rejects the service or the update that runs the task definition.",
    "fails-at-launch": "The task definition registers, but tasks fail to start or crash.",
    "fails-in-account": "Seen in the AWS account (check --aws): what it names is missing or unusable: tasks fail.",
    "security": "A security weakness.",
    "reliability": "The service becomes less reliable.",
    "cost": "You pay for more than you use.",
    "style": "A matter of clarity and maintenance.",
}
CONSEQUENCES = tuple(CONSEQUENCE_TEXT)
LAYERS = ("syntax", "schema", "rules")
_ID = re.compile(r"^[A-Z]{2,8}[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ACCOUNT_LISTS = frozenset(
    {"missing", "untrusted", "unknown", "denied", "conditional", "encrypted", "disabled", "platforms"}
)  # the lists of core.account.ListedAccount
_REQUIRED = ("id", "name", "severity", "consequence", "summary", "rationale", "references", "message")
_KNOWN = {
    *_REQUIRED,
    "layer",
    "check",
    "target",
    "when",
    "assert",
    "pointer",
    "hint",
    "examples",
    "known_problems",
    "fix_safety",
    "options",
    "status",
    "opt_in",
    "when_task",
    "security_severity",
    "consumers",
    "severities",
}
# Who registers a task definition, which decides what some mistakes mean (docs/consumers.md).
CONSUMERS = ("aws-cli", "deploy-action", "codedeploy", "cloudformation", "terraform", "go-sdk")
# A register-task-definition file whose consumer nothing names: any of the tools that register a
# plain JSON file (go-sdk tools such as ecspresso read their own configuration, which names the
# file).  A finding gets the least severe of their severities, never below a warning when one of
# them rejects the file; a rule's ``consumers.unknown`` gives the message saying what each does.
UNKNOWN_CONSUMER = "unknown"
PLAIN_FILE_CONSUMERS = ("aws-cli", "deploy-action", "codedeploy")


_EMPTY: Mapping[str, JSON] = MappingProxyType({})


class Example(NamedTuple):
    kind: str  # "bad" or "good"
    document: JSON | None  # a task definition or fragment
    text: str | None  # raw file text, for syntax rules
    expect: tuple[str, ...]  # pointers the rule must fire at (bad examples)
    positions: tuple[tuple[int, int] | None, ...]  # optional (line, column) per expect entry
    filename: str | None = None  # the name the example is checked under (its extension picks the parser)
    encoding: str = "utf-8"  # how a text example is encoded into the file's bytes
    pad_to_bytes: int = 0  # spaces appended up to this size (for examples about large files)
    beside: tuple[tuple[str, JSON], ...] = ()  # other files of the same run: (file name, document or .tf text)
    # The live account an account check sees (--aws): a list name of core.account.ListedAccount -> names
    account: tuple[tuple[str, tuple[str, ...]], ...] | None = None

    def file_input(self) -> tuple[str, bytes, bool]:
        """(file name, bytes, fragment): how the example is checked, as a file would be."""
        name = self.filename or "example.json"
        if self.text is None:
            return name, json.dumps(self.document, indent=2).encode(), True
        raw = self.text.encode(self.encoding)
        return name, raw + b" " * max(0, self.pad_to_bytes - len(raw)), False


class Consumer(NamedTuple):
    """How one consumer (``aws-cli``, ``terraform``...) changes a rule: severity and texts per variant."""

    severities: Mapping[str, Severity]  # variant -> severity ("default" for every other variant)
    messages: Mapping[str, str]
    hints: Mapping[str, str]

    def severity(self, variant: str) -> Severity | None:
        return self.severities.get(variant) or self.severities.get("default")


class Rule(NamedTuple):
    id: str
    name: str
    severity: Severity
    consequence: str
    summary: str
    rationale: str
    references: tuple[str, ...]
    messages: Mapping[str, str]
    hints: Mapping[str, str]
    layer: str = "rules"
    check: str | None = None
    target: str | None = None
    when: Mapping[str, JSON] | None = None
    assertion: Mapping[str, JSON] | None = None
    pointer: str | None = None
    examples: tuple[Example, ...] = ()
    known_problems: str | None = None
    fix_safety: str | None = None
    status: str = "stable"
    source: str = ""
    extra: Mapping[str, JSON] = _EMPTY
    when_task: Mapping[str, JSON] | None = None  # a JSON Schema the whole task definition must match first
    opt_in: bool = False  # off unless selected by its exact id or name
    options: Mapping[str, JSON] = _EMPTY  # option name -> its value (default or configured)
    security_severity: str | None = None  # GitHub's 0.1-10.0 score for a security rule (docs/facts.md 13.1)
    consumers: Mapping[str, Consumer] = _EMPTY  # type: ignore[assignment]
    # variant -> severity, for the variants whose evidence differs from the rule's (``severities``:
    # an awslogs value Docker refuses is an error where Docker runs the containers, EC2 and EXTERNAL)
    severities: Mapping[str, Severity] = _EMPTY  # type: ignore[assignment]

    @property
    def help_uri(self) -> str:
        return self.references[0] if self.references else ""

    @property
    def anchor(self) -> str:
        """The anchor GitHub gives the rule's heading in docs/rules.md, ``ECS101 unsupported-fargate-size``."""
        return f"{self.id} {self.name}".lower().replace(" ", "-")

    def message(self, variant: str, params: Mapping[str, object], consumer: str | None = None) -> str:
        texts = (
            self.consumers[consumer].messages if consumer is not None and consumer in self.consumers else _EMPTY_TEXTS
        )
        template = texts.get(variant) or self.messages.get(variant) or texts.get("default") or self.messages["default"]
        return _render(template, params)

    def hint(self, variant: str, params: Mapping[str, object], consumer: str | None = None) -> str | None:
        texts = self.consumers[consumer].hints if consumer is not None and consumer in self.consumers else _EMPTY_TEXTS
        template = texts.get(variant) or self.hints.get(variant) or texts.get("default") or self.hints.get("default")
        return _render(template, params) if template else None

    def consumer_notes(self) -> list[tuple[str, str, str]]:
        """(consumer, severities, message) for each consumer that changes this rule, for the docs."""
        notes: list[tuple[str, str, str]] = []
        for name, consumer in self.consumers.items():
            levels = consumer.severities
            if name == UNKNOWN_CONSUMER:  # derived from the plain-file consumers' severities
                plain = [self.consumers[c] for c in PLAIN_FILE_CONSUMERS if c in self.consumers]
                variants = {variant for entry in plain for variant in entry.severities}
                levels = {variant: self.severity_for(variant, name) for variant in ["default", *sorted(variants)]}
                levels = {v: level for v, level in levels.items() if v == "default" or level != levels["default"]}
            default = levels.get("default", self.severity).label
            others = [f"{variant}: {level.label}" for variant, level in levels.items() if variant != "default"]
            severities = "; ".join([default, *others])
            texts = consumer.messages
            message = texts.get("default") or next(iter(texts.values()), self.messages["default"])
            notes.append((name, severities, message))
        return notes

    def severities_by_consumer(self) -> list[tuple[str, Severity, list[tuple[str, Severity]]]]:
        """(consumer, severity, [(variant, its severity where it differs)]) for each consumer this
        rule changes, ``unknown`` after them, as ``severity_for`` gives them; empty when every
        consumer gets the rule's own severity (the others do)."""
        variants = sorted({variant for entry in self.consumers.values() for variant in entry.severities} - {"default"})
        table: list[tuple[str, Severity, list[tuple[str, Severity]]]] = []
        for name in (*CONSUMERS, UNKNOWN_CONSUMER):
            if not self.depends_on_consumer(name):
                continue
            default = self.severity_for("default", name)
            others = [(v, level) for v in variants if (level := self.severity_for(v, name)) != default]
            table.append((name, default, others))
        levels = {level for _, default, others in table for level in (default, *(level for _, level in others))}
        return table if levels - {self.severity} else []

    def depends_on_consumer(self, consumer: str | None) -> bool:
        """Whether a finding of this rule is as severe or worded as it is because ``consumer``
        registers the file: the rule gives that consumer its own severity or texts, or, for
        ``unknown``, derives the severity from the plain-file consumers' it gives."""
        if consumer is None or not self.consumers:
            return False
        if consumer in self.consumers:
            return True
        return consumer == UNKNOWN_CONSUMER and any(name in self.consumers for name in PLAIN_FILE_CONSUMERS)

    def severity_for(self, variant: str, consumer: str | None) -> Severity:
        """The severity of a finding of this rule when ``consumer`` registers the file.

        ``unknown``: the least severe of what the plain-file consumers give, but a warning at
        least when one of them rejects the file (an error is then true only for some of them)."""
        if consumer == UNKNOWN_CONSUMER:
            levels = [self.severity_for(variant, name) for name in PLAIN_FILE_CONSUMERS]
            least = min(levels)
            derived = max(least, Severity.WARNING) if Severity.ERROR in levels else least
            own = self.consumers[consumer].severity(variant) if consumer in self.consumers else None
            # A rule may only lower it: a file no tool registers as written, which a deploy step
            # plainly completes (an empty image the render action fills), is unverified, not wrong.
            return min(derived, own) if own is not None else derived
        own = self.severities.get(variant, self.severity)
        if consumer is not None and consumer in self.consumers:
            return self.consumers[consumer].severity(variant) or own
        return own


_EMPTY_TEXTS: Mapping[str, str] = MappingProxyType({})


RULES_PAGE = "https://github.com/ecslint/ecslint/blob/main/docs/rules.md"


def documentation_uri(rule: Rule) -> str:
    """The rule's own section of docs/rules.md for a built-in rule (ids are never reused, so the
    anchor on main stays valid); a plugin's or custom rule's first reference otherwise."""
    known = builtin().by_id.get(rule.id)
    if known is not None and known.name == rule.name:
        return f"{RULES_PAGE}#{rule.anchor}"
    return rule.help_uri


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(template: str, params: Mapping[str, object]) -> str:
    values = _Params(params)
    for key, value in params.items():
        if isinstance(value, int) and not showable(value):  # str() refuses it: show its head and length
            values[key] = shown(value)
    try:
        return template.format_map(values)
    except (ValueError, IndexError, AttributeError, TypeError):  # custom rules are checked when they load
        return template


def _fail(where: str, message: str, *keys: str | int) -> RuleFileError:
    return RuleFileError(f"{where}: {message}", field=tuple(keys) or None, detail=message)


def _texts(value: object, where: str, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"default": value.strip()}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        texts = {str(k): str(v).strip() for k, v in value.items()}
        if "default" not in texts:
            raise _fail(where, f"'{key}' as a mapping needs a 'default' entry", key)
        return texts
    raise _fail(where, f"'{key}' must be a string or a mapping of variant to string", key)


def _examples(raw: object, where: str) -> tuple[Example, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(where, "'examples' must be a list", "examples")
    examples: list[Example] = []
    for number, item in enumerate(raw, 1):
        at = ("examples", number - 1)
        if not isinstance(item, dict):
            raise _fail(where, f"example {number} must be a mapping", *at)
        kinds = [k for k in ("bad", "good", "bad_text", "good_text") if k in item]
        if len(kinds) != 1:
            raise _fail(where, f"example {number} needs exactly one of bad, good, bad_text, good_text", *at)
        key = kinds[0]
        kind = key.split("_")[0]
        is_text = key.endswith("_text")
        if is_text and not isinstance(item[key], str):
            raise _fail(where, f"example {number}: '{key}' must be a string", *at, key)
        pointers: list[str] = []
        positions: list[tuple[int, int] | None] = []
        expect = item.get("expect", []) or []
        if not isinstance(expect, list):
            raise _fail(where, f"example {number}: 'expect' must be a list of pointers", *at, "expect")
        for entry in expect:
            if isinstance(entry, str):
                pointers.append(entry)
                positions.append(None)
            elif isinstance(entry, dict) and isinstance(entry.get("pointer"), str):
                pointers.append(entry["pointer"])
                line, column = entry.get("line"), entry.get("column")
                positions.append((line, column) if isinstance(line, int) and isinstance(column, int) else None)
            else:
                raise _fail(
                    where, f"example {number}: expect entries are pointers or {{pointer, line, column}}", *at, "expect"
                )
        if kind == "bad" and not pointers:
            raise _fail(where, f"bad example {number} needs 'expect' (the pointers it must fire at)", *at)
        account = item.get("account")
        if account is not None and not (
            isinstance(account, dict)
            and set(account) <= _ACCOUNT_LISTS
            and all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in account.values())
        ):
            lists = ", ".join(sorted(_ACCOUNT_LISTS))
            raise _fail(where, f"example {number}: 'account' is a mapping of {lists} to lists of names", *at)
        beside = item.get("beside", {})
        if not isinstance(beside, dict) or not all(isinstance(name, str) for name in beside):
            raise _fail(where, f"example {number}: 'beside' maps file names to documents", *at, "beside")
        filename = item.get("filename")
        encoding = item.get("encoding", "utf-8")
        pad = item.get("pad_to_bytes", 0)
        examples.append(
            Example(
                kind=kind,
                document=None if is_text else item[key],
                text=item[key] if is_text else None,
                expect=tuple(pointers),
                positions=tuple(positions),
                filename=filename if isinstance(filename, str) else None,
                encoding=str(encoding),
                pad_to_bytes=pad if isinstance(pad, int) and 0 <= pad <= 64 * 2**20 else 0,
                beside=tuple(beside.items()),
                account=tuple((k, tuple(v)) for k, v in account.items()) if account is not None else None,
            )
        )
    return tuple(examples)


def _severities(raw: object, where: str) -> dict[str, Severity]:
    """``severities: {variant: severity}``: the variants whose severity is not the rule's."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(key, str) for key in raw):
        raise _fail(where, "'severities' must be a mapping of message variant to severity", "severities")
    try:
        return {key: Severity.parse(str(value)) for key, value in raw.items()}
    except ValueError as error:
        raise _fail(where, f"severities: {error}", "severities") from None


def _consumers(raw: object, where: str) -> dict[str, Consumer]:
    """``consumers: {terraform: {severity: warning | {variant: severity}, message: ..., hint: ...}}``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(where, "'consumers' must be a mapping of consumer to {severity, message, hint}", "consumers")
    found: dict[str, Consumer] = {}
    for name, spec in raw.items():
        at = ("consumers", str(name))
        if name not in CONSUMERS and name != UNKNOWN_CONSUMER:
            raise _fail(where, f"unknown consumer {name!r} (one of {', '.join(CONSUMERS)}, {UNKNOWN_CONSUMER})", *at)
        if not isinstance(spec, dict) or not set(spec) <= {"severity", "message", "hint"}:
            raise _fail(where, f"consumer {name}: a mapping of severity, message and hint", *at)
        levels = spec.get("severity", {})
        levels = {"default": levels} if isinstance(levels, str) else levels
        if not isinstance(levels, dict):
            raise _fail(where, f"consumer {name}: severity must be a severity or a mapping of variant to one", *at)
        try:
            severities = {str(variant): Severity.parse(str(level)) for variant, level in levels.items()}
        except ValueError as error:
            raise _fail(where, f"consumer {name}: {error}", *at, "severity") from None
        messages = _variant_texts(spec.get("message"), where, f"consumers.{name}.message")
        hints = _variant_texts(spec.get("hint"), where, f"consumers.{name}.hint")
        found[str(name)] = Consumer(severities, messages, hints)
    return found


def _variant_texts(value: object, where: str, key: str) -> dict[str, str]:
    """Texts per variant, where (unlike a rule's own) no 'default' is needed."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"default": value.strip()}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): str(v).strip() for k, v in value.items()}
    raise _fail(where, f"'{key}' must be a string or a mapping of variant to string", *key.split("."))


def _option_defaults(raw: object, where: str) -> dict[str, JSON]:
    """``options: {name: {default: ..., description: ...}}`` (or ``{name: default}``) -> name -> default."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(where, "'options' must be a mapping of option name to {default, description}", "options")
    defaults: dict[str, JSON] = {}
    for name, spec in raw.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise _fail(where, f"option name {name!r} must be a kebab-case slug", "options", str(name))
        if isinstance(spec, dict) and "default" in spec:
            unknown = sorted(set(spec) - {"default", "description"})
            if unknown:
                raise _fail(where, f"option {name}: unknown field(s) {', '.join(unknown)}", "options", name)
            defaults[name] = spec["default"]
        else:
            defaults[name] = spec
    return defaults


def rule_from_mapping(raw: Mapping[str, object], source: str) -> Rule:
    """Build a ``Rule`` from one parsed YAML entry, or raise ``RuleFileError`` naming ``source``."""
    where = source
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise _fail(where, f"missing {', '.join(missing)}")
    unknown = sorted((str(key) for key in set(raw) - _KNOWN), key=str)
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(unknown)}{_did_you_mean(unknown[0])}", unknown[0])
    rule_id, name = raw["id"], raw["name"]
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise _fail(where, f"id {rule_id!r} must look like ECS101 (2-8 capital letters and 3 digits)", "id")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _fail(where, f"name {name!r} must be a kebab-case slug", "name")
    try:
        severity = Severity.parse(str(raw["severity"]))
    except ValueError as error:
        raise _fail(where, str(error), "severity") from None
    consequence = raw["consequence"]
    if consequence not in CONSEQUENCES:
        raise _fail(where, f"consequence must be one of {', '.join(CONSEQUENCES)}", "consequence")
    layer = raw.get("layer", "rules")
    if layer not in LAYERS:
        raise _fail(where, f"layer must be one of {', '.join(LAYERS)}", "layer")
    references = raw["references"]
    if not isinstance(references, list) or not references or not all(isinstance(r, str) for r in references):
        raise _fail(where, "references must be a non-empty list of URLs", "references")
    check, target = raw.get("check"), raw.get("target")
    if layer == "rules" and (check is None) == (target is None):
        raise _fail(where, "a rule needs either 'check' (a Python check) or 'target' + 'assert'")
    if target is not None and "assert" not in raw:
        raise _fail(where, "a declarative rule needs 'assert'", "target")
    when, assertion, when_task = raw.get("when"), raw.get("assert"), raw.get("when_task")
    for key, value in (("when", when), ("assert", assertion), ("when_task", when_task)):
        if value is not None and not isinstance(value, dict):
            raise _fail(where, f"'{key}' must be a JSON Schema object", key)
    opt_in = raw.get("opt_in", False)
    if not isinstance(opt_in, bool):
        raise _fail(where, "'opt_in' must be true or false", "opt_in")
    options = _option_defaults(raw.get("options"), where)
    score = raw.get("security_severity")
    is_score = isinstance(score, int | float) and not isinstance(score, bool) and 0 < score <= 10
    if score is not None and (consequence != "security" or not is_score):
        message = "'security_severity' is a score above 0 up to 10, for a rule whose consequence is security"
        raise _fail(where, message, "security_severity")
    return Rule(
        id=rule_id,
        name=name,
        severity=severity,
        consequence=str(consequence),
        summary=str(raw["summary"]).strip(),
        rationale=str(raw["rationale"]).strip(),
        references=tuple(references),
        messages=_texts(raw["message"], where, "message"),
        hints=_texts(raw.get("hint"), where, "hint"),
        layer=str(layer),
        check=str(check) if check is not None else None,
        target=str(target) if target is not None else None,
        when=when,  # type: ignore[arg-type]
        assertion=assertion,  # type: ignore[arg-type]
        pointer=str(raw["pointer"]) if raw.get("pointer") is not None else None,
        examples=_examples(raw.get("examples"), where),
        known_problems=str(raw["known_problems"]).strip() if raw.get("known_problems") else None,
        fix_safety=str(raw["fix_safety"]).strip() if raw.get("fix_safety") else None,
        status=str(raw.get("status", "stable")),
        source=source,
        extra={"options": raw["options"]} if "options" in raw else {},  # type: ignore[dict-item]
        when_task=when_task,  # type: ignore[arg-type]
        opt_in=opt_in,
        options=options,
        security_severity=f"{float(score):.1f}" if isinstance(score, int | float) else None,
        consumers=_consumers(raw.get("consumers"), where),
        severities=_severities(raw.get("severities"), where),
    )


def _did_you_mean(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(_KNOWN), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_file(path: Path) -> Rule:
    """One rule file; a problem is a ``RuleFileError`` that says ``path:line:col``."""
    from ecslint.readers.yamlio import load_yaml_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(f"{path}: cannot read rule file: {error}") from None
    raw = load_yaml_text(text, str(path))
    if not isinstance(raw, dict):
        raise RuleFileError(f"{path}:1:1: a rule file holds one mapping (id, name, severity, ...)")
    try:
        _json_only(raw)
        return rule_from_mapping(raw, str(path))
    except RuleFileError as error:
        raise located(error, path, text) from None


_YAML_ONLY = {"date": "a date", "datetime": "a date and time", "bytes": "binary data", "set": "a set"}


def _json_only(raw: dict[object, object]) -> None:
    """Raise ``RuleFileError`` at the first value JSON has no word for (a YAML date, !!binary, !!set,
    a date as a key): schemas, examples and messages are JSON."""
    stack: list[tuple[tuple[str | int, ...], object]] = [((), raw)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if key is not None and not isinstance(key, (str, int, float, bool)):  # JSON turns 80 into "80"
                    message = f"key {key!r} must be a string (quote it)"
                    raise RuleFileError(message, field=(*path, str(key)), detail=message)
                stack.append(((*path, key if isinstance(key, str) else str(key)), child))
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            kind = _YAML_ONLY.get(type(value).__name__, type(value).__name__)
            message = f"{'.'.join(map(str, path))}: {kind} is not a JSON value; quote it if it is text"
            raise RuleFileError(message, field=path, detail=message)


def located(error: RuleFileError, path: Path, text: str) -> RuleFileError:
    """``error`` with the line and column of the key it names in the YAML ``text``."""
    from ecslint.readers.yamlio import node_position

    line, column = node_position(text, error.field or ())
    return RuleFileError(f"{path}:{line}:{column}: {error.detail}", field=error.field, detail=error.detail)


def load_dir(directory: Path) -> list[Rule]:
    rules = [load_file(path) for path in sorted(directory.rglob("*.yaml")) if path.is_file()]
    return rules


class Catalogue:
    """Rules by id and by name, in id order."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: list[Rule] = sorted(rules, key=lambda r: r.id)
        self.by_id: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.id in self.by_id:
                raise RuleFileError(f"{rule.source}: id {rule.id} is also used by {self.by_id[rule.id].source}")
            if rule.name in self.by_name:
                raise RuleFileError(f"{rule.source}: name {rule.name} is also used by {self.by_name[rule.name].source}")
            self.by_id[rule.id] = rule
            self.by_name[rule.name] = rule

    def find(self, key: str) -> Rule | None:
        return self.by_id.get(key.upper()) or self.by_name.get(key.lower())

    def __getitem__(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


@lru_cache(maxsize=1)
def builtin() -> Catalogue:
    """The built-in catalogue, loaded once per process.

    A wheel carries its Rule records pickled at build time (see hatch_build.py), and the same
    catalogue compiled to JSON should they not load; a source checkout reads the YAML files through
    a cache keyed by their sizes and modification times (see ``catalogue.cache``).
    """
    from ecslint.core.data import compiled_catalogue, compiled_file

    pickled = compiled_file(COMPILED_RULES)
    rules = load_compiled_rules(pickled) if pickled is not None else None
    if rules is not None:
        return Catalogue(rules)
    compiled = compiled_catalogue()
    if compiled is None:
        from ecslint.catalogue.cache import cached_rule_mappings

        compiled = cached_rule_mappings(rules_dir())
    if compiled is not None:
        try:
            return Catalogue(rule_from_mapping(raw, source) for source, raw in compiled)
        except RuleFileError:
            pass  # load the YAML again below, so the error carries the file's line and column
    return Catalogue(load_dir(rules_dir()))


# The built-in Rule records, pickled into the wheel at build time: a start then builds none from
# mappings (157 rules: 1.7 ms to unpickle against 6 ms to read the JSON and build them).
COMPILED_RULES = "catalogue.pickle"


def compile_rules(entries: Iterable[tuple[str, Mapping[str, object]]]) -> bytes:
    """The pickled Rule records of (source, mapping) pairs, as ``builtin`` would build them from the JSON."""
    import pickle

    rules = [rule_from_mapping(raw, source) for source, raw in entries]
    return pickle.dumps(rules, protocol=4)


def load_compiled_rules(path: Path) -> list[Rule] | None:
    """The Rule records ``compile_rules`` wrote to ``path``; None when they cannot be read."""
    try:
        import _pickle as pickle  # the C module alone: ``pickle`` costs 1.4 ms more to import
    except ImportError:  # pragma: no cover - an implementation without it
        import pickle  # type: ignore[no-redef]
    try:
        rules = pickle.loads(path.read_bytes())
    except Exception:  # an unreadable or foreign file: build the rules from the JSON instead
        return None
    if not isinstance(rules, list) or not all(isinstance(rule, Rule) for rule in rules):
        return None
    return rules
