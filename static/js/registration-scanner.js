/* Door scanner: camera decoding with jsQR, online check-in, offline queue and sync,
   and a name search that still answers offline from the list kept on the device. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) { return; }
  var slug = root.dataset.event;
  var codesKey = "eh-codes-" + slug;
  var queueKey = "eh-queue-" + slug;
  var seenKey = "eh-seen-" + slug;
  var namesKey = "eh-names-" + slug;
  var resultBox = document.getElementById("scan-result");
  var queueState = document.getElementById("queue-state");
  var lastCode = null;
  var lastAt = 0;
  var COLOURS = { ok: "ok", already_checked_in: "warn", waitlisted: "warn", remote: "warn" };

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function store(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function message(name) { return root.getAttribute("data-msg-" + name) || name; }

  function show(result, name, extra) {
    resultBox.className = "scan-result scan-" + (COLOURS[result] || "error");
    resultBox.querySelector(".scan-reason").textContent = message(result) + (extra ? " (" + extra + ")" : "");
    resultBox.querySelector(".scan-name").textContent = name || "";
    if (navigator.vibrate) { navigator.vibrate(result === "ok" ? 80 : [60, 60, 60]); }
  }

  // Not a ticket's answer: the camera failed. Say so plainly, and lead to the other ways.
  function showNoCamera() {
    resultBox.className = "scan-result scan-notice";
    resultBox.querySelector(".scan-reason").textContent = message("nocamera");
    resultBox.querySelector(".scan-name").textContent = message("nocamera-hint");
    document.getElementById("code-input").focus();
  }

  // One refused offline scan, as door staff need it: who, and why.
  function conflictText(answer) {
    var reason = message(answer.result);
    return answer.attendee ? answer.attendee.name + " (" + reason + ")" : reason;
  }

  function showQueue(conflicts) {
    var queued = load(queueKey, []).length;
    var text = queued ? queued + " " + message("queued") : "";
    if (conflicts && conflicts.length) {
      text += (text ? " · " : "") + message("conflicts") + " " + conflicts.map(conflictText).join(", ");
    }
    queueState.textContent = text;
  }

  // The person was let in offline and the server refuses them: the result box must not
  // keep saying they are welcome.
  function showConflicts(conflicts) {
    resultBox.className = "scan-result scan-error";
    resultBox.querySelector(".scan-reason").textContent = message("conflicts");
    resultBox.querySelector(".scan-name").textContent = conflicts.map(conflictText).join(", ");
  }

  function nonce() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function sha256(text) {
    var bytes = new TextEncoder().encode(text);
    return crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  // A typed short code, as the server stores it (tickets.normalise_short_code); a signed
  // QR code as it is.
  function normalise(code) {
    return code.indexOf("T1.") === 0 ? code : code.replace(/[\s-]/g, "").toUpperCase();
  }

  function checkOffline(code, scan) {
    if (!(window.crypto && crypto.subtle)) { show("invalid", "", message("offline")); return; }
    sha256(normalise(code)).then(function (hash) {
      var valid = load(codesKey, []);
      var seen = load(seenKey, []);
      var result = valid.indexOf(hash) < 0 ? "invalid" : (seen.indexOf(hash) >= 0 ? "already_checked_in" : "ok");
      if (result === "ok") {
        seen.push(hash); store(seenKey, seen);
        var queue = load(queueKey, []); queue.push(scan); store(queueKey, queue);
      }
      show(result, "", message("offline"));
      showQueue();
    });
  }

  function submit(code) {
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) { return; }
    lastCode = code; lastAt = now;
    var scan = { code: code, nonce: nonce(), scanned_at: new Date().toISOString() };
    post(root.dataset.checkinUrl, { code: scan.code, nonce: scan.nonce })
      .then(function (answer) {
        show(answer.result, answer.attendee && answer.attendee.name);
        sync();
      })
      .catch(function () { checkOffline(code, scan); });
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(); } return r.json(); });
  }

  // Offline, the last lists fetched stay in use.
  function refreshCodes() {
    getJson(root.dataset.codesUrl)
      .then(function (data) { store(codesKey, data.hashes); })
      .catch(function () {});
    getJson(root.dataset.namesUrl)
      .then(function (data) { store(namesKey, data.attendees); })
      .catch(function () {});
  }

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The name search without the server: the kept list, each person with a button that
  // checks their short code in, offline as a typed code would be.
  function searchOffline(query) {
    var box = document.getElementById("offline-search");
    var list = document.getElementById("offline-found");
    var wanted = folded(query.trim());
    var found = load(namesKey, []).filter(function (person) {
      return folded(person.name + " " + person.organisation).indexOf(wanted) >= 0;
    });
    box.querySelector(".offline-search-note").textContent = message("offline-search");
    list.textContent = "";
    found.forEach(function (person) {
      var item = document.createElement("li");
      item.textContent = person.name + (person.organisation ? " · " + person.organisation : "") +
        " · " + person.short_code + " ";
      var button = document.createElement("button");
      button.type = "button"; button.className = "button";
      button.textContent = message("checkin");
      button.addEventListener("click", function () { lastCode = null; submit(person.short_code); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!found.length) {
      var none = document.createElement("li");
      none.textContent = message("nobody");
      list.appendChild(none);
    }
    box.hidden = false;
  }

  function sync() {
    var queue = load(queueKey, []);
    if (!queue.length) { showQueue(); return; }
    post(root.dataset.syncUrl, { scans: queue }).then(function (answer) {
      var sent = queue.length;
      store(queueKey, load(queueKey, []).slice(sent));
      var conflicts = (answer.results || []).filter(function (r) { return r.conflict; });
      showQueue(conflicts);
      if (conflicts.length) { showConflicts(conflicts); }
      refreshCodes();
    }).catch(function () { showQueue(); });
  }

  function startCamera() {
    var video = document.getElementById("camera");
    var canvas = document.getElementById("camera-frame");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || !window.jsQR) {
      showNoCamera(); return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      document.getElementById("camera-start").closest("p").hidden = true;
      function tick() {
        if (video.readyState === video.HAVE_ENOUGH_DATA) {
          canvas.width = video.videoWidth; canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
          if (found && found.data) { submit(found.data); }
        }
        requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    }).catch(showNoCamera);
  }

  document.querySelectorAll(".scanner-js-only").forEach(function (el) { el.hidden = false; });
  document.getElementById("camera-start").addEventListener("click", startCamera);
  document.getElementById("code-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("code-input");
    if (input.value.trim()) { lastCode = null; submit(input.value.trim()); }
    input.value = "";
  });
  // The search page needs the server: ask it first, and search the kept list when it
  // does not answer, rather than land on the browser's error page.
  document.getElementById("search-form").addEventListener("submit", function (e) {
    var form = e.target;
    var url = form.action.split("?")[0] + "?" + new URLSearchParams(new FormData(form)).toString();
    e.preventDefault();
    fetch(url, { method: "HEAD", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(); } window.location.assign(url); })
      .catch(function () { searchOffline(form.elements.q.value); });
  });
  window.addEventListener("online", sync);
  setInterval(sync, 15000);
  refreshCodes();
  sync();
})();
