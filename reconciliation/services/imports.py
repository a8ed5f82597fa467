"""Importing what the payment providers and the bank say happened, idempotently, with
visible progress.

The API and the admin submit an import (`import_submit`): a CSV is checked at once, so a
wrong file is refused with its reason, then the job is queued for a worker
(`reconciliation.tasks.import_job_run`) and its progress read while it runs; without a broker
the task runs in-process as soon as the job is committed. The commands run imports directly.

Each import is an `ImportJob`: created `queued`, run once (`running` -> `succeeded` or
`failed` with the error). Rows are stored in chunks, each chunk and the job's `processed`
count committed together, so the API and the admin can show progress while a long import
runs. Provider items are unique on (provider, id) and bank lines on their content hash, so
running the same file or API window again stores nothing new. After storing, the automatic
matcher (`reconciliation.services.matching`) ties what it can to the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from common.errors import ApplicationError
from common.tasks import enqueue
from common.uploads import clean_csv
from ledger.models import Account, AccountRole
from payments.registry import get_provider
from payments.types import StatementLine, StatementPayout
from reconciliation import parsers
from reconciliation.models import (
    BankStatementLine,
    ImportJob,
    ImportState,
    ImportUpload,
    ProviderPayout,
    ProviderTransaction,
    import_kind_parts,
    import_kinds,
)
from reconciliation.services.matching import reconciliation_auto_match

CHUNK = 500
Progress = Callable[[ImportJob], None]


def import_job_create(
    *, kind: str, created_by: Any = None, file_name: str = "",
    bank_account: Account | None = None,
) -> ImportJob:  # fmt: skip
    if kind not in dict(import_kinds()):
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
    commit (already finished when tasks run in-process). A file that is not CSV text within
    UPLOAD_MAX_BYTES is refused before any job exists (`common.uploads.clean_csv`); a CSV
    that cannot be read is refused here (the job is kept, failed, with the reason)."""
    from_api = import_kind_parts(kind)[1] == "api"
    if not from_api and data is not None:
        data = clean_csv(data.encode() if isinstance(data, str) else data)  # text, within size
    job = import_job_create(
        kind=kind, created_by=created_by, file_name=file_name, bank_account=bank_account
    )
    if not from_api:
        try:
            _rows(job, data)
        except ApplicationError as error:
            _finish(job, ImportState.FAILED, error.message)
            raise
    with transaction.atomic():
        job.created_gte = created_gte
        job.save(update_fields=["created_gte"])
        if data is not None:
            ImportUpload.objects.create(job=job, data=data)
        transaction.on_commit(lambda: enqueue("reconciliation.tasks.import_job_run", job.pk))
    job.refresh_from_db()
    return job


def import_queued_run(*, job_pk: int, progress: Progress | None = None) -> ImportJob | None:
    """Run a submitted import (the worker's side); None when it is no longer queued."""
    job = ImportJob.objects.filter(pk=job_pk, state=ImportState.QUEUED).first()
    if job is None:
        return None
    upload = ImportUpload.objects.filter(job=job).first()
    data = bytes(upload.data) if upload else None
    return import_run(job=job, data=data, created_gte=job.created_gte, progress=progress)


def import_run(
    *, job: ImportJob, data: bytes | str | None = None, created_gte: int | None = None,
    progress: Progress | None = None,
) -> ImportJob:  # fmt: skip
    """Run a queued import of any kind (the API, the admin and the commands call this)."""
    _start(job)
    try:
        if import_kind_parts(job.kind)[1] == "api":
            rows = _api_rows(job, created_gte)
        else:
            rows = _rows(job, data)
        _store(job, rows, progress)
        reconciliation_auto_match()
    except Exception as error:
        _finish(job, ImportState.FAILED, str(error)[:2000])
        raise
    return _finish(job, ImportState.SUCCEEDED)


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


# --- Reading the rows -------------------------------------------------------------------


def _rows(job: ImportJob, data: bytes | str | None) -> list:
    """The rows of an uploaded CSV: a provider's export or a bank statement."""
    if not data:
        raise ApplicationError("Upload the CSV file to import.", code="file_required")
    provider, mode = import_kind_parts(job.kind)
    if mode == "csv":
        return get_provider(provider).parse_statement_csv(data)
    account = job.bank_account.code if job.bank_account else ""
    rows = parsers.parse_bank_csv(data, account=account)
    for row in rows:
        if job.bank_account and row.currency != job.bank_account.currency:
            raise ApplicationError(
                f"A {row.currency} line in a {job.bank_account.currency} account.",
                code="currency_mismatch",
            )
    return rows


