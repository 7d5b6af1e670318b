"""``ecslint lsp`` in a real LSP client session over stdio (pytest-lsp): the installed console script
is started, initialized, sent documents and requests, and shut down."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.test_cli import ECSLINT

pytestmark = pytest.mark.slow  # a real language-server session per case: in the full suite, not the fast subset

ROOT = Path(__file__).resolve().parents[1]
GOOD_TEXT = (ROOT / "examples" / "fargate-web.json").read_text("utf-8")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(ECSLINT), "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="work")],
        )
    )
    yield
    await lsp_client.shutdown_session()


REGISTERED: list[types.RegistrationParams] = []


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(ECSLINT), "lsp"]))
async def watching_client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    """A client that lets servers watch files (as VS Code does)."""

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        REGISTERED.append(params)

    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
        )
    )
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(ECSLINT), "lsp"]))
async def patient_client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client that asks for a one-second pause after the last change (initializationOptions)."""
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(), initialization_options={"debounceSeconds": 1}
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str, language: str = "json") -> list[types.Diagnostic]:
    path.write_text(text, "utf-8")  # as an editor opens a saved file; the server reads only the message
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def _change(client: LanguageClient, path: Path, text: str, version: int) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def _cli_findings(path: Path) -> list[tuple[str, int, int, int, int]]:
    result = subprocess.run([str(ECSLINT), "check", str(path), "--format", "json"], capture_output=True, check=False)
    return [
        (f["rule"], f["line"] - 1, f["column"] - 1, f["endLine"] - 1, f["endColumn"] - 1)
        for f in json.loads(result.stdout)["findings"]
    ]


def _shape(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int, int, int]]:
    return sorted(
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
        )
        for d in diagnostics
    )


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        return starts[position.line] + position.character  # ASCII texts: UTF-16 units are code points

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


BAD = GOOD_TEXT.replace('"image": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/web:2.14.0"', '"image": "nginx:latest"')


@pytest.mark.asyncio
async def test_diagnostics_are_the_check_command_s_findings_and_clear_when_fixed(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "task-definition.json"
    diagnostics = await _open(client, path, BAD)
    assert _shape(diagnostics) == sorted(_cli_findings(path)) != []
    latest = next(d for d in diagnostics if d.code == "ECS210")
    assert latest.source == "ecslint" and latest.severity == types.DiagnosticSeverity.Warning
    assert latest.code_description is not None and latest.code_description.href.startswith("https://")
    assert await _change(client, path, GOOD_TEXT, 2) == []


@pytest.mark.asyncio
async def test_the_seed_example_s_positions_and_its_quote_fix(
    client: LanguageClient, tmp_path: Path, seed_path: Path
) -> None:
    """Typographic quotes and Japanese text: columns in UTF-16 units, which equal code points here."""
    text = seed_path.read_text("utf-8")
    path = tmp_path / "seed-task-definition.json"
    diagnostics = await _open(client, path, text)
    assert _shape(diagnostics) == sorted(_cli_findings(path))
    quotes = next(d for d in diagnostics if d.code == "ECS002")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(path.as_uri()), quotes.range, types.CodeActionContext([quotes])
        )
    )
    assert actions is not None
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.endswith("(ECS002)"))
    assert fix.edit is not None and fix.edit.changes is not None
    fixed = _apply(text, fix.edit.changes[path.as_uri()])
    assert "ECS002" not in [d.code for d in await _change(client, path, fixed, 2)]


