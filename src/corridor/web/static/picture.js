// The coordinator's picture: the map (Leaflet on a Natural Earth base) and the curves (uPlot), drawn from the JSON
// the server computes once per change of the ledger (/fragments/map.json, /fragments/curves.json); fetched again
// only when the live fragment says the ledger's head has moved.
(function () {
  "use strict";
  if (!window.L || !window.uPlot) { return; }
  var root = null, W = {}, lang = "en", zone = "UTC";
  var COLOURS = {on_time: "#1f6f3a", waiting: "#8a5a00", overdue: "#b00020", aboard_long: "#6a1b9a"};
  var KIND = {gathering_point: "#0b5cad", checkpoint: "#8a5a00", transit_point: "#59636e", reception_centre: "#1f6f3a"};
  var lastHead = null, map = null, layers = null, charts = {}, siteBounds = [];

  function fmt(sec) {
    if (sec === null || sec === undefined) { return "—"; }
    return new Date(sec * 1000).toLocaleString(lang === "ar" ? "ar-SY" : "en-GB",
      {timeZone: zone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit"});
  }
  function num(n) {  // a count as the page's own figures write it (100,000), in either language
    return typeof n === "number" ? n.toLocaleString("en-GB") : n;
  }
  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return num(values[k]); });
  }
  function text(tag, words, cls) {
    var el = document.createElement(tag);
    el.textContent = words;
    if (cls) { el.className = cls; }
    return el;
  }
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  // --- the map ---------------------------------------------------------------------
  function makeMap() {
    map = L.map("map", {zoomSnap: 0.25, attributionControl: true});
    var tiles = root.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, {maxZoom: 18}).addTo(map); }
    getJSON("/vendor/picture/countries-50m.json").then(function (topo) {
      L.geoJSON(topojson.feature(topo, topo.objects.countries), {
        style: {color: "#8895a3", weight: 1, fillColor: "#e8ebe4", fillOpacity: 1}, interactive: false
      }).addTo(map).bringToBack();
      map.attributionControl.addAttribution("Natural Earth");
    }).catch(function () { /* the sites and trips still show without the base */ });
    layers = L.layerGroup().addTo(map);
  }

  function siteWords(p) {
    var name = (lang === "ar" ? p.name_ar || p.name_en : p.name_en || p.name_ar) + " (" + p.code + ")";
    var bits = [];
    if (p.waiting !== undefined) { bits.push(W.waiting + ": " + num(p.waiting)); }
    if (p.vehicles_here !== undefined) {
      bits.push(W.vehicles_here + ": " + num(p.vehicles_here), W.persons_here + ": " + num(p.persons_here),
                W.held + ": " + num(p.held), W.longest + ": " + num(p.longest_wait_minutes));
    }
    if (p.arrived !== undefined) { bits.push(W.arrived + ": " + num(p.arrived) + " / " + W.capacity + ": " + (p.capacity ? num(p.capacity) : "—")); }
    return name + (bits.length ? " — " + bits.join(lang === "ar" ? "، " : ", ") : "");
  }

  function drawMap(geo) {
    if (!map) { makeMap(); }
    layers.clearLayers();
    var list = document.getElementById("map-list");
    list.replaceChildren();
    var bounds = [];
    geo.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      if (p.feature === "leg") {
        L.polyline(c.map(function (x) { return [x[1], x[0]]; }), {color: "#12263f", weight: 3, opacity: 0.6,
          className: "leg-line"}).addTo(layers);
      } else if (p.feature === "site") {
        bounds.push([c[1], c[0]]);
        var words = siteWords(p);
        L.circleMarker([c[1], c[0]], {radius: 9, color: "#fff", weight: 2, fillColor: KIND[p.kind], fillOpacity: 1,
          className: "site-marker site-" + p.kind}).bindTooltip(words).addTo(layers);
        var tag = text("span", p.code + (p.capacity ? " " + num(p.arrived) + "/" + num(p.capacity) :
          p.vehicles_here !== undefined ? " ⏱" + p.longest_wait_minutes + "′ 🚌" + p.vehicles_here + " 👤" + p.persons_here : ""));
        L.marker([c[1], c[0]], {icon: L.divIcon({className: "site-label", html: tag, iconSize: null}),
          interactive: false, keyboard: false}).addTo(layers);
        var li = text("li", words, "map-site");
        li.setAttribute("data-code", p.code);
        list.appendChild(li);
      } else if (p.feature === "trip") {
        var tw = W.trip + " " + p.trip + " (" + p.vehicle + ") " + p.from + " " + W.towards + " " + p.to + ": " +
          W["status_" + p.status] + ", " + W.aboard + ": " + p.persons_aboard;
        L.circleMarker([c[1], c[0]], {radius: 6, color: "#000", weight: 1, fillColor: COLOURS[p.status],
          fillOpacity: 0.95, className: "trip-marker trip-" + p.status}).bindTooltip(tw).addTo(layers);
      }
    });
    var moving = geo.properties.trips_on_road;
    list.appendChild(text("li", W.on_road + ": " + moving, "map-trips"));
    if (bounds.length && !siteBounds.length) { map.fitBounds(bounds, {padding: [30, 30]}); }
    siteBounds = bounds;
  }

  // --- the curves --------------------------------------------------------------------
  function width(el) { return Math.max(280, el.clientWidth || 600); }

  function shadeHalts(halts, now) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(176, 0, 32, 0.14)";
      halts.forEach(function (h) {
        var a = u.valToPos(h.from, "x", true), b = u.valToPos(h.to || now, "x", true);
        ctx.fillRect(Math.min(a, b), u.bbox.top, Math.abs(b - a), u.bbox.height);
      });
      ctx.restore();
    };
  }

  function replace(name, opts, data, el) {
    if (charts[name]) { charts[name].destroy(); }
    el.replaceChildren();
    charts[name] = new uPlot(opts, data, el);
  }

  function axes(yLabel) {
    return [{values: function (u, vals) { return vals.map(fmt); }, space: 90}, {label: yLabel, size: 60}];
  }

  function drawProgress(c) {
    var el = document.getElementById("chart-progress"), p = c.progress, f = p.forecast;
    var band = f ? f : {low: {t: [], n: []}, mid: {t: [], n: []}, high: {t: [], n: []}};
    var data = uPlot.join([[p.actual.t, p.actual.n], [p.planned.t, p.planned.n], [band.low.t, band.low.n],
                           [band.mid.t, band.mid.n], [band.high.t, band.high.n]]);
    if (!data[0].length) { data = [[c.starts_at || c.now, c.now], [0, 0], [null, null], [null, null], [null, null], [null, null]]; }
    var opts = {
      width: width(el), height: 260, scales: {x: {time: false}},
      axes: axes(W.persons),
      series: [{label: W.time, value: function (u, v) { return fmt(v); }},
        {label: W.actual, stroke: "#0b5cad", width: 3, spanGaps: true},
        {label: W.planned, stroke: "#59636e", dash: [6, 4], width: 2, spanGaps: true},
        {label: W.band + " (P10)", stroke: "#d08a00", width: 1, spanGaps: true},
        {label: W.p50, stroke: "#8a5a00", width: 2, spanGaps: true},
        {label: W.band + " (P90)", stroke: "#d08a00", width: 1, spanGaps: true}],
      bands: [{series: [5, 3], fill: "rgba(208, 138, 0, 0.18)"}],
      hooks: {drawAxes: [shadeHalts(c.halts, c.now)]}
    };
    replace("progress", opts, data, el);
    var arrived = p.actual.n.length ? p.actual.n[p.actual.n.length - 1] : 0;
    document.getElementById("progress-summary").textContent = say(W.progress_summary, {
      a: arrived, r: p.registered, p: fmt(p.planned.t[p.planned.t.length - 1]),
      f10: f ? fmt(f.p10_at) : W.no_forecast, f50: f ? fmt(f.p50_at) : W.no_forecast, f90: f ? fmt(f.p90_at) : W.no_forecast})
      + (f && f.link ? say(W.link_bounded, {name: lang === "ar" ? f.link.name_ar : f.link.name, pct: Math.round(f.link.bound_share * 100),
                                            u50: fmt(f.link.unlinked_p50_at)}) : "");
    var causes = document.getElementById("halt-causes");
    causes.replaceChildren();
    c.halts.forEach(function (h) {
      causes.appendChild(text("li", W.halt + ": " + (W.causes[h.cause] || h.cause || "") + " — " + fmt(h.from) + " " + W.towards + " " + fmt(h.to), "halt-cause"));
    });
  }

  function drawGantt(c) {
    var el = document.getElementById("chart-gantt"), rows = c.gantt, lo = Infinity, hi = -Infinity, n = 0;
    rows.forEach(function (v) {
      v.trips.forEach(function (t) {
        n += 1;
        [t.planned[0], t.planned[1], t.actual[0], t.actual[1]].forEach(function (x) {
          if (x !== null) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        });
      });
    });
    if (!isFinite(lo)) { lo = c.now - 3600; hi = c.now + 3600; }
    var opts = {
      width: width(el), height: Math.max(160, Math.min(900, 14 * rows.length + 60)),
      scales: {x: {time: false, range: [lo, hi]}, y: {range: [-1, rows.length]}},
      axes: [{values: function (u, vals) { return vals.map(fmt); }, space: 90},
             {size: 70, splits: function () { return rows.map(function (_, i) { return i; }); },
              values: function () { return rows.map(function (v) { return v.vehicle; }); }, font: "10px sans-serif"}],
      series: [{label: W.time, value: function (u, v) { return fmt(v); }}, {label: W.planned_trip, stroke: "#9aa5b1", fill: "#9aa5b1"},
                   {label: W.actual_trip, stroke: "#0b5cad", fill: "#0b5cad"}],
      hooks: {draw: [function (u) {
        var ctx = u.ctx, h = Math.max(2, (u.valToPos(0, "y", true) - u.valToPos(1, "y", true)) * 0.35);
        ctx.save();
        rows.forEach(function (v, i) {
          var y = u.valToPos(i, "y", true);
          v.trips.forEach(function (t) {
            var a = u.valToPos(t.planned[0], "x", true), b = u.valToPos(t.planned[1], "x", true);
            ctx.fillStyle = "#9aa5b1";
            ctx.fillRect(a, y - h, Math.max(1, b - a), h);
            if (t.actual[0] !== null) {
              var e = t.actual[1] !== null ? t.actual[1] : c.now;
              a = u.valToPos(t.actual[0], "x", true); b = u.valToPos(e, "x", true);
              ctx.fillStyle = t.actual[1] !== null ? "#0b5cad" : "#d08a00";
              ctx.fillRect(a, y, Math.max(1, b - a), h);
            }
          });
        });
        ctx.restore();
      }]}
    };
    replace("gantt", opts, [[lo, hi], [null, null], [null, null]], el);
    document.getElementById("gantt-summary").textContent = say(W.gantt_summary, {t: n, v: rows.length});
  }

  function drawThroughput(c) {
    var el = document.getElementById("chart-throughput"), cps = c.throughput.checkpoints;
    var names = Object.keys(cps).sort(), rates = c.throughput.agreed_per_hour || {}, total = 0;
    var tables = names.map(function (cp) { total += cps[cp].vehicles.reduce(function (a, b) { return a + b; }, 0);
      return [cps[cp].t, cps[cp].vehicles]; });
    var palette = ["#0b5cad", "#8a5a00", "#1f6f3a", "#6a1b9a"];
    var data = tables.length ? uPlot.join(tables) : [[c.now - 3600, c.now], [null, null]];
    var series = [{label: W.time, value: function (u, v) { return fmt(v); }}];
    names.forEach(function (cp, i) {
      series.push({label: cp, stroke: palette[i % 4], fill: palette[i % 4] + "55", paths: uPlot.paths.bars({size: [0.8 / names.length, 40]})});
    });
    if (!names.length) { series.push({label: W.vehicles_hour, stroke: "#0b5cad"}); }
    names.forEach(function (cp, i) {
      if (rates[cp]) {
        data.push(data[0].map(function () { return rates[cp]; }));
        series.push({label: cp + " — " + W.agreed, stroke: palette[i % 4], dash: [4, 4], width: 2});
      }
    });
    replace("throughput", {width: width(el), height: 220, scales: {x: {time: false}},
      axes: axes(W.vehicles_hour), series: series}, data, el);
    document.getElementById("throughput-summary").textContent = say(W.throughput_summary, {n: total, c: names.length});
  }

  function refresh() {
    if (!root) {  // the section comes with the operation (kept across refreshes by hx-preserve)
      root = document.getElementById("picture");
      if (!root) { return; }
      W = JSON.parse(root.getAttribute("data-words"));
      lang = root.getAttribute("data-lang");
      zone = root.getAttribute("data-time-zone") || "UTC";
    }
    var clock = document.getElementById("op-clock");
    var head = clock ? clock.getAttribute("data-head") : "0";
    if (head === lastHead) { return; }
    lastHead = head;
    getJSON("/fragments/map.json").then(function (geo) {
      drawMap(geo);
      root.setAttribute("data-map", head);
    }).catch(function (e) { console.warn("map:", e); });
    getJSON("/fragments/curves.json").then(function (c) {
      if (!c.progress) { return; }
      drawProgress(c); drawGantt(c); drawThroughput(c);
      root.setAttribute("data-drawn", head);
    }).catch(function (e) { console.warn("curves:", e); });
  }
  document.addEventListener("htmx:afterSwap", refresh);
  var resizing = null;
  window.addEventListener("resize", function () {  // a turned phone: the charts take the new width
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(charts).forEach(function (name) {
        var el = document.getElementById("chart-" + name);
        charts[name].setSize({width: width(el), height: charts[name].height});
      });
      if (map) { map.invalidateSize(); if (siteBounds.length) { map.fitBounds(siteBounds, {padding: [30, 30]}); } }
    }, 100);
  });
  refresh();
})();
