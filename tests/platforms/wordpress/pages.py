"""HTML and scripts of the WordPress.com replica's pages (shared/platforms/wordpress.md).

The real markup is not in the research, so this is the plain markup the md's "The replica" paragraph
names: the setting is a `button[role=switch][aria-checked]` tied to its visible label
(aria-labelledby) and help text (aria-describedby); sign-in fields are ordinary labelled inputs. Ids
are generated on every load, class names and form-field names are hashed per replica instance:
nothing a flow could hold on to except roles, aria state and visible text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

# wordpress.md: the current label, the announcement's (older_release), and the help text, verbatim.
LABEL = "Prevent third-party sharing"
LABEL_OLDER = "Prevent third-party data sharing"
HELP = ("This option will prevent this site’s content from being shared with our licensed network of content "
        "and research partners, including those that train AI models.")
# The neighbour the md says to leave alone, and the rest of the card: the replica's own wording.
DISCOURAGE = "Discourage search engines from indexing this site"
VISIBILITY = (("coming_soon", "Coming Soon", "Your site is hidden from visitors behind a “Coming Soon” notice "
               "until it is ready for viewing."),
              ("public", "Public", "Your site is visible to everyone."),
              ("private", "Private", "Your site is only visible to you and logged-in members you approve."))
SAVE = "Save settings"
SAVE_ERROR = "There was a problem saving your changes. Please, try again."
SAVED = "Settings saved successfully!"
PROVIDERS = {"google": "Google", "apple": "Apple", "github": "GitHub"}
SETTINGS_SECTIONS = {"general": "General", "writing": "Writing", "reading": "Reading", "discussion": "Discussion",
                     "newsletter": "Newsletter"}
OTHER_SECTIONS = {"posts": "Posts", "pages": "Pages", "media": "Media", "comments": "Comments"}


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


@dataclass(frozen=True)
class SiteRef:
    """A site as pages show it: `path` is how URLs name it (its address, or its id: `site_path`)."""

    address: str
    title: str
    path: str


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#1d2327;
  background:#f6f7f7}}
a{{color:#2271b1}}
.{h("bar")}{{display:flex;align-items:center;gap:20px;height:46px;padding:0 16px;background:#1d2327}}
.{h("bar")} a{{color:#f0f0f1;text-decoration:none}}
.{h("grow")}{{flex:1}}
.{h("layout")}{{display:flex;min-height:calc(100vh - 46px)}}
.{h("side")}{{width:272px;flex:none;background:#23282d;color:#f0f0f1;padding:12px 0}}
.{h("side")} a{{display:block;padding:8px 20px;color:#f0f0f1;text-decoration:none}}
.{h("side")} a[aria-current]{{background:#2271b1}}
.{h("sub")} a{{padding-left:36px;font-size:13px}}
.{h("sitecard")}{{padding:8px 20px 14px;border-bottom:1px solid #3c434a}}
.{h("sitecard")} small{{display:block;color:#a7aaad}}
.{h("main")}{{flex:1;max-width:960px;padding:24px 32px}}
.{h("card")}{{background:#fff;border:1px solid #dcdcde;border-radius:4px;margin:16px 0;padding:0}}
.{h("cardhead")}{{display:flex;align-items:center;justify-content:space-between;padding:12px 20px;
  border-bottom:1px solid #dcdcde}}
.{h("cardhead")} h2{{margin:0;font-size:15px}}
.{h("cardbody")}{{padding:16px 20px}}
.{h("field")}{{margin:12px 0}}
.{h("field")} label{{display:block;font-weight:600;margin-bottom:4px}}
.{h("field")} input[type=text],.{h("field")} input[type=password],.{h("field")} input[type=email]{{width:100%;
  height:40px;padding:0 10px;border:1px solid #8c8f94;border-radius:2px;font-size:15px}}
.{h("choice")}{{margin:10px 0}}
.{h("choice")} p,.{h("help")}{{margin:2px 0 0 24px;color:#646970;font-size:13px}}
.{h("nested")}{{margin-left:24px}}
.{h("row")}{{display:flex;gap:14px;align-items:flex-start;margin-top:18px;padding-top:14px;
  border-top:1px solid #f0f0f1}}
.{h("row_label")}{{font-weight:600}}
.{h("row_help")}{{margin:2px 0 0;color:#646970;font-size:13px}}
.{h("switch")}{{flex:none;width:36px;height:18px;border-radius:9px;border:1px solid #1e1e1e;padding:2px;
  background:#fff;cursor:pointer}}
.{h("switch")}.{h("switch_on")}{{background:#3858e9;border-color:#3858e9}}
.{h("knob")}{{display:block;width:12px;height:12px;border-radius:50%;background:#1e1e1e}}
.{h("switch_on")} .{h("knob")}{{background:#fff;transform:translateX(18px)}}
.{h("button")}{{padding:6px 14px;border:1px solid #2271b1;border-radius:2px;background:#2271b1;color:#fff;
  cursor:pointer}}
.{h("button")}:disabled{{background:#f6f7f7;border-color:#dcdcde;color:#a7aaad;cursor:default}}
.{h("skeleton")}{{height:220px;margin:16px 20px;border-radius:4px;background:#f0f0f1}}
.{h("notices")}{{position:fixed;bottom:24px;right:24px}}
.{h("notice")}{{background:#1d2327;color:#fff;border-radius:2px;padding:12px 18px;margin-top:8px}}
.{h("notice_error")}{{background:#d63638}}
.{h("sites")}{{list-style:none;margin:0;padding:0}}
.{h("sites")} li{{border-bottom:1px solid #f0f0f1}}
.{h("sites")} a{{display:block;padding:12px 20px;text-decoration:none;color:#1d2327}}
.{h("sites")} small{{display:block;color:#646970}}
.{h("auth")}{{width:400px;margin:56px auto;background:#fff;border:1px solid #dcdcde;padding:28px 32px}}
.{h("auth")} h1{{font-size:24px;margin:0 0 16px;text-align:center}}
.{h("primary")}{{display:block;width:100%;margin-top:16px;padding:10px;border:0;border-radius:2px;
  background:#2271b1;color:#fff;font-size:15px;cursor:pointer}}
.{h("social")}{{display:block;width:100%;margin-top:10px;padding:9px;border:1px solid #8c8f94;border-radius:2px;
  background:#fff;font-size:14px;cursor:pointer}}
.{h("error")}{{margin:12px 0;padding:10px 12px;border-left:4px solid #d63638;background:#fcf0f1}}
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

def masterbar(p: Page, name: str) -> str:
    """The top bar of every signed-in page: My Sites, Reader, the member's profile link."""
    return (f'<header class="{p.h("bar")}"><a href="/sites">My Sites</a><a href="/read">Reader</a>'
            f'<span class="{p.h("grow")}"></span><a href="/me" aria-label="My Profile">{escape(name)}</a></header>')


