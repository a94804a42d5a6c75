"""HTML and scripts of the Substack replica's pages (shared/platforms/substack.md).

The real markup is not in the research, so this is the plain markup the md's "The replica" paragraph
names: each switch is a `button[role=switch][aria-checked]` labelled by its visible text
(aria-labelledby), the sign-in pages are ordinary labelled inputs. Ids are generated on every load,
class names and form-field names are hashed per replica instance: nothing a flow could hold on to
except roles, aria state, visible text and links.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from . import texts
from .texts import Section

PUB_PREFIX = "/pub"  # https://<sub>.substack.com/<path> is served at /pub/<sub>/<path>


def pub_path(sub: str, path: str = "/") -> str:
    return f"{PUB_PREFIX}/{sub}{path}"


def address(sub: str) -> str:
    """The publication's address as the page shows it (the real one, not the replica's path)."""
    return f"{sub}.substack.com"


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen("r", "")


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:16px/1.5 "SF Pro Display",-apple-system,system-ui,"Segoe UI",Roboto,sans-serif;color:#363737;
  background:#fff}}
a{{color:#ff6719}}
.{h("top")}{{display:flex;align-items:center;gap:20px;padding:12px 28px;border-bottom:1px solid #e6e6e6}}
.{h("logo")}{{font-weight:700;font-size:20px;color:#ff6719;text-decoration:none}}
.{h("nav")}{{display:flex;gap:16px;flex:1}}
.{h("nav")} a{{color:#363737;text-decoration:none}}
.{h("nav")} a[aria-current]{{font-weight:600}}
.{h("who")}{{color:#757575}}
.{h("layout")}{{display:flex;gap:32px;max-width:1080px;margin:28px auto;padding:0 20px}}
.{h("side")}{{width:200px;flex:none;display:flex;flex-direction:column;gap:8px}}
.{h("side")} a{{color:#363737;text-decoration:none;padding:4px 8px;border-radius:6px}}
.{h("side")} a[aria-current]{{background:#f2f2f2;font-weight:600}}
.{h("main")}{{flex:1;max-width:760px;margin:28px auto;padding:0 20px}}
.{h("section")}{{padding:20px 0;border-top:1px solid #e6e6e6}}
.{h("row")}{{display:flex;align-items:flex-start;justify-content:space-between;gap:24px;padding:12px 0}}
.{h("row_label")}{{font-weight:600}}
.{h("row_desc")}{{margin:4px 0 0;color:#757575;font-size:14px}}
.{h("switch")}{{flex:none;width:40px;height:22px;border-radius:11px;border:0;padding:2px;background:#c4c4c4;cursor:pointer}}
.{h("switch")}.{h("switch_on")}{{background:#ff6719}}
.{h("knob")}{{display:block;width:18px;height:18px;border-radius:50%;background:#fff;transition:transform .15s}}
.{h("switch_on")} .{h("knob")}{{transform:translateX(18px)}}
.{h("skeleton")}{{height:46px;border-radius:8px;background:#f0f0f0;margin:10px 0}}
.{h("toasts")}{{position:fixed;bottom:24px;left:50%;transform:translateX(-50%)}}
.{h("toast")}{{background:#363737;color:#fff;border-radius:8px;padding:10px 16px;margin-top:8px}}
.{h("pubs")}{{list-style:none;padding:0;margin:0}}
.{h("pub")}{{display:flex;align-items:center;gap:16px;padding:14px 0;border-bottom:1px solid #e6e6e6}}
.{h("pub_title")}{{font-weight:600;color:#363737;text-decoration:none}}
.{h("pub_addr")}{{color:#757575;font-size:14px;flex:1}}
.{h("more")}{{margin-top:16px;padding:8px 18px;border:1px solid #c4c4c4;border-radius:18px;background:#fff;
  cursor:pointer}}
.{h("auth")}{{width:400px;margin:64px auto;text-align:center}}
.{h("field")}{{margin-top:14px;text-align:left}}
.{h("field")} label{{display:block;font-weight:600;margin-bottom:4px}}
.{h("field")} input{{width:100%;height:44px;padding:0 12px;font-size:16px;border:1px solid #c4c4c4;border-radius:6px}}
.{h("primary")}{{display:block;width:100%;margin-top:18px;padding:12px;border:0;border-radius:8px;background:#ff6719;
  color:#fff;font-size:16px;font-weight:600;cursor:pointer}}
.{h("secondary")}{{display:block;width:100%;margin-top:10px;padding:10px;border:1px solid #c4c4c4;border-radius:8px;
  background:#fff;font-size:15px;cursor:pointer}}
.{h("error")}{{margin-top:14px;padding:10px 12px;border-radius:6px;background:#fdecea;color:#b3261e;text-align:left}}
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


def _links(p: Page, links: Sequence[tuple[str, str]], active: str, cls: str, label: str) -> str:
    current = ' aria-current="page"'
    items = "".join(f'<a href="{escape(href)}"{current if href == active else ""}>{escape(text)}</a>'
                    for text, href in links)
    return f'<nav class="{p.h(cls)}" aria-label="{label}">{items}</nav>'


# ---------------------------------------------------------------- substack.com (the reader side)

def header(p: Page, name: str, active: str) -> str:
    """substack.com's header for a signed-in member: logo, navigation, the member, "Sign out"."""
    nav = _links(p, [("Home", "/home"), ("Dashboard", "/dashboard"), ("Settings", "/settings")], active, "nav", "Main")
    return (f'<header class="{p.h("top")}"><a href="/home" class="{p.h("logo")}">Substack</a>{nav}'
            f'<span class="{p.h("who")}">{escape(name)}</span> <a href="/sign-out">Sign out</a></header>')


