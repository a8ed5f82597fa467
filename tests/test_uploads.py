"""Uploaded images (enterprise logos, campaign covers) go through one path: checked by their
content, re-encoded, stored under a random name, served as images with nosniff.

The attack these tests hold off: a valid PNG with `<script>` appended, uploaded as
`poly.html`, stored under that name and served as `text/html`, so a browser runs the script
on the site's origin."""

from __future__ import annotations

import importlib
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.test import override_settings
from django.urls import reverse
from PIL import ExifTags, Image

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, Enterprise
from common.errors import ApplicationError
from common.uploads import PrivateStorage, clean_image, private_storage
from tests.factories import CampaignFactory, EnterpriseFactory, proposal_data
from tests.pages.factories import proposal_post

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>document.title='pwned'</script>"
APPLICATION = {
    "legal_name": "Bayanihan Water Service Cooperative", "type": "cooperative",
    "country": "PH", "city": "Iloilo City", "contact_email": "hi@bayanihan.example",
    "language": "en", "description": "A community water cooperative.",
}  # fmt: skip
RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp)$")


def png_bytes(size=(640, 360), color="#0b5d4b") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def polyglot(name="poly.html") -> SimpleUploadedFile:
    """A PNG that decodes, with an HTML script after its IEND chunk."""
    return SimpleUploadedFile(name, png_bytes() + SCRIPT, content_type="text/html")


def giant_png(width=20_000, height=20_000) -> bytes:
    """A 1-bit PNG of width x height that compresses to a few hundred kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * ((width + 7) // 8 + 1) * height, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))  # fmt: skip


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (3.0, 8.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (101.0, 41.0, 10.0)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), "#c06030").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def stored_bytes(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def served(client, field_file):
    response = client.get(field_file.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def assert_served_as_a_clean_png(client, field_file) -> None:
    name = Path(field_file.name).name
    assert RANDOM_NAME.match(name), field_file.name
    assert name.endswith(".png") and "poly" not in field_file.name
    data = stored_bytes(field_file)
    assert SCRIPT not in data and data.endswith(b"IEND\xaeB`\x82")
    assert Image.open(io.BytesIO(data)).format == "PNG"
    response, body = served(client, field_file)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == data


# --- The polyglot, through every entry point ----------------------------------------------


def test_a_polyglot_logo_applied_through_the_page_is_stored_and_served_as_a_clean_png(
    client, donor
):
    client.force_login(donor)
    response = client.post("/enterprises/apply/", {**APPLICATION, "logo": polyglot()})
    assert response.status_code == 302, response.content.decode()[:2000]
    logo = Enterprise.objects.get(legal_name=APPLICATION["legal_name"]).logo
    assert logo.name.startswith("enterprises/logos/")
    assert_served_as_a_clean_png(client, logo)


def test_a_polyglot_logo_applied_through_the_api_is_stored_and_served_as_a_clean_png(
    api, client, donor
):
    api.force_authenticate(donor)
    response = api.post("/api/v1/enterprises/", {**APPLICATION, "logo": polyglot()},
                        format="multipart")  # fmt: skip
    assert response.status_code == 201, response.json()
    logo = Enterprise.objects.get(slug=response.json()["slug"]).logo
    assert_served_as_a_clean_png(client, logo)


def test_a_polyglot_cover_on_the_proposal_page_is_stored_and_served_as_a_clean_png(
    client, member_user, enterprise
):
    client.force_login(member_user)
    post = proposal_post(enterprise)
    post["cover"] = polyglot()
    response = client.post(reverse("campaigns:create"), post)
    assert response.status_code == 302
    cover = Campaign.objects.get(slug="clean-water-san-isidro").cover
    assert cover.name.startswith("campaigns/covers/")
    assert_served_as_a_clean_png(client, cover)


def test_a_polyglot_cover_through_the_api_is_stored_and_served_as_a_clean_png(
    api, client, member_user, enterprise
):
    draft = CampaignFactory(enterprise=enterprise, status=CampaignStatus.DRAFT, slug="draft")
    api.force_authenticate(member_user)
    response = api.patch("/api/v1/campaigns/draft/", {"cover": polyglot()}, format="multipart")
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert_served_as_a_clean_png(client, draft.cover)


def test_a_service_given_a_raw_polyglot_still_stores_a_clean_png(client, member_user, enterprise):
    """The model field cleans what code assigns to it, whatever the entry point."""
    campaign = services.campaign_create(actor=member_user, enterprise=enterprise,
                                        data=proposal_data(cover=polyglot()))  # fmt: skip
    assert_served_as_a_clean_png(client, campaign.cover)


def test_the_admin_form_of_a_logo_stores_a_clean_png(client):
    """The admin's forms come from the model field, whose form field is ours."""
    enterprise = EnterpriseFactory()
    form = modelform_factory(Enterprise, fields=["logo"])(
        data={}, files={"logo": polyglot()}, instance=enterprise
    )
    assert form.is_valid(), form.errors
    form.save()
    enterprise.refresh_from_db()
    assert_served_as_a_clean_png(client, enterprise.logo)
    refused = modelform_factory(Enterprise, fields=["logo"])(
        data={}, files={"logo": SimpleUploadedFile("x.png", NOT_IMAGES["svg"])},
        instance=enterprise,
    )  # fmt: skip
    assert not refused.is_valid() and "JPEG, PNG or WebP" in refused.errors["logo"][0]


# --- What is refused ----------------------------------------------------------------------

