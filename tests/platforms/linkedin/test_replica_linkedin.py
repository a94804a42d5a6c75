"""Tests of the LinkedIn replica itself: over HTTP for its pages, state and test endpoints, and in
headless Chromium for what its scripts do (late render, node replacement, background save, revert)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests

from tests.platforms.linkedin.foreign import ForeignLoginSite
from tests.platforms.linkedin.replica import LinkedInReplica
from tests.replicas.server import ReplicaServer

ROOT = Path(__file__).resolve().parents[3]
ALICE, PW = "alice@example.com", "secret"
GENAI = "/mypreferences/d/settings/data-for-ai-improvement"
GENAI_MOVED = "/mypreferences/d/settings/data-for-generative-ai-improvement"
PRIVACY = "/mypreferences/d/categories/privacy"
PRIVACY_MOVED = "/mypreferences/d/categories/data-privacy"
# Every settings URL linkedin.md gives, and the settings root.
DOCUMENTED = [GENAI, *(f"/mypreferences/d/categories/{c}" for c in ("account", "sign-in-and-security",
              "profile-visibility", "privacy", "ads", "notifications")), "/mypreferences/d"]
SAVE = "/mypreferences/d/api/settings"
EN_LABEL = "Use my data for training content creation AI models"
FR_LABEL = "Utiliser mes données pour entraîner des modèles d'IA de création de contenu"


# ---------------------------------------------------------------- helpers

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    """Start tags matching `tag` and every attribute given (`class_` matches one class)."""
    parser = _Elements()
    parser.feed(html)
    out = []
    for name, have in parser.found:
        if tag and name != tag:
            continue
        ok = True
        for key, want in attrs.items():
            if key == "class_":
                ok = ok and want in have.get("class", "").split()
            else:
                ok = ok and have.get(key.rstrip("_").replace("_", "-")) == want
        if ok:
            out.append(have)
    return out


def one(html: str, tag: str | None = None, **attrs: str) -> dict[str, str]:
    found = elements(html, tag, **attrs)
    assert len(found) == 1, f"{tag} {attrs}: {len(found)} found"
    return found[0]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


def state(replica: LinkedInReplica, email: str = ALICE) -> dict:
    return requests.get(f"{replica.url}/__replica__/state", timeout=5).json()["accounts"][email]


def submit_password(s: requests.Session, url: str, email: str = ALICE, password: str = PW,
                    redirect: str = "", **kw: object) -> requests.Response:
    page = s.get(f"{url}/login", params={"session_redirect": redirect} if redirect else None, timeout=5)
    token = one(page.text, "input", name="loginCsrfParam")["value"]
    data = {"session_key": email, "session_password": password, "loginCsrfParam": token,
            "session_redirect": redirect}
    return s.post(f"{url}/checkpoint/lg/login-submit", data=data, timeout=5, **kw)  # type: ignore[arg-type]


def signed_in(replica: LinkedInReplica, email: str = ALICE) -> requests.Session:
    s = requests.Session()
    assert urlsplit(submit_password(s, replica.url, email).url).path == "/feed/"
    return s


def csrf(s: requests.Session) -> str:
    return s.cookies["JSESSIONID"].strip('"')


def save(s: requests.Session, url: str, value: bool, setting: str = "data-for-ai-improvement",
         token: str | None = None) -> requests.Response:
    headers = {"csrf-token": csrf(s) if token is None else token}
    return s.post(f"{url}{SAVE}", json={"setting": setting, "value": value}, headers=headers, timeout=5)


def control(replica: LinkedInReplica, path: str, **json: object) -> requests.Response:
    return requests.post(f"{replica.url}/__replica__/{path}", json=json, timeout=5)


@pytest.fixture
def li(linkedin: LinkedInReplica) -> LinkedInReplica:
    """The conftest replica with Alice (English, US, no challenge)."""
    linkedin.add_account(ALICE, PW, name="Alice Example")
    return linkedin


# ---------------------------------------------------------------- sign-in

def test_login_page_has_the_documented_form(li: LinkedInReplica) -> None:
    html = requests.get(f"{li.url}/login", timeout=5).text
    form = one(html, "form", class_="login__form")
    assert form["method"] == "post"
    one(html, "input", id="username", name="session_key", autocomplete="username")
    one(html, "input", id="password", name="session_password", type="password")
    one(html, "button", type="submit", aria_label="Sign in")
    for box in ("error-for-username", "error-for-password"):  # present, hidden until an error
        assert "hidden__imp" in one(html, id=box)["class"]
    fr = requests.get(f"{li.url}/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"}, timeout=5).text
    assert 'lang="fr"' in fr and "S'identifier" in visible_text(fr)


def test_wrong_password_and_unknown_member_stay_on_the_login_form(li: LinkedInReplica) -> None:
    s = requests.Session()
    r = submit_password(s, li.url, password="nope")
    assert r.status_code == 200 and "li_at" not in s.cookies
    err = re.search(r'id="error-for-password"[^>]*>([^<]+)<', r.text)
    assert err and "not the right password" in err.group(1)
    one(r.text, "form", class_="login__form")
    r = submit_password(s, li.url, email="nobody@example.com")
    assert re.search(r'id="error-for-username"[^>]*>[^<]*find a LinkedIn account', r.text)
    st = requests.get(f"{li.url}/__replica__/state", timeout=5).json()
    assert st["accounts"][ALICE]["failed_logins"] == 1 and st["accounts"][ALICE]["sign_ins"] == 0
    assert st["unknown_logins"] == 1


def test_sign_in_sets_a_long_li_at_and_a_session_jsessionid(li: LinkedInReplica) -> None:
    s = requests.Session()
    r = submit_password(s, li.url, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/feed/"
    cookies = r.raw.headers.getlist("Set-Cookie")
    li_at = next(c for c in cookies if c.startswith("li_at="))
    assert "HttpOnly" in li_at and int(re.search(r"Max-Age=(\d+)", li_at).group(1)) >= 300 * 86400
    jsession = next(c for c in cookies if c.startswith("JSESSIONID="))
    assert re.match(r'JSESSIONID="ajax:\d{19}"', jsession)
    assert "Max-Age" not in jsession and "Expires" not in jsession
    feed = s.get(f"{li.url}/feed/", timeout=5)
    one(feed.text, "header", id="global-nav")
    one(feed.text, "nav", aria_label="Primary")
    assert len(elements(feed.text, class_="global-nav__primary-link")) >= 5
    assert state(li)["sign_ins"] == 1 and state(li)["sessions"] == 1


def test_signed_out_settings_redirect_to_login_and_back(li: LinkedInReplica) -> None:
    s = requests.Session()
    r = s.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5)
    loc = urlsplit(r.headers["Location"])
    assert r.status_code == 302 and loc.path == "/uas/login"
    target = parse_qs(loc.query)["session_redirect"][0]
    assert target == f"{li.url}{GENAI}"
    one(s.get(f"{li.url}{r.headers['Location']}", timeout=5).text, "form", class_="login__form")
    assert urlsplit(submit_password(s, li.url, redirect=target).url).path == GENAI
    li.configure(authwall=True)
    r = requests.get(f"{li.url}{PRIVACY}", allow_redirects=False, timeout=5)
    assert urlsplit(r.headers["Location"]).path == "/authwall"


def test_remember_me_interstitial_comes_before_the_session(li: LinkedInReplica) -> None:
    li.configure(remember_me=True)
    s = requests.Session()
    r = submit_password(s, li.url)
    assert urlsplit(r.url).path == "/checkpoint/lg/login-submit" and "li_at" not in s.cookies
    button = one(r.text, "button", id="remember-me-prompt__form-primary")
    assert button["type"] == "submit"
    forms = re.findall(r"<form.*?</form>", r.text, flags=re.S)
    primary = next(f for f in forms if "remember-me-prompt__form-primary" in f)
    data = {e["name"]: e["value"] for e in elements(primary, "input")}
    r = s.post(f"{li.url}/checkpoint/lg/remember-me", data=data, timeout=5)
    assert urlsplit(r.url).path == "/feed/" and "li_at" in s.cookies


# ---------------------------------------------------------------- challenges

def _challenge(li: LinkedInReplica, s: requests.Session, email: str) -> requests.Response:
    r = submit_password(s, li.url, email)
    assert re.fullmatch(r"/checkpoint/challenge/[\w-]+", urlsplit(r.url).path) and "li_at" not in s.cookies
    return r


def _verify(li: LinkedInReplica, s: requests.Session, page: str, **fields: str) -> requests.Response:
    data = {e["name"]: e.get("value", "") for e in elements(page, "input", type="hidden")}
    return s.post(f"{li.url}/checkpoint/challenge/verify", data={**data, **fields}, timeout=5)


def test_sms_pin_challenge(li: LinkedInReplica) -> None:
    li.add_account("pin@example.com", PW, challenge="pin")
    s = requests.Session()
    page = _challenge(li, s, "pin@example.com").text
    one(page, "form", id="two-step-challenge")
    one(page, "input", id="input__phone_verification_pin", name="pin", autocomplete="one-time-code")
    one(page, "button", id="two-step-submit-button")
    one(page, "label", for_="recognizedDevice")  # the checkbox is drawn by its label
    assert not elements(page, id="auth-app-div")
    wrong = "000000" if li.pending_pin("pin@example.com")["pin"] != "000000" else "111111"
    r = _verify(li, s, page, pin=wrong)
    assert "isn't valid" in visible_text(r.text) and "li_at" not in s.cookies
    assert state(li, "pin@example.com")["failed_challenges"] == 1
    pin = requests.get(f"{li.url}/__replica__/pin", params={"email": "pin@example.com"}, timeout=5).json()["pin"]
    r = _verify(li, s, r.text, pin=pin, recognizedDevice="true")
    assert urlsplit(r.url).path == "/feed/" and "li_at" in s.cookies
    # "Don't ask again on this browser": the next sign-in from this browser skips the PIN
    s.get(f"{li.url}/m/logout/", timeout=5)
    assert urlsplit(submit_password(s, li.url, "pin@example.com").url).path == "/feed/"


def test_authenticator_app_challenge_takes_the_current_totp(li: LinkedInReplica) -> None:
    secret = pyotp.random_base32()
    li.add_account("totp@example.com", PW, challenge="pin", totp_secret=secret)
    s = requests.Session()
    page = _challenge(li, s, "totp@example.com").text
    one(page, "div", id="auth-app-div")
    r = _verify(li, s, page, pin=pyotp.TOTP(secret).now())
    assert urlsplit(r.url).path == "/feed/"


def test_email_pin_challenge(li: LinkedInReplica) -> None:
    li.add_account("mail@example.com", PW, challenge="email_pin", lang="fr")
    s = requests.Session()
    page = _challenge(li, s, "mail@example.com").text
    one(page, "input", id="input__email_verification_pin", name="pin")
    one(page, "button", id="email-pin-submit-button")
    pin = li.pending_pin("mail@example.com")["pin"]
    assert urlsplit(_verify(li, s, page, pin=pin).url).path == "/feed/"


def test_app_approval_challenge_waits_for_the_phone(li: LinkedInReplica) -> None:
    li.add_account("app@example.com", PW, challenge="app")
    s = requests.Session()
    r = _challenge(li, s, "app@example.com")
    assert "Check your LinkedIn app" in visible_text(r.text)
    status = f"{r.url.split('?')[0]}/status"
    assert s.get(status, timeout=5).json()["status"] == "PENDING"
    assert "li_at" not in _verify(li, s, r.text).cookies and "li_at" not in s.cookies
    assert control(li, "approve", email="app@example.com").status_code == 200
    assert s.get(status, timeout=5).json()["status"] == "APPROVED"
    assert urlsplit(_verify(li, s, r.text).url).path == "/feed/"
    assert control(li, "approve", email="app@example.com").status_code == 404  # nothing pending any more


def test_captcha_challenge_needs_the_puzzle_solved(li: LinkedInReplica) -> None:
    li.add_account("cap@example.com", PW, challenge="captcha")
    s = requests.Session()
    page = _challenge(li, s, "cap@example.com").text
    frame = one(page, "iframe", id="captcha-internal")
    assert "Let's do a quick security check" in visible_text(page)
    assert s.get(f"{li.url}{frame['src']}", timeout=5).status_code == 200
    turns = li.pending_pin("cap@example.com")["captcha_turns_right"]
    r = _verify(li, s, page, captchaUserResponseToken=str((turns + 1) % 6))
    assert "li_at" not in s.cookies and elements(r.text, id="captcha-internal")
    turns = li.pending_pin("cap@example.com")["captcha_turns_right"]  # a new puzzle after a miss
    assert urlsplit(_verify(li, s, r.text, captchaUserResponseToken=str(turns)).url).path == "/feed/"


# ---------------------------------------------------------------- settings pages

def _rows(html: str) -> list[tuple[str, str, str | None]]:
    """(section title, row label, On/Off or None) in page order, read from the aria-hidden copies."""
    out, section = [], ""
    for m in re.finditer(r"<h3[^>]*>(.*?)</h3>|<li><a href=\"([^\"]+)\"[^>]*>(.*?)</a></li>", html, flags=re.S):
        if m.group(1):
            section = visible_text(m.group(1)).strip()
        elif "/mypreferences/d/settings/" in m.group(2):
            shown = re.findall(r'<span aria-hidden="true">([^<]*)</span>', m.group(3))
            out.append((section, shown[0].replace("&#39;", "'"), shown[1] if len(shown) > 1 else None))
    return out


def test_data_privacy_page_sections_and_rows(li: LinkedInReplica) -> None:
    s = signed_in(li)
    html = s.get(f"{li.url}{PRIVACY}", timeout=5).text
    sections = [visible_text(h).strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", html, flags=re.S)]
    assert sections == ["Messaging experience", "Job seeking preferences", "Other applications",
                        "How LinkedIn uses your data", "Who can reach you"]
    uses = [(label, value) for sec, label, value in _rows(html) if sec == "How LinkedIn uses your data"]
    assert uses == [("Manage your data and activity", None), ("Get a copy of your data", None),
                    ("Search history", None), ("Personal demographic information", None),
                    ("Social, economic, and workplace research", "On"),
                    ("Data for Generative AI Improvement", "On")]
    assert sum(1 for *_, value in _rows(html) if value == "On") > 3  # other rows show On too
    one(html, "a", href=GENAI)
    assert save(s, li.url, False).status_code == 200
    rows = _rows(s.get(f"{li.url}{PRIVACY}", timeout=5).text)
    assert ("How LinkedIn uses your data", "Data for Generative AI Improvement", "Off") in rows


def test_french_member_sees_french_labels(li: LinkedInReplica) -> None:
    li.add_account("fr@example.com", PW, name="Aline Exemple", lang="fr")
    s = signed_in(li, "fr@example.com")
    privacy = visible_text(s.get(f"{li.url}{PRIVACY}", timeout=5).text)
    for label in ("Confidentialité des données", "Comment LinkedIn utilise vos données",
                  "Données pour l'amélioration de l'IA générative"):
        assert label in privacy
    page = s.get(f"{li.url}{GENAI}", timeout=5).text
    assert FR_LABEL in visible_text(page) and "Données pour l'amélioration de l'IA générative" in visible_text(page)
    assert "Préférences et confidentialité" in s.get(f"{li.url}/feed/", timeout=5).text
    li.configure(older_release=True)  # the other wordings linkedin.md gives
    assert FR_LABEL.replace("des modèles", "les modèles") in visible_text(s.get(f"{li.url}{GENAI}", timeout=5).text)
    assert "Paramètres et confidentialité" in s.get(f"{li.url}/feed/", timeout=5).text


def test_region_gated_member_has_no_genai_setting(li: LinkedInReplica) -> None:
    li.add_account("eu@example.com", PW, region="FR")
    s = signed_in(li, "eu@example.com")
    assert "Data for Generative AI Improvement" not in s.get(f"{li.url}{PRIVACY}", timeout=5).text
    r = s.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"].endswith(PRIVACY)
    assert save(s, li.url, False).status_code == 404
    assert state(li, "eu@example.com")["genai_available"] is False
    li.configure(region_gate=False)  # after Nov 2025 the EU gets it too
    assert 'role="switch"' in s.get(f"{li.url}{GENAI}", timeout=5).text


def test_deep_link_artdeco_switch_markup(li: LinkedInReplica) -> None:
    s = signed_in(li)
    html = s.get(f"{li.url}{GENAI}", timeout=5).text
    text = visible_text(html)
    for phrase in ("Data for Generative AI Improvement", "Can LinkedIn use your personal data and content you create "
                   "on LinkedIn to train generative AI models that create content?", EN_LABEL,
                   "The data we use for this purpose does not include your private messages. Learn more"):
        assert phrase in text
    switch = one(html, "input", role="switch")
    assert switch["type"] == "checkbox" and switch["aria-checked"] == "true" and "checked" in switch
    assert "artdeco-toggle__button" in switch["class"].split() and re.fullmatch(r"ember\d+", switch["id"])
    one(html, "label", for_=switch["id"])
    assert re.search(r'class="artdeco-toggle__text"[^>]*>On<', html)
    assert "save" not in [b.get("type") for b in elements(html, "button")]  # no Save button
    again = one(s.get(f"{li.url}{GENAI}", timeout=5).text, "input", role="switch")
    assert again["id"] != switch["id"]  # generated ids change on every load


def test_deep_link_sdui_html_arrives_without_the_switch(li: LinkedInReplica) -> None:
    li.configure(markup="sdui")
    html = signed_in(li).get(f"{li.url}{GENAI}", timeout=5).text
    assert 'role="switch"' not in html.split("<script>")[0] and "<template>" not in html
    assert '"lateMs": 1200' in html  # the default late render of the sdui layout


def test_background_save_checks_session_and_csrf(li: LinkedInReplica) -> None:
    s = signed_in(li)
    s.get(f"{li.url}{GENAI}", timeout=5)
    assert save(s, li.url, False, token="").status_code == 403
    assert save(s, li.url, False, token="ajax:0000000000000000000").status_code == 403
    assert requests.post(f"{li.url}{SAVE}", json={"setting": "data-for-ai-improvement", "value": False},
                         timeout=5).status_code == 401
    assert state(li)["genai"] is True
    r = save(s, li.url, False)
    assert r.status_code == 200 and r.json()["value"] is False
    st = state(li)
    assert st["genai"] is False and st["save_requests"] == 1  # refused requests are not saves
    page = s.get(f"{li.url}{GENAI}", timeout=5).text
    assert one(page, "input", role="switch")["aria-checked"] == "false"
    assert save(s, li.url, False, setting="data-research").status_code == 200
    assert state(li)["settings"]["data-research"] is False and state(li)["save_requests"] == 1


def test_save_fails_once_then_works(li: LinkedInReplica) -> None:
    li.configure(save_fails_once=True)
    s = signed_in(li)
    assert save(s, li.url, False).status_code == 500 and state(li)["genai"] is True
    assert save(s, li.url, False).status_code == 200 and state(li)["genai"] is False
    assert state(li)["save_requests"] == 2


def test_save_never_persists(li: LinkedInReplica) -> None:
    li.configure(save_never_persists=True)
    s = signed_in(li)
    r = save(s, li.url, False)
    assert r.status_code == 200 and r.json()["value"] is False
    assert state(li)["genai"] is True
    assert one(s.get(f"{li.url}{GENAI}", timeout=5).text, "input", role="switch")["aria-checked"] == "true"


def test_first_load_503_once(li: LinkedInReplica) -> None:
    li.configure(first_load_503=True)
    s = signed_in(li)
    assert s.get(f"{li.url}{GENAI}", timeout=5).status_code == 503
    assert s.get(f"{li.url}{GENAI}", timeout=5).status_code == 200


def test_session_expired_once(li: LinkedInReplica) -> None:
    li.configure(session_expired_once=True)
    s = signed_in(li)
    r = s.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5)
    assert urlsplit(r.headers["Location"]).path == "/uas/login" and not s.cookies.get("li_at")
    assert state(li)["sessions"] == 0
    s = signed_in(li)
    assert s.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5).status_code == 200


def test_policy_update_switches_it_back_on(li: LinkedInReplica) -> None:
    li.add_account("bob@example.com", PW, genai=False)
    assert state(li, "bob@example.com")["genai"] is False
    assert control(li, "policy_update", email="bob@example.com").json() == {"switched_on": ["bob@example.com"]}
    assert state(li, "bob@example.com")["genai"] is True
    save(signed_in(li), li.url, False)
    assert sorted(control(li, "policy_update").json()["switched_on"]) == [ALICE, "bob@example.com"]
    assert state(li)["genai"] is True
    assert control(li, "policy_update", email="nobody@example.com").status_code == 404


def test_revoke_sessions_signs_kept_sessions_out(li: LinkedInReplica) -> None:
    li.add_account("bob@example.com", PW)
    alice, bob = signed_in(li), signed_in(li, "bob@example.com")
    assert control(li, "revoke_sessions", email=ALICE).json() == {"revoked": 1}
    r = alice.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5)
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/uas/login"
    assert "li_at" not in alice.cookies  # the stale cookie is dropped too
    assert state(li)["sessions"] == 0 and state(li, "bob@example.com")["sessions"] == 1
    assert bob.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5).status_code == 200
    assert requests.post(f"{li.url}{SAVE}", json={"setting": "data-for-ai-improvement", "value": False},
                         cookies={"li_at": "AQEDAstale"}, timeout=5).status_code == 401
    signed_in(li)
    assert li.revoke_sessions() == 2 and state(li)["sessions"] == 0  # everyone's
    assert control(li, "revoke_sessions", email="nobody@example.com").status_code == 404


# ---------------------------------------------------------------- newer releases: moved pages

def link_to(html: str, label: str) -> str:
    """The href of the one link whose text holds `label`."""
    found = {m.group(1) for m in re.finditer(r'<a\b[^>]*?href="([^"]+)"[^>]*>(.*?)</a>', html, flags=re.S)
             if label in visible_text(m.group(2))}
    assert len(found) == 1, f"{label!r}: {found}"
    return found.pop()


def me_menu(feed: str) -> str:
    """The "Me" menu's content, which the page builds only when the menu opens (from its script)."""
    cfg = re.search(r"const cfg = (\{.*?\});\n", feed).group(1)
    return json.loads(cfg)["html"]


