"""HTML and scripts of the Google Gemini replica (shared/platforms/gemini.md).

Markup keeps to what gemini.md names: the sign-in ids of its section 3, the chip's `aria-label` and
`aria-haspopup`, `role=menu`/`role=menuitem`, `role=switch` on the older page and `role=checkbox`
with `aria-checked` for the audio item. Everything else is generated, as on Google's pages: hashed
class names stable for one replica instance, and `jsname`/`jscontroller` values and element ids new
on every page load, so a flow can hold on to roles, aria attributes and labels only.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import escape

from tests.replicas.server import HashedClasses, IdGen, script_json

# ---------------------------------------------------------------- texts (English only: gemini.md gives no French)

PAGE_TITLE = "Gemini Apps Activity"
CARD_HEADING = "Keep activity"
CHIP_ON_LABEL = "Turn off your Keep Activity setting"  # gemini.md
CHIP_OFF_LABEL = "Turn on your Keep Activity setting"  # replica's choice: gemini.md gives no Off wording
ON = "On"
OFF = "Off"
ON_SINCE = "On since {date}"
TURN_OFF = "Turn off"
TURN_OFF_DELETE = "Turn off and delete activity"
TURN_ON = "Turn on"
AUTO_DELETE_ROW = "Choose an auto-delete option"
AUDIO_LABEL = "Improve Google services with your audio and Gemini Live videos & screenshares"
GOT_IT = "Got it"
CANCEL = "Cancel"
SAVE_ERROR = "Something went wrong. Try again."
UNAVAILABLE = "Unavailable"
UNAVAILABLE_BODY = ("Gemini Apps Activity is unavailable for your account. Your organization's administrator "
                    "manages this setting.")
CARD_BODY = ("While Keep activity is on, Google keeps your Gemini Apps activity and uses it to provide, "
             "develop and improve Google services, including AI models.")
AUDIO_BODY = ("When this setting is on, your audio recordings and Gemini Live recordings are used to improve "
              "Google services.")
AUTO_DELETE_OPTIONS = {3: "Auto-delete activity older than 3 months",
                       18: "Auto-delete activity older than 18 months",
                       36: "Auto-delete activity older than 36 months",
                       0: "Don't auto-delete activity"}
AUTO_DELETE_NOW = {0: "Not auto-deleting activity"} | {m: f"Auto-deleting activity older than {m} months"
                                                      for m in (3, 18, 36)}
OLDER_SWITCH_TITLE = "Gemini Apps Activity"
OLDER_CONFIRM = {"turn_off": "Turn off", "pause": "Pause"}


def long_date(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def _jsname() -> str:
    """A `jsname`/`jscontroller`-like value: six random letters and digits, new on each load."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(6))


@dataclass
class Page:
    """What one rendering needs: the release's hashed classes and fresh ids for this load."""

    h: HashedClasses

    def __post_init__(self) -> None:
        self.id = IdGen("c")


def script(js: str, cfg: object) -> str:
    return f"<script nonce=\"{secrets.token_urlsafe(16)}\">{js.replace('__CFG__', script_json(cfg))}</script>"


GOOGLE_LOGO = ('<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">'
               '<path fill="#4285F4" d="M45.1 24.5c0-1.6-.1-3.1-.4-4.5H24v8.5h11.8c-.5 2.8-2.1 5.1-4.4 6.7v5.5h7.1'
               'c4.2-3.8 6.6-9.5 6.6-16.2z"/><path fill="#34A853" d="M24 46c5.9 0 10.9-2 14.5-5.3l-7.1-5.5c-2 1.3-4.5'
               ' 2.1-7.4 2.1-5.7 0-10.5-3.8-12.2-9H4.5v5.7C8.1 41.1 15.5 46 24 46z"/><path fill="#FBBC05" d="M11.8'
               ' 28.3c-.4-1.3-.7-2.8-.7-4.3s.3-3 .7-4.3V14H4.5C3 17 2 20.4 2 24s1 7 2.5 10l7.3-5.7z"/><path '
               'fill="#EA4335" d="M24 10.7c3.2 0 6.1 1.1 8.4 3.3l6.3-6.3C34.9 4.2 29.9 2 24 2 15.5 2 8.1 6.9 4.5 14'
               'l7.3 5.7c1.7-5.2 6.5-9 12.2-9z"/></svg>')
CARET_SVG = ('<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24">'
             '<path d="M7 10l5 5 5-5z" fill="currentColor"/></svg>')
CHEVRON_SVG = ('<svg aria-hidden="true" focusable="false" width="24" height="24" viewBox="0 0 24 24">'
               '<path d="M10 6L8.6 7.4 13.2 12l-4.6 4.6L10 18l6-6z" fill="currentColor"/></svg>')


