"""`manage.py ledger_verify` proves the cached balances and the invariants; the admin shows
posted entries read-only; `ledger_setup_chart` is idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from moneyed import Money

from ledger.models import Account, JournalEntry
from ledger.services import rules
from tests.ledger.accounts import clearing, fund, refs

pytestmark = pytest.mark.django_db


def _settle(campaign, **extra) -> JournalEntry:
    gross, fee = Money(Decimal("50.00"), "MYR"), Money(Decimal("2.00"), "MYR")
    return rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="t1"),
        donation_ref="d1",
        presentment=gross,
        gross=gross,
        fee=fee,
        net=gross - fee,
        exchange_rate=None,
        donor_country="SG",
        effective_date=dt.date(2026, 3, 2),
        **extra,
    )


def verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("ledger_verify", stdout=out, stderr=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def test_verify_passes_on_a_healthy_ledger(campaign):
    _settle(campaign)
    code, text = verify()
    assert code == 0, text
    assert "all invariants hold" in text and "1 posted entries, 3 postings" in text


def test_verify_fails_when_a_cached_balance_was_tampered_with(campaign):
    _settle(campaign)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_accountbalance SET balance = balance + 1")
    code, text = verify()
    assert code == 1
    assert "cached" in text and "balances equal their postings" in text


def test_verify_fails_when_a_trigger_was_dropped(campaign):
    statement = {
        "sqlite": "DROP TRIGGER ledger_posting_immutable",
        "postgresql": "DROP TRIGGER ledger_posting_guard ON ledger_posting",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(statement)
    code, text = verify()
    assert code == 1 and "is missing" in text


# An older version of one definition: the guard without its message prefix. Installed over
# the current one, it is what a database left on an old migration (or hand-edited) holds.
OLD_DEFINITION = {
    "sqlite": [
        "DROP TRIGGER ledger_posting_immutable",
        "CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE ON ledger_posting "
        "BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION ledger_account_guard() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    ],
}


def test_migrations_leave_exactly_the_current_definitions(db):
    from ledger.db import differences

    assert differences(connection) == []
    code, text = verify()
    assert code == 0, text


def test_verify_fails_when_a_definition_is_not_the_current_one(campaign):
    with connection.cursor() as cursor:
        for statement in OLD_DEFINITION[connection.vendor]:
            cursor.execute(statement)
    code, text = verify()
    assert code == 1 and "is not the current definition" in text


def test_uninstall_then_install_puts_back_the_current_set(campaign):
    """What the `tx` fixture does after every transactional test leaves the database as
    the migrations did: verify passes, and the guards refuse again."""
    from django.db import IntegrityError, transaction

    from ledger import db as ledger_db
    from ledger.models import Posting

    _settle(campaign)
    with transaction.atomic():
        ledger_db.uninstall(connection)
        ledger_db.install(connection)
    assert ledger_db.differences(connection) == []
    assert verify()[0] == 0
    with pytest.raises(IntegrityError, match="ledger:"), transaction.atomic():
        Posting.objects.update(dimension_value="changed")


def test_setup_chart_is_idempotent(db):
    call_command("ledger_setup_chart", stdout=StringIO())
    count = Account.objects.count()
    call_command("ledger_setup_chart", stdout=StringIO())
    assert Account.objects.count() == count >= 11
    roles = set(Account.objects.values_list("role", flat=True))
    assert Account.objects.filter(code="1100-STRIPE-MYR", owner="stripe").exists()
    assert {"provider_clearing", "bank", "operations_fund", "fee_income", "processing_fees",
            "dispute_fees", "fx_realised", "fx_unrealised", "rounding"} <= roles  # fmt: skip


def test_the_admin_shows_a_posted_entry_read_only(client, admin_user, campaign):
    entry = _settle(campaign)
    client.force_login(admin_user)
    url = reverse("admin:ledger_journalentry_change", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(url, {"memo": "edited"}).status_code == 403
    assert client.get(reverse("admin:ledger_journalentry_add")).status_code == 403
    delete = reverse("admin:ledger_journalentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.memo != "edited"


def test_the_admin_lists_accounts_and_entries(client, admin_user, campaign):
    _settle(campaign)
    client.force_login(admin_user)
    assert client.get(reverse("admin:ledger_account_changelist")).status_code == 200
    assert client.get(reverse("admin:ledger_journalentry_changelist")).status_code == 200


def test_verify_notes_a_fund_taken_below_zero_by_an_entry_that_allowed_it(campaign):
    _settle(campaign)
    rules.refund_booked(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="t"),
        donation_ref="d1",
        refund_id="re",
        refunded_presentment=Money(Decimal("50.00"), "MYR"),
        refund_settled=Money(Decimal("50.00"), "MYR"),
        effective_date=dt.date(2026, 3, 3),
        allow_negative=True,
    )
    code, text = verify()
    assert code == 0, text
    assert "note: below zero by an entry that allowed it: 1100-STRIPE-MYR: -2.000" in text


def test_verify_catches_an_entry_slipped_into_a_closed_period(campaign, treasurer):
    from ledger.services.periods import period_close

    period_close(until=dt.date(2026, 3, 31), actor=treasurer, reason="March")
    statement = {
        "sqlite": "DROP TRIGGER ledger_entry_post_check",
        "postgresql": "DROP TRIGGER ledger_entry_guard ON ledger_journalentry",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(statement)
    # Dated 2 March and not booked late: only the dropped trigger would have refused it.
    _settle(campaign, late_into_open_period=False)
    code, text = verify()
    assert code == 1
    assert "posted into the period closed to 2026-03-31" in text