def sidebar(p: Page, site: SiteRef, active: str) -> str:
    """A site's menu. "Settings" opens General; on settings pages its sub-menu lists the sections."""
    cur = ' aria-current="page"'

    def link(href: str, text: str) -> str:
        return f'<a href="{href}"{cur if href == active else ""}>{escape(text)}</a>'

    items = [link(f"/home/{site.path}", "My Home")]
    items += [link(f"/{slug}/{site.path}", text) for slug, text in OTHER_SECTIONS.items()]
    settings_href = f"/settings/general/{site.path}"
    items.append(f'<a href="{settings_href}"{cur if active.startswith("/settings/") else ""}>Settings</a>')
    if active.startswith("/settings/"):
        sub = "".join(f"<li>{link(f'/settings/{slug}/{site.path}', text)}</li>"
                      for slug, text in SETTINGS_SECTIONS.items())
        items.append(f'<ul class="{p.h("sub")}" aria-label="Settings">{sub}</ul>')
    return (f'<nav class="{p.h("side")}" aria-label="Site">'
            f'<div class="{p.h("sitecard")}"><strong>{escape(site.title)}</strong><small>{escape(site.address)}</small>'
            f'<a href="/sites">Switch site</a></div>{"".join(items)}</nav>')


def shell(p: Page, title: str, name: str, main: str, *, site: SiteRef | None = None, active: str = "",
          scripts: str = "") -> str:
    side = sidebar(p, site, active) if site else ""
    body = (f'{masterbar(p, name)}<div class="{p.h("layout")}">{side}'
            f'<main class="{p.h("main")}">{main}</main></div>')
    return document(p, f"{title} ‹ WordPress.com", body, scripts)


