// Moderation console: rows update live; action buttons moderate over the socket.
(function () {
  "use strict";
  var table = document.getElementById("console");
  if (!table || !window.io) { return; }
  var rows = document.getElementById("console-rows");
  var announcer = document.getElementById("console-announcer");
  var labels = JSON.parse(table.dataset.labels);
  var actions = ["approve", "hide", "answer", "pin", "unpin"];
  var socket = window.io("/live");

  function cell(className, value) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (value !== undefined) { td.textContent = value; }
    return td;
  }

  function render(q) {
    var tr = document.createElement("tr");
    tr.id = "mq-" + q.id;
    tr.dataset.id = q.id;
    tr.className = "status-" + q.status;
    var main = cell();
    var p = document.createElement("p");
    p.className = "question-text";
    p.textContent = q.text;
    var name = document.createElement("p");
    name.className = "question-name";
    name.textContent = q.name || table.dataset.textAnonymous;
    main.append(p, name);
    var buttons = cell("actions");
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small action-" + action;
      button.dataset.action = action;
      button.textContent = labels[action];
      buttons.appendChild(button);
    });
    tr.append(main, cell("vote-count", q.votes),
      cell("status", labels[q.status] + (q.pinned ? " · " + labels.pinned : "")), buttons);
    return tr;
  }

  function upsert(q) {
    var old = document.getElementById("mq-" + q.id);
    var fresh = render(q);
    if (old) {
      old.replaceWith(fresh);
    } else {
      rows.insertBefore(fresh, rows.firstChild);
      announcer.textContent = labels["new"] + " " + q.text;
    }
  }

  function moderate(id, action) {
    socket.emit("moderate", {question: id, action: action}, function (ack) {
      if (!ack.ok) { announcer.textContent = ack.message; }
    });
  }

  // Joining again sends the full list: after a reconnection, and when the server says
  // its message queue lost deliveries.
  function join() { socket.emit("join", {event: table.dataset.event}); }
  socket.on("connect", join);
  socket.on("resync", join);
  socket.on("questions", function (data) {
    if (data.full) { rows.textContent = ""; }
    data.questions.slice().reverse().forEach(upsert);
  });
  socket.on("question", upsert);
  socket.on("votes", function (data) {
    data.questions.forEach(function (q) {
      var row = document.getElementById("mq-" + q.id);
      if (row) { row.querySelector(".vote-count").textContent = q.votes; }
    });
  });
  rows.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    moderate(parseInt(button.closest("tr").dataset.id, 10), button.dataset.action);
  });
  // The server-rendered rows hold plain forms: send their action over the socket.
  rows.addEventListener("submit", function (event) {
    if (!socket.connected) { return; }
    event.preventDefault();
    var parts = event.target.action.split("/");
    moderate(parseInt(parts[parts.length - 2], 10), parts[parts.length - 1]);
  });
})();
