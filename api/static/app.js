// The query page. Every value from the server is inserted with textContent or as a text
// node, never as HTML: result values are data from documents and must not become markup.
"use strict";

const RESULT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const $ = (id) => document.getElementById(id);
let examples = [];

function show(id, visible) { $(id).hidden = !visible; }

function clearResults() {
  for (const id of ["error", "note", "table", "graph"]) show(id, false);
  $("table").tHead.replaceChildren();
  $("table").tBodies[0].replaceChildren();
  $("graph").textContent = "";
}

function showError(title, detail, where) {
  const error = $("error");
  error.textContent = title + (where ? " (" + where + ")" : "") + "\n" + detail;
  show("error", true);
}

async function readError(response) {
  try {
    const body = await response.json();
    const e = body.error || {};
    const where = e.line ? "line " + e.line + ", column " + e.column : "";
    showError(e.title || String(response.status), e.detail || "", where);
  } catch (_) {
    showError(String(response.status), response.statusText, "");
  }
}

function termCell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.className = "uri";
    td.textContent = term.value;
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else {
    td.append(document.createTextNode(term.value));
    const tag = term["xml:lang"] ? "@" + term["xml:lang"] : shortType(term.datatype);
    if (tag) {
      const span = document.createElement("span");
      span.className = "tag";
      span.textContent = tag;
      td.append(span);
    }
  }
  return td;
}

function shortType(datatype) {
  if (!datatype) return "";
  const cut = Math.max(datatype.lastIndexOf("#"), datatype.lastIndexOf("/"));
  return "^^" + datatype.slice(cut + 1);
}

function renderTable(data) {
  const head = document.createElement("tr");
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = "?" + name;
    head.append(th);
  }
  $("table").tHead.append(head);
  const body = $("table").tBodies[0];
  for (const binding of data.results.bindings) {
    const tr = document.createElement("tr");
    for (const name of data.head.vars) tr.append(termCell(binding[name]));
    body.append(tr);
  }
  show("table", true);
  return data.results.bindings.length;
}

function note(text) {
  $("note").textContent = text;
  show("note", true);
}

function post(accept) {
  const form = new URLSearchParams({ query: $("query").value });
  return fetch("sparql", { method: "POST", body: form, headers: { Accept: accept } });
}

async function run() {
  clearResults();
  $("run").disabled = true;
  $("status").textContent = "running…";
  const started = performance.now();
  try {
    const response = await post(RESULT_ACCEPT);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      await readError(response);
      $("status").textContent = seconds + " s";
      return;
    }
    const truncated = response.headers.get("X-Truncated") === "true";
    const type = response.headers.get("Content-Type") || "";
    let count = "";
    if (type.includes("json")) {
      const data = await response.json();
      if ("boolean" in data) note(data.boolean ? "true" : "false");
      else count = renderTable(data) + " rows";
    } else {
      $("graph").textContent = await response.text();
      show("graph", true);
    }
    if (truncated) note("The result was cut at the server's row limit (truncated).");
    $("status").textContent = [count, seconds + " s"].filter(Boolean).join(" · ");
    history.replaceState(null, "", "#query=" + encodeURIComponent($("query").value));
  } catch (err) {
    showError("Network error", String(err), "");
    $("status").textContent = "";
  } finally {
    $("run").disabled = false;
  }
}

async function downloadCsv() {
  const response = await post("text/csv");
  if (!response.ok) { clearResults(); await readError(response); return; }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = "results.csv";
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function loadExamples() {
  try {
    const response = await fetch("examples");
    if (!response.ok) return;
    examples = await response.json();
  } catch (_) {
    return;
  }
  const select = $("examples");
  examples.forEach((example, i) => {
    const option = document.createElement("option");
    option.value = String(i);
    option.textContent = example.title;
    select.append(option);
  });
}

function onKey(event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run();
  } else if (event.key === "Tab" && !event.shiftKey) {
    event.preventDefault();
    const area = event.target;
    area.setRangeText("  ", area.selectionStart, area.selectionEnd, "end");
  }
}

function restoreFromHash() {
  const match = location.hash.match(/^#query=(.*)$/s);
  if (!match) return;
  try {
    $("query").value = decodeURIComponent(match[1]);
  } catch (_) {
    // a mangled link: keep the default query
  }
}

document.addEventListener("DOMContentLoaded", () => {
  restoreFromHash();
  $("run").addEventListener("click", run);
  $("csv").addEventListener("click", downloadCsv);
  $("query").addEventListener("keydown", onKey);
  $("examples").addEventListener("change", (event) => {
    const example = examples[Number(event.target.value)];
    if (event.target.value !== "" && example) $("query").value = example.query;
  });
  loadExamples();
});
