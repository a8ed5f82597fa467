"""Create the secretariat's default chart of accounts (safe to run again): the ledger's own
accounts in the book currency, and the clearing account of every payment provider in the
book currency and in the provider's settlement currency."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from ledger.services.chart import chart_ensure_default, clearing_account
from payments.registry import get_provider, provider_names


class Command(BaseCommand):
    help = "Create the default chart of accounts in the book currency; idempotent."

    def handle(self, *args, **options) -> None:
        accounts = chart_ensure_default()
        for name in provider_names():
            provider = get_provider(name)
            for currency in dict.fromkeys([settings.BOOK_CURRENCY, provider.settlement_currency]):
                accounts.append(
                    clearing_account(provider=name, label=provider.label, currency=currency)
                )
        for account in accounts:
            self.stdout.write(f"{account.code:<28} {account.type:<10} {account.name}")
        self.stdout.write(self.style.SUCCESS("Default chart in place."))
