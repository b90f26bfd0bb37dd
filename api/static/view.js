// budgetkg graph view: filters, details panel, expand on click, "show more".
// Runs after pyvis's drawGraph() has made the globals `network`, `nodes` and `edges`.
// Every value from the documents is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  var meta = JSON.parse(document.getElementById("bk-meta").textContent);
  var server = meta.mode === "server";
  var base = meta.base || "";
  var limit = meta.limit || meta.defaultLimit;
  var expanded = {};
  var $ = function (id) { return document.getElementById(id); };

  function text(el, value) { el.textContent = value == null ? "" : String(value); return el; }
  function make(tag, value, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    return text(el, value);
  }

  // --- filters -----------------------------------------------------------------------------
  function fillSelect(select, values) {
    var keep = select.value;
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (v) {
      var opt = make("option", v);
      opt.value = String(v);
      select.appendChild(opt);
    });
    select.value = values.map(String).indexOf(keep) >= 0 ? keep : "";
  }

  function refreshFilterChoices() {
    var years = {}, depts = {};
    nodes.forEach(function (n) {
      (n.years || []).forEach(function (y) { years[y] = true; });
      (n.depts || []).forEach(function (d) { depts[d] = true; });
    });
    fillSelect($("bk-year"), Object.keys(years).sort());
    fillSelect($("bk-dept"), Object.keys(depts).sort());
  }

  function kindsOn() {
    var on = {};
    document.querySelectorAll('#bk-kinds input[name="kind"]').forEach(function (box) {
      on[box.value] = box.checked;
    });
    return on;
  }

  function applyFilters() {
    var year = $("bk-year").value, dept = $("bk-dept").value, on = kindsOn();
    var updates = [], shown = 0;
    nodes.forEach(function (n) {
      var hide = on[n.kind] === false;
      if (!hide && year && n.years && n.years.length && n.years.map(String).indexOf(year) < 0) hide = true;
      if (!hide && dept && n.depts && n.depts.length && n.depts.indexOf(dept) < 0) hide = true;
      if (!hide && (year || dept) && !n.match && n.kind !== "project" && n.years && !n.years.length
          && n.depts && !n.depts.length) hide = true;
      if (!hide) shown += 1;
      if (Boolean(n.hidden) !== hide) updates.push({ id: n.id, hidden: hide });
    });
    if (updates.length) nodes.update(updates);
    status(shown);
  }

  function status(shown) {
    var total = meta.total || nodes.length;
    var msg = (shown == null ? nodes.length : shown) + " 个节点显示中（共取回 " + nodes.length + " 个";
    msg += meta.truncated ? "，该查询共 " + total + " 个，已按上限截断）" : "）";
    if (meta.incomplete) msg += "；部分结果超出服务器行数上限";
    if (meta.query && !nodes.length) msg = "没有与“" + meta.query + "”匹配的政策、项目或单位";
    text($("bk-count"), msg);
    $("bk-more").hidden = !(server && meta.truncated);
  }

  // --- details -------------------------------------------------------------------------------
  function showDetails(id) {
    var n = nodes.get(id);
    if (!n) return;
    var kind = meta.kinds[n.kind] ? meta.kinds[n.kind].label : n.kind;
    text($("bk-details-title"), n.fullLabel || n.label);
    text($("bk-details-kind"), kind + (n.match ? " · 搜索匹配" : ""));
    var dl = $("bk-fields");
    dl.replaceChildren();
    (n.fields || []).forEach(function (f) {
      dl.appendChild(make("dt", f[0]));
      dl.appendChild(make("dd", f[1]));
    });
    dl.appendChild(make("dt", "IRI"));
    dl.appendChild(make("dd", n.id, "bk-iri"));
    var ul = $("bk-sources");
    ul.replaceChildren();
    (n.sources || []).forEach(function (s) {
      var where = s.file + (s.line != null ? ":" + s.line + (s.end != null && s.end !== s.line ? "–" + s.end : "") : "");
      ul.appendChild(make("li", where, "bk-source"));
    });
    if (!(n.sources || []).length) ul.appendChild(make("li", "（无来源行）", "bk-muted"));
    var button = $("bk-expand");
    button.hidden = !server;
    button.dataset.node = n.id;
    document.body.dataset.selected = n.id;
  }

  // --- expand and show more ------------------------------------------------------------------
  function fetchView(params) {
    var qs = params.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&");
    return fetch(base + "/view/neighbourhood?" + qs, { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (e) { throw new Error(e.error ? e.error.title + ": " + e.error.detail : r.status); });
        return r.json();
      });
  }

  function expand(id) {
    if (!server || expanded[id]) return Promise.resolve(0);
    expanded[id] = true;
    var at = network.getPositions([id])[id] || { x: 0, y: 0 };
    text($("bk-count"), "正在展开…");
    return fetchView([["node", id], ["limit", Math.min(meta.defaultLimit, 300)]]).then(function (v) {
      var fresh = v.nodes.filter(function (n) { return !nodes.get(n.id); });
      fresh.forEach(function (n) { n.x += at.x; n.y += at.y; n.match = false; delete n.borderWidth; delete n.font; });
      nodes.add(fresh);
      edges.update(v.edges.filter(function (e) { return !edges.get(e.id); }));
      document.body.dataset.expanded = String((Number(document.body.dataset.expanded) || 0) + 1);
      refreshFilterChoices();
      applyFilters();
      return fresh.length;
    }).catch(function (err) {
      expanded[id] = false;
      text($("bk-count"), "展开失败：" + err.message);
    });
  }

  function showMore() {
    limit = Math.min(limit * 2, meta.maxLimit);
    var params = [["limit", limit]];
    if (meta.query) params.push(["q", meta.query]);
    (meta.seeds || []).forEach(function (s) { params.push(["node", s]); });
    text($("bk-count"), "正在取回更多节点…");
    fetchView(params).then(function (v) {
      nodes.clear(); edges.clear();
      nodes.add(v.nodes); edges.add(v.edges);
      meta.total = v.total; meta.truncated = v.truncated; meta.incomplete = v.incomplete;
      expanded = {};
      refreshFilterChoices();
      applyFilters();
      network.fit();
    }).catch(function (err) { text($("bk-count"), "取回失败：" + err.message); });
  }

  // --- search in a static page: find among the nodes it holds ---------------------------------
  function staticSearch(event) {
    event.preventDefault();
    var q = $("bk-q").value.trim();
    if (!q) return;
    var found = nodes.get({ filter: function (n) {
      if ((n.fullLabel || "").indexOf(q) >= 0) return true;
      return (n.fields || []).some(function (f) { return String(f[1]).indexOf(q) >= 0; });
    } }).map(function (n) { return n.id; });
    network.selectNodes(found);
    if (found.length) {
      network.fit({ nodes: found, animation: false });
      showDetails(found[0]);
    }
    text($("bk-count"), found.length + " 个节点匹配“" + q + "”");
  }

  // --- wiring --------------------------------------------------------------------------------
  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var id = params.nodes[0];
    showDetails(id);
    expand(id);
  });
  $("bk-expand").addEventListener("click", function () { expand(this.dataset.node); });
  $("bk-more").addEventListener("click", showMore);
  $("bk-year").addEventListener("change", applyFilters);
  $("bk-dept").addEventListener("change", applyFilters);
  document.querySelectorAll('#bk-kinds input').forEach(function (box) { box.addEventListener("change", applyFilters); });
  if (!server) $("bk-search").addEventListener("submit", staticSearch);

  if (!server) text($("bk-details-kind"), "点击一个节点查看其字段与来源行。这是一个静态页面：节点不展开；搜索框在页面内的节点中查找。");
  refreshFilterChoices();
  applyFilters();
  if (meta.matches && meta.matches.length) network.selectNodes(meta.matches.filter(function (m) { return nodes.get(m); }));
  network.once("afterDrawing", function () { document.body.dataset.ready = "true"; });
  network.redraw();
  window.budgetkgView = { meta: meta, showDetails: showDetails, expand: expand, applyFilters: applyFilters };
})();