def shell(p: Page, title: str, top: str, main: str, scripts: str = "") -> str:
    return document(p, f"{title} | Substack", f'{top}<main class="{p.h("main")}">{main}</main>', scripts)


def landing(p: Page) -> str:
    body = (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Substack</a>'
            f'<span class="{p.h("nav")}"></span><a href="/sign-in">Sign in</a></header>'
            f'<main class="{p.h("main")}"><h1>A new economic engine for culture</h1>'
            '<p>Subscribe to the writers you love and start your own publication.</p></main>')
    return document(p, "Substack", body)


def home(p: Page, top: str, name: str) -> str:
    main = (f"<h1>Home</h1><p>Welcome back, {escape(name)}.</p>"
            "<p>Posts from the publications you subscribe to will show up here.</p>")
    return shell(p, "Home", top, main)


def account_settings(p: Page, top: str, name: str, email: str) -> str:
    main = (f'<h1>Settings</h1><section class="{p.h("section")}"><h2>Account</h2>'
            f"<dl><dt>Name</dt><dd>{escape(name)}</dd><dt>Email</dt><dd>{escape(email)}</dd></dl></section>"
            f'<section class="{p.h("section")}"><h2>Publications</h2>'
            '<p>The publications you run are on your <a href="/dashboard">dashboard</a>.</p></section>')
    return shell(p, "Settings", top, main)


def pub_row(p: Page, sub: str, title: str) -> str:
    """One publication of the dashboard's list (SHOW_MORE_JS builds the same row)."""
    return (f'<li class="{p.h("pub")}"><a class="{p.h("pub_title")}" href="{pub_path(sub, "/publish/home")}">'
            f'{escape(title)}</a><span class="{p.h("pub_addr")}">{escape(address(sub))}</span>'
            f'<a href="{pub_path(sub, "/publish/settings")}">Settings</a></li>')


