"""The flow model: what a platform's flows/*.yaml may say, validated before any browser starts.

The model is plain frozen dataclasses, their rules between keys in `__post_init__`; pydantic checks
a file against them (flowcheck.py) only when the file is new or changed since it was kept
(flowcache.py): a command whose flow is kept never loads pydantic.

A flow is data only. Its step vocabulary is closed: a click path is a list of `open` and `click`
steps, a locator is a list of alternatives (role + accessible name, label text, visible text, css,
xpath, url), each label a list of texts in every language known. A file's errors are reported all
at once, one line each naming the file, the key and the reason, e.g.
`flows/linkedin.yaml: settings.0.control.1.role: Input should be 'switch', …`. The model is
written down in docs/flows.md and exported as docs/flow.schema.json (json_schema_text) for editors.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import string
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import yaml

from optout import flowcache, flowfiles
from optout.errors import FlowError
from optout.flowfiles import _packaged_flows, flows_dirs, names  # noqa: F401 - re-exported
from optout.kinds import NAMES as KIND_NAMES

if TYPE_CHECKING:  # what a key may hold beyond its type: pydantic reads these in flowcheck.py
    from optout.flowcheck import (
        Alternatives,
        Identifier,
        NamePattern,
        OnOff,
        Origins,
        SchemaNumber,
        Settings,
        SomeTexts,
        StateText,
        Steps,
        Texts,
        Wanted,
        Window,
    )

# 2: word-matched names, moved_if, option classes; 3: exact names, the menu kind, state read from text
# or data-state, modals to answer, the identity challenge, a form's code step, unavailable_if_none;
# 4: a setting for each object of a list (`each`), a select read by its chosen option (`selected`)
SCHEMA_VERSION = 4
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's is ten times faster

Role = Literal[
    "button", "link", "switch", "checkbox", "radio", "textbox", "combobox", "menuitem", "option",
    "heading", "tab", "dialog", "alertdialog", "form", "navigation", "main", "region", "alert", "status",
    "radiogroup", "group", "listbox",
]


class _Model:
    """A part of a flow: a frozen dataclass, its rules between keys in __post_init__. pydantic
    forbids keys it does not declare (this setting is read by flowcheck.py's validation only)."""

    __pydantic_config__ = {"extra": "forbid"}

    def given(self) -> dict[str, Any]:
        """The keys given a value other than their default (as the flow file would write them)."""
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value != _default(f):
                out[f.name] = value
        return out


def _default(f: Any) -> Any:
    """A dataclass field's default value (a fresh one where it has a factory)."""
    return f.default_factory() if f.default_factory is not MISSING else f.default


def _list(*items: str) -> Any:
    """A list default: each part gets its own."""
    return field(default_factory=lambda: list(items))


@dataclass(frozen=True, kw_only=True)
class Locator(_Model):
    """One way to find an element. The fields given must all hold for an element to match."""

    role: Role | None = None
    name: Texts = _list()  # accessible name: equal, or the start of it
    contains: bool = False  # name/label/text may stand anywhere in the element's text
    words: bool = False  # name/label/text stand anywhere as whole words ("AI" not in "training")
    exact: bool = False  # name/label/text equal, never a start: "Turn off" is not "Turn off and delete…" (3)
    label: Texts = _list()  # text of a <label>, aria-label or aria-labelledby
    text: Texts = _list()  # the element's own visible text
    near: Texts = _list()  # the one element of `role` in the block holding this text
    within: Texts = _list()  # any element of `role` in the block under this text
    css: str | None = None
    xpath: str | None = None
    url: str | None = None  # the page's path starts with this (no element needed)

    def __post_init__(self) -> None:
        if not (self.role or self.label or self.text or self.css or self.xpath or self.url):
            raise ValueError("a locator needs at least one of role, label, text, css, xpath, url")
        if (self.near or self.within) and not self.role:
            raise ValueError("'near' and 'within' need a 'role' to look for")
        if self.near and self.within:
            raise ValueError("'near' (the one element) and 'within' (any element) exclude each other")
        if sum((self.words, self.contains, self.exact)) > 1:
            raise ValueError("'words', 'contains' and 'exact' exclude each other")
        if self.exact and not (self.name or self.label or self.text):
            raise ValueError("'exact' needs a 'name', 'label' or 'text' to match")
        if self.words and not (self.name or self.label or self.text):
            raise ValueError("'words' needs a 'name', 'label' or 'text' to match")
        if self.url and (self.role or self.label or self.text or self.css or self.xpath):
            raise ValueError("'url' stands alone in a locator")

    def describe(self) -> str:
        parts = [f"{k}={v!r}" for k, v in self.given().items()]
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True, kw_only=True)
class Step(_Model):
    """A step of a click path: open a path of the platform, or click what a person would click."""

    open: str | None = None
    click: list[Locator] | None = None

    def __post_init__(self) -> None:
        if (self.open is None) == (self.click is None):
            raise ValueError("a step is either 'open: PATH' or 'click: [locators]'")
        if self.open is not None and not self.open.startswith(("/", "https://")):
            raise ValueError("'open' takes a path that starts with '/' (or a URL on one of the flow's origins)")


