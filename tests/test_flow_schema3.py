"""Schema 3's vocabulary on a small synthetic site, through the command line in real headless Chromium:
a menu action (never the item that deletes, unless asked), state read from a control's text or its
data-state, `exact` names, a dialog that carries the same choice, sign-in screens after "Next" (an
identity check, a passwordless code step), a form's emailed-code step and `unavailable_if_none`.
Every outcome is judged from the site's server-side state, never from what optout prints.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask, jsonify, make_response, redirect, request

from optout import flow
from tests.replicas.server import ReplicaServer

USER = "pat@example.com"
PASSWORD = "pat-Secret-pw-9"

FLOW = {
    "schema": flow.SCHEMA_VERSION,
    "platform": "synth",
    "title": "Synth",
    "origins": ["https://synth.invalid", "https://accounts.synth.invalid"],
    "home": "/settings",
    "signin": {
        "url": "https://accounts.synth.invalid/login",  # the sign-in on another of its origins
        "start": [{"role": "button", "name": ["Log in with email"], "exact": True}],
        "username": [{"label": "Email or username"}],
        "next": [{"role": "button", "name": "Next", "exact": True}],
        "password": [{"css": "input[type='password']"}],
        "submit": [{"role": "button", "name": "Log in", "exact": True}],
        "signed_in": [{"css": "main#app"}],
        "signed_out": [{"url": "/login"}, {"role": "link", "name": ["Log in"], "exact": True}],
        "rejected": [{"role": "alert"}],
        "challenges": [
            {"kind": "identity", "detect": [{"text": ["phone number or username"], "contains": True}],
             "input": [{"css": "input[name='text']"}], "submit": [{"role": "button", "name": "Next"}],
             "say": "Synth asks for your username again."},
            {"kind": "email_pin", "detect": [{"text": ["we emailed you a code"], "contains": True}],
             "input": [{"css": "input[name='code']"}], "say": "Type the code Synth emailed you."},
        ],
    },
    "modals": [{
        "detect": [{"role": "dialog", "name": ["Updates to our terms"], "contains": True}],
        "control": [{"role": "switch"}, {"role": "checkbox"}],
        "want": "off",
        "submit": [{"role": "button", "name": ["Accept"], "exact": True}],
        "say": "Synth asks you to accept new terms, with a choice about training.",
    }],
    "settings": [
        {"id": "activity", "title": "Keep activity", "path": ["Activity"], "kind": "menu", "want": "off",
         "deep_link": "/settings",
         "control": [{"role": "button", "css": "[aria-haspopup='menu']", "near": ["Keep activity"]}],
         "state_from": ["aria-checked", "text"], "state_text": {"on": ["On"], "off": ["Off"]},
         "menu_item": [{"role": "menuitem", "name": ["Turn off"], "exact": True}],
         "menu_item_delete": [{"role": "menuitem", "name": ["Turn off and delete activity"], "exact": True}],
         "confirm": [{"role": "button", "name": ["Got it"], "exact": True}]},
        {"id": "improve", "title": "Improve the model", "path": ["Data controls"], "kind": "switch",
         "want": "off", "deep_link": "/settings",
         "control": [{"role": "switch", "name": ["Improve the model"]}], "state_from": ["data-state"]},
        {"id": "object", "title": "Objection form", "path": ["Help", "Object"], "kind": "form", "want": "sent",
         "deep_link": "/form",
         "click_paths": [[{"open": "/help"}, {"click": [{"role": "link", "name": ["Object to AI"], "exact": True}]}]],
         "fields": [{"key": "email", "locate": [{"css": "input[type='email']"}], "value": "{email}",
                     "keep_prefilled": True},
                    {"key": "country", "locate": [{"label": ["Country"]}], "value": "{country}", "optional": True},
                    {"key": "why", "locate": [{"css": "textarea"}], "value": "I object.", "optional": True}],
         "submit": [{"role": "button", "name": ["Send"]}],
         "confirmation": [{"text": ["request was received"], "contains": True}],
         "code_step": {"detect": [{"text": ["6-digit code"], "contains": True}],
                       "say": "Synth emailed you a 6-digit code to confirm the request."},
         "unavailable_if_none": [{"css": "form"}, {"css": "textarea"}, {"role": "textbox"},
                                 {"role": "button", "name": ["Send"], "contains": True}]},
    ],
}

SETTINGS = """<!doctype html><html lang="en"><head><title>Settings</title>
<style>.menu{{border:1px solid #999}} .overlay{{position:fixed;inset:0;background:#fff}}</style></head><body>
<main id="app"><h1>Your data</h1>
<section><h2>Keep activity</h2><p>While on, we keep your activity.</p>
  <button type="button" aria-haspopup="menu" aria-label="Turn {verb} your Keep Activity setting"
          id="chip">{chip}</button><div id="menu-slot"></div>
  <button type="button">Learn more</button>
  <p><a href="/auto-delete">Choose an auto-delete option</a></p></section>
<section><h2>Data controls</h2>
  <div><span id="l1">Improve the model</span>
  <button type="button" role="switch" aria-labelledby="l1" data-state="{improve}"></button></div></section>
</main>
{modal}
<script>
const post = (url, body) => fetch(url, {{method: 'POST', headers: {{'Content-Type': 'application/json'}},
                                        body: JSON.stringify(body)}});
const chip = document.getElementById('chip');
chip.addEventListener('click', () => {{
  const slot = document.getElementById('menu-slot');
  const on = {activity_on};
  const items = on ? ['Turn off', 'Turn off and delete activity'] : ['Turn on'];
  slot.innerHTML = '<div role="menu" class="menu">' +
    items.map(t => '<div role="menuitem" tabindex="0">' + t + '</div>').join('') + '</div>';
  slot.querySelectorAll('[role=menuitem]').forEach(item => item.addEventListener('click', async () => {{
    slot.innerHTML = '';
    const r = await post('/api/activity', {{choice: item.textContent}});
    const j = await r.json();
    chip.textContent = j.on ? 'On' : 'Off';
    if ({confirm_dialog}) {{
      const d = document.createElement('div');
      d.setAttribute('role', 'dialog');
      d.innerHTML = '<p>Activity is off.</p><button type="button">Got it</button>';
      d.querySelector('button').addEventListener('click', () => d.remove());
      document.body.appendChild(d);
    }}
  }}));
}});
const sw = document.querySelector('[role=switch]');
sw.addEventListener('click', () => {{
  const on = sw.dataset.state !== 'checked';
  sw.dataset.state = on ? 'checked' : 'unchecked';
  post('/api/improve', {{on}});
}});
const modal = document.getElementById('terms');
if (modal) {{
  const choice = modal.querySelector('[role=switch]');
  choice.addEventListener('click', () => choice.setAttribute('aria-checked',
    String(choice.getAttribute('aria-checked') !== 'true')));
  modal.querySelector('#accept').addEventListener('click', async () => {{
    await post('/api/terms', {{allow: choice.getAttribute('aria-checked') === 'true'}});
    modal.remove();
  }});
}}
</script></body></html>"""

MODAL = """<div class="overlay"><div role="dialog" id="terms" aria-labelledby="t-h">
<h2 id="t-h">Updates to our terms</h2><p>Please review them.</p>
<div><span id="t-l">{label}</span><button type="button" role="{role}" aria-labelledby="t-l"
  aria-checked="true"></button></div>
<button type="button" id="accept">Accept</button><button type="button">Not now</button></div></div>"""


class Synth:
    """The site's server-side state and its Flask app."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: dict[str, Any] = {
            "activity": True, "items": 12, "improve": True, "terms": None, "modal": False,
            "modal_role": "switch", "confirm_dialog": False, "signin": "password", "identity": False,
            "region_ok": True, "form_code": False, "forms": [], "codes_typed": 0, "failed_logins": 0,
            "identity_answers": [], "send_label": "Send", "one_page": False, "landing": False,
            "start_button": False, "visitor": False, "visitor_improve": True,
            "country_select": False, "form_moved": False,
        }
        self.app = self._app()

    def _app(self) -> Flask:
        app, st = Flask("synth"), self.state

        def signed_in() -> bool:
            return request.cookies.get("sid") == "ok"

        @app.get("/login")
        def login() -> str:
            step = request.args.get("step", "user")
            if step == "user" and st["one_page"]:  # both fields on one screen: no "Next" to press
                body = ('<form method="post" action="/login/both"><label>Email or username '
                        '<input name="user"></label><label>Password <input type="password" name="password">'
                        '</label><button>Log in</button></form>')
            elif step == "user" and st["start_button"] and not request.args.get("form"):
                body = '<p>Welcome back</p><button onclick="location.search=\'form=1\'">Log in with email</button>'
            elif step == "user":
                body = ('<form method="post" action="/login/next"><label>Email or username '
                        '<input name="user" autocomplete="username"></label><button>Next</button></form>')
            elif step == "identity":
                body = ('<p>There was unusual login activity. Enter your phone number or username.</p>'
                        '<form method="post" action="/login/identity"><input name="text">'
                        '<button>Next</button></form>')
            elif step == "code":
                body = ('<p>Check your inbox: we emailed you a code.</p><form method="post" action="/login/code">'
                        '<input name="code"><button>Continue</button></form>')
            else:
                body = ('<form method="post" action="/login/password"><label>Password '
                        '<input type="password" name="password"></label><button>Log in</button></form>')
            error = '<p role="alert">Wrong password</p>' if request.args.get("error") else ""
            page = make_response(f"<!doctype html><html><body><h1>Sign in</h1>{error}{body}</body></html>")
            if request.args.get("next", "").startswith("/"):  # where to go back to after the sign-in
                page.set_cookie("next", request.args["next"])
            return page

        @app.post("/login/next")
        def login_next() -> Any:
            if request.form.get("user") != USER:
                return redirect("/login?error=1")
            if st["identity"]:
                return redirect("/login?step=identity")
            return redirect("/login?step=code" if st["signin"] == "code" else "/login?step=password")

        @app.post("/login/both")
        def login_both() -> Any:
            if request.form.get("user") != USER or request.form.get("password") != PASSWORD:
                return redirect("/login?error=1")
            response = redirect(request.cookies.get("next") or "/settings")
            response.set_cookie("sid", "ok", httponly=True)
            return response

        @app.post("/login/identity")
        def login_identity() -> Any:
            with self.lock:
                st["identity_answers"].append(request.form.get("text"))
            ok = request.form.get("text") == USER
            return redirect("/login?step=password" if ok else "/login?step=identity")

        @app.post("/login/password")
        def login_password() -> Any:
            if request.form.get("password") != PASSWORD:
                with self.lock:
                    st["failed_logins"] += 1
                return redirect("/login?step=password&error=1")
            response = redirect(request.cookies.get("next") or "/settings")
            response.set_cookie("sid", "ok", httponly=True)
            return response

        @app.get("/settings")
        def settings() -> Any:
            if not signed_in() and st["visitor"]:
                # a visitor's own copy of the switch, its "Log in" drawn by script after the load
                state = "checked" if st["visitor_improve"] else "unchecked"
                # (the app draws the switch and its header in one go, after the load, as apps hydrate)
                return ("<!doctype html><html><body><main id='root'></main><script>setTimeout(() => {"
                        "document.getElementById('root').innerHTML = \"<a href='/login'>Log in</a><h2>Data "
                        "controls</h2><div><span id='l1'>Improve the model</span><button type='button' "
                        f"role='switch' aria-labelledby='l1' data-state='{state}'></button></div>\";"
                        "const sw = document.querySelector('[role=switch]');"
                        "sw.addEventListener('click', () => { const on = sw.dataset.state !== 'checked';"
                        "sw.dataset.state = on ? 'checked' : 'unchecked'; fetch('/api/visitor', {method: 'POST',"
                        "headers: {'Content-Type': 'application/json'}, body: JSON.stringify({on})}); });"
                        "}, 400);</script></body></html>")
            if not signed_in() and st["landing"]:  # a page for visitors, with a link to sign in
                return "<!doctype html><html><body><h1>Synth</h1><a href='/elsewhere'>Log in</a></body></html>"
            if not signed_in():
                return redirect("/login")
            with self.lock:
                modal = MODAL.format(label="Allow training on my chats", role=st["modal_role"]) \
                    if st["modal"] else ""
                return SETTINGS.format(
                    chip="On ▾" if st["activity"] else "Off", verb="off" if st["activity"] else "on",
                    activity_on=str(st["activity"]).lower(), improve="checked" if st["improve"] else "unchecked",
                    modal=modal, confirm_dialog=str(st["confirm_dialog"]).lower())

        @app.post("/api/activity")
        def activity() -> Any:
            choice = request.get_json()["choice"]
            with self.lock:
                st["activity"] = choice == "Turn on"
                if choice == "Turn off and delete activity":
                    st["items"] = 0
                return jsonify(on=st["activity"])

        @app.post("/api/improve")
        def improve() -> Any:
            with self.lock:
                st["improve"] = bool(request.get_json()["on"])
            return jsonify(ok=True)

        @app.post("/api/visitor")
        def visitor() -> Any:
            with self.lock:
                st["visitor_improve"] = bool(request.get_json()["on"])
            return jsonify(ok=True)

        @app.post("/api/terms")
        def terms() -> Any:
            allow = bool(request.get_json()["allow"])
            with self.lock:
                st["terms"], st["improve"], st["modal"] = ("on" if allow else "off"), allow, False
            return jsonify(ok=True)

        @app.get("/help")
        def help_page() -> Any:
            target = "/form2" if st["form_moved"] else "/form"
            return f"<!doctype html><html><body><h1>Help</h1><a href='{target}'>Object to AI</a></body></html>"

        @app.get("/form2")
        def form2() -> Any:
            if st.get("form2_503_once") and signed_in():  # the page a click leads to fails once
                st["form2_503_once"] = False
                return "<!doctype html><html><body><h1>Service unavailable</h1></body></html>", 503
            return form(moved=True)

        @app.get("/form")
        def form(moved: bool = False) -> Any:
            if st["form_moved"] and not moved:
                return "<!doctype html><html><body><h1>Not found</h1></body></html>", 404
            if not signed_in():
                return redirect(f"/login?next={request.path}")
            if not st["region_ok"]:
                return ("<!doctype html><html><body><main><h1>Help Centre</h1><p>How can we help?</p>"
                        "<a href='/help'>Browse topics</a></main></body></html>")
            return ('<!doctype html><html><body><h1>Object</h1><form method="post" action="/form">'
                    f'<label>Email <input type="email" name="email" value="{html.escape(USER)}"></label>'
                    + ('<label>Country <select name="country"><option value="">Choose</option><option>Germany</option>'
                       '<option>France</option></select></label>' if st["country_select"] else '')
                    + '<label>Why <textarea name="why"></textarea></label>'
                    f'<button>{st["send_label"]}</button></form></body></html>')

        @app.post("/form2")
        @app.post("/form")
        def send() -> Any:
            with self.lock:
                st["forms"].append({"email": request.form.get("email"), "why": request.form.get("why"),
                                    "country": request.form.get("country"),
                                    "confirmed": not st["form_code"]})
            if st["form_code"]:
                return ('<!doctype html><html><body><p>Enter the 6-digit code we sent to your email.</p>'
                        '<form method="post" action="/form/code"><input name="code"><button>Confirm</button>'
                        '</form></body></html>')
            return "<!doctype html><html><body><p>Thanks: your request was received.</p></body></html>"

        return app


@pytest.fixture
def synth(cli, tmp_path: Path) -> Iterator[tuple[Synth, Any]]:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "synth.yaml").write_text(yaml.safe_dump(FLOW, allow_unicode=True), encoding="utf-8")
    cli.env["OPTOUT_FLOWS"] = str(flows)
    site = Synth()
    with ReplicaServer(site.app) as server:
        assert cli("creds", "set", "synth", USER, "--password-stdin", input=PASSWORD + "\n").code == 0

        def optout(*args: str, setting: str | None = None) -> Any:
            extra = ["--setting", setting] if setting else []
            return cli(*args[:1], "synth", *args[1:], *extra, "--json", "--base-url", f"synth={server.url}")

        yield site, optout


