"""Test helpers for the Meta replicas: read a page's forms by their labels (as a person does, never
by the replica's generated ids or names) and go through sign-in and the forms with Flask's test client."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ALICE, PW = "alice@example.com", "Secret-pw-1"


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # (value, text, selected)
    text: str = ""  # a textarea's content


@dataclass
class Form:
    action: str
    method: str
    in_template: bool
    controls: list[Control] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # for= id -> label text
    buttons: list[str] = field(default_factory=list)

    def by_label(self, label: str) -> Control:
        ids = [i for i, t in self.labels.items() if t == label]
        found = [c for c in self.controls if c.attrs.get("id") in ids]
        assert len(found) == 1, f"label {label!r}: {len(found)} controls (labels: {list(self.labels.values())})"
        return found[0]

    def visible(self) -> list[Control]:
        return [c for c in self.controls if c.attrs.get("type") != "hidden"]

    def data(self, fill: dict[str, str] | None = None) -> dict[str, str]:
        """What the browser would send: hidden and prefilled values, then `fill` ({label: value};
        a select takes an option's text, a radio's label takes any value to check it)."""
        out: dict[str, str] = {}
        for c in self.controls:
            name = c.attrs.get("name", "")
            if c.tag == "textarea":
                out[name] = c.text
            elif c.tag == "select":
                out[name] = next((v for v, _, sel in c.options if sel), c.options[0][0] if c.options else "")
            elif c.attrs.get("type") == "radio":
                if "checked" in c.attrs:
                    out[name] = c.attrs.get("value", "")
            else:
                out[name] = c.attrs.get("value", "")
        for label, value in (fill or {}).items():
            c = self.by_label(label)
            if c.tag == "select":
                matches = [v for v, t, _ in c.options if t == value]
                assert matches, f"{label!r} has no option {value!r}"
                out[c.attrs["name"]] = matches[0]
            elif c.attrs.get("type") == "radio":
                out[c.attrs["name"]] = c.attrs["value"]
            else:
                out[c.attrs["name"]] = value
        return out


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self._form: Form | None = None
        self._template = 0
        self._label: tuple[str, list[str]] | None = None
        self._capture: Control | None = None  # textarea or option being read
        self._option: list[Any] | None = None
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._template += 1
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), self._template > 0)
            self.forms.append(self._form)
        elif tag == "label":
            self._label = (a.get("for", ""), [])
        elif tag in ("input", "select", "textarea") and self._form is not None:
            control = Control(tag, a)
            self._form.controls.append(control)
            if tag in ("select", "textarea"):
                self._capture = control
        elif tag == "option" and self._capture is not None:
            self._option = [a.get("value", ""), [], "selected" in a]
        elif tag == "button":
            self._button = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        elif tag == "form":
            self._form = None
        elif tag == "label" and self._label:
            self.labels[self._label[0]] = " ".join("".join(self._label[1]).split())
            self._label = None
        elif tag == "option" and self._option is not None and self._capture is not None:
            value, parts, selected = self._option
            self._capture.options.append((value, "".join(parts).strip(), selected))
            self._option = None
        elif tag in ("select", "textarea"):
            self._capture = None
        elif tag == "button" and self._button is not None:
            if self._form is not None:
                self._form.buttons.append(" ".join("".join(self._button).split()))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._label:
            self._label[1].append(data)
        if self._option is not None:
            self._option[1].append(data)
        elif self._capture is not None and self._capture.tag == "textarea":
            self._capture.text += data
        if self._button is not None:
            self._button.append(data)


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    for f in parser.forms:
        f.labels = {i: t for i, t in parser.labels.items() if any(c.attrs.get("id") == i for c in f.controls)}
    return parser.forms


def only_form(html: str) -> Form:
    found = forms(html)
    assert len(found) == 1, f"{len(found)} forms"
    return found[0]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')


def alerts(html: str) -> list[str]:
    return [visible_text(m).strip() for m in re.findall(r'role="alert"[^>]*>(.*?)</div>', html, flags=re.S)]


def submit(client: FlaskClient, form: Form, fill: dict[str, str] | None = None, **kw: Any) -> TestResponse:
    return client.post(form.action, data=form.data(fill), **kw)


# ---------------------------------------------------------------- sign-in

def login_labels(brand_key: str) -> tuple[str, str]:
    user = "Email address or phone number" if brand_key == "facebook" else "Phone number, username or email address"
    return user, "Password"


def log_in(client: FlaskClient, brand: Any, email: str = ALICE, password: str = PW, next_url: str = "",
           **kw: Any) -> TestResponse:
    page = client.get(brand.login_path, query_string={"next": next_url} if next_url else None)
    user, pw = login_labels(brand.key)
    return submit(client, only_form(page.text), {user: email, pw: password}, **kw)


def signed_in(replica: Any, email: str = ALICE, password: str = PW) -> FlaskClient:
    client = replica.app.test_client()
    r = log_in(client, replica.brand, email, password)
    assert r.status_code == 303, r.text
    return client


def next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


# ---------------------------------------------------------------- the objection form

EN_2025 = {"email": "Email address", "text": "Additional information (optional)"}
EN_2024 = {"country": "Country of residence", "email": "Email address",
           "text": "Tell us how this processing affects you"}
FR_2025 = {"email": "Adresse e-mail", "text": "Informations complémentaires (facultatif)"}
FR_2024 = {"country": "Pays de résidence", "email": "Adresse e-mail",
           "text": "Dites-nous comment ce traitement vous affecte"}
SEND = {"en": "Send", "fr": "Envoyer"}
CONFIRMATION = {"en": ("will be applied going forward", "You'll receive an email with details"),
                "fr": ("sera appliquée à l'avenir", "Vous recevrez un e-mail contenant les détails")}
CODE_LABEL = {"en": "Confirmation code", "fr": "Code de confirmation"}


def confirmed_page(html: str, lang: str = "en") -> bool:
    text = visible_text(html)
    return all(part in text for part in CONFIRMATION[lang]) and 'role="status"' in html and "<form" not in html
