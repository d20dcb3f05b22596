// The medic's and the protection officer's desks: the lists refreshed in place every minute (and at once on
// "Refresh now", or when the connection returns), without reloading the page; recording a release through the
// outbox (kept on the device and sent again, under its idempotency key, if the connection is lost).
(function () {
  "use strict";
  var EVERY_MS = 60000;
  var busy = false;

  function refresh() {
    if (busy || !navigator.onLine) { return Promise.resolve(); }
    busy = true;
    var url = new URL(location.href);
    url.searchParams.set("part", "main");
    url.searchParams.delete("lang");
    return window.deskOutbox.replaceLists(url).finally(function () { busy = false; });
  }

  function release(button) {
    var O = window.deskOutbox, W = O.words, token = button.dataset.token;
    if (!window.confirm(W.release_confirm)) { return; }
    button.disabled = true;
    var note = document.getElementById("care-answer");
    O.submit("release", "/api/persons/" + encodeURIComponent(token) + "/release", {note: ""}, token)
      .then(function (r) {
        note.hidden = false;
        note.dataset.outcome = r.queued ? "queued" : (r.status < 400 ? "released" : "error");
        note.textContent = token + ": " + (r.queued ? W.a_queued : r.status < 400 ? W.released
          : W.a_error + ((r.answer || {}).detail ? " (" + r.answer.detail + ")" : ""));
        if (!r.queued) { return refresh(); }
      })
      .finally(function () { button.disabled = false; });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) { return; }
    if (target.id === "refresh") { refresh(); }
    else if (target.classList.contains("release")) { release(target); }
  });
  window.addEventListener("online", refresh);
  setInterval(function () { if (document.visibilityState === "visible") { refresh(); } }, EVERY_MS);
  window.deskCare = {refresh: refresh};
})();
