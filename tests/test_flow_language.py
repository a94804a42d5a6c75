"""The flow language, written down and checked: docs/flows.md, docs/flow.schema.json and the model in
optout/flow.py say the same thing, and a flow file's problems are all reported, one line each."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import typing
from pathlib import Path

import platformdirs
import pytest
import yaml

from optout import config, flow, flowcheck
from optout.errors import FlowError
from tests.conftest import ROOT

DOC = ROOT / "docs" / "flows.md"
SCHEMA = ROOT / "docs" / "flow.schema.json"
MODELS: list[type] = [flow.Flow, flow.SignIn, flow.Challenge, flow.Setting, flow.Step, flow.Locator,
                                 flow.FormField, flow.OptionWords, flow.StateWords, flow.Modal, flow.CodeStep,
                                 flow.Each]
FREE_KEYS = {"objection_details"}  # a key of `defaults` in an example: the author's own, not the language's

BROKEN = """\
schema: 4
platform: broken
title: Broken
origins: ['http://example.com']
colour: red
signin: {url: /login, username: [{css: '#u'}], password: [{css: '#p'}], submit: [{css: button}],
         signed_in: [{url: /home}], signed_out: [{}]}
settings:
  - {id: x, title: X, path: [X], kind: switch, want: "off", deep_link: /x, control: [{role: toggle, name: X}]}
  - {id: y, title: Y, path: [Y], kind: switch, want: "off", click_paths: [[{open: /a, click: [{css: a}]}]],
     control: [{css: '#y'}]}
"""
BROKEN_KEYS = ["origins", "signin.signed_out.0", "settings.0.control.0.role", "settings.1.click_paths.0.0", "colour"]


def keys_of(model: type) -> set[str]:
    return {f.name for f in dataclasses.fields(model)}


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def default_of(f: dataclasses.Field) -> object:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.M | re.S)


def yaml_example_keys(text: str) -> set[str]:
    """Every `key:` of the YAML examples, in block and flow style (`{role: link, …}`), comments left out."""
    keys: set[str] = set()
    for block in yaml_blocks(text):
        for line in block.splitlines():
            code = re.sub(r"(^|\s)#.*", "", line)
            keys.update(re.findall(r"(?:^|[\s{,\-\[])([a-z_]+):(?=\s|$)", code))
    return keys


def glance_table(text: str) -> dict[str, tuple[list[str], dict[str, str | None]]]:
    """'Keys at a glance': model name -> (required keys, {optional key: its default as written or None})."""
    section = text.split("## Keys at a glance", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[list[str], dict[str, str | None]]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not re.match(r"[A-Z]\w+ ", cells[0] + " "):
            continue
        required = re.findall(r"`([a-z_]+)`", cells[1])
        optional = {m[0]: m[1] or None for m in re.findall(r"`([a-z_]+)`(?: \(`([^`]*)`[^)]*\))?", cells[2])}
        rows[cells[0].split()[0]] = (required, optional)
    return rows


def key_tables(text: str) -> set[str]:
    """The keys named in the first column of a `| key | meaning |` table."""
    keys: set[str] = set()
    for table in re.findall(r"^\| key \|.*?(?=^[^|]|\Z)", text, flags=re.M | re.S):
        for line in table.splitlines()[2:]:
            keys.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return keys


# -- the schema file ---------------------------------------------------------------------------------

def test_committed_schema_is_what_the_model_generates():
    assert SCHEMA.read_text(encoding="utf-8") == flow.json_schema_text(), (
        "docs/flow.schema.json is out of date: run python scripts/flow_schema.py")


def test_schema_text_is_stable_and_names_its_dialect():
    assert flow.json_schema_text() == flow.json_schema_text()
    schema = json.loads(flow.json_schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"]["const"] == flow.SCHEMA_VERSION
    assert set(schema["$defs"]) == {m.__name__ for m in MODELS if m is not flow.Flow}


def test_shipped_flows_validate_against_the_schema_file():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    paths = sorted((ROOT / "flows").glob("*.yaml"))
    assert paths
    for path in paths:
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert not errors, f"{path.name}: {errors}"
    linkedin = (ROOT / "flows" / "linkedin.yaml").read_text(encoding="utf-8")
    assert linkedin.startswith("# yaml-language-server: $schema=../docs/flow.schema.json\n")


def test_schema_file_rejects_what_the_model_rejects():
    """The editor's check can fail: an unknown key, a wrong role, a wrong schema version, a missing key."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    good = yaml.safe_load((ROOT / "flows" / "linkedin.yaml").read_text(encoding="utf-8"))
    single = json.loads(json.dumps(good))
    single["settings"][0]["control"][0] = {"role": "switch", "name": "One text"}
    assert not list(validator.iter_errors(single)), "a single text stands for a list of one"
    for breaks in (lambda f: f.update(colour="red"), lambda f: f.update(schema=1), lambda f: f.pop("signin"),
                   lambda f: f["settings"][0]["control"].append({"role": "toggle"}),
                   lambda f: f["settings"][0].update(kind="slider")):
        bad = json.loads(json.dumps(good))
        breaks(bad)
        assert list(validator.iter_errors(bad)), bad


