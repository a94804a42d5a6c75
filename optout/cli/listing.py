"""`optout list`: each platform's settings from the flow files, and the guided platforms apart."""

from __future__ import annotations

import json
from typing import Any

import click

from optout import engine
from optout.cli.guard import guarded


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@guarded
def list_cmd(as_json: bool) -> None:
    """Each platform's settings with their click paths, from the flow files."""
    from optout import flow

    flows = flow.load_all()
    broken_last = engine.last_broken()
    rows = [{"platform": f.platform, "title": f.title, "setting": s.id, "setting_title": s.title,
             "kind": s.kind, "want": s.want, "path": s.path, "deep_link": s.deep_link,
             "confidence": s.confidence, "off_means": s.off_means,
             "status": s.status, "last_broken": sorted(broken_last.get((f.platform, s.id), []))}
            for f in flows.values() for s in f.settings]
    for row in rows:
        row["guided"] = False
    guided = _guided_rows()
    if as_json:
        click.echo(json.dumps(rows + guided, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flag = "  [marked broken]" if row["status"] == "broken" else ""
        if row["last_broken"]:
            flag += f"  [broken at last check: {', '.join(row['last_broken'])}]"
        sure = f"  confidence {row['confidence']}" if row["confidence"] else ""
        click.echo(f"{row['platform']:<10} {row['setting']:<20} {row['kind']:<8} want {row['want']}{sure}{flag}")
        click.echo(f"{'':<10} {' → '.join(row['path'])}")
    if guided:
        click.echo("\nguided (no bot can act there; `optout guide PLATFORM` says what to do):")
    for row in guided:
        click.echo(f"{row['platform']:<12} {row['how']:<14} confidence {row['confidence']:<7} {row['why_no_bot']}")


def _guided_rows() -> list[dict[str, Any]]:
    """`optout list`'s rows for the guided platforms, with a flow row's keys (empty) too."""
    from optout import guides

    return [{"platform": g.platform, "title": g.title, "guided": True, "how": g.how, "why_no_bot": g.why_no_bot,
             "who": g.who, "letter": g.letter.offered, "check": g.robots is not None, "confidence": g.confidence,
             "setting": None, "setting_title": None, "kind": "guide", "want": None, "path": [], "deep_link": None,
             "off_means": None, "status": None, "last_broken": []}
            for g in guides.load_all().values()]
