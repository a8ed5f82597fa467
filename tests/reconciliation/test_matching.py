"""Reconciliation from files: Stripe's balance export and the bank statement against the
journal. Idempotent imports, one-to-one and many-to-one matches, the workbench, the checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from moneyed import Money

from ledger.models import AccountRole, EntryKind
from ledger.services import rules
from ledger.services.chart import role_account
from ledger.services.posting import credit, debit, entry_post
from reconciliation import selectors as checks
from reconciliation.models import (
    BankStatementLine,
    ImportJob,
    ProviderTransaction,
    ReconciliationAudit,
)
from reconciliation.services.imports import import_job_create, import_run
from tests.ledger.accounts import clearing, fund, refs

pytestmark = pytest.mark.django_db
D1, D2, D3 = dt.date(2026, 3, 2), dt.date(2026, 3, 10), dt.date(2026, 3, 16)

STRIPE_CSV = """id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Transfer
txn_a,charge,ch_a,100.00,3.20,96.80,myr,2026-03-02 08:00,2026-03-04 00:00,po_1
txn_b,charge,ch_b,205.00,1.80,203.20,myr,2026-03-02 09:00,2026-03-04 00:00,po_1
txn_po,payout,po_1,-300.00,0.00,-300.00,myr,2026-03-16 00:00,2026-03-16 00:00,po_1
"""
BANK_CSV = """date,description,amount,currency,reference
2026-03-17,STRIPE PAYMENTS,300.00,MYR,STRIPE TRANSFER
2026-03-10,TRANSFER A. TAN,500.00,MYR,GIFT-77
2026-03-11,TRANSFER K. SATO,200.00,MYR,GIFT-88
2026-03-12,TRANSFER K. SATO,300.00,MYR,GIFT-88
2026-03-20,BANK CHARGES,-5.00,MYR,FEE-MAR
"""


def myr(text: str) -> Money:
    return Money(Decimal(text), "MYR")


def _donation(campaign, ref: str, gross: str, fee: str, bt: str):
    return rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id=bt),
        donation_ref=ref,
        presentment=myr(gross),
        gross=myr(gross),
        fee=myr(fee),
        net=myr(gross) - myr(fee),
        exchange_rate=None,
        donor_country="MY",
        effective_date=D1,
    )


def _gift(campaign, ref: str):
    return rules.offline_gift(
        fund=fund(campaign),
        refs=refs(campaign),
        reference=ref,
        amount=myr("500.00"),
        bank_account_code=None,
        donor_country="SG",
        effective_date=D2,
        recorded_by=None,
    )


@pytest.fixture
def booked(chart, campaign):
    return {
        "a": _donation(campaign, "a", "100.00", "3.20", "txn_a"),
        "b": _donation(campaign, "b", "205.00", "1.80", "txn_b"),
        "payout": rules.payout_paid(
            clearing=clearing(),
            label="Stripe",
            payout_id="po_1",
            amount=myr("300.00"),
            bank_account_code=None,
            effective_date=D3,
        ),
        "gift77": _gift(campaign, "GIFT-77"),
        "gift88": _gift(campaign, "GIFT-88"),
    }


def _import(kind: str, data: str, **kwargs) -> ImportJob:
    bank = role_account(role=AccountRole.BANK) if kind == "bank_csv" else None
    job = import_job_create(kind=kind, bank_account=bank, **kwargs)
    return import_run(job=job, data=data.encode())


def test_imports_match_one_to_one_and_many_to_one_and_are_idempotent(booked):
    stripe = _import("stripe_csv", STRIPE_CSV)
    bank = _import("bank_csv", BANK_CSV)

    assert (stripe.state, stripe.total, stripe.processed, stripe.created_count) == (
        "succeeded", 3, 3, 3,
    )  # fmt: skip
    assert (bank.state, bank.total, bank.created_count) == ("succeeded", 5, 5)
    bts = {bt.provider_id: bt for bt in ProviderTransaction.objects.all()}
    assert bts["txn_a"].entry == booked["a"] and bts["txn_b"].entry == booked["b"]
    assert bts["txn_po"].entry == booked["payout"]  # the payout's own transaction
    lines = {(ln.reference, ln.amount): ln for ln in BankStatementLine.objects.all()}
    assert lines[("STRIPE TRANSFER", Decimal("300.000"))].entry == booked["payout"]
    assert lines[("GIFT-77", Decimal("500.000"))].entry == booked["gift77"]
    assert lines[("GIFT-88", Decimal("200.000"))].entry == booked["gift88"]  # two lines,
    assert lines[("GIFT-88", Decimal("300.000"))].entry == booked["gift88"]  # one entry
    assert lines[("FEE-MAR", Decimal("-5.000"))].status == "unmatched"

    again = [_import("stripe_csv", STRIPE_CSV), _import("bank_csv", BANK_CSV)]
    assert [(j.created_count, j.existing_count) for j in again] == [(0, 3), (0, 5)]
    assert ProviderTransaction.objects.count() == 3
    assert BankStatementLine.objects.count() == 5


def test_clean_books_pass_every_check(booked):
    _import("stripe_csv", STRIPE_CSV)

    once = checks.provider_booked_once()
    assert once.ok and once.checked == 3 and not once.unknown
    (clearing,) = checks.clearing_check()
    assert (clearing["ledger"], clearing["provider_balance"], clearing["difference"]) == (0, 0, 0)


def test_missing_duplicate_and_unknown_transactions_are_reported(booked, campaign):
    stripe_clearing = clearing()
    operations = role_account(role=AccountRole.OPERATIONS_FUND)
    for key in ("adj-1", "adj-2"):  # one Stripe adjustment booked twice by hand
        entry_post(
            idempotency_key=key, kind=EntryKind.MANUAL, memo="Stripe adjustment",
            effective_date=D3, reason="Stripe adjustment",
            lines=[debit(stripe_clearing, myr("10.00")), credit(operations, myr("10.00"))],
            source_refs={"balance_transaction_id": "txn_adj"},
        )  # fmt: skip
    _donation(campaign, "c", "50.00", "1.70", "txn_not_in_stripe")
    extra = (
        "txn_fee,stripe_fee,,-2.00,0.00,-2.00,myr,2026-03-05 00:00,,\n"
        "txn_adj,adjustment,,10.00,0.00,10.00,myr,2026-03-05 00:00,,\n"
    )
    _import("stripe_csv", STRIPE_CSV + extra)

    once = checks.provider_booked_once()
    assert not once.ok
    assert [m["provider_id"] for m in once.missing] == ["txn_fee"]
    assert [(d["provider_id"], len(d["entries"])) for d in once.duplicates] == [("txn_adj", 2)]
    assert once.unknown == ["txn_not_in_stripe"]
    assert ProviderTransaction.objects.get(provider_id="txn_adj").status == "unmatched"
    (row,) = checks.clearing_check()
    # Ledger 48.30 (gift c) + 20.00 (twice 10); Stripe 10.00 - 2.00.
    assert (row["ledger"], row["provider_balance"], row["difference"]) == (
        Decimal("68.30"), Decimal("8.00"), Decimal("60.30"),
    )  # fmt: skip


def test_workbench_explain_and_manual_match_through_the_api(api, treasurer, booked):
    _import("bank_csv", BANK_CSV)
    _import("stripe_csv", STRIPE_CSV + "txn_fee,stripe_fee,,-2.00,0.00,-2.00,myr,2026-03-05,,\n")
    api.force_authenticate(treasurer)
    bench = api.get(reverse("api-ledger-workbench")).json()
    assert [bt["stripe_id"] for bt in bench["balance_transactions"]] == ["txn_fee"]
    (charge,) = bench["bank_lines"]
    assert charge["reference"] == "FEE-MAR"
    assert bench["counts"] == {"balance_transactions": 1, "payouts": 0,
                               "payouts_without_deposit": 0, "bank_lines": 1}  # fmt: skip

    explain = reverse("api-ledger-item-explain", kwargs={"item_type": "bank_line",
                                                         "pk": charge["id"]})  # fmt: skip
    assert api.post(explain, {"reason": ""}, format="json").status_code == 400
    done = api.post(explain, {"reason": "March bank charges"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "explained"
    assert api.post(explain, {"reason": "again"}, format="json").status_code == 409

    fee_id = bench["balance_transactions"][0]["id"]
    fee = reverse("api-ledger-item-match", kwargs={"item_type": "balance_transaction",
                                                   "pk": fee_id})  # fmt: skip
    taken = api.post(fee, {"entry_id": booked["a"].pk}, format="json")
    assert taken.status_code == 409  # txn_a already holds that entry: one-to-one
    unexplained = api.get(reverse("api-ledger-workbench")).json()
    assert unexplained["bank_lines"] == [] and len(unexplained["balance_transactions"]) == 1
    audit = ReconciliationAudit.objects.get()
    assert (audit.action, audit.comment, audit.actor) == (
        "explain",
        "March bank charges",
        treasurer,
    )
    assert (audit.from_state, audit.to_state) == ("unmatched", "explained")


def test_the_import_commands_print_progress(booked, tmp_path, capsys):
    stripe_file = tmp_path / "balance.csv"
    stripe_file.write_text(STRIPE_CSV)
    bank_file = tmp_path / "bank.csv"
    bank_file.write_text(BANK_CSV)

    call_command("ledger_import_stripe", "--csv", str(stripe_file))
    call_command("ledger_import_bank", str(bank_file), "--account", "1200-BANK-MYR")
    out = capsys.readouterr().out

    assert "stripe_csv: 3/3 rows (100%)" in out and "3 new, 0 already imported" in out
    assert "bank_csv: 5/5 rows (100%)" in out


def test_an_upload_through_the_api_is_queued_and_reports_its_progress(
    api, treasurer, booked, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(treasurer)
    upload = SimpleUploadedFile("bank.csv", BANK_CSV.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        created = api.post(reverse("api-ledger-imports"),
                           {"kind": "bank_csv", "file": upload, "bank_account": "1200-BANK-MYR"},
                           format="multipart")  # fmt: skip
        assert created.status_code == 201 and created.json()["state"] == "queued"
    assert len(queued) == 1  # the worker's task, sent once the job is committed
    job = api.get(created["Location"]).json()
    assert (job["state"], job["processed"], job["total"]) == ("succeeded", 5, 5)
    assert bytes(ImportJob.objects.get(pk=job["id"]).upload.data) == BANK_CSV.encode()
    bad = SimpleUploadedFile("x.csv", b"date,amount\n", content_type="text/csv")
    refused = api.post(reverse("api-ledger-imports"), {"kind": "stripe_csv", "file": bad},
                       format="multipart")  # fmt: skip
    assert refused.status_code == 400 and "no column" in refused.json()["message"]
    binary = SimpleUploadedFile("x.csv", b"P\xff\x06q,\xfe\xfdthA", content_type="text/csv")
    garbled = api.post(reverse("api-ledger-imports"),
                       {"kind": "bank_csv", "file": binary, "bank_account": "1200-BANK-MYR"},
                       format="multipart")  # fmt: skip
    assert garbled.status_code == 400 and "not UTF-8" in garbled.json()["message"]
    # A file that is not text is refused at the door (common.uploads) and leaves no job; a
    # text file the parser cannot read leaves its job, failed, with the reason.
    assert ImportJob.objects.filter(state="failed").count() == 1
    assert ImportJob.objects.count() == 2


def test_the_worker_keeps_a_failure_on_the_job_and_runs_each_job_once(booked):
    from reconciliation.models import ImportUpload
    from reconciliation.tasks import import_job_run

    usd_line = BANK_CSV.replace("500.00,MYR", "500.00,USD").encode()
    bank = role_account(role=AccountRole.BANK)
    job = import_job_create(kind="bank_csv", bank_account=bank, file_name="bank.csv")
    ImportUpload.objects.create(job=job, data=usd_line)  # a file that fails while it runs

    assert import_job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == "failed" and "A USD line in a MYR account" in job.error
    assert not BankStatementLine.objects.exists()
    assert import_job_run(job.pk) == "not queued"


def test_an_import_whose_message_was_lost_is_sent_again_by_the_sweep(
    booked, treasurer, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from reconciliation.services.imports import import_submit
    from reconciliation.tasks import sweep_imports

    bank = role_account(role=AccountRole.BANK)
    with django_capture_on_commit_callbacks(execute=False) as lost:  # the broker never got it
        job = import_submit(kind="bank_csv", created_by=treasurer, file_name="bank.csv",
                            bank_account=bank, data=BANK_CSV.encode())  # fmt: skip
    assert len(lost) == 1 and job.state == "queued"
    assert sweep_imports() == 0  # just submitted: its message may still be on the way

    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert sweep_imports() == 1
    job.refresh_from_db()
    assert (job.state, job.processed, job.created_count) == ("succeeded", 5, 5)
    assert BankStatementLine.objects.count() == 5
    assert sweep_imports() == 0  # done: never sent again


def test_the_workbench_shows_the_oldest_items_and_counts_them_all(booked):
    _import("bank_csv", BANK_CSV)  # one line is matched by no entry: the bank charge
    _import("bank_csv", BANK_CSV.replace("FEE-MAR", "FEE-APR").replace("03-20", "04-20"))

    bench = checks.workbench(limit=1)

    assert [line.reference for line in bench.bank_lines] == ["FEE-MAR"]
    assert bench.counts["bank_lines"] == 2


def test_the_import_jobs_list_pages_through_every_job_newest_first(api, treasurer, chart):
    bank = role_account(role=AccountRole.BANK)
    jobs = [import_job_create(kind="bank_csv", bank_account=bank, file_name=f"bank-{n}.csv")
            for n in range(3)]  # fmt: skip
    api.force_authenticate(treasurer)

    first = api.get(reverse("api-ledger-imports"), {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert first["count"] == 3
    assert [job["id"] for job in first["results"] + second["results"]] == [
        job.pk for job in reversed(jobs)
    ]
    assert second["next"] is None