def rows(result: Any) -> dict[str, dict]:
    return {r["setting"]: r for r in result.json()}


# -- the flow language ----------------------------------------------------------------------------------

def test_the_synthetic_flow_is_schema_3_and_state_words_are_checked(tmp_path: Path):
    path = tmp_path / "synth.yaml"
    path.write_text(yaml.safe_dump(FLOW), encoding="utf-8")
    assert flow.load_file(path).settings[0].kind == "menu"
    bad = yaml.safe_load(yaml.safe_dump(FLOW))
    del bad["settings"][0]["state_text"]  # text without words
    del bad["settings"][0]["menu_item"]  # a menu without its item
    bad["settings"][1]["menu_item"] = [{"css": "x"}]  # an item on a switch
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(flow.FlowError) as raised:
        flow.load_file(path)
    message = str(raised.value)
    assert "settings.0" in message and "settings.1" in message, message


def test_bare_on_and_off_keys_of_state_text_are_read_as_written(tmp_path: Path):
    data = yaml.safe_load(yaml.safe_dump(FLOW))
    data["settings"][0]["state_text"] = yaml.safe_load("{on: [On], off: [Off]}")  # YAML 1.1: booleans
    assert True in data["settings"][0]["state_text"]
    path = tmp_path / "synth.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    words = flow.load_file(path).settings[0].state_text
    assert words is not None and (words.on, words.off) == (["on"], ["off"])  # compared with case folded


