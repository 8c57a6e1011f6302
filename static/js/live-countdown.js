// Before the live: how long until it starts, kept current, and the page reloaded when
// it does, so the player and the programme "now" appear without the viewer's help.
(function () {
  "use strict";
  var box = document.querySelector(".countdown[data-starts-at]");
  if (!box || !window.Intl || !Intl.RelativeTimeFormat) { return; }
  var starts = Date.parse(box.dataset.startsAt);
  var format = new Intl.RelativeTimeFormat(document.documentElement.lang || "fr",
                                           { numeric: "auto" });
  var units = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];

  function tick() {
    var left = Math.round((starts - Date.now()) / 1000);
    if (left <= 0) {
      window.location.reload();
      return;
    }
    var unit = units.filter(function (u) { return left >= u[1]; })[0] || units[3];
    box.textContent = format.format(Math.round(left / unit[1]), unit[0]);
    window.setTimeout(tick, unit[0] === "second" || left < 120 ? 1000 : 20000);
  }
  tick();
})();
