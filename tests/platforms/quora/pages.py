"""HTML and scripts of the Quora replica's pages (shared/platforms/quora.md).

quora.md knows the switch's label and nothing of the markup, so this is the plain markup its "The
replica" paragraph names: a `button[role=switch][aria-checked]` next to its label, ordinary labelled
inputs. Ids are generated on every load (`:r123:`); class names and form-field names are hashed per
replica instance; nothing a flow could hold on to beyond roles, aria state and visible text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

# The one label quora.md gives (well sourced).
LLM_LABEL = "Allow large language models to be trained on your content"


@dataclass(frozen=True)
class Row:
    """One switch of the Privacy page: the server-side slug, the save API's key, texts, default."""

    slug: str
    key: str
    label: str
    description: str
    default: bool


# The Privacy page's switches by section. Only LLM_LABEL is quora.md's; the neighbours, sections and
# descriptions are the replica's own (decoys that share words with the label: "language", "your content").
LLM = Row("llm_training", "allowLlmTraining", LLM_LABEL,
          "Quora does not currently train large language models on your content. This setting decides "
          "whether it may do so in the future.", True)
SECTIONS: tuple[tuple[str, tuple[Row, ...]], ...] = (
    ("Profile", (
        Row("search_index", "allowSearchEngineIndexing", "Allow search engines to index your name",
            "Your profile can appear in search results outside Quora.", True),
    )),
    ("Content", (
        LLM,
        Row("translation", "allowContentTranslation", "Allow your content to be translated into other languages",
            "Translations of your answers may be shown to readers of Quora in other languages.", True),
        Row("digest", "allowDigestEmails", "Allow your answers to be shown in Digest emails",
            "Your answers may appear in emails sent to other people.", True),
    )),
    ("Messages", (
        Row("messages", "allowMessages", "Allow anyone to message you",
            "When this is off, only people you follow can message you.", False),
    )),
)
ROWS: tuple[Row, ...] = tuple(r for _, rows in SECTIONS for r in rows)
NEIGHBOURS: tuple[Row, ...] = tuple(r for r in ROWS if r is not LLM)
SAVE_ERROR = "Something went wrong. Please try again."
PROVIDERS = {"google": "Google", "facebook": "Facebook"}
AVATAR = ("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAy"
          "NCAyNCI+PGNpcmNsZSBjeD0iMTIiIGN5PSIxMiIgcj0iMTIiIGZpbGw9IiNjZmQ4ZGMiLz48L3N2Zz4=")


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
  color:#282829;background:#f1f2f2}}
