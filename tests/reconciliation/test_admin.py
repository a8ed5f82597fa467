"""The reconciliation workbench in the admin: the treasurer sees what is unmatched and
resolves it through the same services as the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.roles import Role, role_group
from ledger.models import AccountRole
from ledger.services.chart import role_account
from reconciliation.models import BankStatementLine, ReconciliationAudit
from reconciliation.services.imports import import_job_create, import_run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BANK = """date,description,amount,currency,reference
2026-03-20,BANK CHARGES,-5.00,MYR,FEE-MAR
2026-03-21,UNKNOWN TRANSFER,42.00,MYR,REF-9
"""


@pytest.fixture
def staff_treasurer(db):
    user = UserFactory(username="staff-treasurer", is_staff=True)
    user.groups.add(role_group(Role.TREASURER))
    return user


@pytest.fixture
def lines(chart):
    job = import_job_create(kind="bank_csv", bank_account=role_account(role=AccountRole.BANK))
    import_run(job=job, data=BANK)
    return {line.reference: line for line in BankStatementLine.objects.all()}


def test_the_workbench_lists_unmatched_lines_and_explains_one(client, staff_treasurer, lines):
    client.force_login(staff_treasurer)
    url = reverse("admin:reconciliation_workbench")
    page = client.get(url)

    assert page.status_code == 200
    assert b"FEE-MAR" in page.content and b"REF-9" in page.content
    assert b"Unmatched bank lines (2)" in page.content
    done = client.post(url, {"action": "explain", "item_type": "bank_line",
                             "item_id": lines["FEE-MAR"].pk, "reason": "Bank charges"},
                       follow=True)  # fmt: skip
    assert done.status_code == 200 and b"Explained" in done.content
    assert BankStatementLine.objects.get(reference="FEE-MAR").status == "explained"
    assert ReconciliationAudit.objects.get().actor == staff_treasurer
    blank = {"action": "explain", "item_type": "bank_line", "item_id": lines["REF-9"].pk,
             "reason": ""}  # fmt: skip
    refused = client.post(url, blank, follow=True)
    assert b"Say why" in refused.content
    assert BankStatementLine.objects.get(reference="REF-9").status == "unmatched"


def test_the_workbench_is_for_the_treasurer_only(client, lines):
    reviewer = UserFactory(username="staff-reviewer", is_staff=True)
    reviewer.groups.add(role_group(Role.REVIEWER))
    client.force_login(reviewer)

    assert client.get(reverse("admin:reconciliation_workbench")).status_code == 403
    lines = reverse("admin:reconciliation_bankstatementline_changelist")
    assert client.get(lines).status_code == 403


def test_an_import_from_the_workbench_is_queued_then_shows_its_progress(
    client, staff_treasurer, chart, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reconciliation.models import ImportJob

    client.force_login(staff_treasurer)
    url = reverse("admin:reconciliation_workbench")
    bank = role_account(role=AccountRole.BANK)
    upload = SimpleUploadedFile("march.csv", BANK.encode(), content_type="text/csv")
    form = {"action": "import", "kind": "bank_csv", "bank_account": bank.pk, "file": upload}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        waiting = client.post(url, form, follow=True)
    assert b"is queued; its progress shows below" in waiting.content
    assert b'http-equiv="refresh"' in waiting.content  # the page follows the running import
    queued[0]()  # the worker runs it
    page = client.get(url)
    assert b'<progress value="2" max="2">' in page.content
    assert b'http-equiv="refresh"' not in page.content
    assert ImportJob.objects.get().state == "succeeded" and BankStatementLine.objects.count() == 2

    wrong = SimpleUploadedFile("x.csv", b"date,amount\n", content_type="text/csv")
    refused = client.post(url, {**form, "file": wrong}, follow=True)
    assert b"no column" in refused.content and BankStatementLine.objects.count() == 2


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"action": "explain", "item_type": "bank_line", "item_id": "12abc", "reason": "x"},
         b"The item must be a number"),
        ({"action": "match", "item_type": "bank_line", "item_id": "1", "entry_id": "7; DROP"},
         b"The entry must be a number"),
        ({"action": "link", "item_id": "1e9", "payout_ids": "po_1"},
         b"The deposit must be a number"),
        ({"action": "import", "kind": "bank_csv", "bank_account": "main"},
         b"The bank account must be a number"),
    ],
)  # fmt: skip
def test_a_mistyped_number_in_the_workbench_is_said_not_a_server_error(
    client, staff_treasurer, lines, form, said
):
    client.force_login(staff_treasurer)
    url = reverse("admin:reconciliation_workbench")
    page = client.post(url, form, follow=True)
    assert page.status_code == 200 and said in page.content
    assert BankStatementLine.objects.filter(status="unmatched").count() == 2
