"""Bad input gets one line that says what to do, the right exit code, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine_site.helpers import SWITCH, base_url

USER = "alice@example.com"


def assert_one_line_error(result, code: int, *words: str) -> None:
    assert result.code == code, (result.code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("optout:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_malformed_flow_file_names_file_key_and_reason(cli, tmp_path: Path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "broken.yaml").write_text(
        "schema: 4\nplatform: broken\ntitle: Broken\norigins: ['https://example.com']\n"
        "signin: {url: /login, username: [{css: '#u'}], password: [{css: '#p'}], submit: [{css: 'button'}],\n"
        "         signed_in: [{url: /home}], signed_out: [{url: /login}]}\n"
        "settings:\n  - {id: x, title: X, path: [X], kind: switch, want: off, deep_link: /x,\n"
        "     control: [{role: toggle, name: X}]}\n")
    cli.env["OPTOUT_FLOWS"] = str(flows)
    result = cli("list")
    assert_one_line_error(result, 2, "broken.yaml", "settings.0.control.0.role")


def test_flow_file_that_is_not_yaml(cli, tmp_path: Path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "bad.yaml").write_text("schema: 4\nplatform: [unclosed\n")
    cli.env["OPTOUT_FLOWS"] = str(flows)
    assert_one_line_error(cli("list"), 2, "bad.yaml", "line")


@pytest.mark.parametrize("value", ["linkedin", "linkedin=ftp://x", "linkedin=http://", "nosuch=http://127.0.0.1:1",
                                   "linkedin=http://127.0.0.1:1/some/path"])
def test_bad_base_url(cli, value):
    cli("account", "linkedin", USER)
    assert_one_line_error(cli("run", "linkedin", "--base-url", value), 2, "base-url" if "nosuch" not in value
                          else "nosuch")


def test_missing_credentials(cli, sample):
    sample.add_account(USER, "whatever-1", name="Alice")
    cli("account", "sample", USER)
    result = cli("run", "sample", "--setting", SWITCH, "--base-url", base_url(sample))
    assert_one_line_error(result, 2, "optout creds set sample")
    assert sample.state()["accounts"][USER]["sign_ins"] == 0


def test_no_keyring_backend(cli):
    cli.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = cli("creds", "set", "linkedin", USER, "--password-stdin", input="pw-123456\n")
    assert_one_line_error(result, 2, "keyring")


def test_wrong_chromium_path(cli):
    cli("account", "linkedin", USER)
    cli.env["OPTOUT_CHROMIUM"] = "/nonexistent/chromium"
    result = cli("run", "linkedin", "--base-url", "linkedin=http://127.0.0.1:9")
    assert_one_line_error(result, 2, "OPTOUT_CHROMIUM")


def test_run_without_selection(cli):
    assert_one_line_error(cli("run"), 2, "--all")


def test_run_all_without_accounts(cli):
    assert_one_line_error(cli("run", "--all"), 2, "creds set")


def test_unknown_platform(cli):
    assert_one_line_error(cli("run", "nosuch"), 2, "nosuch")


def test_an_unreadable_home_is_one_line(cli, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where OPTOUT_HOME should be a folder")
    cli.env["OPTOUT_HOME"] = str(blocker)
    result = cli("status")
    assert result.code == 2, result.stderr
    assert "OPTOUT_HOME" in result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("optout:")]) == 1
