"""Setting kinds as a registry (optout/kinds.py): the flow model allows exactly the registry's kinds,
the runner dispatches each kind to its code, and the errors that stop an account say so themselves.

The engine runs here against a tiny synthetic page (one switch, one checkbox, saved server-side by
a fetch, as real settings pages do) in real headless Chromium: no platform's replica.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
import yaml
from flask import Flask, jsonify, request

from optout import errors, flow, forms, kinds, toggle
from optout.config import Account
from optout.errors import FlowError, NeedsHuman
from optout.ledger import Ledger
from optout.runner import Job, Runner
from tests.replicas.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<!doctype html><html lang="en"><head><title>Settings</title></head><body>
<h1>Privacy</h1>
<div><span id="s-label">Train models on my posts</span>
  <button type="button" role="switch" aria-labelledby="s-label" aria-checked="{switch}"></button></div>
<div><label><input type="checkbox" id="share" {checked}> Share my data with partners</label></div>
<script>
  const save = (name, on) => fetch('/save', {{method: 'POST', headers: {{'Content-Type': 'application/json'}},
                                             body: JSON.stringify({{name, on}})}});
  const sw = document.querySelector('[role=switch]');
  sw.addEventListener('click', () => {{
    const on = sw.getAttribute('aria-checked') !== 'true';
    sw.setAttribute('aria-checked', String(on));
    save('switch', on);
  }});
  document.getElementById('share').addEventListener('change', e => save('checkbox', e.target.checked));
</script>
</body></html>"""

FLOW = {
    "schema": flow.SCHEMA_VERSION,
    "platform": "tiny",
    "title": "Tiny",
    "origins": ["https://tiny.invalid"],
    "signin": {
        "url": "/login",
        "username": [{"css": "#user"}], "password": [{"css": "#pass"}], "submit": [{"css": "#go"}],
        "signed_in": [{"css": "h1"}], "signed_out": [{"css": "#login-form"}],
    },
    "settings": [
        {"id": "train", "title": "Train models on my posts", "path": ["Privacy", "Train models"],
         "kind": "switch", "want": "off", "deep_link": "/settings",
         "control": [{"role": "switch", "name": "Train models on my posts"}]},
        {"id": "share", "title": "Share my data with partners", "path": ["Privacy", "Share"],
         "kind": "checkbox", "want": "off", "deep_link": "/settings",
         "control": [{"role": "checkbox", "label": "Share my data with partners"}]},
    ],
}


def tiny_app(state: dict[str, bool]) -> Flask:
    app = Flask("tiny")
    lock = threading.Lock()

    @app.get("/settings")
    def settings() -> str:
        with lock:
            return PAGE.format(switch=str(state["switch"]).lower(), checked="checked" if state["checkbox"] else "")

    @app.post("/save")
    def save() -> Any:
        body = request.get_json()
        with lock:
            state[body["name"]] = bool(body["on"])
        return jsonify(ok=True)

    return app


@pytest.fixture
def site() -> Iterator[tuple[ReplicaServer, dict[str, bool]]]:
    state = {"switch": True, "checkbox": True}
    with ReplicaServer(tiny_app(state)) as server:
        yield server, state


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def write_flow(folder: Path, data: dict) -> Path:
    path = folder / f"{data['platform']}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def run(tmp_path: Path, home: Path, base_url: str, mode: str = "run") -> list:
    tiny = flow.load_file(write_flow(tmp_path, FLOW))
    job = Job(flow=tiny, account=Account("tiny", "alice@example.com"), mode=mode, base_url=base_url)
    return Runner(Ledger(home / "ledger.sqlite")).run(job)


# -- the registry and the model agree ------------------------------------------------------------------

def test_the_registry_is_what_the_model_and_the_schema_file_allow():
    from optout import flowcheck

    assert set(get_args(get_type_hints(flow.Setting, {**vars(flow), **vars(flowcheck)})["kind"])) == set(kinds.NAMES)
    assert set(flow.json_schema()["$defs"]["Setting"]["properties"]["kind"]["enum"]) == set(kinds.NAMES)
    shipped = json.loads((ROOT / "docs" / "flow.schema.json").read_text(encoding="utf-8"))
    assert set(shipped["$defs"]["Setting"]["properties"]["kind"]["enum"]) == set(kinds.NAMES)
    assert {"switch", "checkbox", "menu", "form"} <= set(kinds.NAMES)