def assert_not_found(r: requests.Response, phrase: str = "This page doesn’t exist") -> None:
    assert r.status_code == 404 and phrase in visible_text(r.text)


def test_deep_link_moved(li: LinkedInReplica) -> None:
    s = signed_in(li)
    assert_not_found(s.get(f"{li.url}{GENAI_MOVED}", timeout=5))  # not in the current release
    li.configure(deep_link_moved=True, first_load_503=True)
    assert_not_found(s.get(f"{li.url}{GENAI}", timeout=5))
    privacy = s.get(f"{li.url}{PRIVACY}", timeout=5).text
    assert link_to(privacy, "Data for Generative AI Improvement") == GENAI_MOVED and f'"{GENAI}"' not in privacy
    assert s.get(f"{li.url}{GENAI_MOVED}", timeout=5).status_code == 503  # the faults follow the setting
    page = s.get(f"{li.url}{GENAI_MOVED}", timeout=5).text
    assert EN_LABEL in visible_text(page) and one(page, "input", role="switch")["aria-checked"] == "true"
    assert '"setting": "data-for-ai-improvement"' in page and save(s, li.url, False).status_code == 200
    assert one(s.get(f"{li.url}{GENAI_MOVED}", timeout=5).text, "input", role="switch")["aria-checked"] == "false"
    li.add_account("fr@example.com", PW, lang="fr")
    assert_not_found(signed_in(li, "fr@example.com").get(f"{li.url}{GENAI}", timeout=5), "Cette page n’existe pas")
    r = requests.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5)  # signed out: login first
    assert urlsplit(r.headers["Location"]).path == "/uas/login"


