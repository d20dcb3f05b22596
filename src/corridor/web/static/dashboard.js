// Shows a notice when the live figures cannot be refreshed, and hides it when they can again.
(function () {
  "use strict";
  function stale(on) {
    var note = document.getElementById("stale");
    if (note) { note.hidden = !on; }
  }
  document.addEventListener("htmx:sendError", function () { stale(true); });
  document.addEventListener("htmx:responseError", function () { stale(true); });
  document.addEventListener("htmx:timeout", function () { stale(true); });
  document.addEventListener("htmx:afterSwap", function () { stale(false); });
})();
