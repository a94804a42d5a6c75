"""One test for every flow, and one for every replica. Each flow names its replica
(tests/platforms/NAME/replica.py, found by convention); each replica satisfies the one interface
(tests/replicas/interface.py); and for each flow the whole life of an opt-out holds on its replica,
judged by the replica's server-side state: run (opted out) -> the platform switches its switches
back on -> verify (drifted, exit 1) -> verify --fix (changed) -> verify (ok). A new platform is
covered by adding its flow and its folder, not by a new test."""

from __future__ import annotations

import pytest

from optout import flow
from tests import replicas
from tests.replicas.interface import UNATTENDED_ATTRIBUTE, problems
from tests.replicas.server import ReplicaServer

USER = "every-flow@example.com"
PASSWORD = "every-Flow-pw-1"
FLOWS = sorted(name for name, f in flow.load_all().items() if f.replica)


def test_every_flow_names_a_known_replica():
    assert FLOWS, "no flow names a replica"
    for name in FLOWS:
        assert flow.load(name).replica in replicas.names(), f"{name}: no tests/platforms/<it>/replica.py"


@pytest.mark.parametrize("platform", replicas.names())
def test_every_replica_satisfies_the_interface(platform):
    flows = [f for f in flow.load_all().values() if f.replica == platform]
    setting_ids = {s.id for s in flows[0].settings} if flows else None
    assert problems(replicas.replica_class(platform), setting_ids) == []


def outcomes(result) -> dict[str, str]:
    return {r["setting"]: r["outcome"] for r in result.json()}


@pytest.mark.parametrize("platform", FLOWS)
def test_flow_opts_out_and_stays_out_on_its_replica(cli, platform):
    the_flow = flow.load(platform)
    settings = {s.id for s in the_flow.settings}
    # A form is sent once and stays sent: only the other kinds can be switched back on.
    switches = {s.id for s in the_flow.settings if s.kind != "form"}
    cls = replicas.replica_class(the_flow.replica)
    replica = cls()
    with ReplicaServer(replica.app) as server:
        replica.url = server.url
        # a platform whose default sign-in needs a person (an emailed code) offers one that does not
        replica.add_account(USER, PASSWORD, name="Every Flow", **getattr(cls, UNATTENDED_ATTRIBUTE, {}))
        assert cli("creds", "set", platform, USER, "--password-stdin", input=PASSWORD + "\n").code == 0
        if "name" in flow.account_keys(the_flow):  # a form is never sent under a made-up name
            assert cli("account", platform, USER, "--set", "name=Every Flow").code == 0

        def optout(*command: str):
            return cli(*command, platform, "--json", "--base-url", f"{platform}={server.url}")

        result = optout("run")
        held = replica.opted_out(USER)
        assert set(held) == settings
        assert all(held.values()), (held, result.stderr)
        assert result.code == 0, result.stderr
        assert set(outcomes(result)) == settings

        assert replica.switch_back_on(USER) == [USER]
        held = replica.opted_out(USER)
        assert {s for s, off in held.items() if not off} == switches, held

        result = optout("verify")
        assert result.code == (1 if switches else 0), result.stderr  # a form-only flow has nothing to drift
        assert outcomes(result) == {s: "drifted" if s in switches else "ok" for s in settings}, result.stderr
        assert replica.opted_out(USER) == held  # verify alone changes nothing

        result = optout("verify", "--fix")
        assert result.code == 0, result.stderr
        assert outcomes(result) == {s: "changed" if s in switches else "ok" for s in settings}, result.stderr
        assert all(replica.opted_out(USER).values())

        result = optout("verify")
        assert result.code == 0, result.stderr
        assert outcomes(result) == dict.fromkeys(settings, "ok"), result.stderr
        assert all(replica.opted_out(USER).values())
