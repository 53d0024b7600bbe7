/* Search page: the map beside the list, kept in step with the filters.
 * Without JavaScript the form is a plain GET form and the list is complete. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  var map = null, cluster = null, pageLayer = null, fitPending = true;
  var requestSerial = 0;
  var seeResults = document.getElementById("see-results");
  // The map box appears only where the script can draw the map.
  document.getElementById("map-panel").hidden = false;

  function currentQuery() {
    var params = new URLSearchParams(new FormData(form));
    // Empty fields make long, noisy URLs: drop them.
    Array.from(params.keys()).forEach(function (key) {
      if (params.getAll(key).every(function (v) { return v === ""; })) params.delete(key);
    });
    if (!params.get("near") && !params.get("lat")) params.delete("radius_km");
    return params;
  }

  // Leaflet inserts string tooltips and popups as HTML: data goes in as text nodes.
  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  // The list partial is HTML the server rendered (every value escaped there);
  // it replaces the list as parsed nodes, with no HTML built here.
  function showResults(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    results.replaceChildren.apply(results, Array.from(doc.body.childNodes));
  }

  function line(box, text, className) {
    if (!text) return;
    var item = document.createElement("div");
    item.className = className;
    item.textContent = text;
    box.appendChild(item);
  }

  // Text only, through DOM nodes: never HTML from data.
  function popupContent(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.n + ". " + props.name;
    link.className = "popup-link";
    box.appendChild(link);
    line(box, [props.category, props.type].filter(Boolean).join("・"), "popup-meta");
    line(box, props.when, "popup-when");
    line(box, props.where, "popup-where");
    line(box, props.fee, "popup-fee");
    return box;
  }

  // A marker: the category's colour, the shape of the resource's kind
  // (resources/palette.py), and the list number inside, in an ink that contrasts.
  var SVG = "http://www.w3.org/2000/svg";
  var SHAPES = {
    circle: function () { return ["circle", { cx: 18, cy: 18, r: 14 }]; },
    square: function () { return ["rect", { x: 5, y: 5, width: 26, height: 26, rx: 3 }]; },
    diamond: function () { return ["polygon", { points: "18,1 35,18 18,35 1,18" }]; },
    triangle: function () { return ["polygon", { points: "18,2 35,33 1,33" }]; },
  };
  function shapeNode(shape, attrs) {
    var spec = (SHAPES[shape] || SHAPES.circle)();
    var node = document.createElementNS(SVG, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { node.setAttribute(k, spec[1][k]); });
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function numberIcon(props) {
    var shape = SHAPES[props.shape] ? props.shape : "circle";
    var box = document.createElement("span");
    box.className = "marker-number marker-number--" + shape + (props.n >= 1000 ? " marker-number--longer" : props.n >= 100 ? " marker-number--long" : "");
    box.dataset.shape = shape;
    box.dataset.color = props.color;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 36 36");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    // A white halo, then the colour with a dark edge: visible on any map.
    svg.appendChild(shapeNode(shape, { fill: "none", stroke: "#ffffff", "stroke-width": 5, "stroke-linejoin": "round" }));
    svg.appendChild(shapeNode(shape, { fill: props.color, stroke: "#1a1a1a", "stroke-width": 1.5, "stroke-linejoin": "round" }));
    box.appendChild(svg);
    var label = document.createElement("span");
    label.className = "marker-number__n";
    label.textContent = String(props.n);
    label.style.color = props.ink;
    box.appendChild(label);
    return L.divIcon({ html: box, className: "marker-icon", iconSize: [36, 36], iconAnchor: [18, 18] });
  }

  var pointLayer = null;

  function showSearchPoint() {
    if (!map) return;
    if (pointLayer) { map.removeLayer(pointLayer); pointLayer = null; }
    var head = results.querySelector(".results-head");
    if (!head || !head.dataset.pointLat) return;
    var centre = [parseFloat(head.dataset.pointLat), parseFloat(head.dataset.pointLng)];
    var layers = [
      L.circleMarker(centre, { radius: 7, color: "#ffffff", weight: 3, fillColor: "#c0392b", fillOpacity: 1 })
        .bindTooltip(textNode(head.dataset.pointLabel)),
    ];
    // A typed place sorts by distance without a radius: then no circle.
    var radiusKm = parseFloat(head.dataset.radiusKm);
    if (radiusKm > 0) {
      layers.unshift(L.circle(centre, {
        radius: radiusKm * 1000, color: "#c0392b", weight: 2,
        fill: false, dashArray: "6 6", interactive: false,
      }));
    }
    pointLayer = L.layerGroup(layers).addTo(map);
  }

  function showMarkers(data) {
    if (!map) return;
    showSearchPoint();
    cluster.clearLayers();
    var markers = data.features.map(function (f) {
      var c = f.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], {
        icon: numberIcon(f.properties), title: f.properties.n + ". " + f.properties.name,
        alt: f.properties.n + ". " + f.properties.name, keyboard: false,
      });
      marker.feature = f;
      marker.bindPopup(popupContent(f.properties));
      return marker;
    });
    // The results of the list's page are never clustered: their numbers are
    // always on the map; the other results gather in clusters.
    var shown = pageMarkers(markers);
    pageLayer.clearLayers();
    shown.forEach(function (m) { pageLayer.addLayer(m); });
    cluster.addLayers(markers.filter(function (m) { return shown.indexOf(m) < 0; }));
    map.getContainer().setAttribute("data-marker-count", String(markers.length));
    if (fitPending && markers.length) {
      // The view shows the results of the list's page (the nearest first, for a place).
      var bounds = shown.length ? L.latLngBounds(shown.map(function (m) { return m.getLatLng(); }))
        : cluster.getBounds();
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
      fitPending = false;
    }
  }

  function pageMarkers(markers) {
    var list = results.querySelector(".result-list");
    if (!list) return [];
    var first = parseInt(list.getAttribute("start") || "1", 10);
    var last = first + list.querySelectorAll("li.result").length - 1;
    return markers.filter(function (m) { return m.feature.properties.n >= first && m.feature.properties.n <= last; });
  }

  function loadMarkers(params) {
    var serial = ++requestSerial;
    return fetch(config.geojson + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (serial === requestSerial) showMarkers(data); });
  }

  function loadAreas() {
    fetch(config.areas).then(function (r) { return r.json(); }).then(function (data) {
      var tier1 = L.geoJSON(data, {
        filter: function (f) { return f.properties.tier === 1; },
        style: { color: "#0b4f9c", weight: 2, fill: false },
        interactive: false,
      });
      var tier2 = L.geoJSON(data, {
        filter: function (f) { return f.properties.tier === 2; },
        style: { color: "#6b4fa0", weight: 1.5, dashArray: "4 4", fill: false },
        interactive: false,
      });
      tier1.addTo(map);
      if (config.show_tier2) tier2.addTo(map);
      L.control.layers(null, layerNames(tier1, tier2), { collapsed: true }).addTo(map);
    });
  }

  function layerNames(tier1, tier2) {
    var names = {};
    names[config.labels.tier1] = tier1;
    names[config.labels.tier2] = tier2;
    return names;
  }

  function refresh(push) {
    var params = currentQuery();
    var url = config.search + (params.toString() ? "?" + params.toString() : "");
    if (push) history.pushState(null, "", url);
    var listParams = new URLSearchParams(params);
    listParams.set("partial", "1");
    fitPending = true;
    results.setAttribute("aria-busy", "true");
    fetch(config.search + "?" + listParams.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        showResults(html);
        results.removeAttribute("aria-busy");
        showSearchPoint();
        offerResults();
      });
    loadMarkers(params);
  }

  window.portalSearchMap = function (leafletMap) {
    map = leafletMap;
    // The city's centre (its settings), until the markers give the view.
    if (config.center) map.setView(config.center, config.zoom, { animate: false });
    cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 50, disableClusteringAtZoom: 17,
    });
    map.addLayer(cluster);
    pageLayer = L.layerGroup().addTo(map);
    loadAreas();
    loadMarkers(currentQuery());
    var research = document.getElementById("map-research");
    // Offer "search this area" only after the user moved the map.
    function userMoved() { research.hidden = false; }
    map.on("dragend", userMoved);
    map.getContainer().addEventListener("wheel", userMoved, { passive: true });
    map.getContainer().addEventListener("dblclick", userMoved);
    map.zoomControl.getContainer().addEventListener("click", userMoved);
    research.addEventListener("click", function () {
      var center = map.getCenter();
      var bounds = map.getBounds();
      var radius = Math.min(20, Math.max(0.1, center.distanceTo(bounds.getNorthEast()) / 1000));
      form.elements.lat.value = center.lat.toFixed(6);
      form.elements.lng.value = center.lng.toFixed(6);
      form.elements.near.value = "";
      setRadius(radius);
      research.hidden = true;
      fitPending = false;
      refreshKeepingView();
    });
  };

  function setRadius(km) {
    var select = form.elements.radius_km;
    var value = String(Math.round(km * 10) / 10);
    var option = Array.from(select.options).find(function (o) { return o.value === value; });
    if (!option) {
      option = new Option(value + "km", value);
      select.add(option);
    }
    select.value = value;
  }

  function refreshKeepingView() {
    var params = currentQuery();
    history.pushState(null, "", config.search + "?" + params.toString());
    var listParams = new URLSearchParams(params);
    listParams.set("partial", "1");
    fetch(config.search + "?" + listParams.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { showResults(html); showSearchPoint(); });
    loadMarkers(params);
  }

  // After a change in the drawer, a sticky button says how many were found and
  // takes the reader to the list, with focus on the count.
  function offerResults() {
    var count = results.querySelector(".result-count");
    if (!seeResults || !count) return;
    seeResults.textContent = seeResults.dataset.template.replace("%(n)s", count.dataset.count);
    seeResults.hidden = false;
  }
  if (seeResults) {
    seeResults.addEventListener("click", function (event) {
      event.preventDefault();
      seeResults.hidden = true;
      var count = results.querySelector(".result-count");
      results.scrollIntoView({ block: "start" });
      if (count) { count.setAttribute("tabindex", "-1"); count.focus(); }
    });
  }

  form.addEventListener("change", function (event) {
    // Typing fields wait for the submit button; choices apply at once.
    if (event.target.type === "search" || event.target.type === "text") return;
    refresh(true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (form.elements.near.value) { form.elements.lat.value = ""; form.elements.lng.value = ""; }
    refresh(true);
  });
  window.addEventListener("popstate", function () { location.reload(); });

  // 「この検索を送る」: the phone's own share sheet and a copy button where the
  // browser has them; LINE and mail links work without the script.
  var shareNative = document.getElementById("share-native");
  var shareCopy = document.getElementById("share-copy");
  var shareStatus = document.getElementById("share-status");
  function shareUrl() { return location.href.replace(/([?&])partial=1&?/, "$1"); }
  if (shareNative && navigator.share) {
    shareNative.hidden = false;
    shareNative.addEventListener("click", function () {
      navigator.share({ title: document.title, url: shareUrl() }).catch(function () {});
    });
  }
  if (shareCopy && navigator.clipboard) {
    shareCopy.hidden = false;
    shareCopy.addEventListener("click", function () {
      navigator.clipboard.writeText(shareUrl()).then(function () {
        shareStatus.textContent = shareCopy.dataset.done;
      });
    });
  }

  var locate = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = status.dataset.working;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lng.value = pos.coords.longitude.toFixed(6);
        form.elements.near.value = "";
        if (form.elements.sort) form.elements.sort.value = "distance";
        status.textContent = status.dataset.done;
        refresh(true);
      }, function () {
        status.textContent = status.dataset.failed;
      }, { timeout: 10000, maximumAge: 60000 });
    });
  }
})();
