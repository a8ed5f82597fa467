"""Importing what Stripe and the bank say happened, idempotently, with visible progress.

The API and the admin submit an import (`import_submit`): a CSV is checked at once, so a
wrong file is refused with its reason, then the job is queued for a worker
(`ledger.tasks.import_job_run`) and its progress read while it runs; without a broker the
task runs in-process as soon as the job is committed. The commands run imports directly.

Each import is an `ImportJob`: created `queued`, run once (`running` -> `succeeded` or
`failed` with the error). Rows are stored in chunks, each chunk and the job's `processed`
count committed together, so the API and the admin can show progress while a long import
runs. Stripe items are unique on Stripe's id and bank lines on their content hash, so running
the same file or API window again stores nothing new. After storing, the automatic matcher
(`ledger.services.reconciliation_match`) ties what it can to the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.errors import ApplicationError
from ledger.models import Account, AccountRole
from ledger.models_reconciliation import (
    BankStatementLine,
    ImportJob,
    ImportKind,
    ImportState,
    ImportUpload,
    StripeBalanceTransaction,
    StripePayout,
)
from ledger.reconciliation import parsers
from ledger.reconciliation.sources import BalanceSource, default_source
from ledger.services.reconciliation_match import reconciliation_auto_match

CHUNK = 500
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
Progress = Callable[[ImportJob], None]


def import_job_create(
    *, kind: str, created_by: Any = None, file_name: str = "",
    bank_account: Account | None = None,
) -> ImportJob:  # fmt: skip
    if kind not in ImportKind.values:
        raise ApplicationError(f"Unknown import kind {kind}.", code="invalid")
    if bank_account is not None and bank_account.role != AccountRole.BANK:
        raise ApplicationError(f"{bank_account.code} is not a bank account.", code="invalid")
    return ImportJob.objects.create(
        kind=kind, created_by=created_by, file_name=file_name[:255], bank_account=bank_account
    )


def import_submit(
    *, kind: str, created_by: Any = None, file_name: str = "",
    bank_account: Account | None = None, data: bytes | None = None,
    created_gte: int | None = None,
) -> ImportJob:  # fmt: skip
    """Create an import and queue it for a worker; returns the job as it stands after the
    commit (already finished when tasks run in-process). A CSV that cannot be read is refused
    here (the job is kept, failed, with the reason)."""
    from ledger.tasks import import_job_run

    if kind != ImportKind.STRIPE_API and data is not None and len(data) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it by date.",
            code="file_too_large",
        )
    job = import_job_create(
        kind=kind, created_by=created_by, file_name=file_name, bank_account=bank_account
    )
    if kind != ImportKind.STRIPE_API:
        try:
            _check_file(job, data)
        except ApplicationError as error:
            _finish(job, ImportState.FAILED, error.message)
            raise
    with transaction.atomic():
        job.created_gte = created_gte
        job.save(update_fields=["created_gte"])
        if data is not None:
            ImportUpload.objects.create(job=job, data=data)
        transaction.on_commit(lambda: import_job_run.delay(job.pk))
    job.refresh_from_db()
    return job


def _check_file(job: ImportJob, data: bytes | None) -> None:
    if not data:
        raise ApplicationError("Upload the CSV file to import.", code="file_required")
    if job.kind == ImportKind.STRIPE_CSV:
        parsers.parse_stripe_balance_csv(data)
    else:
        _bank_rows(job, data)


def import_queued_run(*, job_pk: int, progress: Progress | None = None) -> ImportJob | None:
    """Run a submitted import (the worker's side); None when it is no longer queued."""
    job = ImportJob.objects.filter(pk=job_pk, state=ImportState.QUEUED).first()
    if job is None:
        return None
    upload = ImportUpload.objects.filter(job=job).first()
    data = bytes(upload.data) if upload else None
    return import_run(job=job, data=data, created_gte=job.created_gte, progress=progress)


def _start(job: ImportJob) -> None:
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING
    )
    if not updated:
        raise ApplicationError(f"Import #{job.pk} has already run.", code="invalid_state")
    job.state = ImportState.RUNNING


def _finish(job: ImportJob, state: str, error: str = "") -> ImportJob:
    job.state, job.error, job.finished_at = state, error, timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "processed", "total",
                            "created_count", "existing_count"])  # fmt: skip
    return job


def _store(job: ImportJob, rows: Sequence, save_chunk: Callable, progress: Progress | None) -> None:
    job.total = len(rows)
    job.save(update_fields=["total"])
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with transaction.atomic():
            created = save_chunk(job, chunk)
            job.processed += len(chunk)
            job.created_count += created
            job.existing_count += len(chunk) - created
            job.save(update_fields=["processed", "created_count", "existing_count"])
        if progress:
            progress(job)


def _run(job: ImportJob, load: Callable[[], None]) -> ImportJob:
    """Run an import body; a failure is kept on the job (and raised to the caller)."""
    _start(job)
    try:
        load()
        reconciliation_auto_match()
    except Exception as error:
        _finish(job, ImportState.FAILED, str(error)[:2000])
        raise
    return _finish(job, ImportState.SUCCEEDED)


