"""A local replica of Microsoft Copilot's (consumer) home and settings pages and of the Microsoft account
sign-in (shared/platforms/copilot.md).

    replica = CopilotReplica()
    replica.add_account("alice@example.com", "pw")        # email, Next, password
    replica.configure(settings_menu="submenu", save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...        # server.url
    replica.opted_out("alice@example.com")                # {"text-training": bool, "voice-training": bool}

copilot.md knows no URL for the settings: the replica serves them at paths of its own (SECTION_PATHS,
PRIVACY_PATH), reached from the home page by the click path profile picture → Settings → Privacy only.
copilot.microsoft.com and login.live.com pages are served on the one origin. Everything the tests need
to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass
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

SETTING_IDS = {t.TEXT: "text-training", t.VOICE: "voice-training"}  # save key -> the flow's setting id
STATE_KEYS = {t.TEXT: "text_training", t.VOICE: "voice_training"}  # save key -> its field in state()
SESSION_COOKIE = "CopilotSession"
SESSION_AGE = 90 * 24 * 3600  # "stay signed in": a kept browser profile stays signed in
SIGNIN_PATH = "/login.srf"  # login.live.com's sign-in page (general knowledge), `wreply` = where to go after
AUTH_URLS = {  # the sign-in page's JSON endpoints (the replica's own, in login.live.com's style)
    "email": "/GetCredentialType.srf",
    "password": "/ppsecure/post.srf",
    "code": "/ppsecure/otc.srf",
    "resend": "/ppsecure/otc/resend.srf",
    "usepw": "/ppsecure/usepassword.srf",
    "approval": "/ppsecure/approval.srf",
    "totp": "/ppsecure/totp.srf",
    "kmsi": "/ppsecure/kmsi.srf",
}
SIGNOUT_PATH = "/logout.srf"
# The settings pages' paths are the replica's own (copilot.md: URL unknown). They are linked only from
# the profile menu and the Settings page itself, so a flow finds them by clicking.
SETTINGS_ROOT = "/options"
SECTION_PATHS: dict[str, str] = {
    "account": SETTINGS_ROOT,
    "appearance": f"{SETTINGS_ROOT}/appearance",
    "voice": f"{SETTINGS_ROOT}/voice",
    "privacy": f"{SETTINGS_ROOT}/privacy",  # the web layout
}
MOBILE_PRIVACY_PATH = f"{SETTINGS_ROOT}/account/privacy"  # mobile_path: Settings → Account → Privacy
MODEL_TRAINING_PATH = f"{MOBILE_PRIVACY_PATH}/model-training"  # … → Model training
PRIVACY_PATH = SECTION_PATHS["privacy"]
SAVE_URL = "/c/api/user/settings"
CODE_TRIES = 5  # wrong codes before the code is void and a new one must be requested
APPROVAL_POLL_MS = 1000
SIGNIN = ("password", "email_code", "sms_code", "app")
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
    settings_menu: Literal["page", "submenu"] = "page"
    mobile_path: bool = False
    stay_signed_in: bool = False


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    signin: str
    available: bool  # is the member offered the two training switches at all?
    photo: bool
    initial: dict[str, bool]  # the training switches as added, for reset()
    totp_secret: str | None
    phone_last: str = dataclasses.field(default_factory=lambda: random_digits(2))
    training: dict[str, bool] = dataclasses.field(default_factory=dict)
    settings: dict[str, bool] = dataclasses.field(default_factory=dict)
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    codes_sent: int = 0
    last_code: str | None = None

    def restore(self) -> None:
        self.training = dict(self.initial)
        self.settings = dict.fromkeys(t.NEIGHBOURS, True)  # copilot.md: the neighbours, left alone
        self.last_code = None
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = self.codes_sent = 0


@dataclass
class Session:
    email: str
    csrf: str


@dataclass
class PendingLogin:
    id: str
    email: str
    step: str  # "password", "code", "app", "totp" or "kmsi"
    target: str
    channel: str = ""  # "email" or "sms" for a code
    code: str | None = None
    tries: int = 0
    number: str = ""  # the number to pick in the Authenticator app
    approved: bool = False


def _as_bool(name: str, value: Any) -> bool:
    """Account options may come as strings from the command line (`available=false`)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:2]}{'*' * max(3, len(local) - 2)}@{domain}"