def test_category_moved(li: LinkedInReplica) -> None:
    li.configure(category_moved=True)
    s = signed_in(li)
    for path in DOCUMENTED[1:]:
        assert_not_found(s.get(f"{li.url}{path}", timeout=5))
    settings = link_to(me_menu(s.get(f"{li.url}/feed/", timeout=5).text), "Settings & Privacy")
    account = s.get(f"{li.url}{settings}", timeout=5)
    assert account.status_code == 200 and settings != "/mypreferences/d/categories/account"
    assert link_to(account.text, "Data privacy") == PRIVACY_MOVED
    privacy = s.get(f"{li.url}{PRIVACY_MOVED}", timeout=5).text
    assert link_to(privacy, "Data for Generative AI Improvement") == GENAI
    back = s.get(f"{li.url}{GENAI}", timeout=5).text  # the deep link still works without deep_link_moved
    assert one(back, "a", aria_label="Back")["href"] == PRIVACY_MOVED


def test_moved_release_only_the_click_path_from_the_me_menu_reaches_the_switch(li: LinkedInReplica) -> None:
    li.configure(deep_link_moved=True, category_moved=True)
    s = signed_in(li)
    for path in DOCUMENTED:
        assert_not_found(s.get(f"{li.url}{path}", timeout=5))
    feed = s.get(f"{li.url}/feed/", timeout=5).text
    page = s.get(f"{li.url}{link_to(me_menu(feed), 'Settings & Privacy')}", timeout=5).text
    page = s.get(f"{li.url}{link_to(page, 'Data privacy')}", timeout=5).text
    page = s.get(f"{li.url}{link_to(page, 'Data for Generative AI Improvement')}", timeout=5).text
    assert EN_LABEL in visible_text(page) and one(page, "input", role="switch")
    help_form = s.get(f"{li.url}/help/linkedin/ask/TS-DPRO", timeout=5).text
    assert link_to(help_form, "Data for Generative AI Improvement") == GENAI_MOVED
    li.add_account("eu@example.com", PW, region="FR")  # region-gated: back to the moved Data privacy
    r = signed_in(li, "eu@example.com").get(f"{li.url}{GENAI_MOVED}", allow_redirects=False, timeout=5)
    assert r.headers["Location"] == PRIVACY_MOVED