@pytest.mark.asyncio
async def test_a_document_that_does_not_parse_gets_its_syntax_finding(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "task-definition.json"
    broken = GOOD_TEXT.replace('"family": "web",', '"family": "web"')
    diagnostics = await _open(client, path, broken)
    assert [d.code for d in diagnostics] == ["ECS001"]
    assert _shape(diagnostics) == sorted(_cli_findings(path))
    diagnostics = await _change(client, path, "{{{ not json at all", 2)
    assert diagnostics and diagnostics[0].code == "ECS001"  # the server is still there and answering


@pytest.mark.asyncio
async def test_files_that_are_not_task_definitions_get_nothing(client: LanguageClient, tmp_path: Path) -> None:
    assert await _open(client, tmp_path / "package.json", '{"name": "app", "version": "1.0.0"}') == []
    assert await _open(client, tmp_path / "broken.json", '{"name": ') == []  # the JSON server's business
    assert [d.code for d in await _open(client, tmp_path / "taskdef.json", '{"name": "app"}')] == ["ECS013"]


@pytest.mark.asyncio
async def test_the_folder_s_configuration_is_respected(client: LanguageClient, tmp_path: Path) -> None:
    folder = tmp_path / "service"
    folder.mkdir()
    (folder / ".ecslint.toml").write_text('ignore = ["ECS210"]\n', "utf-8")
    codes = [d.code for d in await _open(client, folder / "task-definition.json", BAD)]
    assert "ECS210" not in codes
    assert "ECS210" in [d.code for d in await _open(client, tmp_path / "task-definition.json", BAD)]
    # the settings file edited and saved in the editor: open files are checked again with it
    settings = folder / ".ecslint.toml"
    settings.write_text("ignore = []\n", "utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(settings.as_uri())))
    uri = (folder / "task-definition.json").as_uri()
    for _ in range(2):  # one publication per open file (two are open)
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if "ECS210" in [d.code for d in client.diagnostics[uri]]:
            break
    assert "ECS210" in [d.code for d in client.diagnostics[uri]]


@pytest.mark.asyncio
async def test_settings_changed_on_disk_are_watched(watching_client: LanguageClient, tmp_path: Path) -> None:
    client = watching_client
    path = tmp_path / "task-definition.json"
    assert "ECS210" in [d.code for d in await _open(client, path, BAD)]
    registration = REGISTERED[-1].registrations[0]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    options = registration.register_options  # the client side receives it as plain JSON
    assert {"globPattern": "**/.ecslint.toml"} in options["watchers"]  # type: ignore[index]
    settings = tmp_path / ".ecslint.toml"
    settings.write_text('ignore = ["ECS210"]\n', "utf-8")  # changed by another program
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(settings.as_uri(), types.FileChangeType.Created)])
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert "ECS210" not in [d.code for d in client.diagnostics[path.as_uri()]]


@pytest.mark.asyncio
async def test_yaml_cloudformation_and_terraform_are_checked(client: LanguageClient, tmp_path: Path) -> None:
    for name in ("web-service.yaml",):
        text = (ROOT / "examples" / "cloudformation" / name).read_text("utf-8").replace("Memory: 1024", "Memory: 3")
        path = tmp_path / name
        diagnostics = await _open(client, path, text, "yaml")
        assert _shape(diagnostics) == sorted(_cli_findings(path)) != []
    text = (ROOT / "examples" / "terraform" / "main.tf").read_text("utf-8")
    path = tmp_path / "main.tf"
    assert _shape(await _open(client, path, text, "terraform")) == sorted(_cli_findings(path))


@pytest.mark.asyncio
async def test_quick_fix_for_a_safe_fix_and_fix_all(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "task-definition.json"
    text = GOOD_TEXT.replace("    }\n  ]\n}", "    },\n  ]\n}")
    diagnostics = await _open(client, path, text)
    comma = next(d for d in diagnostics if d.code == "ECS004")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(path.as_uri()), comma.range, types.CodeActionContext([comma])
        )
    )
    assert actions is not None
    fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix]
    assert fixes[0].title == "remove the trailing comma (ECS004)"
    assert fixes[0].edit is not None and fixes[0].edit.changes is not None
    assert _apply(text, fixes[0].edit.changes[path.as_uri()]) == GOOD_TEXT
    fix_all = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.SourceFixAll]
    assert len(fix_all) == 1


@pytest.mark.asyncio
async def test_ignore_this_rule_here_in_yaml_and_json(client: LanguageClient, tmp_path: Path) -> None:
    yaml_text = (
        "family: web\ncontainerDefinitions:\n  - name: web\n    image: nginx:latest\n    memory: 512\n"
        "    essential: true\n"
    )
    template = (ROOT / "tests" / "fixtures" / "cdk-WebStack.template.json").read_text("utf-8")
    terraform = (
        'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n  container_definitions = jsonencode([{\n'
        '    name = "web"\n    image = "nginx:latest"\n    memory = 512\n    essential = true\n  }])\n}\n'
    )
    for path, text, language, rule in (
        (tmp_path / "task-definition.yaml", yaml_text, "yaml", "ECS210"),
        (tmp_path / "main.tf", terraform, "terraform", "ECS210"),
        (tmp_path / "task-definition.json", BAD, "json", "ECS210"),
        (tmp_path / "WebStack.template.json", template, "json", "ECS102"),
    ):
        diagnostics = await _open(client, path, text, language)
        latest = next(d for d in diagnostics if d.code == rule)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(path.as_uri()), latest.range, types.CodeActionContext([latest])
            )
        )
        assert actions is not None
        ignore = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith(f"Ignore {rule}"))
        assert ignore.edit is not None and ignore.edit.changes is not None
        fixed = _apply(text, ignore.edit.changes[path.as_uri()])
        if language == "yaml":
            assert "    image: nginx:latest  # ecslint: ignore[ECS210]\n" in fixed
        elif language == "terraform":
            assert '    image = "nginx:latest"  # ecslint: ignore[ECS210]\n' in fixed
        elif rule == "ECS210":
            assert json.loads(fixed)["tags"] == [{"key": "ecslint:ignore", "value": "ECS210"}]
        else:
            properties = json.loads(fixed)["Resources"]["TaskDef54694570"]["Properties"]
            assert properties["Tags"] == [{"Key": "ecslint:ignore", "Value": "ECS102"}]
        after = [d.code for d in await _change(client, path, fixed, 2)]
        before = [d.code for d in diagnostics]
        assert rule not in after and sorted(after) == sorted(c for c in before if c != rule)


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "task-definition.json"
    diagnostics = await _open(client, path, BAD)
    latest = next(d for d in diagnostics if d.code == "ECS210")
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), latest.range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**ECS210** `latest-image-tag`" in hover.contents.value
    assert "[AWS documentation](https://" in hover.contents.value
    nothing = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), types.Position(1, 1))
    )
    assert nothing is None