def test_state_from_text_needs_exactly_one_of_on_and_off():
    from optout.state import from_text

    words = flow.StateWords(on=["On"], off=["Off", "Paused"])
    assert from_text("✓ On ▾", words) == "on"
    assert from_text("Off", words) == "off"
    assert from_text("Paused since May", words) == "off"
    assert from_text("On and Off", words) is None  # both
    assert from_text("Turn on", words) == "on"
    assert from_text("Online", words) is None  # whole words only
    assert from_text("", words) is None


# -- a menu action, state from text and data-state ------------------------------------------------------

def test_a_menu_turns_off_without_deleting_and_data_state_is_read(synth):
    site, optout = synth
    site.state["confirm_dialog"] = True  # "Got it" after the change
    result = optout("run")
    got = rows(result)
    assert site.state["activity"] is False and site.state["items"] == 12, site.state  # nothing deleted
    assert site.state["improve"] is False
    assert got["activity"]["outcome"] == "changed" and got["improve"]["outcome"] == "changed", result.stderr
    assert (got["activity"]["before"], got["activity"]["after"]) == ("on", "off")

    again = optout("verify")
    assert {s: r["outcome"] for s, r in rows(again).items()} == {"activity": "ok", "improve": "ok", "object": "ok"}
    site.state.update(activity=True, improve=True)
    drift = optout("verify")
    assert drift.code == 1 and rows(drift)["activity"]["outcome"] == "drifted"
    assert site.state["activity"] is True  # verify alone changes nothing


