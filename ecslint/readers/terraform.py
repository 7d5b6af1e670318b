"""Terraform: each ``aws_ecs_task_definition`` resource of a ``.tf`` file as API-shaped data.

python-hcl2 (a maintained HCL parser) validates the file and lists its resources; an HCL
syntax error becomes an ECS014 finding at the parser's position.  python-hcl2 keeps no
positions, so the resource bodies are read again here by a small tokenizer and parser for
the part of HCL that task definitions use: attributes, blocks, and the expression subset of
literals, objects (``key = value`` or ``key: value``), tuples, function calls, references and
string templates.  Every node records its offsets, so findings land on the exact line and
column of the ``.tf`` file, including the keys and values inside ``jsonencode([...])``.

The resource's snake_case arguments and blocks become the API's camelCase fields
(``network_mode`` -> ``networkMode``, ``volume`` blocks -> ``volumes``, the ``tags`` map ->
``[{key, value}]``); ``renamed`` records where each sits in the file.  ``container_definitions``
is read from a ``jsonencode`` literal, a heredoc or quoted JSON string, or the JSON file that
``file("...")`` / ``templatefile("...", {...})`` names (relative to the ``.tf`` file, inside the
repository, or the ``.tf`` file's folder outside any; a path beyond that is never read: ECS222).
Anything only known at plan time (references such as ``var.image``, function
calls, ``${...}`` interpolations) becomes an unknown value: the text ``${...}``, which
``ecslint.core.taskdef.is_unknown`` recognises, so no rule judges it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ecslint.core.model import JSON, Violation
from ecslint.core.numbers import MAX_DIGITS, too_long
from ecslint.core.pointer import escape
from ecslint.core.taskdef import is_unknown
from ecslint.readers.document import Document
from ecslint.readers.jsonscan import NodeOffsets
from ecslint.readers.locate import Locator, TextIndex
from ecslint.readers.syntax import TOO_DEEP_REASON, Located, deeper_than_allowed, number_too_long_reason
from ecslint.readers.syntax import _explain as explain_json_error

RESOURCE_TYPE = "aws_ecs_task_definition"
INVALID_HCL = "ECS014"
NOT_A_TASK_DEFINITION = "ECS013"
ORIGIN = "terraform"
_SHOWN = 60  # how much of an unknown expression its value keeps
MAX_REFERENCED_FILE = 5 * 1024 * 1024  # bytes: a container-definitions file is far smaller

# -- the resource schema: argument and block names -> API names --------------------------------

_TASK_ARGUMENTS = {
    "family": "family",
    "cpu": "cpu",
    "memory": "memory",
    "network_mode": "networkMode",
    "requires_compatibilities": "requiresCompatibilities",
    "execution_role_arn": "executionRoleArn",
    "task_role_arn": "taskRoleArn",
    "pid_mode": "pidMode",
    "ipc_mode": "ipcMode",
    "enable_fault_injection": "enableFaultInjection",
}
# Arguments the provider types as strings: Terraform converts ``cpu = 256`` to "256" before the API sees it.
_STRING_ARGUMENTS = frozenset(
    {"family", "cpu", "memory", "networkMode", "executionRoleArn", "taskRoleArn", "pidMode", "ipcMode"}
)
# block type -> (API name, whether the block repeats into a list)
_TASK_BLOCKS = {
    "volume": ("volumes", True),
    "placement_constraints": ("placementConstraints", True),
    "inference_accelerator": ("inferenceAccelerators", True),
    "proxy_configuration": ("proxyConfiguration", False),
    "ephemeral_storage": ("ephemeralStorage", False),
    "runtime_platform": ("runtimePlatform", False),
}
_SPECIAL_NAMES = {
    "size_in_gib": "sizeInGiB",
    "configure_at_launch": "configuredAtLaunch",
    "fsx_windows_file_server_volume_configuration": "fsxWindowsFileServerVolumeConfiguration",
}

# -- tokens -------------------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_PUNCTUATION = ("...", "=>", "==", "!=", "<=", ">=", "&&", "||", "::", ".*", "[*]")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f"}
_DIRECTIVE = re.compile(r"(?<!%)%\{")
_ENDS = frozenset({",", "}", "]", ")"})
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_SCHEDULED = re.compile(r'"?(?:aws_sfn_state_machine|aws_cloudwatch_event_target|aws_scheduler_schedule)"?\s')
_LONG_NUMBER = re.compile(rf"(?<![0-9.])[0-9]{{{MAX_DIGITS + 1},}}")


class HclError(Exception):
    """Text this reader does not understand, at an offset."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset


class HclEscapeError(HclError):
    """An escape sequence HCL itself refuses ("Invalid escape sequence"): Terraform rejects the file."""


@dataclass(frozen=True, slots=True)
class Template:
    """A quoted string or heredoc: its value, with interpolations kept as written."""

    value: str
    dynamic: bool  # holds ${...} or %{...}
    body: tuple[int, int]  # offsets of the content (between the quotes, or the heredoc lines)
    sole: tuple[int, int] | None = None  # "${expr}": the offsets of ``expr``


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ident, number, string, heredoc, punct, newline, interp, eof
    start: int
    end: int
    text: str = ""
    template: Template | None = None
    number: int | float = 0


def tokenize(text: str, start: int = 0, end: int | None = None, *, template: bool = False) -> list[Token]:
    """The tokens of ``text[start:end]``; ``template``: bare ``${...}`` are tokens (a heredoc's JSON)."""
    end = len(text) if end is None else end
    tokens: list[Token] = []
    index = start
    while index < end:
        char = text[index]
        if char in " \t\r":
            index += 1
        elif char == "\n":
            tokens.append(Token("newline", index, index + 1, "\n"))
            index += 1
        elif char == "#" or text.startswith("//", index):
            newline = text.find("\n", index, end)
            index = end if newline < 0 else newline
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2, end)
            index = end if close < 0 else close + 2
        else:
            token = _token(text, index, end, template)
            tokens.append(token)
            index = token.end
    tokens.append(Token("eof", end, end))
    return tokens


