"""``ecslint lsp``: a Language Server Protocol server over standard input and output (pygls).

- Diagnostics for JSON, YAML, CloudFormation and Terraform files as they are opened and changed:
  the text in the editor is checked in memory, a quarter of a second after the last change
  (``DEBOUNCE``), by the engine ``ecslint check`` uses with the configuration found for the
  file's folder.  Same findings, same positions; the diagnostic's ``code`` is the rule id.  A
  file that is not a task definition gets nothing (as in a folder walk), unless its name says it
  is one (``task-definition.json``...).
- Code actions: each safe fix, "fix all", and "ignore this rule here" (a YAML comment, or an
  ``ecslint:ignore`` tag in a JSON task definition).
- Hover on a finding: the rule's explanation and its documentation link.
- Completion of member names and enum values from the schema in JSON and YAML task definitions.

Checks run one at a time in a worker thread, so the server keeps answering while a large file
is checked.  Nothing here is imported by ``ecslint check``.
"""

from __future__ import annotations

import asyncio
import fnmatch
import itertools
import os
import re
from pathlib import Path
from typing import NamedTuple

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ecslint import __version__
from ecslint.catalogue.entries import CONSEQUENCE_TEXT, Rule
from ecslint.core.errors import EcslintError
from ecslint.core.model import Finding, Replacement, Severity
from ecslint.lsp import completion
from ecslint.lsp.text import Lines, Point, Units, hcl_ignore_comment, json_ignore_tag, utf16_units, yaml_ignore_comment

DEBOUNCE = 0.25  # seconds after the last change before a document is checked
SUFFIXES = (".json", ".yaml", ".yml", ".tf", ".template")
# Names that say "task definition": such a file that is not one is told so (ECS013), as when named
# on the command line.  Other files are checked only when they turn out to hold task definitions.
TASK_DEFINITION_NAMES = (
    "task-definition.json", "task-definition-*.json", "task-definition.*.json", "*-task-definition.json",
    "*.task-definition.json", "taskdef.json", "taskdef-*.json", "*.taskdef.json",
    "task-definition.yaml", "task-definition.yml", "*-task-definition.yaml", "*-task-definition.yml",
)  # fmt: skip
CONFIG_FILES = frozenset({".ecslint.toml", ".ecslint.yaml", ".ecslint.yml", "pyproject.toml"})
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_WORDS = re.compile(r"containerDefinitions|ContainerDefinitions|container_definitions|AWS::ECS::TaskDefinition")


class Checked(NamedTuple):
    """One check of one version of a document: what the diagnostics and code actions refer to."""

    version: int | None
    lines: Lines
    findings: list[Finding]
    syntax: str  # "json", "yaml", "hcl" or "" (not parsed)
    rules: dict[str, Rule]


class EcslintLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("ecslint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.checked: dict[str, Checked] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.checks = 0  # documents checked since the start (the tests count them)
        self.lock = asyncio.Lock()
        self.reported_problems: set[str] = set()
        self.debounce = DEBOUNCE

    # -- checking --------------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float | None = None) -> None:
        delay = self.debounce if delay is None else delay
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(delay, lambda: asyncio.ensure_future(self.check(uri)))

    async def check(self, uri: str) -> None:
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return
        text, version = document.source, document.version
        async with self.lock:
            if self.workspace.text_documents.get(uri) is not document or document.version != version:
                return  # changed or closed while waiting: a newer check is scheduled
            try:
                checked, problem = await asyncio.to_thread(_check_text, uri, text, version)
            except Exception as error:  # a bug must not take the server down: say so, keep serving
                checked, problem = Checked(version, Lines(text), [], "", {}), f"internal error: {error!r}"
            self.checks += 1
            self.window_log_message(
                lsp.LogMessageParams(
                    lsp.MessageType.Log, f"checked {uri} (version {version}): {len(checked.findings)} findings"
                )
            )
        if problem is not None and problem not in self.reported_problems:
            self.reported_problems.add(problem)
            self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, f"ecslint: {problem}"))
        if self.workspace.text_documents.get(uri) is not document or document.version != version:
            return
        self.checked[uri] = checked
        units = _units(self)
        diagnostics = [_diagnostic(finding, checked, units) for finding in checked.findings]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def check_all(self) -> None:
        """Check every open document again (the settings changed)."""
        self.reported_problems.clear()
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    def forget(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.checked.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _units(server: LanguageServer) -> Units:
    encoding = getattr(server.workspace, "position_encoding", lsp.PositionEncodingKind.Utf16)
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len
    if encoding == lsp.PositionEncodingKind.Utf8:
        return lambda text: len(text.encode("utf-8"))
    return utf16_units


def _fs_path(uri: str) -> str:
    path = to_fs_path(uri)
    return path if path is not None else uri


def _check_text(uri: str, text: str, version: int | None) -> tuple[Checked, str | None]:
    """Check one document's text as ``ecslint check`` would check its file (in a worker thread)."""
    from ecslint.api import engine_for
    from ecslint.config.selection import selected
    from ecslint.config.settings import Config, load
    from ecslint.readers.inputs import Input

    path = _fs_path(uri)
    problem = None
    try:
        config = load(start=Path(path).parent) if os.path.isabs(path) else Config()
    except EcslintError as error:
        config, problem = Config(), f"{error} (the built-in defaults are used until it is fixed)"
    empty = Checked(version, Lines(text), [], "", {})
    named = _named_as_task_definition(path)
    if not named and not path.lower().endswith(SUFFIXES):
        return empty, problem
    if not list(selected([Input(path, path, False)], config)):
        return empty, problem  # excluded by the configuration
    try:
        engine = engine_for(config)
    except EcslintError as error:
        return empty, str(error)
    result = engine.check_bytes(path, text.encode("utf-8"), explicit=named)
    if result.internal_errors:  # as ecslint check says on standard error
        first = result.internal_errors[0]
        problem = f"internal error in rule {first.rule_id}: {first.message}"
    syntax = "json"
    lowered = path.lower()
    if lowered.endswith(".tf"):
        syntax = "hcl"
    elif lowered.endswith((".yaml", ".yml", ".template")) or not text.lstrip().startswith(("{", "[")):
        syntax = "yaml"
    by_id = engine.catalogue.by_id
    rules = {finding.rule_id: by_id[finding.rule_id] for finding in result.findings if finding.rule_id in by_id}
    return Checked(version, Lines(text), result.findings, syntax, rules), problem


def _named_as_task_definition(path: str) -> bool:
    name = os.path.basename(path).lower()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in TASK_DEFINITION_NAMES)


# -- findings -> LSP ----------------------------------------------------------------------------------


def _range(finding: Finding, checked: Checked, units: Units) -> lsp.Range:
    if finding.span is None:
        return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    lines = checked.lines
    start = Point(finding.span.start.line - 1, finding.span.start.column - 1)
    end = Point(finding.span.end.line - 1, finding.span.end.column - 1)
    return lsp.Range(lsp.Position(*lines.to_client(start, units)), lsp.Position(*lines.to_client(end, units)))


def _diagnostic(finding: Finding, checked: Checked, units: Units) -> lsp.Diagnostic:
    rule = checked.rules.get(finding.rule_id)
    href = rule.help_uri if rule is not None else ""
    return lsp.Diagnostic(
        range=_range(finding, checked, units),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.rule_id,
        code_description=lsp.CodeDescription(href=href) if href else None,
        source="ecslint",
    )


