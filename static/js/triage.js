// Triage of the class's questions, for their instructors (cohort page and /pending/).
//
// Each question's accept / answer / merge / dismiss form opens in a dialog, outside the
// live-patched list, so a poll (a vote reordering the list) never touches what is typed.
// After a triage a toast offers Undo (the session's triages, newest first).
//
// Keys, outside a text field:
//   j / k   next / previous question          a   accept (section, optional answer)
//   r       answer directly                   m   merge into a question (search)
//   d       dismiss (optional reason)         u   undo the last triage of this session
// In the dialog: Ctrl+Enter (⌘+Enter) sends from a text box, Esc closes.
(function () {
  "use strict";

  var root = document.querySelector("[data-triage-root]") || document.querySelector("[data-class-questions]");
  var config = document.querySelector("[data-triage-config]");
  if (!config || !window.mspt3Outbox) return;
  var post = window.mspt3Outbox.post;
  var formFields = window.mspt3Outbox.formFields;
  var errorText = window.mspt3Outbox.errorText;
  var KEYS = { a: "accept", r: "answer", m: "merge", d: "dismiss" };
  var dialog = null;
  var current = null; // the question item the dialog is about

  function label(name, fallback) {
    return config.dataset[name] || fallback;
  }

  function toast(message, options) {
    if (window.mspt3Toast) window.mspt3Toast(message, options);
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-student-question]")).filter(function (item) {
      return item.querySelector("[data-triage]") && !item.hidden;
    });
  }

  function theDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "edit-dialog triage-dialog";
    document.body.appendChild(dialog);
    dialog.addEventListener("submit", function (event) {
      event.preventDefault();
      send(event.target);
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.form) {
        event.preventDefault();
        event.target.form.requestSubmit();
      }
    });
    return dialog;
  }

  function open(item, action) {
    var details = item.querySelector("[data-triage-action='" + action + "']");
    if (!details) return;
    current = item;
    var box = theDialog();
    box.replaceChildren();
    var title = document.createElement("h2");
    title.textContent = details.querySelector("summary").firstChild.textContent.trim();
    var quoted = document.createElement("blockquote");
    quoted.className = "markdown";
    quoted.innerHTML = item.querySelector(".class-question-text").innerHTML;
    var form = details.querySelector("form").cloneNode(true);
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = label("cancelLabel", "Cancel");
    cancel.addEventListener("click", function () { box.close(); });
    var buttons = document.createElement("p");
    buttons.className = "triage-buttons";
    buttons.append(form.querySelector("button[type=submit]"), cancel);
    form.appendChild(buttons);
    box.append(title, quoted, form);
    box.showModal();
    var first = form.querySelector("textarea, input[type=search], input[type=text], select");
    if (first) first.focus();
  }

  function send(form) {
    var item = current;
    var alert = form.querySelector("[data-triage-error]");
    post(form.action, formFields(form), { Accept: "application/json" })
      .then(function (response) {
        if (response.ok) return response.json().then(function (result) { done(item, result); });
        return response.text().then(function (html) {
          if (!alert) {
            alert = document.createElement("p");
            alert.className = "error";
            alert.setAttribute("role", "alert");
            alert.dataset.triageError = "";
            form.prepend(alert);
          }
          alert.textContent = errorText(html) || label("refusedLabel", "Refused by the server.");
        });
      })
      .catch(function () {
        toast(label("offlineLabel", "Not sent: the server cannot be reached. Try again."));
      });
  }

  function done(item, result) {
    if (dialog && dialog.open) dialog.close();
    if (item) {
      var next = nextOf(item, 1);
      item.hidden = true; // the live poll removes it for good
      if (next) next.focus();
    }
    toast(result.message, { kind: "triaged", action: { label: label("undoLabel", "Undo") + " (u)", run: undo } });
  }

  function undo() {
    post(config.dataset.undoUrl, {}, { Accept: "application/json" })
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) {
            toast(errorText(text) || label("nothingLabel", "Nothing to undo."));
            return;
          }
          var result = JSON.parse(text);
          var item = document.getElementById("sq-" + result.id);
          if (item) item.hidden = false;
          toast(result.message, { kind: "undone" });
        });
      })
      .catch(function () { toast(label("offlineLabel", "Not sent: the server cannot be reached. Try again.")); });
  }

  function nextOf(item, step) {
    var list = items();
    var at = list.indexOf(item);
    return list[at + step] || null;
  }

  function focused() {
    return document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-student-question]")
      : null;
  }

  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable], dialog");
  }

  document.addEventListener("click", function (event) {
    var summary = event.target.closest("[data-triage-action] > summary");
    if (!summary) return;
    event.preventDefault(); // the dialog instead of the inline form (which stays for no-JS use)
    open(summary.closest("[data-student-question]"), summary.parentNode.dataset.triageAction);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || isTyping(event.target)) return;
    var here = focused();
    var list = items();
    if (event.key === "j" || event.key === "k") {
      if (!list.length) return;
      var target = here ? nextOf(here, event.key === "j" ? 1 : -1) : list[0];
      if (target) {
        target.focus();
        target.scrollIntoView({ block: "nearest" });
      }
    } else if (KEYS[event.key] && here) {
      open(here, KEYS[event.key]);
    } else if (event.key === "u") {
      undo();
    } else {
      return;
    }
    event.preventDefault();
  });

  if (root) root.classList.add("has-triage-keys");
})();