def test_the_deleting_item_is_chosen_only_when_asked(synth):
    site, optout = synth
    result = optout("run", "--delete-activity", setting="activity")
    assert rows(result)["activity"]["outcome"] == "changed", result.stderr
    assert site.state["activity"] is False and site.state["items"] == 0


# -- a dialog with the same choice ----------------------------------------------------------------------

def test_a_dialog_is_answered_off_and_verify_alone_does_not_answer_it(synth):
    site, optout = synth
    site.state["modal"] = True
    drift = optout("verify", setting="improve")
    assert drift.code == 1 and rows(drift)["improve"]["outcome"] == "drifted", drift.stderr
    assert site.state["terms"] is None and site.state["modal"] is True  # left for --fix

    result = optout("run", setting="improve")
    row = rows(result)["improve"]
    assert site.state["terms"] == "off" and site.state["improve"] is False, site.state
    assert row["outcome"] == "changed" and row["after"] == "off", result.stderr


def test_a_dialog_whose_choice_cannot_be_found_is_never_accepted(synth):
    site, optout = synth
    site.state.update(modal=True, modal_role="radio")  # no switch, no checkbox in it
    result = optout("run", setting="improve")
    assert result.code == 3 and rows(result)["improve"]["outcome"] == "needs_human", result.stderr
    assert site.state["terms"] is None and site.state["improve"] is True


