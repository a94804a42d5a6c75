"""One test for every flow: each flow names its replica, and a plain `optout run` against that
replica must leave every setting opted out on the server side. A new platform is covered by
adding its flow and replica (tests/replicas/__init__.py: REPLICAS), not by a new test."""

from __future__ import annotations

import pytest

from optout import flow
from tests.replicas import REPLICAS, replica_class
from tests.replicas.server import ReplicaServer

USER = "every-flow@example.com"
PASSWORD = "every-Flow-pw-1"
FLOWS = sorted(name for name, f in flow.load_all().items() if f.replica)


def test_every_flow_names_a_known_replica():
    assert FLOWS, "no flow names a replica"
    for name in FLOWS:
        assert flow.load(name).replica in REPLICAS, f"{name}: replica {flow.load(name).replica!r} is not registered"


@pytest.mark.parametrize("platform", FLOWS)
def test_flow_opts_out_on_its_replica(cli, platform):
    the_flow = flow.load(platform)
    replica = replica_class(the_flow.replica)()
    with ReplicaServer(replica.app) as server:
        replica.add_account(USER, PASSWORD, name="Every Flow")
        assert cli("creds", "set", platform, USER, "--password-stdin", input=PASSWORD + "\n").code == 0
        if "name" in flow.account_keys(the_flow):  # a form is never sent under a made-up name
            assert cli("account", platform, USER, "--set", "name=Every Flow").code == 0
        result = cli("run", platform, "--json", "--base-url", f"{platform}={server.url}")
        held = replica.opted_out(USER)
        assert set(held) == {s.id for s in the_flow.settings}
        assert all(held.values()), (held, result.stderr)
        assert result.code == 0, result.stderr
        assert {r["setting"] for r in result.json()} == set(held)