NOT_IMAGES = {
    "html": b"<!doctype html><html><body><script>alert(1)</script></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>',
    "pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
}


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_a_file_that_is_not_an_image_renamed_png_is_refused_as_a_logo(api, donor, kind):
    api.force_authenticate(donor)
    upload = SimpleUploadedFile("logo.png", NOT_IMAGES[kind], content_type="image/png")
    response = api.post("/api/v1/enterprises/", {**APPLICATION, "logo": upload},
                        format="multipart")  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    assert "JPEG, PNG or WebP" in body["fields"]["logo"][0] and body["message"]
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_a_file_that_is_not_an_image_renamed_png_is_refused_as_a_cover_on_the_page(
    client, member_user, enterprise, kind
):
    client.force_login(member_user)
    post = proposal_post(enterprise)
    post["cover"] = SimpleUploadedFile("cover.png", NOT_IMAGES[kind], content_type="image/png")
    response = client.post(reverse("campaigns:create"), post)
    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in response.context["form"].errors["cover"][0]
    assert not Campaign.objects.exists()


def test_a_decompression_bomb_is_a_400_with_a_message_not_a_500(api, donor):
    api.force_authenticate(donor)
    upload = SimpleUploadedFile("bomb.png", giant_png(), content_type="image/png")
    response = api.post("/api/v1/enterprises/", {**APPLICATION, "logo": upload},
                        format="multipart")  # fmt: skip
    assert response.status_code == 400
    assert "pixels" in response.json()["fields"]["logo"][0]
    assert not Enterprise.objects.exists()


def test_a_decompression_bomb_on_the_proposal_page_is_shown_on_the_form(
    client, member_user, enterprise
):
    client.force_login(member_user)
    post = proposal_post(enterprise)
    post["cover"] = SimpleUploadedFile("bomb.png", giant_png(), content_type="image/png")
    response = client.post(reverse("campaigns:create"), post)
    assert response.status_code == 400
    assert "pixels" in response.context["form"].errors["cover"][0]


def test_an_image_larger_than_its_byte_limit_is_refused_before_it_is_decoded():
    small = {**settings.UPLOAD_MAX_BYTES, "image": 1000}
    with override_settings(UPLOAD_MAX_BYTES=small), pytest.raises(ApplicationError) as refused:
        clean_image(SimpleUploadedFile("big.png", png_bytes(), content_type="image/png"))
    assert refused.value.status_code == 400 and "larger than" in refused.value.message


# --- Metadata ----------------------------------------------------------------------------


def test_the_gps_position_in_a_photo_is_not_published(client, member_user, enterprise):
    original = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry a position
    client.force_login(member_user)
    post = proposal_post(enterprise)
    post["cover"] = SimpleUploadedFile("IMG_0042.JPG", jpeg_with_gps(), content_type="image/jpeg")
    assert client.post(reverse("campaigns:create"), post).status_code == 302
    cover = Campaign.objects.get().cover
    assert cover.name.endswith(".jpg") and RANDOM_NAME.match(Path(cover.name).name)
    data = stored_bytes(cover)
    exif = Image.open(io.BytesIO(data)).getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo) and ExifTags.Base.Make not in exif
    assert b"Exif" not in data and b"PhoneMaker" not in data


# --- Serving public media -----------------------------------------------------------------


def test_a_legacy_file_that_is_not_an_image_is_served_as_an_attachment(client):
    """Files stored before this path existed keep their names; none is served as HTML."""
    folder = Path(settings.MEDIA_ROOT) / "enterprises" / "logos"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "legacy-poly.html").write_bytes(png_bytes() + SCRIPT)
    response = client.get("/media/enterprises/logos/legacy-poly.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_media_view_does_not_leave_the_media_folder(client):
    for path in ("/media/../pyproject.toml", "/media/%2e%2e/%2e%2e/pyproject.toml"):
        assert client.get(path).status_code in (400, 404)


def test_private_files_live_outside_the_public_media_and_have_no_url():
    storage = private_storage()
    assert isinstance(storage, PrivateStorage)
    private, public = Path(storage.location).resolve(), Path(settings.MEDIA_ROOT).resolve()
    assert public not in private.parents and private != public
    with pytest.raises(ValueError, match="no public URL"):
        storage.url("receipts/scan.png")


# --- Files stored before this path existed --------------------------------------------------


def test_logos_and_covers_stored_before_are_reencoded_under_random_names(
    client, django_capture_on_commit_callbacks
):
    media = Path(settings.MEDIA_ROOT)
    for folder in ("enterprises/logos", "campaigns/covers"):
        (media / folder).mkdir(parents=True, exist_ok=True)
    (media / "enterprises/logos/poly.html").write_bytes(png_bytes() + SCRIPT)
    (media / "enterprises/logos/evil.png").write_bytes(NOT_IMAGES["html"])
    (media / "campaigns/covers/IMG_0042.JPG").write_bytes(jpeg_with_gps())
    poly = EnterpriseFactory(logo="enterprises/logos/poly.html")
    junk = EnterpriseFactory(logo="enterprises/logos/evil.png")
    missing = EnterpriseFactory(logo="enterprises/logos/gone.png")
    photo = CampaignFactory(cover="campaigns/covers/IMG_0042.JPG")

    migration = importlib.import_module("campaigns.migrations.0005_reencode_uploaded_images")
    with django_capture_on_commit_callbacks(execute=True):
        migration.reencode(django_apps, None)

    for enterprise in (poly, junk, missing, photo):
        enterprise.refresh_from_db()
    assert_served_as_a_clean_png(client, poly.logo)
    assert not (media / "enterprises/logos/poly.html").exists()
    assert junk.logo.name == "" and not (media / "enterprises/logos/evil.png").exists()
    assert missing.logo.name == "enterprises/logos/gone.png"
    assert RANDOM_NAME.match(Path(photo.cover.name).name) and photo.cover.name.endswith(".jpg")
    assert not Image.open(io.BytesIO(stored_bytes(photo.cover))).getexif()
    assert not (media / "campaigns/covers/IMG_0042.JPG").exists()
