/* Detail page: one marker on a small map. */
window.portalDetailMap = function (map) {
  "use strict";
  var data = JSON.parse(document.getElementById("detail-marker").textContent);
  // Leaflet inserts a string tooltip as HTML: the name goes in as text.
  var label = document.createElement("span");
  label.textContent = data.name;
  L.circleMarker([data.lat, data.lng], {
    // A dark edge: a light category colour (yellow, white) still shows on the map.
    radius: 11, color: "#1a1a1a", weight: 2, fillColor: data.color, fillOpacity: 1,
  }).addTo(map).bindTooltip(label, { permanent: false });
  map.setView([data.lat, data.lng], 16);
};
