// The desk's service worker: the screens and their scripts are answered from the network when it can be reached,
// else from the copy kept the last time (so a desk reloads without a connection). Data (/api/) and
// anything not fetched with GET pass straight through: the outbox in the page keeps what could not be sent.
"use strict";
var CACHE = "corridor-desk-shell";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("message", function (event) { if (event.data === "claim") { self.clients.claim(); } });

// the screens whose page holds no names (they fetch them from /api/ and keep none); medical and protection do not
var SHELLS = ["/desk/boarding", "/desk/registration", "/desk/reception", "/desk/checkpoint"];

function kept(path) {
  return SHELLS.indexOf(path) >= 0 ||
         path.indexOf("/static/") === 0 || path.indexOf("/vendor/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !kept(url.pathname)) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.headers.get("X-Desk-Keep") !== "no") {  // no: personal lists
      var copy = response.clone();
      caches.open(CACHE).then(function (c) { return c.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request).then(function (found) { return found || Response.error(); });
  }));
});
