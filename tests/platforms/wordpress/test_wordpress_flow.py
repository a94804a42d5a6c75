"""flows/wordpress.yaml end to end: the real CLI drives headless Chromium against the WordPress.com
replica.

One switch per site ("Prevent third-party sharing"; opted out = the switch ON). Every verdict comes
from the replica's server-side state (each site's switch, its neighbours — title, tagline,
visibility, "Discourage search engines" — its save counter, the sign-in counters), never from what
optout prints; the printed outcome, `object` and exit code are checked beside it. The generic
run → switch_back_on → verify → verify --fix → verify cycle on the default one-site account is
tests/test_every_flow.py's: not repeated here.
"""

from __future__ import annotations

PLATFORM = "wordpress"
SETTING = "prevent-third-party-sharing"
USER = "alice@example.com"
PASSWORD = "Pr3vent-sharing-pw!"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEIGHBOURS = ("title", "tagline", "visibility", "discourage_search_engines")


def setup(cli, wordpress, email: str = USER, password: str = PASSWORD, **account) -> None:
    wordpress.add_account(email, PASSWORD, **account)
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, wordpress, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--base-url", f"{PLATFORM}={wordpress.url}", "--setting", SETTING,
               *extra, timeout=600)


def sites(wordpress, email: str = USER) -> dict:
    return wordpress.state()["accounts"][email]["sites"]


def neighbours(wordpress, email: str = USER) -> dict:
    return {address: {k: site[k] for k in NEIGHBOURS} for address, site in sites(wordpress, email).items()}


def assert_neighbours_untouched(wordpress, before: dict, email: str = USER) -> None:
    """Title, tagline, visibility and "Discourage search engines" of every site as they were, and
    no save that changed any of them."""
    now = sites(wordpress, email)
    assert {a: {k: now[a][k] for k in NEIGHBOURS} for a in before} == before
    assert all(site["neighbours_changed"] == [] for site in now.values()), now


def rows_by_object(result, email: str = USER) -> dict[str, dict]:
    rows = [r for r in result.json() if r["account"] == email]
    assert all(r["setting"] == SETTING for r in rows), rows
    by = {r.get("object"): r for r in rows}
    assert len(by) == len(rows), rows  # one row per site, each named
    return by


def outcomes(result, email: str = USER) -> dict[str, str]:
    return {name: r["outcome"] for name, r in rows_by_object(result, email).items()}


def test_sites_in_batches_a_site_added_later_and_neighbours(cli, wordpress):
    """25 sites, listed 10 at a time behind "Load more": every site's switch On after one run,
    the two already On untouched (no save), no neighbour moved (one site discourages search
    engines, one is private). A site made later: `verify` says drifted for it alone (exit 1, nothing
    changed), `verify --fix` switches it On; a run after that saves nothing."""
    addresses = [f"site{n:02d}.wordpress.com" for n in range(1, 26)]
    setup(cli, wordpress, name="Alice Example", objects=addresses, discourage_search=[addresses[3]],
          prevented=[addresses[17]])
    before = neighbours(wordpress)
    assert before[addresses[3]]["discourage_search_engines"] is True

    result = optout(cli, wordpress)
    state = sites(wordpress)
    assert all(site["prevent_third_party_sharing"] for site in state.values()), result.stderr
    assert_neighbours_untouched(wordpress, before)
    assert state[addresses[3]]["saves"] == 0 and state[addresses[17]]["saves"] == 0
    assert all(state[a]["saves"] == 1 for a in addresses if a not in (addresses[3], addresses[17]))
    assert result.code == 0, result.stderr
    got = outcomes(result)
    assert set(got) == set(addresses), got  # every batch, each site named by its address
    assert got[addresses[3]] == got[addresses[17]] == "already"
    assert {got[a] for a in addresses if a not in (addresses[3], addresses[17])} == {"changed"}
    assert rows_by_object(result)[addresses[0]]["after"] == "on"

    wordpress.add_object(USER, "latecomer.wordpress.com")
    before = neighbours(wordpress)
    result = optout(cli, wordpress, "verify")
    state = sites(wordpress)
    assert state["latecomer.wordpress.com"]["prevent_third_party_sharing"] is False  # read-only
    assert state["latecomer.wordpress.com"]["saves"] == 0
    assert result.code == 1, result.stderr
    got = outcomes(result)
    assert got.pop("latecomer.wordpress.com") == "drifted"
    assert set(got) == set(addresses) and set(got.values()) == {"ok"}, got

    result = optout(cli, wordpress, "verify", "--fix")
    state = sites(wordpress)
    assert all(site["prevent_third_party_sharing"] for site in state.values()), result.stderr
    assert state["latecomer.wordpress.com"]["saves"] == 1
    assert_neighbours_untouched(wordpress, before)
    assert result.code == 0, result.stderr
    got = outcomes(result)
    assert got.pop("latecomer.wordpress.com") == "changed"
    assert set(got.values()) == {"ok"}, got
    assert wordpress.opted_out(USER) == {SETTING: True}
    assert wordpress.state()["accounts"][USER]["sign_ins"] == 1  # the kept session served