def site_home(p: Page, name: str, site: SiteRef) -> str:
    main = (f'<h1>My Home</h1><section class="{p.h("card")}"><div class="{p.h("cardbody")}">'
            f'<h2>{escape(site.title)}</h2><p>{escape(site.address)}</p>'
            f'<p><a href="/settings/general/{site.path}">Site settings</a></p></div></section>')
    return shell(p, "My Home", name, main, site=site, active=f"/home/{site.path}")


def section_page(p: Page, name: str, site: SiteRef, title: str, href: str) -> str:
    """A page of the site menu the replica does not model (Posts, Writing settings, …): no switch."""
    main = (f'<h1>{escape(title)}</h1><section class="{p.h("card")}"><div class="{p.h("cardbody")}">'
            '<p>Nothing to show here yet.</p></div></section>')
    return shell(p, title, name, main, site=site, active=href)


def profile(p: Page, name: str, email: str, username: str) -> str:
    main = (f'<h1>My Profile</h1><section class="{p.h("card")}"><div class="{p.h("cardbody")}">'
            f'<dl><dt>Display name</dt><dd>{escape(name)}</dd><dt>Username</dt><dd>{escape(username)}</dd>'
            f'<dt>Email</dt><dd>{escape(email)}</dd></dl>'
            f'<form method="post" action="/log-out"><button type="submit" class="{p.h("button")}">Log out</button>'
            '</form></div></section>')
    return shell(p, "My Profile", name, main)


def reader(p: Page, name: str) -> str:
    main = (f'<h1>Reader</h1><section class="{p.h("card")}"><div class="{p.h("cardbody")}">'
            '<p>No posts yet.</p></div></section>')
    return shell(p, "Reader", name, main)


# ---------------------------------------------------------------- lists of sites

# "Load more": the next batch by a background fetch, appended to the list (signed out: to log in).
LOAD_MORE_JS = """(() => {
  const cfg = __CFG__;
  const list = document.getElementById(cfg.list), more = document.getElementById(cfg.more);
  if (!more) return;
  let offset = cfg.offset;
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  more.addEventListener('click', async () => {
    more.disabled = true;
    let status = 0, data = null;
    try {
      const r = await fetch(cfg.url + '?' + new URLSearchParams({offset: offset, number: cfg.number}),
                            {credentials: 'same-origin'});
      status = r.status; data = await r.json();
    } catch (e) { status = 0; }
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.href)); return; }
    if (status !== 200 || !data) { more.disabled = false; return; }
    for (const s of data.sites) {
      list.append(el('li', {}, el('a', {href: cfg.prefix + s.slug}, el('strong', {}, s.name),
                                  el('small', {}, s.address))));
    }
    offset += data.sites.length;
    if (offset >= data.found || !data.sites.length) more.remove(); else more.disabled = false;
  });
})();"""


