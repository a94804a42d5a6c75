"""A setting every object of a list has on its own page (`each`, schema 4): each blog, site or
publication of the account, ensured one by one.

The list page is reached by the setting's `each.list` steps; its `items` are the links to each
object's page, collected batch by batch (`more` pressed until it is gone; a "next page" link works
the same way). Each object is then handled like the setting itself, at its own page, with its own
result, proof and ledger row carrying its name (`object`). An account whose list says it has none
(`each.none`) is `unavailable`, with that reason; a list page showing neither is `broken`. A blog
made later is simply on the list at the next `verify`. Nothing here names a platform.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loguru import logger

from optout import locate
from optout.browser import NORMAL
from optout.errors import Broken, OptoutError, Unavailable
from optout.flow import Setting

if TYPE_CHECKING:
    from optout.session import Session

MAX_BATCHES = 100  # a "more" that never goes away is a page optout does not know, not 10,000 blogs


class Stopped(Exception):
    """An error that stops the account came up after some objects were done: both are kept."""

    def __init__(self, done: list[Any], error: OptoutError) -> None:
        super().__init__(str(error))
        self.done, self.error = done, error


def ensure_all(session: Session, setting: Setting, handler: Callable[..., Any], record: Callable[..., Any],
               fail: Callable[..., Any], ledger: Any) -> list[Any]:
    """One Done per object of the list; an error of one object is that object's result only."""
    objects = list_objects(session, setting)
    assert setting.each is not None
    if not objects:
        raise Unavailable(f"this account has no {setting.each.what} ({setting.title} is set per "
                          f"{setting.each.what.rstrip('s')})")
    logger.info("{}: {}: {} {}: {}", session.flow.platform, setting.id, len(objects), setting.each.what,
                ", ".join(name for name, _ in objects))
    done: list[Any] = []
    for name, url in objects:
        one = setting.for_object(name, url)
        try:
            done.append(handler(session, one, record, ledger))
        except OptoutError as exc:
            if exc.stops_account:
                raise Stopped(done, exc) from exc
            done.append(fail(session.job, one, exc, session))
    return done


def list_objects(session: Session, setting: Setting) -> list[tuple[str, str]]:
    """(name, URL) of every object the list shows, every batch of it, in page order."""
    each, browser = setting.each, session.browser
    assert each is not None
    session.follow(each.list, setting)
    shown = browser.wait_until(lambda: _shows(session, setting), NORMAL, f"the list of {each.what}")
    if shown is None:
        raise Broken(f"the list of {each.what} shows neither a {each.what.rstrip('s')} nor that there is none "
                     f"(at {browser.path()})")
    if shown == "none":
        return []
    found: dict[str, str] = {}  # URL -> name; a URL seen again (a batch that repeats) counts once
    for batch in range(MAX_BATCHES):
        paging = {i.href for i in locate.every(browser, each.more)} if each.more else set()
        for item in locate.every(browser, each.items):
            if item.href and item.href not in found and item.href not in paging:  # "Next page" is no blog
                found[item.href] = _name(item, each.name_from, each.name_pattern)
        # the first "more" that shows: a pager drawn above and below the list shows twice, and is one
        more = next(iter(locate.every(browser, each.more)), None) if each.more else None
        if more is None or more.element is None:
            break
        before = len(found)
        browser.click(more.element)
        # the next batch: new links appear (a "Load more") or the page moves on (a next page)
        browser.wait_until(lambda b=before: browser.ready() and len(
            {i.href for i in locate.every(browser, each.items)} | set(found)) > b, NORMAL, "the next batch")
        if batch == MAX_BATCHES - 1:
            raise Broken(f"the list of {each.what} kept offering more after {MAX_BATCHES} batches")
    return _distinct([(name, url) for url, name in found.items()])


def _distinct(objects: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Names that tell the objects apart: where several links read the same ("Settings"), each is
    named by its host when those differ (alice.substack.com), else by its URL's path."""
    names = [name for name, _ in objects]
    out = []
    for name, url in objects:
        if names.count(name) > 1:
            twins = [u for n, u in objects if n == name]
            hosts = {urlsplit(u).netloc for u in twins}
            name = urlsplit(url).netloc if len(hosts) == len(twins) else (urlsplit(url).path or url)
        out.append((name, url))
    return out


def _shows(session: Session, setting: Setting) -> str | None:
    each = setting.each
    assert each is not None
    seen = locate.look(session.browser, {"items": each.items, "none": each.none})
    if not seen.ready:
        return None
    return "items" if "items" in seen.present else ("none" if "none" in seen.present else None)


def _name(item: locate.Item, name_from: str, pattern: str | None) -> str:
    if pattern is not None:
        match = re.search(pattern, urlsplit(item.href).path)
        if match and match.group(1):
            return match.group(1)
    if name_from == "href":
        segments = [s for s in urlsplit(item.href).path.split("/") if s]
        return segments[-1] if segments else item.href
    return item.name or item.href
