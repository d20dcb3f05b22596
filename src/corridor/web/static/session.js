// Signing in and out. The login form posts JSON to /api/login (a cross-site page cannot send that without
// the browser asking first), then goes to the dashboard; "sign out" posts to /api/logout with the CSRF token.
(function () {
  "use strict";
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("login-form");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var error = document.getElementById("login-error");
        error.hidden = true;
        fetch("/api/login", {
          method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json"},
          body: JSON.stringify({username: form.username.value, password: form.password.value})
        }).then(function (answer) {
          if (answer.ok) { window.location.assign(form.dataset.next || "/"); } else { error.hidden = false; }
        }, function () { error.hidden = false; });
      });
    }
    var out = document.getElementById("sign-out");
    if (out) {
      out.addEventListener("click", function (event) {
        event.preventDefault();
        fetch("/api/logout", {method: "POST", credentials: "same-origin",
                              headers: {"X-CSRF-Token": cookie("corridor_csrf")}})
          .then(function () { window.location.assign(out.getAttribute("href")); });
      });
    }
  });
  // htmx: send the CSRF token with any request it makes (it makes only GETs today)
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = cookie("corridor_csrf");
  });
})();
