/* Draws the dashboard's charts with our own copy of ECharts and follows running roll-ups. */
(function () {
  "use strict";
  // Picking a year or a union reloads the page (a handler here, not onchange="": CSP allows no
  // inline script).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A phone opens on the headline; each line of work (and the charts) is a <details> one tap
  // away. A wider screen shows everything, as before: open them before the charts are drawn.
  var panels = document.querySelectorAll("details[data-wide-open]");
  var wide = window.matchMedia("(min-width: 641px)").matches;
  if (wide) { panels.forEach(function (d) { d.open = true; }); }
  function openFromHash() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (!target || target.tagName !== "DETAILS") { return; }
    if (!wide) {
      // One line of work at a time on a phone: the one asked for, the others closed.
      document.querySelectorAll("details.theme, #charts-panel").forEach(function (d) {
        if (d !== target) { d.open = false; }
      });
    }
    target.open = true;
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  // A second tap on the tab already in the address fires no hashchange: open it all the same.
  document.querySelectorAll(".theme-tabs a, #headline a").forEach(function (a) {
    a.addEventListener("click", function () { setTimeout(openFromHash, 0); });
  });
  // A headline row opens its card's details too.
  document.querySelectorAll("a[data-open-card]").forEach(function (a) {
    a.addEventListener("click", function () {
      var card = document.querySelector("article[data-key='" + a.dataset.openCard + "'] details.card-more");
      if (card) { card.open = true; }
    });
  });

  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var byKey = {};
  data.indicators.forEach(function (i) { byKey[i.key] = i; });
  var charts = [];

  function chart(id) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return null; }
    var c = echarts.init(el, null, { renderer: "canvas" });
    charts.push(c);
    return c;
  }
  // A count of 10,000 or more as the report card writes it (68.1万); the tooltip keeps the exact value.
  function wan(v) {
    if (v === null || v === undefined || Math.abs(v) < 10000) { return v === null ? "" : String(v); }
    return (Math.round(v / 1000) / 10).toString() + "万";
  }
  var font = { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif", fontSize: 14 };

  var progress = chart("chart-progress");
  if (progress) {
    progress.setOption({
      textStyle: font,
      grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      xAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max)); } },
      yAxis: { type: "category", inverse: true,
        data: data.progress.map(function (p) { return p.name; }),
        axisLabel: { width: 160, overflow: "truncate" } },
      series: [{ type: "bar", data: data.progress.map(function (p) {
        return { value: p.value, itemStyle: { color: p.value >= 100 ? "#2e7d32" : "#b71c1c" } };
      }), label: { show: true, position: "right", formatter: "{c}%" },
        markLine: { silent: true, symbol: "none", data: [{ xAxis: 100 }] } }],
      graphic: data.progress.length ? [] : [{ type: "text", left: "center", top: "middle",
        style: { text: data.noTargets, fontSize: 18, fill: "#9aa0a6" } }]
    });
  }

  var children = chart("chart-children");
  var trend = chart("chart-trend");
  // A board with neither comparison nor trend has no picker (the page says why in words).
  var pick = document.getElementById("pick-indicator") || document.createElement("select");
  data.indicators.forEach(function (i) {
    var o = document.createElement("option");
    o.value = i.key; o.textContent = i.theme + " · " + i.name;
    pick.appendChild(o);
  });
  // Start on the first indicator that has a value somewhere, so the charts say something.
  var first = data.indicators.filter(function (i) {
    return (data.children.values[i.key] || []).some(function (v) { return v; }) ||
      (data.trend[i.key] || []).some(function (v) { return v; });
  })[0];
  if (first) { pick.value = first.key; }

  function draw(key) {
    var ind = byKey[key] || { name: "", unit: "" };
    var values = data.children.values[key] || [];
    var empty = !values.some(function (v) { return v !== null; });
    if (children) {
      children.setOption({
        textStyle: font,
        grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.children.nodes.map(function (n) { return n.name.replace("总工会", ""); }),
          axisLabel: { interval: 0, rotate: data.children.nodes.length > 6 ? 40 : 0 } },
        yAxis: { type: "value", name: ind.unit,
          axisLabel: { formatter: ind.count ? wan : null } },
        series: [{ type: "bar", name: ind.name, data: values, itemStyle: { color: "#b71c1c" },
          label: { show: data.children.nodes.length <= 8, position: "top",
            formatter: ind.count ? function (p) { return wan(p.value); } : "{c}" } }],
        graphic: empty ? [{ type: "text", left: "center", top: "middle",
          style: { text: data.noData, fontSize: 18, fill: "#9aa0a6" } }] : []
      }, true);
    }
    if (trend) {
      var points = data.trend[key] || [];
      // An indicator without months says why (a stock, no dated records, a township, no data).
      var note = data.trendNotes[key] || data.noData;
      trend.setOption({
        textStyle: font,
        grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", name: ind.unit,
          axisLabel: { formatter: ind.count ? wan : null } },
        // Months not begun yet are null and stay blank: the line stops at the as-of day.
        series: [{ type: "line", name: ind.name, data: points, connectNulls: false, symbolSize: 10,
          showSymbol: true, label: { show: true, position: "top",
            formatter: ind.count ? function (p) { return wan(p.value); } : "{c}" },
          itemStyle: { color: "#b71c1c" } }],
        graphic: points.some(function (v) { return v !== null; }) ? [] : [{ type: "text", left: "center",
          top: "middle", style: { text: note, fontSize: 18, fill: "#9aa0a6" } }]
      }, true);
    }
  }
  pick.addEventListener("change", function () { draw(pick.value); });
  draw(pick.value);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  // Charts drawn while their panel was closed have no size yet: size them when it opens.
  var chartsPanel = document.getElementById("charts-panel");
  if (chartsPanel) {
    chartsPanel.addEventListener("toggle", function () {
      if (chartsPanel.open) { charts.forEach(function (c) { c.resize(); }); }
    });
  }

  // Follow roll-ups that are still queued or running; reload once one finishes.
  document.querySelectorAll("li.run").forEach(function (li) {
    if (li.dataset.finished) { return; }
    var timer = setInterval(function () {
      fetch(li.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (run) {
          li.querySelector(".status").textContent = run.status_display;
          li.querySelector("progress").value = run.percent;
          li.querySelector(".pct").textContent = run.percent + "%";
          li.querySelector(".note").textContent = run.message;
          li.className = "run run-" + run.status;
          if (run.finished) { clearInterval(timer); if (run.status === "succeeded") { location.reload(); } }
        });
    }, 2000);
  });
})();
