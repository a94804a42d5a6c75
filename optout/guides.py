"""The guides: platforms where no bot can act (an email an owner sends, an admin's setting, a site
setting, no opt-out at all), as data, loaded and validated here.

A guide is `guides/NAME.yaml` (shipped in the wheel as the package optout.guides_data, as flows/ is
as optout.flows): why no bot can act, who must, the exact steps, and what optout can draft or check
for it (an email, a robots.txt check, a GDPR Article 21 letter). The letters' texts are
`guides/letters/art21.yaml`. Nothing here prints, fetches or fills in: drafts.py writes the email
and the letter, robots.py reads a site's robots.txt. A guided platform has no flow: `run` and
`verify` skip it.
"""

from __future__ import annotations

import os
import string
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as in flow.py: no plugin scan on start

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from optout.errors import ConfigError, UsageError

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")
# what a letter's template may name; an email's template names its `needs` (and nothing else)
LETTER_KEYS = frozenset({"title", "concerns", "user", "name", "email", "date"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _keys(template: str) -> set[str]:
    """The {key}s a template names; a stray brace is an error."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"not a template: {exc}") from None


class Step(_Strict):
    when: str | None = None  # the plan (or other variant) it is for: `--plan` picks one, unset: always
    title: str | None = None  # what `when` is called, e.g. "Starter plan"
    path: list[str] = Field(default_factory=list)  # the click path, as a person reads it
    text: str | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Step:
        if not (self.path or self.text):
            raise ValueError("a step needs a path or a text")
        if self.when and not self.title:
            raise ValueError("a step for one plan (`when`) needs its `title`")
        return self


class Need(_Strict):
    key: str  # the template's {key}; also an account field (`optout account PLATFORM USER --set KEY=…`)
    option: str  # the command line's option that gives it
    url: bool = False  # a web address: https:// is added to a bare host, anything else is refused
    says: str  # what to pass, for the one-line error when it is missing


class EmailDraft(_Strict):
    to: str
    subject: str
    body: str
    needs: list[Need] = Field(default_factory=list)

    @model_validator(mode="after")
    def _templates_name_needs(self) -> EmailDraft:
        named = _keys(self.subject) | _keys(self.body)
        unknown = named - {n.key for n in self.needs}
        if unknown:
            raise ValueError(f"the template names {', '.join(sorted(unknown))}, which `needs` does not list")
        return self


class Letter(_Strict):
    offered: bool  # whether `--letter` drafts an Article 21 objection for this platform
    why: str  # the reason, either way (from the facts)
    concerns: dict[Lang, str] = Field(default_factory=dict)  # what is objected to, in each language

    @model_validator(mode="after")
    def _concerns_in_every_language(self) -> Letter:
        if self.offered and set(self.concerns) != set(LANGS):
            raise ValueError(f"an offered letter needs `concerns` in {', '.join(LANGS)}")
        return self


class Crawler(_Strict):
    agent: str  # its user-agent token, as robots.txt names it
    operator: str
    named_by: Literal["manual.md", "well-known"]  # named by the facts, or by its operator's documentation


class Robots(_Strict):
    crawlers: list[Crawler] = Field(min_length=1)

    @field_validator("crawlers")
    @classmethod
    def _unique(cls, crawlers: list[Crawler]) -> list[Crawler]:
        agents = [c.agent.lower() for c in crawlers]
        if len(set(agents)) != len(agents):
            raise ValueError("a crawler is listed twice")
        return crawlers


class Guide(_Strict):
    platform: str
    title: str
    how: Literal["email", "admin setting", "site setting", "no opt-out"]
    confidence: Literal["high", "medium", "low"]
    confidence_why: str
    why_no_bot: str  # what `optout list` says
    why: str
    who: str
    default: str | None = None
    steps: list[Step] = Field(min_length=1)
    note: str | None = None
    after: str | None = None  # what changes once it is done
    forward: str | None = None  # for a user who is not the one who must act
    unsure: list[str] = Field(default_factory=list)  # what the research does not hold
    email: EmailDraft | None = None
    robots: Robots | None = None
    letter: Letter
    source: str

    @property
    def plans(self) -> list[str]:
        return [s.when for s in self.steps if s.when]

    def account_keys(self) -> list[str]:
        """The account fields this guide fills in: its email's needs, the signature's name, and a
        letter's name and email."""
        keys = ({n.key for n in self.email.needs} | {"name"}) if self.email else set()
        if self.letter.offered:
            keys |= {"name", "email"}
        return sorted(keys)


class LetterText(_Strict):
    to: str
    subject: str
    body: str

    @model_validator(mode="after")
    def _known_keys(self) -> LetterText:
        unknown = (_keys(self.to) | _keys(self.subject) | _keys(self.body)) - LETTER_KEYS
        if unknown:
            raise ValueError(f"unknown keys {', '.join(sorted(unknown))} (known: {', '.join(sorted(LETTER_KEYS))})")
        return self


class Letters(_Strict):
    en: LetterText
    fr: LetterText


# -- loading -----------------------------------------------------------------------------------------
def guides_dir() -> Path:
    """A source checkout's guides/ (beside pyproject.toml), else the guides installed with optout."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "guides").is_dir():
        return root / "guides"
    from importlib import resources

    try:
        return Path(str(resources.files("optout.guides_data")))
    except ModuleNotFoundError:
        raise ConfigError("the guides are missing (optout.guides_data, built from guides/): reinstall optout") from None


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ConfigError(f"{path}: {where}not valid YAML: {getattr(exc, 'problem', exc)}") from None


def _validated(model: type[BaseModel], path: Path) -> Any:
    try:
        return model.model_validate(_read(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{path}: {key}: {first['msg'].removeprefix('Value error, ')}{more}") from None


@cache
def load_all() -> dict[str, Guide]:
    """Every guide, by platform name; a file that does not validate is one line naming it."""
    guides: dict[str, Guide] = {}
    for path in sorted(guides_dir().glob("*.yaml")):
        guide = _validated(Guide, path)
        if guide.platform != path.stem:
            raise ConfigError(f"{path}: platform: '{guide.platform}' is not the file's name ({path.stem})")
        guides[guide.platform] = guide
    return guides


@cache
def letters() -> Letters:
    return _validated(Letters, guides_dir() / "letters" / "art21.yaml")  # type: ignore[no-any-return]


def is_guided(platform: str) -> bool:
    return platform in load_all()


def load(platform: str) -> Guide:
    guides = load_all()
    if platform not in guides:
        raise UsageError(f"no guide for '{platform}' (guides: {', '.join(sorted(guides))}; `optout list` "
                         "shows every platform)")
    return guides[platform]