class CopilotReplica:
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

    def add_account(self, email: str, password: str = "", name: str | None = None, signin: str | None = "password",
                    available: bool | str | None = True, photo: bool | str | None = True,
                    text_training: bool | str | None = True, voice_training: bool | str | None = True,
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
        initial = {t.TEXT: True if text_training is None else _as_bool("text_training", text_training),
                   t.VOICE: True if voice_training is None else _as_bool("voice_training", voice_training)}
        acct = Account(email=email, password=password or "", name=name or email.split("@")[0].title(),
                       signin=signin, available=True if available is None else _as_bool("available", available),
                       photo=True if photo is None else _as_bool("photo", photo), initial=initial,
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
                "pending_approvals": [p.email for p in self._logins.values() if p.step == "app" and not p.approved],
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """Each training switch: offered to the member and Off on the server (opted out = Off)."""
        with self._lock:
            acct = self._get(email)
            return {sid: acct.available and acct.training[key] is False for key, sid in SETTING_IDS.items()}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """Both "Model training on …" switches back On (Copilot's default), for one account or all."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.training = dict.fromkeys(t.TRAINING, True)
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last code "sent" to this member (by email or text message), or None."""
        with self._lock:
            acct = self._accounts.get((email or "").strip().lower())
            return acct.last_code if acct else None

    def approve(self, email: str) -> bool:
        """The member picks the right number in the Authenticator app: approves their pending sign-ins."""
        with self._lock:
            acct = self._get(email)
            pending = [p for p in self._logins.values() if p.email == acct.email and p.step == "app"]
            for p in pending:
                p.approved = True
            return bool(pending)

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
        out: dict[str, Any] = {
            "email": acct.email, "name": acct.name, "signin": acct.signin, "available": acct.available,
            "photo": acct.photo, "totp": bool(acct.totp_secret),
        }
        for key, field in STATE_KEYS.items():
            out[field] = acct.training[key]
            out[f"{field}_available"] = acct.available
        out.update({
            "settings": dict(acct.settings),
            "saves": acct.saves, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "codes_sent": acct.codes_sent,
            "sessions": sum(1 for s in self._sessions.values() if s.email == acct.email),
        })
        return out

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
        return SIGNIN_PATH + ("?" + urlencode({"wreply": target}) if target else "")

    def _to_signin(self, drop_cookie: bool) -> Response:
        here = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        resp = redirect(self._signin_url(here))
        if drop_cookie:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    def _guard(self) -> tuple[Account, Session] | Response:
        """A settings page's member, or the redirect a signed-out visitor gets (back here after)."""
        found = self._member()
        if found is None:
            return self._to_signin(drop_cookie=bool(request.cookies.get(SESSION_COOKIE)))
        if self._fire_once("session_expired_once"):
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
        """Where to go after sign-in: a path on this site only (a copilot.microsoft.com URL maps to its path)."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "copilot.microsoft.com":
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        path = parts.path or "/"
        if path.endswith(".srf") or path.startswith(("/ppsecure/", "/c/api/", CONTROL_PREFIX)):
            return "/"
        return path + (f"?{parts.query}" if parts.query else "")

    def _sections(self) -> list[tuple[str, str, str]]:
        """The Settings page's sections `(key, label, href)`: Privacy among them in the web layout; in
        the mobile layout it sits under Account instead."""
        return [(s.key, s.label, SECTION_PATHS[s.key]) for s in t.SECTIONS
                if not (self.variants.mobile_path and s.key == "privacy")]

    def _menu_items(self) -> list[dict[str, object]]:
        if self.variants.settings_menu == "submenu":
            children = [{"label": label, "href": href} for _, label, href in self._sections()]
            settings: dict[str, object] = {"label": t.SETTINGS, "children": children}
        else:
            settings = {"label": t.SETTINGS, "href": SETTINGS_ROOT}
        return [settings, {"label": t.MENU_FEEDBACK, "href": "https://support.microsoft.com/contactus"},
                {"label": t.MENU_SIGN_OUT, "href": SIGNOUT_PATH}]

    def _frame(self, p: pages.Page, found: tuple[Account, Session] | None, title: str, main: str,
               scripts: str = "") -> str:
        member = pages.Member(found[0].name, found[0].email, found[0].photo) if found else None
        return pages.shell(p, member, title, main, menu_items=self._menu_items(),
                           signin_url=self._signin_url(request.path if request.path != "/" else ""), scripts=scripts)

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
            (SIGNIN_PATH, self._signin, ["GET"]),
            (AUTH_URLS["email"], self._auth_email, ["POST"]),
            (AUTH_URLS["password"], self._auth_password, ["POST"]),
            (AUTH_URLS["code"], self._auth_code, ["POST"]),
            (AUTH_URLS["resend"], self._auth_resend, ["POST"]),
            (AUTH_URLS["usepw"], self._auth_use_password, ["POST"]),
            (AUTH_URLS["approval"], self._auth_approval, ["POST"]),
            (AUTH_URLS["totp"], self._auth_totp, ["POST"]),
            (AUTH_URLS["kmsi"], self._auth_kmsi, ["POST"]),
            (SIGNOUT_PATH, self._signout, ["GET", "POST"]),
            (SAVE_URL, self._save, ["POST"]),
            (MOBILE_PRIVACY_PATH, self._mobile_privacy, ["GET"]),
            (MODEL_TRAINING_PATH, self._model_training, ["GET"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)
        for key, path in SECTION_PATHS.items():
            app.add_url_rule(path, endpoint=f"section:{key}", view_func=self._section, methods=["GET"],
                             defaults={"key": key})

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int] | tuple[Response, int]:
            if request.path.startswith(("/c/api/", "/ppsecure/")) or request.path.endswith(".srf"):
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
            return jsonify({"code": code}) if code else json_error("no code sent to that member", 404)

        @bp.post("/approve")
        def approve() -> Response | tuple[Response, int]:
            try:
                return jsonify({"approved": self.approve(email_arg())})
            except KeyError as exc:
                return json_error(str(exc), 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)

    # ------------------------------------------------------------ views: the app

    def _home(self) -> str:
        """The home page, for members and guests alike (Copilot answers guests too)."""
        p = self._page()
        found = self._member()
        member = pages.Member(found[0].name, found[0].email, found[0].photo) if found else None
        return self._frame(p, found, "Microsoft Copilot: Your AI companion", pages.home(p, member))

    # ------------------------------------------------------------ views: sign-in

    def _signin(self) -> Response | str:
        target = self._safe_target(request.args.get("wreply"))
        if self._member():
            return redirect(target)
        return pages.signin(self._page(), wreply=target, urls=AUTH_URLS, poll_ms=APPROVAL_POLL_MS)

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

    def _pending(self, *steps: str) -> PendingLogin | None:
        found = self._logins.get(str(self._body().get("login") or ""))
        return found if found and found.step in steps else None

    @staticmethod
    def _expired() -> tuple[Response, int]:
        return jsonify({"error": t.ERR_EXPIRED, "restart": True}), 400

    def _step(self, pending: PendingLogin) -> Response:
        """The answer that moves the page to the pending login's step, with what that step shows."""
        acct = self._accounts[pending.email]
        hint = ""
        if pending.step == "code":
            hint = _mask_email(acct.email) if pending.channel == "email" else f"*******{acct.phone_last}"
        return jsonify({"login": pending.id, "next": pending.step, "channel": pending.channel, "hint": hint,
                        "number": pending.number, "hasPassword": bool(acct.password)})

    def _auth_email(self) -> Response | tuple[Response, int]:
        """Email, then Next: the account's own next step (a password, a code or an app approval)."""
        body = self._body()
        email = str(body.get("username") or "").strip().lower()
        if not EMAIL_RE.fullmatch(email):
            return json_error(t.ERR_EMAIL, 400)
        target = self._safe_target(str(body.get("wreply") or ""))
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1  # login.live.com says so at once (general knowledge)
                return json_error(t.ERR_UNKNOWN, 400)
            pending = PendingLogin(id=secrets.token_urlsafe(24), email=acct.email, step="password", target=target)
            if acct.signin in ("email_code", "sms_code"):
                pending.step, pending.channel = "code", "email" if acct.signin == "email_code" else "sms"
                pending.code = self._send_code(acct)
            elif acct.signin == "app":
                pending.step, pending.number = "app", str(10 + int(random_digits(2)) % 90)
            self._logins[pending.id] = pending
            return self._step(pending)

    def _auth_password(self) -> Response | tuple[Response, int]:
        given = str(self._body().get("password") or "")
        with self._lock:
            pending = self._pending("password")
            if pending is None:
                return self._expired()
            acct = self._accounts[pending.email]
            if given and acct.password and secrets.compare_digest(given, acct.password):
                return self._first_factor_done(pending)
            acct.failed_logins += 1
            return json_error(t.ERR_PASSWORD, 400)

    def _auth_code(self) -> Response | tuple[Response, int]:
        given = str(self._body().get("code") or "").strip()
        with self._lock:
            pending = self._pending("code")
            if pending is None:
                return self._expired()
            if pending.code and given and secrets.compare_digest(given, pending.code):
                return self._first_factor_done(pending)
            self._accounts[pending.email].failed_logins += 1
            pending.tries += 1
            if pending.tries >= CODE_TRIES:
                pending.code = None
            return json_error(t.ERR_CODE if pending.code else t.ERR_CODE_SPENT, 400)

    def _auth_resend(self) -> Response | tuple[Response, int]:
        with self._lock:
            pending = self._pending("code")
            if pending is None:
                return self._expired()
            pending.code, pending.tries = self._send_code(self._accounts[pending.email]), 0
            return jsonify({"sent": True})

    def _auth_use_password(self) -> Response | tuple[Response, int]:
        """"Use your password instead" on the code or app step (only for an account with a password)."""
        with self._lock:
            pending = self._pending("code", "app")
            if pending is None:
                return self._expired()
            if not self._accounts[pending.email].password:
                return json_error("not found", 404)
            pending.step, pending.code, pending.approved = "password", None, False
            return self._step(pending)

    def _auth_approval(self) -> Response | tuple[Response, int]:
        """The app step's poll: pending until `approve()`; an approval stands for the second factor too."""
        with self._lock:
            pending = self._pending("app")
            if pending is None:
                return self._expired()
            if not pending.approved:
                return jsonify({"pending": True})
            return self._finish(pending)

    def _auth_totp(self) -> Response | tuple[Response, int]:
        given = str(self._body().get("code") or "").strip()
        with self._lock:
            pending = self._pending("totp")
            if pending is None:
                return self._expired()
            acct = self._accounts[pending.email]
            if acct.totp_secret and pyotp.TOTP(acct.totp_secret).verify(given, valid_window=1):
                return self._finish(pending)
            acct.failed_challenges += 1
            return json_error(t.ERR_TOTP, 400)

    def _auth_kmsi(self) -> Response | tuple[Response, int]:
        """"Stay signed in?": Yes keeps the session past the browser, No makes it a browser-session cookie."""
        stay = self._body().get("stay") is True
        with self._lock:
            pending = self._pending("kmsi")
            if pending is None:
                return self._expired()
            return self._sign_in(pending, keep=stay)

    def _first_factor_done(self, pending: PendingLogin) -> Response:
        if self._accounts[pending.email].totp_secret:
            pending.step = "totp"
            return self._step(pending)
        return self._finish(pending)

    def _finish(self, pending: PendingLogin) -> Response:
        if self.variants.stay_signed_in:
            pending.step = "kmsi"
            return self._step(pending)
        return self._sign_in(pending, keep=True)

    def _sign_in(self, pending: PendingLogin, keep: bool) -> Response:
        acct = self._accounts[pending.email]
        key = secrets.token_urlsafe(48)
        self._logins.pop(pending.id, None)
        self._sessions[key] = Session(email=acct.email, csrf=secrets.token_urlsafe(24))
        acct.sign_ins += 1
        resp = jsonify({"redirect": pending.target})
        resp.set_cookie(SESSION_COOKIE, key, max_age=SESSION_AGE if keep else None, path="/", httponly=True,
                        samesite="Lax")
        return resp

    # ------------------------------------------------------------ views: settings

    def _settings_page(self, active: str, title: str, build: Any) -> Response | str | tuple[str, int]:
        """A settings page: signed-out → sign-in and back; `build(p, acct, sess)` gives (panel, scripts,
        holds_switches); the page holding the training switches answers 503 once with `first_load_503`."""
        found = self._guard()
        if isinstance(found, Response):
            return found
        acct, sess = found
        p = self._page()
        panel, scripts, holds = build(p, acct, sess)
        if holds and self._fire_once("first_load_503"):
            return pages.unavailable(p), 503
        main = pages.settings_frame(p, active, panel, self._sections())
        return self._frame(p, found, f"{title} - Settings - Microsoft Copilot", main, scripts)

    def _switches(self, p: pages.Page, acct: Account) -> pages.Switches:
        with self._lock:
            values = {**acct.training, **acct.settings}
        return pages.Switches(p, values, self.variants.late_render_ms, [])

    def _switch_script(self, sw: pages.Switches, sess: Session) -> str:
        return sw.script(replace_node=self.variants.replace_node, csrf=sess.csrf, save_url=SAVE_URL,
                         signin_url=f"{SIGNIN_PATH}?wreply=")

    def _section(self, key: str) -> Response | str | tuple[str, int]:
        if key == "privacy" and self.variants.mobile_path:
            return self._not_found()
        label = next(s.label for s in t.SECTIONS if s.key == key)

        def build(p: pages.Page, acct: Account, sess: Session) -> tuple[str, str, bool]:
            if key == "account":
                member = pages.Member(acct.name, acct.email, acct.photo)
                return pages.account_panel(p, member, MOBILE_PRIVACY_PATH if self.variants.mobile_path else None), \
                    "", False
            if key != "privacy":
                return pages.simple_panel(p, key), "", False
            sw = self._switches(p, acct)
            panel = pages.privacy_panel(p, sw, offered=acct.available, model_training_href=None)
            return panel, self._switch_script(sw, sess), True

        return self._settings_page(key, label, build)

    def _mobile_privacy(self) -> Response | str | tuple[str, int]:
        if not self.variants.mobile_path:
            return self._not_found()

        def build(p: pages.Page, acct: Account, sess: Session) -> tuple[str, str, bool]:
            sw = self._switches(p, acct)
            panel = pages.privacy_panel(p, sw, offered=acct.available, model_training_href=MODEL_TRAINING_PATH)
            return panel, self._switch_script(sw, sess), False

        return self._settings_page("account", t.PRIVACY, build)

    def _model_training(self) -> Response | str | tuple[str, int]:
        if not self.variants.mobile_path:
            return self._not_found()

        def build(p: pages.Page, acct: Account, sess: Session) -> tuple[str, str, bool]:
            sw = self._switches(p, acct)
            panel = pages.model_training_panel(p, sw, offered=acct.available, back_href=MOBILE_PRIVACY_PATH)
            return panel, self._switch_script(sw, sess), True

        return self._settings_page("account", t.MODEL_TRAINING, build)

    def _not_found(self) -> tuple[str, int]:
        return pages.not_found(self._page()), 404

    def _save(self) -> Response | tuple[Response, int]:
        """A switch's background save, JSON {setting, value}; the CSRF header must match the session."""
        found = self._api_member()
        if not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        acct = found[0]
        body = self._body()
        setting, value = body.get("setting"), body.get("value")
        if not isinstance(value, bool) or setting not in (*t.TRAINING, *t.NEIGHBOURS):
            return json_error("bad request", 400)
        with self._lock:
            if setting in t.TRAINING and not acct.available:
                return json_error("not found", 404)
            if setting in t.TRAINING:
                acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal server error", 500)
            if not self.variants.save_never_persists:
                (acct.training if setting in t.TRAINING else acct.settings)[setting] = value
            return jsonify({"setting": setting, "value": value})


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = CopilotReplica

__all__ = ["MODEL_TRAINING_PATH", "MOBILE_PRIVACY_PATH", "PRIVACY_PATH", "SETTING_IDS", "CopilotReplica", "Replica",
           "Variants"]
