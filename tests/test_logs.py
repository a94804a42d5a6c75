"""optout.logs: registered secrets never reach a sink, whatever the way they are logged."""

from __future__ import annotations

import json
import os
import secrets
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from loguru import logger

from optout import logs


@pytest.fixture(autouse=True)
def _restore_loguru() -> Iterator[None]:
    yield
    logger.remove()
    logger.add(sys.stderr)  # loguru's default, as other tests expect it


@pytest.fixture
def secret() -> str:
    value = f"pw-{secrets.token_hex(6)}"
    logs.register_secret(value)
    return value


def capture(**options: object) -> list[str]:
    """A sink added after registration, with loguru's defaults (diagnose=True shows local variables)."""
    out: list[str] = []
    logger.add(out.append, **options)  # type: ignore[arg-type]
    return out


def test_message(secret: str) -> None:
    out = capture()
    logger.info("signing in with {} now", secret)
    logger.warning(f"inline {secret}")
    text = "".join(out)
    assert secret not in text
    assert text.count(logs.MASK) == 2


def test_logged_exception_with_locals_and_chain(secret: str) -> None:
    out = capture(backtrace=True, diagnose=True)

    def sign_in(password: str) -> None:
        try:
            raise KeyError(password)
        except KeyError as exc:
            raise RuntimeError(f"sign-in failed for {password}") from exc

    try:
        sign_in(secret)
    except RuntimeError:
        logger.exception("run failed")
    text = "".join(out)
    assert "RuntimeError: sign-in failed for" in text and "KeyError" in text  # the traceback is there
    assert secret not in text
    assert logs.MASK in text


def test_extra_and_serialized_records(secret: str) -> None:
    plain = capture(format="{message} {extra}")
    serialized = capture(serialize=True)
    logger.bind(password=secret, nested={"list": [secret], "n": 1}).info("with extra")
    for text in ("".join(plain), "".join(serialized)):
        assert secret not in text
        assert logs.MASK in text
    record = json.loads(serialized[0])["record"]
    assert record["extra"]["nested"] == {"list": [logs.MASK], "n": 1}


def test_quoted_and_short_secrets() -> None:
    quoted = "it's \"x\"\\1"
    short = "q7"
    pin = "4711"
    for value in (quoted, short, pin):
        logs.register_secret(value)
    out = capture(format="{message} {extra}")
    logger.bind(cfg={"pw": quoted}, pin=int(pin)).info("repr {!r} json {} short {}", quoted, json.dumps(quoted), short)
    text = "".join(out)
    for value in (quoted, repr(quoted)[1:-1], json.dumps(quoted)[1:-1], short, pin):
        assert value not in text


def test_file_sink_is_private_and_redacted(secret: str, tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "optout.log"
    logs.setup(verbose=True, log_file=log_file)
    logger.debug("debug {}", secret)
    try:
        raise ValueError(secret)
    except ValueError:
        logger.exception("boom")
    logger.remove()  # flush and close the file
    text = log_file.read_text()
    assert "debug" in text and "ValueError" in text
    assert secret not in text
    assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600


def test_setup_is_idempotent_and_sets_levels(secret: str, capfd: pytest.CaptureFixture[str]) -> None:
    logs.setup()
    logs.setup()
    logger.info("once {}", secret)
    logger.debug("hidden at INFO")
    err = capfd.readouterr().err
    assert err.count("once") == 1
    assert secret not in err and logs.MASK in err
    assert "hidden" not in err

    logs.setup(verbose=True)
    logger.debug("shown when verbose")
    assert "shown when verbose" in capfd.readouterr().err

    logs.setup(quiet=True)
    logger.info("hidden when quiet")
    logger.warning("warned")
    err = capfd.readouterr().err
    assert "hidden when quiet" not in err and "warned" in err


def test_redact_and_concurrent_registration() -> None:
    values = [f"thread-secret-{i:02d}-{secrets.token_hex(4)}" for i in range(40)]
    threads = [threading.Thread(target=logs.register_secret, args=(v,)) for v in values]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = logs.redact(" ".join(values))
    assert text == " ".join([logs.MASK] * len(values))
    assert logs.redact("nothing secret here") == "nothing secret here"
    logs.register_secret("")  # ignored, not a pattern that matches everywhere
    assert logs.redact("abc") == "abc"
