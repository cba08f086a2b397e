// Live cohort page: polls /cohorts/<slug>/live/ with the ETag it holds. An
// unchanged cohort answers 304; a changed one sends the page's flow, and only
// the blocks and questions whose server markup changed are replaced, so the
// reader's scroll position and any text selection in unchanged parts survive.
(function () {
  "use strict";

  var POLL_MS = 2000;
  var MAX_BACKOFF_MS = 15000;
  var cohort = document.querySelector("[data-live-url]");
  var flow = document.querySelector("[data-live-flow]");
  var status = document.querySelector("[data-live-status]");
  if (!cohort || !flow) return;

  var url = cohort.dataset.liveUrl;
  var etag = cohort.dataset.liveEtag;
  var delay = POLL_MS;
  var timer = null;
  // The server's markup of every keyed node as last received; the DOM itself is
  // enhanced (copy buttons, instructor tools), so it cannot be compared directly.
  var served = new Map();

  // Instructors' tools carry CSRF tokens, masked afresh in every rendering: they
  // must not make an unchanged question look changed.
  var CSRF_VALUE = /(name="csrfmiddlewaretoken" value=")[^"]*"/g;

  function markup(node) {
    return node.outerHTML.replace(CSRF_VALUE, '$1"');
  }

  function remember(root) {
    if (root.id) served.set(root.id, markup(root));
    root.querySelectorAll("[id]").forEach(function (node) {
      served.set(node.id, markup(node));
    });
  }

  function keyedChildren(parent) {
    return Array.prototype.filter.call(parent.children, function (node) { return node.id; });
  }

  function replaceNode(current, fresh, changed) {
    remember(fresh);
    current.replaceWith(fresh);
    changed.push(fresh);
    return fresh;
  }

  function patchItem(current, fresh, changed) {
    if (current.hasAttribute("data-live-keep")) return current;
    if (served.get(current.id) === markup(fresh)) return current;
    return replaceNode(current, fresh, changed);
  }

  function patchSection(current, fresh, changed) {
    var heading = current.querySelector(".section-heading");
    var freshHeading = fresh.querySelector(".section-heading");
    var list = current.querySelector("ol");
    if (!heading || !freshHeading || !list || !fresh.querySelector("ol")) {
      return patchItem(current, fresh, changed);
    }
    if (heading.outerHTML !== freshHeading.outerHTML) heading.replaceWith(freshHeading);
    reconcile(list, keyedChildren(fresh.querySelector("ol")), patchItem, changed);
    return current;
  }

  // Sections, and other blocks of keyed items (the class's questions), are patched item by item.
  function patchBlock(current, fresh, changed) {
    if (current.matches(".qa-section, [data-live-items]") && fresh.matches(".qa-section, [data-live-items]")) {
      return patchSection(current, fresh, changed);
    }
    return patchItem(current, fresh, changed);
  }

  // Make parent's keyed children match ``wanted`` (in order), patching each
  // surviving node in place and moving nodes only when their order changed.
  function reconcile(parent, wanted, patch, changed) {
    var wantedIds = new Set(wanted.map(function (node) { return node.id; }));
    var existing = new Map();
    keyedChildren(parent).forEach(function (node) {
      if (wantedIds.has(node.id)) existing.set(node.id, node);
      else node.remove();
    });
    var previous = null;
    wanted.forEach(function (fresh) {
      var current = existing.get(fresh.id);
      var node;
      if (current) {
        node = patch(current, fresh, changed);
      } else {
        remember(fresh);
        changed.push(fresh);
        node = fresh;
      }
      var expected = previous ? previous.nextElementSibling : parent.firstElementChild;
      if (node !== expected) parent.insertBefore(node, expected);
      previous = node;
    });
  }

  // The first keyed node at least partly on screen, and where it is now.
  function scrollAnchor() {
    var nodes = flow.querySelectorAll(".qa-items > [id], [data-live-flow] > [id]");
    for (var i = 0; i < nodes.length; i++) {
      var box = nodes[i].getBoundingClientRect();
      if (box.bottom > 0) return { id: nodes[i].id, top: box.top };
    }
    return null;
  }

  function applyFlow(html) {
    var anchor = scrollAnchor();
    var template = document.createElement("template");
    template.innerHTML = html;
    var changed = [];
    reconcile(flow, keyedChildren(template.content), patchBlock, changed);
    if (anchor) {
      var moved = document.getElementById(anchor.id);
      if (moved) window.scrollBy(0, moved.getBoundingClientRect().top - anchor.top);
    }
    changed.forEach(function (node) {
      node.classList.add("is-new");
      document.dispatchEvent(new CustomEvent("mspt3:patched", { detail: { node: node } }));
    });
    if (changed.length) {
      updatedAt = Date.now();
      showUpdated();
    }
  }

  // "Updated 40 seconds ago": the time ages (every few seconds) instead of saying "just now" forever.
  var AGE_TICK_MS = 5000;
  var updatedAt = null;
  var offline = false;
  var relative = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" })
    : null;

  function age(ms) {
    var seconds = Math.round(ms / 1000);
    if (!relative) return Math.floor(seconds / 60) + " min";
    if (seconds < 60) return relative.format(-Math.floor(seconds / 5) * 5, "second");
    if (seconds < 3600) return relative.format(-Math.floor(seconds / 60), "minute");
    return relative.format(-Math.floor(seconds / 3600), "hour");
  }

  function showUpdated() {
    if (!status || offline || updatedAt === null) return;
    status.textContent = status.dataset.updatedLabel + " " + age(Date.now() - updatedAt);
    status.dataset.updatedAt = String(updatedAt);
  }

  function schedule(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, ms);
  }

  var inFlight = null;

  function poll() {
    inFlight = window.AbortController ? new AbortController() : null;
    var mine = inFlight;
    fetch(url, {
      headers: { "If-None-Match": etag, Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      signal: mine ? mine.signal : undefined,
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        etag = response.headers.get("ETag") || etag;
        return response.json();
      })
      .then(function (payload) {
        if (mine !== inFlight) return; // superseded by pollNow()
        if (offline && status) status.textContent = "";
        offline = false;
        if (payload) {
          applyFlow(payload.flow);
          // The viewer's own part (room.js): their questions, votes and notices.
          document.dispatchEvent(new CustomEvent("mspt3:live", { detail: payload }));
        }
        delay = POLL_MS;
      })
      .catch(function () {
        if (mine !== inFlight) return;
        offline = true;
        if (status) status.textContent = status.dataset.offlineLabel;
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      })
      .finally(function () {
        if (mine !== inFlight) return;
        inFlight = null;
        schedule(delay);
      });
  }

  // Back online, or back on the tab: ask at once (dropping a request the dead network holds)
  // and start the back-off afresh, instead of waiting out up to 15 s.
  function pollNow() {
    delay = POLL_MS;
    if (inFlight) inFlight.abort();
    inFlight = null;
    schedule(0);
  }

  keyedChildren(flow).forEach(remember);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) pollNow();
  });
  window.addEventListener("online", pollNow);
  window.setInterval(showUpdated, AGE_TICK_MS);
  schedule(POLL_MS);
})();
