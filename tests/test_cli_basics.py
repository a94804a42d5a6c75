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
    # each setting's confidence (shared/platforms/README.md's rating), in both forms
    assert all(r["confidence"] in ("high", "medium", "low") for r in rows), rows
    assert genai["confidence"] == "high" and "confidence high" in text.stdout


def test_the_results_table_groups_by_platform(capsys):
    from optout.cli.output import print_results
    from optout.ledger import Result

    def row(platform: str, setting: str) -> Result:
        return Result(platform=platform, account="a@example.com", setting=setting, outcome="changed",
                      before="on", after="off", proof=None, sha256=None, at="2026-11-30T10:00:00Z")

    # results come in the order accounts finished: one platform's rows are printed together
    print_results([row("alpha", "one"), row("beta", "two"), row("alpha", "three")], as_json=False)
    lines = [line for line in capsys.readouterr().out.splitlines() if "a@example.com" in line]
    assert [line.split("│")[3].strip() for line in lines] == ["one", "three", "two"], lines
    assert [line.split("│")[1].strip() for line in lines] == ["alpha", "", "beta"], lines


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
