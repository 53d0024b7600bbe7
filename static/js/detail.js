/* Detail page: one marker on a small map. */
window.portalDetailMap = function (map) {
  "use strict";
  var data = JSON.parse(document.getElementById("detail-marker").textContent);
  L.circleMarker([data.lat, data.lng], {
    radius: 11, color: "#ffffff", weight: 3, fillColor: data.color, fillOpacity: 1,
  }).addTo(map).bindTooltip(data.name, { permanent: false });
  map.setView([data.lat, data.lng], 16);
};
