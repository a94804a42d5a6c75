"""`make bench`: optout's costs on the LinkedIn replica, written to BENCHMARKS.md.

    python scripts/bench.py [--runs 7] [--job-runs 2] [--accounts 4] [--out BENCHMARKS.md]

1. One account, one setting: `optout run linkedin --setting genai-training --json` against
   `scripts/bare_selenium.py` (the same navigations and clicks in plain Selenium), interleaved,
   both timed as whole processes (wall clock, Python start included). Every optout run has a fresh
   OPTOUT_HOME, so it signs in; the replica's switch is put back On between runs.
2. `optout --help` start-up.
3. `optout run --all --jobs 1` against `--jobs 2` over several accounts, the replica at
   delay_ms=300, with the peak memory of optout's process tree (optout, chromedriver, Chromium).

The replica is started here (`python -m tests.replicas`), on a free loopback port. Every verdict on
a run is checked on the replica's server-side state, so a fast run that did nothing counts as a
failure, not as a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BARE = ROOT / "scripts" / "bare_selenium.py"
GENAI = "genai-training"
TARGET_RATIO = 1.15
TARGET_HELP = 0.25
TARGET_JOBS = 0.65
TARGET_VERIFY = 1.0  # a re-check with a kept session costs less than the bare script's run that signs in
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    pass


def optout_cmd() -> list[str]:
    script = Path(PY).with_name("optout")
    return [str(script)] if script.exists() else [PY, "-m", "optout"]


# -- the replica, in its own process ------------------------------------------------------------------
class Replica:
    def __init__(self, accounts: list[tuple[str, str]]) -> None:
        args = [PY, "-m", "tests.replicas", "linkedin", "--port", "0"]
        for email, password in accounts:
            args += ["--account", f"{email}:{password}:{email.split('@')[0].title()}"]
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip() if self.proc.stdout else ""
        if not line.startswith("READY "):
            self.close()
            raise BenchError(f"the replica did not start: {line!r}")
        self.url = line.split()[1]

    def post(self, what: str, payload: dict | None = None) -> dict:
        request = urllib.request.Request(f"{self.url}/__replica__/{what}", data=json.dumps(payload or {}).encode(),
                                         headers={"content-type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"{}")

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/__replica__/state", timeout=10) as answer:
            return json.loads(answer.read())

    def genai(self, email: str) -> bool:
        return bool(self.state()["accounts"][email]["genai"])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# -- an isolated optout home per run --------------------------------------------------------------------
@contextmanager
def fresh_home(accounts: list[tuple[str, str]]) -> Iterator[dict[str, str]]:
    """An environment with its own OPTOUT_HOME and file keyring holding these accounts' passwords."""
    folder = Path(tempfile.mkdtemp(prefix="optout-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "OPTOUT_TIMEOUT_SCALE", "OPTOUT_FLOWS"}}
    env.update({"OPTOUT_HOME": str(folder / "home"), "XDG_DATA_HOME": str(folder / "data"),
                "XDG_CONFIG_HOME": str(folder / "config"),
                "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"})
    try:
        for email, password in accounts:
            done = subprocess.run([*optout_cmd(), "creds", "set", "linkedin", email, "--password-stdin"],
                                  input=password + "\n", env=env, capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                raise BenchError(f"optout creds set failed: {done.stderr.strip()}")
            # the objection form is never sent under a made-up name
            done = subprocess.run([*optout_cmd(), "account", "linkedin", email, "--set",
                                   f"name={email.split('@')[0].title()}"], env=env, capture_output=True, text=True,
                                  timeout=60)
            if done.returncode != 0:
                raise BenchError(f"optout account failed: {done.stderr.strip()}")
        yield env
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Timed:
    wall: float  # seconds, from start to exit of the process
    cpu: float  # user + system seconds of the process and the descendants it (and they) waited for
    proc: subprocess.CompletedProcess[str]


def timed(cmd: list[str], env: dict[str, str] | None = None, sampler: TreeSampler | None = None,
          timeout: float = 300) -> Timed:
    """Wall-clock seconds of a whole process, start to exit, and its CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if sampler is not None:
        sampler.watch(proc.pid)
    out, err = proc.communicate(timeout=timeout)
    elapsed = time.perf_counter() - start
    if sampler is not None:
        sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(elapsed, cpu, subprocess.CompletedProcess(cmd, proc.returncode, out, err))


# -- memory of a process tree ----------------------------------------------------------------------------
class TreeSampler:
    """Every `interval` s: the sum of RSS (and of PSS) of a process and all its descendants."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_procs = 0
        self._cpu: dict[int, float] = {}  # pid -> the latest utime + stime seen, in seconds
        self._root = 0
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pid: int) -> None:
        self._root = pid
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def cpu_seconds(self) -> float:
        """CPU time of every process of the tree, as last sampled (up to one interval short each)."""
        return sum(self._cpu.values())

    def _loop(self) -> None:
        while True:
            self._sample()
            if self._halt.wait(self.interval):  # the sampling interval of a watcher, not a delay
                return

    def _sample(self) -> None:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
        tree, todo = [], [self._root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        rss = pss = 0
        for pid in tree:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self._cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
                rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
            except (OSError, ValueError, IndexError):
                continue
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_procs = max(self.peak_procs, len(tree))


# -- the measurements --------------------------------------------------------------------------------------
@dataclass
class Figures:
    optout_runs: list[float] = field(default_factory=list)
    bare_runs: list[float] = field(default_factory=list)
    optout_cpu: list[float] = field(default_factory=list)
    verify_runs: list[float] = field(default_factory=list)  # `optout verify` with the session kept
    bare_cpu: list[float] = field(default_factory=list)
    help_runs: list[float] = field(default_factory=list)
    jobs: dict[int, list[float]] = field(default_factory=dict)
    jobs_cpu: dict[int, list[float]] = field(default_factory=dict)
    jobs_rss: dict[int, int] = field(default_factory=dict)
    jobs_pss: dict[int, int] = field(default_factory=dict)
    jobs_procs: dict[int, int] = field(default_factory=dict)
    imports: dict[str, list[float]] = field(default_factory=dict)
    load: list[tuple[str, str]] = field(default_factory=list)


def say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def load_average(label: str, figures: Figures) -> None:
    figures.load.append((label, " ".join(Path("/proc/loadavg").read_text().split()[:3])))


def one_account(figures: Figures, runs: int) -> None:
    email, password = "bench@example.com", "bench-pw-1"
    replica = Replica([(email, password)])
    try:
        def run_optout() -> Timed:
            with fresh_home([(email, password)]) as env:
                run = timed([*optout_cmd(), "run", "linkedin", "--setting", GENAI, "--base-url",
                             f"linkedin={replica.url}", "--json"], env)
                rows = json.loads(run.proc.stdout or "[]")
                if run.proc.returncode != 0 or [r["outcome"] for r in rows] != ["changed"] or replica.genai(email):
                    raise BenchError(f"optout run did not switch it off (exit {run.proc.returncode}): "
                                     f"{run.proc.stderr.strip()[-400:]}")
                # the periodic re-check: the session kept in the profile, no sign-in
                sign_ins = replica.state()["accounts"][email]["sign_ins"]
                check = timed([*optout_cmd(), "verify", "linkedin", "--setting", GENAI, "--base-url",
                               f"linkedin={replica.url}", "--json"], env)
                rows = json.loads(check.proc.stdout or "[]")
                if check.proc.returncode != 0 or [r["outcome"] for r in rows] != ["ok"] or \
                        replica.state()["accounts"][email]["sign_ins"] != sign_ins:
                    raise BenchError(f"optout verify did not find it off with the kept session (exit "
                                     f"{check.proc.returncode}): {check.proc.stderr.strip()[-400:]}")
                figures.verify_runs.append(check.wall)
            return run

        def run_bare() -> Timed:
            env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
            run = timed([PY, str(BARE), replica.url, email, password], env)
            if run.proc.returncode != 0 or run.proc.stdout.strip() != "off" or replica.genai(email):
                raise BenchError(f"bare_selenium.py did not switch it off (exit {run.proc.returncode}): "
                                 f"{run.proc.stderr.strip()[-400:]}")
            return run

        say("warm-up: one untimed run of each")
        for action in (run_optout, run_bare):
            action()
            replica.post("policy_update", {"email": email})
        figures.verify_runs.clear()  # the warm-up's re-check is not a figure either
        for i in range(runs):
            # ABBA order, so a drift in the machine's load weighs on both alike
            order: list[tuple[str, Callable[[], Timed]]] = [("optout", run_optout), ("bare", run_bare)]
            for name, action in order if i % 2 == 0 else order[::-1]:
                run = action()
                if name == "optout":
                    figures.optout_runs.append(run.wall)
                    figures.optout_cpu.append(run.cpu)
                else:
                    figures.bare_runs.append(run.wall)
                    figures.bare_cpu.append(run.cpu)
                replica.post("policy_update", {"email": email})
                say(f"pair {i + 1}/{runs}: {name} {run.wall:.2f} s (CPU {run.cpu:.2f} s)")
    finally:
        replica.close()


def help_startup(figures: Figures, runs: int = 10) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    timed([*optout_cmd(), "--help"], env)  # warm the file cache
    for _ in range(runs):
        run = timed([*optout_cmd(), "--help"], env)
        if run.proc.returncode != 0:
            raise BenchError(f"optout --help failed: {run.proc.stderr.strip()}")
        figures.help_runs.append(run.wall)
    say(f"optout --help: median {statistics.median(figures.help_runs):.3f} s")


def import_costs(figures: Figures, runs: int = 7) -> None:
    """Where a run's start-up goes: the interpreter alone, Selenium's WebDriver, optout's run path."""
    probes = {
        "python -c pass": "pass",
        "import selenium.webdriver.chrome.webdriver": "import selenium.webdriver.chrome.webdriver",
        "import optout.cli, optout.runner": "import optout.cli, optout.runner",
        "import optout.cli, optout.runner, selenium.webdriver.chrome.webdriver":
            "import optout.cli, optout.runner, selenium.webdriver.chrome.webdriver",
    }
    for _ in range(runs):  # round-robin, so a burst of load elsewhere weighs on every probe alike
        for label, code in probes.items():
            figures.imports.setdefault(label, []).append(timed([PY, "-c", code]).wall)


def jobs_compare(figures: Figures, accounts_n: int, runs: int) -> None:
    accounts = [(f"member{i}@example.com", f"bench-pw-{i}") for i in range(accounts_n)]
    replica = Replica(accounts)
    try:
        for i in range(runs):
            for jobs in (1, 2) if i % 2 == 0 else (2, 1):
                replica.post("reset")
                replica.post("config", {"delay_ms": 300})
                with fresh_home(accounts) as env:
                    sampler = TreeSampler()
                    run = timed([*optout_cmd(), "run", "--all", "--jobs", str(jobs), "--base-url",
                                 f"linkedin={replica.url}", "--json"], env, sampler)
                state = replica.state()["accounts"]
                rows = json.loads(run.proc.stdout or "[]")
                if run.proc.returncode != 0 or any(state[e]["genai"] or not state[e]["forms"] for e, _ in accounts):
                    raise BenchError(f"optout run --all --jobs {jobs} did not finish the work (exit "
                                     f"{run.proc.returncode}): {run.proc.stderr.strip()[-400:]}")
                if len(rows) != 2 * accounts_n:
                    raise BenchError(f"--jobs {jobs}: {len(rows)} results, not {2 * accounts_n}")
                cpu = max(run.cpu, sampler.cpu_seconds)
                figures.jobs.setdefault(jobs, []).append(run.wall)
                figures.jobs_cpu.setdefault(jobs, []).append(cpu)
                figures.jobs_rss[jobs] = max(figures.jobs_rss.get(jobs, 0), sampler.peak_rss)
                figures.jobs_pss[jobs] = max(figures.jobs_pss.get(jobs, 0), sampler.peak_pss)
                figures.jobs_procs[jobs] = max(figures.jobs_procs.get(jobs, 0), sampler.peak_procs)
                say(f"--jobs {jobs} run {i + 1}/{runs}: {run.wall:.2f} s (CPU {run.cpu:.1f} s waited, "
                    f"{sampler.cpu_seconds:.1f} s sampled), peak RSS sum {sampler.peak_rss / 2**20:.0f} MiB, "
                    f"PSS sum {sampler.peak_pss / 2**20:.0f} MiB")
    finally:
        replica.close()


# -- the report ---------------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    browser = shutil.which("chromium") or "chromium"
    version = subprocess.run([os.environ.get("OPTOUT_CHROMIUM") or browser, "--version"], capture_output=True,
                             text=True, check=False).stdout.strip()
    selenium_version = subprocess.run([PY, "-c", "import selenium; print(selenium.__version__)"],
                                      capture_output=True, text=True, check=False).stdout.strip()
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": f"{mem_kb / 2**20:.1f} GiB",
            "chromium": version or "unknown", "python": platform.python_version(), "selenium": selenium_version,
            "os": platform.platform()}


def verdict(value: float, target: float, unit: str) -> str:
    digits = 3 if unit.strip() == "s" else 2
    if value <= target:
        return f"**met** ({value:.{digits}f}{unit} ≤ {target}{unit})"
    return (f"**missed** by {value - target:.{digits}f}{unit} ({value:.{digits}f}{unit} against ≤ "
            f"{target}{unit}, {value / target - 1:.0%} over)")


def write_report(figures: Figures, args: argparse.Namespace, started: datetime, took: float) -> str:
    med = statistics.median
    mach = machine()
    optout_med, bare_med = med(figures.optout_runs), med(figures.bare_runs)
    ratio = optout_med / bare_med
    help_med = med(figures.help_runs)
    j1, j2 = med(figures.jobs[1]), med(figures.jobs[2])
    jobs_ratio = j2 / j1
    pair_ratios = [o / b for o, b in zip(figures.optout_runs, figures.bare_runs, strict=True)]
    verify_med = med(figures.verify_runs)
    verify_ratio = verify_med / bare_med
    cores = os.cpu_count() or 1

    def runs(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make bench` (`scripts/bench.py`) on {started:%Y-%m-%d %H:%M} UTC, in {took:.0f} s. "
        "Every figure is wall-clock time of whole processes (Python start-up included), against the "
        "bundled LinkedIn replica on loopback, started by the script. Each run's effect is checked on "
        "the replica's server-side state.",
        "",
        "## Machine",
        "",
        f"- nproc: {mach['nproc']} · CPU: {mach['cpu']} · memory: {mach['memory']}",
        f"- {mach['chromium']} · Python {mach['python']} · Selenium {mach['selenium']} · {mach['os']}",
        "- load average (1, 5, 15 min) "
        + "; ".join(f"{label}: {value}" for label, value in figures.load)
        + ". Other work shared these 2 cores during the run, so absolute times are noisy; "
          "the interleaved runs make the ratios fairer than the absolute figures.",
        "",
        "## Summary",
        "",
        "| what | figure | target | verdict |",
        "|---|---|---|---|",
        f"| one account, one setting: optout / bare Selenium (medians) | {ratio:.2f}× ({optout_med:.2f} s / "
        f"{bare_med:.2f} s) | ≤ {TARGET_RATIO}× | {verdict(ratio, TARGET_RATIO, '×')} |",
        f"| a re-check with the session kept: `optout verify` / bare Selenium's run that signs in | "
        f"{verify_ratio:.2f}× ({verify_med:.2f} s / {bare_med:.2f} s) | < {TARGET_VERIFY}× | "
        f"{verdict(verify_ratio, TARGET_VERIFY, '×')} |",
        f"| `optout --help` start-up (median of {len(figures.help_runs)}) | {help_med:.3f} s | ≤ {TARGET_HELP} s | "
        f"{verdict(help_med, TARGET_HELP, ' s')} |",
        f"| `run --all`, {args.accounts} accounts, delay_ms=300: `--jobs 2` / `--jobs 1` | {jobs_ratio:.2f}× "
        f"({j2:.1f} s / {j1:.1f} s) | ≤ {TARGET_JOBS}× | {verdict(jobs_ratio, TARGET_JOBS, '×')} |",
        "",
        "## 1. optout against bare Selenium",
        "",
        "`optout run linkedin --setting genai-training --base-url linkedin=URL --json`, each run with a fresh "
        "`OPTOUT_HOME` (so it signs in; the validated flow kept in the user's cache folder since the warm-up "
        "run is used, as by any command after the first) and a file keyring, against "
        "`scripts/bare_selenium.py URL EMAIL PASSWORD`: "
        "the same Chromium flags and a fresh profile, open /login, type, submit, open the deep link, click the "
        "switch, wait for the save, reload, read, screenshot, with no framework. The replica's switch is put back "
        f"On (`policy_update`) after every run. One untimed warm-up of each, then {len(figures.optout_runs)} "
        "interleaved pairs (ABBA order).",
        "",
        "| | median | runs (s) | median CPU |",
        "|---|---|---|---|",
        f"| optout | {optout_med:.2f} s | {runs(figures.optout_runs)} | {med(figures.optout_cpu):.2f} s |",
        f"| bare Selenium | {bare_med:.2f} s | {runs(figures.bare_runs)} | {med(figures.bare_cpu):.2f} s |",
        f"| `optout verify`, session kept | {verify_med:.2f} s | {runs(figures.verify_runs)} | |",
        f"| ratio | **{ratio:.2f}×** | target ≤ {TARGET_RATIO}× | "
        f"{med(figures.optout_cpu) / med(figures.bare_cpu):.2f}× |",
        "",
        f"The median of the {len(pair_ratios)} per-pair ratios is {med(pair_ratios):.2f}× "
        f"(from {min(pair_ratios):.2f}× to {max(pair_ratios):.2f}×). CPU: user + system seconds of the process "
        "and of the descendants that were waited for, from `getrusage(RUSAGE_CHILDREN)`; that misses some of "
        "Chromium's helper processes (see section 3), alike for both.",
        "",
        f"Start-up imports (median of {len(next(iter(figures.imports.values())))} processes each, run round-robin), "
        "the fixed part of that difference:",
        "",
        "| process | median |",
        "|---|---|",
        *[f"| `{label}` | {med(values):.3f} s |" for label, values in figures.imports.items()],
        "",
        "## 2. `optout --help`",
        "",
        f"Median {help_med:.3f} s of {len(figures.help_runs)} runs after one warm-up ({runs(figures.help_runs)}); "
        f"the fastest {min(figures.help_runs):.3f} s, against {med(figures.imports['python -c pass']):.3f} s for "
        "`python -c pass` (median, section 1).",
        "",
        "## 3. `--jobs 1` against `--jobs 2`",
        "",
        f"`optout run --all --jobs N --base-url linkedin=URL --json` over {args.accounts} accounts (both settings "
        "each: the GenAI switch and the objection form), the replica at `delay_ms=300` (every page, save and "
        "poll answered 300 ms late). Before each run the replica is reset and the run gets a fresh "
        f"`OPTOUT_HOME`, so every account signs in. {len(figures.jobs[1])} runs of each, interleaved.",
        "",
        "| | median | runs (s) | CPU of the tree (median) | peak memory: sum of RSS | sum of PSS | processes |",
        "|---|---|---|---|---|---|---|",
        *[f"| `--jobs {n}` | {med(figures.jobs[n]):.1f} s | {runs(figures.jobs[n])} | "
          f"{med(figures.jobs_cpu[n]):.1f} s | {figures.jobs_rss[n] / 2**20:.0f} MiB | "
          f"{figures.jobs_pss[n] / 2**20:.0f} MiB | {figures.jobs_procs[n]} |" for n in (1, 2)],
        f"| ratio | **{jobs_ratio:.2f}×** | target ≤ {TARGET_JOBS}× | | | | |",
        "",
        f"CPU: the larger of `getrusage(RUSAGE_CHILDREN)` and the sum of each process's last sampled "
        f"utime + stime. With `--jobs 1` the tree kept {med(figures.jobs_cpu[1]) / j1:.2f} of {cores} cores busy; "
        f"`--jobs 2` needs the same {med(figures.jobs_cpu[2]):.0f} CPU-seconds of work, so it cannot end before "
        f"{med(figures.jobs_cpu[2]) / cores:.1f} s on {cores} idle cores (ratio ≥ "
        f"{med(figures.jobs_cpu[2]) / cores / j1:.2f}×), and the cores were not idle (load average above).",
        "",
        "Peak memory: the optout process and all its descendants (chromedriver and every Chromium process) "
        "were found through /proc every 0.1 s; the table gives the highest sum of their RSS (`/proc/PID/statm`) "
        "seen during a run, which counts pages shared between Chromium's processes once per process, and the "
        "highest sum of their PSS (`/proc/PID/smaps_rollup`), which shares them out and is closer to what the "
        "machine really gave.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="interleaved pairs optout / bare Selenium (≥ 5)")
    ap.add_argument("--job-runs", type=int, default=2, help="runs of each of --jobs 1 and --jobs 2")
    ap.add_argument("--accounts", type=int, default=4, help="accounts for the --jobs comparison (≥ 4)")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args()
    if args.runs < 5 or args.accounts < 4 or args.job_runs < 1:
        ap.error("at least --runs 5, --accounts 4 and --job-runs 1")
    os.environ.setdefault("SE_OFFLINE", "true")
    started, clock = datetime.now(UTC), time.perf_counter()
    figures = Figures()
    load_average("at the start", figures)
    try:
        help_startup(figures)
        import_costs(figures)
        one_account(figures, args.runs)
        load_average("after the single-account runs", figures)
        jobs_compare(figures, args.accounts, args.job_runs)
    except (BenchError, subprocess.TimeoutExpired) as exc:
        say(f"failed: {exc}")
        return 1
    load_average("at the end", figures)
    report = write_report(figures, args, started, time.perf_counter() - clock)
    args.out.write_text(report)
    say(f"wrote {args.out}")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
