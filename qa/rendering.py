"""Markdown of questions and section extras → HTML, rendered before any write transaction.

Rendering can take milliseconds and a write transaction holds SQLite's global
write lock, so write paths render first: ``rendered_in_advance(texts, cohort)``
renders each text now and, while the block runs, ``render_for_cohort`` (what
the models' save() calls) hands out those results instead of rendering again
inside the transaction that follows; the search index's analysis of the same texts
is handed over the same way (search.index.analysed_in_advance). Texts over the limits (mspt3.limits) are
not rendered here: validation refuses them.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from mspt3.limits import ANSWER_MAX_CHARS, check_markdown
from mspt3.markdown import render_markdown
from qa.images import image_src_for
from search.index import analysed_in_advance

_prepared: ContextVar[dict | None] = ContextVar("prepared_renders", default=None)


def render_for_cohort(text: str, cohort_id) -> str:
    """``text`` as safe HTML, its images served from ``cohort_id``'s media."""
    prepared = _prepared.get()
    if prepared is not None and (text, cohort_id) in prepared:
        return prepared[(text, cohort_id)]
    return render_markdown(text, image_src=image_src_for(cohort_id))


@contextmanager
def rendered_in_advance(texts, cohort_id):
    """Render ``texts`` for ``cohort_id`` now; saves inside the block reuse them."""
    prepared = dict(_prepared.get() or {})
    image_src = image_src_for(cohort_id)
    accepted = [t for t in texts if isinstance(t, str) and check_markdown(t, max_chars=ANSWER_MAX_CHARS) is None]
    for text in accepted:
        prepared[(text, cohort_id)] = render_markdown(text, image_src=image_src)
    token = _prepared.set(prepared)
    try:
        with analysed_in_advance(accepted):  # the search index's terms, for the same reason
            yield
    finally:
        _prepared.reset(token)