def css(h: HashedClasses) -> str:
    return f"""
body{{margin:0;font-family:Roboto,Arial,sans-serif;color:#1f1f1f;background:#fff}}
.{h("top")}{{display:flex;align-items:center;gap:16px;padding:8px 16px;border-bottom:1px solid #dadce0}}
.{h("brand")}{{font-size:22px;color:#444746;text-decoration:none}}
.{h("spacer")}{{flex:1}}
.{h("avatar")}{{width:32px;height:32px;border-radius:50%;background:#1a73e8;color:#fff;display:grid;
  place-items:center;text-decoration:none;font-weight:500}}
.{h("main")}{{max-width:720px;margin:24px auto;padding:0 16px}}
.{h("hero")}{{font-size:28px;font-weight:400;margin:16px 0 24px}}
.{h("card")}{{border:1px solid #dadce0;border-radius:8px;padding:16px 24px;margin-bottom:24px}}
.{h("cardhead")}{{display:flex;align-items:center;justify-content:space-between;gap:16px}}
.{h("cardtitle")}{{font-size:18px;font-weight:400;margin:0}}
.{h("chip")}{{display:inline-block;vertical-align:middle;white-space:nowrap;border:1px solid #747775;border-radius:8px;
  background:#fff;padding:4px 8px 4px 12px;font:inherit;font-size:14px;cursor:pointer}}
.{h("chip")} svg{{vertical-align:middle}}
.{h("chip_on")}{{background:#c2e7ff;border-color:#c2e7ff}}
.{h("since")}{{color:#444746;font-size:14px;margin:4px 0 12px}}
.{h("body")}{{color:#444746;font-size:14px;line-height:20px}}
.{h("row")}{{display:flex;width:100%;align-items:center;justify-content:space-between;border:0;border-top:1px solid
  #dadce0;background:none;padding:16px 0;font:inherit;text-align:left;cursor:pointer}}
.{h("rowtitle")}{{font-size:16px}}
.{h("rowsub")}{{font-size:14px;color:#444746}}
.{h("audio")}{{display:flex;gap:16px;align-items:flex-start;border-top:1px solid #dadce0;padding:16px 0}}
.{h("box")}{{width:18px;height:18px;border:2px solid #444746;border-radius:2px;flex:none;cursor:pointer;
  display:grid;place-items:center}}
.{h("box_on")}{{background:#0b57d0;border-color:#0b57d0}}
.{h("box_on")} .{h("mark")}::after{{content:"\\2713";color:#fff;font-size:14px}}
.{h("switch")}{{width:36px;height:20px;border-radius:10px;border:0;background:#747775;position:relative;cursor:pointer}}
.{h("switch_on")}{{background:#0b57d0}}
.{h("knob")}{{position:absolute;top:2px;left:2px;width:16px;height:16px;border-radius:50%;background:#fff}}
.{h("switch_on")} .{h("knob")}{{left:18px}}
.{h("activity")}{{margin-top:8px}}
.{h("acthead")}{{display:flex;justify-content:space-between;align-items:center}}
.{h("item")}{{display:flex;justify-content:space-between;border-bottom:1px solid #dadce0;padding:12px 0}}
.{h("itemtext")}{{font-size:14px}}
.{h("itemmeta")}{{font-size:12px;color:#444746}}
.{h("iconbtn")}{{border:0;background:none;cursor:pointer;font-size:18px}}
.{h("menuwrap")}{{position:absolute;z-index:10}}
.{h("menu")}{{list-style:none;margin:0;padding:8px 0;background:#fff;border-radius:4px;
  box-shadow:0 2px 6px rgba(0,0,0,.3);min-width:220px}}
.{h("menuitem")}{{padding:10px 16px;cursor:pointer;font-size:14px}}
.{h("menuitem")}:hover,.{h("menuitem")}:focus{{background:#f1f3f4;outline:none}}
.{h("scrim")}{{position:fixed;inset:0;background:rgba(0,0,0,.32);display:grid;place-items:center;z-index:20}}
.{h("dialog")}{{background:#fff;border-radius:28px;padding:24px;max-width:440px}}
.{h("dialogtitle")}{{font-size:22px;font-weight:400;margin:0 0 12px}}
.{h("dialogbuttons")}{{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}}
.{h("btn")}{{border:0;border-radius:20px;padding:10px 24px;font:inherit;font-size:14px;cursor:pointer;
  background:none;color:#0b57d0}}
.{h("btn_primary")}{{background:#0b57d0;color:#fff}}
.{h("snackbar")}{{position:fixed;left:24px;bottom:24px;display:grid;gap:8px}}
.{h("snack")}{{background:#303030;color:#f2f2f2;padding:14px 16px;border-radius:4px}}
.{h("skeleton")}{{height:160px;border-radius:8px;background:#f1f3f4}}
.{h("signin")}{{max-width:450px;margin:48px auto;border:1px solid #dadce0;border-radius:28px;padding:36px 40px}}
.{h("heading")}{{font-size:24px;font-weight:400;margin:16px 0 8px}}
.{h("field")}{{margin:24px 0 8px}}
.{h("field")} input{{width:100%;box-sizing:border-box;padding:13px 15px;font:inherit;font-size:16px;
  border:1px solid #747775;border-radius:4px}}
.{h("error")}{{color:#b3261e;font-size:12px;min-height:16px}}
.{h("actions")}{{display:flex;justify-content:space-between;align-items:center;margin-top:32px}}
.{h("next")} button{{background:#0b57d0;color:#fff;border:0;border-radius:20px;padding:10px 24px;font:inherit;
  cursor:pointer}}
.{h("link")}{{color:#0b57d0;background:none;border:0;font:inherit;cursor:pointer;padding:0}}
.{h("spinner")}{{width:32px;height:32px;border:4px solid #c2e7ff;border-top-color:#0b57d0;border-radius:50%;
  animation:{h("spin")} 1s linear infinite;margin:24px auto}}
@keyframes {h("spin")}{{to{{transform:rotate(360deg)}}}}
.{h("emailchip")}{{display:inline-block;border:1px solid #747775;border-radius:16px;padding:4px 12px;
  font-size:14px;margin-top:8px}}
"""


def document(p: Page, title: str, body: str, scripts: str = "", wiz: dict[str, Any] | None = None) -> str:
    wiz_data = script("window.WIZ_global_data = __CFG__;", wiz) if wiz else ""
    return (f'<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{css(p.h)}</style>{wiz_data}</head>"
            f'<body jscontroller="{_jsname()}" jsaction="rcuQ6b:{_jsname()};">{body}{scripts}</body></html>')