# identity (schema 3): the platform asks for the username (or phone) again, as an unusual-activity check
ChallengeKind = Literal["interstitial", "totp", "email_pin", "app_approval", "captcha", "identity", "unknown"]


@dataclass(frozen=True, kw_only=True)
class Challenge(_Model):
    """Something the platform may ask between the password and the signed-in page."""

    kind: ChallengeKind
    detect: Alternatives
    input: list[Locator] = _list()
    submit: list[Locator] = _list()
    remember: list[Locator] = _list()  # "remember this device", ticked when present
    say: str  # what a person must do, in the words the terminal shows

    def __post_init__(self) -> None:
        if self.kind in ("totp", "identity") and not (self.input and self.submit):
            raise ValueError(f"a '{self.kind}' challenge needs 'input' and 'submit'")
        if self.kind == "interstitial" and not self.submit:
            raise ValueError("an 'interstitial' needs 'submit' (the button that moves on)")


@dataclass(frozen=True, kw_only=True)
class SignIn(_Model):
    """The sign-in: one form, or screens (username, Next, then the password or a challenge, which
    ever shows: a passwordless platform shows a code step instead of the password)."""

    url: str
    start: list[Locator] = _list()  # a landing page's "Log in" before the form (3)
    username: Alternatives
    password: Alternatives
    submit: Alternatives
    next: list[Locator] = _list()  # a "Next" between username and password steps
    signed_in: Alternatives
    signed_out: Alternatives
    rejected: list[Locator] = _list()
    challenges: list[Challenge] = _list()


@dataclass(frozen=True, kw_only=True)
class OptionWords(_Model):
    """How to tell a choice list's options apart by their words (schema 2), in every language.

    Texts are compared as whole words after folding case and accents. An option is a candidate
    when it names one of `about`. A candidate is the wanted kind when a word of `negations` stands
    at most `window` words before a word of `wrong` ("non-generative", "that don't create content"),
    or a word of `others` before a word of `about` ("other AI"), and no word of `wrong` stands
    unnegated; the wrong kind when it names a word of `wrong` otherwise; unclear when it says
    neither, or both. The one wanted candidate is chosen; with none, and no wrong one, the only
    candidate is; anything else is left to a person.
    """

    about: SomeTexts
    wrong: Texts = _list()
    negations: Texts = _list()
    others: Texts = _list()
    window: Window = 5


@dataclass(frozen=True, kw_only=True)
class FormField(_Model):
    """A form field and the value it takes: a template over the account's fields, e.g. '{name}'."""

    key: str
    locate: Alternatives
    value: str | None = None  # for text fields
    choose: Texts = _list()  # for a choice list: option texts, first present wins
    pick: OptionWords | None = None  # for a choice list: the one option these words single out (schema 2)
    keep_prefilled: bool = False  # a value the platform filled in (e.g. the signed-in email) stays
    required: bool = True  # False: a value the account lacks leaves the field as it is
    optional: bool = False  # True: the page may not have this field at all (unsure facts)

    def __post_init__(self) -> None:
        if sum(bool(x) for x in (self.value, self.choose, self.pick)) > 1:
            raise ValueError("a field takes one of 'value', 'choose' or 'pick'")

    def template_keys(self) -> list[str]:
        """The account fields its value names: '{name}' -> ['name']."""
        return [k for _, k, _, _ in string.Formatter().parse(self.value or "") if k]


StateSource = Literal["aria-checked", "checked", "aria-pressed", "data-state", "text", "selected"]


