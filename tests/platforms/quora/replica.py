"""A local replica of Quora's sign-in and Privacy settings pages (shared/platforms/quora.md).

    replica = QuoraReplica()
    replica.add_account("alice@example.com", "secret", challenge="email_code", totp_secret=None)
    replica.configure(deep_link="404", save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"llm-training": True when the switch is Off on the server}

Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import io
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pyotp
from flask import Flask, Response, g, jsonify, redirect, request
from PIL import Image, ImageDraw, ImageFont

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

SETTING_ID = "llm-training"
PRIVACY = "/settings/privacy"  # quora.md's deep link (unsure)
MOVED_PRIVACY = "/settings/privacy-and-data"  # invented: where a release without PRIVACY keeps the switch
SETTINGS = "/settings"
OTHER_TABS = {"/settings/notifications": ("Email & Notifications", "Choose which emails Quora sends you."),
              "/settings/languages": ("Languages", "Add languages you know to see content in them."),
              "/settings/subscriptions": ("Subscriptions & Billing", "You have no subscriptions.")}
SAVE_URL = "/api/settings/privacy"  # invented: quora.md does not know how the switch saves
SESSION_COOKIE = "m-b"
CSRF_COOKIE = "m-csrf"
FORMKEY_HEADER = "quora-formkey"
YEAR = 365 * 24 * 3600
CHALLENGES: tuple[str, ...] = ("email_code",)
CAPTCHA_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_BY_KEY = {r.key: r for r in pages.ROWS}


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
    # quora.md's deep link is unsure: "works" (it holds the switch), "settings" (it redirects to the Account
    # tab of Settings) or "404" (it is a Page Not Found); in the last two the switch is at MOVED_PRIVACY.
    deep_link: Literal["works", "settings", "404"] = "works"
    signin_page: Literal["login", "landing"] = "login"  # where signed-out visitors are sent
    two_step_signin: bool = False
    captcha: bool = False
    switch_unnamed: bool = False  # the switch without aria-labelledby: only beside its label


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    available: bool
    initial: bool  # llm_training as added, for reset()
    challenge: str | None
    totp_secret: str | None
    llm_training: bool = True
    settings: dict[str, bool] = field(default_factory=lambda: {r.slug: r.default for r in pages.NEIGHBOURS})
    saves: int = 0
    other_saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    codes_sent: int = 0
    email_code: str | None = None

    def restore(self) -> None:
        self.llm_training = self.initial
        self.settings = {r.slug: r.default for r in pages.NEIGHBOURS}
        self.saves = self.other_saves = self.sign_ins = self.failed_logins = self.failed_challenges = 0
        self.codes_sent = 0
        self.email_code = None

    @property
    def profile(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", self.name).strip("-") or "Member"


@dataclass
class Pending:
    """A sign-in under way: the steps still to pass (after the email in two-step, or the password)."""

    email: str
    target: str
    steps: list[str]  # "password", "captcha", "email_code", "totp"
    captcha: str = ""


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
    words = [w for w in re.split(r"[._\-+]+", local) if w]
    return " ".join(w.capitalize() for w in words) or "Member"


def _mask(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


class QuoraReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # session cookie value -> email
        self._formkeys: dict[str, str] = {}  # session cookie value -> formkey (the save's CSRF header)
        self._pending: dict[str, Pending] = {}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, llm_training: bool | str = True,
                    available: bool | str = True, challenge: str | None = None,
                    totp_secret: str | None = None) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if challenge not in (None, *CHALLENGES):
            raise ValueError(f"challenge must be one of {CHALLENGES} or None")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        value = _flag("llm_training", llm_training)
        acct = Account(email=email, password=password, name=name or _default_name(email),
                       available=_flag("available", available), initial=value, challenge=challenge,
                       totp_secret=totp_secret or None, llm_training=value)
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
            for store in (self._sessions, self._formkeys, self._pending):
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
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """Opted out when "Allow large language models to be trained on your content" is Off on the server."""
        with self._lock:
            return {SETTING_ID: self._get(email).llm_training is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": the switch back On (the replica's default) for one account or all."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.llm_training = True
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last sign-in code "mailed" to the member (what they would read in their mailbox)."""
        with self._lock:
            return self._get(email).email_code

    def captcha_text(self, email: str) -> str | None:
        """What the picture of the member's pending captcha says (what a person would read off it)."""
        with self._lock:
            who = self._get(email).email
            found = [p.captcha for p in self._pending.values() if p.email == who and p.steps[:1] == ["captcha"]]
            return found[-1] if found else None

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or all); how many ended."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, e in self._sessions.items() if who is None or e == who]
            for token in ended:
                del self._sessions[token]
                self._formkeys.pop(token, None)
            return len(ended)

    # ------------------------------------------------------------ helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "available": acct.available, "challenge": acct.challenge,
            "totp": bool(acct.totp_secret), "llm_training": acct.llm_training, "settings": dict(acct.settings),
            "saves": acct.saves, "other_saves": acct.other_saves, "sign_ins": acct.sign_ins,
            "failed_logins": acct.failed_logins, "failed_challenges": acct.failed_challenges,
            "codes_sent": acct.codes_sent,
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
        """One per request, so that every generated id of a page is unique."""
        if "page" not in g:
            g.page = pages.Page(self.h)
        return g.page

    def _privacy_path(self) -> str:
        """Where this release keeps the switch."""
        return PRIVACY if self.variants.deep_link == "works" else MOVED_PRIVACY

    def _tabs(self) -> list[tuple[str, str]]:
        return [("Account", SETTINGS), ("Privacy", self._privacy_path()),
                *((title, path) for path, (title, _) in OTHER_TABS.items())]

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            return self._accounts.get(email) if email else None

    def _signin_base(self) -> str:
        return "/" if self.variants.signin_page == "landing" else "/login"

    def _to_signin(self) -> Response:
        return redirect(f"{self._signin_base()}?" + urlencode({"next": request.url}))

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (to sign in, and back)."""
        acct = self._member()
        if acct is None:
            resp = self._to_signin()
            if request.cookies.get(SESSION_COOKIE):  # a session the server no longer knows
                resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        if settings_page and self._fire_once("session_expired_once"):
            self._end_session()
            resp = self._to_signin()
            resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        return acct

    def _end_session(self) -> None:
        with self._lock:
            token = request.cookies.get(SESSION_COOKIE, "")
            self._sessions.pop(token, None)
            self._formkeys.pop(token, None)

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after sign-in: a path on this site only. An absolute quora.com URL maps to its
        path, so a link captured on the real domain still works against the replica."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "quora.com" \
                and not host.endswith(".quora.com"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _csrf_ok(self, given: str | None) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        return bool(given) and bool(cookie) and secrets.compare_digest(given or "", cookie)

    def _top(self, acct: Account) -> str:
        return pages.top_bar(self._page(), acct.name, acct.profile)

    # ------------------------------------------------------------ views: sign-in

    def _form(self, target: str, email: str = "", error: str = "") -> str:
        return pages.login_form(self._page(), names=self._names(), csrf=g.csrf, target=target,
                                two_step=self.variants.two_step_signin, email=email, error=error)

    def _login_view(self, target: str, email: str = "", error: str = "") -> str:
        return pages.login_page(self._page(), target=target, form=self._form(target, email, error))

    def _login_get(self) -> Response | str:
        target = self._safe_target(request.args.get("next"))
        if self._member():
            return redirect(target)
        return self._login_view(target)

    def _root(self) -> Response | str:
        acct = self._member()
        if acct is None:
            target = self._safe_target(request.args.get("next"))
            return pages.landing(self._page(), target=target, form=self._form(target))
        if request.args.get("next"):  # signed in already: straight on
            return redirect(self._safe_target(request.args.get("next")))
        return pages.home(self._page(), self._top(acct))

    def _login_post(self) -> Response | str:
        """One-page sign-in (email and password), or the email step of the two-step sign-in."""
        n, form = self._names(), request.form
        target = self._safe_target(form.get(n["target"]))
        email = form.get(n["email"], "").strip().lower()
        if not self._csrf_ok(form.get(n["csrf"])):
            return self._login_view(target, email, "Something went wrong. Please try again.")
        if not email:
            return self._login_view(target, email, "Please enter your email.")
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
        if acct is None:
            return self._login_view(target, email, "No account found for this email. Retry, or sign up for Quora.")
        if n["password"] not in form:  # the two-step page's first step
            token = secrets.token_urlsafe(24)
            with self._lock:
                self._pending[token] = Pending(acct.email, target, ["password"])
            return self._password_step(token, acct.email)
        if not self._password_ok(acct, form.get(n["password"], "")):
            return self._login_view(target, email, "Incorrect password. Reset password or try again.")
        return self._after_password(acct, target)

    def _password_step(self, token: str, email: str, error: str = "") -> str:
        return pages.password_step(self._page(), names=self._names(), csrf=g.csrf, token=token, email=email,
                                   error=error)

    def _password_post(self) -> Response | str:
        """Two-step sign-in, step 2."""
        n, form = self._names(), request.form
        token = form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.steps[:1] != ["password"]:
            return redirect("/login", code=303)
        if not self._csrf_ok(form.get(n["csrf"])):
            return self._password_step(token, pending.email, "Something went wrong. Please try again.")
        acct = self._accounts[pending.email]
        if not self._password_ok(acct, form.get(n["password"], "")):
            return self._password_step(token, pending.email, "Incorrect password. Reset password or try again.")
        with self._lock:
            self._pending.pop(token, None)
        return self._after_password(acct, pending.target)

    def _password_ok(self, acct: Account, password: str) -> bool:
        ok = secrets.compare_digest(password.encode(), acct.password.encode())
        with self._lock:
            if ok:
                acct.sign_ins += 1
            else:
                acct.failed_logins += 1
        return ok

    def _after_password(self, acct: Account, target: str) -> Response | str:
        """A right password: the steps that follow (captcha, emailed code, authenticator), or the session."""
        steps = (["captcha"] if self.variants.captcha else []) + ([acct.challenge] if acct.challenge else []) \
            + (["totp"] if acct.totp_secret else [])
        if not steps:
            return self._sign_in(acct, target)
        token = secrets.token_urlsafe(24)
        pending = Pending(acct.email, target, steps)
        with self._lock:
            self._pending[token] = pending
        return self._step_page(token, pending)

    def _begin_step(self, pending: Pending) -> None:
        """What entering a step does: a new picture, or a code mailed."""
        kind = pending.steps[0]
        with self._lock:
            if kind == "captcha":
                pending.captcha = "".join(secrets.choice(CAPTCHA_CHARS) for _ in range(5))
            elif kind == "email_code":
                acct = self._accounts[pending.email]
                acct.email_code = random_digits(6)
                acct.codes_sent += 1

    def _step_page(self, token: str, pending: Pending, error: str = "", begin: bool = True) -> str:
        if begin:
            self._begin_step(pending)
        kind = pending.steps[0]
        image = f"/login/captcha?{urlencode({'t': token, 'r': secrets.token_hex(4)})}" if kind == "captcha" else ""
        return pages.challenge(self._page(), kind=kind, names=self._names(), csrf=g.csrf, token=token,
                               masked_email=_mask(pending.email), image=image, error=error)

    def _verify_post(self) -> Response | str:
        n, form = self._names(), request.form
        token = form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.steps[0] == "password":
            return redirect("/login", code=303)
        acct = self._accounts[pending.email]
        kind = pending.steps[0]
        answer = re.sub(r"\s+", "", form.get(n["code"], ""))
        if kind == "captcha":
            ok = answer.upper() == pending.captcha
        elif kind == "email_code":
            ok = bool(acct.email_code) and secrets.compare_digest(answer, acct.email_code or "")
        else:
            ok = pyotp.TOTP(acct.totp_secret or "").verify(answer, valid_window=1)
        ok = ok and self._csrf_ok(form.get(n["csrf"]))
        if not ok:
            with self._lock:
                acct.failed_challenges += 1
            errors = {"captcha": "That wasn't right. Try the new picture.",
                      "email_code": "The code is incorrect or has expired.",
                      "totp": "The code is incorrect. Try again."}
            # a wrong captcha gets a new picture; a code stays the one sent
            return self._step_page(token, pending, errors[kind], begin=kind == "captcha")
        with self._lock:
            pending.steps.pop(0)
            if kind == "email_code":
                acct.email_code = None  # used
            if not pending.steps:
                self._pending.pop(token, None)
        if not pending.steps:
            return self._sign_in(acct, pending.target)
        return self._step_page(token, pending)

    def _resend_post(self) -> Response | str:
        n = self._names()
        token = request.form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.steps[0] != "email_code":
            return redirect("/login", code=303)
        return self._step_page(token, pending)

    def _captcha_image(self) -> Response:
        pending = self._pending.get(request.args.get("t", ""))
        if pending is None or pending.steps[0] != "captcha":
            return Response("", status=404)
        return Response(_captcha_png(pending.captcha), mimetype="image/png", headers={"Cache-Control": "no-store"})

    def _sign_in(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = acct.email
            self._formkeys[token] = secrets.token_hex(16)
        resp = redirect(target, code=303)
        resp.set_cookie(SESSION_COOKIE, token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _federated(self, provider: str) -> Response | tuple[str, int]:
        name = pages.PROVIDERS.get(provider)
        if name is None:
            return self._not_found()
        return pages.federated(self._page(), name, self._safe_target(request.args.get("next"))), 502

    def _logout(self) -> Response:
        self._end_session()
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: settings

    def _settings_tab(self, path: str) -> Response | str:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        p = self._page()
        if path == SETTINGS:
            body = pages.account_tab(acct.email)
            return pages.settings_shell(p, self._top(acct), self._tabs(), path, "Account", body)
        title, text = OTHER_TABS[path]
        return pages.settings_shell(p, self._top(acct), self._tabs(), path, title, pages.plain_tab(text))

    def _privacy(self, path: str) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        v = self.variants
        if path != self._privacy_path():
            if path == PRIVACY and v.deep_link == "settings":
                return redirect(SETTINGS)
            return self._not_found()
        p = self._page()
        if self._fire_once("first_load_503"):
            return pages.unavailable(p), 503
        with self._lock:
            values = {**acct.settings, pages.LLM.slug: acct.llm_training}
            formkey = self._formkeys.get(request.cookies.get(SESSION_COOKIE, ""), "")
        body, js = pages.privacy_tab(p, values, show_llm=acct.available, named=not v.switch_unnamed,
                                     late_ms=v.late_render_ms, replace_node=v.replace_node, save_url=SAVE_URL,
                                     formkey=formkey, signin_url=self._signin_base() + "?next=")
        return pages.settings_shell(p, self._top(acct), self._tabs(), path, "Privacy", body, js)

    def _save(self) -> Response | tuple[Response, int]:
        """A switch's background save: JSON {setting: key, value: bool}, formkey header."""
        token = request.cookies.get(SESSION_COOKIE, "")
        acct = self._member()
        if acct is None:
            return json_error("unauthenticated", 401)
        formkey = self._formkeys.get(token, "")
        given = request.headers.get(FORMKEY_HEADER, "")
        if not formkey or not secrets.compare_digest(given, formkey):
            return json_error("invalid formkey", 403)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or set(body) != {"setting", "value"} or not isinstance(body["value"], bool) \
                or body["setting"] not in _BY_KEY:
            return json_error("bad request", 400)
        row, value = _BY_KEY[body["setting"]], body["value"]
        if row is pages.LLM and not acct.available:
            return json_error("not found", 404)
        with self._lock:
            if row is pages.LLM:
                acct.saves += 1
            else:
                acct.other_saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                if row is pages.LLM:
                    acct.llm_training = value
                else:
                    acct.settings[row.slug] = value
        return jsonify({"setting": row.key, "value": value})

    def _not_found(self) -> tuple[str, int]:
        acct = self._member()
        return pages.not_found(self._page(), self._top(acct) if acct else None), 404

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
            if request.cookies.get(CSRF_COOKIE) != g.csrf:  # the sign-in forms echo it in a hidden field
                resp.set_cookie(CSRF_COOKIE, g.csrf, path="/", httponly=True, samesite="Lax")
            resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._root, ["GET"]),
            ("/login", self._login_get, ["GET"]),
            ("/login#post", self._login_post, ["POST"]),
            ("/login/password", self._password_post, ["POST"]),
            ("/login/verify", self._verify_post, ["POST"]),
            ("/login/resend", self._resend_post, ["POST"]),
            ("/login/captcha", self._captcha_image, ["GET"]),
            ("/login/federated/<provider>", self._federated, ["GET"]),
            ("/logout", self._logout, ["GET", "POST"]),
            (SETTINGS, lambda: self._settings_tab(SETTINGS), ["GET"]),
            (PRIVACY, lambda: self._privacy(PRIVACY), ["GET"]),
            (MOVED_PRIVACY, lambda: self._privacy(MOVED_PRIVACY), ["GET"]),
            (SAVE_URL, self._save, ["POST"]),
        ]
        routes += [(path, lambda path=path: self._settings_tab(path), ["GET"]) for path in OTHER_TABS]
        for rule, view, methods in routes:
            app.add_url_rule(rule.partition("#")[0], endpoint=rule, view_func=view, methods=methods)

        @app.route("/settings/<path:rest>")
        def _other_settings(rest: str) -> Response | tuple[str, int]:
            acct = self._guard()  # signed out: sign in first, as on the settings tabs
            return acct if isinstance(acct, Response) else self._not_found()

        @app.errorhandler(404)
        def _missing(_: Exception) -> tuple[str, int]:
            return self._not_found()

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        def email_arg() -> str:
            data = request.get_json(silent=True) or {}
            return str(data.get("email") or request.args.get("email") or "")

        @bp.post("/email_code")
        def email_code() -> Response | tuple[Response, int]:
            try:
                code = self.email_code(email_arg())
            except KeyError as exc:
                return json_error(str(exc), 404)
            return jsonify({"code": code}) if code else json_error("no code sent", 404)

        @bp.get("/captcha")
        def captcha() -> Response | tuple[Response, int]:
            try:
                text = self.captcha_text(email_arg())
            except KeyError as exc:
                return json_error(str(exc), 404)
            return jsonify({"text": text}) if text else json_error("no captcha pending", 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)


def _captcha_png(answer: str) -> bytes:
    """The characters, each turned a little, among strokes: only the pixels tell them."""
    img = Image.new("RGB", (200, 70), (246, 246, 246))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=38)
    for i, ch in enumerate(answer):
        glyph = Image.new("RGBA", (48, 56), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 4), ch, font=font, fill=(60, 30, 30, 255))
        glyph = glyph.rotate(secrets.randbelow(41) - 20, resample=Image.Resampling.BICUBIC, expand=False)
        img.paste(glyph, (6 + i * 38, 4 + secrets.randbelow(10)), glyph)
    for _ in range(8):
        x, y = secrets.randbelow(200), secrets.randbelow(70)
        draw.line((x, y, x + secrets.randbelow(80) - 40, y + secrets.randbelow(40) - 20),
                  fill=(120 + secrets.randbelow(100),) * 3, width=2)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = QuoraReplica

__all__ = ["MOVED_PRIVACY", "PRIVACY", "SAVE_URL", "SETTING_ID", "QuoraReplica", "Replica", "Variants"]