def _text_edit(replacement: Replacement, checked: Checked, units: Units) -> lsp.TextEdit:
    lines = checked.lines
    start = lines.to_client(lines.point(replacement.start), units)
    end = lines.to_client(lines.point(replacement.end), units)
    return lsp.TextEdit(lsp.Range(lsp.Position(*start), lsp.Position(*end)), replacement.text)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(position: lsp.Position) -> tuple[int, int]:
        return (position.line, position.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _safe_replacements(finding: Finding) -> tuple[Replacement, ...]:
    fix = finding.fix
    if fix is None or not fix.safe or not fix.replacements:
        return ()
    return fix.replacements


def _ignore_edit(uri: str, finding: Finding, checked: Checked) -> Replacement | None:
    if checked.syntax == "yaml" and finding.span is not None:
        return yaml_ignore_comment(checked.lines, finding.span.start.line - 1, finding.rule_id)
    if checked.syntax == "hcl" and finding.span is not None:
        return hcl_ignore_comment(checked.lines, finding.span.start.line - 1, finding.rule_id)
    if checked.syntax == "json":
        from ecslint.readers.sources import parse

        parsed = parse(_fs_path(uri), checked.lines.text.encode("utf-8"))
        data = parsed.data
        if not parsed.ok or parsed.locator is None or not isinstance(data, dict):
            return None
        offsets = parsed.locator.value_offsets
        resources = data.get("Resources")
        if isinstance(resources, dict):  # a template: the Tags of the resource's Properties
            parts = finding.pointer.split("/")
            logical_id = parts[2].replace("~1", "/").replace("~0", "~") if len(parts) > 3 else ""
            resource = resources.get(logical_id)
            if not isinstance(resource, dict) or resource.get("Type") != "AWS::ECS::TaskDefinition":
                return None
            names = ("Tags", "Key", "Value")
            base = "/".join(parts[:3]) + "/Properties"
            return json_ignore_tag(
                checked.lines.text, resource.get("Properties"), offsets, finding.rule_id, base, names
            )
        if "taskDefinition" in data or "containerDefinitions" not in data:
            return None  # describe output: its tags are not registered
        return json_ignore_tag(checked.lines.text, data, offsets, finding.rule_id)
    return None


def _hover_text(finding: Finding, rule: Rule | None) -> str:
    parts = [f"**{finding.rule_id}** `{finding.rule_name}` ({finding.severity.label})", "", finding.message]
    if finding.hint:
        parts += ["", f"Fix: {finding.hint}"]
    if rule is not None:
        consequence = CONSEQUENCE_TEXT.get(rule.consequence, "")
        parts += ["", rule.summary, "", f"{consequence} {rule.rationale}".strip()]
        if rule.help_uri:
            parts += ["", f"[AWS documentation]({rule.help_uri})"]
    parts += ["", f"`ecslint explain {finding.rule_id}` shows examples."]
    return "\n".join(parts)


# -- the server ------------------------------------------------------------------------------------


def build_server() -> EcslintLanguageServer:
    server = EcslintLanguageServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: EcslintLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: EcslintLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: EcslintLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(_fs_path(uri)) in CONFIG_FILES:  # settings changed: check every open file again
            ls.check_all()
        else:
            ls.schedule(uri, 0)

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: EcslintLanguageServer, params: lsp.InitializeParams) -> None:
        """``initializationOptions``: ``{"debounceSeconds": 0.25}``, the pause after the last change."""
        options = params.initialization_options
        value = options.get("debounceSeconds") if isinstance(options, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10:
            ls.debounce = float(value)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: EcslintLanguageServer, params: lsp.InitializedParams) -> None:
        """Say what runs; ask the client to tell us when a settings file changes on disk, where it can."""
        message = f"ecslint {__version__} language server; checks {ls.debounce:g} s after the last change"
        ls.window_log_message(lsp.LogMessageParams(lsp.MessageType.Info, message))
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in sorted(CONFIG_FILES)]
        registration = lsp.Registration(
            id="ecslint-settings",
            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams([registration]))
        except Exception as error:  # the client refused: settings then apply from each file's next change
            ls.window_log_message(lsp.LogMessageParams(lsp.MessageType.Log, f"no settings watch: {error}"))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def settings_changed(ls: EcslintLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(os.path.basename(_fs_path(change.uri)) in CONFIG_FILES for change in params.changes):
            ls.check_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: EcslintLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]),
    )
    def code_action(ls: EcslintLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        checked = ls.checked.get(uri)
        document = ls.workspace.text_documents.get(uri)
        if checked is None or document is None or document.version != checked.version:
            return []  # the text changed since the check: its offsets would be wrong
        units = _units(ls)
        actions: list[lsp.CodeAction] = []
        everything: list[Replacement] = []
        for finding in checked.findings:
            replacements = _safe_replacements(finding)
            everything.extend(replacements)
            diagnostic = _diagnostic(finding, checked, units)
            if not _overlaps(diagnostic.range, params.range):
                continue
            if replacements:
                assert finding.fix is not None
                edits = [_text_edit(r, checked, units) for r in replacements]
                actions.append(
                    lsp.CodeAction(
                        title=f"{finding.fix.description} ({finding.rule_id})",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=True,
                        edit=lsp.WorkspaceEdit(changes={uri: edits}),
                    )
                )
            ignore = _ignore_edit(uri, finding, checked)
            if ignore is not None:
                where = (
                    "on this line"
                    if checked.syntax in ("yaml", "hcl")
                    else "in this task definition (ecslint:ignore tag)"
                )
                actions.append(
                    lsp.CodeAction(
                        title=f"Ignore {finding.rule_id} {where}",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=lsp.WorkspaceEdit(changes={uri: [_text_edit(ignore, checked, units)]}),
                    )
                )
        if everything and _no_overlap(everything):
            edits = [_text_edit(r, checked, units) for r in sorted(set(everything))]
            actions.append(
                lsp.CodeAction(
                    title="Fix all safe ecslint problems",
                    kind=lsp.CodeActionKind.SourceFixAll,
                    edit=lsp.WorkspaceEdit(changes={uri: edits}),
                )
            )
        return actions

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: EcslintLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        checked = ls.checked.get(params.text_document.uri)
        if checked is None:
            return None
        units = _units(ls)
        here = lsp.Range(params.position, params.position)
        texts = [
            _hover_text(finding, checked.rules.get(finding.rule_id))
            for finding in checked.findings
            if finding.span is not None and _overlaps(_range(finding, checked, units), here)
        ]
        if not texts:
            return None
        return lsp.Hover(lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(texts)))

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=['"', ":", " "], resolve_provider=False)
    )
    def complete(ls: EcslintLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        document = ls.workspace.text_documents.get(uri)
        if document is None:
            return None
        return _completion(uri, document.source, params.position, _units(ls))

    return server


def _no_overlap(replacements: list[Replacement]) -> bool:
    ordered = sorted(set(replacements))
    return all(a.end <= b.start for a, b in itertools.pairwise(ordered))


def _completion(uri: str, text: str, position: lsp.Position, units: Units) -> lsp.CompletionList | None:
    from ecslint.schema.validation import load_schema

    path = _fs_path(uri).lower()
    if path.endswith(".tf") or not (_named_as_task_definition(path) or _WORDS.search(text) or "family" in text):
        return None
    if "Resources" in text and "AWSTemplateFormatVersion" in text:
        return None  # a CloudFormation template: its properties are spelt otherwise
    lines = Lines(text)
    point = lines.from_client(position.line, position.character, units)
    yaml = path.endswith((".yaml", ".yml")) or not text.lstrip().startswith(("{", "["))
    if yaml:
        context = completion.yaml_context([lines.line(n) for n in range(point.line + 1)], point.line, point.column)
    else:
        context = completion.json_context(text, lines.offset(point))
    if context is None:
        return None
    found = completion.items(load_schema(), context, json_syntax=not yaml)
    return lsp.CompletionList(
        is_incomplete=False,
        items=[
            lsp.CompletionItem(
                label=item.label,
                kind=lsp.CompletionItemKind.Property if item.kind == "member" else lsp.CompletionItemKind.EnumMember,
                detail=item.detail or None,
                documentation=item.detail or None,
                insert_text=item.insert,
                tags=[lsp.CompletionItemTag.Deprecated] if item.deprecated else None,
            )
            for item in found
        ],
    )


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    build_server().start_io()
