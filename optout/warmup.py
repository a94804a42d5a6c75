"""What a run needs only later, loaded aside while its browser loads the first pages.

The keyring (for the password, at sign-in) and Pillow (for the proof, at the end) cost a command
~60 ms of Python work to import. Loaded before the browser is there, that work stands in the way of
the start; loaded when needed, it stands in the way of the run. A thread loads them while the first
page loads, when the command itself only waits on the browser. A failure here is no error: the
import is tried again, and reported, where it is needed.
"""

from __future__ import annotations

import contextlib
import threading
from importlib import import_module

LATER = ("optout.credentials", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "PIL.PngImagePlugin")

_started = threading.Event()


def start() -> None:
    """Load LATER in a daemon thread, once per process."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_load, name="optout-warm-up", daemon=True).start()


def _load() -> None:
    for name in LATER:
        with contextlib.suppress(Exception):
            import_module(name)
