"""A local replica of Google's sign-in and the Gemini Apps Activity page (shared/platforms/gemini.md).

    replica = GeminiReplica()
    replica.add_account("alice@example.com", "secret", totp_secret=None, phone_approval=False)
    replica.configure(confirm_dialog=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"keep-activity": bool, "audio-training": bool}

accounts.google.com and myactivity.google.com are served on one origin, with Google's paths.
Everything the tests need to know or steer also goes through `/__replica__/…` (see README.md).
"""

from __future__ import annotations

import dataclasses
import io
import json
import secrets
import string
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
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
)

from . import pages

PAGE = "/product/gemini"
SIGNIN = "/v3/signin/identifier"
SERVICE_LOGIN = "/ServiceLogin"
LOOKUP = "/v3/signin/_/lookup"
CHALLENGE = "/v3/signin/_/challenge"
DP_POLL = "/v3/signin/_/dp/poll"
CAPTCHA_IMG = "/v3/signin/_/captcha"
BATCH = "/_/FootprintsMyactivityUi/data/batchexecute"
XSSI = ")]}'\n\n"
SESSION_COOKIE = "SID"
YEAR = 365 * 24 * 3600
POLL_MS = 1000
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" '
           'fill="#4285f4"/></svg>')
DEFAULT_ON_SINCE = date(2024, 2, 8)  # the day "Bard Activity" became "Gemini Apps Activity"
AUTO_DELETE_DEFAULT = 18
PROMPTS = ("Plan a 3-day trip to Lisbon", "Summarize this article about tidal energy",
           "Write a birthday poem for my sister", "Explain recursion to a 10-year-old",
           "What should I cook with leeks and potatoes?", "Draft an email asking for a day off",
           "Compare two running shoes for flat feet", "Translate 'good morning' into Portuguese",
           "Help me name a small bakery", "Make a packing list for a camping weekend",
           "What is the capital of Mongolia?", "Give me a 20-minute bodyweight workout")


@dataclass
class Variants:
    """Faults and page variants, all off by default; see README.md."""

    delay_ms: int = 0
    late_render_ms: int = 0
    replace_node: bool = False
    save_fails_once: bool = False
    save_never_persists: bool = False
    first_load_503: bool = False
    session_expired_once: bool = False
    older_release: bool = False
    older_confirm: Literal["turn_off", "pause"] = "turn_off"
    confirm_dialog: bool = False
    browser_not_secure: bool = False
    captcha: bool = False


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Item:
    id: str
    text: str
    at: datetime


def _items(n: int) -> list[Item]:
    """n activity items: the newest 20 minutes old, then one every 5 hours."""
    now = datetime.now(UTC).replace(microsecond=0)
    return [Item(id="c" + secrets.token_hex(8), text=f"Prompted {PROMPTS[i % len(PROMPTS)]}",
                 at=now - timedelta(minutes=20) - timedelta(hours=5 * i)) for i in range(n)]


@dataclass
class Account:
    email: str
    password: str
    name: str
    totp_secret: str | None
    phone_approval: bool
    workspace_locked: bool
    keep_default: bool
    audio_default: bool
    items_default: int
    keep_activity: bool = True
    audio_training: bool = False
    on_since: date = DEFAULT_ON_SINCE
    auto_delete_months: int = AUTO_DELETE_DEFAULT
    items: list[Item] = field(default_factory=list)
    saves: int = 0
    keep_activity_saves: int = 0
    audio_saves: int = 0
    auto_delete_saves: int = 0
    deletions: int = 0
    activity_deleted: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    refused: int = 0

    def restore(self) -> None:
        self.keep_activity, self.audio_training = self.keep_default, self.audio_default
        self.on_since, self.auto_delete_months = DEFAULT_ON_SINCE, AUTO_DELETE_DEFAULT
        self.items = _items(self.items_default)
        self.saves = self.keep_activity_saves = self.audio_saves = self.auto_delete_saves = 0
        self.deletions = self.activity_deleted = 0
        self.sign_ins = self.failed_logins = self.failed_challenges = self.refused = 0


@dataclass
class Pending:
    """A sign-in under way, named by its `TL` token (Google's transaction id in the URL)."""

    tl: str
    target: str
    email: str | None = None
    stage: str = "identifier"  # identifier | pwd | totp | dp | rejected
    approved: bool = False
    captcha: str = ""


@dataclass
class Session:
    email: str
    at: str  # the page's XSRF token (WIZ_global_data.SNlM0e), checked on every batchexecute


