"""Alerts through apprise, received by real local servers: an SMTP server (aiosmtpd) and an HTTP
endpoint. Nothing is mocked: apprise opens the sockets, speaks SMTP and HTTP, and the servers record
what arrived."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from loguru import logger

from optout import notify
from optout.errors import ConfigError, UsageError
from optout.ledger import Result

SMTP_USER = "optout"
SMTP_PASSWORD = "s3cret-smtp-pass"
WAIT_S = 10.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _result(setting: str, outcome: str, message: str = "", proof: str | None = None) -> Result:
    return Result(platform="linkedin", account="alice@example.com", setting=setting, outcome=outcome,
                  before="off", after="on" if outcome == "drifted" else "off", proof=proof, sha256=None,
                  at="2026-11-28T15:04:05Z", message=message, command="verify")


MIXED = [
    _result("genai-training", "drifted", "found on again", "/proofs/linkedin/genai-training.png"),
    _result("ads-profiling", "ok", "still off", "/proofs/linkedin/ads-profiling.png"),
    _result("research-use", "needs_human", "the platform asks for a PIN"),
    _result("people-search", "broken", "no element for 'Use my data' switch"),
    _result("newsletter-ai", "changed", "switched off"),
]
ALL_FINE = [_result("genai-training", "ok"), _result("ads-profiling", "already"), _result("x", "unavailable")]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path / "optout"))
    return tmp_path / "optout"


@pytest.fixture
def logged() -> Iterator[list[str]]:
    """Every warning optout logs during the test (after redaction, as a sink sees it)."""
    seen: list[str] = []
    sink = logger.add(lambda m: seen.append(m.record["message"]), level="WARNING", format="{message}")
    yield seen
    logger.remove(sink)


# -- a real SMTP server -----------------------------------------------------------------------------
@dataclass
class Mailbox:
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(msg)  # type: ignore[arg-type]
        self.arrived.set()
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        # handled=False: aiosmtpd itself answers "535 credentials invalid" on a failure
        return AuthResult(success=(login, password) == (SMTP_USER, SMTP_PASSWORD), handled=False)

    def url(self, password: str = SMTP_PASSWORD) -> str:
        # mailto:// is plain SMTP (no TLS): right for a loopback test server, never for a real one.
        return (f"mailto://{SMTP_USER}:{password}@127.0.0.1:{self.port}"
                "?from=optout@example.com&to=alice@example.com")


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(port=_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port, authenticator=box.authenticate,
                            auth_require_tls=False)  # loopback only: lets apprise log in without TLS
    controller.start()  # returns once the server answers
    try:
        yield box
    finally:
        controller.stop()


def _text(msg: email.message.EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    assert part is not None
    return part.get_content()


# -- a real HTTP endpoint ---------------------------------------------------------------------------
@dataclass
class Endpoint:
    port: int
    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/hooks/optout") -> str:
        return f"json://127.0.0.1:{self.port}{path}"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    box = Endpoint(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            box.posts.append((self.path, json.loads(body)))
            self.send_response(200)
            self.end_headers()
            box.arrived.set()

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.port = server.server_address[1]
    # a short poll interval only makes shutdown() quick; requests are served as they come
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=WAIT_S)


# -- the channels file ------------------------------------------------------------------------------
def test_channels_are_kept_private_and_shown_without_secrets(
        home: Path, mailbox: Mailbox, endpoint: Endpoint, logged: list[str],
        capfd: pytest.CaptureFixture[str]) -> None:
    assert notify.channels() == []
    assert notify.add_channel(mailbox.url()) is True
    assert notify.add_channel(mailbox.url()) is False  # already there
    assert notify.add_channel(endpoint.url()) is True
    path = home / "notify.yaml"
    assert path.stat().st_mode & 0o777 == 0o600
    assert notify.channels() == [mailbox.url(), endpoint.url()]
    assert notify.labels() == [f"mailto://127.0.0.1:{mailbox.port}", f"json://127.0.0.1:{endpoint.port}"]
    assert notify.redact_url("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/12345") == "tgram://•••"

    with pytest.raises(UsageError) as caught:
        notify.add_channel("nosuchservice://user:hunter22@example.com/x")
    assert "hunter22" not in str(caught.value) and "nosuchservice://" in str(caught.value)

    assert notify.remove_channel("1") == f"mailto://127.0.0.1:{mailbox.port}"
    assert notify.channels() == [endpoint.url()]
    assert notify.remove_channel(f"json://127.0.0.1:{endpoint.port}").startswith("json://")
    assert notify.channels() == []
    with pytest.raises(UsageError, match="notify list"):
        notify.remove_channel("1")
    out, err = capfd.readouterr()
    assert SMTP_PASSWORD not in out + err + "".join(logged)


def test_a_broken_channels_file_never_breaks_an_alert(home: Path, logged: list[str]) -> None:
    home.mkdir(parents=True)
    (home / "notify.yaml").write_text("channels: [unclosed\n")
    with pytest.raises(ConfigError, match="notify.yaml"):
        notify.channels()
    assert notify.alert(MIXED, "optout verify --all") == 0
    assert any("could not send the alert" in w and "notify.yaml" in w for w in logged), logged


# -- sending ----------------------------------------------------------------------------------------
def test_alert_arrives_by_mail_and_names_the_drifted_setting(mailbox: Mailbox) -> None:
    notify.add_channel(mailbox.url())
    assert notify.alert(MIXED, "optout verify --all") == 1
    assert mailbox.arrived.wait(WAIT_S)
    assert mailbox.logins == [(SMTP_USER, SMTP_PASSWORD)]  # apprise signed in with the URL's account
    [msg] = mailbox.messages
    assert msg["To"].addresses[0].addr_spec == "alice@example.com"
    assert "3 settings need attention" in msg["Subject"]
    body = _text(msg)
    assert "DRIFTED: linkedin / alice@example.com / genai-training" in body
    assert "found on again" in body and "/proofs/linkedin/genai-training.png" in body
    assert "optout verify --all --fix" in body
    assert "NEEDS_HUMAN" in body and "optout login linkedin alice@example.com" in body
    assert "BROKEN: linkedin / alice@example.com / people-search" in body
    for fine in ("ads-profiling", "newsletter-ai"):  # ok and changed need nobody
        assert fine not in body


def test_alert_arrives_at_a_json_endpoint(endpoint: Endpoint) -> None:
    notify.add_channel(endpoint.url())
    assert notify.alert(MIXED[:2], "optout verify --all") == 1
    assert endpoint.arrived.wait(WAIT_S)
    [(path, payload)] = endpoint.posts
    assert path == "/hooks/optout"
    assert payload["type"] == "warning"
    assert payload["title"].startswith("optout: 1 setting needs attention (1 drifted)")
    assert "genai-training" in payload["message"] and "ads-profiling" not in payload["message"]


def test_nothing_is_sent_when_every_setting_is_fine(mailbox: Mailbox, endpoint: Endpoint) -> None:
    notify.add_channel(mailbox.url())
    notify.add_channel(endpoint.url())
    assert notify.alert(ALL_FINE, "optout verify --all") == 0
    assert notify.alert([], "optout verify --all") == 0
    # Sending is synchronous: had anything been sent, it would have arrived before alert() returned.
    assert mailbox.messages == [] and endpoint.posts == []
    # The same channels do carry a message that needs saying (so the silence above is meaningful).
    assert notify.alert(MIXED, "optout verify --all") == 2


def test_a_dead_channel_is_a_warning_and_false_never_an_exception(
        endpoint: Endpoint, logged: list[str]) -> None:
    dead = _free_port()  # bound then released: nothing listens there
    notify.add_channel(f"json://127.0.0.1:{dead}/hooks/optout")
    notify.add_channel(f"mailto://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{dead}?from=optout@example.com"
                       "&to=alice@example.com")
    notify.add_channel(endpoint.url())
    assert notify.alert(MIXED, "optout verify --all") == 1  # the live one still got it
    assert len(endpoint.posts) == 1
    dead_warnings = [w for w in logged if f"127.0.0.1:{dead}" in w]
    assert len(dead_warnings) == 2, logged
    assert all("did not accept the alert" in w for w in dead_warnings)
    assert SMTP_PASSWORD not in "".join(logged)

    tested = notify.test_channels()
    assert tested == {f"json://127.0.0.1:{dead}": False, f"mailto://127.0.0.1:{dead}": False,
                      f"json://127.0.0.1:{endpoint.port}": True}
    assert endpoint.posts[-1][1]["title"] == "optout: test alert"


def test_a_refused_login_is_reported_without_the_password(
        mailbox: Mailbox, logged: list[str], capfd: pytest.CaptureFixture[str]) -> None:
    wrong = "wrong-pass-0042"
    notify.add_channel(mailbox.url(password=wrong))
    assert notify.alert(MIXED, "optout verify --all") == 0
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN): every try was refused
    assert mailbox.logins and set(mailbox.logins) == {(SMTP_USER, wrong)} and mailbox.messages == []
    assert any(f"mailto://127.0.0.1:{mailbox.port} did not accept" in w for w in logged), logged
    out, err = capfd.readouterr()
    assert wrong not in out + err + "".join(logged)
