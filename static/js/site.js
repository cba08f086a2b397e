// Copy buttons: one for each code block of rendered markdown, and "copy link"
// buttons on questions. Content patched in by live.js is enhanced too, through
// the "mspt3:patched" event it dispatches.
(function () {
  "use strict";

  function label(name) {
    return document.body.dataset[name] || "";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http deployments have no Clipboard API: fall back to a selected textarea.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    area.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function confirmOn(button, text) {
    var original = button.dataset.label || button.textContent;
    button.dataset.label = original;
    button.textContent = text;
    window.setTimeout(function () { button.textContent = original; }, 1500);
  }

  function addCodeCopyButtons(root) {
    root.querySelectorAll(".markdown pre").forEach(function (pre) {
      if (pre.parentElement.classList.contains("code-block")) return;
      var wrapper = document.createElement("div");
      wrapper.className = "code-block";
      pre.replaceWith(wrapper);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = label("copyLabel");
      wrapper.append(button, pre);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy-code, button[data-copy-url]");
    if (!button) return;
    var text = button.dataset.copyUrl
      ? new URL(button.dataset.copyUrl, window.location.href).href
      : button.parentElement.querySelector("pre").innerText;
    copyText(text).then(
      function () { confirmOn(button, label("copiedLabel")); },
      function () { confirmOn(button, label("copyFailedLabel")); }
    );
  });

  // A table wider than its box (the curriculum on a phone) says so in words as well as by the
  // shadow at its edge: the hint just before the box shows while the box overflows, re-checked
  // when the box changes size (a turned phone, an opened <details>) or is patched in.
  var resized = typeof ResizeObserver === "function"
    ? new ResizeObserver(function (entries) { entries.forEach(function (entry) { showScrollHint(entry.target); }); })
    : null;

  function showScrollHint(box) {
    var hint = box.previousElementSibling;
    if (hint && hint.classList.contains("table-scroll-hint")) hint.hidden = box.scrollWidth <= box.clientWidth;
  }

  function watchScrollHints(root) {
    root.querySelectorAll(".table-scroll").forEach(function (box) {
      showScrollHint(box);
      if (resized) resized.observe(box);
    });
  }

  document.addEventListener("mspt3:patched", function (event) {
    addCodeCopyButtons(event.detail.node);
    watchScrollHints(event.detail.node);
  });

  // An instructor's pages kept for offline reloads (quick_entry.js) belong to that instructor:
  // once anyone else (or no one) is signed in on this browser, they are dropped.
  function dropOfflinePagesOfSomeoneElse() {
    try {
      var owner = window.localStorage.getItem("mspt3:offline-owner");
      if (owner === null || JSON.parse(owner) === document.body.dataset.user) return;
      window.localStorage.removeItem("mspt3:offline-owner");
    } catch (error) {
      return;
    }
    if (window.caches) window.caches.delete("mspt3-offline");
  }

  // Filters and the like fold behind one control on a phone, and are simply there on a wide screen.
  function openWhenWide() {
    if (!window.matchMedia("(min-width: 48rem)").matches) return;
    document.querySelectorAll("details[data-open-when-wide]").forEach(function (box) { box.open = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    openWhenWide();
    addCodeCopyButtons(document);
    watchScrollHints(document);
    dropOfflinePagesOfSomeoneElse();
  });
})();
