"""HTML and scripts of the GitHub Copilot replica's pages (shared/platforms/github-copilot.md).

The real markup is not in the research, so this is the plain markup the md's "The replica" paragraph
names: a `<select>` per setting labelled by a `<label for>` (the default) or a
`button[role=switch][aria-checked]` labelled by its visible text (variant `control="switch"`), and
ordinary labelled inputs on the sign-in pages. Ids are generated on every load, class names and
form-field names are hashed per replica instance: nothing a flow could hold on to beyond roles, aria
state and visible text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

# The training setting's label: as reported (default) and the earlier "code snippets" setting
# (older_release). The md elides part of the older wording; the middle here is the replica's guess.
LABEL = "Allow GitHub to use my data for AI model training"
OLDER_LABEL = "Allow GitHub to use my code snippets from the code editor for product improvements"

# A select's two option labels (on, off): the md has none; "Enabled"/"Disabled" is its replica guess.
OPTION_WORDS: dict[str, tuple[str, str]] = {"enabled": ("Enabled", "Disabled"), "allowed": ("Allowed", "Blocked")}
ON_VALUE, OFF_VALUE = "enabled", "disabled"  # the <option value>s, the same for every select
SAVE_ERROR = "Something went wrong. Your changes were not saved."
SAVED = "Saved."
TRAINING = "model_training"


@dataclass(frozen=True)
class Row:
    """One setting on the Features part: the training setting or a neighbour."""

    key: str
    label: str
    desc: str
    section: str
    words: tuple[str, str] | None = None  # fixed option labels; None: the variant's (OPTION_WORDS)


# The page's other Copilot settings (the replica's own, plausible neighbours: not in the md).
NEIGHBOURS: tuple[Row, ...] = (
    Row("github_com", "Copilot in GitHub.com",
        "Use Copilot Chat and other Copilot features on github.com.", "Copilot Chat", ("Enabled", "Disabled")),
    Row("web_search", "Copilot can search the web",
        "Copilot Chat can use Bing to answer questions about recent events and new developments.", "Copilot Chat",
        ("Enabled", "Disabled")),
    Row("public_code", "Suggestions matching public code (duplication detection filter)",
        "Copilot can allow or block suggestions matching public code.", "Privacy", ("Allowed", "Blocked")),
)
NEIGHBOUR_DEFAULTS: dict[str, bool] = {"github_com": True, "web_search": True, "public_code": False}
TRAINING_DESC = ("Your prompts, suggestions and code context may be used to train the AI models that power "
                 "GitHub Copilot.")
MANAGED_NOTE = ("Some Copilot settings are managed by your organization. Contact your organization's "
                "administrators to change them.")

# The settings sidebar (real GitHub paths; only Public profile and Copilot have content).
SIDEBAR: tuple[tuple[str, str], ...] = (
    ("Public profile", "/settings/profile"), ("Account", "/settings/admin"), ("Appearance", "/settings/appearance"),
    ("Notifications", "/settings/notifications"), ("Emails", "/settings/emails"),
    ("Password and authentication", "/settings/security"), ("Copilot", "/settings/copilot"),
    ("Applications", "/settings/installations"), ("Developer settings", "/settings/apps"),
)
PLAN_NAMES = {"free": "Copilot Free", "pro": "Copilot Pro", "pro_plus": "Copilot Pro+",
              "business": "Copilot Business", "enterprise": "Copilot Enterprise"}


class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    def __init__(self, h: HashedClasses) -> None:
        self.h = h
        self.id = IdGen(":r", ":")


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;
  color:#1f2328;background:#fff}}
a{{color:#0969da;text-decoration:none}}
.{h("header")}{{display:flex;align-items:center;gap:16px;padding:16px 32px;background:#f6f8fa;
  border-bottom:1px solid #d1d9e0}}
.{h("logo")}{{font-weight:700;font-size:18px;color:#1f2328}}
.{h("grow")}{{flex:1}}
.{h("menu")} summary{{cursor:pointer;list-style:none}}
.{h("menu")} nav{{position:absolute;right:32px;background:#fff;border:1px solid #d1d9e0;border-radius:6px;
  padding:8px 0;min-width:180px}}
.{h("menu")} nav a{{display:block;padding:4px 16px;color:#1f2328}}
.{h("layout")}{{display:flex;gap:32px;max-width:1012px;margin:32px auto;padding:0 16px}}
.{h("side")}{{width:240px;flex:none}}
.{h("side")} a{{display:block;padding:6px 8px;border-radius:6px;color:#1f2328}}
.{h("side")} a[aria-current]{{background:#eff2f5;font-weight:600}}
.{h("side")} .{h("sub")}{{padding-left:24px}}
.{h("main")}{{flex:1;min-width:0}}
.{h("tabs")}{{display:flex;gap:8px;border-bottom:1px solid #d1d9e0;margin:8px 0 16px}}
.{h("tabs")} a{{padding:8px 12px;color:#1f2328}}
.{h("tabs")} a[aria-current]{{border-bottom:2px solid #fd8c73;font-weight:600}}
.{h("section")} h2{{font-size:20px;font-weight:400;border-bottom:1px solid #d1d9e0;padding-bottom:8px;
  margin:24px 0 8px}}
.{h("row")}{{display:flex;align-items:flex-start;justify-content:space-between;gap:24px;padding:12px 0;
  border-bottom:1px solid #eff2f5}}
.{h("row_label")}{{font-weight:600;display:block}}
.{h("note")}{{margin:2px 0 0;color:#59636e;font-size:12px}}
.{h("select")}{{padding:5px 28px 5px 12px;border:1px solid #d1d9e0;border-radius:6px;background:#f6f8fa}}
.{h("toggle")}{{display:flex;align-items:center;gap:8px}}
.{h("switch")}{{width:40px;height:22px;border-radius:11px;border:1px solid #d1d9e0;background:#eff2f5;padding:1px;
  cursor:pointer}}
.{h("switch")}.{h("switch_on")}{{background:#1f883d;border-color:#1f883d}}
.{h("knob")}{{display:block;width:18px;height:18px;border-radius:50%;background:#fff;
  box-shadow:0 1px 2px rgba(0,0,0,.3)}}
.{h("switch_on")} .{h("knob")}{{transform:translateX(18px)}}
.{h("btn")}{{padding:5px 16px;border:1px solid #d1d9e0;border-radius:6px;background:#f6f8fa;font-weight:500;
  cursor:pointer}}
.{h("btn_primary")}{{background:#1f883d;border-color:#1f883d;color:#fff}}
.{h("skeleton")}{{height:220px;border-radius:6px;background:#eff2f5}}
.{h("flash")}{{padding:12px 16px;border:1px solid #d1d9e0;border-radius:6px;margin:12px 0}}
.{h("flash_error")}{{background:#ffebe9;border-color:#ff818266}}
.{h("flash_ok")}{{background:#dafbe1;border-color:#4ac26b66}}
.{h("auth")}{{width:340px;margin:40px auto}}
.{h("auth")} h1{{font-size:24px;font-weight:300;text-align:center}}
.{h("auth_body")}{{background:#f6f8fa;border:1px solid #d1d9e0;border-radius:6px;padding:16px}}
.{h("auth_body")} label{{display:block;margin:12px 0 6px}}
.{h("auth_body")} input[type=text],.{h("auth_body")} input[type=password]{{width:100%;padding:5px 12px;
  border:1px solid #d1d9e0;border-radius:6px}}
.{h("auth_body")} input[type=submit],.{h("auth_body")} button{{width:100%;margin-top:16px}}
.{h("aside")}{{text-align:center;border:1px solid #d1d9e0;border-radius:6px;padding:16px;margin-top:16px}}
"""


