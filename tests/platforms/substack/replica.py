"""A local replica of Substack's sign-in, dashboard and publication settings (shared/platforms/substack.md).

    replica = SubstackReplica()
    replica.add_account("alice@example.com", "secret", objects=["alice", "tech-notes"], signin="password")
    replica.configure(older_release=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"block-ai-training": every publication opted out}
    replica.objects("alice@example.com")    # {"alice": bool, "tech-notes": bool}

Every publication's pages (really on https://<sub>.substack.com) are served on the replica's one
origin under /pub/<sub>/ (pages.PUB_PREFIX). Opted out = the switch ON. See README.md.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
)

from . import pages, texts
from .pages import pub_path
from .texts import AI_KEY, SETTING_ID

SESSION_COOKIE = "substack.sid"
SESSION_AGE = 90 * 24 * 3600
BATCH = 10  # publications per batch on the dashboard
PUBS_API = "/api/v1/user/publications"
SAVE_API = "/api/v1/publication"  # under /pub/<sub>
SIGNIN_KINDS = ("password", "email_link")
_SUB = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
Answer = Response | tuple[str, int]  # a redirect, or a page with its status


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
    older_release: bool = False  # "Block AI training" under "Publication details"
    signin_mode: Literal["email_first", "password_link"] = "email_first"
    list_paging: Literal["show_more", "pages"] = "show_more"
    privacy_tab: bool = False  # one settings section per page (/publish/settings/<section>)


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Publication:
    sub: str
    title: str
    initial: bool  # opted out as added, for reset()
    blocked: bool = False  # the AI switch on the server: True = On = opted out
    neighbours: dict[str, bool] = field(default_factory=lambda: dict(texts.NEIGHBOURS))
    saves: int = 0  # AI-switch saves that passed session, owner, CSRF and body checks (failed ones too)
    other_writes: list[dict[str, Any]] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        return {"title": self.title, "block_ai_training": self.blocked, "settings": dict(self.neighbours),
                "saves": self.saves, "other_writes": list(self.other_writes)}


@dataclass
class Account:
    email: str
    password: str
    name: str
    signin: str
    available: bool
    totp_secret: str | None
    added: list[tuple[str, bool]]  # (subdomain, opted out) as added, for reset()
    pubs: dict[str, Publication] = field(default_factory=dict)
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    links_sent: int = 0
    last_link: str | None = None

    def restore(self) -> None:
        self.pubs = {sub: Publication(sub, _title(sub), blocked, blocked) for sub, blocked in self.added}
        self.sign_ins = self.failed_logins = self.failed_challenges = self.links_sent = 0
        self.last_link = None


@dataclass
class Pending:
    """A sign-in under way: the password step, a link sent, or the two-factor step."""

    email: str | None  # None: an unknown address (a link is "sent" to nobody)
    target: str
    stage: Literal["password", "link", "code"]


def _flag(name: str, value: Any) -> bool:
    """A boolean option, also given as a string (python -m tests.replicas passes strings)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _names_list(name: str, value: Any) -> list[str] | None:
    """A list of subdomains: a list, or one string separated by commas, semicolons, '|', '+' or
    spaces (the command line's account field already splits on commas). "none" = no publication."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip().lower() == "none":
            return []
        items = [v for v in re.split(r"[,;|+\s]+", value) if v]
    elif isinstance(value, Iterable):
        items = [str(v) for v in value]
    else:
        raise ValueError(f"{name} must be a list of subdomains, not {value!r}")
    out = []
    for item in items:
        sub = item.strip().lower()
        if not _SUB.fullmatch(sub):
            raise ValueError(f"{name}: {item!r} is not a subdomain (a-z, 0-9, '-')")
        if sub in out:
            raise ValueError(f"{name}: {sub!r} given twice")
        out.append(sub)
    return out


def _title(sub: str) -> str:
    return " ".join(w.capitalize() for w in sub.split("-") if w) or sub


def _default_name(email: str) -> str:
    local = email.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w]
    return " ".join(w.capitalize() for w in words) or "Member"


class SubstackReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, tuple[str, str]] = {}  # cookie value -> (email, csrf token)
        self._pending: dict[str, Pending] = {}
        self._links: dict[str, tuple[str, str]] = {}  # sign-in link token -> (email, target)
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, objects: Any = None,
                    opted_out_objects: Any = None, signin: str | None = "password", available: bool | str = True,
                    totp_secret: str | None = None) -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        signin = signin or "password"
        if signin not in SIGNIN_KINDS:
            raise ValueError(f"signin must be one of {SIGNIN_KINDS}")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        subs = _names_list("objects", objects)
        blocked = _names_list("opted_out_objects", opted_out_objects) or []
        with self._lock:
            taken = {s for e, a in self._accounts.items() if e != email for s in a.pubs}
            if subs is None:  # one publication named from the email, made unique as Substack would
                base = re.sub(r"[^a-z0-9]", "", email.split("@", 1)[0]) or "pub"
                sub, n = base, 1
                while sub in taken:
                    n += 1
                    sub = f"{base}{n}"
                subs = [sub]
            if clash := sorted(set(subs) & taken):
                raise ValueError(f"objects: {', '.join(clash)} already belong to another account")
            if unknown := sorted(set(blocked) - set(subs)):
                raise ValueError(f"opted_out_objects: {', '.join(unknown)} not among the objects")
            acct = Account(email=email, password=password, name=name or _default_name(email), signin=signin,
                           available=_flag("available", available), totp_secret=totp_secret or None,
                           added=[(s, s in blocked) for s in subs])
            acct.restore()
            self._accounts[email] = acct
            return self._account_state(acct)

    def add_object(self, email: str, name: str) -> dict[str, Any]:
        """A publication created later (not opted out, Substack's default); the account's state."""
        with self._lock:
            acct = self._get(email)
            subs = _names_list("name", [name]) or []
            if any(subs[0] in a.pubs for a in self._accounts.values()):
                raise ValueError(f"{subs[0]!r} already exists")
            acct.pubs[subs[0]] = Publication(subs[0], _title(subs[0]), False)
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
            for store in (self._sessions, self._pending, self._links, self._page_requests):
                store.clear()
            self._fired.clear()
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
        """Per publication (subdomain): is its AI switch On (opted out) on the server?"""
        with self._lock:
            return {sub: pub.blocked for sub, pub in self._get(email).pubs.items()}

    def opted_out(self, email: str) -> dict[str, bool]:
        """Opted out only when every publication's switch is On (no publication: nothing to do)."""
        return {SETTING_ID: all(self.objects(email).values())}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """Substack's default again: every publication's switch Off (training allowed)."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                for pub in acct.pubs.values():
                    pub.blocked = False
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The sign-in link of the last email "sent" to that member (absolute when served), or None."""
        with self._lock:
            acct = self._accounts.get((email or "").strip().lower())
            if acct is None or acct.last_link is None:
                return None
            return f"{self.url or ''}{acct.last_link}"

    def revoke_sessions(self, email: str | None = None) -> int:
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, (e, _) in self._sessions.items() if who is None or e == who]
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
        pubs = acct.pubs.values()
        return {
            "email": acct.email, "name": acct.name, "signin": acct.signin, "available": acct.available,
            "totp": bool(acct.totp_secret),
            "objects": {p.sub: p.blocked for p in pubs},
            "publications": {p.sub: p.state() for p in pubs},
            "saves": sum(p.saves for p in pubs), "other_writes": sum(len(p.other_writes) for p in pubs),
            "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges, "links_sent": acct.links_sent,
            "sessions": sum(1 for e, _ in self._sessions.values() if e == acct.email),
        }

    def _owner(self, sub: str) -> Account | None:
        return next((a for a in self._accounts.values() if sub in a.pubs), None)

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _names(self) -> dict[str, str]:
        """Form-field names: hashed per replica instance, so no flow can know them beforehand."""
        return {k: self.h(f"field:{k}") for k in ("email", "password", "target", "token", "code")}

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _session(self) -> tuple[Account, str] | None:
        with self._lock:
            found = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            if found is None or found[0] not in self._accounts:
                return None
            return self._accounts[found[0]], found[1]

    def _member(self) -> Account | None:
        found = self._session()
        return found[0] if found else None

    def _to_signin(self, for_pub: str = "") -> Response:
        here = request.full_path.rstrip("?")
        query = {"redirect": here, **({"for_pub": for_pub} if for_pub else {})}
        resp = redirect("/sign-in?" + urlencode(query))
        if request.cookies.get(SESSION_COOKIE):  # a session the server no longer knows, or ended
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    def _guard(self, for_pub: str = "", settings_page: bool = False) -> Account | Response:
        """The signed-in member, or the redirect a signed-out visitor gets (to sign in, and back)."""
        acct = self._member()
        if acct is None:
            return self._to_signin(for_pub)
        if settings_page and self._fire_once("session_expired_once"):
            with self._lock:
                self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            return self._to_signin(for_pub)
        return acct

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after sign-in: a path on this origin. A real Substack URL maps to the replica's
        path: https://substack.com/x -> /x, https://<sub>.substack.com/x -> /pub/<sub>/x."""
        if not raw:
            return "/home"
        parts = urlsplit(raw)
        path = parts.path or "/"
        query = f"?{parts.query}" if parts.query else ""
        if not path.startswith("/") or path.startswith("//") or "\\" in raw:
            return "/home"
        if parts.netloc or parts.scheme:
            host = (parts.hostname or "").lower()
            if host in (request.host.split(":")[0], "substack.com", "www.substack.com"):
                return path + query
            sub = host.removesuffix(".substack.com")
            if host.endswith(".substack.com") and _SUB.fullmatch(sub):
                return pub_path(sub, path) + query
            return "/home"
        return path + query

    def _not_found(self) -> tuple[str, int]:
        return pages.error_page(self._page(), "Page not found", "We couldn't find the page you're looking for."), 404

    # ------------------------------------------------------------ views: sign-in

    def _signin_get(self) -> Response | str:
        target = self._safe_target(request.args.get("redirect"))
        if self._member():
            return redirect(target)
        with_password = self.variants.signin_mode == "password_link" and \
            request.args.get("with_password", "").lower() == "true"
        return self._signin_page(target, request.args.get("for_pub", ""), with_password)

    def _signin_page(self, target: str, for_pub: str, with_password: bool, email: str = "",
                     error: str = "") -> str:
        owner = self._owner(for_pub) if for_pub else None
        title = owner.pubs[for_pub].title if owner else ""
        return pages.signin(self._page(), names=self._names(), target=target, for_pub=title,
                            with_password=with_password,
                            offer_password_link=self.variants.signin_mode == "password_link", email=email, error=error)

    def _signin_post(self) -> Response | str:
        """The email (and, on the password page of `password_link`, the password)."""
        n, form = self._names(), request.form
        target = self._safe_target(form.get(n["target"]))
        email = form.get(n["email"], "").strip().lower()
        with_password = n["password"] in form
        if not email or "@" not in email:
            return self._signin_page(target, "", with_password, email, texts.NO_EMAIL)
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
        if with_password:
            if acct is None or not self._password_ok(acct, form.get(n["password"], "")):
                return self._signin_page(target, "", True, email, texts.WRONG_PASSWORD)
            return self._after_first_factor(acct, target)
        if acct is not None and acct.signin == "password" and self.variants.signin_mode == "email_first":
            token = self._new_pending(Pending(email, target, "password"))
            return pages.password_step(self._page(), names=n, token=token, email=email)
        # a sign-in link, to a known address only; the page never tells who has an account
        return self._send_link(Pending(email if acct else None, target, "link"), email)

    def _password_post(self) -> Response | str:
        n = self._names()
        token = request.form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.stage != "password" or pending.email is None:
            return redirect("/sign-in", code=303)
        acct = self._accounts[pending.email]
        if not self._password_ok(acct, request.form.get(n["password"], "")):
            return pages.password_step(self._page(), names=n, token=token, email=acct.email,
                                       error=texts.WRONG_PASSWORD)
        with self._lock:
            self._pending.pop(token, None)
        return self._after_first_factor(acct, pending.target)

    def _email_link_post(self) -> Response | str:
        """ "Email me a sign-in link instead" on the password step, or "Resend email"."""
        token = request.form.get(self._names()["token"], "")
        with self._lock:
            pending = self._pending.pop(token, None)
        if pending is None or pending.stage not in ("password", "link"):
            return redirect("/sign-in", code=303)
        return self._send_link(Pending(pending.email, pending.target, "link"), pending.email or "")

    def _send_link(self, pending: Pending, shown: str) -> str:
        token = self._new_pending(pending)
        if pending.email:
            link = secrets.token_urlsafe(32)
            with self._lock:
                acct = self._accounts[pending.email]
                self._links[link] = (acct.email, pending.target)
                acct.links_sent += 1
                acct.last_link = "/sign-in/link?" + urlencode({"token": link})
        return pages.check_email(self._page(), names=self._names(), token=token, email=shown)

    def _link_get(self) -> Response | str | tuple[str, int]:
        with self._lock:
            found = self._links.pop(request.args.get("token", ""), None)
        if found is None:
            return pages.link_expired(self._page()), 410
        return self._after_first_factor(self._accounts[found[0]], found[1])

    def _two_factor_post(self) -> Response | str:
        n = self._names()
        token = request.form.get(n["token"], "")
        pending = self._pending.get(token)
        if pending is None or pending.stage != "code" or pending.email is None:
            return redirect("/sign-in", code=303)
        acct = self._accounts[pending.email]
        code = request.form.get(n["code"], "").strip().replace(" ", "")
        if not pyotp.TOTP(acct.totp_secret or "").verify(code, valid_window=1):
            with self._lock:
                acct.failed_challenges += 1
            return pages.two_factor(self._page(), names=n, token=token, error=texts.WRONG_CODE)
        with self._lock:
            self._pending.pop(token, None)
        return self._sign_in(acct, pending.target)

    def _new_pending(self, pending: Pending) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._pending[token] = pending
        return token

    def _password_ok(self, acct: Account, password: str) -> bool:
        """A member who signs in by link only has no password: every password is wrong."""
        ok = acct.signin == "password" and secrets.compare_digest(password.encode(), acct.password.encode())
        if not ok:
            with self._lock:
                acct.failed_logins += 1
        return ok

    def _after_first_factor(self, acct: Account, target: str) -> Response | str:
        if acct.totp_secret:
            token = self._new_pending(Pending(acct.email, target, "code"))
            return pages.two_factor(self._page(), names=self._names(), token=token)
        return self._sign_in(acct, target)

    def _sign_in(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(48)
        with self._lock:
            self._sessions[token] = (acct.email, secrets.token_urlsafe(24))
            acct.sign_ins += 1
        resp = redirect(target, code=303)
        resp.set_cookie(SESSION_COOKIE, token, max_age=SESSION_AGE, path="/", httponly=True, samesite="Lax")
        return resp

    def _signout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: substack.com

    def _root(self) -> Response | str:
        return redirect("/home") if self._member() else pages.landing(self._page())

    def _home(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.home(self._page(), pages.header(self._page(), acct.name, "/home"), acct.name)

    def _account_settings(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        p = self._page()
        return pages.account_settings(p, pages.header(p, acct.name, "/settings"), acct.name, acct.email)

    def _main_domain_publish(self, rest: str = "") -> Response:
        """/publish/… on substack.com itself: no publication there, the member picks one."""
        acct = self._guard()
        return acct if isinstance(acct, Response) else redirect("/dashboard")

    def _dashboard(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        paging = self.variants.list_paging
        page = max(1, request.args.get("page", 1, type=int) or 1) if paging == "pages" else 1
        with self._lock:
            all_pubs = [(p.sub, p.title) for p in acct.pubs.values()]
        start = (page - 1) * BATCH
        shown = all_pubs[start:start + BATCH]
        if page > 1 and not shown:
            return redirect("/dashboard")
        p = self._page()
        return pages.dashboard(p, pages.header(p, acct.name, "/dashboard"), shown,
                               more=start + BATCH < len(all_pubs), paging=paging, page=page,
                               offset=start + len(shown), api=PUBS_API)

    def _pubs_api(self) -> Response | tuple[Response, int]:
        """The dashboard's next batch: `?offset=N` -> {publications: [...], more}."""
        acct = self._member()
        if acct is None:
            return json_error("unauthenticated", 401)
        offset = max(0, request.args.get("offset", 0, type=int) or 0)
        with self._lock:
            pubs = list(acct.pubs.values())
        batch = [{"title": pub.title, "address": pages.address(pub.sub),
                  "dashboard_url": pub_path(pub.sub, "/publish/home"),
                  "settings_url": pub_path(pub.sub, "/publish/settings")} for pub in pubs[offset:offset + BATCH]]
        return jsonify({"publications": batch, "more": offset + BATCH < len(pubs)})

    # ------------------------------------------------------------ views: <sub>.substack.com

    def _pub_for(self, sub: str, settings_page: bool = False) -> tuple[Account, Publication] | Answer:
        """The owner and the publication, or the answer a visitor gets instead."""
        with self._lock:
            owner = self._owner(sub)
        if owner is None:
            return self._not_found()
        acct = self._guard(for_pub=sub, settings_page=settings_page)
        if isinstance(acct, Response):
            return acct
        if acct is not owner:  # someone else's dashboard: the publication's public page
            return redirect(pub_path(sub))
        return acct, owner.pubs[sub]

    def _pub_public(self, sub: str) -> str | tuple[str, int]:
        with self._lock:
            owner = self._owner(sub)
        if owner is None:
            return self._not_found()
        return pages.pub_public(self._page(), sub, owner.pubs[sub].title, self._member() is owner)

    def _pub_page(self, sub: str, which: str) -> Response | str | tuple[str, int]:
        found = self._pub_for(sub)
        if not isinstance(found, tuple) or not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        _, pub = found
        p = self._page()
        if which == "home":
            return pages.pub_home(p, sub, pub.title)
        lines = {"posts": ("Posts", "You haven't published anything yet."),
                 "subscribers": ("Subscribers", "You don't have any subscribers yet.")}
        heading, line = lines[which]
        return pages.pub_stub(p, sub, pub.title, heading, f"/publish/{which}", line)

    def _pub_settings(self, sub: str, section: str = "") -> Response | str | tuple[str, int]:
        v = self.variants
        sections = texts.SECTIONS_OLDER if v.older_release else texts.SECTIONS_2026
        if section and section not in {s.slug for s in sections[1:]}:
            return self._not_found()
        found = self._pub_for(sub, settings_page=True)
        if not isinstance(found, tuple) or not isinstance(found[0], Account):
            return found  # type: ignore[return-value]
        acct, pub = found
        base = pub_path(sub, "/publish/settings")
        if section and not v.privacy_tab:  # one page: the section is an anchor of it
            return redirect(f"{base}#{section}")
        if self._fire_once("first_load_503"):
            return pages.error_page(self._page(), "Something went wrong",
                                    "Substack is having trouble loading this page.", retry=request.path), 503
        shown = [next(s for s in sections if s.slug == section)] if section else \
            list(sections[:1] if v.privacy_tab else sections)
        with self._lock:
            values = {AI_KEY: pub.blocked, **pub.neighbours}
            found_session = self._session()
        csrf = found_session[1] if found_session else ""
        return pages.settings_page(self._page(), sub, pub.title, sections=sections, shown=shown,
                                   tabs=v.privacy_tab, active=request.path, values=values,
                                   available=acct.available, late_ms=v.late_render_ms,
                                   replace_node=v.replace_node, save_url=pub_path(sub, SAVE_API), csrf=csrf)

    def _save(self, sub: str) -> Response | tuple[Response, int]:
        """A switch's background save: PUT JSON {field: bool}, one field, x-csrf-token header."""
        found = self._session()
        if found is None:
            return json_error("unauthenticated", 401)
        acct, csrf = found
        pub = acct.pubs.get(sub)
        if pub is None:
            return json_error("forbidden", 403)
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), csrf):
            return json_error("invalid csrf token", 403)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or len(body) != 1:
            return json_error("bad request", 400)
        (key, value), = body.items()
        if (key != AI_KEY and key not in pub.neighbours) or not isinstance(value, bool):
            return json_error("bad request", 400)
        if key == AI_KEY and not acct.available:
            return json_error("not found", 404)
        with self._lock:
            if key != AI_KEY:
                pub.other_writes.append({"setting": key, "value": value})
                pub.neighbours[key] = value
                return jsonify({key: value})
            pub.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                pub.blocked = value
        return jsonify({key: value})

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
            if not request.path.startswith(CONTROL_PREFIX):
                resp.headers.setdefault("Cache-Control", "no-store")
            return resp

        pub = pages.PUB_PREFIX + "/<sub>"
        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._root, ["GET"]),
            ("/sign-in", self._signin_get, ["GET"]),
            ("/sign-in#post", self._signin_post, ["POST"]),
            ("/sign-in/password", self._password_post, ["POST"]),
            ("/sign-in/email-link", self._email_link_post, ["POST"]),
            ("/sign-in/link", self._link_get, ["GET"]),
            ("/sign-in/two-factor", self._two_factor_post, ["POST"]),
            ("/sign-out", self._signout, ["GET", "POST"]),
            ("/home", self._home, ["GET"]),
            ("/settings", self._account_settings, ["GET"]),
            ("/dashboard", self._dashboard, ["GET"]),
            (PUBS_API, self._pubs_api, ["GET"]),
            ("/publish", self._main_domain_publish, ["GET"]),
            ("/publish/<path:rest>", self._main_domain_publish, ["GET"]),
            (pub, self._pub_public, ["GET"]),
            (f"{pub}/publish", lambda sub: redirect(pub_path(sub, "/publish/home")), ["GET"]),
            (f"{pub}/publish/home", lambda sub: self._pub_page(sub, "home"), ["GET"]),
            (f"{pub}/publish/posts", lambda sub: self._pub_page(sub, "posts"), ["GET"]),
            (f"{pub}/publish/subscribers", lambda sub: self._pub_page(sub, "subscribers"), ["GET"]),
            (f"{pub}/publish/settings", self._pub_settings, ["GET"]),
            (f"{pub}/publish/settings/<section>", self._pub_settings, ["GET"]),
            (f"{pub}{SAVE_API}", self._save, ["PUT"]),
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

        @bp.post("/email_code")
        def email_code() -> tuple[Response, int] | Response:
            link = self.email_code(str(body().get("email") or ""))
            if link is None:
                return json_error("no sign-in email was sent to that member", 404)
            return jsonify({"code": link, "link": link})

        @bp.post("/revoke_sessions")
        def revoke_sessions() -> Response | tuple[Response, int]:
            try:
                return jsonify({"revoked": self.revoke_sessions(str(body().get("email") or "") or None)})
            except KeyError as exc:
                return json_error(str(exc), 404)

        app.register_blueprint(bp)


# tests/replicas finds a platform's replica by this name (tests/platforms/NAME/replica.py: Replica).
Replica = SubstackReplica

__all__ = ["SETTING_ID", "Replica", "SubstackReplica", "Variants"]
