"""The command line's plain paths: list, creds, accounts, and the README naming every command."""

from __future__ import annotations

import re

from tests.conftest import ROOT

USER = "alice@example.com"


def test_list_prints_settings_and_click_paths(cli):
    text = cli("list")
    assert text.code == 0
    assert "genai-training" in text.stdout and "objection-form" in text.stdout
    assert "Me → Settings & Privacy → Data privacy" in text.stdout
    rows = cli("list", "--json").json()
    genai = next(r for r in rows if r["setting"] == "genai-training")
    assert genai["deep_link"] == "/mypreferences/d/settings/data-for-ai-improvement"
    assert genai["kind"] == "switch" and genai["want"] == "off"


def test_creds_round_trip_and_accounts_file(cli):
    assert cli("creds", "set", "linkedin", USER, "--password-stdin", input="pw-roundtrip-1\n").code == 0
    assert cli("creds", "totp", "linkedin", USER, "--secret-stdin", input="jbsw y3dp ehpk 3pxp\n").code == 0
    assert cli("account", "linkedin", USER, "--set", "name=Alice Example").code == 0
    accounts = (cli.home / "accounts.yaml").read_text()
    assert USER in accounts and "Alice Example" in accounts
    assert "pw-roundtrip-1" not in accounts and "JBSW" not in accounts.upper()
    assert (cli.home / "accounts.yaml").stat().st_mode & 0o077 == 0
    removed = cli("creds", "remove", "linkedin", USER)
    assert removed.code == 0, removed.stderr
    assert USER not in (cli.home / "accounts.yaml").read_text()
    again = cli("creds", "remove", "linkedin", USER)
    assert again.code == 2


def test_bad_totp_secret_is_refused(cli):
    result = cli("creds", "totp", "linkedin", USER, "--secret-stdin", input="not base32 !!\n")
    assert result.code == 2 and "Traceback" not in result.stderr


def test_readme_names_every_command():
    readme = (ROOT / "README.md").read_text()
    from click import Group

    from optout.cli import main

    def commands(group: Group, prefix: str) -> list[str]:
        names = []
        for name, command in group.commands.items():
            names.append(f"{prefix} {name}")
            if isinstance(command, Group):
                names.extend(commands(command, f"{prefix} {name}"))
        return names

    missing = [c for c in commands(main, "optout") if not re.search(re.escape(c) + r"\b", readme)]
    assert not missing, f"README.md does not show: {missing}"
