"""The Meta replica (shared/platforms/meta.md): the right-to-object forms of Facebook and Instagram,
their sign-in pages and the click path to them. `tests/platforms/facebook/replica.py` and
`tests/platforms/instagram/replica.py` are this class with their brand (pages.Brand).

    replica = FacebookReplica()
    replica.add_account("alice@example.com", "secret", region="FR")
    replica.configure(version="2024")
    with ReplicaServer(replica.app) as server: ...
    replica.state()["accounts"]["alice@example.com"]["objections"]

There is no switch on these platforms: the server keeps every objection sent (when, what was in each
field, whether it was confirmed), and `opted_out()` reads that. See tests/platforms/meta/README.md.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import re
import secrets
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal
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
from .pages import Brand, FormView, Page
from .texts import CHOICES, EXTRA, OFFERED, TP_REQUESTS, country_name, text

SETTING = "objection-form"
YEAR = 365 * 24 * 3600
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_TICKETS = 5000  # forms drawn and not yet sent; the oldest are forgotten first


@dataclass
class Variants:
    """Page variants and faults, all off by default; see tests/platforms/meta/README.md."""

    version: Literal["2025", "2024"] = "2025"
    choices: bool = False
    send_by_script: bool = False
    signed_out_forms: bool = False
    extra_regions: bool = False
    delay_ms: int = 0
    late_render_ms: int = 0
    first_load_503: bool = False
    session_expired_once: bool = False
    submit_fails_once: bool = False
    submit_error_after_store: bool = False


ONE_SHOTS = ("first_load_503", "session_expired_once", "submit_fails_once")


@dataclass
class Account:
    email: str
    password: str
    name: str
    region: str
    totp_secret: str | None
    sign_ins: int = 0
    failed_logins: int = 0
    failed_challenges: int = 0
    send_attempts: int = 0  # every Send of the objection form that reached the server (valid or not)
    failed_codes: int = 0
    objections: list[dict[str, Any]] = field(default_factory=list)
    third_party: list[dict[str, Any]] = field(default_factory=list)

    def restore(self) -> None:
        self.sign_ins = self.failed_logins = self.failed_challenges = self.send_attempts = self.failed_codes = 0
        self.objections, self.third_party = [], []

    @property
    def user_id(self) -> str:
        """A stable numeric member id (the `c_user` / `ds_user_id` cookie)."""
        return str(1000_0000_0000_000 + int(hashlib.sha256(self.email.encode()).hexdigest()[:12], 16) % 10**14)


@dataclass
class Ticket:
    """One drawn form: its generated input names, who it was drawn for, what it sends."""

    kind: Literal["login", "two_factor", "objection", "code", "third_party"]
    names: dict[str, str]  # field key -> generated input name
    owner: str | None = None  # the signed-in member it was drawn for (None: signed out)
    form_path: str = ""
    lang: str = "en"
    version: str = "2025"
    choice_values: dict[str, str] = field(default_factory=dict)  # choice key -> generated radio value
    countries: tuple[str, ...] = ()
    pending: str = ""  # two_factor: the pending sign-in; code: the pending confirmation


@dataclass
class PendingSignIn:
    email: str
    next: str


@dataclass
class PendingCode:
    objection: dict[str, Any]  # the stored (unconfirmed) objection, shared with its account's list
    code: str
    sent_to: str
    lang: str
    signed_in: bool


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _gen_name() -> str:
    """An input name generated for one drawing of a form (meta.md knows no names)."""
    return "u" + secrets.token_hex(5)


class MetaReplica:
    """Facebook's or Instagram's objection forms; subclasses set `brand`."""

    brand: ClassVar[Brand]

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.variants = Variants()
        self.h = HashedClasses()
        self._accounts: dict[str, Account] = {}
        self._sessions: dict[str, str] = {}  # session cookie -> email
        self._tickets: OrderedDict[str, Ticket] = OrderedDict()
        self._sign_ins: dict[str, PendingSignIn] = {}  # checkpoint cookie -> pending 2FA sign-in
        self._codes_pending: dict[str, PendingCode] = {}
        self._codes: dict[str, str] = {}  # address -> the last code "emailed" there
        self._unmatched: list[dict[str, Any]] = []  # signed-out sends whose email is nobody's
        self._fired: set[str] = set()
        self._page_requests: Counter[str] = Counter()
        self._unknown_logins = 0
        self._next_id = 1
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    # ------------------------------------------------------------ Python API

    def add_account(self, email: str, password: str, name: str | None = None, totp_secret: str | None = None,
                    region: str = "FR") -> dict[str, Any]:
        if not email or "@" not in email or not password:
            raise ValueError("an account needs an email address and a password")
        region = (region or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", region):
            raise ValueError(f"region must be a two-letter country code, not {region!r}")
        region = "GB" if region == "UK" else region
        if totp_secret:
            pyotp.TOTP(totp_secret).now()  # raises on a malformed secret
        email = email.strip().lower()
        default_name = " ".join(w.capitalize() for w in re.split(r"[._+-]+", email.partition("@")[0]) if w)
        acct = Account(email=email, password=password, name=name or default_name or "Member", region=region,
                       totp_secret=totp_secret or None)
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
            for store in (self._sessions, self._tickets, self._sign_ins, self._codes_pending, self._codes):
                store.clear()
            self._unmatched.clear()
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
                "unmatched_objections": copy.deepcopy(self._unmatched),
                "unknown_logins": self._unknown_logins,
                "page_requests": dict(self._page_requests),
            }

    def opted_out(self, email: str) -> dict[str, bool]:
        """`objection-form`: an objection sent through this platform's form and confirmed (2024: its
        emailed code entered). With the `choices` variant, only the choice that objects to the use of
        the member's information for Meta AI counts."""
        with self._lock:
            return {SETTING: self._objected(self._get(email))}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """Nothing to switch on here: a sent objection stays sent. Returns the emails it was asked about."""
        with self._lock:
            targets = [self._get(email)] if email else list(self._accounts.values())
            return [a.email for a in targets]

    def email_code(self, email: str) -> str | None:
        """The last 6-digit code "emailed" to this address by the 2024 form (the person reading mail)."""
        with self._lock:
            return self._codes.get((email or "").strip().lower())

    # ------------------------------------------------------------ state helpers

    def _get(self, email: str | None) -> Account:
        acct = self._accounts.get((email or "").strip().lower())
        if acct is None:
            raise KeyError(f"no account {email!r}")
        return acct

    def _offered(self) -> frozenset[str]:
        return OFFERED | EXTRA if self.variants.extra_regions else OFFERED

    def _available(self, acct: Account) -> bool:
        return acct.region in self._offered()

    @staticmethod
    def _objected(acct: Account) -> bool:
        opting_out = {c.key for c in CHOICES if c.opts_out}
        return any(o["confirmed"] and (o["choice"] is None or o["choice"] in opting_out) for o in acct.objections)

    def _account_state(self, acct: Account) -> dict[str, Any]:
        return {
            "email": acct.email, "name": acct.name, "region": acct.region, "available": self._available(acct),
            "totp": bool(acct.totp_secret),
            SETTING: self._objected(acct),
            "objections": copy.deepcopy(acct.objections),
            "saves": len(acct.objections),
            "confirmed": sum(1 for o in acct.objections if o["confirmed"]),
            "send_attempts": acct.send_attempts, "failed_codes": acct.failed_codes,
            "third_party_forms": copy.deepcopy(acct.third_party),
            "sign_ins": acct.sign_ins, "failed_logins": acct.failed_logins,
            "failed_challenges": acct.failed_challenges,
            "sessions": sum(1 for e in self._sessions.values() if e == acct.email),
        }

    def _fire_once(self, name: str) -> bool:
        with self._lock:
            if getattr(self.variants, name) and name not in self._fired:
                self._fired.add(name)
                return True
            return False

    def _ticket(self, kind: Any, keys: tuple[str, ...], **extra: Any) -> tuple[str, Ticket]:
        token = secrets.token_urlsafe(18)
        ticket = Ticket(kind=kind, names={k: _gen_name() for k in keys}, **extra)
        with self._lock:
            self._tickets[token] = ticket
            while len(self._tickets) > MAX_TICKETS:
                self._tickets.popitem(last=False)
        return token, ticket

    def _posted_ticket(self, *kinds: str) -> Ticket | None:
        with self._lock:
            ticket = self._tickets.get(request.form.get("lsd", ""))
        return ticket if ticket and ticket.kind in kinds else None

    @staticmethod
    def _field(ticket: Ticket, key: str) -> str:
        return request.form.get(ticket.names.get(key, "\0"), "").strip()

    # ------------------------------------------------------------ request helpers

    def _member(self) -> Account | None:
        with self._lock:
            email = self._sessions.get(request.cookies.get(self.brand.session_cookie, ""))
            return self._accounts.get(email) if email else None

    def _page(self, lang: str = "en") -> Page:
        return Page(lang, self.brand, self.h)

    def _to_login(self, target: str | None = None) -> Response:
        """To the sign-in page, with the page to come back to (Facebook: a full URL; Instagram: a path)."""
        back = target or request.full_path.rstrip("?")
        if self.brand.next_absolute:
            back = request.host_url.rstrip("/") + back
        resp = redirect(f"{self.brand.login_path}?{urlencode({'next': back})}")
        if request.cookies.get(self.brand.session_cookie):  # a session the server no longer knows
            resp.delete_cookie(self.brand.session_cookie, path="/")
        return resp

    def _safe_next(self, raw: str | None) -> str:
        """Where to go after signing in: a path on this site (a URL on the real domain maps to its path)."""
        if not raw:
            return "/"
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc:
            host = (parts.hostname or "").lower()
            domain = f"{self.brand.key}.com"
            if host != (request.host.split(":")[0]).lower() and host != domain and not host.endswith("." + domain):
                return "/"
        elif not raw.startswith("/") or raw.startswith("//"):
            return "/"
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _sign_in(self, acct: Account, target: str) -> Response:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = acct.email
            acct.sign_ins += 1
        resp = redirect(target, code=303)
        resp.set_cookie(self.brand.session_cookie, token, max_age=YEAR, path="/", httponly=True, samesite="Lax")
        resp.set_cookie(self.brand.user_cookie, acct.user_id, max_age=YEAR, path="/", samesite="Lax")
        resp.delete_cookie("checkpoint", path="/")
        return resp

    # ------------------------------------------------------------ views: sign-in

    def _render_login(self, next_url: str, email: str = "", error: str = "") -> str:
        token, ticket = self._ticket("login", ("email", "password"))
        return pages.login(self._page(), token=token, names=ticket.names, next_url=next_url, email=email,
                           error=error)

    def _login_page(self) -> Response | str:
        next_url = request.args.get("next", "")
        if self._member():
            return redirect(self._safe_next(next_url))
        return self._render_login(next_url)

    def _login_submit(self) -> Response | str:
        next_url = request.form.get("next", "")
        ticket = self._posted_ticket("login")
        if ticket is None:
            return self._render_login(next_url, error=text("en", "err_session"))
        email, password = self._field(ticket, "email").lower(), request.form.get(ticket.names["password"], "")
        if not email or not password:
            return self._render_login(next_url, email, text("en", "err_empty"))
        with self._lock:
            acct = self._accounts.get(email)
            if acct is None:
                self._unknown_logins += 1
            elif not secrets.compare_digest(password, acct.password):
                acct.failed_logins += 1
        if acct is None:
            return self._render_login(next_url, email, text("en", "err_unknown"))
        if not secrets.compare_digest(password, acct.password):
            return self._render_login(next_url, email, text("en", "err_password"))
        target = self._safe_next(next_url)
        if not acct.totp_secret:
            return self._sign_in(acct, target)
        pending = secrets.token_urlsafe(24)
        with self._lock:
            self._sign_ins[pending] = PendingSignIn(acct.email, target)
        resp = redirect(f"{self.brand.two_factor_path}?{urlencode({'next': target})}", code=303)
        resp.set_cookie("checkpoint", pending, path="/", httponly=True, samesite="Lax")
        return resp

    def _render_two_factor(self, pending: str, error: str = "") -> str:
        token, ticket = self._ticket("two_factor", ("code",), pending=pending)
        return pages.two_factor(self._page(), token=token, names=ticket.names, error=error)

    def _two_factor_page(self) -> Response | str:
        pending = request.cookies.get("checkpoint", "")
        if pending not in self._sign_ins:
            return redirect(self.brand.login_path)
        return self._render_two_factor(pending)

    def _two_factor_submit(self) -> Response | str:
        ticket = self._posted_ticket("two_factor")
        with self._lock:
            found = self._sign_ins.get(ticket.pending) if ticket else None
        if ticket is None or found is None:
            return redirect(self.brand.login_path, code=303)
        acct = self._accounts[found.email]
        code = re.sub(r"\s+", "", self._field(ticket, "code"))
        if not (acct.totp_secret and pyotp.TOTP(acct.totp_secret).verify(code, valid_window=1)):
            with self._lock:
                acct.failed_challenges += 1
            return self._render_two_factor(ticket.pending, text("en", "tfa_wrong"))
        with self._lock:
            self._sign_ins.pop(ticket.pending, None)
        return self._sign_in(acct, found.next)

    def _logout(self) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(self.brand.session_cookie, ""), None)
        resp = redirect(self.brand.login_path, code=303)
        resp.delete_cookie(self.brand.session_cookie, path="/")
        return resp

    # ------------------------------------------------------------ views: the click path

    def _signed_in_page(self, render: Callable[[Page, Account], str]) -> Callable[[], Response | str]:
        def view() -> Response | str:
            acct = self._member()
            if acct is None:
                return self._to_login()
            return render(self._page(), acct)
        return view

    def _ai_page(self, p: Page, acct: Account) -> str:
        ok = self._available(acct)
        return pages.ai_at_meta(p, self.brand.objection_path if ok else None,
                                self.brand.third_party_path if ok else None)

    # ------------------------------------------------------------ views: the forms

    def _form_page(self, form_id: str) -> Response | str | tuple[str, int]:
        path = f"{self.brand.contact_prefix}{form_id}"
        acct = self._member()
        found = self.brand.forms.get(path)
        if found is None:
            return pages.not_found(self._page(), acct is not None), 404
        kind, lang = found
        p = self._page(lang)
        if acct is None and not self.variants.signed_out_forms:
            return self._to_login()
        if acct is not None and kind == "objection":
            if self._fire_once("session_expired_once"):
                with self._lock:
                    self._sessions.pop(request.cookies.get(self.brand.session_cookie, ""), None)
                return self._to_login()
            if self._fire_once("first_load_503"):
                return pages.error_page(p, "unavailable_title", "unavailable_body"), 503
        if acct is not None and not self._available(acct):
            return pages.help_home(p, signed_in=True)  # no form where it is not offered
        if kind == "third_party":
            return self._render_third_party(acct, path, {"email": acct.email if acct else ""}, {})
        return self._render_objection(acct, path, lang, self.variants.version,
                                      {"email": acct.email if acct else ""}, {})

    def _render_objection(self, acct: Account | None, path: str, lang: str, version: str,
                          values: dict[str, str], errors: dict[str, str], late: bool = True,
                          alert: str = "") -> str:
        keys = ("email", "text") + (("country",) if version == "2024" else ()) + (
            ("choice",) if self.variants.choices else ())
        choice_values = {c.key: random_digits(6) for c in CHOICES} if self.variants.choices else {}
        countries = tuple(sorted(self._offered() - {"UK"})) if version == "2024" else ()
        token, ticket = self._ticket("objection", keys, owner=acct.email if acct else None, form_path=path,
                                     lang=lang, version=version, choice_values=choice_values, countries=countries)
        view = FormView(token=token, names=ticket.names, choice_values=choice_values, version=version,
                        countries=countries, values=values, errors=errors, alert=alert)
        return pages.objection_form(self._page(lang), view, signed_in=acct is not None,
                                    late_ms=self.variants.late_render_ms if late else 0,
                                    by_script=self.variants.send_by_script)

    def _render_third_party(self, acct: Account | None, path: str, values: dict[str, str],
                            errors: dict[str, str]) -> str:
        token, ticket = self._ticket("third_party", ("request", "email", "text"),
                                     owner=acct.email if acct else None, form_path=path)
        return pages.third_party_form(self._page(), token=token, names=ticket.names, values=values, errors=errors,
                                      signed_in=acct is not None, by_script=self.variants.send_by_script)

    def _submit(self) -> Response | str | tuple[str, int]:
        """Every Send (and the 2024 code's Confirm) posts here; the hidden `lsd` says which form it was."""
        ticket = self._posted_ticket("objection", "code", "third_party")
        acct = self._member()
        if ticket is None:  # a form this server never drew, or forgot: nothing is kept
            return pages.form_expired(self._page()), 400
        if ticket.owner is not None and (acct is None or acct.email != ticket.owner):
            return self._to_login(ticket.form_path)  # the session ended meanwhile: nothing is kept
        if ticket.kind == "objection":
            return self._submit_objection(ticket, acct)
        if ticket.kind == "code":
            return self._submit_code(ticket, acct)
        return self._submit_third_party(ticket, acct)

    def _owner_of(self, ticket: Ticket, acct: Account | None, email: str) -> Account | None:
        """Whose objection this is: the signed-in member, or (a signed-out form) the account of the email."""
        return acct if ticket.owner is not None else self._accounts.get(email.lower())

    def _submit_objection(self, ticket: Ticket, acct: Account | None) -> Response | str | tuple[str, int]:
        values = {k: self._field(ticket, k) for k in ticket.names}
        lang = ticket.lang
        choice = next((k for k, v in ticket.choice_values.items() if v == values.get("choice")), None)
        values["choice"] = choice or ""
        owner = self._owner_of(ticket, acct, values["email"])
        if owner is not None:
            with self._lock:
                owner.send_attempts += 1
        errors: dict[str, str] = {}
        if ticket.choice_values and choice is None:
            errors["choice"] = text(lang, "err_choice")
        if ticket.version == "2024" and values.get("country") not in ticket.countries:
            errors["country"] = text(lang, "err_country")
        if not EMAIL_RE.fullmatch(values["email"]):
            errors["email"] = text(lang, "err_email")
        if ticket.version == "2024" and not values["text"]:
            errors["text"] = text(lang, "err_reason")
        if errors:
            return self._render_objection(acct, ticket.form_path, lang, ticket.version, values, errors, late=False)
        if self._fire_once("submit_fails_once"):
            return pages.error_page(self._page(lang)), 500  # nothing stored
        country = values.get("country") or None
        chosen = next((c for c in CHOICES if c.key == choice), None)
        with self._lock:
            record = {
                "id": self._next_id, "platform": self.brand.key, "form": ticket.form_path, "lang": lang,
                "version": ticket.version, "at": _now(), "email": values["email"],
                "country": country, "country_label": country_name(country, lang) if country else None,
                "text": values["text"], "choice": choice, "choice_label": chosen.label(lang) if chosen else None,
                "signed_in": ticket.owner is not None, "confirmed": ticket.version == "2025",
                "confirmed_at": _now() if ticket.version == "2025" else None,
                "code_sent_to": None,
            }
            self._next_id += 1
            (owner.objections if owner else self._unmatched).append(record)
        if ticket.version == "2024":
            return self._send_code(ticket, acct, record)
        if self.variants.submit_error_after_store:
            return pages.error_page(self._page(lang)), 500
        return pages.confirmation(self._page(lang), signed_in=acct is not None)

    def _send_code(self, ticket: Ticket, acct: Account | None, record: dict[str, Any]) -> str:
        """2024: the code is "emailed" to the address typed in the form; the page asks for it."""
        code, address = random_digits(6), record["email"].lower()
        pending = secrets.token_urlsafe(18)
        with self._lock:
            record["code_sent_to"] = address
            self._codes[address] = code
            self._codes_pending[pending] = PendingCode(record, code, address, ticket.lang, acct is not None)
        return self._render_code(ticket, acct, pending)

    def _render_code(self, ticket: Ticket, acct: Account | None, pending: str, error: str = "") -> str:
        found = self._codes_pending[pending]
        token, new = self._ticket("code", ("code",), owner=ticket.owner, form_path=ticket.form_path,
                                  lang=ticket.lang, version=ticket.version, pending=pending)
        return pages.code_step(self._page(ticket.lang), token=token, names=new.names, email=found.sent_to,
                               error=error, signed_in=acct is not None, by_script=self.variants.send_by_script)

    def _submit_code(self, ticket: Ticket, acct: Account | None) -> str | tuple[str, int]:
        p = self._page(ticket.lang)
        with self._lock:
            found = self._codes_pending.get(ticket.pending)
        if found is None:
            return pages.code_expired(p, signed_in=acct is not None)
        given = re.sub(r"\s+", "", self._field(ticket, "code"))
        if not (given and secrets.compare_digest(given, found.code)):
            with self._lock:
                owner = self._accounts.get(ticket.owner or found.objection["email"].lower())
                if owner is not None:
                    owner.failed_codes += 1
            return self._render_code(ticket, acct, ticket.pending, text(ticket.lang, "code_wrong"))
        with self._lock:
            self._codes_pending.pop(ticket.pending, None)
            found.objection["confirmed"], found.objection["confirmed_at"] = True, _now()
        if self.variants.submit_error_after_store:
            return pages.error_page(p), 500
        return pages.confirmation(p, signed_in=acct is not None)

    def _submit_third_party(self, ticket: Ticket, acct: Account | None) -> str:
        values = {k: self._field(ticket, k) for k in ticket.names}
        errors: dict[str, str] = {}
        if values["request"] not in TP_REQUESTS:
            errors["request"] = text("en", "err_choice")
        if not EMAIL_RE.fullmatch(values["email"]):
            errors["email"] = text("en", "err_email")
        if errors:
            return self._render_third_party(acct, ticket.form_path, values, errors)
        owner = self._owner_of(ticket, acct, values["email"])
        with self._lock:
            record = {"form": ticket.form_path, "at": _now(), "request": values["request"],
                      "email": values["email"], "text": values["text"], "signed_in": ticket.owner is not None}
            (owner.third_party if owner else self._unmatched).append(record)
        return pages.third_party_done(self._page(), signed_in=acct is not None)

    # ------------------------------------------------------------ the app

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False
        app.wsgi_app = DelayMiddleware(app.wsgi_app, lambda: self.variants.delay_ms)  # type: ignore[method-assign]
        self._add_control_routes(app)
        b = self.brand

        @app.before_request
        def _count() -> None:
            if request.method == "GET" and not request.path.startswith(CONTROL_PREFIX):
                with self._lock:
                    self._page_requests[request.path] += 1

        @app.after_request
        def _no_store(resp: Response) -> Response:
            if resp.mimetype == "text/html":
                resp.headers.setdefault("Cache-Control", "private, no-cache, no-store, must-revalidate")
            return resp

        def home() -> Response | str:
            acct = self._member()
            return pages.home(self._page(), acct.name) if acct else redirect(b.login_path)

        routes: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("/", home, ["GET"]),
            (b.login_path, self._login_page, ["GET"]),
            (b.login_post, self._login_submit, ["POST"]),
            (b.two_factor_path, self._two_factor_page, ["GET"]),
            (b.two_factor_path, self._two_factor_submit, ["POST"]),
            (b.logout_path, self._logout, ["GET", "POST"]),
            (b.settings_path, self._signed_in_page(lambda p, a: pages.settings(p)), ["GET"]),
            ("/privacy/center/", self._signed_in_page(lambda p, a: pages.privacy_center(p)), ["GET"]),
            ("/privacy/genai/", self._signed_in_page(self._ai_page), ["GET"]),
            (f"{b.contact_prefix}<form_id>", self._form_page, ["GET"]),
            (b.submit_path, self._submit, ["POST"]),
        ]
        for n, (rule, view, methods) in enumerate(routes):
            app.add_url_rule(rule, endpoint=f"r{n}", view_func=view, methods=methods)

        @app.errorhandler(404)
        def _not_found(_: Exception) -> tuple[str, int]:
            return pages.not_found(self._page(), self._member() is not None), 404

        @app.errorhandler(405)
        def _not_allowed(_: Exception) -> tuple[str, int]:
            return pages.not_found(self._page(), self._member() is not None), 405

        return app

    def _add_control_routes(self, app: Flask) -> None:
        bp = control_blueprint(self)

        @bp.route("/email_code", methods=["GET", "POST"])
        def email_code() -> Response | tuple[Response, int]:
            """`{email}` -> `{"code"}`: the last code emailed to that address; 404 if none."""
            data = request.get_json(silent=True) or {}
            address = str(data.get("email") or request.args.get("email") or "")
            code = self.email_code(address)
            if not code:
                return json_error(f"no code was emailed to {address!r}", 404)
            return jsonify({"email": address.strip().lower(), "code": code})

        app.register_blueprint(bp)


__all__ = ["SETTING", "Account", "MetaReplica", "Variants"]