def test_sites_by_id_in_pages_with_faults(cli, wordpress):
    """Site URLs that name a numeric id (an address in the path is "Site not found"), the list in
    pages ("Next"), two sites a page; and a 503 once, a late-drawn Privacy card, nodes replaced
    after render and after each save, a save failing once: every site still switched On."""
    addresses = ["one.wordpress.com", "two.wordpress.com", "three.wordpress.com", "four.wordpress.com",
                 "five.wordpress.com"]
    setup(cli, wordpress, objects=addresses)
    wordpress.configure(site_path="id", site_list="pages", sites_per_page=2, first_load_503=True,
                        late_render_ms=1200, replace_node=True, save_fails_once=True)
    before = neighbours(wordpress)
    result = optout(cli, wordpress)
    state = sites(wordpress)
    assert all(site["prevent_third_party_sharing"] for site in state.values()), result.stderr
    assert_neighbours_untouched(wordpress, before)
    assert result.code == 0, result.stderr
    got = outcomes(result)
    assert set(got) == {str(site["id"]) for site in state.values()}, got  # named by their links
    assert set(got.values()) == {"changed"}, got


def test_two_step_sign_in_older_wording_and_autosave(cli, wordpress):
    """Username and password on one page, then an authenticator code (from the stored secret); the
    announcement's label "Prevent third-party data sharing"; a page that saves at once (no Save
    button). The one site switched On, its neighbours untouched."""
    setup(cli, wordpress, objects=["solo.wordpress.com"], totp_secret=TOTP)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=TOTP + "\n").code == 0
    wordpress.configure(one_page_signin=True, older_release=True, autosave=True)
    before = neighbours(wordpress)
    result = optout(cli, wordpress)
    account = wordpress.state()["accounts"][USER]
    assert account["sites"]["solo.wordpress.com"]["prevent_third_party_sharing"] is True, result.stderr
    assert account["sign_ins"] == 1 and account["failed_challenges"] == 0 and account["failed_logins"] == 0
    assert_neighbours_untouched(wordpress, before)
    assert result.code == 0, result.stderr
    row = rows_by_object(result)["solo.wordpress.com"]
    assert (row["outcome"], row["before"], row["after"]) == ("changed", "off", "on")


def test_save_never_persists_is_failed_and_session_ends_once(cli, wordpress):
    """The page shows the switch On but the server keeps Off: "failed", never "changed". The
    session ended on the first settings page: signed in again."""
    setup(cli, wordpress, objects=["stubborn.wordpress.com"])
    wordpress.configure(save_never_persists=True, session_expired_once=True)
    before = neighbours(wordpress)
    result = optout(cli, wordpress)
    account = wordpress.state()["accounts"][USER]
    site = account["sites"]["stubborn.wordpress.com"]
    assert site["prevent_third_party_sharing"] is False
    assert site["saves"] >= 1, result.stderr
    assert account["sign_ins"] == 2
    assert_neighbours_untouched(wordpress, before)
    assert result.code == 1, result.stderr
    row = rows_by_object(result)["stubborn.wordpress.com"]
    assert row["outcome"] == "failed" and row["after"] != "on"


def test_no_site_unavailable_missing_switch_broken_code_needs_human_wrong_password(cli, wordpress):
    """Four accounts in one run: no site at all ("unavailable": the list says so); a site
    without the switch ("broken", never "unavailable": the md knows no member without it); an
    authenticator code with no stored secret ("needs_human"); a wrong password (an error). Nothing
    saved anywhere."""
    setup(cli, wordpress, email="nosite@example.com", objects=[])
    setup(cli, wordpress, email="hidden@example.com", objects=["hidden.wordpress.com"], available=False)
    setup(cli, wordpress, email="typo@example.com", password="not-the-password",
          objects=["typo.wordpress.com"])
    setup(cli, wordpress, email="twostep@example.com", objects=["twostep.wordpress.com"], totp_secret=TOTP)
    result = cli("run", PLATFORM, "--json", "--base-url", f"{PLATFORM}={wordpress.url}", timeout=600)
    accounts = wordpress.state()["accounts"]
    assert accounts["nosite@example.com"]["sites"] == {} and accounts["nosite@example.com"]["saves"] == 0
    assert accounts["hidden@example.com"]["saves"] == 0
    assert accounts["hidden@example.com"]["sites"]["hidden.wordpress.com"]["neighbours_changed"] == []
    assert accounts["typo@example.com"]["saves"] == 0 and accounts["typo@example.com"]["sign_ins"] == 0
    assert accounts["typo@example.com"]["failed_logins"] >= 1
    assert accounts["typo@example.com"]["sites"]["typo.wordpress.com"]["prevent_third_party_sharing"] is False
    assert accounts["twostep@example.com"]["saves"] == 0 and accounts["twostep@example.com"]["sign_ins"] == 0
    assert accounts["twostep@example.com"]["failed_challenges"] == 0
    assert result.code != 0, result.stderr
    rows = {r["account"]: r for r in result.json()}
    assert rows["nosite@example.com"]["outcome"] == "unavailable", rows
    assert "no sites" in rows["nosite@example.com"]["message"]
    hidden = rows_by_object(result, "hidden@example.com")
    assert [r["outcome"] for r in hidden.values()] == ["broken"], hidden
    assert rows["typo@example.com"]["outcome"] not in ("changed", "already", "broken", "unavailable")
    assert rows["twostep@example.com"]["outcome"] == "needs_human", rows["twostep@example.com"]
    assert f"optout login {PLATFORM} twostep@example.com" in rows["twostep@example.com"]["message"]
