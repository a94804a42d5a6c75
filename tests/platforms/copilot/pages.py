"""HTML and scripts of the Microsoft Copilot replica's pages.

copilot.md knows no markup, so the pages use what its "The replica" paragraph names: a profile
picture that opens a menu with "Settings", a Settings page with a "Privacy" section, and on it each
switch as a `button[role=switch][aria-checked]` named by its visible label (`aria-labelledby`). The
Microsoft account sign-in is built from ordinary labelled inputs. Ids are React-style (`:r1a2:`, new
on every load), class names hashed; no input or switch has a stable id or name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from . import texts as t

LOGO = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24">'
        '<path d="M4 6c0-2 1.5-3 3-3h6l-5 18H6c-1.5 0-2-1-2-2z" fill="#2f6fde"/>'
        '<path d="M20 18c0 2-1.5 3-3 3h-6l5-18h2c1.5 0 2 1 2 2z" fill="#e0579b"/></svg>')
MS_LOGO = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="108" height="24" viewBox="0 0 108 24">'
           '<rect width="10" height="10" fill="#f25022"/><rect x="11" width="10" height="10" fill="#7fba00"/>'
           '<rect y="11" width="10" height="10" fill="#00a4ef"/><rect x="11" y="11" width="10" height="10" '
           'fill="#ffb900"/><text x="28" y="17" font-family="Segoe UI,sans-serif" font-size="15" fill="#737373">'
           'Microsoft</text></svg>')
# A tiny stand-in for the member's photo.
PHOTO = ("data:image/svg+xml," + quote('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">'
                                       '<rect width="32" height="32" fill="#8a6f5a"/><circle cx="16" cy="12" r="6" '
                                       'fill="#f1d2b6"/><rect x="6" y="20" width="20" height="12" rx="6" '
                                       'fill="#f1d2b6"/></svg>'))


class Page:
    """What one rendering needs: this instance's hashed classes and fresh React-style ids."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


