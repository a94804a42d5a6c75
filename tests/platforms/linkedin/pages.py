"""HTML and scripts of the LinkedIn replica's pages.

Markup follows linkedin.md: its ids where it names ids, otherwise generated ids (`ember123`, new on
each load), hashed class names beside `artdeco-…` design-system classes, and visible text doubled as
an `aria-hidden` span plus a `visually-hidden` span where LinkedIn does that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from tests.replicas.server import HashedClasses, IdGen, random_digits, script_json

from .texts import CATEGORIES, GENAI, Category, ObjectionOption, Row, text

PREFS = "/mypreferences/d"


@dataclass(frozen=True)
class Links:
    """Where this release puts the settings pages: canonical slug -> the slug in its URL."""

    categories: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, str] = field(default_factory=dict)

    def category(self, slug: str) -> str:
        return f"{PREFS}/categories/{self.categories.get(slug, slug)}"

    def setting(self, slug: str) -> str:
        return f"{PREFS}/settings/{self.settings.get(slug, slug)}"


class Page:
    """What one rendering needs: the language, the build's hashed classes, fresh ids, its links."""

    def __init__(self, lang: str, h: HashedClasses, older: bool = False, links: Links | None = None) -> None:
        self.lang, self.h, self.older = lang, h, older
        self.links = links or Links()
        self.id = IdGen("ember")

    def t(self, key: str, **fmt: str) -> Markup:
        value = text(self.lang, key, self.older)
        return escape(value.format(**fmt) if fmt else value)


def twice(label: str | Markup) -> str:
    """LinkedIn's doubled text: one copy for the eye, one for screen readers."""
    return f'<span aria-hidden="true">{escape(label)}</span><span class="visually-hidden">{escape(label)}</span>'


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


CHEVRON = ('<svg role="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="16" height="16" '
           'viewBox="0 0 16 16"><path d="M5 15l6-7-6-7h2.5l6 7-6 7z" fill="currentColor"/></svg>')
CARET = ('<li-icon aria-hidden="true" type="caret-filled-down" class="global-nav__icon" size="small">'
         '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" width="16" height="16" focusable="false">'
         '<path d="M8 11L3 6h10z" fill="currentColor"/></svg></li-icon>')
# The member's photo: a tiny inline picture (a grey disc); the <img> carries the member's name as alt.
AVATAR_SRC = ("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAy"
              "NCAyNCI+PGNpcmNsZSBjeD0iMTIiIGN5PSIxMiIgcj0iMTIiIGZpbGw9IiNjZmQ4ZGMiLz48L3N2Zz4=")
ARROW_LEFT = ('<svg role="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="24" height="24" '
              'viewBox="0 0 24 24"><path d="M9 4l-4.87 7H22v2H4.13L9 20H6.54L1 12l5.54-8z" '
              'fill="currentColor"/></svg>')
LOGO = ('<svg role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="34" height="34" '
        'viewBox="0 0 24 24"><rect width="24" height="24" rx="3" fill="#0a66c2"/><path d="M7 9h2.6v8H7zm1.3-4a1.5'
        ' 1.5 0 110 3 1.5 1.5 0 010-3zM11 9h2.5v1.1c.4-.7 1.3-1.3 2.6-1.3 2.7 0 3.2 1.8 3.2 4V17h-2.6v-3.7c0-.9'
        ' 0-2-1.3-2s-1.5 1-1.5 2V17H11z" fill="#fff"/></svg>')


def css(h: HashedClasses) -> str:
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:14px/1.4 -apple-system,system-ui,"Segoe UI",Roboto,"Liberation Sans",sans-serif;
  color:rgba(0,0,0,.9);background:#f4f2ee}}