def _form_shape(html: str) -> list[tuple[str, ...]]:
    return sorted((e.get("id", ""), e.get("name", ""), e.get("type", ""), e.get("aria-label", ""),
                   e.get("autocomplete", ""), e.get("class", "")) for tag in ("form", "input", "button")
                  for e in elements(html, tag))


def test_foreign_login_sends_signed_out_visitors_elsewhere(li: LinkedInReplica) -> None:
    own = requests.get(f"{li.url}/login", timeout=5).text
    member = signed_in(li)
    site = ForeignLoginSite()
    with ReplicaServer(site.app) as foreign:
        assert control(li, "config", foreign_login="javascript:alert(1)").status_code == 400
        phishing = f"{foreign.url}/login"
        assert control(li, "config", foreign_login=phishing).json()["foreign_login"] == phishing
        for path in (GENAI, PRIVACY, "/login", "/uas/login"):
            r = requests.get(f"{li.url}{path}", allow_redirects=False, timeout=5)
            assert r.status_code == 302 and r.headers["Location"] == phishing, path
        s = requests.Session()
        r = s.get(f"{li.url}{GENAI}", timeout=5)
        assert r.url == phishing and _form_shape(r.text) == _form_shape(own)  # looks just like it
        assert [(q["method"], q["path"], q["form"]) for q in site.requests] == [("GET", "/login", {})]
        seen = requests.get(f"{foreign.url}/__replica__/state", timeout=5).json()["requests"]
        assert seen == site.requests and not any(q["form"] or q["json"] for q in seen)
        # what it would record if someone typed into it
        s.post(f"{foreign.url}/checkpoint/lg/login-submit", data={"session_key": "x@example.com"}, timeout=5)
        assert site.requests[-1]["form"] == {"session_key": "x@example.com"}
        assert member.get(f"{li.url}{GENAI}", allow_redirects=False, timeout=5).status_code == 200
    li.configure(foreign_login="")
    assert requests.get(f"{li.url}/login", allow_redirects=False, timeout=5).status_code == 200


