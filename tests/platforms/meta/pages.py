"""HTML of the Meta replicas' pages (Facebook and Instagram share them, with their own brand).

meta.md knows nothing of the markup, so, as its "The replica" paragraph says, the pages use ordinary
`<label>`ed inputs, a `<select>`, a `<textarea>`, radio buttons and `<button>`s, with generated ids
(`u_0_1234`, new on every load), generated input names (new on every load; the server maps them back
through the form's hidden `lsd` token) and hashed class names. Nothing is there only for a bot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from tests.replicas.server import HashedClasses, IdGen, script_json

from .texts import CHOICES, TP_REQUESTS, country_name, text


@dataclass(frozen=True)
class Brand:
    """What differs between Facebook and Instagram: names, paths, cookies."""

    key: str  # "facebook" | "instagram"
    name: str  # "Facebook" | "Instagram"
    login_path: str
    login_post: str
    two_factor_path: str
    logout_path: str
    settings_path: str
    session_cookie: str  # HttpOnly
    user_cookie: str
    next_absolute: bool  # Facebook's ?next= holds a full URL, Instagram's a path
    forms: Mapping[str, tuple[str, str]]  # path -> (kind "objection"|"third_party", lang)
    contact_prefix: str  # unknown form ids under it answer the 404 page
    submit_path: str = "/ajax/help/contact/submit/page"

    @property
    def objection_path(self) -> str:
        """The English objection form (the deep link meta.md gives)."""
        return next(p for p, (kind, lang) in self.forms.items() if kind == "objection" and lang == "en")

    @property
    def third_party_path(self) -> str | None:
        return next((p for p, (kind, _) in self.forms.items() if kind == "third_party"), None)

    @property
    def short(self) -> str:
        return "fb" if self.key == "facebook" else "ig"


class Page:
    """One rendering: language, brand, the release's hashed classes, fresh ids."""

    def __init__(self, lang: str, brand: Brand, h: HashedClasses) -> None:
        self.lang, self.brand, self.h = lang, brand, h
        self.id = IdGen("u_0_")

    def t(self, key: str, **fmt: str) -> Markup:
        return escape(text(self.lang, key, brand=self.brand.name, **fmt))

    def bt(self, key: str) -> Markup:
        """A brand-specific text (`fb_…` / `ig_…`)."""
        return self.t(f"{self.brand.short}_{key}")


def css(p: Page) -> str:
    h = p.h
    blue = "#1877f2" if p.brand.key == "facebook" else "#0095f6"
    return f"""
*{{box-sizing:border-box}}
body{{margin:0;font:15px/1.34 Helvetica,Arial,"Liberation Sans",sans-serif;color:#1c1e21;background:#f0f2f5}}
a{{color:{blue};text-decoration:none}}
.{h("bar")}{{display:flex;align-items:center;justify-content:space-between;height:56px;padding:0 16px;
  background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.1)}}
.{h("logo")}{{font-weight:700;font-size:24px;color:{blue}}}
.{h("main")}{{max-width:680px;margin:24px auto;background:#fff;border-radius:8px;padding:20px 24px;
  box-shadow:0 1px 2px rgba(0,0,0,.1)}}
.{h("main")} h1{{font-size:24px;margin:0 0 12px}}
.{h("field")}{{display:grid;gap:6px;margin:16px 0}}
.{h("field")} input,.{h("field")} select,.{h("field")} textarea{{font:inherit;padding:10px;border:1px solid #ccd0d5;
  border-radius:6px;width:100%}}
.{h("radio")}{{display:flex;gap:8px;align-items:flex-start;margin:8px 0}}
.{h("err")}{{color:#be4b49;font-size:13px}}
.{h("btn")}{{border:0;border-radius:6px;background:{blue};color:#fff;font-weight:700;font-size:15px;padding:8px 20px;
  cursor:pointer}}
.{h("btn")}:disabled{{opacity:.5}}
.{h("alert")}{{background:#ffebe8;border:1px solid #dd3c10;padding:8px 12px;margin:8px 0;border-radius:4px}}
.{h("ok")}{{background:#e7f3ff;padding:16px;border-radius:8px}}
.{h("list")}{{list-style:none;padding:0;margin:0}}
.{h("list")} li{{padding:8px 0;border-bottom:1px solid #e4e6eb}}
"""


