// "Asked before": while an instructor types a question (quick entry) or answers one (pending
// queue), up to 3 earlier answered questions of other cohorts, each with "use this answer",
// which puts that answer into the answer box (the instructor may edit it before saving) and
// sends the earlier question's id as similar_to with the save: the two are linked ("also asked in").
// While a student types in the ask box, the same suggestions ("this looks answered — 23-5차"),
// from every cohort they may read, each with "that answers it": counted on the server, and the
// question is not sent. Reads GET /api/questions/similar/ with the session; no framework.
(function () {
  "use strict";
  const PAUSE_MS = 400;
  const MIN_CHARS = 4;
  const MAX_CHARS = 2000; // SIMILAR_MAX_CHARS (mspt3/limits.py), the length of a question

  function listFor(host) {
    let list = host.querySelector("[data-asked-before-list]");
    if (!list) {
      list = document.createElement("section");
      list.className = "asked-before";
      list.setAttribute("data-asked-before-list", "");
      list.setAttribute("aria-live", "polite");
      list.hidden = true;
      host.append(list);
    }
    return list;
  }

  async function similar(config, text) {
    const params = new URLSearchParams({ q: text.slice(0, MAX_CHARS), limit: "6" });
    if (config.excludeCohort) params.set("exclude_cohort", config.excludeCohort);
    const response = await fetch(`${config.url}?${params}`, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
    if (!response.ok) return [];
    const results = (await response.json()).results;
    return results.filter((row) => !row.pending && row.id !== config.selfId).slice(0, 3);
  }

  function show(list, rows, config, answerBox) {
    list.replaceChildren();
    list.hidden = rows.length === 0;
    if (!rows.length) return;
    const title = document.createElement("h3");
    title.textContent = config.title;
    const items = document.createElement("ol");
    for (const row of rows) {
      const item = document.createElement("li");
      item.className = "asked-before-item";
      item.dataset.questionId = row.id;
      const question = document.createElement("a");
      question.href = row.url;
      question.className = "asked-before-question";
      question.textContent = row.question;
      const cohort = document.createElement("span");
      cohort.className = "asked-before-cohort";
      const cohortName = row.cohort_title || row.cohort;
      cohort.textContent = cohortName;
      const answer = document.createElement("div");
      answer.className = "asked-before-answer markdown";
      // answer_html was rendered and sanitised when the answer was saved (mspt3.markdown), the HTML
      // the cohort page shows; "use this answer" takes the markdown (row.answer).
      answer.innerHTML = row.answer_html;
      if (config.looksAnsweredLabel) cohort.textContent = `${config.looksAnsweredLabel} ${cohortName}`;
      const use = document.createElement("button");
      use.type = "button";
      use.className = "asked-before-use";
      use.textContent = config.useLabel;
      use.addEventListener("click", () => (answerBox ? useAnswer(answerBox, row) : answersIt(list, row, config)));
      item.append(question, " ", cohort, answer, use);
      items.append(item);
    }
    list.append(title, items);
  }

  // The hidden similar_to field of the form the answer box belongs to (made on first use).
  function linkField(form) {
    let field = form.elements.similar_to;
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "similar_to";
      form.append(field);
      // A saved (or cleared) quick entry starts the next question unlinked.
      form.addEventListener("mspt3:cleared", () => { field.value = ""; });
    }
    return field;
  }

  function useAnswer(answerBox, row) {
    const details = answerBox.closest("details");
    if (details) details.open = true;
    answerBox.value = row.answer;
    linkField(answerBox.form).value = String(row.id);
    answerBox.dispatchEvent(new Event("input", { bubbles: true }));
    answerBox.focus();
  }

  // The student's "that answers it": counted (asking.actions.that_answers_it, via room.views), nothing is sent.
  async function answersIt(list, row, config) {
    const response = await window.mspt3Outbox.post(config.answersItUrl, { question: row.id });
    if (!response.ok) return;
    list.replaceChildren();
    list.hidden = true;
    config.form.dispatchEvent(new CustomEvent("mspt3:answered-before", { detail: { question: row.id } }));
  }

  function watch(host, questionBox, answerBox, config) {
    const list = listFor(host);
    let timer = null;
    let asked = "";
    const lookUp = async () => {
      const text = questionBox.value.trim();
      if (text === asked) return;
      asked = text;
      if (text.length < MIN_CHARS) { show(list, [], config, answerBox); return; }
      try {
        const rows = await similar(config, text);
        if (asked === text) show(list, rows, config, answerBox);
      } catch (error) {
        show(list, [], config, answerBox); // offline: the outbox says so; no suggestions meanwhile
      }
    };
    if (questionBox.tagName === "TEXTAREA" || questionBox.tagName === "INPUT") {
      questionBox.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(lookUp, PAUSE_MS); });
      // A saved question empties the box: the suggestions go with it.
      questionBox.form?.addEventListener("submit", () => setTimeout(lookUp, 0));
      questionBox.form?.addEventListener("mspt3:cleared", () => setTimeout(lookUp, 0));
    }
    lookUp();
  }

  function configOf(element) {
    return {
      url: element.dataset.similarUrl,
      excludeCohort: element.dataset.excludeCohort || "",
      title: element.dataset.askedBeforeTitle,
      useLabel: element.dataset.useAnswerLabel || element.dataset.answersItLabel,
      answersItUrl: element.dataset.answersItUrl || "",
      looksAnsweredLabel: element.dataset.looksAnsweredLabel || "",
      selfId: Number(element.dataset.questionId || 0),
      form: element,
    };
  }

  document.querySelectorAll("form[data-ask-form][data-asked-before]").forEach((form) => {
    watch(form.querySelector(".ask-question"), form.querySelector("[name=text]"), null, configOf(form));
  });
  document.querySelectorAll("form[data-quick-entry][data-asked-before]").forEach((form) => {
    watch(form.querySelector(".quick-entry-question"), form.querySelector("[name=question]"),
      form.querySelector("[name=answer]"), configOf(form));
  });
  document.querySelectorAll("[data-pending-item][data-asked-before]").forEach((item) => {
    const text = item.querySelector(".question-text");
    const answerBox = item.querySelector("[name=answer]");
    if (text && answerBox) watch(item, { value: text.textContent, tagName: "DIV" }, answerBox, configOf(item));
  });
})();
