"""The XSS corpus in a real browser: no dialog opens, nothing executable is in the DOM, the harmless text shows."""

import pytest

from qa.models import SectionExtra
from tests.factories import make_cohort, make_question, make_section
from tests.security.xss_vectors import VECTORS, corpus_markdown

# serialized_rollback like every live-server test: a plain flush re-creates content types,
# which the next serialized test would then insert a second time.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

_DOM_PROBLEMS = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      const value = (el.getAttribute(attr) || '').replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (attr.startsWith('on')) problems.push(el.tagName + ' ' + attr);
      if (attr === 'style') problems.push(el.tagName + ' style');
      if (/^(javascript|vbscript|data):/.test(value)) problems.push(el.tagName + ' ' + attr + '=' + value);
    }
    if (el.tagName === 'SCRIPT' && !el.src && el.type !== 'application/json') problems.push('inline script');
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) problems.push(el.tagName);
  }
  return problems;
}"""


def test_cohort_page_with_every_vector_opens_no_dialog_and_shows_every_marker(loopback_page, live_server):
    cohort = make_cohort(public=True)
    section = make_section(cohort, "Docker")
    for vector in VECTORS:
        make_question(section, question=f"{vector.marker} — {vector.storable}", answer=vector.storable)
    SectionExtra.objects.create(section=section, source=corpus_markdown(), position=999)

    dialogs, csp_violations = [], []
    loopback_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    loopback_page.on(
        "console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    loopback_page.goto(f"{live_server.url}/cohorts/{cohort.slug}/")
    loopback_page.wait_for_load_state("networkidle")
    # Give any handler that survived a chance to fire: hover and focus every element of the page.
    loopback_page.evaluate(
        "() => document.querySelectorAll('main *').forEach(el => {"
        " el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); el.dispatchEvent(new FocusEvent('focus')); })"
    )

    assert dialogs == []
    assert loopback_page.evaluate(_DOM_PROBLEMS) == [], loopback_page.evaluate(
        "() => [...document.scripts].map(s => s.outerHTML.slice(0, 200))"
    )
    visible = loopback_page.inner_text("main")
    assert [v.marker for v in VECTORS if v.marker not in visible] == []
    assert csp_violations == []