def document(p: Page, title: str, body: str, scripts: str = "", csrf: str = "") -> str:
    meta = f'<meta name="csrf-token" content="{escape(csrf)}">' if csrf else ""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{meta}'
            f"<style>{css(p.h)}</style></head>\n<body>\n"
            f'<div class="{p.h("app")}">{body}</div>\n{scripts}\n</body></html>')


def flash(p: Page, error: str) -> str:
    return f'<div role="alert" class="{p.h("flash")} {p.h("flash_error")}">{escape(error)}</div>' if error else ""


# ---------------------------------------------------------------- signed-out pages and sign-in

def guest_home(p: Page) -> str:
    body = (f'<header class="{p.h("header")}"><a href="/" class="{p.h("logo")}">GitHub</a>'
            f'<span class="{p.h("grow")}"></span><a href="/login">Sign in</a> <a href="/signup">Sign up</a></header>'
            f'<main class="{p.h("auth")}"><h1>Build and ship software on a single, collaborative platform</h1>'
            '<p>Join the world\'s most widely adopted AI-powered developer platform.</p></main>')
    return document(p, "GitHub · Build and ship software on a single, collaborative platform", body)


def _auth(p: Page, title: str, heading: str, inner: str, scripts: str = "") -> str:
    body = (f'<header class="{p.h("header")}"><a href="https://github.com/" class="{p.h("logo")}">GitHub</a>'
            f'</header><main class="{p.h("auth")}"><h1>{escape(heading)}</h1>{inner}</main>')
    return document(p, title, body, scripts)


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{escape(value)}">'


