"""django-hordak driven through its public API: Account, Transaction, Leg, with_balances()."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

from django.db import connection
from django.db import transaction as db_transaction
from hordak.models import Account, AccountType, Leg, Transaction
from moneyed import Money

from bench.ledger_common import CAMPAIGNS, Donation, donations

NULL = "\\N"  # COPY's text format for NULL


class HordakLedger:
    name = "hordak"

    def __init__(self) -> None:
        self.clearing = self._account("Stripe clearing MYR", "1100", AccountType.asset, ["MYR"])
        self.fees = self._account("Payment processing fees", "5100", AccountType.expense, ["MYR"])
        self.trading = self._account(
            "Currency trading", "3900", AccountType.trading, ["MYR", "IDR"]
        )
        self.funds = [
            self._account(f"Campaign {n} fund IDR", f"2{n:03d}", AccountType.equity, ["IDR"])
            for n in range(CAMPAIGNS)
        ]
        self.postings = Leg.objects.count()
        self.entries = Transaction.objects.count()

    @staticmethod
    def _account(name: str, code: str, kind: str, currencies: list[str]) -> Account:
        found = Account.objects.filter(code=code, parent=None).first()
        if found:
            return found
        return Account.objects.create(name=name, code=code, type=kind, currencies=currencies)

    def _legs(self, d: Donation) -> list[tuple[int, str, object, object]]:
        """(account id, currency, debit, credit): five legs, zero per currency."""
        fund = self.funds[d.campaign]
        return [
            (fund.pk, "IDR", None, d.gross_idr),
            (self.trading.pk, "IDR", d.gross_idr, None),
            (self.trading.pk, "MYR", None, d.gross_myr),
            (self.clearing.pk, "MYR", d.net_myr, None),
            (self.fees.pk, "MYR", d.fee_myr, None),
        ]

    def post(self, d: Donation) -> None:
        """One donation the way a hordak user books it: a Transaction and its Legs, atomic."""
        with db_transaction.atomic():
            tx = Transaction.objects.create(date=d.day, description=d.balance_transaction_id)
            fund = self.funds[d.campaign]
            Leg.objects.create(transaction=tx, account=fund, credit=Money(d.gross_idr, "IDR"))
            Leg.objects.create(
                transaction=tx, account=self.trading, debit=Money(d.gross_idr, "IDR")
            )
            Leg.objects.create(
                transaction=tx, account=self.trading, credit=Money(d.gross_myr, "MYR")
            )
            Leg.objects.create(transaction=tx, account=self.clearing, debit=Money(d.net_myr, "MYR"))
            Leg.objects.create(transaction=tx, account=self.fees, debit=Money(d.fee_myr, "MYR"))
        self.postings += 5
        self.entries += 1

    def balance(self) -> object:
        return Account.objects.with_balances().get(pk=self.clearing.pk).balance

    def trial_balance(self) -> list[tuple[str, object]]:
        return [(a.full_code, a.balance) for a in Account.objects.with_balances()]

    def bulk_load(self, first: int, count: int) -> None:
        """Background donations by COPY, with hordak's row triggers off while loading.

        The rows balance by construction; hordak's deferred per-row checks would only add
        minutes to the set-up, not to what is measured.
        """
        now = datetime.now(UTC).isoformat()
        tx_rows, leg_rows = io.StringIO(), io.StringIO()
        with connection.cursor() as cur:
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM hordak_transaction")
            tx_id = cur.fetchone()[0]
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM hordak_leg")
            leg_id = cur.fetchone()[0]
        for d in donations(first, count):
            tx_id += 1
            tx_rows.write(f"{tx_id}\t{uuid.uuid4()}\t{now}\t{d.day}\t{d.balance_transaction_id}\n")
            for account, currency, debit, credit in self._legs(d):
                leg_id += 1
                leg_rows.write(
                    f"{leg_id}\t{uuid.uuid4()}\t\t{account}\t{tx_id}\t"
                    f"{NULL if credit is None else credit}\t"
                    f"{NULL if debit is None else debit}\t{currency}\n"
                )
        self._copy(tx_rows.getvalue(), leg_rows.getvalue())
        self.postings += count * 5
        self.entries += count

    @staticmethod
    def _copy(tx_rows: str, leg_rows: str) -> None:
        with db_transaction.atomic(), connection.cursor() as cur:
            # Triggers and FK checks off for this transaction only (needs a superuser).
            cur.execute("SET LOCAL session_replication_role = replica")
            raw = cur.cursor
            with raw.copy(
                "COPY hordak_transaction (id, uuid, timestamp, date, description) FROM STDIN"
            ) as copy:
                copy.write(tx_rows)
            with raw.copy(
                "COPY hordak_leg (id, uuid, description, account_id, transaction_id, credit,"
                " debit, currency) FROM STDIN"
            ) as copy:
                copy.write(leg_rows)
            for table in ("hordak_transaction", "hordak_leg"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                )
        with connection.cursor() as cur:
            cur.execute("ANALYZE hordak_transaction")
            cur.execute("ANALYZE hordak_leg")
