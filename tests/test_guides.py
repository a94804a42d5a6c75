"""`optout guide`: the platforms where no bot can act (Slack, Figma, Squarespace, Reddit), through the
real command line, judged on its outputs, files and exit codes. The facts quoted below are
../shared/platforms/manual.md's; the robots.txt check reads a local server, never the internet."""

from __future__ import annotations

import shlex
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, Response

from tests.engine_site.helpers import SWITCH, base_url, setup_account
from tests.replicas.server import ReplicaServer

USER = "alice@example.com"
NAME = "Alice Example"
MANUAL_FOUR = ("GPTBot", "ClaudeBot", "CCBot", "Google-Extended")  # the crawlers manual.md names
CRAWLERS = (*MANUAL_FOUR, "ChatGPT-User", "OAI-SearchBot", "anthropic-ai", "PerplexityBot", "Bytespider",
            "Applebot-Extended", "meta-externalagent", "Amazonbot")


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("optout: ") and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# -- each guide's steps, from manual.md --------------------------------------------------------------
@pytest.mark.parametrize(("platform", "facts"), [
    ("slack", ["feedback@slack.com", "Slack Global model opt-out request", "Owner", "Org Owner", "Primary Owner",
               "opted in by default", "Slack replies when the opt-out is done", "Not an owner?"]),
    ("figma", ["Content training", "15 Aug 2024", "an admin of the team or organisation",
               "the team → View settings → Settings tab → AI → Manage AI settings → Content training",
               "the team → Admin → Settings → AI → Content training", "Organization plan", "already off by default",
               '"AI features"', "Not an admin?"]),
    ("squarespace", ["Settings → Crawlers → Block known artificial intelligence crawlers",
                     '"Artificial Intelligence Crawlers"', "one setting per site",
                     "Not a training opt-out of Squarespace itself", "--check"]),
    ("reddit", ["no opt-out", "Reddit licenses its content to others", "not a failure", "--letter"]),
])
def test_each_guide_says_what_to_do(cli, platform, facts):
    result = cli("guide", platform)
    assert result.code == 0, result.stderr
    for fact in facts:
        assert fact in result.stdout, (fact, result.stdout)


def test_figma_plan_picks_its_path(cli):
    pro = cli("guide", "figma", "--plan", "professional")
    assert pro.code == 0 and "the team → Admin → Settings → AI" in pro.stdout
    assert "Manage AI settings → Content training:" not in pro.stdout  # Starter's path is not printed
    enterprise = cli("guide", "figma", "--plan", "enterprise")
    assert "already off by default" in enterprise.stdout and "→ Admin →" not in enterprise.stdout.split("Not an")[0]
    wrong = cli("guide", "figma", "--plan", "gold")
    assert wrong.code == 2 and "starter, professional, organization, enterprise" in one_line(wrong)
    assert cli("guide", "reddit", "--plan", "starter").code == 2


def test_a_platform_with_a_flow_or_no_guide_is_a_usage_error(cli):
    flowed = cli("guide", "linkedin")
    assert flowed.code == 2 and "optout run linkedin" in one_line(flowed)
    unknown = cli("guide", "myspace")
    assert unknown.code == 2 and "figma, reddit, slack, squarespace" in one_line(unknown)


# -- Slack: the email ready to send ------------------------------------------------------------------
def test_slack_email_from_the_option(cli):
    result = cli("guide", "slack", "--workspace", "acme.slack.com")
    assert result.code == 0, result.stderr
    email = result.stdout[result.stdout.index("To: "):]
    assert email.startswith("To: feedback@slack.com\nSubject: Slack Global model opt-out request\n\n")
    assert "Slack workspace https://acme.slack.com," in email and "opt it out of Slack's global models" in email
    assert email.rstrip().endswith("Thank you,")  # no name known: none is made up


def test_slack_email_from_the_accounts_file_signed_with_the_name(cli):
    done = cli("account", "slack", USER, "--set", "workspace=https://acme.enterprise.slack.com/", "--set",
               f"name={NAME}")
    assert done.code == 0, done.stderr
    result = cli("guide", "slack")
    assert "Slack workspace https://acme.enterprise.slack.com," in result.stdout
    assert result.stdout.rstrip().endswith(f"Thank you,\n{NAME}")
    # an option wins over the accounts file
    assert "https://other.slack.com," in cli("guide", "slack", "--workspace", "https://other.slack.com").stdout


