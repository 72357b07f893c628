/* Parlance console: progressive enhancement only. Every page works as plain forms and links without it; this
   adds drag-and-drop upload, confirmations, the transcript player and the charts. No inline script anywhere
   (the Content-Security-Policy forbids it). */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  /* ---- upload: drop a file on the zone to fill the form's file input ---- */
  function dropzone() {
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("file");
    var label = document.getElementById("file-name");
    if (!zone || !input) return;
    function show() { if (input.files.length) label.textContent = input.files[0].name + " (" + Math.round(input.files[0].size / 1024) + " kB)"; }
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); }
    });
    input.addEventListener("change", show);
  }

  /* ---- destructive actions ask first ---- */
  function confirmations() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (form.classList && form.classList.contains("confirm") && !window.confirm(form.dataset.confirm || "Are you sure?")) {
        e.preventDefault();
      }
    });
  }

  /* ---- live job list: do not swap rows away from under the keyboard focus ---- */
  function livePolling() {
    document.body.addEventListener("htmx:beforeRequest", function (e) {
      var elt = e.detail && e.detail.elt;
      if (elt && elt.id === "job-rows" && elt.contains(document.activeElement)) e.preventDefault();
    });
  }

  /* ---- transcript player: the spoken word is highlighted, a click on a word seeks to it ---- */
  function player() {
    var audio = document.getElementById("audio");
    var box = document.getElementById("transcript");
    if (!box) return;
    var words = Array.prototype.slice.call(box.querySelectorAll(".w"));
    var starts = words.map(function (w) { return parseFloat(w.dataset.s); });
    var current = null;

    function indexAt(t) {  /* last word starting at or before t */
      var lo = 0, hi = starts.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }
    function highlight() {
      if (!audio) return;
      var i = indexAt(audio.currentTime + 0.01);
      var next = i >= 0 && audio.currentTime <= parseFloat(words[i].dataset.e) + 0.35 ? words[i] : null;
      if (next === current) return;
      if (current) { current.classList.remove("current"); current.removeAttribute("aria-current"); }
      current = next;
      if (current) {
        current.classList.add("current");
        current.setAttribute("aria-current", "true");
        var r = current.getBoundingClientRect(), b = box.getBoundingClientRect();
        if (r.top < b.top || r.bottom > b.bottom) current.scrollIntoView({ block: "center", behavior: "smooth" });
      }
    }
    function seek(t, play) {
      if (!audio) return;
      audio.currentTime = t;
      highlight();
      if (play) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); }
    }
    box.addEventListener("click", function (e) {
      var w = e.target.closest(".w");
      if (w) { seek(parseFloat(w.dataset.s), false); return; }
      var ts = e.target.closest(".ts");
      if (ts) seek(parseFloat(ts.dataset.start), true);
    });
    if (!audio) return;
    var frame = null;
    function loop() { highlight(); frame = audio.paused ? null : window.requestAnimationFrame(loop); }
    audio.addEventListener("play", function () { if (!frame) frame = window.requestAnimationFrame(loop); });
    ["timeupdate", "seeked"].forEach(function (t) { audio.addEventListener(t, highlight); });
    /* The worker writes the listening copy just after the job completes: retry briefly if it is not there yet. */
    var retries = 0;
    audio.addEventListener("error", function () {
      if (retries++ < 20) window.setTimeout(function () { audio.load(); }, 1500);
    });
  }

  /* ---- charts (Chart.js) from the JSON the page carries ---- */
  var PALETTE = ["#1d4ed8", "#b45309", "#047857", "#b91c1c", "#6d28d9", "#0e7490", "#be185d", "#4d7c0f"];
  function doughnut(id, data) {
    var el = document.getElementById(id);
    if (!el) return;
    var keys = Object.keys(data);
    if (!keys.length) { el.replaceWith(Object.assign(document.createElement("p"), { className: "muted", textContent: "No analysed calls yet." })); return; }
    new window.Chart(el, {
      type: "doughnut",
      data: { labels: keys, datasets: [{ data: keys.map(function (k) { return data[k]; }), backgroundColor: PALETTE }] },
      options: { animation: false, plugins: { legend: { position: "bottom" } } }
    });
  }
  function stacked(id, labels, series) {
    var el = document.getElementById(id);
    if (!el) return;
    var keys = Object.keys(series);
    new window.Chart(el, {
      type: "bar",
      data: { labels: labels, datasets: keys.map(function (k, i) { return { label: k, data: series[k], backgroundColor: PALETTE[i % PALETTE.length] }; }) },
      options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  function charts() {
    var src = document.getElementById("chart-data");
    if (!src || !window.Chart) return;
    var d = JSON.parse(src.textContent);
    var usage = document.getElementById("usage-chart");
    if (usage) {
      window.parlanceUsageChart = new window.Chart(usage, {
        type: "bar",
        data: { labels: d.usage.labels, datasets: [
          { label: "Minutes transcribed", data: d.usage.minutes, backgroundColor: "#1d4ed8" },
          { label: "Billable minutes", data: d.usage.billable, backgroundColor: "#b45309" }
        ] },
        options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: "minutes" } } } }
      });
    }
    var calls = document.getElementById("calls-chart");
    if (calls) {
      new window.Chart(calls, {
        data: { labels: d.calls.labels, datasets: [
          { type: "bar", label: "Calls", data: d.calls.calls, backgroundColor: "#047857", yAxisID: "y" },
          { type: "line", label: "Average handle time (min)", data: d.calls.aht, borderColor: "#6d28d9", backgroundColor: "#6d28d9", yAxisID: "y1" }
        ] },
        options: { animation: false, maintainAspectRatio: false, scales: {
          y: { beginAtZero: true, position: "left", title: { display: true, text: "calls" } },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "minutes" } } } }
      });
    }
    stacked("outcome-weekly-chart", d.weekly.labels, d.weekly.outcomes);
    stacked("type-weekly-chart", d.weekly.labels, d.weekly.types);
    doughnut("outcome-chart", d.outcomes);
    doughnut("type-chart", d.types);
    doughnut("sentiment-chart", d.sentiment);
  }

  /* ---- caption QA: download the fixed file from the page ---- */
  function captionDownload() {
    var link = document.getElementById("cap-download");
    if (!link) return;
    var source = document.getElementById(link.dataset.source);
    link.addEventListener("click", function () {
      var blob = new Blob([source.value], { type: "text/plain;charset=utf-8" });
      link.href = URL.createObjectURL(blob);
      link.download = link.dataset.filename;
    });
  }

  onReady(function () {
    dropzone(); confirmations(); livePolling(); player(); charts(); captionDownload();
  });
})();
