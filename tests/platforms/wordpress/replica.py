"""A local replica of WordPress.com's log-in and per-site General settings (shared/platforms/wordpress.md).

    replica = WordPressReplica()
    replica.add_account("alice@example.com", "secret", objects=["alice.wordpress.com", "cats.wordpress.com"])
    replica.configure(autosave=True, save_fails_once=True)
    with ReplicaServer(replica.app) as server: ...   # server.url
    replica.opted_out("alice@example.com")  # {"prevent-third-party-sharing": every site's switch On}
    replica.objects("alice@example.com")    # {"alice.wordpress.com": bool, ...}

Opted out = the switch ON ("Prevent third-party sharing"). Everything the tests need to know or steer
also goes through `/__replica__/…` (see README.md).
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
    random_digits,
)

from . import pages

SETTING_ID = "prevent-third-party-sharing"
SESSION_COOKIE = "wordpress_logged_in"
YEAR = 365 * 24 * 3600
SITES_API = "/rest/v1.2/me/sites"
SAVE_API = "/rest/v1.4/sites/<int:site_id>/settings"
PREVENT_KEY = "wpcom_data_sharing_opt_out"
# The save API's keys: the switch, and its neighbours on the same page that must never change with it.
NEIGHBOUR_KEYS = {"blogname": "title", "blogdescription": "tagline", "site_visibility": "visibility",
                  "discourage_search_engines": "discourage"}
VISIBILITIES = ("coming_soon", "public", "private")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_SPLIT = re.compile(r"[\s,;|]+")


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
    older_release: bool = False  # the announcement's label, "Prevent third-party data sharing"
    one_page_signin: bool = False  # username and password on one page (default: Continue, then password)
    autosave: bool = False  # the Privacy card saves each change at once and has no Save button
    site_path: Literal["address", "id"] = "address"  # how URLs name a site; "id": only its numeric id
    site_list: Literal["load_more", "pages"] = "load_more"
    sites_per_page: int = 10


ONE_SHOTS = ("first_load_503", "save_fails_once", "session_expired_once")


@dataclass
class Site:
    address: str
    id: int
    title: str
    discourage_initial: bool
    prevent_initial: bool
    tagline: str = ""
    visibility: str = "public"
    discourage: bool = False
    prevent: bool = False  # wpcom_data_sharing_opt_out: On = opted out
    saves: int = 0
    neighbours_changed: list[str] = field(default_factory=list)

    def restore(self) -> None:
        self.tagline, self.visibility, self.saves = "", "public", 0
        self.title = _title(self.address)
        self.discourage, self.prevent = self.discourage_initial, self.prevent_initial
        self.neighbours_changed = []

    def state(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "tagline": self.tagline, "visibility": self.visibility,
                "discourage_search_engines": self.discourage, "prevent_third_party_sharing": self.prevent,
                "saves": self.saves, "neighbours_changed": list(self.neighbours_changed)}


@dataclass
class Account:
    email: str
    username: str
    password: str
    name: str
    available: bool
    totp_secret: str | None
    added: list[Site]  # the sites as added, for reset(); a site added later goes on reset
    sites: dict[str, Site] = field(default_factory=dict)
    saves: int = 0
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0

    def restore(self) -> None:
        self.sites = {}
        for site in self.added:
            site.restore()
            self.sites[site.address] = site
        self.saves = self.sign_ins = self.failed_logins = self.failed_challenges = 0


def _flag(name: str, value: Any) -> bool:
    """A boolean option, also given as a string (python -m tests.replicas passes strings)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be a boolean, not {value!r}")


def _names(name: str, value: str | Iterable[str] | None) -> list[str]:
    """Site addresses from a list, or from one string split at commas, semicolons, bars or spaces
    (`python -m tests.replicas` splits its options at commas, so there `;` separates them). "none" or
    an empty list: no site."""
    if value is None:
        return []
    items = _SPLIT.split(value) if isinstance(value, str) else list(value)
    if isinstance(value, str) and value.strip().lower() in ("none", "-"):
        return []
    out: list[str] = []
    for item in items:
        address = str(item).strip().lower()
        if not address:
            continue
        if not _HOST.match(address):
            raise ValueError(f"{name}: {item!r} is not a site address such as example.wordpress.com")
        if address in out:
            raise ValueError(f"{name}: {address!r} is given twice")
        out.append(address)
    return out