@dataclass(frozen=True, kw_only=True)
class StateWords(_Model):
    """How a control's visible text says its state (schema 3), as whole words after folding case:
    exactly one of the two lists must match, or the state is unknown (never a guess)."""

    # a bare YAML `on:` / `off:` key (read as true / false) is taken as written: StateText, flowcheck.py

    on: SomeTexts
    off: SomeTexts


def _state_words_given(state_from: list[str], state_text: StateWords | None) -> None:
    worded = {"text", "selected"} & set(state_from)
    if worded and state_text is None:
        raise ValueError(f"'state_from: {sorted(worded)[0]}' needs 'state_text' (the words for on and for off)")
    if state_text is not None and not worded:
        raise ValueError("'state_text' is read only with 'text' or 'selected' in 'state_from'")


@dataclass(frozen=True, kw_only=True)
class Modal(_Model):
    """A dialog a platform may put over any page that carries the same choice (schema 3), e.g. a
    terms update asking whether to allow training. It is answered only with its choice set to
    `want`; a modal whose choice cannot be found is left alone, for a person (needs_human)."""

    detect: Alternatives  # the dialog
    control: Alternatives  # its choice, looked for inside the dialog
    state_from: list[StateSource] = _list("aria-checked", "checked", "data-state")
    state_text: StateText = None
    want: OnOff
    submit: Alternatives  # the button that closes it with the choice as set, inside the dialog
    say: str  # what a person must do when it cannot be answered

    def __post_init__(self) -> None:
        _state_words_given(self.state_from, self.state_text)


@dataclass(frozen=True, kw_only=True)
class CodeStep(_Model):
    """A form's step after Send that asks for a code sent to the member (schema 3): a person types
    it in a headed run; unattended, the submission is recorded as unconfirmed (needs_human)."""

    detect: Alternatives
    say: str


@dataclass(frozen=True, kw_only=True)
class Each(_Model):
    """A setting that every object of a list has on its own page (schema 4): each blog, site or
    publication of the account. The list page is reached by `list` (steps, as a click path), its
    `items` are the links to each object's page (pressing `more` until it is gone shows every
    batch), `none` is the list saying the account has none. Each object gets its own result, proof
    and ledger row, its name in the result (`object`)."""

    what: str = "objects"  # what the objects are called in messages: blogs, sites, publications
    list: Steps
    items: Alternatives
    more: list[Locator] = _list()
    none: list[Locator] = _list()
    name_from: Literal["name", "href"] = "name"  # the link's accessible name, or its URL's last path part
    # or the first group of this pattern on the link's URL path ("/blog/([^/]+)"), whatever its form
    name_pattern: NamePattern = None
    # steps from an object's page to its setting when it is not on that page (a Privacy tab)
    then: list[Step] = _list()


