// The quick entry on the cohort page and its outbox.
//
// The rule is that no typed question is ever lost: the form is mirrored to
// localStorage as it is typed, and every submitted question waits in a
// localStorage outbox until the server has accepted it, retried on a timer and
// when the browser comes back online. Every submission carries an
// Idempotency-Key made here and kept with it, so a retry of a request whose
// answer was lost returns the first question instead of a second one.
(function () {
  "use strict";

  var tools = window.mspt3Instructor;
  var quick = document.querySelector("[data-quick-entry]");
  if (!tools || !quick) return;
  var label = tools.label;
  var load = tools.load;
  var store = tools.store;
  var formFields = tools.formFields;

  var RETRY_MS = 5000;
  var SEND_TIMEOUT_MS = 15000;
  var LEGACY_OUTBOX_KEY = "mspt3:outbox";
  // Shared with site.js, which drops the kept pages when someone else signs in.
  var OFFLINE_CACHE = "mspt3-offline";
  var OFFLINE_OWNER_KEY = "mspt3:offline-owner";

  // --- Quick entry and its outbox ---
  //
  // Enter puts the question in the outbox (localStorage, per user) under a key of its own and
  // clears the form at once. The outbox is sent oldest first, one request at a time, so the
  // questions arrive in the order typed; a failure waits and retries the same entry with the
  // same key. A refusal (400, 422) is never retried: it stays listed with the server's words
  // until the instructor edits or deletes it.

  function setupQuickEntry(form) {
    var question = form.elements.question;
    var answer = form.elements.answer;
    var status = form.querySelector("[data-outbox-status]");
    var list = form.querySelector("[data-outbox-list]");
    var draftKey = form.dataset.draftKey;
    var outboxKey = form.dataset.outboxKey;
    var memoryOutbox = null; // only where the browser refuses to store the outbox
    var sendingKey = null;
    var editing = {};
    var stalled = false;
    var failures = 0;
    var retryTimer = null;

    function outbox() {
      return memoryOutbox || load(outboxKey, []);
    }

    function saveOutbox(entries) {
      if (!store(outboxKey, entries) || memoryOutbox) memoryOutbox = entries;
    }

    function mine() {
      return outbox().filter(function (e) { return e.url === form.action; });
    }

    function update(key, change) {
      saveOutbox(outbox().map(function (e) { return e.key === key ? change(e) : e; }).filter(Boolean));
    }

    // Questions queued by an earlier version of this page (one outbox for every user).
    function adoptLegacyOutbox() {
      var legacy = load(LEGACY_OUTBOX_KEY, []);
      if (!legacy.length) return;
      saveOutbox(outbox().concat(legacy.map(function (e) { return { key: e.key, url: e.url, fields: e.fields }; })));
      store(LEGACY_OUTBOX_KEY, null);
    }

    function saveDraft() {
      store(draftKey, { fields: formFields(form) });
    }

    function fill(fields) {
      Object.keys(fields).forEach(function (name) {
        if (form.elements[name]) form.elements[name].value = fields[name];
      });
    }

    function clear() {
      question.value = "";
      if (answer) {
        answer.value = "";
        answer.dispatchEvent(new Event("input"));
      }
      store(draftKey, null);
      question.focus();
      form.dispatchEvent(new Event("mspt3:cleared"));
    }

    function button(text, action) {
      var node = document.createElement("button");
      node.type = "button";
      node.textContent = text;
      node.addEventListener("click", action);
      return node;
    }

    function textBox(name, value, text) {
      var wrap = document.createElement("label");
      wrap.className = "outbox-field";
      wrap.textContent = text;
      var area = document.createElement("textarea");
      area.name = name;
      area.rows = 2;
      area.value = value || "";
      wrap.appendChild(area);
      return wrap;
    }

    function editor(entry, item) {
      var box = document.createElement("div");
      box.className = "outbox-editor";
      box.appendChild(textBox("question", entry.fields.question, label("questionLabel", "Question")));
      box.appendChild(textBox("answer", entry.fields.answer, label("answerLabel", "Answer")));
      var actions = document.createElement("span");
      actions.className = "outbox-editor-actions";
      actions.appendChild(button(label("saveLabel", "Save"), function () {
        var text = box.querySelector("[name=question]").value;
        if (!text.trim()) return box.querySelector("[name=question]").focus();
        var reply = box.querySelector("[name=answer]").value;
        update(entry.key, function (e) {
          var fields = Object.assign({}, e.fields, { question: text, answer: reply });
          return { key: e.key, url: e.url, fields: fields };
        });
        delete editing[entry.key];
        render();
        flush();
      }));
      actions.appendChild(button(label("cancelLabel", "Cancel"), function () {
        delete editing[entry.key];
        render();
        flush();
      }));
      box.appendChild(actions);
      item.appendChild(box);
    }

    function outboxItem(entry) {
      var item = document.createElement("li");
      item.className = entry.rejected ? "outbox-item is-rejected" : "outbox-item";
      item.dataset.outboxKey = entry.key;
      var text = document.createElement("span");
      text.className = "outbox-text";
      text.textContent = entry.fields.question;
      text.hidden = Boolean(editing[entry.key]); // the editor shows it
      item.appendChild(text);
      if (entry.rejected) {
        var why = document.createElement("span");
        why.className = "error";
        why.textContent = entry.rejected;
        item.appendChild(why);
      }
      if (editing[entry.key]) {
        editor(entry, item);
      } else {
        var tools = document.createElement("span");
        tools.className = "outbox-tools";
        tools.appendChild(button(label("editLabel", "Edit"), function () {
          editing[entry.key] = true;
          render();
          list.querySelector("[data-outbox-key='" + entry.key + "'] textarea").focus();
        }));
        tools.appendChild(button(label("deleteLabel", "Delete"), function () {
          update(entry.key, function () { return null; });
          render();
          flush();
        }));
        item.appendChild(tools);
      }
      return item;
    }

    function render() {
      var entries = mine();
      var shown = {};
      list.querySelectorAll("[data-outbox-key]").forEach(function (node) { shown[node.dataset.outboxKey] = node; });
      list.textContent = "";
      entries.forEach(function (entry) {
        // An entry being edited keeps its node: a re-render must not wipe what is typed there.
        var open = editing[entry.key] && shown[entry.key] && shown[entry.key].querySelector(".outbox-editor");
        list.appendChild(open ? shown[entry.key] : outboxItem(entry));
      });
      var waiting = entries.filter(function (e) { return !e.rejected; }).length;
      var visible = entries.length > 0 && (stalled || waiting < entries.length || Object.keys(editing).length > 0);
      list.hidden = !visible;
      status.textContent = visible && waiting ? label("waitingLabel", "Not sent yet, retrying:") + " " + waiting : "";
      form.classList.toggle("has-outbox", visible);
    }

    function retryLater() {
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(flush, Math.min(RETRY_MS, 1000 * Math.pow(2, failures - 1)));
    }

    function refuse(entry, response) {
      return response.text().then(function (html) {
        // A 413 is plain text naming the limit and the size; a 400/422 is the form with its errors.
        var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
        var why = (plain ? html.trim() : tools.errorText(html)) || label("rejectedLabel", "Refused by the server.");
        update(entry.key, function (e) { return Object.assign({}, e, { rejected: why }); });
      });
    }

    function accept(entry, response) {
      return response.text().then(function (html) {
        update(entry.key, function () { return null; });
        var node = tools.showQuestion(html, response.headers.get("X-Section-Id"));
        savedNote(html, decodeURIComponent(response.headers.get("X-Section-Title") || ""), node);
      });
    }

    // "Saved in Kubernetes · CH08 · Show it": the question lands at the end of its section,
    // usually out of sight, so say where it went and offer the way there.
    function savedNote(html, sectionTitle, node) {
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

    // One request at a time, oldest entry first: the order typed is the order saved.
    function flush() {
      if (sendingKey) return;
      window.clearTimeout(retryTimer);
      var next = mine().filter(function (e) { return !e.rejected; })[0];
      if (!next || editing[next.key]) {
        if (!next) stalled = false;
        render();
        return;
      }
      sendingKey = next.key;
      var timeout = window.AbortSignal && AbortSignal.timeout ? AbortSignal.timeout(SEND_TIMEOUT_MS) : undefined;
      tools.post(next.url, next.fields, { "Idempotency-Key": next.key }, timeout)
        .then(function (response) {
          if (response.ok) return accept(next, response);
          if ([400, 413, 422].indexOf(response.status) >= 0) return refuse(next, response);
          throw new Error("HTTP " + response.status); // 5xx, 403 after a logout…: retried
        })
        .then(function () {
          sendingKey = null;
          failures = 0;
          stalled = false;
          flush();
        })
        .catch(function () {
          sendingKey = null;
          failures += 1;
          stalled = true;
          render();
          retryLater();
        });
    }

    function submit() {
      if (!question.value.trim()) {
        question.focus();
        return;
      }
      saveOutbox(outbox().concat([{ key: tools.newKey(), url: form.action, fields: formFields(form) }]));
      clear();
      render();
      flush();
    }

    adoptLegacyOutbox();
    var draft = load(draftKey, null) || load(form.dataset.legacyDraftKey, null);
    if (draft) fill(draft.fields);
    store(form.dataset.legacyDraftKey, null);
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    question.addEventListener("keydown", function (event) {
      // isComposing: Enter that confirms a Korean IME syllable must not submit.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        submit();
      }
    });
    window.addEventListener("online", function () {
      failures = 0;
      flush();
    });
    window.addEventListener("storage", function (event) {
      if (event.key === outboxKey) render(); // another tab queued or sent something
    });
    render();
    flush();
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
