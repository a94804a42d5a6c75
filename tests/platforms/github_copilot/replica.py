"""A local replica of GitHub's sign-in and Copilot settings pages (shared/platforms/github-copilot.md).

    replica = GitHubCopilotReplica()
    replica.add_account("alice@example.com", "secret", totp_secret=None, device_verification=False)
    replica.configure(control="switch", save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"model-training": bool}

Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

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

SETTING_ID = "model-training"
PLANS: tuple[str, ...] = ("free", "pro", "pro_plus", "business", "enterprise")
PERSONAL_PLANS = frozenset({"free", "pro", "pro_plus"})  # the plans whose data GitHub trains on (the md)
COPILOT = "/settings/copilot"
FEATURES = "/settings/copilot/features"
MODELS = "/settings/copilot/models"
SAVE_URL = FEATURES  # POST: the Features part's save (JSON from the page script, or the plain form)
SESSION_COOKIE = "user_session"
BROWSER_COOKIE = "_gh_sess"  # a browser session before sign-in: form tokens and the pending sign-in
DEVICE_COOKIE = "_device_id"  # a long-lived browser id: device verification remembers it
YEAR = 365 * 24 * 3600
CODE_MINUTES = 15
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
PLACEHOLDERS = {"/settings/admin": "Account", "/settings/appearance": "Appearance",
                "/settings/notifications": "Notifications", "/settings/emails": "Emails",
                "/settings/security": "Password and authentication", "/settings/installations": "Applications",
                "/settings/apps": "Developer settings"}


@dataclass
class Variants:
    """Faults and page variants; see README.md. The two kinds of control the md leaves open: a
    select menu (default) or a switch."""

    control: Literal["select", "switch"] = "select"
    save_button: bool = True  # select mode: a Save button (False: each select saves on change)
    option_labels: Literal["enabled", "allowed"] = "enabled"  # the training select's two option words
    features_page: bool = False  # Features is a page of its own (/settings/copilot/features), not a tab
    older_release: bool = False  # the earlier "code snippets" label
    delay_ms: int = 0
    late_render_ms: int = 0
    replace_node: bool = False
    save_fails_once: bool = False
    save_never_persists: bool = False
    first_load_503: bool = False
    session_expired_once: bool = False


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    username: str
    name: str
    plan: str
    totp_secret: str | None
    device_verification: bool
    initial: bool  # model_training as added, for reset()
    model_training: bool = True  # True: "Enabled" (GitHub may train on the member's data)
    settings: dict[str, bool] = field(default_factory=lambda: dict(pages.NEIGHBOUR_DEFAULTS))
    settings_changes: Counter[str] = field(default_factory=Counter)
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    codes_sent: int = 0
    last_code: str | None = None

    @property
    def offered(self) -> bool:
        return self.plan in PERSONAL_PLANS

    def restore(self) -> None:
        self.model_training = self.initial
        self.settings = dict(pages.NEIGHBOUR_DEFAULTS)
        self.settings_changes = Counter()
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = self.codes_sent = 0
        self.last_code = None


@dataclass
class Pending:
    """A sign-in past the password, waiting for its second step (kept per browser session)."""

    email: str
    target: str
    stage: Literal["totp", "device"]
    code: str | None = None
    expires: datetime | None = None


def _flag(name: str, value: Any) -> bool:
    """A boolean option, also given as a string (python -m tests.replicas passes strings)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _words(local: str) -> list[str]:
    return [w for w in re.split(r"[._+\-]+", local) if w]


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}"


class GitHubCopilotReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # user_session -> email
        self._csrf: dict[str, str] = {}  # user_session -> its CSRF token
        self._form_tokens: dict[str, str] = {}  # _gh_sess -> the sign-in forms' authenticity token
        self._pending: dict[str, Pending] = {}  # _gh_sess -> a sign-in waiting for its second step
        self._devices: set[tuple[str, str]] = set()  # (email, _device_id) past device verification
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, *, name: str | None = None, username: str | None = None,
                    plan: str = "free", totp_secret: str | None = None, device_verification: bool | str = False,
                    model_training: bool | str | None = None) -> dict[str, Any]:
        """A member. `plan`: free|pro|pro_plus (the setting offered, Enabled by default) or
        business|enterprise (not offered; GitHub does not train on it, so held Disabled);
        `device_verification`: a code emailed at sign-in on a browser GitHub does not know (skipped
        when the account has 2FA, as on GitHub); `model_training`: the starting value."""
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if plan not in PLANS:
            raise ValueError(f"plan must be one of {PLANS}")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        local = email.split("@", 1)[0]
        login = (username or "-".join(_words(local)) or "member").strip().lower()
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?", login):
            raise ValueError(f"username {login!r} is not a GitHub username")
        value = plan in PERSONAL_PLANS if model_training is None else _flag("model_training", model_training)
        acct = Account(email=email, password=password, username=login,
                       name=name or " ".join(w.capitalize() for w in _words(local)) or "Member", plan=plan,
                       totp_secret=totp_secret or None,
                       device_verification=_flag("device_verification", device_verification), initial=value,
                       model_training=value)
        with self._lock:
            if any(a.username == login and a.email != email for a in self._accounts.values()):
                raise ValueError(f"username {login!r} is taken")
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
                self.h.renew()  # another release: other hashed class and field names

    def reset(self, drop_accounts: bool = False) -> None:
        with self._lock:
            self.variants = Variants()
            for store in (self._sessions, self._csrf, self._form_tokens, self._pending):
                store.clear()
            self._devices.clear()
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
        """Opted out when the server holds the training setting off ("Disabled")."""
        with self._lock:
            return {SETTING_ID: self._get(email).model_training is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": the training setting back to Enabled for members it is offered to
        (Business/Enterprise stay off); returns every email named. KeyError: unknown email."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                if acct.offered:
                    acct.model_training = True
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last device-verification code "emailed" to the member (None: none sent)."""
        with self._lock:
            acct = self._accounts.get(email.strip().lower())
            return acct.last_code if acct else None

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or all); how many ended."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, e in self._sessions.items() if who is None or e == who]
            for token in ended:
                del self._sessions[token]
                self._csrf.pop(token, None)
            return len(ended)

    # ------------------------------------------------------------ helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "username": acct.username, "name": acct.name, "plan": acct.plan,
            "totp": bool(acct.totp_secret), "device_verification": acct.device_verification,
            "model_training": acct.model_training, "model_training_offered": acct.offered,
            "settings": dict(acct.settings), "settings_changes": {k: acct.settings_changes[k] for k in acct.settings},
            "saves": acct.saves, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "codes_sent": acct.codes_sent,
            "sessions": sum(1 for e in self._sessions.values() if e == acct.email),
            "verified_devices": sum(1 for e, _ in self._devices if e == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _names(self) -> dict[str, str]:
        """Form-field names: hashed per release, so no flow can know them beforehand."""
        return {k: self.h(f"field:{k}") for k in ("login", "password", "token", "return_to", "code")}

    def _field_keys(self) -> dict[str, str]:
        """Hashed field name -> setting key, for the Features part's selects and switches."""
        keys = [pages.TRAINING, *(r.key for r in pages.NEIGHBOURS)]
        return {self.h(f"setting:{k}"): k for k in keys}

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            return self._accounts.get(email) if email else None

    def _to_login(self) -> Response:
        return redirect(pages.login_url(request.host_url.rstrip("/") + self._setting_path()))

    def _end_session(self, resp: Response) -> Response:
        with self._lock:
            token = request.cookies.get(SESSION_COOKIE, "")
            self._sessions.pop(token, None)
            self._csrf.pop(token, None)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        resp.set_cookie("logged_in", "no", max_age=YEAR, path="/", samesite="Lax")
        return resp

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (to sign in, and back)."""
        acct = self._member()
        if acct is None:
            resp = self._to_login()
            if request.cookies.get(SESSION_COOKIE):  # a session the server no longer knows
                resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        if settings_page and self._fire_once("session_expired_once"):
            return self._end_session(self._to_login())
        return acct

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after sign-in: a path on this site only. An absolute github.com URL maps to its
        path, so a link captured on the real site still works against the replica."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host not in ("github.com", "www.github.com"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _form_token(self) -> str:
        with self._lock:
            return self._form_tokens.setdefault(g.browser, secrets.token_urlsafe(32))

    def _form_token_ok(self) -> bool:
        given = request.form.get(self._names()["token"], "")
        with self._lock:
            known = self._form_tokens.get(g.browser, "")
        return bool(given) and bool(known) and secrets.compare_digest(given, known)

    def _top(self, acct: Account) -> str:
        return pages.header(self._page(), acct.username, acct.name)

    def _setting_path(self) -> str:
        """The page holding the setting in this layout."""
        return FEATURES if self.variants.features_page else COPILOT

    def _sub(self) -> tuple[tuple[str, str], ...]:
        """Copilot's sub-items in the sidebar, when Features is a page of its own."""
        return (("Features", FEATURES), ("Models", MODELS)) if self.variants.features_page else ()

    # ------------------------------------------------------------ views: sign-in

    def _login_page(self, target: str, login_value: str = "", error: str = "") -> str:
        return pages.login(self._page(), names=self._names(), token=self._form_token(), target=target,
                           login_value=login_value, error=error)

    def _login_get(self) -> Response | str:
        target = self._safe_target(request.args.get("return_to"))
        if self._member():
            return redirect(target)
        return self._login_page(target)

    def _session_post(self) -> Response | str:
        n, form = self._names(), request.form
        target = self._safe_target(form.get(n["return_to"]))
        login = form.get(n["login"], "").strip().lower()
        password = form.get(n["password"], "")
        if not self._form_token_ok():
            return self._login_page(target, login, "Your browser did something unexpected. Please try again.")
        with self._lock:
            acct = next((a for a in self._accounts.values() if login in (a.email, a.username)), None)
            if acct is None:
                self._unknown_logins += 1
            elif not secrets.compare_digest(password.encode(), acct.password.encode()):
                acct.failed_logins += 1
                acct = None
        if acct is None:
            return self._login_page(target, login, "Incorrect username or password.")
        if acct.totp_secret:
            with self._lock:
                self._pending[g.browser] = Pending(acct.email, target, "totp")
            return redirect("/sessions/two-factor/app", code=302)
        if acct.device_verification and (acct.email, g.device) not in self._devices:
            self._send_code(acct, target)
            return redirect("/sessions/verified-device", code=302)
        return self._sign_in(acct, target)

    def _send_code(self, acct: Account, target: str) -> Pending:
        code = random_digits(6)
        pending = Pending(acct.email, target, "device", code, datetime.now(UTC) + timedelta(minutes=CODE_MINUTES))
        with self._lock:
            self._pending[g.browser] = pending
            acct.last_code = code
            acct.codes_sent += 1
        return pending

    def _pending_for(self, stage: str) -> Pending | None:
        with self._lock:
            pending = self._pending.get(g.browser)
        return pending if pending and pending.stage == stage else None

    def _two_factor_get(self) -> Response | str:
        if self._pending_for("totp") is None:
            return redirect("/login")
        return pages.two_factor(self._page(), names=self._names(), token=self._form_token())

    def _two_factor_post(self) -> Response | str:
        pending = self._pending_for("totp")
        if pending is None:
            return redirect("/login", code=303)
        acct = self._accounts[pending.email]
        code = request.form.get(self._names()["code"], "").strip().replace(" ", "")
        ok = self._form_token_ok() and pyotp.TOTP(acct.totp_secret or "").verify(code, valid_window=1)
        if not ok:
            with self._lock:
                acct.failed_challenges += 1
            return pages.two_factor(self._page(), names=self._names(), token=self._form_token(),
                                    error="Two-factor authentication failed.")
        return self._sign_in(acct, pending.target)

    def _device_page(self, pending: Pending, error: str = "", resent: bool = False) -> str:
        expires = pending.expires.strftime("%H:%M UTC") if pending.expires else ""
        return pages.device_verification(self._page(), names=self._names(), token=self._form_token(),
                                         masked_email=_masked(pending.email), expires=expires, error=error,
                                         resent=resent)

    def _device_get(self) -> Response | str:
        pending = self._pending_for("device")
        if pending is None:
            return redirect("/login")
        return self._device_page(pending)

    def _device_post(self) -> Response | str:
        pending = self._pending_for("device")
        if pending is None:
            return redirect("/login", code=303)
        acct = self._accounts[pending.email]
        code = request.form.get(self._names()["code"], "").strip().replace(" ", "")
        fresh = pending.expires is not None and datetime.now(UTC) < pending.expires
        if not (self._form_token_ok() and fresh and secrets.compare_digest(code, pending.code or "")):
            with self._lock:
                acct.failed_challenges += 1
            return self._device_page(pending, "Incorrect verification code provided.")
        with self._lock:
            self._devices.add((acct.email, g.device))
        return self._sign_in(acct, pending.target)

    def _device_resend(self) -> Response | str:
        pending = self._pending_for("device")
        if pending is None or not self._form_token_ok():
            return redirect("/login", code=303)
        return self._device_page(self._send_code(self._accounts[pending.email], pending.target), resent=True)

    def _sign_in(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(48)
        with self._lock:
            self._pending.pop(g.browser, None)
            self._sessions[token] = acct.email
            self._csrf[token] = secrets.token_urlsafe(32)
            acct.sign_ins += 1
        resp = redirect(target, code=302)
        resp.set_cookie(SESSION_COOKIE, token, max_age=14 * 24 * 3600, path="/", httponly=True, samesite="Lax")
        resp.set_cookie("logged_in", "yes", max_age=YEAR, path="/", samesite="Lax")
        resp.set_cookie("dotcom_user", acct.username, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _logout_get(self) -> Response | str:
        if self._member() is None:
            return redirect("/")
        return pages.logout_page(self._page(), self._form_token(), self._names())

    def _logout_post(self) -> Response:
        return self._end_session(redirect("/", code=302))

    # ------------------------------------------------------------ views: signed in

    def _home(self) -> Response | str:
        acct = self._member()
        if acct is None:
            return pages.guest_home(self._page())
        return pages.dashboard(self._page(), self._top(acct), acct.name)

    def _settings_root(self) -> Response:
        acct = self._guard()
        return acct if isinstance(acct, Response) else redirect("/settings/profile")

    def _profile(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.profile_page(self._page(), self._top(acct), acct.name)

    def _placeholder(self, path: str) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.plain_settings_page(self._page(), self._top(acct), PLACEHOLDERS[path], path)

    def _copilot(self, path: str) -> Response | str | tuple[str, int]:
        """/settings/copilot, /settings/copilot/features and /settings/copilot/models."""
        acct = self._guard(settings_page=path != MODELS)
        if isinstance(acct, Response):
            return acct
        v, p = self.variants, self._page()
        if path == FEATURES and not v.features_page:
            return self._not_found()
        if path != MODELS and self._fire_once("first_load_503"):
            return pages.error_page(p, "Unicorn!", "This page is taking too long to load. Please try again."), 503
        top, sub = self._top(acct), self._sub()
        tab_nav = "" if v.features_page else pages.tabs(p, MODELS if path == MODELS else COPILOT)
        if path == MODELS:
            return pages.models_page(p, top, MODELS, sub, tab_nav)
        if path == COPILOT and v.features_page:
            return pages.copilot_overview(p, top, acct.plan, sub)
        with self._lock:
            csrf = self._csrf.get(request.cookies.get(SESSION_COOKIE, ""), "")
            values = {pages.TRAINING: acct.model_training, **acct.settings}
        names = {k: n for n, k in self._field_keys().items()}
        words = pages.OPTION_WORDS[v.option_labels]
        label = pages.OLDER_LABEL if v.older_release else pages.LABEL
        rows: dict[str, list[pages.FeatureRow]] = {"Copilot Chat": [], "Privacy": []}
        for r in pages.NEIGHBOURS:
            rows[r.section].append(pages.FeatureRow(names[r.key], r.label, r.desc, r.words or words, values[r.key]))
        if acct.offered:
            rows["Privacy"].append(pages.FeatureRow(names[pages.TRAINING], label, pages.TRAINING_DESC, words,
                                                    values[pages.TRAINING]))
        part, script = pages.features_part(
            p, rows=rows, control=v.control, save_button=v.save_button, late_ms=v.late_render_ms,
            replace_node=v.replace_node, save_url=SAVE_URL, token_name=self._names()["token"], csrf=csrf,
            managed=not acct.offered)
        heading = "Features" if v.features_page else "Copilot"
        return pages.features_page(p, top=top, heading=heading, tab_nav=tab_nav, active=path, sub=sub, part=part,
                                   script=script, csrf=csrf)

    def _save(self) -> Response | tuple[Response, int]:
        """The Features part's save: JSON {field: "enabled"|"disabled"} with the CSRF token in the
        `x-csrf-token` header (the page script), or the plain form post (no script) → back to the page."""
        acct = self._member()
        as_json = request.is_json
        if acct is None:  # the script sends the visitor to sign in; a plain form post is redirected
            if as_json:
                return json_error("unauthenticated", 401)
            return redirect(pages.login_url(request.host_url.rstrip("/") + self._setting_path()))
        with self._lock:
            csrf = self._csrf.get(request.cookies.get(SESSION_COOKIE, ""), "")
        if as_json:
            given = request.headers.get("x-csrf-token", "")
            body = request.get_json(silent=True)
        else:
            given = request.form.get(self._names()["token"], "")
            body = {k: v for k, v in request.form.items() if k != self._names()["token"]}
        if not given or not csrf or not secrets.compare_digest(given, csrf):
            return json_error("invalid authenticity token", 403)
        keys = self._field_keys()
        allowed = {pages.ON_VALUE, pages.OFF_VALUE}
        if not isinstance(body, dict) or not body or any(k not in keys or v not in allowed for k, v in body.items()):
            return json_error("unprocessable entity", 422)
        changes = {keys[k]: v == pages.ON_VALUE for k, v in body.items()}
        if pages.TRAINING in changes and not acct.offered:
            return json_error("forbidden: managed by your organization", 403)
        with self._lock:
            acct.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal server error", 500)
            for key, value in changes.items():
                if key == pages.TRAINING:
                    if not self.variants.save_never_persists:
                        acct.model_training = value
                elif acct.settings[key] != value:
                    acct.settings[key] = value
                    acct.settings_changes[key] += 1
        if not as_json:
            return redirect(self._setting_path(), code=303)
        return jsonify(body)

    def _not_found(self) -> tuple[str, int]:
        return pages.error_page(self._page(), "Page not found",
                                "This is not the web page you are looking for."), 404

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _browser() -> None:
            if request.path.startswith(CONTROL_PREFIX):
                return
            if request.method == "GET":
                with self._lock:
                    self._page_requests[request.path] += 1
            g.browser = request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(24)
            g.device = request.cookies.get(DEVICE_COOKIE) or secrets.token_hex(16)

        @app.after_request
        def _cookies(resp: Response) -> Response:
            if request.path.startswith(CONTROL_PREFIX):
                return resp
            if request.cookies.get(BROWSER_COOKIE) != g.browser:
                resp.set_cookie(BROWSER_COOKIE, g.browser, path="/", httponly=True, samesite="Lax")
            if request.cookies.get(DEVICE_COOKIE) != g.device:
                resp.set_cookie(DEVICE_COOKIE, g.device, max_age=YEAR, path="/", httponly=True, samesite="Lax")
            if resp.mimetype == "text/html":
                resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/login", self._login_get, ["GET"]),
            ("/session", self._session_post, ["POST"]),
            ("/sessions/two-factor/app", self._two_factor_get, ["GET"]),
            ("/sessions/two-factor", self._two_factor_post, ["POST"]),
            ("/sessions/verified-device", self._device_get, ["GET"]),
            ("/sessions/verified-device#post", self._device_post, ["POST"]),
            ("/sessions/verified-device/resend", self._device_resend, ["POST"]),
            ("/logout", self._logout_get, ["GET"]),
            ("/logout#post", self._logout_post, ["POST"]),
            ("/settings", self._settings_root, ["GET"]),
            ("/settings/profile", self._profile, ["GET"]),
            (COPILOT, lambda: self._copilot(COPILOT), ["GET"]),
            (FEATURES, lambda: self._copilot(FEATURES), ["GET"]),
            (MODELS, lambda: self._copilot(MODELS), ["GET"]),
            (f"{SAVE_URL}#post", self._save, ["POST"]),
        ]
        for path in PLACEHOLDERS:
            routes.append((path, lambda path=path: self._placeholder(path), ["GET"]))
        for rule, view, methods in routes:
            app.add_url_rule(rule.partition("#")[0], endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _missing(_: Exception) -> tuple[str, int]:
            return self._not_found()

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        def email_arg() -> str:
            data = request.get_json(silent=True) or {}
            return str(data.get("email") or "")

        @bp.post("/email_code")
        def email_code() -> Response | tuple[Response, int]:
            code = self.email_code(email_arg())
            return jsonify({"code": code}) if code else json_error("no code sent", 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = GitHubCopilotReplica

__all__ = ["PLANS", "SETTING_ID", "GitHubCopilotReplica", "Replica", "Variants"]
