"""A local replica of X's sign-in flow and Grok settings (shared/platforms/x.md).

    replica = XReplica()
    replica.add_account("alice@example.com", "secret", unusual_activity=True, totp_secret="BASE32…")
    replica.configure(save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")           # {"grok-training": bool}

Tests judge by the server-side state (`state()`, `/__replica__/state`), never by the page.
See README.md for the pages, the variants and every choice made where x.md is silent.
"""

from __future__ import annotations

import dataclasses
import io
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pyotp
from flask import Flask, Response, jsonify, redirect, request
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
from . import texts as T

SETTING_ID = "grok-training"
TASK_API = "/i/api/1.1/onboarding/task.json"
GROK_API = "/i/api/1.1/grok/settings.json"  # invented: x.md does not know how the checkbox saves
DELETE_API = "/i/api/1.1/grok/conversations/delete.json"  # invented too
# The save API's form fields (invented; they live only in the page's script config and the request).
FIELDS = {"training": "allow_grok_training", "personalization": "allow_grok_personalization",
          "memory": "allow_grok_memory"}
YEAR = 365 * 24 * 3600

# The login flow's subtasks (X's onboarding task names), in the order they can come.
IDENT = "LoginEnterUserIdentifierSSO"
ALT = "LoginEnterAlternateIdentifierSubtask"
PASSWORD = "LoginEnterPassword"
TFA = "LoginTwoFactorAuthChallenge"
PUZZLE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


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
    something_went_wrong_once: bool = False
    older_release: bool = False
    save_mode: Literal["instant", "button"] = "instant"