def site_list(p: Page, name: str, *, title: str, intro: str, sites: list[SiteRef], prefix: str, total: int,
              offset: int, per_page: int, mode: str, page_no: int, base: str, empty: str) -> str:
    """The account's sites in batches: `sites` is this batch; the rest come by "Load more" (a background
    fetch) or by "Previous"/"Next" page links (`site_list` variant)."""
    if not total:
        main = (f'<h1>{escape(title)}</h1><section class="{p.h("card")}"><div class="{p.h("cardbody")}">'
                f'<p>{escape(empty)}</p><p><a href="/start">Create a site</a></p></div></section>')
        return shell(p, title, name, main)
    list_id = p.id()
    items = "".join(f'<li><a href="{prefix}{escape(s.path)}"><strong>{escape(s.title)}</strong>'
                    f'<small>{escape(s.address)}</small></a></li>' for s in sites)
    extra, scripts = "", ""
    shown = offset + len(sites)
    if mode == "load_more" and shown < total:
        more_id = p.id()
        extra = (f'<div class="{p.h("cardbody")}"><button type="button" id="{more_id}" class="{p.h("button")}">'
                 'Load more</button></div>')
        scripts = script(LOAD_MORE_JS, {"list": list_id, "more": more_id, "offset": shown, "number": per_page,
                                        "url": "/rest/v1.2/me/sites", "prefix": prefix,
                                        "loginUrl": "/log-in?redirect_to="})
    elif mode == "pages" and total > per_page:
        last = (total + per_page - 1) // per_page
        links = []
        if page_no > 1:
            links.append(f'<a href="{base}?{urlencode({"page": page_no - 1})}" rel="prev">Previous</a>')
        links.append(f"<span>Page {page_no} of {last}</span>")
        if page_no < last:
            links.append(f'<a href="{base}?{urlencode({"page": page_no + 1})}" rel="next">Next</a>')
        extra = f'<nav class="{p.h("cardbody")}" aria-label="Pagination">{" ".join(links)}</nav>'
    main = (f'<h1>{escape(title)}</h1><p>{escape(intro)}</p><section class="{p.h("card")}">'
            f'<ul id="{list_id}" class="{p.h("sites")}">{items}</ul>{extra}</section>')
    return shell(p, title, name, main, scripts=scripts)


# ---------------------------------------------------------------- General settings

# One script for the whole page. Fields the member changes are "dirty"; every "Save settings" button
# is enabled while anything is dirty and saves all dirty fields by a background POST (nonce header).
# With `instant` fields (the autosave variant) a change saves at once. A failed save puts the fields
# back and shows a role=alert notice; a 401 sends the member to log in and back. The Privacy card can
# be drawn late (held in a <template>), and its switch row replaced by an equal node (replace_node).
GENERAL_JS = """(() => {
  const cfg = __CFG__;
  const page = document.getElementById(cfg.root), slot = document.getElementById(cfg.slot);
  const notices = page.querySelector('.' + cfg.cls.notices);
  const c = cfg.cls, saved = Object.assign({}, cfg.values);
  let busy = false, seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq + ':'; };
  const q = (key) => page.querySelectorAll('.' + cfg.fields[key].cls);
  const keyOf = (node) => {
    for (const [k, f] of Object.entries(cfg.fields)) if (node.classList && node.classList.contains(f.cls)) return k;
    return null;
  };
  function read(key) {
    const f = cfg.fields[key], els = q(key);
    if (!els.length) return undefined;
    if (f.kind === 'switch') return els[0].getAttribute('aria-checked') === 'true';
    if (f.kind === 'checkbox') return els[0].checked;
    if (f.kind === 'radio') { for (const e of els) if (e.checked) return e.value; return saved[key]; }
    return els[0].value;
  }
  function write(key, value) {
    const f = cfg.fields[key], els = q(key);
    if (!els.length) return;
    if (f.kind === 'switch') {
      els[0].setAttribute('aria-checked', String(value)); els[0].classList.toggle(c.on, value);
    }
    else if (f.kind === 'checkbox') els[0].checked = value;
    else if (f.kind === 'radio') for (const e of els) e.checked = e.value === value;
    else els[0].value = value;
  }
  function dirty() {
    const out = {};
    for (const [k, f] of Object.entries(cfg.fields)) {
      if (f.instant) continue;
      const v = read(k);
      if (v !== undefined && v !== saved[k]) out[k] = v;
    }
    return out;
  }
  function paint() {
    const any = Object.keys(dirty()).length > 0;
    for (const b of page.querySelectorAll('.' + c.save)) b.disabled = busy || !any;
    for (const [k, f] of Object.entries(cfg.fields)) if (f.instant) for (const e of q(k)) e.disabled = busy;
  }
  function notice(role, text) {
    const n = document.createElement('div');
    n.setAttribute('role', role);
    n.className = c.notice + (role === 'alert' ? ' ' + c.error : '');
    n.textContent = text;
    notices.replaceChildren(n);
    setTimeout(() => n.remove(), 8000);
  }
  function rerender() {  // as a re-rendering framework does: an equal node, not the same one
    const sw = slot && slot.querySelector('[role="switch"]');
    if (!sw) return;
    const row = sw.closest('.' + c.row), fresh = row.cloneNode(true), ids = {};
    for (const e of fresh.querySelectorAll('[id]')) { const n = freshId(); ids[e.id] = n; e.id = n; }
    for (const e of fresh.querySelectorAll('[aria-labelledby],[aria-describedby]')) {
      for (const a of ['aria-labelledby', 'aria-describedby']) {
        const v = e.getAttribute(a); if (v && ids[v]) e.setAttribute(a, ids[v]);
      }
    }
    row.replaceWith(fresh);
    paint();
  }
  async function save(changes) {
    busy = true; paint();
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'x-wp-nonce': cfg.nonce}, body: JSON.stringify(changes)});
      status = r.status;
    } catch (e) { status = 0; }
    busy = false;
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.href)); return; }
    if (status < 200 || status >= 300) {
      for (const k of Object.keys(changes)) write(k, saved[k]);
      paint(); notice('alert', cfg.text.error); return;
    }
    Object.assign(saved, changes);
    paint(); notice('status', cfg.text.saved);
    if (cfg.replaceNode) rerender();
  }
  function changed(key) {
    if (cfg.fields[key].instant) save({[key]: read(key)}); else paint();
  }
  page.addEventListener('click', (event) => {
    const sw = event.target.closest('[role="switch"]');
    if (sw && !sw.disabled) { const k = keyOf(sw); if (k) { write(k, !read(k)); changed(k); } return; }
    const button = event.target.closest('.' + c.save);
    if (button && !button.disabled && !busy) { const d = dirty(); if (Object.keys(d).length) save(d); }
  });
  page.addEventListener('change', (event) => { const k = keyOf(event.target); if (k) changed(k); });
  page.addEventListener('input', () => paint());
  const held = slot && slot.querySelector('template');
  function mount() {
    slot.replaceChildren(held.content.cloneNode(true));
    paint();
    if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
  }
  if (held) setTimeout(mount, cfg.lateMs);
  else { paint(); if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs); }
})();"""


