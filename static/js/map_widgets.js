/* Admin map widgets: a location picker that sets lat/lng, and a boundary preview. */
(function () {
  "use strict";

  function baseMap(el, box) {
    var map = L.map(el);
    L.tileLayer(box.dataset.tileUrl, {
      attribution: box.dataset.tileAttribution,
      maxZoom: 18,
    }).addTo(map);
    return map;
  }

  function initPicker(box) {
    var latInput = document.getElementById(box.dataset.latInput);
    var lngInput = latInput.form.elements[box.dataset.lngName];
    var map = baseMap(box.querySelector(".location-picker__map"), box);
    var marker = null;

    function current() {
      var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      return isFinite(lat) && isFinite(lng) ? [lat, lng] : null;
    }
    function place(latlng, write) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(latlng);
      }
      if (write) {
        var p = L.latLng(latlng);
        latInput.value = p.lat.toFixed(6);
        lngInput.value = p.lng.toFixed(6);
        latInput.dispatchEvent(new Event("change", { bubbles: true }));
        lngInput.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    var start = current();
    if (start) {
      place(start, false);
      map.setView(start, 16);
    } else {
      map.setView([parseFloat(box.dataset.centerLat), parseFloat(box.dataset.centerLng)], 12);
    }
    map.on("click", function (e) { place(e.latlng, true); });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var p = current();
        if (p && Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180) { place(p, false); map.panTo(p); }
      });
    });
  }

  function initPreview(box) {
    var source = document.getElementById(box.dataset.source);
    var map = baseMap(box.querySelector(".boundary-preview__map"), box);
    var layer = null;
    function draw() {
      if (layer) { map.removeLayer(layer); layer = null; }
      try {
        layer = L.geoJSON(JSON.parse(source.value), { style: { color: "#c0392b", weight: 3, fillOpacity: 0.1 } }).addTo(map);
        map.fitBounds(layer.getBounds());
      } catch (err) {
        map.setView([parseFloat(box.dataset.centerLat), parseFloat(box.dataset.centerLng)], 11);
      }
    }
    draw();
    source.addEventListener("change", draw);
  }

  function init() {
    document.querySelectorAll(".location-picker").forEach(initPicker);
    document.querySelectorAll(".boundary-preview").forEach(initPreview);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
