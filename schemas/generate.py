"""Generate ``schemas/task-definition.schema.json`` from the ECS model that botocore ships.

Run from the repository root::

    python schemas/generate.py          # (re)write the schema
    python schemas/generate.py --check  # exit 1 when the committed file is out of date

The output is a JSON Schema (draft 2020-12) for ``RegisterTaskDefinitionRequest`` and every
shape it reaches, one ``$defs`` entry per botocore shape, linked with ``$ref``:

* structure -> object with ``properties``, ``required`` and ``additionalProperties: false``
  (a ``union`` structure also gets ``minProperties``/``maxProperties`` of 1);
* list -> array (``minItems``/``maxItems`` from the shape's min/max);
* map -> object whose ``additionalProperties`` is the value shape;
* string -> string (``enum``, ``minLength``/``maxLength`` from the shape);
* integer/long -> integer, float/double -> number (``minimum``/``maximum``);
* boolean -> boolean.

Every member and every structure gets a ``description`` for editors: the model's documentation
(HTML) as plain text, its first sentence (two when the first is short), at most
``DESCRIPTION_LIMIT`` characters.  The root gets the model's own register-task-definition example
as ``examples`` (members left empty in it dropped).  ecslint's validators ignore both keywords.

The model's ``pattern``s use ``\\p{L}``-style classes that Python's ``re`` cannot compile, so
they are left out and only quoted in a ``$comment``.  ``$defs["x-read-only-fields"]`` lists
the members of describe-task-definition's ``TaskDefinition`` that register-task-definition
does not accept, and ``$defs["x-service-or-run-task-parameters"]`` the create-service and
run-task parameters that people misplace in task definitions.  The output is byte-for-byte
reproducible for a given botocore version: keys are sorted and the model's own order is kept
for ``enum`` and ``required``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SERVICE = "ecs"
API_VERSION = "2014-11-13"
ROOT_SHAPE = "RegisterTaskDefinitionRequest"
DESCRIBE_SHAPE = "TaskDefinition"
READ_ONLY_FIELDS_DEF = "x-read-only-fields"
RUN_PARAMETERS_DEF = "x-service-or-run-task-parameters"
RUN_SHAPES = ("CreateServiceRequest", "RunTaskRequest")
# A top-level "taskDefinition" key is describe-task-definition output that was not unwrapped,
# not a misplaced create-service/run-task parameter.
NOT_RUN_PARAMETERS = frozenset({"taskDefinition"})
OUTPUT = Path(__file__).resolve().parent / "task-definition.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

DESCRIPTION_LIMIT = 300
ROOT_DESCRIPTION = "The input of aws ecs register-task-definition (--cli-input-json): an Amazon ECS task definition."
Shape = Mapping[str, Any]
Schema = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# Service overlay: what the ECS *service* enforces beyond the botocore model.
#
# botocore's model describes the wire format; the service rejects more at register time.
# Only facts recorded in docs/facts.md belong here, each with its section.  Every
# entry is checked against the model, so a model change that moves a shape or member makes
# the generator fail instead of silently dropping the overlay.
# ---------------------------------------------------------------------------------------------

REQUIRED_MEMBERS_OVERLAY: dict[str, tuple[str, ...]] = {
    # The model marks no ContainerDefinition member required, but the service refuses a
    # container without them: "Container.name should not be null or empty." and
    # "The container.image should not be null or empty" (docs/facts.md 6.4).
    "ContainerDefinition": ("name", "image"),
}

MEMBER_LIMITS_OVERLAY: dict[tuple[str, str], dict[str, int]] = {
    # EphemeralStorage.sizeInGiB is a bare Integer in the model; its doc string and the API
    # reference give 21..200 GiB (docs/facts.md 1.3; some older pages say 20, botocore says 21).
    ("EphemeralStorage", "sizeInGiB"): {"minimum": 21, "maximum": 200},
}

OVERLAY_COMMENT = "ecslint service overlay (not in the botocore model): see schemas/generate.py"

# ---------------------------------------------------------------------------------------------
# Reading the model
# ---------------------------------------------------------------------------------------------


def load_model() -> tuple[dict[str, Any], str]:
    """The ECS model from botocore's own data folder (never ~/.aws/models), and botocore's version."""
    import botocore  # type: ignore[import-untyped,unused-ignore]
    from botocore.loaders import Loader  # type: ignore[import-untyped,unused-ignore]

    loader = Loader(
        extra_search_paths=[Loader.BUILTIN_DATA_PATH],
        include_default_search_paths=False,
        include_default_extras=False,
    )
    model = loader.load_service_model(SERVICE, "service-2", API_VERSION)
    return json.loads(json.dumps(model)), str(botocore.__version__)


def load_examples() -> list[dict[str, Any]]:
    """The inputs of the model's RegisterTaskDefinition examples (examples-1.json beside service-2)."""
    from botocore.loaders import Loader

    loader = Loader(
        extra_search_paths=[Loader.BUILTIN_DATA_PATH],
        include_default_search_paths=False,
        include_default_extras=False,
    )
    try:
        examples = loader.load_service_model(SERVICE, "examples-1", API_VERSION)
    except Exception:  # a botocore without examples: the schema simply has none
        return []
    found = examples.get("examples", {}).get("RegisterTaskDefinition", [])
    return [{k: v for k, v in e["input"].items() if v not in ("", [], {})} for e in found if "input" in e]


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]`'\"][.!?])\s+(?=[A-Z(`\"'])")