# -- sign-in screens after "Next" ------------------------------------------------------------------------

def test_an_identity_check_between_username_and_password_is_answered(synth):
    site, optout = synth
    site.state["identity"] = True
    result = optout("run", setting="improve")
    assert site.state["identity_answers"] == [USER] and site.state["improve"] is False, result.stderr


def test_the_sign_in_page_on_another_origin_of_the_flow_is_opened_on_the_base_url(synth):
    site, optout = synth
    site.state["landing"] = True  # no sign-in form to follow: the flow's signin.url is opened
    result = optout("run", setting="improve")
    assert site.state["improve"] is False and rows(result)["improve"]["outcome"] == "changed", result.stderr


def test_a_landing_page_start_button_and_a_late_drawn_sign_in_link(synth):
    site, optout = synth
    # the settings page shows a visitor's own switch, its "Log in" drawn after the load; the sign-in
    # page is a landing page whose button opens the form
    site.state.update(visitor=True, start_button=True)
    result = optout("run", setting="improve")
    assert site.state["visitor_improve"] is True, "the visitor's own switch was changed"
    assert site.state["improve"] is False and rows(result)["improve"]["outcome"] == "changed", result.stderr


def test_a_url_on_no_origin_of_the_flow_is_refused(tmp_path: Path):
    bad = yaml.safe_load(yaml.safe_dump(FLOW))
    bad["signin"]["url"] = "https://evil.invalid/login"
    path = tmp_path / "synth.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(flow.FlowError) as raised:
        flow.load_file(path)
    assert "evil.invalid" in str(raised.value) and "none of the flow's origins" in str(raised.value)


