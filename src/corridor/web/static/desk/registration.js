// The registration desk: find a household by token, QR or name; register a new one with the API's own checks shown
// beside each field while typing (POST /api/desk/households/check records nothing), the households already
// registered under a similar name shown while a name is typed, the household's QR card once registered.
// Registering goes through the outbox, so a household registered without a connection is kept and sent later.
(function () {
  "use strict";
  var O, W, count = 0, timer = null, lastName = "";
  var TOKEN = /^[HP][0-9A-Z]{8}$/;

  var el = window.deskOutbox.el, nameOf = window.deskOutbox.nameOf;  // outbox.js, loaded first
  function get(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      return r.json().then(function (body) { return {status: r.status, body: body}; });
    });
  }

  function householdItem(h) {
    var li = el("li", "household");
    var head = el("p");
    head.appendChild(el("strong", "", W.household + " "));
    var t = el("span", "token", h.token); t.dir = "ltr"; head.appendChild(t);
    li.appendChild(head);
    (h.persons || []).forEach(function (p) {
      var line = el("p", "", (nameOf(p) || "") + " ");
      var pt = el("small", "token", p.token); pt.dir = "ltr"; line.appendChild(pt);
      li.appendChild(line);
    });
    return li;
  }
  function showFound(list) {
    var ul = document.getElementById("found");
    ul.textContent = "";
    if (!list.length) { ul.appendChild(el("li", "", W.found_none)); }
    list.forEach(function (h) { ul.appendChild(householdItem(h)); });
  }
  function find(text) {
    text = text.trim();
    var token = text.toUpperCase().replace(/\s+/g, "");
    if (TOKEN.test(token)) {
      return get("/api/tokens/" + encodeURIComponent(token)).then(function (r) {
        if (r.status !== 200) { showFound([]); return; }
        var h = r.body.kind === "household" ? r.body : {token: r.body.household || r.body.token, persons: [r.body]};
        showFound([h]);
      }, function () { showFound([]); });
    }
    return get("/api/households?limit=20&name=" + encodeURIComponent(text)).then(function (r) {
      showFound(r.status === 200 ? r.body : []);
    }, function () { showFound([]); });
  }

  function addPerson() {
    var html = document.getElementById("person-template").innerHTML
      .replace(/__i__/g, String(count)).replace(/__n__/g, String(count + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fs = holder.firstElementChild;
    fs.querySelector(".remove-person").addEventListener("click", function () {
      if (document.querySelectorAll("#persons .person").length > 1) { fs.remove(); renumber(); later(); }
    });
    document.getElementById("persons").appendChild(fs);
    count += 1;
    renumber();
    return fs;
  }
  function renumber() {
    document.querySelectorAll("#persons .person").forEach(function (fs, i) {
      fs.dataset.position = String(i);
      fs.querySelector("legend .n").textContent = String(i + 1);
    });
  }

  function personOf(fs) {
    function v(name) { return fs.querySelector("[name=" + name + "]").value.trim(); }
    var year = v("birth_year");
    return {
      name_ar: v("name_ar"), name_latin: v("name_latin"), sex: v("sex"),
      birth_year: year === "" ? null : (/^\d+$/.test(year) ? Number(year) : year),
      birth_date: v("birth_date") || null, relationship: v("relationship"), mobility: v("mobility"),
      precedence: v("precedence"),
      vulnerabilities: Array.prototype.map.call(fs.querySelectorAll("[name=vulnerabilities]:checked"),
                                                function (c) { return c.value; }),
      links: v("links") ? v("links").toUpperCase().split(/[\s,]+/).filter(Boolean) : []
    };
  }
  function household() {
    var form = document.getElementById("household-form");
    return {gathering_point: form.gathering_point.value, destination: form.destination.value || null,
            persons: Array.prototype.map.call(document.querySelectorAll("#persons .person"), personOf)};
  }

  function clearErrors() {
    document.querySelectorAll("#household-form .error").forEach(function (e) { e.textContent = ""; });
    document.querySelectorAll("#household-form [aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }
  function showErrors(errors) {
    clearErrors();
    var people = document.querySelectorAll("#persons .person");
    errors.forEach(function (e) {
      var m = /^persons\[(\d+)\]\.?(\w*)/.exec(e.field || "");
      var scope = m ? people[Number(m[1])] : document.getElementById("household-form");
      var name = m ? (m[2] || "name_ar") : e.field;
      if (!scope) { return; }
      var slot = scope.querySelector(".error[data-field=" + name + "]") ||
                 document.querySelector("#household-form > .error[data-field=persons]");
      slot.textContent = e.detail;
      var input = scope.querySelector("[name=" + name + "]");
      if (input) { input.setAttribute("aria-invalid", "true"); }
    });
    return errors.length;
  }
  function check() {
    return fetch("/api/desk/households/check", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": O.cookie("corridor_csrf")},
      body: JSON.stringify(household())
    }).then(function (r) { return r.json(); }).then(function (a) { return showErrors(a.errors || []); },
                                                   function () { return 0; });  // offline: the server checks later
  }
  function duplicates(name) {
    var box = document.getElementById("duplicates");
    if (name.length < 3) { box.hidden = true; return; }
    get("/api/households?limit=5&name=" + encodeURIComponent(name)).then(function (r) {
      var list = document.getElementById("duplicate-list");
      list.textContent = "";
      var found = r.status === 200 ? r.body : [];
      found.forEach(function (h) { list.appendChild(householdItem(h)); });
      box.hidden = found.length === 0;
    }, function () { box.hidden = true; });
  }
  function later(event) {
    if (event && event.target && /^name_/.test(event.target.name || "")) { lastName = event.target.value.trim(); }
    clearTimeout(timer);
    timer = setTimeout(function () { check(); duplicates(lastName); }, 350);
  }

  function showCard(receipt) {
    var data = receipt.data || {};
    document.getElementById("card-head").textContent = W.registered + " " + data.token;
    var codes = document.getElementById("card-codes");
    codes.textContent = "";
    [{token: data.token, label: W.household}].concat((data.persons || []).map(function (p) {
      return {token: p.token, label: nameOf(p) || p.token};
    })).forEach(function (c) {
      var f = el("figure");
      var img = el("img"); img.src = "/api/tokens/" + c.token + "/qr.svg"; img.alt = c.token;
      f.appendChild(img);
      var cap = el("figcaption", "", c.label + " · " + c.token);
      f.appendChild(cap);
      codes.appendChild(f);
    });
    document.getElementById("card").hidden = false;
  }
  function answer(kind, text) {
    var box = document.getElementById("answer");
    box.className = "answer answer-" + kind; box.dataset.outcome = kind; box.textContent = text; box.hidden = false;
  }
  function resetForm() {
    document.getElementById("persons").textContent = "";
    document.getElementById("household-form").reset();
    addPerson(); clearErrors();
    document.getElementById("duplicates").hidden = true;
  }

  function submit(event) {
    event.preventDefault();
    var sent = household();
    check().then(function (n) {
      document.getElementById("form-error").hidden = n === 0;
      if (n) { return; }
      var label = (sent.persons[0] ? (sent.persons[0].name_latin || sent.persons[0].name_ar) : "") + " (" + sent.persons.length + ")";
      return O.submit("register", "/api/households", sent, label).then(function (r) {
        if (r.queued) { answer("queued", "⏳ " + W.a_queued); resetForm(); return; }
        if (r.status >= 400) {
          answer("error", "✖ " + W.a_error + ": " + (r.answer.detail || ""));
          if (r.answer.errors) { showErrors(r.answer.errors); } else if (r.answer.field) { showErrors([r.answer]); }
          return;
        }
        answer("accepted", "✔ " + W.registered + " " + r.answer.data.token);
        showCard(r.answer);
        resetForm();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    O = window.deskOutbox; W = O.words;
    addPerson();
    document.getElementById("add-person").addEventListener("click", function () {
      addPerson().querySelector("[name=name_ar]").focus();
    });
    var form = document.getElementById("household-form");
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", submit);
    // a household registered without a connection, sent now: its card, as if it had just been registered
    document.addEventListener("desk:sent", function (event) {
      var r = event.detail || {};
      if (r.status < 300 && r.answer && r.answer.type === "HouseholdRegistered") {
        answer("accepted", "✔ " + W.registered + " " + r.answer.data.token);
        showCard(r.answer);
      }
    });
    document.getElementById("find-form").addEventListener("submit", function (event) {
      event.preventDefault(); find(document.getElementById("find-text").value);
    });
    var video = document.getElementById("camera");
    var toggle = document.getElementById("camera-toggle");
    toggle.addEventListener("click", function () {
      if (window.deskScanner.active()) { window.deskScanner.stop(video); toggle.textContent = "📷 " + W.camera; return; }
      window.deskScanner.start(video, function (token) {
        document.getElementById("find-text").value = token; find(token);
      }).then(function () { toggle.textContent = "✖ " + W.camera_stop; },
              function () { answer("error", W.camera_none); });
    });
  });
})();