def _bool(name: str, value: Any) -> bool:
    """Account options may come as strings from the command line (`phone_approval=true`)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", "", "none"):
        return False
    raise ValueError(f"{name}: {value!r} is not a boolean")


def _today() -> date:
    return datetime.now(UTC).date()


class GeminiReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        # batchexecute rpc ids: fixed for one "release" (one instance), unknown before it starts.
        self.rpc = HashedClasses(6)
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, Session] = {}
        self._pending: dict[str, Pending] = {}
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self._last_captcha: str | None = None
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, totp_secret: str | None = None,
                    phone_approval: bool | str = False, workspace_locked: bool | str = False,
                    keep_activity: bool | str = True, audio_training: bool | str = False,
                    activity_items: int | str = 12) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        try:
            n_items = int(activity_items)
        except (TypeError, ValueError):
            raise ValueError(f"activity_items: {activity_items!r} is not an integer") from None
        if n_items < 0:
            raise ValueError("activity_items must be >= 0")
        email = email.strip().lower()
        acct = Account(email=email, password=password, name=name or email.split("@")[0].replace(".", " ").title(),
                       totp_secret=totp_secret or None, phone_approval=_bool("phone_approval", phone_approval),
                       workspace_locked=_bool("workspace_locked", workspace_locked),
                       keep_default=_bool("keep_activity", keep_activity),
                       audio_default=_bool("audio_training", audio_training), items_default=n_items)
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
            self.variants = Variants()
            self._sessions.clear()
            self._pending.clear()
            self._fired.clear()
            self._page_requests.clear()
            self._unknown_logins = 0
            self._last_captcha = None
            if drop_accounts:
                self._accounts.clear()
            for acct in self._accounts.values():
                acct.restore()

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "variants": dataclasses.asdict(self.variants),
                "accounts": {email: self._account_state(a) for email, a in self._accounts.items()},
                "pending_sign_ins": [{"email": p.email, "stage": p.stage, "approved": p.approved}
                                     for p in self._pending.values()],
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """Per setting of the Gemini flow: does the server hold the member as opted out?"""
        acct = self.state()["accounts"][email.strip().lower()]
        return {"keep-activity": acct["keep_activity"] is False, "audio-training": acct["audio_training"] is False}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": Keep activity back on (On since today) and the audio item checked."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                if not acct.keep_activity:
                    acct.on_since = _today()
                acct.keep_activity = True
                acct.audio_training = True
            return [a.email for a in targets]

    def approve(self, email: str) -> bool:
        """The person taps "Yes" on their phone: approves their pending "Check your phone" sign-in."""
        with self._lock:
            who = self._get(email).email
            waiting = [p for p in self._pending.values() if p.email == who and p.stage == "dp"]
            for p in waiting:
                p.approved = True
            return bool(waiting)

    def captcha_text(self) -> str | None:
        """What a person reads in the latest captcha picture (the `captcha` variant)."""
        with self._lock:
            return self._last_captcha

    # ------------------------------------------------------------ state helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "totp": bool(acct.totp_secret),
            "phone_approval": acct.phone_approval, "workspace_locked": acct.workspace_locked,
            "keep_activity": acct.keep_activity, "audio_training": acct.audio_training,
            "on_since": acct.on_since.isoformat(), "auto_delete_months": acct.auto_delete_months,
            "activity_items": len(acct.items), "activity_deleted": acct.activity_deleted,
            "saves": acct.saves, "keep_activity_saves": acct.keep_activity_saves, "audio_saves": acct.audio_saves,
            "auto_delete_saves": acct.auto_delete_saves, "deletions": acct.deletions,
            "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "refused": acct.refused,
            "sessions": sum(1 for s in self._sessions.values() if s.email == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _session(self) -> Session | None:
        with self._lock:
            return self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))

    def _member(self) -> Account | None:
        s = self._session()
        return self._accounts.get(s.email) if s else None

    # ------------------------------------------------------------ sign-in plumbing

    def _safe_target(self, raw: str | None) -> str:
        """Where to go after sign-in: a path on this origin. An absolute google.com URL (as captured on
        the real site) maps to its path, so the replica serves it."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and not (host == "google.com"
                                                                       or host.endswith(".google.com")):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _to_login(self) -> Response:
        """A signed-out visitor: to ServiceLogin with the page as `continue`, as Google does."""
        return redirect(SERVICE_LOGIN + "?" + urlencode({"continue": request.url, "service": "footprints",
                                                         "hl": "en"}))

    @staticmethod
    def _identifier_url(target: str) -> str:
        return SIGNIN + "?" + urlencode({"continue": target, "flowName": "GlifWebSignIn",
                                         "flowEntry": "ServiceLogin", "hl": "en"})

    @staticmethod
    def _step_url(stage: str, tl: str) -> str:
        path = {"pwd": "/v3/signin/challenge/pwd", "totp": "/v3/signin/challenge/totp",
                "dp": "/v3/signin/challenge/dp", "rejected": "/v3/signin/rejected"}[stage]
        return path + "?" + urlencode({"TL": tl, "flowName": "GlifWebSignIn", "hl": "en"})

    @staticmethod
    def _answer(data: dict[str, Any]) -> Response:
        """The sign-in steps' XHR answers, with Google's anti-JSON-hijacking prefix."""
        return Response(XSSI + json.dumps(data), mimetype="application/json")

    def _pending_for(self, stage: str) -> Pending | None:
        with self._lock:
            p = self._pending.get(request.values.get("TL", ""))
            return p if p is not None and p.stage == stage else None

    def _complete(self, p: Pending) -> Response:
        """The last step passed: a session, and the browser sent on to `continue`."""
        token = secrets.token_urlsafe(48)
        with self._lock:
            self._pending.pop(p.tl, None)
            acct = self._accounts[p.email or ""]
            acct.sign_ins += 1
            self._sessions[token] = Session(email=acct.email, at="AJvLN6" + secrets.token_urlsafe(24) + ":"
                                            + str(int(datetime.now(UTC).timestamp() * 1000)))
        resp = self._answer({"next": p.target})
        resp.set_cookie(SESSION_COOKIE, token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _new_captcha(self, p: Pending) -> None:
        alphabet = "".join(c for c in string.ascii_lowercase + string.digits if c not in "0o1il")
        p.captcha = "".join(secrets.choice(alphabet) for _ in range(6))
        self._last_captcha = p.captcha

    # ------------------------------------------------------------ views: sign-in

    def _service_login(self) -> Response:
        target = request.args.get("continue") or "/"
        return redirect(self._identifier_url(target))

    def _identifier(self) -> Response | str:
        target = self._safe_target(request.args.get("continue"))
        if self._member():
            return redirect(target)
        p = Pending(tl="AHNYTI" + secrets.token_urlsafe(40), target=target)
        with self._lock:
            if self.variants.captcha:
                self._new_captcha(p)
            self._pending[p.tl] = p
        captcha_src = CAPTCHA_IMG + "?" + urlencode({"TL": p.tl}) if self.variants.captcha else ""
        return pages.identifier(self._page(), tl=p.tl, action=LOOKUP, captcha_src=captcha_src)

    def _lookup(self) -> Response:
        p = self._pending_for("identifier")
        if p is None:
            return self._answer({"next": self._identifier_url("/")})
        form = request.form
        with self._lock:
            if p.captcha and form.get("ca", "").strip().lower() != p.captcha:
                self._new_captcha(p)
                return self._answer({"error": "Please enter the characters you see in the image above",
                                     "captcha": True})
            ident = form.get("identifier", "").strip().lower()
            if not ident:
                return self._answer({"error": "Enter an email or phone number"})
            acct = self._accounts.get(ident)
            if acct is None:
                self._unknown_logins += 1
                return self._answer({"error": "Couldn’t find your Google Account"})
            p.email = acct.email
            if self.variants.browser_not_secure:
                p.stage = "rejected"
                acct.refused += 1
            else:
                p.stage = "pwd"
        return self._answer({"next": self._step_url(p.stage, p.tl)})

    def _step_page(self, stage: str) -> Response | str:
        p = self._pending_for(stage)
        if p is None:
            return redirect(self._identifier_url(self._safe_target(request.args.get("continue"))))
        acct = self._accounts[p.email or ""]
        page = self._page()
        if stage == "pwd":
            return pages.password(page, tl=p.tl, action=CHALLENGE, name=acct.name, email=acct.email)
        if stage == "totp":
            return pages.totp(page, tl=p.tl, action=CHALLENGE, email=acct.email)
        if stage == "dp":
            return pages.phone_prompt(page, tl=p.tl, poll=DP_POLL, email=acct.email, device="phone",
                                      interval_ms=POLL_MS)
        return pages.rejected(page, retry=self._identifier_url(p.target), email=acct.email)

    def _challenge(self) -> Response:
        step = request.form.get("step", "")
        if step not in ("pwd", "totp"):
            return self._answer({"error": "Something went wrong. Try again."})
        p = self._pending_for(step)
        if p is None:
            return self._answer({"next": self._identifier_url("/")})
        acct = self._accounts[p.email or ""]
        if step == "pwd":
            given = request.form.get("Passwd", "")
            if not given:
                return self._answer({"error": "Enter a password"})
            if not secrets.compare_digest(given.encode(), acct.password.encode()):
                with self._lock:
                    acct.failed_logins += 1
                return self._answer({"error": "Wrong password. Try again or click Forgot password to reset it."})
            # A second step: the phone prompt when the account has one, else the authenticator code.
            nxt = "dp" if acct.phone_approval else "totp" if acct.totp_secret else ""
            if not nxt:
                return self._complete(p)
            with self._lock:
                p.stage = nxt
            return self._answer({"next": self._step_url(nxt, p.tl)})
        code = request.form.get("totpPin", "").replace(" ", "").strip()
        if not code:
            return self._answer({"error": "Enter a code"})
        if not pyotp.TOTP(acct.totp_secret or "").verify(code, valid_window=1):
            with self._lock:
                acct.failed_challenges += 1
            return self._answer({"error": "Wrong code. Try again."})
        return self._complete(p)

    def _dp_poll(self) -> Response:
        with self._lock:
            p = self._pending.get(request.form.get("TL", ""))
        if p is None:
            return self._answer({"next": self._identifier_url("/")})
        if p.stage == "dp" and p.approved:
            return self._complete(p)
        return self._answer({"status": "PENDING"})

    def _captcha_image(self) -> Response:
        with self._lock:
            p = self._pending.get(request.args.get("TL", ""))
            text = p.captcha if p else ""
        if not text:
            return Response("", status=404)
        return Response(_captcha_png(text), mimetype="image/png", headers={"Cache-Control": "no-store"})

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect(self._identifier_url(self._safe_target(request.args.get("continue"))))
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: My Activity

    def _guard(self, settings_page: bool = False) -> Account | Response:
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

    def _home(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.home(self._page(), acct.name, acct.email)

    def _gemini(self) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        if self._fire_once("first_load_503"):
            return pages.error_page(self._page(), 503, "The service you requested is not available at this "
                                    "time."), 503
        session = self._session()
        v = self.variants
        with self._lock:
            items = [(i.id, i.text, i.at) for i in acct.items]
            keep, audio, months, since = (acct.keep_activity, acct.audio_training, acct.auto_delete_months,
                                          acct.on_since)
        return pages.activity_page(
            self._page(), name=acct.name, email=acct.email, keep=keep, audio=audio, months=months, on_since=since,
            today=_today(), items=items, older=v.older_release, older_confirm=v.older_confirm,
            locked=acct.workspace_locked, late_ms=v.late_render_ms, replace_node=v.replace_node,
            confirm_dialog=v.confirm_dialog, at=session.at if session else "", batch=BATCH,
            rpc={"keep": self.rpc("keep"), "audio": self.rpc("audio"), "autoDelete": self.rpc("autodelete"),
                 "remove": self.rpc("delete")},
            signin=SERVICE_LOGIN + "?" + urlencode({"service": "footprints", "hl": "en"}) + "&continue=")

    def _batchexecute(self) -> Response | tuple[Response, int]:
        """Google's RPC endpoint: form `f.req=[[[rpcid, "<json args>", null, "generic"]]]` and `at`."""
        session = self._session()
        if session is None:
            return Response(XSSI + "[]", status=401, mimetype="application/json")
        if not secrets.compare_digest(request.form.get("at", "").encode(), session.at.encode()):
            return Response(XSSI + '[["er",null,null,null,null,400]]', status=400, mimetype="application/json")
        try:
            rpcid, raw, *_ = json.loads(request.form.get("f.req", ""))[0][0]
            args = json.loads(raw)
            assert isinstance(args, list)
        except (ValueError, TypeError, IndexError, AssertionError):
            return Response(XSSI + '[["er",null,null,null,null,400]]', status=400, mimetype="application/json")
        names = {self.rpc(k): k for k in ("keep", "audio", "autodelete", "delete")}
        acct = self._accounts[session.email]
        with self._lock:
            result = self._rpc(acct, names.get(rpcid, ""), args)
        if isinstance(result, int):
            return Response(XSSI + f'[["er",null,null,null,null,{result}]]', status=result,
                            mimetype="application/json")
        body = json.dumps([["wrb.fr", rpcid, json.dumps(result), None, None, None, "generic"],
                           ["di", 42], ["af.httprm", 41, str(secrets.randbelow(10**18)), 7]])
        return Response(f"{XSSI}{len(body)}\n{body}\n", mimetype="application/json")

    def _rpc(self, acct: Account, name: str, args: list[Any]) -> list[Any] | int:
        """One call, under the lock: the result, or an HTTP error status."""
        if name in ("keep", "audio", "autodelete") and acct.workspace_locked:
            return 403  # the admin decides
        if name == "keep" and len(args) == 2 and all(isinstance(a, bool) for a in args):
            value, remove = args
            acct.saves += 1
            acct.keep_activity_saves += 1
            if self._fire_once("save_fails_once"):
                return 500
            if self.variants.save_never_persists:
                return [value]
            if value and not acct.keep_activity:
                acct.on_since = _today()
            acct.keep_activity = value
            if remove and not value:
                self._delete(acct, lambda _: True)
            return [value]
        if name == "audio" and len(args) == 1 and isinstance(args[0], bool):
            acct.saves += 1
            acct.audio_saves += 1
            if self._fire_once("save_fails_once"):
                return 500
            if not self.variants.save_never_persists:
                acct.audio_training = args[0]
            return [args[0]]
        if name == "autodelete" and len(args) == 1 and args[0] in pages.AUTO_DELETE_OPTIONS \
                and not isinstance(args[0], bool):
            acct.auto_delete_saves += 1
            acct.auto_delete_months = args[0]
            return [args[0]]
        if name == "delete" and args:
            now = datetime.now(UTC)
            ranges: dict[str, Callable[[Item], bool]] = {
                "hour": lambda i: now - i.at <= timedelta(hours=1),
                "day": lambda i: now - i.at <= timedelta(days=1),
                "all": lambda _: True,
            }
            if args[0] == "item" and len(args) == 2:
                return [self._delete(acct, lambda i: i.id == args[1])]
            if args[0] in ranges:
                return [self._delete(acct, ranges[args[0]])]
        return 400

    @staticmethod
    def _delete(acct: Account, which: Callable[[Item], bool]) -> int:
        gone = [i for i in acct.items if which(i)]
        acct.items = [i for i in acct.items if not which(i)]
        acct.deletions += 1
        acct.activity_deleted += len(gone)
        return len(gone)

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
        def _no_store(resp: Response) -> Response:
            if not request.path.startswith(CONTROL_PREFIX) and resp.mimetype == "text/html":
                resp.headers.setdefault("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
                resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
            return resp

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            (SERVICE_LOGIN, self._service_login, ["GET"]),
            ("/signin", self._service_login, ["GET"]),
            (SIGNIN, self._identifier, ["GET"]),
            (LOOKUP, self._lookup, ["POST"]),
            ("/v3/signin/challenge/pwd", lambda: self._step_page("pwd"), ["GET"]),
            ("/v3/signin/challenge/totp", lambda: self._step_page("totp"), ["GET"]),
            ("/v3/signin/challenge/dp", lambda: self._step_page("dp"), ["GET"]),
            ("/v3/signin/rejected", lambda: self._step_page("rejected"), ["GET"]),
            (CHALLENGE, self._challenge, ["POST"]),
            (DP_POLL, self._dp_poll, ["POST"]),
            (CAPTCHA_IMG, self._captcha_image, ["GET"]),
            ("/Logout", self._logout, ["GET"]),
            (PAGE, self._gemini, ["GET"]),
            (BATCH, self._batchexecute, ["POST"]),
            ("/favicon.ico", lambda: Response(FAVICON, mimetype="image/svg+xml"), ["GET"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule, endpoint=rule, view_func=view, methods=methods)

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int]:
            return pages.error_page(self._page(), 404, "The requested URL was not found on this server."), 404

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
            return jsonify({"approved": True}) if ok else json_error("no sign-in waiting for the phone", 404)

        @bp.get("/captcha")
        def captcha() -> Response | tuple[Response, int]:
            found = self.captcha_text()
            return jsonify({"text": found}) if found else json_error("no captcha shown", 404)

        app.register_blueprint(bp)


def _captcha_png(text: str) -> bytes:
    """The characters, each turned a little, among strokes: only the pixels tell them."""
    width, height = 240, 70
    img = Image.new("RGB", (width, height), (245, 245, 245))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=34)
    for n, ch in enumerate(text):
        glyph = Image.new("RGBA", (44, 54), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 4), ch, font=font, fill=(40, 40, 90))
        glyph = glyph.rotate(secrets.randbelow(50) - 25, resample=Image.Resampling.BICUBIC)
        img.paste(glyph, (12 + n * 36, 6 + secrets.randbelow(10)), glyph)
    for _ in range(9):
        x, y = secrets.randbelow(width), secrets.randbelow(height)
        draw.line((x, y, x + secrets.randbelow(120) - 60, y + secrets.randbelow(40) - 20),
                  fill=(90 + secrets.randbelow(100),) * 3, width=2)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = GeminiReplica

__all__ = ["GeminiReplica", "Replica", "Variants"]
