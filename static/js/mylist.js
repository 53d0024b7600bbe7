/* わたしのリスト: ids kept in this browser's localStorage (nothing on the server).
   Buttons with data-mylist-id are hidden in the HTML and shown here, so that a
   page without JavaScript offers no button that cannot work. Text goes in
   through textContent only. */
(function () {
  "use strict";
  var KEY = "portal-mylist";
  var MAX = 200;

  function read() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.map(String).filter(function (id) { return /^\d+$/.test(id); }) : [];
    } catch (e) {
      return [];
    }
  }

  function write(ids) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(ids.slice(0, MAX)));
    } catch (e) { /* private mode: the list lasts for this page only */ }
  }

  function refresh() {
    var ids = read();
    var buttons = document.querySelectorAll("button.mylist-toggle[data-mylist-id]");
    Array.prototype.forEach.call(buttons, function (button) {
      var listed = ids.indexOf(button.getAttribute("data-mylist-id")) !== -1;
      var label = button.getAttribute(listed ? "data-label-remove" : "data-label-add");
      if (button.textContent !== label) { button.textContent = label; }
      button.setAttribute("aria-pressed", listed ? "true" : "false");
      if (button.hidden) { button.hidden = false; }
    });
    var counts = document.querySelectorAll("[data-mylist-count]");
    Array.prototype.forEach.call(counts, function (node) {
      var count = ids.length ? "（" + ids.length + "）" : "";
      if (node.textContent !== count) { node.textContent = count; }
    });
    var keep = document.getElementById("mylist-keep");
    var page = document.getElementById("mylist");
    if (keep && page) {
      var shown = (page.getAttribute("data-ids") || "").split(",").filter(Boolean);
      keep.hidden = shown.every(function (id) { return ids.indexOf(id) !== -1; });
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.mylist-toggle") : null;
    if (!button) { return; }
    var id = button.getAttribute("data-mylist-id");
    var ids = read();
    var at = ids.indexOf(id);
    if (at === -1) { ids.push(id); } else { ids.splice(at, 1); }
    write(ids);
    refresh();
  });

  function setUpListPage() {
    var page = document.getElementById("mylist");
    if (!page) { return; }
    var ids = read();
    if (!page.getAttribute("data-given") && ids.length) {
      // /mylist/ opened from the menu: show this browser's list.
      window.location.replace(page.getAttribute("data-base") + "?ids=" + ids.join(","));
      return;
    }
    var share = document.getElementById("mylist-share");
    if (share && navigator.share) {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: share.getAttribute("data-title"), url: share.getAttribute("data-url") })
          .catch(function () { /* cancelled */ });
      });
    }
    var copy = document.getElementById("mylist-copy");
    var status = document.getElementById("mylist-copy-status");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var link = document.getElementById("mylist-link");
        navigator.clipboard.writeText(link.value).then(function () {
          status.textContent = copy.getAttribute("data-done");
        });
      });
    }
    var keep = document.getElementById("mylist-keep");
    if (keep) {
      keep.addEventListener("click", function () {
        var mine = read();
        (page.getAttribute("data-ids") || "").split(",").filter(Boolean).forEach(function (id) {
          if (mine.indexOf(id) === -1) { mine.push(id); }
        });
        write(mine);
        refresh();
        status.textContent = keep.getAttribute("data-done");
      });
    }
  }

  function start() {
    setUpListPage();
    refresh();
    // The search page replaces its results without a reload: show their buttons too.
    // Only #results' own children are watched, so that refresh() changing a
    // button's text does not call itself again.
    var results = document.getElementById("results");
    if (results && window.MutationObserver) {
      new MutationObserver(refresh).observe(results, { childList: true });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
