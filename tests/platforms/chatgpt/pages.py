"""HTML and scripts of the ChatGPT replica's pages.

chatgpt.md names no ids or test ids, so there are none here: React-style generated ids (`:r1234:`,
new on each load and again on each re-render), hashed class names, Radix-style attributes
(`data-state`, `data-radix-menu-content`, which chatgpt.md confirms for menus) and ordinary ARIA.
The settings dialog is a client-side portal: the server renders its parts into `<template>`s with
the current server-side values, and the page script mounts them when the profile menu, the hash
route or the path route asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from .texts import ACTIONS, IMPROVE_FEATURE, LEARN_MORE, NEIGHBOURS, TABS, T


class Page:
    """One rendering: the build's hashed classes and fresh React-style ids."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


def t(key: str, **fmt: str) -> Markup:
    return escape(T[key].format(**fmt) if fmt else T[key])


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


LOGO = ('<svg aria-hidden="true" width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="1.6"><circle cx="12" cy="12" r="9"/><path d="M12 3v18M3 12h18M6 6l12 12M18 6 6 18"/></svg>')
CLOSE_ICON = ('<svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
              'stroke-width="2"><path d="M6 6l12 12M18 6 6 18"/></svg>')


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:14px/1.5 ui-sans-serif,-apple-system,system-ui,"Segoe UI",Helvetica,Arial,sans-serif;
  color:#0d0d0d;background:#fff}}
