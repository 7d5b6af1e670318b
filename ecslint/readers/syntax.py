"""The syntax layer: bytes -> text -> parsed data, with every parse problem explained.

Problems that a person can see and fix (typographic quotes pasted from a word processor,
full-width punctuation from an IME, trailing commas, comments, a BOM, UTF-16) are repaired
*in place*: each repair replaces a code point with one code point, so every position in the
repaired text is the same position in the original file.  The repaired text is parsed too,
so one run reports the syntax problems and everything behind them.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import NamedTuple

from ecslint.core.model import JSON, Fix, Replacement, Violation
from ecslint.core.numbers import MAX_DIGITS, too_long

# Rule ids of the syntax layer (see rules/syntax/).
INVALID_JSON = "ECS001"
TYPOGRAPHIC_QUOTE = "ECS002"
FULLWIDTH_PUNCTUATION = "ECS003"
TRAILING_COMMA = "ECS004"
COMMENT = "ECS005"
BYTE_ORDER_MARK = "ECS006"
UTF16_ENCODING = "ECS007"
INVALID_UTF8 = "ECS008"
BINARY_FILE = "ECS009"
EMPTY_FILE = "ECS010"
DUPLICATE_KEY = "ECS011"
INVALID_YAML = "ECS012"

# Collections nested deeper than this are refused (ECS001/ECS012 "too-deep") before anything walks
# them, so no later walk (schema, checks, CloudFormation, locating, reporting) can exhaust the
# stack, however deep the caller's stack already is.  Real task definitions nest 8 deep at most.
MAX_DEPTH = 100
TOO_DEEP_REASON = f"the document nests collections more than {MAX_DEPTH} deep"

DOUBLE_QUOTES = {
    "\u201c": "LEFT DOUBLE QUOTATION MARK",
    "\u201d": "RIGHT DOUBLE QUOTATION MARK",
    "\u2033": "DOUBLE PRIME",
    "\u201e": "DOUBLE LOW-9 QUOTATION MARK",
    "\u201f": "DOUBLE HIGH-REVERSED-9 QUOTATION MARK",
    "\uff02": "FULLWIDTH QUOTATION MARK",
    "\u00ab": "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK",
    "\u00bb": "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK",
}
SINGLE_QUOTES = {
    "\u2018": "LEFT SINGLE QUOTATION MARK",
    "\u2019": "RIGHT SINGLE QUOTATION MARK",
    "\u2032": "PRIME",
    "\u201a": "SINGLE LOW-9 QUOTATION MARK",
}
FULLWIDTH = {
    "\uff1a": ":",
    "\uff0c": ",",
    "\uff5b": "{",
    "\uff5d": "}",
    "\uff3b": "[",
    "\uff3d": "]",
    "\u3000": " ",
    "\u00a0": " ",
    "\u200b": " ",
    "\ufeff": " ",
    "\u3001": ",",
}
_CHAR_NAMES = {
    "\uff1a": "FULLWIDTH COLON",
    "\uff0c": "FULLWIDTH COMMA",
    "\uff5b": "FULLWIDTH LEFT CURLY BRACKET",
    "\uff5d": "FULLWIDTH RIGHT CURLY BRACKET",
    "\uff3b": "FULLWIDTH LEFT SQUARE BRACKET",
    "\uff3d": "FULLWIDTH RIGHT SQUARE BRACKET",
    "\u3000": "IDEOGRAPHIC SPACE",
    "\u00a0": "NO-BREAK SPACE",
    "\u200b": "ZERO WIDTH SPACE",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u3001": "IDEOGRAPHIC COMMA",
}
_STRUCTURAL_AFTER_QUOTE = ":,}]\n\r"


class Located(NamedTuple):
    """A syntax problem at a code-point offset (or span) of the decoded text."""

    rule_id: str
    violation: Violation
    start: int
    end: int


class Decoded:
    """The decoded text (None when it cannot be), the problems met, and the encoding
    (bytes decoded as UTF-16: positions are still code points of the decoded text)."""

    __slots__ = ("encoding", "problems", "text")

    def __init__(self, text: str | None, problems: list[Located] | None = None, encoding: str = "utf-8") -> None:
        self.text = text
        self.problems = problems if problems is not None else []
        self.encoding = encoding


def decode(raw: bytes) -> Decoded:
    """Bytes -> text, explaining a BOM, UTF-16, invalid UTF-8, NUL bytes and empty files."""
    if not raw.strip():
        return Decoded(None, [Located(EMPTY_FILE, Violation("", {}), 0, 0)])
    problems: list[Located] = []
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _decode_utf16(raw[len(bom) :], encoding, with_bom=True)
    guessed = _guess_utf16(raw)
    if guessed:
        return _decode_utf16(raw, guessed, with_bom=False)
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        return Decoded(None, [Located(BINARY_FILE, Violation("", {"offset": offset}), 0, 0)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        byte = raw[error.start]
        problems.append(
            Located(
                INVALID_UTF8,
                Violation("", {"byte": f"0x{byte:02X}", "offset": error.start}),
                len(prefix),
                len(prefix) + 1,
            )
        )
        text = raw.decode("utf-8", errors="replace")
    marks = leading_byte_order_marks(text) if text.startswith("\ufeff") else 0
    if marks:  # one finding and one fix for all of them: a double BOM needs no second run
        fix = Fix("remove the byte order mark", (Replacement(0, marks, ""),))
        problems.append(Located(BYTE_ORDER_MARK, Violation("", {}, fix=fix), 0, marks))
        text = " " * marks + text[marks:]
    return Decoded(text, problems)


def leading_byte_order_marks(text: str) -> int:
    """How many U+FEFF the text starts with (editors that add one to a file that has one make two)."""
    count = 0
    while text.startswith("\ufeff", count):
        count += 1
    return count


def without_fixes(problems: list[Located]) -> list[Located]:
    """``problems`` offering no fix: the file does not parse even once repaired, and --fix writes
    only what parses."""
    return [p._replace(violation=p.violation._replace(fix=None)) if p.violation.fix else p for p in problems]


def _guess_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII text with a NUL in every other byte."""
    sample = raw[:512]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.6 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > half * 0.6 and odd_nuls == 0:
        return "utf-16-be"
    return None


