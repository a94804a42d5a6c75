"""A local replica of Grammarly's sign-in and privacy pages (shared/platforms/grammarly.md).

    replica = GrammarlyReplica()
    replica.add_account("alice@example.com", "secret", plan="pro", totp_secret=None)
    replica.configure(two_step_signin=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"product-improvement": bool}

Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
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

Plan = Literal["free", "premium", "pro"]
PLANS: tuple[str, ...] = ("free", "premium", "pro")
SETTING_ID = "product-improvement"
PRIVACY = "/security/privacy"
DATA_SETTINGS = "/admin/data_settings"
SAVE_PRIVACY = "/api/v1/privacy/settings"
SAVE_DATA_SETTINGS = "/api/v1/admin/data-settings"
SAVE_KEY = "productImprovementAndTraining"
SESSION_COOKIE = "grauth"
CSRF_COOKIE = "csrf-token"
YEAR = 365 * 24 * 3600
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
    two_step_signin: bool = False
    pro_privacy_redirect: bool = False  # a Pro member at /security/privacy is sent to /admin/data_settings
    pro_label: str = pages.LABEL  # the switch's label on /admin/data_settings (unsure in the md)


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    plan: str
    available: bool
    initial: bool  # product_improvement as added, for reset()
    totp_secret: str | None
    product_improvement: bool = True
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0

    def restore(self) -> None:
        self.product_improvement = self.initial
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = 0


@dataclass
class Pending:
    """A sign-in under way: after the email (two-step), or after the password (code step)."""

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
    return " ".join(w.capitalize() for w in words) or "Member"


class GrammarlyReplica:
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

    def add_account(self, email: str, password: str, name: str | None = None, plan: str = "free",
                    available: bool | str = True, product_improvement: bool | str = True,
                    totp_secret: str | None = None) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if plan not in PLANS:
            raise ValueError(f"plan must be one of {PLANS}")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        value = _flag("product_improvement", product_improvement)
        acct = Account(email=email, password=password, name=name or _default_name(email), plan=plan,
                       available=_flag("available", available), initial=value, totp_secret=totp_secret or None,
                       product_improvement=value)
        with self._lock:
            self._accounts[email] = acct
            return self._account_state(acct)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            after = apply_variants(self.variants, variants)
            if not after.pro_label.strip():
                raise ValueError("variant pro_label: must not be empty")
            self.variants = after
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
        """The member is opted out when "Product Improvement and Training" is Off on the server."""
        with self._lock:
            return {SETTING_ID: self._get(email).product_improvement is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": the switch back On (the platform's default) for one account or all."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.product_improvement = True
            return [a.email for a in targets]

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or all); how many ended."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, e in self._sessions.items() if who is None or e == who]
            for token in ended:
                del self._sessions[token]
            return len(ended)

    # ------------------------------------------------------------ helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "plan": acct.plan, "available": acct.available,
            "totp": bool(acct.totp_secret), "product_improvement": acct.product_improvement,
            "saves": acct.saves, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
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

    def _to_signin(self) -> Response:
        return redirect("/signin?" + urlencode({"redirect_uri": request.url}))

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (to sign in, and back)."""
        acct = self._member()
        if acct is None:
            resp = self._to_signin()
            if request.cookies.get(SESSION_COOKIE):  # a session the server no longer knows
                resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            resp = self._to_signin()
            resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        return acct

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after sign-in: a path on this site only. An absolute grammarly.com URL maps to
        its path, so a link captured on the real domains still works against the replica."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "grammarly.com" \
                and not host.endswith(".grammarly.com"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _csrf_ok(self, given: str | None) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        return bool(given) and bool(cookie) and secrets.compare_digest(given or "", cookie)

    def _top(self, acct: Account, active: str) -> str:
        links = [("Account", "/"), ("Privacy", PRIVACY)]
        if acct.plan == "pro":
            links.append(("Data settings", DATA_SETTINGS))
        return pages.top_bar(self._page(), acct.name, links, active)

    # ------------------------------------------------------------ views: sign-in

    def _signin_page(self, target: str, email: str = "", error: str = "") -> str:
        return pages.signin(self._page(), names=self._names(), csrf=g.csrf, target=target,
                            two_step=self.variants.two_step_signin, email=email, error=error)

    def _password_page(self, token: str, email: str, error: str = "") -> str:
        return pages.signin_password(self._page(), names=self._names(), csrf=g.csrf, token=token, email=email,
                                     error=error)

    def _code_page(self, token: str, error: str = "") -> str:
        return pages.signin_code(self._page(), names=self._names(), csrf=g.csrf, token=token, error=error)

    def _signin_get(self) -> Response | str:
        target = self._safe_target(request.args.get("redirect_uri"))
        if self._member():
            return redirect(target)
        return self._signin_page(target)

    def _signin_post(self) -> Response | str:
        """One-page sign-in (email and password), or the email step of the two-step sign-in."""
        n, form = self._names(), request.form
        target = self._safe_target(form.get(n["target"]))
        email = form.get(n["email"], "").strip().lower()
        if not self._csrf_ok(form.get(n["csrf"])):
            return self._signin_page(target, email, "Something went wrong. Please try again.")
        if not email:
            return self._signin_page(target, email, "Enter your email.")
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
        if n["password"] not in form:  # the two-step page's first step
            if acct is None:
                return self._signin_page(target, email, "There's no Grammarly account with this email.")
            token = secrets.token_urlsafe(24)
            with self._lock:
                self._pending[token] = Pending(email, target, "password")
            return self._password_page(token, email)
        if acct is None:
            return self._signin_page(target, email, "Invalid email or password.")
        if not self._password_ok(acct, form.get(n["password"], "")):
            return self._signin_page(target, email, "Invalid email or password.")
        return self._after_password(acct, target)

    def _password_post(self) -> Response | str:
        """Two-step sign-in, step 2."""
        n, form = self._names(), request.form
        token = form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.stage != "password":
            return redirect("/signin", code=303)
        if not self._csrf_ok(form.get(n["csrf"])):
            return self._password_page(token, pending.email, "Something went wrong. Please try again.")
        acct = self._accounts[pending.email]
        if not self._password_ok(acct, form.get(n["password"], "")):
            return self._password_page(token, pending.email, "Incorrect password. Try again.")
        with self._lock:
            self._pending.pop(token, None)
        return self._after_password(acct, pending.target)

    def _verify_post(self) -> Response | str:
        n, form = self._names(), request.form
        token = form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.stage != "code":
            return redirect("/signin", code=303)
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
        return pages.federated(self._page(), name, self._safe_target(request.args.get("redirect_uri"))), 502

    def _signout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect("/signin", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: signed in

    def _home(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.account_home(self._page(), self._top(acct, "/"), acct.name, acct.email)

    def _settings_view(self, path: str) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        v, pro = self.variants, acct.plan == "pro"
        if path == DATA_SETTINGS and not pro:
            return redirect("/")  # an admin page: individual accounts are sent to their account home
        if path == PRIVACY and pro and v.pro_privacy_redirect:
            return redirect(DATA_SETTINGS)
        if self._fire_once("first_load_503"):
            return pages.error_page(self._page(), "Service unavailable",
                                    "Grammarly is temporarily unavailable. Please try again in a few minutes."), 503
        with self._lock:
            value = acct.product_improvement
        label: str | None = (v.pro_label if pro else pages.LABEL) if acct.available else None
        note = ""
        if path == PRIVACY and pro:  # the Pro member's switch lives on the admin page
            label = None
            note = (f'<p>Settings for how your data is used are on the <a href="{DATA_SETTINGS}">Data settings</a>'
                    ' page.</p>')
        if path == PRIVACY:
            title, intro, save = "Privacy", "Manage how Grammarly uses your data.", SAVE_PRIVACY
        else:
            title, intro, save = "Data settings", "Manage how Grammarly uses your account's data.", SAVE_DATA_SETTINGS
        return pages.settings_page(self._page(), self._top(acct, path), title=title, intro=intro, label=label,
                                   value=value, late_ms=v.late_render_ms, replace_node=v.replace_node,
                                   save_url=save, key=SAVE_KEY, note=note)

    def _save(self, path: str) -> Response | tuple[Response, int]:
        """The switch's background save: JSON {productImprovementAndTraining: bool}, CSRF header."""
        acct = self._member()
        if acct is None:
            return json_error("unauthenticated", 401)
        if not self._csrf_ok(request.headers.get("x-csrf-token")):
            return json_error("invalid csrf token", 403)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or set(body) != {SAVE_KEY} or not isinstance(body[SAVE_KEY], bool):
            return json_error("bad request", 400)
        if (acct.plan == "pro") != (path == SAVE_DATA_SETTINGS):
            return json_error("forbidden", 403)  # each plan saves through its own page's endpoint
        if not acct.available:
            return json_error("not found", 404)
        value = body[SAVE_KEY]
        with self._lock:
            acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                acct.product_improvement = value
        return jsonify({SAVE_KEY: value})

    def _not_found(self) -> tuple[str, int]:
        return pages.error_page(self._page(), "Page not found", "We couldn't find the page you were looking for."), 404

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
            ("/signin", self._signin_get, ["GET"]),
            ("/signin#post", self._signin_post, ["POST"]),
            ("/signin/password", self._password_post, ["POST"]),
            ("/signin/verify", self._verify_post, ["POST"]),
            ("/signin/federated/<provider>", self._federated, ["GET"]),
            ("/signout", self._signout, ["GET", "POST"]),
            (PRIVACY, lambda: self._settings_view(PRIVACY), ["GET"]),
            (DATA_SETTINGS, lambda: self._settings_view(DATA_SETTINGS), ["GET"]),
            (SAVE_PRIVACY, lambda: self._save(SAVE_PRIVACY), ["POST"]),
            (SAVE_DATA_SETTINGS, lambda: self._save(SAVE_DATA_SETTINGS), ["POST"]),
        ]
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
Replica = GrammarlyReplica

__all__ = ["PLANS", "SETTING_ID", "GrammarlyReplica", "Replica", "Variants"]