def _token(text: str, index: int, end: int, template: bool) -> Token:
    char = text[index]
    if char == '"':
        return _string(text, index, end)
    if text.startswith("<<", index):
        heredoc = _HEREDOC.match(text, index, end)
        if heredoc:
            return _heredoc(text, index, end, heredoc)
    if template and text.startswith(("${", "%{"), index):
        close = _close_brace(text, index + 1, end)
        return Token("interp", index, close, text[index:close])
    number = _NUMBER.match(text, index, end)
    if number:
        literal = number.group()
        if too_long(literal):  # int() refuses it; no ECS field takes it (docs/facts.md 7.9)
            raise HclError(index, number_too_long_reason(literal))
        value = float(literal) if any(c in literal for c in ".eE") else int(literal)
        return Token("number", index, number.end(), literal, number=value)
    ident = _IDENT.match(text, index, end)
    if ident:
        return Token("ident", index, ident.end(), ident.group())
    for punct in _PUNCTUATION:
        if text.startswith(punct, index):
            return Token("punct", index, index + len(punct), punct)
    return Token("punct", index, index + 1, char)


def _string(text: str, start: int, end: int) -> Token:
    """A quoted template: escapes decoded, ``$${`` and ``%%{`` unescaped, interpolations kept."""
    parts: list[str] = []
    interpolations: list[tuple[int, int]] = []
    index = start + 1
    while index < end and text[index] != '"':
        char = text[index]
        if char == "\n":
            raise HclError(start, "unterminated string")
        if char == "\\":
            decoded, index = _escape(text, index, end)
            parts.append(decoded)
        elif text.startswith(("$${", "%%{"), index):
            parts.append(text[index + 1 : index + 3])
            index += 3
        elif text.startswith(("${", "%{"), index):
            close = _close_brace(text, index + 1, end)
            parts.append(text[index:close])
            interpolations.append((index, close))
            index = close
        else:
            parts.append(char)
            index += 1
    if index >= end:
        raise HclError(start, "unterminated string")
    sole = None
    if len(interpolations) == 1 and interpolations[0] == (start + 1, index) and text.startswith("${", start + 1):
        sole = (start + 3, index - 1)
    value = Template("".join(parts), bool(interpolations), (start + 1, index), sole)
    return Token("string", start, index + 1, text[start : index + 1], value)


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _escape(text: str, index: int, end: int) -> tuple[str, int]:
    letter = text[index + 1 : index + 2]
    if letter in ("u", "U"):
        # As HCL decodes them (hclsyntax ParseStringLiteralToken): exactly 4 or 8 hexadecimal
        # digits naming a character UTF-8 can encode; anything else is "Invalid escape sequence".
        width = 4 if letter == "u" else 8
        digits = text[index + 2 : index + 2 + width]
        if len(digits) != width or not all(digit in _HEX_DIGITS for digit in digits):
            raise HclEscapeError(index, f"invalid escape sequence: \\{letter} needs {width} hexadecimal digits")
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise HclEscapeError(index, f"invalid escape sequence: character U+{code:04X} cannot be encoded in UTF-8")
        return chr(code), index + 2 + width
    return _ESCAPES.get(letter, letter), min(index + 2, end)


def _close_brace(text: str, index: int, end: int) -> int:
    """Just past the ``}`` that closes the ``{`` at ``index`` (strings inside are skipped)."""
    depth = 0
    while index < end:
        char = text[index]
        if char == '"':
            index = _skip_string(text, index, end)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise HclError(index, "unclosed interpolation")


def _skip_string(text: str, start: int, end: int) -> int:
    index = start + 1
    while index < end:
        if text[index] == "\\":
            index += 2
        elif text[index] == '"':
            return index + 1
        elif text.startswith(("$${", "%%{"), index):
            index += 3
        elif text.startswith(("${", "%{"), index):
            index = _close_brace(text, index + 1, end)
        elif text[index] == "\n":
            break
        else:
            index += 1
    raise HclError(start, "unterminated string")


def _heredoc(text: str, start: int, end: int, match: re.Match[str]) -> Token:
    marker = match.group(2)
    body_start = line_start = match.end()
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        if text[line_start:line_end].strip() == marker:
            body = text[body_start:line_start]
            if match.group(1):
                body = _dedent(body)
            dynamic = re.search(r"(?<!\$)\$\{|(?<!%)%\{", body) is not None
            value = body.replace("$${", "${").replace("%%{", "%{")
            closing = text.index(marker, line_start)
            template = Template(value, dynamic, (body_start, line_start))
            return Token("heredoc", start, closing + len(marker), text[start : closing + len(marker)], template)
        line_start = line_end + 1
    raise HclError(start, f"heredoc <<{marker} is never closed")


def _dedent(body: str) -> str:
    lines = body.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


# -- the syntax tree: bodies and expressions ------------------------------------------------------


@dataclass(slots=True)
class Expr:
    kind: str  # object, tuple, string, number, bool, null, call, unknown
    start: int
    end: int
    value: JSON = None  # number, bool and string values; the text of an unknown
    template: Template | None = None
    members: list[Member] = field(default_factory=list)  # object
    items: list[Expr] = field(default_factory=list)  # tuple; call arguments
    name: str = ""  # call


@dataclass(slots=True)
class Member:
    key: str
    key_start: int
    key_end: int
    value: Expr


@dataclass(slots=True)
class Attribute:
    name: str
    start: int
    end: int
    value: Expr


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    start: int
    header_end: int  # end of the last label (or of the type)
    open: int  # the ``{``
    close: int  # just past the ``}``
    body: list[Attribute | Block]