PASSKEY_JS = """(() => {
  const b = document.currentScript.previousElementSibling.querySelector('button');
  b.addEventListener('click', () => { b.nextElementSibling.hidden = false; });
})();"""


def login(p: Page, *, names: dict[str, str], token: str, target: str, login_value: str = "",
          error: str = "") -> str:
    """github.com/login: "Username or email address" and "Password", submit "Sign in"; a passkey
    button below (it leads nowhere here)."""
    uid, pid = p.id(), p.id()
    form = (f'<form action="/session" method="post">{_hidden(names["token"], token)}'
            f'<label for="{uid}">Username or email address</label>'
            f'<input type="text" id="{uid}" name="{names["login"]}" value="{escape(login_value)}"'
            ' autocomplete="username" autocapitalize="off" autocorrect="off" required autofocus>'
            f'<label for="{pid}">Password</label>'
            f'<input type="password" id="{pid}" name="{names["password"]}" autocomplete="current-password" required>'
            '<a href="/password_reset">Forgot password?</a>'
            f'{_hidden(names["return_to"], target)}'
            f'<input type="submit" name="commit" value="Sign in" class="{p.h("btn")} {p.h("btn_primary")}">'
            '</form>')
    passkey = (f'<div class="{p.h("aside")}"><button type="button" class="{p.h("btn")}">Sign in with a passkey'
               '</button><p hidden>Passkeys are not available on this device.</p></div>')
    inner = (f'{flash(p, error)}<div class="{p.h("auth_body")}">{form}</div>{passkey}'
             f'<script>{PASSKEY_JS}</script>'
             f'<p class="{p.h("aside")}">New to GitHub? <a href="/signup">Create an account</a></p>')
    return _auth(p, "Sign in to GitHub · GitHub", "Sign in to GitHub", inner)


def two_factor(p: Page, *, names: dict[str, str], token: str, error: str = "") -> str:
    """The authenticator-app step after the password."""
    cid = p.id()
    form = (f'<form action="/sessions/two-factor" method="post">{_hidden(names["token"], token)}'
            f'<label for="{cid}">Authentication code</label>'
            f'<input type="text" id="{cid}" name="{names["code"]}" inputmode="numeric" autocomplete="one-time-code"'
            ' maxlength="6" placeholder="XXXXXX" required autofocus>'
            f'<button type="submit" class="{p.h("btn")} {p.h("btn_primary")}">Verify</button>'
            '<p>Open your two-factor authenticator (TOTP) app or browser extension to view your authentication '
            'code.</p></form>')
    inner = (f'{flash(p, error)}<div class="{p.h("auth_body")}">{form}</div>'
             f'<p class="{p.h("aside")}">Having problems? <a href="/sessions/two-factor/recovery">Use a recovery '
             'code or begin 2FA account recovery</a></p>')
    return _auth(p, "Two-factor authentication · GitHub", "Two-factor authentication", inner)


def device_verification(p: Page, *, names: dict[str, str], token: str, masked_email: str, expires: str,
                        error: str = "", resent: bool = False) -> str:
    """Device verification: a code emailed to the member, asked on a browser GitHub does not know."""
    cid = p.id()
    note = f'<p role="status">A new code was sent to {escape(masked_email)}.</p>' if resent else ""
    form = (f'<form action="/sessions/verified-device" method="post">{_hidden(names["token"], token)}'
            f'<label for="{cid}">Device Verification Code</label>'
            f'<input type="text" id="{cid}" name="{names["code"]}" inputmode="numeric" autocomplete="one-time-code"'
            ' maxlength="6" placeholder="XXXXXX" required autofocus>'
            f'<button type="submit" class="{p.h("btn")} {p.h("btn_primary")}">Verify</button></form>')
    resend = (f'<form action="/sessions/verified-device/resend" method="post">{_hidden(names["token"], token)}'
              f'<button type="submit" class="{p.h("btn")}">Re-send the authentication code</button></form>')
    inner = (f'{flash(p, error)}{note}<div class="{p.h("auth_body")}">'
             f'<p>We just sent your authentication code via email to {escape(masked_email)}. The code will expire '
             f'at {escape(expires)}.</p>{form}</div><div class="{p.h("aside")}">{resend}</div>')
    return _auth(p, "Device verification · GitHub", "Device verification", inner)