@dataclass(frozen=True, kw_only=True)
class Setting(_Model):
    id: Identifier
    title: str
    path: list[str]  # the click path as a person reads it, for `optout list`
    kind: Literal[KIND_NAMES]  # the kinds the engine has code for (optout/kinds.py), no other
    want: Wanted
    # how far the facts behind this setting go (shared/platforms/README.md): high, medium, low; every
    # shipped flow gives it (tests/test_platform_table.py), a synthetic test flow need not
    confidence: Literal["high", "medium", "low"] | None = None
    off_means: str = ""  # what "off" means on this platform, for the README's table and `optout list`
    status: Literal["ok", "broken"] = "ok"  # broken: skipped with a warning until the flow is fixed
    deep_link: str | None = None
    click_paths: list[list[Step]] = _list()  # fallbacks, tried in order
    control: list[Locator] = _list()
    state_from: list[StateSource] = _list("aria-checked", "checked")
    state_text: StateText = None  # with `text` in state_from: the words for on and off (3)
    # menu (schema 3): the control opens a menu (or a dialog); this item sets the wanted state…
    menu_item: list[Locator] = _list()
    # …and this one also deletes history, chosen only when the user asks (--delete-activity)
    menu_item_delete: list[Locator] = _list()
    confirm: list[Locator] = _list()  # a "Got it" that may follow the change
    each: Each | None = None  # (4) the setting of every object of a list: each blog, site, publication
    # when the control cannot be found but one of these shows, the platform does not offer the
    # setting to this account (region, age): "unavailable", not "broken"
    unavailable_if: list[Locator] = _list()
    # …unless one of these shows there too: a row that speaks of the same thing in words the flow
    # does not know means the setting was renamed or moved, "broken" (checked before unavailable_if)
    moved_if: list[Locator] = _list()
    # (schema 3) when none of these shows on the platform's own live page, the setting is not offered
    # there: "unavailable". For a page whose other-region version is only known by what it lacks
    # (a form page with no form); any of them present but the setting's control missing is "broken".
    unavailable_if_none: list[Locator] = _list()
    # forms
    fields: list[FormField] = _list()
    submit: list[Locator] = _list()
    confirmation: list[Locator] = _list()
    reference_pattern: str | None = None  # regex with one group: the case number in the confirmation
    form_errors: list[Locator] = _list()
    code_step: CodeStep | None = None  # a code sent to the member, asked after Send (3)

    def for_object(self, name: str, url: str) -> Setting:
        """This setting for one object of its list: reached at `url`, its results named `name`."""
        then = self.each.then if self.each is not None else []
        # the object's page, and when its setting is one click further (a tab), that path from it;
        # built unchecked: the URL is the page's own link (a replica's http:// one included)
        paths = [[_unchecked(Step, open=url), *then]] if then else []
        one = copy.copy(self)
        for key, value in {"each": None, "deep_link": url, "click_paths": paths, "unavailable_if": [],
                           "moved_if": [], "unavailable_if_none": [], "_object": name}.items():
            object.__setattr__(one, key, value)
        return one

    @property
    def object_name(self) -> str | None:
        """The object (blog, site…) this copy of a setting is for (for_object); None for the setting itself."""
        return self.__dict__.get("_object")

    def __post_init__(self) -> None:
        if self.each is not None:
            if self.deep_link or self.click_paths:
                raise ValueError("a setting with 'each' is reached through its list ('each.list'), "
                                 "not by 'deep_link' or 'click_paths'")
            if self.kind == "form":
                raise ValueError("'each' is for a toggle of every object, not for a form")
        elif not self.deep_link and not self.click_paths:
            raise ValueError("a setting needs a 'deep_link' or at least one of 'click_paths'")
        if self.kind == "form":
            if self.want != "sent":
                raise ValueError("a 'form' setting wants 'sent'")
            if not (self.fields and self.submit and self.confirmation):
                raise ValueError("a 'form' setting needs 'fields', 'submit' and 'confirmation'")
        else:
            if self.want == "sent":
                raise ValueError("only a 'form' setting can want 'sent'")
            if not self.control:
                raise ValueError(f"a '{self.kind}' setting needs 'control' locators")
            if self.code_step is not None:
                raise ValueError("only a 'form' setting has a 'code_step'")
        if (self.kind == "menu") != bool(self.menu_item):
            raise ValueError("a 'menu' setting needs 'menu_item', and only a 'menu' setting has one")
        if self.menu_item_delete and self.kind != "menu":
            raise ValueError("only a 'menu' setting has 'menu_item_delete'")
        _state_words_given(self.state_from, self.state_text)
        for path in [self.deep_link, *(s.open for p in self.click_paths for s in p if s.open)]:
            if path and not path.startswith(("/", "https://")):
                raise ValueError(f"paths start with '/' (or are a URL on one of the flow's origins): {path!r}")


@dataclass(frozen=True, kw_only=True)
class Flow(_Model):
    schema: SchemaNumber
    platform: Identifier
    title: str
    origins: Origins
    home: str = "/"
    languages: list[str] = _list("en")
    signin_notes: str = ""  # how this platform signs in, as a person should know it (the README's table)
    replica: str | None = None  # the platform folder tests/platforms/NAME/ whose replica copies it
    defaults: dict[str, str] = field(default_factory=dict)  # template values an account may override
    transient: list[Locator] = _list()  # "Something went wrong, reload" pages
    modals: list[Modal] = _list()  # dialogs over any page, answered first (3)
    signin: SignIn
    settings: Settings

    def __post_init__(self) -> None:
        ids = [s.id for s in self.settings]
        if len(ids) != len(set(ids)):
            raise ValueError(f"setting ids repeat: {ids}")
        # (schema 3) a page on another of the platform's origins (its sign-in on accounts.example.com)
        # is named by its full URL; only the flow's own origins, so --base-url can stand in for them all
        paths = [self.home, self.signin.url, *(s.deep_link for s in self.settings),
                 *(st.open for s in self.settings for p in s.click_paths for st in p),
                 *(st.open for s in self.settings if s.each for st in s.each.list)]
        for path in paths:
            if path and path.startswith("https://") and _origin_of(path) not in self.origins:
                raise ValueError(f"{path!r} is on none of the flow's origins ({', '.join(self.origins)})")
            if path and not path.startswith(("/", "https://")):
                raise ValueError(f"paths start with '/' (or are a URL on one of the flow's origins): {path!r}")