@dataclass(frozen=True)
class GeneralValues:
    title: str
    tagline: str
    visibility: str
    discourage: bool
    prevent: bool


def _switch_row(p: Page, label: str, value: bool) -> str:
    label_id, help_id = p.id(), p.id()
    on = f' {p.h("switch_on")}' if value else ""
    return (f'<div class="{p.h("row")}">'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{label_id}" aria-describedby="{help_id}" class="{p.h("switch")}{on} '
            f'{p.h("f-prevent")}"><span class="{p.h("knob")}" aria-hidden="true"></span></button>'
            f'<div><span id="{label_id}" class="{p.h("row_label")}">{escape(label)}</span>'
            f'<p id="{help_id}" class="{p.h("row_help")}">{escape(HELP)}</p></div></div>')


def _card_head(p: Page, title: str, button: bool) -> str:
    save = f'<button type="button" class="{p.h("button")} {p.h("save")}" disabled>{SAVE}</button>' if button else ""
    return f'<div class="{p.h("cardhead")}"><h2>{escape(title)}</h2>{save}</div>'


def _privacy_body(p: Page, v: GeneralValues, label: str | None, save_button: bool) -> str:
    radios = []
    group = p.h("field:visibility")
    for value, text, help_text in VISIBILITY:
        rid, hid = p.id(), p.id()
        checked = " checked" if v.visibility == value else ""
        choice = (f'<div class="{p.h("choice")}"><input type="radio" id="{rid}" name="{group}" value="{value}"'
                  f' aria-describedby="{hid}" class="{p.h("f-visibility")}"{checked}>'
                  f' <label for="{rid}">{escape(text)}</label><p id="{hid}">{escape(help_text)}</p>')
        if value == "public":
            cid = p.id()
            choice += (f'<div class="{p.h("nested")} {p.h("choice")}"><input type="checkbox" id="{cid}" '
                       f'name="{p.h("field:discourage")}" class="{p.h("f-discourage")}"'
                       f'{" checked" if v.discourage else ""}> <label for="{cid}">{escape(DISCOURAGE)}</label></div>')
        radios.append(choice + "</div>")
    row = _switch_row(p, label, v.prevent) if label is not None else ""
    return (f'{_card_head(p, "Privacy", save_button)}<div class="{p.h("cardbody")}">'
            f'<fieldset style="border:0;padding:0;margin:0"><legend class="{p.h("row_label")}">Site visibility</legend>'
            f'{"".join(radios)}</fieldset>{row}</div>')