def error_page(p: Page, code: int, message: str) -> str:
    """Google's bare "That's an error." page."""
    body = (f'<main class="{p.h("main")}"><p><b>{code}.</b> <ins>That’s an error.</ins></p>'
            f"<p>{escape(message)} <ins>That’s all we know.</ins></p></main>")
    return document(p, f"Error {code} (Server Error)!!1" if code >= 500 else f"Error {code} (Not Found)!!1", body)


# ---------------------------------------------------------------- sign-in

SIGNIN_JS = """(() => {
  const cfg = __CFG__;
  const form = document.getElementById(cfg.form);
  const err = form.querySelector('[role="alert"]');
  let sending = false;
  const fields = () => {
    const data = new URLSearchParams({TL: cfg.tl, step: cfg.step});
    for (const [key, sel] of Object.entries(cfg.fields)) {
      const input = form.querySelector(sel);
      data.set(key, input ? input.value : '');
    }
    return data;
  };
  async function next() {
    if (sending) return;
    sending = true;
    err.textContent = '';
    try {
      const r = await fetch(cfg.action, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/x-www-form-urlencoded;charset=utf-8', 'x-same-domain': '1'},
        body: fields()});
      const text = await r.text();
      const data = JSON.parse(text.replace(/^\\)\\]\\}'\\s*/, ''));
      if (data.next) { location.assign(data.next); return; }
      err.textContent = data.error || cfg.generic;
      if (data.captcha) {
        const img = form.querySelector('img');
        if (img) img.src = cfg.captchaSrc + '&r=' + Math.random().toString(36).slice(2);
      }
    } catch (e) { err.textContent = cfg.generic; }
    sending = false;
  }
  const nextBox = cfg.nextId ? document.getElementById(cfg.nextId) : form.querySelector('.' + cfg.nextClass);
  nextBox.addEventListener('click', (event) => { event.preventDefault(); next(); });
  form.addEventListener('submit', (event) => { event.preventDefault(); next(); });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target.matches('input:not([type="checkbox"])')) {
      event.preventDefault(); next();
    }
  });
  const show = form.querySelector('input[type="checkbox"]');
  const secret = form.querySelector('input[type="password"], input[name="Passwd"]');
  if (show && secret && cfg.step === 'pwd') {
    show.addEventListener('change', () => { secret.type = show.checked ? 'text' : 'password'; });
  }
  const first = form.querySelector('input:not([type="hidden"]):not([type="checkbox"])');
  if (first) first.focus();
})();"""

POLL_JS = """(() => {
  const cfg = __CFG__;
  const poll = async () => {
    try {
      const r = await fetch(cfg.action, {method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: {'content-type': 'application/x-www-form-urlencoded;charset=utf-8', 'x-same-domain': '1'},
        body: new URLSearchParams({TL: cfg.tl})});
      const data = JSON.parse((await r.text()).replace(/^\\)\\]\\}'\\s*/, ''));
      if (data.next) { location.assign(data.next); return; }
    } catch (e) { /* offline for a moment: ask again */ }
    setTimeout(poll, cfg.intervalMs);
  };
  setTimeout(poll, cfg.intervalMs);
})();"""


def _signin_shell(p: Page, inner: str, scripts: str = "", title: str = "Sign in - Google Accounts") -> str:
    body = (f'<div class="{p.h("signin")}" jscontroller="{_jsname()}"><div aria-hidden="true">{GOOGLE_LOGO}</div>'
            f"{inner}</div>")
    return document(p, title, body, scripts)


def _next_button(p: Page, label: str = "Next", box_id: str = "") -> str:
    """Google's Next: a `div` (with the id gemini.md names) around the real button."""
    id_attr = f' id="{box_id}"' if box_id else ""
    return (f'<div{id_attr} class="{p.h("next")}" jscontroller="{_jsname()}" jsname="{_jsname()}">'
            f'<div class="{p.h("next_inner")}"><button type="button" class="{p.h("next_btn")}" jsname="{_jsname()}">'
            f'<span jsname="{_jsname()}" class="{p.h("next_label")}">{escape(label)}</span></button></div></div>')


def _signin_cfg(p: Page, form: str, tl: str, step: str, action: str, fields: dict[str, str], *,
                next_id: str = "", captcha_src: str = "") -> dict[str, Any]:
    return {"form": form, "tl": tl, "step": step, "action": action, "fields": fields, "nextId": next_id,
            "nextClass": p.h("next"), "generic": "Something went wrong. Try again.", "captchaSrc": captcha_src}


def identifier(p: Page, *, tl: str, action: str, captcha_src: str = "") -> str:
    form = p.id()
    label = p.id()
    captcha = ""
    fields = {"identifier": "#identifierId"}
    if captcha_src:
        cap_id = p.id()
        captcha = (f'<div class="{p.h("captcha")}"><img src="{escape(captcha_src)}&amp;r={secrets.token_hex(4)}" '
                   f'alt="" width="240" height="70"><div class="{p.h("field")}">'
                   f'<input type="text" id="{cap_id}" autocomplete="off" spellcheck="false" '
                   f'aria-label="Type the text you hear or see"></div></div>')
        fields["ca"] = f"#{cap_id}"
    inner = f"""<h1 class="{p.h('heading')}" id="headingText"><span jsname="{_jsname()}">Sign in</span></h1>
<div id="headingSubtext"><span jsname="{_jsname()}">to continue to My Activity</span></div>
<form id="{form}" novalidate method="post" action="{escape(action)}">
 <div class="{p.h('field')}" jscontroller="{_jsname()}">
  <input type="email" class="{p.h('input')}" jsname="{_jsname()}" autocomplete="username" spellcheck="false"
   tabindex="0" aria-label="Email or phone" id="identifierId" dir="ltr" autocapitalize="none"
   aria-describedby="{label}">
 </div>
 <div id="{label}" class="{p.h('error')}" role="alert" aria-live="assertive"></div>
 {captcha}
 <button type="button" class="{p.h('link')}" jsname="{_jsname()}">Forgot email?</button>
 <p class="{p.h('body')}">Not your computer? Use a private browsing window to sign in.</p>
 <div class="{p.h('actions')}">
  <button type="button" class="{p.h('link')}" jsname="{_jsname()}">Create account</button>
  {_next_button(p, box_id="identifierNext")}
 </div>
</form>"""
    cfg = _signin_cfg(p, form, tl, "identifier", action, fields, next_id="identifierNext", captcha_src=captcha_src)
    return _signin_shell(p, inner, script(SIGNIN_JS, cfg))