def plain_text(documentation: str) -> str:
    """The model's documentation HTML as short plain text: the first sentence, two when it is short."""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", documentation))).strip()
    text = re.sub(r" ([.,;:)])", r"\1", text).replace("( ", "(")
    sentences = _SENTENCE_END.split(text)
    short = sentences[0]
    if len(short) < 80 and len(sentences) > 1:
        short = f"{short} {sentences[1]}"
    if len(short) > DESCRIPTION_LIMIT:
        short = short[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return short


def described(schema: Schema, shape: Shape) -> Schema:
    documentation = shape.get("documentation")
    if documentation:
        text = plain_text(documentation)
        if text:
            schema["description"] = text
    return schema


def referenced_shapes(shape: Shape) -> list[str]:
    """The names of the shapes one shape points at, in model order."""
    names = [shape[part]["shape"] for part in ("member", "key", "value") if part in shape]
    names.extend(member["shape"] for member in shape.get("members", {}).values())
    return names


def reachable_shapes(shapes: Mapping[str, Shape], root: str) -> list[str]:
    """Every shape reachable from ``root`` (``root`` included), sorted by name."""
    seen: set[str] = set()
    pending = [root]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        if name not in shapes:
            raise SystemExit(f"generate.py: shape {name!r} is referenced but not defined in the model")
        seen.add(name)
        pending.extend(referenced_shapes(shapes[name]))
    return sorted(seen)


# ---------------------------------------------------------------------------------------------
# Shapes -> schemas
# ---------------------------------------------------------------------------------------------


def ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def bounds(shape: Shape, low: str, high: str) -> Schema:
    """The shape's ``min``/``max`` as the JSON Schema keywords ``low``/``high``."""
    schema: Schema = {}
    if "min" in shape:
        schema[low] = shape["min"]
    if "max" in shape:
        schema[high] = shape["max"]
    return schema


def pattern_comment(shape: Shape) -> Schema:
    if "pattern" not in shape:
        return {}
    return {"$comment": f"model pattern {shape['pattern']} left out: Python re cannot compile \\p{{...}} classes"}


def string_schema(shape: Shape) -> Schema:
    schema: Schema = {"type": "string", **bounds(shape, "minLength", "maxLength"), **pattern_comment(shape)}
    if "enum" in shape:
        schema["enum"] = list(shape["enum"])
    return schema


def member_schema(member: Shape) -> Schema:
    schema = ref(member["shape"])
    if member.get("deprecated"):
        schema["deprecated"] = True
    return described(schema, member)


def structure_schema(shape: Shape) -> Schema:
    members: Mapping[str, Shape] = shape.get("members", {})
    schema: Schema = {
        "type": "object",
        "properties": {member: member_schema(spec) for member, spec in members.items()},
        "additionalProperties": False,
    }
    required = list(shape.get("required", []))
    if required:
        schema["required"] = required
    if shape.get("union"):
        schema["minProperties"] = 1
        schema["maxProperties"] = 1
        schema["$comment"] = "union: exactly one member must be set"
    return schema


def list_schema(shape: Shape) -> Schema:
    return {"type": "array", "items": ref(shape["member"]["shape"]), **bounds(shape, "minItems", "maxItems")}


def map_schema(shape: Shape) -> Schema:
    return {"type": "object", "additionalProperties": ref(shape["value"]["shape"])}


def shape_schema(name: str, shape: Shape) -> Schema:
    """The ``$defs`` entry for one botocore shape."""
    kind = shape["type"]
    schema: Schema
    if kind == "structure":
        schema = structure_schema(shape)
    elif kind == "list":
        schema = list_schema(shape)
    elif kind == "map":
        schema = map_schema(shape)
    elif kind == "string":
        schema = string_schema(shape)
    elif kind in ("integer", "long"):
        schema = {"type": "integer", **bounds(shape, "minimum", "maximum")}
    elif kind in ("float", "double"):
        schema = {"type": "number", **bounds(shape, "minimum", "maximum")}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    else:
        raise SystemExit(f"generate.py: shape {name!r} has type {kind!r}, which the generator does not map")
    return described({"title": name, **schema}, shape)


# ---------------------------------------------------------------------------------------------
# The overlay, applied
# ---------------------------------------------------------------------------------------------


def apply_required_overlay(defs: dict[str, Schema]) -> None:
    for shape, members in REQUIRED_MEMBERS_OVERLAY.items():
        schema = overlay_target(defs, shape)
        unknown = [member for member in members if member not in schema["properties"]]
        if unknown:
            raise SystemExit(f"generate.py: overlay requires {unknown} in {shape}, which has no such member")
        required = schema.setdefault("required", [])
        required.extend(member for member in members if member not in required)
        schema["$comment"] = f"{OVERLAY_COMMENT}: required {', '.join(members)}"


def apply_limits_overlay(defs: dict[str, Schema]) -> None:
    for (shape, member), limits in MEMBER_LIMITS_OVERLAY.items():
        properties = overlay_target(defs, shape)["properties"]
        if member not in properties:
            raise SystemExit(f"generate.py: overlay limits {shape}.{member}, which is not in the model")
        properties[member].update(limits)
        properties[member]["$comment"] = OVERLAY_COMMENT


def overlay_target(defs: Mapping[str, Schema], shape: str) -> Schema:
    schema = defs.get(shape)
    if schema is None or schema.get("type") != "object" or "properties" not in schema:
        raise SystemExit(f"generate.py: overlay names {shape}, which is not a structure reached by {ROOT_SHAPE}")
    return schema


# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------


def read_only_fields(shapes: Mapping[str, Shape]) -> list[str]:
    """``TaskDefinition`` members (describe output) that the register request does not have."""
    described = set(shapes[DESCRIBE_SHAPE]["members"])
    accepted = set(shapes[ROOT_SHAPE]["members"])
    return sorted(described - accepted)


def run_parameters(shapes: Mapping[str, Shape]) -> list[str]:
    """create-service and run-task parameters that are not task definition members (``networkConfiguration``)."""
    accepted = set(shapes[ROOT_SHAPE]["members"])
    members = {member for shape in RUN_SHAPES for member in shapes[shape]["members"]}
    return sorted(members - accepted - NOT_RUN_PARAMETERS)


def build_schema(model: Mapping[str, Any], botocore_version: str, examples: Sequence[Mapping[str, Any]] = ()) -> Schema:
    shapes: Mapping[str, Shape] = model["shapes"]
    defs = {name: shape_schema(name, shapes[name]) for name in reachable_shapes(shapes, ROOT_SHAPE)}
    apply_required_overlay(defs)
    apply_limits_overlay(defs)
    defs[READ_ONLY_FIELDS_DEF] = {
        "$comment": (
            f"{DESCRIBE_SHAPE} members of describe-task-definition output that {ROOT_SHAPE} "
            "rejects as unknown parameters"
        ),
        "enum": read_only_fields(shapes),
    }
    defs[RUN_PARAMETERS_DEF] = {
        "$comment": (
            f"{' and '.join(RUN_SHAPES)} members that {ROOT_SHAPE} does not have: people put them in "
            "task definitions by mistake, so messages can say where they belong"
        ),
        "enum": run_parameters(shapes),
    }
    defs[ROOT_SHAPE].setdefault("description", ROOT_DESCRIPTION)
    document: Schema = {
        "$schema": DRAFT,
        "$comment": (
            f"Generated by schemas/generate.py from the {SERVICE} {API_VERSION} model in botocore "
            f"{botocore_version}; do not edit by hand.  The model's string patterns are left out "
            "(they use \\p{...} classes Python's re cannot compile).  Entries marked as the ecslint "
            "service overlay add what the ECS service enforces beyond the model."
        ),
        "title": "Amazon ECS register-task-definition input",
        "x-botocore-version": botocore_version,
        "x-ecs-api-version": API_VERSION,
        "description": ROOT_DESCRIPTION,
        "$ref": f"#/$defs/{ROOT_SHAPE}",
        "$defs": defs,
    }
    if examples:
        document["examples"] = list(examples)
    return document


def render(model: Mapping[str, Any], botocore_version: str, examples: Sequence[Mapping[str, Any]] = ()) -> str:
    """The schema file's exact text: sorted keys, two-space indent, trailing newline."""
    schema = build_schema(model, botocore_version, examples)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def committed_version(text: str) -> str:
    """The botocore version recorded in a schema file's text, or "unknown"."""
    try:
        recorded = json.loads(text).get("x-botocore-version")
    except (ValueError, AttributeError):
        return "unknown"
    return recorded if isinstance(recorded, str) else "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed schema differs")
    args = parser.parse_args(argv)
    model, version = load_model()
    text = render(model, version, load_examples())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(
                f"{OUTPUT.name} (botocore {committed_version(current)}) differs from what botocore {version} "
                "generates: run python schemas/generate.py, or install the botocore version pinned in pyproject.toml"
            )
            return 1
        print(f"{OUTPUT.name} is up to date (botocore {version})")
        return 0
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUTPUT} (botocore {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