def general_settings(p: Page, name: str, site: SiteRef, v: GeneralValues, *, label: str | None, nonce: str,
                     save_url: str, autosave: bool, late_ms: int, replace_node: bool) -> str:
    """/settings/general/<site>: "Site profile" and "Privacy" cards, each headed by a "Save settings"
    button (both save every dirty field, as one form). `label=None`: the Privacy card without the switch
    (the setting is not offered to this member)."""
    tid, gid = p.id(), p.id()
    profile_card = (f'<section class="{p.h("card")}">{_card_head(p, "Site profile", True)}'
                    f'<div class="{p.h("cardbody")}">'
                    f'<div class="{p.h("field")}"><label for="{tid}">Site title</label>'
                    f'<input type="text" id="{tid}" name="{p.h("field:title")}" value="{escape(v.title)}" '
                    f'class="{p.h("f-title")}"></div>'
                    f'<div class="{p.h("field")}"><label for="{gid}">Site tagline</label>'
                    f'<input type="text" id="{gid}" name="{p.h("field:tagline")}" value="{escape(v.tagline)}" '
                    f'class="{p.h("f-tagline")}"><p class="{p.h("help")}">In a few words, explain what this site is '
                    'about.</p></div></div></section>')
    body = _privacy_body(p, v, label, save_button=not autosave)
    slot = p.id()
    inner = f'<template>{body}</template><div class="{p.h("skeleton")}"></div>' if late_ms > 0 else body
    privacy_card = f'<section id="{slot}" class="{p.h("card")}">{inner}</section>'
    root = p.id()
    main = (f'<div id="{root}"><h1>General Settings</h1><p>Manage your site settings, including language, time zone, '
            f'site visibility, and more.</p>{profile_card}{privacy_card}'
            f'<div class="{p.h("notices")}" aria-live="polite"></div></div>')
    h = p.h
    fields = {"blogname": {"cls": h("f-title"), "kind": "text", "instant": False},
              "blogdescription": {"cls": h("f-tagline"), "kind": "text", "instant": False},
              "site_visibility": {"cls": h("f-visibility"), "kind": "radio", "instant": autosave},
              "discourage_search_engines": {"cls": h("f-discourage"), "kind": "checkbox", "instant": autosave}}
    values: dict[str, object] = {"blogname": v.title, "blogdescription": v.tagline, "site_visibility": v.visibility,
                                 "discourage_search_engines": v.discourage}
    if label is not None:
        fields["wpcom_data_sharing_opt_out"] = {"cls": h("f-prevent"), "kind": "switch", "instant": autosave}
        values["wpcom_data_sharing_opt_out"] = v.prevent
    cfg = {"root": root, "slot": slot, "values": values, "fields": fields, "nonce": nonce, "saveUrl": save_url,
           "loginUrl": "/log-in?redirect_to=", "lateMs": late_ms, "replaceNode": replace_node,
           "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100,
           "text": {"error": SAVE_ERROR, "saved": SAVED},
           "cls": {"save": h("save"), "on": h("switch_on"), "row": h("row"), "notices": h("notices"),
                   "notice": h("notice"), "error": h("notice_error")}}
    return shell(p, "General Settings", name, main, site=site, active=f"/settings/general/{site.path}",
                 scripts=script(GENERAL_JS, cfg))


