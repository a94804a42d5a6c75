"""Validating a flow file: the half of the flow model that pydantic does, loaded only when a file
must be judged (new or changed since it was kept, see flowcache.py) or the JSON Schema is written.

optout/flow.py declares the model as plain frozen dataclasses, and their rules between keys in
`__post_init__`. What a single key may hold beyond its Python type (a text standing for a list of
one, at least one alternative, a pattern, YAML's bare on/off) is named in flow.py's annotations by
the types below. flow.py's annotations are strings, imported there only for type checkers, so a
command that reads a kept flow never loads pydantic; here they are put into flow.py's namespace,
which is where pydantic (any version) resolves a dataclass's annotations.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

# optout uses no pydantic plugins; looking for them scans every installed package's metadata
# (~25 ms). Set before pydantic builds a schema, only where the user has not chosen.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import (  # noqa: E402 - after the plugin switch above
    AfterValidator,
    BeforeValidator,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)

from optout import flow  # noqa: E402
from optout.errors import FlowError  # noqa: E402
from optout.flow import SCHEMA_VERSION  # noqa: E402


def _yaml_word(value: object) -> object:
    """YAML 1.1 reads a bare `on`/`off` as true/false: take it as the author wrote it."""
    return {False: "off", True: "on"}.get(value, value) if isinstance(value, bool) else value


def _as_list(value: object) -> object:
    """Let a single text stand where a list of alternatives is expected."""
    return [value] if isinstance(value, str) else value


def _state_words_keys(value: object) -> object:
    # YAML 1.1 reads the bare keys `on:` and `off:` as true and false: take them as written
    # (and a bare On / Off among the words, the same way: words are compared with case folded)
    if isinstance(value, dict):
        return {_yaml_word(k): [_yaml_word(w) for w in v] if isinstance(v, list) else _yaml_word(v)
                for k, v in value.items()}
    return value


def _one_group(value: str | None) -> str | None:
    if value is not None:
        try:
            groups = re.compile(value).groups
        except re.error as exc:
            raise ValueError(f"'name_pattern' is no regular expression: {exc}") from None
        if groups < 1:
            raise ValueError("'name_pattern' needs a group: the object's name")
    return value


def _known_schema(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise ValueError(f"this optout reads flow schema {SCHEMA_VERSION}, not {value}")
    return value


def _origins_are_origins(values: list[str]) -> list[str]:
    for value in values:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError(f"an origin is https://host with no path, not {value!r}")
    return [v.rstrip("/") for v in values]


# -- the names flow.py's annotations give what a key may hold ----------------------------------------
# A list of texts, each an alternative; a single text stands for a list of one.
Texts = Annotated[list[str], BeforeValidator(_as_list), WithJsonSchema({"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]
SomeTexts = Annotated[Texts, Field(min_length=1)]
Alternatives = Annotated[list[flow.Locator], Field(min_length=1)]
Steps = Annotated[list[flow.Step], Field(min_length=1)]
Settings = Annotated[list[flow.Setting], Field(min_length=1)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Window = Annotated[int, Field(ge=1, le=12)]
OnOff = Annotated[Literal["on", "off"], BeforeValidator(_yaml_word)]
Wanted = Annotated[Literal["on", "off", "sent"], BeforeValidator(_yaml_word)]
StateText = Annotated[flow.StateWords | None, BeforeValidator(_state_words_keys)]
NamePattern = Annotated[str | None, AfterValidator(_one_group)]
SchemaNumber = Annotated[int, AfterValidator(_known_schema), Field(json_schema_extra={"const": SCHEMA_VERSION})]
Origins = Annotated[list[str], Field(min_length=1), AfterValidator(_origins_are_origins)]

_ANNOTATIONS = {"Texts": Texts, "SomeTexts": SomeTexts, "Alternatives": Alternatives, "Steps": Steps,
                "Settings": Settings, "Identifier": Identifier, "Window": Window, "OnOff": OnOff,
                "Wanted": Wanted, "StateText": StateText, "NamePattern": NamePattern,
                "SchemaNumber": SchemaNumber, "Origins": Origins}
vars(flow).update(_ANNOTATIONS)  # see the module's docstring
_FLOW = TypeAdapter(flow.Flow)


def validated(path: Path, data: dict[str, Any]) -> flow.Flow:
    """The flow `data` (a file's YAML) describes; a FlowError lists every problem, one line each."""
    try:
        return _FLOW.validate_python(data)
    except ValidationError as exc:
        raise FlowError("\n".join(_problems(path, exc))) from None


def _problems(path: Path, exc: ValidationError) -> list[str]:
    """Every validation error as `file: key.path: message`, one each: an author fixes them all in one
    go rather than one per run."""
    lines: list[str] = []
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"]) or "(top)"
        message = "Extra inputs are not permitted" if error["type"] == "unexpected_keyword_argument" \
            else error["msg"].removeprefix("Value error, ")
        line = f"{path}: {key}: {message}"
        if line not in lines:  # a union's branches can report the same thing twice
            lines.append(line)
    return lines


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a flow file (docs/flow.schema.json), so an editor checks a flow as it is
    typed. It holds the keys and their types; the rules between keys (a locator says something, a
    form needs fields, paths start with '/') are checked by validation only."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **_FLOW.json_schema(by_alias=True)}
