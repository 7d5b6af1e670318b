"""The schema layer: the task definition against the JSON Schema generated from botocore's model.

``validate`` runs ``schemas/task-definition.schema.json`` (see ``schemas/generate.py``) over a
task definition and turns each schema error into one ``(rule id, Violation)`` pair, with a
message built from the user's own keys and values, never a validator's text:

* ECS020 unknown-key: a key the API does not accept (points at the key; "did you mean");
* ECS021 wrong-type: a value of the wrong JSON type ("256" where an integer belongs);
* ECS022 invalid-enum-value: a value outside the model's enum ("fargate" -> "FARGATE");
* ECS023 missing-required-member: an object without a member the API requires;
* ECS024 value-out-of-range: a length, count or number outside the allowed bounds;
* ECS025 read-only-field: a describe-task-definition field that register rejects;
* ECS026 null-value: members set to null, one finding per object that has them (one for all, when several objects do).

Each problem location (pointer, key or value) gets exactly one finding, the most specific
one; values known only at deploy time (``${VAR}``, ``{"Ref": ...}``) are never judged.  The
schema is compiled once per process by ``fastschema.py``, which answers "valid?" and lists the
errors exactly as jsonschema's Draft 2020-12 validator does (tests hold it to that); jsonschema
itself runs only if a regenerated schema used a keyword the compiler lacks.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, NamedTuple

from ecslint.core.data import schemas_dir
from ecslint.core.model import JSON, Fix, Occurrence, ValueEdit, Violation
from ecslint.core.pointer import join
from ecslint.core.taskdef import is_unknown
from ecslint.schema.compiled import CompiledSchema
from ecslint.schema.compiled import SchemaError as _SchemaError

SCHEMA_FILE = "task-definition.schema.json"
READ_ONLY_FIELDS_DEF = "x-read-only-fields"
RUN_PARAMETERS_DEF = "x-service-or-run-task-parameters"

UNKNOWN_KEY = "ECS020"
WRONG_TYPE = "ECS021"
INVALID_ENUM_VALUE = "ECS022"
MISSING_REQUIRED_MEMBER = "ECS023"
VALUE_OUT_OF_RANGE = "ECS024"
READ_ONLY_FIELD = "ECS025"
NULL_VALUE = "ECS026"
RULE_IDS = (
    UNKNOWN_KEY,
    WRONG_TYPE,
    INVALID_ENUM_VALUE,
    MISSING_REQUIRED_MEMBER,
    VALUE_OUT_OF_RANGE,
    READ_ONLY_FIELD,
    NULL_VALUE,
)
_NULLS_NAMED = 4  # how many null members a message names before "and N more"

# When two findings land on the same node, the lower rank wins: a number where a string
# belongs is a type problem, not also an enum or a length problem.
_RANK = {
    READ_ONLY_FIELD: 0,
    UNKNOWN_KEY: 0,
    WRONG_TYPE: 1,
    INVALID_ENUM_VALUE: 2,
    MISSING_REQUIRED_MEMBER: 3,
    VALUE_OUT_OF_RANGE: 4,
}

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "a list",
    "object": "an object",
    "null": "null",
}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER_TEXT = re.compile(r"\s*-?[0-9]{1,18}\s*")
_SEPARATORS = re.compile(r"[\s_-]+")
_MAX_SHOWN = 60
# Members the API requires that an origin supplies elsewhere: CloudFormation names the family
# itself; a bare container-definitions array is only part of a task definition.
_OPTIONAL_AT_ROOT = {
    "cloudformation": frozenset({"family"}),
    "containers": frozenset({"family"}),
}
# Origins whose tooling drops null members instead of sending them to the API.
_NULL_IS_UNSET = frozenset({"containers", "terraform"})
_HUGE_INTEGER_BITS = 4000  # about 1200 digits: far below the 4300 Python prints

DocPath = tuple[str | int, ...]  # a node's place in the document, as jsonschema gives it


# -- the schema and its validator, built once ---------------------------------------------------


@cache
def load_schema() -> dict[str, Any]:
    """The generated schema, read once per process."""
    text = (schemas_dir() / SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def read_only_fields() -> frozenset[str]:
    """Fields of describe-task-definition output that register-task-definition rejects."""
    names = load_schema()["$defs"][READ_ONLY_FIELDS_DEF]["enum"]
    return frozenset(str(name) for name in names)


@cache
def run_parameters() -> frozenset[str]:
    """create-service and run-task parameters that do not belong in a task definition."""
    names = load_schema()["$defs"].get(RUN_PARAMETERS_DEF, {}).get("enum", [])
    return frozenset(str(name) for name in names)


def _is_integer(checker: object, value: object) -> bool:
    """JSON integers only: botocore rejects ``256.0`` and JSON ``true`` where an integer belongs."""
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator, validators  # type: ignore[import-untyped,unused-ignore]

    type_checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)
    strict = validators.extend(Draft202012Validator, type_checker=type_checker)  # type: ignore[no-untyped-call,unused-ignore]
    return strict(load_schema())


# -- jsonschema errors, converted at once --------------------------------------------------------


class _Candidate(NamedTuple):
    rule_id: str
    path: DocPath
    violation: Violation


def _schema_errors(data: dict[str, JSON]) -> Iterator[_SchemaError]:
    """What the schema rejects: from the compiled schema, or jsonschema when it cannot compile."""
    compiled = _compiled_schema()
    if compiled is not None:
        yield from compiled.errors(data)
        return
    for error in _validator().iter_errors(data):
        yield from _converted(error)


def _converted(error: Any) -> Iterator[_SchemaError]:
    """One error as a ``_SchemaError``; for ``anyOf``/``oneOf``, the best-matching branch error."""
    if error.validator in ("anyOf", "oneOf"):
        if error.context:
            from jsonschema.exceptions import best_match  # type: ignore[import-untyped,unused-ignore]

            yield from _converted(best_match(error.context))
        return
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    yield _SchemaError(str(error.validator), tuple(error.absolute_path), error.instance, error.validator_value, schema)


# -- the public entry point ----------------------------------------------------------------------


def validate(data: dict[str, JSON], origin: str = "register") -> Iterator[tuple[str, Violation]]:
    """Schema findings for one task definition, as ``(rule id, Violation)``, in document order.

    ``origin`` is "register" (register-task-definition input), "describe" (the inner
    ``taskDefinition`` of describe output, whose read-only fields are accepted) or
    "cloudformation".  The read-only fields of describe output are one mistake (the output
    pasted as input): one ECS025 finding names them all, at the first, and covers them.
    """
    found = list(_validate(data, origin))
    if isinstance(data, dict):
        found.extend(_empty_images(data))
    yield from one_read_only_finding(found)


def one_read_only_finding(found: list[tuple[str, Violation]]) -> Iterator[tuple[str, Violation]]:
    """``found`` with its read-only field findings made one, where the first of them stood."""
    read_only = [violation for rule_id, violation in found if rule_id == READ_ONLY_FIELD]
    if not read_only:
        yield from found
        return
    merged = _read_only_fields(read_only)
    first = True
    for rule_id, violation in found:
        if rule_id != READ_ONLY_FIELD:
            yield rule_id, violation
        elif first:
            first = False
            yield rule_id, merged


def _read_only_fields(found: list[Violation]) -> Violation:
    """One ECS025 violation for every read-only field: at the first, naming all, covering all."""
    if len(found) == 1:
        first = found[0]
        return first._replace(covers=(first.pointer,))
    keys = [str(violation.params["key"]) for violation in found]
    variant = found[0].variant + "-many"
    params = {"key": keys[0], "keys": _quoted_list(keys, "and"), "count": len(keys)}
    occurrences = tuple(Occurrence(violation.pointer, "key") for violation in found)
    covers = tuple(violation.pointer for violation in found)
    return Violation(found[0].pointer, params, variant=variant, at="key", occurrences=occurrences, covers=covers)


def _empty_images(data: dict[str, JSON]) -> Iterator[tuple[str, Violation]]:
    """``"image": ""`` is refused as a missing image is: "The container.image should not be null or
    empty" (docs/facts.md 6.4), so it is the same finding, ECS023, on the empty value."""
    containers = data.get("containerDefinitions")
    if not isinstance(containers, list):
        return
    for index, container in enumerate(containers):
        if isinstance(container, dict) and container.get("image") == "":
            params = {
                "member": "image",
                "members": "'image'",
                "count": 1,
                "parent": _label(data, ("containerDefinitions", index)),
            }
            yield (
                MISSING_REQUIRED_MEMBER,
                Violation(join("", "containerDefinitions", index, "image"), params, variant="image-empty"),
            )