button{{font:inherit;cursor:pointer}}
.{h("shell")}{{display:flex;min-height:100vh}}
.{h("sidebar")}{{width:260px;background:#f9f9f9;display:flex;flex-direction:column;padding:8px;gap:4px}}
.{h("side_link")}{{display:block;padding:8px 10px;border-radius:8px;color:#0d0d0d;text-decoration:none;
  background:none;border:0;text-align:left;width:100%}}
.{h("side_link")}:hover{{background:#ececec}}
.{h("history")}{{flex:1;overflow:auto;margin-top:12px}}
.{h("history")} h2{{font-size:12px;color:#8f8f8f;margin:8px 10px;font-weight:500}}
.{h("profile")}{{display:flex;align-items:center;gap:8px;padding:8px;border-radius:8px;border:0;background:none;
  width:100%;text-align:left}}
.{h("profile")}:hover{{background:#ececec}}
.{h("avatar")}{{width:28px;height:28px;border-radius:50%;background:#5b8def;color:#fff;display:grid;
  place-items:center;font-size:12px;font-weight:600}}
.{h("plan")}{{display:block;font-size:12px;color:#8f8f8f}}
.{h("main")}{{flex:1;display:flex;flex-direction:column}}
.{h("topbar")}{{display:flex;justify-content:space-between;align-items:center;padding:10px 16px}}
.{h("btn")}{{border-radius:999px;padding:8px 14px;border:1px solid #d9d9d9;background:#fff;color:#0d0d0d}}
.{h("btn_dark")}{{background:#0d0d0d;color:#fff;border-color:#0d0d0d}}
.{h("btn_danger")}{{background:#e02e2a;color:#fff;border-color:#e02e2a}}
.{h("center")}{{flex:1;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:16px}}
.{h("composer")}{{width:min(760px,90%);display:flex;gap:8px;border:1px solid #d9d9d9;border-radius:28px;
  padding:10px 16px}}
.{h("composer")} textarea{{flex:1;border:0;resize:none;font:inherit;outline:none}}
.{h("menu_wrap")}{{position:fixed;left:8px;bottom:64px;z-index:40}}
.{h("menu")}{{min-width:240px;background:#fff;border-radius:16px;padding:6px;box-shadow:0 8px 30px rgba(0,0,0,.18)}}
.{h("menu_item")}{{padding:8px 12px;border-radius:10px;outline:none}}
.{h("menu_item")}:hover,.{h("menu_item")}:focus{{background:#f3f3f3}}
.{h("menu_label")}{{padding:8px 12px;color:#8f8f8f;font-size:13px}}
.{h("overlay")}{{position:fixed;inset:0;background:rgba(0,0,0,.45);display:grid;place-items:center;z-index:50}}
.{h("dialog")}{{width:min(680px,94vw);min-height:460px;background:#fff;border-radius:16px;
  box-shadow:0 10px 40px rgba(0,0,0,.3);display:flex;flex-direction:column}}
.{h("dialog_head")}{{display:flex;justify-content:space-between;align-items:center;padding:16px 20px;
  border-bottom:1px solid #ececec}}
.{h("dialog_head")} h2{{margin:0;font-size:18px;font-weight:600}}
.{h("icon_btn")}{{border:0;background:none;padding:6px;border-radius:8px}}
.{h("dialog_body")}{{display:flex;flex:1}}
.{h("tablist")}{{display:flex;flex-direction:column;gap:2px;padding:12px;width:190px}}
.{h("tab")}{{border:0;background:none;text-align:left;padding:8px 10px;border-radius:8px;color:#0d0d0d}}
.{h("tab")}[data-state=active]{{background:#ececec;font-weight:500}}
.{h("tabpanel")}{{flex:1;padding:8px 20px 20px;outline:none}}
.{h("row")}{{display:flex;justify-content:space-between;align-items:center;gap:16px;padding:12px 0;
  border-bottom:1px solid #ececec}}
.{h("row_text")}{{flex:1}}
.{h("desc")}{{color:#5d5d5d;font-size:13px;margin-top:4px}}
.{h("switch")}{{width:40px;height:24px;border-radius:999px;border:0;background:#d9d9d9;position:relative;
  padding:0;flex:none;transition:background .15s}}
.{h("switch")}[data-state=checked]{{background:#0d0d0d}}
.{h("switch")}:disabled{{opacity:.6;cursor:default}}
.{h("thumb")}{{position:absolute;top:2px;left:2px;width:20px;height:20px;border-radius:50%;background:#fff;
  transition:left .15s;display:block}}
.{h("thumb")}[data-state=checked]{{left:18px}}
.{h("skeleton")}{{height:40px;margin:12px 0;border-radius:8px;background:linear-gradient(90deg,#eee,#f6f6f6,#eee)}}
.{h("toasts")}{{position:fixed;top:16px;left:50%;transform:translateX(-50%);z-index:70;display:grid;gap:8px}}
.{h("toast")}{{background:#e02e2a;color:#fff;border-radius:12px;padding:10px 16px}}
.{h("confirm")}{{width:min(420px,92vw);background:#fff;border-radius:16px;padding:20px;display:grid;gap:16px}}
.{h("confirm_btns")}{{display:flex;justify-content:flex-end;gap:8px}}
.{h("auth")}{{width:min(360px,92vw);margin:56px auto;display:flex;flex-direction:column;gap:14px}}
.{h("auth")} h1{{text-align:center;font-size:30px;margin:24px 0 8px}}
.{h("field")}{{display:flex;flex-direction:column;gap:4px}}
.{h("field")} input{{height:52px;border:1px solid #c2c8d0;border-radius:6px;padding:0 14px;font-size:16px}}
.{h("field")} input[aria-invalid=true]{{border-color:#d00e17}}
.{h("err")}{{color:#d00e17;font-size:13px}}
.{h("status")}{{color:#10a37f;font-size:13px}}
.{h("primary")}{{height:52px;border:0;border-radius:6px;background:#10a37f;color:#fff;font-size:16px}}
.{h("primary")}:disabled{{opacity:.6}}
.{h("provider")}{{height:52px;border:1px solid #c2c8d0;border-radius:6px;background:#fff;text-align:left;
  padding:0 16px}}
.{h("divider")}{{text-align:center;color:#6e6e80;font-size:12px}}
.{h("email_box")}{{display:flex;justify-content:space-between;border:1px solid #c2c8d0;border-radius:6px;
  padding:14px}}
.{h("small")}{{text-align:center;font-size:14px}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en-US" class="light" style="color-scheme: light;">\n<head>'
            f'<meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n{body}\n{scripts}\n</body></html>")


# ---------------------------------------------------------------- the settings dialog's parts


@dataclass(frozen=True)
class Improve:
    """How Data controls shows "Improve the model for everyone" to this browser."""

    shown: bool  # false: a workspace plan (then `note`) or a member the platform does not offer it to
    label: str
    description: str
    note: str = ""


def switch(p: Page, label_id: str, desc_id: str | None, on: bool) -> str:
    """Radix's Switch: a button with role=switch, aria-checked and data-state, named by aria-labelledby."""
    state = "checked" if on else "unchecked"
    described = f' aria-describedby="{desc_id}"' if desc_id else ""
    return (f'<button type="button" role="switch" aria-checked="{"true" if on else "false"}" data-state="{state}" '
            f'value="on" aria-labelledby="{label_id}"{described} class="{p.h("switch")} {p.h("switch2")}">'
            f'<span data-state="{state}" class="{p.h("thumb")}"></span></button>')


def switch_row(p: Page, label: str, on: bool, description: str = "", learn_more: bool = False) -> str:
    label_id, desc_id = p.id(), p.id() if description else None
    desc = ""
    if description:
        more = (f' <a href="https://help.openai.com/en/articles/5722486" target="_blank" rel="noreferrer" '
                f'class="{p.h("link")}">{escape(LEARN_MORE)}</a>'
                if learn_more else "")
        desc = f'<div id="{desc_id}" class="{p.h("desc")}">{escape(description)}{more}</div>'
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}"><div id="{label_id}">{escape(label)}</div>'
            f'{desc}</div>{switch(p, label_id, desc_id, on)}</div>')


def button_row(p: Page, label: str, button: str, danger: bool = False) -> str:
    cls = f'{p.h("btn")} {p.h("btn_danger")}' if danger else p.h("btn")
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">{escape(label)}</div>'
            f'<button type="button" class="{cls}">{escape(button)}</button></div>')


def text_row(p: Page, label: str, value: str) -> str:
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">{escape(label)}</div>'
            f'<div class="{p.h("desc")}">{escape(value)}</div></div>')


@dataclass(frozen=True)
class Panel:
    """A tab's content as a template, and the switch features and action buttons in it, in order."""

    html: str
    features: tuple[str, ...]
    actions: tuple[str, ...]


def panels(p: Page, *, member: dict[str, str] | None, improve: Improve, values: dict[str, bool]) -> dict[str, Panel]:
    """Each tab's panel. `member` (name, email, plan, mfa) is None for a signed-out browser, whose
    dialog has General and Data controls only, with the switch alone in Data controls."""
    out: dict[str, Panel] = {}
    wrap = f'<div class="{p.h("panel")}">{{}}</div>'
    out["general"] = Panel(wrap.format(text_row(p, T["theme"], T["theme_value"])
                                       + text_row(p, T["language"], T["language_value"])), (), ())
    rows, features, actions = [], [], []
    if improve.shown:
        rows.append(switch_row(p, improve.label, values[IMPROVE_FEATURE], improve.description, learn_more=True))
        features.append(IMPROVE_FEATURE)
    elif improve.note:
        rows.append(f'<div class="{p.h("row")}"><div class="{p.h("desc")}">{escape(improve.note)}</div></div>')
    if member is not None:
        for feature, (tab, label, _default) in NEIGHBOURS.items():
            if tab == "data-controls":
                rows.append(switch_row(p, label, values[feature]))
                features.append(feature)
        rows.append(button_row(p, T["shared_links"], T["manage"]))
        rows.append(button_row(p, T["archived_chats"], T["manage"]))
        for action, (label, button, _q, _ok) in ACTIONS.items():
            rows.append(button_row(p, label, button, danger=action == "delete_all"))
            actions.append(action)
    out["data-controls"] = Panel(wrap.format("".join(rows)), tuple(features), tuple(actions))
    if member is None:
        return out
    personal = [(f, label) for f, (tab, label, _d) in NEIGHBOURS.items() if tab == "personalization"]
    out["personalization"] = Panel(wrap.format("".join(switch_row(p, label, values[f]) for f, label in personal)),
                                   tuple(f for f, _ in personal), ())
    out["security"] = Panel(wrap.format(text_row(p, T["mfa"], member["mfa"])
                                        + button_row(p, T["log_out_all"], T["log_out"])), (), ())
    out["account"] = Panel(wrap.format(text_row(p, member["name"], member["email"])
                                       + text_row(p, T["account_plan"], member["plan"])), (), ())
    return out


def dialog_frame(p: Page, tabs: list[tuple[str, str, str]]) -> str:
    """Radix's Dialog with vertical Tabs; the tab panel is filled by script."""
    title = f"radix-{p.id()}"
    buttons = "".join(
        f'<button type="button" role="tab" id="radix-{p.id()}-trigger-{slug}" aria-selected="false" '
        f'data-state="inactive" data-orientation="vertical" tabindex="-1" class="{p.h("tab")}">{escape(name)}</button>'
        for slug, _hash, name in tabs)
    return (f'<div class="{p.h("overlay")}" data-state="open">'
            f'<div role="dialog" aria-modal="true" aria-labelledby="{title}" data-state="open" tabindex="-1" '
            f'class="{p.h("dialog")}">'
            f'<header class="{p.h("dialog_head")}"><h2 id="{title}">{t("settings")}</h2>'
            f'<button type="button" aria-label="{t("close")}" class="{p.h("icon_btn")}">{CLOSE_ICON}</button></header>'
            f'<div class="{p.h("dialog_body")}">'
            f'<div role="tablist" aria-orientation="vertical" class="{p.h("tablist")}">{buttons}</div>'
            f'<div role="tabpanel" tabindex="0" data-orientation="vertical" class="{p.h("tabpanel")}"></div>'
            "</div></div></div>")


def profile_menu(p: Page, email: str, button_id: str) -> str:
    """Radix's DropdownMenu content (chatgpt.md: `[data-radix-menu-content]` is confirmed in the app)."""
    items = "".join(f'<div role="menuitem" tabindex="-1" data-orientation="vertical" class="{p.h("menu_item")}">'
                    f"{t(key)}</div>" for key in ("upgrade", "customize", "settings", "help", "log_out"))
    return (f'<div data-radix-popper-content-wrapper="" class="{p.h("menu_wrap")}">'
            f'<div role="menu" aria-orientation="vertical" data-state="open" data-side="top" data-align="start" '
            f'data-radix-menu-content="" dir="ltr" id="radix-{p.id()}" aria-labelledby="{button_id}" tabindex="-1" '
            f'data-orientation="vertical" class="{p.h("menu")}">'
            f'<div class="{p.h("menu_label")}">{escape(email)}</div>{items}</div></div>')


MENU_ACTIONS = ("upgrade", "customize", "settings", "help", "log_out")  # the menu items, in order


# ---------------------------------------------------------------- the app page

APP_JS = """(() => {
  const cfg = __CFG__;
  const tabs = cfg.tabs;  // [[slug, hashName, visible name], ...]
  const values = cfg.values, busy = {};
  let seq = cfg.seed, dialog = null, active = null, mounts = 0, menu = null, token = null;
  const featureOf = new WeakMap(), actionOf = new WeakMap();

  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq.toString(32) + ':'; };
  function fromTemplate(id) {  // a new node with new ids, as a re-rendering framework gives
    const ids = new Map(), box = document.createElement('div');
    box.innerHTML = document.getElementById(id).innerHTML.replace(/:r[0-9a-v]+:/g, (old) => {
      if (!ids.has(old)) ids.set(old, freshId()); return ids.get(old); });
    return box.firstElementChild;
  }
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };

  // ---- the switches: painted from `values`, saved at once by a background request
  function paint() {
    document.querySelectorAll('button[role="switch"]').forEach((sw) => {
      const f = featureOf.get(sw); if (!f) return;
      const state = values[f] ? 'checked' : 'unchecked';
      sw.setAttribute('aria-checked', String(!!values[f]));
      sw.setAttribute('data-state', state);
      sw.querySelectorAll('span').forEach((s) => s.setAttribute('data-state', state));
      sw.disabled = !!busy[f];
      if (busy[f]) sw.setAttribute('data-disabled', ''); else sw.removeAttribute('data-disabled');
    });
  }
  function session() {  // the access token for backend requests, as the app gets it
    if (!token) token = fetch(cfg.sessionUrl, {credentials: 'same-origin'})
      .then((r) => r.json()).then((s) => s.accessToken || '').catch(() => '');
    return token;
  }
  function deviceId() { const m = document.cookie.match(/(?:^|;\\s*)oai-did=([^;]+)/); return m ? m[1] : ''; }
  async function headers() {
    const h = {'content-type': 'application/json', 'oai-device-id': deviceId()};
    if (cfg.member) { const tok = await session(); if (tok) h.authorization = 'Bearer ' + tok; }
    return h;
  }
  function toLogin() {
    location.assign(cfg.loginUrl + encodeURIComponent(location.pathname + location.search + location.hash));
  }
  function toast(message) {
    const item = el('div', {role: 'alert', class: cfg.cls.toast}, message);
    document.getElementById(cfg.toasts).append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function toggle(f) {
    if (busy[f]) return;
    const before = !!values[f], next = !before;
    values[f] = next; busy[f] = true; paint();
    let status = 0;
    try {
      const query = new URLSearchParams({feature: f, value: String(next)});
      const r = await fetch(cfg.saveUrl + '?' + query, {method: 'PATCH', credentials: 'same-origin',
                                                        headers: await headers()});
      status = r.status;
    } catch (e) { status = 0; }
    busy[f] = false;
    if (status === 401) { toLogin(); return; }
    if (status < 200 || status >= 300) { values[f] = before; paint(); toast(cfg.text.error); return; }
    paint();
    if (cfg.replaceNode) rerender();
  }

  // ---- the settings dialog (a portal, mounted on demand) and its routes
  function route(slug) {
    const hashName = tabs.find((x) => x[0] === slug)[1];
    const url = cfg.pathRoute ? '/settings/' + slug : '/#settings/' + hashName;
    if (location.pathname + location.hash !== url) history.replaceState(null, '', url);
  }
  function panelNode(slug) {
    const spec = cfg.panels[slug], node = fromTemplate(spec.template);
    node.querySelectorAll('button[role="switch"]').forEach((sw, i) => featureOf.set(sw, spec.features[i]));
    const buttons = [...node.querySelectorAll('button:not([role])')];
    spec.actions.forEach((a, i) => { const b = buttons[buttons.length - spec.actions.length + i];
      if (b) actionOf.set(b, a); });
    return node;
  }
  function mountPanel(holder, slug) {
    holder.replaceChildren(panelNode(slug));
    holder.removeAttribute('aria-busy');
    paint();
    if (cfg.replaceNode && slug === 'data-controls') setTimeout(rerender, 500);
  }
  function rerender() {  // the switch's row is replaced by an equal new node
    if (!dialog || active !== 'data-controls') return;
    const holder = dialog.querySelector('[role="tabpanel"]');
    if (holder.firstElementChild && !holder.hasAttribute('aria-busy')) {
      holder.firstElementChild.replaceWith(panelNode('data-controls')); paint(); }
  }
  function show(slug) {
    active = slug;
    const tabButtons = [...dialog.querySelectorAll('[role="tab"]')];
    let current = null;
    tabButtons.forEach((b, i) => { const on = tabs[i][0] === slug; if (on) current = b;
      b.setAttribute('aria-selected', String(on)); b.setAttribute('data-state', on ? 'active' : 'inactive');
      b.tabIndex = on ? 0 : -1; });
    const holder = dialog.querySelector('[role="tabpanel"]');
    holder.setAttribute('aria-labelledby', current.id);
    const mine = ++mounts;
    if (slug === 'data-controls' && cfg.lateMs > 0) {
      holder.replaceChildren(el('div', {class: cfg.cls.skeleton}), el('div', {class: cfg.cls.skeleton}));
      holder.setAttribute('aria-busy', 'true');
      setTimeout(() => { if (mine === mounts && dialog) mountPanel(holder, slug); }, cfg.lateMs);
    } else mountPanel(holder, slug);
    route(slug);
  }
  function openDialog(slug) {
    closeMenu();
    if (!dialog) {
      dialog = fromTemplate(cfg.dialog);
      document.body.append(dialog);
      dialog.querySelectorAll('[role="tab"]').forEach((b, i) => b.addEventListener('click', () => show(tabs[i][0])));
      dialog.querySelector('header button').addEventListener('click', closeDialog);
      dialog.addEventListener('click', (ev) => { if (ev.target === dialog) closeDialog(); });
    }
    show(tabs.some((x) => x[0] === slug) ? slug : tabs[0][0]);
    dialog.querySelector('[role="dialog"]').focus();
  }
  function closeDialog() {
    if (!dialog) return;
    dialog.remove(); dialog = null; active = null; mounts++;
    history.replaceState(null, '', '/');
  }
  function fromHash() {
    const m = location.hash.match(/^#settings(?:\\/([A-Za-z]+))?$/);
    if (!m) return null;
    const found = tabs.find((x) => x[1].toLowerCase() === (m[1] || '').toLowerCase());
    return found ? found[0] : tabs[0][0];
  }
  window.addEventListener('hashchange', () => { const slug = fromHash(); if (slug) openDialog(slug); });

  // ---- dangerous actions ask first
  function confirmAction(action) {
    const spec = cfg.actions[action];
    const title = freshId();
    const cancel = el('button', {type: 'button', class: cfg.cls.btn}, cfg.text.cancel);
    const ok = el('button', {type: 'button', class: cfg.cls.btn + ' ' + cfg.cls.danger}, spec[3]);
    const box = el('div', {class: cfg.cls.overlay},
      el('div', {role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': title, class: cfg.cls.confirm},
        el('h2', {id: title}, spec[2]), el('div', {class: cfg.cls.confirmBtns}, cancel, ok)));
    document.body.append(box);
    cancel.addEventListener('click', () => box.remove());
    ok.addEventListener('click', async () => {
      ok.disabled = true;
      let status = 0;
      try { status = (await fetch(cfg.actionUrl + action, {method: 'POST', credentials: 'same-origin',
                                                           headers: await headers()})).status; }
      catch (e) { status = 0; }
      box.remove();
      if (status === 401) toLogin(); else if (status < 200 || status >= 300) toast(cfg.text.error);
    });
  }

  document.addEventListener('click', (ev) => {
    const sw = ev.target.closest('button[role="switch"]');
    if (sw && featureOf.has(sw)) { toggle(featureOf.get(sw)); return; }
    const b = ev.target.closest('button');
    if (b && actionOf.has(b)) confirmAction(actionOf.get(b));
  });

  // ---- the profile menu (signed in) or the guest's buttons
  const menuButton = cfg.menuButton && document.getElementById(cfg.menuButton);
  function closeMenu() {
    if (!menu) return;
    menu.remove(); menu = null;
    menuButton.setAttribute('aria-expanded', 'false'); menuButton.setAttribute('data-state', 'closed');
  }
  function openMenu() {
    menu = fromTemplate(cfg.menu);
    const list = menu.querySelector('[role="menu"]');
    list.setAttribute('aria-labelledby', menuButton.id);
    document.body.append(menu);
    menuButton.setAttribute('aria-expanded', 'true'); menuButton.setAttribute('data-state', 'open');
    const items = [...menu.querySelectorAll('[role="menuitem"]')];
    items.forEach((item, i) => {
      const act = () => {
        const what = cfg.menuActions[i];
        if (what === 'settings') openDialog(tabs[0][0]);
        else if (what === 'log_out') location.assign(cfg.logoutUrl);
        else closeMenu();
      };
      item.addEventListener('click', act);
      item.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); act(); }
        if (ev.key === 'ArrowDown') { ev.preventDefault(); (items[i + 1] || items[0]).focus(); }
        if (ev.key === 'ArrowUp') { ev.preventDefault(); (items[i - 1] || items[items.length - 1]).focus(); }
      });
    });
    list.focus();
  }
  if (menuButton) {
    menuButton.addEventListener('click', (ev) => { ev.stopPropagation(); if (menu) closeMenu(); else openMenu(); });
    document.addEventListener('click', (ev) => { if (menu && !menu.contains(ev.target)) closeMenu(); });
  }
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    if (menu) { closeMenu(); menuButton.focus(); } else if (dialog) closeDialog();
  });
  (cfg.settingsButtons || []).forEach((id) => document.getElementById(id)
    .addEventListener('click', () => openDialog(tabs[0][0])));
  (cfg.loginButtons || []).forEach((id) => document.getElementById(id)
    .addEventListener('click', () => location.assign(cfg.loginUrl + encodeURIComponent('/'))));

  const start = cfg.openTab || fromHash();
  if (start) openDialog(start);
})();"""


def app_page(p: Page, *, member: dict[str, str] | None, improve: Improve, values: dict[str, bool],
             open_tab: str | None, path_route: bool, late_ms: int, replace_node: bool) -> str:
    """chatgpt.com's app: the chat shell, the profile menu (signed in) or Log in / Sign up (signed
    out), and the settings dialog's templates. `open_tab`: the path route's tab, opened at load."""
    h = p.h
    tabs = [tab for tab in TABS if member is not None or tab[0] in ("general", "data-controls")]
    parts = panels(p, member=member, improve=improve, values=values)
    templates, panel_cfg = [], {}
    for slug, panel in parts.items():
        tid = p.id()
        templates.append(f'<template id="{tid}">{panel.html}</template>')
        panel_cfg[slug] = {"template": tid, "features": list(panel.features), "actions": list(panel.actions)}
    dialog_id = p.id()
    templates.append(f'<template id="{dialog_id}">{dialog_frame(p, tabs)}</template>')
    toasts = p.id()
    cfg: dict[str, object] = {
        "tabs": [list(tab) for tab in tabs], "values": values, "panels": panel_cfg, "dialog": dialog_id,
        "openTab": open_tab, "pathRoute": path_route and member is not None, "member": member is not None,
        "lateMs": late_ms, "replaceNode": replace_node, "seed": int(random_digits(4)) + 100,
        "saveUrl": "/backend-api/settings/account_user_setting" if member else
                   "/backend-anon/settings/account_user_setting",
        "actionUrl": "/backend-api/data-controls/", "sessionUrl": "/api/auth/session",
        "loginUrl": "/auth/login?next=", "logoutUrl": "/auth/logout", "toasts": toasts,
        "actions": {k: list(v) for k, v in ACTIONS.items()},
        "text": {"error": T["save_error"], "cancel": T["cancel"]},
        "cls": {"toast": h("toast"), "skeleton": h("skeleton"), "overlay": h("overlay"), "confirm": h("confirm"),
                "confirmBtns": h("confirm_btns"), "btn": h("btn"), "danger": h("btn_danger")},
    }
    history = ("Weekend trip ideas", "Fix my Python loop", "Sourdough starter schedule")
    chats = "".join(f'<a href="/c/{random_digits(8)}" class="{h("side_link")}">{escape(c)}</a>' for c in history)
    if member is not None:
        button_id = f"radix-{p.id()}"
        menu_id = p.id()
        templates.append(f'<template id="{menu_id}">{profile_menu(p, member["email"], button_id)}</template>')
        initials = "".join(w[0] for w in member["name"].split()[:2]).upper() or "U"
        bottom = (f'<button type="button" id="{button_id}" aria-label="{t("profile_menu")}" aria-haspopup="menu" '
                  f'aria-expanded="false" data-state="closed" class="{h("profile")}">'
                  f'<span class="{h("avatar")}" aria-hidden="true">{escape(initials)}</span>'
                  f'<span><span>{escape(member["name"])}</span><span class="{h("plan")}">'
                  f'{escape(member["plan"])}</span></span></button>')
        top_right = ""
        side = f'<div class="{h("history")}"><h2>Chats</h2>{chats}</div>'
        cfg.update(menuButton=button_id, menu=menu_id, menuActions=list(MENU_ACTIONS))
        heading = "What can I help with?"
    else:
        settings_id, login_id, login2_id = p.id(), p.id(), p.id()
        bottom = (f'<button type="button" id="{settings_id}" class="{h("side_link")}">{t("settings")}</button>'
                  f'<p class="{h("desc")}">{t("guest_prompt")}</p>'
                  f'<button type="button" id="{login2_id}" class="{h("btn")}">{t("log_in")}</button>')
        top_right = (f'<div><button type="button" id="{login_id}" class="{h("btn")} {h("btn_dark")}">{t("log_in")}'
                     f'</button> <a href="/auth/login?screen_hint=signup" class="{h("btn")}">{t("sign_up")}</a></div>')
        side = f'<div class="{h("history")}"></div>'
        cfg.update(settingsButtons=[settings_id], loginButtons=[login_id, login2_id])
        heading = "What can I help with?"
    body = f"""<div class="{h('shell')}">
<nav aria-label="Chat history" class="{h('sidebar')}">
 <a href="/" class="{h('side_link')}">{t('new_chat')}</a>
 <button type="button" class="{h('side_link')}">{t('search_chats')}</button>
 {side}
 <div>{bottom}</div>
</nav>
<main class="{h('main')}">
 <div class="{h('topbar')}"><span>{LOGO} ChatGPT</span>{top_right}</div>
 <div class="{h('center')}">
  <h1>{heading}</h1>
  <form class="{h('composer')}" onsubmit="return false"><textarea rows="1" aria-label="{t('composer')}"
    placeholder="{t('composer')}"></textarea><button type="submit" aria-label="{t('send')}"
    class="{h('btn')} {h('btn_dark')}">↑</button></form>
 </div>
</main>
</div>
<div id="{toasts}" class="{h('toasts')}" aria-live="polite"></div>
{''.join(templates)}"""
    return document(p, T["app_title"], body, script(APP_JS, cfg))


def not_found(p: Page) -> str:
    body = (f'<main class="{p.h("auth")}"><h1>{t("not_found_title")}</h1><p class="{p.h("small")}">'
            f'{t("not_found_body")}</p><a href="/" class="{p.h("small")}">ChatGPT</a></main>')
    return document(p, T["not_found_title"], body)


def unavailable(p: Page) -> str:
    body = (f'<main class="{p.h("auth")}"><h1>{t("unavailable_title")}</h1><p class="{p.h("small")}">'
            f'{t("unavailable_body")}</p></main>')
    return document(p, T["unavailable_title"], body)


# ---------------------------------------------------------------- the auth pages (auth.openai.com's paths)

AUTH_JS = """(() => {
  const cfg = __CFG__;
  const form = document.getElementById(cfg.form), input = document.getElementById(cfg.input);
  const err = document.getElementById(cfg.error), status = cfg.status && document.getElementById(cfg.status);
  const submit = form.querySelector('button[type="submit"]');
  const say = (msg) => { err.textContent = msg; err.hidden = !msg;
    input.setAttribute('aria-invalid', msg ? 'true' : 'false'); };
  let sending = false;
  async function post(url, body) {
    try {
      const r = await fetch(url, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', accept: 'application/json'}, body: JSON.stringify(body)});
      return {ok: r.ok, body: await r.json().catch(() => ({}))};
    } catch (e) { return {ok: false, body: {}}; }
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (sending) return;
    const value = cfg.trim ? input.value.trim() : input.value;
    if (!value) { say(cfg.text.empty); return; }
    sending = true; submit.disabled = true; say('');
    const answer = await post(cfg.api, {[cfg.key]: value});
    if (answer.ok && answer.body.continue_url) { location.assign(answer.body.continue_url); return; }
    sending = false; submit.disabled = false;
    say((answer.body.error && answer.body.error.message) || cfg.text.generic);
  });
  (cfg.providers || []).forEach((id) => document.getElementById(id)
    .addEventListener('click', () => say(cfg.text.provider)));
  if (cfg.resend) document.getElementById(cfg.resend).addEventListener('click', async () => {
    const answer = await post(cfg.resendApi, {});
    if (answer.ok) { say(''); status.textContent = cfg.text.resent; }
    else say((answer.body.error && answer.body.error.message) || cfg.text.generic);
  });
})();"""


def auth_page(p: Page, *, step: str, email: str = "", error: str = "") -> str:
    """One step of the sign-in (`email`, `password`, `email_code`, `mfa`): one labelled input with a
    generated id and no name, a "Continue" button; the script posts JSON and follows `continue_url`."""
    h = p.h
    form_id, input_id, error_id, status_id = p.id(), p.id(), p.id(), p.id()
    cfg: dict[str, object] = {"form": form_id, "input": input_id, "error": error_id, "trim": step != "password",
                              "text": {"generic": T["save_error"], "provider": T["err_provider"],
                                       "resent": T["resent"]}}
    extra_top = extra_bottom = ""
    if step == "email":
        heading, label = T["welcome_back"], T["email"]
        field = f'type="email" autocomplete="email" value="{escape(email)}" autofocus'
        cfg.update(api="/api/accounts/authorize/continue", key="email")
        cfg["text"]["empty"] = T["err_email"]  # type: ignore[index]
        providers = [p.id() for _ in range(3)]
        cfg["providers"] = providers
        extra_bottom = (f'<p class="{h("small")}">{t("no_account")} <a href="/create-account">Sign up</a></p>'
                        f'<div class="{h("divider")}">{t("or")}</div>'
                        + "".join(f'<button type="button" id="{pid}" class="{h("provider")}">{t(key)}</button>'
                                  for pid, key in zip(providers, ("google", "microsoft", "apple"), strict=True)))
    elif step == "password":
        heading, label = T["enter_password"], T["password"]
        field = 'type="password" autocomplete="current-password" autofocus'
        cfg.update(api="/api/accounts/password/verify", key="password")
        cfg["text"]["empty"] = T["err_password"]  # type: ignore[index]
        extra_top = (f'<div class="{h("email_box")}"><span>{escape(email)}</span>'
                     f'<a href="/log-in">{t("edit")}</a></div>')
        extra_bottom = f'<p class="{h("small")}"><a href="/reset-password">{t("forgot")}</a></p>'
    elif step == "email_code":
        heading, label = T["check_inbox"], T["code"]
        field = 'type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" autofocus'
        cfg.update(api="/api/accounts/email-otp/validate", key="code", resendApi="/api/accounts/email-otp/resend",
                   status=status_id)
        cfg["text"]["empty"] = T["err_code"]  # type: ignore[index]
        resend = p.id()
        cfg["resend"] = resend
        extra_top = f'<p class="{h("small")}">{t("code_sent", email=email)}</p>'
        extra_bottom = (f'<button type="button" id="{resend}" class="{h("provider")}">{t("resend")}</button>'
                        f'<p id="{status_id}" role="status" class="{h("status")}"></p>')
    elif step == "mfa":
        heading, label = T["mfa_title"], T["code"]
        field = 'type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" autofocus'
        cfg.update(api="/api/accounts/mfa/verify", key="code")
        cfg["text"]["empty"] = T["err_code"]  # type: ignore[index]
        extra_top = f'<p class="{h("small")}">{t("mfa_body")}</p>'
    else:
        raise ValueError(step)
    hidden = "" if error else " hidden"
    invalid = "true" if error else "false"
    body = f"""<main class="{h('auth')}">
 <div class="{h('small')}">{LOGO}</div>
 <h1>{escape(heading)}</h1>
 {extra_top}
 <form id="{form_id}" method="post" novalidate>
  <div class="{h('field')}"><label for="{input_id}">{escape(label)}</label>
   <input id="{input_id}" {field} required aria-invalid="{invalid}" aria-describedby="{error_id}"></div>
  <div id="{error_id}" role="alert" class="{h('err')}"{hidden}>{escape(error)}</div>
  <button type="submit" class="{h('primary')}">{t('continue')}</button>
 </form>
 {extra_bottom}
</main>"""
    return document(p, T["auth_title"], body, script(AUTH_JS, cfg))
