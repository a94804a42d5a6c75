"""Passwords and TOTP secrets, per platform and account, in the OS keyring.

The only module that imports keyring. Entries: service "optout:<platform>" holds the password,
"optout:<platform>:totp" the TOTP secret; the keyring username is the account.

Three things keyring does not do for us:
- Bound every call. A locked Secret Service asks the desktop for the unlock password; where the
  session bus has DISPLAY set (Xvfb, a remote X display) that prompt opens where nobody can see it
  and the call never returns. Each call runs in a daemon thread and is abandoned after
  OPTOUT_KEYRING_TIMEOUT seconds (default 15) with KeyringLocked.
- Avoid that prompt when nobody is there. Unsetting DISPLAY in our own process does not help (the
  prompter is started by the bus, with the bus's environment), so when stdin is not a terminal
  (cron, CI, a pipe) we look at the collection first and fail fast if it is locked.
  OPTOUT_KEYRING_PROMPT=1 / 0 forces the prompt on / off.
- Never fall back silently to an unencrypted file: keyrings.alt registers its PlaintextKeyring as a
  low-priority backend, and keyring would use it wherever no Secret Service runs. Automatic choice is
  limited to keyring's "recommended" backends; a file backend must be named explicitly
  (PYTHON_KEYRING_BACKEND or keyring's config file).

Every secret read or written is registered with the log redactor first, and no keyring exception is
chained to ours: messages name the platform and the account, never the secret.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import sys
import threading
from collections.abc import Callable
from contextlib import closing
from typing import TypeVar

import keyring
import keyring.core
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from loguru import logger

from optout.errors import (
    ConfigError,
    CredentialError,
    CredentialsMissing,
    KeyringLocked,
    KeyringUnavailable,
    UsageError,
)
from optout.logs import redact, register_secret

T = TypeVar("T")

DEFAULT_TIMEOUT = 15.0
NO_BACKEND_FIX = (
    "install/unlock a Secret Service (gnome-keyring) or set "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring for an unencrypted file"
)
UNLOCK_FIX = (
    "unlock it (log in to the desktop session, or unlock the 'Login' keyring in Seahorse / with "
    "`secret-tool search --unlock`) and try again"
)
_PLATFORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_BASE32 = re.compile(r"[A-Z2-7]+=*")
# keyring keeps its chosen backend in module globals: resolve it under one lock.
_resolve_lock = threading.Lock()


# -- public API ---------------------------------------------------------------------------------

def backend_name() -> str:
    """The keyring backend in use, as PYTHON_KEYRING_BACKEND would name it (for `optout doctor`)."""

    def describe() -> str:
        backend = _backend()
        name = _qualname(backend)
        if isinstance(backend, chainer.ChainerBackend):  # listing its members asks each one: bounded too
            name += "(" + ", ".join(_qualname(b) for b in backend.backends) + ")"
        return name

    return _bounded("opening the keyring", describe)


def get_password(platform: str, user: str) -> str:
    """The stored password; CredentialsMissing when there is none."""
    _check_names(platform, user)
    secret = _bounded(f"reading the password for {_who(platform, user)}", _reader(_service(platform), user))
    if not secret:
        raise CredentialsMissing(
            f"no password stored for {_who(platform, user)}: run `optout creds set {platform} {user}`"
        )
    return secret


def set_password(platform: str, user: str, password: str) -> None:
    """Store (or replace) the password; an empty one is a UsageError."""
    register_secret(password)
    _check_names(platform, user)
    if not password:
        raise UsageError(f"empty password for {_who(platform, user)}: nothing stored")
    _bounded(f"storing the password for {_who(platform, user)}", _writer(_service(platform), user, password))
    logger.debug("stored the password for {} in the keyring", _who(platform, user))


def get_totp_secret(platform: str, user: str) -> str | None:
    """The stored TOTP secret (normalised base32), or None."""
    _check_names(platform, user)
    secret = _bounded(f"reading the TOTP secret for {_who(platform, user)}", _reader(_totp_service(platform), user))
    return secret or None


def set_totp_secret(platform: str, user: str, secret: str) -> None:
    """Store a TOTP secret as authenticator apps show it: spaces and case do not matter."""
    register_secret(secret)
    normalised = "".join(secret.split()).upper()
    register_secret(normalised)
    _check_names(platform, user)
    if not _valid_base32(normalised):
        raise UsageError(
            f"the TOTP secret for {_who(platform, user)} is not valid base32 "
            "(letters A-Z and digits 2-7, as the platform shows it under 'enter the key manually')"
        )
    _bounded(
        f"storing the TOTP secret for {_who(platform, user)}",
        _writer(_totp_service(platform), user, normalised),
    )
    logger.debug("stored the TOTP secret for {} in the keyring", _who(platform, user))


def remove(platform: str, user: str) -> bool:
    """Delete the password and the TOTP secret; True if anything was there."""
    _check_names(platform, user)
    removed = False
    for service, kind in ((_service(platform), "password"), (_totp_service(platform), "TOTP secret")):
        removed |= _bounded(f"removing the {kind} for {_who(platform, user)}", _deleter(service, user))
    return removed


# -- keyring operations (run in the bounded worker thread) ----------------------------------------

def _reader(service: str, user: str) -> Callable[[], str | None]:
    def read() -> str | None:
        backend = _backend()
        _refuse_prompt(backend)
        secret = backend.get_password(service, user)
        if secret:
            register_secret(secret)  # before the value goes anywhere else
        return secret

    return read


def _writer(service: str, user: str, secret: str) -> Callable[[], None]:
    def write() -> None:
        backend = _backend()
        _refuse_prompt(backend)
        backend.set_password(service, user, secret)

    return write


def _deleter(service: str, user: str) -> Callable[[], bool]:
    def delete() -> bool:
        backend = _backend()
        _refuse_prompt(backend)
        try:
            backend.delete_password(service, user)
        except keyring.errors.PasswordDeleteError:
            return False  # nothing stored under that name
        return True

    return delete


def _backend() -> KeyringBackend:
    """keyring's choice, honouring PYTHON_KEYRING_BACKEND and its config file, without file fallbacks.

    Resolved on every call (cheap) so that a changed environment is honoured.
    """
    with _resolve_lock:
        try:
            keyring.core.init_backend(limit=keyring.core.recommended)
            backend = keyring.get_keyring()
        except Exception as exc:  # a name that does not import, or a backend not viable here
            raise _BackendNotLoadable(f"{type(exc).__name__}: {exc}") from None
    if isinstance(backend, fail.Keyring | null.Keyring):
        raise keyring.errors.NoKeyringError(_qualname(backend))
    return backend


def _prompt_allowed() -> bool:
    forced = os.environ.get("OPTOUT_KEYRING_PROMPT", "").strip().lower()
    if forced:
        return forced in {"1", "true", "yes", "on"}
    # A person at a terminal can answer the desktop's unlock prompt; cron, CI and pipes cannot.
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # stdin closed
        return False


def _refuse_prompt(backend: KeyringBackend) -> None:
    """Fail fast, without showing a prompt, when a Secret Service collection would need unlocking."""
    if _prompt_allowed():
        return
    # A Secret Service backend exists only once keyring loaded its module: without it, nothing here
    # can prompt (and importing it just to ask would cost every command ~25 ms)
    SecretService = sys.modules.get("keyring.backends.SecretService")  # noqa: N806 - keyring's module name
    if SecretService is None:
        return
    members = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    for member in members:
        if isinstance(member, SecretService.Keyring):
            _check_collection(member)


def _check_collection(backend: KeyringBackend) -> None:
    import secretstorage  # keyring's own dependency for this backend

    path = getattr(backend, "preferred_collection", secretstorage.collection.DEFAULT_COLLECTION)
    with closing(secretstorage.dbus_init()) as bus:
        try:
            collection = secretstorage.Collection(bus, path)
        except secretstorage.exceptions.ItemNotFoundException:
            raise _NoCollection(path) from None
        if collection.is_locked():
            raise keyring.errors.KeyringLocked("collection locked")


# -- bounding and error mapping ----------------------------------------------------------------

def _timeout() -> float:
    raw = os.environ.get("OPTOUT_KEYRING_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"OPTOUT_KEYRING_TIMEOUT must be a positive number of seconds, not {raw!r}")
    return value


def _bounded(what: str, operation: Callable[[], T]) -> T:
    """Run one keyring operation in a daemon thread; give up after the timeout.

    A thread that never returns is left behind (it cannot be cancelled); being a daemon thread it
    does not keep the process alive.
    """
    timeout = _timeout()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = operation()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="optout-keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise KeyringLocked(
            f"the keyring did not answer within {timeout:g} s ({what}): {UNLOCK_FIX}. A locked keyring "
            "may be waiting on an unlock prompt shown on a display nobody sees (DISPLAY, Xvfb); "
            "OPTOUT_KEYRING_TIMEOUT sets the wait"
        )
    if "error" in box:
        # Raised outside any `except`: nothing from keyring is chained to what the caller sees.
        raise _translate(box.pop("error"), what)  # type: ignore[arg-type]
    return box["value"]  # type: ignore[return-value]


class _BackendNotLoadable(Exception):
    """PYTHON_KEYRING_BACKEND or keyring's config file names a backend that cannot be used here."""