def test_each_kind_names_its_code():
    assert kinds.handler("switch") is toggle.ensure
    assert kinds.handler("checkbox") is toggle.ensure
    assert kinds.handler("menu") is toggle.ensure  # a toggle acted on through its menu (schema 3)
    assert kinds.handler("form") is forms.send
    with pytest.raises(FlowError) as raised:
        kinds.handler("slider")
    assert all(name in str(raised.value) for name in kinds.NAMES), raised.value


@pytest.mark.parametrize("kind", ["slider", "toggle"])
def test_a_flow_naming_an_unknown_kind_fails_validation_naming_the_known_ones(tmp_path: Path, kind: str):
    data = json.loads(json.dumps(FLOW))
    data["settings"][0]["kind"] = kind
    with pytest.raises(FlowError) as raised:
        flow.load_file(write_flow(tmp_path, data))
    message = str(raised.value)
    assert "settings.0.kind" in message, message
    assert all(f"'{name}'" in message for name in kinds.NAMES), message


# -- which errors stop an account ----------------------------------------------------------------------

def test_stopping_the_account_is_an_attribute_of_the_error():
    stops = {errors.NeedsHuman, errors.SignInRejected, errors.ForeignOrigin, errors.ConfigError,
             errors.FlowError, errors.BrowserSetupError, errors.CredentialError, errors.KeyringUnavailable,
             errors.KeyringLocked, errors.CredentialsMissing}
    every = {c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.OptoutError)}
    assert stops < every
    assert {c for c in every if c.stops_account} == stops


def _needs_a_person(session: Any, setting: Any, record: Any, ledger: Any) -> Any:
    raise NeedsHuman("a captcha")


def test_an_error_that_stops_the_account_leaves_the_rest_untried(tmp_path: Path, home: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    real = kinds.handler

    def spy(kind: str) -> kinds.Handler:
        calls.append(kind)
        return real(kind)

    monkeypatch.setitem(kinds._HANDLERS, "switch", f"{__name__}:_needs_a_person")
    monkeypatch.setattr(kinds, "handler", spy)
    done = run(tmp_path, home, "http://127.0.0.1:9")  # nothing is opened: the handler stops at once
    assert calls == ["switch"], calls  # the checkbox was not tried
    assert [d.result.outcome for d in done] == ["needs_human", "needs_human"]
    assert all(d.exit_code == errors.ExitCode.NEEDS_HUMAN for d in done)


# -- dispatch on a real page ---------------------------------------------------------------------------

def test_a_switch_and_a_checkbox_are_each_ensured_off_then_left_alone(tmp_path: Path, home: Path, site,
                                                                     monkeypatch: pytest.MonkeyPatch):
    server, state = site
    calls: list[str] = []
    real = kinds.handler

    def spy(kind: str) -> kinds.Handler:
        calls.append(kind)
        return real(kind)

    monkeypatch.setattr(kinds, "handler", spy)
    done = run(tmp_path, home, server.url)
    assert calls == ["switch", "checkbox"]
    assert [(d.result.setting, d.result.outcome, d.result.before, d.result.after) for d in done] == [
        ("train", "changed", "on", "off"), ("share", "changed", "on", "off")], [d.result for d in done]
    assert state == {"switch": False, "checkbox": False}  # the page's own save, read after a reload
    assert all(d.result.proof and Path(d.result.proof).is_file() for d in done)

    again = run(tmp_path, home, server.url, mode="verify")
    assert [d.result.outcome for d in again] == ["ok", "ok"]
    state["checkbox"] = True  # switched back on behind our back
    drifted = run(tmp_path, home, server.url, mode="verify")
    assert [d.result.outcome for d in drifted] == ["ok", "drifted"]
    assert "--fix" in drifted[1].result.message and state["checkbox"] is True
