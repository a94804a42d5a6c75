"""`make demo`: the bundled LinkedIn replica, an isolated home and keyring, one `optout run --all`.

Everything lands under .demo/ (OPTOUT_HOME, a file keyring that is fine for a demo and never a
default for real use), so the demo touches none of the user's own settings or secrets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / ".demo"
USER, PASSWORD, NAME = "dana@example.com", "demo-password-1", "Dana Demo"


def main() -> int:
    shutil.rmtree(DEMO, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update({
        "OPTOUT_HOME": str(DEMO / "home"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(DEMO / "keyring"),
        "PYTHONPATH": str(ROOT),
    })
    replica = subprocess.Popen(
        [sys.executable, "-m", "tests.replicas", "linkedin", "--port", "0", "--account", f"{USER}:{PASSWORD}:{NAME}"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        line = replica.stdout.readline().strip() if replica.stdout else ""
        if not line.startswith("READY "):
            print(f"demo: the replica did not start ({line!r})", file=sys.stderr)
            return 1
        url = line.split()[1]
        print(f"demo: LinkedIn replica at {url}; optout home {DEMO / 'home'}", file=sys.stderr)

        def optout(*args: str, stdin: str | None = None) -> int:
            print("$ optout " + " ".join(args), file=sys.stderr)
            return subprocess.run([sys.executable, "-m", "optout", *args], input=stdin, text=True, env=env,
                                  cwd=ROOT).returncode

        optout("creds", "set", "linkedin", USER, "--password-stdin", stdin=PASSWORD + "\n")
        optout("account", "linkedin", USER, "--set", f"name={NAME}")
        code = optout("run", "--all", "--base-url", f"linkedin={url}")
        optout("verify", "--all", "--base-url", f"linkedin={url}")
        optout("report", "-o", str(DEMO / "report.html"))
        print(f"\ndemo: proofs (screenshots) are under {DEMO / 'home' / 'proofs'}; the proof report is "
              f"{DEMO / 'report.html'}", file=sys.stderr)
        return code
    finally:
        replica.terminate()
        replica.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