def _decode_utf16(raw: bytes, encoding: str, *, with_bom: bool) -> Decoded:
    text = raw.decode(encoding, errors="replace")
    params = {"encoding": encoding.upper(), "bom": "with" if with_bom else "without"}
    return Decoded(text, [Located(UTF16_ENCODING, Violation("", params), 0, 1)], encoding)


class JsonParse:
    __slots__ = ("data", "ok", "problems", "repaired_text")

    def __init__(self, data: JSON | None, ok: bool, repaired_text: str, problems: list[Located] | None = None) -> None:
        self.data = data
        self.ok = ok
        self.repaired_text = repaired_text
        self.problems = problems if problems is not None else []


class _DuplicateSeen(Exception):
    pass


def _pairs_hook_flag(flag: list[bool]):  # type: ignore[no-untyped-def]
    def hook(pairs: list[tuple[str, JSON]]) -> dict[str, JSON]:
        result = dict(pairs)
        if len(result) != len(pairs):
            flag[0] = True
        return result

    return hook


class _NumberTooLong(Exception):
    def __init__(self, literal: str) -> None:
        super().__init__("number too long")
        self.literal = literal


def _checked_int(literal: str) -> int:
    if too_long(literal):
        raise _NumberTooLong(literal)
    return int(literal)


def _loads(text: str) -> tuple[JSON, bool]:
    """``json.loads`` that also says whether some object repeated a key; ``_NumberTooLong`` for an
    integer of more than 4,300 digits (which ``int()`` refuses)."""
    flag = [False]
    try:
        data = json.loads(text, object_pairs_hook=_pairs_hook_flag(flag))
    except json.JSONDecodeError:
        raise
    except ValueError:  # int() refused a literal: parse again, slowly, to find which one
        flag[0] = False
        data = json.loads(text, object_pairs_hook=_pairs_hook_flag(flag), parse_int=_checked_int)
    return data, flag[0]


