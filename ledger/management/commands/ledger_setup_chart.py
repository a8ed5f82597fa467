"""Create the secretariat's default chart of accounts (safe to run again)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ledger.services.chart import chart_ensure_default


class Command(BaseCommand):
    help = "Create the default chart of accounts in the book currency; idempotent."

    def handle(self, *args, **options) -> None:
        for account in chart_ensure_default():
            self.stdout.write(f"{account.code:<28} {account.type:<10} {account.name}")
        self.stdout.write(self.style.SUCCESS("Default chart in place."))