def _api_rows(job: ImportJob, created_gte: int | None) -> list:
    """Balance transactions and payouts read from the provider's API."""
    provider = get_provider(import_kind_parts(job.kind)[0])
    lines = list(provider.statement_lines(created_gte=created_gte))
    return [*lines, *provider.statement_payouts(created_gte=created_gte)]


# --- Storing them -----------------------------------------------------------------------


@dataclass(frozen=True)
class Writer:
    """How one kind of row is stored: its model, the field it is unique on, the row's value
    for it, the model row to create, and the fields a re-import may bring up to date."""

    model: type[Model]
    key: str
    key_of: Callable[[Any], str]
    build: Callable[[ImportJob, Any], Model]
    refresh: Callable[[Any, Model], dict[str, Any]] = lambda row, existing: {}


def _transaction(job: ImportJob, r: StatementLine) -> ProviderTransaction:
    return ProviderTransaction(
        provider=import_kind_parts(job.kind)[0], provider_id=r.provider_id, type=r.type,
        source_id=r.source_id, amount=r.amount, fee=r.fee, net=r.net, currency=r.currency,
        exchange_rate=r.exchange_rate, created=r.created, available_on=r.available_on,
        description=r.description, payout_id=r.payout_id, raw=r.raw, import_job=job,
    )  # fmt: skip


def _payout(job: ImportJob, r: StatementPayout) -> ProviderPayout:
    return ProviderPayout(
        provider=import_kind_parts(job.kind)[0], provider_id=r.provider_id, amount=r.amount,
        currency=r.currency, arrival_date=r.arrival_date, payout_status=r.status,
        balance_transaction_id=r.balance_transaction_id, created=r.created, raw=r.raw,
        import_job=job,
    )  # fmt: skip


def _bank_line(job: ImportJob, r: parsers.BankRow) -> BankStatementLine:
    return BankStatementLine(
        line_hash=r.line_hash, bank_account=job.bank_account, date=r.date,
        description=r.description, amount=r.amount, currency=r.currency,
        reference=r.reference, import_job=job,
    )  # fmt: skip


WRITERS = {
    # A re-import may learn which payout carried a transaction the first one did not know.
    StatementLine: Writer(
        ProviderTransaction, "provider_id", lambda r: r.provider_id, _transaction,
        lambda r, old: {"payout_id": r.payout_id} if r.payout_id and not old.payout_id else {},
    ),
    # A payout's status moves on (in_transit -> paid); keep the latest.
    StatementPayout: Writer(
        ProviderPayout, "provider_id", lambda r: r.provider_id, _payout,
        lambda r, old: {"payout_status": r.status} if r.status != old.payout_status else {},
    ),
    parsers.BankRow: Writer(BankStatementLine, "line_hash", lambda r: r.line_hash, _bank_line),
}  # fmt: skip


def _save(job: ImportJob, writer: Writer, rows: Iterable[Any]) -> int:
    """Store the rows not stored yet, refresh the ones that were; how many were new."""
    rows = list(rows)
    scope = writer.model.objects.all()
    if writer.key == "provider_id":
        scope = scope.filter(provider=import_kind_parts(job.kind)[0])
    keys = [writer.key_of(r) for r in rows]
    existing = {getattr(m, writer.key): m for m in scope.filter(**{f"{writer.key}__in": keys})}
    for row in rows:
        old = existing.get(writer.key_of(row))
        changes = writer.refresh(row, old) if old is not None else {}
        if changes:
            scope.filter(pk=old.pk).update(**changes)
    new = [writer.build(job, r) for r in rows if writer.key_of(r) not in existing]
    writer.model.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _save_chunk(job: ImportJob, chunk: Sequence[Any]) -> int:
    return sum(
        _save(job, writer, [r for r in chunk if isinstance(r, row_type)])
        for row_type, writer in WRITERS.items()
    )


def _store(job: ImportJob, rows: Sequence[Any], progress: Progress | None) -> None:
    job.total = len(rows)
    job.save(update_fields=["total"])
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with transaction.atomic():
            created = _save_chunk(job, chunk)
            job.processed += len(chunk)
            job.created_count += created
            job.existing_count += len(chunk) - created
            job.save(update_fields=["processed", "created_count", "existing_count"])
        if progress:
            progress(job)
