"""HTML and scripts of the Tumblr replica's pages (shared/platforms/tumblr.md).

The real markup is not in the research, so this is the plain markup the md's "The replica" paragraph
names: every switch is a `button[role=switch][aria-checked]` labelled by its visible text
(aria-labelledby), and sign-in is ordinary labelled inputs. Ids are generated on every load
(`:r123:`), class names and form-field names are hashed per replica instance: nothing a flow could
hold on to except roles, aria state and visible text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

AI_KEY = "prevent_third_party_sharing"
SAVE_ERROR = "Something went wrong. Please try again."
PROVIDERS = {"google": "Google", "apple": "Apple"}
BLOGS_PER_BATCH = 10


@dataclass(frozen=True)
class Row:
    """One switch of a blog's settings page. `label` may hold `{blog}`, the blog's name."""

    key: str
    label: str
    desc: str = ""


# The blog settings page, section by section. Only the Visibility section's third row is the md's;
# the rest is the replica's own (neighbours a flow must leave alone, "discourage searching" first).
SECTIONS: tuple[tuple[str, tuple[Row, ...]], ...] = (
    ("Ask", (Row("ask", "Let people ask questions"),)),
    ("Submissions", (Row("submissions", "Let people submit posts"),)),
    ("Visibility", (
        Row("hide_from_logged_out", "Hide {blog} from people without an account"),
        Row("discourage_searching", "Discourage searching of {blog}",
            "Asks search engines not to index this blog."),
        Row(AI_KEY, "Prevent third-party sharing for {blog}",
            "Stops the sharing of this blog's public content with third parties."),
    )),
    ("Likes", (Row("share_likes", "Share posts you like"),)),
    ("Following", (Row("share_following", "Share the Tumblrs you're following"),)),
)
ROWS: dict[str, Row] = {row.key: row for _, rows in SECTIONS for row in rows}
DEFAULTS: dict[str, bool] = {"ask": True, "submissions": False, "hide_from_logged_out": False,
                             "discourage_searching": False, AI_KEY: False, "share_likes": True,
                             "share_following": True}


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.45 "Favorit",Helvetica,Arial,sans-serif;color:#fff;background:#001935}}
a{{color:#00b8ff}}
.{h("top")}{{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#001935;
  border-bottom:1px solid rgba(255,255,255,.13)}}
.{h("logo")}{{font:700 28px Georgia,serif;color:#fff;text-decoration:none}}
.{h("nav")}{{display:flex;gap:18px;flex:1}}
.{h("nav")} a{{color:rgba(255,255,255,.65);text-decoration:none}}
.{h("nav")} a[aria-current]{{color:#fff}}
.{h("layout")}{{display:flex;gap:28px;max-width:1000px;margin:24px auto;padding:0 16px}}
.{h("main")}{{flex:1;background:#fff;color:#000;border-radius:4px;padding:20px 28px}}
.{h("side")}{{width:260px;flex:none}}
.{h("side")} ul{{list-style:none;margin:0 0 18px;padding:0}}
.{h("side")} li a{{display:block;padding:8px 10px;color:#fff;text-decoration:none;border-radius:3px}}
.{h("side")} li a[aria-current]{{background:rgba(255,255,255,.13)}}
.{h("side_head")}{{color:rgba(255,255,255,.65);font-size:13px;text-transform:uppercase;margin:12px 10px 4px}}
.{h("blog_title")}{{display:block;font-size:12px;color:rgba(255,255,255,.65)}}
.{h("more")}{{margin:4px 10px;background:none;border:0;color:#00b8ff;cursor:pointer;font-size:14px}}
.{h("section")}{{border-top:1px solid #e0e0e0;padding:14px 0}}
.{h("section")} h2{{font-size:16px;margin:0 0 6px}}
.{h("row")}{{display:flex;align-items:flex-start;justify-content:space-between;gap:20px;padding:8px 0}}
.{h("row_desc")}{{margin:2px 0 0;color:#666;font-size:13px}}
.{h("switch")}{{flex:none;width:40px;height:22px;border-radius:11px;border:0;padding:2px;background:#c8c8c8;
  cursor:pointer}}
.{h("switch")}.{h("switch_on")}{{background:#00cf35}}
.{h("knob")}{{display:block;width:18px;height:18px;border-radius:50%;background:#fff;transition:transform .15s}}
.{h("switch_on")} .{h("knob")}{{transform:translateX(18px)}}
.{h("skeleton")}{{height:240px;border-radius:4px;background:#eee}}
.{h("toasts")}{{position:fixed;bottom:24px;left:50%;transform:translateX(-50%)}}
.{h("toast")}{{background:#ff4930;color:#fff;border-radius:4px;padding:12px 18px;margin-top:8px}}
.{h("auth")}{{width:400px;margin:64px auto;background:#fff;color:#000;border-radius:8px;padding:30px}}
.{h("auth")} h1{{font-size:26px;margin:0 0 18px}}
.{h("social")}{{display:block;width:100%;margin-top:10px;padding:10px;border:1px solid #000;border-radius:18px;
  background:#fff;font-size:15px;cursor:pointer}}
.{h("or")}{{text-align:center;color:#666;margin:16px 0 4px}}
.{h("field")}{{margin-top:12px}}
.{h("field")} label{{display:block;font-weight:600;margin-bottom:4px}}
.{h("field")} input{{width:100%;height:42px;padding:0 10px;font-size:15px;border:1px solid #999;border-radius:4px}}
.{h("primary")}{{display:block;width:100%;margin-top:18px;padding:11px;border:0;border-radius:18px;
  background:#00b8ff;color:#000;font-size:16px;font-weight:700;cursor:pointer}}
.{h("error")}{{margin-top:12px;padding:10px;border-radius:4px;background:#ffe4df;color:#a1150a}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n"
            f'<div id="{p.id()}" class="{p.h("root")}">{body}</div>\n{scripts}\n</body></html>')


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def error_box(p: Page, error: str) -> str:
    return f'<div role="alert" class="{p.h("error")}">{escape(error)}</div>' if error else ""


# ---------------------------------------------------------------- signed-in chrome

def top_bar(p: Page, active: str = "") -> str:
    links = [("Home", "/dashboard"), ("Explore", "/explore"), ("Settings", "/settings/account")]
    current = ' aria-current="page"'
    items = "".join(f'<a href="{href}"{current if href == active else ""}>{text}</a>' for text, href in links)
    return (f'<header class="{p.h("top")}"><a href="/dashboard" class="{p.h("logo")}" aria-label="Home">t</a>'
            f'<nav class="{p.h("nav")}" aria-label="Primary">{items}</nav>'
            '<a href="/logout">Log out</a></header>')


def dashboard(p: Page, name: str, blogs: list[str]) -> str:
    first = escape(blogs[0]) if blogs else ""
    hello = f"<p>Welcome back, {escape(name)}.</p>"
    posts = f"<p>Nothing new from the blogs you follow. Post something on {first}?</p>" if first else ""
    main = f'<main class="{p.h("main")}"><h1>Dashboard</h1>{hello}{posts}</main>'
    return document(p, "Dashboard | Tumblr", top_bar(p, "/dashboard") + f'<div class="{p.h("layout")}">{main}</div>')


def explore(p: Page, signed_in: bool) -> str:
    top = top_bar(p, "/explore") if signed_in else guest_top(p)
    main = f'<main class="{p.h("main")}"><h1>Explore</h1><p>Trending on Tumblr.</p></main>'
    return document(p, "Explore | Tumblr", top + f'<div class="{p.h("layout")}">{main}</div>')


def guest_top(p: Page) -> str:
    return (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}" aria-label="Tumblr">t</a>'
            f'<nav class="{p.h("nav")}" aria-label="Primary"><a href="/explore">Explore</a></nav>'
            '<a href="/login">Log in</a> <a href="/register">Sign up</a></header>')


def landing(p: Page) -> str:
    main = (f'<main class="{p.h("main")}"><h1>Tumblr</h1><p>Come for what you love. Stay for what you discover.'
            '</p><p><a href="/login">Log in</a></p></main>')
    return document(p, "Tumblr", guest_top(p) + f'<div class="{p.h("layout")}">{main}</div>')


# ---------------------------------------------------------------- settings pages

def blog_link(name: str, moved: bool) -> str:
    return f"/blog/{name}/settings" if moved else f"/settings/blog/{name}"


def sidebar(p: Page, *, blogs: list[tuple[str, str]], total: int, active: str, moved: bool) -> tuple[str, str]:
    """The settings menu a person switches between blogs with: account pages, then "Blogs", the first
    batch server-drawn and a "Show more blogs" button fetching the next ones. -> (html, script)."""
    current = ' aria-current="page"'
    pages = [("Account", "/settings/account"), ("Dashboard", "/settings/dashboard"),
             ("Notifications", "/settings/notifications")]
    top = "".join(f'<li><a href="{href}"{current if href == active else ""}>{text}</a></li>' for text, href in pages)
    items = "".join(_blog_item(p, name, title, blog_link(name, moved), active) for name, title in blogs)
    list_id = p.id()
    html = (f'<aside class="{p.h("side")}"><nav aria-label="Settings"><ul>{top}</ul>'
            f'<h2 class="{p.h("side_head")}">Blogs</h2><ul id="{list_id}">{items}</ul>')
    js = ""
    if total > len(blogs):
        html += f'<button type="button" class="{p.h("more")}">Show more blogs</button>'
        js = script(MORE_JS, {"list": list_id, "offset": len(blogs), "url": "/api/v2/user/settings/blogs",
                              "cls": {"title": p.h("blog_title")}})
    if not blogs:
        html += '<p><a href="/new/blog">Create a new blog</a></p>'
    return html + "</nav></aside>", js


def _blog_item(p: Page, name: str, title: str, href: str, active: str) -> str:
    current = ' aria-current="page"' if href == active else ""
    return (f'<li><a href="{escape(href)}"{current}>{escape(name)}'
            f'<span class="{p.h("blog_title")}">{escape(title)}</span></a></li>')


# "Show more blogs": fetches the next batch (session cookie) and appends its links; the button goes
# once everything is listed.
MORE_JS = """(() => {
  const cfg = __CFG__;
  const list = document.getElementById(cfg.list);
  const button = list.nextElementSibling;
  let offset = cfg.offset, busy = false;
  button.addEventListener('click', async () => {
    if (busy) return;
    busy = true; button.disabled = true;
    try {
      const r = await fetch(cfg.url + '?offset=' + offset, {credentials: 'same-origin'});
      if (r.ok) {
        const data = await r.json();
        for (const blog of data.blogs) {
          const a = document.createElement('a'); a.href = blog.settings_url; a.append(blog.name);
          const t = document.createElement('span'); t.className = cfg.cls.title; t.append(blog.title);
          a.append(t);
          const li = document.createElement('li'); li.append(a); list.append(li);
        }
        offset += data.blogs.length;
        if (!data.has_more) { button.remove(); return; }
      }
    } catch (e) { /* the button stays for another try */ }
    busy = false; button.disabled = false;
  });
})();"""


def settings_shell(p: Page, title: str, side: tuple[str, str], main: str, scripts: str = "") -> str:
    body = (f'{top_bar(p, "/settings/account")}<div class="{p.h("layout")}">'
            f'<main class="{p.h("main")}">{main}</main>{side[0]}</div>'
            f'<div class="{p.h("toasts")}" aria-live="polite"></div>')
    return document(p, f"{title} | Tumblr", body, side[1] + scripts)


def account_page(p: Page, side: tuple[str, str], email: str, totp: bool) -> str:
    main = (f'<h1>Account</h1><section class="{p.h("section")}"><h2>Email</h2><p>{escape(email)}</p></section>'
            f'<section class="{p.h("section")}"><h2>Password</h2><p><a href="/settings/account/password">'
            'Change password</a></p></section>'
            f'<section class="{p.h("section")}"><h2>Security</h2><p>Two-factor authentication: '
            f'{"Enabled" if totp else "Disabled"}</p></section>')
    return settings_shell(p, "Account", side, main)


def plain_settings_page(p: Page, side: tuple[str, str], title: str, text: str) -> str:
    return settings_shell(p, title, side, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>")


def switch_row(p: Page, label: str, desc: str, value: bool) -> str:
    """A row as the script builds it too (BLOG_JS build()): label and description tied by id."""
    label_id = p.id()
    desc_id = p.id() if desc else ""
    on = f' {p.h("switch_on")}' if value else ""
    described = f' aria-describedby="{desc_id}"' if desc else ""
    desc_html = f'<p id="{desc_id}" class="{p.h("row_desc")}">{escape(desc)}</p>' if desc else ""
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_text")}">'
            f'<span id="{label_id}" class="{p.h("row_label")}">{escape(label)}</span>{desc_html}</div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{label_id}"{described} class="{p.h("switch")}{on}">'
            f'<span class="{p.h("knob")}" aria-hidden="true"></span></button></div>')


# Hydrates (or, late, mounts) the blog's switches; a click saves that switch at once by a background
# POST carrying the page's CSRF token in a header. A failed save puts the switch back and shows a
# role=alert toast; a 401 sends the visitor to log in and back. With replaceNode, the AI row is swapped
# for an equal new node shortly after it appears and after each of its saves.
BLOG_JS = """(() => {
  const cfg = __CFG__;
  const slot = document.getElementById(cfg.slot);
  const held = slot.querySelector('template');
  const c = cfg.cls;
  let seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq + ':'; };
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  const rows = cfg.rows.map((r) => ({...r, busy: false, node: null}));

  function build(row) {
    const labelId = freshId(), descId = freshId();
    const attrs = {type: 'button', role: 'switch', 'aria-checked': String(row.value), 'aria-labelledby': labelId,
                   class: c.switch};
    const text = el('div', {class: c.text}, el('span', {id: labelId, class: c.label}, row.label));
    if (row.desc) { attrs['aria-describedby'] = descId; text.append(el('p', {id: descId, class: c.desc}, row.desc)); }
    return el('div', {class: c.row}, text, el('button', attrs, el('span', {class: c.knob, 'aria-hidden': 'true'})));
  }
  function paint(row) {
    const sw = row.node && row.node.querySelector('[role="switch"]');
    if (!sw) return;
    sw.setAttribute('aria-checked', String(row.value));
    sw.classList.toggle(c.on, row.value);
    sw.disabled = row.busy;
  }
  function hydrate() {
    const found = slot.querySelectorAll('[role="switch"]');
    rows.forEach((row, i) => { row.node = found[i] ? found[i].closest('.' + c.row) : null; paint(row); });
    const ai = rows.find((r) => r.key === cfg.aiKey);
    if (cfg.replaceNode && ai) setTimeout(() => rerender(ai), cfg.replaceAfterMs);
  }
  function rerender(row) {  // as a re-rendering framework does: an equal node, not the same one
    if (!row.node || !row.node.isConnected) return;
    const fresh = build(row);
    row.node.replaceWith(fresh); row.node = fresh; paint(row);
  }
  function showError(message) {
    const item = el('div', {role: 'alert', class: c.toast}, message);
    document.querySelector('.' + c.toasts).append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function change(row) {
    if (row.busy) return;
    const before = row.value;
    row.value = !before; row.busy = true; paint(row);
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-csrf': cfg.csrf},
        body: JSON.stringify({[row.key]: row.value})});
      status = r.status;
    } catch (e) { status = 0; }
    row.busy = false;
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.pathname)); return; }
    if (status < 200 || status >= 300) { row.value = before; paint(row); showError(cfg.text.error); return; }
    paint(row);
    if (cfg.replaceNode && row.key === cfg.aiKey) rerender(row);
  }
  slot.addEventListener('click', (event) => {
    const sw = event.target.closest('button[role="switch"]');
    if (!sw) return;
    const row = rows.find((r) => r.node && r.node.contains(sw));
    if (row) change(row);
  });
  if (held) setTimeout(() => { slot.replaceChildren(held.content.cloneNode(true)); hydrate(); }, cfg.lateMs);
  else hydrate();
})();"""


def blog_settings(p: Page, side: tuple[str, str], *, name: str, title: str, values: dict[str, bool],
                  offered: bool, late_ms: int, replace_node: bool, save_url: str, csrf: str) -> str:
    """A blog's settings: its name and title, then its sections of switches. `offered=False`: the
    Visibility section without the third-party row (a member to whom Tumblr does not offer it)."""
    rows: list[dict[str, object]] = []
    sections = []
    for heading, section_rows in SECTIONS:
        drawn = []
        for row in section_rows:
            if row.key == AI_KEY and not offered:
                continue
            label = row.label.format(blog=name)
            drawn.append(switch_row(p, label, row.desc, values[row.key]))
            rows.append({"key": row.key, "label": label, "desc": row.desc, "value": values[row.key]})
        hid = p.id()
        sections.append(f'<section class="{p.h("section")}" aria-labelledby="{hid}"><h2 id="{hid}">'
                        f'{escape(heading)}</h2>{"".join(drawn)}</section>')
    inner = "".join(sections)
    slot = p.id()
    if late_ms > 0:  # drawn by script later, as a single-page app does once its data arrives
        inner = f'<template>{inner}</template><div class="{p.h("skeleton")}"></div>'
    h = p.h
    cfg = {"slot": slot, "rows": rows, "aiKey": AI_KEY, "lateMs": late_ms, "replaceNode": replace_node,
           "replaceAfterMs": 400, "seed": int(random_digits(4)) + 100, "saveUrl": save_url, "csrf": csrf,
           "loginUrl": "/login?redirect_to=", "text": {"error": SAVE_ERROR},
           "cls": {"row": h("row"), "text": h("row_text"), "label": h("row_label"), "desc": h("row_desc"),
                   "switch": h("switch"), "on": h("switch_on"), "knob": h("knob"), "toasts": h("toasts"),
                   "toast": h("toast")}}
    main = (f'<h1>{escape(name)}</h1><p class="{p.h("subtitle")}">{escape(title)}</p>'
            f'<div id="{slot}" class="{p.h("slot")}">{inner}</div>')
    return settings_shell(p, f"{name} settings", side, main, script(BLOG_JS, cfg))


# ---------------------------------------------------------------- log in

def _field(p: Page, label: str, *, kind: str, name: str, autocomplete: str, value: str = "",
           autofocus: bool = False) -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" name="{name}" value="{escape(value)}" autocomplete="{autocomplete}"'
            f' required{" autofocus" if autofocus else ""}></div>')


def _hidden(fields: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in fields.items())


def _auth(p: Page, title: str, inner: str) -> str:
    body = (f'<header class="{p.h("top")}"><a href="/" class="{p.h("logo")}" aria-label="Tumblr">t</a></header>'
            f'<main class="{p.h("auth")}"><h1>{escape(title)}</h1>{inner}</main>')
    return document(p, f"{title} | Tumblr", body)


def login(p: Page, *, names: dict[str, str], hidden: dict[str, str], target: str, one_page: bool,
          email: str = "", error: str = "") -> str:
    """Log in: social buttons, "or", then the email alone and "Next" (or, one_page, email and password)."""
    social = "".join(
        f'<form method="get" action="/login/{slug}"><input type="hidden" name="redirect_to" value="{escape(target)}">'
        f'<button type="submit" class="{p.h("social")}">Continue with {name}</button></form>'
        for slug, name in PROVIDERS.items())
    fields = _field(p, "Email", kind="email", name=names["email"], autocomplete="username", value=email,
                    autofocus=not email)
    if one_page:
        fields += _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                         autofocus=bool(email))
    button = "Log in" if one_page else "Next"
    inner = (f'{social}<p class="{p.h("or")}">or</p>{error_box(p, error)}'
             f'<form method="post" action="/login">{_hidden(hidden)}{fields}'
             f'<button type="submit" class="{p.h("primary")}">{button}</button></form>'
             '<p><a href="/forgot_password">Forgot your password?</a></p>'
             '<p>New here? <a href="/register">Sign up</a></p>')
    return _auth(p, "Log in", inner)


def login_password(p: Page, *, names: dict[str, str], hidden: dict[str, str], email: str, error: str = "") -> str:
    """Step 2 of logging in: the password for the email given before."""
    field = _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                   autofocus=True)
    inner = (f'<p>{escape(email)} <a href="/login">Not you?</a></p>{error_box(p, error)}'
             f'<form method="post" action="/login">{_hidden(hidden)}{field}'
             f'<button type="submit" class="{p.h("primary")}">Log in</button></form>'
             '<p><a href="/forgot_password">Forgot your password?</a></p>')
    return _auth(p, "Welcome back", inner)


def login_code(p: Page, *, names: dict[str, str], hidden: dict[str, str], error: str = "") -> str:
    """Two-factor step: the code from the member's authenticator app."""
    fid = p.id()
    inner = (f'<p>Enter the code from your authentication app.</p>{error_box(p, error)}'
             f'<form method="post" action="/login">{_hidden(hidden)}'
             f'<div class="{p.h("field")}"><label for="{fid}">Authentication code</label>'
             f'<input id="{fid}" type="text" name="{names["code"]}" inputmode="numeric" maxlength="6"'
             ' autocomplete="one-time-code" required autofocus></div>'
             f'<button type="submit" class="{p.h("primary")}">Verify</button></form>')
    return _auth(p, "Two-factor authentication", inner)


def federated(p: Page, provider: str, target: str) -> str:
    back = escape("/login?" + urlencode({"redirect_to": target}) if target else "/login")
    inner = (f'<div role="alert" class="{p.h("error")}">We couldn\'t connect to {escape(provider)}. '
             'Try again later or log in with your email.</div>'
             f'<p><a href="{back}">Back to log in</a></p>')
    return _auth(p, f"Continue with {provider}", inner)


def error_page(p: Page, title: str, body: str) -> str:
    return _auth(p, title, f"<p>{escape(body)}</p><p><a href=\"/dashboard\">Go to your dashboard</a></p>")
