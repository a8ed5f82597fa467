"""Import Stripe balance transactions and payouts, from the API or a CSV export.

manage.py ledger_import_stripe --api [--since 2026-03-01]
manage.py ledger_import_stripe --csv balance_history.csv
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import ApplicationError
from ledger.models_reconciliation import ImportKind
from ledger.reconciliation.progress import ProgressLine
from ledger.services.reconciliation import import_job_create, import_run


class Command(BaseCommand):
    help = "Import Stripe balance transactions and payouts (API or CSV export), then match."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--api", action="store_true", help="Read from Stripe's API.")
        source.add_argument("--csv", type=Path, help="A balance-transactions CSV export.")
        parser.add_argument("--since", type=dt.date.fromisoformat, help="API: created from.")

    def handle(self, *args, **options) -> None:
        kind = ImportKind.STRIPE_API if options["api"] else ImportKind.STRIPE_CSV
        path: Path | None = options["csv"]
        since = options["since"]
        created_gte = None
        if since:
            created_gte = int(dt.datetime.combine(since, dt.time(), dt.UTC).timestamp())
        job = import_job_create(kind=kind, file_name=path.name if path else "")
        progress = ProgressLine(self.stdout)
        try:
            job = import_run(
                job=job, data=path.read_bytes() if path else None, created_gte=created_gte,
                progress=progress,
            )  # fmt: skip
        except (ApplicationError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(progress.done(job))
