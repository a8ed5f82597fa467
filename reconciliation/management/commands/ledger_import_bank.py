"""Import a bank statement (CSV: date, description, amount, currency, reference), then match.

manage.py ledger_import_bank statement.csv --account 1200-BANK-MYR
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import ApplicationError
from ledger.models import Account, AccountRole
from reconciliation.models import BANK_CSV
from reconciliation.progress import ProgressLine
from reconciliation.services.imports import import_job_create, import_run


class Command(BaseCommand):
    help = "Import bank statement lines from a CSV file, then match them to the journal."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("csv", type=Path)
        parser.add_argument("--account", required=True, help="The bank account's code.")

    def handle(self, *args, **options) -> None:
        account = Account.objects.filter(code=options["account"], role=AccountRole.BANK).first()
        if account is None:
            raise CommandError(f"No bank account {options['account']}.")
        path: Path = options["csv"]
        job = import_job_create(kind=BANK_CSV, file_name=path.name, bank_account=account)
        progress = ProgressLine(self.stdout)
        try:
            job = import_run(job=job, data=path.read_bytes(), progress=progress)
        except (ApplicationError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(progress.done(job))