class Parser:
    """Bodies and the expression subset, over one token list; unknown syntax becomes unknown values."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0
        self.closing = _matching(tokens)

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def is_punct(self, value: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == "punct" and token.text == value

    def skip_newlines(self) -> None:
        while self.peek().kind == "newline":
            self.advance()

    # -- bodies -------------------------------------------------------------------------------

    def body(self, closing: str | None = None) -> list[Attribute | Block]:
        items: list[Attribute | Block] = []
        while True:
            self.skip_newlines()
            token = self.peek()
            if token.kind == "eof" or (closing is not None and self.is_punct(closing)):
                return items
            if token.kind == "ident" and self.is_punct("=", 1):
                self.pos += 2
                items.append(Attribute(token.text, token.start, token.end, self.expression()))
            elif token.kind == "ident":
                block = self.block()
                if block is not None:
                    items.append(block)
            else:
                self.skip_line()

    def block(self) -> Block | None:
        head = self.advance()
        labels: list[str] = []
        header_end = head.end
        while self.peek().kind in ("string", "ident"):
            label = self.advance()
            labels.append(label.template.value if label.template else label.text)
            header_end = label.end
        if not self.is_punct("{"):
            self.skip_line()
            return None
        opening = self.pos
        self.advance()
        body = self.body("}")
        close = self.tokens[self.closing.get(opening, self.pos)].end
        if self.is_punct("}"):
            self.advance()
        return Block(head.text, labels, head.start, header_end, self.tokens[opening].start, close, body)

    def skip_line(self) -> None:
        while self.peek().kind not in ("newline", "eof"):
            self.skip_token()

    def skip_token(self) -> None:
        """One token, or a whole bracketed group when it opens one."""
        token = self.peek()
        if token.kind == "punct" and token.text in _OPENERS and self.pos in self.closing:
            self.pos = self.closing[self.pos]
        self.advance()

    # -- expressions ------------------------------------------------------------------------------

    def expression(self) -> Expr:
        """An expression up to a newline, ``,`` or a closing bracket; beyond the subset: unknown."""
        first = self.pos
        if self.at_end():
            return self.unknown(self.peek().start, self.peek().start)
        try:
            expr = self.primary()
        except HclError:
            self.pos = first
            expr = None
        if expr is not None and self.at_end():
            return expr
        self.pos = first
        while not self.at_end():
            self.skip_token()
        start = self.tokens[first].start
        end = self.tokens[self.pos - 1].end if self.pos > first else start
        return self.unknown(start, end)

    def at_end(self) -> bool:
        token = self.peek()
        return token.kind in ("newline", "eof") or (token.kind == "punct" and token.text in _ENDS)

    def unknown(self, start: int, end: int) -> Expr:
        return Expr("unknown", start, end, self.text[start:end])

    def primary(self) -> Expr:
        token = self.advance()
        if token.kind == "punct" and token.text == "{":
            expr = self.object(token)
        elif token.kind == "punct" and token.text == "[":
            expr = self.tuple(token)
        elif token.kind in ("string", "heredoc") and token.template is not None:
            expr = Expr("string", token.start, token.end, token.template.value, token.template)
        elif token.kind == "number":
            expr = Expr("number", token.start, token.end, token.number)
        elif token.kind == "punct" and token.text == "-" and self.peek().kind == "number":
            number = self.advance()
            expr = Expr("number", token.start, number.end, -number.number)
        elif token.kind == "ident":
            expr = self.name(token)
        else:
            self.pos -= 1
            self.skip_token()
            expr = self.unknown(token.start, self.tokens[self.pos - 1].end)
        return self.traversals(expr)

    def name(self, token: Token) -> Expr:
        if token.text in ("true", "false"):
            return Expr("bool", token.start, token.end, token.text == "true")
        if token.text == "null":
            return Expr("null", token.start, token.end)
        while self.is_punct("::") and self.peek(1).kind == "ident":  # provider::aws::arn_parse(...)
            self.pos += 2
        if self.is_punct("("):
            return self.call(token)
        return self.unknown(token.start, self.tokens[self.pos - 1].end)

    def traversals(self, expr: Expr) -> Expr:
        """``.attr``, ``[index]``, ``.*``, ``[*]`` after a value: a reference, only known at plan time."""
        end = expr.end
        while self.peek().kind == "punct" and self.peek().text in (".", "[", ".*", "[*]"):
            self.skip_token()
            if self.tokens[self.pos - 1].text == "." and self.peek().kind in ("ident", "number"):
                self.advance()
            end = self.tokens[self.pos - 1].end
        return expr if end == expr.end else self.unknown(expr.start, end)

    def object(self, opening: Token) -> Expr:
        first = self.pos - 1
        expr = Expr("object", opening.start, opening.end)
        try:
            while True:
                self.skip_newlines()
                if self.is_punct("}"):
                    expr.end = self.advance().end
                    return expr
                expr.members.append(self.member())
                if self.is_punct(","):
                    self.advance()
                elif not (self.peek().kind == "newline" or self.is_punct("}")):
                    raise HclError(self.peek().start, "expected a new line, ',' or '}'")
        except HclError:
            return self.give_up(first)

    def member(self) -> Member:
        key = self.advance()
        if key.kind == "ident" and key.text == "for":
            raise HclError(key.start, "for expression")
        if key.kind in ("string", "heredoc") and key.template is not None and not key.template.dynamic:
            name = key.template.value
        elif key.kind in ("ident", "number"):
            name = key.text
        else:
            raise HclError(key.start, "a key only known at plan time")
        if not (self.is_punct("=") or self.is_punct(":")):
            raise HclError(self.peek().start, "expected '=' or ':'")
        self.advance()
        return Member(name, key.start, key.end, self.expression())

    def tuple(self, opening: Token) -> Expr:
        first = self.pos - 1
        expr = Expr("tuple", opening.start, opening.end)
        try:
            expr.items = self.sequence("]")
            expr.end = self.tokens[self.pos - 1].end
        except HclError:
            return self.give_up(first)
        return expr

    def call(self, token: Token) -> Expr:
        first = self.pos
        self.advance()
        expr = Expr("call", token.start, token.end, name=token.text)
        try:
            expr.items = self.sequence(")")
            expr.end = self.tokens[self.pos - 1].end
        except HclError:
            given_up = self.give_up(first)
            return self.unknown(token.start, given_up.end)
        return expr

    def sequence(self, closing: str) -> list[Expr]:
        """Comma-separated expressions up to ``closing`` (new lines do not matter in brackets)."""
        items: list[Expr] = []
        while True:
            self.skip_newlines()
            if self.is_punct(closing):
                self.advance()
                return items
            if self.peek().kind == "ident" and self.peek().text == "for" and not items:
                raise HclError(self.peek().start, "for expression")
            items.append(self.expression())
            self.skip_newlines()
            if self.is_punct(","):
                self.advance()
            elif not self.is_punct(closing):
                raise HclError(self.peek().start, f"expected ',' or '{closing}'")

    def give_up(self, opening: int) -> Expr:
        """The bracketed group opened at token ``opening``, as an unknown value."""
        close = self.closing.get(opening)
        if close is None:
            raise HclError(self.tokens[opening].start, "unclosed bracket")
        self.pos = close + 1
        return self.unknown(self.tokens[opening].start, self.tokens[close].end)


def _matching(tokens: list[Token]) -> dict[int, int]:
    """Token index of each opening bracket -> the index of its closing bracket."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for position, token in enumerate(tokens):
        if token.kind != "punct":
            continue
        if token.text in _OPENERS:
            stack.append(position)
        elif token.text in (")", "]", "}") and stack and _OPENERS[tokens[stack[-1]].text] == token.text:
            closing[stack.pop()] = position
    return closing


