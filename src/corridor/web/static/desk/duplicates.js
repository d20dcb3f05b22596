// The registrar's duplicates screen: run a check, then decide each open pair -- "same person: keep this one" (a
// merge, the record kept chosen by the button pressed) or "two people" (a dismissal), with an optional note -- or
// undo a decision taken lately (the pair open again). Each
// command goes through the outbox (outbox.js) under its own idempotency key, so a resend is absorbed by the
// server; a pair another registrar decided meanwhile is answered 409 and said in words. After each answer the list
// is fetched again (?part=main) and put in place without reloading the page. No personal data goes into a URL:
// the tokens travel in the bodies of the POSTs.
(function () {
  "use strict";
  var O, W, busy = false;

  function say(kind, text, detail) {
    var box = document.getElementById("dup-answer");
    box.textContent = "";
    box.className = "answer answer-" + kind;
    box.dataset.outcome = kind;
    box.appendChild(O.el("p", "answer-head", text));
    if (detail) { box.appendChild(O.el("p", "answer-detail", detail)); }
    box.hidden = false;
  }

  function refresh() {
    var url = new URL(location.href);
    url.search = "";
    url.searchParams.set("part", "main");
    return O.replaceLists(url);
  }

  // one command at a time: the buttons are disabled while it is sent (a second click is not a second command)
  function send(kind, url, body, label, done) {
    if (busy) { return Promise.resolve(); }
    busy = true;
    document.querySelectorAll("#lists button").forEach(function (b) { b.disabled = true; });
    say("queued", W.dup_sending);
    return O.submit(kind, url, body, label).then(function (r) {
      var detail = (r.answer || {}).detail;
      if (r.queued) { say("queued", W.a_queued); }
      else if (r.status === 409) { say("error", W.dup_conflict, detail); }
      else if (r.status >= 400) { say("error", W.a_error, detail); }
      else { say("accepted", done); }
      return refresh();
    }).finally(function () {
      busy = false;
      document.querySelectorAll("#lists button").forEach(function (b) { b.disabled = false; });
    });
  }

  function noteOf(button) {
    var input = button.closest(".dup-pair").querySelector(".dup-note");
    return input ? input.value.trim() : "";
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || target.disabled) { return; }
    if (target.id === "run-check") {
      send("duplicates-check", "/api/duplicates/check", {}, W.dup_checked, W.dup_checked);
    } else if (target.classList.contains("dup-merge")) {
      var kept = target.dataset.kept, duplicate = target.dataset.duplicate;
      send("duplicates-merge", "/api/duplicates/merge", {kept: kept, duplicate: duplicate, note: noteOf(target)},
           duplicate + " → " + kept, W.dup_merged + ": " + kept);
    } else if (target.classList.contains("dup-undo")) {
      var x = target.dataset.a, y = target.dataset.b;
      send("duplicates-undo", "/api/duplicates/undo", {a: x, b: y, note: ""}, x + " ↶ " + y, W.dup_undone);
    } else if (target.classList.contains("dup-dismiss")) {
      var a = target.dataset.a, b = target.dataset.b;
      send("duplicates-dismiss", "/api/duplicates/dismiss", {a: a, b: b, note: noteOf(target)},
           a + " ≠ " + b, W.dup_dismissed + ": " + a + " · " + b);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    O = window.deskOutbox; W = O.words;
  });
  window.deskDuplicates = {refresh: refresh};
})();
