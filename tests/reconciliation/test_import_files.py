"""The files the treasurer imports are private: checked as CSV text when they come in, kept
out of the public media, and given back only to the treasurer, as a download."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.roles import Role, role_group
from ledger.models import AccountRole
from ledger.services.chart import role_account
from reconciliation.models import ImportJob, ImportUpload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BANK = b"""date,description,amount,currency,reference
2026-03-20,BANK CHARGES,-5.00,MYR,FEE-MAR
2026-03-21,UNKNOWN TRANSFER,42.00,MYR,REF-9
"""
IMPORTS = "/api/v1/ledger/reconciliation/imports/"


def upload(data: bytes = BANK, name: str = "march.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def import_bank_csv(api, treasurer, data: bytes = BANK, name: str = "march.csv"):
    api.force_authenticate(treasurer)
    bank = role_account(role=AccountRole.BANK)
    response = api.post(IMPORTS, {"kind": "bank_csv", "bank_account": bank.code,
                                  "file": upload(data, name)}, format="multipart")  # fmt: skip
    api.force_authenticate(None)
    return response


@pytest.fixture
def job(api, treasurer, chart) -> ImportJob:
    response = import_bank_csv(api, treasurer, BANK, name="statement.html")
    assert response.status_code == 201, response.json()
    return ImportJob.objects.get(pk=response.json()["id"])


def test_an_imported_csv_is_kept_out_of_the_public_media(client, job):
    assert bytes(ImportUpload.objects.get(job=job).data) == BANK
    media = Path(settings.MEDIA_ROOT)
    stored = [p for p in media.rglob("*") if p.is_file() and BANK in p.read_bytes()]
    assert stored == []
    for path in ("statement.html", "march.csv", f"imports/{job.pk}", f"{job.pk}"):
        assert client.get(f"/media/{path}").status_code == 404


def test_only_the_treasurer_downloads_an_imported_csv(api, job, donor, reviewer, treasurer):
    url = reverse("api-ledger-import-file", kwargs={"pk": job.pk})
    assert api.get(url).status_code == 401
    for user in (donor, reviewer):
        api.force_authenticate(user)
        assert api.get(url).status_code == 403
    api.force_authenticate(treasurer)
    response = api.get(url)
    assert response.status_code == 200 and response.content == BANK
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}.csv"'
    missing = reverse("api-ledger-import-file", kwargs={"pk": job.pk + 1})
    assert api.get(missing).status_code == 404


def test_the_admin_links_an_import_to_its_checked_download(client, job):
    staff = UserFactory(username="staff-treasurer", is_staff=True)
    staff.groups.add(role_group(Role.TREASURER))
    client.force_login(staff)
    page = client.get(reverse("admin:reconciliation_importjob_changelist")).content.decode()
    url = reverse("admin:reconciliation_importjob_file", args=[job.pk])
    assert f'href="{url}"' in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200 and response.content == BANK
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")

    reviewer = UserFactory(username="staff-reviewer", is_staff=True)
    reviewer.groups.add(role_group(Role.REVIEWER))
    client.force_login(reviewer)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"date,amount\x00,currency\n2026-03-20,\x00\x00,MYR\n", "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "NUL"),
        (b"date,description\n2026-03-20,caf\xe9 \xff\xfe\n", "UTF-8"),
    ],
    ids=["nul-bytes", "binary", "not-utf8"],
)
def test_a_csv_import_that_is_not_text_is_refused_and_nothing_is_kept(
    api, treasurer, chart, data, message
):
    response = import_bank_csv(api, treasurer, data)
    assert response.status_code == 400
    body = response.json()
    assert message in body["fields"]["file"][0] and body["message"]
    assert not ImportUpload.objects.exists() and not ImportJob.objects.exists()


def test_a_csv_with_a_bom_is_still_imported(
    api, treasurer, chart, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = import_bank_csv(api, treasurer, b"\xef\xbb\xbf" + BANK)
    assert response.status_code == 201, response.json()
    assert ImportJob.objects.get().state == "succeeded"


def test_the_workbench_refuses_a_binary_csv_with_its_reason(client, chart):
    staff = UserFactory(username="staff-treasurer", is_staff=True)
    staff.groups.add(role_group(Role.TREASURER))
    client.force_login(staff)
    form = {"action": "import", "kind": "bank_csv",
            "bank_account": role_account(role=AccountRole.BANK).pk,
            "file": upload(b"date,amount\n\x00\x01\x02", "x.csv")}  # fmt: skip
    page = client.post(reverse("admin:reconciliation_workbench"), form, follow=True)
    assert b"NUL" in page.content
    assert not ImportUpload.objects.exists()
