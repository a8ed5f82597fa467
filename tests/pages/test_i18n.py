"""Three languages: complete catalogues, the language switcher, and translated emails."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.models import CampaignTransition, EnterpriseStatusChange
from tests.factories import CampaignFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["id", "ms"]
EMAILS = [
    "campaign_submitted", "campaign_submitted_focal_point", "campaign_changes_requested",
    "campaign_approved", "campaign_rejected", "campaign_live", "campaign_ended",
    "enterprise_accepted", "enterprise_declined", "enterprise_suspended", "enterprise_applied",
]  # fmt: skip


def catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    untranslated = [
        message.id
        for message in catalogue(language)
        if message.id
        and (message.fuzzy or not (message.string[0] if message.pluralizable else message.string))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for message in catalogue(language):
        if not message.id or message.pluralizable:
            continue
        if compiled.gettext(message.id) != message.string:
            stale.append(message.id)
    assert stale == [], "run: python manage.py compilemessages --ignore=.venv"


@pytest.mark.django_db
def test_language_switcher_changes_the_pages_language(client):
    page = client.get("/")
    html = page.content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'lang="id"' in html and "Bahasa Indonesia" in html and "Bahasa Melayu" in html
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/?country=MY"})
    assert response.status_code == 302 and response["Location"] == "/?country=MY"
    html = client.get("/").content.decode()
    assert "Proyek komunitas ekonomi solidaritas" in html
    assert '<option value="id" lang="id" selected>' in html
    client.post("/i18n/setlang/", {"language": "ms", "next": "/"})
    assert "Projek komuniti ekonomi solidariti" in client.get("/").content.decode()


@pytest.fixture
def email_context(db, reviewer):
    campaign = CampaignFactory(title="Kelantan's solar dryers & tanks", donor_count=3)
    enterprise = campaign.enterprise
    transition = CampaignTransition.objects.create(
        campaign=campaign, from_state="submitted", to_state="approved", actor=reviewer,
        comment="Well prepared's budget.",
    )  # fmt: skip
    status_change = EnterpriseStatusChange.objects.create(
        enterprise=enterprise, from_state="applicant", to_state="member", actor=reviewer,
        comment="Welcome aboard.",
    )  # fmt: skip
    return {"campaign": campaign, "enterprise": enterprise, "transition": transition,
            "status_change": status_change, "site_url": "https://gotong.example"}  # fmt: skip


def render_email(name: str, language: str, ctx: dict) -> tuple[str, str]:
    context = {"campaign": ctx["campaign"], "enterprise": ctx["enterprise"],
               "transition": ctx["transition"], "site_url": ctx["site_url"]}  # fmt: skip
    if name.startswith("enterprise_"):
        context.update(campaign=None, transition=ctx["status_change"])
    with translation.override(language):
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        body = render_to_string(f"emails/{name}_body.txt", context)
    return subject, body


@pytest.mark.parametrize("name", EMAILS)
def test_every_email_renders_in_three_languages(email_context, name):
    english = render_email(name, "en", email_context)
    for language in ("en", "id", "ms"):
        subject, body = render_email(name, language, email_context)
        assert subject and "\n" not in subject
        for text in (subject, body):  # plain text: nothing HTML-escaped
            assert "&#x27;" not in text and "&quot;" not in text and "&amp;" not in text
        assert "https://gotong.example" in body
        assert "{%" not in body and "{{" not in body
        if language != "en":
            assert subject != english[0] and body != english[1]
    assert "Koperasi Tani Makmur" in english[1]


def test_email_details(email_context):
    _subject, body = render_email("campaign_approved", "ms", email_context)
    assert "Well prepared's budget." in body  # the reviewer's comment, not escaped
    assert "https://gotong.example/proposals/" in body
    subject, body = render_email("campaign_ended", "id", email_context)
    assert subject == "Kampanye Anda telah selesai: Kelantan's solar dryers & tanks"
    assert "RM 10.000,00" in body and "3 donatur" in body
    _subject, body = render_email("enterprise_accepted", "en", email_context)
    assert "Welcome aboard." in body and "https://gotong.example/proposals/new/" in body
