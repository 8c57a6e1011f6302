/* Live figures of the organiser dashboard over Socket.IO (namespace /checkin). */
(function () {
  "use strict";
  var box = document.getElementById("stats");
  if (!box || !window.io) { return; }
  var state = document.getElementById("live-state");
  var socket = window.io("/checkin");

  function render(stats) {
    Object.keys(stats).forEach(function (key) {
      var cell = box.querySelector('[data-stat="' + key + '"]');
      if (cell) { cell.textContent = String(stats[key]); }
    });
  }

  socket.on("connect", function () {
    socket.emit("join", { event: box.dataset.event }, function (answer) {
      if (answer && answer.ok) { render(answer.stats); state.hidden = true; }
    });
  });
  socket.on("disconnect", function () { state.hidden = false; });
  socket.on("stats", render);
})();
