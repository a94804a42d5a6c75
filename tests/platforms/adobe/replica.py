"""A local replica of Adobe's account site (account.adobe.com) and its sign-in pages
(shared/platforms/adobe.md).

    replica = AdobeReplica()
    replica.add_account("alice@example.com", "pw")            # email, Continue, password
    replica.configure(content_analysis_page=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...            # server.url
    replica.opted_out("alice@example.com")                    # {"content-analysis": bool}

adobe.md knows no URL for the settings: the replica serves them at paths of its own (SECTION_PATHS,
CONTENT_ANALYSIS_PATH), reached from the account home only by the click path
"Account and security" → "Privacy and personal data" (→ "Content analysis"). The account site and
the sign-in pages are served on the one origin. Everything the tests need to know or steer also goes
through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pyotp
from flask import Flask, Response, jsonify, redirect, request

from tests.replicas.server import (
    CONTROL_PREFIX,
    DelayMiddleware,
    HashedClasses,
    apply_variants,
    control_blueprint,
    json_error,
    random_digits,
)

from . import pages
from . import texts as t

SETTING_ID = "content-analysis"  # the flow's setting id (opted_out)
SESSION_COOKIE = "adobe_session"
SESSION_AGE = 30 * 24 * 3600  # a kept browser profile stays signed in
SIGNIN_COOKIE = "adobe_signin"  # the sign-in in progress (which step, which email)
SIGNIN_PATH = "/signin"
SIGNIN_POSTS = {  # where each sign-in step's form posts
    "email": "/signin/email",
    "password": "/signin/password",
    "code": "/signin/code",
    "resend": "/signin/code/resend",
    "totp": "/signin/totp",
}
SOCIAL_PATH = "/signin/social"
SIGNOUT_PATH = "/signout"
PLANS_PATH = "/plans"
# The settings pages' paths are the replica's own (adobe.md: no deep link known). Only the nav of the
# signed-in pages and the "Account and security" tabs link to them, so a flow finds them by clicking.
_ROOT = "/account-security"
SECTION_PATHS: dict[str, str] = {
    "profile": _ROOT,
    "signin": f"{_ROOT}/login-methods",
    "privacy": f"{_ROOT}/personal-data",
    "communication": f"{_ROOT}/communications",
}
PRIVACY_PATH = SECTION_PATHS["privacy"]
CONTENT_ANALYSIS_PATH = f"{PRIVACY_PATH}/analysis"  # only with the `content_analysis_page` variant
SAVE_URL = "/api/privacy/preferences"
CODE_TRIES = 5  # wrong codes before the emailed code is void and a new one must be requested
SIGNIN = ("password", "email_code")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


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
    privacy_label: Literal["privacy_and_personal_data", "data_and_privacy"] = "privacy_and_personal_data"
    content_analysis_page: bool = False
    sentence: Literal["md", "other"] = "md"


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    signin: str
    available: bool  # is the member offered "Content analysis" at all?
    initial: bool  # the switch's value when added (and after reset)
    totp_secret: str | None
    content_analysis: bool = True
    settings: dict[str, bool] = field(default_factory=dict)  # the neighbours
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    codes_sent: int = 0
    last_code: str | None = None

    def restore(self) -> None:
        self.content_analysis = self.initial
        self.settings = dict.fromkeys(t.NEIGHBOURS, True)
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = self.codes_sent = 0
        self.last_code = None


@dataclass
class Session:
    email: str
    csrf: str


@dataclass
class PendingLogin:
    id: str
    target: str
    step: str = "email"  # email | password | code | totp
    email: str = ""
    field: str = ""  # the name the step's input has in its latest rendering
    code: str | None = None
    tries: int = 0


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


class AdobeReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}  # session cookie value -> session
        self._logins: dict[str, PendingLogin] = {}  # sign-in cookie value -> sign-in in progress
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str = "", name: str | None = None, signin: str | None = "password",
                    available: bool | str | None = True, content_analysis: bool | str | None = True,
                    totp_secret: str | None = None) -> dict[str, Any]:
        email = (email or "").strip().lower()
        if not EMAIL_RE.fullmatch(email):
            raise ValueError(f"not an email address: {email!r}")
        signin = signin or "password"
        if signin not in SIGNIN:
            raise ValueError(f"signin must be one of {SIGNIN}")
        if signin == "password" and not password:
            raise ValueError("signin='password' needs a password")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        acct = Account(email=email, password=password or "", name=name or email.split("@")[0].title(),
                       signin=signin, available=True if available is None else _as_bool("available", available),
                       initial=True if content_analysis is None else _as_bool("content_analysis", content_analysis),
                       totp_secret=totp_secret or None)
        acct.restore()
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
            self._logins.clear()
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
        """Opted out = the member is offered "Content analysis" and it is Off on the server."""
        with self._lock:
            acct = self._get(email)
            return {SETTING_ID: acct.available and acct.content_analysis is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """"Content analysis" back On (Adobe's default for personal accounts), for one account or all."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.content_analysis = True
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last sign-in code "emailed" to this member, or None."""
        with self._lock:
            acct = self._accounts.get((email or "").strip().lower())
            return acct.last_code if acct else None

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or of all): how many ended."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [k for k, s in self._sessions.items() if who is None or s.email == who]
            for key in ended:
                del self._sessions[key]
            return len(ended)

    # ------------------------------------------------------------ state helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "signin": acct.signin, "available": acct.available,
            "totp": bool(acct.totp_secret),
            "content_analysis": acct.content_analysis, "content_analysis_available": acct.available,
            "settings": dict(acct.settings),
            "saves": acct.saves, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "codes_sent": acct.codes_sent,
            "sessions": sum(1 for s in self._sessions.values() if s.email == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _send_code(self, acct: Account) -> str:
        code = random_digits(6)
        acct.last_code = code
        acct.codes_sent += 1
        return code

    # ------------------------------------------------------------ request helpers

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _member(self) -> tuple[Account, Session] | None:
        with self._lock:
            sess = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            acct = self._accounts.get(sess.email) if sess else None
            return (acct, sess) if acct and sess else None

    @staticmethod
    def _signin_url(target: str = "") -> str:
        return SIGNIN_PATH + "?" + urlencode({"callback": target or "/"})

    def _to_signin(self, drop_cookie: bool) -> Response:
        here = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        resp = redirect(self._signin_url(here))
        if drop_cookie:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    def _guard(self, settings_page: bool) -> tuple[Account, Session] | Response:
        """A signed-in page's member, or the redirect a signed-out visitor gets (back here after)."""
        found = self._member()
        if found is None:
            return self._to_signin(drop_cookie=bool(request.cookies.get(SESSION_COOKIE)))
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            return self._to_signin(drop_cookie=True)
        return found

    def _api_member(self) -> tuple[Account, Session] | tuple[Response, int]:
        """The member behind a background request: 401 without a session, 403 without its CSRF header."""
        found = self._member()
        if found is None:
            return json_error("unauthenticated", 401)
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), found[1].csrf):
            return json_error("invalid CSRF token", 403)
        return found

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after sign-in: a path on this site only (an account.adobe.com URL maps to its path)."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "account.adobe.com":
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        path = parts.path or "/"
        if path.startswith((SIGNIN_PATH, SIGNOUT_PATH, "/api/", CONTROL_PREFIX)):
            return "/"
        return path + (f"?{parts.query}" if parts.query else "")

    def _nav(self) -> list[tuple[str, str, str]]:
        return [("home", t.OVERVIEW, "/"), ("plans", t.PLANS, PLANS_PATH),
                ("security", t.ACCOUNT_AND_SECURITY, SECTION_PATHS["profile"])]

    def _privacy_title(self) -> str:
        return t.PRIVACY_LABELS[self.variants.privacy_label]

    def _tabs(self) -> list[tuple[str, str, str]]:
        labels = {"profile": t.PERSONAL_PROFILE, "signin": t.SIGNIN_SECURITY, "privacy": self._privacy_title(),
                  "communication": t.COMMUNICATION}
        return [(key, labels[key], path) for key, path in SECTION_PATHS.items()]

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _count() -> None:
            if request.method == "GET" and not request.path.startswith(CONTROL_PREFIX):
                with self._lock:
                    self._page_requests[request.path] += 1

        @app.after_request
        def _no_cache(resp: Response) -> Response:
            if not request.path.startswith(CONTROL_PREFIX):
                resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Any, list[str]]] = [
            ("/", self._home, ["GET"]),
            (PLANS_PATH, self._plans, ["GET"]),
            (SIGNIN_PATH, self._signin, ["GET"]),
            (SIGNIN_POSTS["email"], self._post_email, ["POST"]),
            (SIGNIN_POSTS["password"], self._post_password, ["POST"]),
            (SIGNIN_POSTS["code"], self._post_code, ["POST"]),
            (SIGNIN_POSTS["resend"], self._post_resend, ["POST"]),
            (SIGNIN_POSTS["totp"], self._post_totp, ["POST"]),
            (f"{SOCIAL_PATH}/<provider>", self._social, ["GET"]),
            (SIGNOUT_PATH, self._signout, ["GET", "POST"]),
            (SAVE_URL, self._save, ["POST"]),
            (CONTENT_ANALYSIS_PATH, self._content_analysis, ["GET"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)
        for key, path in SECTION_PATHS.items():
            app.add_url_rule(path, endpoint=f"section:{key}", view_func=self._section, methods=["GET"],
                             defaults={"key": key})

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int] | tuple[Response, int]:
            if request.path.startswith("/api/"):
                return json_error("not found", 404)
            return self._not_found()

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        def email_arg() -> str:
            data = request.get_json(silent=True) or {}
            return str(data.get("email") or request.args.get("email") or "")

        @bp.post("/email_code")
        def email_code() -> Response | tuple[Response, int]:
            code = self.email_code(email_arg())
            return jsonify({"code": code}) if code else json_error("no code sent to that member", 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)

    # ------------------------------------------------------------ views: sign-in

    def _pending(self) -> PendingLogin | None:
        return self._logins.get(request.cookies.get(SIGNIN_COOKIE, ""))

    def _new_pending(self, target: str) -> PendingLogin:
        pending = PendingLogin(id=secrets.token_urlsafe(24), target=target)
        self._logins[pending.id] = pending
        return pending

    def _render_step(self, pending: PendingLogin, error: str = "", info: str = "") -> Response:
        """The page of the sign-in's current step; its input gets a new name, remembered for the post."""
        p = self._page()
        with self._lock:
            pending.field = "f" + secrets.token_hex(5)
            step = pending.step
        social = {key: f"{SOCIAL_PATH}/{key}" for key in t.SOCIAL} if step == "email" else None
        html = pages.signin(p, pages.SignInStep(
            step=step, action=SIGNIN_POSTS[step], field=pending.field, email=pending.email, error=error, info=info,
            restart_href=self._signin_url(pending.target), social=social,
            resend_action=SIGNIN_POSTS["resend"] if step == "code" else ""))
        resp = Response(html, mimetype="text/html")
        resp.set_cookie(SIGNIN_COOKIE, pending.id, path="/", httponly=True, samesite="Lax")
        return resp

    def _signin(self) -> Response:
        """`?callback=<path>` starts a sign-in (back there after); without it, the one in progress goes on."""
        if self._member():
            return redirect(self._safe_target(request.args.get("callback")))
        with self._lock:
            pending = self._pending()
            if pending is None or "callback" in request.args:
                if pending is not None:
                    self._logins.pop(pending.id, None)
                pending = self._new_pending(self._safe_target(request.args.get("callback")))
        return self._render_step(pending)

    def _posted(self, step: str) -> tuple[PendingLogin, str] | Response:
        """The sign-in in progress at `step` and what its input held, or the email step afresh."""
        with self._lock:
            pending = self._pending()
            if pending is None or pending.step != step:
                fresh = self._new_pending(pending.target if pending else "/")
                if pending is not None:
                    self._logins.pop(pending.id, None)
                return self._render_step(fresh, error=t.ERR_EXPIRED)
            return pending, request.form.get(pending.field, "").strip() if pending.field else ""

    def _next_step(self) -> Response:
        return redirect(SIGNIN_PATH, code=303)

    def _post_email(self) -> Response:
        got = self._posted("email")
        if isinstance(got, Response):
            return got
        pending, email = got
        email = email.lower()
        if not EMAIL_RE.fullmatch(email):
            pending.email = email
            return self._render_step(pending, error=t.ERR_EMAIL)
        with self._lock:
            acct = self._accounts.get(email)
            pending.email = email
            if acct is None:
                self._unknown_logins += 1
                return self._render_step(pending, error=t.ERR_UNKNOWN)
            if acct.signin == "email_code":
                pending.step, pending.code, pending.tries = "code", self._send_code(acct), 0
            else:
                pending.step = "password"
        return self._next_step()

    def _post_password(self) -> Response:
        got = self._posted("password")
        if isinstance(got, Response):
            return got
        pending, _ = got
        given = request.form.get(pending.field, "")  # a password is taken as typed
        with self._lock:
            acct = self._accounts[pending.email]
            if given and acct.password and secrets.compare_digest(given, acct.password):
                return self._first_factor_done(pending, acct)
            acct.failed_logins += 1
        return self._render_step(pending, error=t.ERR_PASSWORD)

    def _post_code(self) -> Response:
        got = self._posted("code")
        if isinstance(got, Response):
            return got
        pending, given = got
        with self._lock:
            acct = self._accounts[pending.email]
            if pending.code and given and secrets.compare_digest(given, pending.code):
                pending.code = None
                return self._first_factor_done(pending, acct)
            acct.failed_logins += 1
            pending.tries += 1
            if pending.tries >= CODE_TRIES:
                pending.code = None
            error = t.ERR_CODE if pending.code else t.ERR_CODE_SPENT
        return self._render_step(pending, error=error)

    def _post_resend(self) -> Response:
        with self._lock:
            pending = self._pending()
            if pending is None or pending.step != "code":
                return self._posted("code")  # type: ignore[return-value]  # the email step afresh
            pending.code, pending.tries = self._send_code(self._accounts[pending.email]), 0
        return self._render_step(pending, info=t.RESENT)

    def _post_totp(self) -> Response:
        got = self._posted("totp")
        if isinstance(got, Response):
            return got
        pending, given = got
        with self._lock:
            acct = self._accounts[pending.email]
            if acct.totp_secret and pyotp.TOTP(acct.totp_secret).verify(given, valid_window=1):
                return self._sign_in(pending, acct)
            acct.failed_challenges += 1
        return self._render_step(pending, error=t.ERR_TOTP)

    def _first_factor_done(self, pending: PendingLogin, acct: Account) -> Response:
        if acct.totp_secret:
            pending.step = "totp"
            return self._next_step()
        return self._sign_in(pending, acct)

    def _sign_in(self, pending: PendingLogin, acct: Account) -> Response:
        key = secrets.token_urlsafe(48)
        with self._lock:
            self._logins.pop(pending.id, None)
            self._sessions[key] = Session(email=acct.email, csrf=secrets.token_urlsafe(24))
            acct.sign_ins += 1
        resp = redirect(pending.target, code=303)
        resp.set_cookie(SESSION_COOKIE, key, max_age=SESSION_AGE, path="/", httponly=True, samesite="Lax")
        resp.delete_cookie(SIGNIN_COOKIE, path="/")
        return resp

    def _social(self, provider: str) -> str | tuple[str, int]:
        """Google, Facebook and Apple cannot be reached from here: the page says so."""
        if provider not in t.SOCIAL:
            return self._not_found()
        return pages.social_failed(self._page(), provider, SIGNIN_PATH)

    def _signout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect(self._signin_url("/"), code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: the account site

    def _home(self) -> Response | str:
        found = self._guard(settings_page=False)
        if isinstance(found, Response):
            return found
        acct = found[0]
        p = self._page()
        return pages.shell(p, acct.name, "home", self._nav(), pages.home(p, acct.name, acct.email), title=t.OVERVIEW)

    def _plans(self) -> Response | str:
        found = self._guard(settings_page=False)
        if isinstance(found, Response):
            return found
        p = self._page()
        return pages.shell(p, found[0].name, "plans", self._nav(), pages.plans(p), title=t.PLANS)

    def _switches(self, p: pages.Page, acct: Account) -> pages.Switches:
        with self._lock:
            values = {t.CONTENT_ANALYSIS: acct.content_analysis, **acct.settings}
        helps = dict(t.HELP)
        if self.variants.sentence == "other":
            helps[t.CONTENT_ANALYSIS] = t.OTHER_SENTENCE
        return pages.Switches(p, values, helps, self.variants.late_render_ms, [], [])

    def _settings_page(self, active: str, build: Any, holds_switch: bool) -> Response | str | tuple[str, int]:
        """An "Account and security" page: signed-out → sign-in and back; the page holding the
        "Content analysis" switch answers 503 once with `first_load_503`."""
        found = self._guard(settings_page=True)
        if isinstance(found, Response):
            return found
        acct, sess = found
        p = self._page()
        if holds_switch and self._fire_once("first_load_503"):
            return pages.error_page(p, t.UNAVAILABLE_TITLE, t.UNAVAILABLE_BODY), 503
        panel, sw = build(p, acct)
        scripts = sw.script(replace_node=self.variants.replace_node, csrf=sess.csrf, save_url=SAVE_URL,
                            signin_url=SIGNIN_PATH + "?callback=") if sw else ""
        main = pages.section_frame(p, self._tabs(), active, panel)
        title = dict((k, label) for k, label, _ in self._tabs())[active]
        return pages.shell(p, acct.name, "security", self._nav(), main, scripts, title=title)

    def _section(self, key: str) -> Response | str | tuple[str, int]:
        v = self.variants

        def build(p: pages.Page, acct: Account) -> tuple[str, pages.Switches | None]:
            if key == "profile":
                return pages.profile_panel(p, acct.name, acct.email), None
            if key == "signin":
                return pages.simple_panel(p, t.SIGNIN_SECURITY, [("Password", "Last changed 3 months ago"),
                                                                  ("Two-step verification", "Off")]), None
            if key == "communication":
                return pages.simple_panel(p, t.COMMUNICATION, [("Adobe news and offers", "Email")]), None
            sw = self._switches(p, acct)
            ca_href = CONTENT_ANALYSIS_PATH if v.content_analysis_page else None
            return pages.privacy_panel(p, self._privacy_title(), sw, offered=acct.available, ca_href=ca_href), sw

        return self._settings_page(key, build, holds_switch=key == "privacy" and not v.content_analysis_page)

    def _content_analysis(self) -> Response | str | tuple[str, int]:
        if not self.variants.content_analysis_page:
            return self._not_found()

        def build(p: pages.Page, acct: Account) -> tuple[str, pages.Switches | None]:
            sw = self._switches(p, acct)
            return pages.content_analysis_panel(p, sw, offered=acct.available, back_title=self._privacy_title(),
                                                back_href=PRIVACY_PATH), sw

        return self._settings_page("privacy", build, holds_switch=True)

    def _not_found(self) -> tuple[str, int]:
        return pages.error_page(self._page(), t.NOT_FOUND_TITLE, t.NOT_FOUND_BODY), 404

    def _save(self) -> Response | tuple[Response, int]:
        """A switch's background save, JSON {setting, value}; the CSRF header must match the session."""
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        acct = found[0]
        data = request.get_json(silent=True)
        body = data if isinstance(data, dict) else {}
        setting, value = body.get("setting"), body.get("value")
        if not isinstance(value, bool) or setting not in (t.CONTENT_ANALYSIS, *t.NEIGHBOURS):
            return json_error("bad request", 400)
        with self._lock:
            if setting == t.CONTENT_ANALYSIS:
                if not acct.available:
                    return json_error("not found", 404)
                acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal server error", 500)
            if not self.variants.save_never_persists:
                if setting == t.CONTENT_ANALYSIS:
                    acct.content_analysis = value
                else:
                    acct.settings[setting] = value
            return jsonify({"setting": setting, "value": value})


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = AdobeReplica

__all__ = ["CONTENT_ANALYSIS_PATH", "PRIVACY_PATH", "SETTING_ID", "AdobeReplica", "Replica", "Variants"]
