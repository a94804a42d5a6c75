"""The objection form tells the truth: the right option, in the member's language, under the member's
name, sent once whatever happens to the ledger, with proof of what was sent.

The engine's part runs on a small synthetic page in real Chromium; the rest drives the real CLI
against the LinkedIn replica and judges by what the replica's server stored.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout import choices, locate
from optout.browser import Browser
from optout.flow import Locator, OptionWords
from tests.pages import small_page

PASSWORD = "Tr0ub4dor&3-sekret"
USER = "alice@example.com"
FORM = "objection-form"

# -- the engine: telling options apart by words (flow data), on a synthetic page ---------------------
WORDS = OptionWords(about=["AI", "IA", "modèles"], wrong=["generative", "générative", "contenu"],
                    negations=["non", "ne", "pas", "don't"], others=["other", "autres"])

PAGE = """<!doctype html><html><body><form>
<label for="a">Kind</label><select id="a"><option value="">Pick one</option>
  <option value="g">Generative AI (content creation)</option><option value="x">Newsletters</option>
  <option value="n">Other AI that doesn't create anything</option></select>
<label for="b">Sorte</label><select id="b"><option value="">Choisir</option>
  <option value="g">Modèles d'IA générative</option>
  <option value="n">Modèles d'IA qui ne créent pas de contenu</option></select>
<label for="c">Ambiguous</label><select id="c"><option value="">Pick</option>
  <option value="1">AI training</option><option value="2">AI features</option></select>
<fieldset role="radiogroup" aria-label="Radios"><label><input type="radio" name="r" value="1">AI models</label>
  <label><input type="radio" name="r" value="2">Billing</label></fieldset>
</form></body></html>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with small_page(tmp_path_factory, PAGE) as browser:
        yield browser


def element(page: Browser, label: str):
    found = locate.probe(page, [Locator(label=[label])])[0]
    assert found is not None, label
    return found.element


def value_of(page: Browser, label: str) -> str:
    return page.value(element(page, label))


@pytest.mark.parametrize(("label", "expected"), [
    ("Kind", "n"),  # "other AI" beats the generative option listed first
    ("Sorte", "n"),  # French, accents folded: « ne … pas de contenu »
])
def test_the_one_wanted_option_is_chosen(page, label, expected):
    options = page.options(element(page, label))
    assert len(options) == (3 if label == "Kind" else 2)  # the empty placeholder is no option
    chosen = choices.decide(options, WORDS)
    assert chosen is not None
    assert page.choose(element(page, label), [chosen], exact=True) == chosen
    assert value_of(page, label) == expected


def test_options_that_cannot_be_told_apart_choose_nothing(page):
    options = page.options(element(page, "Ambiguous"))
    assert options == ["AI training", "AI features"]
    assert choices.decide(options, WORDS) is None
    assert value_of(page, "Ambiguous") == ""


def test_a_single_plain_ai_option_in_a_radio_group(page):
    group = element(page, "Radios")
    options = page.options(group)
    assert options == ["AI models", "Billing"]
    chosen = choices.decide(options, WORDS)
    assert chosen == "AI models"
    assert page.choose(group, [chosen], exact=True) == "AI models"
    assert page.run_js("return document.querySelector('input[value=\"1\"]').checked") is True


def test_word_rules():
    assert choices.words("Modèles d'IA non-générative") == ["modeles", "d", "ia", "non", "generative"]
    assert choices.classify("AI that makes generative content", WORDS) == choices.WRONG
    assert choices.classify("Non-generative AI", WORDS) == choices.WANTED
    assert choices.classify("Generative and non-generative AI", WORDS) == choices.UNCLEAR  # both kinds in one
    assert choices.classify("Email marketing", WORDS) == choices.OFF_TOPIC  # "ai" inside a word is no AI
    assert choices.decide(["Generative AI", "AI models"], WORDS) is None  # a wrong one beside an unclear one
    assert choices.decide(["Other AI", "Other AI uses"], WORDS) is None  # two wanted: a guess