def test_slack_without_a_workspace_says_what_to_pass(cli):
    result = cli("guide", "slack")
    assert result.code == 0 and "To: feedback@slack.com" not in result.stdout
    assert "pass --workspace URL" in result.stdout
    # --mailto cannot open an email that is not written: one line, exit 2
    opened = cli("guide", "slack", "--mailto")
    assert opened.code == 2 and "--workspace URL" in one_line(opened)
    bad = cli("guide", "slack", "--workspace", "not a url")
    assert bad.code == 2 and "expected a web address" in one_line(bad)
    assert cli("guide", "figma", "--workspace", "https://acme.slack.com").code == 2


@pytest.fixture
def opener(cli, tmp_path: Path) -> Path:
    """OPTOUT_OPENER: a command that writes the URL it is given to a file, in place of a mail client."""
    script, out = tmp_path / "opener.py", tmp_path / "opened.txt"
    script.write_text(f"import sys, pathlib\npathlib.Path({str(out)!r}).write_text(sys.argv[1])\n")
    cli.env["OPTOUT_OPENER"] = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    return out


def test_mailto_opens_the_email(cli, opener):
    result = cli("guide", "slack", "--workspace", "acme.slack.com", "--mailto")
    assert result.code == 0, result.stderr
    url = opener.read_text()
    assert url in result.stderr  # also said, to paste where no mail client opens
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and parts.path == "feedback@slack.com"
    query = parse_qs(parts.query, strict_parsing=True)
    assert query["subject"] == ["Slack Global model opt-out request"]
    [body] = query["body"]
    assert body.startswith("Hello,\r\n\r\nAs an owner of the Slack workspace https://acme.slack.com,")
    assert body.replace("\r\n", "\n") in result.stdout  # the same text as printed


def test_mailto_says_so_when_nothing_opens(cli):
    cli.env["OPTOUT_OPENER"] = "false"
    result = cli("guide", "slack", "--workspace", "acme.slack.com", "--mailto")
    assert result.code == 1 and "could not open a mail client" in one_line(result)
    assert "To: feedback@slack.com" in result.stdout  # the email is there to copy


# -- Squarespace: the robots.txt check ---------------------------------------------------------------
@pytest.fixture
def site() -> Iterator[dict]:
    """A site on a loopback port whose /robots.txt answers `text` with `status` (set by each test)."""
    served: dict = {"text": "", "status": 200}
    app = Flask("robots-site")

    @app.get("/robots.txt")
    def robots() -> Response:
        served["hits"] = served.get("hits", 0) + 1
        return Response(served["text"], status=served["status"], mimetype="text/plain")

    with ReplicaServer(app) as server:
        served["url"] = server.url
        yield served


def verdicts(stdout: str) -> dict[str, str]:
    return {line.split()[1]: line.split()[0] for line in stdout.splitlines() if line.startswith("  ")}


def test_all_ai_crawlers_blocked_exits_0(cli, site):
    site["text"] = "# what the setting writes\n" + "".join(f"User-agent: {a}\n" for a in CRAWLERS) + \
        "Disallow: /\n\nUser-agent: *\nAllow: /\nSitemap: https://example.com/sitemap.xml\n"
    result = cli("guide", "squarespace", "--check", site["url"] + "/some/page")
    assert result.code == 0, (result.stdout, result.stderr)
    assert result.stdout.startswith(f"{site['url']}/robots.txt: 12 of 12 AI crawlers blocked")
    assert set(verdicts(result.stdout).values()) == {"blocked"} and set(verdicts(result.stdout)) == set(CRAWLERS)
    assert site["hits"] == 1


def test_some_allowed_exits_1_and_names_them(cli, site):
    # manual.md's four blocked (in two groups, one with a version and odd case), the others left to `*`
    site["text"] = ("User-agent: gptbot/1.1\nUser-agent: ClaudeBot\nDisallow: /\n\n"
                    "User-agent: CCBot\nUser-agent: Google-Extended\nDisallow: /   # all of it\n\n"
                    "User-agent: *\nDisallow: /cart\n")
    result = cli("guide", "squarespace", "--check", site["url"])
    assert result.code == 1, (result.stdout, result.stderr)
    seen = verdicts(result.stdout)
    assert all(seen[a] == "blocked" for a in MANUAL_FOUR), seen
    assert seen["OAI-SearchBot"] == "allowed" and seen["Amazonbot"] == "allowed"
    assert "4 of 12 AI crawlers blocked" in result.stdout
    assert "Settings → Crawlers → Block known artificial intelligence crawlers" in result.stdout


