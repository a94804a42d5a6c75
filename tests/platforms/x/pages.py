"""HTML and scripts of the X replica's pages (shared/platforms/x.md).

X is a React Native Web app: generated ids, atomic class names, and most content drawn by script.
The replica uses the test ids x.md lists (privacyAndSafetyScreen, LoginForm_*, ocfEnterText*,
SideNav_AccountSwitcher_Button) and nothing else stable: the Grok page's checkboxes are plain
`input[type=checkbox]` inside a `<label>`, with no id, name or test id (x.md, "The replica").
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from . import texts as T


class Page:
    """One rendering: the release's hashed classes, fresh generated ids, the older-release flag."""

    def __init__(self, h: HashedClasses, older: bool = False) -> None:
        self.h, self.older = h, older
        self.id = IdGen("id__")

    def c(self, *keys: str) -> str:
        """Atomic class names, as React Native Web emits them: several per element."""
        return " ".join(self.h(k) for k in keys)


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


LOGO = ('<svg viewBox="0 0 24 24" aria-hidden="true" width="30" height="30"><g><path d="M18.244 2.25h3.308l-7.227 '
        '8.26 8.502 11.24H16.17l-5.214-6.817L4.99 21.75H1.68l7.73-8.835L1.254 2.25H8.08l4.713 6.231zm-1.161 '
        '17.52h1.833L7.084 4.126H5.117z" fill="currentColor"/></g></svg>')
BACK_ARROW = ('<svg viewBox="0 0 24 24" aria-hidden="true" width="20" height="20"><g><path d="M7.414 13l5.043 '
              '5.04-1.414 1.42L3.586 12l7.457-7.46 1.414 1.42L7.414 11H21v2H7.414z" fill="currentColor"/></g></svg>')
CHEVRON = ('<svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18"><g><path d="M14.586 12L7.543 4.96l1.414'
           '-1.42L17.414 12l-8.457 8.46-1.414-1.42L14.586 12z" fill="currentColor"/></g></svg>')
AVATAR = ("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAy"
          "NCAyNCI+PGNpcmNsZSBjeD0iMTIiIGN5PSIxMiIgcj0iMTIiIGZpbGw9IiNjZmQ4ZGMiLz48L3N2Zz4=")


def css(p: Page) -> str:
    h = p.h
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.3 -apple-system,system-ui,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#0f1419;
  background:#fff}}
a{{color:inherit;text-decoration:none}}
button{{font:inherit}}
.{h("app")}{{display:flex;justify-content:center;min-height:100vh}}
.{h("banner")}{{width:275px;padding:0 12px;display:flex;flex-direction:column;justify-content:space-between;
  position:sticky;top:0;height:100vh}}
.{h("navlink")}{{display:flex;align-items:center;gap:16px;padding:12px;border-radius:9999px;font-size:20px}}
.{h("navlink")}:hover,.{h("menuitem")}:hover,.{h("row")}:hover{{background:rgba(15,20,25,.1)}}
.{h("navbtn")}{{border:0;background:none;cursor:pointer;text-align:left;width:100%}}
.{h("menu")}{{position:absolute;background:#fff;border-radius:12px;min-width:260px;z-index:20;
  box-shadow:rgba(101,119,134,.2) 0 0 15px,rgba(101,119,134,.15) 0 0 3px 1px;padding:4px 0}}
.{h("menuitem")}{{display:block;padding:12px 16px;font-weight:700}}
.{h("switcher")}{{display:flex;align-items:center;gap:12px;border:0;background:none;border-radius:9999px;
  padding:12px;margin:12px 0;cursor:pointer;text-align:left}}
