// The reception desk: log a trip's arrival, scan each person in (camera or typed, through the outbox), the children
// who arrive without the people linked to them shown loudly, the trip's differences (boarded, not scanned in).
(function () {
  "use strict";
  var O, W, trip;

  var el = window.deskOutbox.el, nameOf = window.deskOutbox.nameOf;  // outbox.js, loaded first
  function show(kind, sign, text, detail) {
    var box = document.getElementById("answer");
    box.textContent = "";
    box.className = "answer answer-" + kind; box.dataset.outcome = kind;
    var head = el("p", "answer-head", sign + " " + text);
    box.appendChild(head);
    if (detail) { box.appendChild(el("p", "answer-detail", detail)); }
    box.hidden = false;
  }
  function childAlerts(children) {
    var box = document.getElementById("child-alerts");
    var alone = (children || []).filter(function (c) { return c.arrived_without_linked_people; });
    box.textContent = "";
    alone.forEach(function (c) {
      box.appendChild(el("p", "", "⚠ " + W.child_alert + ": " + (nameOf(c) || "") + " " + c.token));
    });
    if (alone.length) { box.appendChild(el("p", "", W.child_alert_note)); }
    box.hidden = alone.length === 0;
  }
  function answered(r, what, token) {
    if (r.queued) { show("queued", "⏳", W.a_queued, token); return; }
    if (r.status >= 400) { show("error", "✖", W.a_error, (r.answer || {}).detail); return; }
    show("accepted", "✔", what, token);
    if (r.answer && r.answer.children) { childAlerts(r.answer.children); }
    loadDifferences();
  }
  function scanIn(token) {
    token = token.toUpperCase().replace(/\s+/g, "");
    if (!token) { return Promise.resolve(); }
    return O.submit("scan-in", "/api/trips/" + encodeURIComponent(trip) + "/scan-in", {tokens: [token]},
                    token + " → " + trip).then(function (r) { answered(r, W.a_scanned, token); });
  }
  function arrive() {
    O.submit("arrive", "/api/trips/" + encodeURIComponent(trip) + "/arrive", {}, trip).then(function (r) {
      answered(r, W.a_arrived, trip);
      if (!r.queued && r.status < 400) { document.getElementById("arrive").hidden = true; }
    });
  }
  function loadDifferences() {
    var note = document.getElementById("manifest-note");
    return fetch("/api/trips/" + encodeURIComponent(trip) + "/manifest", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (m) {
        note.hidden = true;
        var list = document.getElementById("differences");
        list.textContent = "";
        var missing = m.persons.filter(function (p) { return p.boarded_at && !p.scanned_at; });
        missing.forEach(function (p) {
          var li = el("li", "state-" + p.state, "○ " + (nameOf(p) || "") + " · " + (W.states[p.state] || p.state) + " ");
          li.dataset.token = p.token;
          var t = el("small", "token", p.token); t.dir = "ltr"; li.appendChild(t);
          list.appendChild(li);
        });
        if (!missing.length) { list.appendChild(el("li", "", "✔ " + W.no_differences)); }
        var arrived = document.querySelector(".trip-chosen .arrived");
        if (arrived) { arrived.textContent = String(m.persons.filter(function (p) { return p.scanned_at; }).length); }
      }, function () { note.textContent = W.manifest_offline; note.hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    O = window.deskOutbox; W = O.words;
    var section = document.getElementById("scan");
    if (!section) { return; }
    trip = section.dataset.trip;
    var arriveButton = document.getElementById("arrive");
    if (arriveButton) { arriveButton.addEventListener("click", arrive); }
    document.getElementById("scan-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("token");
      var value = input.value; input.value = "";
      scanIn(value).then(function () { input.focus(); });
    });
    var video = document.getElementById("camera");
    var toggle = document.getElementById("camera-toggle");
    toggle.addEventListener("click", function () {
      if (window.deskScanner.active()) { window.deskScanner.stop(video); toggle.textContent = "📷 " + W.camera; return; }
      window.deskScanner.start(video, function (token) { scanIn(token); }).then(function () {
        toggle.textContent = "✖ " + W.camera_stop;
      }, function () { show("error", "✖", W.camera_none); });
    });
    document.addEventListener("desk:sent", loadDifferences);
    loadDifferences();
  });
})();
