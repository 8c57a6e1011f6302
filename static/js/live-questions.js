// Live questions: Socket.IO /live, sorted list, votes, asking, announcements.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.io) { return; }
  var text = root.dataset;
  var list = document.getElementById("question-list");
  var empty = document.getElementById("no-questions");
  var announcer = document.getElementById("live-announcer");
  var form = document.getElementById("ask-form");
  var status = document.getElementById("ask-status");
  var count = document.getElementById("viewer-count");
  var version = parseInt(text.version, 10);
  var sort = text.sort;
  var voted = {};
  var ASK_TIMEOUT_MS = 10000;
  JSON.parse(text.voted || "[]").forEach(function (id) { voted[id] = true; });

  // "1 spectateur", "0 spectateurs", "2 viewers": the language's own plural rule.
  var plural = new Intl.PluralRules(document.documentElement.lang || "fr");
  var viewers = document.getElementById("viewers");
  function showViewers(n) {
    count.textContent = n;
    document.getElementById("viewer-label").textContent =
      plural.select(n) === "one" ? viewers.dataset.textOne : viewers.dataset.textOther;
  }

  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  function badge(kind, label) {
    var span = document.createElement("span");
    span.className = "badge badge-" + kind;
    span.textContent = label;
    return span;
  }

  function render(q) {
    var li = document.createElement("li");
    li.className = "question" + (q.pinned ? " is-pinned" : "");
    li.id = "q-" + q.id;
    li.dataset.id = q.id;
    li.dataset.votes = q.votes;
    li.dataset.created = q.created_at;
    li.dataset.status = q.status;
    var p = document.createElement("p");
    p.className = "question-text";
    p.textContent = q.text;
    var meta = document.createElement("p");
    meta.className = "question-meta";
    var name = document.createElement("span");
    name.className = "question-name";
    name.textContent = q.name || text.textAnonymous;
    meta.appendChild(name);
    if (q.pinned) { meta.appendChild(badge("pinned", text.textPinned)); }
    if (q.status === "pending") { meta.appendChild(badge("pending", text.textPending)); }
    if (q.status === "answered") { meta.appendChild(badge("answered", text.textAnswered)); }
    // The same markup as the server's (templates/live/_question.html), so a question
    // added here looks like the others: the button sits in a .vote-form box.
    var box = document.createElement("div");
    box.className = "vote-form";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "vote-button" + (voted[q.id] ? " is-voted" : "");
    button.disabled = q.status !== "approved" || !!voted[q.id];
    var arrow = document.createElement("span");
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = voted[q.id] ? "✓" : "▲";
    var votes = document.createElement("span");
    votes.className = "vote-count";
    votes.textContent = q.votes;
    var label = document.createElement("span");
    label.className = "visually-hidden vote-label";
    label.textContent = voted[q.id] ? text.textVoted : text.textVote;
    button.append(arrow, " ", votes, " ", label);
    button.addEventListener("click", function () { vote(q.id, button); });
    box.appendChild(button);
    li.append(p, meta, box);
    return li;
  }

  function order() {
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) {
      // The pinned question leads, as the server lists it.
      var pinned = b.classList.contains("is-pinned") - a.classList.contains("is-pinned");
      if (pinned) { return pinned; }
      if (sort === "time") { return a.dataset.created < b.dataset.created ? 1 : -1; }
      return (parseInt(b.dataset.votes, 10) - parseInt(a.dataset.votes, 10)) ||
        (a.dataset.created < b.dataset.created ? -1 : 1);
    });
    items.forEach(function (item) { list.appendChild(item); });
    empty.classList.toggle("is-hidden", list.children.length > 0);
  }

  function upsert(q, quiet) {
    var old = document.getElementById("q-" + q.id);
    if (q.status === "hidden" || q.text === "") {
      if (old) { old.remove(); }
      return;
    }
    var fresh = render(q);
    if (old) {
      if (!quiet && old.dataset.status !== "answered" && q.status === "answered") {
        announce(text.textNowAnswered + " " + q.text);
      }
      old.replaceWith(fresh);
    } else {
      list.appendChild(fresh);
      if (!quiet && q.status !== "pending") { announce(text.textNew + " " + q.text); }
    }
  }

  function showVoted(button) {
    button.classList.add("is-voted");
    button.querySelector("[aria-hidden]").textContent = "✓";
    button.querySelector(".vote-label").textContent = text.textVoted;
  }

  function vote(id, button) {
    button.disabled = true;
    socket.emit("vote", {question: id}, function (ack) {
      if (ack.ok || ack.error === "already_voted") {
        voted[id] = true;
        showVoted(button);
      } else {
        button.disabled = false;
      }
      if (!ack.ok) { announce(ack.message); }
    });
  }

  // Joining again with the version held fetches only what changed since: after a
  // reconnection, and when the server says its message queue lost deliveries.
  function join() {
    var data = {event: text.event, since: version};
    if (text.room) { data.room = parseInt(text.room, 10); }
    socket.emit("join", data, function (ack) {
      if (ack.ok) { showViewers(ack.viewers); }
    });
  }

  var socket = window.io("/live");
  socket.on("connect", join);
  socket.on("resync", join);
  socket.on("disconnect", function () { status.textContent = text.textOffline; });
  socket.on("questions", function (data) {
    if (data.full) { list.textContent = ""; }
    data.questions.forEach(function (q) { upsert(q, true); });
    version = data.version;
    order();
  });
  socket.on("question", function (q) { upsert(q, false); order(); });
  socket.on("votes", function (data) {
    data.questions.forEach(function (q) {
      var item = document.getElementById("q-" + q.id);
      if (item) {
        item.dataset.votes = q.votes;
        item.querySelector(".vote-count").textContent = q.votes;
      }
    });
    order();
  });
  socket.on("viewers", function (data) { showViewers(data.count); });

  // Without a socket the plain forms post; with one, intercept them.
  list.addEventListener("submit", function (event) {
    if (!socket.connected) { return; }
    event.preventDefault();
    var item = event.target.closest(".question");
    vote(parseInt(item.dataset.id, 10), event.target.querySelector("button"));
  });
  form.addEventListener("submit", function (event) {
    if (!socket.connected) { return; }
    event.preventDefault();
    var slot = form.elements.slot && form.elements.slot.value;
    var payload = {text: form.elements.text.value, name: form.elements.name.value};
    if (slot) { payload.slot = parseInt(slot, 10); }
    // An answer that never comes must not leave the form waiting in silence.
    socket.timeout(ASK_TIMEOUT_MS).emit("ask", payload, function (err, ack) {
      if (err) { status.textContent = text.textAskTimeout; return; }
      if (!ack.ok) { status.textContent = ack.message; return; }
      form.elements.text.value = "";
      status.textContent = ack.question.status === "pending" ? text.textSentPending : text.textSent;
      upsert(ack.question, true);
      order();
    });
  });
})();
