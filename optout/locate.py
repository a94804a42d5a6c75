"""A locator spec (role + accessible name, label, text, near, within, css, xpath, url) -> one element.

Like Playwright's locators: looked up again at every use, strict (two visible matches is not a
match), and waiting built in. The alternatives of a locator are tried in order at each poll, in
one round trip: a small engine runs in the page, so a page that renders late or re-renders its
nodes is simply found on a later poll. A failure says whether nothing was there, or something
was there but hidden, or more than one thing matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from optout.errors import Broken
from optout.flow import Locator

# The in-page engine. Names are matched after folding case, white space and apostrophes; a name
# matches when equal, or when it starts the element's name at a word boundary ("Me" matches
# "Me ▾" but not "Messaging"), or anywhere with `contains`, or anywhere as whole words with `words`
# ("AI" in "Data for AI" but not in "Training" or "Main"). Text inside aria-hidden or undisplayed
# subtrees is left out, as a screen reader would: LinkedIn prints labels twice (aria-hidden +
# visually-hidden). A name computed from content follows the accessible-name rules: a descendant
# stands for its aria-labelledby, its aria-label or an image's alt (an avatar <img alt=NAME> in "Me").
ENGINE = r"""
const specs = arguments[0];
const every = arguments[1] === 'all';  // 'all': which specs show at least one visible element
const root = arguments[2] || null;  // only elements inside this one (a dialog), when given
const norm = s => (s || '').replace(/[\u2018\u2019\u02bc\u00b4]/g, "'")
  .replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
