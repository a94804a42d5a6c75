"""flows/tumblr.yaml end to end: the real CLI drives headless Chromium against the Tumblr replica.

Tumblr's switch is per blog, and opted out is the switch ON: the flow lists the account's blogs
(every batch of the settings menu) and ensures "Prevent third-party sharing for <blog>" on each.
Every verdict comes from the replica's server-side state (each blog's switches and save counters,
the account's save and sign-in counters), never from what optout prints; the printed outcome, the
`object` of each row and the exit code are checked beside it. The generic run → switch_back_on →
verify → verify --fix → verify cycle on the default one-blog account is tests/test_every_flow.py's.
"""

from __future__ import annotations

PLATFORM = "tumblr"
SETTING = "prevent-third-party-sharing"
USER = "alice@example.com"
PASSWORD = "Tumbl3-0ptout-pw!"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
KEY = "prevent_third_party_sharing"


def setup(cli, tumblr, password: str = PASSWORD, **account) -> None:
    tumblr.add_account(USER, PASSWORD, name="Alice Example", **account)
    result = cli("creds", "set", PLATFORM, USER, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, tumblr, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--base-url", f"{PLATFORM}={tumblr.url}", "--setting", SETTING,
               *extra, timeout=600)


def account(tumblr) -> dict:
    return tumblr.state()["accounts"][USER]


def by_object(result) -> dict[str, dict]:
    rows = result.json()
    assert all(r["setting"] == SETTING for r in rows), rows
    named = {r.get("object"): r for r in rows}
    assert len(named) == len(rows), rows  # one row per blog, each named
    return named


def others(blogs: dict) -> dict:
    """Every blog's other settings (Ask, Submissions, the other Visibility rows, Likes, Following)."""
    return {name: {k: v for k, v in blog.items() if k not in (KEY, "saves")} for name, blog in blogs.items()}


def test_every_blog_of_several_batches_then_a_blog_made_later(cli, tumblr):
    """23 blogs (three batches of the settings menu), two-step sign-in with a two-factor code:
    every blog's switch On on the server, one row per blog named after it; the blogs already On
    (discourage searching at creation, or set by the member) are `already` and never saved; no
    other switch of any blog is sent or changed. Then a blog made later: `verify` finds it
    (drifted, exit 1) and changes nothing; `verify --fix` switches it On, and only it."""
    blogs = [f"blog-{i:02d}" for i in range(1, 24)]
    setup(cli, tumblr, objects=blogs, discourage_searching=["blog-05"], prevented=["blog-17"],
          totp_secret=TOTP)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=TOTP + "\n").code == 0
    before = account(tumblr)
    assert before["objects"]["blog-05"] and before["objects"]["blog-17"]
    assert sum(before["objects"].values()) == 2

    result = optout(cli, tumblr)
    state = account(tumblr)
    assert all(tumblr.objects(USER).values()), result.stderr
    assert tumblr.opted_out(USER) == {SETTING: True}
    assert state["sign_ins"] == 1 and state["failed_logins"] == 0 and state["failed_challenges"] == 0
    assert others(state["blogs"]) == others(before["blogs"])  # neighbours untouched on the server
    assert state["blogs"]["blog-05"]["saves"] == 0 and state["blogs"]["blog-17"]["saves"] == 0
    assert state["saves"] == 21  # one save per blog that was Off: nothing else was ever sent
    assert result.code == 0, result.stderr
    rows = by_object(result)
    assert set(rows) == set(blogs), result.stderr
    assert {n for n, r in rows.items() if r["outcome"] == "already"} == {"blog-05", "blog-17"}
    assert {n for n, r in rows.items() if r["outcome"] == "changed"} == set(blogs) - {"blog-05", "blog-17"}
    assert all((r["before"], r["after"]) == ("off", "on") for n, r in rows.items()
               if r["outcome"] == "changed")

    tumblr.add_object(USER, "made-later")
    result = optout(cli, tumblr, "verify")
    state = account(tumblr)
    assert tumblr.objects(USER)["made-later"] is False  # verify alone changes nothing
    assert state["saves"] == 21
    assert result.code == 1, result.stderr
    rows = by_object(result)
    assert set(rows) == {*blogs, "made-later"}, result.stderr
    assert rows["made-later"]["outcome"] == "drifted"
    assert all(r["outcome"] == "ok" for n, r in rows.items() if n != "made-later")

    result = optout(cli, tumblr, "verify", "--fix")
    state = account(tumblr)
    assert all(tumblr.objects(USER).values()), result.stderr
    assert state["saves"] == 22 and state["blogs"]["made-later"]["saves"] == 1
    assert others({n: b for n, b in state["blogs"].items() if n != "made-later"}) == others(before["blogs"])
    assert result.code == 0, result.stderr
    rows = by_object(result)
    assert rows["made-later"]["outcome"] == "changed"
    assert all(r["outcome"] == "ok" for n, r in rows.items() if n != "made-later")