@dataclass(frozen=True)
class Member:
    """What the header shows of the signed-in member."""

    name: str
    email: str
    photo: bool

    @property
    def initials(self) -> str:
        parts = [w for w in self.name.split() if w[:1].isalnum()]
        return ("".join(w[0] for w in parts[:2]) or self.email[:1]).upper()


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.5 "Segoe UI",system-ui,-apple-system,Roboto,sans-serif;color:#1b1a19;background:#f7f4ef}}
a{{color:inherit}}
button{{font:inherit}}
.{h("top")}{{display:flex;align-items:center;justify-content:space-between;padding:10px 20px}}
.{h("brand")}{{display:flex;align-items:center;gap:8px;font-weight:600;font-size:18px;text-decoration:none}}
.{h("avatar")}{{display:inline-grid;place-items:center;width:36px;height:36px;padding:0;border:0;border-radius:50%;
  background:#8a6f5a;color:#fff;font-size:13px;font-weight:600;cursor:pointer;overflow:hidden}}
.{h("avatar")} img{{display:block;width:36px;height:36px}}
.{h("avatar")}[aria-expanded=true]{{outline:2px solid #2f6fde;outline-offset:2px}}
.{h("menu")}{{position:fixed;right:16px;top:58px;min-width:240px;background:#fff;border:1px solid #e6e1d9;
  border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.12);padding:6px;z-index:50;outline:none}}
.{h("submenu")}{{position:fixed;right:264px;top:108px}}
.{h("menu_who")}{{padding:8px 10px;border-bottom:1px solid #eee;margin-bottom:4px}}
.{h("menu_email")}{{color:#6b6a68;font-size:13px}}
.{h("menu_item")}{{display:block;width:100%;padding:7px 10px;border:0;border-radius:8px;background:none;
  text-align:left;text-decoration:none;cursor:pointer;outline:none}}
.{h("menu_item")}:hover,.{h("menu_item")}:focus{{background:#f3efe8}}
.{h("pill")}{{display:inline-block;border:0;background:#1b1a19;color:#fff;border-radius:999px;padding:7px 18px;
  cursor:pointer;text-decoration:none}}
.{h("main")}{{padding:24px 48px;min-width:0}}
.{h("hero")}{{font:600 34px/1.2 "Segoe UI",sans-serif;text-align:center;margin:120px 0 24px}}
.{h("ask")}{{max-width:680px;margin:0 auto;display:flex;gap:8px;background:#fff;border:1px solid #e6e1d9;
  border-radius:24px;padding:12px 16px}}
.{h("ask")} textarea{{flex:1;border:0;resize:none;font:inherit;outline:none;min-height:44px;background:none}}
.{h("settings")}{{max-width:900px;margin:0 auto}}
.{h("settings")} h1{{font-size:26px;margin:0 0 24px}}
.{h("grid")}{{display:grid;grid-template-columns:190px 1fr;gap:32px}}
.{h("sections")}{{list-style:none;margin:0;padding:0;display:grid;gap:2px}}
.{h("section")}{{display:block;padding:7px 12px;border-radius:8px;text-decoration:none;color:#6b6a68}}
.{h("section")}[aria-current=page]{{background:#ebe6de;color:#1b1a19}}
.{h("panel")} h2{{font-size:20px;margin:0 0 6px}}
.{h("muted")}{{color:#6b6a68}}
.{h("rows")}{{display:grid;margin-top:16px;background:#fff;border:1px solid #e6e1d9;border-radius:12px}}
.{h("row")}{{display:flex;align-items:center;justify-content:space-between;gap:24px;padding:14px 16px;
  border-bottom:1px solid #eee;text-decoration:none}}
.{h("row")}:last-child{{border-bottom:0}}
.{h("row_label")}{{font-weight:500}}
.{h("row_desc")}{{margin:2px 0 0;color:#6b6a68;font-size:13px}}
.{h("chevron")}{{color:#6b6a68}}
.{h("skeleton")}{{height:58px;margin:4px 16px;border-radius:8px;background:linear-gradient(90deg,#eee,#f6f6f6,#eee)}}
.{h("switch")}{{all:unset;position:relative;flex:none;width:40px;height:20px;border-radius:999px;
  border:1px solid #8a8886;background:#fff;cursor:pointer}}
.{h("switch")}[aria-checked=true]{{background:#2f6fde;border-color:#2f6fde}}
.{h("switch")}:disabled{{opacity:.5;cursor:default}}
.{h("switch")}:focus-visible{{outline:2px solid #2f6fde;outline-offset:2px}}
.{h("knob")}{{position:absolute;top:3px;left:3px;width:14px;height:14px;border-radius:50%;background:#605e5c;
  transition:transform .15s}}
.{h("switch")}[aria-checked=true] .{h("knob")}{{transform:translateX(20px);background:#fff}}
.{h("toasts")}{{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);display:grid;gap:8px;z-index:200}}
.{h("toast")}{{background:#fff;border:1px solid #e6e1d9;border-left:4px solid #c50f1f;border-radius:10px;
  padding:10px 14px;box-shadow:0 6px 18px rgba(0,0,0,.15)}}
.{h("auth_bg")}{{background:#f2f2f2;min-height:100vh;padding-top:80px}}
.{h("auth")}{{width:440px;margin:0 auto;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.2);padding:44px}}
.{h("auth")} h1{{font:600 24px/1.3 "Segoe UI",sans-serif;margin:16px 0 12px}}
.{h("field")} input{{display:block;width:100%;font:inherit;padding:6px 0;border:0;border-bottom:1px solid #666;
  outline:none;margin:8px 0 16px}}
.{h("check")}{{display:flex;gap:8px;align-items:center;margin:12px 0}}
.{h("actions")}{{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}}
.{h("primary")}{{border:0;background:#0067b8;color:#fff;padding:6px 30px;min-width:108px;cursor:pointer}}
.{h("secondary")}{{border:0;background:#ccc;color:#000;padding:6px 30px;min-width:108px;cursor:pointer}}
.{h("primary")}:disabled{{opacity:.6;cursor:default}}
.{h("link")}{{border:0;background:none;padding:0;color:#0067b8;cursor:pointer;font-size:13px}}
.{h("identity")}{{display:flex;align-items:center;gap:8px}}
.{h("number")}{{font:600 40px/1 "Segoe UI",sans-serif;text-align:center;margin:20px 0}}
.{h("error")}{{color:#e81123;margin:0 0 8px}}
.{h("sr")}{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{escape(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n{body}\n{scripts}\n</body></html>")


# ---------------------------------------------------------------- Microsoft account sign-in

# A single-page sign-in, as login.live.com is: each step is a <template> the script swaps in and each
# talks to a JSON endpoint. Inputs have no name: nothing is posted as a form.
SIGNIN_JS = """(() => {
  const cfg = __CFG__;
  const root = document.getElementById(cfg.root);
  let login = null, email = '', polling = 0;
  const q = (name) => root.querySelector('.' + cfg.cls[name]);
  const show = (step, data) => {
    polling += 1;
    root.replaceChildren(document.getElementById(cfg.steps[step]).content.cloneNode(true));
    data = data || {};
    const who = q('who');
    if (who) who.textContent = email;
    const sent = q('sent');
    const said = data.channel === 'sms' ? cfg.text.sms : cfg.text.email;
    if (sent) sent.textContent = said.replace('{hint}', data.hint || '');
    const number = q('number');
    if (number) number.textContent = data.number || '';
    const usepw = q('usepw');
    if (usepw && !data.hasPassword) usepw.remove();
    wire(step);
    const input = root.querySelector('input:not([type=checkbox])');
    if (input) input.focus();
    if (step === 'app') poll(polling);
  };
  const alert = (message, kind) => {
    let box = q('error');
    if (!box) {
      box = document.createElement('p'); box.className = cfg.cls.error;
      const form = root.querySelector('form'); form.insertBefore(box, form.querySelector('h1').nextSibling);
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
    if (res.status === 200 && res.data.next) {
      login = res.data.login || login; show(res.data.next, res.data); return true;
    }
    if (res.data.restart) { show('email'); alert(res.data.error); return true; }
    return false;
  };
  const poll = (mine) => {
    setTimeout(async () => {
      if (mine !== polling) return;
      const res = await post(cfg.urls.approval, {login});
      if (mine !== polling) return;
      if (res.status === 200 && res.data.pending) { poll(mine); return; }
      if (!after(res)) alert(res.data.error || cfg.text.network);
    }, cfg.pollMs);
  };
  function wire(step) {
    const form = root.querySelector('form');
    const input = form.querySelector('input:not([type=checkbox])');
    const submit = form.querySelector('button[type=submit]');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!submit) return;
      submit.disabled = true;
      let res;
      if (step === 'email') {
        email = input.value.trim();
        res = await post(cfg.urls.email, {username: email, wreply: cfg.wreply});
      } else if (step === 'kmsi') {
        res = await post(cfg.urls.kmsi, {login, stay: true});
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
        if (is('back')) { show('email'); const i = root.querySelector('input'); i.value = email; return; }
        let res = null;
        if (is('resend')) {
          res = await post(cfg.urls.resend, {login});
          if (res.status === 200) { alert(cfg.text.resent, 'status'); return; }
        } else if (is('usepw')) {
          res = await post(cfg.urls.usepw, {login});
        } else if (is('no')) {
          res = await post(cfg.urls.kmsi, {login, stay: false});
        }
        if (res && !after(res)) alert(res.data.error || cfg.text.network);
      });
    }
  }
  wire('email');
})();"""


def _field(p: Page, label: str, kind: str, autocomplete: str, extra: str = "") -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}" class="{p.h("sr")}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" autocomplete="{autocomplete}" placeholder="{escape(label)}" '
            f'required{extra}></div>')


def signin(p: Page, *, wreply: str, urls: Mapping[str, str], poll_ms: int) -> str:
    h = p.h
    root = p.id()
    steps = {k: p.id() for k in ("email", "password", "code", "app", "totp", "kmsi")}
    submit = f'<button type="submit" class="{h("primary")}">'
    identity = (f'<div class="{h("identity")}"><button type="button" class="{h("link")} {h("back")}" '
                f'aria-label="{t.BACK}">&#8592;</button><span class="{h("who")}"></span></div>')
    usepw = f'<p><button type="button" class="{h("link")} {h("usepw")}">{t.USE_PASSWORD}</button></p>'
    email_step = f"""<form novalidate>
  <h1>{t.SIGN_IN}</h1>
  {_field(p, t.EMAIL_LABEL, "email", "username")}
  <p><a class="{h("link")}" href="https://signup.live.com/">{t.NO_ACCOUNT}</a></p>
  <p><a class="{h("link")}" href="https://account.live.com/ResetPassword.aspx">{t.CANT_ACCESS}</a></p>
  <div class="{h("actions")}">{submit}{t.NEXT}</button></div>
 </form>"""
    password_step = f"""<form novalidate>{identity}
  <h1>{t.PASSWORD_TITLE}</h1>
  {_field(p, t.PASSWORD_LABEL, "password", "current-password")}
  <p><a class="{h("link")}" href="https://account.live.com/ResetPassword.aspx">{t.FORGOT}</a></p>
  <div class="{h("actions")}">{submit}{t.SIGN_IN}</button></div>
 </form>"""
    code_step = f"""<form novalidate>{identity}
  <h1>{t.CODE_TITLE}</h1><p class="{h("sent")}"></p>
  {_field(p, t.CODE_LABEL, "text", "one-time-code", ' inputmode="numeric" maxlength="8"')}
  <p><button type="button" class="{h("link")} {h("resend")}">{t.RESEND}</button></p>
  {usepw}
  <div class="{h("actions")}">{submit}{t.SIGN_IN}</button></div>
 </form>"""
    app_step = f"""<form novalidate>{identity}
  <h1>{t.APP_TITLE}</h1><p>{t.APP_BODY}</p>
  <p class="{h("number")}"></p>
  <p class="{h("muted")}" role="status">{t.APP_WAITING}</p>
  {usepw}
 </form>"""
    totp_step = f"""<form novalidate>
  <h1>{t.TOTP_TITLE}</h1><p>{t.TOTP_BODY}</p>
  {_field(p, t.TOTP_LABEL, "text", "one-time-code", ' inputmode="numeric" maxlength="6"')}
  <div class="{h("actions")}">{submit}{t.VERIFY}</button></div>
 </form>"""
    check = p.id()
    kmsi_step = f"""<form novalidate>
  <h1>{t.KMSI_TITLE}</h1><p>{t.KMSI_BODY}</p>
  <div class="{h("check")}"><input type="checkbox" id="{check}"><label for="{check}">{t.KMSI_DONT_SHOW}</label></div>
  <div class="{h("actions")}"><button type="button" class="{h("secondary")} {h("no")}">{t.NO}</button>
  {submit}{t.YES}</button></div>
 </form>"""
    templates = "".join(f'<template id="{steps[k]}">{html}</template>' for k, html in (
        ("email", email_step), ("password", password_step), ("code", code_step), ("app", app_step),
        ("totp", totp_step), ("kmsi", kmsi_step)))
    body = f"""<div class="{h("auth_bg")}"><main class="{h("auth")}">{MS_LOGO}
 <div id="{root}">{email_step}</div>
</main></div>
{templates}"""
    cfg = {
        "root": root, "steps": steps, "wreply": wreply, "urls": dict(urls), "pollMs": poll_ms,
        "text": {"email": t.CODE_SENT_EMAIL, "sms": t.CODE_SENT_SMS, "resent": t.RESENT, "network": t.NETWORK},
        "cls": {k: h(k) for k in ("who", "sent", "number", "usepw", "error", "back", "resend", "no")},
    }
    return document(p, "Sign in to your Microsoft account", body, script(SIGNIN_JS, cfg))


# ---------------------------------------------------------------- the app frame

# The profile menu: drawn by script only while open. A click (or Enter/Space/ArrowDown) on the profile
# picture opens it; Escape or a click outside closes it. An item with children opens a submenu on
# click, hover or ArrowRight.
MENU_JS = """(() => {
  const cfg = __CFG__;
  const trigger = document.getElementById(cfg.trigger);
  let content = null, sub = null;
  const item = (spec, tag) => {
    const el = document.createElement(tag);
    el.setAttribute('role', 'menuitem'); el.tabIndex = -1; el.className = cfg.cls.item; el.textContent = spec.label;
    if (tag === 'a') el.href = spec.href;
    return el;
  };
  const closeSub = () => {
    if (!sub) return;
    sub.menu.remove(); sub.owner.setAttribute('aria-expanded', 'false'); sub = null;
  };
  const openSub = (owner, children, focus) => {
    if (sub && sub.owner === owner) { if (focus) sub.menu.querySelector('[role=menuitem]').focus(); return; }
    closeSub();
    const menu = document.createElement('div');
    menu.setAttribute('role', 'menu'); menu.className = cfg.cls.menu + ' ' + cfg.cls.sub;
    menu.setAttribute('aria-label', owner.textContent);
    for (const child of children) menu.append(item(child, 'a'));
    keys(menu);
    menu.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowLeft') { event.preventDefault(); closeSub(); owner.focus(); }
    });
    document.body.append(menu);
    owner.setAttribute('aria-expanded', 'true');
    sub = {owner, menu};
    if (focus) menu.querySelector('[role=menuitem]').focus();
  };
  const keys = (menu) => menu.addEventListener('keydown', (event) => {
    const items = [...menu.querySelectorAll(':scope > [role=menuitem]')];
    const at = items.indexOf(document.activeElement);
    if (event.key === 'ArrowDown') { event.preventDefault(); items[(at + 1) % items.length].focus(); }
    if (event.key === 'ArrowUp') { event.preventDefault(); items[(at - 1 + items.length) % items.length].focus(); }
  });
  const close = () => {
    if (!content) return;
    closeSub(); content.remove(); content = null;
    trigger.setAttribute('aria-expanded', 'false'); trigger.removeAttribute('aria-controls');
  };
  const open = () => {
    if (content) return;
    content = document.createElement('div');
    content.id = cfg.menuId; content.setAttribute('role', 'menu'); content.tabIndex = -1;
    content.setAttribute('aria-labelledby', cfg.trigger); content.className = cfg.cls.menu;
    const who = document.createElement('div'); who.className = cfg.cls.who;
    const name = document.createElement('div'); name.textContent = cfg.name;
    const mail = document.createElement('div'); mail.className = cfg.cls.email; mail.textContent = cfg.email;
    who.append(name, mail); content.append(who);
    for (const spec of cfg.items) {
      if (spec.children) {
        const el = item(spec, 'button');
        el.type = 'button'; el.setAttribute('aria-haspopup', 'menu'); el.setAttribute('aria-expanded', 'false');
        el.addEventListener('click', () => openSub(el, spec.children, false));  // hover may have opened it
        el.addEventListener('mouseenter', () => openSub(el, spec.children, false));
        el.addEventListener('keydown', (event) => {
          if (['ArrowRight', 'Enter', ' '].includes(event.key)) {
            event.preventDefault(); openSub(el, spec.children, true);
          }
        });
        content.append(el);
      } else {
        const el = item(spec, 'a');
        el.addEventListener('mouseenter', closeSub);
        content.append(el);
      }
    }
    keys(content);
    document.body.append(content);
    trigger.setAttribute('aria-expanded', 'true'); trigger.setAttribute('aria-controls', cfg.menuId);
    content.focus();
  };
  trigger.addEventListener('click', () => { if (content) close(); else open(); });
  trigger.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); open(); content.querySelector('[role=menuitem]').focus(); }
  });
  document.addEventListener('click', (event) => {
    const inside = (el) => el && el.contains(event.target);
    if (content && !inside(content) && !inside(sub && sub.menu) && !trigger.contains(event.target)) close();
  }, true);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && content) { close(); trigger.focus(); }
  });
})();"""


def profile_button(p: Page, m: Member, trigger: str) -> str:
    """The profile picture that opens the menu: the photo (`alt` "Profile picture"), or for a member
    without one, their initials with the button named after them."""
    h = p.h
    common = (f'type="button" id="{trigger}" aria-haspopup="menu" aria-expanded="false" class="{h("avatar")}" '
              f'title="{escape(m.name)}"')
    if m.photo:
        return f'<button {common}><img src="{PHOTO}" alt="{t.PROFILE_PICTURE}" width="36" height="36"></button>'
    return (f'<button {common} aria-label="{escape(m.name)}">'
            f'<span aria-hidden="true">{escape(m.initials)}</span></button>')


def shell(p: Page, m: Member | None, title: str, main: str, *, menu_items: Sequence[Mapping[str, object]],
          signin_url: str, scripts: str = "") -> str:
    """The frame of every app page: the brand at the top left and, at the top right, the profile
    picture (signed in) or "Sign in" (a guest)."""
    h = p.h
    menu = ""
    if m is None:
        corner = f'<a href="{escape(signin_url)}" class="{h("pill")}">{t.SIGN_IN}</a>'
    else:
        trigger = p.id()
        corner = profile_button(p, m, trigger)
        menu = script(MENU_JS, {
            "trigger": trigger, "menuId": p.id(), "name": m.name, "email": m.email, "items": list(menu_items),
            "cls": {"menu": h("menu"), "sub": h("submenu"), "who": h("menu_who"), "email": h("menu_email"),
                    "item": h("menu_item")},
        })
    body = f"""<header class="{h("top")}">
 <a href="/" class="{h("brand")}">{LOGO}<span>Copilot</span></a>
 {corner}
</header>
<main class="{h("main")}">{main}</main>
<div class="{h("toasts")}" aria-live="polite"></div>"""
    return document(p, title, body, menu + scripts)


def home(p: Page, m: Member | None) -> str:
    h = p.h
    first = m.name.split()[0] if m and m.name.split() else ""
    greeting = t.GREETING.format(name=first) if first else t.GUEST_GREETING
    return (f'<h1 class="{h("hero")}">{escape(greeting)}</h1>'
            f'<form class="{h("ask")}" onsubmit="return false"><textarea placeholder="{t.ASK}" '
            f'aria-label="{t.ASK}"></textarea><button type="submit" class="{h("pill")}" '
            f'aria-label="Submit message" disabled>&#8593;</button></form>')


# ---------------------------------------------------------------- settings

def settings_frame(p: Page, active: str, panel: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """The Settings page: its heading, the section list `(key, label, href)` and the active panel."""
    h = p.h
    current = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{href}" class="{h("section")}"{current if key == active else ""}>{escape(label)}</a></li>'
        for key, label, href in sections)
    return (f'<div class="{h("settings")}"><h1>{t.SETTINGS}</h1><div class="{h("grid")}">'
            f'<nav aria-label="{t.SETTINGS}"><ul class="{h("sections")}">{items}</ul></nav>'
            f'<section class="{h("panel")}">{panel}</section></div></div>')


def _static_row(p: Page, label: str, value: str) -> str:
    h = p.h
    return (f'<div class="{h("row")}"><div class="{h("row_label")}">{escape(label)}</div>'
            f'<span class="{h("muted")}">{escape(value)}</span></div>')


def link_row(p: Page, label: str, href: str, desc: str = "") -> str:
    h = p.h
    d = f'<p class="{h("row_desc")}">{escape(desc)}</p>' if desc else ""
    return (f'<a class="{h("row")}" href="{escape(href)}"><div><div class="{h("row_label")}">{escape(label)}</div>'
            f'{d}</div><span class="{h("chevron")}" aria-hidden="true">&#8250;</span></a>')


def account_panel(p: Page, m: Member, privacy_href: str | None) -> str:
    """Account: name and email; in the mobile layout also the way on to Privacy."""
    h = p.h
    rows = _static_row(p, "Name", m.name) + _static_row(p, "Email", m.email) + _static_row(p, "Subscription", "Free")
    if privacy_href:
        rows += link_row(p, t.PRIVACY, privacy_href)
    return (f'<h2>{t.ACCOUNT}</h2><div class="{h("rows")}">{rows}</div>'
            f'<p><a href="/logout.srf" class="{h("link")}">{t.MENU_SIGN_OUT}</a></p>')


def simple_panel(p: Page, key: str) -> str:
    h = p.h
    if key == "appearance":
        return f'<h2>Appearance</h2><div class="{h("rows")}">{_static_row(p, "Theme", "System")}</div>'
    return (f'<h2>Voice</h2><div class="{h("rows")}">{_static_row(p, "Copilot voice", "Meadow")}'
            f'{_static_row(p, "Speech language", "English (United States)")}</div>')


def switch_row(p: Page, label: str, desc: str, value: bool) -> str:
    """One setting: its visible label and help text, and the switch they name."""
    lid, did = p.id(), p.id()
    h = p.h
    return (f'<div class="{h("row")}"><div><div id="{lid}" class="{h("row_label")}">{escape(label)}</div>'
            f'<p id="{did}" class="{h("row_desc")}">{escape(desc)}</p></div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{lid}" aria-describedby="{did}" class="{h("switch")}">'
            f'<span class="{h("knob")}"></span></button></div>')


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


@dataclass
class Switches:
    """Builds switch rows (or their skeletons, for a late render) and the script that drives them."""

    p: Page
    values: Mapping[str, bool]
    late_ms: int
    rows: list[dict[str, object]]

    def slot(self, key: str) -> str:
        sid = self.p.id()
        html = switch_row(self.p, t.LABELS[key], t.HELP[key], self.values[key])
        self.rows.append({"slot": sid, "key": key, "value": self.values[key], "html": html})
        if self.late_ms > 0:
            return f'<div id="{sid}" aria-busy="true"><div class="{self.p.h("skeleton")}"></div></div>'
        return f'<div id="{sid}">{html}</div>'

    def script(self, *, replace_node: bool, csrf: str, save_url: str, signin_url: str) -> str:
        if not self.rows:
            return ""
        h = self.p.h
        return script(SWITCH_JS, {
            "rows": self.rows, "saveUrl": save_url, "csrf": csrf, "lateMs": self.late_ms,
            "replaceNode": replace_node, "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100,
            "signinUrl": signin_url, "text": {"error": t.SAVE_ERROR},
            "cls": {"toast": h("toast"), "toasts": h("toasts")},
        })


def privacy_panel(p: Page, sw: Switches, *, offered: bool, model_training_href: str | None) -> str:
    """Privacy. The web layout (`model_training_href` None): the two training switches, then the two
    neighbours. The mobile layout: a "Model training" row leading on, then the neighbours. A member
    not offered the training switches sees the page without them (and without that row)."""
    h = p.h
    rows = ""
    if offered and model_training_href:
        rows += link_row(p, t.MODEL_TRAINING, model_training_href, t.MODEL_TRAINING_HELP)
    elif offered:
        rows += sw.slot(t.TEXT) + sw.slot(t.VOICE)
    rows += sw.slot(t.PERSONALIZATION) + sw.slot(t.ADS)
    rows += link_row(p, t.EXPORT, "https://account.microsoft.com/privacy")
    return (f'<h2>{t.PRIVACY}</h2><p class="{h("muted")}">{t.PRIVACY_INTRO}</p>'
            f'<div class="{h("rows")}">{rows}</div>'
            f'<p><a class="{h("link")}" href="https://go.microsoft.com/fwlink/?LinkId=521839">'
            f'{t.PRIVACY_STATEMENT}</a></p>')


def model_training_panel(p: Page, sw: Switches, *, offered: bool, back_href: str) -> str:
    """The mobile layout's "Model training" page: the two training switches."""
    h = p.h
    rows = sw.slot(t.TEXT) + sw.slot(t.VOICE) if offered else ""
    inner = f'<div class="{h("rows")}">{rows}</div>' if rows else ""
    return (f'<p><a class="{h("link")}" href="{escape(back_href)}">&#8249; {t.PRIVACY}</a></p>'
            f'<h2>{t.MODEL_TRAINING}</h2><p class="{h("muted")}">{t.MODEL_TRAINING_HELP}</p>{inner}')


# ---------------------------------------------------------------- error pages

def error_page(p: Page, title: str, message: str) -> str:
    body = (f'<div class="{p.h("auth_bg")}"><main class="{p.h("auth")}">{LOGO}<h1>{escape(title)}</h1>'
            f'<p class="{p.h("muted")}">{escape(message)}</p><p><a href="/">Go to Copilot</a></p></main></div>')
    return document(p, f"{title} - Microsoft Copilot", body)


def unavailable(p: Page) -> str:
    return error_page(p, "Service unavailable", "Copilot is temporarily unavailable. Please try again in a moment.")


def not_found(p: Page) -> str:
    return error_page(p, "Page not found", "We couldn't find the page you're looking for.")