def logout_page(p: Page, token: str, names: dict[str, str]) -> str:
    form = (f'<form action="/logout" method="post">{_hidden(names["token"], token)}'
            f'<button type="submit" class="{p.h("btn")} {p.h("btn_primary")}">Sign out</button></form>')
    return _auth(p, "Sign out · GitHub", "Are you sure you want to sign out?",
                 f'<div class="{p.h("auth_body")}">{form}</div>')


# ---------------------------------------------------------------- signed-in chrome

def header(p: Page, username: str, name: str) -> str:
    """The signed-in header: logo, search, the avatar menu holding "Settings" and "Sign out"."""
    return (f'<header class="{p.h("header")}"><a href="/" class="{p.h("logo")}" aria-label="Homepage">GitHub</a>'
            f'<span class="{p.h("grow")}">Dashboard</span>'
            f'<details class="{p.h("menu")}"><summary aria-label="Open user navigation menu">'
            f'{escape(username)}</summary><nav aria-label="User navigation">'
            f'<p><strong>{escape(username)}</strong> {escape(name)}</p>'
            '<a href="/settings/profile">Settings</a><a href="/logout">Sign out</a></nav></details></header>')


def settings_shell(p: Page, *, top: str, title: str, active: str, main: str, sub: tuple[tuple[str, str], ...] = (),
                   scripts: str = "", csrf: str = "") -> str:
    """A settings page: the sidebar (Copilot's sub-items when Features is a page of its own) and `main`."""
    links = []
    for text, href in SIDEBAR:
        current = ' aria-current="page"' if href == active else ""
        links.append(f'<a href="{href}"{current}>{escape(text)}</a>')
        if href == "/settings/copilot":
            for sub_text, sub_href in sub:
                cur = ' aria-current="page"' if sub_href == active else ""
                links.append(f'<a href="{sub_href}" class="{p.h("sub")}"{cur}>{escape(sub_text)}</a>')
    side = f'<nav class="{p.h("side")}" aria-label="Settings">{"".join(links)}</nav>'
    body = f'{top}<div class="{p.h("layout")}">{side}<main class="{p.h("main")}">{main}</main></div>'
    return document(p, f"{title} · GitHub", body, scripts, csrf)


def dashboard(p: Page, top: str, name: str) -> str:
    main = f'<main class="{p.h("layout")}"><div><h1>Home</h1><p>Welcome back, {escape(name)}.</p></div></main>'
    return document(p, "GitHub", top + main)


def profile_page(p: Page, top: str, name: str) -> str:
    fid = p.id()
    main = (f'<h1>Public profile</h1><label for="{fid}">Name</label> '
            f'<input type="text" id="{fid}" value="{escape(name)}" readonly>')
    return settings_shell(p, top=top, title="Your profile", active="/settings/profile", main=main)


def plain_settings_page(p: Page, top: str, title: str, active: str) -> str:
    return settings_shell(p, top=top, title=title, active=active, main=f"<h1>{escape(title)}</h1>")


def copilot_overview(p: Page, top: str, plan: str, sub: tuple[tuple[str, str], ...]) -> str:
    """/settings/copilot when Features is a page of its own: the plan, no setting."""
    main = (f'<h1>Copilot</h1><section class="{p.h("section")}"><h2>Your plan</h2>'
            f'<p>You are using <strong>{escape(PLAN_NAMES[plan])}</strong>.</p>'
            '<p>Copilot helps you write code faster with AI-powered suggestions, chat and agents.</p></section>')
    return settings_shell(p, top=top, title="Copilot", active="/settings/copilot", main=main, sub=sub)


def models_page(p: Page, top: str, active: str, sub: tuple[tuple[str, str], ...], tabs: str) -> str:
    main = (f'<h1>{"Copilot" if tabs else "Models"}</h1>{tabs}<section class="{p.h("section")}"><h2>Models</h2>'
            '<p>Choose which models are available to you in Copilot Chat.</p></section>')
    return settings_shell(p, top=top, title="Copilot models", active=active, main=main, sub=sub)


