// The queue page asks every 15 s whether cases were opened since it was shown, and says so with a reload link.
// Without JavaScript the page reloads itself every minute instead (the meta refresh in queue.html's <noscript>).
(function () {
  "use strict";
  var POLL_MS = 15000;
  var notice = document.getElementById("new-cases");
  if (!notice) {
    return;
  }
  var url = notice.dataset.changesUrl + "?since=" + encodeURIComponent(notice.dataset.newest);

  function show(changes) {
    if (changes && changes.new > 0) {
      notice.querySelector("span").textContent = changes.new === 1 ? "1 new case" : changes.new + " new cases";
      notice.hidden = false;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          // Logged out or idle too long: reloading shows the login page.
          window.location.reload();
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(show)
      .catch(function () {
        // Offline for a moment: the next poll tries again.
      });
  }

  window.setInterval(poll, POLL_MS);
})();
