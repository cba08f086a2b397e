// The quick entry on the cohort page: the shared no-loss outbox (outbox.js), where a saved
// question goes, the N shortcut and the offline copy of the page.
(function () {
  "use strict";

  var tools = window.mspt3Instructor;
  var outboxes = window.mspt3Outbox;
  var quick = document.querySelector("[data-quick-entry]");
  if (!tools || !outboxes || !quick) return;
  var label = tools.label;
  var load = outboxes.load;
  var store = outboxes.store;

  var LEGACY_OUTBOX_KEY = "mspt3:outbox";
  // Shared with site.js, which drops the kept pages when someone else signs in.
  var OFFLINE_CACHE = "mspt3-offline";
  var OFFLINE_OWNER_KEY = "mspt3:offline-owner";

  // --- Quick entry: the shared outbox (outbox.js) with a question and an optional answer ---

  // Questions queued by an earlier version of this page (one outbox for every user).
  function adoptLegacyOutbox(form) {
    var legacy = load(LEGACY_OUTBOX_KEY, []);
    if (!legacy.length) return;
    var adopted = legacy.map(function (e) { return { key: e.key, url: e.url, fields: e.fields }; });
    if (store(form.dataset.outboxKey, load(form.dataset.outboxKey, []).concat(adopted))) store(LEGACY_OUTBOX_KEY, null);
  }

  function setupQuickEntry(form) {
    adoptLegacyOutbox(form);
    outboxes.attach(form, {
      label: label,
      editFields: [
        { name: "question", labelName: "questionLabel", fallback: "Question" },
        { name: "answer", labelName: "answerLabel", fallback: "Answer" },
      ],
      accept: function (entry, response) {
        return response.text().then(function (html) {
          var node = tools.showQuestion(html, response.headers.get("X-Section-Id"));
          savedNote(form, html, decodeURIComponent(response.headers.get("X-Section-Title") || ""), node);
        });
      },
    });
  }

  // "Saved in Kubernetes · CH08 · Show it": the question lands at the end of its section,
  // usually out of sight, so say where it went and offer the way there.
  function savedNote(form, html, sectionTitle, node) {
    var note = form.querySelector("[data-saved-note]");
    var saved = node || tools.fragment(html);
    if (!note || !saved) return;
    var chapter = saved.querySelector(".badge-chapter");
    var where = [sectionTitle, chapter ? chapter.textContent.trim() : ""];
    note.textContent = label("savedLabel", "Saved in") + " " + where.filter(Boolean).join(" · ") + " · ";
    var link = document.createElement("a");
    link.href = "#" + saved.id;
    link.textContent = label("showLabel", "Show it");
    link.dataset.savedLink = "";
    note.appendChild(link);
    note.hidden = false;
  }

  // The cohort page and its scripts and styles, kept in the browser so that a reload while the
  // network is down still shows the page and its outbox (served by the offline worker).
  function keepPageForOffline(form) {
    if (!("serviceWorker" in navigator) || !window.caches || !window.isSecureContext) return;
    navigator.serviceWorker.register(form.dataset.offlineWorker, { scope: form.dataset.offlineScope })
      .catch(function () { /* no worker: the outbox still survives, the page just cannot reload offline */ });
    var assets = document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]");
    var urls = [window.location.pathname + window.location.search].concat(
      Array.prototype.map.call(assets, function (node) { return node.src || node.href; })
    );
    caches.open(OFFLINE_CACHE)
      .then(function (cache) { return cache.addAll(urls); })
      .then(function () { store(OFFLINE_OWNER_KEY, document.body.dataset.user); })
      .catch(function () { /* offline now: the copy kept earlier stays */ });
  }

  // --- Within reach while reading: N anywhere (outside a text field) or the floating button
  // brings the form back and focuses it. The button shows only while the form is off screen. ---

  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable], dialog");
  }

  function setupShortcut(form) {
    var question = form.elements.question;
    var jump = document.querySelector("[data-quick-entry-jump]");
    function bringBack() {
      form.scrollIntoView({ block: "center" });
      question.focus({ preventScroll: true });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "n" && event.key !== "N") return;
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || isTyping(event.target)) return;
      event.preventDefault();
      bringBack();
    });
    if (!jump) return;
    jump.addEventListener("click", function (event) {
      event.preventDefault();
      bringBack();
    });
    if (!window.IntersectionObserver) return;
    new IntersectionObserver(function (entries) {
      jump.hidden = entries[entries.length - 1].isIntersecting;
    }).observe(form);
  }

  // --- Where the question will go, shown before Enter (the server's one rule, qa/placement.py) ---

  var PLACEMENT_DELAY_MS = 250;

  function setupPlacementPreview(form) {
    var shown = form.querySelector("[data-placement]");
    var url = form.dataset.placementUrl;
    if (!shown || !url) return;
    var timer = null;
    var asked = 0;
    function refresh() {
      var number = ++asked;
      var query = new URLSearchParams({
        question: form.elements.question.value,
        section: form.elements.section.value,
        chapter: form.elements.chapter.value,
      });
      fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (placement) {
          if (placement && number === asked) shown.textContent = placement.summary;
        })
        .catch(function () { /* offline: the last preview stays */ });
    }
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, PLACEMENT_DELAY_MS);
    }
    form.elements.question.addEventListener("input", later);
    form.elements.section.addEventListener("change", refresh);
    form.elements.chapter.addEventListener("change", refresh);
    form.addEventListener("mspt3:cleared", refresh);
    refresh();
  }

  setupQuickEntry(quick);
  setupShortcut(quick);
  setupPlacementPreview(quick);
  keepPageForOffline(quick);
})();
