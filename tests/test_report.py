"""The HTML proof report: what it says, that it escapes, that it checks screenshots, and what a person sees."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from optout import config, proof
from optout.errors import OptoutError
from optout.ledger import Ledger, Result, iso_utc
from optout.report import build_report, default_report_path
from optout.views import status_rows

ROOT = Path(__file__).resolve().parents[1]
DOCS_SHOT = ROOT / "docs" / "report.png"
T0 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.org"
HOSTILE = "<script>alert('owned')</script> & the switch was not found"
CASE = "LI-2026-0042"


# -- a ledger with a history -----------------------------------------------------------------------


def page_png(state: str | None, colour: str) -> bytes:
    """A small stand-in for a settings page: a title bar and a switch drawn on or off."""
    image = Image.new("RGB", (640, 360), "#f3f2ef")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 639, 48), fill=colour)
    draw.text((20, 90), "Use my data for training content creation AI models", fill="black")
    if state is not None:
        knob = 540 if state == "on" else 500
        draw.rounded_rectangle((490, 80, 570, 110), radius=15, fill="#057642" if state == "on" else "#8c8c8c")
        draw.ellipse((knob, 82, knob + 26, 108), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class History:
    ledger: Ledger
    proofs: dict[str, Path] = field(default_factory=dict)  # a name given below -> its file


def add(
    h: History, platform: str, account: str, setting: str, outcome: str, at: datetime, *,
    before: str | None = None, after: str | None = None, message: str = "", command: str = "run",
    details: dict | None = None, shot: str | None = None, reuse: str | None = None, colour: str = "#0a66c2",
) -> None:
    path = sha = None
    if shot is not None:  # a fresh screenshot, annotated and hashed the way the runner does it
        saved = proof.save_proof(page_png(after, colour), platform=platform, account=account, setting=setting,
                                 outcome=outcome, state=after, url=f"https://{platform}.example/settings", at=at)
        h.proofs[shot] = saved.path
        path, sha = str(saved.path), saved.sha256
    elif reuse is not None:  # a form's later check points at the proof of its submission
        path, sha = str(h.proofs[reuse]), proof.sha256_file(h.proofs[reuse])
    h.ledger.record(Result(platform, account, setting, outcome, before, after, path, sha, iso_utc(at),
                           message, details or {}, command))


def populate(ledger: Ledger) -> History:
    """Three accounts on two platforms: a drifted-then-fixed switch, a form with its case, a broken page."""
    h = History(ledger)
    day = timedelta(days=1)
    li = "linkedin"
    add(h, li, ALICE, "genai-training", "changed", T0, before="on", after="off", shot="g1", message="switched off")
    add(h, li, ALICE, "genai-training", "ok", T0 + 7 * day, before="off", after="off", command="verify", shot="g2")
    add(h, li, ALICE, "genai-training", "drifted", T0 + 14 * day, before="on", after="on", command="verify",
        shot="g3", colour="#b24020", message="found on again after a policy update")
    add(h, li, ALICE, "genai-training", "changed", T0 + 14 * day + timedelta(hours=1), before="on", after="off",
        command="verify", shot="g4", message="switched back off (--fix)")
    add(h, li, ALICE, "genai-training", "ok", T0 + 21 * day, before="off", after="off", command="verify", shot="g5")
    sent = {"case": CASE, "sent_at": iso_utc(T0 + timedelta(minutes=5))}
    add(h, li, ALICE, "objection-form", "changed", T0 + timedelta(minutes=5), shot="f1", details=sent,
        message=f"sent, reference {CASE}")
    add(h, li, ALICE, "objection-form", "ok", T0 + 21 * day + timedelta(minutes=5), reuse="f1", details=sent,
        command="verify", message=f"sent {sent['sent_at']}, reference {CASE}; not sent again")
    add(h, li, BOB, "genai-training", "broken", T0 + 21 * day + timedelta(minutes=10), shot="b1",
        colour="#666666", message=HOSTILE)
    add(h, "examplesite", CAROL, "ai-training", "changed", T0 + 19 * day, before="on", after="off", shot="c1")
    add(h, "examplesite", CAROL, "chat-history", "needs_human", T0 + 21 * day,
        message="the site asks for a code: run `optout login examplesite carol@example.org`")
    return h


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[History]:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path / "home"))
    with Ledger(config.ledger_path()) as ledger:
        yield populate(ledger)


def tamper(path: Path) -> None:
    """Swap a screenshot for another valid PNG, as someone faking the proof would."""
    path.write_bytes(page_png("on", "#ff00ff"))


# -- reading the page back --------------------------------------------------------------------------

VOID = {"meta", "img", "br", "link", "input", "hr", "wbr"}


class Page(HTMLParser):
    """A strict reading: every element closed in order, plus the images, ids and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.images: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"never closed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if "id" in values:
            if values["id"] in self.ids:
                self.errors.append(f"id used twice: {values['id']}")
            self.ids.add(values["id"])
        if tag == "img":
            self.images.append(values)
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def read(path: Path) -> Page:
    page = Page(path.read_text(encoding="utf-8"))
    assert page.errors == []
    return page


