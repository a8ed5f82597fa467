"""The secretariat's double-entry ledger: accounts, journal entries, postings, balances.

Sign convention: a posting's `amount` is signed, debit positive and credit negative, in the
account's own currency; `amount_book` is the same movement in the book currency (MYR) at
`rate`. An entry balances when, for every currency, its amounts sum to zero and its book
amounts sum to zero. Balances count posted entries only.

The database itself guards the invariants (see `ledger/db/`): entries are inserted `pending`,
postings are added, and the flip to `posted` is checked by a trigger (two postings or more,
balanced per currency and in the book currency, period open), which also moves the cached
balances and refuses a guarded account (a restricted fund, a payment provider's clearing)
going negative unless the entry allows it. Posted and void entries and their postings can
never be updated or deleted.

The ledger is the core every money app builds on, and knows none of them: an account says
what it is kept for as data (`role` and `owner`: a campaign's restricted fund is
`restricted_fund` / `campaign:42`, a provider's clearing `provider_clearing` / `stripe`),
opened through `ledger.services.chart` by the app that needs it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from moneyed import Money

AMOUNT_DIGITS = 18
AMOUNT_PLACES = 3
RATE_DIGITS = 24
RATE_PLACES = 12


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity (funds)")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


DEBIT_NORMAL = (AccountType.ASSET, AccountType.EXPENSE)


class AccountRole(models.TextChoices):
    """What an account is for; the posting rules find accounts by role, owner and currency."""

    PROVIDER_CLEARING = "provider_clearing", _("Payment provider clearing (available balance)")
    BANK = "bank", _("Bank account")
    DISPUTED_FUNDS = "disputed_funds", _("Funds withdrawn by disputes")
    RESTRICTED_FUND = "restricted_fund", _("Restricted fund")
    OPERATIONS_FUND = "operations_fund", _("Operations (unrestricted) fund")
    FEE_INCOME = "fee_income", _("Secretariat fee income")
    DONATION_INCOME = "donation_income", _("Unrestricted donation income")
    PROCESSING_FEES = "processing_fees", _("Payment-processing fees")
    DISPUTE_FEES = "dispute_fees", _("Dispute fees")
    FX_REALISED = "fx_realised", _("Realised FX gain/loss")
    FX_UNREALISED = "fx_unrealised", _("Unrealised FX gain/loss")
    FX_CONVERSION = "fx_conversion", _("Currency conversion (trading)")
    ROUNDING = "rounding", _("Rounding")
    DISBURSEMENTS_PAYABLE = "disbursements_payable", _("Disbursements payable")
    ADJUSTMENTS = "adjustments", _("Other / adjustments")


# Roles whose postings may carry a book amount with no amount in the account's currency
# (rounding differences and revaluation counterparts); the triggers know this list too.
BOOK_ONLY_ROLES = (AccountRole.ROUNDING, AccountRole.FX_UNREALISED)


class Account(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=AccountType.choices)
    role = models.CharField(_("role"), max_length=32, choices=AccountRole.choices)
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("Fixed once the account has postings.")
    )
    owner = models.CharField(
        _("kept for"), max_length=64, blank=True,
        help_text=_("What the account is kept for, as data: campaign:42 (a restricted fund), "
                    "enterprise:7 (what is owed to it), stripe (a provider's clearing)."),
    )  # fmt: skip
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_restricted = models.BooleanField(
        _("restricted fund"), default=False, help_text=_("Donor-restricted money.")
    )
    non_negative = models.BooleanField(
        _("may not go negative"), default=False,
        help_text=_("Refuse entries that take the balance below zero unless they allow it."),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=AccountType.values), name="ledger_account_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="ledger_account_currency_iso"
            ),
            models.UniqueConstraint(
                fields=["role", "owner", "currency"], condition=~Q(owner=""),
                name="ledger_one_account_per_owner_role_currency",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.currency})"

    @property
    def is_debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL


class AccountBalance(models.Model):
    """The cached balance of one account, moved by the posting trigger in the same transaction.

    `balance` is in the account's currency, `balance_book` in the book currency; both signed
    debit-positive and always equal to the sum of the account's posted postings
    (`manage.py ledger_verify` proves it).
    """

    account = models.OneToOneField(
        Account, primary_key=True, on_delete=models.PROTECT, related_name="balance_row"
    )
    balance = models.DecimalField(max_digits=AMOUNT_DIGITS + 4, decimal_places=AMOUNT_PLACES)
    balance_book = models.DecimalField(max_digits=AMOUNT_DIGITS + 4, decimal_places=AMOUNT_PLACES)
    posting_count = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["account_id"]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.balance}"


class EntryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    POSTED = "posted", _("Posted")
    VOID = "void", _("Void")


class EntryKind(models.TextChoices):
    DONATION_SETTLED = "donation_settled", _("Donation settled")
    SECRETARIAT_FEE = "secretariat_fee", _("Secretariat fee")
    REFUND = "refund", _("Refund")
    DISPUTE_OPENED = "dispute_opened", _("Dispute opened")
    DISPUTE_WON = "dispute_won", _("Dispute won")
    DISPUTE_LOST = "dispute_lost", _("Dispute lost")
    PAYOUT_PAID = "payout_paid", _("Payout paid")
    PAYOUT_FAILED = "payout_failed", _("Payout failed")
    OFFLINE_GIFT = "offline_gift", _("Offline gift")
    DISBURSEMENT = "disbursement", _("Disbursement approved")
    DISBURSEMENT_PAID = "disbursement_paid", _("Disbursement paid")
    RELEASE = "release_from_restriction", _("Release from restriction")
    MANUAL = "manual_adjustment", _("Manual adjustment")
    FX_REVALUATION = "fx_revaluation", _("FX revaluation")
    REVERSAL = "reversal", _("Reversal")


# The source reference of an entry booked after its own date because that date was in a
# closed period (money a provider had already moved): the date it happened, ISO 8601.
LATE_REF = "original_date"


class JournalEntry(models.Model):
    idempotency_key = models.CharField(max_length=200, unique=True)
    payload_hash = models.CharField(max_length=64, help_text=_("SHA-256 of the entry's content."))
    kind = models.CharField(max_length=32, choices=EntryKind.choices, db_index=True)
    memo = models.TextField(blank=True)
    effective_date = models.DateField(_("effective date"), help_text=_("When it happened."))
    recorded_at = models.DateTimeField(default=timezone.now)
    posted_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=EntryState.choices, default=EntryState.PENDING)
    source_refs = models.JSONField(default=dict, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
        help_text=_("The entry this one reverses; unique, so an entry is reversed at most once."),
    )  # fmt: skip
    allow_negative = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["effective_date", "id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["state", "effective_date"], name="ledger_entry_state_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=EntryState.values), name="ledger_entry_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(idempotency_key=""), name="ledger_entry_key_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(kind="manual_adjustment") | ~Q(reason=""),
                name="ledger_manual_adjustment_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.effective_date} ({self.state})"


class Posting(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = MoneyField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, default_currency=None,
        help_text=_("Signed: debit positive, credit negative, in the account's currency."),
    )  # fmt: skip
    amount_book = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES,
        help_text=_("The same movement in the book currency, signed."),
    )  # fmt: skip
    rate = models.DecimalField(
        max_digits=RATE_DIGITS, decimal_places=RATE_PLACES,
        help_text=_("Book-currency units per unit of the posting's currency."),
    )  # fmt: skip
    # One optional dimension to analyse postings by, as data (no foreign key): what an app
    # books against, e.g. key "budget_line", value "12".
    # The database fills them in too, for rows inserted by SQL (bulk loads, the tests).
    dimension_key = models.CharField(max_length=32, blank=True, default="", db_default="")
    dimension_value = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["entry_id", "id"]
        indexes = [models.Index(fields=["account", "entry"], name="ledger_posting_account_entry")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0) | ~Q(amount_book=0), name="ledger_posting_not_zero"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="ledger_posting_rate_positive"),
        ]

    def __str__(self) -> str:
        side = "Dr" if self.is_debit else "Cr"
        return f"{side} {self.account_id} {self.amount}"

    @property
    def is_debit(self) -> bool:
        return self.amount.amount > 0 or (self.amount.amount == 0 and self.amount_book > 0)

    @property
    def book_money(self) -> Money:
        return Money(self.amount_book, settings.BOOK_CURRENCY)


class PeriodState(models.TextChoices):
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class ClosedPeriod(models.Model):
    """Everything with an effective date up to `until` is locked while this row is closed."""

    until = models.DateField()
    state = models.CharField(max_length=8, choices=PeriodState.choices, default=PeriodState.CLOSED)
    reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-until", "-id"]

    def __str__(self) -> str:
        return f"Period to {self.until} ({self.state})"


class PeriodAudit(models.Model):
    """Who closed or reopened a period, when and why (written by the period services)."""

    period = models.ForeignKey(ClosedPeriod, on_delete=models.PROTECT, related_name="audit")
    from_state = models.CharField(max_length=8, choices=PeriodState.choices, blank=True)
    to_state = models.CharField(max_length=8, choices=PeriodState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} -> {self.to_state} to {self.period.until}"


ZERO = Decimal("0")
