"""A local replica of www.perplexity.ai's sign-in, home and settings pages (shared/platforms/perplexity.md).

    replica = PerplexityReplica()
    replica.add_account("alice@example.com", "")         # signs in by an emailed code
    replica.configure(older_release=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...        # server.url
    replica.email_code("alice@example.com")               # the code the member would read in their mail
    replica.opted_out("alice@example.com")                # {"ai-data-retention": bool}

perplexity.md knows no URL for the settings: the replica serves Preferences at a path of its own
(PREFERENCES_PATH), reached from the home page by the click path only. Everything the tests need to
know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any
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

SETTING_ID = "ai-data-retention"  # the flow's setting id (opted_out)
SESSION_COOKIE = "next-auth.session-token"
SESSION_AGE = 30 * 24 * 3600  # a kept session outlives the browser (perplexity.md: `optout login perplexity`)
SIGNIN_PATH = "/auth/signin"
# The settings pages' paths are the replica's own (perplexity.md: URL unknown). They are linked only
# from the profile menu's "All settings" and the settings tabs, so a flow finds them by clicking.
SETTINGS_ROOT = "/account"
TAB_PATHS: dict[str, str] = {
    "account": SETTINGS_ROOT,
    "preferences": f"{SETTINGS_ROOT}/customize",
    "personalization": f"{SETTINGS_ROOT}/personalize",
    "notifications": f"{SETTINGS_ROOT}/notifications",
    "connectors": f"{SETTINGS_ROOT}/connectors",
}
PREFERENCES_PATH = TAB_PATHS["preferences"]
SAVE_URL = "/rest/user/settings"
CODE_TRIES = 5  # wrong codes before the emailed code is void and a new one must be requested
SIGNIN = ("email_code", "password")
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


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")
NEIGHBOURS = {t.AUTOSUGGEST: True, t.WIDGETS: True}  # the other switches on Preferences, as added


@dataclass
class Account:
    email: str
    password: str
    name: str
    plan: str
    signin: str
    available: bool  # the option: is the switch offered to this member at all?
    initial: bool  # ai_data_retention as added, for reset()
    totp_secret: str | None
    ai_data_retention: bool = True
    settings: dict[str, bool] = dataclasses.field(default_factory=lambda: dict(NEIGHBOURS))
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    codes_sent: int = 0
    last_code: str | None = None

    def restore(self) -> None:
        self.ai_data_retention = self.initial
        self.settings = dict(NEIGHBOURS)
        self.last_code = None
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = self.codes_sent = 0

    @property
    def offered(self) -> bool:
        """perplexity.md: the searches of Free, Pro and Max users; Enterprise Pro has no such switch."""
        return self.available and self.plan in t.CONSUMER_PLANS


@dataclass
class Session:
    email: str
    csrf: str


@dataclass
class PendingLogin:
    id: str
    email: str | None  # None: an address with no account (the page does not say so)
    step: str  # "code", "password" or "totp"
    target: str
    code: str | None = None
    tries: int = 0


def _as_bool(name: str, value: Any) -> bool:
    """Account options may come as strings from the command line (`available=false`)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