def document(p: Page, title: str | Markup, body: str, scripts: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{p.lang}" id="{p.brand.key}"><head><meta charset="utf-8">'
            f'<title>{escape(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{css(p)}</style></head>\n<body>\n{body}\n{scripts}\n</body></html>")


def _bar(p: Page, signed_in: bool) -> str:
    # Log out is a plain link, so a page without the form really has no <form> at all.
    out = f'<a href="{p.brand.logout_path}" id="{p.id()}">{p.t("log_out")}</a>' if signed_in else ""
    return (f'<div role="banner" class="{p.h("bar")}"><a href="/" class="{p.h("logo")}" '
            f'aria-label="{p.brand.name}">{p.brand.name.lower()}</a>{out}</div>')


def _frame(p: Page, title: str | Markup, main: str, *, signed_in: bool, scripts: str = "") -> str:
    body = f'{_bar(p, signed_in)}<main role="main" class="{p.h("main")}" id="{p.id()}">{main}</main>'
    return document(p, title, body, scripts)


def _alert(p: Page, message: str | Markup) -> str:
    return f'<div role="alert" class="{p.h("alert")}">{escape(message)}</div>' if message else ""


def _field(p: Page, label: str | Markup, control_id: str, control: str, error: str = "") -> str:
    err = f'<div role="alert" class="{p.h("err")}" id="{control_id}_e">{escape(error)}</div>' if error else ""
    return f'<div class="{p.h("field")}"><label for="{control_id}">{label}</label>{control}{err}</div>'


def _invalid(error: str, control_id: str) -> str:
    return f' aria-invalid="true" aria-describedby="{control_id}_e"' if error else ""


# ---------------------------------------------------------------- sign-in

def login(p: Page, *, token: str, names: Mapping[str, str], next_url: str, email: str = "",
          error: str = "") -> str:
    """A plain email/password form (meta.md: the sign-in pages are not in the research)."""
    uid, pid = p.id(), p.id()
    main = f"""<h1>{p.bt("login_heading")}</h1>
{_alert(p, error)}
<form method="post" action="{p.brand.login_post}" novalidate id="{p.id()}">
 <input type="hidden" name="lsd" value="{escape(token)}" autocomplete="off">
 <input type="hidden" name="next" value="{escape(next_url)}">
 {_field(p, p.bt("login_user"), uid, f'<input type="text" id="{uid}" name="{names["email"]}" value="{escape(email)}"'
         ' autocomplete="username" autofocus>')}
 {_field(p, p.t("password"), pid, f'<input type="password" id="{pid}" name="{names["password"]}"'
         ' autocomplete="current-password">')}
 <button type="submit" class="{p.h("btn")}" id="{p.id()}">{p.t("log_in")}</button>
</form>
<p><a href="/recover/initiate/">{p.t("forgot")}</a></p>"""
    return _frame(p, p.bt("login_title"), main, signed_in=False)


def two_factor(p: Page, *, token: str, names: Mapping[str, str], error: str = "") -> str:
    cid = p.id()
    main = f"""<h1>{p.t("tfa_title")}</h1>
<p>{p.t("tfa_body")}</p>
{_alert(p, error)}
<form method="post" action="{p.brand.two_factor_path}" novalidate id="{p.id()}">
 <input type="hidden" name="lsd" value="{escape(token)}" autocomplete="off">
 {_field(p, p.bt("tfa_label"), cid, f'<input type="text" id="{cid}" name="{names["code"]}" inputmode="numeric"'
         ' autocomplete="one-time-code" maxlength="6">')}
 <button type="submit" class="{p.h("btn")}" id="{p.id()}">{p.t("continue")}</button>
</form>"""
    return _frame(p, p.t("tfa_title"), main, signed_in=False)


# ---------------------------------------------------------------- signed in: the click path

def _links(p: Page, items: Sequence[tuple[str, str | Markup]]) -> str:
    rows = "".join(f'<li><a href="{escape(href)}" id="{p.id()}">{escape(label)}</a></li>' for href, label in items)
    return f'<ul class="{p.h("list")}">{rows}</ul>'


def home(p: Page, name: str) -> str:
    main = (f'<h1>{p.t("home_heading", name=name)}</h1>'
            + _links(p, [(p.brand.settings_path, p.t("settings_privacy"))]))
    return _frame(p, p.t("home_title"), main, signed_in=True)


def settings(p: Page) -> str:
    main = f'<h1>{p.t("settings_title")}</h1>' + _links(p, [
        ("#", p.t("accounts_centre")), ("#", p.t("personal_details")), ("#", p.t("password_security")),
        ("/privacy/center/", p.t("privacy_center")), ("#", p.t("notifications"))])
    return _frame(p, p.t("settings_title"), main, signed_in=True)


def privacy_center(p: Page) -> str:
    topics = [("#", p.t(k)) for k in ("topic_security", "topic_sharing", "topic_collection", "topic_use",
                                       "topic_ads")]
    topics.insert(4, ("/privacy/genai/", p.t("ai_at_meta")))
    main = (f'<h1>{p.t("privacy_center")}</h1><p>{p.t("privacy_center_intro")}</p>'
            f'<section aria-label="{p.t("privacy_topics")}"><h2>{p.t("privacy_topics")}</h2>'
            f'{_links(p, topics)}</section>')
    return _frame(p, p.t("privacy_center"), main, signed_in=True)


def ai_at_meta(p: Page, object_href: str | None, third_party_href: str | None) -> str:
    """AI at Meta: the "right to object" link where the member is offered the form; none elsewhere."""
    main = f'<h1>{p.t("ai_at_meta")}</h1><p>{p.t("ai_intro")}</p>'
    if object_href:
        main += (f'<p>{p.t("ai_object_before")} <a href="{escape(object_href)}" id="{p.id()}">'
                 f'{p.t("right_to_object")}</a> {p.t("ai_object_after")}</p>')
    if object_href and third_party_href:
        main += f'<p><a href="{escape(third_party_href)}" id="{p.id()}">{p.t("ai_third_party")}</a></p>'
    return _frame(p, p.t("ai_at_meta"), main, signed_in=True)


# ---------------------------------------------------------------- help centre

def help_home(p: Page, signed_in: bool) -> str:
    """What a member outside the offered regions gets at the form's URL: a help page, no form at all."""
    main = f'<h1>{p.t("help_heading")}</h1>' + _links(p, [
        ("#", p.t("help_using")), ("#", p.t("help_account")), ("#", p.t("help_privacy")),
        ("#", p.t("help_policies"))])
    return _frame(p, p.bt("help_title"), main, signed_in=signed_in)


def not_found(p: Page, signed_in: bool) -> str:
    main = f'<h1>{p.t("not_found_title")}</h1><p>{p.t("not_found_body")}</p>'
    return _frame(p, p.t("not_found_title"), main, signed_in=signed_in)


def error_page(p: Page, title_key: str = "error_title", body_key: str = "error_body") -> str:
    main = f'<h1>{p.t(title_key)}</h1><p>{p.t(body_key)}</p>'
    return _frame(p, p.t(title_key), main, signed_in=False)


# ---------------------------------------------------------------- the objection form

LATE_JS = """(() => {
  const cfg = __CFG__;
  setTimeout(() => {
    const tpl = document.getElementById(cfg.tpl), slot = document.getElementById(cfg.slot);
    slot.replaceWith(tpl.content.cloneNode(true));
    tpl.remove();
  }, cfg.ms);
})();"""

# Variant send_by_script: Send goes by a background fetch; the answer's <main> replaces the page's.
SEND_JS = """(() => {
  const cfg = __CFG__;
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || new URL(form.action, location.href).pathname !== cfg.action) return;
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    form.querySelectorAll('[role=alert].' + cfg.alertClass).forEach((el) => el.remove());
    let resp = null, html = '';
    try {
      resp = await fetch(cfg.action, {method: 'POST', body: new FormData(form), credentials: 'same-origin'});
      html = await resp.text();
    } catch (err) { resp = null; }
    if (resp && resp.redirected && new URL(resp.url).pathname !== cfg.action) { location.assign(resp.url); return; }
    const next = resp && resp.ok ? new DOMParser().parseFromString(html, 'text/html').querySelector('main') : null;
    if (next) { document.querySelector('main').replaceWith(document.importNode(next, true)); return; }
    if (button) button.disabled = false;
    const box = document.createElement('div');
    box.setAttribute('role', 'alert');
    box.className = cfg.alertClass;
    box.textContent = cfg.error;
    form.prepend(box);
  });
})();"""


def script(js: str, cfg: object) -> str:
    return f"<script>{js.replace('__CFG__', script_json(cfg))}</script>"


def _send_script(p: Page, by_script: bool) -> str:
    if not by_script:
        return ""
    return script(SEND_JS, {"action": p.brand.submit_path, "alertClass": p.h("alert"), "error": text(p.lang,
                                                                                                     "script_error")})


def _late(p: Page, content: str, late_ms: int) -> tuple[str, str]:
    """(markup, script): `content` as is, or held in a <template> that script draws `late_ms` after load."""
    if late_ms <= 0:
        return content, ""
    tpl, slot = p.id(), p.id()
    return (f'<div id="{slot}" aria-busy="true"></div><template id="{tpl}">{content}</template>',
            script(LATE_JS, {"tpl": tpl, "slot": slot, "ms": late_ms}))


@dataclass
class FormView:
    """What one rendering of the objection form needs."""

    token: str
    names: Mapping[str, str]  # field key -> generated input name
    choice_values: Mapping[str, str]  # choice key -> generated radio value
    version: str  # "2025" | "2024"
    countries: Sequence[str]  # codes offered in the select (2024)
    values: Mapping[str, str]
    errors: Mapping[str, str]
    alert: str = ""


def objection_form(p: Page, v: FormView, *, signed_in: bool, late_ms: int = 0, by_script: bool = False) -> str:
    ids = {k: p.id() for k in ("country", "email", "text")}
    parts: list[str] = []
    if v.choice_values:
        err = v.errors.get("choice", "")
        radios = []
        for choice in CHOICES:
            rid = p.id()
            checked = " checked" if v.values.get("choice") == choice.key else ""
            radios.append(f'<div class="{p.h("radio")}"><input type="radio" id="{rid}" name="{v.names["choice"]}" '
                          f'value="{v.choice_values[choice.key]}"{checked}><label for="{rid}">'
                          f'{escape(choice.label(p.lang))}</label></div>')
        alert = f'<div role="alert" class="{p.h("err")}">{escape(err)}</div>' if err else ""
        parts.append(f'<fieldset><legend>{p.t("choices_legend")}</legend>{"".join(radios)}{alert}</fieldset>')
    if v.version == "2024":
        err = v.errors.get("country", "")
        chosen = v.values.get("country", "")
        options = f'<option value="">{p.t("country_pick")}</option>' + "".join(
            f'<option value="{code}"{" selected" if code == chosen else ""}>{escape(country_name(code, p.lang))}'
            "</option>" for code in sorted(v.countries, key=lambda c: country_name(c, p.lang)))
        parts.append(_field(p, p.t("country"), ids["country"], f'<select id="{ids["country"]}" '
                            f'name="{v.names["country"]}"{_invalid(err, ids["country"])}>{options}</select>', err))
    err = v.errors.get("email", "")
    parts.append(_field(p, p.t("email"), ids["email"], f'<input type="email" id="{ids["email"]}" '
                        f'name="{v.names["email"]}" value="{escape(v.values.get("email", ""))}" autocomplete="email"'
                        f'{_invalid(err, ids["email"])}>', err))
    err = v.errors.get("text", "")
    label = p.t("reason") if v.version == "2024" else p.t("explanation")
    parts.append(_field(p, label, ids["text"], f'<textarea id="{ids["text"]}" name="{v.names["text"]}" rows="5"'
                        f'{_invalid(err, ids["text"])}>{escape(v.values.get("text", ""))}</textarea>', err))
    form = f"""<form method="post" action="{p.brand.submit_path}" novalidate id="{p.id()}">
 <input type="hidden" name="lsd" value="{escape(v.token)}" autocomplete="off">
 {"".join(parts)}
 <button type="submit" class="{p.h("btn")}" id="{p.id()}">{p.t("send")}</button>
</form>"""
    drawn, late_script = _late(p, form, late_ms)
    main = f'<h1>{p.t("form_title")}</h1><p>{p.t("form_intro")}</p>{_alert(p, v.alert)}{drawn}'
    return _frame(p, p.t("form_title"), main, signed_in=signed_in,
                  scripts=late_script + _send_script(p, by_script))


def code_step(p: Page, *, token: str, names: Mapping[str, str], email: str, error: str = "",
              signed_in: bool = True, by_script: bool = False) -> str:
    """2024: the page asking for the 6-digit code emailed to `email`."""
    cid = p.id()
    main = f"""<h1>{p.t("code_title")}</h1>
<p>{p.t("code_body", email=email)}</p>
{_alert(p, error)}
<form method="post" action="{p.brand.submit_path}" novalidate id="{p.id()}">
 <input type="hidden" name="lsd" value="{escape(token)}" autocomplete="off">
 {_field(p, p.t("code_label"), cid, f'<input type="text" id="{cid}" name="{names["code"]}" inputmode="numeric"'
         ' autocomplete="one-time-code" maxlength="6">')}
 <button type="submit" class="{p.h("btn")}" id="{p.id()}">{p.t("code_confirm")}</button>
</form>"""
    return _frame(p, p.t("code_title"), main, signed_in=signed_in, scripts=_send_script(p, by_script))


def confirmation(p: Page, signed_in: bool) -> str:
    main = (f'<div role="status" class="{p.h("ok")}"><h1>{p.t("done_title")}</h1><p>{p.t("done_body")}</p>'
            f'<p>{p.t("done_mail")}</p></div>')
    return _frame(p, p.t("done_title"), main, signed_in=signed_in)


def form_expired(p: Page) -> str:
    """A Send with a form token the server does not know (never drawn, or forgotten)."""
    main = f'<h1>{p.t("error_title")}</h1>{_alert(p, p.t("err_form_expired"))}'
    return _frame(p, p.t("error_title"), main, signed_in=False)


def code_expired(p: Page, signed_in: bool) -> str:
    return _frame(p, p.t("code_title"), f'<h1>{p.t("code_title")}</h1>{_alert(p, p.t("code_gone"))}',
                  signed_in=signed_in)


# ---------------------------------------------------------------- the third-party form (not the opt-out)

def third_party_form(p: Page, *, token: str, names: Mapping[str, str], values: Mapping[str, str],
                     errors: Mapping[str, str], signed_in: bool = True, by_script: bool = False) -> str:
    ids = {k: p.id() for k in ("request", "email", "text")}
    chosen = values.get("request", "")
    options = f'<option value="">{p.t("tp_pick")}</option>' + "".join(
        f'<option value="{k}"{" selected" if k == chosen else ""}>{p.t(k)}</option>' for k in TP_REQUESTS)
    fields = [
        _field(p, p.t("tp_request"), ids["request"], f'<select id="{ids["request"]}" name="{names["request"]}"'
               f'{_invalid(errors.get("request", ""), ids["request"])}>{options}</select>', errors.get("request", "")),
        _field(p, p.t("email"), ids["email"], f'<input type="email" id="{ids["email"]}" name="{names["email"]}" '
               f'value="{escape(values.get("email", ""))}" autocomplete="email"'
               f'{_invalid(errors.get("email", ""), ids["email"])}>', errors.get("email", "")),
        _field(p, p.t("tp_details"), ids["text"], f'<textarea id="{ids["text"]}" name="{names["text"]}" rows="5">'
               f'{escape(values.get("text", ""))}</textarea>'),
    ]
    main = f"""<h1>{p.t("tp_title")}</h1><p>{p.t("tp_intro")}</p>
<form method="post" action="{p.brand.submit_path}" novalidate id="{p.id()}">
 <input type="hidden" name="lsd" value="{escape(token)}" autocomplete="off">
 {"".join(fields)}
 <button type="submit" class="{p.h("btn")}" id="{p.id()}">{p.t("send")}</button>
</form>"""
    return _frame(p, p.t("tp_title"), main, signed_in=signed_in, scripts=_send_script(p, by_script))


def third_party_done(p: Page, signed_in: bool = True) -> str:
    main = f'<div role="status" class="{p.h("ok")}"><h1>{p.t("tp_title")}</h1><p>{p.t("tp_done")}</p></div>'
    return _frame(p, p.t("tp_title"), main, signed_in=signed_in)
