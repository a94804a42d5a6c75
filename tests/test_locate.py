"""The locator engine on small pages in real headless Chromium: names, strictness, visibility."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from optout import locate
from optout.browser import Browser, BrowserOptions
from optout.flow import Locator
from tests.pages import small_page

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
    with small_page(tmp_path_factory, PAGE) as browser:
        yield browser


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


# -- schema 2: accessible names as the rules compute them, whole words, sections ----------------------
NAMES_PAGE = """<!doctype html><html lang="en"><body>
<nav>
  <button type="button" id="me"><img alt="Alice Example" width="24" height="24"
    src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="><span>Me</span></button>
  <button type="button"><span role="img" aria-label="Bob Sample"></span> Bell</button>
  <button type="button"><svg aria-labelledby="ic" width="10" height="10"><title id="ic">Search</title></svg></button>
  <a href="/x"><span style="display:none">Secret</span><span hidden>Gone</span>
    <span style="visibility:hidden">Ghost</span> Visible words</a>
  <a href="/main">Main</a><a href="/training">Training plans</a>
</nav>
<main>
  <section><h3>How we use your data</h3><ul>
    <li><a href="/a"><span aria-hidden="true">Search history</span><span>Search history</span></a></li>
    <li><a href="/b">Data for content-creating AI models</a></li></ul></section>
  <section><h3>Withheld here</h3><ul>
    <li><a href="/c">Search history</a></li><li><a href="/d">Maintenance</a></li></ul></section>
  <section><h3>Other things</h3><ul><li><a href="/e">Use of AI in messages</a></li></ul></section>
  <p lang="fr">Données pour l'amélioration de l'IA générative</p>
</main>
</body></html>"""


@pytest.fixture(scope="module")
def names_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with small_page(tmp_path_factory, NAMES_PAGE) as browser:
        yield browser


def test_an_image_alt_before_me_is_part_of_the_name(names_page):
    # the avatar's alt comes first, as on the real site: "Me" no longer starts the name…
    assert find(names_page, role="button", name=["Me"]) is None
    assert find(names_page, role="button", name=["Alice Example Me"]) is not None
    # …and the whole-word option finds it, as the flow's Me locator does
    me = find(names_page, role="button", name=["Me", "Moi"], words=True)
    assert me is not None
    assert names_page.run_js("return arguments[0].id", me.element) == "me"


def test_descendants_aria_label_and_labelledby_name_their_part(names_page):
    assert find(names_page, role="button", name=["Bob Sample Bell"]) is not None
    assert find(names_page, role="button", name=["Search"]) is not None


def test_hidden_descendants_are_not_in_the_name(names_page):
    assert find(names_page, role="link", name=["Visible words"]) is not None
    for hidden in ("Secret", "Gone", "Ghost"):
        assert find(names_page, role="link", name=[hidden], contains=True) is None, hidden


def test_whole_words_do_not_match_inside_a_word(names_page):
    ai = find(names_page, role="link", name=["AI"], words=True, within=["How we use your data"])
    assert ai is not None  # "content-creating AI models"
    assert find(names_page, role="link", name=["ai"], words=True, within=["Withheld here"]) is None  # Maintenance
    assert find(names_page, role="link", name=["AI"], words=True, text=["Main"]) is None
    assert find(names_page, role="link", name=["Train"], words=True) is None  # "Training plans"
    assert find(names_page, text=["IA"], words=True) is not None  # "l'IA générative"
    assert find(names_page, text=["générative"], words=True) is not None


def test_within_looks_only_at_the_section_under_the_heading(names_page):
    rows = locate.look(names_page, {
        "used": [Locator(role="link", within=["How we use your data"], name=["Search history"])],
        "ai_in_used": [Locator(role="link", within=["How we use your data"], name=["AI"], words=True)],
        "ai_in_withheld": [Locator(role="link", within=["Withheld here"], name=["AI"], words=True)],
    })
    assert rows.present == ["used", "ai_in_used"]  # the AI row of "Other things" is not counted


def test_an_ambiguous_miss_says_so(names_page):
    with pytest.raises(locate.NotFound) as twice:
        locate.find(names_page, [Locator(role="link", name=["Search history"])], 0.3, "the row")
    assert twice.value.ambiguous
    with pytest.raises(locate.NotFound) as absent:
        locate.find(names_page, [Locator(role="link", name=["No such row"])], 0.3, "the row")
    assert not absent.value.ambiguous


def test_the_linkedin_flow_tells_a_renamed_row_from_a_withheld_one(tmp_path: Path):
    """The shipped flow's moved_if / unavailable_if, on the two pages a missing row can leave."""
    from optout.flow import load_file
    from tests.conftest import ROOT

    flow = load_file(ROOT / "flows" / "linkedin.yaml")
    setting = next(s for s in flow.settings if s.id == "genai-training")
    rows = ("<li><a href='/a'>Manage your data and activity</a></li><li><a href='/b'>Search history</a></li>"
            "<li><a href='/c'>Social, economic, and workplace research</a></li>")
    page = ("<!doctype html><html><body><main><section><h3>Messaging experience</h3><ul>"
            "<li><a href='/m'>Messaging suggestions</a></li></ul></section>"
            "<section><h3>How LinkedIn uses your data</h3><ul>{rows}</ul></section></main></body></html>")
    withheld = tmp_path / "withheld.html"
    withheld.write_text(page.format(rows=rows), encoding="utf-8")
    renamed = tmp_path / "renamed.html"
    renamed.write_text(page.format(rows=rows + "<li><a href='/g'>Generative AI training data</a></li>"),
                       encoding="utf-8")
    browser = Browser(BrowserOptions())
    try:
        browser.open(withheld.as_uri())
        assert locate.present(browser, setting.unavailable_if)
        assert not locate.present(browser, setting.moved_if)
        browser.open(renamed.as_uri())
        assert locate.present(browser, setting.moved_if)
    finally:
        browser.quit()


def test_words_and_within_are_checked_in_the_flow_model():
    # the model's rules between keys hold for any locator made, not only for one read from a file
    with pytest.raises(ValueError, match="exclude each other"):
        Locator(role="link", name=["AI"], words=True, contains=True)
    with pytest.raises(ValueError, match="need a 'role'"):
        Locator(text=["AI"], within=["A section"])
    with pytest.raises(ValueError, match="needs a 'name'"):
        Locator(role="link", words=True)
