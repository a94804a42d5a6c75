"""HTML and scripts of the Claude replica's pages.

claude.md knows no markup, so the pages use what its "The replica" paragraph names: Radix-style
switches (`button[role=switch][aria-checked][data-state]` with a `<label for>`), a Radix-style
dialog for the terms modal and a Radix-style dropdown for the user menu. Ids are React-style
(`:r1a2:`, new on every load), class names hashed; no input or switch has a stable id or name.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from . import texts as t

LOGO = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="28" height="28" viewBox="0 0 24 24">'
        '<path d="M12 2l2.2 6.6L21 9l-5.4 4.2L17.6 20 12 16.2 6.4 20l2-6.8L3 9l6.8-.4z" fill="#d97757"/></svg>')


class Page:
    """What one rendering needs: this release's hashed classes and labels, and fresh React-style ids."""

    def __init__(self, h: HashedClasses, newer: bool = False) -> None:
        self.h, self.newer = h, newer
        self.id = IdGen(":r", ":")

    @property
    def help_label(self) -> str:
        return t.HELP_LABEL_NEWER if self.newer else t.HELP_LABEL


@dataclass(frozen=True)
class Member:
    """What the app's frame shows of the signed-in member."""

    name: str
    email: str
    plan: str

    @property
    def initials(self) -> str:
        return "".join(w[0] for w in self.name.split()[:2]).upper() or "?"


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#29261b;background:#faf9f5}}
a{{color:inherit}}
button{{font:inherit}}
.{h("app")}{{display:grid;grid-template-columns:260px 1fr;min-height:100vh}}
.{h("sidebar")}{{display:flex;flex-direction:column;gap:4px;padding:12px;background:#f5f4ee;
  border-right:1px solid #e5e3da}}
.{h("nav_link")}{{display:block;padding:6px 10px;border-radius:8px;text-decoration:none}}
.{h("nav_link")}:hover{{background:#ebe9e0}}
.{h("recents")}{{flex:1;margin-top:12px;color:#6b6a63;font-size:13px}}
.{h("user")}{{display:flex;align-items:center;gap:8px;width:100%;padding:8px;border:0;border-radius:10px;
  background:none;cursor:pointer;text-align:left}}
.{h("user")}:hover,.{h("user")}[data-state=open]{{background:#ebe9e0}}
.{h("avatar")}{{display:inline-grid;place-items:center;width:30px;height:30px;border-radius:50%;
  background:#29261b;color:#fff;font-size:12px;font-weight:600}}
.{h("user_text")}{{display:flex;flex-direction:column;line-height:1.2}}
.{h("plan")}{{font-size:12px;color:#6b6a63}}
.{h("menu")}{{position:fixed;left:12px;bottom:64px;width:236px;background:#fff;border:1px solid #e5e3da;
  border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.12);padding:6px;z-index:50;outline:none}}
.{h("menu_email")}{{padding:6px 10px;color:#6b6a63;font-size:13px;overflow:hidden;text-overflow:ellipsis}}
.{h("menu_item")}{{display:block;padding:6px 10px;border-radius:8px;text-decoration:none;outline:none}}
.{h("menu_item")}:hover,.{h("menu_item")}:focus{{background:#f0eee6}}
.{h("main")}{{padding:32px 48px;min-width:0}}
.{h("greet")}{{font:400 32px/1.3 Georgia,serif;text-align:center;margin:96px 0 24px}}
.{h("composer")}{{max-width:680px;margin:0 auto;display:flex;gap:8px;background:#fff;border:1px solid #e5e3da;
  border-radius:16px;padding:12px}}
.{h("prompt")}{{flex:1;min-height:48px;outline:none}}
.{h("settings")}{{max-width:880px;margin:0 auto}}
.{h("settings")} h1{{font:400 28px/1.3 Georgia,serif;margin:0 0 24px}}
.{h("settings_grid")}{{display:grid;grid-template-columns:180px 1fr;gap:32px}}
.{h("tabs")}{{list-style:none;margin:0;padding:0;display:grid;gap:2px}}
.{h("tab")}{{display:block;padding:6px 10px;border-radius:8px;text-decoration:none;color:#6b6a63}}
.{h("tab")}[aria-current=page]{{background:#ebe9e0;color:#29261b}}
.{h("panel")} h2{{font-size:18px;margin:0 0 8px}}
.{h("panel")} h3{{font-size:15px;margin:24px 0 8px}}
.{h("muted")}{{color:#6b6a63}}
.{h("rows")}{{display:grid;gap:0;border-top:1px solid #e5e3da}}
.{h("row")}{{display:flex;align-items:center;justify-content:space-between;gap:24px;padding:14px 0;
  border-bottom:1px solid #e5e3da}}
.{h("row_label")}{{font-weight:500;display:block}}
.{h("row_desc")}{{margin:2px 0 0;color:#6b6a63;font-size:13px}}
.{h("skeleton")}{{height:56px;margin:0;border-radius:8px;background:linear-gradient(90deg,#eee,#f6f6f6,#eee)}}
.{h("switch")}{{all:unset;position:relative;flex:none;width:36px;height:20px;border-radius:999px;
  background:#c9c6bb;cursor:pointer;transition:background .15s}}
.{h("switch")}[data-state=checked]{{background:#2c84db}}
.{h("switch")}:disabled{{opacity:.5;cursor:default}}
.{h("switch")}:focus-visible{{outline:2px solid #2c84db;outline-offset:2px}}
.{h("thumb")}{{position:absolute;top:2px;left:2px;width:16px;height:16px;border-radius:50%;background:#fff;
  transition:transform .15s}}
.{h("thumb")}[data-state=checked]{{transform:translateX(16px)}}
.{h("button")}{{border:1px solid #d6d3c8;background:#fff;border-radius:8px;padding:6px 14px;cursor:pointer}}
.{h("primary")}{{border:0;background:#29261b;color:#fff;border-radius:8px;padding:8px 18px;cursor:pointer}}
.{h("primary")}:disabled,.{h("button")}:disabled{{opacity:.5;cursor:default}}
.{h("toasts")}{{position:fixed;right:24px;bottom:24px;display:grid;gap:8px;z-index:200}}
.{h("toast")}{{background:#fff;border:1px solid #e5e3da;border-left:4px solid #b3261e;border-radius:10px;
  padding:10px 14px;box-shadow:0 6px 18px rgba(0,0,0,.15)}}
.{h("overlay")}{{position:fixed;inset:0;background:rgba(0,0,0,.45);z-index:100}}
.{h("dialog")}{{position:fixed;left:50%;top:50%;transform:translate(-50%,-50%);width:min(560px,92vw);
  max-height:90vh;overflow:auto;background:#fff;border-radius:16px;padding:24px 28px;z-index:101;
  box-shadow:0 12px 40px rgba(0,0,0,.25);outline:none}}
.{h("dialog")} h2{{font:400 22px/1.3 Georgia,serif;margin:0 0 12px}}
.{h("actions")}{{display:flex;justify-content:flex-end;gap:8px;margin-top:20px}}
.{h("auth")}{{width:380px;margin:72px auto;background:#fff;border:1px solid #e5e3da;border-radius:16px;
  padding:28px}}
.{h("auth")} h1{{font:400 26px/1.3 Georgia,serif;margin:12px 0 4px}}
.{h("field")}{{display:grid;gap:4px;margin:16px 0}}
.{h("field")} input{{font:inherit;padding:10px 12px;border:1px solid #d6d3c8;border-radius:8px}}
.{h("wide")}{{display:block;width:100%;margin-top:10px;padding:10px;border-radius:8px;cursor:pointer}}
.{h("link")}{{border:0;background:none;padding:0;color:#2c84db;cursor:pointer;text-decoration:underline}}
.{h("error")}{{color:#b3261e;margin:8px 0 0}}
.{h("or")}{{text-align:center;color:#6b6a63;margin:14px 0 4px;font-size:13px}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{escape(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n{body}\n{scripts}\n</body></html>")


# ---------------------------------------------------------------- sign-in

# The sign-in is a single-page form: each step is a <template> the script swaps in, and each step
# talks to the JSON API. Inputs have no name: nothing is posted as a form.
LOGIN_JS = """(() => {
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
        res = await post(cfg.urls.start, {email, returnTo: cfg.returnTo});
        if (res.status === 200) { login = res.data.login; submit.disabled = false; show(res.data.next); return; }
      } else {
        res = await post(cfg.urls[step], {login, [step === 'password' ? 'password' : 'code']: input.value});
        if (after(res)) return;
      }
      submit.disabled = false;
      alert(res.data.error || cfg.text.network);
    });
    for (const button of form.querySelectorAll('button[type=button]')) {
      button.addEventListener('click', async () => {
        const is = (name) => button.classList.contains(cfg.cls[name]);
        if (is('other')) { show('email'); return; }
        if (is('google')) { location.assign(cfg.urls.google + encodeURIComponent(cfg.returnTo)); return; }
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


def _field(p: Page, label: str, kind: str, autocomplete: str, extra: str = "", value: str = "") -> str:
    fid = p.id()
    val = f' value="{escape(value)}"' if value else ""
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" autocomplete="{autocomplete}" required{val}{extra}></div>')


def login(p: Page, *, return_to: str, error: str = "") -> str:
    h = p.h
    root = p.id()
    steps = {k: p.id() for k in ("email", "code", "password", "totp")}
    err = f'<p class="{h("error")}" role="alert">{escape(error)}</p>' if error else ""
    email_step = f"""<form class="{h("auth_form")}" novalidate>
  {_field(p, t.EMAIL_LABEL, "email", "email", f' placeholder="{t.EMAIL_PLACEHOLDER}"')}
  <button type="submit" class="{h("primary")} {h("wide")}">{t.CONTINUE_EMAIL}</button>
  <p class="{h("or")}">or</p>
  <button type="button" class="{h("button")} {h("wide")} {h("google")}">{t.CONTINUE_GOOGLE}</button>
  {{err}}
 </form>"""
    code_step = f"""<form class="{h("auth_form")}" novalidate>
  <h2>{t.CODE_TITLE}</h2><p class="{h("muted")} {h("sent")}"></p>
  {_field(p, t.CODE_LABEL, "text", "one-time-code", ' inputmode="numeric" maxlength="6"')}
  <button type="submit" class="{h("primary")} {h("wide")}">{t.CODE_SUBMIT}</button>
  <p><button type="button" class="{h("link")} {h("resend")}">{t.CODE_RESEND}</button> ·
   <button type="button" class="{h("link")} {h("other")}">{t.OTHER_EMAIL}</button></p>
 </form>"""
    password_step = f"""<form class="{h("auth_form")}" novalidate>
  <p class="{h("muted")} {h("sent")}"></p>
  {_field(p, t.PASSWORD_LABEL, "password", "current-password")}
  <button type="submit" class="{h("primary")} {h("wide")}">{t.PASSWORD_SUBMIT}</button>
  <p><button type="button" class="{h("link")} {h("other")}">{t.OTHER_EMAIL}</button></p>
 </form>"""
    totp_step = f"""<form class="{h("auth_form")}" novalidate>
  <h2>{t.TOTP_TITLE}</h2><p class="{h("muted")}">{t.TOTP_BODY}</p>
  {_field(p, t.TOTP_LABEL, "text", "one-time-code", ' inputmode="numeric" maxlength="6"')}
  <button type="submit" class="{h("primary")} {h("wide")}">{t.TOTP_SUBMIT}</button>
 </form>"""
    body = f"""<main class="{h("auth")}">
 {LOGO}<h1>{t.LOGIN_TITLE}</h1><p class="{h("muted")}">{t.LOGIN_SUB}</p>
 <div id="{root}">{email_step.replace("{err}", err)}</div>
 <template id="{steps["email"]}">{email_step.replace("{err}", "")}</template>
 <template id="{steps["code"]}">{code_step}</template>
 <template id="{steps["password"]}">{password_step}</template>
 <template id="{steps["totp"]}">{totp_step}</template>
</main>"""
    cfg = {
        "root": root, "steps": steps, "returnTo": return_to,
        "urls": {"start": "/api/auth/start", "code": "/api/auth/verify", "password": "/api/auth/password",
                 "totp": "/api/auth/totp", "resend": "/api/auth/resend", "google": "/login/google?returnTo="},
        "text": {"sent": t.CODE_SENT, "resent": t.CODE_RESENT, "network": t.SAVE_ERROR},
        "cls": {k: h(k) for k in ("error", "sent", "google", "resend", "other")},
    }
    return document(p, "Sign in - Claude", body, script(LOGIN_JS, cfg))


# ---------------------------------------------------------------- the signed-in app

# The user menu: a Radix-style dropdown. It opens on pointerdown (a real mouse press) or on
# Enter/Space/ArrowDown, and its content exists only while it is open.
MENU_JS = """(() => {
  const cfg = __CFG__;
  const trigger = document.getElementById(cfg.trigger);
  let content = null;
  const setState = (open) => { trigger.setAttribute('aria-expanded', String(open));
    trigger.setAttribute('data-state', open ? 'open' : 'closed'); };
  const close = () => { if (!content) return; content.remove(); content = null; setState(false); };
  const open = () => {
    if (content) return;
    content = document.createElement('div');
    content.setAttribute('role', 'menu');
    content.setAttribute('aria-orientation', 'vertical');
    content.setAttribute('aria-labelledby', trigger.id);
    content.setAttribute('data-state', 'open');
    content.setAttribute('tabindex', '-1');
    content.id = cfg.menuId;
    content.className = cfg.cls.menu;
    const who = document.createElement('div');
    who.className = cfg.cls.email; who.textContent = cfg.email;
    content.append(who);
    for (const item of cfg.items) {
      const a = document.createElement('a');
      a.setAttribute('role', 'menuitem'); a.setAttribute('tabindex', '-1');
      a.href = item.href; a.className = cfg.cls.item; a.textContent = item.label;
      content.append(a);
    }
    content.addEventListener('keydown', (event) => {
      const items = [...content.querySelectorAll('[role=menuitem]')];
      const at = items.indexOf(document.activeElement);
      if (event.key === 'ArrowDown') { event.preventDefault(); items[(at + 1) % items.length].focus(); }
      if (event.key === 'ArrowUp') { event.preventDefault(); items[(at - 1 + items.length) % items.length].focus(); }
    });
    document.body.append(content);
    setState(true);
    content.focus();
  };
  trigger.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || event.ctrlKey) return;
    event.preventDefault();
    if (content) close(); else open();
  });
  trigger.addEventListener('keydown', (event) => {
    if (['Enter', ' ', 'ArrowDown'].includes(event.key)) {
      event.preventDefault(); open(); content.querySelector('[role=menuitem]').focus();
    }
  });
  document.addEventListener('pointerdown', (event) => {
    if (content && !content.contains(event.target) && !trigger.contains(event.target)) close();
  }, true);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && content) { close(); trigger.focus(); }
  });
})();"""


def app_shell(p: Page, m: Member, title: str, main: str, *, app_id: str, sidebar_settings: bool,
              modal: str = "", scripts: str = "") -> str:
    """The signed-in frame: the sidebar (New chat, Chats, recents, the user menu) and the main area.
    While the terms modal is open, the whole frame is inert behind its overlay."""
    h = p.h
    trigger = p.id()
    settings_link = (f'<a href="/settings/general" class="{h("nav_link")}">{t.SETTINGS}</a>'
                     if sidebar_settings else "")
    blocked = ' inert aria-hidden="true"' if modal else ""
    body = f"""<div id="{app_id}" class="{h("app")}"{blocked}>
 <nav aria-label="Sidebar" class="{h("sidebar")}">
  <a href="/new" aria-label="Claude" class="{h("nav_link")}">{LOGO}</a>
  <a href="/new" class="{h("nav_link")}">New chat</a>
  <a href="/recents" class="{h("nav_link")}">Chats</a>
  {settings_link}
  <div class="{h("recents")}"><h2 style="font-size:13px;margin:0 0 6px">Recents</h2>
   <p>Trip ideas for the Alps</p><p>Regex for ISO dates</p></div>
  <button type="button" id="{trigger}" aria-haspopup="menu" aria-expanded="false" data-state="closed"
    class="{h("user")}"><span class="{h("avatar")}" aria-hidden="true">{escape(m.initials)}</span>
   <span class="{h("user_text")}"><span>{escape(m.name)}</span>
   <span class="{h("plan")}">{escape(t.PLANS[m.plan])}</span></span></button>
 </nav>
 <main class="{h("main")}">{main}</main>
</div>
<div class="{h("toasts")}" aria-live="polite"></div>
{modal}"""
    menu = {
        "trigger": trigger, "menuId": p.id(), "email": m.email,
        "items": [{"label": t.SETTINGS, "href": "/settings/general"},
                  {"label": "Language", "href": "/settings/general"},
                  {"label": "Get help", "href": "https://support.anthropic.com/"},
                  {"label": "Log out", "href": "/logout"}],
        "cls": {"menu": h("menu"), "email": h("menu_email"), "item": h("menu_item")},
    }
    return document(p, title, body, script(MENU_JS, menu) + scripts)


def new_chat(p: Page, m: Member) -> str:
    first = m.name.split()[0] if m.name.split() else ""
    return (f'<h1 class="{p.h("greet")}">How was your day, {escape(first)}?</h1>'
            f'<form class="{p.h("composer")}" onsubmit="return false">'
            f'<div contenteditable="true" role="textbox" aria-multiline="true" aria-label="Write your prompt to Claude"'
            f' class="{p.h("prompt")}"></div><button type="submit" aria-label="Send message" disabled '
            f'class="{p.h("primary")}">↑</button></form>')


def recents(p: Page) -> str:
    return f'<h1 class="{p.h("greet")}">Your chat history</h1><p class="{p.h("muted")}">No chats yet.</p>'


def switch_row(p: Page, label: str, desc: str, value: bool) -> str:
    """One setting: its label (a <label for> the switch), its description and the Radix-style switch."""
    sid, did = p.id(), p.id()
    state = "checked" if value else "unchecked"
    h = p.h
    return (f'<div class="{h("row")}"><div class="{h("row_text")}">'
            f'<label for="{sid}" class="{h("row_label")}">{escape(label)}</label>'
            f'<p id="{did}" class="{h("row_desc")}">{escape(desc)}</p></div>'
            f'<button type="button" role="switch" id="{sid}" aria-checked="{"true" if value else "false"}" '
            f'data-state="{state}" value="on" aria-describedby="{did}" class="{h("switch")}">'
            f'<span data-state="{state}" class="{h("thumb")}"></span></button></div>')


def settings_frame(p: Page, active: str, panel: str) -> str:
    h = p.h
    current = ' aria-current="page"'
    tabs = "".join(
        f'<li><a href="/settings/{tab.slug}" class="{h("tab")}"'
        f'{current if tab.slug == active else ""}>{escape(tab.label)}</a></li>'
        for tab in t.TABS)
    return (f'<div class="{h("settings")}"><h1>{t.SETTINGS}</h1><div class="{h("settings_grid")}">'
            f'<nav aria-label="{t.SETTINGS}"><ul class="{h("tabs")}">{tabs}</ul></nav>'
            f'<section class="{h("panel")}">{panel}</section></div></div>')


def simple_panel(p: Page, slug: str, m: Member) -> str:
    h = p.h
    if slug == "general":
        return (f'<h2>Profile</h2>{_field(p, "Full name", "text", "name", value=m.name)}'
                f'<h3>Appearance</h3><p class="{h("muted")}">Match system</p>')
    if slug == "account":
        return (f'<h2>Account</h2><p>{escape(m.email)}</p>'
                f'<p><a href="/logout" class="{h("button")}" style="text-decoration:none">Log out</a></p>')
    if slug == "billing":
        return f'<h2>Billing</h2><p>{escape(t.PLANS[m.plan])}</p>'
    if slug == "capabilities":
        return f'<h2>Capabilities</h2><p class="{h("muted")}">Artifacts, analysis tool and more.</p>'
    return f'<h2>Connectors</h2><p class="{h("muted")}">No connectors yet.</p>'


# The settings switches: saved at once by a background POST (no Save button). The switch is
# disabled while its save is in flight; a failed save puts it back and shows a role=alert toast.
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
    const state = row.value ? 'checked' : 'unchecked';
    sw.setAttribute('aria-checked', String(row.value));
    sw.setAttribute('data-state', state);
    const thumb = sw.querySelector('span');
    if (thumb) thumb.setAttribute('data-state', state);
    sw.disabled = row.busy;
    if (row.busy) sw.setAttribute('data-disabled', ''); else sw.removeAttribute('data-disabled');
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
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.pathname)); return; }
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
  // The terms modal's answer sets the AI switch too: show it without a reload.
  window.addEventListener('claude:terms-answered', (event) => {
    for (const row of rows) if (row.key === event.detail.setting) { row.value = event.detail.value; paint(row); }
  });
  if (cfg.lateMs > 0) setTimeout(() => rows.forEach(mount), cfg.lateMs);
  else if (cfg.replaceNode) setTimeout(() => rows.forEach(rerender), cfg.replaceAfterMs);
})();"""

EXPORT_JS = """(() => {
  const cfg = __CFG__;
  const button = document.getElementById(cfg.button);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const r = await fetch(cfg.url, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-csrf-token': cfg.csrf}, body: '{}'});
      const box = document.createElement('p');
      box.setAttribute('role', r.ok ? 'status' : 'alert');
      box.textContent = r.ok ? cfg.text.done : cfg.text.error;
      button.after(box);
    } catch (e) { button.disabled = false; }
  });
})();"""


def privacy_panel(p: Page, *, values: dict[str, bool], show_help: bool, late_ms: int, replace_node: bool,
                  csrf: str, save_url: str) -> tuple[str, str]:
    """The Privacy tab: Export data, then the switches (Location metadata, then the AI one when the
    plan has it). Returns the panel and its scripts."""
    h = p.h
    specs = [(t.LOCATION, t.LOCATION_LABEL, t.LOCATION_DESC)]
    if show_help:
        specs.append((t.HELP_IMPROVE, p.help_label, t.HELP_DESC))
    rows, cfg_rows = [], []
    for key, label, desc in specs:
        slot = p.id()
        html = switch_row(p, label, desc, values[key])
        inner = f'<div class="{h("skeleton")}"></div>' if late_ms > 0 else html
        busy = ' aria-busy="true"' if late_ms > 0 else ""
        rows.append(f'<div id="{slot}" class="{h("slot")}"{busy}>{inner}</div>')
        cfg_rows.append({"slot": slot, "key": key, "value": values[key], "html": html})
    export = p.id()
    panel = f"""<h2>{t.PRIVACY}</h2>
<p class="{h("muted")}">Learn how your information is protected when using Anthropic products, and visit our
 <a href="https://privacy.anthropic.com/" target="_blank" rel="noopener">Privacy Center</a> and
 <a href="https://www.anthropic.com/legal/privacy" target="_blank" rel="noopener">Privacy Policy</a> for more
 details.</p>
<h3>Privacy settings</h3>
<div class="{h("rows")}">
 <div class="{h("row")}"><div class="{h("row_text")}"><span class="{h("row_label")}">Export data</span></div>
  <button type="button" id="{export}" class="{h("button")}">Export data</button></div>
 {"".join(rows)}
</div>"""
    switch_cfg = {
        "rows": cfg_rows, "saveUrl": save_url, "csrf": csrf, "lateMs": late_ms, "replaceNode": replace_node,
        "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100, "loginUrl": "/login?returnTo=",
        "text": {"error": t.SAVE_ERROR}, "cls": {"toast": h("toast"), "toasts": h("toasts")},
    }
    export_cfg = {"button": export, "url": "/api/account/export", "csrf": csrf,
                  "text": {"done": t.EXPORT_DONE, "error": t.SAVE_ERROR}}
    return panel, script(SWITCH_JS, switch_cfg) + script(EXPORT_JS, export_cfg)


# ---------------------------------------------------------------- the terms modal

# A Radix-style modal dialog on load: the page behind is inert under an overlay until the member
# accepts (recorded on the server with the choice) or puts it off ("Not now": this load only).
MODAL_JS = """(() => {
  const cfg = __CFG__;
  const dialog = document.getElementById(cfg.dialog), overlay = document.getElementById(cfg.overlay);
  const app = document.getElementById(cfg.app);
  const sw = dialog.querySelector('[role="switch"]');
  const accept = document.getElementById(cfg.accept), later = document.getElementById(cfg.later);
  let choice = true, busy = false;
  const paint = () => {
    const state = choice ? 'checked' : 'unchecked';
    sw.setAttribute('aria-checked', String(choice)); sw.setAttribute('data-state', state);
    sw.querySelector('span').setAttribute('data-state', state);
    sw.disabled = accept.disabled = later.disabled = busy;
  };
  const close = () => {
    dialog.remove(); overlay.remove();
    app.removeAttribute('inert'); app.removeAttribute('aria-hidden');
    document.removeEventListener('keydown', noEscape, true);
  };
  const noEscape = (event) => { if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); } };
  document.addEventListener('keydown', noEscape, true);  // a choice is required: Escape does not close it
  sw.addEventListener('click', () => { if (!busy) { choice = !choice; paint(); } });
  accept.addEventListener('click', async () => {
    busy = true; paint();
    let r = null;
    try {
      r = await fetch(cfg.acceptUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-csrf-token': cfg.csrf},
        body: JSON.stringify({help_improve: choice})});
    } catch (e) { r = null; }
    if (r && r.status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.pathname)); return; }
    if (r && (r.ok || r.status === 409)) {
      const data = r.ok ? await r.json() : null;
      close();
      if (data) window.dispatchEvent(new CustomEvent('claude:terms-answered',
        {detail: {setting: cfg.setting, value: data.help_improve}}));
      return;
    }
    busy = false; paint();
    let box = dialog.querySelector('[role=alert]');
    if (!box) { box = document.createElement('p'); box.setAttribute('role', 'alert'); box.className = cfg.cls.error;
      accept.parentElement.before(box); }
    box.textContent = cfg.text.error;
  });
  later.addEventListener('click', () => {
    fetch(cfg.deferUrl, {method: 'POST', credentials: 'same-origin',
      headers: {'content-type': 'application/json', 'x-csrf-token': cfg.csrf}, body: '{}'}).catch(() => {});
    close();
  });
  dialog.focus();
})();"""


def terms_modal(p: Page, *, app_id: str, csrf: str, setting: str) -> tuple[str, str]:
    """The "Updates to Consumer Terms and Policies" dialog, the choice pre-set On. Returns the
    markup and its script."""
    h = p.h
    dialog, overlay, title, desc, accept, later = (p.id() for _ in range(6))
    html = f"""<div id="{overlay}" class="{h("overlay")}" data-state="open" aria-hidden="true"
 style="pointer-events:auto"></div>
<div role="dialog" id="{dialog}" aria-modal="true" aria-labelledby="{title}" aria-describedby="{desc}"
 data-state="open" tabindex="-1" class="{h("dialog")}">
 <h2 id="{title}">{t.MODAL_TITLE}</h2>
 <p id="{desc}">{t.MODAL_INTRO}</p>
 <div class="{h("choice")}">{switch_row(p, p.help_label, t.HELP_DESC, True)}</div>
 <p class="{h("muted")}">{t.MODAL_RETENTION}</p>
 <p class="{h("muted")}">{t.MODAL_DEADLINE}</p>
 <div class="{h("actions")}">
  <button type="button" id="{later}" class="{h("button")}">{t.MODAL_LATER}</button>
  <button type="button" id="{accept}" class="{h("primary")}">{t.MODAL_ACCEPT}</button>
 </div>
</div>"""
    cfg = {"dialog": dialog, "overlay": overlay, "app": app_id, "accept": accept, "later": later,
           "acceptUrl": "/api/account/consumer_terms", "deferUrl": "/api/account/consumer_terms/defer",
           "csrf": csrf, "setting": setting, "loginUrl": "/login?returnTo=",
           "text": {"error": t.SAVE_ERROR}, "cls": {"error": h("error")}}
    return html, script(MODAL_JS, cfg)


# ---------------------------------------------------------------- error pages

def error_page(p: Page, title: str, message: str) -> str:
    body = (f'<main class="{p.h("auth")}">{LOGO}<h1>{escape(title)}</h1>'
            f'<p class="{p.h("muted")}">{escape(message)}</p><p><a href="/new">Go to Claude</a></p></main>')
    return document(p, f"{title} - Claude", body)


def unavailable(p: Page) -> str:
    return error_page(p, "Claude is temporarily unavailable", "We’re working on it. Please try again shortly.")


def not_found(p: Page) -> str:
    return error_page(p, "Page not found", "The page you’re looking for doesn’t exist.")


