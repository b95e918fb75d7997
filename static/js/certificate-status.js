// The case page asks every few seconds whether the e-certificate is ready and swaps the panel in
// place, so the citizen sees "签发中" turn into "已签发" without reloading. Without JavaScript the
// panel simply shows the state at page load.
(function () {
  "use strict";
  var panel = document.getElementById("certificate-panel");
  if (!panel || !panel.dataset.poll) { return; }
  var url = panel.dataset.poll;
  var delay = 2000;
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.status && data.status !== "PENDING") {
          panel.innerHTML = data.html;
          panel.removeAttribute("data-poll");
          return;
        }
        delay = Math.min(delay * 1.5, 15000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 15000); });
  }
  window.setTimeout(poll, delay);
})();