def parse_expression(text: str, start: int, end: int, *, template: bool = False) -> Expr | None:
    """The one expression that fills ``text[start:end]``, or None."""
    try:
        tokens = tokenize(text, start, end, template=template)
        parser = Parser(text, tokens)
        parser.skip_newlines()
        expr = parser.expression()
        parser.skip_newlines()
    except (HclError, RecursionError):  # nested too deeply for a task definition
        return None
    return expr if parser.peek().kind == "eof" else None


# -- expressions -> JSON, with the offsets of every node -----------------------------------------


def unknown_value(text: str) -> str:
    """An expression known only at plan time, as a value ``is_unknown`` recognises."""
    compact = " ".join(text.split())
    if len(compact) > _SHOWN:
        compact = compact[: _SHOWN - 1] + "…"  # shortened, never changed: the message quotes the file
    return compact if "${" in compact and compact.endswith("}") else "${" + compact + "}"


def to_json(expr: Expr, pointer: str, nodes: dict[str, NodeOffsets], key: tuple[int, int] = (-1, -1)) -> JSON:
    """The expression's value; each node's offsets are recorded under its pointer."""
    nodes[pointer] = NodeOffsets(expr.start, expr.end, key[0], key[1])
    if expr.kind == "object":
        return {
            member.key: to_json(
                member.value, f"{pointer}/{escape(member.key)}", nodes, (member.key_start, member.key_end)
            )
            for member in expr.members
        }
    if expr.kind == "tuple":
        return [to_json(item, f"{pointer}/{index}", nodes) for index, item in enumerate(expr.items)]
    if expr.kind in ("number", "bool", "null", "string"):
        return expr.value
    return unknown_value(expr.template.value if expr.template else str(expr.value or ""))


