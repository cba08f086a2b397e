// Instructors' tools on the cohort page and the pending queue.
//
// The rule is that no typed question is ever lost: the quick entry form is
// mirrored to localStorage as it is typed, and a submitted question waits in a
// localStorage outbox until the server has accepted it, retried on a timer and
// when the browser comes back online. Every submission carries an
// Idempotency-Key made here and kept with it, so a retry of a request whose
// answer was lost returns the first question instead of a second one.
(function () {
  "use strict";

  var RETRY_MS = 5000;
  var PREVIEW_DELAY_MS = 400;
  var OUTBOX_KEY = "mspt3:outbox";
  var labels = document.querySelector("[data-instructor-labels]");

  function label(name, fallback) {
    return (labels && labels.dataset[name]) || fallback;
  }

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

  function post(url, fields, headers) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    headers = Object.assign({ "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" }, headers || {});
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
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
    } catch (error) {
      // Storage full or disabled: the text still stays in the form.
    }
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function announce(node) {
    node.classList.add("is-new");
    document.dispatchEvent(new CustomEvent("mspt3:patched", { detail: { node: node } }));
  }

  function errorText(html) {
    var node = document.createElement("template");
    node.innerHTML = html;
    var errors = node.content.querySelectorAll(".errorlist li, .error");
    return Array.prototype.map.call(errors, function (e) { return e.textContent.trim(); }).join(" ");
  }

  // Put a question's fresh markup in the page: replace it if shown, else add it to its section.
  function showQuestion(html, sectionId) {
    var node = fragment(html);
    if (!node || !node.id) return;
    var current = document.getElementById(node.id);
    if (current) {
      current.replaceWith(node);
    } else {
      var list = document.querySelector("#s-" + sectionId + " .qa-items");
      if (!list) return; // a new section: the live poll brings it within seconds
      list.appendChild(node);
    }
    announce(node);
  }

  // --- Markdown preview (markdownx's endpoint, secured and rendered by the site's renderer) ---

  function bindPreviews(root) {
    root.querySelectorAll(".markdownx").forEach(function (box) {
      var editor = box.querySelector("textarea");
      var preview = box.querySelector(".markdownx-preview");
      if (!editor || !preview || editor.dataset.previewBound) return;
      editor.dataset.previewBound = "1";
      var timer = null;
      function refresh() {
        if (!editor.value.trim()) {
          preview.innerHTML = "";
          return;
        }
        post(editor.dataset.markdownxUrlsPath || "/markdownx/markdownify/", { content: editor.value })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) { if (html !== null) preview.innerHTML = html; })
          .catch(function () { /* offline: the preview waits for the next keystroke */ });
      }
      editor.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, PREVIEW_DELAY_MS);
      });
      refresh();
    });
  }

  // --- Quick entry and its outbox ---

  var quick = document.querySelector("[data-quick-entry]");

  function outbox() {
    return load(OUTBOX_KEY, []);
  }

  function putInOutbox(entry) {
    var entries = outbox().filter(function (e) { return e.key !== entry.key; });
    entries.push(entry);
    store(OUTBOX_KEY, entries);
  }

  function takeFromOutbox(key) {
    store(OUTBOX_KEY, outbox().filter(function (e) { return e.key !== key; }));
  }

  function setupQuickEntry(form) {
    var question = form.elements.question;
    var answer = form.elements.answer;
    var status = form.querySelector("[data-outbox-status]");
    var list = form.querySelector("[data-outbox-list]");
    var draftKey = form.dataset.draftKey;
    var sending = {};

    function formKey() {
      if (!form.dataset.key) form.dataset.key = newKey();
      return form.dataset.key;
    }

    function saveDraft() {
      store(draftKey, { key: formKey(), fields: formFields(form) });
    }

    function fill(fields, key) {
      Object.keys(fields).forEach(function (name) {
        if (form.elements[name]) form.elements[name].value = fields[name];
      });
      form.dataset.key = key;
    }

    function clear() {
      question.value = "";
      if (answer) {
        answer.value = "";
        answer.dispatchEvent(new Event("input"));
      }
      form.dataset.key = newKey();
      store(draftKey, null);
      question.focus();
    }

    function render() {
      var entries = outbox().filter(function (e) { return e.draftKey === draftKey; });
      list.textContent = "";
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.className = entry.rejected ? "outbox-item is-rejected" : "outbox-item";
        item.dataset.outboxKey = entry.key;
        var text = document.createElement("span");
        text.textContent = entry.fields.question;
        item.appendChild(text);
        if (entry.rejected) {
          var why = document.createElement("span");
          why.className = "error";
          why.textContent = " " + entry.rejected + " ";
          item.appendChild(why);
          var back = document.createElement("button");
          back.type = "button";
          back.textContent = label("restoreLabel", "Back to the form");
          back.addEventListener("click", function () {
            fill(entry.fields, entry.key);
            takeFromOutbox(entry.key);
            saveDraft();
            render();
            question.focus();
          });
          item.appendChild(back);
        }
        list.appendChild(item);
      });
      var waiting = entries.filter(function (e) { return !e.rejected; }).length;
      status.textContent = waiting ? label("waitingLabel", "Not sent yet, retrying:") + " " + waiting : "";
      form.classList.toggle("has-outbox", waiting > 0);
    }

    function accepted(entry, response) {
      return response.text().then(function (html) {
        takeFromOutbox(entry.key);
        if (form.dataset.key === entry.key) clear();
        showQuestion(html, response.headers.get("X-Section-Id"));
        render();
      });
    }

    function deliver(entry) {
      if (sending[entry.key]) return;
      sending[entry.key] = true;
      post(entry.url, entry.fields, { "Idempotency-Key": entry.key })
        .then(function (response) {
          if (response.ok) return accepted(entry, response);
          if (response.status === 400) {
            // The server will never take this as it is: keep it, visibly, for the instructor to fix.
            return response.text().then(function (html) {
              entry.rejected = errorText(html) || label("rejectedLabel", "Refused by the server.");
              putInOutbox(entry);
              render();
            });
          }
          throw new Error("HTTP " + response.status); // 5xx, 403 after a logout…: retried
        })
        .catch(function () { render(); })
        .finally(function () { delete sending[entry.key]; });
    }

    function flush() {
      outbox().forEach(function (entry) {
        if (!entry.rejected && entry.draftKey === draftKey) deliver(entry);
      });
    }

    function submit() {
      if (!question.value.trim()) {
        question.focus();
        return;
      }
      saveDraft();
      var entry = { key: formKey(), url: form.action, fields: formFields(form), draftKey: draftKey };
      putInOutbox(entry);
      render();
      deliver(entry);
    }

    var draft = load(draftKey, null);
    if (draft) fill(draft.fields, draft.key);
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
    window.addEventListener("online", flush);
    window.setInterval(flush, RETRY_MS);
    render();
    flush();
  }

  // --- Editing in a dialog (outside the live-patched flow, so a poll never wipes what is typed) ---

  var dialog = null;

  function editDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "edit-dialog";
    var slot = document.createElement("div");
    slot.dataset.editSlot = "";
    dialog.appendChild(slot);
    document.body.appendChild(dialog);
    return dialog;
  }

  function openEditor(link) {
    fetch(link.href, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var box = editDialog();
        var slot = box.querySelector("[data-edit-slot]");
        slot.innerHTML = html;
        bindPreviews(slot);
        box.showModal();
        var first = slot.querySelector("textarea");
        if (first) first.focus();
      })
      .catch(function () { window.location.href = link.href; });
  }

  function submitEdit(form) {
    var slot = form.closest("[data-edit-slot]");
    var pendingItem = form.closest("[data-pending-item]");
    post(form.action, formFields(form))
      .then(function (response) {
        return response.text().then(function (html) {
          if (response.ok) {
            if (pendingItem) {
              answeredFromQueue(pendingItem);
            } else {
              showQuestion(html, response.headers.get("X-Section-Id"));
              if (dialog && dialog.open) dialog.close();
            }
          } else if (response.status === 400 || response.status === 409) {
            slot.innerHTML = html; // the form with its errors, or both texts and a merge form
            bindPreviews(slot);
          } else {
            throw new Error("HTTP " + response.status);
          }
        });
      })
      .catch(function () {
        var alert = slot.querySelector("[data-send-failed]") || document.createElement("p");
        alert.className = "error";
        alert.setAttribute("role", "alert");
        alert.dataset.sendFailed = "";
        alert.textContent = label("sendFailedLabel", "Not saved: the server cannot be reached. Your text is kept; save again.");
        slot.prepend(alert);
      });
  }

  function answeredFromQueue(item) {
    item.remove();
    document.querySelectorAll("[data-pending-count], [data-nav-pending-count]").forEach(function (count) {
      count.textContent = Math.max(0, parseInt(count.textContent, 10) - 1);
    });
    var empty = document.querySelector("[data-empty-queue]");
    if (empty && !document.querySelector("[data-pending-item]")) empty.hidden = false;
  }

  // --- Reordering, moving, progress ---

  function fillSectionChoices(root) {
    var sections = document.querySelectorAll("section.qa-section[id^='s-']");
    root.querySelectorAll("[data-section-choices]").forEach(function (select) {
      if (select.options.length) return;
      sections.forEach(function (section) {
        var heading = section.querySelector("h2");
        var option = new Option(heading ? heading.textContent.trim() : section.id, section.id.slice(2));
        option.selected = option.value === select.dataset.current;
        select.appendChild(option);
      });
      if (sections.length > 1) select.closest("form").hidden = false;
    });
  }

  function move(form, submitter) {
    var fields = formFields(form);
    if (submitter && submitter.name) fields[submitter.name] = submitter.value;
    post(form.action, fields)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        var item = form.closest("li");
        if (fields.direction === "up" && item.previousElementSibling) {
          item.parentNode.insertBefore(item, item.previousElementSibling);
        } else if (fields.direction === "down" && item.nextElementSibling) {
          item.parentNode.insertBefore(item.nextElementSibling, item);
        } else if (fields.section) {
          var list = document.querySelector("#s-" + fields.section + " .qa-items");
          if (list) list.appendChild(item);
        }
      })
      .catch(function () { form.submit(); });
  }

  function toggleProgress(form) {
    post(form.action, formFields(form))
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        var cell = form.closest("td");
        var struck = cell.querySelector("del");
        if (state.done && !struck) {
          var text = cell.firstChild;
          var del = document.createElement("del");
          cell.insertBefore(del, text);
          del.appendChild(text);
        } else if (!state.done && struck) {
          struck.replaceWith(struck.firstChild);
        }
        cell.classList.toggle("is-done", state.done);
        form.elements.done.value = state.done ? "0" : "1";
        form.querySelector("button").setAttribute("aria-pressed", String(state.done));
      })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-edit-form]")) {
      event.preventDefault();
      submitEdit(form);
    } else if (form.matches("[data-move-form], [data-move-section-form]")) {
      event.preventDefault();
      move(form, event.submitter);
    } else if (form.matches("[data-progress-toggle]")) {
      event.preventDefault();
      toggleProgress(form);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-edit-link]");
    if (link) {
      event.preventDefault();
      openEditor(link);
    } else if (event.target.closest("dialog [data-edit-cancel]")) {
      event.preventDefault();
      dialog.close();
    }
  });

  document.addEventListener("mspt3:patched", function (event) {
    fillSectionChoices(event.detail.node);
  });

  if (quick) setupQuickEntry(quick);
  fillSectionChoices(document);
  bindPreviews(document);
})();