def _save_balance_rows(job: ImportJob, rows: Iterable[parsers.BalanceRow]) -> int:
    rows = list(rows)
    existing = dict(
        StripeBalanceTransaction.objects.filter(
            stripe_id__in=[r.stripe_id for r in rows]
        ).values_list("stripe_id", "payout_id")
    )
    new = [_balance_model(job, r) for r in rows if r.stripe_id not in existing]
    # A re-import may learn which payout carried a transaction the first import did not know.
    for row in rows:
        if row.stripe_id in existing and row.payout_id and not existing[row.stripe_id]:
            StripeBalanceTransaction.objects.filter(stripe_id=row.stripe_id).update(
                payout_id=row.payout_id
            )
    StripeBalanceTransaction.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _balance_model(job: ImportJob, r: parsers.BalanceRow) -> StripeBalanceTransaction:
    return StripeBalanceTransaction(
        stripe_id=r.stripe_id, type=r.type, source_id=r.source_id, amount=r.amount, fee=r.fee,
        net=r.net, currency=r.currency, exchange_rate=r.exchange_rate, created=r.created,
        available_on=r.available_on, description=r.description, payout_id=r.payout_id,
        raw=r.raw, import_job=job,
    )  # fmt: skip


def _save_payout_rows(job: ImportJob, rows: Iterable[parsers.PayoutRow]) -> int:
    rows = list(rows)
    known = set(
        StripePayout.objects.filter(stripe_id__in=[r.stripe_id for r in rows]).values_list(
            "stripe_id", flat=True
        )
    )
    for row in rows:  # a payout's status moves on (in_transit -> paid); keep the latest
        if row.stripe_id in known:
            StripePayout.objects.filter(stripe_id=row.stripe_id).update(payout_status=row.status)
    new = [
        StripePayout(
            stripe_id=r.stripe_id,
            amount=r.amount,
            currency=r.currency,
            arrival_date=r.arrival_date,
            payout_status=r.status,
            balance_transaction_id=r.balance_transaction_id,
            created=r.created,
            raw=r.raw,
            import_job=job,
        )  # fmt: skip
        for r in rows
        if r.stripe_id not in known
    ]
    StripePayout.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _save_bank_rows(job: ImportJob, rows: Iterable[parsers.BankRow]) -> int:
    rows = list(rows)
    known = set(
        BankStatementLine.objects.filter(line_hash__in=[r.line_hash for r in rows]).values_list(
            "line_hash", flat=True
        )
    )
    new = [
        BankStatementLine(
            line_hash=r.line_hash,
            bank_account=job.bank_account,
            date=r.date,
            description=r.description,
            amount=r.amount,
            currency=r.currency,
            reference=r.reference,
            import_job=job,
        )  # fmt: skip
        for r in rows
        if r.line_hash not in known
    ]
    BankStatementLine.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def stripe_csv_import(*, job: ImportJob, data: bytes | str, progress: Progress | None = None):
    """Import a Stripe balance-transactions CSV export into `job`."""

    def load() -> None:
        rows = parsers.parse_stripe_balance_csv(data)
        _store(job, rows, _save_balance_rows, progress)

    return _run(job, load)


def bank_csv_import(*, job: ImportJob, data: bytes | str, progress: Progress | None = None):
    """Import bank statement lines (CSV) into `job`; the job names the bank account."""

    def load() -> None:
        _store(job, _bank_rows(job, data), _save_bank_rows, progress)

    return _run(job, load)


def _bank_rows(job: ImportJob, data: bytes | str) -> list[parsers.BankRow]:
    account = job.bank_account.code if job.bank_account else ""
    rows = parsers.parse_bank_csv(data, account=account)
    for row in rows:
        if job.bank_account and row.currency != job.bank_account.currency:
            raise ApplicationError(
                f"A {row.currency} line in a {job.bank_account.currency} account.",
                code="currency_mismatch",
            )
    return rows


def stripe_api_import(
    *, job: ImportJob, source: BalanceSource | None = None, created_gte: int | None = None,
    progress: Progress | None = None,
) -> ImportJob:  # fmt: skip
    """Fetch balance transactions and payouts from Stripe's API and store them, with each
    transaction's payout (read through `?payout=` for every payout)."""
    source = source or default_source()

    def load() -> None:
        payouts = list(source.payouts(created_gte=created_gte))
        carried = {
            bt_id: payout.stripe_id
            for payout in payouts
            for bt_id in source.payout_transaction_ids(payout.stripe_id)
        }
        rows = [
            replace(row, payout_id=carried.get(row.stripe_id, row.payout_id))
            for row in source.balance_transactions(created_gte=created_gte)
        ]
        _store(job, [*rows, *payouts], _save_mixed, progress)

    return _run(job, load)


def _save_mixed(job: ImportJob, chunk: Sequence) -> int:
    balances = [r for r in chunk if isinstance(r, parsers.BalanceRow)]
    payouts = [r for r in chunk if isinstance(r, parsers.PayoutRow)]
    return _save_balance_rows(job, balances) + _save_payout_rows(job, payouts)


def import_run(
    *, job: ImportJob, data: bytes | str | None = None, created_gte: int | None = None,
    source: BalanceSource | None = None, progress: Progress | None = None,
) -> ImportJob:  # fmt: skip
    """Run a queued import of any kind (the API, the admin and the commands call this)."""
    if job.kind == ImportKind.STRIPE_API:
        return stripe_api_import(job=job, source=source, created_gte=created_gte, progress=progress)
    if data is None:
        raise ApplicationError("Upload the CSV file to import.", code="file_required")
    if job.kind == ImportKind.STRIPE_CSV:
        return stripe_csv_import(job=job, data=data, progress=progress)
    return bank_csv_import(job=job, data=data, progress=progress)
