// Presenter screen and OBS overlay: the pinned question (and, on the presenter, the top ones).
(function () {
  "use strict";
  var root = document.getElementById("presenter");
  if (!root || !window.io) { return; }
  var questions = {};
  var socket = window.io("/live");

  function show() {
    var all = Object.keys(questions).map(function (id) { return questions[id]; });
    var pinned = all.filter(function (q) { return q.pinned; })[0];
    document.getElementById("pinned-text").textContent = pinned ? pinned.text : "";
    document.getElementById("pinned-name").textContent =
      pinned ? (pinned.name || root.dataset.textAnonymous) : "";
    var box = document.getElementById("pinned-box");
    if (box) { box.classList.toggle("is-hidden", !pinned); }
    var top = document.getElementById("top-list");
    if (!top) { return; }
    top.textContent = "";
    all.filter(function (q) { return q.status === "approved" && !q.pinned; })
      .sort(function (a, b) { return b.votes - a.votes || (a.created_at < b.created_at ? -1 : 1); })
      .slice(0, 3)
      .forEach(function (q) {
        var li = document.createElement("li");
        var t = document.createElement("span");
        t.className = "top-text";
        t.textContent = q.text;
        var v = document.createElement("span");
        v.className = "top-votes";
        v.textContent = "▲ " + q.votes;
        li.append(t, " ", v);
        top.appendChild(li);
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
  socket.on("question", function (q) { questions[q.id] = q; show(); });
  socket.on("votes", function (data) {
    data.questions.forEach(function (q) {
      if (questions[q.id]) { questions[q.id].votes = q.votes; }
    });
    show();
  });
})();