a{{color:#0a66c2}}
.visually-hidden{{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;
  clip:rect(0 0 0 0);border:0;white-space:nowrap}}
.hidden__imp{{display:none!important}}
.t-bold{{font-weight:600}} .t-20{{font-size:20px}} .t-16{{font-size:16px}} .t-12{{font-size:12px}}
.t-black--light{{color:rgba(0,0,0,.6)}}
.artdeco-card{{background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(140,140,140,.2);padding:16px 24px}}
.artdeco-button{{border:0;border-radius:24px;padding:8px 18px;font-weight:600;font-size:16px;cursor:pointer;
  background:#0a66c2;color:#fff}}
.artdeco-button--tertiary{{background:transparent;color:rgba(0,0,0,.6)}}
.btn__primary--large{{display:block;width:100%;border:0;border-radius:28px;padding:14px;font-size:16px;
  font-weight:600;background:#0a66c2;color:#fff;cursor:pointer;margin-top:16px}}
.btn__secondary--large{{display:block;width:100%;border:1px solid #0a66c2;border-radius:28px;padding:13px;
  font-size:16px;font-weight:600;background:#fff;color:#0a66c2;cursor:pointer;margin-top:12px}}
.form__input--floating{{margin-top:18px;position:relative}}
.form__input--floating label{{display:block;color:rgba(0,0,0,.6);margin-bottom:4px}}
.form__input--floating input{{width:100%;height:52px;padding:0 12px;font-size:16px;border:1px solid #8c8c8c;
  border-radius:4px}}
.form__label--error{{color:#b24020;font-size:14px;margin-top:4px}}
.button__password-visibility{{position:absolute;right:12px;top:36px;font-weight:600;color:#0a66c2;cursor:pointer}}
.{h("auth_card")}{{width:400px;margin:48px auto;background:#fff;border-radius:8px;padding:24px;
  box-shadow:0 4px 12px rgba(0,0,0,.15)}}
.{h("auth_card")} h1{{font-size:32px;font-weight:600;margin:0 0 4px}}
.{h("logo_bar")}{{padding:16px 56px}}
.recognized-device{{margin-top:16px;position:relative}}
.recognized-device input{{position:absolute;opacity:0;width:1px;height:1px;margin:0}}
.recognized-device label{{cursor:pointer;padding-left:30px;position:relative;display:inline-block}}
.recognized-device label::before{{content:"";position:absolute;left:0;top:0;width:20px;height:20px;
  border:2px solid #666;border-radius:2px;background:#fff}}
.recognized-device input:checked+label::before{{background:#0a66c2;border-color:#0a66c2}}
.recognized-device input:checked+label::after{{content:"";position:absolute;left:7px;top:3px;width:5px;
  height:10px;border:solid #fff;border-width:0 2px 2px 0;transform:rotate(45deg)}}
.{h("spinner")}{{width:40px;height:40px;margin:24px auto;border:4px solid #dde7f1;border-top-color:#0a66c2;
  border-radius:50%;animation:{h("spin")} 1s linear infinite}}
@keyframes {h("spin")}{{to{{transform:rotate(360deg)}}}}
#captcha-internal{{width:100%;height:420px;border:0}}
.global-nav{{background:#fff;border-bottom:1px solid #e8e8e8;position:sticky;top:0;z-index:10}}
.global-nav__content{{display:flex;align-items:center;justify-content:space-between;max-width:1128px;
  margin:0 auto;height:52px}}
.global-nav__primary-items{{display:flex;list-style:none;margin:0;padding:0}}
.global-nav__primary-item{{position:relative}}
.global-nav__primary-link{{display:flex;flex-direction:column;align-items:center;min-width:80px;
  color:rgba(0,0,0,.6);text-decoration:none;background:none;border:0;cursor:pointer;padding:4px;font:inherit}}
.global-nav__primary-link--active{{color:rgba(0,0,0,.9)}}
.global-nav__me-photo{{width:24px;height:24px;border-radius:50%;background:#cfd8dc}}
.artdeco-dropdown__content{{display:none;position:absolute;right:0;top:52px;width:264px;background:#fff;
  border-radius:8px 0 8px 8px;box-shadow:0 0 0 1px rgba(0,0,0,.08),0 4px 4px rgba(0,0,0,.3);padding:8px 0}}
.artdeco-dropdown__content--is-open{{display:block}}
.global-nav__secondary-title{{font-size:16px;font-weight:600;margin:8px 12px}}
.global-nav__secondary-link{{display:block;padding:4px 12px;color:rgba(0,0,0,.6);text-decoration:none}}
.global-nav__secondary-link:hover{{text-decoration:underline}}
.{h("feed")}{{max-width:700px;margin:24px auto;display:grid;gap:8px}}
.{h("prefs_header")}{{display:flex;align-items:center;justify-content:space-between;height:52px;
  padding:0 24px;background:#fff;border-bottom:1px solid #e8e8e8}}
.{h("layout")}{{display:grid;grid-template-columns:280px 1fr;gap:24px;max-width:1128px;margin:24px auto}}
.{h("side_title")}{{font-size:24px;font-weight:600;margin:8px 0 16px}}
.{h("nav_list")}{{list-style:none;margin:0;padding:0}}
.{h("nav_link")}{{display:flex;gap:8px;align-items:center;padding:8px 12px;color:rgba(0,0,0,.75);
  text-decoration:none;font-weight:600;border-left:3px solid transparent}}
.{h("nav_link")}[aria-current=page]{{border-left-color:#01754f;color:#01754f}}
.{h("section")}{{border-top:1px solid #e8e8e8;padding-top:8px;margin-top:8px}}
.{h("rows")}{{list-style:none;margin:0;padding:0}}
.{h("row")}{{display:flex;align-items:center;gap:8px;padding:12px 0;color:rgba(0,0,0,.9);text-decoration:none}}
.{h("row")}:hover{{background:#f3f3f3}}
.{h("row_label")}{{flex:1}}
.{h("row_value")}{{color:rgba(0,0,0,.6)}}
.{h("page_head")}{{display:flex;align-items:center;gap:8px;border-bottom:1px solid #e8e8e8;padding-bottom:12px}}
.{h("page_head")} h1{{font-size:20px;font-weight:600;margin:0}}
.{h("switch_row")}{{display:flex;align-items:center;justify-content:space-between;gap:16px;margin:16px 0}}
.artdeco-toggle{{display:inline-flex;align-items:center;gap:8px}}
.artdeco-toggle__button{{appearance:none;-webkit-appearance:none;width:48px;height:24px;border-radius:12px;
  background:#666;position:relative;cursor:pointer;margin:0;transition:background .15s}}
.artdeco-toggle__button::before{{content:"";position:absolute;top:2px;left:2px;width:20px;height:20px;
  border-radius:50%;background:#fff;transition:left .15s}}
.artdeco-toggle__button:checked{{background:#01754f}}
.artdeco-toggle__button:checked::before{{left:26px}}
.artdeco-toggle__button:disabled{{opacity:.5}}
.{h("sdui_row")}{{display:flex;align-items:center;justify-content:space-between;gap:16px;margin:16px 0}}
.{h("sdui_switch")}{{display:inline-flex;align-items:center;gap:8px;border:0;background:none;cursor:pointer;
  padding:4px;font:inherit;color:rgba(0,0,0,.75)}}
.{h("sdui_track")}{{width:40px;height:24px;border-radius:12px;background:#666;position:relative;display:block}}
.{h("sdui_knob")}{{position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;background:#fff;
  transition:left .15s}}
.{h("sdui_switch")}[aria-checked=true] .{h("sdui_track")}{{background:#01754f}}
.{h("sdui_switch")}[aria-checked=true] .{h("sdui_knob")}{{left:19px}}
.{h("skeleton")}{{height:32px;margin:16px 0;border-radius:4px;
  background:linear-gradient(90deg,#eee,#f6f6f6,#eee);background-size:200% 100%}}
.artdeco-toasts{{position:fixed;left:24px;bottom:24px;z-index:100;display:grid;gap:8px}}
.artdeco-toast-item{{display:flex;align-items:center;gap:12px;background:#fff;border-radius:8px;padding:12px 16px;
  box-shadow:0 4px 12px rgba(0,0,0,.3);border-left:4px solid #b24020}}
.artdeco-toast-item__message{{margin:0}}
.{h("help_main")}{{max-width:720px;margin:24px auto}}
.{h("field")}{{margin:16px 0;display:grid;gap:4px}}
.{h("field")} input,.{h("field")} select,.{h("field")} textarea{{font:inherit;padding:8px;border:1px solid #8c8c8c;
  border-radius:4px}}
.{h("field_error")}{{color:#b24020}}
"""


def document(p: Page, title: str | Markup, body: str, scripts: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{p.lang}" class="theme theme--mercado artdeco">\n<head>'
            f'<meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p.h)}</style></head>\n"
            f'<body dir="ltr" class="render-mode-BIGPIPE nav-v2 ember-application">\n{body}\n{scripts}\n</body></html>')


# ---------------------------------------------------------------- sign-in

LOGIN_JS = """(() => {
  const T = __CFG__;
  const form = document.querySelector('form.login__form');
  const user = document.getElementById('username'), pass = document.getElementById('password');
  const show = (id, msg) => { const box = document.getElementById(id); box.textContent = msg;
    box.classList.toggle('hidden__imp', !msg); };
  form.addEventListener('submit', (event) => {
    const noUser = !user.value.trim(), noPass = !pass.value;
    if (noUser) show('error-for-username', T.noUser);
    if (noPass) show('error-for-password', T.noPass);
    if (noUser || noPass) event.preventDefault();
  });
  const eye = form.querySelector('.button__password-visibility');
  eye.addEventListener('click', () => {
    const hidden = pass.type === 'password';
    pass.type = hidden ? 'text' : 'password';
    eye.textContent = hidden ? T.hide : T.show;
  });
})();"""


# The `next_foreign` variant: a script slipped into the login page (a compromised third-party
# script) that, once a username is in and the visitor moves on to the password, sends them to a
# look-alike's page, the way a two-step sign-in's "Next" would lead to the password page.
HIJACK_JS = """(() => {
  const to = __CFG__;
  const user = document.getElementById('username'), pass = document.getElementById('password');
  let sent = false;
  const away = () => { if (!sent && user.value.trim()) { sent = true; location.assign(to); } };
  user.addEventListener('change', away);
  user.addEventListener('blur', away);
  pass.addEventListener('focus', away);
})();"""


def login(p: Page, *, action: str, redirect: str, csrf: str, login_csrf: str, email: str = "",
          err_user: str = "", err_password: str = "", hijack_to: str = "") -> str:
    uid = p.id()
    body = f"""
<header class="{p.h('logo_bar')}"><a href="/" aria-label="LinkedIn">{LOGO}</a></header>
<main class="app__content" role="main">
 <div class="{p.h('auth_card')} card-layout" id="{uid}">
  <div class="header__content">
   <h1 class="header__content__heading">{p.t('sign_in')}</h1>
   <p class="header__content__subheading">{p.t('sign_in_sub')}</p>
  </div>
  <form method="post" class="login__form" action="{escape(action)}" novalidate>
   <input name="csrfToken" value="{escape(csrf)}" type="hidden">
   <input name="session_redirect" value="{escape(redirect)}" type="hidden">
   <input name="loginCsrfParam" value="{escape(login_csrf)}" type="hidden">
   <div class="form__input--floating">
    <label for="username" class="form__label--floating">{p.t('email_or_phone')}</label>
    <input id="username" name="session_key" type="text" value="{escape(email)}" aria-describedby="error-for-username"
      required autocomplete="username" autofocus>
    <div error-for="username" id="error-for-username" class="form__label--error{'' if err_user else ' hidden__imp'}"
      role="alert" aria-live="assertive">{escape(err_user)}</div>
   </div>
   <div class="form__input--floating">
    <label for="password" class="form__label--floating">{p.t('password')}</label>
    <input id="password" name="session_password" type="password" aria-describedby="error-for-password" required
      autocomplete="current-password">
    <span class="button__password-visibility" role="button" tabindex="0"
      aria-label="{p.t('show_aria')}">{p.t('show')}</span>
    <div error-for="password" id="error-for-password" class="form__label--error{'' if err_password else ' hidden__imp'}"
      role="alert" aria-live="assertive">{escape(err_password)}</div>
   </div>
   <a href="/checkpoint/rp/request-password-reset" class="btn__tertiary--medium forgot-password">{p.t('forgot')}</a>
   <div class="login__form_action_container">
    <button class="btn__primary--large from__button--floating" aria-label="{p.t('sign_in')}"
      type="submit">{p.t('sign_in')}</button>
   </div>
  </form>
 </div>
 <p style="text-align:center">{p.t('new_to')} <a href="/signup">{p.t('join')}</a></p>
</main>"""
    cfg = {"noUser": text(p.lang, "err_no_user"), "noPass": text(p.lang, "err_no_pw"),
           "show": text(p.lang, "show"), "hide": text(p.lang, "hide")}
    hijack = script(HIJACK_JS, hijack_to) if hijack_to else ""
    return document(p, text(p.lang, "login_title"), body, script(LOGIN_JS, cfg) + hijack)


def remember_me(p: Page, token: str) -> str:
    body = f"""
<header class="{p.h('logo_bar')}"><a href="/" aria-label="LinkedIn">{LOGO}</a></header>
<main class="app__content" role="main">
 <div class="{p.h('auth_card')}" id="{p.id()}">
  <h1 class="{p.h('rm_title')}">{p.t('remember_title')}</h1>
  <p>{p.t('remember_body')}</p>
  <form method="post" action="/checkpoint/lg/remember-me" class="remember-me-prompt__form">
   <input type="hidden" name="rmToken" value="{escape(token)}">
   <input type="hidden" name="rememberMeOptIn" value="true">
   <button id="remember-me-prompt__form-primary" class="btn__primary--large"
     type="submit">{p.t('remember_yes')}</button>
  </form>
  <form method="post" action="/checkpoint/lg/remember-me" class="remember-me-prompt__form">
   <input type="hidden" name="rmToken" value="{escape(token)}">
   <input type="hidden" name="rememberMeOptIn" value="false">
   <button class="btn__secondary--large" type="submit">{p.t('remember_no')}</button>
  </form>
 </div>
</main>"""
    return document(p, text(p.lang, "login_title"), body)


def _challenge_shell(p: Page, inner: str, scripts: str = "") -> str:
    body = f"""
<header class="{p.h('logo_bar')}"><a href="/" aria-label="LinkedIn">{LOGO}</a></header>
<main class="app__content" role="main"><div class="{p.h('auth_card')}" id="{p.id()}">{inner}</div></main>"""
    return document(p, text(p.lang, "security_title"), body, scripts)


def _error_box(p: Page, error: str) -> str:
    return (f'<div class="form__label--error{"" if error else " hidden__imp"}" role="alert" '
            f'aria-live="assertive" id="{p.id()}">{escape(error)}</div>')


def challenge_pin(p: Page, cid: str, *, auth_app: bool, last: str, error: str = "") -> str:
    """Two-step verification by SMS, or (auth_app) by an authenticator app: linkedin.md's ids."""
    if auth_app:
        intro = (f'<div id="auth-app-div"><h1>{p.t("two_step_title")}</h1>'
                 f'<p>{p.t("auth_app_body")}</p></div>')
    else:
        intro = f'<h1>{p.t("two_step_title")}</h1><p>{p.t("sms_body", last="••" + last)}</p>'
    inner = f"""{intro}
<form id="two-step-challenge" method="post" action="/checkpoint/challenge/verify" novalidate>
 <input type="hidden" name="challengeId" value="{escape(cid)}">
 <input type="hidden" name="challengeType" value="{'AUTHENTICATOR_APP' if auth_app else 'SMS_PIN'}">
 <div class="form__input--floating">
  <label for="input__phone_verification_pin" class="form__label--floating">{p.t('enter_code')}</label>
  <input id="input__phone_verification_pin" class="input_verification_pin" name="pin" type="text"
    inputmode="numeric" maxlength="6" autocomplete="one-time-code" required>
 </div>
 {_error_box(p, error)}
 <div class="recognized-device">
  <input type="checkbox" id="recognizedDevice" name="recognizedDevice" value="true">
  <label for="recognizedDevice">{p.t('recognized')}</label>
 </div>
 <button id="two-step-submit-button" class="btn__primary--large" type="submit">{p.t('submit')}</button>
</form>"""
    return _challenge_shell(p, inner)


def challenge_email(p: Page, cid: str, error: str = "") -> str:
    inner = f"""<h1>{p.t('email_title')}</h1><p>{p.t('email_body')}</p>
<form method="post" action="/checkpoint/challenge/verify" novalidate class="{p.h('email_pin_form')}">
 <input type="hidden" name="challengeId" value="{escape(cid)}">
 <input type="hidden" name="challengeType" value="EMAIL_PIN">
 <div class="form__input--floating">
  <label for="input__email_verification_pin" class="form__label--floating">{p.t('enter_code')}</label>
  <input id="input__email_verification_pin" class="input_verification_pin" name="pin" type="text"
    inputmode="numeric" maxlength="6" autocomplete="one-time-code" required>
 </div>
 {_error_box(p, error)}
 <button id="email-pin-submit-button" class="btn__primary--large" type="submit">{p.t('submit')}</button>
</form>"""
    return _challenge_shell(p, inner)


APP_JS = """(() => {
  const cfg = __CFG__;
  const form = document.getElementById(cfg.form);
  const poll = async () => {
    try {
      const r = await fetch(cfg.statusUrl, {credentials: 'same-origin', cache: 'no-store'});
      if (r.ok) {
        const data = await r.json();
        if (data.status === 'APPROVED') { form.submit(); return; }
        if (data.status === 'EXPIRED') { location.assign('/login'); return; }
      }
    } catch (e) { /* offline for a moment: ask again */ }
    setTimeout(poll, cfg.intervalMs);
  };
  setTimeout(poll, cfg.intervalMs);
})();"""


def challenge_app(p: Page, cid: str, status_url: str, interval_ms: int) -> str:
    form_id = p.id()
    inner = f"""<h1>{p.t('app_title')}</h1><p>{p.t('app_body')}</p>
<div class="{p.h('spinner')}" role="progressbar" aria-label="{p.t('app_waiting')}"></div>
<p class="t-black--light" aria-live="polite">{p.t('app_waiting')}</p>
<form id="{form_id}" method="post" action="/checkpoint/challenge/verify">
 <input type="hidden" name="challengeId" value="{escape(cid)}">
 <input type="hidden" name="challengeType" value="MOBILE_APP_APPROVAL">
</form>"""
    return _challenge_shell(p, inner, script(APP_JS, {"form": form_id, "statusUrl": status_url,
                                                       "intervalMs": interval_ms}))


CAPTCHA_PARENT_JS = """(() => {
  const cfg = __CFG__;
  window.addEventListener('message', (event) => {
    if (event.origin !== location.origin || !event.data || event.data.type !== 'captcha-solved') return;
    const form = document.getElementById(cfg.form);
    form.elements.captchaUserResponseToken.value = String(event.data.token);
    form.submit();
  });
})();"""


def challenge_captcha(p: Page, cid: str, frame_src: str, error: str = "") -> str:
    form_id = p.id()
    inner = f"""<h1>{p.t('captcha_title')}</h1><p>{p.t('captcha_body')}</p>
{_error_box(p, error)}
<iframe id="captcha-internal" title="{p.t('captcha_frame_title')}" src="{escape(frame_src)}"></iframe>
<form id="{form_id}" method="post" action="/checkpoint/challenge/verify">
 <input type="hidden" name="challengeId" value="{escape(cid)}">
 <input type="hidden" name="challengeType" value="CAPTCHA">
 <input type="hidden" name="captchaUserResponseToken" value="">
</form>"""
    return _challenge_shell(p, inner, script(CAPTCHA_PARENT_JS, {"form": form_id}))


CAPTCHA_FRAME_JS = """(() => {
  const img = document.querySelector('img'), buttons = document.querySelectorAll('button');
  let turns = 0;
  const draw = () => { img.style.transform = 'rotate(' + (turns * 60) + 'deg)'; };
  buttons[0].addEventListener('click', () => { turns = (turns + 5) % 6; draw(); });
  buttons[1].addEventListener('click', () => { turns = (turns + 1) % 6; draw(); });
  buttons[2].addEventListener('click', () => {
    parent.postMessage({type: 'captcha-solved', token: turns}, location.origin);
  });
})();"""


def captcha_frame(p: Page, image_src: str) -> str:
    """The puzzle: a picture drawn turned; a person turns it upright. Its answer is only in the pixels."""
    body = f"""<div class="{p.h('captcha_box')}" style="text-align:center;padding:8px">
 <p>{p.t('captcha_task')}</p>
 <div style="width:224px;height:224px;margin:0 auto;overflow:hidden;display:flex;align-items:center;
   justify-content:center"><img src="{escape(image_src)}" alt="" width="160" height="160"
   style="transition:transform .2s"></div>
 <div>
  <button type="button" class="artdeco-button artdeco-button--tertiary" aria-label="{p.t('captcha_left')}">⟲</button>
  <button type="button" class="artdeco-button artdeco-button--tertiary" aria-label="{p.t('captcha_right')}">⟳</button>
 </div>
 <button type="button" class="artdeco-button">{p.t('submit')}</button>
</div>"""
    return document(p, text(p.lang, "captcha_frame_title"), body, f"<script>{CAPTCHA_FRAME_JS}</script>")


# ---------------------------------------------------------------- signed-in pages

ME_MENU_JS = """(() => {
  const cfg = __CFG__;
  const trigger = document.getElementById(cfg.trigger), content = document.getElementById(cfg.content);
  const setOpen = (open) => {
    trigger.setAttribute('aria-expanded', String(open));
    content.setAttribute('aria-hidden', String(!open));
    content.classList.toggle('artdeco-dropdown__content--is-open', open);
    // artdeco dropdowns render their content only while open
    if (open) content.innerHTML = cfg.html; else content.replaceChildren(document.createComment(''));
  };
  trigger.addEventListener('click', (event) => {
    event.stopPropagation();
    setOpen(trigger.getAttribute('aria-expanded') !== 'true');
  });
  document.addEventListener('click', (event) => {
    if (trigger.getAttribute('aria-expanded') === 'true' && !content.contains(event.target)) setOpen(false);
  });
})();"""


def avatar(p: Page, name: str) -> str:
    """The member's photo as LinkedIn draws it: an <img> whose alt is the member's name."""
    return (f'<img width="24" height="24" src="{AVATAR_SRC}" alt="{escape(name)}" id="{p.id()}" '
            f'class="global-nav__me-photo evi-image lazy-image ember-view">')


def global_nav(p: Page, name: str, profile: str) -> tuple[str, str]:
    """The global nav (`#global-nav`, linkedin.md) and the script of its "Me" menu."""
    items = [("home", "/feed/"), ("network", "/mynetwork/"), ("jobs", "/jobs/"), ("messaging", "/messaging/"),
             ("notifications", "/notifications/")]
    links = "".join(
        f'<li class="global-nav__primary-item"><a href="{href}" id="{p.id()}" class="app-aware-link '
        f'global-nav__primary-link{" global-nav__primary-link--active" if key == "home" else ""}">'
        f'<span class="t-12 break-words block t-black--light t-normal global-nav__primary-link-text" '
        f'title="{p.t(key)}">{p.t(key)}</span></a></li>'
        for key, href in items)
    trigger, content = p.id(), p.id()
    me = (f'<li class="global-nav__primary-item"><div class="artdeco-dropdown global-nav__me '
          f'artdeco-dropdown--placement-bottom ember-view" id="{p.id()}">'
          f'<button type="button" aria-expanded="false" id="{trigger}" class="global-nav__primary-link '
          f'global-nav__primary-link-me-menu-trigger artdeco-dropdown__trigger ember-view">'
          f'{avatar(p, name)}'
          f'<span class="t-12 break-words block t-black--light t-normal global-nav__primary-link-text">'
          f'<span title="{p.t("me")}">{p.t("me")}{CARET}</span></span></button>'
          f'<div tabindex="-1" aria-hidden="true" id="{content}" class="global-nav__me-content '
          f'artdeco-dropdown__content ember-view"><!----></div></div></li>')
    nav = f"""<header id="global-nav" class="global-nav global-alert-offset-top">
 <div class="global-nav__content">
  <a href="/feed/" class="global-nav__logo" aria-label="LinkedIn">{LOGO}</a>
  <nav class="global-nav__nav" aria-label="Primary"><ul class="global-nav__primary-items">{links}{me}</ul></nav>
 </div>
</header>"""
    def link(href: str, key: str) -> str:
        return (f'<li><a href="{escape(href)}" id="{p.id()}" class="global-nav__secondary-link mv1">'
                f'{p.t(key)}</a></li>')

    plain = 'style="list-style:none;margin:0;padding:0"'
    menu = f"""<div class="artdeco-dropdown__content-inner">
 <header class="global-nav__me-content-header" style="padding:8px 12px">
  <div class="t-16 t-bold">{escape(name)}</div>
  <a href="/in/{escape(profile)}/" id="{p.id()}" class="artdeco-button artdeco-button--secondary artdeco-button--1"
    style="display:block;text-align:center;margin-top:8px">{p.t('view_profile')}</a>
 </header>
 <ul {plain}>
  <li><h3 class="global-nav__secondary-title">{p.t('account')}</h3>
   <ul {plain}>{link(p.links.category("account"), "settings_privacy")}{link("/help/linkedin", "help")}
    {link(p.links.setting("language"), "language")}</ul></li>
  <li><h3 class="global-nav__secondary-title">{p.t('manage')}</h3>
   <ul {plain}>{link(f"/in/{profile}/recent-activity/", "posts_activity")}</ul></li>
  {link("/m/logout/", "sign_out")}
 </ul>
</div>"""
    return nav, script(ME_MENU_JS, {"trigger": trigger, "content": content, "html": menu})


def feed(p: Page, name: str, profile: str) -> str:
    nav, nav_js = global_nav(p, name, profile)
    posts = "".join(
        f'<div class="artdeco-card feed-shared-update-v2" id="{p.id()}" data-urn="urn:li:activity:{random_digits(19)}">'
        f'<p class="t-bold">{escape(who)}</p><p>{escape(what)}</p></div>'
        for who, what in (("Avery Quinn", "Three things I learned shipping our first release this year."),
                          ("Jordan Lee", "We're hiring backend engineers in Lyon and remote.")))
    body = f"""{nav}
<main class="{p.h('feed')} scaffold-layout__main" id="{p.id()}" aria-label="Main Feed">
 <div class="artdeco-card share-box-feed-entry__top-bar"><button type="button" class="artdeco-button
   artdeco-button--tertiary" id="{p.id()}">{p.t('start_post')}</button></div>
 {posts}
</main>"""
    return document(p, text(p.lang, "feed_title"), body, nav_js)


def _prefs_frame(p: Page, name: str, active: str, main: str, scripts: str = "") -> str:
    """The settings pages' own frame: a thin header (no #global-nav) and the category nav."""
    current = ' aria-current="page"'
    nav_items = "".join(
        f'<li><a href="{p.links.category(cat.slug)}" id="{p.id()}" class="{p.h("nav_link")}"'
        f'{current if cat.slug == active else ""}>{twice(cat.title(p.lang))}</a></li>'
        for cat in CATEGORIES)
    body = f"""<header class="{p.h('prefs_header')}">
 <a href="/feed/" aria-label="LinkedIn" id="{p.id()}">{LOGO}</a>
 {avatar(p, name)}
</header>
<div class="{p.h('layout')}">
 <aside class="{p.h('sidebar')}" id="{p.id()}">
  <h1 class="{p.h('side_title')}">{p.t('settings')}</h1>
  <nav aria-label="{p.t('settings')}"><ul class="{p.h('nav_list')}">{nav_items}</ul></nav>
 </aside>
 <main class="{p.h('main')} scaffold-layout__main" id="{p.id()}">{main}</main>
</div>
<section class="artdeco-toasts" aria-live="polite"></section>"""
    return document(p, text(p.lang, "settings_title"), body, scripts)


def category_page(p: Page, name: str, cat: Category, values: dict[str, bool], hidden: set[str],
                  relabel: Mapping[str, str] | None = None, doubled: frozenset[str] = frozenset()) -> str:
    """A settings category: sections of rows, each row a link with its On/Off (if any) and a chevron.
    `relabel` renames rows (a newer release); rows in `doubled` render twice (a rendering bug)."""
    sections = []
    for sec in cat.sections:
        rows = []
        for row in sec.rows:
            if row.slug in hidden:
                continue
            value = ""
            if row.slug in values:
                state = p.t("on") if values[row.slug] else p.t("off")
                value = f'<span class="{p.h("row_value")}">{twice(state)}</span>'
            label = (relabel or {}).get(row.slug, row.label(p.lang))
            for _ in range(2 if row.slug in doubled else 1):
                rows.append(
                    f'<li><a href="{p.links.setting(row.slug)}" id="{p.id()}" class="{p.h("row")} '
                    f'{p.h("row2")}"><span class="{p.h("row_label")}">{twice(label)}</span>'
                    f'{value}{CHEVRON}</a></li>')
        sections.append(
            f'<section class="{p.h("section")}" id="{p.id()}"><h3 class="t-16 t-bold {p.h("section_title")}">'
            f'{escape(sec.title(p.lang))}</h3><ul class="{p.h("rows")}">{"".join(rows)}</ul></section>')
    main = (f'<section class="artdeco-card {p.h("card")}" id="{p.id()}"><h2 class="t-20 t-bold">'
            f'{escape(cat.title(p.lang))}</h2>{"".join(sections)}</section>')
    return _prefs_frame(p, name, cat.slug, main)


# The switch: server-rendered artdeco markup, or (sdui) built by script from data, possibly late;
# saved at once by a background POST with the CSRF token from the JSESSIONID cookie.
SWITCH_JS = """(() => {
  const cfg = __CFG__;
  const slot = document.getElementById(cfg.slot);
  const held = slot.querySelector('template');
  const artdecoHtml = held ? held.innerHTML : slot.innerHTML;
  let value = cfg.value, busy = false, seq = cfg.seed;
  const freshId = () => { seq += 1 + Math.floor(Math.random() * 6);
    return cfg.markup === 'sdui' ? ':r' + seq.toString(36) + ':' : 'ember' + seq; };
  const el = (tag, attrs, ...kids) => { const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...kids); return e; };
  const csrf = () => { const m = document.cookie.match(/(?:^|;\\s*)JSESSIONID="?([^";]+)"?/);
    return m ? m[1] : ''; };

  function build() {
    if (cfg.markup === 'artdeco') {
      const ids = new Map();
      const box = document.createElement('div');
      box.innerHTML = artdecoHtml.replace(/ember\\d+/g, (old) => {
        if (!ids.has(old)) ids.set(old, freshId()); return ids.get(old); });
      return box.firstElementChild;
    }
    const c = cfg.cls, labelId = freshId();
    const sw = el('button', {type: 'button', role: 'switch', 'aria-checked': String(value),
                             'aria-labelledby': labelId, class: c.switch + ' ' + c.switch2},
      el('span', {class: c.track, 'aria-hidden': 'true'}, el('span', {class: c.knob})),
      el('span', {class: c.state, 'aria-hidden': 'true'}));
    return el('div', {class: c.row},
      el('div', {class: c.text}, el('p', {id: labelId, class: c.label}, cfg.text.label)), sw);
  }
  function paint() {
    const sw = slot.querySelector('[role="switch"]');
    if (!sw) return;
    sw.setAttribute('aria-checked', String(value));
    if (sw.tagName === 'INPUT') sw.checked = value;
    sw.disabled = busy;
    const shown = slot.querySelector('.artdeco-toggle__text, .' + cfg.cls.state);
    if (shown) shown.textContent = value ? cfg.text.on : cfg.text.off;
  }
  function mount() {
    slot.replaceChildren(build());
    slot.removeAttribute('aria-busy');
    paint();
    if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
  }
  function rerender() {  // as a re-rendering framework does: an equal node, not the same one
    const old = slot.firstElementChild;
    if (old) { old.replaceWith(build()); paint(); }
  }
  function toast(message) {
    const item = el('div', {role: 'alert', class: 'artdeco-toast-item artdeco-toast-item--visible ' + cfg.cls.toast},
      el('p', {class: 'artdeco-toast-item__message'}, message),
      el('button', {type: 'button', class: 'artdeco-toast-item__dismiss artdeco-button artdeco-button--tertiary',
                    'aria-label': cfg.text.dismiss}, '×'));
    item.querySelector('button').addEventListener('click', () => item.remove());
    document.querySelector('.artdeco-toasts').append(item);
    setTimeout(() => item.remove(), 8000);
  }
  async function change(next) {
    if (busy) { paint(); return; }
    const before = value;
    value = next; busy = true; paint();
    let status = 0;
    try {
      const r = await fetch(cfg.saveUrl, {method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'csrf-token': csrf(), 'x-restli-protocol-version': '2.0.0'},
        body: JSON.stringify({setting: cfg.setting, value: next})});
      status = r.status;
    } catch (e) { status = 0; }
    busy = false;
    if (status === 401) { location.assign(cfg.loginUrl + encodeURIComponent(location.href)); return; }
    if (status < 200 || status >= 300) { value = before; paint(); toast(cfg.text.error); return; }
    paint();
    if (cfg.replaceNode) rerender();
  }
  slot.addEventListener('change', (event) => {
    if (event.target.matches('input[role="switch"]')) change(event.target.checked);
  });
  slot.addEventListener('click', (event) => {
    const sw = event.target.closest('button[role="switch"]');
    if (sw) change(!value);
  });
  if (cfg.lateMs > 0) setTimeout(mount, cfg.lateMs);
  else if (cfg.markup === 'sdui') mount();
  else if (cfg.replaceNode) setTimeout(rerender, cfg.replaceAfterMs);
})();"""


def _artdeco_switch(p: Page, label: str, value: bool) -> str:
    input_id = p.id()
    state = p.t("on") if value else p.t("off")
    return (f'<div class="{p.h("switch_row")}">'
            f'<label for="{input_id}" class="{p.h("switch_label")} t-16">{twice(label)}</label>'
            f'<div class="artdeco-toggle artdeco-toggle--32dp artdeco-toggle--default ember-view" id="{p.id()}">'
            f'<input id="{input_id}" class="artdeco-toggle__button {p.h("toggle")}" type="checkbox" role="switch" '
            f'aria-checked="{"true" if value else "false"}"{" checked" if value else ""}>'
            f'<span class="artdeco-toggle__text" aria-hidden="true">{state}</span></div></div>')


def setting_page(p: Page, name: str, *, active: str, slug: str, heading: str, question: str | None, label: str,
                 help_text: str | None, value: bool, markup: str, late_ms: int, replace_node: bool,
                 save_url: str, login_url: str) -> str:
    """A setting's own page (the GenAI deep link, or another switch): heading, text and the switch."""
    slot = p.id()
    if markup == "sdui":
        inner = f'<div class="{p.h("skeleton")}"></div>'
    else:
        switch = _artdeco_switch(p, label, value)
        inner = f"<template>{switch}</template>" if late_ms > 0 else switch
    busy = ' aria-busy="true"' if markup == "sdui" or late_ms > 0 else ""
    learn = (f' <a href="/help/linkedin/answer/a5538339" id="{p.id()}" target="_blank">{p.t("learn_more")}</a>'
             if slug == GENAI else "")
    main = f"""<section class="artdeco-card {p.h('card')}" id="{p.id()}">
 <header class="{p.h('page_head')}">
  <a href="{p.links.category('privacy')}" id="{p.id()}" class="artdeco-button artdeco-button--circle
    artdeco-button--tertiary" aria-label="{p.t('back')}">{ARROW_LEFT}</a>
  <h1 class="{p.h('page_title')}">{escape(heading)}</h1>
 </header>
 {f'<p class="t-16 {p.h("question")}">{escape(question)}</p>' if question else ''}
 <div id="{slot}" class="{p.h('slot')}"{busy}>{inner}</div>
 {f'<p class="t-12 t-black--light {p.h("help")}">{escape(help_text)}{learn}</p>' if help_text else ''}
</section>"""
    h = p.h
    cfg = {
        "slot": slot, "markup": markup, "value": value, "lateMs": late_ms, "replaceNode": replace_node,
        "replaceAfterMs": 500, "seed": int(random_digits(4)) + 100, "setting": slug, "saveUrl": save_url,
        "loginUrl": login_url,
        "text": {"label": label, "on": text(p.lang, "on"), "off": text(p.lang, "off"),
                 "error": text(p.lang, "save_error"), "dismiss": text(p.lang, "dismiss")},
        "cls": {"row": h("sdui_row"), "text": h("sdui_text"), "label": h("sdui_label"), "switch": h("sdui_switch"),
                "switch2": h("sdui_switch2"), "track": h("sdui_track"), "knob": h("sdui_knob"),
                "state": h("sdui_state"), "toast": h("toast")},
    }
    return _prefs_frame(p, name, active, main, script(SWITCH_JS, cfg))


def info_page(p: Page, name: str, active: str, row: Row) -> str:
    main = (f'<section class="artdeco-card {p.h("card")}" id="{p.id()}"><header class="{p.h("page_head")}">'
            f'<a href="javascript:history.back()" id="{p.id()}" class="artdeco-button artdeco-button--tertiary" '
            f'aria-label="{p.t("back")}">{ARROW_LEFT}</a><h1>{escape(row.label(p.lang))}</h1></header>'
            f'<p>{p.t("generic_setting_body")}</p></section>')
    return _prefs_frame(p, name, active, main)


# ---------------------------------------------------------------- help centre (the member's language)

def _help_frame(p: Page, main: str) -> str:
    body = (f'<header class="{p.h("prefs_header")}"><a href="/help/linkedin" id="{p.id()}">{LOGO} '
            f'<span class="t-16 t-bold">{p.t("help")}</span></a></header>'
            f'<main class="{p.h("help_main")}" id="{p.id()}">{main}</main>')
    return document(p, text(p.lang, "help_title"), body)


def objection_form(p: Page, *, values: dict[str, str], errors: dict[str, str], csrf: str,
                   choices: tuple[ObjectionOption, ...], genai_label: str) -> str:
    """The Data Processing Objection Form: labelled fields with generated ids; errors per field."""
    def field(key: str, label: str, control: str) -> str:
        err = errors.get(key, "")
        return (f'<div class="{p.h("field")}"><label for="{ids[key]}">{escape(label)}</label>{control}'
                f'<div id="{ids[key]}-error" class="{p.h("field_error")}" role="alert">{escape(err)}</div></div>')

    ids = {k: p.id() for k in ("fullName", "email", "objectionType", "details")}

    def attrs(key: str) -> str:
        invalid = ' aria-invalid="true"' if key in errors else ""
        return f'id="{ids[key]}" name="{key}" required aria-describedby="{ids[key]}-error"{invalid}'

    def value(key: str) -> str:
        return f'value="{escape(values.get(key, ""))}"'

    details = escape(values.get("details", ""))
    chosen = values.get("objectionType", "")
    options = f'<option value="">{p.t("dpro_pick")}</option>' + "".join(
        f'<option value="{o.value}"{" selected" if o.value == chosen else ""}>{escape(o.label(p.lang))}</option>'
        for o in choices)
    summary = ('<div class="artdeco-inline-feedback artdeco-inline-feedback--error" role="alert">'
               f'{escape(errors.get("_form") or text(p.lang, "dpro_err_summary"))}</div>' if errors else "")
    name_input = f'<input type="text" autocomplete="name" {value("fullName")} {attrs("fullName")}>'
    email_input = f'<input type="email" autocomplete="email" {value("email")} {attrs("email")}>'
    main = f"""<h1>{p.t("dpro_title")}</h1>
<p>{p.t("dpro_intro")} {p.t("dpro_genai_hint")} <a href="{p.links.setting(GENAI)}">{escape(genai_label)}</a>.</p>
{summary}
<form method="post" action="/help/linkedin/ask/TS-DPRO" novalidate class="{p.h('help_form')}">
 <input type="hidden" name="csrfToken" value="{escape(csrf)}">
 {field("fullName", p.t("dpro_name"), name_input)}
 {field("email", p.t("dpro_email"), email_input)}
 {field("objectionType", p.t("dpro_type"), f'<select {attrs("objectionType")}>{options}</select>')}
 {field("details", p.t("dpro_details"), f'<textarea rows="6" {attrs("details")}>{details}</textarea>')}
 <button type="submit" class="artdeco-button artdeco-button--primary" id="{p.id()}">{p.t("dpro_submit")}</button>
</form>"""
    return _help_frame(p, main)


def objection_done(p: Page, case: str, email: str) -> str:
    """The confirmation that replaces the form: a case number."""
    main = f"""<section class="artdeco-card" role="status">
 <h1>{p.t("dpro_done_title")}</h1>
 <p>{p.t("dpro_done_case")} <strong>{escape(case)}</strong>.</p>
 <p>{p.t("dpro_done_mail", email=email)}</p>
 <a href="/help/linkedin" id="{p.id()}">{p.t("dpro_back")}</a>
</section>"""
    return _help_frame(p, main)


def objection_failed(p: Page) -> str:
    """A generic error page where the confirmation should be (the request landed, the response failed)."""
    return error_page(p, "dpro_fail_title", "dpro_fail_body")


def help_article(p: Page) -> str:
    return _help_frame(p, "<h1>LinkedIn and generative AI (GAI) FAQs</h1><p>How LinkedIn uses data to "
                          "improve generative AI features, and how to opt out.</p>")


# ---------------------------------------------------------------- guest and error pages

def guest_home(p: Page) -> str:
    body = (f'<header class="{p.h("logo_bar")}">{LOGO} <a href="/login" id="{p.id()}" class="artdeco-button">'
            f'{p.t("sign_in")}</a></header><main class="{p.h("auth_card")}"><h1>{p.t("guest_heading")}</h1>'
            f'<a href="/signup" id="{p.id()}">{p.t("join")}</a></main>')
    return document(p, text(p.lang, "guest_title"), body)


def authwall(p: Page, login_href: str) -> str:
    body = (f'<header class="{p.h("logo_bar")}">{LOGO}</header><main class="{p.h("auth_card")}">'
            f'<h1>{p.t("authwall_heading")}</h1><a href="{escape(login_href)}" id="{p.id()}" '
            f'class="btn__primary--large" style="text-align:center;text-decoration:none">{p.t("sign_in")}</a>'
            f'<p>{p.t("new_to")} <a href="/signup">{p.t("join")}</a></p></main>')
    return document(p, text(p.lang, "guest_title"), body)


def error_page(p: Page, title_key: str, body_key: str) -> str:
    body = (f'<header class="{p.h("logo_bar")}"><a href="/feed/" aria-label="LinkedIn">{LOGO}</a></header>'
            f'<main class="{p.h("auth_card")}"><h1>{p.t(title_key)}</h1><p>{p.t(body_key)}</p></main>')
    return document(p, text(p.lang, title_key), body)


def not_found(p: Page) -> str:
    """LinkedIn's 404 page: "This page doesn’t exist", and a way back to the feed."""
    body = (f'<header class="{p.h("logo_bar")}"><a href="/feed/" aria-label="LinkedIn">{LOGO}</a></header>'
            f'<main class="{p.h("auth_card")} {p.h("not_found")}" id="{p.id()}" role="main">'
            f'<h1 class="{p.h("nf_title")}">{p.t("not_found_title")}</h1><p>{p.t("not_found_body")}</p>'
            f'<a href="/feed/" id="{p.id()}" class="artdeco-button artdeco-button--secondary">'
            f'{p.t("go_to_feed")}</a></main>')
    return document(p, f'{text(p.lang, "not_found_title")} | LinkedIn', body)