def _as_string(value: JSON) -> JSON:
    """A number or bool as Terraform converts it for a string argument; other values unchanged."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return value


def _snake_to_camel(name: str) -> str:
    special = _SPECIAL_NAMES.get(name)
    if special is not None:
        return special
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# -- one resource -> one Document -------------------------------------------------------------------


@dataclass(slots=True)
class _Resource:
    """Builds the API-shaped data of one resource, its node offsets and its renamed pointers."""

    path: str
    text: str
    base: str
    nodes: dict[str, NodeOffsets]
    renamed: dict[str, str] = field(default_factory=lambda: {"": ""})
    problems: list[Located] = field(default_factory=list)  # container_definitions that is not JSON

    def build(self, block: Block) -> dict[str, JSON]:
        self.nodes[self.base] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        data: dict[str, JSON] = {}
        repeated: dict[str, list[JSON]] = {}
        for item in block.body:
            if isinstance(item, Attribute):
                self._argument(item, data)
            elif item.type in _TASK_BLOCKS:
                self._task_block(item, data, repeated)
            elif item.type == "dynamic" and item.labels and item.labels[0] in _TASK_BLOCKS:
                self._dynamic_block(item, data)
        return data

    def _argument(self, attribute: Attribute, data: dict[str, JSON]) -> None:
        file_pointer = "/" + escape(attribute.name)
        key = (attribute.start, attribute.end)
        if attribute.value.kind == "null":
            return  # Terraform: an argument set to null is not set
        if attribute.name == "container_definitions":
            self.renamed["/containerDefinitions"] = file_pointer
            data["containerDefinitions"] = self._containers(attribute, self.base + file_pointer)
        elif attribute.name == "tags":
            self.renamed["/tags"] = file_pointer
            data["tags"] = self._tags(attribute, file_pointer)
        elif attribute.name in _TASK_ARGUMENTS:
            name = _TASK_ARGUMENTS[attribute.name]
            self.renamed["/" + name] = file_pointer
            value = to_json(attribute.value, self.base + file_pointer, self.nodes, key)
            data[name] = _as_string(value) if name in _STRING_ARGUMENTS else value

    def _task_block(self, block: Block, data: dict[str, JSON], repeated: dict[str, list[JSON]]) -> None:
        name, repeats = _TASK_BLOCKS[block.type]
        file_pointer = "/" + escape(block.type)
        if not repeats:
            self.renamed["/" + name] = file_pointer
            data[name] = self._block_object(block, "/" + name, file_pointer)
            return
        items = repeated.setdefault(name, [])
        if not isinstance(data.get(name, items), list):
            return  # a dynamic block made the list unknown
        if not items:
            self.renamed["/" + name] = file_pointer
            self.nodes[self.base + file_pointer] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        index = len(items)
        items.append(self._block_object(block, f"/{name}/{index}", f"{file_pointer}/{index}"))
        data[name] = items

    def _dynamic_block(self, block: Block, data: dict[str, JSON]) -> None:
        name, _ = _TASK_BLOCKS[block.labels[0]]
        file_pointer = "/dynamic/" + escape(block.labels[0])
        self.renamed["/" + name] = file_pointer
        self.nodes[self.base + file_pointer] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        data[name] = unknown_value(f"dynamic {block.labels[0]}")

    def _block_object(self, block: Block, api: str, file_pointer: str) -> dict[str, JSON]:
        self.renamed[api] = file_pointer
        self.nodes[self.base + file_pointer] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        result: dict[str, JSON] = {}
        for item in block.body:
            if isinstance(item, Block):
                name = _snake_to_camel(item.type)
                result[name] = self._block_object(item, f"{api}/{name}", f"{file_pointer}/{escape(item.type)}")
            elif item.value.kind != "null":
                self._block_attribute(item, api, file_pointer, result)
        return result

    def _block_attribute(self, attribute: Attribute, api: str, file_pointer: str, result: dict[str, JSON]) -> None:
        child = f"{file_pointer}/{escape(attribute.name)}"
        value = to_json(attribute.value, self.base + child, self.nodes, (attribute.start, attribute.end))
        if attribute.name == "host_path":  # volume { host_path = "..." } is the API's host.sourcePath
            self.renamed[f"{api}/host"] = child
            result["host"] = {"sourcePath": value}
            return
        name = _snake_to_camel(attribute.name)
        self.renamed[f"{api}/{name}"] = child
        if attribute.name == "properties" and isinstance(value, dict):  # proxy_configuration's map
            result[name] = self._pairs(value, f"{api}/{name}", child, "name")
        else:
            result[name] = value  # driver_opts and labels keep their keys as written

    def _tags(self, attribute: Attribute, file_pointer: str) -> JSON:
        key = (attribute.start, attribute.end)
        value = to_json(attribute.value, self.base + file_pointer, self.nodes, key)
        if not isinstance(value, dict):
            return value
        return self._pairs(value, "/tags", file_pointer, "key")

    def _pairs(self, mapping: dict[str, JSON], api: str, file_pointer: str, key_name: str) -> list[JSON]:
        """A map as the API's list of ``{key, value}`` (or ``{name, value}``) pairs."""
        pairs: list[JSON] = []
        for index, (key, value) in enumerate(mapping.items()):
            self.renamed[f"{api}/{index}"] = f"{file_pointer}/{escape(key)}"
            self.renamed[f"{api}/{index}/{key_name}"] = f"{file_pointer}/{escape(key)}"
            self.renamed[f"{api}/{index}/value"] = f"{file_pointer}/{escape(key)}"
            pairs.append({key_name: key, "value": value})
        return pairs

    # -- container_definitions ----------------------------------------------------------------

    def _containers(self, attribute: Attribute, pointer: str) -> JSON:
        expr = attribute.value
        key = (attribute.start, attribute.end)
        self.nodes[pointer] = NodeOffsets(expr.start, expr.end, *key)
        if expr.kind == "string" and expr.template is not None and expr.template.sole is not None:
            inner = parse_expression(self.text, *expr.template.sole)
            expr = inner if inner is not None else expr
        literal = self._literal_containers(expr, pointer, key)
        if literal is not None:
            return literal
        found = self._file_call(expr)
        return found if found is not None else unknown_value(self.text[attribute.value.start : attribute.value.end])

    def _file_call(self, expr: Expr | None) -> JSON | None:
        """What ``file("x.json")`` or ``templatefile("x.json", {...})`` brings in: the file's JSON, an
        unknown value naming a file outside the boundary (not read: ECS222 says so, and why), or
        None when ``expr`` is no such call or the file cannot be read."""
        if expr is None or expr.kind != "call" or expr.name not in ("file", "templatefile") or not expr.items:
            return None
        found = self._referenced_file(expr.items[0], template=expr.name == "templatefile")
        if isinstance(found, _Outside):
            return unknown_value(f'{expr.name}("{found.shown}"), outside {found.boundary}')
        return found

    def _literal_containers(self, expr: Expr, pointer: str, key: tuple[int, int]) -> JSON | None:
        """``jsonencode([...])``, a heredoc or a quoted JSON string; None when it is none of these."""
        if expr.kind == "call" and expr.name == "jsonencode" and len(expr.items) == 1:
            argument = expr.items[0]
            if argument.kind in ("tuple", "object"):
                return to_json(argument, pointer, self.nodes, key)
            return None
        if expr.kind != "string" or expr.template is None:
            return None
        template = expr.template
        if self.text.startswith("<<", expr.start):
            if _DIRECTIVE.search(template.value) and template.dynamic:
                return None  # %{ for } ... %{ endfor }: the JSON is only known once rendered
            if not template.dynamic and not self._strict_json(*template.body):
                return None
            body = parse_expression(self.text, *template.body, template=True)
            if body is not None and body.kind in ("tuple", "object"):
                containers = to_json(body, pointer, self.nodes, key)
                if body.kind == "tuple" and isinstance(containers, list):
                    self._read_spliced_items(body, containers)
                return containers
            return None
        if deeper_than_allowed(template.value) is not None:
            return None
        try:
            value: JSON = json.loads(template.value)
        except (ValueError, RecursionError):
            return None
        return value if isinstance(value, list | dict) else None

    def _read_spliced_items(self, body: Expr, value: list[JSON]) -> None:
        """``[ ${templatefile("api.json", {...})}, ... ]`` in a heredoc: each item that splices one
        container definition from a file in the repository is that file's object; others stay unknown
        (ECS222 names them)."""
        for index, item in enumerate(body.items):
            if item.kind != "unknown" or not self.text.startswith("${", item.start):
                continue
            found = self._file_call(parse_expression(self.text, item.start + 2, item.end - 1))
            if isinstance(found, dict) or (isinstance(found, str) and is_unknown(found)):
                value[index] = found  # one container, or a file outside the boundary, named

    def _strict_json(self, start: int, end: int) -> bool:
        """Whether a heredoc without interpolations is JSON, as the provider requires (ECS001 if not)."""
        try:
            json.loads(self.text[start:end])
        except RecursionError:
            return False
        except json.JSONDecodeError as error:
            found = explain_json_error(self.text[start:end], error)
            self.problems.append(Located(found.rule_id, found.violation, start + found.start, start + found.end))
            return False
        return True

    def _referenced_file(self, argument: Expr, *, template: bool) -> JSON | _Outside | None:
        """The JSON that ``file("x.json")`` reads, when the file is inside the boundary; None if not.

        The boundary is the repository (the nearest folder with ``.git`` above the ``.tf`` file)
        or, outside any repository, the ``.tf`` file's own folder; never the working directory.
        A path that leaves it is not read, nor even looked at: ``_Outside`` says so (ECS222).
        """
        relative = _literal_path(argument)
        if relative is None:
            return None
        target = _inside_boundary(Path(self.path).parent, relative)
        if target is _OUTSIDE:
            folder = Path(self.path).parent.resolve()
            where = "the repository" if (boundary(folder) / ".git").exists() else "the .tf folder"
            shown = relative if len(relative) <= 16 else "…" + relative[-15:]  # the note shows 60 characters
            return _Outside(shown, where)
        if not isinstance(target, Path) or not target.is_file():
            return None
        try:
            if target.stat().st_size > MAX_REFERENCED_FILE:
                return None
            text = target.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        return _json_file_value(text, template=template)