def tabs(p: Page, current: str) -> str:
    """Features as a tab of /settings/copilot (the default layout)."""
    out = []
    for text, href in (("Features", "/settings/copilot"), ("Models", "/settings/copilot/models")):
        cur = ' aria-current="page"' if href == current else ""
        out.append(f'<a href="{href}"{cur}>{text}</a>')
    return f'<nav class="{p.h("tabs")}" aria-label="Copilot">{"".join(out)}</nav>'


# ---------------------------------------------------------------- the Features part

def _select_row(p: Page, name: str, label: str, desc: str, words: tuple[str, str], value: bool) -> str:
    sid, did = p.id(), p.id()
    opts = "".join(f'<option value="{v}"{" selected" if (v == ON_VALUE) == value else ""}>{escape(w)}</option>'
                   for v, w in ((ON_VALUE, words[0]), (OFF_VALUE, words[1])))
    return (f'<div class="{p.h("row")}"><div><label for="{sid}" class="{p.h("row_label")}">{escape(label)}</label>'
            f'<p id="{did}" class="{p.h("note")}">{escape(desc)}</p></div>'
            f'<select id="{sid}" name="{name}" aria-describedby="{did}" class="{p.h("select")}">{opts}</select></div>')


def _switch_row(p: Page, name: str, label: str, desc: str, value: bool) -> str:
    lid, did = p.id(), p.id()
    on = f' {p.h("switch_on")}' if value else ""
    return (f'<div class="{p.h("row")}"><div><span id="{lid}" class="{p.h("row_label")}">{escape(label)}</span>'
            f'<p id="{did}" class="{p.h("note")}">{escape(desc)}</p></div>'
            f'<div class="{p.h("toggle")}"><span aria-hidden="true">{"On" if value else "Off"}</span>'
            f'<button type="button" role="switch" aria-checked="{"true" if value else "false"}" name="{name}"'
            f' aria-labelledby="{lid}" aria-describedby="{did}" class="{p.h("switch")}{on}">'
            f'<span class="{p.h("knob")}" aria-hidden="true"></span></button></div></div>')


# Hydrates (or, late, mounts) the Features part. Select mode: a change is a draft until "Save" (or,
# without a Save button, saved at once); switch mode: a click saves that switch at once. Saves are
# background POSTs with the page's CSRF token in a header. A failed save puts the controls back to
# the server's values and shows a role=alert flash; a 401 sends the visitor to sign in and back.
FEATURES_JS = """(() => {
  const cfg = __CFG__;
  const slot = document.getElementById(cfg.slot);
  const held = slot.querySelector('template');
  const messages = document.getElementById(cfg.messages);
  const server = Object.assign({}, cfg.values), draft = Object.assign({}, cfg.values);
  let busy = false, seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6); return ':r' + seq + ':'; };
  const c = cfg.cls;

  function renumber(root) {  // new ids, label/aria references kept
    const map = {};
    root.querySelectorAll('[id]').forEach((e) => { const n = freshId(); map[e.id] = n; e.id = n; });
    root.querySelectorAll('[for],[aria-labelledby],[aria-describedby]').forEach((e) => {
      for (const a of ['for', 'aria-labelledby', 'aria-describedby']) {
        const v = e.getAttribute(a); if (v && map[v]) e.setAttribute(a, map[v]);
      }
    });
  }
  function paint() {
    slot.querySelectorAll('select[name]').forEach((s) => {
      s.value = draft[s.name] ? cfg.on : cfg.off; s.disabled = busy; });
    slot.querySelectorAll('button[role="switch"]').forEach((b) => {
      const v = !!draft[b.name];
      b.setAttribute('aria-checked', String(v)); b.classList.toggle(c.on, v); b.disabled = busy;
      const text = b.previousElementSibling; if (text) text.textContent = v ? 'On' : 'Off';
    });
    slot.querySelectorAll('button[type="submit"]').forEach((b) => { b.disabled = busy; });
  }
  function mount() { slot.replaceChildren(held.content.cloneNode(true)); paint(); later(); }
  function rerender() {  // as a re-rendering framework does: an equal node, not the same one
    const old = slot.firstElementChild;
    if (!old || old.tagName === 'TEMPLATE') return;
    const copy = old.cloneNode(true); renumber(copy); old.replaceWith(copy); paint();
  }
  function later() { if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs); }
  function say(role, text) {
    const item = document.createElement('div');
    item.setAttribute('role', role);
    item.className = c.flash + ' ' + (role === 'alert' ? c.error : c.ok);
    item.textContent = text;
    messages.replaceChildren(item);
  }
  async function save(keys) {
    if (busy) return;
    const body = {};
    for (const k of keys) body[k] = draft[k] ? cfg.on : cfg.off;
    busy = true; paint(); messages.replaceChildren();
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'accept': 'application/json',
                  'x-csrf-token': document.querySelector('meta[name="csrf-token"]').content},
        body: JSON.stringify(body)});
      status = r.status;
    } catch (e) { status = 0; }
    busy = false;
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.href)); return; }
    if (status < 200 || status >= 300) {
      Object.assign(draft, server); paint(); say('alert', cfg.text.error); return;
    }
    for (const k of keys) server[k] = draft[k];
    paint(); say('status', cfg.text.saved);
    if (cfg.replaceNode) rerender();
  }
  slot.addEventListener('change', (event) => {
    const s = event.target.closest('select[name]');
    if (!s) return;
    draft[s.name] = s.value === cfg.on;
    if (!cfg.saveButton) save([s.name]);
  });
  slot.addEventListener('click', (event) => {
    const b = event.target.closest('button[role="switch"]');
    if (!b || busy) return;
    draft[b.name] = !draft[b.name];
    save([b.name]);
  });
  slot.addEventListener('submit', (event) => { event.preventDefault(); save(Object.keys(draft)); });
  if (held) setTimeout(mount, cfg.lateMs);
  else later();
})();"""


