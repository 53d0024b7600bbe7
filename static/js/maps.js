/* Maps of the portal: built from the JSON options that {% portal_map %} writes
 * beside each map's <div>, so that no page needs an inline script (CSP). */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("[data-portal-map]").forEach(function (el) {
      var djoptions = JSON.parse(document.getElementById(el.dataset.portalMap).textContent);
      var callback = window[el.dataset.mapCallback];
      L.Map.djangoMap(el.id, {
        djoptions: djoptions, globals: false,
        callback: function (map) {
          // As django-leaflet's own tag does: window["leafletmap" + id] (tests use it).
          window["leafletmap" + el.id] = map;
          if (typeof callback === "function") callback(map);
        },
      });
    });
  }
  if (document.readyState === "complete") init();
  else window.addEventListener("load", init);
})();
