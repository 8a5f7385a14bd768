// playstream serve's page. Everything from the store or a URL is put on the page as text
// (textContent, Chart.js labels drawn on a canvas), never as HTML; the server's
// Content-Security-Policy runs only this file and chart.js.
"use strict";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = { view: params.get("view") === "pipeline" ? "pipeline" : "listening",
                user: params.get("user") || "", date: params.get("date") || "",
                hour: params.get("hour") === null ? null : Number(params.get("hour")) };
const charts = {};
const FEATURES = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "mode"];

class StoreUnreachable extends Error {}

// GET /api/...: the JSON, or an Error with the server's message. A 503 (or no answer at all)
// says the store (or serve) cannot be reached: the page says so instead of drawing empty charts.
async function api(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" } });
  } catch (e) {
    throw new StoreUnreachable("playstream serve does not answer");
  }
  const body = await response.json().catch(() => ({ error: "HTTP " + response.status }));
  if (response.status === 503) throw new StoreUnreachable("the store is unreachable: " + body.error);
  if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
  return body;
}

function q(path, values) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== "") search.set(k, v);
  return path + "?" + search.toString();
}

function showStatus(message) {
  const status = $("status");
  status.textContent = message;
  status.hidden = !message;
}

let retryTimer = null;
// Runs a load step; a failure shows in the status line, and an unreachable store is retried.
async function guarded(step) {
  try {
    await step();
    if (retryTimer === null) showStatus("");
    return true;
  } catch (e) {
    if (e instanceof StoreUnreachable) {
      showStatus("Cannot show the listening data: " + e.message + ". Trying again in 5 s.");
      document.body.dataset.store = "unreachable";
      for (const id of ["user-panel", "hour-panel"]) $(id).hidden = true;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => { retryTimer = null; start(); }, 5000);
    } else {
      showStatus("Error: " + e.message);
    }
    return false;
  }
}

function remember() {
  const search = new URLSearchParams();
  if (state.view !== "listening") search.set("view", state.view);
  if (state.user) search.set("user", state.user);
  if (state.date) search.set("date", state.date);
  if (state.hour !== null) search.set("hour", state.hour);
  history.replaceState(null, "", "?" + search.toString());
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement("tr");
    cells.forEach((cell, i) => {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "row";
      if (typeof cell === "number") td.className = "num";
      td.textContent = cell === null ? "" : String(cell);
      tr.append(td);
    });
    return tr;
  }));
}

function option(value, text) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  return o;
}

function barChart(id, labels, data, label, onPick) {
  if (typeof Chart === "undefined") return;  // charts missing: the tables still show the data
  charts[id]?.destroy();
  charts[id] = new Chart($(id), {
    type: "bar",
    data: { labels, datasets: [{ label, data, backgroundColor: "#1f6feb" }] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      onClick: onPick ? (event, elements) => { if (elements.length) onPick(elements[0].index); } : undefined,
    },
  });
}

// ---- listening ----

async function findUsers(prefix) {
  const users = await api(q("/api/users", { prefix, limit: 20 }));
  $("users-note").textContent = users.length === 0 ? "No user name starts with that."
    : users.length === 20 ? "The first 20 names; type more to narrow." : users.length + " found.";
  $("users").replaceChildren(...users.map(({ name }) => {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = name;
    b.setAttribute("aria-pressed", String(name === state.user));
    b.addEventListener("click", () => { state.user = name; state.date = ""; state.hour = null; guarded(loadUser); });
    li.append(b);
    return li;
  }));
}

async function loadUser() {
  const dates = await api(q("/api/dates", { user: state.user }));
  $("user-name").textContent = state.user;
  for (const b of $("users").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.textContent === state.user));
  $("date").replaceChildren(...dates.map(({ date, hours }) => option(date, `${date} (${hours} h with listens)`)));
  if (!dates.some((d) => d.date === state.date)) state.date = dates.length ? dates[dates.length - 1].date : "";
  $("date").value = state.date;
  $("user-panel").hidden = false;
  if (!state.date) {
    $("hour-panel").hidden = true;
    return;
  }
  await loadDay();
}