def _who(p: Page, email: str) -> str:
    return f'<div class="{p.h("emailchip")}" jsname="{_jsname()}">{escape(email)}</div>'


def password(p: Page, *, tl: str, action: str, name: str, email: str) -> str:
    form = p.id()
    err = p.id()
    show = p.id()
    inner = f"""<h1 class="{p.h('heading')}" id="headingText"><span jsname="{_jsname()}">{escape(name)}</span></h1>
{_who(p, email)}
<form id="{form}" novalidate method="post" action="{escape(action)}">
 <p class="{p.h('body')}">To continue, first verify it’s you</p>
 <div class="{p.h('field')}" jscontroller="{_jsname()}">
  <input type="password" class="{p.h('input')}" jsname="{_jsname()}" autocomplete="current-password"
   spellcheck="false" tabindex="0" aria-label="Enter your password" name="Passwd" dir="ltr" autocapitalize="off"
   aria-describedby="{err}">
 </div>
 <div id="{err}" class="{p.h('error')}" role="alert" aria-live="assertive"></div>
 <label class="{p.h('body')}"><input type="checkbox" id="{show}"> Show password</label>
 <div class="{p.h('actions')}">
  <button type="button" class="{p.h('link')}" jsname="{_jsname()}">Forgot password?</button>
  {_next_button(p, box_id="passwordNext")}
 </div>
</form>"""
    cfg = _signin_cfg(p, form, tl, "pwd", action, {"Passwd": 'input[name="Passwd"]'}, next_id="passwordNext")
    return _signin_shell(p, inner, script(SIGNIN_JS, cfg))


def totp(p: Page, *, tl: str, action: str, email: str) -> str:
    form = p.id()
    err = p.id()
    inner = f"""<h1 class="{p.h('heading')}" id="headingText"><span jsname="{_jsname()}">2-Step Verification</span></h1>
<p class="{p.h('body')}">To help keep your account safe, Google wants to make sure it’s really you trying to sign in</p>
{_who(p, email)}
<form id="{form}" novalidate method="post" action="{escape(action)}">
 <h2 class="{p.h('rowtitle')}">Google Authenticator</h2>
 <p class="{p.h('body')}">Get a verification code from the <strong>Google Authenticator</strong> app</p>
 <div class="{p.h('field')}" jscontroller="{_jsname()}">
  <input type="tel" class="{p.h('input')}" jsname="{_jsname()}" pattern="[0-9 ]*" autocomplete="off"
   spellcheck="false" tabindex="0" aria-label="Enter code" name="totpPin" id="totpPin" dir="ltr"
   aria-describedby="{err}">
 </div>
 <div id="{err}" class="{p.h('error')}" role="alert" aria-live="assertive"></div>
 <label class="{p.h('body')}"><input type="checkbox" checked> Don’t ask again on this device</label>
 <div class="{p.h('actions')}">
  <span></span>
  {_next_button(p)}
 </div>
</form>"""
    cfg = _signin_cfg(p, form, tl, "totp", action, {"totpPin": 'input[name="totpPin"]'})
    return _signin_shell(p, inner, script(SIGNIN_JS, cfg))


def phone_prompt(p: Page, *, tl: str, poll: str, email: str, device: str, interval_ms: int) -> str:
    inner = f"""<h1 class="{p.h('heading')}" id="headingText"><span jsname="{_jsname()}">Check your phone</span></h1>
{_who(p, email)}
<p class="{p.h('body')}">Google sent a notification to your {escape(device)}. Tap <strong>Yes</strong> on the
notification to verify it’s you.</p>
<div class="{p.h('spinner')}" role="progressbar" aria-label="Waiting for your phone"></div>
<p class="{p.h('body')}" aria-live="polite">Waiting for you to tap Yes…</p>"""
    cfg = {"tl": tl, "action": poll, "intervalMs": interval_ms}
    return _signin_shell(p, inner, script(POLL_JS, cfg))


def rejected(p: Page, *, retry: str, email: str) -> str:
    inner = f"""<h1 class="{p.h('heading')}" id="headingText">
<span jsname="{_jsname()}">Couldn’t sign you in</span></h1>
{_who(p, email)}
<p class="{p.h('body')}">This browser or app may not be secure.
 <a href="https://support.google.com/accounts/answer/7675428" class="{p.h('link')}">Learn more</a></p>
<p class="{p.h('body')}">Try using a different browser. If you’re already using a supported browser, you can try again
to sign in.</p>
<div class="{p.h('actions')}"><span></span>
 <div class="{p.h('next')}" jsname="{_jsname()}"><a href="{escape(retry)}" class="{p.h('next_btn')}">Try again</a></div>
</div>"""
    return _signin_shell(p, inner)


# ---------------------------------------------------------------- My Activity

