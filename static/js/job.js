// The job page: poll the job's JSON and move the progress bar; reload the page
// (rendered on the server) once the job is done or failed. Data reaches the
// page as text only. Without JavaScript the page refreshes itself instead.
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-job-url");
  var bar = document.getElementById("job-progress");
  var label = document.getElementById("job-progress-label");
  var state = document.getElementById("job-state");
  var stage = document.getElementById("job-stage");
  var delay = 1000;

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    label.textContent = (data.label ? data.label : "") + "（" + data.percent + " %）";
    state.textContent = data.state_label;
    stage.textContent = data.stage ? "（" + data.stage + "）" : "";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.state === "done" || data.state === "failed") {
          window.location.reload();
          return;
        }
        delay = Math.min(delay + 250, 3000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();