async function loadDay() {
  const hours = await api(q("/api/hours", { user: state.user, date: state.date }));
  barChart("hours-chart", hours.map((h) => String(h.hour).padStart(2, "0")), hours.map((h) => h.listens),
           "listens", (index) => { state.hour = index; guarded(loadHour); });
  fillRows($("hours-table").tBodies[0], hours.map((h) => [h.hour, h.listens]));
  const played = hours.filter((h) => h.listens > 0);
  $("hour").replaceChildren(...hours.map((h) => option(h.hour, `${String(h.hour).padStart(2, "0")}:00 (${h.listens})`)));
  if (state.hour === null || !(state.hour >= 0 && state.hour < 24)) state.hour = played.length ? played[played.length - 1].hour : 0;
  await loadHour();
}

async function loadHour() {
  $("hour").value = String(state.hour);
  remember();
  const key = { user: state.user, date: state.date, hour: state.hour };
  const [songs, stats] = await Promise.all([api(q("/api/songs", key)), api(q("/api/stats", key))]);
  $("songs-title").textContent = `Songs at ${String(state.hour).padStart(2, "0")}:00, newest first`;
  $("songs").replaceChildren(...songs.map(({ song }) => {
    const li = document.createElement("li");
    li.textContent = song;
    return li;
  }));
  const row = stats[0];
  $("stats-listens").textContent = row ? String(row.listens) : "0";
  const averages = row ? Object.keys(row).filter((k) => k.startsWith("avg_")) : [];
  fillRows($("stats-table").tBodies[0], averages.map((k) => [k.slice(4), Number(row[k].toPrecision(6))]));
  const shown = FEATURES.filter((f) => row && ("avg_" + f) in row);
  barChart("stats-chart", shown, shown.map((f) => row["avg_" + f]), "average");
  $("hour-panel").hidden = false;
  document.body.dataset.ready = "listening";
}