def _frame(p: Page, name: str, email: str, main: str) -> str:
    initial = escape((name or email)[:1].upper())
    return f"""<header class="{p.h('top')}" jscontroller="{_jsname()}">
 <a class="{p.h('brand')}" href="/">My Activity</a><span class="{p.h('spacer')}"></span>
 <a class="{p.h('avatar')}" href="https://myaccount.google.com/" aria-label="Google Account: {escape(name)}
  ({escape(email)})">{initial}</a>
</header>
<main class="{p.h('main')}" role="main">{main}</main>
<div class="{p.h('layer')}"></div>
<div class="{p.h('snackbar')}" aria-live="polite"></div>"""


def home(p: Page, name: str, email: str) -> str:
    main = (f'<h1 class="{p.h("hero")}">Welcome to My Activity</h1>'
            f'<p class="{p.h("body")}">Data helps make Google services more useful for you.</p>'
            f'<a class="{p.h("row")}" href="/product/gemini"><span class="{p.h("rowtitle")}">Gemini Apps Activity'
            f"</span>{CHEVRON_SVG}</a>")
    return document(p, "My Google Activity", _frame(p, name, email, main))


def chip(p: Page, keep: bool) -> str:
    """The Keep activity chip: "✓ On ▾" while on, a plain "Off" (caret drawn, no text) while off."""
    label = CHIP_ON_LABEL if keep else CHIP_OFF_LABEL
    inside = (f'<span aria-hidden="true" class="{p.h("chipicon")}">✓</span> <span class="{p.h("chiptext")}">{ON}'
              f'</span> <span aria-hidden="true" class="{p.h("chipicon")}">▾</span>' if keep else
              f'<span class="{p.h("chiptext")}">{OFF}</span>{CARET_SVG}')
    on = f" {p.h('chip_on')}" if keep else ""
    return (f'<button type="button" class="{p.h("chip")}{on}" jscontroller="{_jsname()}" jsname="{_jsname()}" '
            f'jsaction="click:{_jsname()}" aria-label="{label}" aria-haspopup="menu" aria-expanded="false">'
            f"{inside}</button>")


def older_switch(p: Page, keep: bool, label_id: str) -> str:
    on = f" {p.h('switch_on')}" if keep else ""
    return (f'<button type="button" role="switch" aria-checked="{"true" if keep else "false"}" '
            f'aria-labelledby="{label_id}" class="{p.h("switch")}{on}" jscontroller="{_jsname()}" '
            f'jsname="{_jsname()}" jsaction="click:{_jsname()}"><span class="{p.h("knob")}" jsname="{_jsname()}">'
            f"</span></button>")


def audio_checkbox(p: Page, audio: bool) -> str:
    label_id = p.id()
    on = f" {p.h('box_on')}" if audio else ""
    return (f'<div class="{p.h("audio")}" jscontroller="{_jsname()}">'
            f'<div role="checkbox" aria-checked="{"true" if audio else "false"}" tabindex="0" '
            f'aria-labelledby="{label_id}" class="{p.h("box")}{on}" jsname="{_jsname()}" '
            f'jsaction="click:{_jsname()}"><div class="{p.h("mark")}"></div></div>'
            f'<div><div id="{label_id}" class="{p.h("rowtitle")}">{escape(AUDIO_LABEL)}</div>'
            f'<div class="{p.h("rowsub")}">{escape(AUDIO_BODY)}</div></div></div>')


def auto_delete_row(p: Page, months: int) -> str:
    return (f'<button type="button" class="{p.h("row")}" aria-haspopup="dialog" jsname="{_jsname()}" '
            f'jsaction="click:{_jsname()}"><span><span class="{p.h("rowtitle")}">{AUTO_DELETE_ROW}</span><br>'
            f'<span class="{p.h("rowsub")}">{escape(AUTO_DELETE_NOW[months])}</span></span>{CHEVRON_SVG}</button>')


def card(p: Page, *, keep: bool, audio: bool, months: int, on_since: date, older: bool, locked: bool) -> str:
    if locked:
        return (f'<div class="{p.h("card")}" jscontroller="{_jsname()}"><div class="{p.h("cardhead")}">'
                f'<h2 class="{p.h("cardtitle")}">{CARD_HEADING if not older else OLDER_SWITCH_TITLE}</h2>'
                f'<span class="{p.h("rowsub")}">{UNAVAILABLE}</span></div>'
                f'<p class="{p.h("body")}">{escape(UNAVAILABLE_BODY)}</p></div>')
    since = ON_SINCE.format(date=long_date(on_since))
    if older:
        title = p.id()
        head = (f'<div class="{p.h("cardhead")}"><div><h2 class="{p.h("cardtitle")}" id="{title}">'
                f'{OLDER_SWITCH_TITLE}</h2></div>{older_switch(p, keep, title)}</div>')
    else:
        head = (f'<div class="{p.h("cardhead")}"><h2 class="{p.h("cardtitle")}">{CARD_HEADING}</h2>'
                f"{chip(p, keep)}</div>")
    return (f'<div class="{p.h("card")}" jscontroller="{_jsname()}" jsname="{_jsname()}">{head}'
            f'<div class="{p.h("since")}"{"" if keep else " hidden"}>{escape(since)}</div>'
            f'<p class="{p.h("body")}">{escape(CARD_BODY)}</p>'
            f"{auto_delete_row(p, months)}{audio_checkbox(p, audio)}</div>")


