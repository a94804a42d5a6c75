"""A local replica of LinkedIn's sign-in, settings and objection-form pages (shared/platforms/linkedin.md).

    replica = LinkedInReplica()
    replica.add_account("alice@example.com", "secret", challenge="pin")
    replica.configure(markup="sdui", save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.state()["accounts"]["alice@example.com"]["genai"]

Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import pyotp
from flask import Flask, Response, g, jsonify, redirect, request
from PIL import Image, ImageDraw

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
    CATEGORIES,
    GENAI,
    GENAI_MOVED,
    MOVED_CATEGORIES,
    OBJECTION_CHOICES,
    ROWS,
    SWITCH_DEFAULTS,
    text,
)

Challenge = Literal["pin", "email_pin", "app", "captcha"]
CHALLENGES: tuple[str, ...] = ("pin", "email_pin", "app", "captcha")
LANGS = ("en", "fr")
# Members here did not get the GenAI setting between Sept 2024 and Nov 2025 (linkedin.md "region").
GATED_REGIONS = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "UK", "CH"})
YEAR = 365 * 24 * 3600
JSESSION_RE = re.compile(r"ajax:\d{19}")
SAVE_URL = "/mypreferences/d/api/settings"
APP_POLL_MS = 1500


@dataclass
class Variants:
    """Faults and layouts; see README.md. All off by default."""

    markup: Literal["artdeco", "sdui"] = "artdeco"
    delay_ms: int = 0
    late_render_ms: int | None = None  # None: 1200 ms for sdui, none for artdeco
    first_load_503: bool = False
    save_fails_once: bool = False
    save_never_persists: bool = False
    replace_node: bool = False
    session_expired_once: bool = False
    remember_me: bool = False
    region_gate: bool = True
    authwall: bool = False
    older_release: bool = False
    deep_link_moved: bool = False
    category_moved: bool = False
    foreign_login: str = ""  # an absolute http(s) URL: where signed-out visitors are sent instead
    next_foreign: str = ""  # an absolute http(s) URL: where the login page sends a visitor past the username
    challenge_foreign: str = ""  # an absolute http(s) URL: the look-alike that serves the challenge pages
    signed_out_after_signin_once: bool = False
    genai_row: Literal["normal", "renamed", "twice"] = "normal"
    objection_types: Literal["both", "ambiguous", "single_ai"] = "both"
    form_name_prefilled: bool = False
    form_after_submit: Literal["confirmation", "error_page"] = "confirmation"


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once", "signed_out_after_signin_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    lang: str
    region: str
    genai_default: bool
    challenge: str | None
    totp_secret: str | None
    genai: bool = True
    settings: dict[str, bool] = field(default_factory=lambda: dict(SWITCH_DEFAULTS))
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    save_requests: int = 0
    signed_out_after_sign_in: int = 0  # sign-ins the `signed_out_after_signin_once` fault ended at once
    forms: list[dict[str, Any]] = field(default_factory=list)
    phone_last: str = field(default_factory=lambda: random_digits(2))

    def restore(self) -> None:
        self.genai, self.settings = self.genai_default, dict(SWITCH_DEFAULTS)
        self.sign_ins = self.failed_logins = self.failed_challenges = self.save_requests = 0
        self.signed_out_after_sign_in = 0
        self.forms = []

    @property
    def profile(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "member"


@dataclass
class PendingChallenge:
    id: str
    email: str
    kind: str
    redirect: str
    pin: str | None = None
    captcha_steps: int = 0  # how far the puzzle picture is turned, in sixths of a turn
    approved: bool = False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LinkedInReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # li_at value -> email
        self._challenges: dict[str, PendingChallenge] = {}
        self._remember: dict[str, tuple[str, str]] = {}  # interstitial token -> (email, redirect)
        self._devices: dict[str, str] = {}  # "don't ask again" device token -> email
        self._fired: set[str] = set()  # one-shot faults already used
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app, for the tests' convenience
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str = "Alice Example", lang: str = "en",
                    region: str = "US", genai: bool = True, challenge: str | None = None,
                    totp_secret: str | None = None) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}")
        if challenge not in (None, *CHALLENGES):
            raise ValueError(f"challenge must be one of {CHALLENGES} or None")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        acct = Account(email=email.strip().lower(), password=password, name=name, lang=lang,
                       region=region.upper(), genai_default=bool(genai), challenge=challenge,
                       totp_secret=totp_secret or None, genai=bool(genai))
        with self._lock:
            self._accounts[acct.email] = acct
            return self._account_state(acct)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            before = self.variants
            after = apply_variants(self.variants, variants)
            for name in ("foreign_login", "next_foreign", "challenge_foreign"):
                value = getattr(after, name)
                if value and urlsplit(value).scheme not in ("http", "https"):
                    raise ValueError(f"variant {name}: {value!r} is not an http(s) URL")
            self.variants = after
            for name in ONE_SHOTS:  # setting a one-shot fault again arms it again
                if name in variants and getattr(self.variants, name):
                    self._fired.discard(name)
            if self.variants.older_release != before.older_release:
                self.h.renew()  # another release: other hashed class names

    def reset(self, drop_accounts: bool = False) -> None:
        """Back to the start: default variants, nobody signed in, each account as added (or none)."""
        with self._lock:
            self.variants = Variants()
            for store in (self._sessions, self._challenges, self._remember, self._devices):
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
                "pending_challenges": [{"email": c.email, "kind": c.kind, "approved": c.approved}
                                       for c in self._challenges.values()],
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """Per setting of flows/linkedin.yaml: does the server hold the member as opted out? A form
        counts only if it objected to AI that does not generate content (or to AI the list left unsplit)."""
        acct = self.state()["accounts"][email]
        right = {"non_generative", "ai_unclassified"}
        return {"genai-training": acct["genai"] is False,
                "objection-form": any(f["fields"]["objection_kind"] in right for f in acct["forms"])}

    def policy_update(self, email: str | None = None) -> list[str]:
        """A "policy update": the GenAI setting switched back on, for one account or all."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                acct.genai = True
            return [a.email for a in targets]

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """The interface's name (tests/replicas/interface.py) for LinkedIn's "policy update"; the
        objection form, once sent, stays sent."""
        return self.policy_update(email)

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live `li_at` sessions of one account (or of all): how many ended. A kept browser
        profile then has to sign in again; a browser marked "Don't ask again" stays marked."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, e in self._sessions.items() if who is None or e == who]
            for token in ended:
                del self._sessions[token]
            return len(ended)

    def approve(self, email: str) -> bool:
        """The member taps "Yes" in the LinkedIn app: approves their pending app sign-in."""
        with self._lock:
            pending = [c for c in self._challenges.values() if c.email == self._get(email).email
                       and c.kind == "app"]
            for c in pending:
                c.approved = True
            return bool(pending)

    def pending_pin(self, email: str) -> dict[str, Any] | None:
        """What the person would read on their phone or in their mail for the latest challenge."""
        with self._lock:
            acct = self._get(email)
            mine = [c for c in self._challenges.values() if c.email == acct.email]
            if not mine:
                return None
            c = mine[-1]
            out: dict[str, Any] = {"email": acct.email, "kind": c.kind, "pin": c.pin}
            if c.kind == "pin" and acct.totp_secret:
                out["pin"] = pyotp.TOTP(acct.totp_secret).now()
            if c.kind == "captcha":
                out["captcha_turns_right"] = (6 - c.captcha_steps) % 6
            return out

    # ------------------------------------------------------------ state helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _genai_available(self, acct: Account) -> bool:
        return not (self.variants.region_gate and acct.region in GATED_REGIONS)

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "lang": acct.lang, "region": acct.region,
            "challenge": acct.challenge, "totp": bool(acct.totp_secret),
            "genai": acct.genai, "genai_available": self._genai_available(acct),
            "settings": dict(acct.settings),
            "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "save_requests": acct.save_requests,
            "signed_out_after_sign_in": acct.signed_out_after_sign_in,
            "forms": copy.deepcopy(acct.forms),
            "sessions": sum(1 for e in self._sessions.values() if e == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    # ------------------------------------------------------------ request helpers

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get("li_at", ""))
            return self._accounts.get(email) if email else None

    def _page(self, acct: Account | None = None) -> pages.Page:
        lang = acct.lang if acct else (request.accept_languages.best_match(LANGS) or "en")
        return pages.Page(lang, self.h, self.variants.older_release, self._links())

    def _links(self) -> pages.Links:
        """Where this release serves the settings pages (the *_moved variants)."""
        v = self.variants
        return pages.Links(categories=MOVED_CATEGORIES if v.category_moved else {},
                           settings={GENAI: GENAI_MOVED} if v.deep_link_moved else {})

    def _category_slug(self, public: str) -> str | None:
        """The category a URL slug names in this release, or None (a 404)."""
        moved = self._links().categories
        return next((c.slug for c in CATEGORIES if moved.get(c.slug, c.slug) == public), None)

    def _setting_slug(self, public: str) -> str | None:
        """The setting a URL slug names in this release, or None (a 404)."""
        moved = self._links().settings
        return next((slug for slug in ROWS if moved.get(slug, slug) == public), None)

    def _genai_label(self, lang: str) -> str:
        """The GenAI row's label (and its page's heading) in this release."""
        return text(lang, "genai_renamed" if self.variants.genai_row == "renamed" else "genai_heading")

    def _not_found(self, acct: Account | None = None) -> tuple[str, int]:
        return pages.not_found(self._page(acct)), 404

    def _to_login(self) -> Response:
        target = request.url
        if self.variants.foreign_login:  # a phishing-shaped redirect: off to another site
            return redirect(self.variants.foreign_login)
        if self.variants.authwall:
            return redirect("/authwall?" + urlencode({"trk": "mypreferences", "sessionRedirect": target}))
        return redirect("/uas/login?" + urlencode({"session_redirect": target}))

    def _guard(self, settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the redirect a signed-out visitor gets."""
        acct = self._member()
        if acct is None:
            resp = self._to_login()
            if request.cookies.get("li_at"):  # a session the server no longer knows: drop the cookie
                resp.delete_cookie("li_at", path="/")
            return resp
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get("li_at", ""), None)
            resp = self._to_login()
            resp.delete_cookie("li_at", path="/")
            return resp
        return acct

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after sign-in: a path on this site only (an absolute linkedin.com URL maps to
        its path, so a redirect captured on the real domain still works against the replica)."""
        if not raw:
            return "/feed/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and not host.endswith("linkedin.com"):
            return "/feed/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/feed/"
        path = parts.path or "/feed/"
        return path + (f"?{parts.query}" if parts.query else "")

    def _sign_in(self, acct: Account, target: str) -> Response:
        if self._fire_once("signed_out_after_signin_once"):
            # A security re-check ends the new session at once: the sign-in form again, no error shown.
            with self._lock:
                acct.signed_out_after_sign_in += 1
            back = request.host_url.rstrip("/") + target
            resp = redirect("/uas/login?" + urlencode({"session_redirect": back}), code=303)
            resp.delete_cookie("li_at", path="/")
            return resp
        token = "AQEDA" + secrets.token_urlsafe(96)
        with self._lock:
            self._sessions[token] = acct.email
        resp = redirect(target, code=303)
        resp.set_cookie("li_at", token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        resp.set_cookie("liap", "true", max_age=YEAR, path="/", samesite="Lax")
        return resp

    def _after_password(self, acct: Account, target: str) -> Response | str:
        """What follows a right password: a challenge, the remember-me interstitial, or the target."""
        device = request.cookies.get("li_rd", "")
        remembered = self._devices.get(device) == acct.email
        if acct.challenge and not (acct.challenge == "pin" and remembered):
            c = PendingChallenge(id="AQ" + secrets.token_urlsafe(48), email=acct.email, kind=acct.challenge,
                                 redirect=target)
            if c.kind in ("pin", "email_pin") and not (c.kind == "pin" and acct.totp_secret):
                c.pin = random_digits(6)
            if c.kind == "captcha":
                c.captcha_steps = secrets.randbelow(5) + 1
            with self._lock:
                self._challenges[c.id] = c
            page = f"/checkpoint/challenge/{c.id}?" + urlencode({"ut": secrets.token_urlsafe(12)})
            if self.variants.challenge_foreign:  # the code page served by a look-alike on another origin
                return redirect(self.variants.challenge_foreign.rstrip("/") + page, code=302)
            return redirect(page, code=303)
        if self.variants.remember_me:
            token = secrets.token_urlsafe(32)
            with self._lock:
                self._remember[token] = (acct.email, target)
            return pages.remember_me(self._page(), token)
        return self._sign_in(acct, target)

    def _challenge_page(self, c: PendingChallenge, error: str = "") -> str:
        acct = self._accounts[c.email]
        p = self._page()
        if c.kind == "pin":
            return pages.challenge_pin(p, c.id, auth_app=bool(acct.totp_secret), last=acct.phone_last,
                                       error=error)
        if c.kind == "email_pin":
            return pages.challenge_email(p, c.id, error)
        if c.kind == "app":
            return pages.challenge_app(p, c.id, f"/checkpoint/challenge/{c.id}/status", APP_POLL_MS)
        frame = f"/checkpoint/challenge/captcha/{c.id}?" + urlencode({"r": secrets.token_hex(6)})
        return pages.challenge_captcha(p, c.id, frame, error)

    def _check_challenge(self, c: PendingChallenge) -> bool:
        acct = self._accounts[c.email]
        if c.kind in ("pin", "email_pin"):
            pin = request.form.get("pin", "").strip()
            if c.kind == "pin" and acct.totp_secret:
                return pyotp.TOTP(acct.totp_secret).verify(pin, valid_window=1)
            return bool(pin) and secrets.compare_digest(pin, c.pin or "")
        if c.kind == "app":
            return c.approved
        try:
            turns = int(request.form.get("captchaUserResponseToken", ""))
        except ValueError:
            return False
        return (c.captcha_steps + turns) % 6 == 0

    def _csrf_ok(self, given: str | None) -> bool:
        cookie = request.cookies.get("JSESSIONID", "")
        return bool(given) and bool(JSESSION_RE.fullmatch(cookie)) and secrets.compare_digest(given or "", cookie)

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
            # The JSESSIONID (the CSRF token) lasts for the browser session; a page load without one
            # gets a new one (after_request sets it).
            current = request.cookies.get("JSESSIONID", "")
            g.jsessionid = current if JSESSION_RE.fullmatch(current) else "ajax:" + random_digits(19)

        @app.after_request
        def _issue_jsessionid(resp: Response) -> Response:
            if request.path.startswith(CONTROL_PREFIX) or resp.mimetype != "text/html":
                return resp
            # Quoted, as LinkedIn sends it; no Max-Age: a session cookie.
            resp.headers.add("Set-Cookie", f'JSESSIONID="{g.jsessionid}"; Path=/; SameSite=Lax')
            resp.headers.setdefault("Cache-Control", "no-cache, no-store")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/login", self._login_page, ["GET"]),
            ("/uas/login", self._login_page, ["GET"]),
            ("/checkpoint/lg/login-submit", self._login_submit, ["POST"]),
            ("/checkpoint/lg/remember-me", self._remember_submit, ["POST"]),
            ("/checkpoint/challenge/verify", self._challenge_verify, ["POST"]),
            ("/checkpoint/challenge/<cid>", self._challenge_get, ["GET"]),
            ("/checkpoint/challenge/<cid>/status", self._challenge_status, ["GET"]),
            ("/checkpoint/challenge/captcha/<cid>", self._captcha_frame, ["GET"]),
            ("/checkpoint/challenge/captcha/<cid>/image", self._captcha_image, ["GET"]),
            ("/authwall", self._authwall, ["GET"]),
            ("/feed/", self._feed, ["GET"]),
            ("/m/logout/", self._logout, ["GET", "POST"]),
            ("/mypreferences/d", self._prefs_root, ["GET"]),
            ("/mypreferences/d/categories/<slug>", self._category, ["GET"]),
            ("/mypreferences/d/settings/<slug>", self._setting, ["GET"]),
            (SAVE_URL, self._save, ["POST"]),
            ("/help/linkedin/ask/TS-DPRO", self._objection, ["GET", "POST"]),
            ("/help/linkedin/answer/<aid>", lambda aid: pages.help_article(self._page(self._member())), ["GET"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int]:
            return self._not_found(self._member())

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        def email_arg() -> str:
            data = request.get_json(silent=True) or {}
            return str(data.get("email") or request.args.get("email") or "")

        @bp.post("/approve")
        def approve() -> Response | tuple[Response, int]:
            try:
                ok = self.approve(email_arg())
            except KeyError as exc:
                return json_error(str(exc), 404)
            return jsonify({"approved": True}) if ok else json_error("no pending app approval", 404)

        @bp.post("/policy_update")
        def policy_update() -> Response | tuple[Response, int]:
            try:
                return jsonify({"switched_on": self.policy_update(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(email_arg() or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        @bp.get("/pin")
        def pin() -> Response | tuple[Response, int]:
            try:
                found = self.pending_pin(email_arg())
            except KeyError as exc:
                return json_error(str(exc), 404)
            return jsonify(found) if found else json_error("no pending challenge", 404)

        app.register_blueprint(bp)

    # ------------------------------------------------------------ views: sign-in

    def _home(self) -> Response | str:
        if self._member():
            return redirect("/feed/")
        return pages.guest_home(self._page())

    def _login_page(self) -> Response | str:
        target = request.args.get("session_redirect", "")
        if self._member():
            return redirect(self._safe_target(target))
        if self.variants.foreign_login:
            return redirect(self.variants.foreign_login)
        return self._render_login(target)

    def _render_login(self, target: str, email: str = "", err_user: str = "", err_password: str = "") -> Response:
        # bcookie: long-lived browser id; the form echoes part of it back (loginCsrfParam).
        bcookie = request.cookies.get("bcookie", "")
        browser_id = bcookie.partition("&")[2] if bcookie.startswith("v=2&") else ""
        set_bcookie = not browser_id
        browser_id = browser_id or secrets.token_hex(16)
        html = pages.login(self._page(), action="/checkpoint/lg/login-submit", redirect=target,
                           csrf=g.jsessionid, login_csrf=browser_id, email=email, err_user=err_user,
                           err_password=err_password, hijack_to=self.variants.next_foreign)
        resp = Response(html, mimetype="text/html")
        if set_bcookie:
            resp.headers.add("Set-Cookie", f'bcookie="v=2&{browser_id}"; Max-Age={YEAR}; Path=/; SameSite=Lax')
        return resp

    def _login_submit(self) -> Response | str:
        form = request.form
        email = form.get("session_key", "").strip().lower()
        password = form.get("session_password", "")
        target = self._safe_target(form.get("session_redirect"))
        lang = self._page().lang
        bcookie = request.cookies.get("bcookie", "")
        if not bcookie.startswith("v=2&") or form.get("loginCsrfParam") != bcookie.partition("&")[2]:
            return self._render_login(target, email, err_user=text(lang, "err_generic"))
        if not email:
            return self._render_login(target, email, err_user=text(lang, "err_no_user"))
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
            elif not secrets.compare_digest(password, acct.password):
                acct.failed_logins += 1
            else:
                acct.sign_ins += 1
        if acct is None:
            return self._render_login(target, email, err_user=text(lang, "err_unknown"))
        if not secrets.compare_digest(password, acct.password):
            return self._render_login(target, email, err_password=text(lang, "err_password"))
        return self._after_password(acct, target)

    def _remember_submit(self) -> Response:
        with self._lock:
            found = self._remember.pop(request.form.get("rmToken", ""), None)
        if found is None:
            return redirect("/login", code=303)
        email, target = found
        resp = self._sign_in(self._accounts[email], target)
        if request.form.get("rememberMeOptIn") == "true":
            resp.set_cookie("li_rm", secrets.token_urlsafe(24), max_age=YEAR, path="/", httponly=True,
                            samesite="Lax")
        return resp

    def _challenge_get(self, cid: str) -> Response | str:
        c = self._challenges.get(cid)
        if c is None:
            return redirect("/login")
        return self._challenge_page(c)

    def _challenge_status(self, cid: str) -> Response:
        c = self._challenges.get(cid)
        status = "EXPIRED" if c is None else "APPROVED" if c.approved else "PENDING"
        return jsonify({"status": status})

    def _challenge_verify(self) -> Response | str:
        c = self._challenges.get(request.form.get("challengeId", ""))
        if c is None:
            return redirect("/login", code=303)
        if not self._check_challenge(c):
            if c.kind == "app":  # not approved yet: keep waiting
                return self._challenge_page(c)
            with self._lock:
                self._accounts[c.email].failed_challenges += 1
                if c.kind == "captcha":
                    c.captcha_steps = secrets.randbelow(5) + 1  # a new puzzle
            key = "captcha_wrong" if c.kind == "captcha" else "wrong_pin"
            return self._challenge_page(c, text(self._page().lang, key))
        with self._lock:
            self._challenges.pop(c.id, None)
        resp = self._sign_in(self._accounts[c.email], c.redirect)
        if c.kind == "pin" and request.form.get("recognizedDevice") == "true":
            device = secrets.token_urlsafe(24)
            with self._lock:
                self._devices[device] = c.email
            resp.set_cookie("li_rd", device, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _captcha_frame(self, cid: str) -> Response | str:
        if cid not in self._challenges:
            return Response("", status=404)
        src = f"/checkpoint/challenge/captcha/{cid}/image?" + urlencode({"r": secrets.token_hex(6)})
        return pages.captcha_frame(self._page(), src)

    def _captcha_image(self, cid: str) -> Response:
        c = self._challenges.get(cid)
        if c is None or c.kind != "captcha":
            return Response("", status=404)
        return Response(_puzzle_png(c.captcha_steps), mimetype="image/png",
                        headers={"Cache-Control": "no-store"})

    def _authwall(self) -> str:
        target = request.args.get("sessionRedirect", "")
        return pages.authwall(self._page(), "/login?" + urlencode({"session_redirect": target}))

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get("li_at", ""), None)
        resp = redirect("/", code=303)
        resp.delete_cookie("li_at", path="/")
        return resp

    # ------------------------------------------------------------ views: signed in

    def _feed(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.feed(self._page(acct), acct.name, acct.profile)

    def _prefs_root(self) -> Response | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        if self.variants.category_moved:  # the newer release has no settings root either
            return self._not_found(acct)
        return redirect(self._links().category("account"))

    def _category(self, slug: str) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        canonical = self._category_slug(slug)
        cat = next((c for c in CATEGORIES if c.slug == canonical), None)
        if cat is None:
            return self._not_found(acct)
        with self._lock:
            values = {**acct.settings, GENAI: acct.genai}
            hidden = set() if self._genai_available(acct) else {GENAI}
        p = self._page(acct)
        doubled = frozenset({GENAI} if self.variants.genai_row == "twice" else ())
        return pages.category_page(p, acct.name, cat, values, hidden, relabel={GENAI: self._genai_label(p.lang)},
                                   doubled=doubled)

    def _setting(self, slug: str) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        p = self._page(acct)
        found = self._setting_slug(slug)
        if found is None:
            return self._not_found(acct)
        slug = found
        if slug == GENAI:
            if not self._genai_available(acct):
                # Not offered in this member's region: the page sends them back to Data privacy.
                return redirect(p.links.category("privacy"))
            if self._fire_once("first_load_503"):
                return pages.error_page(p, "unavailable_title", "unavailable_body"), 503
        v = self.variants
        late = v.late_render_ms if v.late_render_ms is not None else (1200 if v.markup == "sdui" else 0)
        cat, row = ROWS[slug]
        with self._lock:
            value = acct.genai if slug == GENAI else acct.settings.get(slug)
        if value is None:
            return pages.info_page(p, acct.name, cat.slug, row)
        genai = slug == GENAI
        return pages.setting_page(
            p, acct.name, active=cat.slug, slug=slug, value=value, markup=v.markup, late_ms=late,
            replace_node=v.replace_node,
            heading=self._genai_label(p.lang) if genai else row.label(p.lang),
            question=text(p.lang, "genai_question") if genai else None,
            label=text(p.lang, "genai_label", p.older) if genai else row.label(p.lang),
            help_text=text(p.lang, "genai_help") if genai else text(p.lang, "generic_setting_body"),
            save_url=SAVE_URL, login_url="/uas/login?session_redirect=")

    def _save(self) -> Response | tuple[Response, int]:
        """The background save of a switch (JSON {setting, value}); CSRF header = JSESSIONID cookie."""
        acct = self._member()
        if acct is None:
            return json_error("unauthenticated", 401)
        if not self._csrf_ok(request.headers.get("csrf-token")):
            return json_error("CSRF check failed.", 403)
        body = request.get_json(silent=True) or {}
        slug, value = body.get("setting"), body.get("value")
        if not isinstance(value, bool) or (slug != GENAI and slug not in acct.settings):
            return json_error("bad request", 400)
        with self._lock:
            if slug != GENAI:
                acct.settings[slug] = value
                return jsonify({"setting": slug, "value": value})
            if not self._genai_available(acct):
                return json_error("not found", 404)
            acct.save_requests += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                acct.genai = value
            return jsonify({"setting": slug, "value": value})

    def _objection(self) -> Response | str | tuple[str, int]:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        p = pages.Page(acct.lang, self.h, self.variants.older_release, self._links())  # the member's language
        v = self.variants
        choices = {o.value: o for o in OBJECTION_CHOICES[v.objection_types]}

        def form(values: dict[str, str], errors: dict[str, str]) -> str:
            return pages.objection_form(p, values=values, errors=errors, csrf=g.jsessionid,
                                        choices=tuple(choices.values()), genai_label=self._genai_label(p.lang))

        if request.method == "GET":
            return form({"email": acct.email, **({"fullName": acct.name} if v.form_name_prefilled else {})}, {})
        values = {k: request.form.get(k, "").strip() for k in ("fullName", "email", "objectionType", "details")}
        errors = self._objection_errors(p.lang, values, choices)
        if errors:
            return form(values, errors)
        now = datetime.now(UTC)
        case = f"{now:%y%m%d}-{random_digits(6)}"
        chosen = choices[values["objectionType"]]
        with self._lock:
            acct.forms.append({"form": "TS-DPRO", "case": case, "at": now.isoformat(timespec="seconds"),
                               "fields": {"name": values["fullName"], "email": values["email"],
                                          "objection_type": chosen.value, "objection_label": chosen.label(p.lang),
                                          "objection_kind": chosen.kind, "details": values["details"],
                                          "lang": p.lang}})
        if v.form_after_submit == "error_page":  # stored, but the answer is lost on the way back
            return pages.objection_failed(p), 502
        return pages.objection_done(p, case, values["email"])

    def _objection_errors(self, lang: str, values: dict[str, str], choices: dict[str, Any]) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not values["fullName"]:
            errors["fullName"] = text(lang, "dpro_err_name")
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
            errors["email"] = text(lang, "dpro_err_email")
        if values["objectionType"] not in choices:
            errors["objectionType"] = text(lang, "dpro_err_type")
        if not values["details"]:
            errors["details"] = text(lang, "dpro_err_details")
        if not self._csrf_ok(request.form.get("csrfToken")):
            errors["_form"] = text(lang, "dpro_err_session")
        return errors


def _puzzle_png(steps: int) -> bytes:
    """An upward arrow among a few strokes, turned by steps/6 of a turn: only its pixels tell the answer."""
    size = 160
    img = Image.new("RGB", (size, size), (238, 243, 248))
    draw = ImageDraw.Draw(img)
    for _ in range(14):  # clutter
        x, y = secrets.randbelow(size), secrets.randbelow(size)
        draw.line((x, y, x + secrets.randbelow(40) - 20, y + secrets.randbelow(40) - 20),
                  fill=(150 + secrets.randbelow(80),) * 3, width=2)
    draw.polygon([(80, 18), (124, 70), (94, 70), (94, 140), (66, 140), (66, 70), (36, 70)], fill=(10, 102, 194))
    draw.ellipse((72, 118, 88, 134), fill=(255, 255, 255))
    img = img.rotate(-60 * steps, resample=Image.Resampling.BICUBIC, fillcolor=(238, 243, 248))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = LinkedInReplica

__all__ = ["GATED_REGIONS", "LinkedInReplica", "Replica", "Variants"]
