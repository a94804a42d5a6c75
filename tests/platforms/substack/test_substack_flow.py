"""flows/substack.yaml end to end: the real CLI drives headless Chromium against the Substack replica.

Substack's switch is per publication, and opted out is the switch ON: the flow goes to the account's
dashboard, follows each publication's settings link (every batch of the list: "Show more", or "Next
page") and ensures "Opt out of AI training" (2026) / "Block AI training" (earlier) on each. Every
verdict comes from the replica's server-side state (each publication's switch, its neighbours —
"Allow search engines to index your publication", "Send new posts to subscribers by email" — its
save counter, the account's sign-in counters), never from what optout prints; the printed outcome,
the `object` of each row and the exit code are checked beside it. The generic run → switch_back_on →
verify → verify --fix → verify cycle on the default one-publication account is
tests/test_every_flow.py's: not repeated here.

Each row's `object` is the name of the link the dashboard gives to the publication's settings: in
the replica every such link reads "Settings", so rows are told apart by the server state, not by name
(see the flow's report: the engine cannot yet name an object by its row).
"""

from __future__ import annotations

PLATFORM = "substack"
SETTING = "block-ai-training"
USER = "alice@example.com"
PASSWORD = "Subst4ck-0ptout-pw!"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def setup(cli, substack, email: str = USER, password: str = PASSWORD, **account) -> None:
    substack.add_account(email, PASSWORD, **account)
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, substack, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--base-url", f"{PLATFORM}={substack.url}", "--setting", SETTING,
               *extra, timeout=600)


def account(substack, email: str = USER) -> dict:
    return substack.state()["accounts"][email]


def publications(substack, email: str = USER) -> dict:
    return account(substack, email)["publications"]


def neighbours(substack, email: str = USER) -> dict:
    return {sub: pub["settings"] for sub, pub in publications(substack, email).items()}


def assert_neighbours_untouched(substack, before: dict, email: str = USER) -> None:
    """Every publication's other switches as they were, and no write to any of them."""
    now = account(substack, email)
    assert {sub: now["publications"][sub]["settings"] for sub in before} == before
    assert now["other_writes"] == 0
    assert all(pub["other_writes"] == [] for pub in now["publications"].values()), now


def rows(result, email: str = USER) -> list[dict]:
    """The account's rows: one per publication, each of the setting and naming its object."""
    mine = [r for r in result.json() if r["account"] == email]
    assert all(r["setting"] == SETTING for r in mine), mine
    assert all(r.get("object") and r["details"].get("object") == r["object"] for r in mine), mine
    return mine


def outcomes(result, email: str = USER) -> list[str]:
    return sorted(r["outcome"] for r in rows(result, email))


def test_publications_in_batches_one_added_later_neighbours_untouched(cli, substack):
    """13 publications (two batches behind "Show more"), two already opted out: after one run every
    switch is On on the server, one row per publication; the two already On are `already` and never
    saved, each other one saved once; no neighbouring switch written. Then a publication made later:
    `verify` finds it (drifted, exit 1) and changes nothing; `verify --fix` switches it On, and only
    it; the kept session served every command."""
    subs = [f"letter-{n:02d}" for n in range(1, 14)]
    setup(cli, substack, objects=subs, opted_out_objects=["letter-04", "letter-12"])
    before = neighbours(substack)

    result = optout(cli, substack)
    state = account(substack)
    assert all(state["objects"].values()) and set(state["objects"]) == set(subs), result.stderr
    pubs = state["publications"]
    assert pubs["letter-04"]["saves"] == pubs["letter-12"]["saves"] == 0
    assert all(pubs[s]["saves"] == 1 for s in subs if s not in ("letter-04", "letter-12")), pubs
    assert_neighbours_untouched(substack, before)
    assert result.code == 0, result.stderr
    assert outcomes(result) == ["already"] * 2 + ["changed"] * 11, result.stdout
    assert {(r["before"], r["after"]) for r in rows(result) if r["outcome"] == "changed"} == {("off", "on")}

    substack.add_object(USER, "latecomer")
    before = neighbours(substack)
    result = optout(cli, substack, "verify")
    pubs = publications(substack)
    assert pubs["latecomer"]["block_ai_training"] is False and pubs["latecomer"]["saves"] == 0  # read-only
    assert sum(p["saves"] for p in pubs.values()) == 11
    assert result.code == 1, result.stderr
    assert outcomes(result) == ["drifted"] + ["ok"] * 13, result.stdout

    result = optout(cli, substack, "verify", "--fix")
    state = account(substack)
    assert all(state["objects"].values()) and len(state["objects"]) == 14, result.stderr
    assert state["publications"]["latecomer"]["saves"] == 1
    assert sum(p["saves"] for p in state["publications"].values()) == 12  # only the latecomer saved
    assert_neighbours_untouched(substack, before)
    assert result.code == 0, result.stderr
    assert outcomes(result) == ["changed"] + ["ok"] * 13, result.stdout
    assert substack.opted_out(USER) == {SETTING: True}
    assert state["sign_ins"] == 1


