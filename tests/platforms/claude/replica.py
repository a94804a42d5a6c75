"""A local replica of claude.ai's sign-in, app and privacy settings pages (shared/platforms/claude.md).

    replica = ClaudeReplica()
    replica.add_account("alice@example.com", "", terms_answered=False)   # meets the terms modal
    replica.configure(newer_release=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.email_code("alice@example.com")           # the code the member would read in their mail
    replica.opted_out("alice@example.com")            # {"help-improve": bool}

Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
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

SETTING_ID = "help-improve"  # the flow's setting id (opted_out)
SESSION_COOKIE = "sessionKey"
SESSION_AGE = 28 * 24 * 3600  # a kept session outlives the browser (claude.md: `optout login claude`)
PRIVACY_PATH = f"/settings/{t.PRIVACY_SLUG}"
SAVE_URL = "/api/account/settings"
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
    newer_release: bool = False
    settings_entry: Literal["menu", "sidebar"] = "menu"


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")
NEIGHBOURS = {t.LOCATION: True}  # the other switches on the Privacy tab, as added


@dataclass
class Account:
    email: str
    password: str
    name: str
    plan: str
    signin: str
    terms_answered: bool  # the option: had the member chosen before the replica started?
    totp_secret: str | None
    help_improve: bool = True
    settings: dict[str, bool] = dataclasses.field(default_factory=lambda: dict(NEIGHBOURS))
    terms_pending: bool = False
    terms_answer: str | None = None  # "on" / "off": the answer given in this replica's modal
    terms_answered_at: str | None = None
    terms_deferred: int = 0
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    codes_sent: int = 0
    exports: int = 0
    last_code: str | None = None

    def restore(self) -> None:
        """As added: the switch On (claude.md's default), the modal pending if the member never chose."""
        self.help_improve = True
        self.settings = dict(NEIGHBOURS)
        self.terms_pending = self.consumer and not self.terms_answered
        self.terms_answer = self.terms_answered_at = self.last_code = None
        self.terms_deferred = self.saves = self.sign_ins = self.failed_logins = 0
        self.failed_challenges = self.codes_sent = self.exports = 0

    @property
    def consumer(self) -> bool:
        """claude.md: only Free, Pro and Max accounts are concerned."""
        return self.plan in t.CONSUMER_PLANS


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _as_bool(name: str, value: Any) -> bool:
    """Account options may come as strings from the command line (`terms_answered=false`)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


class ClaudeReplica:
    # the interface's optional UNATTENDED: the default member signs in by an emailed code (a person);
    # claude.md leaves a password sign-in possible, which the generic every-flow test uses
    UNATTENDED: dict[str, str] = {"signin": "password"}

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}  # sessionKey value -> session
        self._logins: dict[str, PendingLogin] = {}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str = "", name: str | None = None, plan: str | None = "free",
                    signin: str | None = "email_code", terms_answered: bool | str | None = True,
                    totp_secret: str | None = None) -> dict[str, Any]:
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
        answered = True if terms_answered is None else _as_bool("terms_answered", terms_answered)
        display = name or email.split("@")[0].replace(".", " ").replace("_", " ").title()
        acct = Account(email=email, password=password or "", name=display, plan=plan, signin=signin,
                       terms_answered=answered, totp_secret=totp_secret or None)
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
            if self.variants.newer_release != before.newer_release:
                self.h.renew()  # another release: other hashed class names

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
        """`help-improve`: the switch is Off on the server AND, if the member answered the terms modal
        in this replica, that answer was Off (accepting with the choice left On never counts)."""
        with self._lock:
            acct = self._get(email)
            return {SETTING_ID: acct.help_improve is False and acct.terms_answer in (None, "off")}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """The switch back On (a "policy update"), for one account or all. The modal's recorded answer
        stays as it was."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.help_improve = True
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last code "sent" to this member's mailbox, or None."""
        with self._lock:
            acct = self._accounts.get((email or "").strip().lower())
            return acct.last_code if acct else None

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or of all): how many ended. A kept browser profile
        then meets the sign-in page."""
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
            "totp": bool(acct.totp_secret), "terms_answered": acct.terms_answered,
            "help_improve": acct.help_improve, "help_improve_available": acct.consumer,
            "settings": dict(acct.settings),
            "terms_pending": acct.terms_pending, "terms_answer": acct.terms_answer,
            "terms_answered_at": acct.terms_answered_at, "terms_deferred": acct.terms_deferred,
            "saves": acct.saves, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "codes_sent": acct.codes_sent, "exports": acct.exports,
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
        return pages.Page(self.h, self.variants.newer_release)

    def _member(self) -> tuple[Account, Session] | None:
        with self._lock:
            sess = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            acct = self._accounts.get(sess.email) if sess else None
            return (acct, sess) if acct and sess else None

    def _to_login(self, drop_cookie: bool) -> Response:
        here = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        resp = redirect("/login?" + urlencode({"returnTo": here}))
        if drop_cookie:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    def _guard(self, settings_page: bool = False) -> tuple[Account, Session] | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (back here after sign-in)."""
        found = self._member()
        if found is None:
            return self._to_login(drop_cookie=bool(request.cookies.get(SESSION_COOKIE)))
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            return self._to_login(drop_cookie=True)
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
        """Where to go after sign-in: a path on this site only (a claude.ai URL maps to its path, so a
        returnTo captured on the real domain still works against the replica)."""
        if not raw:
            return "/new"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host not in ("claude.ai", "www.claude.ai"):
            return "/new"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/new"
        path = parts.path or "/new"
        if path.startswith(("/login", "/logout", "/api/")):
            return "/new"
        return path + (f"?{parts.query}" if parts.query else "")

    def _render_app(self, p: pages.Page, acct: Account, sess: Session, title: str, main: str,
                    scripts: str = "", app_id: str | None = None) -> str:
        """An app page in its frame, with the terms modal over it while the member has not chosen."""
        app_id = app_id or p.id()
        modal = modal_js = ""
        if acct.terms_pending:
            modal, modal_js = pages.terms_modal(p, app_id=app_id, csrf=sess.csrf, setting=t.HELP_IMPROVE)
        member = pages.Member(acct.name, acct.email, acct.plan)
        return pages.app_shell(p, member, title, main, app_id=app_id,
                               sidebar_settings=self.variants.settings_entry == "sidebar", modal=modal,
                               scripts=scripts + modal_js)

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _count() -> None:
            if request.method == "GET" and not request.path.startswith((CONTROL_PREFIX, "/api/")):
                with self._lock:
                    self._page_requests[request.path] += 1

        @app.after_request
        def _no_cache(resp: Response) -> Response:
            if not request.path.startswith(CONTROL_PREFIX):
                resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Any, list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/login", self._login, ["GET"]),
            ("/login/google", self._google, ["GET"]),
            ("/logout", self._logout, ["GET", "POST"]),
            ("/api/auth/start", self._auth_start, ["POST"]),
            ("/api/auth/verify", self._auth_code, ["POST"]),
            ("/api/auth/resend", self._auth_resend, ["POST"]),
            ("/api/auth/password", self._auth_password, ["POST"]),
            ("/api/auth/totp", self._auth_totp, ["POST"]),
            ("/new", self._new, ["GET"]),
            ("/recents", self._recents, ["GET"]),
            ("/settings", self._settings_root, ["GET"]),
            ("/settings/<slug>", self._settings, ["GET"]),
            (SAVE_URL, self._save, ["POST"]),
            ("/api/account/export", self._export, ["POST"]),
            ("/api/account/consumer_terms", self._terms_accept, ["POST"]),
            ("/api/account/consumer_terms/defer", self._terms_defer, ["POST"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int] | tuple[Response, int]:
            if request.path.startswith("/api/"):
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

    # ------------------------------------------------------------ views: sign-in

    def _home(self) -> Response:
        return redirect("/new" if self._member() else "/login")

    def _login(self) -> Response | str:
        target = self._safe_target(request.args.get("returnTo"))
        if self._member():
            return redirect(target)
        error = t.ERR_GOOGLE if request.args.get("error") == "google" else ""
        return pages.login(self._page(), return_to=target, error=error)

    def _google(self) -> Response:
        """"Continue with Google": there is no Google here, so it comes back with an error."""
        return redirect("/login?" + urlencode({"error": "google",
                                               "returnTo": self._safe_target(request.args.get("returnTo"))}))

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect("/login", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    @staticmethod
    def _body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    def _pending(self, step: str) -> PendingLogin | None:
        found = self._logins.get(str(self._body().get("login") or ""))
        return found if found and found.step == step else None

    def _auth_start(self) -> Response | tuple[Response, int]:
        """The email step: the next step is an emailed code (or a password, signin="password")."""
        body = self._body()
        email = str(body.get("email") or "").strip().lower()
        if not EMAIL_RE.fullmatch(email):
            return json_error(t.ERR_EMAIL, 400)
        target = self._safe_target(str(body.get("returnTo") or ""))
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

    def _expired(self) -> tuple[Response, int]:
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
        key = "sk-ant-sid01-" + secrets.token_urlsafe(64)
        self._logins.pop(pending.id, None)
        self._sessions[key] = Session(email=acct.email, csrf=secrets.token_urlsafe(24))
        acct.sign_ins += 1
        resp = jsonify({"redirect": pending.target})
        resp.set_cookie(SESSION_COOKIE, key, max_age=SESSION_AGE, path="/", httponly=True, samesite="Lax")
        return resp

    # ------------------------------------------------------------ views: signed in

    def _new(self) -> Response | str:
        found = self._guard()
        if isinstance(found, Response):
            return found
        acct, sess = found
        p = self._page()
        main = pages.new_chat(p, pages.Member(acct.name, acct.email, acct.plan))
        return self._render_app(p, acct, sess, "Claude", main)

    def _recents(self) -> Response | str:
        found = self._guard()
        if isinstance(found, Response):
            return found
        p = self._page()
        return self._render_app(p, *found, "Chats - Claude", pages.recents(p))

    def _settings_root(self) -> Response:
        found = self._guard(settings_page=True)
        return found if isinstance(found, Response) else redirect("/settings/general")

    def _settings(self, slug: str) -> Response | str | tuple[str, int]:
        found = self._guard(settings_page=True)
        if isinstance(found, Response):
            return found
        acct, sess = found
        p = self._page()
        if slug not in {tab.slug for tab in t.TABS}:
            return pages.not_found(p), 404
        scripts = ""
        if slug == t.PRIVACY_SLUG:
            if self._fire_once("first_load_503"):
                return pages.unavailable(p), 503
            with self._lock:
                values = {**acct.settings, t.HELP_IMPROVE: acct.help_improve}
            v = self.variants
            panel, scripts = pages.privacy_panel(p, values=values, show_help=acct.consumer,
                                                 late_ms=v.late_render_ms, replace_node=v.replace_node,
                                                 csrf=sess.csrf, save_url=SAVE_URL)
        else:
            panel = pages.simple_panel(p, slug, pages.Member(acct.name, acct.email, acct.plan))
        title = next(tab.label for tab in t.TABS if tab.slug == slug)
        return self._render_app(p, acct, sess, f"{title} - Settings - Claude", pages.settings_frame(p, slug, panel),
                                scripts)

    def _save(self) -> Response | tuple[Response, int]:
        """A switch's background save, JSON {setting, value}; the CSRF header must match the session."""
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        acct = found[0]
        body = self._body()
        setting, value = body.get("setting"), body.get("value")
        if not isinstance(value, bool) or setting not in (t.HELP_IMPROVE, *NEIGHBOURS):
            return json_error("bad request", 400)
        with self._lock:
            if setting != t.HELP_IMPROVE:
                acct.settings[setting] = value
                return jsonify({"setting": setting, "value": value})
            if not acct.consumer:
                return json_error("not found", 404)
            acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal server error", 500)
            if not self.variants.save_never_persists:
                acct.help_improve = value
            return jsonify({"setting": setting, "value": value})

    def _export(self) -> Response | tuple[Response, int]:
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        with self._lock:
            found[0].exports += 1
        return jsonify({"status": "queued"})

    def _terms_accept(self) -> Response | tuple[Response, int]:
        """The modal's "Accept": records the answer and when, and sets the switch to it."""
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        acct = found[0]
        value = self._body().get("help_improve")
        if not isinstance(value, bool):
            return json_error("bad request", 400)
        with self._lock:
            if not acct.terms_pending:
                return json_error("already answered", 409)
            acct.terms_pending = False
            acct.terms_answer = "on" if value else "off"
            acct.terms_answered_at = _now()
            acct.help_improve = value
            return jsonify({"help_improve": value, "answer": acct.terms_answer,
                            "answered_at": acct.terms_answered_at})

    def _terms_defer(self) -> Response | tuple[Response, int]:
        """The modal's "Not now": nothing is recorded but the count; the modal comes back on the next load."""
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        with self._lock:
            if not found[0].terms_pending:
                return json_error("already answered", 409)
            found[0].terms_deferred += 1
        return Response(status=204)


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = ClaudeReplica

__all__ = ["SETTING_ID", "ClaudeReplica", "Replica", "Variants"]