# Appends the next batch of publications, fetched in the background, after a "Show more" click.
SHOW_MORE_JS = """(() => {
  const cfg = __CFG__;
  const list = document.querySelector('.' + cfg.cls.pubs);
  const button = document.querySelector('.' + cfg.cls.more);
  if (!list || !button) return;
  let offset = cfg.offset;
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    let data = null;
    try {
      const r = await fetch(cfg.api + '?offset=' + offset, {credentials: 'same-origin'});
      if (r.status === 401) { location.assign(cfg.signinUrl + encodeURIComponent(location.pathname)); return; }
      if (r.ok) data = await r.json();
    } catch (e) { data = null; }
    button.disabled = false;
    if (!data) return;
    for (const pub of data.publications) {
      list.append(el('li', {class: cfg.cls.pub},
        el('a', {class: cfg.cls.title, href: pub.dashboard_url}, pub.title),
        el('span', {class: cfg.cls.addr}, pub.address),
        el('a', {href: pub.settings_url}, 'Settings')));
    }
    offset += data.publications.length;
    if (!data.more) button.remove();
  });
})();"""


def dashboard(p: Page, top: str, pubs: Sequence[tuple[str, str]], *, more: bool, paging: str, page: int,
              offset: int, api: str) -> str:
    """The list of the member's publications, in batches: "Show more" (script) or page links."""
    if not pubs and page == 1:
        main = ("<h1>Dashboard</h1><h2>Your publications</h2>"
                "<p>You don't have a publication yet. Start writing to create one.</p>")
        return shell(p, "Dashboard", top, main)
    rows = "".join(pub_row(p, sub, title) for sub, title in pubs)
    parts = [f'<h1>Dashboard</h1><h2>Your publications</h2><ul class="{p.h("pubs")}">{rows}</ul>']
    scripts = ""
    if paging == "pages":
        links = []
        if page > 1:
            links.append(f'<a href="/dashboard?{urlencode({"page": page - 1})}">Previous page</a>')
        if more:
            links.append(f'<a href="/dashboard?{urlencode({"page": page + 1})}">Next page</a>')
        if links:
            parts.append(f'<nav aria-label="Pages">{" ".join(links)}</nav>')
    elif more:
        parts.append(f'<button type="button" class="{p.h("more")}">Show more</button>')
        h = p.h
        scripts = script(SHOW_MORE_JS, {"offset": offset, "api": api, "signinUrl": "/sign-in?redirect=",
                                        "cls": {"pubs": h("pubs"), "more": h("more"), "pub": h("pub"),
                                                "title": h("pub_title"), "addr": h("pub_addr")}})
    return shell(p, "Dashboard", top, "".join(parts), scripts)


# ---------------------------------------------------------------- <sub>.substack.com

def pub_shell(p: Page, sub: str, title: str, page_title: str, active: str, main: str, scripts: str = "") -> str:
    """A publication's dashboard chrome: its title, its own navigation and a way back to the list."""
    nav = _links(p, [("Home", pub_path(sub, "/publish/home")), ("Posts", pub_path(sub, "/publish/posts")),
                     ("Subscribers", pub_path(sub, "/publish/subscribers")),
                     ("Settings", pub_path(sub, "/publish/settings"))], active, "side",
                 "Publication")
    body = (f'<header class="{p.h("top")}"><a href="{pub_path(sub)}" class="{p.h("logo")}">{escape(title)}</a>'
            f'<span class="{p.h("nav")}"><a href="/dashboard">All publications</a></span>'
            f'<a href="/sign-out">Sign out</a></header>'
            f'<div class="{p.h("layout")}">{nav}<main class="{p.h("main")}">{main}</main></div>'
            f'<div class="{p.h("toasts")}" aria-live="polite"></div>')
    return document(p, f"{page_title} - {title}", body, scripts)


def pub_home(p: Page, sub: str, title: str) -> str:
    main = (f"<h1>{escape(title)}</h1><p>{escape(address(sub))}</p>"
            "<p>0 subscribers · 0 posts</p><p>Write your first post to get started.</p>")
    return pub_shell(p, sub, title, "Dashboard", pub_path(sub, "/publish/home"), main)


