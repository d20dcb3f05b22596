// The checkpoint desk: the persons aboard the accompanied trip with the time each has been aboard; tick (or scan)
// those held or taken off here, with the reason as stated; log passing the next checkpoint through the outbox.
(function () {
  "use strict";
  var O, W, trip, checkpoint;

  var el = window.deskOutbox.el, nameOf = window.deskOutbox.nameOf;  // outbox.js, loaded first
  function show(kind, sign, text, detail) {
    var box = document.getElementById("answer");
    box.textContent = "";
    box.className = "answer answer-" + kind; box.dataset.outcome = kind;
    box.appendChild(el("p", "answer-head", sign + " " + text));
    if (detail) { box.appendChild(el("p", "answer-detail", detail)); }
    box.hidden = false;
  }
  function minutesSince(iso) { return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000)); }

  function row(p, i) {
    var li = el("li");
    li.dataset.token = p.token;
    var label = el("label", "check");
    var box = el("input"); box.type = "checkbox"; box.name = "off"; box.value = p.token; box.id = "off-" + i;
    box.addEventListener("change", function () { li.classList.toggle("ticked", box.checked); });
    label.appendChild(box);
    var text = el("span", "", (nameOf(p) || "") + " ");
    var t = el("small", "token", p.token); t.dir = "ltr"; text.appendChild(t);
    text.appendChild(el("span", "since", " · ⏱ " + minutesSince(p.boarded_at) + " " + W.minutes));
    label.appendChild(text);
    li.appendChild(label);
    var off = el("div", "off");
    var outcomeLabel = el("label", "", W.outcome); outcomeLabel.htmlFor = "outcome-" + i;
    var outcome = el("select"); outcome.id = "outcome-" + i; outcome.name = "outcome";
    [["held", W.held], ["removed", W.removed]].forEach(function (o) {
      var opt = el("option", "", o[1]); opt.value = o[0]; outcome.appendChild(opt);
    });
    var reasonLabel = el("label", "", W.reason); reasonLabel.htmlFor = "reason-" + i;
    var reason = el("input"); reason.id = "reason-" + i; reason.name = "reason"; reason.maxLength = 500;
    [outcomeLabel, outcome, reasonLabel, reason].forEach(function (e) { off.appendChild(e); });
    li.appendChild(off);
    return li;
  }
  function loadAboard() {
    var note = document.getElementById("manifest-note");
    return fetch("/api/trips/" + encodeURIComponent(trip) + "/manifest", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (m) {
        note.hidden = true;
        var list = document.getElementById("aboard");
        list.textContent = "";
        m.persons.filter(function (p) { return p.state === "in_transit" && p.trip === trip; })
          .forEach(function (p, i) { list.appendChild(row(p, i)); });
      }, function () { note.textContent = W.manifest_offline; note.hidden = false; });
  }
  function tick(token) {
    token = token.toUpperCase().replace(/\s+/g, "");
    var li = document.querySelector("#aboard li[data-token='" + token + "']");
    if (!li) { show("error", "✖", W.not_on_trip, token); return; }
    var box = li.querySelector("input[name=off]");
    box.checked = true; li.classList.add("ticked");
    li.querySelector("input[name=reason]").focus();
  }
  function pass(event) {
    event.preventDefault();
    var off = [], missing = false;
    document.querySelectorAll("#aboard li.ticked").forEach(function (li) {
      var reason = li.querySelector("input[name=reason]").value.trim();
      if (!reason) { missing = true; li.querySelector("input[name=reason]").setAttribute("aria-invalid", "true"); }
      off.push({token: li.dataset.token, outcome: li.querySelector("select").value, reason: reason});
    });
    document.getElementById("form-error").hidden = !missing;
    if (missing) { return; }
    O.submit("checkpoint", "/api/trips/" + encodeURIComponent(trip) + "/checkpoints/" + encodeURIComponent(checkpoint),
             {taken_off: off}, trip + " · " + checkpoint).then(function (r) {
      if (r.queued) { show("queued", "⏳", W.a_queued, checkpoint); return; }
      if (r.status >= 400) { show("error", "✖", W.a_error, (r.answer || {}).detail); return; }
      show("accepted", "✔", W.a_passed, checkpoint);
      window.setTimeout(function () { location.reload(); }, 1500);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    O = window.deskOutbox; W = O.words;
    var section = document.getElementById("scan");
    if (!section) { return; }
    trip = section.dataset.trip; checkpoint = section.dataset.checkpoint;
    document.getElementById("find-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("token"); tick(input.value); input.value = "";
    });
    document.getElementById("pass-form").addEventListener("submit", pass);
    var video = document.getElementById("camera");
    var toggle = document.getElementById("camera-toggle");
    toggle.addEventListener("click", function () {
      if (window.deskScanner.active()) { window.deskScanner.stop(video); toggle.textContent = "📷 " + W.camera; return; }
      window.deskScanner.start(video, tick).then(function () { toggle.textContent = "✖ " + W.camera_stop; },
                                                 function () { show("error", "✖", W.camera_none); });
    });
    loadAboard();
  });
})();