def decode(src: str) -> bytes:
    head, _, payload = src.partition(",")
    assert head == "data:image/png;base64", head
    return base64.b64decode(payload, validate=True)


# -- the page ---------------------------------------------------------------------------------------


def test_report_is_one_page_with_embedded_pngs_and_every_setting(history: History, tmp_path: Path) -> None:
    out = build_report(history.ledger, tmp_path / "out" / "report.html", now=NOW)
    page = read(out)
    assert out.stat().st_mode & 0o777 == 0o600  # it shows account pages, like the proofs
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in out.read_text()  # phones
    assert not (tmp_path / "out" / "report_files").exists()
    # one figure per distinct screenshot: the form's later check reuses its submission's proof
    assert len(page.images) == len(history.proofs) == 8
    recorded = {proof.sha256_file(p) for p in history.proofs.values()}
    for img in page.images:
        data = decode(img["src"])
        assert hashlib.sha256(data).hexdigest() in recorded  # the very bytes that were hashed
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and image.width >= 480
    text = page.all_text
    assert "Ledger integrity: chain intact" in text
    for shown in ("Data for Generative AI Improvement", "genai-training", "Data Processing Objection Form",
                  "ai-training", "chat-history", ALICE, BOB, CAROL, f"case: {CASE}"):
        assert shown in text
    assert "Opted out since 2026-11-15 11:00 UTC (7 days)" in text  # the fix, not the first change
    assert "Needs attention since 2026-11-22 10:10 UTC" in text
    assert "Pending since 2026-11-22 10:00 UTC" in text
    assert "5 settings 3 opted out 1 pending 1 need attention 10 checks 8 screenshots" in text
    assert "does not match" not in text
    # nothing on the page may reach the network
    assert all(link.startswith("#") for link in page.links)
    assert "http://" not in out.read_text() and "https://" not in out.read_text()


def test_history_is_newest_first_with_commands(history: History, tmp_path: Path) -> None:
    text = read(build_report(history.ledger, tmp_path / "r.html", now=NOW)).all_text
    alice = text[text.index("Data for Generative AI Improvement"):text.index("Data Processing Objection Form")]
    times = ["2026-11-22 10:00:00 UTC verify ok", "2026-11-15 11:00:00 UTC verify changed",
             "2026-11-15 10:00:00 UTC verify drifted", "2026-11-08 10:00:00 UTC verify ok",
             "2026-11-01 10:00:00 UTC run changed"]
    positions = [alice.index(t) for t in times]
    assert positions == sorted(positions)
    assert "found on again after a policy update" in alice
    # the form's later check points at the screenshot of its submission, captioned as such, once
    form = text[text.index("Data Processing Objection Form"):text.index(BOB)]
    assert form.count("Screenshots changed 2026-11-01 10:05 UTC file matches its SHA-256") == 1