def _local(email: str) -> str:
    """A username or site name from an email's local part: lowercase letters and digits only, as
    WordPress.com addresses are."""
    return re.sub(r"[^a-z0-9]", "", email.split("@", 1)[0].lower()) or "member"


def _title(address: str) -> str:
    return address.split(".", 1)[0].capitalize()


def _default_name(email: str) -> str:
    local = email.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w]
    return " ".join(w.capitalize() for w in words) or "Member"


class WordPressReplica:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # session cookie value -> email
        self._nonces: dict[str, str] = {}  # session cookie value -> the nonce its pages send on a save
        self._pending: dict[str, tuple[str, str]] = {}  # authenticator-step token -> (email, target)
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, username: str | None = None,
                    objects: str | Iterable[str] | None = None, discourage_search: str | Iterable[str] | None = None,
                    prevented: str | Iterable[str] | None = None, available: bool | str = True,
                    totp_secret: str | None = None) -> dict[str, Any]:
        """`objects`: the account's sites (addresses); None: one, `<email's local part>.wordpress.com`.
        `discourage_search`: those of them set to discourage search engines (WordPress.com switched
        their sharing off, so their switch starts On). `prevented`: those whose switch starts On anyway."""
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        user = (username or _local(email)).strip().lower()
        if not re.fullmatch(r"[a-z0-9]+", user):
            raise ValueError("username: lowercase letters and digits only")
        addresses = [f"{_local(email)}.wordpress.com"] if objects is None else _names("objects", objects)
        discouraged = set(_names("discourage_search", discourage_search))
        on = set(_names("prevented", prevented))
        for option, chosen in (("discourage_search", discouraged), ("prevented", on)):
            if chosen - set(addresses):
                raise ValueError(f"{option}: {sorted(chosen - set(addresses))} not among the account's objects")
        with self._lock:
            other = next((a for a in self._accounts.values() if a.email != email and a.username == user), None)
            if other is not None:
                raise ValueError(f"username {user!r} belongs to {other.email}")
            sites = [self._new_site(a, a in discouraged, a in discouraged or a in on) for a in addresses]
            acct = Account(email=email, username=user, password=password, name=name or _default_name(email),
                           available=_flag("available", available), totp_secret=totp_secret or None, added=sites)
            acct.restore()
            self._accounts[email] = acct
            return self._account_state(acct)

    def add_object(self, email: str, name: str, discourage_search: bool | str = False) -> dict[str, Any]:
        """A site the member creates later: sharing allowed (switch Off) unless it discourages search
        engines. KeyError: unknown email; ValueError: a bad or taken address."""
        found = _names("name", [name])
        if not found:
            raise ValueError("a site needs an address such as example.wordpress.com")
        address = found[0]
        with self._lock:
            acct = self._get(email)
            if address in acct.sites:
                raise ValueError(f"{address!r} is already one of {acct.email}'s sites")
            discourage = _flag("discourage_search", discourage_search)
            acct.sites[address] = self._new_site(address, discourage, discourage)
            return self._account_state(acct)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            before = self.variants
            after = apply_variants(self.variants, variants)
            if after.sites_per_page < 1:
                raise ValueError("variant sites_per_page: must be at least 1")
            self.variants = after
            for name in ONE_SHOTS:  # setting a one-shot fault again arms it again
                if name in variants and getattr(self.variants, name):
                    self._fired.discard(name)
            if after.older_release != before.older_release:
                self.h.renew()  # another release: other hashed class names

    def reset(self, drop_accounts: bool = False) -> None:
        with self._lock:
            self.variants = Variants()
            for store in (self._sessions, self._nonces, self._pending):
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

    def objects(self, email: str) -> dict[str, bool]:
        """Per site address: is its "Prevent third-party sharing" switch On (opted out) on the server?"""
        with self._lock:
            return {a: s.prevent for a, s in self._get(email).sites.items()}

    def opted_out(self, email: str) -> dict[str, bool]:
        """Opted out only when every site's switch is On (an account without sites: nothing to do)."""
        return {SETTING_ID: all(self.objects(email).values())}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """A "policy update": every site back to WordPress.com's default, sharing allowed (switch Off)."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            for acct in targets:
                for site in acct.sites.values():
                    site.prevent = False
            return [a.email for a in targets]

    def revoke_sessions(self, email: str | None = None) -> int:
        """Ends the live sessions of one account (or all); how many ended."""
        with self._lock:
            who = self._get(email).email if email else None
            ended = [t for t, e in self._sessions.items() if who is None or e == who]
            for token in ended:
                del self._sessions[token]
                self._nonces.pop(token, None)
            return len(ended)

    # ------------------------------------------------------------ helpers

    def _new_site(self, address: str, discourage: bool, prevent: bool) -> Site:
        taken = {s.id for a in self._accounts.values() for s in (*a.added, *a.sites.values())}
        while (site_id := int(random_digits(9)) % 900_000_000 + 100_000_000) in taken:
            pass
        site = Site(address=address, id=site_id, title=_title(address), discourage_initial=discourage,
                    prevent_initial=prevent)
        site.restore()
        return site

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "username": acct.username, "available": acct.available,
            "totp": bool(acct.totp_secret),
            "objects": {a: s.prevent for a, s in acct.sites.items()},
            SETTING_ID: all(s.prevent for s in acct.sites.values()),
            "sites": {a: s.state() for a, s in acct.sites.items()},
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

    def _fields(self) -> dict[str, str]:
        """Form-field names: hashed per replica instance, so no flow can know them beforehand."""
        return {k: self.h(f"login:{k}") for k in ("login", "password", "target", "token", "code")}

    def _page(self) -> pages.Page:
        return pages.Page(self.h)

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
            return self._accounts.get(email) if email else None

    def _path_of(self, site: Site) -> str:
        return str(site.id) if self.variants.site_path == "id" else site.address

    def _ref(self, site: Site) -> pages.SiteRef:
        return pages.SiteRef(site.address, site.title, self._path_of(site))

    def _site(self, acct: Account, path: str) -> Site | None:
        """The member's site a URL names (its address, or its id under site_path="id"), or None."""
        path = path.strip().lower()
        return next((s for s in acct.sites.values() if self._path_of(s) == path), None)

    def _label(self) -> str:
        return pages.LABEL_OLDER if self.variants.older_release else pages.LABEL

    def _to_login(self) -> Response:
        return redirect("/log-in?" + urlencode({"redirect_to": request.url}))

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
                token = request.cookies.get(SESSION_COOKIE, "")
                self._sessions.pop(token, None)
                self._nonces.pop(token, None)
            resp = self._to_login()
            resp.delete_cookie(SESSION_COOKIE, path="/")
            return resp
        return acct

    @staticmethod
    def _safe_target(raw: str | None) -> str:
        """Where to go after log-in: a path on this site only. An absolute wordpress.com URL maps to its
        path, so a link captured on the real site still works against the replica."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
        if parts.netloc and host != request.host.split(":")[0] and host != "wordpress.com" \
                and not host.endswith(".wordpress.com"):
            return "/"
        if not parts.netloc and (not raw.startswith("/") or raw.startswith("//")):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _not_found(self, title: str = "Page not found",
                   text: str = "Sorry, the page you were looking for doesn't exist.") -> tuple[str, int]:
        return pages.message_page(self._page(), title, text), 404

    # ------------------------------------------------------------ views: log in

    def _login_page(self, target: str, login: str = "", with_password: bool | None = None,
                    error: str = "") -> str:
        # one_page_signin: the password field is always there; else only after "Continue"
        show = self.variants.one_page_signin or bool(with_password)
        return pages.log_in(self._page(), names=self._fields(), target=target, login=login, with_password=show,
                            error=error)

    def _login_get(self) -> Response | str:
        target = self._safe_target(request.args.get("redirect_to"))
        if self._member():
            return redirect(target)
        return self._login_page(target)

    def _find(self, login: str) -> Account | None:
        login = login.strip().lower()
        with self._lock:
            return self._accounts.get(login) or next(
                (a for a in self._accounts.values() if a.username == login), None)

    def _login_post(self) -> Response | str:
        """The username step ("Continue": the same page with the password field), or the password."""
        n, form = self._fields(), request.form
        target = self._safe_target(form.get(n["target"]))
        login = form.get(n["login"], "").strip()
        if not login:
            return self._login_page(target, error="Please enter a username or email address.")
        acct = self._find(login)
        if acct is None:
            with self._lock:
                self._unknown_logins += 1
            return self._login_page(target, login, with_password=False,
                                    error="User does not exist. Would you like to create a new account?")
        if n["password"] not in form:  # the first step: show the password field, the username kept
            return self._login_page(target, login, with_password=True)
        ok = secrets.compare_digest(form.get(n["password"], "").encode(), acct.password.encode())
        with self._lock:
            if not ok:
                acct.failed_logins += 1
        if not ok:
            return self._login_page(target, login, with_password=True,
                                    error="Oops, that's not the right password. Please try again!")
        if acct.totp_secret:
            token = secrets.token_urlsafe(24)
            with self._lock:
                self._pending[token] = (acct.email, target)
            return pages.authenticator(self._page(), names=n, token=token)
        return self._sign_in(acct, target)

    def _authenticator_post(self) -> Response | str:
        n, form = self._fields(), request.form
        token = form.get(n["token"], "")
        with self._lock:
            pending = self._pending.get(token)
        if pending is None:
            return redirect("/log-in", code=303)
        acct = self._accounts[pending[0]]
        code = form.get(n["code"], "").strip().replace(" ", "")
        if not (acct.totp_secret and pyotp.TOTP(acct.totp_secret).verify(code, valid_window=1)):
            with self._lock:
                acct.failed_challenges += 1
            return pages.authenticator(self._page(), names=n, token=token,
                                       error="Invalid verification code. Please try again.")
        with self._lock:
            self._pending.pop(token, None)
        return self._sign_in(acct, pending[1])

    def _sign_in(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(48)
        with self._lock:
            acct.sign_ins += 1
            self._sessions[token] = acct.email
            self._nonces[token] = secrets.token_hex(5)
        resp = redirect(target, code=303)
        resp.set_cookie(SESSION_COOKIE, token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        return resp

    def _social(self, provider: str) -> Response | tuple[str, int]:
        name = pages.PROVIDERS.get(provider)
        if name is None:
            return self._not_found()
        return pages.social(self._page(), name, self._safe_target(request.args.get("redirect_to"))), 502

    def _log_out(self) -> Response:
        with self._lock:
            token = request.cookies.get(SESSION_COOKIE, "")
            self._sessions.pop(token, None)
            self._nonces.pop(token, None)
        resp = redirect("/", code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------ views: signed in

    def _home(self) -> Response | str:
        acct = self._member()
        if acct is None:
            return pages.landing(self._page())
        first = next(iter(acct.sites.values()), None)
        return redirect(f"/home/{self._path_of(first)}" if first else "/sites")

    def _batch(self, acct: Account) -> tuple[list[Site], int, int]:
        """This request's batch of the member's sites: (sites, offset, page number)."""
        per, sites = self.variants.sites_per_page, list(acct.sites.values())
        if self.variants.site_list == "load_more":
            return sites[:per], 0, 1
        try:
            page_no = max(1, int(request.args.get("page", "1")))
        except ValueError:
            page_no = 1
        page_no = min(page_no, max(1, (len(sites) + per - 1) // per))
        offset = (page_no - 1) * per
        return sites[offset:offset + per], offset, page_no

    def _list(self, acct: Account, *, title: str, intro: str, prefix: str, base: str) -> str:
        batch, offset, page_no = self._batch(acct)
        return pages.site_list(self._page(), acct.name, title=title, intro=intro,
                               sites=[self._ref(s) for s in batch], prefix=prefix, total=len(acct.sites),
                               offset=offset, per_page=self.variants.sites_per_page, mode=self.variants.site_list,
                               page_no=page_no, base=base, empty="You don't have any sites yet.")

    def _sites(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return self._list(acct, title="Sites", intro="Manage all your sites.", prefix="/home/", base="/sites")

    def _site_home(self, site_path: str) -> Response | str | tuple[str, int]:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        site = self._site(acct, site_path)
        if site is None:
            return self._site_not_found()
        return pages.site_home(self._page(), acct.name, self._ref(site))

    def _site_not_found(self) -> tuple[str, int]:
        return self._not_found("Site not found", "We can't find that site, or you don't have access to it.")

    def _general_picker(self) -> Response | str | tuple[str, int]:
        """/settings/general without a site: the one site's page, or a picker of them all."""
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        if len(acct.sites) == 1:
            return redirect(f"/settings/general/{self._path_of(next(iter(acct.sites.values())))}")
        if self._fire_once("first_load_503"):
            return self._unavailable()
        return self._list(acct, title="Select a site", intro="Select a site to open its General settings.",
                          prefix="/settings/general/", base="/settings/general")

    def _unavailable(self) -> tuple[str, int]:
        return pages.message_page(self._page(), "Service Unavailable",
                                  "WordPress.com is temporarily unavailable. Please try again in a few minutes."), 503

    def _general(self, site_path: str) -> Response | str | tuple[str, int]:
        acct = self._guard(settings_page=True)
        if isinstance(acct, Response):
            return acct
        site = self._site(acct, site_path)
        if site is None:
            return self._site_not_found()
        if self._fire_once("first_load_503"):
            return self._unavailable()
        v = self.variants
        with self._lock:
            values = pages.GeneralValues(site.title, site.tagline, site.visibility, site.discourage, site.prevent)
            nonce = self._nonces.get(request.cookies.get(SESSION_COOKIE, ""), "")
        return pages.general_settings(self._page(), acct.name, self._ref(site), values,
                                      label=self._label() if acct.available else None, nonce=nonce,
                                      save_url=f"/rest/v1.4/sites/{site.id}/settings", autosave=v.autosave,
                                      late_ms=v.late_render_ms, replace_node=v.replace_node)

    def _section(self, section: str, site_path: str) -> Response | str | tuple[str, int]:
        """Other pages of the site menu (Posts, Writing settings, …): there, without the switch."""
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        site = self._site(acct, site_path)
        if site is None:
            return self._site_not_found()
        title = pages.OTHER_SECTIONS.get(section) or f"{pages.SETTINGS_SECTIONS[section]} Settings"
        href = f"/{section}/{site_path}" if section in pages.OTHER_SECTIONS else f"/settings/{section}/{site_path}"
        return pages.section_page(self._page(), acct.name, self._ref(site), title, href)

    def _me(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.profile(self._page(), acct.name, acct.email, acct.username)

    def _reader(self) -> Response | str:
        acct = self._guard()
        if isinstance(acct, Response):
            return acct
        return pages.reader(self._page(), acct.name)

    # ------------------------------------------------------------ the APIs the pages call

    def _sites_api(self) -> Response | tuple[Response, int]:
        """The next batch for "Load more": `?offset=&number=` -> {found, sites: [{ID, name, address, slug}]}."""
        acct = self._member()
        if acct is None:
            return json_error("unauthorized", 401)
        try:
            offset = max(0, int(request.args.get("offset", "0")))
            number = min(100, max(1, int(request.args.get("number", str(self.variants.sites_per_page)))))
        except ValueError:
            return json_error("bad request", 400)
        sites = list(acct.sites.values())
        return jsonify({"found": len(sites), "sites": [
            {"ID": s.id, "name": s.title, "address": s.address, "URL": f"https://{s.address}",
             "slug": self._path_of(s)} for s in sites[offset:offset + number]]})

    def _save(self, site_id: int) -> Response | tuple[Response, int]:
        """The General page's background save: JSON of the changed fields, `x-wp-nonce` header."""
        acct = self._member()
        if acct is None:
            return json_error("unauthorized", 401)
        with self._lock:
            nonce = self._nonces.get(request.cookies.get(SESSION_COOKIE, ""), "")
        if not secrets.compare_digest(request.headers.get("x-wp-nonce", ""), nonce):
            return json_error("invalid nonce", 403)
        site = next((s for s in acct.sites.values() if s.id == site_id), None)
        if site is None:
            return json_error("unknown blog", 404)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not body or not self._valid(acct, body):
            return json_error("bad request", 400)
        with self._lock:
            acct.saves += 1
            site.saves += 1
            if self._fire_once("save_fails_once"):
                return json_error("internal error", 500)
            if not self.variants.save_never_persists:
                for key, value in body.items():
                    if key == PREVENT_KEY:
                        site.prevent = value
                    elif getattr(site, NEIGHBOUR_KEYS[key]) != value:
                        setattr(site, NEIGHBOUR_KEYS[key], value)
                        site.neighbours_changed.append(key)
        return jsonify({"updated": body})

    @staticmethod
    def _valid(acct: Account, body: dict[str, Any]) -> bool:
        for key, value in body.items():
            if key == PREVENT_KEY:
                if not acct.available or not isinstance(value, bool):
                    return False
            elif key == "discourage_search_engines":
                if not isinstance(value, bool):
                    return False
            elif key == "site_visibility":
                if value not in VISIBILITIES:
                    return False
            elif key in ("blogname", "blogdescription"):
                if not isinstance(value, str) or len(value) > 200:
                    return False
            else:
                return False
        return True

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

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", self._home, ["GET"]),
            ("/log-in", self._login_get, ["GET"]),
            ("/log-in#post", self._login_post, ["POST"]),
            ("/log-in/authenticator", self._authenticator_post, ["POST"]),
            ("/log-in/social/<provider>", self._social, ["GET"]),
            ("/log-out", self._log_out, ["GET", "POST"]),
            ("/me", self._me, ["GET"]),
            ("/read", self._reader, ["GET"]),
            ("/sites", self._sites, ["GET"]),
            ("/home/<site_path>", self._site_home, ["GET"]),
            ("/settings/general", self._general_picker, ["GET"]),
            ("/settings/general/<site_path>", self._general, ["GET"]),
            (SITES_API, self._sites_api, ["GET"]),
            (SAVE_API, self._save, ["POST"]),
        ]
        for rule, view, methods in routes:
            app.add_url_rule(rule.partition("#")[0], endpoint=rule, view_func=view, methods=methods)
        for section in pages.OTHER_SECTIONS:
            app.add_url_rule(f"/{section}/<site_path>", endpoint=f"section:{section}", methods=["GET"],
                             view_func=lambda site_path, s=section: self._section(s, site_path))
        for section in pages.SETTINGS_SECTIONS:
            if section != "general":
                app.add_url_rule(f"/settings/{section}/<site_path>", endpoint=f"settings:{section}", methods=["GET"],
                                 view_func=lambda site_path, s=section: self._section(s, site_path))

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
        def add_object() -> Response | tuple[Response, int]:
            """`{email, name[, discourage_search]}` -> 201 with the account's state; 404 unknown email."""
            data = body()
            try:
                return jsonify(self.add_object(str(data.get("email") or ""), str(data.get("name") or ""),
                                               data.get("discourage_search", False))), 201
            except KeyError as exc:
                return json_error(str(exc), 404)
            except ValueError as exc:
                return json_error(str(exc))

        @bp.post("/objects")
        def objects() -> Response | tuple[Response, int]:
            """`{email}` -> {site address: opted out}."""
            try:
                return jsonify(self.objects(str(body().get("email") or "")))
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
Replica = WordPressReplica

__all__ = ["SETTING_ID", "Replica", "Variants", "WordPressReplica"]
