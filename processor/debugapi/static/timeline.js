// The timeline page: a run's steps as bars on a time axis; a click drills down to the
// step's masked records. ENC[...] tokens in them get a Reveal button when the API says
// the caller may reveal them (with the ticket typed above); a revealed value is shown
// in place and never stored. The token comes from the URL fragment (#token=...), which the
// browser never sends to the server, and is kept in sessionStorage only.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem("logscrub.token") || "";
  let nextCursor = null;
  let currentRun = null;

  function readFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.get("token")) {
      token = params.get("token");
      sessionStorage.setItem("logscrub.token", token);
    }
    const run = params.get("run");
    history.replaceState(null, "", location.pathname + location.search);
    return run;
  }

  function say(text) { $("message").textContent = text; }

  async function api(path, payload) {
    const headers = { Authorization: "Bearer " + token };
    const ticket = $("ticket").value.trim();
    const why = $("justification").value.trim();
    if (ticket) headers["X-Debug-Ticket"] = ticket;
    if (why) headers["X-Debug-Justification"] = why;
    const init = { headers: headers, credentials: "omit", cache: "no-store" };
    if (payload !== undefined) {
      init.method = "POST";
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const resp = await fetch(path, init);
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok) throw new Error(resp.status + " " + (body.error || "error"));
    return body;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function loadRuns(append) {
    const q = new URLSearchParams({ limit: "50" });
    if ($("service").value.trim()) q.set("service", $("service").value.trim());
    if ($("status").value) q.set("status", $("status").value);
    if (append && nextCursor) q.set("cursor", nextCursor);
    try {
      const data = await api("/api/v1/workflows?" + q);
      if (!append) $("runs").replaceChildren();
      for (const run of data.runs) {
        const li = el("li", "run st-" + run.status);
        li.dataset.workflowId = run.workflow_id;
        li.dataset.runId = run.run_id;
        li.textContent = run.workflow_id + " · " + run.status + " · " + (run.service || "-");
        li.title = run.run_id + " started " + run.started_at;
        li.addEventListener("click", () => loadTimeline(run.workflow_id, run.run_id));
        $("runs").appendChild(li);
      }
      nextCursor = data.next_cursor;
      $("more").hidden = !nextCursor;
      say(data.runs.length || append ? "" : "No runs visible to you.");
    } catch (e) { say("Cannot list runs: " + e.message); }
  }

  function ms(iso) { return iso ? Date.parse(iso) : null; }

  async function loadTimeline(workflowId, runId) {
    let tl;
    try {
      tl = await api("/api/v1/workflows/" + encodeURIComponent(workflowId) + "/runs/" +
                     encodeURIComponent(runId) + "/timeline");
    } catch (e) { say("Cannot load the timeline: " + e.message); return; }
    say("");
    currentRun = tl;
    for (const li of $("runs").children) {
      li.classList.toggle("selected", li.dataset.workflowId === workflowId && li.dataset.runId === runId);
    }
    $("run-title").textContent = workflowId + " / " + runId + " — " + tl.status;
    const start = ms(tl.started_at);
    let end = ms(tl.ended_at) || start;
    for (const s of tl.steps) end = Math.max(end, ms(s.ended_at) || ms(s.started_at));
    const span = Math.max(end - start, 1);
    const pct = (t) => (100 * (t - start) / span);
    $("axis").replaceChildren();
    for (let i = 0; i <= 4; i++) {
      const tick = el("span", "", "+" + Math.round(span * i / 4) + " ms");
      tick.style.left = "calc(11.5rem + (100% - 11.5rem) * " + (i / 4) + ")";
      $("axis").appendChild(tick);
    }
    $("timeline").replaceChildren();
    for (const s of tl.steps) {
      const row = el("div", "row");
      row.appendChild(el("div", "label", s.step + (s.attempt > 1 ? " #" + s.attempt : "")));
      const lane = el("div", "lane");
      const bar = el("div", "bar status-" + s.status, s.status);
      const from = ms(s.started_at);
      const to = ms(s.ended_at) || end;
      bar.style.left = pct(from) + "%";
      bar.style.width = Math.max(pct(to) - pct(from), 0.5) + "%";
      bar.tabIndex = 0;
      bar.dataset.step = s.step;
      bar.title = s.step + " attempt " + s.attempt + ": " + s.status +
        (s.duration_ms !== null ? " in " + s.duration_ms + " ms" : "") + ", " + s.records + " records";
      bar.addEventListener("click", () => loadRecords(s.step, bar));
      lane.appendChild(bar);
      row.appendChild(lane);
      $("timeline").appendChild(row);
    }
    $("records").replaceChildren();
    $("records-title").hidden = true;
  }

  async function loadRecords(step, bar) {
    for (const b of document.querySelectorAll(".bar")) b.classList.toggle("selected", b === bar);
    const q = new URLSearchParams({ workflow_id: currentRun.workflow_id, run_id: currentRun.run_id,
                                    step: step, limit: "200" });
    let data;
    try { data = await api("/api/v1/records?" + q); }
    catch (e) { say("Cannot load records: " + e.message); return; }
    say("");
    $("records-title").hidden = false;
    $("records-title").textContent = "Masked records of " + step;
    $("records").replaceChildren();
    const found = new Set();
    for (const r of data.records) {
      const li = el("li", "record");
      li.appendChild(el("span", "source", r.time + " · " + r.event + " · " + r["scrub.source"]));
      let pos = 0;
      for (const m of r.record.matchAll(TOKEN)) {
        li.appendChild(document.createTextNode(r.record.slice(pos, m.index)));
        const span = el("span", "enc", m[0]);
        span.dataset.token = m[0];
        li.appendChild(span);
        found.add(m[0]);
        pos = m.index + m[0].length;
      }
      li.appendChild(document.createTextNode(r.record.slice(pos)));
      $("records").appendChild(li);
    }
    delete $("records").dataset.revealChecked;
    if (found.size) offerReveal([...found].slice(0, 50));
  }

  const TOKEN = /ENC\[v1:[A-Z][A-Z0-9_]*:[a-z0-9][a-z0-9-]*:[sg]:[A-Za-z0-9_-]+\]/g;

  async function offerReveal(tokens) {
    let permitted;
    try { permitted = (await api("/api/v1/reveal/permitted", { tokens: tokens })).permitted; }
    catch (e) { $("records").dataset.revealChecked = "error"; return; }  // no buttons
    tokens.forEach((t, i) => {
      if (!permitted[i]) return;
      for (const span of document.querySelectorAll("span.enc")) {
        if (span.dataset.token !== t || span.nextSibling?.className === "reveal") continue;
        const button = el("button", "reveal", "Reveal");
        button.type = "button";
        button.addEventListener("click", () => reveal(span, button));
        span.after(button);
      }
    });
    $("records").dataset.revealChecked = "1";  // the permission probe has answered
  }

  async function reveal(span, button) {
    const why = $("justification").value.trim();
    if (!why) { say("Type a justification before revealing a value."); return; }
    const t = span.dataset.token;
    try {
      const data = await api("/api/v1/reveal", { tokens: [t], reason: why });
      const r = data.results[0];
      for (const same of document.querySelectorAll("span.enc")) {
        if (same.dataset.token !== t) continue;
        same.textContent = r.value !== undefined ? r.value : "(" + r.error + ")";
        same.classList.add("revealed");
        if (same.nextSibling?.className === "reveal") same.nextSibling.remove();
      }
      say("");
    } catch (e) { say("Cannot reveal: " + e.message); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const run = readFragment();
    $("refresh").addEventListener("click", () => {
      const typed = $("token").value.trim();
      if (typed) { token = typed; sessionStorage.setItem("logscrub.token", token); }
      loadRuns(false);
    });
    $("more").addEventListener("click", () => loadRuns(true));
    if (!token) { say("Paste your token and press Load runs (or open /#token=<token>)."); return; }
    loadRuns(false).then(() => {
      if (run && run.includes("/")) {
        const i = run.indexOf("/");
        loadTimeline(run.slice(0, i), run.slice(i + 1));
      } else if ($("runs").firstChild) {
        $("runs").firstChild.click();
      }
    });
  });
})();