class PerplexityReplica:
    # the interface's optional UNATTENDED: the default member signs in by an emailed code (a person);
    # perplexity.md is unsure, so a password step is a variant, which the generic every-flow test uses
    UNATTENDED: dict[str, str] = {"signin": "password"}

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}  # session cookie value -> session
        self._logins: dict[str, PendingLogin] = {}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str = "", name: str | None = None, plan: str | None = "free",
                    signin: str | None = "email_code", available: bool | str | None = True,
                    ai_data_retention: bool | str | None = True, totp_secret: str | None = None) -> dict[str, Any]:
        email = (email or "").strip().lower()
        if not EMAIL_RE.fullmatch(email):
            raise ValueError(f"not an email address: {email!r}")
        plan, signin = plan or "free", signin or "email_code"
        if plan not in t.PLANS:
            raise ValueError(f"plan must be one of {tuple(t.PLANS)}")
        if signin not in SIGNIN:
            raise ValueError(f"signin must be one of {SIGNIN}")
        if signin == "password" and not password:
            raise ValueError("signin='password' needs a password")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        offered = True if available is None else _as_bool("available", available)
        initial = True if ai_data_retention is None else _as_bool("ai_data_retention", ai_data_retention)
        acct = Account(email=email, password=password or "", name=name or email.split("@")[0], plan=plan,
                       signin=signin, available=offered, initial=initial, totp_secret=totp_secret or None)
        acct.restore()
        with self._lock:
            self._accounts[email] = acct
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
        with self._lock:
            if self.variants.older_release:
                self.h.renew()
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
        """`ai-data-retention`: the switch is offered to the member and Off on the server."""
        with self._lock:
            acct = self._get(email)
            return {SETTING_ID: acct.offered and acct.ai_data_retention is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """"AI data retention" back On (Perplexity's default), for one account or all."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.ai_data_retention = True
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last code "sent" to this member's mailbox, or None."""
        with self._lock:
            acct = self._accounts.get((email or "").strip().lower())
            return acct.last_code if acct else None

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or of all): how many ended. A kept browser profile
        then meets the sign-in page, and an emailed code needs a person."""
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
            "email": acct.email, "name": acct.name, "plan": acct.plan, "signin": acct.signin,
            "available": acct.available, "totp": bool(acct.totp_secret),
            "ai_data_retention": acct.ai_data_retention, "ai_data_retention_available": acct.offered,
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
        return pages.Page(self.h, self.variants.older_release)

    def _member(self) -> tuple[Account, Session] | None:
        with self._lock:
            sess = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            acct = self._accounts.get(sess.email) if sess else None
            return (acct, sess) if acct and sess else None

    @staticmethod
    def _signin_url(target: str = "") -> str:
        return SIGNIN_PATH + ("?" + urlencode({"redirect": target}) if target else "")

    def _to_signin(self, drop_cookie: bool) -> Response:
        here = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        resp = redirect(self._signin_url(here))
        if drop_cookie:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    def _guard(self, settings_page: bool = False) -> tuple[Account, Session] | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (back here after sign-in)."""
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
        """Where to go after sign-in: a path on this site only (a perplexity.ai URL maps to its path)."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host not in ("perplexity.ai", "www.perplexity.ai"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        path = parts.path or "/"
        if path.startswith(("/auth/", "/api/", "/rest/", CONTROL_PREFIX)):
            return "/"
        return path + (f"?{parts.query}" if parts.query else "")

    @staticmethod
    def _visitor(acct: Account) -> pages.Member:
        return pages.Member(acct.name, acct.email, acct.plan)

    def _frame(self, p: pages.Page, found: tuple[Account, Session] | None, title: str, main: str,
               scripts: str = "") -> str:
        member = self._visitor(found[0]) if found else None
        return pages.shell(p, member, title, main, settings_url=SETTINGS_ROOT,
                           signin_url=self._signin_url(), scripts=scripts)

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _count() -> None:
            if request.method == "GET" and not request.path.startswith((CONTROL_PREFIX, "/api/", "/rest/")):
                with self._lock:
                    self._page_requests[request.path] += 1

        @app.after_request
        def _no_cache(resp: Response) -> Response:
            if not request.path.startswith(CONTROL_PREFIX):
                resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Any, list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/discover", self._discover, ["GET"]),
            ("/spaces", self._spaces, ["GET"]),
            ("/library", self._library, ["GET"]),
            (SIGNIN_PATH, self._signin, ["GET"]),
            ("/api/auth/signin/<provider>", self._sso, ["GET"]),
            ("/api/auth/signin/email", self._auth_email, ["POST"]),
            ("/api/auth/signin/otp", self._auth_code, ["POST"]),
            ("/api/auth/signin/resend", self._auth_resend, ["POST"]),
            ("/api/auth/signin/password", self._auth_password, ["POST"]),
            ("/api/auth/signin/totp", self._auth_totp, ["POST"]),
            ("/api/auth/signout", self._signout, ["GET", "POST"]),
            (SAVE_URL, self._save, ["POST"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)
        for key, path in TAB_PATHS.items():
            app.add_url_rule(path, endpoint=f"tab:{key}", view_func=self._settings, methods=["GET"],
                             defaults={"key": key})

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int] | tuple[Response, int]:
            if request.path.startswith(("/api/", "/rest/")):
                return json_error("not found", 404)
            return pages.not_found(self._page()), 404

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        def email_arg() -> str:
            data = request.get_json(silent=True) or {}
            return str(data.get("email") or request.args.get("email") or "")

        @bp.post("/email_code")
        def email_code() -> Response | tuple[Response, int]:
            code = self.email_code(email_arg())
            return jsonify({"code": code}) if code else json_error("no code sent to that address", 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)

    # ------------------------------------------------------------ views: public

    def _home(self) -> str:
        """The home page for members and guests alike (guests can search without an account)."""
        p = self._page()
        return self._frame(p, self._member(), "Perplexity", pages.home(p))

    def _discover(self) -> str:
        p = self._page()
        return self._frame(p, self._member(), "Discover - Perplexity",
                           pages.plain(p, "Discover", "Top stories, picked for you."))

    def _spaces(self) -> Response | str:
        found = self._guard()
        if isinstance(found, Response):
            return found
        p = self._page()
        return self._frame(p, found, "Spaces - Perplexity", pages.plain(p, "Spaces", "No spaces yet."))

    def _library(self) -> Response | str:
        found = self._guard()
        if isinstance(found, Response):
            return found
        p = self._page()
        return self._frame(p, found, "Library - Perplexity", pages.plain(p, "Library", "No threads yet."))

    # ------------------------------------------------------------ views: sign-in

    def _signin(self) -> Response | str:
        target = self._safe_target(request.args.get("redirect"))
        if self._member():
            return redirect(target)
        provider = request.args.get("error", "")
        error = t.ERR_SSO.format(provider=provider.title()) if provider in ("google", "apple") else ""
        return pages.signin(self._page(), redirect=target, error=error)

    def _sso(self, provider: str) -> Response:
        """"Continue with Google/Apple": no such provider here, so it comes back with an error."""
        if provider not in ("google", "apple"):
            return json_error("not found", 404)  # type: ignore[return-value]
        target = self._safe_target(request.args.get("redirect"))
        return redirect(f"{SIGNIN_PATH}?" + urlencode({"error": provider, "redirect": target}))

    def _signout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    @staticmethod
    def _body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    def _pending(self, step: str) -> PendingLogin | None:
        found = self._logins.get(str(self._body().get("login") or ""))
        return found if found and found.step == step else None

    def _auth_email(self) -> Response | tuple[Response, int]:
        """The email step: the next step is an emailed code (or a password, signin="password")."""
        body = self._body()
        email = str(body.get("email") or "").strip().lower()
        if not EMAIL_RE.fullmatch(email):
            return json_error(t.ERR_EMAIL, 400)
        target = self._safe_target(str(body.get("redirect") or ""))
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1  # the page still asks for a code: it does not tell who exists
            step = "password" if acct and acct.signin == "password" else "code"
            pending = PendingLogin(id=secrets.token_urlsafe(24), email=acct.email if acct else None, step=step,
                                   target=target)
            if acct and step == "code":
                pending.code = self._send_code(acct)
            self._logins[pending.id] = pending
        return jsonify({"login": pending.id, "next": step})

    @staticmethod
    def _expired() -> tuple[Response, int]:
        return jsonify({"error": t.ERR_EXPIRED, "restart": True}), 400

    def _auth_code(self) -> Response | tuple[Response, int]:
        given = str(self._body().get("code") or "").strip()
        with self._lock:
            pending = self._pending("code")
            if pending is None:
                return self._expired()
            acct = self._accounts.get(pending.email or "")
            if pending.code and given and secrets.compare_digest(given, pending.code):
                return self._first_factor_done(pending)
            if acct:
                acct.failed_logins += 1
            pending.tries += 1
            if pending.tries >= CODE_TRIES:
                pending.code = None
            return json_error(t.ERR_CODE if pending.code or not acct else t.ERR_CODE_SPENT, 400)

    def _auth_resend(self) -> Response | tuple[Response, int]:
        with self._lock:
            pending = self._pending("code")
            if pending is None:
                return self._expired()
            acct = self._accounts.get(pending.email or "")
            if acct:
                pending.code, pending.tries = self._send_code(acct), 0
            return jsonify({"sent": True})

    def _auth_password(self) -> Response | tuple[Response, int]:
        given = str(self._body().get("password") or "")
        with self._lock:
            pending = self._pending("password")
            if pending is None:
                return self._expired()
            acct = self._accounts[pending.email or ""]
            if given and secrets.compare_digest(given, acct.password):
                return self._first_factor_done(pending)
            acct.failed_logins += 1
            return json_error(t.ERR_PASSWORD, 400)

    def _auth_totp(self) -> Response | tuple[Response, int]:
        given = str(self._body().get("code") or "").strip()
        with self._lock:
            pending = self._pending("totp")
            if pending is None:
                return self._expired()
            acct = self._accounts[pending.email or ""]
            if acct.totp_secret and pyotp.TOTP(acct.totp_secret).verify(given, valid_window=1):
                return self._sign_in(pending)
            acct.failed_challenges += 1
            return json_error(t.ERR_TOTP, 400)

    def _first_factor_done(self, pending: PendingLogin) -> Response:
        acct = self._accounts[pending.email or ""]
        if acct.totp_secret:
            pending.step = "totp"
            return jsonify({"login": pending.id, "next": "totp"})
        return self._sign_in(pending)

    def _sign_in(self, pending: PendingLogin) -> Response:
        acct = self._accounts[pending.email or ""]
        key = secrets.token_urlsafe(48)
        self._logins.pop(pending.id, None)
        self._sessions[key] = Session(email=acct.email, csrf=secrets.token_urlsafe(24))
        acct.sign_ins += 1
        resp = jsonify({"redirect": pending.target})
        resp.set_cookie(SESSION_COOKIE, key, max_age=SESSION_AGE, path="/", httponly=True, samesite="Lax")
        return resp

    # ------------------------------------------------------------ views: settings

    def _settings(self, key: str) -> Response | str | tuple[str, int]:
        found = self._guard(settings_page=True)
        if isinstance(found, Response):
            return found
        acct, sess = found
        p = self._page()
        scripts = ""
        if key == "preferences":
            if self._fire_once("first_load_503"):
                return pages.unavailable(p), 503
            with self._lock:
                values = {**acct.settings, t.RETENTION: acct.ai_data_retention}
            v = self.variants
            panel, scripts = pages.preferences_panel(
                p, values=values, offered=acct.offered, late_ms=v.late_render_ms, replace_node=v.replace_node,
                csrf=sess.csrf, save_url=SAVE_URL, signin_url=f"{SIGNIN_PATH}?redirect=")
        else:
            panel = pages.simple_panel(p, key, self._visitor(acct))
        title = next(tab.label for tab in t.TABS if tab.key == key)
        return self._frame(p, found, f"{title} - Settings - Perplexity", pages.settings_frame(p, key, panel, TAB_PATHS),
                           scripts)

    def _save(self) -> Response | tuple[Response, int]:
        """A switch's background save, JSON {setting, value}; the CSRF header must match the session."""
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        acct = found[0]
        body = self._body()
        setting, value = body.get("setting"), body.get("value")
        if not isinstance(value, bool) or setting not in (t.RETENTION, *NEIGHBOURS):
            return json_error("bad request", 400)
        with self._lock:
            if setting != t.RETENTION:
                acct.settings[setting] = value
                return jsonify({"setting": setting, "value": value})
            if not acct.offered:
                return json_error("not found", 404)
            acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal server error", 500)
            if not self.variants.save_never_persists:
                acct.ai_data_retention = value
            return jsonify({"setting": setting, "value": value})


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = PerplexityReplica

__all__ = ["PREFERENCES_PATH", "SETTING_ID", "PerplexityReplica", "Replica", "Variants"]