def test_the_agents_own_group_wins_over_star(cli, site):
    # `*` disallows everything, but GPTBot's own group allows it: GPTBot may crawl (RFC 9309)
    site["text"] = "User-agent: *\nDisallow: /\n\nUser-agent: GPTBot\nAllow: /\n"
    result = cli("guide", "squarespace", "--check", site["url"])
    assert result.code == 1
    seen = verdicts(result.stdout)
    assert seen.pop("GPTBot") == "allowed" and set(seen.values()) == {"blocked"}
    # an empty Disallow forbids nothing; a partial one leaves the site open
    site["text"] = "User-agent: *\nDisallow:\n\nUser-agent: CCBot\nDisallow: /private/\n"
    assert set(verdicts(cli("guide", "squarespace", "--check", site["url"]).stdout).values()) == {"allowed"}
    site["text"] = "User-agent: *\nDisallow: /\n"
    assert cli("guide", "squarespace", "--check", site["url"]).code == 0


def test_no_robots_txt_blocks_nothing(cli, site):
    site["status"] = 404
    result = cli("guide", "squarespace", "--check", site["url"])
    assert result.code == 1
    assert "there is none" in result.stdout and "nothing blocks any AI crawler" in result.stdout
    assert set(verdicts(result.stdout).values()) == {"allowed"}


def test_unreachable_or_bad_url_exits_2(cli, site):
    site["status"] = 503
    failing = cli("guide", "squarespace", "--check", site["url"])
    assert failing.code == 2 and "HTTP 503" in one_line(failing) and failing.stdout == ""
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = cli("guide", "squarespace", "--check", f"http://127.0.0.1:{port}", "--timeout", "3")
    assert closed.code == 2 and f"cannot reach http://127.0.0.1:{port}/robots.txt" in one_line(closed)
    for bad in ("ftp://example.com", "http://", "https://exa mple.com", "http://example.com:port"):
        result = cli("guide", "squarespace", "--check", bad)
        assert result.code == 2 and "expected a site's address" in one_line(result), bad
    assert cli("guide", "figma", "--check", site["url"]).code == 2  # no site to check there


def test_robots_parsing_rules():
    from optout.robots import parse, verdict

    groups = parse("Disallow: /\n"  # before any User-agent: ignored
                   "User-agent: Foo\nDisallow: /\nAllow: /$\n\n"  # the longer pattern wins
                   "User-agent: Bar\nDisallow: /x\nAllow: /x\n"  # a tie: Allow wins
                   "user-AGENT: Baz # a comment\nDISALLOW: /*\n")
    assert [g.agents for g in groups] == [("foo",), ("bar",), ("baz",)]
    assert not verdict(groups, "Foo").blocked and not verdict(groups, "Foo", "/").blocked
    assert verdict(groups, "Foo", "/page").blocked
    assert not verdict(groups, "bar", "/x").blocked
    assert verdict(groups, "BAZ").blocked and verdict(groups, "baz").by == "User-agent: baz"
    assert verdict(groups, "Other").by == "no group for it, nor for *"


# -- the Article 21 letter ---------------------------------------------------------------------------
def test_letter_in_english_and_french(cli):
    assert cli("account", "reddit", USER, "--set", f"name={NAME}").code == 0
    en = cli("guide", "reddit", "--letter")
    assert en.code == 0, en.stderr
    assert en.stdout.startswith("To: Reddit's privacy contact")
    assert "Subject: Objection under Article 21 GDPR" in en.stdout
    assert "Under Article 21(1) of the General Data Protection Regulation (GDPR), I object" in en.stdout
    assert "licensing my posts, comments and other content to others" in en.stdout
    assert f"Name: {NAME}\nEmail: {USER}" in en.stdout and en.stdout.rstrip().splitlines()[-2] == NAME
    fr = cli("guide", "reddit", "--letter", "--lang", "fr", "--account", USER)
    assert fr.code == 0, fr.stderr
    assert "Subject: Opposition au titre de l'article 21 du RGPD" in fr.stdout
    assert "Madame, Monsieur," in fr.stdout and "je m'oppose au traitement de mes données personnelles" in fr.stdout
    assert f"Nom : {NAME}\nAdresse e-mail : {USER}" in fr.stdout
    month = fr.stdout.rstrip().splitlines()[-1].split()[1]
    assert month in ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                     "octobre", "novembre", "décembre")


def test_missing_name_gives_a_command_that_works_as_printed(cli, opener):
    assert cli("account", "reddit", USER).code == 0  # the account, without a name
    missing = cli("guide", "reddit", "--letter")
    assert missing.code == 2 and missing.stdout == ""
    line = one_line(missing)
    command = line.split("`")[1]
    assert command == f"optout account reddit {USER} --set name"
    words = shlex.split(command)
    assert cli(*words[1:], input=f"{NAME}\n").code == 0  # it asks for the name; here on standard input
    letter = cli("guide", "reddit", "--letter", "--mailto")
    assert letter.code == 0 and f"Name: {NAME}" in letter.stdout
    url = urlsplit(opener.read_text())  # no address optout could know: the user fills it in
    assert url.scheme == "mailto" and url.path == "" and NAME in parse_qs(url.query)["body"][0]


