"""HTML and scripts of the Grammarly replica's pages (shared/platforms/grammarly.md).

The real markup is not in the research, so this is the plain markup the md's "The replica" paragraph
names: a `button[role=switch][aria-checked]` labelled by its visible text (aria-labelledby), ordinary
labelled inputs. Ids are generated on every load (React-style `:r123:`), class names and form-field
names are hashed per replica instance; nothing a flow could hold on to except roles, aria state and
visible text.
"""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

LABEL = "Product Improvement and Training"
# The replica's own wording (the md gives none): flows must not depend on it.
DESCRIPTION = "Allow Grammarly to use your text to improve its products and train its models."
SAVE_ERROR = "Something went wrong. Please try again."
PROVIDERS = {"google": "Google", "apple": "Apple", "facebook": "Facebook"}


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.5 Inter,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0e101a;
  background:#f6f6f8}}
a{{color:#15c39a}}
.{h("top")}{{display:flex;align-items:center;gap:24px;padding:14px 32px;background:#fff;
  border-bottom:1px solid #e4e6f2}}
.{h("logo")}{{font-weight:700;font-size:20px;color:#0e101a;text-decoration:none}}
.{h("nav")}{{display:flex;gap:18px;flex:1}}
.{h("nav")} a{{color:#4a4e69;text-decoration:none}}
.{h("nav")} a[aria-current]{{color:#0e101a;font-weight:600}}
.{h("who")}{{color:#4a4e69}}
.{h("main")}{{max-width:760px;margin:32px auto;padding:0 16px}}
.{h("card")}{{background:#fff;border-radius:12px;padding:24px 28px;box-shadow:0 1px 3px rgba(14,16,26,.12)}}
.{h("row")}{{display:flex;align-items:flex-start;justify-content:space-between;gap:24px;padding:16px 0;
  border-top:1px solid #e4e6f2}}
.{h("row_label")}{{font-weight:600}}
.{h("row_desc")}{{margin:4px 0 0;color:#4a4e69;font-size:14px}}
.{h("switch")}{{flex:none;width:44px;height:24px;border-radius:12px;border:0;padding:2px;background:#b9bccf;
  cursor:pointer;position:relative}}
.{h("switch")}.{h("switch_on")}{{background:#15c39a}}
.{h("knob")}{{display:block;width:20px;height:20px;border-radius:50%;background:#fff;transition:transform .15s}}
.{h("switch_on")} .{h("knob")}{{transform:translateX(20px)}}
.{h("skeleton")}{{height:56px;border-radius:8px;background:#eceef5;margin-top:16px}}
.{h("toasts")}{{position:fixed;bottom:24px;left:50%;transform:translateX(-50%)}}
.{h("toast")}{{background:#0e101a;color:#fff;border-radius:8px;padding:12px 18px;margin-top:8px}}
.{h("auth")}{{width:420px;margin:56px auto;background:#fff;border-radius:12px;padding:32px;
  box-shadow:0 2px 10px rgba(14,16,26,.12)}}
.{h("auth")} h1{{font-size:28px;margin:0 0 20px}}
.{h("social")}{{display:block;width:100%;margin-top:10px;padding:11px;border:1px solid #b9bccf;
  border-radius:24px;background:#fff;font-size:15px;cursor:pointer}}
.{h("or")}{{text-align:center;color:#6d758d;margin:18px 0 6px}}
.{h("field")}{{margin-top:14px}}
.{h("field")} label{{display:block;font-weight:600;margin-bottom:4px}}
.{h("field")} input{{width:100%;height:44px;padding:0 12px;font-size:15px;border:1px solid #b9bccf;
  border-radius:6px}}
.{h("primary")}{{display:block;width:100%;margin-top:20px;padding:12px;border:0;border-radius:24px;
  background:#15c39a;color:#fff;font-size:16px;font-weight:600;cursor:pointer}}
.{h("error")}{{margin-top:14px;padding:10px 12px;border-radius:6px;background:#fdecee;color:#b0112a}}
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

def top_bar(p: Page, name: str, links: list[tuple[str, str]], active: str) -> str:
    """The account site's header: logo, navigation (unrelated chrome), the member and "Sign out"."""
    current = ' aria-current="page"'
    items = "".join(f'<a href="{href}"{current if href == active else ""}>{escape(text)}</a>' for text, href in links)
    return (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Grammarly</a>'
            f'<nav class="{p.h("nav")}" aria-label="Account">{items}</nav>'
            f'<span class="{p.h("who")}">{escape(name)}</span> <a href="/signout">Sign out</a></header>')


def shell(p: Page, title: str, top: str, main: str, scripts: str = "") -> str:
    return document(p, f"{title} | Grammarly", f'{top}<main class="{p.h("main")}">{main}</main>', scripts)


def account_home(p: Page, top: str, name: str, email: str) -> str:
    main = (f'<section class="{p.h("card")}"><h1>Account</h1>'
            f'<dl><dt>Name</dt><dd>{escape(name)}</dd><dt>Email</dt><dd>{escape(email)}</dd></dl></section>')
    return shell(p, "Account", top, main)


def switch_row(p: Page, label: str, value: bool) -> str:
    """The switch as the script builds it too (SWITCH_JS build()): label and description tied by id."""
    label_id, desc_id = p.id(), p.id()
    on = f' {p.h("switch_on")}' if value else ""
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">'
            f'<span id="{label_id}" class="{p.h("row_label")}">{escape(label)}</span>'
            f'<p id="{desc_id}" class="{p.h("row_desc")}">{escape(DESCRIPTION)}</p></div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{label_id}" aria-describedby="{desc_id}" class="{p.h("switch")}{on}">'
            f'<span class="{p.h("knob")}" aria-hidden="true"></span></button></div>')


# Hydrates (or, late, mounts) the switch; a click saves at once by a background POST carrying the
# CSRF cookie's value in a header. A failed save puts the switch back and shows a role=alert toast;
# a 401 sends the visitor to sign in and back.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  const slot = document.getElementById(cfg.slot);
  const held = slot.querySelector('template');
  let value = cfg.value, busy = false, seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq + ':'; };
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  const csrf = () => { const m = document.cookie.match(/(?:^|;\\s*)csrf-token=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : ''; };
  const c = cfg.cls;

  function build() {
    const labelId = freshId(), descId = freshId();
    const sw = el('button', {type: 'button', role: 'switch', 'aria-checked': String(value),
                             'aria-labelledby': labelId, 'aria-describedby': descId, class: c.switch},
      el('span', {class: c.knob, 'aria-hidden': 'true'}));
    return el('div', {class: c.row},
      el('div', {class: c.text}, el('span', {id: labelId, class: c.label}, cfg.text.label),
        el('p', {id: descId, class: c.desc}, cfg.text.desc)), sw);
  }
  function paint() {
    const sw = slot.querySelector('[role="switch"]');
    if (!sw) return;
    sw.setAttribute('aria-checked', String(value));
    sw.classList.toggle(c.on, value);
    sw.disabled = busy;
  }
  function mount() {
    slot.replaceChildren(build());
    paint();
    if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
  }
  function rerender() {  // as a re-rendering framework does: an equal node, not the same one
    const old = slot.firstElementChild;
    if (old) { old.replaceWith(build()); paint(); }
  }
  function showError(message) {
    const item = el('div', {role: 'alert', class: c.toast}, message);
    document.querySelector('.' + c.toasts).append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function change(next) {
    if (busy) return;
    const before = value;
    value = next; busy = true; paint();
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-csrf-token': csrf()},
        body: JSON.stringify({[cfg.key]: next})});
      status = r.status;
    } catch (e) { status = 0; }
    busy = false;
    if (status === 401) { location.assign(cfg.signinUrl + encodeURIComponent(location.href)); return; }
    if (status < 200 || status >= 300) { value = before; paint(); showError(cfg.text.error); return; }
    paint();
    if (cfg.replaceNode) rerender();
  }
  slot.addEventListener('click', (event) => {
    if (event.target.closest('button[role="switch"]')) change(!value);
  });
  if (held) setTimeout(mount, cfg.lateMs);
  else if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
})();"""


def settings_page(p: Page, top: str, *, title: str, intro: str, label: str | None, value: bool, late_ms: int,
                  replace_node: bool, save_url: str, key: str, note: str = "") -> str:
    """/security/privacy or /admin/data_settings. `label=None`: the page without the switch (a Pro
    member at /security/privacy, or a member to whom the setting is not offered)."""
    parts = [f'<h1>{escape(title)}</h1><p>{escape(intro)}</p>']
    scripts = ""
    if label is not None:
        slot = p.id()
        row = switch_row(p, label, value)
        inner = f'<template>{row}</template><div class="{p.h("skeleton")}"></div>' if late_ms > 0 else row
        parts.append(f'<div id="{slot}" class="{p.h("slot")}">{inner}</div>')
        h = p.h
        cfg = {"slot": slot, "value": value, "lateMs": late_ms, "replaceNode": replace_node, "replaceAfterMs": 500,
               "seed": int(random_digits(4)) + 100, "saveUrl": save_url, "key": key,
               "signinUrl": "/signin?redirect_uri=",
               "text": {"label": label, "desc": DESCRIPTION, "error": SAVE_ERROR},
               "cls": {"row": h("row"), "text": h("row_text"), "label": h("row_label"), "desc": h("row_desc"),
                       "switch": h("switch"), "on": h("switch_on"), "knob": h("knob"), "toast": h("toast"),
                       "toasts": h("toasts")}}
        scripts = script(SWITCH_JS, cfg)
    if note:
        parts.append(note)
    parts.append('<p><a href="https://www.grammarly.com/privacy-policy">Privacy Policy</a></p>')
    main = (f'<section class="{p.h("card")}">{"".join(parts)}</section>'
            f'<div class="{p.h("toasts")}" aria-live="polite"></div>')
    return shell(p, title, top, main, scripts)


# ---------------------------------------------------------------- sign-in

def _field(p: Page, label: str, *, kind: str, name: str, autocomplete: str, value: str = "",
           autofocus: bool = False) -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" name="{name}" value="{escape(value)}" autocomplete="{autocomplete}"'
            f' required{" autofocus" if autofocus else ""}></div>')


def _social(p: Page, target: str) -> str:
    """Google / Apple / Facebook buttons above the email form, as sign-in pages usually have them."""
    out = []
    for slug, name in PROVIDERS.items():
        out.append(f'<form method="get" action="/signin/federated/{slug}">'
                   f'<input type="hidden" name="redirect_uri" value="{escape(target)}">'
                   f'<button type="submit" class="{p.h("social")}">Continue with {name}</button></form>')
    return "".join(out) + f'<p class="{p.h("or")}">or</p>'


def _auth(p: Page, title: str, inner: str) -> str:
    body = (f'<header class="{p.h("top")}"><a href="https://www.grammarly.com/" class="{p.h("logo")}">'
            f'Grammarly</a></header><main class="{p.h("auth")}"><h1>{escape(title)}</h1>{inner}</main>')
    return document(p, f"{title} | Grammarly", body)


def signin(p: Page, *, names: dict[str, str], csrf: str, target: str, two_step: bool, email: str = "",
           error: str = "") -> str:
    """The sign-in page: email and password on one page, or (two_step) the email alone first."""
    fields = _field(p, "Email", kind="email", name=names["email"], autocomplete="username", value=email,
                    autofocus=True)
    if not two_step:
        fields += _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password")
    button = "Continue" if two_step else "Sign in"
    inner = (f'{_social(p, target)}{error_box(p, error)}'
             f'<form method="post" action="/signin">'
             f'<input type="hidden" name="{names["csrf"]}" value="{escape(csrf)}">'
             f'<input type="hidden" name="{names["target"]}" value="{escape(target)}">'
             f'{fields}<button type="submit" class="{p.h("primary")}">{button}</button></form>'
             '<p><a href="/resetpassword">Forgot password?</a></p>'
             '<p>Don\'t have an account? <a href="/signup">Sign up</a></p>')
    return _auth(p, "Log in", inner)


def signin_password(p: Page, *, names: dict[str, str], csrf: str, token: str, email: str, error: str = "") -> str:
    """Two-step sign-in, step 2: the password for the email given before."""
    field = _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                   autofocus=True)
    inner = (f'<p>{escape(email)} <a href="/signin">Change</a></p>{error_box(p, error)}'
             f'<form method="post" action="/signin/password">'
             f'<input type="hidden" name="{names["csrf"]}" value="{escape(csrf)}">'
             f'<input type="hidden" name="{names["token"]}" value="{escape(token)}">'
             f'{field}'
             f'<button type="submit" class="{p.h("primary")}">Sign in</button></form>'
             '<p><a href="/resetpassword">Forgot password?</a></p>')
    return _auth(p, "Enter your password", inner)


def signin_code(p: Page, *, names: dict[str, str], csrf: str, token: str, error: str = "") -> str:
    """Two-factor step: the code from the member's authenticator app."""
    fid = p.id()
    inner = (f'<p>Enter the 6-digit code from your authenticator app.</p>{error_box(p, error)}'
             f'<form method="post" action="/signin/verify">'
             f'<input type="hidden" name="{names["csrf"]}" value="{escape(csrf)}">'
             f'<input type="hidden" name="{names["token"]}" value="{escape(token)}">'
             f'<div class="{p.h("field")}"><label for="{fid}">Verification code</label>'
             f'<input id="{fid}" type="text" name="{names["code"]}" inputmode="numeric" maxlength="6"'
             ' autocomplete="one-time-code" required autofocus></div>'
             f'<button type="submit" class="{p.h("primary")}">Verify</button></form>')
    return _auth(p, "Two-step verification", inner)


def federated(p: Page, provider: str, target: str) -> str:
    """Where the Google/Apple/Facebook buttons lead: that provider cannot be reached from here."""
    back = escape("/signin?" + urlencode({"redirect_uri": target}) if target else "/signin")
    inner = (f'<div role="alert" class="{p.h("error")}">We couldn\'t connect to {escape(provider)}. '
             'Try again later or log in with your email.</div>'
             f'<p><a href="{back}">Back to log in</a></p>')
    return _auth(p, f"Continue with {provider}", inner)


# ---------------------------------------------------------------- errors

def error_page(p: Page, title: str, body: str) -> str:
    return _auth(p, title, f"<p>{escape(body)}</p>")
