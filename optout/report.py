"""The proof report: one self-contained HTML page of what is off, since when, and the screenshots.

The page needs no network and no JavaScript: CSS is inline, screenshots are embedded as data: URIs
(or, with embed=False, copied into `<out-stem>_files/` beside the page and linked relatively), and a
thumbnail opens full size through a CSS `:target` lightbox. Every screenshot is read once, its
SHA-256 recomputed from those very bytes and compared with the ledger's, so the image a reader sees
is the one whose check is printed next to it. Every text from the ledger is escaped: messages can
hold page text, i.e. anything.

The data behind it (one view per setting, `status_rows()` for `optout status`) is optout/views.py.
"""

from __future__ import annotations

import base64
import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from optout import config
from optout.clock import iso_utc
from optout.errors import OptoutError
from optout.files import write_atomic
from optout.ledger import Ledger, Result
from optout.outcomes import Tone, tone
from optout.proofcheck import MATCHES, MISMATCH, MISSING, UNRECORDED, ProofCheck
from optout.views import Proofs, SettingView, setting_views, titles

# Tones (Outcome.tone) are the proof banners' three colours (proof._colour): page and screenshots agree.
SINCE_LABEL: dict[Tone, str] = {"good": "Opted out", "notice": "Pending", "bad": "Needs attention"}
def default_report_path() -> Path:
    return config.home() / "report.html"


# -- the page -----------------------------------------------------------------------------------------


def build_report(ledger: Ledger, out: Path, *, embed: bool = True, now: datetime | None = None) -> Path:
    """Write the report to `out` (replaced atomically, private: it shows account pages); return it.

    embed=False copies the screenshots into `<out-stem>_files/` and links them relatively, for a
    lighter page that must travel with its folder. `now` (aware) fixes the generation time.
    """
    out = Path(out)
    if now is not None and now.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass an aware one")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    platform_titles, setting_titles = titles()
    problems = ledger.verify()
    views = setting_views(ledger.history(), setting_titles)
    files = None if embed else out.with_name(f"{out.stem}_files")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        text = _Page(Proofs(ledger), files, now).render(views, platform_titles, problems, ledger.path)
        write_atomic(out, text.encode("utf-8"))
    except OSError as exc:  # a folder for a file name, no space, no permission: one line, not a traceback
        raise OptoutError(f"cannot write the report {out}: {exc.strerror or exc}") from None
    return out


