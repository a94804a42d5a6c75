"""Every error optout raises, each knowing its outcome and its exit code.

    OptoutError                      exit 1, outcome "error"
    ├── UsageError                   exit 2: bad command-line input
    ├── ConfigError                  exit 2: bad accounts file, flow file, paths, binaries
    │   ├── FlowError                a flow file that does not validate (names file, key, reason)
    │   └── BrowserSetupError        Chromium / chromedriver missing or unusable
    ├── AccountBusy                  exit 2: another optout command holds this account
    ├── CredentialError              exit 2: the keyring cannot give what is needed
    │   ├── KeyringUnavailable       no usable backend
    │   ├── KeyringLocked            the keyring is locked, or did not answer in time
    │   └── CredentialsMissing       no password stored for this platform and account
    ├── NeedsHuman                   outcome "needs_human": 2FA, captcha, app approval
    ├── Unavailable                  outcome "unavailable": the platform does not offer it here
    ├── Broken                       outcome "broken": the page no longer matches the flow
    ├── ChangeDidNotHold             outcome "failed": the setting was on again after a reload
    ├── SignInRejected               outcome "error": the platform refused the password
    ├── ForeignOrigin                outcome "error": a credential would go to another origin
    └── Transient                    retried (5xx, timeouts, stale nodes); "error" once retries end

Only browser.py translates Selenium's exceptions into these; the runner maps them to outcomes,
the command line maps them to exit codes. Messages never carry a secret.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    NEEDS_HUMAN = 3


class OptoutError(Exception):
    outcome = "error"
    exit_code = ExitCode.FAILED


class UsageError(OptoutError):
    exit_code = ExitCode.USAGE


class ConfigError(OptoutError):
    exit_code = ExitCode.USAGE


class FlowError(ConfigError):
    pass


class BrowserSetupError(ConfigError):
    pass


class AccountBusy(OptoutError):
    """Another optout command holds the account's browser profile and did not let go in time."""

    exit_code = ExitCode.USAGE


class CredentialError(OptoutError):
    exit_code = ExitCode.USAGE


class KeyringUnavailable(CredentialError):
    pass


class KeyringLocked(CredentialError):
    pass


class CredentialsMissing(CredentialError):
    pass


class NeedsHuman(OptoutError):
    outcome = "needs_human"
    exit_code = ExitCode.NEEDS_HUMAN


class Unavailable(OptoutError):
    outcome = "unavailable"
    exit_code = ExitCode.OK


class Broken(OptoutError):
    outcome = "broken"


class ChangeDidNotHold(OptoutError):
    outcome = "failed"


class SignInRejected(OptoutError):
    pass


class ForeignOrigin(OptoutError):
    pass


class Transient(OptoutError):
    """A fault worth another try: a 5xx page, a timeout, a node replaced under our feet."""
