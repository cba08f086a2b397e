// Paste or drop an image into an instructor's markdown box (quick entry answer, edit dialog,
// pending queue, the admin's markdownx editor): it is uploaded to the box's
// data-image-upload-url (the cohort's /images/, or markdownx's upload in the admin) and its
// image line goes on a line of its own, indented to stay inside the list item the cursor is in,
// so a drop can never split a bullet into a literal "- ".
(function () {
  "use strict";

  var BOXES = "textarea[data-image-upload-url], [data-image-upload-url] textarea, .markdownx textarea";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function uploadUrl(box) {
    var holder = box.closest("[data-image-upload-url]");
    return (holder && holder.dataset.imageUploadUrl) || box.dataset.markdownxUploadUrlsPath || "";
  }

  // The image line for ``markdown`` inserted at ``at`` in ``text``: its own line, with the
  // indentation of the list item (or paragraph) it is dropped into.
  function withImageLine(text, at, markdown) {
    var lineStart = text.lastIndexOf("\n", at - 1) + 1;
    var line = text.slice(lineStart, text.indexOf("\n", at) < 0 ? text.length : text.indexOf("\n", at));
    var bullet = line.match(/^(\s*)(?:[-*+]|\d+[.)])\s+/);
    var indent = bullet ? " ".repeat(bullet[0].length) : (line.match(/^\s*/) || [""])[0];
    var before = text.slice(0, at);
    var after = text.slice(at);
    var lineEnd = after.indexOf("\n");
    // Never cut a line in two: the image goes after the line the cursor is on.
    var tail = lineEnd < 0 ? after : after.slice(0, lineEnd);
    before += tail;
    after = lineEnd < 0 ? "" : after.slice(lineEnd);
    var head = before && !before.endsWith("\n") ? "\n" : "";
    var inserted = head + indent + markdown;
    return { text: before + inserted + after, cursor: before.length + inserted.length };
  }

  function note(box, message) {
    var shown = box.parentElement.querySelector("[data-image-error]");
    if (!message) {
      if (shown) shown.remove();
      return;
    }
    if (!shown) {
      shown = document.createElement("span");
      shown.className = "error";
      shown.setAttribute("role", "alert");
      shown.dataset.imageError = "";
      box.insertAdjacentElement("afterend", shown);
    }
    shown.textContent = message;
  }

  function upload(box, file) {
    var url = uploadUrl(box);
    if (!url) return;
    var body = new FormData();
    body.append("image", file, file.name || "pasted.png");
    box.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (reply) {
          if (!response.ok) throw new Error(reply.error || (reply.image_file || []).join(" ") || "HTTP " + response.status);
          return reply.markdown || reply.image_code;
        });
      })
      .then(function (markdown) {
        var placed = withImageLine(box.value, box.selectionEnd, markdown);
        box.value = placed.text;
        box.setSelectionRange(placed.cursor, placed.cursor);
        box.dispatchEvent(new Event("input", { bubbles: true }));
        note(box, "");
      })
      .catch(function (error) { note(box, error.message); })
      .finally(function () { box.removeAttribute("aria-busy"); });
  }

  function images(transfer) {
    return Array.prototype.filter.call((transfer && transfer.files) || [], function (file) {
      return file.type.indexOf("image/") === 0;
    });
  }

  // Capture phase, so markdownx's own handler (which inserts at the cursor) never runs.
  function take(event, transfer) {
    var box = event.target.closest && event.target.closest(BOXES);
    var files = box ? images(transfer) : [];
    if (!files.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    files.forEach(function (file) { upload(box, file); });
  }

  document.addEventListener("paste", function (event) { take(event, event.clipboardData); }, true);
  document.addEventListener("drop", function (event) { take(event, event.dataTransfer); }, true);
  document.addEventListener("dragover", function (event) {
    if (event.target.closest && event.target.closest(BOXES)) event.preventDefault();
  }, true);

})();