async def _complete(client: LanguageClient, path: Path, text: str, marker: str = "|") -> list[str]:
    line_number = next(n for n, line in enumerate(text.split("\n")) if marker in line)
    column = text.split("\n")[line_number].index(marker)
    text = text.replace(marker, "")
    await _open(client, path, text, "yaml" if path.suffix == ".yaml" else "json")
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(path.as_uri()), types.Position(line_number, column))
    )
    if result is None:
        return []
    assert isinstance(result, types.CompletionList)
    return [item.insert_text or item.label for item in result.items]


@pytest.mark.asyncio
async def test_completion_of_members_and_enum_values(client: LanguageClient, tmp_path: Path) -> None:
    json_path = tmp_path / "task-definition.json"
    members = await _complete(client, json_path, '{\n  "family": "web",\n  |\n}')
    assert '"networkMode": ' in members and '"family": ' not in members
    assert await _complete(client, json_path, '{\n  "networkMode": "|"\n}') == ["bridge", "host", "awsvpc", "none"]
    inner = await _complete(client, json_path, '{"containerDefinitions": [{"logConfiguration": {"logDriver": |}}]}')
    assert '"awslogs"' in inner and '"awsfirelens"' in inner
    yaml_path = tmp_path / "task-definition.yaml"
    text = "family: web\ncontainerDefinitions:\n  - name: web\n    |\n"
    container = await _complete(client, yaml_path, text)
    assert "image: " in container and "name: " not in container
    assert "FARGATE" in await _complete(client, yaml_path, "requiresCompatibilities:\n  - |\n")
    assert await _complete(client, tmp_path / "package.json", '{"name": "app", |}') == []


@pytest.mark.asyncio
async def test_rapid_changes_are_checked_once_and_a_large_document_is_answered(
    patient_client: LanguageClient, tmp_path: Path
) -> None:
    client = patient_client
    path = tmp_path / "task-definition.json"
    document = json.loads(GOOD_TEXT)
    document["containerDefinitions"] = [
        {**document["containerDefinitions"][0], "name": f"c{n}"} for n in range(300)
    ]  # about 400 KB
    text = json.dumps(document, indent=2)
    await _open(client, path, text)
    assert any(m.message.endswith("checks 1 s after the last change") for m in client.log_messages)
    before = len(client.log_messages)
    for version in range(2, 22):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
                [  # a space typed at the start of line 2, twenty times in a row
                    types.TextDocumentContentChangePartial(
                        range=types.Range(types.Position(1, 0), types.Position(1, 0)), text=" "
                    )
                ],
            )
        )
    offered = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(path.as_uri()), types.Position(1, 2))
    )
    assert isinstance(offered, types.CompletionList) and offered.items  # answered while the changes wait
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    checked = [m for m in client.log_messages[before:] if m.message.startswith("checked ")]
    assert len(checked) == 1 and "(version 21)" in checked[0].message


def test_without_pygls_the_command_says_what_to_install() -> None:
    code = "import sys; sys.modules['pygls'] = None; from ecslint.cli.main import main; sys.exit(main(['lsp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == "ecslint: error: ecslint lsp needs pygls: pip install 'ecslint[lsp]'\n"


def test_the_command_is_listed() -> None:
    done = subprocess.run([str(ECSLINT), "lsp", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "language server" in done.stdout


def test_the_server_exits_on_shutdown_and_exit() -> None:
    def frame(message: dict[str, object]) -> bytes:
        body = json.dumps(message).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "processId": None}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    done = subprocess.run(
        [str(ECSLINT), "lsp"], input=b"".join(frame(m) for m in messages), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    closed = subprocess.run([str(ECSLINT), "lsp"], input=b"", capture_output=True, timeout=60, check=False)
    assert closed.returncode == 0 and not closed.stderr  # the editor went away: so does the server
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout
    assert b"Traceback" not in done.stderr
