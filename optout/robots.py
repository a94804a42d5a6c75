"""A site's robots.txt, read from outside: which crawlers it turns away (RFC 9309).

`check(site, agents)` fetches SITE/robots.txt (urllib, bounded by a timeout, no browser, no sign-in)
and says, for each user agent, whether the site's root is disallowed to it. The rules of RFC 9309:
consecutive `User-agent` lines open a group and its rules follow; every group naming the agent
counts (merged), and only when none does, the `*` groups; the longest matching pattern decides, an
Allow winning a tie; `*` and a final `$` in patterns; an empty Disallow forbids nothing. A robots.txt
answering 4xx means no rule at all; 5xx or no answer is "unreachable".
"""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from optout.errors import UsageError

TIMEOUT = 10.0
MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
USER_AGENT = "optout-robots-check (+https://pypi.org/project/optout/)"


@dataclass(frozen=True)
class Group:
    agents: tuple[str, ...]  # product tokens, lower case ("*" for every crawler)
    rules: tuple[tuple[bool, str], ...]  # (allow?, path pattern), in the file's order


@dataclass(frozen=True)
class Verdict:
    agent: str
    blocked: bool  # the site's root ("/") is disallowed to it
    by: str  # which group decided: "User-agent: GPTBot", "User-agent: *", or why none did


@dataclass(frozen=True)
class Check:
    url: str  # the robots.txt read
    found: bool  # False: it answered 4xx (no robots.txt: nothing is disallowed)
    verdicts: tuple[Verdict, ...]

    @property
    def all_blocked(self) -> bool:
        return all(v.blocked for v in self.verdicts)


def _token(value: str) -> str:
    """`GPTBot/1.1` or ` gptbot ` -> `gptbot` (a product token, compared case-insensitively)."""
    return value.split("/", 1)[0].strip().lower()


def parse(text: str) -> list[Group]:
    """The groups of a robots.txt; rules before any User-agent line and unknown lines are ignored."""
    groups: list[Group] = []
    agents: list[str] = []
    rules: list[tuple[bool, str]] = []
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if rules:  # a User-agent line after rules opens the next group
                groups.append(Group(tuple(agents), tuple(rules)))
                agents, rules = [], []
            agents.append(_token(value))
        elif key in ("allow", "disallow") and agents:
            rules.append((key == "allow", value))
    if agents:
        groups.append(Group(tuple(agents), tuple(rules)))
    return groups


def _matches(pattern: str, path: str) -> bool:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*")) + ("$" if anchored else "")
    return re.match(regex, path) is not None


def verdict(groups: Iterable[Group], agent: str, path: str = "/") -> Verdict:
    """Whether `path` is disallowed to `agent` under these groups (RFC 9309, section 2.2)."""
    groups = list(groups)
    token = _token(agent)
    chosen = [g for g in groups if token in g.agents]
    by = f"User-agent: {agent}"
    if not chosen:
        chosen, by = [g for g in groups if "*" in g.agents], "User-agent: *"
    if not chosen:
        return Verdict(agent, False, "no group for it, nor for *")
    best: tuple[int, bool] | None = None  # (the pattern's length, allow?): longest wins, Allow on a tie
    for allow, pattern in (rule for g in chosen for rule in g.rules):
        if pattern and _matches(pattern, path) and (best is None or (len(pattern), allow) > best):
            best = (len(pattern), allow)
    return Verdict(agent, best is not None and not best[1], by)


def robots_url(site: str) -> str:
    """SITE's robots.txt address (always at the root); a bare host is taken as https://HOST."""
    text = site.strip()
    shown = f"--check {site!r}: expected a site's address, e.g. https://example.com"
    parts = urlsplit(text if "://" in text else f"https://{text}")
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise UsageError(f"{shown} (its port is not a number)") from None
    if (parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc
            or any(c.isspace() for c in text)):
        raise UsageError(shown)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def fetch(url: str, timeout: float = TIMEOUT) -> str | None:
    """The text of the robots.txt at `url`; None when it answers 4xx (there is none)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            raw: bytes = response.read(MAX_BYTES)
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500:
            return None
        raise UsageError(f"cannot check {url}: the site answered HTTP {exc.code}; try again later") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise UsageError(f"cannot reach {url} ({reason}): check the address, or try again later") from None
    return raw.decode("utf-8", errors="replace")


def check(site: str, agents: Iterable[str], timeout: float = TIMEOUT) -> Check:
    """Read SITE's robots.txt and say, for each agent, whether the site is disallowed to it."""
    url = robots_url(site)
    text = fetch(url, timeout)
    if text is None:
        return Check(url, False, tuple(Verdict(a, False, "no robots.txt") for a in agents))
    groups = parse(text)
    return Check(url, True, tuple(verdict(groups, a) for a in agents))