def literal_json(
    path: str, text: str, expr: Expr, pointer: str, nodes: dict[str, NodeOffsets], key: tuple[int, int]
) -> JSON | None:
    """The JSON an argument spells out (``jsonencode({...})``, a JSON heredoc or a quoted JSON
    string), with its nodes' offsets recorded under ``pointer``; None when it is anything else."""
    return _Resource(path, text, pointer, nodes)._literal_containers(expr, pointer, key)


def _literal_path(argument: Expr) -> str | None:
    """``"x.json"`` or ``"${path.module}/x.json"``; None for a path only known at plan time."""
    if argument.kind != "string" or argument.template is None:
        return None
    value = argument.template.value
    if argument.template.dynamic:
        prefix = re.match(r"\$\{\s*path\.module\s*\}/", value)
        if prefix is None:
            return None
        value = value[prefix.end() :]
        if "${" in value or "%{" in value:
            return None
    return value or None


_OUTSIDE = object()


class _Outside(NamedTuple):
    """A ``file()`` path outside the boundary: not read."""

    shown: str  # the path, shortened to fit ECS222's message
    boundary: str


def _inside_boundary(folder: Path, relative: str) -> object:
    """``folder / relative`` resolved, when it is inside the boundary of ``folder`` (see
    ``_Resource._referenced_file``); ``_OUTSIDE`` when it leaves it; None when it cannot be told."""
    import os

    try:
        base = folder.resolve()
        root = boundary(base)
        # First by its spelling, without touching the file system outside the boundary...
        if not Path(os.path.normpath(base / relative)).is_relative_to(root):
            return _OUTSIDE
        target = (base / relative).resolve()  # ...then through symbolic links inside it
    except (OSError, RuntimeError, ValueError):
        return None
    return target if target.is_relative_to(root) else _OUTSIDE


def boundary(folder: Path) -> Path:
    """The nearest folder with ``.git`` at or above ``folder`` (resolved); without one, ``folder``."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _json_file_value(text: str, *, template: bool) -> JSON | None:
    """A container-definitions file's value; ``templatefile`` placeholders become unknown values."""
    if deeper_than_allowed(text, "[{(") is not None:
        return None  # nested deeper than any walk may go: a value this reader does not know
    if not template:
        try:
            value: JSON = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return value if isinstance(value, list | dict) else None
    if _DIRECTIVE.search(text):
        return None
    expr = parse_expression(text, 0, len(text), template=True)
    if expr is None or expr.kind not in ("tuple", "object"):
        return None
    return to_json(expr, "", {})


# -- one file ---------------------------------------------------------------------------------------


# -- a service that runs one of the file's task definitions -------------------------------------

SERVICE_TYPE = "aws_ecs_service"
# service block type -> (API name, whether the block repeats into a list)
_SERVICE_BLOCKS = {
    "load_balancer": ("loadBalancers", True),
    "service_registries": ("serviceRegistries", True),
    "capacity_provider_strategy": ("capacityProviderStrategy", True),
    "network_configuration": ("networkConfiguration", False),
    "service_connect_configuration": ("serviceConnectConfiguration", False),
}
# ``task_definition = aws_ecs_task_definition.NAME.arn`` (or ``.arn_without_revision``, ``.family``,
# ``.id``: the family), bare or as "${...}", with a literal instance key (``NAME[0]``, ``NAME["web"]``)
# when the resource has ``count`` or ``for_each``; or "${...family}:${...revision}" of one resource
# (docs/facts.md 20).
_NAME = r"([A-Za-z_][A-Za-z0-9_-]*)"
_KEY = r'(\[\s*(?:[0-9]+|"[^"\\$%{}]*")\s*\]|)'
_TASK_REFERENCE = re.compile(
    r'^"?(?:\$\{)?\s*' + RESOURCE_TYPE + r"\." + _NAME + _KEY + r"\.(?:arn|arn_without_revision|family|id)\s*\}?\"?$"
)
_FAMILY_REVISION = re.compile(
    r'^"\$\{\s*' + RESOURCE_TYPE + r"\." + _NAME + _KEY + r"\.family\s*\}:"
    r"\$\{\s*" + RESOURCE_TYPE + r"\.\1\2\.revision\s*\}\"$"
)
_TERRAFORM_REFERENCE = re.compile(re.escape(RESOURCE_TYPE) + r"\.[A-Za-z_][A-Za-z0-9_-]*(?:\[.*\])?$")


def task_reference(text: str) -> str | None:
    """What ``task_definition = TEXT`` refers to, as ``aws_ecs_task_definition.NAME`` followed by
    the instance key it names (``[0]``, ``["web"]``), or None when it is not such a reference."""
    match = _TASK_REFERENCE.match(text) or _FAMILY_REVISION.match(text)
    if match is None:
        return None
    key = re.sub(r"\s+", "", match.group(2))
    if key[1:2].isdigit():
        key = f"[{int(key[1:-1])}]"  # [01] is [1]
    return f"{RESOURCE_TYPE}.{match.group(1)}{key}"


def is_task_reference(uses: str) -> bool:
    """Whether a service's ``uses`` is a Terraform reference (a family never holds a dot)."""
    return _TERRAFORM_REFERENCE.match(uses) is not None


