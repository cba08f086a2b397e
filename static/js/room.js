// The class's questions on the cohort page, for everyone: vote buttons (marked with the viewer's
// own votes and questions), the ask box (the shared no-loss outbox, outbox.js), "my questions"
// kept live from the page's own poll (live.js sends the viewer's part with each change) and a
// toast when one of the viewer's questions is answered while the page is open.
(function () {
  "use strict";

  var page = document.querySelector("[data-live-url]");
  var stateNode = document.getElementById("viewer-state");
  var state = stateNode ? JSON.parse(stateNode.textContent) : { voted: [], mine: [], statuses: {}, notices: [] };
  var toldAbout = new Set(state.notices.map(function (n) { return n.id; }));
  var askBox = document.querySelector("[data-ask-box]");

  // --- Toasts (also used by triage.js) ---

  var toasts = null;
  // A burst (many questions answered at once) must not cover a phone's screen: the oldest make room.
  var MAX_TOASTS = 3;
  function toast(message, options) {
    options = options || {};
    if (!toasts) {
      toasts = document.createElement("div");
      toasts.className = "toasts";
      toasts.setAttribute("role", "status");
      toasts.setAttribute("aria-live", "polite");
      document.body.appendChild(toasts);
    }
    var item = document.createElement("div");
    item.className = "toast";
    item.dataset.toast = options.kind || "";
    var text = document.createElement("span");
    text.textContent = message;
    item.appendChild(text);
    if (options.link) {
      var link = document.createElement("a");
      link.href = options.link.href;
      link.textContent = options.link.label;
      item.appendChild(document.createTextNode(" "));
      item.appendChild(link);
    }
    if (options.action) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = options.action.label;
      button.addEventListener("click", function () {
        item.remove();
        options.action.run();
      });
      item.appendChild(button);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "×");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(close);
    while (toasts.children.length >= MAX_TOASTS) toasts.firstElementChild.remove();
    toasts.appendChild(item);
    window.setTimeout(function () { item.remove(); }, options.timeout || 12000);
    return item;
  }
  window.mspt3Toast = toast;
  if (!page) return; // the pending queue: toasts for triage.js only

  // --- Votes: the shared markup carries counts; the viewer's own votes and questions are marked here ---

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var mayVote = page.classList.contains("may-vote");

  function mark(root) {
    var voted = new Set(state.voted.map(String));
    var mine = new Set(state.mine.map(String));
    root.querySelectorAll("[data-student-question]").forEach(function (item) {
      var id = item.dataset.studentQuestion;
      var button = item.querySelector("[data-vote-button]");
      if (button) {
        var on = voted.has(id);
        button.setAttribute("aria-pressed", String(on));
        button.title = on ? button.dataset.unvoteLabel : button.dataset.voteLabel;
        button.disabled = !mayVote;
      }
      var badge = item.querySelector("[data-mine-badge]");
      if (badge) badge.hidden = !mine.has(id);
      item.classList.toggle("is-mine", mine.has(id));
    });
  }

  function vote(form) {
    var button = form.querySelector("[data-vote-button]");
    var wanted = button.getAttribute("aria-pressed") !== "true";
    var body = new URLSearchParams({ vote: wanted ? "1" : "0" });
    button.disabled = true;
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (result) {
        var id = result.id;
        state.voted = state.voted.filter(function (v) { return v !== id; });
        if (result.voted) state.voted.push(id);
        form.querySelector("[data-vote-count]").textContent = result.votes;
        mark(form.closest("[data-student-question]").parentNode);
      })
      .catch(function () {
        toast(page.dataset.voteFailedLabel || "The vote did not reach the server; try again.");
      })
      .finally(function () { button.disabled = !mayVote; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-vote-form]")) return;
    event.preventDefault();
    if (mayVote) vote(form);
  });

  // --- The viewer's part, from each live payload that brings a change ---

  function label(name, fallback) {
    return (askBox && askBox.dataset[name]) || fallback;
  }

  function tellAnswered(notices) {
    // Newest first from the server; toasted oldest first, so the newest stay when the cap is reached.
    notices.slice().reverse().forEach(function (notice) {
      if (toldAbout.has(notice.id)) return;
      toldAbout.add(notice.id);
      var mineNode = document.querySelector("[data-my-question='" + notice.question + "']");
      var text = mineNode ? mineNode.querySelector(".markdown").textContent.trim() : "";
      var link = mineNode ? mineNode.querySelector("[data-answer-link]") : null;
      var message = (notice.asked ? label("answeredToast", "Your question was answered:") : label("votedToast", "A question you voted for was answered:"));
      toast(message + " " + text.slice(0, 120), {
        kind: "answered",
        link: link ? { href: link.href, label: label("readLabel", "Read the answer") } : null,
        timeout: 30000,
      });
    });
  }

  document.addEventListener("mspt3:live", function (event) {
    var payload = event.detail;
    if (payload.state) state = payload.state;
    var slot = document.querySelector("[data-viewer]");
    if (slot && payload.viewer !== undefined) slot.innerHTML = payload.viewer;
    mark(document);
    if (payload.state) tellAnswered(payload.state.notices);
  });

  document.addEventListener("mspt3:patched", function (event) {
    mark(event.detail.node.parentNode || document);
  });

  // Looking at "my questions" clears the badge (the server marks the notices seen).
  function watchSeen() {
    if (!askBox || !window.IntersectionObserver) return;
    var timer = null;
    new IntersectionObserver(function (entries) {
      var visible = entries[entries.length - 1].isIntersecting;
      window.clearTimeout(timer);
      if (!visible) return;
      timer = window.setTimeout(function () {
        var badge = document.querySelector("[data-my-badge]");
        if (!badge || badge.hidden) return;
        fetch(askBox.dataset.seenUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
        }).then(function (response) { if (response.ok) badge.hidden = true; }).catch(function () {});
      }, 1500);
    }).observe(askBox.querySelector("[data-viewer]"));
  }

  // --- The ask box: the quick entry's outbox, for one field ---

  function setupAsk() {
    var form = document.querySelector("[data-ask-form]");
    if (!form || !window.mspt3Outbox) return;
    var note = form.querySelector("[data-ask-note]");
    window.mspt3Outbox.attach(form, {
      textField: "text",
      editFields: [{ name: "text", labelName: "questionLabel", fallback: "Your question" }],
      accept: function (entry, response) {
        return response.json().then(function (result) {
          if (state.mine.indexOf(result.id) < 0) state.mine.push(result.id);
          if (note) {
            note.textContent = form.dataset.sentLabel || "Sent.";
            note.hidden = false;
          }
          mark(document);
        });
      },
    });
    // The note speaks of the last question sent: typing the next one puts it away, so a "Sent."
    // never stands next to a question still waiting (offline, or held back by the rate limit).
    form.elements.text.addEventListener("input", function () {
      if (note) note.hidden = true;
    });
    // "That answers it" (asked_before.js): the question is not sent; the draft goes.
    form.addEventListener("mspt3:answered-before", function () {
      form.elements.text.value = "";
      window.mspt3Outbox.store(form.dataset.draftKey, null);
      if (note) {
        note.textContent = form.dataset.answersItDone;
        note.hidden = false;
      }
    });
  }

  mark(document);
  setupAsk();
  watchSeen();
})();