ONE_SHOTS = ("save_fails_once", "first_load_503", "session_expired_once", "something_went_wrong_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    username: str
    phone: str | None
    totp_secret: str | None
    unusual_activity: bool
    account_check: bool
    available: bool
    grok_training: bool = True
    grok_personalization: bool = True
    grok_memory: bool = True
    history_deletions: int = 0
    other_writes: list[dict[str, Any]] = field(default_factory=list)
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    account_checks_passed: int = 0
    check_pending: bool = False

    def __post_init__(self) -> None:
        self.check_pending = self.account_check

    def restore(self) -> None:
        """As when added."""
        self.grok_training = self.grok_personalization = self.grok_memory = True
        self.history_deletions = self.saves = self.sign_ins = self.failed_logins = 0
        self.failed_challenges = self.account_checks_passed = 0
        self.other_writes = []
        self.check_pending = self.account_check


@dataclass
class Session:
    email: str
    ct0: str
    locked: bool  # the account check at /account/access is still to pass


@dataclass
class LoginFlow:
    target: str
    stage: str = IDENT
    email: str | None = None
    identifier: str = ""


def _flag(name: str, value: Any) -> bool:
    """A boolean option, also from the command line's strings ("true", "0", …)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", "", "none"):
        return False
    raise ValueError(f"{name}: {value!r} is not a boolean")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _x_error(code: int, message: str, status: int) -> tuple[Response, int]:
    """X's API error shape."""
    return jsonify({"errors": [{"code": code, "message": message}]}), status


class XReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}  # auth_token -> session
        self._flows: dict[str, LoginFlow] = {}  # flow_token -> login flow (a new token per answer)
        self._puzzles: dict[str, str] = {}  # email -> the characters of the /account/access picture
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, username: str | None = None,
                    phone: str | None = None, totp_secret: str | None = None, unusual_activity: Any = False,
                    account_check: Any = False, available: Any = True) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        email = email.strip().lower()
        local = email.split("@", 1)[0]
        handle = (username or re.sub(r"[^A-Za-z0-9_]", "_", local)[:15]).lstrip("@")
        if not re.fullmatch(r"[A-Za-z0-9_]{1,15}", handle):
            raise ValueError(f"username {handle!r}: 1-15 letters, digits or _")
        if phone and len(_digits(phone)) < 6:
            raise ValueError(f"phone {phone!r} has too few digits")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        acct = Account(email=email, password=password, name=name or local.replace(".", " ").title(),
                       username=handle, phone=phone or None, totp_secret=totp_secret or None,
                       unusual_activity=_flag("unusual_activity", unusual_activity),
                       account_check=_flag("account_check", account_check),
                       available=_flag("available", available))
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
                self.h.renew()  # another release: other class names

    def reset(self, drop_accounts: bool = False) -> None:
        with self._lock:
            self.variants = Variants()
            for store in (self._sessions, self._flows, self._puzzles):
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
            return {"variants": dataclasses.asdict(self.variants),
                    "accounts": {e: self._account_state(a) for e, a in self._accounts.items()},
                    "unknown_logins": self._unknown_logins,
                    "page_requests": dict(self._page_requests)}

    def opted_out(self, email: str) -> dict[str, bool]:
        """The server holds the member as opted out when the Grok training checkbox is unchecked."""
        with self._lock:
            return {SETTING_ID: self._get(email).grok_training is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """X checks the Grok training checkbox again (a "policy update"); the other controls stay."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.grok_training = True
            return [a.email for a in targets]

    def account_check_answer(self, email: str) -> str | None:
        """What the person reads in the /account/access picture (None before they press Start)."""
        with self._lock:
            return self._puzzles.get(self._get(email).email)

    # ------------------------------------------------------------ state helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, a: Account) -> dict[str, Any]:
        return {
            "email": a.email, "name": a.name, "username": a.username, "phone": a.phone,
            "totp": bool(a.totp_secret), "unusual_activity": a.unusual_activity, "account_check": a.account_check,
            "account_check_pending": a.check_pending, "available": a.available,
            "grok_training": a.grok_training, "grok_personalization": a.grok_personalization,
            "grok_memory": a.grok_memory, "history_deletions": a.history_deletions,
            "other_writes": [dict(w) for w in a.other_writes],
            "saves": a.saves, "sign_ins": a.sign_ins, "failed_logins": a.failed_logins,
            "failed_challenges": a.failed_challenges, "account_checks_passed": a.account_checks_passed,
            "sessions": sum(1 for s in self._sessions.values() if s.email == a.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _find(self, identifier: str) -> Account | None:
        """The first step takes a phone number, an email address or a username (with or without @)."""
        value = identifier.strip().lower()
        for acct in self._accounts.values():
            if value in (acct.email, acct.username.lower(), "@" + acct.username.lower()):
                return acct
            if acct.phone and _digits(value) and _digits(value) == _digits(acct.phone):
                return acct
        return None

    @staticmethod
    def _alt_ok(acct: Account, answer: str) -> bool:
        """The unusual-activity step wants the username (or email), or the phone number."""
        value = answer.strip().lower().lstrip("@")
        if value in (acct.username.lower(), acct.email):
            return True
        return bool(acct.phone and _digits(value) and _digits(value) == _digits(acct.phone))

    # ------------------------------------------------------------ request helpers

    def _page(self) -> pages.Page:
        return pages.Page(self.h, self.variants.older_release)

    def _session(self) -> Session | None:
        with self._lock:
            return self._sessions.get(request.cookies.get("auth_token", ""))

    def _view(self, acct: Account) -> dict[str, Any]:
        return {"name": acct.name, "username": acct.username}

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to land after sign-in: a path on this site (an x.com/twitter.com URL maps to its path)."""
        if not raw:
            return "/home"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and not re.search(r"(^|\.)(x|twitter)\.com$", host):
            return "/home"
        path = parts.path or "/home"
        if not path.startswith("/") or path.startswith("//") or path.startswith(("/i/flow", "/login", "/logout")):
            return "/home"
        return path + (f"?{parts.query}" if parts.query else "")

    def _to_login(self) -> Response:
        here = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        resp = redirect("/i/flow/login?" + urlencode({"redirect_after_login": here}))
        if request.cookies.get("auth_token"):  # a session the server no longer knows: drop the cookie
            resp.delete_cookie("auth_token", path="/")
        return resp

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or where the visitor is sent instead."""
        sess = self._session()
        if sess is None:
            return self._to_login()
        if sess.locked:
            return redirect("/account/access")
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get("auth_token", ""), None)
            return self._to_login()
        return self._accounts[sess.email]

    def _api_member(self, need_csrf: bool = True) -> Account | tuple[Response, int]:
        """The member behind an API call: session, not locked, and ct0 == x-csrf-token."""
        sess = self._session()
        if sess is None:
            return _x_error(32, "Could not authenticate you.", 401)
        if sess.locked:
            return _x_error(326, "To protect our users from spam and other malicious activity, this account is "
                                 "temporarily locked.", 403)
        given = request.headers.get("x-csrf-token", "")
        cookie = request.cookies.get("ct0", "")
        if need_csrf and not (given and secrets.compare_digest(given, cookie)
                              and secrets.compare_digest(given, sess.ct0)):
            return _x_error(353, "This request requires a matching csrf cookie and header.", 403)
        acct = self._accounts[sess.email]
        if not acct.available:
            return _x_error(34, "Sorry, that page does not exist.", 404)
        return acct

    def _start_session(self, acct: Account, resp: Response) -> None:
        token, ct0 = secrets.token_hex(20), secrets.token_hex(80)
        with self._lock:
            self._sessions[token] = Session(acct.email, ct0, locked=acct.check_pending)
        resp.set_cookie("auth_token", token, max_age=5 * YEAR, path="/", httponly=True, samesite="Lax")
        resp.set_cookie("ct0", ct0, max_age=5 * YEAR, path="/", samesite="Lax")
        resp.set_cookie("twid", f"u%3D{random_digits(19)}", max_age=5 * YEAR, path="/", samesite="Lax")

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
        def _headers(resp: Response) -> Response:
            if request.path.startswith(CONTROL_PREFIX):
                return resp
            resp.headers.setdefault("Cache-Control", "no-cache, no-store, must-revalidate")
            sess = self._session()
            # A signed-in page load without the ct0 cookie gets it back (the app needs it for CSRF).
            if sess and resp.mimetype == "text/html" and request.cookies.get("ct0") != sess.ct0:
                resp.set_cookie("ct0", sess.ct0, max_age=5 * YEAR, path="/", samesite="Lax")
            return resp

        routes: list[tuple[str, Any, list[str]]] = [
            ("/", self._root, ["GET"]),
            ("/login", self._login_alias, ["GET"]),
            ("/i/flow/login", self._login_page, ["GET"]),
            ("/i/flow/two-factor", self._login_page, ["GET"]),
            (TASK_API, self._task, ["POST"]),
            ("/home", self._home, ["GET"]),
            ("/settings", self._settings_root, ["GET"]),
            ("/settings/<slug>", self._settings, ["GET"]),
            (GROK_API, self._grok_api, ["GET", "POST"]),
            (DELETE_API, self._delete_history, ["POST"]),
            ("/account/access", self._access, ["GET", "POST"]),
            ("/account/access/challenge.png", self._access_image, ["GET"]),
            ("/logout", self._logout, ["GET", "POST"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int]:
            sess = self._session()
            acct = self._accounts.get(sess.email) if sess and not sess.locked else None
            return pages.not_found(self._page(), self._view(acct) if acct else None), 404

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        @bp.get("/account_check")
        def account_check() -> Response | tuple[Response, int]:
            """`?email=`: the characters in the member's /account/access picture (the person reads them)."""
            data = request.get_json(silent=True) or {}
            email = str(request.args.get("email") or data.get("email") or "")
            try:
                answer = self.account_check_answer(email)
            except KeyError as exc:
                return json_error(str(exc), 404)
            return jsonify({"answer": answer}) if answer else json_error("no picture shown yet", 404)

        app.register_blueprint(bp)

    # ------------------------------------------------------------ views: signed out and sign-in

    def _root(self) -> Response | str:
        sess = self._session()
        if sess:
            return redirect("/account/access" if sess.locked else "/home")
        return pages.landing(self._page())

    def _login_alias(self) -> Response:
        query = request.query_string.decode()
        return redirect("/i/flow/login" + (f"?{query}" if query else ""))

    def _login_page(self) -> Response | str:
        target = self._safe_target(request.args.get("redirect_after_login"))
        sess = self._session()
        if sess:
            return redirect("/account/access" if sess.locked else target)
        return pages.login(self._page(), api=TASK_API, redirect=target,
                           resume=request.path == "/i/flow/two-factor")

    def _task(self) -> Response | tuple[Response, int]:
        """The login flow's background API: `{flow_name, redirect_after_login}` starts a flow;
        `{flow_token}` alone says where it stands; `{flow_token, subtask_id, text}` answers a step.
        Every answer carries a new flow token; the old one is spent."""
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        token = str(body.get("flow_token") or "")
        with self._lock:
            if not token:
                if body.get("flow_name") != "login":
                    return _x_error(366, "flow name LoginFlow is currently not accessible", 400)
                return self._step(LoginFlow(target=self._safe_target(body.get("redirect_after_login"))))
            flow = self._flows.pop(token, None)
            if flow is None:
                return _x_error(399, "Invalid or expired flow token.", 400)
            subtask = body.get("subtask_id")
            if subtask is None:
                return self._step(flow)
            if subtask != flow.stage:
                return _x_error(399, "Unexpected subtask.", 400)
            value = str(body.get("text") or "")
            return self._answer(flow, value)

    def _answer(self, flow: LoginFlow, value: str) -> Response | tuple[Response, int]:
        acct = self._accounts.get(flow.email or "")
        if flow.stage == IDENT:
            found = self._find(value)
            if found is None:
                self._unknown_logins += 1
                return self._step(flow, T.LOGIN["err_unknown"])
            flow.email, flow.identifier = found.email, value.strip()
            flow.stage = ALT if found.unusual_activity else PASSWORD
            return self._step(flow)
        if acct is None:  # cannot happen past the first step; start again
            return _x_error(399, "Invalid flow.", 400)
        if flow.stage == ALT:
            if not self._alt_ok(acct, value):
                acct.failed_challenges += 1
                return self._step(flow, T.LOGIN["err_alt"])
            flow.stage = PASSWORD
            return self._step(flow)
        if flow.stage == PASSWORD:
            if not secrets.compare_digest(value.encode(), acct.password.encode()):
                acct.failed_logins += 1
                return self._step(flow, T.LOGIN["err_password"])
            acct.sign_ins += 1
            if acct.totp_secret:
                flow.stage = TFA
                return self._step(flow)
            return self._finish(acct, flow)
        # TFA
        if not (acct.totp_secret and pyotp.TOTP(acct.totp_secret).verify(value.strip(), valid_window=1)):
            acct.failed_challenges += 1
            return self._step(flow, T.LOGIN["err_code"])
        return self._finish(acct, flow)

    def _step(self, flow: LoginFlow, error: str = "") -> Response:
        token = secrets.token_hex(16) + random_digits(8)
        self._flows[token] = flow
        return jsonify({"flow_token": token, "subtask": flow.stage, "error": error, "identifier": flow.identifier})

    def _finish(self, acct: Account, flow: LoginFlow) -> Response:
        target = "/account/access" if acct.check_pending else flow.target
        resp = jsonify({"subtask": "LoginSuccessSubtask", "redirect": target})
        self._start_session(acct, resp)
        return resp

    # ------------------------------------------------------------ views: signed in

    def _home(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.home(self._page(), self._view(acct))

    def _settings_root(self) -> Response:
        acct = self._guard(settings_page=True)
        return acct if isinstance(acct, Response) else redirect("/settings/account")

    def _settings(self, slug: str) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        p = self._page()
        if slug == "privacy_and_safety":
            return pages.privacy_page(p, self._view(acct), grok_row=acct.available)
        if slug == T.GROK_SLUG:
            if not acct.available:
                # The feature switch is off for this member: the route is not there, so the app lands
                # on Privacy and safety, whose Data sharing section has no Grok row.
                return redirect("/settings/privacy_and_safety")
            if self._fire_once("first_load_503"):
                return pages.error_page(p), 503
            v = self.variants
            return pages.grok_page(p, self._view(acct), api=GROK_API, delete_api=DELETE_API, fields=FIELDS,
                                   save_mode=v.save_mode, late_ms=v.late_render_ms, replace_node=v.replace_node)
        if slug in T.GENERIC_PAGES:
            return pages.generic_setting(p, self._view(acct), slug, T.GENERIC_PAGES[slug])
        return pages.not_found(p, self._view(acct)), 404

    def _grok_api(self) -> Response | tuple[Response, int]:
        """GET: the page's values. POST (form fields of FIELDS, "true"/"false"): saves them."""
        acct = self._api_member()
        if not isinstance(acct, Account):
            return acct
        if request.method == "GET":
            if self._fire_once("something_went_wrong_once"):
                return _x_error(131, "Internal error.", 500)
            with self._lock:
                return jsonify(self._values(acct))
        form = request.form
        names = {v: k for k, v in FIELDS.items()}
        if not form or any(k not in names or form[k] not in ("true", "false") for k in form):
            return _x_error(214, "Bad request.", 400)
        changes = {names[k]: form[k] == "true" for k in form}
        with self._lock:
            if "training" in changes:
                acct.saves += 1
                if self._fire_once("save_fails_once"):
                    return _x_error(131, "Internal error.", 500)
                if not self.variants.save_never_persists:
                    acct.grok_training = changes["training"]
            for key in ("personalization", "memory"):
                if key in changes:
                    setattr(acct, f"grok_{key}", changes[key])
                    acct.other_writes.append({"setting": key, "value": changes[key]})
            # The answer echoes what was asked, even when the server did not keep it.
            return jsonify({**self._values(acct), **{FIELDS[k]: v for k, v in changes.items()}})

    @staticmethod
    def _values(acct: Account) -> dict[str, bool]:
        return {FIELDS["training"]: acct.grok_training, FIELDS["personalization"]: acct.grok_personalization,
                FIELDS["memory"]: acct.grok_memory}

    def _delete_history(self) -> Response | tuple[Response, int]:
        acct = self._api_member()
        if not isinstance(acct, Account):
            return acct
        with self._lock:
            acct.history_deletions += 1
        return jsonify({"deleted": True})

    # ------------------------------------------------------------ /account/access: needs a person

    def _access(self) -> Response | str:
        sess = self._session()
        if sess is None:
            return self._to_login()
        if not sess.locked:
            return redirect("/home")
        p = self._page()
        email = sess.email
        if request.method == "GET":
            with self._lock:
                started = email in self._puzzles
            return pages.access_page(p, stage="puzzle" if started else "intro", image=self._image_src())
        step = request.form.get("step", "")
        with self._lock:
            if step == "start" or email not in self._puzzles:
                self._puzzles[email] = "".join(secrets.choice(PUZZLE_CHARS) for _ in range(5))
                return redirect("/account/access", code=303)
            answer = re.sub(r"\s+", "", request.form.get("answer", "")).upper()
            acct = self._accounts[email]
            if not secrets.compare_digest(answer.encode(), self._puzzles[email].encode()):
                acct.failed_challenges += 1
                self._puzzles[email] = "".join(secrets.choice(PUZZLE_CHARS) for _ in range(5))
                return pages.access_page(p, stage="puzzle", image=self._image_src(), error=T.ACCESS["wrong"])
            del self._puzzles[email]
            acct.check_pending = False
            acct.account_checks_passed += 1
            for s in self._sessions.values():
                if s.email == email:
                    s.locked = False
        return pages.access_page(p, stage="done")

    @staticmethod
    def _image_src() -> str:
        return "/account/access/challenge.png?" + urlencode({"r": secrets.token_hex(6)})

    def _access_image(self) -> Response:
        sess = self._session()
        with self._lock:
            answer = self._puzzles.get(sess.email) if sess else None
        if not answer:
            return Response("", status=404)
        return Response(_puzzle_png(answer), mimetype="image/png", headers={"Cache-Control": "no-store"})

    def _logout(self) -> Response | str:
        if request.method == "GET":  # X asks first
            p = self._page()
            body = (f'<main role="main" class="{p.h("narrow")}"><h1>Log out of X?</h1><form method="post">'
                    f'<button type="submit" class="{p.c("pill")}">Log out</button></form>'
                    f'<a href="/home">{T.CANCEL}</a></main>')
            return pages.document(p, "Log out / X", body)
        with self._lock:
            self._sessions.pop(request.cookies.get("auth_token", ""), None)
        resp = redirect("/", code=303)
        for name in ("auth_token", "ct0", "twid"):
            resp.delete_cookie(name, path="/")
        return resp


def _puzzle_png(answer: str) -> bytes:
    """The characters, each turned a little, among strokes: only the pixels tell them."""
    img = Image.new("RGB", (220, 70), (245, 248, 250))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=38)
    for i, ch in enumerate(answer):
        glyph = Image.new("RGBA", (48, 56), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 4), ch, font=font, fill=(20, 30, 60, 255))
        glyph = glyph.rotate(secrets.randbelow(41) - 20, resample=Image.Resampling.BICUBIC, expand=False)
        img.paste(glyph, (8 + i * 41, 4 + secrets.randbelow(10)), glyph)
    for _ in range(8):
        x, y = secrets.randbelow(220), secrets.randbelow(70)
        draw.line((x, y, x + secrets.randbelow(80) - 40, y + secrets.randbelow(40) - 20),
                  fill=(120 + secrets.randbelow(100),) * 3, width=2)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = XReplica

__all__ = ["FIELDS", "GROK_API", "SETTING_ID", "TASK_API", "Replica", "Variants", "XReplica"]