# -- end to end, judged by the replica's server state ------------------------------------------------
def setup(cli, replica, *, name: str | None = "Alice Example", **account) -> None:
    replica.add_account(USER, PASSWORD, name="Alice Example", **account)
    assert cli("creds", "set", "linkedin", USER, "--password-stdin", input=PASSWORD + "\n").code == 0
    if name:
        assert cli("account", "linkedin", USER, "--set", f"name={name}").code == 0


def run(cli, replica, *extra: str, command: str = "run"):
    return cli(command, "linkedin", "--json", "--base-url", f"linkedin={replica.url}", "--setting", FORM, *extra)


def forms_of(replica) -> list[dict]:
    return replica.state()["accounts"][USER]["forms"]


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def ledger_rows(cli) -> list[dict]:
    db = sqlite3.connect(cli.home / "ledger.sqlite3")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("select * from results where setting = ? order by id", (FORM,))]
    finally:
        db.close()


def test_both_kinds_send_the_non_generative_one_with_proof_of_the_filled_form(cli, linkedin):
    setup(cli, linkedin)
    linkedin.configure(objection_types="both")
    first = run(cli, linkedin)
    stored = forms_of(linkedin)
    assert len(stored) == 1, first.stderr
    assert stored[0]["fields"]["objection_kind"] == "non_generative"
    assert stored[0]["fields"]["name"] == "Alice Example"
    assert first.code == 0, first.stderr
    row = only(first)
    assert row["outcome"] == "changed" and row["details"]["case"] == stored[0]["case"]
    # the filled form, just before Submit: on disk, and its SHA-256 in the hashed ledger row
    filled = Path(row["details"]["filled_proof"])
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == row["details"]["filled_sha256"]
    recorded = json.loads(ledger_rows(cli)[-1]["details"])
    assert recorded["filled_sha256"] == row["details"]["filled_sha256"]
    assert filled != Path(row["proof"])  # the confirmation is the row's own proof
    # verify does not pretend to re-check a sent form, nor copies its screenshot
    verify = run(cli, linkedin, command="verify")
    checked = only(verify)
    assert verify.code == 0 and checked["outcome"] == "ok"
    assert checked["proof"] is None and checked["sha256"] is None
    assert "not re-checked" in checked["message"] and stored[0]["case"] in checked["message"]
    again = run(cli, linkedin)
    assert (again.code, only(again)["outcome"], only(again)["proof"]) == (0, "already", None)
    assert len(forms_of(linkedin)) == 1


def test_french_member_gets_the_non_generative_option(cli, linkedin):
    setup(cli, linkedin, lang="fr")
    linkedin.configure(objection_types="both")
    result = run(cli, linkedin)
    stored = forms_of(linkedin)
    assert len(stored) == 1, result.stderr
    assert stored[0]["fields"]["objection_kind"] == "non_generative"
    assert stored[0]["fields"]["lang"] == "fr"
    assert result.code == 0, result.stderr
    assert only(result)["details"].get("case") == stored[0]["case"]


def test_single_plain_ai_option_is_sent(cli, linkedin):
    setup(cli, linkedin, lang="fr")
    linkedin.configure(objection_types="single_ai")
    result = run(cli, linkedin)
    assert [f["fields"]["objection_kind"] for f in forms_of(linkedin)] == ["ai_unclassified"], result.stderr
    assert result.code == 0


def test_ambiguous_options_send_nothing_and_list_them(cli, linkedin):
    setup(cli, linkedin)
    linkedin.configure(objection_types="ambiguous")
    result = run(cli, linkedin)
    assert forms_of(linkedin) == []
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert "AI and machine learning model training" in row["message"]
    assert "Use of my data for AI features" in row["message"]