def test_messages_are_escaped(history: History, tmp_path: Path) -> None:
    out = build_report(history.ledger, tmp_path / "r.html", now=NOW)
    page = read(out)
    assert "script" not in page.tags
    assert HOSTILE in page.all_text  # shown to the reader as the text it is
    assert "<script>" not in out.read_text()


def test_tampered_screenshot_does_not_match_and_breaks_integrity(history: History, tmp_path: Path) -> None:
    tamper(history.proofs["c1"])
    history.proofs["g1"].unlink()
    page = read(build_report(history.ledger, tmp_path / "r.html", now=NOW))
    text = page.all_text
    assert "Ledger integrity: 2 problems found" in text
    assert "screenshot changed" in text and "screenshot missing" in text
    assert text.count("file does not match its SHA-256") == 1  # under its thumbnail
    assert text.count("✗ does not match") == 1  # in its history row
    assert "file now " + proof.sha256_file(history.proofs["c1"]) in text
    assert "screenshot missing" in text and "file missing" in text
    assert "2 screenshots missing or changed" in text
    assert len(page.images) == 7  # the missing one has nothing to show


def test_no_embed_copies_screenshots_beside_the_page(history: History, tmp_path: Path) -> None:
    out = build_report(history.ledger, tmp_path / "my report.html", embed=False, now=NOW)
    page = read(out)
    folder = tmp_path / "my report_files"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{proof.sha256_file(p)[:20]}.png" for p in history.proofs.values())
    for img in page.images:
        assert img["src"].startswith("my%20report_files/")
        copy = folder / img["src"].split("/", 1)[1]
        assert proof.sha256_file(copy).startswith(copy.stem)  # named by, and holding, the proof's bytes
    assert 'src="data:' not in out.read_text()


def test_status_rows_and_default_path(history: History) -> None:
    tamper(history.proofs["c1"])
    rows = {(r["platform"], r["account"], r["setting"]): r for r in status_rows(history.ledger)}
    assert len(rows) == 5
    alice = rows[("linkedin", ALICE, "genai-training")]
    assert (alice["outcome"], alice["since"], alice["last_checked"], alice["checks"]) == (
        "ok", "2026-11-15T11:00:00Z", "2026-11-22T10:00:00Z", 5)
    assert alice["title"] == "Data for Generative AI Improvement" and alice["proof_check"] == "matches"
    assert alice["proof"] == str(history.proofs["g5"])
    latest = history.ledger.latest("linkedin", ALICE, "genai-training")[0].to_json()
    assert alice.items() >= latest.items()  # `status --json` keeps every field of the --json contract
    assert rows[("linkedin", BOB, "genai-training")]["tone"] == "bad"
    assert rows[("examplesite", CAROL, "ai-training")]["proof_check"] == "does not match"
    assert rows[("examplesite", CAROL, "chat-history")]["proof_check"] == "no screenshot"
    assert default_report_path() == config.home() / "report.html"


def test_unwritable_target_is_one_error(history: History, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(OptoutError, match="cannot write the report"):
        build_report(history.ledger, tmp_path / "taken", now=NOW)


def test_empty_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    with Ledger(config.ledger_path()) as ledger:
        text = read(build_report(ledger, default_report_path())).all_text
        assert status_rows(ledger) == []
    assert "Nothing recorded yet" in text and "chain intact" in text and "0 settings" in text


# -- what a person sees -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from optout import browser

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try the network
    options = Options()
    options.binary_location = browser.chromium_path()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--window-size=1100,900", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(browser.chromedriver_path()), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, what: str):  # noqa: ANN001, ANN201 - selenium's own loose types
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 10, poll_frequency=0.05).until(lambda d: condition(d), message=what)


