"""Every error optout raises, each knowing its outcome, its exit code and whether it stops the account.

    OptoutError                      exit 1, outcome "error"
    ├── UsageError                   exit 2: bad command-line input
    ├── ConfigError                  exit 2, stops: bad accounts file, flow file, paths, binaries
    │   ├── FlowError                a flow file that does not validate (names file, key, reason)
    │   └── BrowserSetupError        Chromium / chromedriver missing or unusable
    ├── AccountBusy                  exit 2: another optout command holds this account
    ├── CredentialError              exit 2, stops: the keyring cannot give what is needed
    │   ├── KeyringUnavailable       no usable backend
    │   ├── KeyringLocked            the keyring is locked, or did not answer in time
    │   └── CredentialsMissing       no password stored for this platform and account
    ├── NeedsHuman                   outcome "needs_human", stops: 2FA, captcha, app approval
    ├── Unavailable                  outcome "unavailable": the platform does not offer it here
    ├── Broken                       outcome "broken": the page no longer matches the flow
    ├── ChangeDidNotHold             outcome "failed": the setting was on again after a reload
    ├── Drifted                      outcome "drifted": found in the wrong state by a read-only verify
    ├── SignInRejected               outcome "error", stops: the platform refused the password
    ├── ForeignOrigin                outcome "error", stops: a credential would go to another origin
    └── Transient                    retried (5xx, timeouts, stale nodes); "error" once retries end

"stops" (`stops_account`): the error stands for every setting of the account after the one it
ended, which are not tried (the same sign-in or configuration would fail them all); any other
error ends only its own setting.

Only browser.py (with optout/backends/) translates Selenium's exceptions into these; the runner
maps them to outcomes, the command line maps them to exit codes. Messages never carry a secret.
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
    stops_account = False  # True: the account's remaining settings are not tried (see above)


class UsageError(OptoutError):
    exit_code = ExitCode.USAGE


class ConfigError(OptoutError):
    exit_code = ExitCode.USAGE
    stops_account = True


class FlowError(ConfigError):
    pass


class BrowserSetupError(ConfigError):
    pass


class AccountBusy(OptoutError):
    """Another optout command holds the account's browser profile and did not let go in time."""

    exit_code = ExitCode.USAGE


class CredentialError(OptoutError):
    exit_code = ExitCode.USAGE
    stops_account = True


class KeyringUnavailable(CredentialError):
    pass


class KeyringLocked(CredentialError):
    pass


class CredentialsMissing(CredentialError):
    pass


class NeedsHuman(OptoutError):
    outcome = "needs_human"
    exit_code = ExitCode.NEEDS_HUMAN
    stops_account = True


class Unavailable(OptoutError):
    outcome = "unavailable"
    exit_code = ExitCode.OK


class Broken(OptoutError):
    outcome = "broken"


class ChangeDidNotHold(OptoutError):
    outcome = "failed"


class Drifted(OptoutError):
    outcome = "drifted"


class SignInRejected(OptoutError):
    stops_account = True


class ForeignOrigin(OptoutError):
    stops_account = True


class Transient(OptoutError):
    """A fault worth another try: a 5xx page, a timeout, a node replaced under our feet."""
