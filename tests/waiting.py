"""Waiting for a condition in tests, bounded, without fixed sleeps."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable


def wait_for(condition: Callable[[], bool], timeout: float, process: subprocess.Popen | None = None,
             every: float = 0.1) -> bool:
    """True as soon as `condition()` holds; False at the timeout or when `process` has ended first."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        if condition():
            return True
        if process is not None and process.poll() is not None:
            return condition()
        pause.wait(every)  # the poll interval of a condition wait, not a fixed delay
    return condition()


def stop(process: subprocess.Popen, timeout: float) -> None:
    """Ask a helper process to end (SIGTERM); SIGKILL it if it has not within `timeout`; reap it."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_together(processes: list[subprocess.Popen]) -> None:
    """Children that print "ready" and wait for "go" on stdin: released as close together as we can,
    once every one of them is ready (to race them against each other)."""
    for process in processes:
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