def test_an_unknown_account_without_email_gets_both_asked(cli):
    missing = cli("guide", "reddit", "--letter", "--account", "u/bob smith")
    command = one_line(missing).split("`")[1]
    assert missing.code == 2 and command == "optout account reddit 'u/bob smith' --set name --set email"
    assert cli(*shlex.split(command)[1:], input="Bob Smith\nbob@example.org\n").code == 0
    letter = cli("guide", "reddit", "--letter", "--account", "u/bob smith", "--lang", "fr")
    assert letter.code == 0
    assert "Compte : u/bob smith\nNom : Bob Smith\nAdresse e-mail : bob@example.org" in letter.stdout


def test_letter_needs_an_account_and_a_platform_that_offers_it(cli):
    none = cli("guide", "reddit", "--letter")
    assert none.code == 2 and "pass --account USER" in one_line(none)
    for user in ("a@example.com", "b@example.com"):
        cli("account", "reddit", user, "--set", "name=Someone")
    several = cli("guide", "reddit", "--letter")
    assert several.code == 2 and "a@example.com, b@example.com" in one_line(several)
    for platform in ("slack", "figma", "squarespace"):  # an opt-out exists there (manual.md)
        refused = cli("guide", platform, "--letter")
        assert refused.code == 2 and f"no letter for {platform}" in one_line(refused)
    assert cli("guide", "reddit", "--lang", "fr").code == 2  # --lang is the letter's
    assert cli("account", "figma", USER, "--set", "name=X").code == 2  # figma fills in nothing


# -- list, run and verify ----------------------------------------------------------------------------
def test_list_shows_guided_platforms(cli):
    text = cli("list")
    assert text.code == 0
    section = text.stdout[text.stdout.index("guided (no bot can act there"):]
    for platform in ("slack", "figma", "squarespace", "reddit"):
        assert platform in section
    assert "no opt-out exists" in section
    rows = cli("list", "--json").json()
    guided = {r["platform"]: r for r in rows if r["guided"]}
    assert set(guided) == {"slack", "figma", "squarespace", "reddit"}
    assert guided["slack"]["title"] == "Slack" and "email" in guided["slack"]["why_no_bot"]
    assert guided["reddit"]["letter"] is True and guided["squarespace"]["check"] is True
    assert all(r["confidence"] in ("high", "medium", "low") for r in guided.values())
    assert any(r["platform"] == "linkedin" and r["guided"] is False for r in rows)


def test_run_and_verify_all_skip_guided_platforms_once(cli, sample):
    setup_account(cli, sample)
    assert cli("account", "reddit", USER, "--set", f"name={NAME}").code == 0
    assert cli("account", "slack", USER, "--set", "workspace=https://acme.slack.com").code == 0
    for command in ("run", "verify"):
        result = cli(command, "--all", "--json", "--setting", SWITCH, "--base-url", base_url(sample))
        assert result.code == 0, result.stderr
        assert {r["platform"] for r in result.json()} == {"sample"}
        skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
        assert skipped == ["skipped reddit, slack: no bot can act there (see `optout guide PLATFORM`)"], result.stderr
    assert sample.state()["accounts"][USER]["training"] is False


def test_run_names_a_guided_platform_or_has_nothing_else(cli):
    named = cli("run", "reddit")
    assert named.code == 2 and "optout guide reddit" in one_line(named)
    cli("account", "reddit", USER, "--set", f"name={NAME}")
    only = cli("verify", "--all")
    assert only.code == 2
    assert only.stderr.count("skipped reddit") == 1 and "no accounts configured where a bot can act" in only.stderr


def test_guide_models_refuse_bad_data():
    from pydantic import ValidationError

    from optout.guides import EmailDraft, Letter, load_all

    with pytest.raises(ValidationError, match="needs"):
        EmailDraft(to="x@example.com", subject="s", body="{workspace}")
    with pytest.raises(ValidationError, match="concerns"):
        Letter(offered=True, why="w")
    guides = load_all()
    assert [g for g in guides.values() if g.letter.offered] == [guides["reddit"]]
    crawlers = [c.agent for c in guides["squarespace"].robots.crawlers]
    assert tuple(crawlers) == CRAWLERS
    assert [c.agent for c in guides["squarespace"].robots.crawlers if c.named_by == "manual.md"] == list(MANUAL_FOUR)