def test_a_one_page_sign_in_needs_no_next(synth):
    site, optout = synth
    site.state["one_page"] = True
    result = optout("run", setting="improve")
    assert site.state["improve"] is False and rows(result)["improve"]["outcome"] == "changed", result.stderr


def test_a_passwordless_code_step_is_for_a_person(synth):
    site, optout = synth
    site.state["signin"] = "code"
    result = optout("run", setting="improve")
    assert result.code == 3 and rows(result)["improve"]["outcome"] == "needs_human", result.stderr
    assert "optout login synth" in rows(result)["improve"]["message"]
    assert site.state["improve"] is True and site.state["failed_logins"] == 0


# -- a form: an emailed code, a region without it ----------------------------------------------------------

def test_a_forms_emailed_code_is_for_a_person_and_it_is_not_sent_again(synth):
    site, optout = synth
    site.state["form_code"] = True
    first = optout("run", setting="object")
    assert first.code == 3 and rows(first)["object"]["outcome"] == "needs_human", first.stderr
    assert rows(first)["object"]["details"]["code_pending"] is True
    assert len(site.state["forms"]) == 1 and site.state["forms"][0]["email"] == USER
    second = optout("run", setting="object")
    assert rows(second)["object"]["outcome"] == "needs_human", second.stderr
    assert "--resend --headed" in rows(second)["object"]["message"]
    assert len(site.state["forms"]) == 1  # never sent twice on its own


def test_a_moved_form_is_reached_by_its_click_path_and_a_list_takes_the_accounts_value(synth, cli):
    site, optout = synth
    site.state.update(form_moved=True, country_select=True, form2_503_once=True)  # a click's page fails once
    missing = optout("run", setting="object")  # the page asks for a country the account does not give
    assert missing.code == 2 and "--set country" in missing.stderr + missing.stdout, missing.stderr
    assert site.state["forms"] == []
    assert cli("account", "synth", USER, "--set", "country=France").code == 0
    result = optout("run", setting="object")
    assert rows(result)["object"]["outcome"] == "changed", result.stderr
    assert [(f["email"], f["country"]) for f in site.state["forms"]] == [(USER, "France")]


def test_a_page_without_any_form_is_unavailable_but_a_changed_form_is_broken(synth):
    site, optout = synth
    site.state["region_ok"] = False
    result = optout("run", setting="object")
    assert result.code == 0 and rows(result)["object"]["outcome"] == "unavailable", result.stderr
    site.state.update(region_ok=True, send_label="Submit request")  # a form, but not the one the flow knows
    result = optout("run", setting="object")
    assert result.code == 1 and rows(result)["object"]["outcome"] == "broken", result.stderr
    assert site.state["forms"] == []
