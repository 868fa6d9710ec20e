"""``GET /``: the timeline page, server-rendered HTML plus one small script, no build step.

The page holds no data; the script reads the token from the URL fragment (never sent
to the server, so never in an access log), keeps it in ``sessionStorage`` and calls the
API with it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from processor.debugapi.deps import Access

__all__ = ["router"]

router = APIRouter()
_STATIC = Path(__file__).resolve().parent / "static"
_TYPES = {"timeline.js": "text/javascript; charset=utf-8",
          "timeline.css": "text/css; charset=utf-8"}

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>logscrub: workflow timelines</title>
<link rel="stylesheet" href="/static/timeline.css">
<script src="/static/timeline.js" defer></script>
</head>
<body>
<header>
  <h1>Workflow timelines</h1>
  <span class="mode">read-only session · every request is audited · {version}</span>
</header>
<section class="controls">
  <label>Token <input id="token" type="password" maxlength="8192" autocomplete="off"></label>
  <label>Service <input id="service" maxlength="200" autocomplete="off"></label>
  <label>Status <select id="status"><option value="">any</option>
    <option>running</option><option>completed</option><option>failed</option></select></label>
  <label>Ticket <input id="ticket" maxlength="64" placeholder="INC-1234" autocomplete="off"></label>
  <label>Justification <input id="justification" maxlength="500" autocomplete="off"></label>
  <button id="refresh" type="button">Load runs</button>
</section>
<p id="message" role="status"></p>
<main>
  <nav><h2>Runs</h2><ul id="runs"></ul><button id="more" type="button" hidden>More</button></nav>
  <section>
    <h2 id="run-title">Select a run</h2>
    <div id="axis"></div>
    <div id="timeline" aria-label="steps on a time axis"></div>
    <h2 id="records-title" hidden>Masked records</h2>
    <ol id="records"></ol>
  </section>
</main>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index(rec: Access) -> HTMLResponse:
    """The page itself (public: it holds no data)."""
    from processor import __version__

    rec.operation, rec.decision, rec.policy_ids = "ViewPage", "allow", ("public",)
    return HTMLResponse(_PAGE.format(version=escape(f"logscrub {__version__}")))


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str, rec: Access, request: Request) -> Response:
    """The script and the style sheet (a fixed list: nothing else is served)."""
    rec.operation = "ViewPage"
    if name not in _TYPES:
        rec.decision, rec.reason = "deny", "not_found"
        return Response(b'{"error":"not_found"}', 404, media_type="application/json")
    rec.decision, rec.policy_ids = "allow", ("public",)
    return Response((_STATIC / name).read_bytes(), media_type=_TYPES[name])
