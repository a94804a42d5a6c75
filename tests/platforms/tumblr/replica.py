"""A local replica of Tumblr's log-in and blog settings pages (shared/platforms/tumblr.md).

    replica = TumblrReplica()
    replica.add_account("alice@example.com", "secret", objects=["alice", "alice-art"])
    replica.configure(login_one_page=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"prevent-third-party-sharing": every blog's switch On}
    replica.objects("alice@example.com")    # {"alice": bool, "alice-art": bool}

Opted out = the switch ON ("Prevent third-party sharing for <blog>"); Tumblr's default is Off.
Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
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
from .pages import AI_KEY, BLOGS_PER_BATCH, DEFAULTS

SETTING_ID = "prevent-third-party-sharing"
SESSION_COOKIE = "sid"
FORM_COOKIE = "logged_out_form_key"
BLOGS_API = "/api/v2/user/settings/blogs"
YEAR = 365 * 24 * 3600
BLOG_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
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
    login_one_page: bool = False  # email and password on one page (default: email, "Next", password)
    deep_link_moved: bool = False  # blog settings at /blog/<name>/settings; /settings/blog/<name> is a 404


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Blog:
    name: str
    title: str
    settings: dict[str, bool]
    saves: int = 0  # saves of the third-party switch that reached the server


@dataclass
class Account:
    email: str
    password: str
    name: str
    available: bool
    totp_secret: str | None
    initial: list[tuple[str, dict[str, bool]]]  # the blogs as added, for reset()
    blogs: dict[str, Blog] = field(default_factory=dict)  # in the account's order; the first is primary
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0

    def restore(self) -> None:
        self.blogs = {n: _blog(n, dict(s)) for n, s in self.initial}
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = 0


@dataclass
class Session:
    email: str
    csrf: str  # the page's token the background save sends back in `x-csrf`


@dataclass
class Pending:
    """A log-in under way: after the email (step 2: password), or after the password (code step)."""

    email: str
    target: str
    stage: str  # "password" | "code"


def _blog(name: str, settings: dict[str, bool]) -> Blog:
    return Blog(name=name, title=name.replace("-", " ").title(), settings=settings)


def _flag(name: str, value: Any) -> bool:
    """A boolean option, also given as a string (python -m tests.replicas passes strings)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _names(option: str, value: str | Iterable[str] | None) -> list[str]:
    """A list of blog names, or one string of them separated by commas, semicolons, '|' or spaces (the
    command line's own option list is comma-separated, so `objects=art|notes` gets through it)."""
    if value is None:
        return []
    items = re.split(r"[,;|\s]+", value) if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{option}: {item!r} is not a blog name")
        name = item.strip().lower()
        if not name:
            continue
        if not BLOG_NAME.fullmatch(name):
            raise ValueError(f"{option}: {item!r} is not a blog name (letters, digits, '-', at most 32)")
        if name in out:
            raise ValueError(f"{option}: {name!r} given twice")
        out.append(name)
    return out


def _default_blog(email: str) -> str:
    local = re.sub(r"[^a-z0-9]+", "-", email.split("@", 1)[0].lower()).strip("-")[:32].strip("-")
    return local or "my-blog"


def _default_name(email: str) -> str:
    words = re.split(r"[._\-+]+", email.split("@", 1)[0])
    return " ".join(w.capitalize() for w in words if w) or "Member"


class TumblrReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}  # session cookie value -> session
        self._pending: dict[str, Pending] = {}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None,
                    objects: str | Iterable[str] | None = None, discourage_searching: str | Iterable[str] | None = None,
                    prevented: str | Iterable[str] | None = None, available: bool | str = True,
                    totp_secret: str | None = None) -> dict[str, Any]:
        """`objects`: the account's blog names (default: one, named from the email; `[]`: none).
        `discourage_searching`: blogs with "discourage searching" set, whose third-party switch was
        therefore turned On too (tumblr.md). `prevented`: blogs whose switch is already On.
        `available=False`: Tumblr does not offer this member the switch."""
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        blogs = [_default_blog(email)] if objects is None else _names("objects", objects)
        hidden = _names("discourage_searching", discourage_searching)
        done = _names("prevented", prevented)
        for option, given in (("discourage_searching", hidden), ("prevented", done)):
            stray = sorted(set(given) - set(blogs))
            if stray:
                raise ValueError(f"{option}: {', '.join(stray)} not among the account's blogs")
        initial = [(n, {**DEFAULTS, "discourage_searching": n in hidden, AI_KEY: n in hidden or n in done})
                   for n in blogs]
        acct = Account(email=email, password=password, name=name or _default_name(email),
                       available=_flag("available", available), totp_secret=totp_secret or None, initial=initial)
        acct.restore()
        with self._lock:
            self._accounts[email] = acct
            return self._account_state(acct)

    def add_object(self, email: str, name: str) -> dict[str, Any]:
        """A blog created later: Tumblr's defaults, so not opted out. -> the account's state."""
        with self._lock:
            acct = self._get(email)
            names = _names("name", [name])
            if len(names) != 1:
                raise ValueError("a blog needs a name")
            if names[0] in acct.blogs:
                raise ValueError(f"the account already has a blog {names[0]!r}")
            acct.blogs[names[0]] = _blog(names[0], dict(DEFAULTS))
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

    def objects(self, email: str) -> dict[str, bool]:
        """Per blog of the account: is its "Prevent third-party sharing" switch On on the server?"""
        with self._lock:
            return {b.name: b.settings[AI_KEY] for b in self._get(email).blogs.values()}

    def opted_out(self, email: str) -> dict[str, bool]:
        """Opted out only when every blog's switch is On (an account without blogs: nothing to do)."""
        return {SETTING_ID: all(self.objects(email).values())}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": every blog back to Tumblr's default (sharing allowed, the switch Off)."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                for blog in acct.blogs.values():
                    blog.settings[AI_KEY] = False
            return [a.email for a in targets]

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or all); how many ended."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, s in self._sessions.items() if who is None or s.email == who]
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
            "email": acct.email, "name": acct.name, "available": acct.available, "totp": bool(acct.totp_secret),
            "blogs": {b.name: {"title": b.title, **b.settings, "saves": b.saves} for b in acct.blogs.values()},
            "objects": {b.name: b.settings[AI_KEY] for b in acct.blogs.values()},
            "saves": acct.saves, "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges,
            "sessions": sum(1 for s in self._sessions.values() if s.email == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _fields(self) -> dict[str, str]:
        """Form-field names: hashed per replica instance, so no flow can know them beforehand."""
        return {k: self.h(f"field:{k}") for k in ("email", "password", "code", "form_key", "target", "token")}

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _session(self) -> Session | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))

    def _member(self) -> Account | None:
        s = self._session()
        return self._accounts.get(s.email) if s else None

    def _to_login(self) -> Response:
        target = request.full_path.rstrip("?")
        return redirect("/login?" + urlencode({"redirect_to": target}))

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
        """Where to go after log-in: a path on this site only. An absolute tumblr.com URL maps to its
        path, so a link captured on the real domain still works against the replica."""
        if not raw:
            return "/dashboard"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "tumblr.com" \
                and not host.endswith(".tumblr.com"):
            return "/dashboard"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/dashboard"
        return (parts.path or "/dashboard") + (f"?{parts.query}" if parts.query else "")

    def _form_key_ok(self) -> bool:
        cookie = request.cookies.get(FORM_COOKIE, "")
        given = request.form.get(self._fields()["form_key"], "")
        return bool(cookie) and secrets.compare_digest(given.encode(), cookie.encode())

    def _not_found(self) -> tuple[str, int]:
        return pages.error_page(self._page(), "There's nothing here.",
                                "Whatever you were looking for isn't here."), 404

    def _side(self, acct: Account, active: str) -> tuple[str, str]:
        with self._lock:
            blogs = [(b.name, b.title) for b in acct.blogs.values()]
        return pages.sidebar(self._page(), blogs=blogs[:BLOGS_PER_BATCH], total=len(blogs), active=active,
                             moved=self.variants.deep_link_moved)

    # ------------------------------------------------------------ views: log in

    def _hidden(self, **extra: str) -> dict[str, str]:
        f = self._fields()
        return {f["form_key"]: g.form_key, **{f[k]: v for k, v in extra.items()}}

    def _login_page(self, target: str, email: str = "", error: str = "") -> str:
        return pages.login(self._page(), names=self._fields(), hidden=self._hidden(target=target), target=target,
                           one_page=self.variants.login_one_page, email=email, error=error)

    def _password_page(self, token: str, email: str, error: str = "") -> str:
        return pages.login_password(self._page(), names=self._fields(), hidden=self._hidden(token=token),
                                    email=email, error=error)

    def _code_page(self, token: str, error: str = "") -> str:
        return pages.login_code(self._page(), names=self._fields(), hidden=self._hidden(token=token), error=error)

    def _login_get(self) -> Response | str:
        target = self._safe_target(request.args.get("redirect_to"))
        if self._member():
            return redirect(target)
        return self._login_page(target)

    def _login_post(self) -> Response | str:
        """Every step of logging in posts to /login: the email (and, one-page, the password), the
        password of step 2, or the two-factor code; a hidden token says which log-in it continues."""
        f, form = self._fields(), request.form
        token = form.get(f["token"], "")
        if token:
            pending = self._pending.get(token)
            if pending is None:
                return redirect("/login", code=303)
            if f["code"] in form:
                return self._code_post(token, pending)
            return self._password_post(token, pending)
        target = self._safe_target(form.get(f["target"]))
        email = form.get(f["email"], "").strip().lower()
        if not self._form_key_ok():
            return self._login_page(target, email, "Something went wrong. Please try again.")
        if not email:
            return self._login_page(target, email, "Enter your email.")
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
        if f["password"] not in form:  # step 1 of the two-step log-in
            if acct is None:
                return self._login_page(target, email, "We couldn't find an account with that email.")
            new = secrets.token_urlsafe(24)
            with self._lock:
                self._pending[new] = Pending(email, target, "password")
            return self._password_page(new, email)
        if acct is None or not self._password_ok(acct, form.get(f["password"], "")):
            return self._login_page(target, email, "Your email or password were incorrect.")
        return self._after_password(acct, target)

    def _password_post(self, token: str, pending: Pending) -> Response | str:
        if pending.stage != "password":
            return redirect("/login", code=303)
        if not self._form_key_ok():
            return self._password_page(token, pending.email, "Something went wrong. Please try again.")
        acct = self._accounts[pending.email]
        if not self._password_ok(acct, request.form.get(self._fields()["password"], "")):
            return self._password_page(token, pending.email, "Your email or password were incorrect.")
        with self._lock:
            self._pending.pop(token, None)
        return self._after_password(acct, pending.target)

    def _code_post(self, token: str, pending: Pending) -> Response | str:
        if pending.stage != "code":
            return redirect("/login", code=303)
        acct = self._accounts[pending.email]
        code = request.form.get(self._fields()["code"], "").strip().replace(" ", "")
        ok = self._form_key_ok() and bool(acct.totp_secret) \
            and pyotp.TOTP(acct.totp_secret or "").verify(code, valid_window=1)
        if not ok:
            with self._lock:
                acct.failed_challenges += 1
            return self._code_page(token, "That code isn't right. Try again.")
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
            self._sessions[token] = Session(acct.email, secrets.token_urlsafe(24))
        resp = redirect(target, code=303)
        resp.set_cookie(SESSION_COOKIE, token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _federated(self, provider: str) -> Response | tuple[str, int]:
        name = pages.PROVIDERS.get(provider)
        if name is None:
            return self._not_found()
        return pages.federated(self._page(), name, self._safe_target(request.args.get("redirect_to"))), 502

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: signed in

    def _home(self) -> Response | str:
        return redirect("/dashboard") if self._member() else pages.landing(self._page())

    def _dashboard(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.dashboard(self._page(), acct.name, list(acct.blogs))

    def _settings_root(self) -> Response:
        acct = self._guard()
        return acct if isinstance(acct, Response) else redirect("/settings/account")

    def _account_settings(self, section: str) -> Response | str:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        path = f"/settings/{section}"
        if section == "account":
            return pages.account_page(self._page(), self._side(acct, path), acct.email, bool(acct.totp_secret))
        texts = {"dashboard": ("Dashboard", "Choose what shows up on your dashboard."),
                 "notifications": ("Notifications", "Choose what you get notified about.")}
        return pages.plain_settings_page(self._page(), self._side(acct, path), *texts[section])

    def _blog_settings(self, name: str, moved_path: bool) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        if moved_path != self.variants.deep_link_moved:  # this release serves blog settings elsewhere
            return self._not_found()
        blog = acct.blogs.get(name.lower())
        if blog is None:  # not this member's blog
            return self._not_found()
        if self._fire_once("first_load_503"):
            return pages.error_page(self._page(), "Tumblr is having trouble",
                                    "We're having a bit of trouble loading this page. Try again in a moment."), 503
        with self._lock:
            session = self._session()
            values = dict(blog.settings)
        v = self.variants
        here = pages.blog_link(blog.name, v.deep_link_moved)
        return pages.blog_settings(self._page(), self._side(acct, here), name=blog.name, title=blog.title,
                                   values=values, offered=acct.available, late_ms=v.late_render_ms,
                                   replace_node=v.replace_node, save_url=f"/api/v2/blog/{blog.name}/settings",
                                   csrf=session.csrf if session else "")

    def _save(self, name: str) -> Response | tuple[Response, int]:
        """A switch's background save: JSON {key: bool} for one key, the page's token in `x-csrf`."""
        session, acct = self._session(), self._member()
        if session is None or acct is None:
            return json_error("unauthenticated", 401)
        if not secrets.compare_digest(request.headers.get("x-csrf", "").encode(), session.csrf.encode()):
            return json_error("invalid csrf token", 403)
        blog = acct.blogs.get(name.lower())
        if blog is None:
            return json_error("not found", 404)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or len(body) != 1:
            return json_error("bad request", 400)
        (key, value), = body.items()
        if key not in DEFAULTS or not isinstance(value, bool):
            return json_error("bad request", 400)
        if key == AI_KEY and not acct.available:
            return json_error("not found", 404)
        with self._lock:
            acct.saves += 1
            if key == AI_KEY:
                blog.saves += 1
                if self._fire_once("save_fails_once"):
                    return json_error("internal error", 500)
                if self.variants.save_never_persists:
                    return jsonify({key: value})
            blog.settings[key] = value
        return jsonify({key: value})

    def _blogs_api(self) -> Response | tuple[Response, int]:
        """The next batch of the member's blogs for the settings menu's "Show more blogs"."""
        acct = self._member()
        if acct is None:
            return json_error("unauthenticated", 401)
        try:
            offset = max(0, int(request.args.get("offset", "0")))
        except ValueError:
            return json_error("bad request", 400)
        with self._lock:
            blogs = list(acct.blogs.values())
        batch = blogs[offset:offset + BLOGS_PER_BATCH]
        moved = self.variants.deep_link_moved
        return jsonify({"blogs": [{"name": b.name, "title": b.title, "settings_url": pages.blog_link(b.name, moved)}
                                  for b in batch],
                        "has_more": offset + len(batch) < len(blogs)})

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)

        @app.before_request
        def _count_and_form_key() -> None:
            if request.path.startswith(CONTROL_PREFIX):
                return
            if request.method == "GET":
                with self._lock:
                    self._page_requests[request.path] += 1
            g.form_key = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)

        @app.after_request
        def _issue_form_key(resp: Response) -> Response:
            if request.path.startswith(CONTROL_PREFIX) or resp.mimetype != "text/html":
                return resp
            if request.cookies.get(FORM_COOKIE) != g.form_key:  # the log-in forms echo it back
                resp.set_cookie(FORM_COOKIE, g.form_key, path="/", httponly=True, samesite="Lax")
            resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/login", self._login_get, ["GET"]),
            ("/login#post", self._login_post, ["POST"]),
            ("/login/<provider>", self._federated, ["GET"]),
            ("/logout", self._logout, ["GET", "POST"]),
            ("/dashboard", self._dashboard, ["GET"]),
            ("/explore", lambda: pages.explore(self._page(), self._member() is not None), ["GET"]),
            ("/settings", self._settings_root, ["GET"]),
            ("/settings/<any(account, dashboard, notifications):section>", self._account_settings, ["GET"]),
            ("/settings/blog/<name>", lambda name: self._blog_settings(name, False), ["GET"]),
            ("/blog/<name>/settings", lambda name: self._blog_settings(name, True), ["GET"]),
            ("/api/v2/blog/<name>/settings", self._save, ["POST"]),
            (BLOGS_API, self._blogs_api, ["GET"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule.partition("#")[0], endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _missing(_: Exception) -> tuple[str, int]:
            return self._not_found()

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        def body() -> dict[str, Any]:
            data = request.get_json(silent=True)
            return data if isinstance(data, dict) else {}

        @bp.post("/add_object")
        def add_object() -> tuple[Response, int]:
            data = body()
            try:
                return jsonify(self.add_object(str(data.get("email") or ""), str(data.get("name") or ""))), 201
            except KeyError as exc:
                return json_error(str(exc), 404)
            except ValueError as exc:
                return json_error(str(exc))

        @bp.get("/objects")
        def objects() -> Response | tuple[Response, int]:
            try:
                return jsonify(self.objects(request.args.get("email", "")))
            except KeyError as exc:
                return json_error(str(exc), 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(str(body().get("email") or "") or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = TumblrReplica

__all__ = ["SETTING_ID", "Replica", "TumblrReplica", "Variants"]