class _Page:
    def __init__(self, proofs: Proofs, files: Path | None, now: datetime) -> None:
        self.proofs = proofs
        self.files = files
        self.now = now
        self._figure_ids: dict[Path, str] = {}  # one figure per screenshot file, however many rows use it
        self._setting_ids = 0

    def render(self, views: list[SettingView], platform_titles: dict[str, str], problems: list[str],
               ledger_path: Path) -> str:
        body = self._platforms(views, platform_titles) if views else (
            '<p class="empty">Nothing recorded yet: run <code>optout run --all</code>.</p>')
        header = self._header(views, problems, ledger_path)
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            # no network, ever: the page is evidence and must not phone anywhere when opened
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "img-src data: 'self'; style-src 'unsafe-inline'\">\n"
            f"<title>optout report — {_e(_when(iso_utc(self.now)))}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n{header}\n<main>\n{body}\n</main>\n</body>\n</html>\n"
        )

    # -- header ---------------------------------------------------------------------------------------

    def _header(self, views: list[SettingView], problems: list[str], ledger_path: Path) -> str:
        if problems:
            items = "".join(f"<li>{_e(p)}</li>" for p in problems)
            integrity = (
                '<section class="integrity bad" id="integrity">'
                f"<strong>Ledger integrity: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
                f"found</strong><ul>{items}</ul></section>")
        else:
            integrity = (
                '<section class="integrity good" id="integrity"><strong>Ledger integrity: chain intact'
                "</strong> <span>every row matches its hash and every screenshot its SHA-256</span></section>")
        others = [v for v in views if v.key[3]]  # replicas, staging hosts: not the accounts' state
        tones = [v.tone for v in views if not v.key[3]]
        checks = [self.proofs.check(r) for v in views for r in v.history]
        distinct = {c.path: c.status for c in checks if c.path is not None}
        counts = [
            (f"{len(tones)} setting{'s' if len(tones) != 1 else ''}", ""),
            (f"{tones.count('good')} opted out", "good"),
            (f"{tones.count('notice')} pending", "notice"),
            (f"{tones.count('bad')} need attention", "bad"),
            (f"{sum(len(v.history) for v in views)} checks", ""),
            (f"{len(distinct)} screenshots", ""),
        ]
        if others:
            counts.append((f"{len(others)} via another origin (--base-url), shown apart", ""))
        unmatched = sum(1 for s in distinct.values() if s in (MISMATCH, MISSING))
        if unmatched:
            counts.append((f"{unmatched} screenshot{'s' if unmatched != 1 else ''} missing or changed", "bad"))
        count_items = "".join(f'<li class="{cls}">{_e(text)}</li>' if cls else f"<li>{_e(text)}</li>"
                              for text, cls in counts)
        return (
            "<header>\n<h1>optout — proof report</h1>\n"
            f'<p class="meta">Generated {_e(_when(iso_utc(self.now)))} · ledger <code>{_e(_shown(ledger_path))}'
            "</code></p>\n"
            f"{integrity}\n"
            f'<ul class="counts">{count_items}</ul>\n</header>'
        )

    # -- platforms, accounts, settings ----------------------------------------------------------------

    def _platforms(self, views: list[SettingView], platform_titles: dict[str, str]) -> str:
        parts: list[str] = []
        section: tuple[str, str] | None = None
        account = None
        for view in views:
            if (view.key[0], view.key[3]) != section:
                if section is not None:
                    parts.append("</section></section>")
                section, account = (view.key[0], view.key[3]), None
                platform, origin = section
                title = platform_titles.get(platform, platform)
                extra = f" <small>{_e(platform)}</small>" if title != platform else ""
                if origin:  # a replica's or a staging host's results: never the account's own state
                    extra += f' <small class="via">via {_e(origin)} (--base-url), not {_e(title)} itself</small>'
                parts.append(f'<section class="platform"><h2>{_e(title)}{extra}</h2>')
            if view.key[1] != account:
                if account is not None:
                    parts.append("</section>")
                account = view.key[1]
                parts.append(f'<section class="account"><h3>{_e(account)}</h3>')
            parts.append(self._setting(view))
        parts.append("</section></section>")
        return "\n".join(parts)

    def _setting(self, view: SettingView) -> str:
        self._setting_ids += 1
        anchor = f"s-{self._setting_ids}"
        latest, kind = view.latest, view.tone
        ident = f" <code>{_e(view.key[2])}</code>" if view.title != view.key[2] else ""
        states = ""
        if latest.before or latest.after:
            states = f' <span class="states">before {_e(latest.before or "?")} → after {_e(latest.after or "?")}</span>'
        since = self._since(view)
        count = len(view.history)
        checked = (f'<p class="checked">Last checked {_e(_when(latest.at))} by <code>{_e(latest.command)}</code>'
                   f" · {count} check{'s' if count != 1 else ''}</p>")
        message = f'<p class="message">{_e(latest.message)}</p>' if latest.message else ""
        details = _details(latest.details)
        gallery = self._gallery(view, anchor)  # first: it numbers the figures the table links to
        rows = "\n".join(self._history_row(r) for r in reversed(view.history))  # newest first
        return (
            f'<article class="setting {kind}" id="{anchor}">\n'
            f"<h4>{_e(view.title)}{ident}</h4>\n"
            f'<p class="state">{_badge(latest.outcome)}{states}</p>\n'
            f"{since}\n{checked}\n{message}{details}\n"
            '<h5>History</h5>\n<div class="table-wrap"><table class="history">\n'
            "<thead><tr><th>Time (UTC)</th><th>Command</th><th>Outcome</th><th>Before → after</th>"
            f"<th>Message</th><th>Proof</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>\n"
            f"{gallery}</article>"
        )

    def _since(self, view: SettingView) -> str:
        off_since, known, failure = view.off_since, view.known, view.last_failure
        if off_since is None or known is None:
            label = SINCE_LABEL[tone(view.latest.outcome)]
            return (f'<p class="since">{label} since <time datetime="{_e(view.since.at)}">'
                    f"{_e(_when(view.since.at))}</time> ({_e(_span(view.since.at, self.now))})</p>")
        text = (f'<p class="since">Opted out since <time datetime="{_e(off_since.at)}">{_e(_when(off_since.at))}'
                f"</time> ({_e(_span(off_since.at, self.now))}), verified "
                f'<time datetime="{_e(known.at)}">{_e(_when(known.at))}</time></p>')
        if failure is not None:
            reason = f"{failure.outcome}: {failure.message or 'no reason given'}"
            text += (f'<p class="failure">Last check failed at <time datetime="{_e(failure.at)}">'
                     f"{_e(_when(failure.at))}</time> ({_e(reason)})</p>")
        return text

    def _history_row(self, result: Result) -> str:
        check = self.proofs.check(result)
        if check.path is None:
            proof = "—"
        else:
            figure = self._figure_ids.get(check.path)
            link = f'<a href="#{figure}">screenshot</a>' if figure else "screenshot"
            proof = f"{link} {_check_badge(check.status, short=True)}"
        states = f"{_e(result.before or '—')} → {_e(result.after or '—')}"
        return (
            f'<tr class="{tone(result.outcome)}"><td class="time">{_e(_when(result.at, seconds=True))}</td>'
            f'<td>{_e(result.command)}</td><td>{_badge(result.outcome)}</td><td class="st">{states}</td>'
            f'<td class="msg">{_e(result.message)}{_details(result.details)}</td><td>{proof}</td></tr>'
        )

    def _gallery(self, view: SettingView, back: str) -> str:
        # A screenshot is captioned by the result that took it (the first to record it), not by a
        # later check that points back at it (a form's "ok" shows the proof of its submission).
        takers: dict[Path, tuple[Result, ProofCheck]] = {}
        for result in view.history:
            check = self.proofs.check(result)
            if check.path is not None and check.path not in self._figure_ids:
                takers.setdefault(check.path, (result, check))
        figures = []
        for path, (result, check) in reversed(takers.items()):  # newest first, like the table
            figure = f"p-{len(self._figure_ids) + 1}"
            self._figure_ids[path] = figure
            figures.append(self._figure(figure, back, view, result, check))
        if not figures:
            return ""
        return '<h5>Screenshots</h5>\n<div class="gallery">\n' + "\n".join(figures) + "\n</div>\n"

    def _figure(self, figure: str, back: str, view: SettingView, result: Result, check: ProofCheck) -> str:
        recorded = f'<span class="hash">SHA-256 {_e(check.recorded or "not recorded")}</span>'
        actual = ""
        if check.status == MISMATCH:
            actual = f'<span class="hash">file now {_e(check.actual or "")}</span>'
        caption = (
            f"<figcaption>{_badge(result.outcome)} {_e(_when(result.at))}<br>"
            f"{_check_badge(check.status)}<br>{recorded}{actual}"
            f'<span class="path">{_e(_shown(check.path))}</span>'
            f'<a class="close" href="#{back}">Close ✕</a></figcaption>'
        )
        src = self._image_src(check)
        if src is None:  # nothing to show: say so where the image would be
            return (f'<figure class="proof gone" id="{figure}"><div class="noimage">screenshot '
                    f"{_e(check.status)}</div>{caption}</figure>")
        alt = f"Screenshot of {view.title} ({result.outcome}) at {_when(result.at)}"
        original = ""
        if self.files is not None:  # a real file beside the page: let the reader open it on its own
            original = f'<a class="original" href="{_e(src)}">open the image file</a>'
        return (
            f'<figure class="proof" id="{figure}"><a class="thumb" href="#{figure}" title="Open full size">'
            f'<img src="{_e(src)}" alt="{_e(alt)}"></a>{original}{caption}</figure>'
        )

    def _image_src(self, check: ProofCheck) -> str | None:
        if check.data is None or check.actual is None:
            return None
        if self.files is None:
            return f"data:{_mime(check.data)};base64,{base64.b64encode(check.data).decode('ascii')}"
        # Named by the content's own hash: a re-run rewrites the same name and a shared proof is one file.
        name = f"{check.actual[:20]}{_suffix(check.data)}"
        target = self.files / name
        if not target.exists() or target.read_bytes() != check.data:
            config.private_dir(self.files)
            write_atomic(target, check.data)
        return f"{quote(self.files.name)}/{name}"


