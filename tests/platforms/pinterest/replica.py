"""A local replica of Pinterest's log-in and privacy settings pages (shared/platforms/pinterest.md).

    replica = PinterestReplica()
    replica.add_account("alice@example.com", "secret", totp_secret=None)
    replica.configure(autosave=True, newer_release=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"canvas-training": bool}

Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pyotp
from flask import Flask, Response, g, jsonify, redirect, request

from tests.replicas.server import (
    CONTROL_PREFIX,
    DelayMiddleware,
    HashedClasses,
    apply_variants,
    control_blueprint,
    json_error,
)

from . import pages

SETTING_ID = "canvas-training"
LOGIN = "/login/"
SETTINGS_ROOT = "/settings/"
PRIVACY = "/settings/privacy"  # pinterest.md's deep link (unsure)
PRIVACY_MOVED = "/settings/privacy-and-data"  # where Privacy and data lives when the deep link is wrong
GENAI = "/settings/gen-ai"  # "Manage GenAI settings": the replica's own path (the md gives none)
SAVE_URL = "/resource/UserSettingsResource/update/"
SAVE_KEY = "allow_genai_training"  # True = the switch On (Pinterest's default)
SESSION_COOKIE = "_pinterest_sess"
CSRF_COOKIE = "csrftoken"
YEAR = 365 * 24 * 3600
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}

# The other settings pages: plain chrome (a heading and a line), so the menu leads somewhere.
OTHER_SETTINGS: dict[str, tuple[str, str]] = {
    "/settings/profile": ("Edit profile", "Keep your personal details private. Information you add here is "
                          "visible to anyone who can view your profile."),
    "/settings/account-settings": ("Account management", "Make changes to your personal information or account type."),
    "/settings/profile-visibility": ("Profile visibility", "Manage how your profile can be viewed on and off of "
                                     "Pinterest."),
    "/settings/home-feed": ("Tune your home feed", "Manage what you see in your home feed."),
    "/settings/claim": ("Claimed accounts", "Claim your websites and other accounts."),
    "/settings/social-permissions": ("Social permissions", "Choose who can mention you and comment on your Pins."),
    "/settings/notifications": ("Notifications", "Choose what we notify you about."),
    "/settings/security": ("Security", "Keep your account safe."),
}
_PRIVACY_AFTER = "/settings/notifications"  # "Privacy and data" comes after this item in the menu

DeepLink = Literal["works", "redirect", "not_found"]


@dataclass
class Variants:
    """Faults and page variants; see README.md. All off by default."""

    delay_ms: int = 0
    late_render_ms: int = 0
    replace_node: bool = False
    save_fails_once: bool = False
    save_never_persists: bool = False
    first_load_503: bool = False
    session_expired_once: bool = False
    autosave: bool = False  # the switch saves at once (default: only when "Save" is pressed)
    newer_release: bool = False  # the switch sits on Privacy and data itself
    deep_link: DeepLink = "works"  # "redirect"/"not_found": Privacy and data lives at PRIVACY_MOVED
    two_step_signin: bool = False  # email, then the password on a second page


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    available: bool
    initial: bool  # canvas_training as added, for reset()
    totp_secret: str | None
    canvas_training: bool = True
    saves: int = 0
    bad_saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0

    def restore(self) -> None:
        self.canvas_training = self.initial
        self.saves = self.bad_saves = self.sign_ins = self.failed_logins = self.failed_challenges = 0


@dataclass
class Pending:
    """A log-in under way: after the email (two-step), or after the password (code step)."""

    email: str
    target: str
    stage: Literal["password", "code"]


def _flag(name: str, value: Any) -> bool:
    """A boolean option, also given as a string (python -m tests.replicas passes strings)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _default_name(email: str) -> str:
    local = email.split("@", 1)[0]
    words = [w for w in local.replace(".", " ").replace("_", " ").replace("-", " ").split() if w]
    return " ".join(w.capitalize() for w in words) or "Pinner"


class PinterestReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # session cookie value -> email
        self._pending: dict[str, Pending] = {}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, available: bool | str = True,
                    canvas_training: bool | str = True, totp_secret: str | None = None) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        value = _flag("canvas_training", canvas_training)
        acct = Account(email=email, password=password, name=name or _default_name(email),
                       available=_flag("available", available), initial=value, totp_secret=totp_secret or None,
                       canvas_training=value)
        with self._lock:
            self._accounts[email] = acct
            return self._account_state(acct)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            self.variants = apply_variants(self.variants, variants)
            for name in ONE_SHOTS:  # setting a one-shot fault again arms it again
                if name in variants and getattr(self.variants, name):
                    self._fired.discard(name)

    def reset(self, drop_accounts: bool = False) -> None:
        with self._lock:
            self.variants = Variants()
            self._sessions.clear()
            self._pending.clear()
            self._fired.clear()
            self._page_requests.clear()
            self._unknown_logins = 0
            if drop_accounts:
                self._accounts.clear()
            for acct in self._accounts.values():
                acct.restore()

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "variants": dataclasses.asdict(self.variants),
                "accounts": {email: self._account_state(a) for email, a in self._accounts.items()},
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """Opted out when "Use your data to train Pinterest Canvas" is Off on the server."""
        with self._lock:
            return {SETTING_ID: not self._accounts[email.strip().lower()].canvas_training}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": the Canvas switch back On (Pinterest's default). KeyError: unknown email."""
        with self._lock:
            targets = [self._accounts[email.strip().lower()]] if email else list(self._accounts.values())
            for acct in targets:
                acct.canvas_training = True
            return [a.email for a in targets]

    def revoke_sessions(self, email: str | None = None) -> int:
        """Sign a member (or everyone) out on the server; KeyError for an unknown email."""
        with self._lock:
            if email and email.strip().lower() not in self._accounts:
                raise KeyError(email)
            who = email.strip().lower() if email else None
            gone = [t for t, e in self._sessions.items() if who is None or e == who]
            for token in gone:
                del self._sessions[token]
            return len(gone)

    # ------------------------------------------------------------ internals

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "available": acct.available, "totp": bool(acct.totp_secret),
            "canvas_training": acct.canvas_training, "saves": acct.saves, "bad_saves": acct.bad_saves,
            "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges,
            "sessions": sum(1 for e in self._sessions.values() if e == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _names(self) -> dict[str, str]:
        """Form-field names: hashed per replica instance, so no flow can know them beforehand."""
        return {k: self.h(f"field:{k}") for k in ("email", "password", "csrf", "target", "token", "code")}

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            return self._accounts.get(email) if email else None

    def _to_login(self) -> Response:
        here = request.full_path if request.query_string else request.path
        return redirect(LOGIN + "?" + urlencode({"next": here}))

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (to log in, and back)."""
        acct = self._member()
        if acct is None:
            resp = self._to_login()
            if request.cookies.get(SESSION_COOKIE):  # a session the server no longer knows
                resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            resp = self._to_login()
            resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        return acct

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after log-in: a path on this site only. An absolute pinterest.com URL maps to its
        path, so a link captured on the real domain still works against the replica."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "pinterest.com" \
                and not host.endswith(".pinterest.com"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _csrf_ok(self, given: str | None) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        return bool(given) and bool(cookie) and secrets.compare_digest(given or "", cookie)

    def _privacy_path(self) -> str:
        return PRIVACY if self.variants.deep_link == "works" else PRIVACY_MOVED

    def _settings_nav(self) -> list[tuple[str, str]]:
        nav: list[tuple[str, str]] = []
        for path, (title, _) in OTHER_SETTINGS.items():
            nav.append((title, path))
            if path == _PRIVACY_AFTER:
                nav.append((pages.PRIVACY_TITLE, self._privacy_path()))
        return nav

    def _settings_page(self, acct: Account, title: str, active: str, main: str, scripts: str = "") -> str:
        p = self._page()
        return pages.settings_shell(p, title, pages.top_bar(p, acct.name), self._settings_nav(), active, main,
                                    scripts)

    def _switch(self, acct: Account) -> tuple[str, str]:
        v = self.variants
        with self._lock:
            value = acct.canvas_training
        return pages.switch_block(self._page(), value=value, autosave=v.autosave, late_ms=v.late_render_ms,
                                  replace_node=v.replace_node, save_url=SAVE_URL, key=SAVE_KEY)

    # ------------------------------------------------------------ views: log-in

    def _login_page(self, target: str, email: str = "", error: str = "") -> str:
        return pages.login(self._page(), names=self._names(), csrf=g.csrf, target=target,
                           two_step=self.variants.two_step_signin, email=email, error=error)

    def _password_page(self, token: str, email: str, error: str = "") -> str:
        return pages.login_password(self._page(), names=self._names(), csrf=g.csrf, token=token, email=email,
                                    error=error)

    def _code_page(self, token: str, error: str = "") -> str:
        return pages.login_code(self._page(), names=self._names(), csrf=g.csrf, token=token, error=error)

    def _login_get(self) -> Response | str:
        target = self._safe_target(request.args.get("next"))
        if self._member():
            return redirect(target)
        return self._login_page(target)

    def _login_post(self) -> Response | str:
        """One-page log-in (email and password), or the email step of the two-step log-in."""
        n, form = self._names(), request.form
        target = self._safe_target(form.get(n["target"]))
        email = form.get(n["email"], "").strip().lower()
        if not self._csrf_ok(form.get(n["csrf"])):
            return self._login_page(target, email, "Something went wrong. Please try again.")
        if not email:
            return self._login_page(target, email, "You missed a spot! Don't forget to add your email.")
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
        if acct is None:
            return self._login_page(target, email, "The email you entered does not belong to any account.")
        if n["password"] not in form:  # the two-step page's first step
            token = secrets.token_urlsafe(24)
            with self._lock:
                self._pending[token] = Pending(email, target, "password")
            return self._password_page(token, email)
        if not self._password_ok(acct, form.get(n["password"], "")):
            return self._login_page(target, email, "The password you entered is incorrect.")
        return self._after_password(acct, target)

    def _password_post(self) -> Response | str:
        """Two-step log-in, step 2."""
        n, form = self._names(), request.form
        token = form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.stage != "password":
            return redirect(LOGIN, code=303)
        if not self._csrf_ok(form.get(n["csrf"])):
            return self._password_page(token, pending.email, "Something went wrong. Please try again.")
        acct = self._accounts[pending.email]
        if not self._password_ok(acct, form.get(n["password"], "")):
            return self._password_page(token, pending.email, "The password you entered is incorrect.")
        with self._lock:
            self._pending.pop(token, None)
        return self._after_password(acct, pending.target)

    def _verify_post(self) -> Response | str:
        n, form = self._names(), request.form
        token = form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.stage != "code":
            return redirect(LOGIN, code=303)
        acct = self._accounts[pending.email]
        code = form.get(n["code"], "").strip().replace(" ", "")
        ok = self._csrf_ok(form.get(n["csrf"])) and bool(acct.totp_secret) \
            and pyotp.TOTP(acct.totp_secret or "").verify(code, valid_window=1)
        if not ok:
            with self._lock:
                acct.failed_challenges += 1
            return self._code_page(token, "That code didn't work. Check the code and try again.")
        with self._lock:
            self._pending.pop(token, None)
        return self._sign_in(acct, pending.target)

    def _password_ok(self, acct: Account, password: str) -> bool:
        ok = secrets.compare_digest(password.encode(), acct.password.encode())
        with self._lock:
            if ok:
                acct.sign_ins += 1
            else:
                acct.failed_logins += 1
        return ok

    def _after_password(self, acct: Account, target: str) -> Response | str:
        if acct.totp_secret:
            token = secrets.token_urlsafe(24)
            with self._lock:
                self._pending[token] = Pending(acct.email, target, "code")
            return self._code_page(token)
        return self._sign_in(acct, target)

    def _sign_in(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(48)
        with self._lock:
            self._sessions[token] = acct.email
        resp = redirect(target, code=303)
        resp.set_cookie(SESSION_COOKIE, token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _federated(self, provider: str) -> Response | tuple[str, int]:
        name = pages.PROVIDERS.get(provider)
        if name is None:
            return self._not_found()
        return pages.federated(self._page(), name, self._safe_target(request.args.get("next"))), 502

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: pages

    def _home(self) -> str:
        acct, p = self._member(), self._page()
        if acct is None:
            return pages.landing(p)
        return pages.home(p, pages.top_bar(p, acct.name, "/"), acct.name)

    def _settings_root(self) -> Response:
        acct = self._guard()
        return acct if isinstance(acct, Response) else redirect("/settings/profile")

    def _other_settings(self, path: str) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        title, intro = OTHER_SETTINGS[path]
        return self._settings_page(acct, title, title, pages.plain_settings(self._page(), title, intro))

    def _unavailable(self, acct: Account) -> tuple[str, int]:
        p = self._page()
        return pages.error_page(p, pages.top_bar(p, acct.name), "Service unavailable",
                                "Pinterest is temporarily unavailable. Please try again in a few minutes."), 503

    def _privacy(self, path: str) -> Response | str | tuple[str, int]:
        """Privacy and data, at the md's deep link, or (deep_link variants) at PRIVACY_MOVED."""
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        v = self.variants
        if path != self._privacy_path():
            if path == PRIVACY and v.deep_link == "redirect":
                return redirect("/settings/profile")
            return self._not_found()
        if self._fire_once("first_load_503"):
            return self._unavailable(acct)
        p = self._page()
        scripts = ""
        if not v.newer_release:
            main = pages.privacy_main(p, genai_href=GENAI, switch=None)
        elif acct.available:
            switch, scripts = self._switch(acct)
            main = pages.privacy_main(p, genai_href=None, switch=switch)
        else:
            main = pages.privacy_main(p, genai_href=None, switch=None)
        return self._settings_page(acct, pages.PRIVACY_TITLE, pages.PRIVACY_TITLE, main, scripts)

    def _genai(self) -> Response | str | tuple[str, int]:
        """Manage GenAI settings: the switch (default release). The newer release has no such page."""
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        if self.variants.newer_release:
            return redirect(self._privacy_path())
        if self._fire_once("first_load_503"):
            return self._unavailable(acct)
        switch, scripts = self._switch(acct) if acct.available else (None, "")
        main = pages.genai_main(self._page(), back=self._privacy_path(), switch=switch)
        return self._settings_page(acct, pages.GENAI_TITLE, pages.PRIVACY_TITLE, main, scripts)

    def _save(self) -> Response | tuple[Response, int]:
        """The switch's background save: a form with `data` = JSON {"options": {allow_genai_training:
        bool}}, and the csrftoken cookie's value in the x-csrftoken header."""
        acct = self._member()
        if acct is None:
            return json_error("unauthenticated", 401)
        if not self._csrf_ok(request.headers.get("x-csrftoken")):
            return json_error("invalid csrf token", 403)
        try:
            data = json.loads(request.form.get("data", ""))
        except ValueError:
            data = None
        options = data.get("options") if isinstance(data, dict) else None
        if not isinstance(options, dict) or set(options) != {SAVE_KEY} or not isinstance(options[SAVE_KEY], bool):
            with self._lock:
                acct.bad_saves += 1  # nothing else is saved through here: no other setting is modelled
            return json_error("bad request", 400)
        if not acct.available:
            return json_error("not found", 404)
        value = options[SAVE_KEY]
        with self._lock:
            acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                acct.canvas_training = value
        return jsonify({"resource_response": {"status": "success", "data": {SAVE_KEY: value}}})

    def _not_found(self) -> tuple[str, int]:
        acct, p = self._member(), self._page()
        return pages.error_page(p, pages.top_bar(p, acct.name if acct else None), "Page not found",
                                "Sorry! We couldn't find that page."), 404

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _count_and_csrf() -> None:
            if request.path.startswith(CONTROL_PREFIX):
                return
            if request.method == "GET":
                with self._lock:
                    self._page_requests[request.path] += 1
            g.csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)

        @app.after_request
        def _issue_csrf(resp: Response) -> Response:
            if request.path.startswith(CONTROL_PREFIX) or resp.mimetype != "text/html":
                return resp
            if request.cookies.get(CSRF_COOKIE) != g.csrf:  # readable by script: the save sends it back
                resp.set_cookie(CSRF_COOKIE, g.csrf, path="/", samesite="Lax")
            resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            (LOGIN, self._login_get, ["GET"]),
            (LOGIN + "#post", self._login_post, ["POST"]),
            ("/login/password/", self._password_post, ["POST"]),
            ("/login/verify/", self._verify_post, ["POST"]),
            ("/login/federated/<provider>/", self._federated, ["GET"]),
            ("/logout/", self._logout, ["GET", "POST"]),
            (SETTINGS_ROOT, self._settings_root, ["GET"]),
            (PRIVACY, lambda: self._privacy(PRIVACY), ["GET"]),
            (PRIVACY_MOVED, lambda: self._privacy(PRIVACY_MOVED), ["GET"]),
            (GENAI, self._genai, ["GET"]),
            (SAVE_URL, self._save, ["POST"]),
        ]
        for path in OTHER_SETTINGS:
            routes.append((path, lambda path=path: self._other_settings(path), ["GET"]))
        for rule, view, methods in routes:
            app.add_url_rule(rule.partition("#")[0], endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _missing(_: Exception) -> tuple[str, int]:
            return self._not_found()

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            data = request.get_json(silent=True) or {}
            try:
                return jsonify({"revoked": self.revoke_sessions(str(data.get("email") or "") or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = PinterestReplica

__all__ = ["GENAI", "PRIVACY", "PRIVACY_MOVED", "SETTING_ID", "PinterestReplica", "Replica", "Variants"]
