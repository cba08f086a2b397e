"""Section headings render like any heading (inline markdown, links, code) at their own level, as on GitHub."""

import pytest

from qa.models import Section
from tests.factories import make_cohort, make_question

pytestmark = pytest.mark.django_db


def test_a_level_3_heading_with_a_link_renders_as_an_h3_with_the_link(client):
    cohort = make_cohort("헤딩 반")
    title = "Helm commands - [helm](https://helm.sh/docs/helm/) `helm ls`"
    section = Section.objects.create(cohort=cohort, title=title, heading=f"### {title}", position=1)
    make_question(section, "helm 질문?", "- 답")
    html = client.get(cohort.get_absolute_url()).content.decode()
    assert f'<h3 id="s-{section.pk}-heading" class="section-heading">' in html
    assert '<a href="https://helm.sh/docs/helm/"' in html and "<code>helm ls</code>" in html
    assert "[helm](" not in html


def test_a_plain_heading_stays_an_h2_and_script_never_survives(client):
    cohort = make_cohort("헤딩 반")
    docker = Section.objects.create(cohort=cohort, title="Docker", heading="## Docker", position=1)
    evil = Section.objects.create(cohort=cohort, title="<script>x()</script>", heading="## <script>x()</script>",
                                  position=2)
    html = client.get(cohort.get_absolute_url()).content.decode()
    assert f'<h2 id="s-{docker.pk}-heading" class="section-heading">Docker</h2>' in html
    assert f'id="s-{evil.pk}-heading"' in html and "<script>x()" not in html


def test_a_section_created_on_the_site_has_a_heading_from_its_title():
    cohort = make_cohort("헤딩 반")
    section = Section.objects.create(cohort=cohort, title="K8s `kubectl`", heading="", position=1)
    assert (section.heading_level, section.heading_html) == (2, "K8s <code>kubectl</code>")