# ---------------------------------------------------------------- objection form

def test_objection_form(li: LinkedInReplica) -> None:
    url = f"{li.url}/help/linkedin/ask/TS-DPRO"
    r = requests.get(url, allow_redirects=False, timeout=5)
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/uas/login"
    s = signed_in(li)
    page = s.get(url, timeout=5).text
    for name in ("fullName", "email", "objectionType", "details"):  # each field has a <label for>
        field = one(page, name=name)
        assert re.fullmatch(r"ember\d+", field["id"]) and one(page, "label", for_=field["id"])
    assert one(page, "input", name="email")["value"] == ALICE
    assert any("AI" in o for o in re.findall(r"<option[^>]*>([^<]*)</option>", page))
    hidden = {e["name"]: e["value"] for e in elements(page, "input", type="hidden")}
    r = s.post(url, data={**hidden, "fullName": "", "email": ALICE, "objectionType": "", "details": ""}, timeout=5)
    assert "Enter your full name." in r.text and state(li)["forms"] == []
    fields = {"fullName": "Alice Example", "email": ALICE, "objectionType": "ai-training",
              "details": "I object to the use of my data to train AI models."}
    r = s.post(url, data={**hidden, **fields}, timeout=5)
    case = re.search(r"case number is <strong>(\d{6}-\d{6})</strong>", r.text).group(1)
    (form,) = state(li)["forms"]
    assert form["case"] == case and form["at"].endswith("+00:00")
    assert form["fields"]["objection_type"] == "ai-training" and form["fields"]["name"] == "Alice Example"


# ---------------------------------------------------------------- test-only endpoints, faults, entry point

def test_control_endpoints(li: LinkedInReplica) -> None:
    r = control(li, "accounts", email="carol@example.com", password=PW, lang="fr", region="DE", challenge="pin")
    assert r.status_code == 201 and r.json()["genai_available"] is False
    assert control(li, "accounts", email="x@example.com", password="pw", challenge="sms").status_code == 400
    assert control(li, "config", markup="sdui", delay_ms="0").json()["markup"] == "sdui"
    assert control(li, "config", no_such_variant=True).status_code == 400
    assert control(li, "config", markup="react").status_code == 400
    assert requests.get(f"{li.url}/__replica__/pin", params={"email": ALICE}, timeout=5).status_code == 404
    submit_password(requests.Session(), li.url, "carol@example.com")
    pin = requests.get(f"{li.url}/__replica__/pin", params={"email": "carol@example.com"}, timeout=5).json()
    assert pin["kind"] == "pin" and re.fullmatch(r"\d{6}", pin["pin"])
    save(signed_in(li), li.url, False)
    st = control(li, "reset").json()
    assert st["variants"]["markup"] == "artdeco" and st["pending_challenges"] == []
    assert st["accounts"][ALICE]["genai"] is True and st["accounts"][ALICE]["sign_ins"] == 0
    assert control(li, "reset", drop_accounts=True).json()["accounts"] == {}


def test_delay_ms_slows_pages_but_not_test_endpoints(li: LinkedInReplica) -> None:
    li.configure(delay_ms=300)
    start = time.monotonic()
    requests.get(f"{li.url}/login", timeout=5)
    assert time.monotonic() - start >= 0.3
    # a test endpoint is never delayed: with pages held a minute, it still answers within its timeout
    li.configure(delay_ms=60_000)
    assert requests.get(f"{li.url}/__replica__/state", timeout=10).json()["variants"]["delay_ms"] == 60_000
    li.configure(delay_ms=0)