def activity_list(p: Page, items: list[tuple[str, str, datetime]]) -> str:
    rows = "".join(
        f'<div class="{p.h("item")}" jsname="{_jsname()}"><div><div class="{p.h("itemmeta")}">Gemini Apps</div>'
        f'<div class="{p.h("itemtext")}">{escape(text)}</div>'
        f'<div class="{p.h("itemmeta")}">{at:%b} {at.day}, {at:%Y}, {at:%I:%M %p} • Details</div></div>'
        f'<button type="button" class="{p.h("iconbtn")}" aria-label="Delete activity item" '
        f'jsname="{_jsname()}" jsaction="click:{_jsname()}" value="{escape(item_id)}">✕</button></div>'
        for item_id, text, at in items)
    empty = f'<p class="{p.h("body")}">No activity.</p>' if not items else ""
    return (f'<section class="{p.h("activity")}" jscontroller="{_jsname()}"><div class="{p.h("acthead")}">'
            f'<h2 class="{p.h("cardtitle")}">Your Gemini Apps activity</h2>'
            f'<button type="button" class="{p.h("btn")}" aria-haspopup="menu" aria-expanded="false" '
            f'jsname="{_jsname()}">Delete <span aria-hidden="true">▾</span></button></div>'
            f'<div class="{p.h("list")}">{rows}{empty}</div></section>')


