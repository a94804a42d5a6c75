"""A breakage bundle's copy of the page keeps what a maintainer needs and nothing a person typed.

The page holds typed values in every kind of field (real typing through Chromium, not attributes
written into the markup), so a copy that leaked them would fail here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from optout import locate
from optout.browser import Browser
from optout.flow import Locator
from tests.pages import small_page

TYPED = {"name": "Zelda Typedname", "email": "zelda.typed@example.org", "details": "my-private-details-123",
         "note": "contenteditable-secret-77", "password": "Pw-typed-9911"}

PAGE = """<!doctype html><html lang="en"><head><title>Form</title>
<style>.x{color:red}</style><script>window.tokenValue = "script-token-5150";</script></head><body>
<!-- comment-with-token-8080 -->
<form action="/help/ask?token=query-token-3030#frag" method="post" data-user="data-attr-secret-4040">
  <label for="n">Full name</label><input id="n" name="fullName" autocomplete="name">
  <label for="e">Email address</label><input id="e" type="email" name="email" value="">
  <label for="p">Password</label><input id="p" type="password" name="pw">
  <label for="t">Type of objection</label><select id="t" name="type"><option value="">Choose</option>
    <option value="a">Advertising</option><option value="b">Research</option></select>
  <label for="d">Details</label><textarea id="d" name="details"></textarea>
  <div id="note" contenteditable="true" role="textbox" aria-label="Note"></div>
  <a href="/next?session=link-token-6060">Next</a>
  <button type="submit" aria-label="Send the form">Submit</button>
</form></body></html>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with small_page(tmp_path_factory, PAGE) as browser:
        yield browser


def field(page: Browser, css: str):
    return locate.find(page, [Locator(css=css)], 5, css).element


def test_typed_values_never_reach_the_bundle_page(page):
    page.fill(field(page, "#n"), TYPED["name"])
    page.fill(field(page, "#e"), TYPED["email"])
    page.fill(field(page, "#p"), TYPED["password"])
    page.fill(field(page, "#d"), TYPED["details"])
    page.fill(field(page, "#note"), TYPED["note"])
    page.choose(field(page, "#t"), ["Research"])
    # the values really are in the page: the copy has something to leak
    assert page.run_js("return document.querySelector('#d').value") == TYPED["details"]
    assert TYPED["note"] in page.run_js("return document.querySelector('#note').textContent")

    copy = page.dom_without_values()
    for value in TYPED.values():
        assert value not in copy
    for leftover in ("script-token-5150", "comment-with-token-8080", "query-token-3030", "data-attr-secret-4040",
                     "link-token-6060", ".x{color:red}"):
        assert leftover not in copy
    assert "selected" not in copy  # which option was chosen is the person's choice
    # what a maintainer needs is still there: structure, labels, names, roles, aria
    for kept in ('<label for="n">Full name</label>', 'name="fullName"', 'aria-label="Send the form"',
                 'role="textbox"', "<option", "Research", "Type of objection", 'href="file://'):
        assert kept in copy, kept
    assert copy.count("\u2022\u2022\u2022") >= 4  # the typed fields are shown as masked, not as empty