@dataclass(frozen=True)
class FeatureRow:
    """A row as drawn for one member: its hashed field name, label, option words and value."""

    name: str
    label: str
    desc: str
    words: tuple[str, str]
    value: bool


def features_part(p: Page, *, rows: dict[str, list[FeatureRow]], control: str, save_button: bool, late_ms: int,
                  replace_node: bool, save_url: str, token_name: str, csrf: str, managed: bool) -> tuple[str, str]:
    """The Features part (sections "Copilot Chat" and "Privacy"); returns (markup, script)."""
    sections = []
    for title, items in rows.items():
        drawn = "".join(_select_row(p, r.name, r.label, r.desc, r.words, r.value) if control == "select"
                        else _switch_row(p, r.name, r.label, r.desc, r.value) for r in items)
        note = f'<p class="{p.h("note")}">{escape(MANAGED_NOTE)}</p>' if managed and title == "Privacy" else ""
        sections.append(f'<section class="{p.h("section")}"><h2>{escape(title)}</h2>{drawn}{note}</section>')
    inner = "".join(sections)
    if control == "select":
        button = (f'<p><button type="submit" class="{p.h("btn")} {p.h("btn_primary")}">Save</button></p>'
                  if save_button else "")
        part = f'<form method="post" action="{save_url}">{_hidden(token_name, csrf)}{inner}{button}</form>'
    else:
        part = f"<div>{inner}</div>"
    slot, messages = p.id(), p.id()
    body = f'<template>{part}</template><div class="{p.h("skeleton")}"></div>' if late_ms > 0 else part
    markup = (f'<div id="{messages}" aria-live="polite"></div>'
              f'<div id="{slot}" class="{p.h("slot")}">{body}</div>')
    h = p.h
    cfg = {"slot": slot, "messages": messages, "values": {r.name: r.value for items in rows.values() for r in items},
           "on": ON_VALUE, "off": OFF_VALUE, "saveButton": save_button, "lateMs": late_ms,
           "replaceNode": replace_node, "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100,
           "saveUrl": save_url, "loginUrl": "/login?return_to=", "text": {"error": SAVE_ERROR, "saved": SAVED},
           "cls": {"on": h("switch_on"), "flash": h("flash"), "error": h("flash_error"), "ok": h("flash_ok")}}
    return markup, f"<script>{FEATURES_JS.replace('__CFG__', script_json(cfg))}</script>"


def features_page(p: Page, *, top: str, heading: str, tab_nav: str, active: str, sub: tuple[tuple[str, str], ...],
                  part: str, script: str, csrf: str) -> str:
    main = f"<h1>{escape(heading)}</h1>{tab_nav}{part}"
    return settings_shell(p, top=top, title="Copilot features", active=active, main=main, sub=sub, scripts=script,
                          csrf=csrf)


# ---------------------------------------------------------------- errors

def error_page(p: Page, title: str, body: str) -> str:
    return _auth(p, f"{title} · GitHub", title, f"<p>{escape(body)}</p>")


def login_url(target: str) -> str:
    return "/login?" + urlencode({"return_to": target})
