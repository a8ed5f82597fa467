"""What the payment providers and the bank say happened, stored once each, and how it meets
the journal.

Imported items are facts from outside: a provider's balance transaction or payout is unique
on (provider, the provider's id), a bank statement line on a hash of its content (see
`reconciliation.parsers.parse_bank_csv`), so importing the same file or API page twice
changes nothing. Each item is `unmatched` until the matching services tie it to the journal
entry that booked it (`matched`) or the treasurer explains why there is none (`explained`,
with a reason). Every manual decision leaves a `ReconciliationAudit` row.

Matching shapes: balance transaction -> entry is one-to-one; many payouts -> one bank line
(the bank may credit two payouts as one deposit); many bank lines -> one entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledger.models import AMOUNT_DIGITS, AMOUNT_PLACES, RATE_DIGITS, RATE_PLACES
from payments.registry import provider_label, provider_names

BANK_CSV = "bank_csv"


def import_kinds() -> list[tuple[str, str]]:
    """Every kind of import: each provider's API and CSV export, and a bank statement.

    The kind's value is `<provider>_api` or `<provider>_csv` (`stripe_api`), so a new
    provider brings its own kinds with it."""
    kinds = []
    for name in provider_names():
        label = provider_label(name)
        kinds += [
            (f"{name}_api", f"{label} API (balance transactions and payouts)"),
            (f"{name}_csv", f"{label} balance transactions CSV export"),
        ]
    return [*kinds, (BANK_CSV, "Bank statement CSV")]


def import_kind_parts(kind: str) -> tuple[str, str]:
    """("stripe", "api") for "stripe_api"; ("", "bank") for a bank statement."""
    if kind == BANK_CSV:
        return "", "bank"
    provider, _sep, mode = kind.rpartition("_")
    return provider, mode


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One import run; `processed` of `total` rows is its progress, readable while it runs."""

    kind = models.CharField(max_length=32, help_text="One of `import_kinds()`.")
    state = models.CharField(max_length=16, choices=ImportState.choices, default="queued")
    file_name = models.CharField(max_length=255, blank=True)
    bank_account = models.ForeignKey(
        "ledger.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_gte = models.BigIntegerField(
        null=True, blank=True, help_text="Provider API imports: from this Unix time on."
    )
    total = models.PositiveIntegerField(null=True, blank=True)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(processed__lte=models.F("total")),
                name="reconciliation_import_processed_le_total",
            )
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.kind} {self.state} {self.processed}/{self.total or '?'}"

    @property
    def kind_label(self) -> str:
        return dict(import_kinds()).get(self.kind, self.kind)


class ImportUpload(models.Model):
    """The file an import was given, kept with its job in the database (never in the public
    media), so a worker can run the import and an auditor can see what was imported."""

    job = models.OneToOneField(
        ImportJob, primary_key=True, on_delete=models.PROTECT, related_name="upload"
    )
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"Upload for import #{self.job_id} ({len(self.data):,} bytes)"


class MatchStatus(models.TextChoices):
    UNMATCHED = "unmatched", _("Unmatched")
    MATCHED = "matched", _("Matched")
    EXPLAINED = "explained", _("Explained")


class MatchMethod(models.TextChoices):
    AUTO = "auto", _("Automatic")
    MANUAL = "manual", _("Manual")


class ReconciliationItem(models.Model):
    status = models.CharField(max_length=16, choices=MatchStatus.choices, default="unmatched")
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=8, choices=MatchMethod.choices, blank=True)
    explanation = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    resolved_at = models.DateTimeField(null=True, blank=True)
    import_job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def status_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=~Q(status="explained") | ~Q(explanation=""),
                name=f"{prefix}_explained_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MatchStatus.values), name=f"{prefix}_status_valid"
            ),
        ]


class ProviderTransaction(ReconciliationItem):
    """One movement of a payment provider's balance, as its statement lists it."""

    provider = models.CharField(max_length=32, help_text="The payment provider's code.")
    provider_id = models.CharField(max_length=255)
    type = models.CharField(max_length=64, help_text="The provider's own word for it.")
    source_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    fee = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    net = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(
        max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, null=True, blank=True
    )
    created = models.DateTimeField()
    available_on = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    payout_id = models.CharField(max_length=255, blank=True, db_index=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            *ReconciliationItem.status_constraints("reconciliation_transaction"),
            models.UniqueConstraint(
                fields=["provider", "provider_id"], name="reconciliation_transaction_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.type} {self.net} {self.currency}"


class BankStatementLine(ReconciliationItem):
    line_hash = models.CharField(max_length=64, unique=True)
    bank_account = models.ForeignKey(
        "ledger.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = ReconciliationItem.status_constraints("reconciliation_bank_line")

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.currency} {self.reference}"


class ProviderPayout(ReconciliationItem):
    """A payout of a provider's balance to the secretariat's bank."""

    provider = models.CharField(max_length=32, help_text="The payment provider's code.")
    provider_id = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    currency = models.CharField(max_length=3)
    arrival_date = models.DateField()
    payout_status = models.CharField(max_length=32, blank=True)
    balance_transaction_id = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField()
    bank_line = models.ForeignKey(
        BankStatementLine, null=True, blank=True, on_delete=models.PROTECT,
        related_name="payouts", help_text=_("The deposit that carried it (several may share one)."),
    )  # fmt: skip
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["arrival_date", "id"]
        constraints = [
            *ReconciliationItem.status_constraints("reconciliation_payout"),
            models.UniqueConstraint(
                fields=["provider", "provider_id"], name="reconciliation_payout_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.amount} {self.currency} {self.arrival_date}"


class ReconciliationAudit(models.Model):
    """A treasurer's manual match or explanation (automatic matches are not audited here):
    the item's status before and after, who, when and why."""

    class Action(models.TextChoices):
        MATCH = "match", _("Matched by hand")
        EXPLAIN = "explain", _("Explained")
        UNMATCH = "unmatch", _("Match undone")

    item_type = models.CharField(max_length=32)
    item_id = models.BigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    from_state = models.CharField(max_length=16, choices=MatchStatus.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=MatchStatus.choices, blank=True)
    entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="reconciliation_audit_item")]

    def __str__(self) -> str:
        return f"{self.action} {self.item_type}#{self.item_id} by {self.actor_id}"
