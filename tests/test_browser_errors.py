"""Selenium's exceptions become optout's at one boundary, the cause kept: chained as __cause__,
logged at debug (so `--verbose` shows it) while the error itself stays one line. Only the browser
modules import Selenium, and the optional undetected backend is imported only when asked for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.common.exceptions import (
    InvalidSessionIdException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)

from optout.backends import BrowserOptions, remote
from optout.browser import translated
from optout.errors import BrowserSetupError, OptoutError, Transient
from tests.engine_site.helpers import PLATFORM, SWITCH, account_state, base_url, setup_account
from tests.test_backends import assert_one_line_error, free_port, last_line

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("raised", "expected", "said"), [
    (StaleElementReferenceException("gone"), Transient, "clicking: the element changed under us"),
    (TimeoutException("slow"), Transient, "clicking: the browser timed out"),
    (WebDriverException("unknown error: net::ERR_CONNECTION_REFUSED\n  (Session info: chrome)"), Transient,
     "clicking: unknown error: net::ERR_CONNECTION_REFUSED"),
    (InvalidSessionIdException("invalid session id"), OptoutError, "clicking: the browser window was closed"),
    (WebDriverException("unknown error: cannot focus element"), OptoutError, "clicking: unknown error: cannot focus"),
])
def test_a_translated_error_keeps_its_selenium_cause(raised, expected, said):
    with pytest.raises(expected) as caught, translated("clicking"):
        raise raised
    assert type(caught.value) is expected
    assert str(caught.value).startswith(said) and "\n" not in str(caught.value)
    assert caught.value.__cause__ is raised


def test_optout_errors_pass_through_untouched():
    mine = Transient("a 503 page")
    with pytest.raises(Transient) as caught, translated("opening"):
        raise mine
    assert caught.value is mine


def test_a_backend_that_cannot_start_keeps_its_cause():
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    with pytest.raises(BrowserSetupError) as caught:
        remote.start(BrowserOptions(backend="remote", remote_url=url))
    assert str(caught.value).startswith(f"no remote WebDriver answers at {url}")
    assert caught.value.__cause__ is not None


def _cause_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "caused by" in line]


def test_verbose_shows_the_cause_of_a_closed_port(cli, sample):
    setup_account(cli, sample)
    url = f"http://127.0.0.1:{free_port()}"
    args = ("run", PLATFORM, "--browser", "remote", "--remote-url", url, "--base-url", base_url(sample),
            "--setting", SWITCH)
    result = cli("--verbose", *args)
    assert_one_line_error(result, f"no remote WebDriver answers at {url}")
    causes = _cause_lines(result.stderr)
    assert causes and re.search(r"caused by \w*(MaxRetryError|Connection\w*Error)", causes[0]), result.stderr
    assert not last_line(result.stderr).count("caused by")  # the one line stays one line
    assert _cause_lines(cli(*args).stderr) == []  # without --verbose: the one line only
    assert account_state(sample)["training"] is True


def test_verbose_shows_the_cause_of_a_bad_chromedriver(cli, sample):
    setup_account(cli, sample)
    cli.env["OPTOUT_CHROMEDRIVER"] = "/bin/true"  # executable, and no chromedriver at all
    result = cli("--verbose", "run", PLATFORM, "--base-url", base_url(sample), "--setting", SWITCH)
    assert_one_line_error(result, "did not start through /bin/true")
    causes = _cause_lines(result.stderr)
    assert causes and "caused by WebDriverException" in causes[0], result.stderr
    assert account_state(sample)["training"] is True


def test_only_the_browser_modules_import_selenium():
    allowed = {ROOT / "optout" / "browser.py", *(ROOT / "optout" / "backends").glob("*.py")}
    importing = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "optout").rglob("*.py"))
                 if path not in allowed and re.search(r"^\s*(from|import)\s+(selenium|undetected_chromedriver)\b",
                                                       path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert importing == []


def test_importing_the_page_api_loads_neither_selenium_nor_the_optional_backend():
    code = ("import sys, optout.browser, optout.backends; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('selenium', 'undetected_chromedriver')"
            " or m == 'optout.backends.undetected'))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "[]"