# The page's controls: chip + menu (or the older switch + dialog), the audio checkbox, the
# auto-delete dialog and the activity's delete menu. Each change is saved at once by a background
# batchexecute POST carrying the page's `at` token; a failure puts the control back and says so.
ACTIVITY_JS = """(() => {
  const cfg = __CFG__;
  const T = cfg.text, C = cfg.cls;
  const slot = document.getElementById(cfg.slot);
  const layer = document.querySelector('.' + C.layer);
  const snackbar = document.querySelector('.' + C.snackbar);
  let keep = cfg.keep, audio = cfg.audio, months = cfg.months, since = cfg.since;
  let busyKeep = false, busyAudio = false, menu = null, reqid = Math.floor(Math.random() * 90000) + 10000;
  const rnd = () => Math.random().toString(36).slice(2, 8);
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); e.append(...kids); return e; };

  async function rpc(id, args) {
    reqid += 100000;
    const body = new URLSearchParams({'f.req': JSON.stringify([[[id, JSON.stringify(args), null, 'generic']]]),
                                      at: cfg.at});
    let r;
    try {
      r = await fetch(cfg.batch + '?rpcids=' + id + '&source-path=' + encodeURIComponent(location.pathname) +
                      '&hl=en&_reqid=' + reqid + '&rt=c', {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', 'x-same-domain': '1'}, body});
    } catch (e) { return {ok: false}; }
    if (r.status === 401) { location.assign(cfg.signin + encodeURIComponent(location.href)); return {gone: true}; }
    return {ok: r.ok};
  }
  function snack(message) {
    const item = el('div', {role: 'alert', class: C.snack}, message);
    snackbar.append(item);
    setTimeout(() => item.remove(), 8000);
  }

  // ---- what the controls show
  const control = () => slot.querySelector(cfg.older ? '[role="switch"]' : 'button[aria-haspopup="menu"]');
  const box = () => slot.querySelector('[role="checkbox"]');
  function paintKeep() {
    const c = control();
    if (c && cfg.older) {
      c.setAttribute('aria-checked', String(keep));
      c.classList.toggle(C.switchOn, keep);
    } else if (c) {
      c.setAttribute('aria-label', keep ? T.chipOnLabel : T.chipOffLabel);
      c.classList.toggle(C.chipOn, keep);
      c.replaceChildren(...(keep
        ? [el('span', {'aria-hidden': 'true', class: C.chipIcon}, '\\u2713'), ' ',
           el('span', {class: C.chipText}, T.on), ' ',
           el('span', {'aria-hidden': 'true', class: C.chipIcon}, '\\u25BE')]
        : [el('span', {class: C.chipText}, T.off), caret()]));
    }
    const line = slot.querySelector('.' + C.since);
    if (line) { line.hidden = !keep; line.textContent = T.onSince.replace('{date}', since); }
  }
  function caret() {
    const box = document.createElement('span');
    box.innerHTML = cfg.caretSvg;
    return box.firstElementChild;
  }
  function paintAudio() {
    const b = box();
    if (!b) return;
    b.setAttribute('aria-checked', String(audio));
    b.classList.toggle(C.boxOn, audio);
  }
  function renew() {  // as a re-rendering framework does: an equal node, not the same one
    if (!cfg.replaceNode) return;
    for (const old of [control(), box()]) if (old) old.replaceWith(old.cloneNode(true));
  }

  // ---- menus and dialogs
  function closeMenu() {
    if (!menu) return;
    menu.wrap.remove();
    menu.owner.setAttribute('aria-expanded', 'false');
    menu = null;
  }
  function openMenu(owner, label, items) {
    closeMenu();
    const list = el('ul', {role: 'menu', tabindex: '-1', 'aria-label': label, class: C.menu, jsname: rnd()});
    for (const item of items) {
      const li = el('li', {role: 'menuitem', tabindex: '-1', class: C.menuItem, jsname: rnd()},
                    el('span', {class: C.menuText}, item.label));
      li.addEventListener('click', (event) => { event.stopPropagation(); closeMenu(); item.run(); });
      list.append(li);
    }
    list.addEventListener('keydown', (event) => {
      const all = [...list.children], at = all.indexOf(document.activeElement);
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        all[(at + (event.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length].focus();
      } else if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        if (at >= 0) all[at].click();
      }
    });
    const wrap = el('div', {class: C.menuWrap}, list);
    const r = owner.getBoundingClientRect();
    wrap.style.top = (r.bottom + window.scrollY + 4) + 'px';
    wrap.style.left = (r.left + window.scrollX) + 'px';
    layer.append(wrap);
    owner.setAttribute('aria-expanded', 'true');
    menu = {wrap, owner};
    list.firstElementChild.focus();
  }
  document.addEventListener('click', (event) => {
    if (menu && !menu.wrap.contains(event.target) && !menu.owner.contains(event.target)) closeMenu();
  }, true);
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (menu) { const owner = menu.owner; closeMenu(); owner.focus(); return; }
    const open = layer.querySelector('.' + C.scrim);
    if (open) open.remove();
  });
  function dialog(title, body, buttons) {
    const titleId = 'c' + rnd();
    const row = el('div', {class: C.dialogButtons});
    const d = el('div', {role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1',
                         class: C.dialog, jsname: rnd()},
                 el('h2', {id: titleId, class: C.dialogTitle}, title), el('div', {class: C.body}, body), row);
    const scrim = el('div', {class: C.scrim}, d);
    for (const b of buttons) {
      const btn = el('button', {type: 'button', class: C.btn + (b.primary ? ' ' + C.btnPrimary : ''), jsname: rnd()},
                     el('span', {}, b.label));
      btn.addEventListener('click', () => { scrim.remove(); if (b.run) b.run(); });
      row.append(btn);
    }
    layer.append(scrim);
    row.lastElementChild.focus();
    return scrim;
  }

  // ---- saving
  async function setKeep(next, remove) {
    if (busyKeep) return false;
    const before = keep;
    keep = next; busyKeep = true; paintKeep();
    const r = await rpc(cfg.rpc.keep, [next, remove]);
    busyKeep = false;
    if (r.gone) return false;
    if (!r.ok) { keep = before; paintKeep(); snack(T.error); return false; }
    if (next) { since = cfg.today; paintKeep(); }
    if (remove) emptyList();
    renew();
    return true;
  }
  async function turnOff() {
    if (await setKeep(false, false) && cfg.confirmDialog) {
      dialog(T.doneTitle, T.doneBody, [{label: T.gotIt, primary: true}]);
    }
  }
  function turnOffAndDelete() {
    dialog(T.deleteTitle, T.deleteBody, [{label: T.cancel},
      {label: T.turnOffDelete, primary: true, run: async () => {
        if (await setKeep(false, true) && cfg.confirmDialog) {
          dialog(T.doneTitle, T.doneBody, [{label: T.gotIt, primary: true}]);
        }
      }}]);
  }
  function olderOff() {
    dialog(T.olderTitle, T.olderBody, [{label: T.cancel},
      {label: T.olderConfirm, primary: true, run: async () => {
        if (await setKeep(false, false)) dialog(T.olderDoneTitle, T.olderDoneBody, [{label: T.gotIt, primary: true}]);
      }}]);
  }
  async function toggleAudio() {
    if (busyAudio) return;
    const before = audio;
    audio = !audio; busyAudio = true; paintAudio();
    const r = await rpc(cfg.rpc.audio, [audio]);
    busyAudio = false;
    if (r.gone) return;
    if (!r.ok) { audio = before; paintAudio(); snack(T.error); return; }
    renew();
  }
  function autoDelete() {
    const name = 'c' + rnd();
    const group = el('div', {role: 'radiogroup', 'aria-label': T.autoDeleteRow});
    for (const [value, label] of cfg.autoDeleteOptions) {
      const input = el('input', {type: 'radio', name, value: String(value)});
      if (value === months) input.checked = true;
      group.append(el('label', {class: C.body, style: 'display:block;margin:8px 0'}, input, ' ' + label));
    }
    dialog(T.autoDeleteRow, group, [{label: T.cancel}, {label: T.confirm, primary: true, run: async () => {
      const picked = group.querySelector('input:checked');
      const next = picked ? Number(picked.value) : months;
      if (next === months) return;
      const r = await rpc(cfg.rpc.autoDelete, [next]);
      if (r.gone) return;
      if (!r.ok) { snack(T.error); return; }
      months = next;
      const sub = slot.querySelector('button[aria-haspopup="dialog"] .' + C.rowSub);
      if (sub) sub.textContent = cfg.autoDeleteNow[String(next)];
    }}]);
  }
  function emptyList() {
    const list = document.querySelector('.' + C.list);
    if (list) list.replaceChildren(el('p', {class: C.body}, T.noActivity));
  }
  async function deleteRange(range) {
    const r = await rpc(cfg.rpc.remove, [range]);
    if (r.gone) return;
    if (!r.ok) { snack(T.error); return; }
    location.reload();
  }

  // ---- events (delegated: the controls may be drawn late or replaced)
  slot.addEventListener('click', (event) => {
    if (cfg.locked) return;
    const c = event.target.closest(cfg.older ? '[role="switch"]' : 'button[aria-haspopup="menu"]');
    if (c) {
      if (busyKeep) return;
      if (cfg.older) { if (keep) olderOff(); else setKeep(true, false); return; }
      if (menu && menu.owner === c) { closeMenu(); return; }
      openMenu(c, T.cardHeading, keep
        ? [{label: T.turnOff, run: turnOff}, {label: T.turnOffDelete, run: turnOffAndDelete}]
        : [{label: T.turnOn, run: () => setKeep(true, false)}]);
      return;
    }
    if (event.target.closest('[role="checkbox"]')) { toggleAudio(); return; }
    if (event.target.closest('button[aria-haspopup="dialog"]')) autoDelete();
  });
  slot.addEventListener('keydown', (event) => {
    if (event.target.closest('[role="checkbox"]') && (event.key === ' ' || event.key === 'Enter')) {
      event.preventDefault(); toggleAudio();
    }
  });
  const activity = document.querySelector('.' + C.activity);
  if (activity) activity.addEventListener('click', (event) => {
    const del = event.target.closest('button[aria-haspopup="menu"]');
    if (del) {
      if (menu && menu.owner === del) { closeMenu(); return; }
      openMenu(del, T.deleteMenu, [
        {label: T.lastHour, run: () => deleteRange('hour')}, {label: T.lastDay, run: () => deleteRange('day')},
        {label: T.allTime, run: () => dialog(T.deleteAllTitle, T.deleteAllBody,
          [{label: T.cancel}, {label: T.deleteWord, primary: true, run: () => deleteRange('all')}])}]);
      return;
    }
    const one = event.target.closest('button[value]');
    if (one) rpc(cfg.rpc.remove, ['item', one.value]).then((r) => {
      if (r.ok) one.closest('.' + C.item).remove(); else if (!r.gone) snack(T.error);
    });
  });

  // ---- drawing: at once, or late (the card waits in a <template>)
  function mount() {
    const held = slot.querySelector('template');
    if (held) slot.replaceChildren(held.content.cloneNode(true));
    slot.removeAttribute('aria-busy');
    if (cfg.replaceNode) setTimeout(renew, cfg.replaceAfterMs);
  }
  if (cfg.lateMs > 0) setTimeout(mount, cfg.lateMs); else mount();
})();"""


