"""The curriculum table is wider than a phone: a line of text says it scrolls sideways, legible
(contrast at least 4.5:1, WCAG AA for text) wherever the table overflows, and absent where it fits."""

import os
from pathlib import Path

import pytest

from tests.factories import make_cohort, make_progress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONTRAST = """(el) => {
  // WCAG contrast of the element's text colour against the first opaque background behind it.
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((c) => {
    c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  let behind = el;
  while (behind && (rgb(getComputedStyle(behind).backgroundColor)[3] === 0)) behind = behind.parentElement;
  const back = behind ? rgb(getComputedStyle(behind).backgroundColor) : [255, 255, 255];
  const [fore, ground] = [luminance(rgb(getComputedStyle(el).color)), luminance(back)];
  return (Math.max(fore, ground) + 0.05) / (Math.min(fore, ground) + 0.05);
}"""
HINT = {"ko-KR": "표를 옆으로 밀면 나머지가 보입니다", "en-US": "Scroll the table sideways to see the rest"}


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_scroll_hint_is_legible_where_the_table_overflows_and_absent_where_it_fits(
    chromium, live_server, locale, width, tmp_path
):
    cohort = make_cohort("MSP T3 - 폰 코호트")
    make_progress(cohort, 1, theory=True, lab=True)
    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 812}, is_mobile=width < 800)
    page = context.new_page()
    page.goto(live_server.url + cohort.get_absolute_url())
    box = page.locator("#curriculum .table-scroll")
    overflows = box.evaluate("(b) => b.scrollWidth > b.clientWidth")
    hint = page.locator("#curriculum .table-scroll-hint")
    shots = Path(os.environ.get("MSPT3_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.locator("#curriculum").screenshot(path=str(shots / f"curriculum-hint-{locale[:2]}-{width}.png"))
    assert overflows == (width == 375)  # the case each width stands for
    if overflows:
        assert hint.is_visible() and HINT[locale] in hint.inner_text()
        assert hint.evaluate(CONTRAST) >= 4.5
    else:
        assert not hint.is_visible()
    context.close()
