// Venue map: reads the venues from the list already on the page (data-lat/data-lon),
// so the list keeps working without JavaScript. Names are set with textContent.
(function () {
  "use strict";
  var box = document.getElementById("venue-map");
  if (!box || typeof L === "undefined") { return; }
  var items = Array.prototype.filter.call(
    document.querySelectorAll(".venue-item"),
    function (item) { return item.dataset.lat && item.dataset.lon; }
  );
  if (!items.length) { return; }
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, {
    maxZoom: 18,
    attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
  }).addTo(map);
  L.Icon.Default.imagePath = box.ownerDocument.querySelector(
    "script[src*='leaflet.js']").src.replace(/leaflet\.js.*$/, "images/");
  var bounds = [];
  items.forEach(function (item) {
    var point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    bounds.push(point);
    var label = document.createElement(item.dataset.url ? "a" : "span");
    label.textContent = item.dataset.name;
    if (item.dataset.url) { label.href = item.dataset.url; }
    L.marker(point, { title: item.dataset.name }).addTo(map).bindPopup(label);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 13);
  } else {
    map.fitBounds(bounds, { padding: [30, 30] });
  }
}());
