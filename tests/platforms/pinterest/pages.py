"""HTML and scripts of the Pinterest replica's pages (shared/platforms/pinterest.md).

The real markup is not in the research, so this is the plain markup the md's "The replica" paragraph
names: a `button[role=switch][aria-checked]` labelled by its visible text (aria-labelledby), ordinary
labelled inputs. Ids are generated on every load (React-style `:r123:`), class names and form-field
names are hashed per replica instance: nothing a flow could hold on to but roles, aria state and text.
Only LABEL, DESCRIPTION, "Settings", "Privacy and data" and "Manage GenAI settings" come from the md;
every other wording here is the replica's own.
"""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

# pinterest.md's wordings
LABEL = "Use your data to train Pinterest Canvas"
DESCRIPTION = ("When you save or upload content to Pinterest, we may use it to improve the accuracy, safety and "
               "overall performance of Pinterest Canvas.")
PRIVACY_TITLE = "Privacy and data"
GENAI_TITLE = "Manage GenAI settings"
SETTINGS = "Settings"
# the replica's own wordings (flows must not depend on them)
SAVE = "Save"
RESET = "Reset"
SAVED = "Your settings have been saved."
SAVE_ERROR = "Something went wrong on our end. Please try again."
NOT_OFFERED = "These settings aren't available for your account."
PROVIDERS = {"facebook": "Facebook", "google": "Google"}


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:16px/1.4 -apple-system,system-ui,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#111}}
a{{color:#111}}
.{h("top")}{{display:flex;align-items:center;gap:16px;padding:12px 20px;background:#fff}}
.{h("logo")}{{font-weight:700;font-size:22px;color:#e60023;text-decoration:none}}
.{h("nav")}{{display:flex;gap:12px;flex:1}}
.{h("nav")} a,.{h("top")} > a{{padding:10px 14px;border-radius:24px;text-decoration:none;font-weight:600}}
.{h("nav")} a[aria-current]{{background:#111;color:#fff}}
.{h("who")}{{color:#5f5f5f}}
.{h("layout")}{{display:flex;gap:40px;max-width:1000px;margin:24px auto;padding:0 20px}}
.{h("side")}{{flex:none;width:220px}}
.{h("side")} a{{display:block;padding:8px 0;text-decoration:none;font-weight:600;color:#5f5f5f}}
.{h("side")} a[aria-current]{{color:#111;border-bottom:2px solid #111;display:inline-block}}
.{h("main")}{{flex:1;max-width:600px;padding-bottom:100px}}
.{h("main")} h1{{font-size:28px;margin:0 0 8px}}
.{h("main")} h2{{font-size:20px;margin:28px 0 8px}}
.{h("muted")}{{color:#5f5f5f}}
.{h("row")}{{display:flex;align-items:flex-start;justify-content:space-between;gap:24px;padding:16px 0}}
.{h("row_label")}{{font-weight:600}}
.{h("row_desc")}{{margin:4px 0 0;color:#5f5f5f;font-size:14px}}
.{h("switch")}{{flex:none;width:48px;height:28px;border-radius:14px;border:0;padding:3px;background:#cdcdcd;
  cursor:pointer}}
.{h("switch")}.{h("switch_on")}{{background:#111}}
.{h("knob")}{{display:block;width:22px;height:22px;border-radius:50%;background:#fff;transition:transform .15s}}
.{h("switch_on")} .{h("knob")}{{transform:translateX(20px)}}
.{h("skeleton")}{{height:60px;border-radius:16px;background:#efefef;margin-top:16px}}
.{h("bar")}{{position:fixed;left:0;right:0;bottom:0;display:flex;justify-content:center;gap:8px;padding:16px;
  background:#fff;box-shadow:0 -1px 8px rgba(0,0,0,.1)}}
.{h("pill")}{{padding:12px 18px;border:0;border-radius:24px;background:#efefef;font-weight:600;font-size:16px;
  cursor:pointer}}
.{h("pill")}:disabled{{opacity:.5;cursor:default}}
.{h("red")}{{background:#e60023;color:#fff}}
.{h("toasts")}{{position:fixed;bottom:90px;left:50%;transform:translateX(-50%)}}
.{h("toast")}{{background:#111;color:#fff;border-radius:16px;padding:14px 20px;margin-top:8px}}
.{h("auth")}{{width:484px;margin:48px auto;border-radius:32px;padding:32px 60px;text-align:center;
  box-shadow:0 0 18px rgba(0,0,0,.15)}}
.{h("auth")} h1{{font-size:32px;margin:0 0 20px}}
.{h("field")}{{margin-top:12px;text-align:left}}
.{h("field")} label{{display:block;font-size:14px;margin:0 0 4px 8px}}
.{h("field")} input{{width:100%;height:48px;padding:0 16px;font-size:16px;border:2px solid #cdcdcd;
  border-radius:16px}}
.{h("wide")}{{display:block;width:100%;margin-top:14px}}
.{h("or")}{{font-weight:700;margin:12px 0}}
.{h("error")}{{margin-top:12px;text-align:left;color:#b60000;font-size:14px}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n"
            f'<div id="{p.id()}" class="{p.h("app")}">{body}</div>\n{scripts}\n</body></html>')


def error_box(p: Page, error: str) -> str:
    return f'<div role="alert" class="{p.h("error")}">{escape(error)}</div>' if error else ""


# ---------------------------------------------------------------- signed-in chrome

def top_bar(p: Page, name: str | None, active: str = "") -> str:
    """The site header: the logo alone (signed out), or logo, "Home", the member, a visible "Settings"
    link and "Log out"."""
    if name is None:
        return f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Pinterest</a></header>'
    home = ' aria-current="page"' if active == "/" else ""
    return (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Pinterest</a>'
            f'<nav class="{p.h("nav")}" aria-label="Site"><a href="/"{home}>Home</a></nav>'
            f'<span class="{p.h("who")}">{escape(name)}</span>'
            f'<a href="/settings/">{SETTINGS}</a><a href="/logout/">Log out</a></header>')


def shell(p: Page, title: str, top: str, main: str, scripts: str = "") -> str:
    body = f'{top}<div class="{p.h("layout")}"><main class="{p.h("main")}">{main}</main></div>'
    return document(p, f"{title} | Pinterest", body, scripts)


def settings_shell(p: Page, title: str, top: str, nav: list[tuple[str, str]], active: str, main: str,
                   scripts: str = "") -> str:
    """A settings page: the settings menu on the left (plain links), the page on the right."""
    current = ' aria-current="page"'
    links = "".join(f'<a href="{href}"{current if text == active else ""}>{escape(text)}</a>' for text, href in nav)
    body = (f'{top}<div class="{p.h("layout")}"><nav class="{p.h("side")}" aria-label="{SETTINGS}">{links}</nav>'
            f'<main class="{p.h("main")}">{main}</main></div>')
    return document(p, f"{title} | Pinterest", body, scripts)


def home(p: Page, top: str, name: str) -> str:
    main = f'<h1>Home feed</h1><p class="{p.h("muted")}">Welcome back, {escape(name)}. Here are ideas for you.</p>'
    return shell(p, "Home", top, main)


def landing(p: Page) -> str:
    main = ('<h1>Get your next idea</h1><p>Sign in to see your home feed.</p>'
            f'<p><a class="{p.h("pill")} {p.h("red")}" href="/login/">Log in</a></p>')
    return shell(p, "Pinterest", top_bar(p, None), main)


def plain_settings(p: Page, title: str, intro: str) -> str:
    """The other settings pages: a heading and a line (chrome: nothing on them is modelled)."""
    return f'<h1>{escape(title)}</h1><p class="{p.h("muted")}">{escape(intro)}</p>'


# ---------------------------------------------------------------- the switch

def switch_row(p: Page, value: bool) -> str:
    """The switch as the script builds it too (SWITCH_JS build()): label and description tied by id."""
    label_id, desc_id = p.id(), p.id()
    on = f' {p.h("switch_on")}' if value else ""
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">'
            f'<span id="{label_id}" class="{p.h("row_label")}">{escape(LABEL)}</span>'
            f'<p id="{desc_id}" class="{p.h("row_desc")}">{escape(DESCRIPTION)}</p></div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{label_id}" aria-describedby="{desc_id}" class="{p.h("switch")}{on}">'
            f'<span class="{p.h("knob")}" aria-hidden="true"></span></button></div>')


# Hydrates (or, late, mounts) the switch. A click flips it on the page; with autosave it is sent at
# once by a background POST, otherwise only when "Save" is pressed ("Reset" puts it back). The POST
# carries the csrftoken cookie's value in a header. A failed save puts the switch back to the server's
# value and shows a role=alert toast; a 401 sends the visitor to log in and back.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  const slot = document.getElementById(cfg.slot);
  const held = slot.querySelector('template');
  const bar = cfg.bar ? document.getElementById(cfg.bar) : null;
  let saved = cfg.value, value = cfg.value, busy = false, seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq + ':'; };
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  const csrf = () => { const m = document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : ''; };
  const c = cfg.cls;
  const [resetBtn, saveBtn] = bar ? bar.querySelectorAll('button') : [null, null];

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
    if (sw) {
      sw.setAttribute('aria-checked', String(value));
      sw.classList.toggle(c.on, value);
      sw.disabled = busy;
    }
    if (saveBtn) saveBtn.disabled = busy || value === saved;
    if (resetBtn) resetBtn.disabled = busy || value === saved;
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
  function toast(message, role) {
    const item = el('div', {role: role, class: c.toast}, message);
    document.getElementById(cfg.toasts).append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function send() {
    const next = value;
    busy = true; paint();
    let status = 0;
    try {
      const body = new URLSearchParams({source_url: location.pathname,
        data: JSON.stringify({options: {[cfg.key]: next}, context: {}})});
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin', body: body,
        headers: {'x-csrftoken': csrf(), 'x-requested-with': 'XMLHttpRequest'}});
      status = r.status;
    } catch (e) { status = 0; }
    busy = false;
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.pathname)); return; }
    if (status < 200 || status >= 300) { value = saved; paint(); toast(cfg.text.error, 'alert'); return; }
    saved = next; paint();
    if (!cfg.autosave) toast(cfg.text.saved, 'status');
    if (cfg.replaceNode) rerender();
  }
  slot.addEventListener('click', (event) => {
    if (busy || !event.target.closest('button[role="switch"]')) return;
    value = !value; paint();
    if (cfg.autosave) send();
  });
  if (saveBtn) saveBtn.addEventListener('click', () => { if (!busy && value !== saved) send(); });
  if (resetBtn) resetBtn.addEventListener('click', () => { if (!busy) { value = saved; paint(); } });
  if (held) setTimeout(mount, cfg.lateMs);
  else if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
})();"""


def switch_block(p: Page, *, value: bool, autosave: bool, late_ms: int, replace_node: bool, save_url: str,
                 key: str) -> tuple[str, str]:
    """The switch (drawn at once, or held in a <template> behind a skeleton), the Reset/Save bar
    unless autosave, the toast area; and the script driving them."""
    h = p.h
    slot, toasts = p.id(), p.id()
    row = switch_row(p, value)
    inner = f'<template>{row}</template><div class="{h("skeleton")}"></div>' if late_ms > 0 else row
    html = f'<div id="{slot}" class="{h("slot")}">{inner}</div>'
    bar = None
    if not autosave:
        bar = p.id()
        html += (f'<div id="{bar}" class="{h("bar")}">'
                 f'<button type="button" class="{h("pill")}" disabled>{RESET}</button>'
                 f'<button type="button" class="{h("pill")} {h("red")}" disabled>{SAVE}</button></div>')
    html += f'<div id="{toasts}" class="{h("toasts")}" aria-live="polite"></div>'
    cfg = {"slot": slot, "bar": bar, "toasts": toasts, "value": value, "autosave": autosave, "lateMs": late_ms,
           "replaceNode": replace_node, "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100,
           "saveUrl": save_url, "key": key, "loginUrl": "/login/?next=",
           "text": {"label": LABEL, "desc": DESCRIPTION, "error": SAVE_ERROR, "saved": SAVED},
           "cls": {"row": h("row"), "text": h("row_text"), "label": h("row_label"), "desc": h("row_desc"),
                   "switch": h("switch"), "on": h("switch_on"), "knob": h("knob"), "toast": h("toast")}}
    return html, f"<script>{SWITCH_JS.replace('__CFG__', script_json(cfg))}</script>"


def privacy_main(p: Page, *, genai_href: str | None, switch: str | None) -> str:
    """"Privacy and data": in the default release a "Generative AI" part linking to "Manage GenAI
    settings"; in the newer release the switch itself (`switch`) sits there, or, for a member not
    offered it, no such part at all. The rest is chrome."""
    parts = [f'<h1>{PRIVACY_TITLE}</h1>'
             f'<p class="{p.h("muted")}">Decide how your data is used on Pinterest.</p>']
    if genai_href is not None:
        parts.append(f'<h2>Generative AI</h2><p class="{p.h("muted")}">Choose how your Pins and uploads help '
                     f'improve Pinterest\'s generative AI.</p><p><a href="{escape(genai_href)}">{GENAI_TITLE}</a></p>')
    elif switch is not None:
        parts.append(f"<h2>Generative AI</h2>{switch}")
    parts.append(f'<h2>Your data</h2><p class="{p.h("muted")}">Download a copy of your data, or delete it with '
                 'your account.</p><p><a href="https://help.pinterest.com/en/article/request-your-data">'
                 'Request your data</a></p>'
                 '<p><a href="https://policy.pinterest.com/en/privacy-policy">Privacy Policy</a></p>')
    return "".join(parts)


def genai_main(p: Page, *, back: str, switch: str | None) -> str:
    """"Manage GenAI settings": the switch with the md's text, or (not offered) a line without it."""
    body = switch if switch is not None else f'<p class="{p.h("muted")}">{NOT_OFFERED}</p>'
    return (f'<p><a href="{escape(back)}">{PRIVACY_TITLE}</a></p><h1>{GENAI_TITLE}</h1>{body}'
            '<p><a href="https://policy.pinterest.com/en/privacy-policy">Privacy Policy</a></p>')


# ---------------------------------------------------------------- sign-in

def _field(p: Page, label: str, *, kind: str, name: str, autocomplete: str, value: str = "",
           autofocus: bool = False) -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" name="{name}" value="{escape(value)}" autocomplete="{autocomplete}"'
            f' required{" autofocus" if autofocus else ""}></div>')


def _hidden(names: dict[str, str], **values: str) -> str:
    return "".join(f'<input type="hidden" name="{names[k]}" value="{escape(v)}">' for k, v in values.items())


def _social(p: Page, target: str) -> str:
    """Facebook / Google buttons under the email form, as Pinterest's log-in has them."""
    out = [f'<p class="{p.h("or")}">OR</p>']
    for slug, name in PROVIDERS.items():
        out.append(f'<form method="get" action="/login/federated/{slug}/">'
                   f'<input type="hidden" name="next" value="{escape(target)}">'
                   f'<button type="submit" class="{p.h("pill")} {p.h("wide")}">Continue with {name}</button></form>')
    return "".join(out)


def _auth(p: Page, title: str, inner: str) -> str:
    body = f'{top_bar(p, None)}<main class="{p.h("auth")}"><h1>{escape(title)}</h1>{inner}</main>'
    return document(p, f"{title} | Pinterest", body)


def login(p: Page, *, names: dict[str, str], csrf: str, target: str, two_step: bool, email: str = "",
          error: str = "") -> str:
    """The log-in page: email and password on one page, or (two_step) the email alone first."""
    fields = _field(p, "Email", kind="email", name=names["email"], autocomplete="username", value=email,
                    autofocus=True)
    if not two_step:
        fields += _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password")
    button = "Continue" if two_step else "Log in"
    inner = (f'<form method="post" action="/login/">{_hidden(names, csrf=csrf, target=target)}{fields}'
             f'{error_box(p, error)}'
             '<p><a href="/password/reset/">Forgot your password?</a></p>'
             f'<button type="submit" class="{p.h("pill")} {p.h("red")} {p.h("wide")}">{button}</button></form>'
             f'{_social(p, target)}<p>Not on Pinterest yet? <a href="/signup/">Sign up</a></p>')
    return _auth(p, "Welcome to Pinterest", inner)


def login_password(p: Page, *, names: dict[str, str], csrf: str, token: str, email: str, error: str = "") -> str:
    """Two-step log-in, step 2: the password for the email given before."""
    field = _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                   autofocus=True)
    inner = (f'<p>{escape(email)} <a href="/login/">Change</a></p>'
             f'<form method="post" action="/login/password/">{_hidden(names, csrf=csrf, token=token)}'
             f'{field}{error_box(p, error)}'
             f'<button type="submit" class="{p.h("pill")} {p.h("red")} {p.h("wide")}">Log in</button></form>'
             '<p><a href="/password/reset/">Forgot your password?</a></p>')
    return _auth(p, "Enter your password", inner)


def login_code(p: Page, *, names: dict[str, str], csrf: str, token: str, error: str = "") -> str:
    """Two-factor step: the code from the member's authenticator app."""
    fid = p.id()
    inner = (f'<p>Enter the 6-digit code from your authenticator app.</p>'
             f'<form method="post" action="/login/verify/">{_hidden(names, csrf=csrf, token=token)}'
             f'<div class="{p.h("field")}"><label for="{fid}">Verification code</label>'
             f'<input id="{fid}" type="text" name="{names["code"]}" inputmode="numeric" maxlength="6"'
             ' autocomplete="one-time-code" required autofocus></div>'
             f'{error_box(p, error)}'
             f'<button type="submit" class="{p.h("pill")} {p.h("red")} {p.h("wide")}">Verify</button></form>')
    return _auth(p, "Two-factor authentication", inner)


def federated(p: Page, provider: str, target: str) -> str:
    """Where the Facebook/Google buttons lead: that provider cannot be reached from here."""
    back = escape("/login/?" + urlencode({"next": target}) if target else "/login/")
    inner = (f'<div role="alert" class="{p.h("error")}">We couldn\'t connect to {escape(provider)}. '
             'Try again later or log in with your email.</div>'
             f'<p><a href="{back}">Back to log in</a></p>')
    return _auth(p, f"Continue with {provider}", inner)


# ---------------------------------------------------------------- errors

def error_page(p: Page, top: str, title: str, body: str) -> str:
    return shell(p, title, top, f"<h1>{escape(title)}</h1><p>{escape(body)}</p>")