const wordChar = c => /[\p{L}\p{N}]/u.test(c);
const asWords = (v, w) => {  // w stands in v with no letter or digit glued to either side
  for (let at = v.indexOf(w); at >= 0; at = v.indexOf(w, at + 1)) {
    if (!wordChar(v.charAt(at - 1)) && !wordChar(v.charAt(at + w.length))) return true;
  }
  return false;
};
const matches = (value, wanted, contains, words, exact) => {
  const v = norm(value);
  if (!v) return false;
  return wanted.some(w => {
    w = norm(w);
    if (!w) return false;
    if (exact) return v === w;
    if (words) return asWords(v, w);
    if (contains) return v.includes(w);
    return v === w || (v.startsWith(w) && !wordChar(v.charAt(w.length)));
  });
};
// asName: the accessible name from content, where a descendant's aria-labelledby / aria-label
// stands for its own text; otherwise the visible text. Hidden parts are skipped unless the text
// was asked for by aria-labelledby (skipUndisplayed false), as the accessible-name rules say.
const textOf = (node, skipUndisplayed, asName) => {
  let out = '';
  const walk = (n, top) => {
    if (n.nodeType === 3) { out += n.nodeValue; return; }
    if (n.nodeType !== 1) return;
    if (n.getAttribute('aria-hidden') === 'true') return;
    const tag = n.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || tag === 'NOSCRIPT') return;
    if (skipUndisplayed) {
      if (n.hidden) return;
      const style = getComputedStyle(n);
      if (style.display === 'none') return;
      if (style.visibility === 'hidden' || style.visibility === 'collapse') {
        for (const c of n.childNodes) if (c.nodeType === 1) walk(c, false);  // a child may be visible again
        return;
      }
    }
    if (asName && !top) {
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;  // no text of their own here
      const by = inLabelledBy ? '' : n.getAttribute('aria-labelledby');
      const t = by ? byIds(by) : '';
      if (norm(t)) { out += ' ' + t + ' '; return; }
      const al = n.getAttribute('aria-label');
      if (al && norm(al)) { out += ' ' + al + ' '; return; }
    }
    if (tag === 'IMG') { out += ' ' + (n.getAttribute('alt') || '') + ' '; return; }
    for (const c of n.childNodes) walk(c, false);
    out += ' ';
  };
  walk(node, true);
  return out;
};
// The nodes an aria-labelledby names, hidden or not; their own labelledby is not followed (no loops).
let inLabelledBy = false;
const byIds = ids => {
  inLabelledBy = true;
  try {
    return ids.split(/\s+/).map(id => document.getElementById(id)).filter(Boolean)
      .map(e => norm(e.getAttribute('aria-label')) ? e.getAttribute('aria-label') : textOf(e, false, true))
      .join(' ');
  } finally { inLabelledBy = false; }
};
const labelOf = el => {
  const by = el.getAttribute('aria-labelledby');
  if (by) { const t = byIds(by); if (norm(t)) return t; }
  const al = el.getAttribute('aria-label');
  if (al && norm(al)) return al;
  if (el.labels && el.labels.length) return Array.from(el.labels).map(l => textOf(l, true, true)).join(' ');
  return '';
};
const roleOf = el => {
  const explicit = el.getAttribute('role');
  if (explicit) return explicit.trim().split(/\s+/)[0];
  const tag = el.tagName.toLowerCase();
  if (tag === 'button' || tag === 'summary') return 'button';
  if (tag === 'a') return el.hasAttribute('href') ? 'link' : null;
  if (tag === 'input') {
    const t = (el.getAttribute('type') || 'text').toLowerCase();
    if (t === 'checkbox') return 'checkbox';
    if (t === 'radio') return 'radio';
    if (['button', 'submit', 'reset', 'image'].includes(t)) return 'button';
    if (['text', 'email', 'tel', 'url', 'search', 'password', 'number'].includes(t)) return 'textbox';
    return null;
  }
  if (tag === 'textarea') return 'textbox';
  if (tag === 'select') return el.multiple ? 'listbox' : 'combobox';
  if (/^h[1-6]$/.test(tag)) return 'heading';
  const implicit = {nav: 'navigation', main: 'main', form: 'form', dialog: 'dialog',
                    option: 'option', output: 'status'};
  return implicit[tag] || null;
};
const nameOf = el => {
  const l = labelOf(el);
  if (norm(l)) return l;
  const tag = el.tagName;
  if (tag === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return el.value;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT')
    return el.getAttribute('placeholder') || el.getAttribute('title') || '';
  const t = textOf(el, true, true);
  return norm(t) ? t : (el.getAttribute('title') || '');
};
const shown = el => {
  if (!el.isConnected) return false;
  const r = el.getBoundingClientRect();
  const vis = el.checkVisibility ? el.checkVisibility({visibilityProperty: true}) : true;
  if (vis && r.width > 0 && r.height > 0) return true;
  // an input drawn through its label (styled toggles hide the native box)
  return !!(el.labels && Array.from(el.labels).some(l => l !== el && shown(l)));
};
const ROLE_QUERY = '[role],button,summary,a[href],input,textarea,select,h1,h2,h3,h4,h5,h6,' +
                   'nav,main,form,dialog,option,output';
const all = sel => Array.from(document.querySelectorAll(sel));
const deepest = els => els.filter(e => !els.some(o => o !== e && e.contains(o)));
const textMatches = (wanted, contains, words, exact) => {
  const folded = wanted.map(norm);
  const rough = all('body *').filter(e => {
    const t = norm(e.textContent);
    return folded.some(w => t.includes(w));
  });
  return deepest(rough.filter(e => matches(textOf(e, true), wanted, contains, words, exact)));
};
const findOne = spec => {
  let cands;
  if (spec.near && spec.near.length) {
    const found = [];
    for (const anchor of textMatches(spec.near, true)) {
      for (let box = anchor.parentElement; box; box = box.parentElement) {
        const inside = Array.from(box.querySelectorAll(ROLE_QUERY))
          .filter(e => roleOf(e) === spec.role && shown(e) && (!spec.css || e.matches(spec.css)));
        if (inside.length === 1) { found.push(inside[0]); break; }
        if (inside.length > 1) break;
      }
    }
    cands = found;
  } else if (spec.within && spec.within.length) {
    // every element of `role` in the smallest block that holds this text and such elements: a
    // section under its heading (its rows), whatever the markup between them
    cands = [];
    for (const anchor of textMatches(spec.within, false)) {
      for (let box = anchor.parentElement; box; box = box.parentElement) {
        const inside = Array.from(box.querySelectorAll(ROLE_QUERY))
          .filter(e => roleOf(e) === spec.role && !e.contains(anchor) && shown(e));
        if (inside.length) { cands.push(...inside); break; }
      }
    }
  } else if (spec.css) {
    cands = all(spec.css);
  } else if (spec.xpath) {
    const snap = document.evaluate(spec.xpath, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    cands = [];
    for (let i = 0; i < snap.snapshotLength; i++) cands.push(snap.snapshotItem(i));
  } else if (spec.role) {
    cands = all(ROLE_QUERY).filter(e => roleOf(e) === spec.role);
  } else if (spec.label && spec.label.length) {
    cands = all('input,select,textarea,button,[role],[aria-label],[aria-labelledby]');
  } else {
    cands = textMatches(spec.text, spec.contains, spec.words, spec.exact);
  }
  if (root) cands = cands.filter(e => root.contains(e));
  // css narrows what `near`/`within` found (an attribute such as aria-haspopup), as every key must hold
  if (spec.css && ((spec.near && spec.near.length) || (spec.within && spec.within.length)))
    cands = cands.filter(e => e.matches(spec.css));
  if (spec.role && (spec.css || spec.xpath)) cands = cands.filter(e => roleOf(e) === spec.role);
  const fits = (value, wanted) => matches(value, wanted, spec.contains, spec.words, spec.exact);
  if (spec.name && spec.name.length) cands = cands.filter(e => fits(nameOf(e), spec.name));
  if (spec.label && spec.label.length) cands = cands.filter(e => fits(labelOf(e), spec.label));
  if (spec.text && spec.text.length && (spec.role || spec.css || spec.xpath || spec.label))
    cands = cands.filter(e => fits(textOf(e, true), spec.text));
  cands = Array.from(new Set(cands));
  const visible = cands.filter(shown);
  return {shown: visible, hidden: cands.length - visible.length};
};
const report = [];
const path = location.pathname;
const ready = document.readyState === 'complete';
const seen = [];
const listing = arguments[1] === 'list';  // 'list': every visible match of the first spec with any
for (let i = 0; i < specs.length; i++) {
  const r = findOne(specs[i]);
  if (listing && r.shown.length >= 1)
    return {index: i, items: r.shown.map(e => ({name: nameOf(e), href: e.href || '', element: e})), report, path,
            ready};
  if (r.shown.length === 1 && !every && !listing)
    return {index: i, element: r.shown[0], tag: r.shown[0].tagName.toLowerCase(), report, path, ready};
  if (r.shown.length >= 1) seen.push(i);
  report.push({index: i, shown: r.shown.length, hidden: r.hidden});
}
return {index: -1, element: null, report, path, ready, seen};
"""


class Page(Protocol):
    """What locating needs from a browser: run the engine in the page, wait for a condition."""

    def run_js(self, script: str, *args: Any) -> Any: ...

    def wait_until(self, condition: Any, timeout: float, what: str) -> Any: ...


@dataclass(frozen=True)
class Found:
    element: Any  # an opaque element handle of the browser; None for a `url` match
    locator: Locator
    tag: str = ""  # the element's tag name, lower case ("select", "input"), read with it


class NotFound(Broken):
    """Nothing usable matched: the page no longer matches the flow (or is not there yet).

    `ambiguous`: something matched more than once, which is no match either (a row shown twice
    is a page the flow no longer knows, never a setting the platform withholds)."""

    def __init__(self, message: str, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous


def _spec(locator: Locator) -> dict[str, Any]:
    return locator.given()


def _explain(alternatives: list[Locator], report: list[dict[str, int]]) -> str:
    words = []
    for entry in report:
        locator = alternatives[entry["index"]]
        if entry["shown"] > 1:
            state = f"{entry['shown']} visible matches (ambiguous)"
        elif entry["hidden"]:
            state = f"present but hidden ({entry['hidden']})"
        else:
            state = "not present"
        words.append(f"{locator.describe()}: {state}")
    return "; ".join(words)


def probe(page: Page, alternatives: list[Locator], root: Any = None) -> tuple[Found | None, str]:
    """One look, no waiting: the first alternative with exactly one visible match, or why none.
    With `root` (an element), only elements inside it count."""
    found, reason, _ = _probe(page, alternatives, root)
    return found, reason


def _probe(page: Page, alternatives: list[Locator], root: Any = None) -> tuple[Found | None, str, bool]:
    """probe(), and whether a miss was an ambiguity (an alternative with several visible matches).

    One round trip: the engine also reports the page's path, for the `url` alternatives.
    """
    element_specs = [a for a in alternatives if a.url is None]
    result = page.run_js(ENGINE, [_spec(s) for s in element_specs], "one", root)
    path = result["path"] or "/"
    hit = element_specs[result["index"]] if result["index"] >= 0 else None
    for locator in alternatives:  # in the flow's order: a url alternative may come first
        if locator.url is not None and path.startswith(locator.url):
            return Found(None, locator), "", False
        if locator is hit:
            return Found(result["element"], locator, result.get("tag") or ""), "", False
    reasons = [_explain(element_specs, result["report"])] if element_specs else []
    urls = [a.url for a in alternatives if a.url is not None]
    if urls:
        reasons.append(f"the page path {path!r} is none of {', '.join(urls)}")
    ambiguous = any(entry["shown"] > 1 for entry in result["report"])
    return None, "; ".join(r for r in reasons if r), ambiguous


def present(page: Page, alternatives: list[Locator]) -> bool:
    """Whether any alternative shows. Unlike find(), several matches count: this is a marker
    (signed in, a challenge, a confirmation), not an element to act on."""
    return bool(alternatives) and bool(look(page, {"it": alternatives}).present)


def find(page: Page, alternatives: list[Locator], timeout: float, what: str, root: Any = None) -> Found:
    """Wait until one alternative matches exactly one visible element (inside `root` when given);
    NotFound says why not, and whether the last look saw several matches."""
    last: list[tuple[str, bool]] = [("nothing looked at yet", False)]

    def look() -> Found | None:
        found, reason, ambiguous = _probe(page, alternatives, root)
        last[0] = (reason, ambiguous)
        return found

    found = page.wait_until(look, timeout, what)
    if found is None:
        reason, ambiguous = last[0]
        raise NotFound(f"{what} not found after {timeout:g}s: {reason}", ambiguous=ambiguous)
    return found


@dataclass(frozen=True)
class Item:
    """One of several matches (a link of a list): its accessible name and, for a link, its URL."""

    name: str
    href: str
    element: Any = None  # the browser's handle, to act on it


def every(page: Page, alternatives: list[Locator]) -> list[Item]:
    """One look: every visible match of the first alternative that has any (the links of a list),
    in page order; none when no alternative matches."""
    specs = [a for a in alternatives if a.url is None]
    result = page.run_js(ENGINE, [_spec(s) for s in specs], "list")
    return [Item(" ".join(str(i["name"]).split()), str(i["href"]), i.get("element"))
            for i in result.get("items") or []]


@dataclass(frozen=True)
class Look:
    """One look at the page for several named states at once (signed in, a challenge, an error…)."""

    present: list[str]  # the names whose locators match, in the order given
    path: str
    ready: bool  # the document has finished loading


def look(page: Page, groups: dict[str, list[Locator]]) -> Look:
    """Which of `groups` show (one visible match or more), in one round trip: a sign-in waits on
    eight states at each poll."""
    specs: list[Locator] = []
    where: list[tuple[str, int]] = []  # (group, position in specs) of each element locator
    for name, alternatives in groups.items():
        for locator in alternatives:
            if locator.url is None:
                where.append((name, len(specs)))
                specs.append(locator)
    result = page.run_js(ENGINE, [_spec(s) for s in specs], "all")
    path, seen = result["path"] or "/", set(result["seen"])
    hits = {name for name, position in where if position in seen}
    for name, alternatives in groups.items():
        if any(a.url is not None and path.startswith(a.url) for a in alternatives):
            hits.add(name)
    return Look([name for name in groups if name in hits], path, bool(result["ready"]))