def _validate(data: dict[str, JSON], origin: str) -> Iterator[tuple[str, Violation]]:
    if not isinstance(data, dict):
        yield WRONG_TYPE, _root_is_not_an_object(data)
        return
    passes = _fast_check_passes(data)
    # The schema rejects null everywhere (a test holds the generated schema to that), so a
    # document that passes holds nulls only in the describe-only members the check leaves out.
    nulls = _null_members({k: v for k, v in data.items() if k in read_only_fields()} if passes else data)
    if nulls:
        # Terraform's provider reads container definitions into typed structs: a null there is
        # simply unset (and a null argument is no argument), so only the other origins report them.
        if origin not in _NULL_IS_UNSET:
            yield from _null_findings(data, nulls)
        data = _without_null_members(data)
    if passes or _fast_check_passes(data):
        # valid but for describe-only fields: those are the only findings (none in describe output)
        if origin != "describe":
            for key in data:
                if key in read_only_fields():
                    yield READ_ONLY_FIELD, _read_only_field((key,), key, origin).violation
        return
    try:
        chosen = _one_per_location(_candidates(data, origin))
    except ValueError:  # jsonschema cannot print an integer of more than 4300 digits
        data = _without_huge_integers(data)
        chosen = _one_per_location(_candidates(data, origin))
    key_places: dict[int, dict[object, int]] = {}
    for candidate in sorted(chosen, key=lambda c: _document_order(data, c, key_places)):
        yield candidate.rule_id, candidate.violation