def pub_stub(p: Page, sub: str, title: str, heading: str, path: str, line: str) -> str:
    return pub_shell(p, sub, title, heading, pub_path(sub, path), f"<h1>{escape(heading)}</h1><p>{escape(line)}</p>")


def pub_public(p: Page, sub: str, title: str, owner: bool) -> str:
    """The publication's reader-facing home page."""
    dash = f'<a href="{pub_path(sub, "/publish/home")}">Dashboard</a>' if owner else ""
    body = (f'<header class="{p.h("top")}"><span class="{p.h("logo")}">{escape(title)}</span>'
            f'<span class="{p.h("nav")}"></span>{dash}</header>'
            f'<main class="{p.h("main")}"><h1>{escape(title)}</h1><p>{escape(address(sub))}</p>'
            f'<button type="button" class="{p.h("primary")}">Subscribe</button></main>')
    return document(p, title, body)


def switch_row(p: Page, sw: texts.Switch, value: bool) -> str:
    """A switch as SWITCH_JS builds it too: label and help text tied to it by generated ids."""
    label_id = p.id()
    desc_id = p.id() if sw.help else ""
    on = f' {p.h("switch_on")}' if value else ""
    desc = f'<p id="{desc_id}" class="{p.h("row_desc")}">{escape(sw.help)}</p>' if sw.help else ""
    described = f' aria-describedby="{desc_id}"' if desc_id else ""
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">'
            f'<span id="{label_id}" class="{p.h("row_label")}">{escape(sw.label)}</span>{desc}</div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{label_id}"{described} class="{p.h("switch")}{on}">'
            f'<span class="{p.h("knob")}" aria-hidden="true"></span></button></div>')


