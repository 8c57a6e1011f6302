// Moderation console: a queue that updates live. Each question sits in the list of its
// state with the actions that fit it (the same rule as eventhub.live.services.
// actions_for); buttons and keyboard shortcuts moderate over the socket, and the plain
// forms of the server-rendered page still work without it.
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.io) { return; }
  var announcer = document.getElementById("console-announcer");
  var labels = JSON.parse(root.dataset.labels);
  var plural = new Intl.PluralRules(document.documentElement.lang || "fr");
  var socket = window.io("/live");
  var questions = {};

  function actionsFor(q) {
    if (q.status === "pending") { return ["approve", "hide"]; }
    if (q.status === "approved") { return ["answer", q.pinned ? "unpin" : "pin", "hide"]; }
    return ["approve"];
  }

  function span(text, className) {
    var s = document.createElement("span");
    if (className) { s.className = className; }
    s.textContent = text;
    return s;
  }

  function render(q) {
    var li = document.createElement("li");
    li.id = "mq-" + q.id;
    li.dataset.id = q.id;
    li.tabIndex = -1;
    li.className = "mq mq-" + q.status + (q.pinned ? " is-pinned" : "");
    var text = document.createElement("p");
    text.className = "question-text";
    text.textContent = q.text;
    var meta = document.createElement("p");
    meta.className = "question-meta";
    var votes = span("");
    votes.append(span(String(q.votes), "vote-count"), " ",
                 plural.select(q.votes) === "one" ? labels.vote_one : labels.vote_other);
    meta.append(span(q.name || labels.anonymous), " ", votes);
    if (q.pinned) { meta.append(" ", span(labels.pinned, "badge badge-pinned")); }
    var actions = document.createElement("div");
    actions.className = "mq-actions";
    actionsFor(q).forEach(function (action, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small action-" + action + (i ? " button-secondary" : "");
      button.dataset.action = action;
      button.textContent = labels[action];
      actions.appendChild(button);
    });
    li.append(text, meta, actions);
    return li;
  }

  function order(status) {
    var list = Object.keys(questions).map(function (id) { return questions[id]; })
      .filter(function (q) { return q.status === status; });
    var oldest = function (a, b) { return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id; };
    if (status === "pending") { return list.sort(oldest); }
    if (status === "approved") {
      return list.sort(function (a, b) {
        return (b.pinned - a.pinned) || (b.votes - a.votes) || oldest(a, b);
      });
    }
    return list.sort(function (a, b) { return -oldest(a, b); });
  }

  function show() {
    var focused = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest(".mq");
    var focusedId = focused ? focused.dataset.id : null;
    ["pending", "approved", "answered", "hidden"].forEach(function (status) {
      var list = document.getElementById("list-" + status);
      var items = order(status);
      list.textContent = "";
      items.forEach(function (q) { list.appendChild(render(q)); });
      document.getElementById("count-" + status).textContent = items.length;
    });
    if (focusedId && document.getElementById("mq-" + focusedId)) {
      document.getElementById("mq-" + focusedId).focus();
    }
  }

  function receive(q) {
    if (!questions[q.id] && q.status === "pending") {
      announcer.textContent = labels["new"] + " " + q.text;
    }
    questions[q.id] = q;
  }

  function moderate(id, action) {
    socket.emit("moderate", {question: id, action: action}, function (ack) {
      if (!ack.ok) { announcer.textContent = ack.message; }
    });
  }

  // Joining again sends the full list: after a reconnection, and when the server says
  // its message queue lost deliveries.
  function join() { socket.emit("join", {event: root.dataset.event}); }
  socket.on("connect", join);
  socket.on("resync", join);
  socket.on("questions", function (data) {
    if (data.full) { questions = {}; }
    data.questions.forEach(function (q) { questions[q.id] = q; });
    show();
  });
  socket.on("question", function (q) { receive(q); show(); });
  socket.on("votes", function (data) {
    data.questions.forEach(function (q) {
      if (questions[q.id]) { questions[q.id].votes = q.votes; }
    });
    show();
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    moderate(parseInt(button.closest(".mq").dataset.id, 10), button.dataset.action);
  });
  // The server-rendered items hold plain forms: send their action over the socket.
  root.addEventListener("submit", function (event) {
    if (!socket.connected) { return; }
    event.preventDefault();
    var parts = event.target.action.split("/");
    moderate(parseInt(parts[parts.length - 2], 10), parts[parts.length - 1]);
  });

  // Keyboard: the seat at the desk moderates without the mouse.
  var keys = {a: "approve", h: "hide", r: "answer"};
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.closest("input, textarea, select")) { return; }
    var items = Array.prototype.slice.call(root.querySelectorAll(".mq"));
    var current = event.target.closest ? event.target.closest(".mq") : null;
    var index = items.indexOf(current);
    var key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      var next = items[key === "j" ? index + 1 : Math.max(index - 1, 0)];
      if (next) { next.focus(); event.preventDefault(); }
      return;
    }
    if (!current) { return; }
    var q = questions[current.dataset.id];
    var action = key === "p" ? (current.classList.contains("is-pinned") ? "unpin" : "pin") : keys[key];
    if (!action) { return; }
    var allowed = q ? actionsFor(q) : Array.prototype.map.call(
      current.querySelectorAll("[class*='action-']"),
      function (b) { return (b.className.match(/action-(\w+)/) || [])[1]; });
    if (allowed.indexOf(action) >= 0) {
      event.preventDefault();
      moderate(parseInt(current.dataset.id, 10), action);
    }
  });
})();