# -- ECS026 null-value ----------------------------------------------------------------------------


# A tuple, not ``dict | list``: isinstance builds that union at every call (3 times slower).
_COLLECTIONS = (dict, list)


def _null_members(value: object, path: DocPath = ()) -> dict[DocPath, list[str]]:
    """Object path -> the keys of its members whose value is null, in document order."""
    found: dict[DocPath, list[str]] = {}
    if isinstance(value, dict):
        keys = [key for key, item in value.items() if item is None]
        if keys:
            found[path] = keys
        for key, item in value.items():
            if isinstance(item, _COLLECTIONS):
                found.update(_null_members(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, _COLLECTIONS):
                found.update(_null_members(item, (*path, index)))
    return found


def _null_findings(data: dict[str, JSON], nulls: dict[DocPath, list[str]]) -> Iterator[tuple[str, Violation]]:
    if len(nulls) > 1:
        # nulls in several objects come from one paste (a console export, a CLI skeleton): one finding
        yield NULL_VALUE, _nulls_in_objects(nulls)
        return
    for path, keys in nulls.items():
        named = _quoted_list(keys[:_NULLS_NAMED], "and")
        more = len(keys) - _NULLS_NAMED
        params: dict[str, object] = {
            "where": _label(data, path),
            "keys": named if more <= 0 else f"{', '.join(_quoted(k) for k in keys[:_NULLS_NAMED])} and {more} more",
            "count": len(keys),
        }
        variant = "one" if len(keys) == 1 else "default"
        yield NULL_VALUE, Violation(join("", *path, keys[0]), params, variant=variant, at="key")


def _nulls_in_objects(nulls: dict[DocPath, list[str]]) -> Violation:
    """One ECS026 violation for null members in several objects: at the first, naming the keys."""
    pointers = [join("", *path, key) for path, keys in nulls.items() for key in keys]
    names = list(dict.fromkeys(key for keys in nulls.values() for key in keys))
    more = len(names) - _NULLS_NAMED
    shown = (
        _quoted_list(names[:_NULLS_NAMED], "and")
        if more <= 0
        else (f"{', '.join(_quoted(k) for k in names[:_NULLS_NAMED])} and {more} more")
    )
    params: dict[str, object] = {"keys": shown, "objects": len(nulls), "count": len(pointers)}
    occurrences = tuple(Occurrence(pointer, "key") for pointer in pointers)
    return Violation(pointers[0], params, variant="many", at="key", occurrences=occurrences)


def _without_null_members(value: Any) -> Any:
    """A copy without the members whose value is null (each is reported once, as ECS026)."""
    if isinstance(value, dict):
        return {key: _without_null_members(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_null_members(item) for item in value]
    return value


def prepare() -> None:
    """Compile the schema now: ``-j`` forks after this, so that each worker does not compile it."""
    _compiled_schema()
    read_only_fields()


@cache
def _compiled_schema() -> CompiledSchema | None:
    from ecslint.schema.compiled import UnsupportedSchema, compile_schema

    try:
        return compile_schema(load_schema())
    except UnsupportedSchema:  # a regenerated schema uses a keyword the compiled check lacks
        return None


def _fast_check_passes(data: dict[str, JSON]) -> bool:
    """True when the document certainly has no schema finding but its describe-only fields."""
    compiled = _compiled_schema()
    if compiled is None:
        return False
    return compiled.ok({key: value for key, value in data.items() if key not in read_only_fields()})


def _without_huge_integers(value: Any) -> Any:
    """A copy with integers too long to print as text replaced by infinity of the same sign."""
    if isinstance(value, dict):
        return {key: _without_huge_integers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_huge_integers(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _HUGE_INTEGER_BITS:
        return math.inf if value > 0 else -math.inf
    return value


def _candidates(data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    for error in _schema_errors(data):
        if _depends_on_unknown(data, error.path):
            continue
        explain = _EXPLAINERS.get(error.keyword)
        if explain is not None:
            yield from explain(error, data, origin)


def _one_per_location(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """The most specific candidate per (pointer, key-or-value), without wrong types inside wrong types."""
    best: dict[tuple[str, str], _Candidate] = {}
    for candidate in candidates:
        location = (candidate.violation.pointer, candidate.violation.at)
        current = best.get(location)
        if current is None or _RANK[candidate.rule_id] < _RANK[current.rule_id]:
            best[location] = candidate
    wrong_types = {c.path for c in best.values() if c.rule_id == WRONG_TYPE}
    return [c for c in best.values() if not _inside_any(c.path, wrong_types)]


def _inside_any(path: DocPath, ancestors: set[DocPath]) -> bool:
    return any(path[:length] in ancestors for length in range(len(path)))


def _depends_on_unknown(data: dict[str, JSON], path: DocPath) -> bool:
    """True when the value at ``path``, or a value containing it, is only known at deploy time."""
    node: object = data
    if is_unknown(node):
        return True
    for token in path:
        node = _child(node, token)
        if node is _ABSENT:
            return False
        if is_unknown(node):
            return True
    return False


_ABSENT = object()


def _child(node: object, token: str | int) -> object:
    if isinstance(node, dict):
        return node.get(token, _ABSENT)
    if isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
        return node[token]
    return _ABSENT


def _document_order(
    data: dict[str, JSON], candidate: _Candidate, key_places: dict[int, dict[object, int]]
) -> tuple[tuple[int, ...], int, str]:
    """Sort key: the node's position in the document, a key before its value, then the rule id.

    ``key_places``: each object's keys and their places, by the object's id, listed once for all
    candidates (thousands of unknown keys in one object are not each looked for in a new list)."""
    positions: list[int] = []
    node: object = data
    for token in candidate.path:
        if isinstance(node, dict) and token in node:
            places = key_places.get(id(node))
            if places is None:
                places = key_places[id(node)] = {key: place for place, key in enumerate(node)}
            positions.append(places[token])
        elif isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
            positions.append(token)
        else:
            positions.append(1 << 30)
            break
        node = _child(node, token)
    key_first = 0 if candidate.violation.at == "key" else 1
    return tuple(positions), key_first, candidate.rule_id


# -- ECS020 unknown-key and ECS025 read-only-field ----------------------------------------------


def _unknown_keys(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    if error.expected is not False or not isinstance(error.instance, dict):
        return
    allowed = [str(name) for name in error.schema.get("properties", {})]
    unknown = [key for key in error.instance if key not in allowed]
    # a rename may not give the object a key twice: offered only when the suggestion is free and unique
    suggested = [suggest(str(key), allowed) for key in unknown]
    names = Counter(suggestion for suggestion, _ in suggested)
    for key, (suggestion, same_word) in zip(unknown, suggested, strict=True):
        path = (*error.path, key)
        if not error.path and key in read_only_fields():
            if origin != "describe":
                yield _read_only_field(path, str(key), origin)
            continue
        free = suggestion is not None and suggestion not in error.instance and names[suggestion] == 1
        yield _unknown_key(path, str(key), _label(data, error.path), (suggestion, same_word), renamable=free)


def _unknown_key(
    path: DocPath, key: str, parent: str, suggested: tuple[str | None, bool], *, renamable: bool = False
) -> _Candidate:
    suggestion, same_word = suggested
    params: dict[str, object] = {"key": key, "parent": parent, "suggestion": suggestion or ""}
    variant = _unknown_key_variant(path, suggestion, same_word)
    fix = None
    if renamable and suggestion is not None and variant in ("case", "suggestion"):
        # the hint's own rename; unsafe: a guess at what was meant, and it changes what the task does
        rename = ValueEdit(join("", *path), suggestion, "key")
        fix = Fix(f"rename {key!r} to {suggestion!r}", edits=(rename,), safe=False)
    pointer = join("", *path)
    # the member is reported as a whole: nothing inside it (a null, say) is reported again
    violation = Violation(pointer, params, variant=variant, at="key", fix=fix, covers=(pointer,))
    return _Candidate(UNKNOWN_KEY, path, violation)


def _unknown_key_variant(path: DocPath, suggestion: str | None, same_word: bool) -> str:
    """Which ECS020 message fits: a misplaced parameter, a secret among variables, or a spelling."""
    key = path[-1]
    if len(path) == 1 and key in run_parameters():
        return "run-parameter"
    if key == "valueFrom" and len(path) >= 3 and path[-3] == "environment":
        return "secret-in-environment"
    if suggestion is None:
        return "default"
    return "case" if same_word else "suggestion"


def _read_only_field(path: DocPath, key: str, origin: str) -> _Candidate:
    variant = "cloudformation" if origin == "cloudformation" else "default"
    violation = Violation(join("", *path), {"key": key}, variant=variant, at="key")
    return _Candidate(READ_ONLY_FIELD, path, violation)


def suggest(word: str, candidates: Sequence[str]) -> tuple[str | None, bool]:
    """The candidate ``word`` most likely meant, and whether it is the same word spelled differently.

    A match ignoring case, ``_``, ``-`` and spaces comes first (``Family`` -> ``family``,
    ``fargate`` -> ``FARGATE``); otherwise the closest spelling (``memroy`` -> ``memory``).
    """
    import difflib

    folded = _folded(tuple(candidates))
    same = folded.get(_fold(word))
    if same is not None:
        return same, True
    close = difflib.get_close_matches(_fold(word), list(folded), n=1, cutoff=0.75)
    return (folded[close[0]], False) if close else (None, False)


@lru_cache(maxsize=64)
def _folded(candidates: tuple[str, ...]) -> dict[str, str]:
    """Each candidate by its folded spelling (the first of those folding alike), built once per list."""
    folded: dict[str, str] = {}
    for candidate in candidates:
        folded.setdefault(_fold(candidate), candidate)
    return folded


def _fold(word: str) -> str:
    return _SEPARATORS.sub("", word).casefold()


# -- ECS021 wrong-type ---------------------------------------------------------------------------


def _wrong_type(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    expected = [error.expected] if isinstance(error.expected, str) else list(_strings(error.expected))
    if origin == "cloudformation" and _cloudformation_converts(error.instance, expected):
        return
    if origin == "terraform" and _terraform_converts(error.path, error.instance, expected):
        return
    has_enum = "enum" in error.schema  # "5" is no better than 5 where only listed values are accepted
    violation = _wrong_type_violation(error.path, _label(data, error.path), expected, error.instance, has_enum)
    yield _Candidate(WRONG_TYPE, error.path, violation)


def _cloudformation_converts(value: object, expected: Sequence[str]) -> bool:
    """CloudFormation converts scalars: 256 for "256", "512" for 512, "true" for true."""
    if isinstance(value, dict | list) or value is None:
        return False
    text = str(value).strip().lower() if not isinstance(value, bool) else str(value).lower()
    for name in expected:
        if name == "string":
            return True
        if name == "integer" and not isinstance(value, bool) and _INTEGER_TEXT.fullmatch(text):
            return True
        if name == "boolean" and text in ("true", "false"):
            return True
    return False


def _terraform_converts(path: DocPath, value: object, expected: Sequence[str]) -> bool:
    """Terraform converts the resource's own arguments as CloudFormation does (``cpu = 256`` is
    "256"); the container definitions are JSON that the provider unmarshals strictly."""
    return (not path or path[0] != "containerDefinitions") and _cloudformation_converts(value, expected)


def _wrong_type_violation(
    path: DocPath, field: str, expected: Sequence[str], value: object, has_enum: bool = False
) -> Violation:
    example = _example(expected[0], value) if len(expected) == 1 and not has_enum else None
    params: dict[str, object] = {
        "field": field,
        "expected": " or ".join(_TYPE_NAMES.get(name, name) for name in expected),
        "found": _describe(value),
        "example": example or "",
        "value": _show(value),
    }
    variant = "null" if value is None else "example" if example else "default"
    if example and expected == ["string"] and isinstance(value, int | float) and not isinstance(value, bool):
        variant = "number"  # refused by the AWS CLI and Go; by the service itself, not verified (docs/facts.md 28)
    if value == "":
        variant = "empty"  # the deploy action drops empty values before registering (docs/consumers.md)
    pointer = join("", *path)
    fix = None
    if example is not None and not isinstance(value, str | dict | list):
        # 256 -> "256" for task cpu/memory says exactly what the number said: safe; other
        # conversions are offered for a person to accept (--fix leaves them)
        safe = path in (("cpu",), ("memory",)) and isinstance(value, int) and not isinstance(value, bool)
        text = _json_value_text(value)
        fix = Fix(f"write {text} instead", edits=(ValueEdit(pointer, text),), safe=safe)
    elif example is not None and isinstance(value, str) and expected[0] == "integer":
        fix = Fix(f"write {example} instead", edits=(ValueEdit(pointer, example),), safe=False)
    return Violation(pointer, params, variant=variant, fix=fix)


def _json_value_text(value: object) -> str:
    """A number or boolean as the JSON string holding its text: 256 -> "256"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(_json_text(value) if not isinstance(value, str) else value)


def _root_is_not_an_object(value: object) -> Violation:
    return _wrong_type_violation((), "the task definition", ["object"], value)


def _example(expected: str, value: object) -> str | None:
    """The user's value written as the expected type, when the conversion is obvious."""
    if expected == "string" and isinstance(value, int | float):
        text = _json_text(value)
        return _show(text) if text is not None else None
    if expected == "integer" and isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
        return str(int(value))
    if expected == "integer" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if expected == "boolean" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    if expected == "array" and isinstance(value, str | int | float) and not isinstance(value, bool):
        return _show([value])
    return None


def _describe(value: object) -> str:
    """How a message names a found value: 'the number 256', 'the string "256"', 'a list'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {_show(value)}"
    if isinstance(value, int | float):
        return f"the number {_show(value)}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


# -- ECS022 invalid-enum-value -------------------------------------------------------------------


def _invalid_enum(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    allowed = list(error.expected) if isinstance(error.expected, list) else [error.expected]
    yield _invalid_value(error, data, allowed)


def _invalid_const(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    yield _invalid_value(error, data, [error.expected])


def _invalid_value(error: _SchemaError, data: dict[str, JSON], allowed: Sequence[object]) -> _Candidate:
    suggestion = None
    if isinstance(error.instance, str):
        suggestion, _ = suggest(error.instance, list(_strings(allowed)))
    params: dict[str, object] = {
        "field": _label(data, error.path),
        "value": _show(error.instance),
        "allowed": ", ".join(v if isinstance(v, str) else _show(v) for v in allowed),
        "suggestion": _show(suggestion) if suggestion is not None else "",
    }
    variant = "suggestion" if suggestion is not None else "default"
    if error.instance == "":
        variant = "empty"  # what a consumer does with it differs: sent (and rejected) or dropped
    pointer = join("", *error.path)
    fix = None
    if suggestion is not None:  # the hint's "write X": unsafe, a guess at what was meant
        fix = Fix(
            f"write {json.dumps(suggestion)} instead", edits=(ValueEdit(pointer, json.dumps(suggestion)),), safe=False
        )
    return _Candidate(INVALID_ENUM_VALUE, error.path, Violation(pointer, params, variant=variant, fix=fix))


# -- ECS023 missing-required-member --------------------------------------------------------------


def _missing_members(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    if not isinstance(error.instance, dict) or not isinstance(error.expected, list):
        return
    misspelled = _meant_members(error.instance, error.schema)
    optional = _OPTIONAL_AT_ROOT.get(origin, frozenset()) if not error.path else frozenset()
    missing = [
        name
        for name in _strings(error.expected)
        if name not in error.instance and name not in misspelled and name not in optional
    ]
    if not missing:
        return
    params: dict[str, object] = {
        "member": missing[0],
        "members": _quoted_list(missing, "and"),
        "count": len(missing),
        "parent": _label(data, error.path),
    }
    variant = "default" if len(missing) == 1 else "several"
    if missing == ["image"] and len(error.path) == 2 and error.path[0] == "containerDefinitions":
        variant = "image"  # the slot a deploy step (the render action) fills: see ECS023's consumers
    yield _Candidate(MISSING_REQUIRED_MEMBER, error.path, Violation(join("", *error.path), params, variant=variant))


def _meant_members(instance: Mapping[str, object], schema: Mapping[str, Any]) -> set[str]:
    """Members that unknown keys probably mean: ``Family`` is one ECS020, not also a missing ``family``."""
    allowed = [str(name) for name in schema.get("properties", {})]
    meant = (suggest(str(key), allowed)[0] for key in instance if key not in allowed)
    return {name for name in meant if name is not None}


def _missing_union_member(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    """A union structure (``minProperties: 1``) with none of its members set."""
    if not isinstance(error.instance, dict):
        return
    members = [str(name) for name in error.schema.get("properties", {})]
    params: dict[str, object] = {
        "member": members[0] if members else "",
        "members": _quoted_list(members, "or"),
        "count": 1,
        "parent": _label(data, error.path),
    }
    yield _Candidate(MISSING_REQUIRED_MEMBER, error.path, Violation(join("", *error.path), params, variant="one-of"))


# -- ECS024 value-out-of-range -------------------------------------------------------------------


def _number_out_of_range(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    if not isinstance(error.instance, int | float) or isinstance(error.instance, bool):
        return
    params: dict[str, object] = {
        "field": _label(data, error.path),
        "value": _show(error.instance),
        "bound": _bound_text(error.schema),
        "minimum": error.schema.get("minimum", error.schema.get("exclusiveMinimum", "")),
        "maximum": error.schema.get("maximum", error.schema.get("exclusiveMaximum", "")),
    }
    yield _out_of_range(error.path, params, "default")


def _bound_text(schema: Mapping[str, Any]) -> str:
    """'between 21 and 200', 'at least 21', 'greater than 0', ..."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"between {low} and {high}"
    parts = []
    if low is not None:
        parts.append(f"at least {low}")
    if schema.get("exclusiveMinimum") is not None:
        parts.append(f"greater than {schema['exclusiveMinimum']}")
    if high is not None:
        parts.append(f"at most {high}")
    if schema.get("exclusiveMaximum") is not None:
        parts.append(f"less than {schema['exclusiveMaximum']}")
    return " and ".join(parts)


def _length_out_of_range(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    if not isinstance(error.instance, str) or not isinstance(error.expected, int):
        return
    variant = "too-long" if error.keyword == "maxLength" else "too-short"
    yield _out_of_range(error.path, _size_params(error, data, len(error.instance), "character"), variant)


def _count_out_of_range(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    if not isinstance(error.instance, list) or not isinstance(error.expected, int):
        return
    variant = "too-many-items" if error.keyword == "maxItems" else "too-few-items"
    yield _out_of_range(error.path, _size_params(error, data, len(error.instance), "entry"), variant)


def _too_many_members(error: _SchemaError, data: dict[str, JSON], origin: str) -> Iterator[_Candidate]:
    """A union structure (``maxProperties: 1``) with more than one member set."""
    if not isinstance(error.instance, dict) or not isinstance(error.expected, int):
        return
    params = _size_params(error, data, len(error.instance), "member")
    params["members"] = _quoted_list([str(name) for name in error.schema.get("properties", {})], "or")
    yield _out_of_range(error.path, params, "too-many-members")


def _size_params(error: _SchemaError, data: dict[str, JSON], actual: int, unit: str) -> dict[str, object]:
    limit = error.expected if isinstance(error.expected, int) else 0
    return {
        "field": _label(data, error.path),
        "value": _show(error.instance),
        "limit": limit,
        "actual": actual,
        "limit_text": _counted(limit, unit),
        "actual_text": _counted(actual, unit),
    }


def _out_of_range(path: DocPath, params: dict[str, object], variant: str) -> _Candidate:
    return _Candidate(VALUE_OUT_OF_RANGE, path, Violation(join("", *path), params, variant=variant))


_Explainer = Callable[[_SchemaError, dict[str, JSON], str], Iterator[_Candidate]]

_EXPLAINERS: dict[str, _Explainer] = {
    "additionalProperties": _unknown_keys,
    "type": _wrong_type,
    "enum": _invalid_enum,
    "const": _invalid_const,
    "required": _missing_members,
    "minProperties": _missing_union_member,
    "maxProperties": _too_many_members,
    "minimum": _number_out_of_range,
    "maximum": _number_out_of_range,
    "exclusiveMinimum": _number_out_of_range,
    "exclusiveMaximum": _number_out_of_range,
    "minLength": _length_out_of_range,
    "maxLength": _length_out_of_range,
    "minItems": _count_out_of_range,
    "maxItems": _count_out_of_range,
}


# -- how messages name things --------------------------------------------------------------------


def _label(data: dict[str, JSON], path: DocPath) -> str:
    """How a message names the node at ``path``.

    "the task definition", "task 'cpu'", "task 'ephemeralStorage.sizeInGiB'",
    "container 'web'", "'logConfiguration.options' of container 'web'".
    """
    if not path:
        return "the task definition"
    if path[0] == "containerDefinitions" and len(path) >= 2 and isinstance(path[1], int):
        container = _container_label(data, path[1])
        return container if len(path) == 2 else f"'{_dotted(path[2:])}' of {container}"
    return f"task '{_dotted(path)}'"


def _container_label(data: dict[str, JSON], index: int) -> str:
    container = _child(data.get("containerDefinitions"), index)
    name = container.get("name") if isinstance(container, dict) else None
    if isinstance(name, str) and name.strip():
        return f"container {_quoted(name)}"
    return f"container #{index}"


def _dotted(tokens: Sequence[str | int]) -> str:
    """``logConfiguration.options["awslogs-group"]``, ``portMappings[0].hostPort``."""
    text = ""
    for token in tokens:
        if isinstance(token, int):
            text += f"[{token}]"
        elif _IDENTIFIER.fullmatch(token):
            text += f".{token}" if text else token
        else:
            text += f"[{json.dumps(token, ensure_ascii=False)}]"
    return text


def _show(value: object) -> str:
    """A value as JSON, shortened to stay on one readable line."""
    text = _json_text(value) or f"<{type(value).__name__}>"
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _json_text(value: object) -> str | None:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # an integer beyond Python's int-to-text digit limit
        return None


def _quoted(name: str) -> str:
    text = name if len(name) <= _MAX_SHOWN else name[: _MAX_SHOWN - 1] + "…"
    return f"'{text}'"


def _quoted_list(names: Sequence[str], conjunction: str) -> str:
    quoted = [_quoted(name) for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


def _counted(count: int, unit: str) -> str:
    plural = {"entry": "entries"}.get(unit, unit + "s")
    return f"{count} {unit if count == 1 else plural}"


def _strings(values: object) -> Iterator[str]:
    if isinstance(values, list | tuple):
        yield from (value for value in values if isinstance(value, str))
