"""A remote WebDriver (a Selenium Grid, or a chromedriver listening on a port), and the checks of
its address that run before anything starts: its user:password is a secret, and plain http:// is
for this machine only."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from optout.backends.base import BrowserOptions, chrome_options, first_line, log_cause
from optout.errors import BrowserSetupError, UsageError


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost: traffic that never leaves this machine."""
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def shown_url(url: str) -> str:
    """`url` with its user:password@ part masked: the form every message and log line uses."""
    from optout.logs import MASK

    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    if not sep or "@" not in netloc:
        return url
    return f"{scheme}://{MASK}@{netloc.rpartition('@')[2]}{slash}{path}"


def check_remote_url(url: str, allow_insecure: bool = False) -> str:
    """The --remote-url, checked before anything starts; its user:password is a secret from here on.

    Plain http:// only to this machine: a Grid reached over the network in clear text hands every
    signed-in cookie (and the Grid's own password) to whoever listens on the way."""
    from urllib.parse import unquote

    from optout import logs

    parts = urlsplit(url)
    if parts.username or parts.password:
        userinfo = parts.netloc.rpartition("@")[0]
        for secret in (userinfo, unquote(userinfo), parts.password or "", unquote(parts.password or "")):
            if len(secret) >= 4:  # shorter would mask ordinary words in every later line
                logs.register_secret(secret)
    shown = shown_url(url)
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here, not deep in urllib3
    except ValueError:
        raise UsageError(f"--remote-url {shown}: the port is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--remote-url {shown}: expected the WebDriver's address, e.g. https://HOST:4444")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_insecure:
        raise UsageError(f"--remote-url {shown}: plain http:// to another machine exposes the browser's "
                         "cookies and the Grid's password on the network: use https:// (or an SSH tunnel to "
                         "127.0.0.1), or pass --allow-insecure-remote on a network you trust")
    return url


def _remote_config(url: str) -> Any:
    """Selenium's ClientConfig for `url`: its user:password become basic authentication (not a URL
    Selenium would warn about and print), the address it keeps and shows has none."""
    from urllib.parse import unquote, urlunsplit

    from selenium.webdriver.remote.client_config import ClientConfig

    parts = urlsplit(url)
    clean = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if parts.username is None:
        return ClientConfig(remote_server_addr=clean)
    return ClientConfig(remote_server_addr=clean, username=unquote(parts.username),
                        password=unquote(parts.password or ""))


def start(opts: BrowserOptions) -> Any:
    """A session on a remote WebDriver (a Selenium Grid, or a chromedriver listening on a port).

    The Grid node owns the browser: there is no kept profile (each run is a new session, so it signs
    in), and the Chromium binary is the node's business, unless OPTOUT_CHROMIUM names it, for a node
    on this machine or one laid out alike: it then goes to the node as goog:chromeOptions.binary.
    """
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from urllib3.exceptions import HTTPError

    if not opts.remote_url:
        raise BrowserSetupError("--browser remote needs --remote-url https://HOST:4444")
    config = _remote_config(check_remote_url(opts.remote_url, allow_insecure=opts.allow_insecure_remote))
    url = shown_url(opts.remote_url)  # every message below names the Grid without its password
    binary = os.environ.get("OPTOUT_CHROMIUM") or None
    options = chrome_options(BrowserOptions(headed=opts.headed, window=opts.window), binary)
    try:
        return webdriver.Remote(command_executor=config.remote_server_addr, options=options, client_config=config)
    except WebDriverException as exc:
        # the Grid answered but could not give a browser: its first line says why (no slot, bad binary…)
        on_node = f" (OPTOUT_CHROMIUM={binary} was asked for on the node)" if binary else ""
        log_cause(f"starting Chromium on {url}", exc)
        raise BrowserSetupError(f"the remote WebDriver at {url} did not start Chromium{on_node}: "
                                f"{first_line(exc.msg or exc)}") from exc
    except (OSError, HTTPError) as exc:
        reason = getattr(exc, "reason", None) or exc  # urllib3 wraps the socket's error
        log_cause(f"reaching {url}", exc)
        raise BrowserSetupError(f"no remote WebDriver answers at {url}: {first_line(reason)}") from exc