def parse_json(text: str) -> JsonParse:
    """Parse JSON; on failure, repair what can be repaired in place and parse again."""
    try:
        data, duplicated = _loads(text)
    except RecursionError:
        return JsonParse(None, False, text, [_too_deep(text)])
    except _NumberTooLong as error:
        return JsonParse(None, False, text, [_number_too_long(text, error.literal)])
    except ValueError:
        pass
    else:
        if _may_nest_too_deep(text) and too_deep(data):
            return JsonParse(None, False, text, [_too_deep(text)])
        return JsonParse(data, True, text, _duplicates(text) if duplicated else [])
    # First as the JSON parser reads strings: a typographic quote inside a string that a straight
    # quote opened is text ("say “hi”, then go"). Only when that does not parse may such a quote
    # close its string (the "name”: “web” of a word processor).
    repaired, problems, declined = _repair(text, quotes_close_strings=False)
    if declined:  # some typographic quote was read as text: see whether that makes it JSON
        try:
            data, duplicated = _loads(repaired)
        except RecursionError:
            return JsonParse(None, False, repaired, [*problems, _too_deep(text)])
        except ValueError:
            repaired, problems = repair(text)
        else:
            if duplicated:
                problems.extend(_duplicates(repaired))
            return JsonParse(data, True, repaired, problems)
    try:
        data, duplicated = _loads(repaired)
    except RecursionError:
        return JsonParse(None, False, repaired, [*problems, _too_deep(text)])
    except (json.JSONDecodeError, _NumberTooLong) as error:
        # The repairs alone do not make it JSON: offer no fix, so --fix never writes a
        # half-repaired file (and a fixed file always parses).
        unfixed = without_fixes(problems)
        if isinstance(error, _NumberTooLong):
            return JsonParse(None, False, repaired, [*unfixed, _number_too_long(repaired, error.literal)])
        return JsonParse(None, False, repaired, [*unfixed, _explain(repaired, error)])
    if _may_nest_too_deep(repaired) and too_deep(data):
        return JsonParse(None, False, repaired, [*without_fixes(problems), _too_deep(repaired)])
    if duplicated:
        problems.extend(_duplicates(repaired))
    return JsonParse(data, True, repaired, problems)


_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"?'
_STRUCTURE = {"[{": re.compile(_STRING + r"|[\[\]{}]"), "[{(": re.compile(_STRING + r"|[\[\]{}()]")}


def _may_nest_too_deep(text: str) -> bool:
    """Whether the text holds enough brackets to nest too deep (counting them is 100 times
    faster than walking the data, and real files have too few to need the walk)."""
    return text.count("[") + text.count("{") > MAX_DEPTH


def too_deep(data: JSON) -> bool:
    """Whether parsed data nests collections more than MAX_DEPTH deep (a walk level by level,
    without recursion; five times faster than scanning the text, which only locates it)."""
    level: list[dict[str, JSON] | list[JSON]] = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below: list[dict[str, JSON] | list[JSON]] = []
        for node in level:
            for child in node.values() if isinstance(node, dict) else node:
                if isinstance(child, dict | list):
                    below.append(child)
        level = below
    return False


def deeper_than_allowed(text: str, openers: str = "[{") -> int | None:
    """The offset of the first bracket (of ``openers``, outside double-quoted strings) that opens
    a collection more than MAX_DEPTH deep, or None."""
    if sum(text.count(opener) for opener in openers) <= MAX_DEPTH:  # cannot nest that deep: no scan
        return None
    depth = 0
    for match in _STRUCTURE[openers].finditer(text):
        char = text[match.start()]
        if char in openers:
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif char in "]})":
            depth -= 1
    return None


def _too_deep(text: str) -> Located:
    """Nested more than MAX_DEPTH deep: at the bracket that goes too deep (the same whether the
    parser gave up first or not, so the outcome never depends on the stack)."""
    offset = deeper_than_allowed(text)
    start = offset if offset is not None else 0
    return Located(INVALID_JSON, Violation("", {"reason": TOO_DEEP_REASON}, variant="too-deep"), start, start + 1)


def number_too_long_reason(literal: str) -> str:
    """Why an integer of more than 4,300 digits is refused (docs/facts.md 7.9)."""
    decimal = literal.lstrip("+-").replace("_", "")
    digits = f"{len(decimal):,} digits" if decimal.isdigit() else f"more than {MAX_DIGITS:,} digits"
    return f"a number of {digits}: no ECS field takes one, and Python tools such as the AWS CLI refuse to read it"


