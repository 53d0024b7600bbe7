/* 地域分析の地図: areas shaded by the chosen measure, 町丁 without a 通いの場
   nearby marked. Data comes from the page (json_script); text is set with
   textContent, never as HTML. */
window.portalAnalysisMap = function (map) {
  "use strict";
  var data = JSON.parse(document.getElementById("analysis-map-data").textContent);

  function tip(lines, href, linkText) {
    var box = document.createElement("div");
    lines.forEach(function (line, index) {
      var p = document.createElement(index === 0 ? "strong" : "div");
      p.textContent = line;
      box.appendChild(p);
    });
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = linkText;
      box.appendChild(a);
    }
    return box;
  }

  var layer = L.geoJSON({ type: "FeatureCollection", features: data.features }, {
    style: function (feature) {
      return { fillColor: feature.properties.color, fillOpacity: 0.75, color: "#333", weight: 1 };
    },
    onEachFeature: function (feature, shape) {
      var p = feature.properties;
      shape.bindPopup(tip([p.label, p.value], p.href, data.labels.open));
      shape.bindTooltip(tip([p.label, p.value]), { sticky: true });
    },
  }).addTo(map);

  data.uncovered.forEach(function (item) {
    var far = item[2] > 1000;
    L.circleMarker([item[0], item[1]], {
      radius: far ? 5 : 4,
      color: far ? "#b2182b" : "#ef8a62",
      weight: 2,
      fillOpacity: far ? 0.9 : 0,
      fillColor: "#b2182b",
    }).addTo(map).bindTooltip(tip([
      item[3],
      (far ? data.labels.far : data.labels.near) + "（" + item[2] + " m）",
      data.labels.aged + " " + item[4],
    ]));
  });

  if (data.features.length) {
    map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  }
};
