// Instructors' tools on the cohort page and the pending queue: markdown preview,
// editing in a dialog (its draft kept in localStorage), moves and progress. The
// quick entry is in quick_entry.js, which uses the helpers exported at the end; the
// outbox and the request helpers are in outbox.js.
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 400;
  var labels = document.querySelector("[data-instructor-labels]");

  function label(name, fallback) {
    return (labels && labels.dataset[name]) || fallback;
  }

  // The request and storage helpers are outbox.js's (loaded first).
  var shared = window.mspt3Outbox;
  var newKey = shared.newKey;
  var post = shared.post;
  var formFields = shared.formFields;
  var load = shared.load;
  var store = shared.store;
  var errorText = shared.errorText;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function announce(node) {
    node.classList.add("is-new");
    document.dispatchEvent(new CustomEvent("mspt3:patched", { detail: { node: node } }));
  }

  // Put a question's fresh markup in the page: replace it if shown, else add it to its section.
  function showQuestion(html, sectionId) {
    var node = fragment(html);
    if (!node || !node.id) return null;
    var current = document.getElementById(node.id);
    if (current) {
      current.replaceWith(node);
    } else {
      var list = document.querySelector("#s-" + sectionId + " .qa-items");
      if (!list) return null; // a new section: the live poll brings it within seconds
      list.appendChild(node);
    }
    announce(node);
    return node;
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

  // --- Drafts of edits: what is typed in an edit form is kept in localStorage (per user and
  // question) until it is saved, so Escape, Cancel or a reload never discards a half-written
  // answer; opening that editor again brings it back, with a note and a way to discard it. ---

  function editDraftKey(form) {
    var path = new URL(form.action, window.location.href).pathname;
    return "mspt3:edit-draft:" + (document.body.dataset.user || "") + ":" + path;
  }

  function restoreEditDraft(form) {
    var draft = load(editDraftKey(form), null);
    var stored = formFields(form);
    if (!draft || JSON.stringify(draft.fields) === JSON.stringify(stored)) return;
    function fill(fields) {
      Object.keys(fields).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.type !== "file") field.value = fields[name];
      });
    }
    // The draft's revision comes back with it: saving it over a newer one is a conflict, as it should be.
    fill(draft.fields);
    var note = document.createElement("p");
    note.className = "draft-restored";
    note.setAttribute("role", "status");
    note.dataset.draftRestored = "";
    note.textContent = (form.dataset.restoredLabel || "Your unsaved text is back.") + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = form.dataset.discardLabel || "Discard it";
    discard.addEventListener("click", function () {
      fill(stored);
      form.querySelectorAll("textarea").forEach(function (area) { area.dispatchEvent(new Event("input")); });
      store(editDraftKey(form), null);
      note.remove();
    });
    note.appendChild(discard);
    form.prepend(note);
  }

  function keepEditDrafts(root, restore) {
    root.querySelectorAll("[data-edit-form]").forEach(function (form) {
      if (restore) restoreEditDraft(form);
      form.addEventListener("input", function () {
        store(editDraftKey(form), { fields: formFields(form) });
      });
    });
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
        keepEditDrafts(slot, true);
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
            store(editDraftKey(form), null);
            if (pendingItem) {
              answeredFromQueue(pendingItem);
            } else {
              showQuestion(html, response.headers.get("X-Section-Id"));
              if (dialog && dialog.open) dialog.close();
            }
          } else if (response.status === 400 || response.status === 409) {
            slot.innerHTML = html; // the form with its errors, or both texts and a merge form
            keepEditDrafts(slot, false); // a merge form starts from the newer revision: nothing to restore
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

  // With JavaScript, choosing in the chapter picker saves at once: its button is for forms without it.
  function hideChapterButtons(root) {
    root.querySelectorAll("[data-chapter-submit]").forEach(function (button) { button.hidden = true; });
  }

  function fillSectionChoices(root) {
    var sections = document.querySelectorAll("section.qa-section[id^='s-']");
    root.querySelectorAll("[data-section-choices]").forEach(function (select) {
      if (select.options.length) return;
      sections.forEach(function (section) {
        var heading = section.querySelector(".section-heading");
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

  // The chapter picker: choosing a chapter is the one click (without JS, the form's button posts it).
  function setChapter(form) {
    post(form.action, formFields(form))
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) { showQuestion(html); })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-chapter-select]");
    if (select) setChapter(select.form);
  });

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
    } else if (form.matches("[data-chapter-form]")) {
      event.preventDefault();
      setChapter(form);
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
    hideChapterButtons(event.detail.node);
  });

  // The quick entry (quick_entry.js) shares these.
  window.mspt3Instructor = {
    label: label, newKey: newKey, post: post, formFields: formFields, load: load, store: store,
    errorText: errorText, showQuestion: showQuestion, fragment: fragment,
  };
  fillSectionChoices(document);
  hideChapterButtons(document);
  keepEditDrafts(document, true);
  bindPreviews(document);
})();