a{{color:#195faa;text-decoration:none}}
button{{font:inherit}}
.{h("top")}{{display:flex;align-items:center;gap:18px;padding:8px 24px;background:#fff;
  box-shadow:0 1px 2px rgba(0,0,0,.1)}}
.{h("logo")}{{font:700 28px Georgia,serif;color:#b92b27}}
.{h("nav")}{{display:flex;gap:14px;flex:1}}
.{h("nav")} a{{color:#636466}}
.{h("search")}{{width:260px;height:34px;border:1px solid #dee0e1;border-radius:3px;padding:0 10px}}
.{h("menuwrap")}{{position:relative}}
.{h("avatar")}{{border:0;background:none;padding:0;cursor:pointer}}
.{h("avatar")} img{{width:28px;height:28px;border-radius:50%}}
.{h("menu")}{{position:absolute;right:0;top:36px;width:220px;background:#fff;border:1px solid #dee0e1;
  border-radius:4px;box-shadow:0 2px 8px rgba(0,0,0,.15);padding:6px 0;z-index:5}}
.{h("menu")} a{{display:block;padding:8px 16px;color:#282829}}
.{h("menu")} a:hover{{background:#f1f2f2}}
.{h("main")}{{max-width:980px;margin:24px auto;padding:0 16px}}
.{h("card")}{{background:#fff;border:1px solid #dee0e1;border-radius:3px;padding:20px 24px;margin-bottom:12px}}
.{h("settings")}{{display:flex;gap:24px;align-items:flex-start}}
.{h("side")}{{width:200px;flex:none;display:flex;flex-direction:column}}
.{h("side")} a{{padding:8px 10px;color:#636466;border-radius:3px}}
.{h("side")} a[aria-current]{{background:#fff;color:#282829;font-weight:600}}
.{h("pane")}{{flex:1}}
.{h("section")}{{margin:18px 0 4px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#939598}}
.{h("row")}{{display:flex;align-items:flex-start;justify-content:space-between;gap:24px;padding:14px 0;
  border-top:1px solid #f1f2f2}}
.{h("row_label")}{{font-weight:500}}
.{h("row_desc")}{{margin:4px 0 0;color:#636466;font-size:13px}}
.{h("switch")}{{flex:none;width:40px;height:22px;border-radius:11px;border:0;padding:2px;background:#c7c9cb;
  cursor:pointer}}
.{h("switch")}.{h("switch_on")}{{background:#2e69ff}}
.{h("knob")}{{display:block;width:18px;height:18px;border-radius:50%;background:#fff;transition:transform .15s}}
.{h("switch_on")} .{h("knob")}{{transform:translateX(18px)}}
.{h("skeleton")}{{height:200px;border-radius:3px;background:#eceef0}}
.{h("toasts")}{{position:fixed;bottom:24px;left:50%;transform:translateX(-50%)}}
.{h("toast")}{{background:#282829;color:#fff;border-radius:4px;padding:12px 18px;margin-top:8px}}
.{h("landing")}{{max-width:700px;margin:60px auto;background:#fff;border-radius:3px;padding:32px;
  box-shadow:0 1px 4px rgba(0,0,0,.15)}}
.{h("brand")}{{text-align:center}}
.{h("brand")} span{{font:700 56px Georgia,serif;color:#b92b27}}
.{h("cols")}{{display:flex;gap:32px;margin-top:24px}}
.{h("col")}{{flex:1}}
.{h("auth")}{{width:420px;margin:56px auto;background:#fff;border-radius:3px;padding:28px;
  box-shadow:0 1px 4px rgba(0,0,0,.15)}}
.{h("social")}{{display:block;width:100%;margin-top:10px;padding:10px;border:1px solid #dee0e1;
  border-radius:3px;background:#fff;cursor:pointer}}
.{h("field")}{{margin-top:14px}}
.{h("field")} label{{display:block;font-weight:600;margin-bottom:4px}}
.{h("field")} input{{width:100%;height:40px;padding:0 10px;border:1px solid #dee0e1;border-radius:3px}}
.{h("primary")}{{margin-top:18px;padding:9px 22px;border:0;border-radius:20px;background:#2e69ff;color:#fff;
  font-weight:600;cursor:pointer}}
.{h("plain")}{{margin-top:10px;border:0;background:none;color:#195faa;cursor:pointer;padding:0}}
.{h("error")}{{margin-top:14px;padding:10px 12px;border-radius:3px;background:#fdecec;color:#b92b27}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n"
            f'<div id="{p.id()}" class="{p.h("app")}">{body}</div>\n{scripts}\n</body></html>')


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def error_box(p: Page, error: str) -> str:
    return f'<div role="alert" class="{p.h("error")}">{escape(error)}</div>' if error else ""


# ---------------------------------------------------------------- signed-in chrome

# The profile menu: a button holding the member's picture (its alt is their name) opens a menu whose
# items include "Settings"; Escape or a click elsewhere closes it.
MENU_JS = """(() => {
  const cfg = __CFG__;
  const button = document.getElementById(cfg.button), menu = document.getElementById(cfg.menu);
  const set = (open) => { menu.hidden = !open; button.setAttribute('aria-expanded', String(open)); };
  button.addEventListener('click', (e) => { e.stopPropagation(); set(menu.hidden); });
  document.addEventListener('click', (e) => { if (!menu.contains(e.target)) set(false); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') set(false); });
})();"""


def top_bar(p: Page, name: str, profile: str) -> str:
    """The site header: logo, a few nav links, search, and the profile menu (where "Settings" is)."""
    button, menu = p.id(), p.id()
    items = [(name, f"/profile/{profile}"), ("Messages", "/messages"), ("Settings", "/settings"),
             ("Languages", "/settings/languages"), ("Help", "/help"), ("Logout", "/logout")]
    links = "".join(f'<a role="menuitem" href="{href}">{escape(text)}</a>' for text, href in items)
    return (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Quora</a>'
            f'<nav class="{p.h("nav")}"><a href="/">Home</a><a href="/answer">Answer</a><a href="/spaces">Spaces</a>'
            '<a href="/notifications">Notifications</a></nav>'
            f'<input class="{p.h("search")}" type="search" placeholder="Search Quora" aria-label="Search Quora">'
            f'<div class="{p.h("menuwrap")}"><button id="{button}" type="button" class="{p.h("avatar")}" '
            f'aria-haspopup="menu" aria-expanded="false"><img alt="{escape(name)}" src="{AVATAR}"></button>'
            f'<div id="{menu}" role="menu" class="{p.h("menu")}" hidden>{links}</div></div></header>'
            + script(MENU_JS, {"button": button, "menu": menu}))


def shell(p: Page, title: str, top: str, main: str, scripts: str = "") -> str:
    return document(p, f"{title} - Quora", f'{top}<main class="{p.h("main")}">{main}</main>', scripts)


def home(p: Page, top: str) -> str:
    """The signed-in feed: unrelated content, nothing about settings."""
    questions = ("What is the best way to learn a second language as an adult?",
                 "Why do cats purr?", "How do large language models work?")
    cards = "".join(f'<div class="{p.h("card")}"><a href="/unanswered/{i}"><strong>{escape(q)}</strong></a>'
                    f'<p>Answer · Follow · Pass</p></div>' for i, q in enumerate(questions))
    return shell(p, "Home", top, cards)


# ---------------------------------------------------------------- settings

def settings_shell(p: Page, top: str, tabs: list[tuple[str, str]], active: str, heading: str, body: str,
                   scripts: str = "") -> str:
    """Settings: a side nav of tabs (Account, Privacy, …) and the active tab's pane."""
    current = ' aria-current="page"'
    nav = "".join(f'<a href="{href}"{current if href == active else ""}>{escape(text)}</a>' for text, href in tabs)
    main = (f'<div class="{p.h("settings")}"><nav class="{p.h("side")}" aria-label="Settings">{nav}</nav>'
            f'<div class="{p.h("pane")}"><section class="{p.h("card")}"><h1>{escape(heading)}</h1>{body}</section>'
            f'</div></div><div class="{p.h("toasts")}" aria-live="polite"></div>')
    return shell(p, "Settings", top, main, scripts)


def account_tab(email: str) -> str:
    return (f"<h2>Email</h2><p>{escape(email)} (primary)</p><p><a href=\"/settings/email\">Add another email "
            "address</a></p><h2>Password</h2><p><a href=\"/settings/password\">Change password</a></p>"
            "<h2>Account</h2><p><a href=\"/settings/deactivate\">Deactivate account</a></p>"
            "<p><a href=\"/settings/delete_account\">Delete account</a></p>")


def plain_tab(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _row(p: Page, row: Row, value: bool, named: bool) -> str:
    """One switch beside its label (SWITCH_JS build() makes the same)."""
    label_id, desc_id = p.id(), p.id()
    tie = f' aria-labelledby="{label_id}" aria-describedby="{desc_id}"' if named else ""
    on = f' {p.h("switch_on")}' if value else ""
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">'
            f'<span id="{label_id}" class="{p.h("row_label")}">{escape(row.label)}</span>'
            f'<p id="{desc_id}" class="{p.h("row_desc")}">{escape(row.description)}</p></div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}"{tie} '
            f'class="{p.h("switch")}{on}"><span class="{p.h("knob")}" aria-hidden="true"></span></button></div>')


# Hydrates (or, late, mounts) the switches; a click saves at once by a background POST carrying the
# session's formkey in a header. A failed save puts the switch back and shows a role=alert toast; a
# 401 sends the visitor to sign in and back. Rows are known by their order, not by any attribute.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  const slot = document.getElementById(cfg.slot);
  const held = slot.querySelector('template');
  const c = cfg.cls;
  const values = {}, keyOf = new Map(), busy = new Set();
  cfg.rows.forEach((r) => { values[r.key] = r.value; });
  let seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq + ':'; };
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };

  function build(r) {
    const labelId = freshId(), descId = freshId();
    const attrs = {type: 'button', role: 'switch', 'aria-checked': String(values[r.key]), class: c.switch};
    if (cfg.named) { attrs['aria-labelledby'] = labelId; attrs['aria-describedby'] = descId; }
    const row = el('div', {class: c.row},
      el('div', {class: c.text}, el('span', {id: labelId, class: c.label}, r.label),
        el('p', {id: descId, class: c.desc}, r.desc)),
      el('button', attrs, el('span', {class: c.knob, 'aria-hidden': 'true'})));
    keyOf.set(row, r.key);
    return row;
  }
  function rowsNow() { return Array.from(slot.querySelectorAll('.' + c.row)); }
  function hydrate() { rowsNow().forEach((row, i) => keyOf.set(row, cfg.rows[i].key)); }
  function rowFor(key) { return rowsNow().find((row) => keyOf.get(row) === key); }
  function paint(key) {
    const row = rowFor(key);
    const sw = row && row.querySelector('[role="switch"]');
    if (!sw) return;
    sw.setAttribute('aria-checked', String(values[key]));
    sw.classList.toggle(c.on, values[key]);
    sw.disabled = busy.has(key);
  }
  function replace(key) {  // as a re-rendering framework does: an equal node, not the same one
    const old = rowFor(key);
    const r = cfg.rows.find((x) => x.key === key);
    if (old && r) { old.replaceWith(build(r)); paint(key); }
  }
  function replaceAll() { cfg.rows.forEach((r) => replace(r.key)); }
  function showError(message) {
    const item = el('div', {role: 'alert', class: c.toast}, message);
    document.querySelector('.' + c.toasts).append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function change(key) {
    if (busy.has(key)) return;
    const before = values[key];
    values[key] = !before; busy.add(key); paint(key);
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'quora-formkey': cfg.formkey},
        body: JSON.stringify({setting: key, value: values[key]})});
      status = r.status;
    } catch (e) { status = 0; }
    busy.delete(key);
    if (status === 401) { location.assign(cfg.signinUrl + encodeURIComponent(location.href)); return; }
    if (status < 200 || status >= 300) { values[key] = before; paint(key); showError(cfg.text.error); return; }
    paint(key);
    if (cfg.replaceNode) replace(key);
  }
  slot.addEventListener('click', (event) => {
    const sw = event.target.closest('button[role="switch"]');
    const row = sw && sw.closest('.' + c.row);
    if (row && keyOf.has(row)) change(keyOf.get(row));
  });
  function start() {
    hydrate();
    if (cfg.replaceNode) setTimeout(replaceAll, cfg.replaceAfterMs);
  }
  if (held) setTimeout(() => { slot.replaceChildren(held.content.cloneNode(true)); start(); }, cfg.lateMs);
  else start();
})();"""


def privacy_tab(p: Page, values: dict[str, bool], *, show_llm: bool, named: bool, late_ms: int,
                replace_node: bool, save_url: str, formkey: str, signin_url: str) -> tuple[str, str]:
    """The Privacy tab's pane and its script. `show_llm=False`: the member is not offered the setting
    (the Content section without that row; its label appears nowhere)."""
    shown: list[Row] = []
    parts: list[str] = []
    for title, rows in SECTIONS:
        rows = tuple(r for r in rows if show_llm or r is not LLM)
        parts.append(f'<h2 class="{p.h("section")}">{escape(title)}</h2>')
        parts.extend(_row(p, r, values[r.slug], named) for r in rows)
        shown.extend(rows)
    inner = "".join(parts)
    slot = p.id()
    if late_ms > 0:
        inner = f'<template>{inner}</template><div class="{p.h("skeleton")}"></div>'
    h = p.h
    cfg = {"slot": slot, "lateMs": late_ms, "replaceNode": replace_node, "replaceAfterMs": 500, "named": named,
           "seed": int(random_digits(4)) + 100, "saveUrl": save_url, "formkey": formkey, "signinUrl": signin_url,
           "rows": [{"key": r.key, "label": r.label, "desc": r.description, "value": values[r.slug]} for r in shown],
           "text": {"error": SAVE_ERROR},
           "cls": {"row": h("row"), "text": h("row_text"), "label": h("row_label"), "desc": h("row_desc"),
                   "switch": h("switch"), "on": h("switch_on"), "knob": h("knob"), "toast": h("toast"),
                   "toasts": h("toasts")}}
    body = (f"<p>Manage who can see and use your profile and content.</p><div id=\"{slot}\">{inner}</div>"
            '<p><a href="/about/privacy">Privacy Policy</a></p>')
    return body, script(SWITCH_JS, cfg)


# ---------------------------------------------------------------- sign-in

def _field(p: Page, label: str, *, kind: str, name: str, autocomplete: str, placeholder: str = "",
           value: str = "", autofocus: bool = False, extra: str = "") -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" name="{name}" value="{escape(value)}" autocomplete="{autocomplete}"'
            f' placeholder="{escape(placeholder)}" required{" autofocus" if autofocus else ""}{extra}></div>')


def _hidden(fields: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items())


def login_form(p: Page, *, names: dict[str, str], csrf: str, target: str, two_step: bool, email: str = "",
               error: str = "") -> str:
    """Email and password (or, two-step, the email alone first), posting to /login."""
    fields = _field(p, "Email", kind="email", name=names["email"], autocomplete="username",
                    placeholder="Your email", value=email, autofocus=True)
    if not two_step:
        fields += _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                         placeholder="Your password")
    return (f'{error_box(p, error)}<form method="post" action="/login">'
            f'{_hidden({names["csrf"]: csrf, names["target"]: target})}{fields}'
            '<p><a href="/forgot_password">Forgot password?</a></p>'
            f'<button type="submit" class="{p.h("primary")}">{"Next" if two_step else "Login"}</button></form>')


def _social(p: Page, target: str) -> str:
    out = [f'<form method="get" action="/login/federated/{slug}">{_hidden({"next": target})}'
           f'<button type="submit" class="{p.h("social")}">Continue with {name}</button></form>'
           for slug, name in PROVIDERS.items()]
    return "".join(out) + '<p><a href="/signup">Sign up with email</a></p>'


def _auth(p: Page, title: str, inner: str) -> str:
    body = (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Quora</a></header>'
            f'<main class="{p.h("auth")}"><h1>{escape(title)}</h1>{inner}</main>')
    return document(p, f"{title} - Quora", body)


def login_page(p: Page, *, target: str, form: str) -> str:
    return _auth(p, "Login", f"{_social(p, target)}<hr>{form}")


def landing(p: Page, *, target: str, form: str) -> str:
    """The signed-out home page: the brand, sign-up choices on the left, the login form on the right."""
    body = (f'<main class="{p.h("landing")}"><div class="{p.h("brand")}"><span>Quora</span>'
            '<p>A place to share knowledge and better understand the world</p></div>'
            f'<div class="{p.h("cols")}"><div class="{p.h("col")}"><p>By continuing you indicate that you agree '
            'to Quora’s <a href="/about/tos">Terms of Service</a> and <a href="/about/privacy">Privacy Policy</a>.'
            f'</p>{_social(p, target)}</div><div class="{p.h("col")}"><h2>Login</h2>{form}</div></div></main>')
    return document(p, "Quora - A place to share knowledge and better understand the world", body)


def password_step(p: Page, *, names: dict[str, str], csrf: str, token: str, email: str, error: str = "") -> str:
    """Two-step sign-in, step 2: the password for the email given before."""
    field = _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                   placeholder="Your password", autofocus=True)
    inner = (f'<p>{escape(email)} <a href="/login">Not you?</a></p>{error_box(p, error)}'
             f'<form method="post" action="/login/password">{_hidden({names["csrf"]: csrf, names["token"]: token})}'
             f'{field}<p><a href="/forgot_password">Forgot password?</a></p>'
             f'<button type="submit" class="{p.h("primary")}">Login</button></form>')
    return _auth(p, "Login", inner)


def challenge(p: Page, *, kind: str, names: dict[str, str], csrf: str, token: str, masked_email: str = "",
              image: str = "", error: str = "") -> str:
    """A step after the password: a captcha, a code sent by email, or an authenticator code."""
    hidden = _hidden({names["csrf"]: csrf, names["token"]: token})
    if kind == "captcha":
        title = "Security check"
        intro = (f'<p>Type the characters in the picture to continue.</p>'
                 f'<p><img src="{escape(image)}" alt="" width="200" height="70"></p>')
        field = _field(p, "Characters", kind="text", name=names["code"], autocomplete="off")
        button = "Continue"
    elif kind == "email_code":
        title = "Check your email"
        intro = f"<p>We sent a 6-digit code to {escape(masked_email)}. Enter it below to continue.</p>"
        field = _field(p, "Code", kind="text", name=names["code"], autocomplete="one-time-code",
                       extra=' inputmode="numeric" maxlength="6"')
        button = "Verify"
    else:
        title = "Two-factor authentication"
        intro = "<p>Enter the 6-digit code from your authenticator app.</p>"
        field = _field(p, "Authentication code", kind="text", name=names["code"], autocomplete="one-time-code",
                       extra=' inputmode="numeric" maxlength="6"')
        button = "Verify"
    inner = (f'{intro}{error_box(p, error)}<form method="post" action="/login/verify">{hidden}{field}'
             f'<button type="submit" class="{p.h("primary")}">{button}</button></form>')
    if kind == "email_code":
        inner += (f'<form method="post" action="/login/resend">{hidden}'
                  f'<button type="submit" class="{p.h("plain")}">Resend code</button></form>')
    return _auth(p, title, inner)


def federated(p: Page, provider: str, target: str) -> str:
    """Where "Continue with Google/Facebook" leads: that provider cannot be reached from here."""
    back = escape("/login?" + urlencode({"next": target}) if target else "/login")
    inner = (f'<div role="alert" class="{p.h("error")}">We couldn\'t connect to {escape(provider)}. '
             'Try again later or log in with your email.</div>'
             f'<p><a href="{back}">Back to login</a></p>')
    return _auth(p, f"Continue with {provider}", inner)


# ---------------------------------------------------------------- errors

def not_found(p: Page, top: str | None) -> str:
    main = (f'<section class="{p.h("card")}"><h1>Page Not Found</h1>'
            '<p>The page you were looking for doesn\'t exist or may have been removed.</p>'
            '<p><a href="/">Go to Quora home</a></p></section>')
    if top is None:
        return _auth(p, "Page Not Found", main)
    return shell(p, "Page Not Found", top, main)


def unavailable(p: Page) -> str:
    return _auth(p, "Something went wrong", "<p>Quora is temporarily unavailable. Please try again in a few "
                 "minutes.</p>")