def resolve(reference: str, tasks: list[Document]) -> Document | None:
    """The one task definition of ``tasks`` that ``reference`` (see ``task_reference``) names with
    an instance key it has; None when none does, or more than one resource has that name."""
    label, bracket, key = reference.partition("[")
    named = [task for task in tasks if task.label == label]
    if len(named) != 1 or named[0].instances is None or bracket + key not in named[0].instances:
        return None
    return named[0]


_MAX_COUNT = 1000  # a literal count beyond this is not worth listing: its references stay unpaired


def _instances(block: Block) -> frozenset[str] | None:
    """The instance keys of a resource: ``""`` alone without ``count`` or ``for_each``; the literal
    ``count``'s indexes or ``for_each``'s keys; None when they are known only at plan time."""
    values = {item.name: item.value for item in block.body if isinstance(item, Attribute)}
    count, for_each = values.get("count"), values.get("for_each")
    if count is None and for_each is None:
        return frozenset({""})
    if for_each is None and count is not None:
        number = count.value
        if count.kind == "number" and isinstance(number, int) and not isinstance(number, bool):
            return frozenset(f"[{i}]" for i in range(number)) if 0 <= number <= _MAX_COUNT else None
        return None
    if count is None and for_each is not None:
        keys = _literal_keys(for_each)
        return frozenset(f'["{key}"]' for key in keys) if keys is not None else None
    return None  # both: Terraform refuses the resource


def _literal_keys(expr: Expr) -> list[str] | None:
    """The keys of a literal ``for_each``: a map's keys, or ``toset([...])``'s strings."""
    if expr.kind == "object":
        return [member.key for member in expr.members]
    if expr.kind == "call" and expr.name == "toset" and len(expr.items) == 1 and expr.items[0].kind == "tuple":
        items = expr.items[0].items
        if all(item.kind == "string" and item.template is not None and not item.template.dynamic for item in items):
            return [str(item.value) for item in items]
    return None


@dataclass(slots=True)
class _ServiceResource:
    """The API-shaped data (CreateService input) of one ``aws_ecs_service``, with its positions."""

    text: str
    base: str
    nodes: dict[str, NodeOffsets]
    renamed: dict[str, str] = field(default_factory=lambda: {"": ""})

    def build(self, block: Block) -> dict[str, JSON]:
        self.nodes[self.base] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        data: dict[str, JSON] = {}
        for item in block.body:
            if isinstance(item, Attribute):
                if item.value.kind != "null":
                    self._attribute(item, "", "", data)
            elif item.type in _SERVICE_BLOCKS:
                name, repeats = _SERVICE_BLOCKS[item.type]
                self._block(item, name, "/" + escape(item.type), data, repeats)
            elif item.type == "dynamic" and item.labels and item.labels[0] in _SERVICE_BLOCKS:
                name, _ = _SERVICE_BLOCKS[item.labels[0]]
                self.renamed["/" + name] = "/dynamic/" + escape(item.labels[0])
                self.nodes[self.base + "/dynamic/" + escape(item.labels[0])] = NodeOffsets(
                    item.open, item.close, item.start, item.header_end
                )
                data[name] = unknown_value(f"dynamic {item.labels[0]}")
        return data

    def _attribute(self, attribute: Attribute, api: str, file_pointer: str, result: dict[str, JSON]) -> None:
        name = _snake_to_camel(attribute.name)
        child = f"{file_pointer}/{escape(attribute.name)}"
        self.renamed[f"{api}/{name}"] = child
        result[name] = to_json(attribute.value, self.base + child, self.nodes, (attribute.start, attribute.end))

    def _block(self, block: Block, name: str, file_pointer: str, result: dict[str, JSON], repeats: bool) -> None:
        """``block`` as the member ``name`` of ``result``: an object, or the next item of a list."""
        if not repeats:
            result[name] = self._object(block, f"/{name}", file_pointer)
            return
        items = result.setdefault(name, [])
        if not isinstance(items, list):
            return
        if not items:
            self.renamed[f"/{name}"] = file_pointer
        index = len(items)
        items.append(self._object(block, f"/{name}/{index}", f"{file_pointer}/{index}"))

    def _object(self, block: Block, api: str, file_pointer: str) -> dict[str, JSON]:
        self.renamed[api] = file_pointer
        self.nodes[self.base + file_pointer] = NodeOffsets(block.open, block.close, block.start, block.header_end)
        result: dict[str, JSON] = {}
        services: list[JSON] = []
        for item in block.body:
            if isinstance(item, Attribute):
                if item.value.kind != "null":
                    self._attribute(item, api, file_pointer, result)
            elif item.type == "service":  # service_connect_configuration's repeated service blocks
                index = len(services)
                if not services:
                    self.renamed[f"{api}/services"] = f"{file_pointer}/service"
                services.append(self._object(item, f"{api}/services/{index}", f"{file_pointer}/service/{index}"))
                result["services"] = services
            else:
                name = _snake_to_camel(item.type)
                result[name] = self._object(item, f"{api}/{name}", f"{file_pointer}/{escape(item.type)}")
        return result


def _service_documents(
    path: str,
    text: str,
    blocks: list[Block],
    tasks: list[Document],
    nodes: dict[str, NodeOffsets],
    locator: Locator,
    index: TextIndex,
) -> list[Document]:
    """Each ``aws_ecs_service`` whose ``task_definition`` refers to an ``aws_ecs_task_definition``:
    with that task definition when this file holds it, else naming it in ``uses``, for the run to
    find among the other ``.tf`` files of the module (``engine.pairing``)."""
    labels = {task.label for task in tasks}
    found: list[Document] = []
    for block in blocks:
        if block.labels[:1] != [SERVICE_TYPE] or len(block.labels) != 2:
            continue
        attribute = next(
            (item for item in block.body if isinstance(item, Attribute) and item.name == "task_definition"), None
        )
        reference = task_reference(text[attribute.value.start : attribute.value.end]) if attribute else None
        if reference is None:
            continue
        in_file = reference.partition("[")[0] in labels
        task = resolve(reference, tasks) if in_file else None
        if in_file and task is None:
            continue  # this file's resource, without the instance named: nothing is guessed
        base = f"/resource/{SERVICE_TYPE}/{escape(block.labels[1])}"
        resource = _ServiceResource(text, base, nodes)
        data = resource.build(block)
        label = f"{SERVICE_TYPE}.{block.labels[1]}"
        uses = None if task is not None else reference
        found.append(Document(path, data, "service", base, locator, index, label, resource.renamed, task, uses))
    return found