async function loadSample() {
  const rows = await api(q("/api/sample", { limit: 20 }));
  const table = $("sample");
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const head = document.createElement("tr");
  for (const c of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  fillRows(table.tBodies[0], rows.map((r) => columns.map((c) => r[c])));
}

// ---- pipeline ----

const SERIES = [
  { id: "rate", title: "Events per second", lines: [["stored_per_s", "stored", "#1f6feb"], ["rejected_per_s", "rejected", "#b42318"], ["delivered_per_s", "delivered (produce)", "#067647"]] },
  // p99 when read: how much of the tail was before stream (Kafka, the producer), the rest is stream and the store.
  { id: "age", title: "Freshness: event time to store ack (ms)", scale: 1000, lines: [["age_p50_s", "p50", "#1f6feb"], ["age_p99_s", "p99", "#b54708"], ["read_age_p99_s", "p99 when read from Kafka", "#8c8c8c"]] },
  { id: "lag", title: "Consumer lag (messages)", lines: [["lag", "lag", "#6941c6"]] },
];

function targetCard(index, url) {
  const card = document.createElement("div");
  card.className = "panel target";
  card.id = "target-" + index;
  const h = document.createElement("h3");
  h.textContent = url;
  const state_ = document.createElement("p");
  state_.className = "target-state";
  const grid = document.createElement("div");
  grid.className = "charts";
  for (const s of SERIES) {
    const fig = document.createElement("figure");
    const box = document.createElement("div");
    box.className = "chart-box";
    const canvas = document.createElement("canvas");
    canvas.id = `chart-${index}-${s.id}`;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", s.title + " of " + url);
    box.append(canvas);
    const cap = document.createElement("figcaption");
    cap.textContent = s.title;
    const latest = document.createElement("p");
    latest.className = "latest";
    latest.id = `latest-${index}-${s.id}`;
    fig.append(box, cap, latest);
    grid.append(fig);
  }
  card.append(h, state_, grid);
  return card;
}

function lineChart(canvas, series, now, points) {
  const datasets = series.lines.map(([key, label, color]) => ({
    label, borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 2, spanGaps: false,
    data: points.map((p) => ({ x: (p.t - now) / 60000, y: p[key] === null ? null : p[key] * (series.scale || 1) })),
  }));
  // A line the target never reports (a stream's deliveries, a producer's lag) is not drawn.
  for (const d of datasets) d.hidden = d.data.every((p) => p.y === null);
  if (typeof Chart === "undefined") return;
  const chart = charts[canvas.id];
  if (chart) {
    chart.data.datasets.forEach((d, i) => { d.data = datasets[i].data; d.hidden = datasets[i].hidden; });
    chart.update("none");
    return;
  }
  charts[canvas.id] = new Chart(canvas, {
    type: "line", data: { datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      scales: { x: { type: "linear", min: -15, max: 0, title: { display: true, text: "minutes ago" } },
                y: { beginAtZero: true } },
      plugins: { legend: { labels: { boxWidth: 12 } } },
    },
  });
}

async function pollPipeline() {
  let body;
  try {
    body = await api("/api/pipeline");
  } catch (e) {
    $("pipeline-note").textContent = "Cannot read the pipeline series: " + e.message;
    return;
  }
  const targets = $("targets");
  $("pipeline-note").textContent = body.targets.length === 0
    ? "No --metrics URL given: start serve with --metrics http://HOST:PORT/metrics for each stream and produce."
    : `Scraped every ${body.interval_ms / 1000} s.`;
  const now = Date.now();
  body.targets.forEach((t, i) => {
    let card = $("target-" + i);
    if (!card) targets.append(card = targetCard(i, t.url));
    const line = card.querySelector(".target-state");
    line.className = "target-state " + (t.up ? "up" : "down");
    line.textContent = t.up ? "up" : "down: " + t.error;
    const last = t.points.length ? t.points[t.points.length - 1] : null;
    for (const s of SERIES) {
      lineChart($(`chart-${i}-${s.id}`), s, last ? last.t : now, t.points);
      const known = s.lines.filter(([key]) => t.points.some((p) => p[key] !== null));
      $(`latest-${i}-${s.id}`).textContent = !last ? "" : known.length === 0 ? "not reported" : "now: " + known.map(([key, label]) =>
        `${label} ${last[key] === null ? "–" : Number((last[key] * (s.scale || 1)).toPrecision(4))}`).join(", ");
    }
  });
  document.body.dataset.pipeline = "ready";
}

// ---- views ----

let pipelineTimer = null;
function showView(view) {
  state.view = view;
  for (const v of ["listening", "pipeline"]) {
    $("view-" + v).hidden = v !== view;
    if (v === view) $("tab-" + v).setAttribute("aria-current", "page"); else $("tab-" + v).removeAttribute("aria-current");
  }
  clearInterval(pipelineTimer);
  if (view === "pipeline") {
    pollPipeline();
    pipelineTimer = setInterval(pollPipeline, 1000);
  }
  remember();
}

async function start() {
  delete document.body.dataset.store;
  await guarded(loadSample);
  if (state.user) {
    $("prefix").value = state.user;
    if (await guarded(() => findUsers(state.user))) await guarded(loadUser);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const a of document.querySelectorAll("nav a")) {
    a.addEventListener("click", (e) => { e.preventDefault(); showView(a.dataset.view); });
  }
  $("find-user").addEventListener("submit", (e) => { e.preventDefault(); guarded(() => findUsers($("prefix").value)); });
  $("date").addEventListener("change", () => { state.date = $("date").value; state.hour = null; guarded(loadDay); });
  $("hour").addEventListener("change", () => { state.hour = Number($("hour").value); guarded(loadHour); });
  showView(state.view);
  start();
});
