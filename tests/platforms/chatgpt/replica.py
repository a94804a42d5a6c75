"""A local replica of ChatGPT's app, settings dialog and sign-in pages (shared/platforms/chatgpt.md).

    replica = ChatGPTReplica()
    replica.add_account("alice@example.com", "secret", plan="plus", signin="email_code", totp_secret=None)
    replica.configure(older_release=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")            # {"improve-model": bool}

chatgpt.com's pages and auth.openai.com's sign-in pages are served on one origin, at their real
paths. Everything a test needs to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import pyotp
from flask import Flask, Response, g, jsonify, redirect, request

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
from .texts import (
    ACTIONS,
    IMPROVE_DESCRIPTION,
    IMPROVE_DESCRIPTION_OLDER,
    IMPROVE_FEATURE,
    IMPROVE_LABEL,
    IMPROVE_LABEL_OLDER,
    NEIGHBOURS,
    PERSONAL_PLANS,
    PLANS,
    TABS,
    WORKSPACE_NOTE,
    T,
)

SETTING_ID = "improve-model"  # the flow's setting id (opted_out())
SIGNIN_KINDS = ("password", "email_code")
SESSION_COOKIE = "next-auth.session-token"  # HttpOnly; next-auth's name (without __Secure-: plain http here)
DEVICE_COOKIE = "oai-did"  # the browser's id; a signed-out browser's switch is kept under it
LOGIN_COOKIE = "login_session"  # HttpOnly; one sign-in attempt in this browser
YEAR = 365 * 24 * 3600
MONTH = 30 * 24 * 3600
TAB_SLUGS = tuple(slug for slug, _hash, _name in TABS)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
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
    older_release: bool = False
    no_path_route: bool = False


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    plan: str
    signin: str
    totp_secret: str | None
    available: bool
    improve_default: bool
    improve_model: bool = True
    settings: dict[str, bool] = field(default_factory=dict)
    actions: Counter[str] = field(default_factory=Counter)
    sign_ins: int = 0
    failed_logins: int = 0
    failed_codes: int = 0
    saves: int = 0
    last_code: str | None = None  # the last code "emailed" to this member

    def restore(self) -> None:
        self.improve_model = self.improve_default
        self.settings = {f: default for f, (_tab, _label, default) in NEIGHBOURS.items()}
        self.actions = Counter()
        self.sign_ins = self.failed_logins = self.failed_codes = self.saves = 0
        self.last_code = None

    @property
    def workspace(self) -> bool:
        return self.plan not in PERSONAL_PLANS

    @property
    def offered(self) -> bool:
        """Does Data controls show this member the switch? Not on workspace plans (their admin
        decides; off by default), nor to a member the platform does not offer it to."""
        return self.available and not self.workspace


@dataclass
class LoginTx:
    """One sign-in attempt in one browser: where to go after, and how far it got."""

    id: str
    next: str
    email: str | None = None
    step: str = "email"  # email | password | email_code | mfa
    code: str | None = None


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in _TRUE | _FALSE:
        return str(value).lower() in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _name_from(email: str) -> str:
    local = email.split("@", 1)[0]
    return " ".join(w.capitalize() for w in re.split(r"[._+-]+", local) if w) or "ChatGPT User"


class ChatGPTReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # session cookie -> email
        self._access: dict[str, str] = {}  # access token -> session cookie
        self._logins: dict[str, LoginTx] = {}  # login cookie -> attempt
        self._callbacks: dict[str, tuple[str, str]] = {}  # one-time callback code -> (email, next)
        self._visitors: dict[str, dict[str, Any]] = {}  # oai-did -> {"improve_model", "saves"}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, *, name: str | None = None, plan: str = "free",
                    signin: str = "password", totp_secret: str | None = None, available: bool | str = True,
                    improve_model: bool | str | None = None) -> dict[str, Any]:
        """A member. `plan`: free|go|plus|pro (switch shown, default On) or business|enterprise|edu
        (no switch, Off); `signin`: password|email_code; `available=False`: Data controls without the
        switch; `improve_model`: the starting value (default: the plan's)."""
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if plan not in PLANS:
            raise ValueError(f"plan must be one of {PLANS}")
        if signin not in SIGNIN_KINDS:
            raise ValueError(f"signin must be one of {SIGNIN_KINDS}")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        default = plan in PERSONAL_PLANS if improve_model is None else _flag("improve_model", improve_model)
        acct = Account(email=email.strip().lower(), password=password, name=name or _name_from(email), plan=plan,
                       signin=signin, totp_secret=totp_secret or None, available=_flag("available", available),
                       improve_default=default)
        acct.restore()
        with self._lock:
            self._accounts[acct.email] = acct
            return self._account_state(acct)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            before = self.variants
            self.variants = apply_variants(self.variants, variants)
            for name in ONE_SHOTS:  # setting a one-shot fault again arms it again
                if name in variants and getattr(self.variants, name):
                    self._fired.discard(name)
            if self.variants.older_release != before.older_release:
                self.h.renew()  # another release: other hashed class names

    def reset(self, drop_accounts: bool = False) -> None:
        """Default variants, nobody signed in, no visitors, each account as added (or none)."""
        with self._lock:
            self.variants = Variants()
            for store in (self._sessions, self._access, self._logins, self._callbacks, self._visitors):
                store.clear()
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
                "visitors": {did: dict(v) for did, v in self._visitors.items()},
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """Does the server hold the member's "Improve the model for everyone" as Off?"""
        with self._lock:
            return {SETTING_ID: self._get(email).improve_model is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": each account's switch back to its plan's default (On on personal
        plans; workspace plans stay Off); for everyone, signed-out browsers too. KeyError: unknown."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.improve_model = not acct.workspace
            if not email:
                for visitor in self._visitors.values():
                    visitor["improve_model"] = True
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last sign-in code "emailed" to the member (None: none sent, or no such member)."""
        with self._lock:
            acct = self._accounts.get(email.strip().lower())
            return acct.last_code if acct else None

    # ------------------------------------------------------------ state helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "plan": acct.plan, "signin": acct.signin,
            "totp": bool(acct.totp_secret), "available": acct.available,
            "improve_model": acct.improve_model, "improve_model_offered": acct.offered,
            "settings": dict(acct.settings), "actions": {a: acct.actions[a] for a in ACTIONS},
            "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins, "failed_codes": acct.failed_codes,
            "saves": acct.saves, "sessions": sum(1 for e in self._sessions.values() if e == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _visitor(self, did: str) -> dict[str, Any]:
        with self._lock:
            return self._visitors.setdefault(did, {"improve_model": True, "saves": 0})

    # ------------------------------------------------------------ request helpers

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            return self._accounts.get(email) if email else None

    def _bearer(self) -> Account | None:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        with self._lock:
            email = self._sessions.get(self._access.get(auth[7:], ""), "")
            return self._accounts.get(email)

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _improve(self, acct: Account | None) -> pages.Improve:
        older = self.variants.older_release
        label = IMPROVE_LABEL_OLDER if older else IMPROVE_LABEL
        description = IMPROVE_DESCRIPTION_OLDER if older else IMPROVE_DESCRIPTION
        if acct is None or acct.offered:
            return pages.Improve(True, label, description)
        return pages.Improve(False, label, description, WORKSPACE_NOTE if acct.workspace else "")

    def _app(self, acct: Account | None, open_tab: str | None = None) -> str:
        if acct is None:
            values = {IMPROVE_FEATURE: bool(self._visitor(g.did)["improve_model"])}
            member = None
        else:
            with self._lock:
                values = {IMPROVE_FEATURE: acct.improve_model, **acct.settings}
            member = {"name": acct.name, "email": acct.email, "plan": acct.plan.capitalize(),
                      "mfa": "On" if acct.totp_secret else "Off"}
        v = self.variants
        return pages.app_page(self._page(), member=member, improve=self._improve(acct), values=values,
                              open_tab=open_tab, path_route=not v.no_path_route, late_ms=v.late_render_ms,
                              replace_node=v.replace_node)

    def _not_found(self) -> tuple[str, int]:
        return pages.not_found(self._page()), 404

    @staticmethod
    def _safe_next(raw: str | None) -> str:
        """Where to go after sign-in: a path on this site only (a chatgpt.com URL maps to its path)."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host not in ("chatgpt.com", "chat.openai.com"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        out = parts.path or "/"
        return out + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")

    def _to_login(self, target: str) -> Response:
        resp = redirect("/auth/login?next=" + quote(target, safe="/"))
        if request.cookies.get(SESSION_COOKIE):  # a session the server no longer knows
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    def _login_tx(self) -> LoginTx | None:
        with self._lock:
            return self._logins.get(request.cookies.get(LOGIN_COOKIE, ""))

    def _new_login(self, target: str, resp: Response) -> LoginTx:
        tx = LoginTx(id=secrets.token_urlsafe(24), next=target)
        with self._lock:
            self._logins[tx.id] = tx
        resp.set_cookie(LOGIN_COOKIE, tx.id, path="/", httponly=True, samesite="Lax")
        return tx

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _count_and_device() -> None:
            if request.path.startswith(CONTROL_PREFIX):
                return
            if request.method == "GET":
                with self._lock:
                    self._page_requests[request.path] += 1
            current = request.cookies.get(DEVICE_COOKIE, "")
            g.new_did = not UUID_RE.fullmatch(current)
            g.did = str(uuid.uuid4()) if g.new_did else current

        @app.after_request
        def _device_cookie(resp: Response) -> Response:
            if request.path.startswith(CONTROL_PREFIX) or resp.mimetype != "text/html":
                return resp
            self._visitor(g.did)  # every browser that saw a page has its own visitor value
            if g.new_did:
                resp.set_cookie(DEVICE_COOKIE, g.did, max_age=YEAR, path="/", samesite="Lax")
            resp.headers.setdefault("Cache-Control", "no-cache, no-store")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/settings", self._settings, ["GET"]),
            ("/settings/<tab>", self._settings, ["GET"]),
            ("/auth/login", self._auth_login, ["GET"]),
            ("/auth/logout", self._logout, ["GET", "POST"]),
            ("/log-in", lambda: self._auth_step("email"), ["GET"]),
            ("/log-in/password", lambda: self._auth_step("password"), ["GET"]),
            ("/email-verification", lambda: self._auth_step("email_code"), ["GET"]),
            ("/mfa-challenge", lambda: self._auth_step("mfa"), ["GET"]),
            ("/api/accounts/authorize/continue", self._api_email, ["POST"]),
            ("/api/accounts/password/verify", self._api_password, ["POST"]),
            ("/api/accounts/email-otp/validate", self._api_email_code, ["POST"]),
            ("/api/accounts/email-otp/resend", self._api_resend, ["POST"]),
            ("/api/accounts/mfa/verify", self._api_mfa, ["POST"]),
            ("/api/auth/callback/openai", self._callback, ["GET"]),
            ("/api/auth/session", self._session_json, ["GET"]),
            ("/backend-api/settings/account_user_setting", self._save_member, ["PATCH"]),
            ("/backend-anon/settings/account_user_setting", self._save_visitor, ["PATCH"]),
            ("/backend-api/data-controls/<action>", self._action, ["POST"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _404(_: Exception) -> tuple[str, int]:
            return self._not_found()

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        @bp.post("/email_code")
        def email_code() -> Response | tuple[Response, int]:
            data = request.get_json(silent=True) or {}
            code = self.email_code(str(data.get("email") or ""))
            return jsonify({"code": code}) if code else json_error("no code sent", 404)

        app.register_blueprint(bp)

    # ------------------------------------------------------------ views: the app and settings

    def _home(self) -> str:
        return self._app(self._member())

    def _settings(self, tab: str = "general") -> Response | str | tuple[str, int]:
        """The path route. A signed-out browser is sent to sign in (this route acts for the
        account); its own switch is in the settings dialog on `/` (`/#settings/DataControls`)."""
        if self.variants.no_path_route or tab not in TAB_SLUGS:
            return self._not_found()
        acct = self._member()
        target = f"/settings/{tab}"
        if acct is None:
            return self._to_login(target)
        if self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            return self._to_login(target)
        if self._fire_once("first_load_503"):
            return pages.unavailable(self._page()), 503
        return self._app(acct, open_tab=tab)

    def _save_member(self) -> Response | tuple[Response, int]:
        """The background save: PATCH ?feature=&value=, with the session's bearer token."""
        acct = self._bearer()
        if acct is None:
            return json_error("Unauthorized", 401)
        feature, raw = request.args.get("feature", ""), request.args.get("value", "")
        if raw not in ("true", "false") or (feature != IMPROVE_FEATURE and feature not in NEIGHBOURS):
            return json_error("bad request", 400)
        value = raw == "true"
        with self._lock:
            if feature != IMPROVE_FEATURE:
                acct.settings[feature] = value
                return jsonify({"feature": feature, "value": value})
            if not acct.offered:
                return json_error("This setting is managed elsewhere." if acct.workspace else "not found",
                                  403 if acct.workspace else 404)
            acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                acct.improve_model = value
            return jsonify({"feature": feature, "value": value})

    def _save_visitor(self) -> Response | tuple[Response, int]:
        """A signed-out browser's save: its oai-did cookie, echoed in the oai-device-id header."""
        did = request.cookies.get(DEVICE_COOKIE, "")
        if not UUID_RE.fullmatch(did) or request.headers.get("oai-device-id") != did:
            return json_error("forbidden", 403)
        feature, raw = request.args.get("feature", ""), request.args.get("value", "")
        if feature != IMPROVE_FEATURE or raw not in ("true", "false"):
            return json_error("bad request", 400)
        with self._lock:
            visitor = self._visitor(did)
            visitor["saves"] += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                visitor["improve_model"] = raw == "true"
        return jsonify({"feature": feature, "value": raw == "true"})

    def _action(self, action: str) -> Response | tuple[Response, int]:
        acct = self._bearer()
        if acct is None:
            return json_error("Unauthorized", 401)
        if action not in ACTIONS:
            return json_error("not found", 404)
        with self._lock:
            acct.actions[action] += 1
        return jsonify({"success": True})

    # ------------------------------------------------------------ views: sign-in

    def _auth_login(self) -> Response:
        """chatgpt.com/auth/login hands over to the auth pages (auth.openai.com's paths, same origin)."""
        target = self._safe_next(request.args.get("next"))
        if self._member():
            return redirect(target)
        resp = redirect("/log-in")
        self._new_login(target, resp)
        return resp

    def _auth_step(self, step: str) -> Response | str:
        tx = self._login_tx()
        if step == "email":
            resp = Response(pages.auth_page(self._page(), step="email", email=(tx.email or "") if tx else ""),
                            mimetype="text/html")
            if tx is None:  # straight to the auth pages: sign in, then the app
                self._new_login("/", resp)
            return resp
        if tx is None or tx.email is None or tx.step != step:
            return redirect("/log-in")
        return pages.auth_page(self._page(), step=step, email=tx.email)

    def _body(self, key: str) -> str:
        data = request.get_json(silent=True)
        return str(data.get(key) or "") if isinstance(data, dict) else ""

    @staticmethod
    def _error(key: str, status: int = 400) -> tuple[Response, int]:
        return jsonify({"error": {"message": T[key], "code": key}}), status

    def _api_email(self) -> Response | tuple[Response, int]:
        tx = self._login_tx()
        if tx is None:
            return self._error("err_session")
        email = self._body("email").strip().lower()
        if not EMAIL_RE.fullmatch(email):
            return self._error("err_email")
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
                return self._error("err_unknown")
            tx.email = email
            if acct.signin == "password":
                tx.step = "password"
                return jsonify({"continue_url": "/log-in/password"})
            self._send_code(acct, tx)
            return jsonify({"continue_url": "/email-verification"})

    def _send_code(self, acct: Account, tx: LoginTx) -> None:
        tx.step, tx.code = "email_code", random_digits(6)
        acct.last_code = tx.code

    def _api_password(self) -> Response | tuple[Response, int]:
        tx = self._login_tx()
        if tx is None or tx.step != "password" or tx.email is None:
            return self._error("err_session")
        acct = self._accounts[tx.email]
        if not secrets.compare_digest(self._body("password").encode(), acct.password.encode()):
            with self._lock:
                acct.failed_logins += 1
            return self._error("err_password", 401)
        return self._first_factor_done(acct, tx)

    def _api_email_code(self) -> Response | tuple[Response, int]:
        tx = self._login_tx()
        if tx is None or tx.step != "email_code" or tx.email is None:
            return self._error("err_session")
        acct = self._accounts[tx.email]
        code = self._body("code").strip()
        if not code or not secrets.compare_digest(code, tx.code or ""):
            with self._lock:
                acct.failed_codes += 1
            return self._error("err_code", 401)
        return self._first_factor_done(acct, tx)

    def _api_resend(self) -> Response | tuple[Response, int]:
        tx = self._login_tx()
        if tx is None or tx.step != "email_code" or tx.email is None:
            return self._error("err_session")
        with self._lock:
            self._send_code(self._accounts[tx.email], tx)
        return jsonify({"sent": True})

    def _api_mfa(self) -> Response | tuple[Response, int]:
        tx = self._login_tx()
        if tx is None or tx.step != "mfa" or tx.email is None:
            return self._error("err_session")
        acct = self._accounts[tx.email]
        if not pyotp.TOTP(acct.totp_secret or "").verify(self._body("code").strip(), valid_window=1):
            with self._lock:
                acct.failed_codes += 1
            return self._error("err_code", 401)
        return self._finish(acct, tx)

    def _first_factor_done(self, acct: Account, tx: LoginTx) -> Response:
        if acct.totp_secret:  # an authenticator code comes next
            tx.step = "mfa"
            return jsonify({"continue_url": "/mfa-challenge"})
        return self._finish(acct, tx)

    def _finish(self, acct: Account, tx: LoginTx) -> Response:
        """Signed in on the auth pages: back to chatgpt.com's callback with a one-time code."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._logins.pop(tx.id, None)
            self._callbacks[code] = (acct.email, tx.next)
        resp = jsonify({"continue_url": f"/api/auth/callback/openai?code={code}&state={secrets.token_urlsafe(12)}"})
        resp.delete_cookie(LOGIN_COOKIE, path="/")
        return resp

    def _callback(self) -> Response:
        with self._lock:
            found = self._callbacks.pop(request.args.get("code", ""), None)
            if found is None:
                return redirect("/auth/login")
            email, target = found
            token = secrets.token_urlsafe(48)
            self._sessions[token] = email
            self._accounts[email].sign_ins += 1
        resp = redirect(target)
        resp.set_cookie(SESSION_COOKIE, token, max_age=MONTH, path="/", httponly=True, samesite="Lax")
        return resp

    def _session_json(self) -> Response:
        """What the app's script reads for the access token of backend requests; `{}` signed out."""
        acct, cookie = self._member(), request.cookies.get(SESSION_COOKIE, "")
        if acct is None:
            return jsonify({})
        with self._lock:
            token = next((a for a, s in self._access.items() if s == cookie), None)
            if token is None:
                token = secrets.token_urlsafe(48)
                self._access[token] = cookie
        expires = (datetime.now(UTC) + timedelta(days=30)).isoformat(timespec="seconds")
        return jsonify({"user": {"id": f"user-{acct.email.split('@')[0]}", "name": acct.name, "email": acct.email},
                        "expires": expires, "accessToken": token, "authProvider": "openai"})

    def _logout(self) -> Response:
        cookie = request.cookies.get(SESSION_COOKIE, "")
        with self._lock:
            self._sessions.pop(cookie, None)
            for token in [a for a, s in self._access.items() if s == cookie]:
                del self._access[token]
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = ChatGPTReplica

__all__ = ["SETTING_ID", "ChatGPTReplica", "Replica", "Variants"]