# -- the page ----------------------------------------------------------------------------------------

def test_every_key_of_the_model_has_a_yaml_example_in_the_doc():
    documented = yaml_example_keys(DOC.read_text(encoding="utf-8"))
    for model in MODELS:
        missing = keys_of(model) - documented
        assert not missing, f"{model.__name__}: no example of {sorted(missing)} in docs/flows.md"


def test_every_key_the_doc_names_exists_in_the_model():
    text = DOC.read_text(encoding="utf-8")
    known = set().union(*(keys_of(m) for m in MODELS))
    named = yaml_example_keys(text) | key_tables(text)
    for required, optional in glance_table(text).values():
        named |= {*required, *optional}
    assert key_tables(text) >= {"role", "name", "label", "within"}, "the locator table was not read"
    unknown = named - known - FREE_KEYS
    assert not unknown, f"docs/flows.md names keys the model does not have: {sorted(unknown)}"


def test_keys_at_a_glance_match_each_model_with_its_defaults():
    rows = glance_table(DOC.read_text(encoding="utf-8"))
    assert set(rows) == {m.__name__ for m in MODELS}, sorted(rows)
    for model in MODELS:
        required, optional = rows[model.__name__]
        assert set(required) | set(optional) == keys_of(model), model.__name__
        fields = {f.name: f for f in dataclasses.fields(model)}
        assert not set(optional) & {k for k, f in fields.items() if is_required(f)}, model.__name__
        assert {k for k, f in fields.items() if is_required(f)} <= set(required), model.__name__
        for key, written in optional.items():
            if written is not None:
                assert yaml.safe_load(written) == default_of(fields[key]), (
                    f"{model.__name__}.{key}: the doc says {written}")


def test_every_kind_state_source_and_role_is_in_the_doc():
    text = DOC.read_text(encoding="utf-8")
    roles = re.findall(r"'([a-z]+)'", repr(flow.Role))
    assert len(roles) > 10 and not [r for r in roles if f"`{r}`" not in text], "a role is missing from docs/flows.md"
    setting = typing.get_type_hints(flow.Setting, {**vars(flow), **vars(flowcheck)})  # as pydantic reads them
    for field in ("kind", "want", "state_from"):
        annotation = setting[field]
        words = re.findall(r"'([a-z-]+)'", repr(annotation))
        assert words, field
        for word in words:
            assert word in text, f"{field}: {word!r} is not in docs/flows.md"
    for kind in re.findall(r"'([a-z_]+)'", repr(flow.ChallengeKind)):
        assert kind in text, kind


# -- every problem, one line each ---------------------------------------------------------------------

def test_load_file_lists_every_problem_one_line_each(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(FlowError) as raised:
        flow.load_file(path)
    lines = str(raised.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == BROKEN_KEYS, lines
    assert all(line.startswith(f"{path}: ") and len(line.split(": ", 2)[2]) > 5 for line in lines), lines
    assert "Value error" not in str(raised.value)


def test_cli_prints_every_problem_of_a_flow_file(cli, tmp_path: Path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    cli.env["OPTOUT_FLOWS"] = str(flows)
    result = cli("list")
    assert result.code == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(BROKEN_KEYS), result.stderr
    for line, key in zip(lines, BROKEN_KEYS, strict=True):
        assert "broken.yaml: " in line and f": {key}: " in line, line


def test_one_problem_is_one_line(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN.replace("origins: ['http://example.com']\ncolour: red\n",
                                   "origins: ['https://example.com']\n")
                    .replace("signed_out: [{}]", "signed_out: [{url: /login}]")
                    .replace("role: toggle", "role: switch").replace("click: [{css: a}]", "css: a"), encoding="utf-8")
    with pytest.raises(FlowError) as raised:
        flow.load_file(path)
    assert str(raised.value) == f"{path}: settings.1.click_paths.0.0.css: Extra inputs are not permitted"


# -- the user folders -----------------------------------------------------------------------------------

def test_home_is_the_platforms_user_data_folder_unless_optout_home(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("OPTOUT_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert config.home() == Path(platformdirs.user_data_dir("optout", appauthor=False))
    if sys.platform.startswith("linux"):  # XDG_DATA_HOME is Linux's
        assert config.home() == tmp_path / "data" / "optout"
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path / "mine"))
    assert config.home() == tmp_path / "mine"
