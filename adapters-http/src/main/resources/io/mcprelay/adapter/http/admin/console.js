// mcp-relay admin console: live charts and numbers. Plain JS and SVG, served by the relay itself.
// Reads /api/live (same origin, the admin cookie) every 2 s. Builds DOM nodes only: never innerHTML.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var W = 520, H = 180, L = 52, R = 10, T = 22, B = 28;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) { node.setAttribute(k, attrs[k]); }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // the axis' top and its tick step: round numbers (1, 2, 5 times a power of ten), 4 or 5 ticks
  function nice(max) {
    if (max <= 0) { return {top: 1, step: 0.25}; }
    var p = Math.pow(10, Math.floor(Math.log10(max)));
    var n = max / p;
    var top = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
    return {top: top, step: top / (n <= 1 ? 5 : n <= 2 ? 4 : 5)};
  }

  function fmt(v) {
    if (v >= 1000) { return +(v / 1000).toFixed(1) + "k"; }
    return String(+v.toFixed(2));
  }

  // series: [{values:[...], color:"#..."}]; unit: the y axis' unit; windowSeconds: the x span
  function draw(svg, series, unit, windowSeconds, stacked) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var n = series[0].values.length;
    var max = 0;
    for (var i = 0; i < n; i++) {
      var sum = 0;
      series.forEach(function (s) { sum = stacked ? sum + s.values[i] : Math.max(sum, s.values[i]); });
      max = Math.max(max, sum);
    }
    var axis = nice(max), top = axis.top;
    var pw = W - L - R, ph = H - T - B;
    for (var v = 0; v <= top + axis.step / 2; v += axis.step) {
      var y = T + ph - ph * v / top;
      svg.appendChild(el("line", {x1: L, x2: W - R, y1: y, y2: y, "class": v === 0 ? "axis" : "grid"}));
      svg.appendChild(el("text", {x: L - 6, y: y + 4, "text-anchor": "end"}, fmt(v)));
    }
    svg.appendChild(el("line", {x1: L, x2: L, y1: T, y2: T + ph, "class": "axis"}));
    var minutes = windowSeconds / 60;
    for (var m = 0; m <= minutes; m++) {
      var x = L + pw * m / minutes;
      svg.appendChild(el("line", {x1: x, x2: x, y1: T + ph, y2: T + ph + 4, "class": "axis"}));
      svg.appendChild(el("text", {x: x, y: H - 8, "text-anchor": "middle"}, m === minutes ? "now" : "-" + (minutes - m) + " min"));
    }
    svg.appendChild(el("text", {x: L - 6, y: 11, "text-anchor": "start"}, unit));
    var base = new Array(n).fill(0);
    series.forEach(function (s) {
      var pts = [];
      for (var i = 0; i < n; i++) {
        var v = s.values[i] + (stacked ? base[i] : 0);
        pts.push((L + pw * (i + 0.5) / n).toFixed(1) + "," + (T + ph - ph * v / top).toFixed(1));
        if (stacked) { base[i] = v; }
      }
      svg.appendChild(el("polyline", {points: pts.join(" "), fill: "none", stroke: s.color, "stroke-width": 2}));
    });
  }

  function set(id, text) {
    var node = document.getElementById(id);
    if (node) { node.textContent = text; }
  }

  function refresh() {
    fetch("/api/live", {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (live) {
        var steps = live.steps, win = live.windowSeconds;
        var pick = function (f) { return steps.map(f); };
        var charts = {
          "chart-rate": [[{values: pick(function (s) { return s.requestsPerSecond; }), color: "#2f6fdb"}], "requests/s", false],
          "chart-errors": [[{values: pick(function (s) { return s.count ? 100 * s.clientErrors / s.count : 0; }), color: "#c77700"},
                            {values: pick(function (s) { return s.count ? 100 * s.upstreamFaults / s.count : 0; }), color: "#c62f2f"}], "% of requests", false],
          "chart-latency": [[{values: pick(function (s) { return s.p50Millis; }), color: "#1f8a4c"},
                             {values: pick(function (s) { return s.p99Millis; }), color: "#8a3fd1"}], "ms", false],
          "chart-open": [[{values: pick(function (s) { return s.openStreams; }), color: "#2a9d9d"}], "streams", false]
        };
        for (var id in charts) {
          var svg = document.getElementById(id);
          if (svg) { draw(svg, charts[id][0], charts[id][1], win, charts[id][2]); }
        }
        set("rate", live.requestsPerSecond.toFixed(2));
        set("client-error-rate", (100 * live.clientErrorRate).toFixed(1));
        set("upstream-fault-rate", (100 * live.upstreamFaultRate).toFixed(1));
        set("p99", fmt(live.p99Millis));
        set("open-streams", String(live.openStreams));
        set("session-count", String(live.sessions));
        set("uptime", live.uptime);
        document.body.setAttribute("data-live", "ok");
      })
      .catch(function () { document.body.setAttribute("data-live", "failed"); });
  }

  if (document.querySelector("[data-live-charts]")) {
    refresh();
    setInterval(refresh, 2000);
  }
})();
