// The projector view: polls itself with the ETag it holds (304 while nothing changed) and
// replaces its body; instructors drive it from the keyboard:
//   j / k (or ↓ / ↑)  move the selection through the open questions
//   Enter             mark the selected question "now answering" (the room sees it highlighted)
//   Esc               clear "now answering"
//   f                 full screen on/off
(function () {
  "use strict";

  var POLL_MS = 2000;
  var MAX_BACKOFF_MS = 15000;
  var root = document.querySelector("[data-present]");
  var body = document.querySelector("[data-present-body]");
  if (!root || !body) return;
  var etag = root.dataset.presentEtag;
  var delay = POLL_MS;
  var selectedId = null;

  function items() {
    return Array.prototype.slice.call(body.querySelectorAll("[data-question-id]"));
  }

  function showSelection() {
    items().forEach(function (item) {
      item.classList.toggle("is-selected", item.dataset.questionId === selectedId);
    });
  }

  var timer = null;
  var polling = false;
  var soon = false;

  function poll() {
    polling = true;
    fetch(root.dataset.presentUrl, {
      headers: { "If-None-Match": etag, Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        etag = response.headers.get("ETag") || etag;
        return response.json();
      })
      .then(function (payload) {
        document.body.classList.remove("is-offline");
        if (payload) {
          body.innerHTML = payload.html;
          showSelection();
        }
        delay = POLL_MS;
      })
      .catch(function () {
        document.body.classList.add("is-offline");
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      })
      .finally(function () {
        polling = false;
        timer = window.setTimeout(poll, soon ? 0 : delay);
        soon = false;
      });
  }

  function csrfToken() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function mark(id) {
    var fields = new URLSearchParams({ question: id || "" });
    return fetch(root.dataset.markUrl, {
      method: "POST", body: fields, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    }).then(function () {
      // Show it now rather than at the next tick (after the request in flight, if any).
      if (polling) {
        soon = true;
      } else {
        window.clearTimeout(timer);
        poll();
      }
    });
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var at = list.findIndex(function (item) { return item.dataset.questionId === selectedId; });
    var next = list[Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : at + step))];
    selectedId = next.dataset.questionId;
    showSelection();
    next.scrollIntoView({ block: "nearest" });
  }

  if (root.hasAttribute("data-present-controls")) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (event.key === "j" || event.key === "ArrowDown") move(1);
      else if (event.key === "k" || event.key === "ArrowUp") move(-1);
      else if (event.key === "Enter" && selectedId) mark(selectedId);
      else if (event.key === "Escape") mark("");
      else if (event.key === "f") {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
      } else return;
      event.preventDefault();
    });
  }

  timer = window.setTimeout(poll, POLL_MS);
})();