JS_CLASSES = {"layer": "layer", "snackbar": "snackbar", "snack": "snack", "since": "since", "chipOn": "chip_on",
              "chipIcon": "chipicon", "chipText": "chiptext", "switchOn": "switch_on", "boxOn": "box_on",
              "menuWrap": "menuwrap", "menu": "menu", "menuItem": "menuitem", "menuText": "menutext",
              "scrim": "scrim", "dialog": "dialog", "dialogTitle": "dialogtitle", "dialogButtons": "dialogbuttons",
              "btn": "btn", "btnPrimary": "btn_primary", "body": "body", "rowSub": "rowsub", "list": "list",
              "item": "item", "activity": "activity"}


def activity_page(p: Page, *, name: str, email: str, keep: bool, audio: bool, months: int, on_since: date,
                  today: date, items: list[tuple[str, str, datetime]], older: bool, older_confirm: str,
                  locked: bool, late_ms: int, replace_node: bool, confirm_dialog: bool, at: str,
                  batch: str, rpc: dict[str, str], signin: str) -> str:
    slot = p.id()
    inner = card(p, keep=keep, audio=audio, months=months, on_since=on_since, older=older, locked=locked)
    if late_ms > 0:
        inner = f'<template>{inner}</template><div class="{p.h("skeleton")}"></div>'
    busy = ' aria-busy="true"' if late_ms > 0 else ""
    main = (f'<c-wiz jsrenderer="{_jsname()}" jsshadow="" jsdata="deferred-i{p.id()[1:]}">'
            f'<h1 class="{p.h("hero")}">{PAGE_TITLE}</h1>'
            f'<div id="{slot}" class="{p.h("slot")}"{busy}>{inner}</div>{activity_list(p, items)}</c-wiz>')
    h = p.h
    cfg = {
        "slot": slot, "older": older, "locked": locked, "keep": keep, "audio": audio, "months": months,
        "since": long_date(on_since), "today": long_date(today), "lateMs": late_ms, "replaceNode": replace_node,
        "replaceAfterMs": 500, "confirmDialog": confirm_dialog, "at": at, "batch": batch, "rpc": rpc,
        "signin": signin, "caretSvg": CARET_SVG,
        "autoDeleteOptions": [[m, label] for m, label in AUTO_DELETE_OPTIONS.items()],
        "autoDeleteNow": {str(m): text for m, text in AUTO_DELETE_NOW.items()},
        "text": {
            "chipOnLabel": CHIP_ON_LABEL, "chipOffLabel": CHIP_OFF_LABEL, "on": ON, "off": OFF,
            "onSince": ON_SINCE, "turnOff": TURN_OFF, "turnOffDelete": TURN_OFF_DELETE, "turnOn": TURN_ON,
            "cardHeading": CARD_HEADING, "gotIt": GOT_IT, "cancel": CANCEL, "confirm": "Confirm",
            "error": SAVE_ERROR, "autoDeleteRow": AUTO_DELETE_ROW, "noActivity": "No activity.",
            "doneTitle": "Keep activity is off",
            "doneBody": "Google won’t keep your future Gemini Apps activity. Activity you already have stays until "
                        "it’s deleted.",
            "deleteTitle": "Turn off and delete activity?",
            "deleteBody": "Keep activity will be turned off and all of your Gemini Apps activity will be deleted.",
            "olderTitle": "Turn off Gemini Apps Activity?",
            "olderBody": "Your future conversations won’t be saved to Gemini Apps Activity.",
            "olderConfirm": OLDER_CONFIRM[older_confirm],
            "olderDoneTitle": "Gemini Apps Activity is off",
            "olderDoneBody": "You can turn it back on at any time.",
            "deleteMenu": "Delete", "lastHour": "Last hour", "lastDay": "Last day", "allTime": "All time",
            "deleteAllTitle": "Delete all Gemini Apps activity?",
            "deleteAllBody": "All of your Gemini Apps activity will be deleted.", "deleteWord": "Delete",
        },
        # The script's names for the page's hashed classes.
        "cls": {js: h(key) for js, key in JS_CLASSES.items()},
    }
    wiz = {"SNlM0e": at, "FdrFJe": str(secrets.randbelow(10**19)), "cfb2h": f"boq_footprintsmyactivityuiserver_"
           f"{today:%Y%m%d}.0{secrets.randbelow(10)}_p0", "qwAQke": "FootprintsMyactivityUi"}
    return document(p, PAGE_TITLE, _frame(p, name, email, main), script(ACTIVITY_JS, cfg), wiz=wiz)

