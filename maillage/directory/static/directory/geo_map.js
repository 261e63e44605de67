/* Geographic map island (Leaflet): loads the GeoJSON points of data-points-url and groups the close ones on a
   screen grid (simple clustering, recomputed at each zoom). The tile server comes from data-tile-url. */
(function () {
  "use strict";
  var box = document.getElementById("geo-map");
  if (!box || !window.L) { return; }
  var CELL = 56; // pixels
  var COLOURS = { structure: "#1d4ed8", service: "#047857", place: "#b45309" };
  var map = window.L.map(box, { scrollWheelZoom: false }).setView([46.6, 2.4], 6);
  window.L.tileLayer(box.getAttribute("data-tile-url"), {
    attribution: box.getAttribute("data-attribution"), maxZoom: 18
  }).addTo(map);
  var layer = window.L.layerGroup().addTo(map);
  var features = [];

  function popup(props) {
    var wrap = document.createElement("div");
    var title = document.createElement(props.url ? "a" : "strong");
    if (props.url) { title.href = props.url; }
    title.textContent = props.name;
    wrap.appendChild(title);
    var meta = document.createElement("div");
    meta.textContent = [props.structure, props.commune, props.approximate ? "position approximative" : ""]
      .filter(Boolean).join(" · ");
    wrap.appendChild(meta);
    return wrap;
  }

  function draw() {
    layer.clearLayers();
    var cells = {};
    features.forEach(function (f) {
      var latlng = window.L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
      var p = map.project(latlng, map.getZoom());
      var key = Math.floor(p.x / CELL) + ":" + Math.floor(p.y / CELL);
      (cells[key] = cells[key] || []).push({ f: f, latlng: latlng });
    });
    Object.keys(cells).forEach(function (key) {
      var items = cells[key];
      if (items.length === 1 || map.getZoom() >= 17) {
        items.forEach(function (item) {
          window.L.circleMarker(item.latlng, { radius: 8, color: "#ffffff", weight: 2, fillOpacity: 1,
            fillColor: COLOURS[item.f.properties.kind] || "#1d4ed8" })
            .bindPopup(popup(item.f.properties)).addTo(layer);
        });
        return;
      }
      var lat = 0, lng = 0;
      items.forEach(function (item) { lat += item.latlng.lat; lng += item.latlng.lng; });
      var centre = window.L.latLng(lat / items.length, lng / items.length);
      var icon = window.L.divIcon({ className: "directory-cluster", html: "<span>" + items.length + "</span>", iconSize: [36, 36] });
      window.L.marker(centre, { icon: icon, title: items.length + " lieux : zoomer", keyboard: true })
        .on("click", function () { map.setView(centre, Math.min(map.getZoom() + 2, 18)); })
        .addTo(layer);
    });
  }

  fetch(box.getAttribute("data-points-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      features = data.features;
      if (features.length) {
        var bounds = window.L.latLngBounds(features.map(function (f) {
          return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        }));
        map.fitBounds(bounds.pad(0.2), { maxZoom: 14 });
      }
      draw();
      map.on("zoomend", draw);
      box.setAttribute("data-ready", String(features.length));
    });
})();