class _NoCollection(Exception):
    """The Secret Service has no default collection; creating one would need a prompt."""


def _secretstorage_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """(locked, prompt dismissed) exception types of secretstorage, which exists on Linux only."""
    try:
        from secretstorage.exceptions import LockedException, PromptDismissedException
    except ImportError:
        return (), ()
    return (LockedException,), (PromptDismissedException,)


def _translate(exc: BaseException, what: str) -> BaseException:
    locked, dismissed = _secretstorage_errors()
    if isinstance(exc, CredentialError | ConfigError | UsageError):
        exc.__cause__ = exc.__context__ = None  # ours, but maybe raised while handling keyring's
        return exc
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeyringUnavailable(f"no keyring backend ({what}): {NO_BACKEND_FIX}")
    if isinstance(exc, _BackendNotLoadable):
        named = os.environ.get("PYTHON_KEYRING_BACKEND")
        source = f"PYTHON_KEYRING_BACKEND={named}" if named else "keyring's config file (keyringrc.cfg)"
        return KeyringUnavailable(
            f"the keyring backend named by {source} cannot be used ({what}; {redact(str(exc))}): "
            f"{NO_BACKEND_FIX}"
        )
    if isinstance(exc, _NoCollection):
        return KeyringLocked(
            f"the Secret Service has no default keyring yet ({what}) and creating one needs a password "
            "prompt: create it once from the desktop (Seahorse), or run this from a terminal there"
        )
    if isinstance(exc, (keyring.errors.KeyringLocked, *locked)):
        return KeyringLocked(f"the keyring is locked ({what}): {UNLOCK_FIX}")
    if isinstance(exc, (keyring.errors.InitError, *dismissed)):
        return KeyringLocked(
            f"the keyring could not be opened ({what}): its unlock prompt was dismissed or could not "
            f"be shown; {UNLOCK_FIX}"
        )
    if not isinstance(exc, Exception):
        return exc  # KeyboardInterrupt, SystemExit: not ours to rename
    detail = redact(str(exc))[:200]
    return CredentialError(f"the keyring failed ({what}): {type(exc).__name__}: {detail}")


# -- small helpers ------------------------------------------------------------------------------

def _service(platform: str) -> str:
    return f"optout:{platform}"


def _totp_service(platform: str) -> str:
    return f"optout:{platform}:totp"


def _who(platform: str, user: str) -> str:
    return f"{platform} account {user}"


def _qualname(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _check_names(platform: str, user: str) -> None:
    # A ':' in a platform would let "x:totp" collide with the TOTP entry of platform "x".
    if not _PLATFORM.fullmatch(platform):
        raise UsageError(f"invalid platform name {platform!r} (letters, digits, '_', '.', '-')")
    if not user.strip():
        raise UsageError(f"empty account name for {platform}")


def _valid_base32(secret: str) -> bool:
    if not _BASE32.fullmatch(secret):
        return False
    bare = secret.rstrip("=")
    try:
        base64.b32decode(bare + "=" * (-len(bare) % 8))  # apps drop the padding; b32decode wants it
    except (binascii.Error, ValueError):
        return False
    return True