def _unchecked(cls: type[Any], **values: Any) -> Any:
    """An instance of `cls` with these values (the rest at their defaults), its rules not checked."""
    one = object.__new__(cls)
    for f in fields(cls):
        object.__setattr__(one, f.name, values[f.name] if f.name in values else _default(f))
    return one


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def path_of(url_or_path: str) -> str:
    """The path (with query and fragment) of a flow's path or full URL: what a --base-url serves it at."""
    if not url_or_path.startswith("https://"):
        return url_or_path
    return url_or_path[len(_origin_of(url_or_path)):] or "/"


def account_keys(flow: Flow) -> list[str]:
    """The account fields `flow` uses: its forms' templates ('{name}') and its `defaults`."""
    keys = set(flow.defaults)
    for setting in flow.settings:
        for form_field in setting.fields:
            keys.update(form_field.template_keys())
    return sorted(keys)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a flow file (docs/flow.schema.json): flowcheck.json_schema."""
    from optout import flowcheck

    return flowcheck.json_schema()


def json_schema_text() -> str:
    """json_schema() as docs/flow.schema.json holds it: sorted keys, so it only changes with the model."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def load_file(path: Path) -> Flow:
    """The flow in `path`, validated; a FlowError lists every problem of the file, one line each."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FlowError(f"{path}: cannot be read: {exc.strerror}") from None
    return _checked(path, _validated(path, text))


def _validated(path: Path, text: str) -> Flow:
    try:
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise FlowError(f"{path}: {where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise FlowError(f"{path}: (top): a flow file holds a mapping of keys, not {type(data).__name__}")
    from optout import flowcheck  # pydantic: loaded only when a file must be judged

    return flowcheck.validated(path, data)


def _checked(path: Path, flow: Flow) -> Flow:
    if flow.platform != path.stem:
        raise FlowError(f"{path}: platform: '{flow.platform}' must match the file name '{path.stem}'")
    return flow


@cache
def _load_path(path: Path) -> Flow:
    """A command's flow: validated once after each change of the file (or of optout), then read
    from the cache (flowcache.py)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FlowError(f"{path}: cannot be read: {exc.strerror}") from None
    digest = flowcache.key(raw, _validator_version())
    kept = flowcache.get(digest)
    if isinstance(kept, Flow):
        return _checked(path, kept)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FlowError(f"{path}: cannot be read: not UTF-8 ({exc.reason})") from None
    flow = _validated(path, text)
    flowcache.put(digest, flow)  # only a valid flow is kept
    return _checked(path, flow)


def _validator_version() -> str:
    """Which pydantic would judge a file (flowcheck.py), from its version file: importing pydantic
    to ask would cost what a kept flow saves."""
    spec = importlib.util.find_spec("pydantic")
    try:
        return "pydantic " + Path(spec.origin).with_name("version.py").read_text(encoding="utf-8") \
            if spec and spec.origin else "pydantic ?"
    except OSError:
        return "pydantic ?"


def _no_flows(dirs: list[Path]) -> FlowError:
    looked = ", ".join(str(d) for d in dirs) or "nowhere"
    return FlowError(f"no flow files (*.yaml) found; looked in: {looked}. Reinstall optout, or set "
                     f"OPTOUT_FLOWS to a folder of flow files")


def load_all() -> dict[str, Flow]:
    """Every flow, by platform name; the first folder of flows_dirs() wins on a name clash.
    No flow at all is an error (an install without its flows), never an empty list."""
    dirs = flows_dirs()
    found = flowfiles.files(dirs)
    if not found:
        raise _no_flows(dirs)
    return {name: _load_path(path) for name, path in found.items()}


def load(platform: str) -> Flow:
    """One platform's flow, reading only its own file: a command about LinkedIn neither waits for
    nor fails on the other platforms' files (`optout list` and `--all` read every one)."""
    dirs = flows_dirs()
    path = flowfiles.path_of(platform, dirs)
    if path is not None:
        return _load_path(path)
    known = flowfiles.files(dirs)
    if not known:
        raise _no_flows(dirs)
    raise FlowError(f"no flow for platform '{platform}' (known: {', '.join(sorted(known))})")
