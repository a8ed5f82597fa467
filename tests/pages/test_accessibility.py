"""Checks a screen-reader or keyboard user would notice: labels, headings, skip link, alt text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus
from tests.factories import CampaignFactory
from tests.pages.factories import image_upload

pytestmark = pytest.mark.django_db


class PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.labels: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.images: list[dict[str, str]] = []
        self.h1 = 0
        self.links: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.inside_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label":
            self.inside_label += 1
            if a.get("for"):
                self.labels.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if a.get("type") not in ("hidden", "submit", "button"):
                self.controls.append({**a, "wrapped": "1" if self.inside_label else ""})
        elif tag == "img":
            self.images.append(a)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a":
            self.links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.inside_label -= 1

    def unlabelled(self) -> list[str]:
        return [
            c.get("name", "?")
            for c in self.controls
            if c.get("id") not in self.labels and not c.get("aria-label") and not c["wrapped"]
        ]


def audit(response) -> PageAudit:
    assert response.status_code in (200, 400), response.status_code
    parser = PageAudit()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def pages(client, member_user, enterprise):
    live = CampaignFactory(enterprise=enterprise, cover=image_upload())
    CampaignFactory(enterprise=enterprise)  # so the page lists "other campaigns"
    draft = CampaignFactory(enterprise=enterprise, status=CampaignStatus.DRAFT)
    public = [reverse("campaigns:list"), reverse("campaigns:detail", args=[live.slug]),
              reverse("login")]  # fmt: skip
    private = [reverse("campaigns:mine"), reverse("campaigns:create"),
               reverse("campaigns:edit", args=[draft.slug]),
               reverse("campaigns:proposal", args=[draft.slug]),
               reverse("campaigns:submit", args=[draft.slug])]  # fmt: skip
    return public, private


@pytest.mark.parametrize("language", ["en", "id", "ms"])
def test_every_page_is_labelled_and_navigable(client, member_user, pages, language):
    public, private = pages
    for index, url in enumerate(public + private):
        if index == len(public):
            client.force_login(member_user)
        page = audit(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
        assert page.unlabelled() == [], url
        assert page.h1 == 1, url
        assert page.links[0].get("href") == "#main" and "main" in page.ids, url
        assert all("alt" in image for image in page.images), url


def test_invalid_form_still_labels_every_control(client, member_user, enterprise):
    client.force_login(member_user)
    page = audit(client.post(reverse("campaigns:create"), {"enterprise": enterprise.pk}))
    assert page.unlabelled() == []


def test_list_queries_do_not_grow_with_the_cards(client, db, django_assert_max_num_queries):
    for _ in range(12):
        CampaignFactory()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("campaigns:list"))
    assert len(response.context["cards"]) == 12