def _number_too_long(text: str, literal: str) -> Located:
    """The literal's position: its first occurrence that is not part of a longer number."""
    found = re.search(r"(?<![0-9.])" + re.escape(literal) + r"(?![0-9.eE])", text)
    start = found.start() if found else max(text.find(literal), 0)
    violation = Violation("", {"reason": number_too_long_reason(literal)}, variant="number-too-long")
    return Located(INVALID_JSON, violation, start, start + len(literal))


def _duplicates(text: str) -> list[Located]:
    from ecslint.readers.jsonscan import scan

    return [
        Located(DUPLICATE_KEY, Violation(pointer, {"key": key}, at="key"), start, end)
        for pointer, start, end, key in scan(text).duplicates
    ]


_EXPLANATIONS = {
    "Expecting property name enclosed in double quotes": "expected a key in double quotes",
    "Expecting ',' delimiter": "expected a comma or a closing bracket",
    "Expecting ':' delimiter": "expected a colon after the key",
    "Expecting value": "expected a value (a string, number, object, array, true, false or null)",
    "Unterminated string starting at": "this string is never closed",
    "Invalid control character at": "a raw control character (tab or newline) inside a string; escape it",
    "Extra data": "more text after the end of the JSON document",
    "Invalid \\escape": "invalid backslash escape in a string",
    "Invalid \\uXXXX escape": "invalid \\u escape in a string",
}


def _explain(text: str, error: json.JSONDecodeError) -> Located:
    reason = error.msg
    for prefix, explanation in _EXPLANATIONS.items():
        if error.msg.startswith(prefix):
            reason = explanation
            break
    position = min(error.pos, max(len(text) - 1, 0))
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    variant = "default"
    if line.lstrip().startswith(("<<<<<<<", "=======", ">>>>>>>")):
        reason, variant = "a merge-conflict marker is left in the file", "merge-conflict"
    elif text.startswith("${", position) or text.startswith("{{", position):
        reason, variant = "a template expression stands outside a string", "template"
    elif text[position : position + 1] == "'":
        reason, variant = "strings must use double quotes, not single quotes", "single-quote"
    return Located(INVALID_JSON, Violation("", {"reason": reason}, variant=variant), position, position + 1)


def repair(text: str) -> tuple[str, list[Located]]:
    """Replace typographic quotes, full-width punctuation, trailing commas and comments.

    Every replacement keeps the length, so offsets in the result are offsets in ``text``.
    """
    repaired, problems, _ = _repair(text, quotes_close_strings=True)
    return repaired, problems


def _repair(text: str, *, quotes_close_strings: bool) -> tuple[str, list[Located], bool]:
    """``repair``; ``quotes_close_strings``: a typographic quote followed by structure (``:``,
    ``,``, ``}``...) closes a string that a straight quote opened; without it, it is text of that
    string, and the third value says whether that happened (else both readings are the same)."""
    declined = False
    chars = list(text)
    problems: list[Located] = []
    quotes: list[int] = []
    fullwidth: list[int] = []
    length = len(text)
    index = 0
    closing: str | None = None  # None: outside a string; '"': ASCII string; "typo": typographic one
    while index < length:
        char = text[index]
        if closing is None:
            if char == '"':
                closing = '"'
            elif char in DOUBLE_QUOTES or char in SINGLE_QUOTES:
                quotes.append(index)
                chars[index] = '"'
                closing = "typo"
            elif char in FULLWIDTH and not (FULLWIDTH[char] == "," and _is_trailing(text, index)):
                fullwidth.append(index)
                chars[index] = FULLWIDTH[char]
            elif char == "/" and text.startswith(("//", "/*"), index):
                index = _blank_comment(text, chars, index, problems)
                continue
            elif (char == "," or char in FULLWIDTH) and _is_trailing(text, index):  # a (full-width) comma
                chars[index] = " "
                fix = Fix("remove the trailing comma", (Replacement(index, index + 1, ""),))
                problems.append(Located(TRAILING_COMMA, Violation("", {}, fix=fix), index, index + 1))
        elif char == "\\":
            index += 2
            continue
        elif closing == '"':
            if char == '"':
                closing = None
            elif (char in DOUBLE_QUOTES or char in SINGLE_QUOTES) and _closes(text, index + 1):
                if quotes_close_strings:
                    quotes.append(index)
                    chars[index] = '"'
                    closing = None
                else:
                    declined = True
        else:  # inside a string opened by a typographic quote
            if char == '"' or ((char in DOUBLE_QUOTES or char in SINGLE_QUOTES) and _closes(text, index + 1)):
                if char != '"':
                    quotes.append(index)
                    chars[index] = '"'
                closing = None
            elif char in "\r\n":
                closing = None  # never spans lines: give up on this string
        index += 1
    if quotes:
        problems.insert(0, _summary(TYPOGRAPHIC_QUOTE, text, quotes, '"', DOUBLE_QUOTES | SINGLE_QUOTES))
    if fullwidth:
        problems.append(_summary(FULLWIDTH_PUNCTUATION, text, fullwidth, None, _CHAR_NAMES))
    return "".join(chars), problems, declined


