// Venue map, on request: neither Leaflet nor a single map tile is fetched until the
// reader asks for the map (tiles come from a third-party server, and rural connections
// are slow). It reads the venues from the list already on the page (data-lat/data-lon),
// so the list keeps working without JavaScript. Names are set with textContent.
(function () {
  "use strict";
  var box = document.getElementById("venue-map");
  var launch = document.querySelector(".map-launch");
  if (!box || !launch) { return; }
  var items = Array.prototype.filter.call(
    document.querySelectorAll(".venue-item"),
    function (item) { return item.dataset.lat && item.dataset.lon; }
  );
  if (!items.length) { return; }
  launch.hidden = false;

  function loadLeaflet(done) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = box.dataset.leafletJs;
    script.onload = done;
    document.body.appendChild(script);
  }

  function draw() {
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 18,
      attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
    }).addTo(map);
    L.Icon.Default.imagePath = box.dataset.leafletJs.replace(/leaflet\.js.*$/, "images/");
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
    box.focus();
  }

  document.getElementById("map-show").addEventListener("click", function () {
    launch.hidden = true;
    box.tabIndex = -1;
    loadLeaflet(draw);
  });
}());
