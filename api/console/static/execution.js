// The execution page: live node states from the run's event stream, the node panel (items
// fetched page by page), zoom, and the role-gated actions. Plain DOM APIs only; every value
// from the run is written with textContent, never as markup.
"use strict";

(function () {
  const root = document.getElementById("execution");
  if (!root) return;
  const scriptStart = performance.now();
  const id = root.dataset.executionId;
  const base = "/ui/executions/" + encodeURIComponent(id);
  const pageSize = Number(root.dataset.pageSize) || 50;
  const statusText = JSON.parse(root.dataset.statusText);
  const nodes = new Map();
  document.querySelectorAll("#canvas .node").forEach((g) => nodes.set(g.dataset.name, g));
  const edges = Array.from(document.querySelectorAll("#canvas .edge"));
  const totals = new Map(); // "node\u0000output" -> items seen live
  const durations = new Map(); // node -> [ms, runs]

  function text(el, value) { if (el) el.textContent = value == null ? "" : String(value); }
  function duration(ms) {
    if (ms == null) return "";
    if (ms < 1000) return Math.round(ms) + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
    return Math.floor(ms / 60000) + " min " + Math.floor((ms % 60000) / 1000) + " s";
  }

  // Sub-nodes (model, memory, tool) have no runs of their own: they follow their root node.
  function subNodes(name) {
    return edges.filter((e) => e.dataset.to === name && !e.classList.contains("k-main")).map((e) => e.dataset.from);
  }

  function setStatus(name, key) {
    subNodes(name).forEach((sub) => setOwnStatus(sub, key === "failed" ? "skipped" : key));
    setOwnStatus(name, key);
  }

  function setOwnStatus(name, key) {
    const g = nodes.get(name);
    if (!g || g.dataset.status === "disabled") return;
    g.classList.remove("s-" + g.dataset.status);
    g.classList.add("s-" + key);
    g.dataset.status = key;
    text(g.querySelector(".status"), statusText[key]);
    g.setAttribute("aria-label", name + ": " + statusText[key]);
  }

  function waitingKind(name) {
    const g = nodes.get(name);
    return g && g.dataset.wait ? g.dataset.wait : "running";
  }

  function addCounts(name, items) {
    items.forEach((count, output) => {
      const key = name + "\u0000" + output;
      const total = (totals.get(key) || 0) + count;
      totals.set(key, total);
      edges.filter((e) => e.dataset.from === name && Number(e.dataset.output) === output)
        .forEach((e) => text(e.querySelector(".count"), total + (total === 1 ? " item" : " items")));
    });
  }

  function addTiming(name, ms) {
    const [sum, runs] = durations.get(name) || [0, 0];
    const next = [sum + (ms || 0), runs + 1];
    durations.set(name, next);
    const g = nodes.get(name);
    if (g) text(g.querySelector(".timing"), duration(next[0]) + (next[1] > 1 ? " · " + next[1] + " runs" : ""));
  }

  function showError(name, message) {
    const g = nodes.get(name);
    if (g) text(g.querySelector(".ai"), message.slice(0, 30));
    const section = document.getElementById("errors");
    const list = document.getElementById("error-list");
    let li = Array.from(list.children).find((el) => el.dataset.node === name);
    if (!li) { li = document.createElement("li"); li.dataset.node = name; list.appendChild(li); }
    li.replaceChildren();
    const strong = document.createElement("strong");
    strong.textContent = name;
    li.append(strong, ": " + message);
    section.hidden = false;
  }

  async function aiInfo(name) {
    const response = await fetch(base + "/ai?node=" + encodeURIComponent(name), { headers: { "X-Hive-Console": "1" } });
    return response.ok ? response.json() : null;
  }

  async function refreshAi(name) {
    const info = await aiInfo(name);
    const g = nodes.get(name);
    if (!info || !g) return;
    text(g.querySelector(".ai"), info.text.slice(0, 30));
    if (info.speed) g.querySelector(".timing").append(" · " + info.speed);
  }

  function setRunStatus(status) {
    const badge = document.getElementById("run-status");
    badge.className = "badge r-" + status;
    text(badge, status);
  }

  function addGate(event) {
    const section = document.getElementById("approvals");
    const list = document.getElementById("gates");
    if (Array.from(list.children).some((li) => li.dataset.gateId === event.gate_id)) { section.hidden = false; return; }
    const li = document.createElement("li");
    li.className = "gate";
    li.dataset.gateId = event.gate_id;
    const label = document.createElement("span");
    label.textContent = (event.node || "the whole workflow") + " — waiting for a decision";
    li.appendChild(label);
    if (section.dataset.canDecide === "true") {
      const comment = document.createElement("input");
      comment.className = "comment"; comment.placeholder = "comment (optional)"; comment.setAttribute("aria-label", "Comment");
      const approve = document.createElement("button");
      approve.type = "button"; approve.className = "approve"; approve.dataset.action = "approve"; approve.textContent = "Approve";
      const reject = document.createElement("button");
      reject.type = "button"; reject.className = "reject"; reject.dataset.action = "reject"; reject.textContent = "Reject";
      li.append(comment, approve, reject);
    }
    list.appendChild(li);
    section.hidden = false;
  }

  function clearGates() {
    document.getElementById("gates").replaceChildren();
    document.getElementById("approvals").hidden = true;
  }

  const handlers = {
    node_started(e) { setStatus(e.node, waitingKind(e.node)); },
    node_finished(e) {
      setStatus(e.node, "succeeded");
      addCounts(e.node, e.items || []);
      addTiming(e.node, e.execution_time_ms);
      const g = nodes.get(e.node);
      if (g && g.dataset.ai === "true") refreshAi(e.node);
    },
    node_failed(e) {
      setStatus(e.node, "failed");
      addTiming(e.node, null);
      showError(e.node, e.description ? e.error + ": " + e.description : e.error);
    },
    waiting(e) {
      setRunStatus("waiting");
      if (e.reason === "approval") { if (e.node) setStatus(e.node, "approval"); addGate(e); }
      else if (e.node) setStatus(e.node, "webhook");
    },
    tokens(e) {
      const g = e.node && nodes.get(e.node);
      if (g) text(g.querySelector(".ai"), e.tokens + " tokens…");
    },
    run_finished(e) {
      const status = { success: "success", error: "error", failed: "error", timed_out: "error" }[e.status] || e.status;
      setRunStatus(status);
      nodes.forEach((g, name) => {
        if (["waiting", "running", "approval", "webhook", "timer"].includes(g.dataset.status)) setStatus(name, "skipped");
      });
      clearGates();
      text(document.getElementById("run-finished"), new Date(e.at).toISOString().replace("T", " ").slice(0, 19));
      const cancel = document.getElementById("cancel");
      if (cancel) cancel.hidden = true;
      const retry = document.getElementById("retry");
      if (retry) retry.hidden = status !== "error";
      if (e.error && !document.querySelector("#error-list li")) {
        const li = document.createElement("li");
        li.textContent = e.error;
        document.getElementById("error-list").appendChild(li);
        document.getElementById("errors").hidden = false;
      }
      root.dataset.open = "false";
      root.dataset.finished = "true";
    },
  };

  function listen() {
    const source = new EventSource(base + "/stream");
    Object.keys(handlers).forEach((type) => source.addEventListener(type, (message) => {
      const event = JSON.parse(message.data);
      handlers[type](event);
      if (type === "run_finished") source.close();
    }));
    source.addEventListener("error", (message) => {
      if (message.data) { // the stream's own last frame: the run cannot be read any more
        source.close();
        flash(JSON.parse(message.data).error.message, true);
      } else if (source.readyState === EventSource.CLOSED) {
        window.location.reload(); // logged out or gone: the server says which
      }
    });
    root.dataset.live = "true";
  }

  // ---- the node panel ------------------------------------------------------------------
  const panel = document.getElementById("panel");
  const view = { node: null, side: "output", run: null, port: 0, offset: 0, mode: "table", page: null };

  function cell(value) {
    if (value === null || value === undefined) return "";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function binaryUrl(binaryId) {
    return base + "/binary/" + encodeURIComponent(binaryId).replace(/%2F/g, "/");
  }

  function renderTable(items) {
    const wrap = document.getElementById("panel-table");
    wrap.replaceChildren();
    if (!items.length) { wrap.textContent = "No items."; return; }
    const keys = [];
    items.forEach((item) => Object.keys(item.json || {}).forEach((k) => { if (!keys.includes(k) && keys.length < 40) keys.push(k); }));
    const hasBinary = items.some((item) => item.binary && Object.keys(item.binary).length);
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    ["#", ...keys, ...(hasBinary ? ["binary"] : [])].forEach((k) => {
      const th = document.createElement("th"); th.textContent = k; head.appendChild(th);
    });
    const body = table.createTBody();
    items.forEach((item, i) => {
      const row = body.insertRow();
      row.insertCell().textContent = String(view.offset + i);
      keys.forEach((k) => {
        const td = row.insertCell();
        td.textContent = cell((item.json || {})[k]);
        td.title = td.textContent;
      });
      if (hasBinary) {
        const td = row.insertCell();
        Object.entries(item.binary || {}).forEach(([prop, meta]) => {
          if (!meta || !meta.id) { td.append(prop + " "); return; }
          const a = document.createElement("a");
          a.href = binaryUrl(meta.id);
          a.className = "download";
          a.textContent = prop + ": " + (meta.fileName || "file") + (meta.fileSize ? " (" + meta.fileSize + ")" : "");
          a.setAttribute("download", meta.fileName || "");
          td.append(a, " ");
        });
      }
    });
    wrap.appendChild(table);
  }

  function renderPage(page) {
    view.page = page;
    text(document.getElementById("panel-title"), page.node);
    const meta = page.runs
      ? "run " + (page.run_index + 1) + " of " + page.runs + " · " + (page.status || "") +
        (page.execution_time_ms != null ? " · " + duration(page.execution_time_ms) : "")
      : "not run (yet)";
    text(document.getElementById("panel-meta"), meta);
    const error = document.getElementById("panel-error");
    error.hidden = !page.error;
    text(error, page.error ? (page.error.message || "") + (page.error.description ? ": " + page.error.description : "") : "");
    const runSelect = document.getElementById("run-select");
    runSelect.replaceChildren(...Array.from({ length: page.runs }, (_, i) => new Option(String(i + 1), String(i), false, i === page.run_index)));
    const portSelect = document.getElementById("port-select");
    portSelect.replaceChildren(...page.ports.map((p, i) => new Option(p.label + " (" + p.items + ")", String(i), false, i === page.port)));
    const last = Math.min(page.offset + page.items.length, page.total);
    text(document.getElementById("panel-count"),
      page.truncated ? "Item data was dropped to fit Temporal's payload limit." :
      page.total ? "items " + (page.offset + 1) + "–" + last + " of " + page.total : "no items");
    text(document.getElementById("page-label"), page.total ? Math.floor(page.offset / pageSize) + 1 + " / " + Math.max(1, Math.ceil(page.total / pageSize)) : "");
    document.getElementById("page-prev").disabled = page.offset <= 0;
    document.getElementById("page-next").disabled = page.offset + pageSize >= page.total;
    renderTable(page.items);
    text(document.getElementById("panel-json"), JSON.stringify(page.items, null, 2));
    document.getElementById("panel-table").hidden = view.mode !== "table";
    document.getElementById("panel-json").hidden = view.mode !== "json";
    panel.dataset.loaded = page.node + "|" + page.side + "|" + page.offset;
  }

  async function loadItems() {
    const params = new URLSearchParams({ node: view.node, side: view.side, port: String(view.port), offset: String(view.offset), limit: String(pageSize) });
    if (view.run !== null) params.set("run", String(view.run));
    const response = await fetch(base + "/items?" + params, { headers: { "X-Hive-Console": "1" } });
    if (response.status === 401) { window.location.reload(); return; }
    if (!response.ok) { flash("could not load the items (" + response.status + ")", true); return; }
    renderPage(await response.json());
  }

  function openNode(g) {
    nodes.forEach((other) => other.classList.remove("selected"));
    g.classList.add("selected");
    Object.assign(view, { node: g.dataset.name, side: "output", run: null, port: 0, offset: 0 });
    selectTab("side", "output");
    panel.hidden = false;
    loadItems();
    const line = document.getElementById("panel-ai");
    line.hidden = true;
    if (g.dataset.ai === "true") {
      aiInfo(g.dataset.name).then((info) => {
        if (info && view.node === g.dataset.name) { line.textContent = info.detail; line.hidden = false; }
      });
    }
  }

  function selectTab(kind, value) {
    document.querySelectorAll(kind === "side" ? "[data-side]" : "[data-view]").forEach((b) =>
      b.setAttribute("aria-selected", String((kind === "side" ? b.dataset.side : b.dataset.view) === value)));
  }

  nodes.forEach((g) => {
    g.addEventListener("click", () => openNode(g));
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openNode(g); }
    });
  });
  document.getElementById("panel-close").addEventListener("click", () => {
    panel.hidden = true;
    const g = nodes.get(view.node);
    if (g) g.focus();
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") panel.hidden = true; });
  document.querySelectorAll("[data-side]").forEach((b) => b.addEventListener("click", () => {
    Object.assign(view, { side: b.dataset.side, port: 0, offset: 0 });
    selectTab("side", view.side);
    loadItems();
  }));
  document.querySelectorAll("[data-view]").forEach((b) => b.addEventListener("click", () => {
    view.mode = b.dataset.view;
    selectTab("view", view.mode);
    if (view.page) renderPage(view.page);
  }));
  document.getElementById("run-select").addEventListener("change", (e) => { view.run = Number(e.target.value); view.offset = 0; loadItems(); });
  document.getElementById("port-select").addEventListener("change", (e) => { view.port = Number(e.target.value); view.offset = 0; loadItems(); });
  document.getElementById("page-prev").addEventListener("click", () => { view.offset = Math.max(0, view.offset - pageSize); loadItems(); });
  document.getElementById("page-next").addEventListener("click", () => { view.offset += pageSize; loadItems(); });

  // ---- actions -------------------------------------------------------------------------
  function flash(message, isError) {
    const el = document.getElementById("action-result");
    el.textContent = message;
    el.className = isError ? "flash error" : "flash";
    el.hidden = false;
  }

  async function act(action, body) {
    const response = await fetch(base + "/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Hive-Console": "1" },
      body: JSON.stringify(body || {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 401) { window.location.reload(); return null; }
    if (!response.ok) { flash((answer.error && answer.error.message) || action + " failed (" + response.status + ")", true); return null; }
    return answer;
  }

  document.addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    button.disabled = true;
    try {
      if (action === "approve" || action === "reject") {
        const li = button.closest(".gate");
        const comment = li.querySelector(".comment");
        const gate = await act(action, { gate_id: li.dataset.gateId, comment: comment && comment.value ? comment.value : null });
        if (gate) { flash((action === "approve" ? "Approved: " : "Rejected: ") + (gate.node || "the workflow")); li.remove(); }
      } else if (action === "retry") {
        const started = await act("retry");
        if (started) window.location.assign("/ui/executions/" + encodeURIComponent(started.id));
      } else if (action === "cancel") {
        const done = await act("cancel");
        if (done) flash(done.message);
      }
    } finally {
      button.disabled = false;
    }
  });

  // ---- zoom ----------------------------------------------------------------------------
  const svg = document.getElementById("canvas");
  const graph = document.getElementById("graph");
  const natural = [Number(svg.dataset.width), Number(svg.dataset.height)];
  let zoom = 1;
  function setZoom(value) {
    zoom = Math.min(3, Math.max(0.1, value));
    svg.setAttribute("width", String(Math.round(natural[0] * zoom)));
    svg.setAttribute("height", String(Math.round(natural[1] * zoom)));
  }
  const fit = () => setZoom(Math.min(1.5, (graph.clientWidth - 4) / natural[0], Math.max(0.35, (graph.clientHeight - 4) / natural[1])));
  document.getElementById("zoom-in").addEventListener("click", () => setZoom(zoom * 1.25));
  document.getElementById("zoom-out").addEventListener("click", () => setZoom(zoom / 1.25));
  document.getElementById("zoom-fit").addEventListener("click", fit);
  fit();
  root.dataset.scriptStart = String(scriptStart);
  root.dataset.rendered = String(performance.now());

  if (root.dataset.open === "true") listen();
})();