# ---------------------------------------------------------------- log in

def _auth(p: Page, title: str, inner: str) -> str:
    body = (f'<header class="{p.h("bar")}"><a href="/">WordPress.com</a></header>'
            f'<main class="{p.h("auth")}"><h1>{escape(title)}</h1>{inner}</main>')
    return document(p, f"{title} — WordPress.com", body)


def _field(p: Page, label: str, *, kind: str, name: str, autocomplete: str, value: str = "",
           autofocus: bool = False) -> str:
    fid = p.id()
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" type="{kind}" name="{name}" value="{escape(value)}" autocomplete="{autocomplete}"'
            f' autocapitalize="off" required{" autofocus" if autofocus else ""}></div>')


def log_in(p: Page, *, names: dict[str, str], target: str, login: str = "", with_password: bool,
           error: str = "") -> str:
    """The log-in page: "Email Address or Username" then "Continue"; the password field appears with the
    username kept above it (two steps), or both at once (`with_password`)."""
    fields = _field(p, "Email Address or Username", kind="text", name=names["login"], autocomplete="username",
                    value=login, autofocus=not with_password)
    if with_password:
        fields += _field(p, "Password", kind="password", name=names["password"], autocomplete="current-password",
                         autofocus=bool(login))
    button = "Log In" if with_password else "Continue"
    social = "".join(
        f'<form method="get" action="/log-in/social/{slug}"><input type="hidden" name="redirect_to" '
        f'value="{escape(target)}"><button type="submit" class="{p.h("social")}">Continue with {text}</button></form>'
        for slug, text in PROVIDERS.items())
    inner = (f'{error_box(p, error)}<form method="post" action="/log-in">'
             f'<input type="hidden" name="{names["target"]}" value="{escape(target)}">'
             f'{fields}<button type="submit" class="{p.h("primary")}">{button}</button></form>'
             f'<p style="text-align:center">or</p>{social}'
             '<p><a href="/start">Create a new account</a> · <a href="/wp-login.php?action=lostpassword">'
             'Lost your password?</a></p>')
    return _auth(p, "Log in to your account", inner)


def authenticator(p: Page, *, names: dict[str, str], token: str, error: str = "") -> str:
    """Two-step authentication: the code from the member's authenticator app."""
    fid = p.id()
    inner = (f'<p>Enter the code from your authenticator app.</p>{error_box(p, error)}'
             f'<form method="post" action="/log-in/authenticator">'
             f'<input type="hidden" name="{names["token"]}" value="{escape(token)}">'
             f'<div class="{p.h("field")}"><label for="{fid}">Verification code</label>'
             f'<input id="{fid}" type="text" name="{names["code"]}" inputmode="numeric" maxlength="6"'
             ' autocomplete="one-time-code" required autofocus></div>'
             f'<button type="submit" class="{p.h("primary")}">Continue</button></form>')
    return _auth(p, "Two-Step Authentication", inner)


def social(p: Page, provider: str, target: str) -> str:
    """Where the Google/Apple/GitHub buttons lead: that provider cannot be reached from here."""
    back = escape("/log-in?" + urlencode({"redirect_to": target}) if target else "/log-in")
    inner = (f'<div role="alert" class="{p.h("error")}">We couldn\'t connect to {escape(provider)}. '
             'Try again later or log in with your email address.</div>'
             f'<p><a href="{back}">Back to log in</a></p>')
    return _auth(p, f"Continue with {provider}", inner)


def landing(p: Page) -> str:
    body = (f'<header class="{p.h("bar")}"><a href="/">WordPress.com</a><span class="{p.h("grow")}"></span>'
            '<a href="/log-in">Log In</a><a href="/start">Get started</a></header>'
            f'<main class="{p.h("main")}"><h1>Build a site. Sell your stuff. Start a blog. And so much more.</h1>'
            '</main>')
    return document(p, "WordPress.com", body)


def message_page(p: Page, title: str, text: str) -> str:
    return _auth(p, title, f"<p>{escape(text)}</p>")