@dataclass(slots=True)
class TerraformFile:
    documents: list[Document]
    problems: list[Located]
    ok: bool


def read_terraform(
    path: str, text: str, index: TextIndex, scheduled: Callable[..., list[Document]] | None = None
) -> TerraformFile:
    """The task definition resources of one ``.tf`` file, or the reason there are none.

    ``scheduled``: reads the run-task requests of the file's state machines, event targets and
    schedules (``tfscheduled.run_task_documents``), called only when the file names one."""
    too_deep = deeper_than_allowed(text, "[{(")
    if too_deep is not None:  # refused before any parser or walk recurses that deep
        violation = Violation("", {"reason": TOO_DEEP_REASON}, variant="too-deep")
        return TerraformFile([], [Located(INVALID_HCL, violation, too_deep, too_deep + 1)], False)
    names, problem = _validate(text, index)
    if problem is not None:
        return TerraformFile([], [problem], False)
    nodes: dict[str, NodeOffsets] = {}
    locator = Locator(index, nodes=nodes)
    problems: list[Located] = []
    try:
        blocks = _resource_blocks(text)
    except HclEscapeError as error:  # python-hcl2 lets it pass; Terraform does not
        violation = Violation("", {"reason": str(error)})
        return TerraformFile([], [Located(INVALID_HCL, violation, error.offset, error.offset + 2)], False)
    documents = [
        _document(path, text, block, nodes, locator, index, problems)
        for block in blocks
        if block.labels[:1] == [RESOURCE_TYPE] and len(block.labels) == 2
    ]
    found = {document.label for document in documents}
    for name in names:  # a resource the position reader could not find: checked without positions
        label = f"{RESOURCE_TYPE}.{name}"
        if label not in found:
            data: dict[str, JSON] = {"family": unknown_value(label), "containerDefinitions": unknown_value(label)}
            documents.append(Document(path, data, ORIGIN, _base(name), locator, index, label, {"": ""}, instances=None))
    run_tasks: list[Document] = []
    if scheduled is not None and _SCHEDULED.search(text) is not None:  # state machines, event targets, schedules
        run_tasks = scheduled(path, text, blocks, documents, nodes, locator, index)
    documents += _service_documents(path, text, blocks, documents, nodes, locator, index)
    if not documents and not run_tasks:
        violation = Violation("", {"kind": "a Terraform file", "keys": "none"}, "terraform")
        return TerraformFile([], [Located(NOT_A_TASK_DEFINITION, violation, 0, 1)], False)
    documents += run_tasks
    return TerraformFile(documents, problems, True)


def _base(name: str) -> str:
    return f"/resource/{RESOURCE_TYPE}/{escape(name)}"


def _document(
    path: str,
    text: str,
    block: Block,
    nodes: dict[str, NodeOffsets],
    locator: Locator,
    index: TextIndex,
    problems: list[Located],
) -> Document:
    name = block.labels[1]
    resource = _Resource(path, text, _base(name), nodes)
    data = resource.build(block)
    problems.extend(resource.problems)
    label = f"{RESOURCE_TYPE}.{name}"
    instances = _instances(block)
    return Document(path, data, ORIGIN, resource.base, locator, index, label, resource.renamed, instances=instances)


def _resource_blocks(text: str) -> list[Block]:
    """The ``resource`` blocks of the file (none when the position reader cannot read it)."""
    try:
        body = Parser(text, tokenize(text)).body()
    except HclEscapeError:
        raise
    except (HclError, RecursionError):
        return []
    return [item for item in body if isinstance(item, Block) and item.type == "resource"]


def _validate(text: str, index: TextIndex) -> tuple[list[str], Located | None]:
    """python-hcl2's verdict: the names of the task definition resources, or the syntax error."""
    import hcl2  # type: ignore[import-untyped,unused-ignore]

    try:
        parsed = hcl2.loads(text)
    except Exception as error:  # lark's UnexpectedInput family, or the transformer's own errors
        return [], _syntax_error(error, index)
    return _resource_names(parsed), None


def _resource_names(parsed: object) -> list[str]:
    names: list[str] = []
    resources = parsed.get("resource", []) if isinstance(parsed, dict) else []
    for group in resources if isinstance(resources, list) else []:
        if not isinstance(group, dict):
            continue
        for kind, instances in group.items():
            if _unquote(str(kind)) == RESOURCE_TYPE and isinstance(instances, dict):
                names.extend(_unquote(str(name)) for name in instances)
    return names


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _syntax_error(error: Exception, index: TextIndex) -> Located:
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    offset = 0
    if isinstance(line, int) and isinstance(column, int) and line >= 1:
        starts = index.line_starts
        offset = starts[min(line, len(starts)) - 1] + max(column - 1, 0)
    reason, variant = _reason(error, index.text, offset), "default"
    long_number = _LONG_NUMBER.search(index.text) if isinstance(error, ValueError) else None
    if long_number is not None and "integer string conversion" in str(error):  # python-hcl2 ran int() on it
        offset, reason, variant = long_number.start(), number_too_long_reason(long_number.group()), "number-too-long"
    return Located(INVALID_HCL, Violation("", {"reason": reason}, variant=variant), offset, offset + 1)


def _reason(error: Exception, text: str, offset: int) -> str:
    name = type(error).__name__
    if name == "UnexpectedEOF" or offset >= len(text.rstrip()):
        return "unexpected end of file"
    if name in ("UnexpectedToken", "UnexpectedCharacters"):
        found = text[offset:].split("\n", 1)[0].strip()[:20] or "a new line"
        return f"unexpected {found!r}" if found != "a new line" else "unexpected new line"
    first = str(error).strip().split("\n", 1)[0]
    return first[:120] or name
