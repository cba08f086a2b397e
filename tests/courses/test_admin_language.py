"""The admin speaks the site's language: every project model, app and field has a Korean name."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["courses", "curriculum", "qa", "asking", "room", "search", "filestore"]
HANGUL = re.compile("[\uac00-\ud7a3]")


def project_models():
    return [model for label in PROJECT_APPS for model in apps.get_app_config(label).get_models()]


def test_the_korean_admin_index_names_every_project_app_and_model_in_korean(client, staff):
    client.force_login(staff)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    with translation.override("ko"):
        registered = [model for model in project_models() if model in admin.site._registry]
        names = [str(model._meta.verbose_name_plural) for model in registered]
        names += [str(apps.get_app_config(model._meta.app_label).verbose_name) for model in registered]
    assert registered, "no project model is registered in the admin"
    untranslated = sorted({name for name in names if not HANGUL.search(name)})
    assert not untranslated, f"shown in English on the Korean admin index: {untranslated}"
    missing = sorted({name for name in names if f">{name}<" not in page})
    assert not missing, f"not on the Korean admin index: {missing}"


def test_the_english_admin_index_keeps_english_names(client, staff):
    client.force_login(staff)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Questions<" in page and ">Cohorts<" in page and not HANGUL.search(page.split("<title>")[1][:60])


@pytest.mark.parametrize("label", PROJECT_APPS)
def test_every_model_and_field_of_the_app_has_a_korean_name(label):
    """Fields are the admin's form labels, list columns and filters; Django's own "ID" is the exception."""
    with translation.override("ko"):
        untranslated = []
        for model in apps.get_app_config(label).get_models():
            opts = model._meta
            for name in (opts.verbose_name, opts.verbose_name_plural):
                # "챕터s": a Korean singular that Django made plural by adding an "s"
                if not HANGUL.search(str(name)) or str(name).endswith("s"):
                    untranslated.append(f"{model.__name__}: {name}")
            for field in opts.get_fields():
                if (field.auto_created and not field.concrete) or field.name == "id":
                    continue
                if not HANGUL.search(str(field.verbose_name)):
                    untranslated.append(f"{model.__name__}.{field.name}: {field.verbose_name}")
    assert not untranslated


@pytest.mark.parametrize("label", PROJECT_APPS)
def test_every_help_text_in_words_has_korean(label):
    """Help texts under the admin's fields; examples alone ("MSP T2, MSP T3…") need no translation."""
    with translation.override("ko"):
        untranslated = [
            f"{model.__name__}.{field.name}: {field.help_text}"
            for model in apps.get_app_config(label).get_models()
            for field in model._meta.get_fields()
            if re.search("[a-z]{4}", str(getattr(field, "help_text", ""))) and not HANGUL.search(str(field.help_text))
        ]
    assert not untranslated