def test_pages_older_release_and_faults(cli, substack):
    """The dashboard in pages ("Next page"), the earlier layout ("Publication details", "Block AI
    training"), switches drawn late and replaced after render and after each save, a 503 once, a
    save failing once: every publication still switched On, neighbours untouched."""
    subs = [f"zine-{n:02d}" for n in range(1, 12)]
    setup(cli, substack, objects=subs)
    substack.configure(list_paging="pages", older_release=True, late_render_ms=1200, replace_node=True,
                       first_load_503=True, save_fails_once=True)
    before = neighbours(substack)
    result = optout(cli, substack)
    state = account(substack)
    assert all(state["objects"].values()) and len(state["objects"]) == 11, result.stderr
    assert_neighbours_untouched(substack, before)
    assert result.code == 0, result.stderr
    assert outcomes(result) == ["changed"] * 11, result.stdout


def test_save_never_persists_is_failed_session_ends_once_two_factor(cli, substack):
    """A two-factor code typed from the stored secret, twice (the session ends on the first settings
    page); then the page shows the switch On but the server keeps Off: "failed", never "changed"."""
    setup(cli, substack, objects=["stubborn"], totp_secret=TOTP)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=TOTP + "\n").code == 0
    substack.configure(save_never_persists=True, session_expired_once=True)
    before = neighbours(substack)
    result = optout(cli, substack)
    state = account(substack)
    assert state["publications"]["stubborn"]["block_ai_training"] is False
    assert state["publications"]["stubborn"]["saves"] >= 1, result.stderr
    assert state["sign_ins"] == 2 and state["failed_challenges"] == 0 and state["failed_logins"] == 0
    assert_neighbours_untouched(substack, before)
    assert result.code == 1, result.stderr
    [row] = rows(result)
    assert row["outcome"] == "failed" and row["after"] != "on", row


def test_none_link_only_wrong_password_missing_switch_and_code(cli, substack):
    """Five accounts in one run: no publication ("unavailable": the dashboard says so); a member who
    signs in only by an emailed link ("needs_human"); a wrong password (an error); a publication
    without the switch ("broken", never "unavailable": the md knows no member without it); a
    two-factor code with no stored secret ("needs_human"). Nothing saved anywhere."""
    setup(cli, substack, email="nopub@example.com", objects=[])
    setup(cli, substack, email="linkonly@example.com", objects=["linkonly"], signin="email_link")
    setup(cli, substack, email="typo@example.com", password="not-the-password", objects=["typo"])
    setup(cli, substack, email="hidden@example.com", objects=["hidden"], available=False)
    setup(cli, substack, email="twostep@example.com", objects=["twostep"], totp_secret=TOTP)
    before = {e: neighbours(substack, e) for e in ("linkonly@example.com", "typo@example.com",
                                                  "hidden@example.com", "twostep@example.com")}
    result = cli("run", PLATFORM, "--json", "--base-url", f"{PLATFORM}={substack.url}", timeout=900)
    accounts = substack.state()["accounts"]
    assert all(a["saves"] == 0 for a in accounts.values()), accounts
    for email, was in before.items():
        assert_neighbours_untouched(substack, was, email)
    assert accounts["nopub@example.com"]["publications"] == {}
    assert accounts["linkonly@example.com"]["links_sent"] >= 1 and accounts["linkonly@example.com"]["sign_ins"] == 0
    assert accounts["typo@example.com"]["failed_logins"] >= 1 and accounts["typo@example.com"]["sign_ins"] == 0
    twostep = accounts["twostep@example.com"]
    assert twostep["sign_ins"] == 0 and twostep["failed_challenges"] == 0
    assert result.code != 0, result.stderr
    by = {r["account"]: r for r in result.json()}
    assert by["nopub@example.com"]["outcome"] == "unavailable", by
    assert "no publications" in by["nopub@example.com"]["message"]
    assert by["linkonly@example.com"]["outcome"] == "needs_human", by["linkonly@example.com"]
    assert f"optout login {PLATFORM} linkonly@example.com" in by["linkonly@example.com"]["message"]
    assert by["typo@example.com"]["outcome"] not in ("changed", "already", "ok", "broken", "unavailable")
    assert [r["outcome"] for r in rows(result, "hidden@example.com")] == ["broken"]
    assert by["twostep@example.com"]["outcome"] == "needs_human", by["twostep@example.com"]


def test_password_behind_a_link_is_for_a_person(cli, substack):
    """The sign-in whose "Continue" always mails a link (the password only behind "Sign in with
    password"): the flow never guesses its way to a password page; unattended it is "needs_human",
    with the command a person runs. Nothing saved, the switch still Off."""
    setup(cli, substack, objects=["mailbox"])
    substack.configure(signin_mode="password_link")
    result = optout(cli, substack)
    state = account(substack)
    assert state["saves"] == 0 and state["sign_ins"] == 0 and state["failed_logins"] == 0
    assert state["links_sent"] == 1
    assert state["objects"] == {"mailbox": False}
    assert result.code != 0, result.stderr
    [row] = result.json()
    assert row["outcome"] == "needs_human", row
    assert f"optout login {PLATFORM} {USER}" in row["message"]


def test_settings_split_into_tabs_are_reached_through_the_privacy_tab(cli, substack):
    """Settings split into pages (the switch on the Privacy page, not on the page the dashboard
    links to): from each publication's page the flow clicks Privacy (`each.then`) and switches it
    on there; the neighbours stay as they were."""
    setup(cli, substack, objects=["tabbed"])
    substack.configure(privacy_tab=True)
    before = neighbours(substack)
    result = optout(cli, substack)
    state = account(substack)
    assert state["objects"] == {"tabbed": True}, (state, result.stderr)
    assert_neighbours_untouched(substack, before)
    assert result.code == 0, result.stderr
    [row] = rows(result)
    assert row["outcome"] == "changed", row