def test_one_blog_through_faults_then_already(cli, tumblr):
    """One blog; a one-page sign-in; the session ended at the first settings page, a 503 blog page
    once, a late render, the row replaced by a new node, the first save failing once: changed. Run
    again: already, nothing saved."""
    setup(cli, tumblr)  # the default: one blog named from the email
    tumblr.configure(login_one_page=True, session_expired_once=True, first_load_503=True,
                     late_render_ms=1500, replace_node=True, save_fails_once=True, delay_ms=100)
    before = account(tumblr)
    assert list(before["blogs"]) == ["alice"] and before["objects"] == {"alice": False}

    result = optout(cli, tumblr)
    state = account(tumblr)
    assert tumblr.objects(USER) == {"alice": True}, result.stderr
    assert state["sign_ins"] == 2  # signed in, sent back to the log-in once, signed in again
    assert others(state["blogs"]) == others(before["blogs"])
    assert state["saves"] == 2  # the one that failed, and the one that held
    assert result.code == 0, result.stderr
    row = by_object(result)["alice"]
    assert (row["outcome"], row["before"], row["after"]) == ("changed", "off", "on")

    tumblr.configure(login_one_page=False, late_render_ms=0, replace_node=False, delay_ms=0)
    again = optout(cli, tumblr)
    state = account(tumblr)
    assert tumblr.objects(USER) == {"alice": True}
    assert state["saves"] == 2, "a blog already On was saved again"
    assert others(state["blogs"]) == others(before["blogs"])
    assert again.code == 0, again.stderr
    row = by_object(again)["alice"]
    assert (row["outcome"], row["before"]) == ("already", "on")


def test_no_blog_is_unavailable(cli, tumblr):
    """The settings menu lists no blog (only "Create a new blog"): nothing to do, said so."""
    setup(cli, tumblr, objects=[])
    result = optout(cli, tumblr)
    state = account(tumblr)
    assert state["blogs"] == {} and state["saves"] == 0 and state["sign_ins"] == 1
    assert result.code == 0, result.stderr
    rows = result.json()
    assert len(rows) == 1 and rows[0]["outcome"] == "unavailable", rows
    assert "no blogs" in rows[0]["message"]


def test_save_that_never_persists_is_failed(cli, tumblr):
    """Two blogs; the page shows On, the server keeps Off: `failed` for each, never `changed`."""
    setup(cli, tumblr, objects=["alice", "alice-art"])
    tumblr.configure(save_never_persists=True)
    before = account(tumblr)
    result = optout(cli, tumblr)
    state = account(tumblr)
    assert tumblr.objects(USER) == {"alice": False, "alice-art": False}
    assert state["saves"] >= 2
    assert others(state["blogs"]) == others(before["blogs"])
    assert result.code == 1, result.stderr
    rows = by_object(result)
    assert set(rows) == {"alice", "alice-art"}
    assert all(r["outcome"] == "failed" for r in rows.values()), rows


def test_without_the_switch_is_broken_not_unavailable(cli, tumblr):
    """The blog page without the third-party row: the md gives no sign that Tumblr withholds the
    setting, so the missing switch is `broken` (with a bundle), never a quiet `unavailable`."""
    setup(cli, tumblr, available=False)
    before = account(tumblr)
    result = optout(cli, tumblr)
    state = account(tumblr)
    assert state["saves"] == 0 and tumblr.objects(USER) == {"alice": False}
    assert others(state["blogs"]) == others(before["blogs"])
    assert result.code != 0, result.stderr
    row = by_object(result)["alice"]
    assert row["outcome"] == "broken", row


def test_wrong_password_is_an_error_not_broken(cli, tumblr):
    setup(cli, tumblr, password="not-the-password")
    result = optout(cli, tumblr)
    state = account(tumblr)
    assert state["failed_logins"] >= 1 and state["sign_ins"] == 0
    assert state["saves"] == 0 and tumblr.objects(USER) == {"alice": False}
    assert result.code != 0
    assert all(r["outcome"] not in ("broken", "changed") for r in result.json()), result.stdout


def test_blog_pages_at_another_url_form_are_still_found_by_their_links(cli, tumblr):
    """The md calls the URL form of a blog's settings unsure; the flow follows the links the
    settings menu gives and names each blog from the link (`/settings/blog/NAME` or
    `/blog/NAME/settings`), never building a URL."""
    setup(cli, tumblr, objects=["alice", "alice-art"])
    tumblr.configure(deep_link_moved=True)
    result = optout(cli, tumblr)
    assert result.code == 0, result.stderr
    assert tumblr.objects(USER) == {"alice": True, "alice-art": True}
    assert sorted((r["object"], r["outcome"]) for r in result.json()) == [("alice", "changed"),
                                                                         ("alice-art", "changed")]