def test_no_name_sends_nothing_and_the_printed_command_fixes_it(cli, linkedin):
    setup(cli, linkedin, name=None)
    result = run(cli, linkedin)
    assert forms_of(linkedin) == []
    assert result.code == 2, result.stderr
    assert only(result)["outcome"] == "error"
    printed = re.search(r"`(optout account [^`]+)`", result.stderr)
    assert printed, result.stderr
    words = shlex.split(printed.group(1))
    name = "Zoé Member-Real"
    fixed = cli(*words[1:], input=name + "\n")  # as printed: it asks for the name, which the person types
    assert fixed.code == 0, fixed.stderr
    sent = run(cli, linkedin)
    assert sent.code == 0, sent.stderr
    assert [f["fields"]["name"] for f in forms_of(linkedin)] == [name]


def test_a_prefilled_name_is_kept(cli, linkedin):
    setup(cli, linkedin, name=None)
    linkedin.configure(form_name_prefilled=True)
    result = run(cli, linkedin)
    assert [f["fields"]["name"] for f in forms_of(linkedin)] == ["Alice Example"], result.stderr
    assert result.code == 0


def test_account_refuses_keys_no_flow_uses(cli):
    result = cli("account", "linkedin", USER, "--set", "nmae=Alice")
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "name" in result.stderr and "objection_details" in result.stderr
    assert not (cli.home / "accounts.yaml").exists() or "nmae" not in (cli.home / "accounts.yaml").read_text()


def test_account_set_key_alone_asks_and_refuses_nothing_given(cli):
    asked = cli("account", "linkedin", USER, "--set", "name", input="Alice Typed\n")
    assert asked.code == 0, asked.stderr
    assert "Alice Typed" in (cli.home / "accounts.yaml").read_text()
    empty = cli("account", "linkedin", USER, "--set", "name", input="")
    assert empty.code == 2 and len(empty.stderr.strip().splitlines()) == 1, empty.stderr


def test_unrecognised_answer_is_recorded_unconfirmed_and_never_sent_again(cli, linkedin):
    setup(cli, linkedin)
    linkedin.configure(form_after_submit="error_page")
    first = run(cli, linkedin)
    assert len(forms_of(linkedin)) == 1, first.stderr
    assert first.code == 1
    row = only(first)
    assert row["outcome"] == "error" and row["details"]["confirmed"] is False
    assert row["proof"] and Path(row["proof"]).is_file()
    linkedin.configure(form_after_submit="confirmation")
    second = run(cli, linkedin)
    assert len(forms_of(linkedin)) == 1, second.stderr
    assert second.code != 0 and "--resend" in only(second)["message"]


def _delete(home: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (home / f"ledger.sqlite3{suffix}").unlink(missing_ok=True)


def _empty(home: Path) -> None:
    db = sqlite3.connect(home / "ledger.sqlite3")
    db.execute("delete from results")
    db.commit()
    db.close()


def _move(home: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = home / f"ledger.sqlite3{suffix}"
        if path.exists():
            path.rename(home / f"aside{suffix}")


@pytest.mark.parametrize("lose", [_delete, _empty, _move], ids=["deleted", "emptied", "moved"])
def test_a_lost_ledger_does_not_send_again_and_resend_does(cli, linkedin, lose):
    setup(cli, linkedin)
    assert run(cli, linkedin).code == 0
    assert len(forms_of(linkedin)) == 1
    lose(cli.home)
    again = run(cli, linkedin)
    assert len(forms_of(linkedin)) == 1, again.stderr
    assert again.code == 0 and only(again)["outcome"] == "already"
    resent = run(cli, linkedin, "--resend")
    assert len(forms_of(linkedin)) == 2, resent.stderr
    assert only(resent)["outcome"] == "changed"


def test_verify_sends_nothing_and_its_printed_command_sends_once(cli, linkedin):
    setup(cli, linkedin)
    found = run(cli, linkedin, command="verify")
    assert forms_of(linkedin) == []  # a check never sends a legal request
    assert (found.code, only(found)["outcome"]) == (1, "drifted")
    printed = re.search(r"`(optout [^`]+)`", only(found)["message"])
    assert printed, only(found)["message"]
    sent = cli(*shlex.split(printed.group(1))[1:])
    assert sent.code == 0, sent.stderr
    assert len(forms_of(linkedin)) == 1
