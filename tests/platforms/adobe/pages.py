"""HTML and scripts of the Adobe replica's pages.

adobe.md knows no markup, so the pages use what its "The replica" paragraph names: an account home
with "Account and security", a "Privacy and personal data" page and on it the "Content analysis"
switch as a `button[role=switch][aria-checked]` named by its visible label (`aria-labelledby`). The
sign-in is plain server-rendered forms of ordinary labelled inputs. Ids are generated (new on every
load), class names hashed, and every input's `name` is drawn afresh for each rendering: no input or
switch has a stable id or name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from . import texts as t

LOGO = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="26" height="23" viewBox="0 0 26 23">'
        '<path d="M16.5 0H26v23zM9.5 0H0v23zM13 8.5 19 23h-4l-1.8-4.6H8.9z" fill="#eb1000"/></svg>')


class Page:
    """What one rendering needs: this instance's hashed classes and fresh generated ids."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen("react-aria-", "")


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:14px/1.5 "Adobe Clean",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
  background:#f8f8f8}}
a{{color:#0265dc}}
button{{font:inherit}}
.{h("top")}{{display:flex;align-items:center;justify-content:space-between;padding:10px 24px;background:#fff;
  border-bottom:1px solid #e1e1e1}}
.{h("brand")}{{display:flex;align-items:center;gap:10px;font-weight:700;font-size:16px;color:#222;text-decoration:none}}
.{h("who")}{{display:flex;align-items:center;gap:16px}}
.{h("nav")}{{display:flex;gap:4px;padding:0 24px;background:#fff;border-bottom:1px solid #e1e1e1}}
.{h("navlink")}{{padding:12px 14px;color:#4b4b4b;text-decoration:none;border-bottom:2px solid transparent}}
.{h("navlink")}[aria-current=page]{{color:#222;border-bottom-color:#222;font-weight:700}}
.{h("main")}{{max-width:1040px;margin:0 auto;padding:32px 24px}}
.{h("main")} h1{{font-size:28px;margin:0 0 20px}}
.{h("grid")}{{display:grid;grid-template-columns:220px 1fr;gap:32px}}
.{h("tabs")}{{list-style:none;margin:0;padding:0;display:grid;gap:2px}}
.{h("tab")}{{display:block;padding:8px 12px;border-radius:4px;color:#4b4b4b;text-decoration:none}}
.{h("tab")}[aria-current=page]{{background:#e9e9e9;color:#222;font-weight:700}}
.{h("card")}{{background:#fff;border:1px solid #e1e1e1;border-radius:8px;padding:20px 24px;margin-bottom:16px}}
.{h("card")} h2{{font-size:20px;margin:0 0 6px}}
.{h("muted")}{{color:#6e6e6e}}
.{h("row")}{{display:flex;align-items:center;justify-content:space-between;gap:24px;padding:16px 0;
  border-top:1px solid #eee;text-decoration:none;color:inherit}}
.{h("row_label")}{{font-weight:700;font-size:16px}}
.{h("row_desc")}{{margin:2px 0 0;color:#6e6e6e}}
.{h("skeleton")}{{height:64px;margin:6px 0;border-radius:6px;background:linear-gradient(90deg,#eee,#f6f6f6,#eee)}}
.{h("switch")}{{all:unset;position:relative;flex:none;width:34px;height:18px;border-radius:9px;
  background:#8e8e8e;cursor:pointer}}
.{h("switch")}[aria-checked=true]{{background:#0265dc}}
.{h("switch")}:disabled{{opacity:.5;cursor:default}}
.{h("switch")}:focus-visible{{outline:2px solid #0265dc;outline-offset:2px}}
.{h("knob")}{{position:absolute;top:2px;left:2px;width:14px;height:14px;border-radius:50%;background:#fff;
  transition:transform .15s}}
.{h("switch")}[aria-checked=true] .{h("knob")}{{transform:translateX(16px)}}
.{h("toasts")}{{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);display:grid;gap:8px;z-index:200}}
.{h("toast")}{{background:#d31510;color:#fff;border-radius:6px;padding:10px 16px}}
.{h("auth_bg")}{{min-height:100vh;padding-top:72px;background:#e9e9e9}}
.{h("auth")}{{width:460px;margin:0 auto;background:#fff;border-radius:8px;padding:40px 40px 32px}}
.{h("auth")} h1{{font-size:24px;margin:16px 0 8px}}
.{h("field")} label{{display:block;color:#4b4b4b;margin-top:12px}}
.{h("field")} input{{display:block;width:100%;font:inherit;padding:7px 10px;border:1px solid #b1b1b1;border-radius:4px;
  margin:4px 0 16px}}
.{h("primary")}{{border:0;border-radius:16px;background:#0265dc;color:#fff;padding:6px 18px;font-weight:700;
  cursor:pointer}}
.{h("actions")}{{display:flex;justify-content:flex-end;margin-top:8px}}
.{h("quiet")}{{border:0;background:none;padding:0;color:#0265dc;cursor:pointer}}
.{h("or")}{{text-align:center;color:#6e6e6e;margin:20px 0 12px}}
.{h("social")}{{display:block;text-align:center;border:2px solid #b1b1b1;border-radius:16px;padding:5px 16px;
  margin:8px 0;color:#222;text-decoration:none;font-weight:700}}
.{h("error")}{{color:#d31510;margin:8px 0}}
"""


def document(p: Page, title: str, body: str, scripts: str = "") -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{escape(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n<body>\n{body}\n{scripts}\n</body></html>")


# ---------------------------------------------------------------- sign-in

@dataclass(frozen=True)
class SignInStep:
    """One sign-in page: which step, where its form posts and the name its input has this time."""

    step: str  # email | password | code | totp
    action: str
    field: str
    email: str = ""  # the address being signed in (shown from the password step on)
    error: str = ""
    info: str = ""
    restart_href: str = ""  # "Change" (another email): back to the email step
    resend_action: str = ""
    social: Mapping[str, str] | None = None  # provider -> href, on the email step


def _field(p: Page, label: str, kind: str, name: str, autocomplete: str, value: str = "", extra: str = "") -> str:
    fid = p.id()
    val = f' value="{escape(value)}"' if value else ""
    return (f'<div class="{p.h("field")}"><label for="{fid}">{escape(label)}</label>'
            f'<input id="{fid}" name="{escape(name)}" type="{kind}" autocomplete="{autocomplete}" '
            f'required{val}{extra}></div>')


def signin(p: Page, s: SignInStep) -> str:
    h = p.h
    notes = ""
    if s.error:
        notes += f'<p role="alert" class="{h("error")}">{escape(s.error)}</p>'
    if s.info:
        notes += f'<p role="status" class="{h("muted")}">{escape(s.info)}</p>'
    who = ""
    if s.email and s.step != "email":
        who = (f'<p><span>{escape(s.email)}</span> <a href="{escape(s.restart_href)}" '
               f'class="{h("quiet")}">{t.CHANGE_EMAIL}</a></p>')
    if s.step == "email":
        title, body = t.SIGN_IN, _field(p, t.EMAIL_LABEL, "email", s.field, "username", s.email)
        button = t.CONTINUE
    elif s.step == "password":
        title, body = t.PASSWORD_TITLE, _field(p, t.PASSWORD_LABEL, "password", s.field, "current-password")
        button = t.CONTINUE
    elif s.step == "code":
        title = t.CODE_TITLE
        body = (f'<p>{escape(t.CODE_SENT.format(email=_mask(s.email)))}</p>'
                + _field(p, t.CODE_LABEL, "text", s.field, "one-time-code", extra=' inputmode="numeric" maxlength="6"'))
        button = t.CONTINUE
    else:
        title = t.TOTP_TITLE
        body = (f"<p>{t.TOTP_BODY}</p>"
                + _field(p, t.TOTP_LABEL, "text", s.field, "one-time-code", extra=' inputmode="numeric" maxlength="6"'))
        button = t.VERIFY
    form = (f'<form method="post" action="{escape(s.action)}" novalidate>{body}'
            f'<div class="{h("actions")}"><button type="submit" class="{h("primary")}">{button}</button></div></form>')
    extra = ""
    if s.resend_action:
        extra += (f'<form method="post" action="{escape(s.resend_action)}"><button type="submit" '
                  f'class="{h("quiet")}">{t.RESEND}</button></form>')
    if s.social:
        extra += f'<p class="{h("or")}">Or</p>' + "".join(
            f'<a class="{h("social")}" href="{escape(href)}">{escape(t.SOCIAL[key])}</a>'
            for key, href in s.social.items())
    card = f'{LOGO}<h1>{escape(title)}</h1>{who}{notes}{form}{extra}'
    body = f'<div class="{h("auth_bg")}"><main class="{h("auth")}">{card}</main></div>'
    return document(p, f"{title} | Adobe ID", body)


def social_failed(p: Page, provider: str, back: str) -> str:
    name = provider.title()
    body = (f'<div class="{p.h("auth_bg")}"><main class="{p.h("auth")}">{LOGO}<h1>{escape(t.SOCIAL[provider])}</h1>'
            f'<p role="alert" class="{p.h("error")}">{escape(t.SOCIAL_FAILED.format(provider=name))}</p>'
            f'<p><a href="{escape(back)}">{t.BACK}</a></p></main></div>')
    return document(p, f"{t.SIGN_IN} | Adobe ID", body)


def _mask(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(3, len(local) - 1)}@{domain}"


# ---------------------------------------------------------------- the account site

def shell(p: Page, name: str, active: str, nav: Sequence[tuple[str, str, str]], main: str, scripts: str = "",
          title: str = "") -> str:
    """Every signed-in page: the brand, the member's name and "Sign out" on top, the main nav
    `(key, label, href)` below it."""
    h = p.h
    links = "".join(
        f'<a class="{h("navlink")}" href="{escape(href)}"{" aria-current=page" if key == active else ""}>'
        f"{escape(label)}</a>" for key, label, href in nav)
    body = f"""<header class="{h("top")}">
 <a href="/" class="{h("brand")}">{LOGO}<span>{t.ADOBE_ACCOUNT}</span></a>
 <div class="{h("who")}"><span>{escape(name)}</span><a href="/signout">{t.SIGN_OUT}</a></div>
</header>
<nav aria-label="{t.ADOBE_ACCOUNT}" class="{h("nav")}">{links}</nav>
<main class="{h("main")}">{main}</main>
<div class="{h("toasts")}" aria-live="polite"></div>"""
    return document(p, f"{title} | {t.ADOBE_ACCOUNT}" if title else t.ADOBE_ACCOUNT, body, scripts)


def home(p: Page, name: str, email: str) -> str:
    h = p.h
    first = name.split()[0] if name.split() else name
    return (f"<h1>{escape(t.WELCOME.format(name=first))}</h1>"
            f'<div class="{h("card")}"><h2>Your plan</h2><p class="{h("muted")}">Adobe Free Membership</p></div>'
            f'<div class="{h("card")}"><h2>Your Adobe ID</h2><p class="{h("muted")}">{escape(email)}</p></div>')


def plans(p: Page) -> str:
    return (f"<h1>{t.PLANS}</h1><div class=\"{p.h('card')}\"><h2>Adobe Free Membership</h2>"
            f"<p class=\"{p.h('muted')}\">No payment method on file.</p></div>")


def section_frame(p: Page, tabs: Sequence[tuple[str, str, str]], active: str, panel: str) -> str:
    """"Account and security": its heading, its tabs `(key, label, href)` and the active panel."""
    h = p.h
    items = "".join(
        f'<li><a href="{escape(href)}" class="{h("tab")}"{" aria-current=page" if key == active else ""}>'
        f"{escape(label)}</a></li>" for key, label, href in tabs)
    return (f"<h1>{t.ACCOUNT_AND_SECURITY}</h1><div class=\"{h('grid')}\">"
            f'<nav aria-label="{t.ACCOUNT_AND_SECURITY}"><ul class="{h("tabs")}">{items}</ul></nav>'
            f"<section>{panel}</section></div>")


def _static_row(p: Page, label: str, value: str) -> str:
    return (f'<div class="{p.h("row")}"><div class="{p.h("row_label")}">{escape(label)}</div>'
            f'<span class="{p.h("muted")}">{escape(value)}</span></div>')


def profile_panel(p: Page, name: str, email: str) -> str:
    return (f'<div class="{p.h("card")}"><h2>{t.PERSONAL_PROFILE}</h2>'
            f'{_static_row(p, "Name", name)}{_static_row(p, "Email", email)}</div>')


def simple_panel(p: Page, title: str, rows: Sequence[tuple[str, str]]) -> str:
    return f'<div class="{p.h("card")}"><h2>{escape(title)}</h2>' + "".join(
        _static_row(p, a, b) for a, b in rows) + "</div>"


def link_row(p: Page, label: str, href: str, desc: str) -> str:
    h = p.h
    return (f'<a class="{h("row")}" href="{escape(href)}"><div><div class="{h("row_label")}">{escape(label)}</div>'
            f'<p class="{h("row_desc")}">{escape(desc)}</p></div><span aria-hidden="true">&#8250;</span></a>')


def switch_row(p: Page, label: str, desc: str, value: bool, label_id: str | None = None) -> str:
    """One setting: its visible label and sentence, and the switch they name (`label_id`: the switch
    is named by an element outside the row, e.g. the page's heading)."""
    h = p.h
    did = p.id()
    lid = label_id or p.id()
    shown = "" if label_id else f'<div id="{lid}" class="{h("row_label")}">{escape(label)}</div>'
    return (f'<div class="{h("row")}"><div>{shown}<p id="{did}" class="{h("row_desc")}">{escape(desc)}</p></div>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" '
            f'aria-labelledby="{lid}" aria-describedby="{did}" class="{h("switch")}">'
            f'<span class="{h("knob")}"></span></button></div>')


# A switch saves at once by a background POST (no Save button). It is disabled while its save is in
# flight; a failed save puts it back and shows a role=alert toast; a 401 sends the page to sign-in.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  let seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return 'react-aria-' + seq; };
  const rows = cfg.rows.map((r) => ({...r, slot: document.getElementById(r.slot), busy: false}));
  const build = (row) => {
    const ids = new Map(), box = document.createElement('div');
    box.innerHTML = row.html.replace(/react-aria-[0-9]+/g, (old) => {
      if (!ids.has(old)) ids.set(old, cfg.keep.includes(old) ? old : freshId()); return ids.get(old); });
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
    helps: Mapping[str, str]
    late_ms: int
    rows: list[dict[str, object]]
    keep: list[str]  # ids outside the rows (a heading naming a switch) that a re-render must not renew

    def slot(self, key: str, label_id: str | None = None) -> str:
        sid = self.p.id()
        html = switch_row(self.p, t.LABELS[key], self.helps[key], self.values[key], label_id)
        if label_id:
            self.keep.append(label_id)
        self.rows.append({"slot": sid, "key": key, "value": self.values[key], "html": html})
        if self.late_ms > 0:
            return f'<div id="{sid}" aria-busy="true"><div class="{self.p.h("skeleton")}"></div></div>'
        return f'<div id="{sid}">{html}</div>'

    def script(self, *, replace_node: bool, csrf: str, save_url: str, signin_url: str) -> str:
        if not self.rows:
            return ""
        h = self.p.h
        return script(SWITCH_JS, {
            "rows": self.rows, "keep": self.keep, "saveUrl": save_url, "csrf": csrf, "lateMs": self.late_ms,
            "replaceNode": replace_node, "replaceAfterMs": 500, "seed": int(random_digits(4)) + 9000,
            "signinUrl": signin_url, "text": {"error": t.SAVE_ERROR},
            "cls": {"toast": h("toast"), "toasts": h("toasts")},
        })


def privacy_panel(p: Page, title: str, sw: Switches, *, offered: bool, ca_href: str | None) -> str:
    """"Privacy and personal data": the neighbours and "Content analysis" — its switch here (default) or,
    with `ca_href`, a row leading to its own page. A member not offered it sees the page without it."""
    h = p.h
    rows = sw.slot(t.DESKTOP_USAGE)
    if offered and ca_href:
        rows += link_row(p, t.LABELS[t.CONTENT_ANALYSIS], ca_href, t.CA_ROW_HELP)
    elif offered:
        rows += sw.slot(t.CONTENT_ANALYSIS)
    rows += sw.slot(t.OFFERS)
    return (f'<div class="{h("card")}"><h2>{escape(title)}</h2><p class="{h("muted")}">{t.PRIVACY_INTRO}</p>'
            f"{rows}</div>")


def content_analysis_panel(p: Page, sw: Switches, *, offered: bool, back_title: str, back_href: str) -> str:
    """The `content_analysis_page` variant's own page: the heading names the switch."""
    h = p.h
    hid = p.id()
    inner = sw.slot(t.CONTENT_ANALYSIS, label_id=hid) if offered else ""
    return (f'<p><a href="{escape(back_href)}">&#8249; {escape(back_title)}</a></p>'
            f'<div class="{h("card")}"><h2 id="{hid}">{t.LABELS[t.CONTENT_ANALYSIS]}</h2>{inner}</div>')


# ---------------------------------------------------------------- error pages

def error_page(p: Page, title: str, message: str) -> str:
    body = (f'<div class="{p.h("auth_bg")}"><main class="{p.h("auth")}">{LOGO}<h1>{escape(title)}</h1>'
            f'<p class="{p.h("muted")}">{escape(message)}</p><p><a href="/">{t.ADOBE_ACCOUNT}</a></p></main></div>')
    return document(p, f"{title} | {t.ADOBE_ACCOUNT}", body)
