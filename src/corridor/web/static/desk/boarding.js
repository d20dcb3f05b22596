// The boarding desk: a scan (camera or typed) is sent through the outbox and answered at once, in words and a sign
// as well as colour; the manifest of the chosen trip; departing. Timings from decode to answer are kept in
// window.deskTimings for the benchmark.
(function () {
  "use strict";
  var O, W, trip;
  var SIGN = {accepted: "✔", already_aboard: "✔", aboard_elsewhere: "✖", wrong_trip: "↪", not_registered: "?",
              held: "⛔", refused: "✖", queued: "⏳", error: "✖"};
  var WORD = {accepted: "a_ok", already_aboard: "a_already", aboard_elsewhere: "a_elsewhere", wrong_trip: "a_wrong",
              not_registered: "a_unknown", held: "a_held", refused: "a_refused", queued: "a_queued", error: "a_error"};
  window.deskTimings = [];

  var el = window.deskOutbox.el;  // outbox.js, loaded first

  function show(kind, token, a) {
    var box = document.getElementById("answer");
    box.textContent = "";
    box.className = "answer answer-" + kind;
    box.dataset.outcome = kind;
    var head = el("p", "answer-head");
    head.appendChild(el("span", "sign", SIGN[kind]));
    head.appendChild(el("span", "", " " + W[WORD[kind]] + (a && a.right_trip ? " " + a.right_trip : "")));
    box.appendChild(head);
    var line = el("p", "answer-token", token);
    line.dir = "ltr";
    box.appendChild(line);
    if (a && a.detail) { box.appendChild(el("p", "answer-detail", a.detail)); }
    if (kind === "wrong_trip") {
      var again = el("button", "big", W.board_anyway);
      again.type = "button";
      again.addEventListener("click", function () { scan(token, performance.now(), true); });
      box.appendChild(again);
    }
    box.hidden = false;
  }

  function scan(token, decodedAt, force) {
    token = token.toUpperCase().replace(/\s+/g, "");
    if (!token) { return Promise.resolve(); }
    var body = {token: token};
    if (force) { body.force = true; }
    return O.submit("board", "/api/desk/trips/" + encodeURIComponent(trip) + "/scan", body, token + " → " + trip)
      .then(function (r) {
        if (r.queued) { show("queued", token); }
        else if (r.status >= 400) { show("error", token, r.answer); }
        else { show(r.answer.outcome, token, r.answer); }
        window.deskTimings.push({token: token, ms: performance.now() - decodedAt,
                                 outcome: r.queued ? "queued" : (r.answer || {}).outcome});
        if (!r.queued) { loadManifest(); }
      });
  }

  function loadManifest() {
    var note = document.getElementById("manifest-note");
    return fetch("/api/trips/" + encodeURIComponent(trip) + "/manifest", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (m) {
        note.hidden = true;
        var body = document.querySelector("#manifest tbody");
        body.textContent = "";
        var aboard = 0, seated = 0;
        m.persons.forEach(function (p) {
          var tr = el("tr", "state-" + p.state);
          tr.dataset.token = p.token;
          var name = W.lang === "ar" ? (p.name_ar || p.name_latin) : (p.name_latin || p.name_ar);
          var cell = el("td", "", name || p.token);
          var tok = el("small", "token", " " + p.token); tok.dir = "ltr"; cell.appendChild(tok);
          tr.appendChild(cell);
          var on = p.boarded_at !== null && p.boarded_at !== undefined;
          if (on) { aboard += 1; }
          tr.appendChild(el("td", "", (on ? "✔ " : "○ ") + (W.states[p.state] || p.state)));
          tr.appendChild(el("td", "nowrap", W.mobility[p.mobility] || p.mobility || ""));
          if ((p.state === "boarded" || p.state === "in_transit") && p.trip === trip && p.mobility !== "stretcher") { seated += 1; }
          body.appendChild(tr);
        });
        var chosen = document.querySelector(".trip-chosen");
        if (chosen) {
          chosen.querySelector(".boarded").textContent = String(aboard);
          var left = chosen.querySelector(".seats-left");
          left.textContent = String(Number(left.dataset.seats) - seated);
        }
      }, function () { note.textContent = W.manifest_offline; note.hidden = false; });
  }

  function depart() {
    if (!window.confirm(W.depart_confirm)) { return; }
    fetch("/api/trips/" + encodeURIComponent(trip) + "/depart", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Idempotency-Key": O.newKey(),
                "X-CSRF-Token": O.cookie("corridor_csrf")}, body: "{}"
    }).then(function (r) {
      return r.json().then(function (a) {
        if (r.ok) { show("accepted", trip, {detail: W.departed}); window.setTimeout(function () { location.reload(); }, 1500); }
        else { show("error", trip, a); }
      });
    }, function () { show("error", trip, {detail: W.offline}); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    O = window.deskOutbox; W = O.words;
    var section = document.getElementById("scan");
    if (!section) { return; }
    trip = section.dataset.trip;
    document.getElementById("scan-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("token");
      var value = input.value;
      input.value = "";
      scan(value, performance.now(), false).then(function () { input.focus(); });
    });
    var video = document.getElementById("camera");
    var toggle = document.getElementById("camera-toggle");
    toggle.addEventListener("click", function () {
      if (window.deskScanner.active()) {
        window.deskScanner.stop(video); toggle.textContent = "📷 " + W.camera; return;
      }
      window.deskScanner.start(video, function (token, at) { scan(token, at, false); }).then(function () {
        toggle.textContent = "✖ " + W.camera_stop;
      }, function () { show("error", "", {detail: W.camera_none}); });
    });
    document.getElementById("depart").addEventListener("click", depart);
    document.addEventListener("desk:sent", loadManifest);
    loadManifest();
  });
})();