.{h("avatar")}{{width:40px;height:40px;border-radius:50%}}
.{h("muted")}{{color:#536471}}
.{h("main")}{{width:600px;border-left:1px solid #eff3f4;border-right:1px solid #eff3f4;min-height:100vh}}
.{h("wide")}{{width:990px;display:flex}}
.{h("list")}{{width:390px;border-right:1px solid #eff3f4}}
.{h("detail")}{{flex:1;min-width:0}}
.{h("bar")}{{display:flex;align-items:center;gap:24px;height:53px;padding:0 16px}}
.{h("bar")} h2{{font-size:20px;margin:0;font-weight:800}}
.{h("back")}{{border:0;background:none;border-radius:50%;width:36px;height:36px;cursor:pointer}}
.{h("row")}{{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:12px 16px}}
.{h("row")}[aria-current=page]{{border-right:2px solid #1d9bf0;background:#f7f9f9}}
.{h("rowtitle")}{{font-size:15px}}
.{h("rowdesc")}{{font-size:13px;color:#536471;margin-top:2px}}
.{h("section")}{{border-top:1px solid #eff3f4;padding:12px 0}}
.{h("section")} h2,.{h("subhead")}{{font-size:20px;font-weight:800;margin:0;padding:12px 16px}}
.{h("checkrow")}{{padding:12px 16px}}
.{h("checklabel")}{{display:flex;justify-content:space-between;align-items:flex-start;gap:16px;cursor:pointer}}
.{h("checklabel")} input{{width:20px;height:20px;margin:2px 0 0;accent-color:#1d9bf0;flex:none}}
.{h("help")}{{font-size:13px;color:#536471;margin-top:4px;padding-right:36px}}
.{h("help")} a{{color:#1d9bf0}}
.{h("danger")}{{display:block;width:100%;text-align:left;border:0;background:none;color:#f4212e;padding:16px;
  cursor:pointer}}
.{h("pill")}{{border:0;border-radius:9999px;padding:0 24px;min-height:40px;font-weight:700;cursor:pointer;
  background:#0f1419;color:#fff}}
.{h("pill")}:disabled{{opacity:.5;cursor:default}}
.{h("pill_light")}{{background:#fff;color:#0f1419;border:1px solid #cfd9de}}
.{h("pill_full")}{{width:100%;margin:12px 0}}
.{h("spinner")}{{width:26px;height:26px;margin:24px auto;border:3px solid #8ecdf8;border-top-color:#1d9bf0;
  border-radius:50%;animation:{h("spin")} .75s linear infinite}}
@keyframes {h("spin")}{{to{{transform:rotate(360deg)}}}}
.{h("oops")}{{padding:40px 16px;text-align:center;color:#536471}}
.{h("toasts")}{{position:fixed;left:0;right:0;bottom:20px;display:flex;flex-direction:column;align-items:center;
  gap:8px;z-index:50;pointer-events:none}}
.{h("toast")}{{background:#1d9bf0;color:#fff;border-radius:4px;padding:12px 16px;pointer-events:auto}}
.{h("mask")}{{position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;
  justify-content:center;z-index:30}}
.{h("modal")}{{background:#fff;border-radius:16px;width:600px;max-width:95vw;min-height:400px;padding:16px 80px 48px}}
.{h("small_modal")}{{background:#fff;border-radius:16px;width:320px;padding:32px}}
.{h("modal")} h1{{font-size:31px;font-weight:800;margin:20px 0}}
.{h("field")}{{display:block;border:1px solid #cfd9de;border-radius:4px;padding:8px;margin:12px 0}}
.{h("field")} span{{display:block;color:#536471;font-size:13px}}
.{h("field")} input{{border:0;outline:0;width:100%;font-size:17px;padding:4px 0;background:transparent}}
.{h("landing")}{{display:flex;align-items:center;justify-content:space-around;min-height:100vh}}
.{h("landing")} h1{{font-size:64px;font-weight:800}}
.{h("narrow")}{{max-width:600px;margin:48px auto;padding:0 16px}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html dir="ltr" lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{css(p)}</style></head>\n<body class=\"{p.h('body')}\">\n{body}\n"
            f'<div class="{p.h("toasts")}" aria-live="polite"></div>\n{scripts}\n</body></html>')


def _text(p: Page, value: str | Markup, *keys: str) -> str:
    """A React Native Web text node: a div with dir=ltr around spans."""
    return f'<div dir="ltr" class="{p.c("t1", "t2", *keys)}"><span class="{p.h("t3")}">{escape(value)}</span></div>'


# ---------------------------------------------------------------- the signed-in frame

# The "More" menu and the account menu: built only while open, as X's popovers are.
NAV_JS = """(() => {
  const cfg = __CFG__;
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  let open = null;
  function close() {
    if (open) { open.menu.remove(); open.button.setAttribute('aria-expanded', 'false'); open = null; }
  }
  function toggle(button, items) {
    const was = open && open.button === button;
    close();
    if (was) return;
    const menu = el('div', {role: 'menu', class: cfg.cls.menu},
      ...items.map(([label, href]) => el('a', {role: 'menuitem', href, class: cfg.cls.item},
        el('div', {dir: 'ltr'}, el('span', {}, label)))));
    const box = button.getBoundingClientRect();
    menu.style.left = box.left + 'px';
    menu.style.top = (window.scrollY + box.top - 8) + 'px';
    menu.style.transform = 'translateY(-100%)';
    document.body.append(menu);
    button.setAttribute('aria-expanded', 'true');
    open = {button, menu};
  }
  document.addEventListener('click', (event) => {
    const more = event.target.closest('button[aria-haspopup="menu"]');
    if (more && more.dataset.testid !== 'SideNav_AccountSwitcher_Button') { toggle(more, cfg.more); return; }
    const acct = event.target.closest('[data-testid="SideNav_AccountSwitcher_Button"]');
    if (acct) { toggle(acct, cfg.account); return; }
    if (open && !open.menu.contains(event.target)) close();
  });
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
})();"""


def side_nav(p: Page, name: str, username: str) -> tuple[str, str]:
    links = "".join(
        f'<a href="{href}" role="link" class="{p.c("navlink")}" id="{p.id()}">'
        f'{_text(p, label)}</a>' for label, href in (*T.NAV, ("Profile", f"/{username}")))
    html = f"""<header role="banner" class="{p.c('banner')}">
 <div>
  <h1 role="heading" class="{p.h('logo')}">
   <a href="/home" aria-label="X" role="link" class="{p.c('navlink')}">{LOGO}</a></h1>
  <nav role="navigation" aria-label="Primary" class="{p.h('nav')}">{links}
   <button type="button" aria-haspopup="menu" aria-expanded="false" class="{p.c('navlink', 'navbtn')}"
     id="{p.id()}">{_text(p, T.MORE)}</button>
  </nav>
  <a href="/compose/post" role="link" class="{p.c('pill', 'pill_full')}" id="{p.id()}">{_text(p, 'Post')}</a>
 </div>
 <button type="button" aria-label="Account menu" aria-haspopup="menu" aria-expanded="false"
   data-testid="SideNav_AccountSwitcher_Button" class="{p.c('switcher')}">
  <img alt="" src="{AVATAR}" class="{p.h('avatar')}" draggable="false">
  <div>{_text(p, name, 'bold')}<div dir="ltr" class="{p.c('muted')}"><span>@{escape(username)}</span></div></div>
 </button>
</header>"""
    cfg = {"more": [list(i) for i in T.MORE_ITEMS], "account": [["Add an existing account", "/i/flow/login"],
                                                                  [f"Log out @{username}", "/logout"]],
           "cls": {"menu": p.c("menu"), "item": p.c("menuitem")}}
    return html, script(NAV_JS, cfg)


def app_frame(p: Page, title: str, acct: dict[str, Any], main: str, scripts: str = "", wide: bool = False) -> str:
    nav, nav_js = side_nav(p, acct["name"], acct["username"])
    body = (f'<div class="{p.c("app")}">{nav}<main role="main" class="{p.c("main", "wide") if wide else p.h("main")}">'
            f"{main}</main></div>")
    return document(p, f"{title} / X", body, nav_js + scripts)


def home(p: Page, acct: dict[str, Any]) -> str:
    main = (f'<div class="{p.h("bar")}"><h2 role="heading" aria-level="2">Home</h2></div>'
            f'<section aria-label="Timeline: Your Home Timeline" class="{p.h("section")}">'
            f'<div class="{p.h("oops")}">{_text(p, "Welcome to X!")}</div></section>')
    return app_frame(p, "Home", acct, main)


def _bar(p: Page, title: str, back: str | None) -> str:
    back_btn = (f'<button type="button" aria-label="{T.BACK}" class="{p.h("back")}" '
                f"onclick=\"history.length > 1 ? history.back() : location.assign('{back}')\">{BACK_ARROW}</button>"
                if back else "")
    return f'<div class="{p.h("bar")}">{back_btn}<h2 role="heading" aria-level="2">{escape(title)}</h2></div>'


def _row(p: Page, href: str, title: str, desc: str, current: bool = False) -> str:
    cur = ' aria-current="page"' if current else ""
    return (f'<a href="{href}" role="tab" aria-selected="{"true" if current else "false"}" class="{p.c("row")}" '
            f'id="{p.id()}"{cur}><div>{_text(p, title, "rowtitle")}'
            f'{_text(p, desc, "rowdesc") if desc else ""}</div>{CHEVRON}</a>')


def settings_frame(p: Page, title: str, acct: dict[str, Any], active: str, detail: str, scripts: str = "") -> str:
    """Desktop settings: the settings list on the left, the page on the right."""
    items = "".join(_row(p, f"/settings/{r.slug}", r.title, "", r.slug == active) for r in T.SETTINGS_LIST)
    main = (f'<section aria-label="{T.SETTINGS}" class="{p.h("list")}">{_bar(p, T.SETTINGS, None)}'
            f'<div role="tablist">{items}</div></section>'
            f'<section aria-label="Section details" class="{p.h("detail")}">{detail}</section>')
    return app_frame(p, title, acct, main, scripts, wide=True)


# ---------------------------------------------------------------- settings pages

def privacy_page(p: Page, acct: dict[str, Any], grok_row: bool) -> str:
    def section(title: str, rows: str) -> str:
        return (f'<section class="{p.h("section")}" id="{p.id()}"><h2 role="heading" aria-level="2">'
                f'{escape(title)}</h2><div>{rows}</div></section>')

    data_rows = "".join(_row(p, f"/settings/{r.slug}", r.title, r.description) for r in T.DATA_ROWS)
    if grok_row:  # feature switch responsive_web_grok_opt_out_enabled
        title, desc = ((T.GROK_ROW_2024, T.TRAINING_LABEL_2024) if p.older else (T.GROK_ROW, T.TRAINING_LABEL))
        data_rows += _row(p, f"/settings/{T.GROK_SLUG}", title, desc)
    learn = "".join(f'<a href="{href}" target="_blank" rel="noopener noreferrer" role="link" class="{p.c("row")}">'
                    f'{_text(p, label)}</a>' for label, href in T.LEARN_LINKS)
    detail = (f'<div data-testid="privacyAndSafetyScreen" class="{p.h("screen")}">'
              f'{_bar(p, T.PRIVACY_TITLE, "/settings")}'
              + section(T.ACTIVITY_SECTION, "".join(_row(p, f"/settings/{r.slug}", r.title, r.description)
                                                    for r in T.ACTIVITY_ROWS))
              + section(T.DATA_SECTION, data_rows) + section(T.LEARN_SECTION, learn) + "</div>")
    return settings_frame(p, T.PRIVACY_TITLE, acct, "privacy_and_safety", detail)


def generic_setting(p: Page, acct: dict[str, Any], slug: str, title: str) -> str:
    in_privacy = any(r.slug == slug for r in (*T.ACTIVITY_ROWS, *T.DATA_ROWS))
    active = "privacy_and_safety" if in_privacy else slug
    back = "/settings/privacy_and_safety" if in_privacy else "/settings"
    detail = _bar(p, title, back) + f'<div class="{p.h("checkrow")}">{_text(p, T.GENERIC_SETTING, "muted")}</div>'
    return settings_frame(p, title, acct, active, detail)


# The Grok page: values fetched in the background, checkboxes drawn by script (React-like: a
# re-render builds new nodes), each change saved at once by a background POST carrying ct0 as
# x-csrf-token ("instant"), or held until "Save" is pressed ("button").
GROK_JS = """(() => {
  const cfg = __CFG__;
  const T = cfg.text, C = cfg.cls;
  const slot = document.getElementById(cfg.slot);
  const toasts = document.querySelector('.' + C.toasts);
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  const ct0 = () => { const m = document.cookie.match(/(?:^|;\\s*)ct0=([^;]+)/); return m ? m[1] : ''; };
  const KEYS = ['training', 'personalization', 'memory'];
  let values = null, server = null, busy = false;

  function text(value, cls) { return el('div', {dir: 'ltr', class: cls}, el('span', {}, value)); }
  function toast(message, role) {
    const t = el('div', {role: role || 'alert', class: C.toast}, el('span', {}, message));
    toasts.append(t); setTimeout(() => t.remove(), 6000);
  }
  function toLogin() {
    location.assign('/i/flow/login?redirect_after_login=' + encodeURIComponent(location.pathname));
  }
  function spinner() {
    slot.setAttribute('aria-busy', 'true');
    slot.replaceChildren(el('div', {role: 'progressbar', 'aria-label': T.loading, 'aria-valuemin': '0',
                                    'aria-valuemax': '100', class: C.spinner}));
  }
  function oops() {  // X's glitch: the section did not load
    slot.removeAttribute('aria-busy');
    const retry = el('button', {type: 'button', class: C.pill}, text(T.retry, ''));
    retry.addEventListener('click', load);
    slot.replaceChildren(el('div', {class: C.oops}, text(T.oops, ''), retry));
  }
  function checkbox(key) {
    const input = el('input', {type: 'checkbox', class: C.input});
    input.checked = values[key];
    input.addEventListener('change', () => change(key, input));
    const kids = [text(T.help[key], C.help)];
    if (key === 'training') kids[0].append(' ', el('a', {href: cfg.learnMore, target: '_blank',
      rel: 'noopener noreferrer'}, T.learnMore));
    const row = el('div', {class: C.checkrow},
      el('label', {class: C.checklabel}, text(T.labels[key], C.labeltext), input), ...kids);
    input.__key = key;  // a JS property on the live node: nothing in the markup
    return row;
  }
  function build() {
    const parts = [el('h3', {role: 'heading', 'aria-level': '3', class: C.subhead}, T.dataSharing),
                   checkbox('training'),
                   el('h3', {role: 'heading', 'aria-level': '3', class: C.subhead}, T.personalization),
                   checkbox('personalization'), checkbox('memory')];
    const del = el('button', {type: 'button', class: C.danger}, text(T.deleteHistory, ''));
    del.addEventListener('click', confirmDelete);
    parts.push(el('div', {class: C.section}, del));
    if (cfg.saveMode === 'button') {
      const save = el('button', {type: 'button', class: C.pill}, text(T.save, ''));
      save.addEventListener('click', saveAll);
      save.__save = true;
      parts.push(el('div', {class: C.checkrow}, save));
    }
    return el('div', {class: C.body}, ...parts);
  }
  function inputs() { return [...slot.querySelectorAll('input[type="checkbox"]')]; }
  function paint() {
    for (const input of inputs()) { input.checked = values[input.__key]; input.disabled = busy; }
    const save = [...slot.querySelectorAll('button')].find((b) => b.__save);
    if (save) save.disabled = busy || !dirty().length;
  }
  function draw() {
    slot.removeAttribute('aria-busy');
    slot.replaceChildren(build());
    paint();
    if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
  }
  function rerender() {  // as React does: equal nodes, not the same ones
    if (!slot.firstElementChild || !values) return;
    slot.replaceChildren(build()); paint();
  }
  async function load() {
    spinner();
    let r = null;
    try { r = await fetch(cfg.api, {credentials: 'same-origin', headers: {'x-csrf-token': ct0()}}); }
    catch (e) { r = null; }
    if (r && r.status === 401) { toLogin(); return; }
    if (!r || !r.ok) { oops(); return; }
    const data = await r.json();
    values = {training: data[cfg.fields.training], personalization: data[cfg.fields.personalization],
              memory: data[cfg.fields.memory]};
    server = {...values};
    if (cfg.lateMs > 0) setTimeout(draw, cfg.lateMs); else draw();
  }
  async function post(url, fields) {
    try {
      const r = await fetch(url, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': ct0(),
                  'x-twitter-active-user': 'yes', 'x-twitter-auth-type': 'OAuth2Session'},
        body: new URLSearchParams(fields).toString()});
      return r.status;
    } catch (e) { return 0; }
  }
  const dirty = () => KEYS.filter((k) => values[k] !== server[k]);
  async function send(keys) {
    const fields = {};
    for (const k of keys) fields[cfg.fields[k]] = String(values[k]);
    busy = true; paint();
    const status = await post(cfg.api, fields);
    busy = false;
    if (status === 401) { toLogin(); return false; }
    if (status < 200 || status >= 300) {
      for (const k of keys) values[k] = server[k];
      paint(); toast(T.error); return false;
    }
    for (const k of keys) server[k] = values[k];
    paint();
    if (cfg.replaceNode) rerender();
    return true;
  }
  function change(key, input) {
    if (busy) { input.checked = values[key]; return; }
    values[key] = input.checked;
    if (cfg.saveMode === 'button') { paint(); return; }
    send([key]);
  }
  async function saveAll() {
    const keys = dirty();
    if (!keys.length || busy) return;
    if (await send(keys)) toast(T.saved, 'status');
  }
  function confirmDelete() {
    const title = el('h1', {role: 'heading', 'aria-level': '1'}, T.confirmTitle);
    const ok = el('button', {type: 'button', class: C.pill}, text(T.del, ''));
    const no = el('button', {type: 'button', class: C.pill + ' ' + C.light}, text(T.cancel, ''));
    const box = el('div', {role: 'alertdialog', 'aria-modal': 'true', class: C.small}, title,
                   text(T.confirmBody, ''), ok, no);
    const mask = el('div', {class: C.mask}, box);
    no.addEventListener('click', () => mask.remove());
    ok.addEventListener('click', async () => {
      ok.disabled = true;
      const status = await post(cfg.deleteApi, {});
      mask.remove();
      if (status === 401) { toLogin(); return; }
      toast(status >= 200 && status < 300 ? T.deleted : T.error, status >= 200 && status < 300 ? 'status' : 'alert');
    });
    document.body.append(mask);
  }
  load();
})();"""


def grok_page(p: Page, acct: dict[str, Any], *, api: str, delete_api: str, fields: dict[str, str],
              save_mode: str, late_ms: int, replace_node: bool) -> str:
    title = T.GROK_ROW_2024 if p.older else T.GROK_ROW
    slot = p.id()
    detail = (_bar(p, title, "/settings/privacy_and_safety")
              + f'<div id="{slot}" class="{p.h("slot")}" aria-busy="true">'
              f'<div role="progressbar" aria-label="{T.LOADING}" aria-valuemin="0" aria-valuemax="100" '
              f'class="{p.h("spinner")}"></div></div>')
    cfg = {
        "slot": slot, "api": api, "deleteApi": delete_api, "fields": fields, "saveMode": save_mode,
        "lateMs": late_ms, "replaceNode": replace_node, "replaceAfterMs": 500,
        "learnMore": "https://help.x.com/en/using-x/about-grok", "seed": random_digits(4),
        "text": {
            "labels": {"training": T.TRAINING_LABEL_2024 if p.older else T.TRAINING_LABEL,
                       "personalization": T.PERSONALIZE_LABEL, "memory": T.MEMORY_LABEL},
            "help": {"training": T.TRAINING_HELP_2024 if p.older else T.TRAINING_HELP,
                     "personalization": T.PERSONALIZE_HELP, "memory": T.MEMORY_HELP},
            "dataSharing": T.DATA_SHARING, "personalization": T.PERSONALIZATION, "learnMore": T.LEARN_MORE,
            "deleteHistory": T.DELETE_HISTORY, "confirmTitle": T.DELETE_CONFIRM_TITLE,
            "confirmBody": T.DELETE_CONFIRM_BODY, "del": T.DELETE, "cancel": T.CANCEL, "deleted": T.DELETED,
            "save": T.SAVE, "saved": T.SAVED, "error": T.SAVE_ERROR, "oops": T.SOMETHING_WRONG,
            "retry": T.RETRY, "loading": T.LOADING},
        "cls": {k: p.c(*v) for k, v in {
            "toasts": ("toasts",), "toast": ("toast",), "spinner": ("spinner",), "oops": ("oops",),
            "pill": ("pill",), "light": ("pill_light",), "input": ("cbx",), "help": ("help",),
            "checkrow": ("checkrow",), "checklabel": ("checklabel",), "labeltext": ("t1", "t2"),
            "subhead": ("subhead",), "danger": ("danger",), "section": ("section",), "body": ("grokbody",),
            "mask": ("mask",), "small": ("small_modal",)}.items()},
    }
    return settings_frame(p, title, acct, "privacy_and_safety", detail, script(GROK_JS, cfg))


# ---------------------------------------------------------------- sign-in

# The login flow: one step at a time, each drawn into a NEW container node (React re-renders),
# driven by a background task API whose flow token changes on every answer.
LOGIN_JS = """(() => {
  const cfg = __CFG__;
  const T = cfg.text, C = cfg.cls, KEY = 'ocf_flow_token';
  const host = document.getElementById(cfg.host);
  const toasts = document.querySelector('.' + C.toasts);
  let token = null, busy = false, seq = Number(cfg.seed);
  const fid = () => 'id__' + (seq += 1 + Math.floor(Math.random() * 7)).toString(36) +
    Math.random().toString(36).slice(2, 7);
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== null) e.setAttribute(k, v); e.append(...kids); return e; };
  const text = (value, cls) => el('div', {dir: 'ltr', class: cls || C.text}, el('span', {}, value));
  function toast(message) {
    const t = el('div', {role: 'alert', class: C.toast}, el('span', {}, message));
    toasts.replaceChildren(t); setTimeout(() => t.remove(), 6000);
  }
  async function call(body) {
    try {
      const r = await fetch(cfg.api, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
      let data = {};
      try { data = await r.json(); } catch (e) { data = {}; }
      return {status: r.status, data};
    } catch (e) { return {status: 0, data: {}}; }
  }
  function field(label, attrs) {
    const id = fid();
    const input = el('input', {id, dir: 'auto', class: C.input, ...attrs});
    return [el('label', {class: C.field, for: id}, el('span', {}, label), input), input];
  }
  function button(label, testid, extra) {
    return el('button', {type: 'button', role: 'button', 'data-testid': testid, class: C.pill + ' ' + (extra || ''),
                         disabled: ''}, text(label, ''));
  }
  const STEPS = {
    LoginEnterUserIdentifierSSO: () => {
      const [wrap, input] = field(T.identifier_label, {autocomplete: 'username', autocapitalize: 'sentences',
                                                       name: 'text', type: 'text'});
      const next = button(T.next, 'LoginForm_Next_Button', C.full);
      const forgot = el('button', {type: 'button', role: 'button', class: C.pill + ' ' + C.light + ' ' + C.full},
                        text(T.forgot, ''));
      return {parts: [el('h1', {role: 'heading', 'aria-level': '1', id: fid()}, T.title), wrap, next, forgot,
                      el('div', {class: C.muted}, T.no_account + ' ', el('a', {href: '/i/flow/signup'}, T.sign_up))],
              input, next};
    },
    LoginEnterAlternateIdentifierSubtask: () => {
      const [wrap, input] = field(T.alt_label, {'data-testid': 'ocfEnterTextTextInput', autocomplete: 'on',
                                                name: 'text', type: 'text', inputmode: 'text'});
      const next = button(T.next, 'ocfEnterTextNextButton', C.full);
      return {parts: [el('h1', {role: 'heading', 'aria-level': '1', id: fid()}, T.alt_title),
                      text(T.alt_body, C.muted), wrap, next], input, next};
    },
    LoginEnterPassword: (data) => {
      const [shown, who] = field(T.identifier_label, {type: 'text', name: 'username', disabled: '',
                                                      autocomplete: 'username'});
      who.value = data.identifier || '';
      const [wrap, input] = field(T.password_label, {autocomplete: 'current-password', name: 'password',
                                                     type: 'password', autocapitalize: 'sentences'});
      const next = button(T.log_in, 'LoginForm_Login_Button', C.full);
      return {parts: [el('h1', {role: 'heading', 'aria-level': '1', id: fid()}, T.password_title), shown, wrap,
                      el('a', {href: '/i/flow/password_reset', class: C.muted}, T.forgot), next], input, next};
    },
    LoginTwoFactorAuthChallenge: () => {
      const [wrap, input] = field(T.tfa_label, {'data-testid': 'ocfEnterTextTextInput', autocomplete: 'one-time-code',
                                                name: 'text', type: 'text', inputmode: 'numeric'});
      const next = button(T.next, 'ocfEnterTextNextButton', C.full);
      return {parts: [el('h1', {role: 'heading', 'aria-level': '1', id: fid()}, T.tfa_title),
                      text(T.tfa_body, C.muted), wrap, next], input, next};
    },
  };
  function render(subtask, data) {
    const step = STEPS[subtask](data);
    const box = el('div', {class: C.step, id: fid()}, ...step.parts);  // a new node for every step
    host.replaceChildren(box);
    const ready = () => { step.next.disabled = busy || !step.input.value.trim(); };
    step.input.addEventListener('input', ready);
    step.input.addEventListener('keydown', (event) => { if (event.key === 'Enter') submit(subtask, step); });
    step.next.addEventListener('click', () => submit(subtask, step));
    step.input.focus();
    ready();
    step.ready = ready;
  }
  function keep(data) {
    if (data.flow_token) { token = data.flow_token; sessionStorage.setItem(KEY, token); }
  }
  function go(subtask, data) {
    const path = subtask === 'LoginTwoFactorAuthChallenge' ? '/i/flow/two-factor' : '/i/flow/login';
    if (location.pathname !== path) history.pushState({}, '', path + location.search);
    render(subtask, data);
  }
  async function submit(subtask, step) {
    const value = step.input.value;
    if (busy || !value.trim()) return;
    busy = true; step.ready();
    const {status, data} = await call({flow_token: token, subtask_id: subtask, text: value});
    busy = false;
    if (data.redirect) { sessionStorage.removeItem(KEY); location.assign(data.redirect); return; }
    keep(data);
    if (data.error && data.subtask === subtask) { step.ready(); toast(data.error); return; }
    if (status !== 200 || !STEPS[data.subtask]) { toast(T.err_flow); start(); return; }
    go(data.subtask, data);
  }
  async function start() {
    sessionStorage.removeItem(KEY);
    const {data} = await call({flow_name: 'login', redirect_after_login: cfg.redirect});
    keep(data);
    if (STEPS[data.subtask]) go(data.subtask, data);
  }
  async function resume() {  // a reload of /i/flow/two-factor picks the flow up again
    token = sessionStorage.getItem(KEY);
    if (!token) { start(); return; }
    const {status, data} = await call({flow_token: token});
    if (status !== 200 || !STEPS[data.subtask]) { start(); return; }
    keep(data);
    go(data.subtask, data);
  }
  if (cfg.resume) resume(); else start();
})();"""


def login(p: Page, *, api: str, redirect: str, resume: bool) -> str:
    host, head = p.id(), p.id()
    body = f"""<div class="{p.h('mask')}"><div role="dialog" aria-modal="true" aria-labelledby="{head}"
  class="{p.h('modal')}">
 <div class="{p.h('modal_head')}"><a href="/" aria-label="{T.LOGIN['close']}" role="button">×</a>
  <span id="{head}" class="{p.h('logo_center')}">{LOGO}</span></div>
 <div id="{host}" class="{p.h('steps')}"><div role="progressbar" aria-label="{T.LOADING}"
   aria-valuemin="0" aria-valuemax="100" class="{p.h('spinner')}"></div></div>
</div></div>"""
    cfg = {"api": api, "redirect": redirect, "resume": resume, "host": host, "seed": random_digits(5),
           "text": {**T.LOGIN, "next": T.NEXT},
           "cls": {k: p.c(*v) for k, v in {
               "toasts": ("toasts",), "toast": ("toast",), "text": ("t1", "t2"), "input": ("t4",),
               "field": ("field",), "pill": ("pill",), "light": ("pill_light",), "full": ("pill_full",),
               "muted": ("muted",), "step": ("step", "step2")}.items()}}
    return document(p, "Log in to X / X", body, script(LOGIN_JS, cfg))


def landing(p: Page) -> str:
    body = (f'<main role="main" class="{p.h("landing")}"><div>{LOGO}</div><div><h1>Happening now</h1>'
            f'<h2>Join today.</h2><a href="/i/flow/signup" role="link" class="{p.c("pill")}">Create account</a>'
            f'<h3>Already have an account?</h3><a href="/login" role="link" '
            f'class="{p.c("pill", "pill_light")}">{_text(p, "Sign in")}</a></div></main>')
    return document(p, "X. It’s what’s happening / X", body)


# ---------------------------------------------------------------- /account/access (needs a person)

def access_page(p: Page, *, stage: str, image: str = "", error: str = "") -> str:
    A = T.ACCESS
    alert = f'<div role="alert" class="{p.h("toast")}">{escape(error)}</div>' if error else ""
    if stage == "intro":
        inner = (f'<p>{escape(A["body"])}</p><form method="post" action="/account/access">'
                 f'<input type="hidden" name="step" value="start">'
                 f'<button type="submit" class="{p.c("pill")}">{escape(A["start"])}</button></form>')
    elif stage == "puzzle":
        field = p.id()
        inner = (f'{alert}<p>{escape(A["puzzle"])}</p><img alt="" src="{escape(image)}" width="220" height="70">'
                 f'<form method="post" action="/account/access"><input type="hidden" name="step" value="answer">'
                 f'<label class="{p.h("field")}" for="{field}"><span>{escape(A["answer_label"])}</span>'
                 f'<input id="{field}" name="answer" type="text" autocomplete="off"></label>'
                 f'<button type="submit" class="{p.c("pill")}">{escape(A["verify"])}</button></form>')
    else:
        inner = (f'<p role="status">{escape(A["done"])}</p>'
                 f'<a href="/home" role="link" class="{p.c("pill")}">{escape(A["continue"])}</a>')
    body = (f'<main role="main" class="{p.h("narrow")}">{LOGO}<h1 role="heading">{escape(A["title"])}</h1>'
            f"{inner}</main>")
    return document(p, "Account access / X", body)


# ---------------------------------------------------------------- errors

def error_page(p: Page) -> str:
    body = (f'<main role="main" class="{p.h("narrow")}"><div class="{p.h("oops")}">{_text(p, T.ERROR_PAGE)}'
            f'<button type="button" class="{p.c("pill")}" onclick="location.reload()">{_text(p, T.TRY_AGAIN)}'
            "</button></div></main>")
    return document(p, "X", body)


def not_found(p: Page, acct: dict[str, Any] | None) -> str:
    inner = (f'<div class="{p.h("oops")}">{_text(p, T.NOT_FOUND)}<a href="/explore" role="link" '
             f'class="{p.c("pill")}">{_text(p, T.SEARCH)}</a></div>')
    if acct is None:
        return document(p, "Page not found / X", f'<main role="main" class="{p.h("narrow")}">{inner}</main>')
    return app_frame(p, "Page not found", acct, inner)
