"""JSON text as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, several times faster.

With ``indent`` the standard library falls back to its pure-Python encoder, one generator
step per token: for a report of tens of thousands of findings that was a fifth of the run.
Here containers are walked in Python but every string goes through the C escaper, and the
text starts at any indentation (a finding written straight into an enclosing report).
Lone surrogates (from undecodable file names) become ``\\udXXX`` escapes so that the text
encodes as UTF-8.  tests/reporters/test_jsontext.py holds the output to ``json.dumps``'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from json.encoder import encode_basestring

_SURROGATE = re.compile("[\ud800-\udfff]")
_string: Callable[[str], str] = encode_basestring


def dumps(value: object, indent: str = "") -> str:
    """``value`` as indented JSON text whose lines after the first start with ``indent``."""
    parts: list[str] = []
    _write(value, indent, parts.append)
    return escape_surrogates("".join(parts))


def escape_surrogates(text: str) -> str:
    """Write lone surrogates as JSON escapes, so the text encodes as UTF-8."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _write(value: object, indent: str, out: Callable[[str], object]) -> None:
    if isinstance(value, str):
        out(_string(value))
    elif value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, int):
        out(int.__repr__(value))
    elif isinstance(value, float):
        out(_float(value))
    elif isinstance(value, dict):
        if not value:
            out("{}")
            return
        inner = indent + "  "
        separator = "{\n" + inner
        for key, item in value.items():
            name = _string(key if type(key) is str else _key(key))
            if type(item) is str:  # the usual member: one piece instead of three calls
                out(separator + name + ": " + _string(item))
            else:
                out(separator + name + ": ")
                _write(item, inner, out)
            separator = ",\n" + inner
        out("\n" + indent + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out("[]")
            return
        inner = indent + "  "
        separator = "[\n" + inner
        for item in value:
            out(separator)
            _write(item, inner, out)
            separator = ",\n" + inner
        out("\n" + indent + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
