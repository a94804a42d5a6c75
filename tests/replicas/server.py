"""Shared plumbing for the platform replicas.

`ReplicaServer` runs any WSGI app on a local port in a daemon thread. The helpers make replica pages
as awkward as the real ones (generated ids, hashed class names), inject faults (slow responses) and
expose the test-only endpoints under `/__replica__/` that every platform replica offers.
"""

from __future__ import annotations

import dataclasses
import json
import random
import string
import threading
import time
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from flask import Blueprint, Response, jsonify, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .interface import CONTROL_PREFIX, Replica

_rng = random.SystemRandom()


class _QuietHandler(WSGIRequestHandler):
    """Keeps the test output clean: no access-log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class ReplicaServer:
    """A WSGI app served on 127.0.0.1 in a daemon thread; usable as a context manager."""

    def __init__(self, app: Callable[..., Any], port: int = 0, host: str = "127.0.0.1",
                 quiet: bool = True) -> None:
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True, request_handler=handler)
        self.host = host
        self.port: int = self._server.server_port
        self.url = f"http://{host}:{self.port}"
        # A short poll interval so close() returns at once instead of after half a second.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"replica:{self.port}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ReplicaServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- markup that resists bots

class IdGen:
    """Element ids as frameworks generate them (`ember1234`): sequential within one page load,
    starting at a random point, so the same element never has the same id twice."""

    def __init__(self, prefix: str = "ember", suffix: str = "") -> None:
        self.prefix, self.suffix = prefix, suffix
        self._n = _rng.randint(40, 9000)

    def __call__(self) -> str:
        self._n += _rng.randint(1, 7)
        return f"{self.prefix}{self._n}{self.suffix}"


class HashedClasses:
    """Hashed CSS class names, like CSS-modules output (`DtHZyGNaOYStBKDLZjBlOncsboFqyDqDxY`).
    Stable within one replica instance (one "release" of the site), unknown before it starts."""

    def __init__(self, length: int = 32) -> None:
        self._length = length
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, key: str) -> str:
        with self._lock:
            if key not in self._names:
                self._names[key] = "".join(_rng.choice(string.ascii_letters) for _ in range(self._length))
            return self._names[key]

    def renew(self) -> None:
        """A new release: every hashed name changes."""
        with self._lock:
            self._names.clear()


def random_digits(n: int) -> str:
    return "".join(_rng.choice(string.digits) for _ in range(n))


def script_json(value: Any) -> str:
    """JSON safe to embed inside an inline <script>."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


# ---------------------------------------------------------------- faults

class DelayMiddleware:
    """Delays every response by `delay_ms()` milliseconds, as a slow site does. Test-only endpoints
    are never delayed: they are not part of the site."""

    def __init__(self, app: Callable[..., Any], delay_ms: Callable[[], int],
                 skip_prefixes: Iterable[str] = (CONTROL_PREFIX,)) -> None:
        self.app, self.delay_ms, self.skip = app, delay_ms, tuple(skip_prefixes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(self.skip):
            ms = self.delay_ms()
            if ms > 0:
                time.sleep(ms / 1000)
        return self.app(environ, start_response)


# ---------------------------------------------------------------- variants

V = TypeVar("V")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(name: str, value: Any, hint: Any) -> Any:
    origin = get_origin(hint)
    if origin is Literal:
        choices = get_args(hint)
        if value not in choices:
            raise ValueError(f"variant {name}: {value!r} is not one of {', '.join(map(repr, choices))}")
        return value
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if type(None) in options and (value is None or str(value).lower() in ("", "none", "null")):
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _coerce(name, value, option)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError("; ".join(errors))
    if hint is bool:
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in _TRUE | _FALSE:
            return text in _TRUE
        raise ValueError(f"variant {name}: {value!r} is not a boolean")
    if hint is int:
        if isinstance(value, bool):
            raise ValueError(f"variant {name}: {value!r} is not an integer")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"variant {name}: {value!r} is not an integer") from None
        if number < 0:
            raise ValueError(f"variant {name}: {value!r} is negative")
        return number
    if hint is str:
        return str(value)
    raise ValueError(f"variant {name}: unsupported type {hint!r}")


def apply_variants(current: V, changes: Mapping[str, Any]) -> V:
    """A copy of the variants dataclass `current` with `changes` applied. Values may be strings (as
    given on a command line); each is checked against the field's type hint. Unknown names and bad
    values raise ValueError, so a typo in a test never passes silently."""
    hints = get_type_hints(type(current))
    names = {f.name for f in dataclasses.fields(current)}  # type: ignore[arg-type]
    unknown = sorted(set(changes) - names)
    if unknown:
        raise ValueError(f"unknown variant(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    values = {k: _coerce(k, v, hints[k]) for k, v in changes.items()}
    return dataclasses.replace(current, **values)  # type: ignore[type-var]


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`["key=value", ...]` (from the command line) -> dict."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"expected key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


# ---------------------------------------------------------------- test-only endpoints

def json_error(message: str, status: int = 400) -> tuple[Response, int]:
    return jsonify({"error": message}), status


def control_blueprint(replica: Replica) -> Blueprint:
    """The endpoints every replica has (interface.CONTROL_ENDPOINTS): GET state, POST config,
    POST accounts, POST reset, POST switch_back_on.
    A platform adds its own (e.g. approve a sign-in) to the returned blueprint before registering."""
    bp = Blueprint("replica_control", __name__, url_prefix=CONTROL_PREFIX)

    def body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    @bp.get("/state")
    def state() -> Response:
        return jsonify(replica.state())

    @bp.post("/config")
    def config() -> Response | tuple[Response, int]:
        try:
            replica.configure(**body())
        except ValueError as exc:
            return json_error(str(exc))
        return jsonify(replica.state()["variants"])

    @bp.post("/accounts")
    def accounts() -> tuple[Response, int]:
        try:
            return jsonify(replica.add_account(**body())), 201
        except (TypeError, ValueError) as exc:
            return json_error(str(exc))

    @bp.post("/reset")
    def reset() -> Response:
        replica.reset(drop_accounts=bool(body().get("drop_accounts", False)))
        return jsonify(replica.state())

    @bp.post("/switch_back_on")
    def switch_back_on() -> Response | tuple[Response, int]:
        """`{email}` or `{}` (everyone) -> `{"switched_on": [emails]}`; 404 for an unknown email."""
        try:
            return jsonify({"switched_on": replica.switch_back_on(str(body().get("email") or "") or None)})
        except KeyError as exc:
            return json_error(str(exc), 404)

    return bp
