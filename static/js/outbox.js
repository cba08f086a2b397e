// The no-loss outbox, shared by the instructors' quick entry (quick_entry.js) and the students'
// ask box (ask.js), and the small request helpers both use.
//
// The rule is that no typed text is ever lost: the form is mirrored to localStorage as it is
// typed, and every submitted entry waits in a localStorage outbox until the server has accepted
// it, retried on a timer and when the browser comes back online. Every submission carries an
// Idempotency-Key made here and kept with it, so a retry of a request whose answer was lost
// returns the first result instead of a second one.
(function () {
  "use strict";

  var RETRY_MS = 5000;
  var SEND_TIMEOUT_MS = 15000;

  // crypto.randomUUID exists only in secure contexts; a classroom may serve plain http.
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, fields, headers, signal) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    headers = Object.assign({ "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" }, headers || {});
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin", signal: signal });
  }

  function formFields(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") fields[name] = value;
    });
    return fields;
  }

  function load(key, fallback) {
    try {
      var value = window.localStorage.getItem(key);
      return value ? JSON.parse(value) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false; // storage full or disabled: callers keep the text in the page
    }
  }

  function errorText(html) {
    var node = document.createElement("template");
    node.innerHTML = html;
    var errors = node.content.querySelectorAll(".errorlist li, .error");
    return Array.prototype.map.call(errors, function (e) { return e.textContent.trim(); }).join(" ");
  }

  // Labels from an element's data-*-label attributes (the page's language), with English fallbacks.
  function labelsOf(element) {
    return function (name, fallback) {
      return (element && element.dataset[name]) || fallback;
    };
  }

  // --- The outbox of one form ---
  //
  // Enter puts the entry in the outbox (localStorage, per user) under a key of its own and clears
  // the form at once. The outbox is sent oldest first, one request at a time, so entries arrive
  // in the order typed; a failure waits and retries the same entry with the same key. A refusal
  // (400, 413, 422) is never retried: it stays listed with the server's words until it is edited
  // or deleted.
  //
  // The form carries data-outbox-key, data-draft-key, [data-outbox-status] and [data-outbox-list].
  // options: label(name, fallback); textField (the field Enter sends from, "question");
  // editFields ([{name, labelName, fallback}]: what an entry's editor shows and what a sent form
  // clears); accept(entry, response): a promise, the server took the entry.

  function attach(form, options) {
    var label = options.label || labelsOf(form);
    var text = form.elements[options.textField || "question"];
    var editFields = options.editFields || [{ name: text.name, labelName: "questionLabel", fallback: "Question" }];
    var status = form.querySelector("[data-outbox-status]");
    var list = form.querySelector("[data-outbox-list]");
    var draftKey = form.dataset.draftKey;
    var outboxKey = form.dataset.outboxKey;
    var memoryOutbox = null; // only where the browser refuses to store the outbox
    var sendingKey = null;
    var editing = {};
    var stalled = false;
    var waitingWhy = ""; // the server's reason for holding the oldest back (a 429), shown with the status
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

    function saveDraft() {
      store(draftKey, { fields: formFields(form) });
    }

    function fill(fields) {
      Object.keys(fields).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.type !== "hidden") field.value = fields[name];
      });
    }

    function clear() {
      editFields.forEach(function (spec) {
        var field = form.elements[spec.name];
        if (!field) return;
        field.value = "";
        if (field !== text) field.dispatchEvent(new Event("input"));
      });
      store(draftKey, null);
      text.focus();
      form.dispatchEvent(new Event("mspt3:cleared"));
    }

    function button(caption, action) {
      var node = document.createElement("button");
      node.type = "button";
      node.textContent = caption;
      node.addEventListener("click", action);
      return node;
    }

    function textBox(name, value, caption) {
      var wrap = document.createElement("label");
      wrap.className = "outbox-field";
      wrap.textContent = caption;
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
      editFields.forEach(function (spec) {
        if (form.elements[spec.name]) {
          box.appendChild(textBox(spec.name, entry.fields[spec.name], label(spec.labelName, spec.fallback)));
        }
      });
      var actions = document.createElement("span");
      actions.className = "outbox-editor-actions";
      actions.appendChild(button(label("saveLabel", "Save"), function () {
        var main = box.querySelector("[name=" + text.name + "]");
        if (!main.value.trim()) return main.focus();
        var changes = {};
        box.querySelectorAll("textarea").forEach(function (area) { changes[area.name] = area.value; });
        update(entry.key, function (e) {
          return { key: e.key, url: e.url, fields: Object.assign({}, e.fields, changes) };
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
      var shown = document.createElement("span");
      shown.className = "outbox-text";
      shown.textContent = entry.fields[text.name];
      shown.hidden = Boolean(editing[entry.key]); // the editor shows it
      item.appendChild(shown);
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
      status.textContent = visible && waiting
        ? label("waitingLabel", "Not sent yet, retrying:") + " " + waiting + (waitingWhy ? " — " + waitingWhy : "")
        : "";
      form.classList.toggle("has-outbox", visible);
    }

    // After a 429 the server's Retry-After (seconds): retrying sooner is refused again and counted again.
    function retryLater(afterSeconds) {
      window.clearTimeout(retryTimer);
      var delay = afterSeconds > 0 ? afterSeconds * 1000 : Math.min(RETRY_MS, 1000 * Math.pow(2, failures - 1));
      retryTimer = window.setTimeout(flush, delay);
    }

    function holdBack(response) {
      return response.text().then(function (html) {
        waitingWhy = errorText(html);
        var error = new Error("HTTP 429");
        error.retryAfter = parseInt(response.headers.get("Retry-After"), 10) || 0;
        throw error;
      });
    }

    function refuse(entry, response) {
      return response.text().then(function (html) {
        // A 413 is plain text naming the limit and the size; a 400/422 is the form with its errors.
        var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
        var why = (plain ? html.trim() : errorText(html)) || label("rejectedLabel", "Refused by the server.");
        update(entry.key, function (e) { return Object.assign({}, e, { rejected: why }); });
      });
    }

    function accept(entry, response) {
      update(entry.key, function () { return null; });
      return Promise.resolve(options.accept ? options.accept(entry, response) : null);
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
      post(next.url, next.fields, { "Idempotency-Key": next.key }, timeout)
        .then(function (response) {
          if (response.ok) return accept(next, response);
          if ([400, 413, 422].indexOf(response.status) >= 0) return refuse(next, response);
          if (response.status === 429) return holdBack(response);
          throw new Error("HTTP " + response.status); // 5xx, 403 after a logout…: retried
        })
        .then(function () {
          sendingKey = null;
          failures = 0;
          stalled = false;
          waitingWhy = "";
          flush();
        })
        .catch(function (error) {
          sendingKey = null;
          failures += 1;
          stalled = true;
          if (!error || !error.retryAfter) waitingWhy = "";
          render();
          retryLater(error && error.retryAfter);
        });
    }

    function submit() {
      if (!text.value.trim()) {
        text.focus();
        return;
      }
      saveOutbox(outbox().concat([{ key: newKey(), url: form.action, fields: formFields(form) }]));
      clear();
      render();
      flush();
    }

    var draft = load(draftKey, null) || (form.dataset.legacyDraftKey && load(form.dataset.legacyDraftKey, null));
    if (draft) fill(draft.fields);
    if (form.dataset.legacyDraftKey) store(form.dataset.legacyDraftKey, null);
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    text.addEventListener("keydown", function (event) {
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
    return { flush: flush, outbox: outbox };
  }

  window.mspt3Outbox = {
    attach: attach, labelsOf: labelsOf,
    newKey: newKey, post: post, formFields: formFields, load: load, store: store, errorText: errorText,
  };
})();