def test_a_person_sees_the_report_in_chromium(
    history: History, tmp_path: Path, chromium, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    from selenium.webdriver.common.by import By

    monkeypatch.setenv("HOME", str(tmp_path))  # paths under it show as "~/…" (and so in docs/report.png)
    driver = chromium
    driver.set_window_size(1100, 900)
    out = build_report(history.ledger, tmp_path / "report.html", now=NOW)
    driver.get(out.as_uri())
    assert driver.title.startswith("optout report")
    header = driver.find_element(By.TAG_NAME, "header").text
    assert "Generated 2026-11-22 12:00 UTC · ledger ~/home/ledger.sqlite3" in header
    integrity = driver.find_element(By.ID, "integrity")
    assert integrity.is_displayed() and integrity.text.startswith("Ledger integrity: chain intact")
    body = driver.find_element(By.TAG_NAME, "body").text
    for shown in ("Data for Generative AI Improvement", "genai-training", "Data Processing Objection Form",
                  "Opted out since 2026-11-15 11:00 UTC (7 days)", HOSTILE, f"case: {CASE}"):
        assert shown in body
    badges = [b.text for b in driver.find_elements(By.CSS_SELECTOR, ".setting > .state .badge")]
    assert badges == ["changed", "needs_human", "ok", "ok", "broken"]  # sorted by platform, account, setting
    colours = {b.text: b.value_of_css_property("background-color")
               for b in driver.find_elements(By.CSS_SELECTOR, ".setting > .state .badge")}
    assert colours["ok"] == "rgba(22, 101, 52, 1)" and colours["broken"] == "rgba(153, 27, 27, 1)"
    assert colours["needs_human"] == "rgba(146, 64, 14, 1)"

    images = driver.find_elements(By.CSS_SELECTOR, "figure.proof img")
    assert len(images) == 8
    wait(driver, lambda d: all(d.execute_script("return arguments[0].complete", i) for i in images), "images load")
    assert all(int(i.get_property("naturalWidth")) >= 480 for i in images)  # really decoded, not broken

    # a thumbnail opens the full-size view, and Close brings the page back
    thumb = images[-1]
    figure = thumb.find_element(By.XPATH, "./ancestor::figure")
    assert thumb.get_property("clientWidth") < 200
    driver.execute_script("arguments[0].scrollIntoView()", thumb)
    thumb.click()
    wait(driver, lambda d: figure.value_of_css_property("position") == "fixed", "the lightbox opens")
    assert driver.execute_script("return location.hash") == "#" + figure.get_attribute("id")
    assert thumb.get_property("clientWidth") == thumb.get_property("naturalWidth")  # full size, not the thumbnail
    close = figure.find_element(By.CSS_SELECTOR, "a.close")
    assert close.is_displayed()
    close.click()
    wait(driver, lambda d: figure.value_of_css_property("position") != "fixed", "the lightbox closes")

    # on a phone: nothing wider than the screen
    driver.set_window_size(400, 860)
    wait(driver, lambda d: d.execute_script("return innerWidth") <= 400, "the narrow window")
    assert driver.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    # and the history reads as stacked rows there, with no sideways scrolling inside the tables either
    assert driver.execute_script(
        "return [...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)")

    if os.environ.get("OPTOUT_UPDATE_DOCS") == "1":
        driver.set_window_size(1000, 900)
        driver.get(out.as_uri())
        # the whole page in one picture: the window's own bars are added to the page's height
        height, bars = driver.execute_script(
            "return [document.documentElement.scrollHeight, outerHeight - innerHeight]")
        driver.set_window_size(1000, min(height, 5000) + bars)
        DOCS_SHOT.parent.mkdir(exist_ok=True)
        assert driver.save_screenshot(str(DOCS_SHOT))


def test_linked_screenshots_load_in_chromium(history: History, tmp_path: Path, chromium) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    out = build_report(history.ledger, tmp_path / "linked report.html", embed=False, now=NOW)
    chromium.get(out.as_uri())
    images = chromium.find_elements(By.CSS_SELECTOR, "figure.proof img")
    assert len(images) == 8
    wait(chromium, lambda d: all(d.execute_script("return arguments[0].complete", i) for i in images), "load")
    assert all(int(i.get_property("naturalWidth")) >= 480 for i in images)  # the relative links resolve
