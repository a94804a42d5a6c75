"""The locator engine on small pages in real headless Chromium: names, strictness, visibility."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from optout import locate
from optout.browser import Browser, BrowserOptions
from optout.flow import Locator

PAGE = """<!doctype html><html lang="en"><body>
<nav><a href="/messaging">Messaging</a><button type="button">Me <span aria-hidden="true">▾</span></button></nav>
<h2>Data privacy</h2>
<div class="row"><span aria-hidden="true">Data for Generative AI Improvement</span>
  <span class="visually-hidden" style="position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden">
  Data for Generative AI Improvement</span>
  <input type="checkbox" role="switch" aria-checked="true" checked id="ember91"
         style="opacity:0;position:absolute;width:1px;height:1px">
  <label for="ember91" style="display:inline-block;width:40px;height:20px;background:#ccc">On</label></div>
<div class="row"><p>Social, economic, and workplace research</p><input type="checkbox" role="switch"
   aria-checked="false" aria-label="Research"></div>
<button role="switch" aria-checked="false" aria-labelledby="l1 l2"></button>
<span id="l1">Use my data for training</span><span id="l2"> content creation AI models</span>
<p>Twice</p><p>Twice</p>
<div hidden><button>Hidden action</button></div>
<form><label for="t">Type of objection</label><select id="t"><option value="">Choose</option>
  <option value="m">Email marketing</option><option value="n">Training AI models that don't create content
  (non-generative AI)</option></select></form>
</body></html>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    path = Path(tmp_path_factory.mktemp("page")) / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    browser = Browser(BrowserOptions())
    browser.open(path.as_uri())
    yield browser
    browser.quit()


def find(page: Browser, **spec: object) -> locate.Found | None:
    return locate.probe(page, [Locator(**spec)])[0]


def test_name_matches_at_a_word_boundary_not_inside_a_word(page):
    me = find(page, role="button", name=["Me"])
    assert me is not None
    assert find(page, role="link", name=["Me"]) is None  # "Messaging" is not "Me"
    assert find(page, role="link", name=["Messaging"]) is not None


def test_aria_hidden_text_is_left_out_and_labelledby_is_joined(page):
    labelled = find(page, role="switch", name=["Use my data for training content creation AI models"])
    assert labelled is not None
    assert page.read_state(labelled.element, ["aria-checked", "checked"]) == "off"


def test_hidden_input_drawn_by_its_label_counts_as_visible(page):
    styled = find(page, role="switch", near=["Data for Generative AI Improvement"])
    assert styled is not None
    assert page.read_state(styled.element, ["aria-checked", "checked"]) == "on"


def test_two_matches_are_no_match_and_the_reason_says_so(page):
    found, reason = locate.probe(page, [Locator(text=["Twice"])])
    assert found is None and "ambiguous" in reason
    found, reason = locate.probe(page, [Locator(role="button", name=["Hidden action"])])
    assert found is None and "present but hidden" in reason
    found, reason = locate.probe(page, [Locator(role="button", name=["No such action"])])
    assert found is None and "not present" in reason


def test_a_marker_is_present_however_often_it_shows(page):
    assert locate.present(page, [Locator(text=["Twice"])])  # two matches: no element to act on, but there
    assert not locate.present(page, [Locator(text=["Thrice"])])
    seen = locate.look(page, {"absent": [Locator(text=["Nowhere"])], "nav": [Locator(role="navigation")]})
    assert seen.present == ["nav"] and seen.ready


def test_alternatives_are_tried_in_order(page):
    found = locate.probe(page, [Locator(role="switch", name=["Nothing like it"]),
                                Locator(role="switch", name=["Research"])])[0]
    assert found is not None and found.locator.name == ["Research"]


def test_find_waits_then_says_what_it_looked_for(page):
    with pytest.raises(locate.NotFound, match="Absent label"):
        locate.find(page, [Locator(role="switch", name=["Absent label"])], 0.5, "the switch")


def test_choose_takes_whole_words_only(page):
    select = find(page, label=["Type of objection"])
    assert select is not None
    assert "non-generative" in page.choose(select.element, ["AI"])  # not "Em-ai-l marketing"
    assert page.choose(select.element, ["keting"]) is None


def test_chromium_starts_under_a_long_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(deep))
    browser = Browser(BrowserOptions(profile_dir=tmp_path / "profile"))
    try:
        browser.open((tmp_path / "profile").as_uri())
        assert browser.ready()
    finally:
        browser.quit()