# Draws (late) or hydrates the settings page's switches. A click saves that switch at once by a
# background PUT with the page's CSRF token; the switch is disabled while it is in flight. A failed
# save puts it back and shows a role=alert toast; a 401 sends the visitor to sign in and back.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  const c = cfg.cls;
  const values = Object.assign({}, cfg.values);
  const busy = {};
  let seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return 'r' + seq; };
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  const slots = cfg.slots.map((s) => ({node: document.getElementById(s.id), items: s.items}));

  function build(item) {
    const labelId = freshId();
    const attrs = {type: 'button', role: 'switch', 'aria-checked': String(values[item.key]),
                   'aria-labelledby': labelId, class: c.switch};
    const text = el('div', {class: c.text}, el('span', {id: labelId, class: c.label}, item.label));
    if (item.help) {
      const descId = freshId();
      attrs['aria-describedby'] = descId;
      text.append(el('p', {id: descId, class: c.desc}, item.help));
    }
    return el('div', {class: c.row}, text, el('button', attrs, el('span', {class: c.knob, 'aria-hidden': 'true'})));
  }
  function paint() {
    for (const slot of slots) {
      slot.node.querySelectorAll('button[role="switch"]').forEach((sw, i) => {
        const key = slot.items[i].key;
        sw.setAttribute('aria-checked', String(values[key]));
        sw.classList.toggle(c.on, values[key]);
        sw.disabled = Boolean(busy[key]);
      });
    }
  }
  function mount() {
    for (const slot of slots) slot.node.replaceChildren(...slot.items.map(build));
    paint();
    if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
  }
  function rerender() {  // as a re-rendering framework does: equal nodes, not the same ones
    for (const slot of slots) {
      slot.node.querySelectorAll(':scope > div').forEach((row, i) => row.replaceWith(build(slot.items[i])));
    }
    paint();
  }
  function showError(message) {
    const box = document.querySelector('.' + c.toasts);
    const item = el('div', {role: 'alert', class: c.toast}, message);
    box.append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function change(key) {
    if (busy[key]) return;
    const before = values[key];
    values[key] = !before; busy[key] = true; paint();
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'PUT', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-csrf-token': cfg.csrf},
        body: JSON.stringify({[key]: values[key]})});
      status = r.status;
    } catch (e) { status = 0; }
    busy[key] = false;
    if (status === 401) { location.assign(cfg.signinUrl + encodeURIComponent(location.pathname)); return; }
    if (status < 200 || status >= 300) { values[key] = before; paint(); showError(cfg.error); return; }
    paint();
    if (cfg.replaceNode) rerender();
  }
  for (const slot of slots) {
    slot.node.addEventListener('click', (event) => {
      const sw = event.target.closest('button[role="switch"]');
      if (!sw) return;
      const index = Array.from(slot.node.querySelectorAll('button[role="switch"]')).indexOf(sw);
      if (index >= 0) change(slot.items[index].key);
    });
  }
  if (cfg.lateMs > 0) setTimeout(mount, cfg.lateMs);
  else if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
})();"""


def settings_page(p: Page, sub: str, title: str, *, sections: Sequence[Section], shown: Sequence[Section],
                  tabs: bool, active: str, values: dict[str, bool], available: bool, late_ms: int,
                  replace_node: bool, save_url: str, csrf: str) -> str:
    """The publication's settings: every section on one page (its nav jumps to them), or, with
    `tabs`, one section per page (its nav links to the others). `available=False`: no AI row."""
    settings = pub_path(sub, "/publish/settings")
    if tabs:
        nav = [(s.title, settings if i == 0 else f"{settings}/{s.slug}") for i, s in enumerate(sections)]
    else:
        nav = [(s.title, f"#{s.slug}") for s in sections]
    parts = [f'<h1>Settings</h1>{_links(p, nav, active, "nav", "Settings")}']
    slots: list[dict[str, object]] = []
    for section in shown:
        switches = [s for s in section.switches if available or s.key != texts.AI_KEY]
        inner = f"<p>{escape(section.text)}</p>" if section.text else ""
        if section is texts.BASICS:
            inner = (f"<dl><dt>Publication name</dt><dd>{escape(title)}</dd>"
                     f"<dt>Subdomain</dt><dd>{escape(address(sub))}</dd></dl>")
        if switches:
            slot = p.id()
            rows = "".join(switch_row(p, s, values[s.key]) for s in switches)
            if late_ms > 0:
                rows = f'<template>{rows}</template>' + f'<div class="{p.h("skeleton")}"></div>' * len(switches)
            inner += f'<div id="{slot}" class="{p.h("slot")}">{rows}</div>'
            slots.append({"id": slot, "items": [{"key": s.key, "label": s.label, "help": s.help} for s in switches]})
        anchor = "" if tabs else f' id="{section.slug}"'
        parts.append(f'<section{anchor} class="{p.h("section")}"><h2>{escape(section.title)}</h2>{inner}</section>')
    scripts = ""
    if slots:
        h = p.h
        cfg = {"slots": slots, "values": values, "lateMs": late_ms, "replaceNode": replace_node,
               "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100, "saveUrl": save_url, "csrf": csrf,
               "signinUrl": "/sign-in?redirect=", "error": texts.SAVE_ERROR,
               "cls": {"row": h("row"), "text": h("row_text"), "label": h("row_label"), "desc": h("row_desc"),
                       "switch": h("switch"), "on": h("switch_on"), "knob": h("knob"), "toast": h("toast"),
                       "toasts": h("toasts")}}
        scripts = script(SWITCH_JS, cfg)
    return pub_shell(p, sub, title, "Settings", settings, "".join(parts), scripts)


# ---------------------------------------------------------------- sign-in

def _field(p: Page, label: str, *, kind: str, name: str, autocomplete: str, value: str = "",
           autofocus: bool = False) -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" name="{name}" value="{escape(value)}" autocomplete="{autocomplete}"'
            f' required{" autofocus" if autofocus else ""}></div>')


def _hidden(fields: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items())


def _auth(p: Page, title: str, inner: str) -> str:
    body = (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}">Substack</a></header>'
            f'<main class="{p.h("auth")}"><h1>{escape(title)}</h1>{inner}</main>')
    return document(p, f"{title} | Substack", body)


def signin(p: Page, *, names: dict[str, str], target: str, for_pub: str, with_password: bool,
           offer_password_link: bool, email: str = "", error: str = "") -> str:
    """The sign-in page: the email alone ("Continue"), or email and password together."""
    heading = f"Sign in to {for_pub}" if for_pub else "Sign in to Substack"
    fields = _field(p, "Email", kind="email", name=names["email"], autocomplete="email", value=email,
                    autofocus=True)
    if with_password:
        fields += _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password")
    keep = {"redirect": target, **({"for_pub": for_pub} if for_pub else {})}
    switch = ""
    if offer_password_link:  # the other way of signing in, on a page of its own
        query = urlencode({**keep, **({} if with_password else {"with_password": "true"})})
        text = "Sign in with email link instead" if with_password else "Sign in with password"
        switch = f'<p><a href="/sign-in?{escape(query)}">{text}</a></p>'
    inner = (f'{error_box(p, error)}<form method="post" action="/sign-in">'
             f'{_hidden({names["target"]: target})}{fields}'
             f'<button type="submit" class="{p.h("primary")}">{"Sign in" if with_password else "Continue"}</button>'
             f'</form>{switch}<p>By continuing you agree to Substack\'s Terms of Use and Privacy Policy.</p>')
    return _auth(p, heading, inner)


def password_step(p: Page, *, names: dict[str, str], token: str, email: str, error: str = "") -> str:
    """Email first: the password of a member who has one, or a sign-in link instead."""
    field = _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                   autofocus=True)
    inner = (f'<p>{escape(email)} · <a href="/sign-in">Use a different email</a></p>{error_box(p, error)}'
             f'<form method="post" action="/sign-in/password">{_hidden({names["token"]: token})}{field}'
             f'<button type="submit" class="{p.h("primary")}">Sign in</button></form>'
             f'<form method="post" action="/sign-in/email-link">{_hidden({names["token"]: token})}'
             f'<button type="submit" class="{p.h("secondary")}">Email me a sign-in link instead</button></form>')
    return _auth(p, "Enter your password", inner)


def check_email(p: Page, *, names: dict[str, str], token: str, email: str) -> str:
    inner = (f'<p role="status">We sent a sign-in link to <strong>{escape(email)}</strong>. '
             'Click the link in that email to sign in.</p>'
             f'<form method="post" action="/sign-in/email-link">{_hidden({names["token"]: token})}'
             f'<button type="submit" class="{p.h("secondary")}">Resend email</button></form>'
             '<p><a href="/sign-in">Use a different email</a></p>')
    return _auth(p, "Check your email", inner)


def two_factor(p: Page, *, names: dict[str, str], token: str, error: str = "") -> str:
    fid = p.id()
    inner = (f'<p>Enter the 6-digit code from your authenticator app.</p>{error_box(p, error)}'
             f'<form method="post" action="/sign-in/two-factor">{_hidden({names["token"]: token})}'
             f'<div class="{p.h("field")}"><label for="{fid}">Authentication code</label>'
             f'<input id="{fid}" type="text" name="{names["code"]}" inputmode="numeric" maxlength="6"'
             ' autocomplete="one-time-code" required autofocus></div>'
             f'<button type="submit" class="{p.h("primary")}">Verify</button></form>')
    return _auth(p, "Two-factor authentication", inner)


def link_expired(p: Page) -> str:
    return _auth(p, "Sign in", f'{error_box(p, texts.LINK_EXPIRED)}<p><a href="/sign-in">Sign in again</a></p>')


def error_page(p: Page, title: str, body: str, retry: str = "") -> str:
    again = f'<p><a href="{escape(retry)}">Try again</a></p>' if retry else ""
    return _auth(p, title, f"<p>{escape(body)}</p>{again}")
