"""Schema 4 on a small synthetic site, through the command line in real headless Chromium: a setting
of every object of a list (`each`: blogs listed in batches, "Load more" or next-page links, zero,
one, several; a blog made later found by verify) and a control that is a <select> (read by its
chosen option, set by the option that says the wanted state). Judged from the site's server state.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask, jsonify, redirect, request

from optout import flow
from tests.replicas.server import ReplicaServer

USER = "blogger@example.com"
PASSWORD = "blogger-Secret-pw-4"
BATCH = 3

FLOW = {
    "schema": flow.SCHEMA_VERSION,
    "platform": "blogs",
    "title": "Blogs",
    "origins": ["https://blogs.invalid"],
    "signin": {
        "url": "/login",
        "username": [{"label": "Email"}], "password": [{"label": "Password"}],
        "submit": [{"role": "button", "name": ["Log in"], "exact": True}],
        "signed_in": [{"css": "nav#account"}], "signed_out": [{"url": "/login"}],
    },
    "settings": [
        {"id": "no-sharing", "title": "Prevent third-party sharing", "path": ["Settings", "Blog", "Sharing"],
         "kind": "switch", "want": "on",
         "each": {"what": "blogs", "list": [{"open": "/blogs"}],
                  "items": [{"role": "link", "within": ["Your blogs"]}],
                  "more": [{"role": "button", "name": ["Load more"], "exact": True},
                           {"role": "link", "name": ["Next page"], "exact": True}],
                  "none": [{"text": ["You don't have any blogs"], "contains": True}],
                  "name_pattern": "^/blog/([^/]+)/settings",
                  "then": [{"click": [{"role": "link", "name": ["Privacy"], "exact": True}]}]},
         "control": [{"role": "switch", "name": ["Prevent third-party sharing"], "contains": True}]},
        {"id": "training", "title": "Training", "path": ["Settings", "Training"], "kind": "switch", "want": "off",
         "deep_link": "/training",
         "control": [{"role": "combobox", "label": ["Allow training on my posts"]}],
         "state_from": ["aria-checked", "selected"],
         "state_text": {"on": ["Enabled"], "off": ["Disabled"]}},
    ],
}

PAGE = "<!doctype html><html><body><nav id='account'>{user}</nav><main>{body}</main>{script}</body></html>"


class BlogSite:
    def __init__(self, blogs: list[str]) -> None:
        self.lock = threading.Lock()
        self.blogs: dict[str, bool] = dict.fromkeys(blogs, False)  # name -> prevent sharing (opted out)
        self.paging = "more"
        self.tabbed = False  # each blog's switch one click further, on its Privacy tab
        self.training = "Enabled"
        self.writes: list[str] = []
        self.app = self._app()

    def _app(self) -> Flask:
        app = Flask("blogs")

        def page(body: str, script: str = "") -> str:
            return PAGE.format(user=html.escape(USER), body=body, script=script)

        def signed_in() -> bool:
            return request.cookies.get("sid") == "ok"

        @app.get("/login")
        def login() -> str:
            return ("<!doctype html><html><body><form method='post' action='/login'><label>Email <input name='u'>"
                    "</label><label>Password <input type='password' name='p'></label><button>Log in</button>"
                    "</form></body></html>")

        @app.post("/login")
        def do_login() -> Any:
            if request.form.get("u") != USER or request.form.get("p") != PASSWORD:
                return redirect("/login")
            response = redirect(request.cookies.get("next") or "/blogs")
            response.set_cookie("sid", "ok", httponly=True)
            return response

        def links(names: list[str]) -> str:
            # the link's text is the blog's title, not its name: the name comes from the URL (name_pattern)
            return "".join(f"<li><a href='/blog/{n}/settings'>{html.escape(n.title())} blog</a></li>" for n in names)

        @app.get("/blogs")
        def blogs() -> Any:
            if not signed_in():
                response = redirect("/login")
                response.set_cookie("next", "/blogs")
                return response
            names = list(self.blogs)
            if not names:
                return page("<h1>Your blogs</h1><p>You don't have any blogs yet.</p>")
            start = int(request.args.get("page", "0")) * BATCH if self.paging == "next" else 0
            shown = names[start:start + BATCH]
            more = ""
            if start + BATCH < len(names):
                # (the pager is drawn above and below the list, as many sites do: it matches twice)
                more = (f"<a href='/blogs?page={start // BATCH + 1}'>Next page</a>" * 2 if self.paging == "next"
                        else "<button type='button' id='more'>Load more</button>")
            script = ("<script>let at = BATCH; document.getElementById('more')?.addEventListener('click', async e => {"
                      "const r = await fetch('/api/blogs?from=' + at); const j = await r.json(); at += j.names.length;"
                      "for (const n of j.names) { const li = document.createElement('li'); const a = "
                      "document.createElement('a'); a.href = '/blog/' + n + '/settings'; a.textContent = n + ' blog'; "
                      "li.appendChild(a); document.getElementById('list').appendChild(li); }"
                      "if (!j.more) e.target.remove(); });</script>").replace("BATCH", str(BATCH))
            return page(f"<h1>Your blogs</h1><ul id='list'>{links(shown)}</ul>{more}", script)

        @app.get("/api/blogs")
        def more_blogs() -> Any:
            names = list(self.blogs)
            start = int(request.args["from"])
            return jsonify(names=names[start:start + BATCH], more=start + BATCH < len(names))

        @app.get("/blog/<name>/settings")
        def blog_settings(name: str) -> Any:
            if not signed_in():
                return redirect("/login")
            if name not in self.blogs:
                return "no such blog", 404
            if self.tabbed:
                return page(f"<h1>{html.escape(name)}</h1><a href='/blog/{name}/settings/privacy'>Privacy</a>")
            return blog_privacy(name)

        @app.get("/blog/<name>/settings/privacy")
        def blog_privacy(name: str) -> Any:
            if not signed_in():
                return redirect("/login")
            on = str(self.blogs[name]).lower()
            body = (f"<h1>{html.escape(name)}</h1><div><span id='l'>Prevent third-party sharing for "
                    f"{html.escape(name)}</span><button type='button' role='switch' aria-labelledby='l' "
                    f"aria-checked='{on}'></button></div>")
            script = ("<script>const s = document.querySelector('[role=switch]'); s.addEventListener('click', () => {"
                      "const on = s.getAttribute('aria-checked') !== 'true';"
                      "s.setAttribute('aria-checked', String(on));"
                      f"fetch('/blog/{name}/settings', "
                      "{method: 'POST', headers: {'Content-Type': 'application/json'},"
                      "body: JSON.stringify({on})}); });</script>")
            return page(body, script)

        @app.post("/blog/<name>/settings")
        def save_blog(name: str) -> Any:
            with self.lock:
                self.blogs[name] = bool(request.get_json()["on"])
                self.writes.append(name)
            return jsonify(ok=True)

        @app.get("/training")
        def training() -> Any:
            if not signed_in():
                response = redirect("/login")
                response.set_cookie("next", "/training")
                return response
            options = "".join(f"<option{' selected' if o == self.training else ''}>{o}</option>"
                              for o in ("Enabled", "Disabled"))
            body = f"<label>Allow training on my posts <select id='t'>{options}</select></label>"
            script = ("<script>document.getElementById('t').addEventListener('change', e => fetch('/training', "
                      "{method: 'POST', headers: {'Content-Type': 'application/json'}, "
                      "body: JSON.stringify({value: e.target.value})}));</script>")
            return page(body, script)

        @app.post("/training")
        def save_training() -> Any:
            with self.lock:
                self.training = request.get_json()["value"]
            return jsonify(ok=True)

        return app


@pytest.fixture
def blog_site(cli, tmp_path: Path) -> Iterator[Any]:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "blogs.yaml").write_text(yaml.safe_dump(FLOW), encoding="utf-8")
    cli.env["OPTOUT_FLOWS"] = str(flows)
    assert cli("creds", "set", "blogs", USER, "--password-stdin", input=PASSWORD + "\n").code == 0
    servers: list[ReplicaServer] = []

    def serve(blogs: list[str]) -> tuple[BlogSite, Any]:
        site = BlogSite(blogs)
        server = ReplicaServer(site.app)
        servers.append(server)

        def optout(*args: str, setting: str = "no-sharing") -> Any:
            return cli(*args[:1], "blogs", *args[1:], "--setting", setting, "--json",
                       "--base-url", f"blogs={server.url}")

        return site, optout

    yield serve
    for server in servers:
        server.close()


def test_every_blog_listed_in_batches_is_ensured_with_its_own_result(blog_site, cli):
    names = [f"blog{n}" for n in range(1, 8)]  # three batches behind "Load more"
    site, optout = blog_site(names)
    result = optout("run")
    assert result.code == 0, result.stderr
    rows = result.json()
    assert all(site.blogs.values()), site.blogs
    assert sorted(r["object"] for r in rows) == sorted(names)
    assert {r["outcome"] for r in rows} == {"changed"} and {r["after"] for r in rows} == {"on"}
    assert len({r["proof"] for r in rows}) == len(names)  # a proof each
    assert all(Path(r["proof"]).is_file() for r in rows)

    site.blogs["blog8"] = False  # a blog made later: found by the next verify
    drift = optout("verify")
    got = {r["object"]: r["outcome"] for r in drift.json()}
    assert drift.code == 1 and got == {**dict.fromkeys(names, "ok"), "blog8": "drifted"}, drift.stderr
    assert site.blogs["blog8"] is False  # verify alone changes nothing
    fixed = optout("verify", "--fix")
    assert {r["object"]: r["outcome"] for r in fixed.json()}["blog8"] == "changed", fixed.stderr
    assert all(site.blogs.values())
    # `status` keeps one line per blog: each its own history, its title naming the blog
    status = cli("status", "--json").json()
    titles = sorted(r["title"] for r in status if r["setting"] == "no-sharing")
    assert titles == sorted(f"Prevent third-party sharing — {n}" for n in [*names, "blog8"]), titles


def test_a_list_in_pages_and_a_single_blog(blog_site):
    site, optout = blog_site([f"page{n}" for n in range(1, 6)])
    site.paging = "next"  # separate pages behind "Next page" links
    result = optout("run")
    assert result.code == 0 and all(site.blogs.values()), (site.blogs, result.stdout)
    assert len(result.json()) == 5

    one, optout_one = blog_site(["only"])
    result = optout_one("run")
    assert [(r["object"], r["outcome"]) for r in result.json()] == [("only", "changed")] and one.blogs["only"]
    again = optout_one("run")
    assert [r["outcome"] for r in again.json()] == ["already"] and one.writes == ["only"]  # no second save


def test_a_blogs_switch_one_tab_further_is_reached_by_then(blog_site):
    site, optout = blog_site(["tabbed-a", "tabbed-b"])
    site.tabbed = True
    result = optout("run")
    assert result.code == 0 and all(site.blogs.values()), (site.blogs, result.stdout)
    assert sorted(r["object"] for r in result.json()) == ["tabbed-a", "tabbed-b"]


def test_links_that_read_the_same_are_named_by_host_or_path():
    from optout.each import _distinct

    assert _distinct([("Settings", "https://a.example.com/s"), ("Settings", "https://b.example.com/s"),
                      ("Other", "https://c.example.com/s")]) == [
        ("a.example.com", "https://a.example.com/s"), ("b.example.com", "https://b.example.com/s"),
        ("Other", "https://c.example.com/s")]
    assert [n for n, _ in _distinct([("Settings", "http://h/pub/a/s"), ("Settings", "http://h/pub/b/s")])] == [
        "/pub/a/s", "/pub/b/s"]


def test_an_account_with_no_blog_is_unavailable_with_that_reason(blog_site):
    site, optout = blog_site([])
    result = optout("run")
    rows = result.json()
    assert result.code == 0 and [r["outcome"] for r in rows] == ["unavailable"], result.stderr
    assert "no blogs" in rows[0]["message"] and "object" not in rows[0]


def test_a_select_is_read_by_its_chosen_option_and_set_by_the_one_that_says_off(blog_site):
    site, optout = blog_site(["x"])
    result = optout("run", setting="training")
    row = result.json()[0]
    assert site.training == "Disabled" and (row["before"], row["after"], row["outcome"]) == ("on", "off", "changed")
    assert optout("verify", setting="training").json()[0]["outcome"] == "ok"


def test_each_excludes_a_deep_link_and_selected_needs_words(tmp_path: Path):
    bad = yaml.safe_load(yaml.safe_dump(FLOW))
    bad["settings"][0]["deep_link"] = "/blogs"
    del bad["settings"][1]["state_text"]
    path = tmp_path / "blogs.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(flow.FlowError) as raised:
        flow.load_file(path)
    assert "settings.0" in str(raised.value) and "settings.1" in str(raised.value), raised.value