# -- small helpers ------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _badge(outcome: str) -> str:
    return f'<span class="badge {tone(outcome)}">{_e(outcome)}</span>'


def _check_badge(status: str, short: bool = False) -> str:
    cls = {MATCHES: "good", UNRECORDED: "notice"}.get(status, "bad")
    if short:  # in the history table, where the column is narrow
        text = {MATCHES: "✓ matches", MISMATCH: "✗ does not match", MISSING: "✗ missing"}.get(status, status)
    else:
        text = {MATCHES: "file matches its SHA-256", MISMATCH: "file does not match its SHA-256",
                MISSING: "file missing", UNRECORDED: "no SHA-256 recorded"}.get(status, status)
    return f'<span class="check {cls}">{_e(text)}</span>'


def _details(details: dict[str, Any]) -> str:
    if not details:
        return ""
    items = " · ".join(f"{_e(str(k))}: {_e(_plain(v))}" for k, v in sorted(details.items()))
    return f'<span class="details">{items}</span>'


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _shown(path: Path | None) -> str:
    """A path with the home folder as "~": shorter, and a shared report does not name the user's folder."""
    text = str(path)
    home = str(Path.home())
    return "~" + text[len(home):] if home != "/" and text.startswith(home + os.sep) else text


def _parse(at: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else None


def _when(at: str, seconds: bool = False) -> str:
    parsed = _parse(at)
    if parsed is None:
        return at  # a damaged time is shown as stored; verify() reports the row
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


def _span(at: str, now: datetime) -> str:
    parsed = _parse(at)
    if parsed is None:
        return "unknown time"
    seconds = (now - parsed).total_seconds()
    if seconds < 0:
        return "in the future: check the clock"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"


def _mime(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return "image/png"  # what proof.save_proof writes; anything else shows as a broken image


def _suffix(data: bytes) -> str:
    return ".jpg" if _mime(data) == "image/jpeg" else ".png"


CSS = """
:root{--good:#166534;--good-bg:#dcfce7;--notice:#92400e;--notice-bg:#fef3c7;--bad:#991b1b;--bad-bg:#fee2e2;
--line:#d4d4d8;--muted:#52525b}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#18181b;
background:#f4f4f5}
header,main{max-width:1100px;margin:0 auto;padding:10px 16px}
h1{font-size:1.5rem;margin:.3em 0}h2{font-size:1.3rem;margin:1.2em 0 .2em}h3{font-size:1.05rem;margin:.6em 0;
color:var(--muted)}h4{font-size:1.1rem;margin:0 0 .3em}h5{font-size:.9rem;margin:.9em 0 .3em;color:var(--muted)}
h2 small,h4 code{font-size:.8em;font-weight:normal;color:var(--muted)}
p{margin:.25em 0}.meta{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.integrity{border-left:8px solid;border-radius:6px;padding:10px 14px;margin:10px 0;font-size:1.1rem}
.integrity span{font-size:.9rem;color:var(--muted)}.integrity ul{margin:.4em 0;padding-left:1.2em;font-size:.95rem}
.integrity li{overflow-wrap:anywhere}
.integrity.good{background:var(--good-bg);border-color:var(--good)}.integrity.bad{background:var(--bad-bg);
border-color:var(--bad)}
.counts{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:6px 0}
.counts li{background:#fff;border:1px solid var(--line);border-radius:999px;padding:1px 10px;font-size:.9rem}
.counts li.good{border-color:var(--good)}.counts li.notice{border-color:var(--notice)}
.counts li.bad{border-color:var(--bad);color:var(--bad)}
.setting{background:#fff;border:1px solid var(--line);border-left:8px solid;border-radius:8px;padding:12px 14px;
margin:10px 0}
.setting.good{border-left-color:var(--good)}.setting.notice{border-left-color:var(--notice)}
.setting.bad{border-left-color:var(--bad)}
.badge,.check{display:inline-block;border-radius:999px;padding:0 8px;font-size:.85em;font-weight:600}
.badge{color:#fff}.badge.good{background:var(--good)}.badge.notice{background:var(--notice)}
.badge.bad{background:var(--bad)}
.check.good{background:var(--good-bg);color:var(--good)}.check.notice{background:var(--notice-bg);
color:var(--notice)}.check.bad{background:var(--bad-bg);color:var(--bad)}
.state{font-size:1.05rem}.states{color:var(--muted)}.since{font-weight:600}.failure{color:var(--notice)}.checked{color:var(--muted);font-size:.9rem}
.message,.msg{white-space:pre-wrap;overflow-wrap:anywhere}
.details{display:block;font-size:.85em;color:var(--muted);overflow-wrap:anywhere}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid var(--line)}
td.time,td.st{white-space:nowrap}td.msg{min-width:12em}
.gallery{display:flex;flex-wrap:wrap;gap:12px}
figure.proof{margin:0;width:200px;font-size:.8rem}
figure.proof img{display:block;width:200px;height:150px;object-fit:cover;object-position:top;
border:1px solid var(--line);border-radius:4px;background:#fff}
.noimage{width:200px;height:150px;display:flex;align-items:center;justify-content:center;text-align:center;
background:var(--bad-bg);color:var(--bad);border-radius:4px;font-weight:600}
.hash,.path{display:block;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.72rem;
overflow-wrap:anywhere}
.path{color:var(--muted)}
figure.proof .close,figure.proof .path{display:none}
figure.proof:target{position:fixed;inset:0;width:auto;z-index:10;margin:0;padding:12px;overflow:auto;
background:rgba(0,0,0,.92);color:#fff;font-size:.9rem}
figure.proof:target img{width:auto;height:auto;max-width:100%;margin:0 auto;object-fit:contain;cursor:default}
figure.proof:target .path{display:block;color:#d4d4d8}figure.proof:target a{color:#93c5fd}
figure.proof:target .close{display:inline-block;position:fixed;top:10px;right:14px;padding:4px 12px;
border-radius:6px;background:#fff;color:#18181b;font-weight:600;text-decoration:none}
figure.proof:target figcaption{max-width:60em;margin:8px auto}
@media (max-width:560px){header,main{padding:8px 10px}.setting{padding:10px}
figure.proof,figure.proof img,.noimage{width:calc(50vw - 30px)}figure.proof img,.noimage{height:120px}
.history thead{display:none}.history tr{display:block;padding:6px 0;border-bottom:1px solid var(--line)}
.history td{display:inline;border:0;padding:0 6px 0 0}.history td.msg{display:block;min-width:0}}
"""
