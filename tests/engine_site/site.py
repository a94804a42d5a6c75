"""The engine tests' synthetic site (platform `sample`, flows/sample.yaml): a sign-in with its checks,
one switch saved in the background, one form, and the faults the engine must survive.

    site = SampleSite()
    site.add_account("alice@example.com", "secret", challenge="pin")
    site.configure(save_fails_once=True)
    with ReplicaServer(site.app) as server: ...        # the `sample` fixture does this
    site.state()["accounts"]["alice@example.com"]["training"]   # True: the data is used

It satisfies the replica interface (tests/replicas/interface.py) and judges nothing: tests read its
server-side state. Plain semantic markup, no language but English: what the engine does with real
markup is the platforms' tests' business (tests/platforms/), not this site's. See README.md.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pyotp
from flask import Flask, Response, jsonify, redirect, request

from tests.replicas.server import (
    CONTROL_PREFIX,
    DelayMiddleware,
    apply_variants,
    control_blueprint,
    json_error,
    random_digits,
)

Challenge = Literal["pin", "email_pin", "app", "captcha"]
CHALLENGES: tuple[str, ...] = ("pin", "email_pin", "app", "captcha")
SWITCH, FORM = "ai-training", "ai-objection"  # the flow's setting ids
SAVE_URL = "/api/settings"
STREAM_URL = "/api/stream"  # background_request: held open, answered only when the site is reset or stops
MOVED_PATH = "/settings/data/ai-training"  # where the switch's page is with `deep_link_moved`
YEAR = 365 * 24 * 3600


@dataclass
class Variants:
    """Faults, all off by default; a one-shot fault is armed again each time it is set."""

    delay_ms: int = 0  # every response but /__replica__/ is this much late
    late_render_ms: int = 0  # the switch appears this long after its page loads
    replace_node: bool = False  # the switch is swapped for an equal node 300 ms after it shows and after each save
    first_load_503: bool = False  # one-shot: the switch's page answers 503
    save_fails_once: bool = False  # one-shot: the switch's save answers 500; the page puts it back, with an alert
    save_never_persists: bool = False  # the save answers 200 and the page shows it, but the server keeps it on
    session_expired_once: bool = False  # one-shot: a settings page ends the session and sends to the sign-in
    remember_me: bool = False  # after a right password (no challenge), a "Remember this browser" page first
    deep_link_moved: bool = False  # the deep link answers 404; the settings row leads to MOVED_PATH
    save_after_ms: int = 0  # the switch shows the new state at once and sends its save this long after the click
    prefill_username: str = ""  # the sign-in form comes with this already in its Email field
    # the switch's page opens a request at load that the server holds open (a stream or long poll,
    # as live pages keep one): never answered while the page is there
    background_request: bool = False


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    challenge: str | None  # pin (a code; with totp_secret, from an authenticator app) | email_pin | app | captcha
    totp_secret: str | None
    offered: bool  # False: the platform does not offer this member the switch
    training_default: bool
    training: bool = True  # the switch, as the server holds it: True = the data is used for training
    sign_ins: int = 0
    failed_logins: int = 0
    save_requests: int = 0
    forms: list[dict[str, Any]] = field(default_factory=list)

    def restore(self) -> None:
        self.training = self.training_default
        self.sign_ins = self.failed_logins = self.save_requests = 0
        self.forms = []


@dataclass
class Pending:
    """A check between the password and the session."""

    id: str
    email: str
    kind: str
    next: str
    code: str | None = None
    approved: bool = False


def page(title: str, body: str, script: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} · Sample</title>'
            f'</head><body>{body}{f"<script>{script}</script>" if script else ""}</body></html>')


def signed_in_page(title: str, main: str, script: str = "") -> str:
    nav = ('<nav aria-label="Account"><a href="/home">Home</a> <a href="/settings">Settings</a> '
           '<a href="/help/object">Help</a> <a href="/logout">Sign out</a></nav>')
    return page(title, f"<header>{nav}</header><main>{main}</main>", script)


# The switch: clicked, it shows the new state at once and saves in the background (disabled meanwhile);
# a failed save puts it back and says so (role=alert); a 401 sends the page to the sign-in.
SWITCH_JS = """(() => {
  const cfg = __CFG__, slot = document.getElementById('slot');
  let value = cfg.value, busy = false;
  const build = () => { const b = document.createElement('button');
    b.type = 'button'; b.setAttribute('role', 'switch'); b.setAttribute('aria-labelledby', 'switch-label');
    b.textContent = value ? 'On' : 'Off'; return b; };
  const paint = () => { const b = slot.querySelector('[role="switch"]'); if (!b) return;
    b.setAttribute('aria-checked', String(value)); b.textContent = value ? 'On' : 'Off'; b.disabled = busy; };
  const swap = () => { const old = slot.firstElementChild; if (old) { old.replaceWith(build()); paint(); } };
  const mount = () => { slot.replaceChildren(build()); slot.removeAttribute('aria-busy'); paint();
    if (cfg.replaceNode) setTimeout(swap, 300); };
  async function change(next) {
    if (busy) return;
    const before = value; value = next; busy = true; paint();
    if (cfg.saveAfterMs > 0) await new Promise((done) => setTimeout(done, cfg.saveAfterMs));  // a debounced save
    let status = 0;
    try { status = (await fetch(cfg.saveUrl, {method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify({setting: cfg.setting, value: next})})).status; } catch (e) { status = 0; }
    busy = false;
    if (status === 401) { location.assign('/login?' + new URLSearchParams({next: location.pathname})); return; }
    if (status < 200 || status >= 300) { value = before; paint();
      const alert = document.createElement('p'); alert.setAttribute('role', 'alert');
      alert.textContent = 'Your change was not saved. Try again.'; document.querySelector('main').append(alert);
      return; }
    paint(); if (cfg.replaceNode) swap();
  }
  slot.addEventListener('click', (e) => { if (e.target.closest('[role="switch"]')) change(!value); });
  // a live page's long-lived request, opened a moment after the page is up (once its app has started)
  if (cfg.stream) setTimeout(() => fetch(cfg.stream).catch(() => {}), 100);
  if (cfg.lateMs > 0) setTimeout(mount, cfg.lateMs); else mount();
})();"""

# The app-approval page asks the server until the member has approved, then sends itself.
APPROVAL_JS = """(() => {
  const poll = async () => {
    const r = await fetch(__STATUS__); const s = (await r.json()).status;
    if (s === 'approved') document.getElementById('approval').submit(); else setTimeout(poll, 300);
  }; setTimeout(poll, 300);
})();"""


class SampleSite:
    """State, faults and the Flask app (`app`); `url` is set by whoever serves it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # `sid` cookie -> email
        self._pending: dict[str, Pending] = {}
        self._remember: dict[str, tuple[str, str]] = {}  # interstitial token -> (email, next)
        self._devices: dict[str, str] = {}  # "remember this device" cookie -> email
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._stream_released = threading.Event()  # ends the held background requests (reset)
        self.url: str | None = None
        self.app = self._create_app()

    # ------------------------------------------------------------ the replica interface
    def add_account(self, email: str, password: str, name: str = "Sample Member", challenge: str | None = None,
                    totp_secret: str | None = None, offered: bool = True, training: bool = True) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if challenge not in (None, *CHALLENGES):
            raise ValueError(f"challenge must be one of {CHALLENGES} or None")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        acct = Account(email.strip().lower(), password, name, challenge, totp_secret or None, bool(offered),
                       bool(training), training=bool(training))
        with self._lock:
            self._accounts[acct.email] = acct
            return self._account_state(acct)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            self.variants = apply_variants(self.variants, variants)
            self._fired -= {name for name in ONE_SHOTS if variants.get(name) and getattr(self.variants, name)}

    def reset(self, drop_accounts: bool = False) -> None:
        with self._lock:
            self._stream_released.set()
            self._stream_released = threading.Event()
            self.variants = Variants()
            for store in (self._sessions, self._pending, self._remember, self._devices, self._fired,
                          self._page_requests):
                store.clear()
            if drop_accounts:
                self._accounts.clear()
            for acct in self._accounts.values():
                acct.restore()

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {"variants": dataclasses.asdict(self.variants),
                    "accounts": {e: self._account_state(a) for e, a in self._accounts.items()},
                    "page_requests": dict(self._page_requests)}

    def opted_out(self, email: str) -> dict[str, bool]:
        acct = self.state()["accounts"][email]
        return {SWITCH: acct["training"] is False, FORM: bool(acct["forms"])}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": the switch on again, for one account or all; a sent form stays sent."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.training = True
            return [a.email for a in targets]

    # ------------------------------------------------------------ more steering for the tests
    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions (of one account, or all): a kept profile has to sign in again."""
        with self._lock:
            ended = [t for t, e in self._sessions.items() if email is None or e == self._get(email).email]
            for token in ended:
                del self._sessions[token]
            return len(ended)

    def approve(self, email: str) -> bool:
        """The member approves the pending sign-in in the app."""
        with self._lock:
            mine = [p for p in self._pending.values() if p.email == self._get(email).email and p.kind == "app"]
            for pending in mine:
                pending.approved = True
            return bool(mine)

    def pending_pin(self, email: str) -> dict[str, Any] | None:
        """What the person would read on their phone or in their mail for the latest check."""
        with self._lock:
            acct = self._get(email)
            mine = [p for p in self._pending.values() if p.email == acct.email]
            if not mine:
                return None
            code = pyotp.TOTP(acct.totp_secret).now() if mine[-1].kind == "pin" and acct.totp_secret else mine[-1].code
            return {"email": acct.email, "kind": mine[-1].kind, "pin": code}

    # ------------------------------------------------------------ helpers
    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {"email": acct.email, "name": acct.name, "challenge": acct.challenge, "offered": acct.offered,
                "training": acct.training, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
                "save_requests": acct.save_requests, "forms": copy.deepcopy(acct.forms),
                "sessions": sum(1 for e in self._sessions.values() if e == acct.email)}

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get("sid", ""))
            return self._accounts.get(email) if email else None

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the way to the sign-in (the session ended once, if so set)."""
        acct = self._member()
        if acct is not None and settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get("sid", ""), None)
            acct = None
        if acct is None:
            resp = redirect("/login?" + urlencode({"next": request.path}))
            resp.delete_cookie("sid", path="/")
            return resp
        return acct

    def _start_session(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = acct.email
        resp = redirect(target, code=303)
        resp.set_cookie("sid", token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    @staticmethod
    def _target(raw: str | None) -> str:
        """Where to go after the sign-in: a path of this site only."""
        parts = urlsplit(raw or "")
        return raw if raw and not parts.netloc and raw.startswith("/") and not raw.startswith("//") else "/home"

    # ------------------------------------------------------------ the app
    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        app.register_blueprint(control_blueprint(self))

        @app.before_request
        def _count() -> None:
            if request.method == "GET" and not request.path.startswith(CONTROL_PREFIX):
                with self._lock:
                    self._page_requests[request.path] += 1

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int]:
            return page("Not found", "<main><h1>This page does not exist</h1></main>"), 404

        for rule, view, methods in (
                ("/", lambda: redirect("/home"), ["GET"]),
                ("/login", self._login, ["GET", "POST"]),
                ("/remember", self._remember_submit, ["POST"]),
                ("/challenge/<cid>", self._challenge, ["GET"]),
                ("/challenge/<cid>/status", self._challenge_status, ["GET"]),
                ("/challenge/verify", self._challenge_verify, ["POST"]),
                ("/logout", self._logout, ["GET"]),
                ("/home", self._home, ["GET"]),
                ("/settings", self._settings, ["GET"]),
                ("/settings/ai-training", self._switch_page, ["GET"]),
                (MOVED_PATH, self._switch_page, ["GET"]),
                (SAVE_URL, self._save, ["POST"]),
                (STREAM_URL, self._stream, ["GET"]),
                ("/help/object", self._objection, ["GET", "POST"])):
            app.add_url_rule(rule, view.__name__ if rule != "/" else "root", view, methods=methods)
        return app

    # ------------------------------------------------------------ sign-in
    def _login(self) -> Response | str:
        target = self._target(request.values.get("next"))
        if request.method == "GET":
            return redirect(target) if self._member() else self._login_form(target, self.variants.prefill_username)
        email = request.form.get("username", "").strip().lower()
        password = request.form.get("password", "")
        with self._lock:
            acct = self._accounts.get(email)
            right = acct is not None and secrets.compare_digest(password, acct.password)
            if acct is not None:
                if right:
                    acct.sign_ins += 1
                else:
                    acct.failed_logins += 1
        if acct is None or not right:
            return self._login_form(target, email, "That email and password do not match.")
        if acct.challenge and not (acct.challenge == "pin" and self._devices.get(request.cookies.get("device", ""))
                                   == acct.email):
            pending = Pending(secrets.token_urlsafe(24), acct.email, acct.challenge, target)
            if pending.kind in ("pin", "email_pin", "captcha") and not (pending.kind == "pin" and acct.totp_secret):
                pending.code = random_digits(6)
            with self._lock:
                self._pending[pending.id] = pending
            return redirect(f"/challenge/{pending.id}", code=303)
        if self.variants.remember_me:
            token = secrets.token_urlsafe(24)
            with self._lock:
                self._remember[token] = (acct.email, target)
            return page("Remember this browser?", f"""<main><h1>Remember this browser?</h1>
<form method="post" action="/remember"><input type="hidden" name="token" value="{token}">
<button type="submit">Remember this browser</button></form></main>""")
        return self._start_session(acct, target)

    @staticmethod
    def _login_form(target: str, email: str = "", error: str = "") -> str:
        shown = f'<p id="login-error" role="alert">{escape(error)}</p>' if error else ""
        return page("Sign in", f"""<main><h1>Sign in</h1>{shown}
<form id="login" method="post" action="/login"><input type="hidden" name="next" value="{escape(target)}">
<label for="f1">Email</label> <input id="f1" name="username" type="email" value="{escape(email)}">
<label for="f2">Password</label> <input id="f2" name="password" type="password">
<button type="submit">Sign in</button></form></main>""")

    def _remember_submit(self) -> Response:
        with self._lock:
            found = self._remember.pop(request.form.get("token", ""), None)
        if found is None:
            return redirect("/login", code=303)
        return self._start_session(self._accounts[found[0]], found[1])

    def _challenge(self, cid: str, error: str = "") -> Response | str:
        pending = self._pending.get(cid)
        if pending is None:
            return redirect("/login")
        shown = f'<p role="alert">{escape(error)}</p>' if error else ""
        hidden = f'<input type="hidden" name="cid" value="{escape(cid)}">'
        if pending.kind == "app":
            status = f'"/challenge/{cid}/status"'
            return page("Approve", f"""<main><h1>Approve the sign-in in the Sample app on your phone</h1>
<form id="approval" method="post" action="/challenge/verify">{hidden}</form></main>""",
                        APPROVAL_JS.replace("__STATUS__", status))
        form_id, label, extra = {
            "pin": ("code-check", "Verification code",
                    '<label><input type="checkbox" name="remember" value="true"> Remember this device</label>'),
            "email_pin": ("mail-check", "Code from the email", ""),
            "captcha": ("puzzle", "The number in the picture", ""),
        }[pending.kind]
        return page("Check", f"""<main><h1>One more check</h1>{shown}
<form id="{form_id}" method="post" action="/challenge/verify">{hidden}
<label for="c1">{label}</label> <input id="c1" name="code" autocomplete="one-time-code">
{extra} <button type="submit">Verify</button></form></main>""")

    def _challenge_status(self, cid: str) -> Response:
        pending = self._pending.get(cid)
        return jsonify({"status": "expired" if pending is None else "approved" if pending.approved else "pending"})

    def _challenge_verify(self) -> Response | str:
        pending = self._pending.get(request.form.get("cid", ""))
        if pending is None:
            return redirect("/login", code=303)
        acct, code = self._accounts[pending.email], request.form.get("code", "").strip()
        if pending.kind == "app":
            ok = pending.approved
        elif pending.kind == "pin" and acct.totp_secret:
            ok = pyotp.TOTP(acct.totp_secret).verify(code, valid_window=1)
        else:
            ok = bool(code) and secrets.compare_digest(code, pending.code or "")
        if not ok:
            return self._challenge(pending.id, "That is not the right code.")
        with self._lock:
            self._pending.pop(pending.id, None)
        resp = self._start_session(acct, pending.next)
        if pending.kind == "pin" and request.form.get("remember") == "true":
            device = secrets.token_urlsafe(24)
            with self._lock:
                self._devices[device] = acct.email
            resp.set_cookie("device", device, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get("sid", ""), None)
        resp = redirect("/login", code=303)
        resp.delete_cookie("sid", path="/")
        return resp

    # ------------------------------------------------------------ signed in
    def _home(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return signed_in_page("Home", f"<h1>Hello, {escape(acct.name)}</h1>")

    def _settings(self) -> Response | str:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        where = MOVED_PATH if self.variants.deep_link_moved else "/settings/ai-training"
        row = (f'<li><a href="{where}">AI training</a> {"On" if acct.training else "Off"}</li>'
               if acct.offered else "")
        return signed_in_page("Settings", f"""<h1>Settings</h1>
<section><h2>Your data</h2><ul><li><a href="/settings/download">Download your data</a></li>{row}</ul></section>
<section><h2>Notifications</h2><ul><li><a href="/settings/email">Email</a></li></ul></section>""")

    def _switch_page(self) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        if (request.path == MOVED_PATH) != self.variants.deep_link_moved:
            return page("Not found", "<main><h1>This page does not exist</h1></main>"), 404
        if not acct.offered:
            return redirect("/settings")  # not offered to this member: back to where it would be listed
        if self._fire_once("first_load_503"):
            return page("Unavailable", "<main><h1>Sample is busy. Try again in a moment.</h1></main>"), 503
        cfg = {"value": acct.training, "setting": SWITCH, "saveUrl": SAVE_URL,
               "lateMs": self.variants.late_render_ms, "replaceNode": self.variants.replace_node,
               "saveAfterMs": self.variants.save_after_ms,
               "stream": STREAM_URL if self.variants.background_request else None}
        return signed_in_page("AI training", """<h1>AI training</h1>
<p id="switch-label">Use my data to train AI models</p><div id="slot" aria-busy="true"></div>""",
                              SWITCH_JS.replace("__CFG__", json.dumps(cfg)))

    def _save(self) -> Response | tuple[Response, int]:
        acct = self._member()
        if acct is None:
            return json_error("signed out", 401)
        body = request.get_json(silent=True) or {}
        if body.get("setting") != SWITCH or not isinstance(body.get("value"), bool):
            return json_error("bad request")
        with self._lock:
            if not acct.offered:
                return json_error("not found", 404)
            acct.save_requests += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                acct.training = body["value"]
            return jsonify({"setting": SWITCH, "value": body["value"]})

    def _stream(self) -> Response:
        """Held open until the site is reset (or 120 s): a request the page never sees end."""
        self._stream_released.wait(120)  # the server's side of a long poll, not a pause of the bot
        return jsonify({"events": []})

    def _objection(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        keys = ("name", "email", "details")
        values = {k: request.form.get(k, "").strip() for k in keys} if request.method == "POST" else \
            {"name": "", "email": acct.email, "details": ""}
        missing = [k for k in keys if not values[k]]
        if request.method == "GET" or missing:
            errors = f'<p role="alert">Please fill in: {", ".join(missing)}.</p>' if missing else ""
            return signed_in_page("Object to AI training", f"""<h1>Object to AI training</h1>{errors}
<form method="post" action="/help/object">
<label for="o1">Full name</label> <input id="o1" name="name" value="{escape(values['name'])}">
<label for="o2">Email</label> <input id="o2" name="email" type="email" value="{escape(values['email'])}">
<label for="o3">Details</label> <textarea id="o3" name="details">{escape(values['details'])}</textarea>
<button type="submit">Send</button></form>""")
        reference = f"OBJ-{random_digits(6)}"
        with self._lock:
            acct.forms.append({"reference": reference, "at": datetime.now(UTC).isoformat(timespec="seconds"),
                               "fields": values})
        return signed_in_page("Request received", f"""<section role="status"><h1>Request received</h1>
<p>Reference {reference}. We will write to {escape(values['email'])}.</p></section>""")


# Like a platform's replica module: the class by the interface's name.
Replica = SampleSite
