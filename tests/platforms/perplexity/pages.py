"""HTML and scripts of the Perplexity replica's pages.

perplexity.md knows no markup, so the pages use what its "The replica" paragraph names: the
profile-name button at the bottom left of the sidebar, a menu with "All settings", and on
Preferences a `button[role=switch][aria-checked]` named by its label (`aria-labelledby`). Ids are
React-style (`:r1a2:`, new on every load), class names hashed; no input or switch has a stable id
or name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from . import texts as t

LOGO = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="28" height="28" viewBox="0 0 24 24">'
        '<path d="M12 2v20M4 7l8 5 8-5M4 7v8l8 5 8-5V7M4 7h16" fill="none" stroke="#20808d" stroke-width="1.6"/>'
        '</svg>')


class Page:
    """What one rendering needs: this release's hashed classes and labels, and fresh React-style ids."""

    def __init__(self, h: HashedClasses, older: bool = False) -> None:
        self.h, self.older = h, older
        self.id = IdGen(":r", ":")

    @property
    def retention_label(self) -> str:
        return t.RETENTION_LABEL_OLDER if self.older else t.RETENTION_LABEL


@dataclass(frozen=True)
class Member:
    """What the sidebar shows of the signed-in member."""

    name: str
    email: str
    plan: str


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#13343b;background:#fcfcf9}}
a{{color:inherit}}
button{{font:inherit}}
.{h("app")}{{display:grid;grid-template-columns:220px 1fr;min-height:100vh}}
.{h("sidebar")}{{display:flex;flex-direction:column;gap:2px;padding:12px;background:#f3f3ee;
  border-right:1px solid #e5e5de;position:sticky;top:0;height:100vh}}
.{h("brand")}{{display:flex;align-items:center;gap:8px;font-weight:600;font-size:18px;margin:4px 6px 16px;
  text-decoration:none}}
.{h("nav_link")}{{display:block;padding:6px 10px;border-radius:8px;text-decoration:none}}
.{h("nav_link")}:hover{{background:#e8e8e1}}
.{h("grow")}{{flex:1}}
.{h("profile")}{{display:flex;align-items:center;gap:8px;width:100%;padding:8px;border:0;border-radius:10px;
  background:none;cursor:pointer;text-align:left}}
.{h("profile")}:hover,.{h("profile")}[aria-expanded=true]{{background:#e8e8e1}}
.{h("avatar")}{{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:50%;
  background:#20808d;color:#fff;font-size:12px;font-weight:600}}
.{h("profile_text")}{{display:flex;flex-direction:column;line-height:1.2;min-width:0}}
.{h("plan")}{{font-size:12px;color:#64645e}}
.{h("menu")}{{position:fixed;left:12px;bottom:60px;width:220px;background:#fff;border:1px solid #e5e5de;
  border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.12);padding:6px;z-index:50;outline:none}}
.{h("menu_email")}{{padding:6px 10px;color:#64645e;font-size:13px;overflow:hidden;text-overflow:ellipsis}}
.{h("menu_item")}{{display:block;padding:6px 10px;border-radius:8px;text-decoration:none;outline:none}}
.{h("menu_item")}:hover,.{h("menu_item")}:focus{{background:#f0f0ea}}
.{h("guest")}{{display:grid;gap:6px}}
.{h("primary")}{{border:0;background:#20808d;color:#fff;border-radius:999px;padding:8px 18px;cursor:pointer;
  text-align:center;text-decoration:none}}
.{h("secondary")}{{border:1px solid #d6d6cf;background:#fff;border-radius:999px;padding:8px 18px;cursor:pointer;
  text-align:center;text-decoration:none}}
.{h("primary")}:disabled,.{h("secondary")}:disabled{{opacity:.5;cursor:default}}
.{h("main")}{{padding:32px 48px;min-width:0}}
.{h("hero")}{{font:400 40px/1.2 Georgia,serif;text-align:center;margin:120px 0 24px}}
.{h("ask")}{{max-width:640px;margin:0 auto;display:flex;gap:8px;background:#fff;border:1px solid #e5e5de;
  border-radius:16px;padding:12px}}
.{h("ask")} textarea{{flex:1;border:0;resize:none;font:inherit;outline:none;min-height:48px;background:none}}
.{h("settings")}{{max-width:880px;margin:0 auto}}
.{h("settings")} h1{{font-size:26px;margin:0 0 24px}}
.{h("settings_grid")}{{display:grid;grid-template-columns:180px 1fr;gap:32px}}
.{h("tabs")}{{list-style:none;margin:0;padding:0;display:grid;gap:2px}}
.{h("tab")}{{display:block;padding:6px 10px;border-radius:8px;text-decoration:none;color:#64645e}}
.{h("tab")}[aria-current=page]{{background:#e8e8e1;color:#13343b}}
.{h("panel")} h2{{font-size:20px;margin:0 0 8px}}
.{h("panel")} h3{{font-size:14px;text-transform:none;color:#64645e;margin:28px 0 4px}}
.{h("muted")}{{color:#64645e}}
.{h("rows")}{{display:grid;border-top:1px solid #e5e5de}}
.{h("row")}{{display:flex;align-items:center;justify-content:space-between;gap:24px;padding:14px 0;
  border-bottom:1px solid #e5e5de}}
.{h("row_label")}{{font-weight:500}}
.{h("row_desc")}{{margin:2px 0 0;color:#64645e;font-size:13px}}
.{h("value")}{{color:#64645e}}
.{h("skeleton")}{{height:56px;border-radius:8px;background:linear-gradient(90deg,#eee,#f6f6f6,#eee)}}
.{h("switch")}{{all:unset;position:relative;flex:none;width:36px;height:20px;border-radius:999px;
  background:#c9c9c2;cursor:pointer;transition:background .15s}}
.{h("switch")}[aria-checked=true]{{background:#20808d}}
.{h("switch")}:disabled{{opacity:.5;cursor:default}}
.{h("switch")}:focus-visible{{outline:2px solid #20808d;outline-offset:2px}}
.{h("thumb")}{{position:absolute;top:2px;left:2px;width:16px;height:16px;border-radius:50%;background:#fff;
  transition:transform .15s}}
.{h("switch")}[aria-checked=true] .{h("thumb")}{{transform:translateX(16px)}}
.{h("toasts")}{{position:fixed;right:24px;bottom:24px;display:grid;gap:8px;z-index:200}}
.{h("toast")}{{background:#fff;border:1px solid #e5e5de;border-left:4px solid #b3261e;border-radius:10px;
  padding:10px 14px;box-shadow:0 6px 18px rgba(0,0,0,.15)}}
.{h("auth")}{{width:380px;margin:72px auto;background:#fff;border:1px solid #e5e5de;border-radius:16px;padding:28px}}
.{h("auth")} h1{{font:400 26px/1.3 Georgia,serif;margin:12px 0 4px}}
.{h("field")}{{display:grid;gap:4px;margin:16px 0}}
.{h("field")} input{{font:inherit;padding:10px 12px;border:1px solid #d6d6cf;border-radius:8px}}
.{h("wide")}{{display:block;width:100%;margin-top:10px}}
.{h("link")}{{border:0;background:none;padding:0;color:#20808d;cursor:pointer;text-decoration:underline}}
.{h("error")}{{color:#b3261e;margin:8px 0 0}}
.{h("or")}{{text-align:center;color:#64645e;margin:14px 0 4px;font-size:13px}}
.{h("sr")}{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{escape(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n{body}\n{scripts}\n</body></html>")


# ---------------------------------------------------------------- sign-in

# A single-page sign-in: each step is a <template> the script swaps in, each talks to the JSON API.
# Inputs have no name: nothing is posted as a form.
SIGNIN_JS = """(() => {
  const cfg = __CFG__;
  const root = document.getElementById(cfg.root);
  let login = null, email = '';
  const show = (step) => {
    root.replaceChildren(document.getElementById(cfg.steps[step]).content.cloneNode(true));
    const sent = root.querySelector('.' + cfg.cls.sent);
    if (sent) sent.textContent = cfg.text.sent.replace('{email}', email);
    wire(step);
    const input = root.querySelector('input');
    if (input) input.focus();
  };
  const alert = (message, kind) => {
    let box = root.querySelector('.' + cfg.cls.error);
    if (!box) {
      box = document.createElement('p'); box.className = cfg.cls.error; root.querySelector('form').append(box);
    }
    box.setAttribute('role', kind || 'alert');
    box.textContent = message;
  };
  const post = async (url, body) => {
    try {
      const r = await fetch(url, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
      let data = {};
      try { data = await r.json(); } catch (e) { data = {}; }
      return {status: r.status, data};
    } catch (e) { return {status: 0, data: {error: cfg.text.network}}; }
  };
  const after = (res) => {
    if (res.status === 200 && res.data.redirect) { location.assign(res.data.redirect); return true; }
    if (res.status === 200 && res.data.next) { login = res.data.login || login; show(res.data.next); return true; }
    if (res.data.restart) { show('email'); alert(res.data.error); return true; }
    return false;
  };
  function wire(step) {
    const form = root.querySelector('form');
    const input = form.querySelector('input');
    const submit = form.querySelector('button[type=submit]');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      let res;
      if (step === 'email') {
        email = input.value.trim();
        res = await post(cfg.urls.email, {email, redirect: cfg.redirect});
      } else {
        res = await post(cfg.urls[step], {login, [step === 'password' ? 'password' : 'code']: input.value});
      }
      if (after(res)) return;
      submit.disabled = false;
      alert(res.data.error || cfg.text.network);
    });
    for (const button of form.querySelectorAll('button[type=button]')) {
      button.addEventListener('click', async () => {
        const is = (name) => button.classList.contains(cfg.cls[name]);
        if (is('other')) { show('email'); return; }
        for (const provider of ['google', 'apple']) {
          if (is(provider)) {
            location.assign(cfg.urls.sso + provider + '?redirect=' + encodeURIComponent(cfg.redirect)); return;
          }
        }
        if (is('resend')) {
          const res = await post(cfg.urls.resend, {login});
          if (res.status === 200) alert(cfg.text.resent, 'status');
          else if (!after(res)) alert(res.data.error || cfg.text.network);
        }
      });
    }
  }
  wire('email');
})();"""


def _field(p: Page, label: str, kind: str, autocomplete: str, extra: str = "") -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}" class="{p.h("sr")}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" autocomplete="{autocomplete}" required{extra}></div>')


def signin(p: Page, *, redirect: str, error: str = "") -> str:
    h = p.h
    root = p.id()
    steps = {k: p.id() for k in ("email", "code", "password", "totp")}
    err = f'<p class="{h("error")}" role="alert">{escape(error)}</p>' if error else ""
    submit = f'<button type="submit" class="{h("primary")} {h("wide")}">'
    other = f'<button type="button" class="{h("link")} {h("other")}">{t.OTHER_EMAIL}</button>'
    email_form = f"""<form novalidate>
  <button type="button" class="{h("secondary")} {h("wide")} {h("google")}">{t.GOOGLE}</button>
  <button type="button" class="{h("secondary")} {h("wide")} {h("apple")}">{t.APPLE}</button>
  <p class="{h("or")}">or</p>
  {_field(p, t.EMAIL_LABEL, "email", "email", f' placeholder="{t.EMAIL_PLACEHOLDER}"')}
  {submit}{t.CONTINUE_EMAIL}</button>
  @ERR@
 </form>"""
    email_step = email_form.replace("@ERR@", err)
    code_step = f"""<form novalidate>
  <h2>{t.CODE_TITLE}</h2><p class="{h("muted")} {h("sent")}"></p>
  {_field(p, t.CODE_LABEL, "text", "one-time-code", f' inputmode="numeric" placeholder="{t.CODE_PLACEHOLDER}"')}
  {submit}{t.CONTINUE}</button>
  <p><button type="button" class="{h("link")} {h("resend")}">{t.RESEND}</button> · {other}</p>
 </form>"""
    password_step = f"""<form novalidate>
  <p class="{h("muted")} {h("sent")}"></p>
  {_field(p, t.PASSWORD_LABEL, "password", "current-password", f' placeholder="{t.PASSWORD_LABEL}"')}
  {submit}{t.CONTINUE}</button>
  <p>{other}</p>
 </form>"""
    totp_step = f"""<form novalidate>
  <h2>{t.TOTP_TITLE}</h2><p class="{h("muted")}">{t.TOTP_BODY}</p>
  {_field(p, t.TOTP_LABEL, "text", "one-time-code", ' inputmode="numeric" maxlength="6"')}
  {submit}{t.VERIFY}</button>
 </form>"""
    templates = "".join(f'<template id="{steps[k]}">{html}</template>' for k, html in (
        ("email", email_form.replace("@ERR@", "")), ("code", code_step), ("password", password_step),
        ("totp", totp_step)))
    body = f"""<main class="{h("auth")}">{LOGO}
 <h1>{t.SIGNIN_TITLE}</h1><p class="{h("muted")}">{t.SIGNIN_SUB}</p>
 <div id="{root}">{email_step}</div>
</main>
{templates}"""
    cfg = {
        "root": root, "steps": steps, "redirect": redirect,
        "urls": {"email": "/api/auth/signin/email", "code": "/api/auth/signin/otp",
                 "resend": "/api/auth/signin/resend", "password": "/api/auth/signin/password",
                 "totp": "/api/auth/signin/totp", "sso": "/api/auth/signin/"},
        "text": {"sent": t.CODE_SENT, "resent": t.RESENT, "network": t.NETWORK},
        "cls": {k: h(k) for k in ("sent", "error", "other", "resend", "google", "apple")},
    }
    return document(p, "Sign in - Perplexity", body, script(SIGNIN_JS, cfg))


# ---------------------------------------------------------------- the app frame

# The profile menu: drawn by script only while open; a click (or Enter/Space/ArrowDown) on the
# profile-name button opens it, Escape or a click outside closes it.
MENU_JS = """(() => {
  const cfg = __CFG__;
  const trigger = document.getElementById(cfg.trigger);
  let content = null;
  const close = () => {
    if (!content) return;
    content.remove(); content = null;
    trigger.setAttribute('aria-expanded', 'false'); trigger.removeAttribute('aria-controls');
  };
  const open = () => {
    if (content) return;
    content = document.createElement('div');
    content.id = cfg.menuId; content.setAttribute('role', 'menu'); content.tabIndex = -1;
    content.setAttribute('aria-labelledby', cfg.trigger); content.className = cfg.cls.menu;
    const who = document.createElement('div');
    who.className = cfg.cls.email; who.textContent = cfg.email; content.append(who);
    for (const item of cfg.items) {
      const a = document.createElement('a');
      a.setAttribute('role', 'menuitem'); a.tabIndex = -1; a.href = item.href; a.className = cfg.cls.item;
      a.textContent = item.label; content.append(a);
    }
    content.addEventListener('keydown', (event) => {
      const items = [...content.querySelectorAll('[role=menuitem]')];
      const at = items.indexOf(document.activeElement);
      if (event.key === 'ArrowDown') { event.preventDefault(); items[(at + 1) % items.length].focus(); }
      if (event.key === 'ArrowUp') { event.preventDefault(); items[(at - 1 + items.length) % items.length].focus(); }
    });
    document.body.append(content);
    trigger.setAttribute('aria-expanded', 'true'); trigger.setAttribute('aria-controls', cfg.menuId);
    content.focus();
  };
  trigger.addEventListener('click', () => { if (content) close(); else open(); });
  trigger.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); open(); content.querySelector('[role=menuitem]').focus(); }
  });
  document.addEventListener('click', (event) => {
    if (content && !content.contains(event.target) && !trigger.contains(event.target)) close();
  }, true);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && content) { close(); trigger.focus(); }
  });
})();"""


def shell(p: Page, m: Member | None, title: str, main: str, *, settings_url: str, signin_url: str,
          scripts: str = "") -> str:
    """The frame of every app page: the sidebar (brand, Home, Discover, Spaces, Library) and, at its
    bottom left, the profile-name button (signed in) or "Sign Up" / "Log in" (a guest)."""
    h = p.h
    links = "".join(f'<a href="{href}" class="{h("nav_link")}">{label}</a>' for label, href in (
        ("Home", "/"), ("Discover", "/discover"), ("Spaces", "/spaces"), ("Library", "/library")))
    menu = ""
    if m is None:
        bottom = (f'<div class="{h("guest")}"><a href="{escape(signin_url)}" class="{h("primary")}">{t.SIGN_UP}</a>'
                  f'<a href="{escape(signin_url)}" class="{h("secondary")}">{t.LOG_IN}</a></div>')
    else:
        trigger = p.id()
        initial = (m.name[:1] or "?").upper()
        bottom = (f'<button type="button" id="{trigger}" aria-haspopup="menu" aria-expanded="false" '
                  f'class="{h("profile")}"><span class="{h("avatar")}" aria-hidden="true">{escape(initial)}</span>'
                  f'<span class="{h("profile_text")}"><span>{escape(m.name)}</span>'
                  f'<span class="{h("plan")}">{escape(t.PLANS[m.plan])}</span></span></button>')
        menu = script(MENU_JS, {
            "trigger": trigger, "menuId": p.id(), "email": m.email,
            "items": [{"label": t.ALL_SETTINGS, "href": settings_url},
                      {"label": "Help & support", "href": "https://www.perplexity.ai/hub/faq"},
                      {"label": "Sign out", "href": "/api/auth/signout"}],
            "cls": {"menu": h("menu"), "email": h("menu_email"), "item": h("menu_item")},
        })
    body = f"""<div class="{h("app")}">
 <nav class="{h("sidebar")}" aria-label="Sidebar">
  <a href="/" class="{h("brand")}">{LOGO}<span>perplexity</span></a>
  {links}
  <div class="{h("grow")}"></div>
  {bottom}
 </nav>
 <main class="{h("main")}">{main}</main>
</div>
<div class="{h("toasts")}" aria-live="polite"></div>"""
    return document(p, title, body, menu + scripts)


def home(p: Page) -> str:
    h = p.h
    return (f'<h1 class="{h("hero")}">Where knowledge begins</h1>'
            f'<form class="{h("ask")}" onsubmit="return false"><textarea placeholder="{t.ASK}" '
            f'aria-label="{t.ASK}"></textarea><button type="submit" class="{h("primary")}" '
            f'aria-label="Submit" disabled>→</button></form>')


def plain(p: Page, heading: str, text: str) -> str:
    return f'<h1 class="{p.h("hero")}">{escape(heading)}</h1><p class="{p.h("muted")}" style="text-align:center">' \
           f'{escape(text)}</p>'


# ---------------------------------------------------------------- settings

def settings_frame(p: Page, active: str, panel: str, tab_urls: Mapping[str, str]) -> str:
    h = p.h
    current = ' aria-current="page"'
    tabs = "".join(
        f'<li><a href="{tab_urls[tab.key]}" class="{h("tab")}"'
        f'{current if tab.key == active else ""}>{escape(tab.label)}</a></li>'
        for tab in t.TABS)
    return (f'<div class="{h("settings")}"><h1>Settings</h1><div class="{h("settings_grid")}">'
            f'<nav aria-label="Settings"><ul class="{h("tabs")}">{tabs}</ul></nav>'
            f'<section class="{h("panel")}">{panel}</section></div></div>')


def simple_panel(p: Page, key: str, m: Member) -> str:
    h = p.h
    if key == "account":
        return (f'<h2>Account</h2><div class="{h("rows")}">'
                f'{_static_row(p, "Username", m.name)}{_static_row(p, "Email", m.email)}'
                f'{_static_row(p, "Plan", t.PLANS[m.plan])}</div>'
                f'<p><a href="/api/auth/signout" class="{h("secondary")}" '
                f'style="display:inline-block">Sign out</a></p>')
    if key == "personalization":
        return f'<h2>Personalization</h2><p class="{h("muted")}">Tell Perplexity about yourself.</p>'
    if key == "notifications":
        return f'<h2>Notifications</h2><p class="{h("muted")}">Choose what we email you about.</p>'
    return f'<h2>Connectors</h2><p class="{h("muted")}">No connectors yet.</p>'


def _static_row(p: Page, label: str, value: str, desc: str = "") -> str:
    h = p.h
    d = f'<p class="{h("row_desc")}">{escape(desc)}</p>' if desc else ""
    return (f'<div class="{h("row")}"><div><div class="{h("row_label")}">{escape(label)}</div>{d}</div>'
            f'<span class="{h("value")}">{escape(value)}</span></div>')


def switch_row(p: Page, label: str, desc: str, value: bool) -> str:
    """One setting: its label and help text, and the switch named by them (aria-labelledby/-describedby)."""
    lid, did = p.id(), p.id()
    h = p.h
    return (f'<div class="{h("row")}"><div><div id="{lid}" class="{h("row_label")}">{escape(label)}</div>'
            f'<p id="{did}" class="{h("row_desc")}">{escape(desc)}</p></div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{lid}" aria-describedby="{did}" class="{h("switch")}">'
            f'<span class="{h("thumb")}"></span></button></div>')


# The switches save at once by a background POST (no Save button). A switch is disabled while its
# save is in flight; a failed save puts it back and shows a role=alert toast.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  let seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq.toString(36) + ':'; };
  const rows = cfg.rows.map((r) => ({...r, slot: document.getElementById(r.slot), busy: false}));
  const build = (row) => {
    const ids = new Map(), box = document.createElement('div');
    box.innerHTML = row.html.replace(/:r[0-9a-z]+:/g, (old) => {
      if (!ids.has(old)) ids.set(old, freshId()); return ids.get(old); });
    return box.firstElementChild;
  };
  const paint = (row) => {
    const sw = row.slot.querySelector('[role="switch"]');
    if (!sw) return;
    sw.setAttribute('aria-checked', String(row.value));
    sw.disabled = row.busy;
  };
  const rerender = (row) => {  // as a re-rendering framework does: an equal node, not the same one
    const old = row.slot.firstElementChild;
    if (old) { old.replaceWith(build(row)); paint(row); }
  };
  const mount = (row) => {
    row.slot.replaceChildren(build(row));
    row.slot.removeAttribute('aria-busy');
    paint(row);
    if (cfg.replaceNode) setTimeout(() => rerender(row), cfg.replaceAfterMs);
  };
  const toast = (message) => {
    const box = document.createElement('div');
    box.setAttribute('role', 'alert'); box.className = cfg.cls.toast; box.textContent = message;
    document.querySelector('.' + cfg.cls.toasts).append(box);
    setTimeout(() => box.remove(), 8000);
  };
  async function change(row, next) {
    if (row.busy) return;
    const before = row.value;
    row.value = next; row.busy = true; paint(row);
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-csrf-token': cfg.csrf},
        body: JSON.stringify({setting: row.key, value: next})});
      status = r.status;
    } catch (e) { status = 0; }
    row.busy = false;
    if (status === 401) { location.assign(cfg.signinUrl + encodeURIComponent(location.pathname)); return; }
    if (status < 200 || status >= 300) { row.value = before; paint(row); toast(cfg.text.error); return; }
    paint(row);
    if (cfg.replaceNode) rerender(row);
  }
  for (const row of rows) {
    row.slot.addEventListener('click', (event) => {
      const sw = event.target.closest('button[role="switch"]');
      if (sw && !sw.disabled) change(row, !row.value);
    });
  }
  if (cfg.lateMs > 0) setTimeout(() => rows.forEach(mount), cfg.lateMs);
  else if (cfg.replaceNode) setTimeout(() => rows.forEach(rerender), cfg.replaceAfterMs);
})();"""


def preferences_panel(p: Page, *, values: Mapping[str, bool], offered: bool, late_ms: int, replace_node: bool,
                      csrf: str, save_url: str, signin_url: str) -> tuple[str, str]:
    """Preferences: a General section (Appearance, Language, two switches) and the "Artificial
    Intelligence" section (Model, then "AI data retention" when the member is offered it). Returns the
    panel and its script."""
    h = p.h
    cfg_rows: list[dict[str, object]] = []

    def slot(key: str, label: str, desc: str) -> str:
        sid = p.id()
        html = switch_row(p, label, desc, values[key])
        cfg_rows.append({"slot": sid, "key": key, "value": values[key], "html": html})
        if late_ms > 0:
            return f'<div id="{sid}" aria-busy="true"><div class="{h("skeleton")}"></div></div>'
        return f'<div id="{sid}">{html}</div>'

    general = (_static_row(p, t.THEME_LABEL, t.THEME_VALUE) + _static_row(p, t.LANGUAGE_LABEL, t.LANGUAGE_VALUE)
               + slot(t.AUTOSUGGEST, t.AUTOSUGGEST_LABEL, t.AUTOSUGGEST_HELP)
               + slot(t.WIDGETS, t.WIDGETS_LABEL, t.WIDGETS_HELP))
    ai = _static_row(p, t.MODEL_LABEL, t.MODEL_VALUE, t.MODEL_HELP)
    ai += (slot(t.RETENTION, p.retention_label, t.RETENTION_HELP) if offered
           else f'<p class="{h("row_desc")}">{t.NOT_OFFERED}</p>')
    panel = (f'<h2>{t.PREFERENCES}</h2>'
             f'<section><h3>General</h3><div class="{h("rows")}">{general}</div></section>'
             f'<section><h3>{t.AI_SECTION}</h3><div class="{h("rows")}">{ai}</div></section>')
    cfg = {
        "rows": cfg_rows, "saveUrl": save_url, "csrf": csrf, "lateMs": late_ms, "replaceNode": replace_node,
        "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100, "signinUrl": signin_url,
        "text": {"error": t.SAVE_ERROR}, "cls": {"toast": h("toast"), "toasts": h("toasts")},
    }
    return panel, script(SWITCH_JS, cfg)


# ---------------------------------------------------------------- error pages

def error_page(p: Page, title: str, message: str) -> str:
    body = (f'<main class="{p.h("auth")}">{LOGO}<h1>{escape(title)}</h1>'
            f'<p class="{p.h("muted")}">{escape(message)}</p><p><a href="/">Go home</a></p></main>')
    return document(p, f"{title} - Perplexity", body)


def unavailable(p: Page) -> str:
    return error_page(p, "Service unavailable", "Perplexity is temporarily unavailable. Please try again shortly.")


def not_found(p: Page) -> str:
    return error_page(p, "404", "This page could not be found.")
