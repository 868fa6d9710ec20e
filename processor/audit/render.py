"""The access review as JSON, CSV (one row per actor) or one self-contained HTML page.

Every value from the events is escaped for its format: an actor named ``<script>`` is
text in the HTML page, and a cell starting with ``=`` cannot become a spreadsheet formula.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from processor.audit.summary import AccessSummary

__all__ = ["render"]

_CSV_COLUMNS = (
    "actor", "groups", "requests", "denials", "without_ticket", "mutation_attempts",
    "actions", "reveals_by_entity", "workflows", "services", "tickets", "justifications",
    "first_seen", "last_seen",
)  # fmt: skip


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        text = "; ".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, list):
        text = "; ".join(str(v) for v in value)
    else:
        text = str(value)
    # A leading =, +, - or @ makes spreadsheets evaluate the cell: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for actor in data["actors"]:
        writer.writerow([_cell(actor[c]) for c in _CSV_COLUMNS])
    return out.getvalue()


def _chart(per_day: dict[str, dict[str, int]]) -> str:
    """An inline SVG bar chart: requests per day, the denied part in red."""
    if not per_day:
        return "<p>No activity in the period.</p>"
    days = list(per_day)
    peak = max(sum(c.values()) for c in per_day.values()) or 1
    bar, gap, height = 28, 8, 160
    width = len(days) * (bar + gap) + gap
    parts = [f'<svg role="img" aria-label="requests per day" width="{width}" '
             f'height="{height + 40}" xmlns="http://www.w3.org/2000/svg">']
    for i, day in enumerate(days):
        allow, deny = per_day[day].get("allow", 0), per_day[day].get("deny", 0)
        x = gap + i * (bar + gap)
        h_allow, h_deny = height * allow / peak, height * deny / peak
        top = height - h_allow - h_deny
        parts.append(f'<rect x="{x}" y="{top + h_deny:.1f}" width="{bar}" '
                     f'height="{h_allow:.1f}" fill="#4a7bd0"><title>{allow} allowed</title></rect>')
        parts.append(f'<rect x="{x}" y="{top:.1f}" width="{bar}" height="{h_deny:.1f}" '
                     f'fill="#d04a4a"><title>{deny} denied</title></rect>')
        parts.append(f'<text x="{x + bar / 2}" y="{height + 14}" font-size="9" '
                     f'text-anchor="middle">{html.escape(day[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html(data: dict[str, Any]) -> str:
    e = html.escape
    rows = []
    for a in data["actors"]:
        actions = "<br>".join(f"{e(k)}: {v}" for k, v in a["actions"].items())
        reveals = "<br>".join(f"{e(k)}: {v}" for k, v in a["reveals_by_entity"].items())
        rows.append(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in (
                e(a["actor"]), e(", ".join(a["groups"])), a["requests"], a["denials"],
                a["without_ticket"], a["mutation_attempts"], actions, reveals or "-",
                e(", ".join(a["workflows"])) or "-", e(", ".join(a["services"])) or "-",
                e(", ".join(a["tickets"])) or "-", e(" | ".join(a["justifications"])) or "-",
                f'{e(a["first_seen"])}<br>{e(a["last_seen"])}',
            )) + "</tr>"
        )  # fmt: skip
    skipped = sum(data["skipped_invalid"].values())
    head = ("actor", "groups", "requests", "denied", "no ticket", "mutating", "actions",
            "reveals by entity", "workflows", "services", "tickets", "justifications",
            "first / last")  # fmt: skip
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>logscrub access review {e(data["since"][:10])} to {e(data["until"][:10])}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }}
th {{ background: #f0f0f0; }}
.flag {{ color: #b00; font-weight: bold; }}
</style></head><body>
<h1>Debug access review</h1>
<p>Period: {e(data["since"])} to {e(data["until"])}. {len(data["actors"])} actor(s).
Lists are capped at {data["max_listed"]} entries per actor.
{f'<span class="flag">{skipped} event(s) broke the audit contract and were skipped.</span>'
 if skipped else ""}</p>
<h2>Requests per day</h2>
{_chart(data["per_day"])}
<p>Blue: allowed. Red: denied.</p>
<h2>Per actor</h2>
<table><thead><tr>{"".join(f"<th>{h}</th>" for h in head)}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


def render(summary: AccessSummary, fmt: str) -> str:
    """The report in ``fmt`` (``json``, ``csv`` or ``html``)."""
    data = summary.as_dict()
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    if fmt == "csv":
        return _csv(data)
    return _html(data)
