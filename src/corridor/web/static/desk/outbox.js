// The desk's outbox: every scan or registration is written to IndexedDB (idb-keyval) with its idempotency key
// before it is sent, and removed only once the server has answered. What cannot be sent stays, is counted on every
// screen ("3 scans not yet sent") and is sent again when the connection returns, under the same key, so a resend is
// absorbed by the server. An answer that refuses a deferred item is kept as a conflict, shown until dismissed.
(function () {
  "use strict";
  var W = JSON.parse(document.getElementById("desk-words").textContent);
  var account = document.body.dataset.account;
  var kv = window.idbKeyval;
  var items = kv.createStore("corridor-desk-outbox", "items");
  var conflicts = kv.createStore("corridor-desk-conflicts", "items");
  var CONFLICTS = ["aboard_elsewhere", "wrong_trip", "held", "not_registered", "refused"];
  var flushing = null;

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return "desk-" + crypto.randomUUID(); }
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    return "desk-" + Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  function post(item) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Idempotency-Key": item.key,
                "X-CSRF-Token": cookie("corridor_csrf")},
      body: JSON.stringify(item.body)
    });
  }
  function mine(list) { return list.filter(function (i) { return i.account === account; }); }

  function showCount() {
    return kv.values(items).then(function (list) {
      var n = mine(list).length;
      var el = document.getElementById("outbox-count");
      el.textContent = n === 0 ? W.outbox_none : (n === 1 ? W.outbox_one : W.outbox_many.replace("{n}", n));
      el.className = n === 0 ? "note" : "note note-warn";
      el.dataset.waiting = String(n);
      return n;
    });
  }
  function showConflicts() {
    return kv.entries(conflicts).then(function (entries) {
      entries = entries.filter(function (e) { return e[1].account === account; });
      var list = document.getElementById("conflict-list");
      list.textContent = "";
      entries.forEach(function (e) {
        var li = document.createElement("li");
        li.textContent = e[1].text + " ";
        var b = document.createElement("button");
        b.type = "button"; b.textContent = W.dismiss;
        b.addEventListener("click", function () { kv.del(e[0], conflicts).then(showConflicts); });
        li.appendChild(b); list.appendChild(li);
      });
      document.getElementById("conflicts").hidden = entries.length === 0;
    });
  }

  // What the server said, as {status, answer}; a thrown error means it could not be reached.
  function deliver(item) {
    return post(item).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return {status: response.status, answer: answer};
      });
    });
  }
  function settled(result) { return result.status !== 401 && result.status < 500; }

  // Send one new item: kept first, then sent; answers {queued: true} when it could not be sent now.
  function submit(kind, url, body, label) {
    var item = {key: newKey(), kind: kind, url: url, body: body, label: label || "", account: account,
                made_at: new Date().toISOString()};
    item.body.at = item.made_at;
    return kv.set(item.made_at + " " + item.key, item, items).then(function () {
      return deliver(item).then(function (result) {
        if (!settled(result)) { return showCount().then(function () { return {queued: true, result: result}; }); }
        return kv.del(item.made_at + " " + item.key, items).then(showCount).then(function () { return result; });
      }, function () {
        setOffline(true);
        return showCount().then(function () { return {queued: true}; });
      });
    });
  }

  function keepConflict(item, result) {
    var a = result.answer || {};
    var text = item.label + ": " + (a.outcome ? (W["a_" + ({aboard_elsewhere: "elsewhere", wrong_trip: "wrong",
      held: "held", not_registered: "unknown", refused: "refused"})[a.outcome]] + (a.right_trip ? " " + a.right_trip : "")
      + (a.detail ? " (" + a.detail + ")" : "")) : (W.a_error + (a.detail ? " (" + a.detail + ")" : "")));
    return kv.set(item.key, {account: account, text: text, at: item.made_at}, conflicts);
  }

  // Send everything waiting, oldest first, one at a time; stops at the first that cannot be delivered.
  function flush() {
    if (flushing) { return flushing; }
    flushing = kv.entries(items).then(function (entries) {
      entries = entries.filter(function (e) { return e[1].account === account; });
      return entries.reduce(function (chain, e) {
        return chain.then(function (go) {
          if (!go) { return false; }
          return deliver(e[1]).then(function (result) {
            if (!settled(result)) { return false; }
            setOffline(false);
            var conflict = result.status >= 400 || CONFLICTS.indexOf((result.answer || {}).outcome) >= 0;
            return (conflict ? keepConflict(e[1], result) : Promise.resolve())
              .then(function () { return kv.del(e[0], items); })
              .then(function () { document.dispatchEvent(new CustomEvent("desk:sent", {detail: result})); return true; });
          }, function () { setOffline(true); return false; });
        });
      }, Promise.resolve(true));
    }).then(showCount).then(showConflicts).finally(function () { flushing = null; });
    return flushing;
  }

  function setOffline(off) { document.getElementById("offline-note").hidden = !off; }

  // The page itself kept for reloading without a connection (the service worker answers from this cache).
  function keepShell() {
    if (!("serviceWorker" in navigator)) { return; }
    if (document.querySelector("meta[name=corridor-keep][content=no]")) { return; }  // a page of personal lists
    var sw = navigator.serviceWorker;
    sw.register("/desk/sw.js", {scope: "/desk/"}).then(function () { return sw.ready; }).then(function (reg) {
      if (sw.controller) { return; }
      // a page loaded while the worker was being installed: ask it to take this page over
      return new Promise(function (resolve) {
        sw.addEventListener("controllerchange", resolve, {once: true});
        reg.active.postMessage("claim");
      });
    }).then(function () {
      // a page that lists names (medical, protection) is never kept on the device
      if (!navigator.onLine || !window.caches || document.body.dataset.personal) { return; }
      var parts = [location.href];
      document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]").forEach(function (e) {
        parts.push(e.src || e.href);
      });
      return caches.open("corridor-desk-shell").then(function (c) { return c.addAll(parts); });
    }).then(function () { document.documentElement.dataset.shell = "kept"; }, function () {});
  }

  // helpers every desk uses: an element with a class and text; a person's name in the page's language first
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function nameOf(p) { return W.lang === "ar" ? (p.name_ar || p.name_latin) : (p.name_latin || p.name_ar); }
  // the page's #lists put in place from `url` (the same page with ?part=main), without reloading it
  function replaceLists(url) {
    return fetch(url.toString(), {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok || response.redirected) { return; }
        return response.text().then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("lists");
          var lists = document.getElementById("lists");
          if (fresh && lists) {
            lists.replaceWith(document.adoptNode(fresh));
            document.dispatchEvent(new CustomEvent("desk:refreshed"));
          }
        });
      }, function () {});
  }

  window.deskOutbox = {submit: submit, flush: flush, count: showCount, words: W, cookie: cookie, newKey: newKey,
                       el: el, nameOf: nameOf, replaceLists: replaceLists};
  document.addEventListener("DOMContentLoaded", function () {
    keepShell();
    showCount(); showConflicts();
    setOffline(!navigator.onLine);
    flush();
    window.addEventListener("online", function () { setOffline(false); flush(); });
    window.addEventListener("offline", function () { setOffline(true); });
    setInterval(function () { if (navigator.onLine) { flush(); } }, 5000);
  });
})();