def _is_trailing(text: str, index: int) -> bool:
    """The comma at ``index`` is followed only by a closing bracket."""
    after = _next_significant(text, index + 1)
    return after < len(text) and text[after] in "}]\uff5d\uff3d"


def _closes(text: str, index: int) -> bool:
    """A quote followed by structure (``:`` ``,`` ``}`` ``]`` or a line end) closes a string."""
    while index < len(text) and text[index] in " \t":
        index += 1
    return index >= len(text) or text[index] in _STRUCTURAL_AFTER_QUOTE or text[index] in "\uff1a\uff0c\uff5d"


def _next_significant(text: str, index: int) -> int:
    length = len(text)
    while index < length:
        if text[index] in " \t\r\n\u3000\u00a0":
            index += 1
        elif text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end < 0 else end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = length if end < 0 else end + 2
        else:
            break
    return index


def _blank_comment(text: str, chars: list[str], index: int, problems: list[Located]) -> int:
    if text.startswith("//", index):
        end = text.find("\n", index)
        end = len(text) if end < 0 else end
        if end > index and text[end - 1] == "\r":
            end -= 1
    else:
        close = text.find("*/", index + 2)
        end = len(text) if close < 0 else close + 2
    for position in range(index, end):
        if chars[position] not in "\r\n":
            chars[position] = " "
    fix = Fix("remove the comment", (Replacement(index, end, ""),), safe=False)
    problems.append(Located(COMMENT, Violation("", {}, fix=fix), index, min(end, index + 2)))
    return end


def _summary(rule_id: str, text: str, offsets: list[int], replacement: str | None, names: dict[str, str]) -> Located:
    """One finding for all occurrences: at the first, counting the rest, with one fix for all."""
    first = offsets[0]
    char = text[first]
    lines = _line_numbers(text, offsets)
    more = len(offsets) - 1
    params: dict[str, object] = {
        "char": char,
        "codepoint": f"U+{ord(char):04X}",
        "char_name": names.get(char, "character"),
        "ascii": replacement if replacement is not None else FULLWIDTH.get(char, "?"),
        "count": len(offsets),
        "more": more,
        "lines": line_ranges(lines),
    }
    replacements = tuple(
        Replacement(offset, offset + 1, replacement if replacement is not None else FULLWIDTH[text[offset]])
        for offset in offsets
    )
    fix = Fix(f"replace {len(offsets)} character(s) with ASCII", replacements)
    variant = "default" if more == 0 else "many"
    return Located(rule_id, Violation("", params, variant=variant, fix=fix), first, first + 1)


def _line_numbers(text: str, offsets: list[int]) -> list[int]:
    """The distinct line numbers of ``offsets`` (ascending, as the repairs find them), counting the
    newlines between one offset and the next only (not from the start of the text for each)."""
    lines: list[int] = []
    line, counted = 1, 0
    for offset in sorted(offsets):
        line += text.count("\n", counted, offset)
        counted = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def line_ranges(lines: list[int]) -> str:
    """Sorted line numbers as ranges: ``[2, 3, 4, 8]`` -> ``"2-4, 8"``."""
    if not lines:
        return ""
    ranges: list[str] = []
    start = previous = lines[0]
    for line in [*lines[1:], None]:
        if line is not None and line == previous + 1:
            previous = line
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if line is not None:
            start = previous = line
    return ", ".join(ranges)