def test_python_module_entry_point_prints_ready() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replicas", "linkedin", "--account", "alice@example.com:secret:Alice Example",
         "--variant", "markup=sdui"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert re.fullmatch(r"READY http://127\.0\.0\.1:\d+", line), line
        url = line.split()[1]
        st = requests.get(f"{url}/__replica__/state", timeout=5).json()
        assert st["variants"]["markup"] == "sdui" and st["accounts"][ALICE]["name"] == "Alice Example"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


# ---------------------------------------------------------------- in a real browser

def _chromium(profile: str) -> Any:
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--window-size=1280,900", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


needs_chromium = pytest.mark.skipif(not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()),
                                    reason="needs /usr/bin/chromium and /usr/bin/chromedriver")


@pytest.fixture
def browser() -> Iterator:
    with tempfile.TemporaryDirectory() as profile:
        driver = _chromium(profile)
        try:
            yield driver
        finally:
            driver.quit()


def _wait(driver: Any, condition: Any, timeout: float = 8) -> Any:
    """Until `condition` holds; an element gone stale while the page navigates just means "not yet"."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=ignored).until(condition)


def _browser_sign_in(driver: Any, url: str, email: str = ALICE, password: str = PW) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/login")
    driver.find_element(By.ID, "username").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.login__form button[type=submit]").click()


def _server_genai(replica: LinkedInReplica, want: bool) -> Any:
    return lambda _: state(replica)["genai"] is want


# Counts switches taken out of the page (a re-render), seen from the test's side.
REPLACEMENTS_JS = """window.__replaced = 0;
new MutationObserver((records) => records.forEach((r) => r.removedNodes.forEach((n) => {
  if (n.querySelector && n.querySelector('[role=switch]')) window.__replaced += 1;
}))).observe(document.body, {childList: true, subtree: true});"""


@needs_chromium
def test_browser_sdui_late_render_replaced_node_and_background_save(li: LinkedInReplica, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    li.configure(markup="sdui", late_render_ms=2000, replace_node=True)
    _browser_sign_in(browser, li.url)
    _wait(browser, ec.url_contains("/feed/"))
    browser.get(f"{li.url}{GENAI}")
    assert browser.find_elements(By.CSS_SELECTOR, "[role=switch]") == []  # not there yet
    browser.execute_script(REPLACEMENTS_JS)
    first = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "button[role=switch]"))
    replaced_before = browser.execute_script("return window.__replaced")
    assert first.accessible_name == EN_LABEL and first.get_attribute("aria-checked") == "true"
    _wait(browser, lambda d: d.execute_script("return window.__replaced") >= 1)  # an equal node replaced it
    if not replaced_before:
        assert _wait(browser, ec.staleness_of(first))
    switch = browser.find_element(By.CSS_SELECTOR, "button[role=switch]")
    switch.click()
    _wait(browser, _server_genai(li, False))
    _wait(browser, ec.staleness_of(switch))  # re-rendered again after the save
    assert browser.find_element(By.CSS_SELECTOR, "[role=switch]").get_attribute("aria-checked") == "false"
    li.configure(late_render_ms=200)  # the reload need not wait as long
    browser.refresh()
    again = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[role=switch]"))
    assert again.get_attribute("aria-checked") == "false" and state(li)["save_requests"] == 1


@needs_chromium
def test_browser_failing_save_reverts_with_a_toast(li: LinkedInReplica, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    li.configure(save_fails_once=True)
    _browser_sign_in(browser, li.url)
    _wait(browser, lambda d: "/feed/" in d.current_url)
    browser.find_element(By.CSS_SELECTOR, ".global-nav__primary-link-me-menu-trigger").click()
    browser.find_element(By.LINK_TEXT, "Settings & Privacy").click()  # the click path
    _wait(browser, lambda d: d.current_url.endswith("/categories/account"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Data privacy").click()
    _wait(browser, lambda d: d.current_url.endswith(PRIVACY))
    browser.find_element(By.CSS_SELECTOR, f'a[href="{GENAI}"]').click()
    switch = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "input[role=switch]"))
    label = browser.find_element(By.CSS_SELECTOR, f'label[for="{switch.get_attribute("id")}"]')
    label.click()
    toast = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[role=alert].artdeco-toast-item"))
    assert "Something went wrong" in toast.text
    _wait(browser, lambda d: switch.get_attribute("aria-checked") == "true" and switch.is_selected())
    assert state(li)["genai"] is True and state(li)["save_requests"] == 1
    switch.click()
    _wait(browser, _server_genai(li, False))
    _wait(browser, lambda d: switch.get_attribute("aria-checked") == "false")


@needs_chromium
def test_browser_challenges_captcha_and_app_approval(li: LinkedInReplica, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    li.add_account("cap@example.com", PW, challenge="captcha")
    li.add_account("app@example.com", PW, challenge="app")
    _browser_sign_in(browser, li.url, "cap@example.com")
    frame = _wait(browser, lambda d: d.find_element(By.ID, "captcha-internal"))
    turns = li.pending_pin("cap@example.com")["captcha_turns_right"]
    browser.switch_to.frame(frame)
    _wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    right = browser.find_element(By.CSS_SELECTOR, "button[aria-label='Rotate right']")
    for _ in range(turns):  # the person turns the picture upright
        right.click()
    browser.find_element(By.XPATH, "//button[normalize-space()='Submit']").click()
    browser.switch_to.default_content()
    _wait(browser, lambda d: "/feed/" in d.current_url)
    browser.get(f"{li.url}/m/logout/")

    _browser_sign_in(browser, li.url, "app@example.com")
    _wait(browser, lambda d: "Check your LinkedIn app" in d.find_element(By.TAG_NAME, "h1").text)
    li.approve("app@example.com")  # the member taps Yes on the phone; the page moves on by itself
    _wait(browser, lambda d: "/feed/" in d.current_url)


@needs_chromium
def test_browser_kept_profile_stays_signed_in(li: LinkedInReplica) -> None:
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as profile:
        driver = _chromium(profile)
        try:
            _browser_sign_in(driver, li.url)
            _wait(driver, lambda d: "/feed/" in d.current_url)
            before = driver.get_cookie("JSESSIONID")["value"]
        finally:
            driver.quit()
        driver = _chromium(profile)  # a new browser on the same profile
        try:
            driver.get(f"{li.url}{GENAI}")
            switch = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "input[role=switch]"))
            assert driver.get_cookie("JSESSIONID")["value"] != before  # a session cookie, issued anew
            switch.click()
            _wait(driver, _server_genai(li, False))
            li.revoke_sessions(ALICE)  # "sign out of all sessions": the kept profile must sign in again
            driver.get(f"{li.url}{GENAI}")
            _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "form.login__form"))
            assert urlsplit(driver.current_url).path == "/uas/login" and driver.get_cookie("li_at") is None
        finally:
            driver.quit()
    assert state(li)["sign_ins"] == 1


# ---------------------------------------------------------------- issue 8: row renamed or doubled, Me button,
# signed out right after signing in, the objection form's language, options, name and lost answer

DPRO = "/help/linkedin/ask/TS-DPRO"
AI_WORD = re.compile(r"\b(AI|IA)\b|intelligence artificielle|machine learning|apprentissage automatique")


def _row_links(html: str) -> list[tuple[str, str]]:
    """(label, href) of every settings row: the label is doubled, so keep the visually-hidden copy."""
    return [(visible_text(m.group(2)), m.group(1))
            for m in re.finditer(r'<a\b[^>]*?href="([^"]+)"[^>]*>\s*<span[^>]*><span aria-hidden="true">[^<]*</span>'
                                 r'<span class="visually-hidden">([^<]*)</span>', html)]


def test_genai_row_renamed_keeps_the_link_and_the_switch(li: LinkedInReplica) -> None:
    li.add_account("fr@example.com", PW, lang="fr")
    li.configure(genai_row="renamed", deep_link_moved=True)
    for email, old_words in ((ALICE, ("Generative", "Improvement", "Data for")),
                             ("fr@example.com", ("générative", "amélioration", "Données pour"))):
        s = signed_in(li, email)
        privacy = s.get(f"{li.url}{PRIVACY}", timeout=5).text
        (label,) = [lbl for lbl, href in _row_links(privacy) if href == GENAI_MOVED]
        assert AI_WORD.search(label) and not any(w.lower() in label.lower() for w in old_words), label
        assert not any(w.lower() in visible_text(privacy).lower() for w in old_words[:2])
        page = s.get(f"{li.url}{GENAI_MOVED}", timeout=5).text
        assert label in [visible_text(h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", page)]  # its heading
        assert one(page, "input", role="switch")["aria-checked"] == "true"
        assert save(s, li.url, False).status_code == 200 and state(li, email)["genai"] is False
        assert_not_found(s.get(f"{li.url}{GENAI}", timeout=5),
                         "Cette page n’existe pas" if email != ALICE else "This page doesn’t exist")
    li.configure(genai_row="normal")
    assert ("Data for Generative AI Improvement", GENAI_MOVED) in _row_links(
        signed_in(li).get(f"{li.url}{PRIVACY}", timeout=5).text)


def test_genai_row_twice_in_its_section(li: LinkedInReplica) -> None:
    s = signed_in(li)
    assert [h for lbl, h in _row_links(s.get(f"{li.url}{PRIVACY}", timeout=5).text) if h == GENAI] == [GENAI]
    li.configure(genai_row="twice")
    privacy = s.get(f"{li.url}{PRIVACY}", timeout=5).text
    section = privacy[privacy.index("How LinkedIn uses your data"):privacy.index("Who can reach you")]
    rows = [(lbl, h) for lbl, h in _row_links(section) if "Generative" in lbl]
    assert rows == [("Data for Generative AI Improvement", GENAI)] * 2
    assert control(li, "config", genai_row="thrice").status_code == 400


def _login_form_again(r: requests.Response, s: requests.Session) -> None:
    """The sign-in form, fresh: no error shown, no session cookie."""
    assert urlsplit(r.url).path in ("/login", "/uas/login") and one(r.text, "form", class_="login__form")
    for box in ("error-for-username", "error-for-password"):
        assert "hidden__imp" in one(r.text, id=box)["class"].split()
    assert "li_at" not in s.cookies


def test_signed_out_after_signin_once(li: LinkedInReplica) -> None:
    li.add_account("pin@example.com", PW, challenge="pin")
    assert control(li, "config", signed_out_after_signin_once=True).status_code == 200
    s = requests.Session()
    r = submit_password(s, li.url, redirect=f"{li.url}{GENAI}")
    _login_form_again(r, s)
    st = state(li)
    assert (st["sign_ins"], st["signed_out_after_sign_in"], st["sessions"], st["failed_logins"]) == (1, 1, 0, 0)
    r = submit_password(s, li.url, redirect=f"{li.url}{GENAI}")  # the next sign-in works
    assert urlsplit(r.url).path == GENAI and one(r.text, "input", role="switch")
    assert (state(li)["sign_ins"], state(li)["sessions"]) == (2, 1)
    # armed again, after a challenge: the PIN passes, then the form comes back
    li.configure(signed_out_after_signin_once=True)
    s = requests.Session()
    page = _challenge(li, s, "pin@example.com")
    r = _verify(li, s, page.text, pin=li.pending_pin("pin@example.com")["pin"])
    _login_form_again(r, s)
    assert state(li, "pin@example.com")["signed_out_after_sign_in"] == 1
    assert urlsplit(_verify(li, s, _challenge(li, s, "pin@example.com").text,
                            pin=li.pending_pin("pin@example.com")["pin"]).url).path == "/feed/"
    assert control(li, "reset").json()["accounts"][ALICE]["signed_out_after_sign_in"] == 0


def _options(html: str) -> list[tuple[str, str]]:
    return [(v, visible_text(t).strip()) for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
            if v]


def _kinds(variant: str) -> dict[str, str]:
    from tests.platforms.linkedin.texts import OBJECTION_CHOICES

    return {o.value: o.kind for o in OBJECTION_CHOICES[variant]}


def _submit_form(s: requests.Session, page: str, **fields: str) -> requests.Response:
    hidden = {e["name"]: e["value"] for e in elements(page, "input", type="hidden")}
    data = {"fullName": "Alice Example", "email": ALICE, "details": "I object.", **fields}
    return s.post(f"{s.base}{DPRO}", data={**hidden, **data}, timeout=5)  # type: ignore[attr-defined]


def _member(li: LinkedInReplica, email: str = ALICE) -> requests.Session:
    s = signed_in(li, email)
    s.base = li.url  # type: ignore[attr-defined]
    return s


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_objection_types_variants(li: LinkedInReplica, lang: str) -> None:
    email = ALICE if lang == "en" else "fr@example.com"
    if lang == "fr":
        li.add_account(email, PW, lang="fr")
    s = _member(li, email)
    gen_word = "generative" if lang == "en" else "générative"
    for variant in ("both", "ambiguous", "single_ai"):
        li.configure(objection_types=variant)
        opts, kinds = _options(s.get(f"{li.url}{DPRO}", timeout=5).text), _kinds(variant)
        ai = [(v, label) for v, label in opts if AI_WORD.search(label)]
        assert {v for v, _ in ai} == {v for v, k in kinds.items() if k != "not_ai"}, (variant, opts)
        assert len(opts) >= 5 and any(k == "not_ai" for k in kinds.values())
        if variant == "both":
            assert [kinds[v] for v, _ in ai] == ["generative", "non_generative"]  # the generative one first
            assert gen_word in ai[0][1] and ("non" in ai[1][1] and gen_word in ai[1][1])
        else:
            assert all(gen_word not in label.lower() and "content" not in label.lower()
                       and "contenu" not in label.lower() for _, label in ai)
            assert len(ai) == (1 if variant == "single_ai" else 2)
            assert {kinds[v] for v, _ in ai} == {"ai_unclassified"}
    li.configure(objection_types="both")
    page = s.get(f"{li.url}{DPRO}", timeout=5).text
    value, label = next((v, lbl) for v, lbl in _options(page) if _kinds("both")[v] == "non_generative")
    assert _submit_form(s, page, objectionType=value, email=email).status_code == 200
    (form,) = state(li, email)["forms"]
    assert form["fields"] == {"name": "Alice Example", "email": email, "objection_type": value,
                              "objection_label": label, "objection_kind": "non_generative",
                              "details": "I object.", "lang": lang}
    assert li.opted_out(email)["objection-form"] is True
    assert control(li, "config", objection_types="all").status_code == 400


def test_objection_form_in_french_for_a_french_member(li: LinkedInReplica) -> None:
    li.add_account("fr@example.com", PW, lang="fr", name="Zoé Martin")
    s = _member(li, "fr@example.com")
    page = s.get(f"{li.url}{DPRO}", timeout=5).text
    assert '<html lang="fr"' in page
    english = ("Full name", "Email address", "Type of objection", "Details of your request", "Submit",
               "Select an option", "Data Processing Objection Form", "Help")
    assert not any(re.search(rf"\b{w}\b", visible_text(page)) for w in english)
    # the structure: a form with name, email, a choice list, a text area and a submit button, each labelled
    assert len(elements(page, "form")) == 1 and one(page, "select") and one(page, "textarea")
    assert re.search(r'<button type="submit"[^>]*>Envoyer</button>', page)
    for name in ("fullName", "email", "objectionType", "details"):
        assert one(page, "label", for_=one(page, name=name)["id"])
    assert one(page, "input", name="email")["value"] == "fr@example.com"
    assert one(page, "input", name="fullName")["value"] == ""  # not prefilled unless the variant says so
    r = _submit_form(s, page, fullName="", email="fr@example.com", objectionType="")
    errors = [visible_text(m) for m in re.findall(r'role="alert">([^<]+)<', r.text)]
    assert len(errors) >= 3 and not any(e.startswith(("Enter", "Select", "Please", "Tell")) for e in errors)
    assert state(li, "fr@example.com")["forms"] == []
    r = _submit_form(s, page, fullName="Zoé Martin", email="fr@example.com", objectionType="ai-models")
    assert r.status_code == 200 and elements(r.text, "form") == [] and elements(r.text, "select") == []
    case = re.search(r"<strong>(\d{6}-\d{6})</strong>", r.text).group(1)
    assert "case number" not in r.text and one(r.text, role="status")
    (form,) = state(li, "fr@example.com")["forms"]
    assert form["case"] == case and form["fields"]["lang"] == "fr"
    assert form["fields"]["objection_kind"] == "non_generative" and "IA" in form["fields"]["objection_label"]


def test_objection_form_name_prefilled(li: LinkedInReplica) -> None:
    s = _member(li)
    assert one(s.get(f"{li.url}{DPRO}", timeout=5).text, "input", name="fullName")["value"] == ""
    li.configure(form_name_prefilled=True)
    page = s.get(f"{li.url}{DPRO}", timeout=5).text
    assert one(page, "input", name="fullName")["value"] == "Alice Example"
    assert one(page, "input", name="email")["value"] == ALICE


def test_objection_form_error_page_after_submit_still_stores(li: LinkedInReplica) -> None:
    li.configure(form_after_submit="error_page")
    s = _member(li)
    page = s.get(f"{li.url}{DPRO}", timeout=5).text
    r = _submit_form(s, page, objectionType="ai-models")
    assert r.status_code == 502
    assert elements(r.text, "form") == [] and 'role="alert"' not in r.text and 'role="status"' not in r.text
    assert not re.search(r"\d{6}-\d{6}", r.text) and "case" not in visible_text(r.text).lower()
    (form,) = state(li)["forms"]  # the request landed
    assert re.fullmatch(r"\d{6}-\d{6}", form["case"]) and form["fields"]["objection_kind"] == "non_generative"
    li.configure(form_after_submit="confirmation")
    assert _submit_form(s, page, objectionType="ai-models").status_code == 200 and len(state(li)["forms"]) == 2


def test_me_button_markup_holds_the_avatar_img(li: LinkedInReplica) -> None:
    feed = signed_in(li).get(f"{li.url}/feed/", timeout=5).text
    button = re.search(r'<button[^>]*me-menu-trigger[^>]*>(.*?)</button>', feed, flags=re.S).group(1)
    img = one(button, "img")
    assert img["alt"] == "Alice Example" and img["src"].startswith("data:image/")
    assert 'role="img"' not in button and visible_text(button).strip() == "Me"


@needs_chromium
def test_browser_me_button_accessible_name(li: LinkedInReplica, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    li.add_account("fr@example.com", PW, lang="fr", name="Zoé Martin")
    for email, name, settings in ((ALICE, "Alice Example Me", "Settings & Privacy"),
                                  ("fr@example.com", "Zoé Martin Moi", "Préférences et confidentialité")):
        _browser_sign_in(browser, li.url, email)
        _wait(browser, lambda d: "/feed/" in d.current_url)
        me = browser.find_element(By.CSS_SELECTOR, "#global-nav button[aria-expanded]")
        assert me.accessible_name == name
        assert browser.find_element(By.CSS_SELECTOR, "#global-nav img").get_attribute("alt") == name[:-3].strip()
        me.click()
        _wait(browser, lambda d, link=settings: d.find_element(By.LINK_TEXT, link)).click()
        _wait(browser, lambda d: "/mypreferences/d/categories/account" in d.current_url)
        browser.get(f"{li.url}/m/logout/")
