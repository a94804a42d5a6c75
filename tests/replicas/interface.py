"""What every platform replica offers, stated once: the Python API the tests drive and the test-only
endpoints under `/__replica__/`. `problems()` checks a replica class against both, by use rather
than by name, so a new platform's replica (and `scripts/new_flow.py`'s skeleton) is held to it."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from flask import Flask

CONTROL_PREFIX = "/__replica__"
# (method, path under CONTROL_PREFIX): the endpoints server.control_blueprint gives every replica.
CONTROL_ENDPOINTS: tuple[tuple[str, str], ...] = (
    ("GET", "state"),
    ("POST", "config"),
    ("POST", "accounts"),
    ("POST", "reset"),
    ("POST", "switch_back_on"),
)


@runtime_checkable
class Replica(Protocol):
    """A platform's replica. Tests judge outcomes by its server-side state, never by the page."""

    app: Flask
    url: str | None  # set by whoever serves `app`

    def add_account(self, email: str, password: str, **options: Any) -> dict[str, Any]:
        """A member who can sign in; returns the account's state (no password)."""
        ...

    def state(self) -> dict[str, Any]:
        """JSON-ready: at least `{"variants": {...}, "accounts": {email: {...}}}`."""
        ...

    def reset(self, drop_accounts: bool = False) -> None:
        """Default variants, nobody signed in, each account as it was added (or none)."""
        ...

    def configure(self, **variants: Any) -> None:
        """Switch faults and page variants on; an unknown name or a bad value raises ValueError."""
        ...

    def opted_out(self, email: str) -> dict[str, bool]:
        """Per setting id of the platform's flow: does the server hold the member as opted out?"""
        ...

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """The platform switches its switches back on (a "policy update"), for one account or all;
        returns the emails touched. A sent form stays sent: only switches come back on."""
        ...


# Optional, on a replica class: `UNATTENDED = {option: value}`, the add_account options of a member
# who signs in without a person (a password), for a platform whose default sign-in needs one (a code
# sent by email). The generic every-flow test adds its member with them.
UNATTENDED_ATTRIBUTE = "UNATTENDED"


def problems(cls: type, setting_ids: set[str] | None = None) -> list[str]:
    """What `cls` lacks to be a Replica (empty: it is one). Builds an instance and uses it through
    the Python API and through the control endpoints (Flask's test client, no port)."""
    found: list[str] = []
    replica = cls()
    if not isinstance(replica, Replica):
        missing = [n for n in ("app", "url", *_METHODS) if not hasattr(replica, n)]
        return [f"{cls.__name__} lacks {', '.join(missing)}"]
    if not isinstance(replica.app, Flask):
        return [f"{cls.__name__}.app is not a Flask app"]
    routes = {(method, rule.rule) for rule in replica.app.url_map.iter_rules() for method in rule.methods or ()}
    for method, path in CONTROL_ENDPOINTS:
        if (method, f"{CONTROL_PREFIX}/{path}") not in routes:
            found.append(f"no {method} {CONTROL_PREFIX}/{path}")
    if found:
        return found

    email = "interface-check@example.com"
    replica.add_account(email, "interface-Check-pw-1")
    held = replica.opted_out(email)
    if not isinstance(held, dict) or not all(isinstance(v, bool) for v in held.values()):
        found.append(f"opted_out() gave {held!r}, not {{setting_id: bool}}")
    elif setting_ids is not None and set(held) != setting_ids:
        found.append(f"opted_out() names {sorted(held)}, the flow's settings are {sorted(setting_ids)}")
    if replica.switch_back_on(email) != [email] or sorted(replica.switch_back_on()) != [email]:
        found.append("switch_back_on() does not return the emails it touched")
    try:
        replica.configure(no_such_variant_xyz=True)
        found.append("configure() accepts an unknown variant")
    except ValueError:
        pass

    client = replica.app.test_client()
    answers = {
        "state": client.get(f"{CONTROL_PREFIX}/state"),
        "config": client.post(f"{CONTROL_PREFIX}/config", json={}),
        "config (unknown)": client.post(f"{CONTROL_PREFIX}/config", json={"no_such_variant_xyz": 1}),
        "accounts": client.post(f"{CONTROL_PREFIX}/accounts", json={"email": "b@example.com", "password": "pw-B-1"}),
        "switch_back_on": client.post(f"{CONTROL_PREFIX}/switch_back_on", json={"email": email}),
        "reset": client.post(f"{CONTROL_PREFIX}/reset", json={"drop_accounts": True}),
    }
    expected = {"state": 200, "config": 200, "config (unknown)": 400, "accounts": 201, "switch_back_on": 200,
                "reset": 200}
    for name, answer in answers.items():
        if answer.status_code != expected[name]:
            found.append(f"{CONTROL_PREFIX} {name}: HTTP {answer.status_code}, expected {expected[name]}")
    switched = answers["switch_back_on"]
    if switched.status_code == 200 and switched.get_json() != {"switched_on": [email]}:
        found.append(f"{CONTROL_PREFIX}/switch_back_on answered {switched.get_json()!r}")
    if replica.state().get("accounts"):
        found.append("reset(drop_accounts=True) kept accounts")
    return found


_METHODS = ("add_account", "state", "reset", "configure", "opted_out", "switch_back_on")
