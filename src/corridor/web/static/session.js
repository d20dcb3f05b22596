// Signing in and out. The login form posts JSON to /api/login (a cross-site page cannot send that without
// the browser asking first), then goes to the screen it came from, else the role's desk, else the dashboard; "sign out" posts to /api/logout with the CSRF token.
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
          if (!answer.ok) { error.hidden = false; return; }
          return answer.json().then(function (session) {
            var next = form.dataset.next || "/";
            var DESKS = JSON.parse(form.dataset.desks || "{}");  // role -> its desk (web/desk/__init__.py)
            // a field role's own desk, unless the visitor was sent here from a screen
            if (next.indexOf("/desk/") !== 0 && DESKS[session.role]) {
              next = DESKS[session.role] + (next.indexOf("lang=ar") >= 0 ? "?lang=ar" : "?lang=en");
            }
            window.location.assign(next);
          });
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
