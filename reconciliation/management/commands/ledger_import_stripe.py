"""Import a payment provider's balance transactions and payouts, from its API or a CSV export.

manage.py ledger_import_stripe --api [--since 2026-03-01]
manage.py ledger_import_stripe --csv balance_history.csv
manage.py ledger_import_stripe --provider <name> --api     (another provider under payments/)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import ApplicationError
from payments.registry import provider_names
from reconciliation.progress import ProgressLine
from reconciliation.services.imports import import_job_create, import_run


class Command(BaseCommand):
    help = "Import a provider's balance transactions and payouts (API or CSV export), then match."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--api", action="store_true", help="Read from the provider's API.")
        source.add_argument("--csv", type=Path, help="A balance-transactions CSV export.")
        parser.add_argument("--since", type=dt.date.fromisoformat, help="API: created from.")
        parser.add_argument("--provider", choices=provider_names(), default="stripe")

    def handle(self, *args, **options) -> None:
        path: Path | None = options["csv"]
        kind = f"{options['provider']}_{'api' if options['api'] else 'csv'}"
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
