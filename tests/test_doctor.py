"""`optout doctor` finds what would break a run, before a run does (real Chromium, real files)."""

from __future__ import annotations

from pathlib import Path


def lines(result) -> dict[str, str]:
    """check name -> its whole line, from the doctor's output."""
    found = {}
    for line in result.stdout.splitlines():
        status, _, rest = line.partition("  ")
        found[rest.split(":", 1)[0].strip()] = line
    return found


def test_a_healthy_setup_is_ok_with_the_warnings_that_apply(cli):
    result = cli("doctor")
    assert result.code == 0, result.stdout + result.stderr
    shown = lines(result)
    assert shown["browser"].startswith("ok") and "Chromium" in shown["browser"] and "ChromeDriver" in shown["browser"]
    for name in ("flows", "home", "accounts", "ledger"):
        assert shown[name].startswith("ok"), shown[name]
    # the test keyring is a plaintext file, and the tests have no display: both said, neither fatal
    assert shown["keyring"].startswith("warn") and "NOT encrypted" in shown["keyring"]
    assert shown["display"].startswith("warn") and "optout login" in shown["display"]


def test_a_driver_that_does_not_start_the_browser_is_found(cli):
    cli.env["OPTOUT_CHROMEDRIVER"] = "/bin/true"
    result = cli("doctor")
    assert result.code == 2
    assert lines(result)["browser"].startswith("FIX"), result.stdout


def test_an_invalid_accounts_file_is_found(cli):
    cli.home.mkdir(parents=True, exist_ok=True)
    (cli.home / "accounts.yaml").write_text("linkedin: [unclosed\n")
    result = cli("doctor")
    assert result.code == 2
    assert lines(result)["accounts"].startswith("FIX") and "accounts.yaml" in lines(result)["accounts"]


def test_a_corrupt_ledger_is_found(cli):
    cli.home.mkdir(parents=True, exist_ok=True)
    (cli.home / "ledger.sqlite3").write_bytes(b"this is not a database, just bytes " * 200)
    result = cli("doctor")
    assert result.code == 2
    assert lines(result)["ledger"].startswith("FIX"), result.stdout


def test_an_unwritable_home_is_found(cli, tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cli.env["OPTOUT_HOME"] = str(blocker / "optout")  # a folder cannot be made under a file, even as root
    result = cli("doctor")
    assert result.code == 2
    assert lines(result)["home"].startswith("FIX"), result.stdout
    assert "Traceback" not in result.stderr
